import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0002_outbound_rule_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='Contact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=40, verbose_name='name')),
                ('last_used_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='last used at')),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='customers.customer')),
            ],
            options={
                'verbose_name': 'contact person',
                'verbose_name_plural': 'contact persons',
                'ordering': ['-last_used_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('customer', 'name'), name='uniq_customer_contact')],
            },
        ),
    ]
