"""Once the PostgreSQL variants of the report indexes on other apps' tables; those indexes now belong to
the apps that own the tables (their ``report_indexes`` migrations, which create the variant of each
database), so this migration does nothing."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0007_grouped_covering_indexes"),
    ]

    operations = []
