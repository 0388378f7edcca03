"""Background sending on the "messages" queue; every task is safe to run twice (claims guard rows)."""

from django_tasks import task

QUEUE = "messages"


@task(queue_name=QUEUE)
def send_messages(message_ids: list[int]) -> dict:
    """Send these messages if they are still due (enqueued on commit of the dispatch)."""
    from .outbox import deliver

    report = deliver(ids=message_ids)
    return {"sent": len(report.sent), "retrying": len(report.retrying), "failed": len(report.failed)}


@task(queue_name=QUEUE)
def drain_outbox() -> dict:
    """The safety drain: send every due message, including ones whose task was lost."""
    from .outbox import deliver_all

    report = deliver_all()
    return {"sent": len(report.sent), "retrying": len(report.retrying), "failed": len(report.failed)}
