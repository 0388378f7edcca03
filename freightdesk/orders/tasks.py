"""Background work for orders: each task loads by id and calls a service; safe to run twice."""

from django_tasks import task


@task()
def record_enquiry(**fields) -> None:
    """Keep a refused enquiry's origin for the shipping-origin analysis (SPEC §12)."""
    from .intake import save_enquiry

    save_enquiry(**fields)
