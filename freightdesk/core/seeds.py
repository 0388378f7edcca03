"""The deadline policies of SPEC §5–§8 every installation starts with (admin-editable afterwards).

The data migrations and the test fixtures both call these functions with a model registry (the migration's
historical apps, or ``django.apps.apps``)."""

POLICIES = [
    # code, name, minutes, basis, due at the next opening when started outside working hours
    ("review", "Review a web order (核单)", 30, "working", True),
    ("dispatch", "Dispatch after confirmation (传递业务单)", 3, "clock", False),
    ("pickup", "Arrange the pickup (提货)", 30, "working", False),
    ("callback", "Call the customer back (回电)", 120, "working", False),
    ("web_message", "Answer a website message (网站留言)", 60, "working", False),
]


def seed_deadline_policies(apps) -> None:
    DeadlinePolicy = apps.get_model("core", "DeadlinePolicy")
    for code, name, minutes, basis, at_opening in POLICIES:
        DeadlinePolicy.objects.get_or_create(
            code=code,
            defaults={"name": name, "minutes": minutes, "basis": basis, "due_at_opening_when_closed": at_opening},
        )


def unseed_deadline_policies(apps) -> None:
    apps.get_model("core", "DeadlinePolicy").objects.filter(code__in=[p[0] for p in POLICIES]).delete()
