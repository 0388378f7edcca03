"""Background tasks written with the business rows that need them."""

from collections.abc import Callable

from django.conf import settings
from django.db import transaction

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def enqueue_with_transaction(enqueue: Callable[[], object]) -> None:
    """Enqueue a task so that it exists exactly when the caller's transaction commits.

    The database backend keeps its tasks as rows of this database: the row is written inside the transaction, so
    the task and what it works on commit (or roll back) together in one write transaction — on SQLite one hold of
    the write lock, not a second one after the commit — and a process that dies right after the commit cannot lose
    the task. A worker sees the row only once it is committed. Any other backend is called on commit."""
    if settings.TASKS["default"]["BACKEND"] == DATABASE_BACKEND:
        enqueue()
    else:
        transaction.on_commit(enqueue)
