"""A low score's follow-up call is a follow-up (followups.FollowUp): the survey points at the row its callback
became (tickets 0007); the old column goes in 0006."""

import django.db.models.deletion
from django.db import migrations, models


def point_at_followups(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    Callback = apps.get_model("tickets", "Callback")
    FollowUp = apps.get_model("followups", "FollowUp")
    for survey in Survey.objects.filter(follow_up__isnull=False).iterator():
        cb = Callback.objects.get(pk=survey.follow_up_id)
        followup = FollowUp.objects.filter(
            kind="ticket_callback", subject_id=cb.ticket_id, deadline=cb.due_at, created_at=cb.created_at
        ).first()
        Survey.objects.filter(pk=survey.pk).update(follow_up_new=followup)


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0001_initial"),
        ("surveys", "0004_report_indexes"),
        ("tickets", "0007_callbacks_to_followups"),
    ]

    operations = [
        migrations.AddField(
            model_name="survey",
            name="follow_up_new",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="followups.followup",
            ),
        ),
        migrations.RunPython(point_at_followups),
    ]
