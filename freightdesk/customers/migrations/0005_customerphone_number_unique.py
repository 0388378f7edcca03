from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0004_one_customer_per_number'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='customerphone',
            name='uniq_customer_phone',
        ),
        migrations.AlterField(
            model_name='customerphone',
            name='number',
            field=models.CharField(max_length=20, unique=True, verbose_name='number'),
        ),
    ]
