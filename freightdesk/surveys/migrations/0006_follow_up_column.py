from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0005_follow_up_to_followups"),
    ]

    operations = [
        migrations.RemoveField(model_name="survey", name="follow_up"),
        migrations.RenameField(model_name="survey", old_name="follow_up_new", new_name="follow_up"),
    ]
