"""Deferred follow-ups (SPEC §7, §8, §10): each task loads the follow-up by id and runs it; safe to run twice."""

from django_tasks import task


@task()
def run_followup(followup_id: int) -> bool:
    """Run the follow-up at its due time (enqueued with run_after); a no-op if already run, moved or closed."""
    from .services import run

    return run(followup_id=followup_id) is not None


@task()
def sweep_followups() -> int:
    """The safety sweep as a task (for a scheduler that enqueues it); ``manage.py run_sweeps`` loops it."""
    from .services import sweep

    return sweep()
