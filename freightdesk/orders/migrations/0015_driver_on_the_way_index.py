from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0014_pickup_waiting_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='order',
            index=models.Index(condition=models.Q(('status__in', ['dispatched', 'picked_up', 'in_transit'])), fields=['driver', 'status'], name='order_driver_on_the_way'),
        ),
    ]
