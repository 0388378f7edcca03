"""The complaint rules every installation starts with (severity rules, loss and delay penalty bands), and the two
complaint sub-categories that start at class 2 (cargo safety, injury) on a database whose SLA table is older."""

from django.db import migrations

from freightdesk.tickets.rule_seeds import seed_complaint_rules, unseed_complaint_rules
from freightdesk.tickets.seeds import ROWS, deadline_code

NEW_SUBCATEGORIES = {("complaint", "cargo_safety"), ("complaint", "injury")}


def seed_safety_subcategories(apps):
    DeadlinePolicy = apps.get_model("core", "DeadlinePolicy")
    SlaPolicy = apps.get_model("tickets", "SlaPolicy")
    for cat, sub, label, owner, minutes, basis, solution, remind, escalate in ROWS:
        if (cat, sub) not in NEW_SUBCATEGORIES:
            continue
        deadline, _created = DeadlinePolicy.objects.get_or_create(
            code=deadline_code(cat, sub), defaults={"name": label, "minutes": minutes, "basis": basis}
        )
        SlaPolicy.objects.get_or_create(
            category=cat,
            subcategory=sub,
            defaults=dict(
                label=label,
                owner_group=owner,
                deadline=deadline,
                standard_solution=solution,
                remind_before_minutes=remind,
                escalate_to=escalate,
            ),
        )


def seed(apps, schema_editor):
    seed_safety_subcategories(apps)
    seed_complaint_rules(apps)


def unseed(apps, schema_editor):
    unseed_complaint_rules(apps)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0012_complaint_rules_and_penalties")]

    operations = [migrations.RunPython(seed, unseed)]
