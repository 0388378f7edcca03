"""Seed the deadline policies of SPEC §5–§8 (admin-editable afterwards)."""

from django.db import migrations

POLICIES = [
    # code, name, minutes, basis, due at the next opening when started outside working hours
    ("review", "Review a web order (核单)", 30, "working", True),
    ("dispatch", "Dispatch after confirmation (传递业务单)", 3, "clock", False),
    ("pickup", "Arrange the pickup (提货)", 30, "working", False),
    ("callback", "Call the customer back (回电)", 120, "working", False),
]


def seed(apps, schema_editor):
    DeadlinePolicy = apps.get_model("core", "DeadlinePolicy")
    for code, name, minutes, basis, at_opening in POLICIES:
        DeadlinePolicy.objects.get_or_create(
            code=code,
            defaults={"name": name, "minutes": minutes, "basis": basis, "due_at_opening_when_closed": at_opening},
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "DeadlinePolicy").objects.filter(code__in=[p[0] for p in POLICIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_deadline_policy_working_day_override")]

    operations = [migrations.RunPython(seed, unseed)]
