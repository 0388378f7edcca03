"""Background work for tickets: each task loads by id and calls a service; safe to run twice."""

from django_tasks import task


@task()
def survey_after_resolution(ticket_id: int) -> None:
    """Send the satisfaction survey SMS once a ticket is resolved (SPEC §10 table 3)."""
    from freightdesk.surveys.services import send_ticket_survey

    from .models import Ticket

    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is not None:
        send_ticket_survey(ticket=ticket)


@task()
def ticket_reminders() -> dict:
    """Reminders before deadlines, breaches, due callbacks (SPEC §10)."""
    from .followups import send_due_reminders

    return send_due_reminders()
