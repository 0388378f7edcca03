"""Urge and escalation texts that say only what is true (SPEC §7): a routine urge, an urge because the customer
called, a late-delivery escalation stating the real lateness, and the escalations of a pickup not made and of a
delivery not late yet. Rows an administrator edited are kept; register the new provider templates."""

from django.db import migrations

from freightdesk.messaging.seeds import seed_truthful_texts


def seed(apps, schema_editor):
    seed_truthful_texts(apps)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0005_ticket_sms_in_the_outbox")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
