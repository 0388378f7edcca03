"""The SLA table is seeded once its deadlines live in the deadline-policy table (0011_sla_deadline_policies)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = []
