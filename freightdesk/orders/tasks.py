"""Background work for orders: each task loads by id and calls a service; safe to run twice."""

from django_tasks import task


@task()
def record_enquiry(order_id: int | None = None, **fields) -> None:
    """Keep the order's (or refused enquiry's) origin for the shipping-origin analysis (SPEC §12)."""
    from .services import save_enquiry

    save_enquiry(order_id=order_id, **fields)
