"""Background sending; every task is safe to run twice (claims guard rows).

Dispatch SMS (派单, the driver's link) go on their own queue, ``URGENT_QUEUE``, at the highest
priority, so a backlog of survey, reminder and report SMS on ``QUEUE`` never delays them: run a
worker for ``URGENT_QUEUE`` alone (Procfile.dev's ``sms`` process) besides the general one.
"""

from django_tasks import task

QUEUE = "messages"
URGENT_QUEUE = "dispatch_sms"
URGENT_PRIORITY = 100  # django-tasks' highest: a worker on every queue also takes these first


@task(queue_name=QUEUE)
def send_messages(message_ids: list[int]) -> dict:
    """Send these messages if they are still due (written with them, in their transaction)."""
    from .outbox import deliver

    report = deliver(ids=message_ids)
    return {"sent": len(report.sent), "retrying": len(report.retrying), "failed": len(report.failed)}


@task(queue_name=QUEUE)
def drain_outbox() -> dict:
    """The safety drain: send every due message, including ones whose task was lost."""
    from .outbox import deliver_all

    report = deliver_all()
    return {"sent": len(report.sent), "retrying": len(report.retrying), "failed": len(report.failed)}


def enqueue_send(message_ids: list[int], *, urgent: bool, run_after=None) -> None:
    """Enqueue the send task of these messages on the urgent or the general queue."""
    options = {"queue_name": URGENT_QUEUE, "priority": URGENT_PRIORITY} if urgent else {}
    if run_after is not None:
        options["run_after"] = run_after
    send_messages.using(**options).enqueue(message_ids=message_ids)
