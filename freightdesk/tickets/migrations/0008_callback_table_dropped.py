from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0006_follow_up_column"),
        ("tickets", "0007_callbacks_to_followups"),
    ]

    operations = [
        migrations.DeleteModel(name="Callback"),
    ]
