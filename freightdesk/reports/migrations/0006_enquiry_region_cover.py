"""Once the origins-by-region index on orders_enquiry; that index now belongs to the orders app
(orders/migrations/0004_report_indexes.py), so this migration does nothing."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0005_pickup_deadline_cover"),
    ]

    operations = []
