"""Indexes the on-time pickup report reads on its own table.

The report indexes on other apps' tables belong to those apps (their models' Meta and their
``report_indexes`` migrations); this migration no longer creates them.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0004_seed_prohibited_exceptions'),
        ('orders', '0003_customer_sms_templates'),
        ('reports', '0002_pickupdeadline_picked_up_at_pickupdeadline_status'),
        ('tickets', '0003_queue_due_at'),
        ('dispatch', '0001_initial'),
        ('surveys', '0002_initial'),
        ('quality', '0002_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='pickupdeadline',
            name='pickup_deadline_created',
        ),
        migrations.AddIndex(
            model_name='pickupdeadline',
            index=models.Index(fields=['created_at', 'status', 'region', 'driver', 'due_at', 'picked_up_at'], name='pickup_deadline_period'),
        ),
        migrations.AddIndex(
            model_name='pickupdeadline',
            index=models.Index(condition=models.Q(('picked_up_at__isnull', True)), fields=['created_at'], name='pickup_deadline_open'),
        ),
    ]
