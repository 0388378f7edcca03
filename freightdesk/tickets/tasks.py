"""Background work for tickets: each task loads by id and calls a service; safe to run twice."""

from django_tasks import task


@task()
def ticket_reminders() -> dict:
    """Reminders before deadlines, breaches, due callbacks (SPEC §10)."""
    from .followups import send_due_reminders

    return send_due_reminders()
