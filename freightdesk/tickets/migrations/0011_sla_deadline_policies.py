"""An SLA row's deadline becomes a row of the one deadline-policy table (core.DeadlinePolicy): the rows a
database already has keep their own minutes and basis; then the SPEC's table is seeded."""

import django.db.models.deletion
from django.db import migrations, models

from freightdesk.tickets.seeds import deadline_code, seed_sla_policies, unseed_sla_policies


def move_deadlines(apps, schema_editor):
    DeadlinePolicy = apps.get_model("core", "DeadlinePolicy")
    SlaPolicy = apps.get_model("tickets", "SlaPolicy")
    for policy in SlaPolicy.objects.all():
        policy.deadline, _created = DeadlinePolicy.objects.get_or_create(
            code=deadline_code(policy.category, policy.subcategory),
            defaults={"name": policy.label, "minutes": policy.deadline_minutes, "basis": policy.time_basis},
        )
        policy.save(update_fields=["deadline"])


def seed(apps, schema_editor):
    seed_sla_policies(apps)


def unseed(apps, schema_editor):
    unseed_sla_policies(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_idempotencyrecord"),
        ("tickets", "0010_ticket_sms_in_the_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="slapolicy",
            name="deadline",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sla_policy",
                to="core.deadlinepolicy",
                verbose_name="deadline",
            ),
        ),
        migrations.RunPython(move_deadlines, migrations.RunPython.noop),
        migrations.RemoveField(model_name="slapolicy", name="deadline_minutes"),
        migrations.RemoveField(model_name="slapolicy", name="time_basis"),
        migrations.AlterField(
            model_name="slapolicy",
            name="deadline",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sla_policy",
                to="core.deadlinepolicy",
                verbose_name="deadline",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
