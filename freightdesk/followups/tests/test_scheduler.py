"""The follow-up scheduler (SPEC §7, §8, §10): a follow-up runs once when it falls due, through what its kind's owner
registered; a kind nobody registered goes on the board."""

from datetime import datetime

import pytest

from freightdesk.core.errors import DomainError
from freightdesk.core.worktime import TZ
from freightdesk.followups import registry
from freightdesk.followups import services as scheduler
from freightdesk.followups.models import FollowUp, FollowUpKind, FollowUpState

pytestmark = pytest.mark.django_db
NINE = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
TEN = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


@pytest.fixture
def found_done(monkeypatch):
    """The ticket callback's owner registered, for this test, a handler that finds the work done."""
    calls = []
    monkeypatch.setitem(registry._ON_DUE, FollowUpKind.TICKET_CALLBACK, lambda f, now: calls.append(f.pk) or True)
    return calls


def test_a_follow_up_whose_handler_finds_the_work_done_closes_itself_once(found_done):
    followup = scheduler.schedule(kind=FollowUpKind.TICKET_CALLBACK, due_at=TEN, now=NINE)
    assert scheduler.sweep(now=NINE) == 0  # not due yet
    assert scheduler.sweep(now=TEN) == 1
    assert scheduler.sweep(now=TEN) == 0 and scheduler.run(followup_id=followup.pk, now=TEN) is None
    followup.refresh_from_db()
    assert (followup.state, followup.outcome, followup.closed_at, found_done) == (
        "done",
        "found_done",
        TEN,
        [followup.pk],
    )


def test_a_kind_without_a_handler_goes_on_the_board_when_due(monkeypatch):
    monkeypatch.delitem(registry._ON_DUE, FollowUpKind.TICKET_CALLBACK, raising=False)
    followup = scheduler.schedule(kind=FollowUpKind.TICKET_CALLBACK, due_at=TEN, now=NINE)
    scheduler.sweep(now=TEN)
    followup.refresh_from_db()
    assert (followup.state, followup.checked_at, followup.closed_at) == (FollowUpState.RAISED, TEN, None)


def test_a_follow_up_handled_already_cannot_be_claimed_again(django_user_model):
    someone = django_user_model.objects.create(username="someone")
    followup = scheduler.schedule(kind=FollowUpKind.CALLBACK, due_at=TEN, now=NINE)
    scheduler.claim(followup=followup, by=someone, outcome="callback", now=TEN)
    with pytest.raises(DomainError) as refused:
        scheduler.claim(followup=FollowUp.objects.get(pk=followup.pk), by=someone, outcome="callback", now=TEN)
    assert refused.value.code == "already_handled"
    assert FollowUp.objects.get(pk=followup.pk).closed_by == someone
