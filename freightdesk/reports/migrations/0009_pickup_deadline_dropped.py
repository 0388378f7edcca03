"""The stored pickup deadlines go: the pickup clock is stored on the order when it is confirmed
(``Order.pickup_due_at``, backfilled by orders' migration 0007) and the reports read it there."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0008_postgres_period_indexes'),
    ]

    operations = [
        migrations.DeleteModel(
            name='PickupDeadline',
        ),
    ]
