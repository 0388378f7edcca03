"""The index the satisfaction report reads, owned here (the reports' earlier migrations created it on databases
that already have it: dropped and created again by the same name)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0003_one_survey_per_order'),
    ]

    operations = [
        migrations.RunSQL("DROP INDEX IF EXISTS report_survey_answered", reverse_sql=migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='survey',
            index=models.Index(condition=models.Q(('answered_at__isnull', False)), fields=['answered_at'], name='report_survey_answered'),
        ),
    ]
