"""A callback promised on a ticket becomes a follow-up (followups.FollowUp, kind ``ticket_callback``, about the ticket):
due for its reminder at the old ``remind_at``, its deadline the promised time; reminded ones are on the board (raised),
made ones closed."""

from django.db import migrations


def copy_callbacks(apps, schema_editor):
    Callback = apps.get_model("tickets", "Callback")
    FollowUp = apps.get_model("followups", "FollowUp")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not Callback.objects.exists():
        return
    ticket_type, _created = ContentType.objects.get_or_create(app_label="tickets", model="ticket")
    batch = []
    for cb in Callback.objects.select_related("ticket").order_by("pk").iterator(chunk_size=2000):
        state = "done" if cb.done_at else ("raised" if cb.reminded_at else "scheduled")
        batch.append(
            FollowUp(
                kind="ticket_callback",
                state=state,
                due_at=cb.remind_at,
                deadline=cb.due_at,
                order_id=cb.ticket.order_id,
                subject_type=ticket_type,
                subject_id=cb.ticket_id,
                owner=cb.owner_group,
                created_at=cb.created_at,
                created_by_id=cb.promised_by_id,
                checked_at=cb.reminded_at,
                closed_at=cb.done_at,
                outcome="called_back" if cb.done_at else "",
                note=cb.note,
            )
        )
        if len(batch) >= 2000:
            FollowUp.objects.bulk_create(batch)
            batch.clear()
    FollowUp.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("followups", "0001_initial"),
        ("tickets", "0006_report_indexes"),
    ]

    operations = [
        migrations.RunPython(copy_callbacks),  # one way: the old table is dropped by 0008
    ]
