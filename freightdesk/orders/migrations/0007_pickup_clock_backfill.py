"""The pickup clock of the orders confirmed before it was stored (``Order.pickup_due_at``), from their
confirmation: the rule intake and review apply from now on (``orders.pickup``)."""

from django.db import migrations

from freightdesk.orders.pickup import backfill_pickup_due


def backfill(apps, schema_editor):
    order_model = apps.get_model("orders", "Order")
    if order_model.objects.filter(pickup_due_at__isnull=True).exclude(status__in=("submitted", "problem")).exists():
        backfill_pickup_due(order_model)


class Migration(migrations.Migration):

    dependencies = [
        ("orders", "0006_who_picks_up"),
        ("core", "0003_seed_deadline_policies"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
