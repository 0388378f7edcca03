"""The index the call reviews report reads, owned here.

The indexes in the models' Meta are the same on both databases: each is dropped (if a database already has it,
from the reports' earlier migrations) and created again by the same name, so every database ends with the
Meta definition. On SQLite the trailing id only repeats the rowid every index entry carries anyway.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('quality', '0003_observation_checklists'),
    ]

    operations = [
        migrations.RunSQL("DROP INDEX IF EXISTS report_callreview_period", reverse_sql=migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='callreview',
            index=models.Index(fields=['reviewed_at', 'agent', 'id'], name='report_callreview_period'),
        ),
    ]
