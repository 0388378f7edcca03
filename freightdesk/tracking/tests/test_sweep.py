"""The safety sweep (SPEC §7): a check whose deferred task was lost is still run, exactly once."""

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from freightdesk.followups import services as scheduler
from freightdesk.followups.models import FollowUp, FollowUpState
from freightdesk.orders.models import OrderEvent

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_sweep_runs_a_check_whose_task_was_lost(dispatched, django_capture_on_commit_callbacks):
    with time_machine.travel(at(24, 16, 50), tick=False), django_capture_on_commit_callbacks(execute=True):
        order = dispatched(at(24, 16, 50))
    assert DBTaskResult.objects.filter(task_path__endswith="run_followup").count() == 2
    DBTaskResult.objects.all().delete()  # the queue was wiped: the tasks are lost
    check = FollowUp.objects.get(order=order, kind="pickup_check")
    with time_machine.travel(at(24, 17, 19), tick=False):
        assert scheduler.sweep() == 0  # nothing due yet
    with time_machine.travel(at(24, 17, 21), tick=False):
        call_command("run_sweeps", verbosity=0)
        check.refresh_from_db()
        assert check.state == FollowUpState.RAISED and check.checked_at == at(24, 17, 21)
        assert scheduler.sweep() == 0  # claimed once: a second sweep (or the late task) does nothing
        assert scheduler.run(followup_id=check.pk) is None
    assert OrderEvent.objects.filter(order=order, kind="check").count() == 1


def test_a_check_that_finds_the_work_done_closes_itself(dispatched):
    with time_machine.travel(at(24, 10, 0), tick=False):
        order = dispatched(at(24, 10, 0))
    # picked up without anyone telling tracking's follow-up (e.g. a status written before tracking existed)
    FollowUp.objects.filter(order=order).update(due_at=at(24, 10, 30))
    order.__class__.objects.filter(pk=order.pk).update(status="picked_up")
    with time_machine.travel(at(24, 10, 31), tick=False):
        assert scheduler.sweep() == 2
    assert set(FollowUp.objects.filter(order=order).values_list("kind", "state")) == {
        ("pickup_check", "done"),
        ("delivery_check", "raised"),
    }
    assert OrderEvent.objects.filter(order=order, kind="check", text__contains="已提货").exists()


def test_a_check_moved_later_is_not_run_by_its_old_task(dispatched):
    with time_machine.travel(at(24, 10, 0), tick=False):
        order = dispatched(at(24, 10, 0))
    check = FollowUp.objects.get(order=order, kind="pickup_check")
    FollowUp.objects.filter(pk=check.pk).update(due_at=at(24, 15, 0))
    with time_machine.travel(at(24, 10, 30), tick=False):
        assert scheduler.run(followup_id=check.pk) is None
    assert FollowUp.objects.get(pk=check.pk).state == FollowUpState.SCHEDULED
