"""The board's counts: a source with fewer rows than the board shows is counted by its rows (no statement); one that
fills the board is counted by its capped query, so the count still says how many more there are."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from freightdesk.desk import board
from freightdesk.desk.board import due_now
from freightdesk.followups import services as scheduler
from freightdesk.orders.models import Order

from .conftest import at

pytestmark = pytest.mark.django_db


def _overdue_dispatches(take, n: int) -> None:
    with time_machine.travel(at(24, 9, 0), tick=False):
        orders = [take(at(24, 9, 0)) for _ in range(n)]
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(dispatch_due_at=at(24, 9, 3))


def _counts_and_statements(**scope):
    with CaptureQueriesContext(connection) as statements:
        _items, counts = due_now(at(24, 10, 0), **scope)
    return counts, [s["sql"] for s in statements]


def test_a_source_under_the_limit_is_counted_by_its_rows_without_a_count_statement(take, monkeypatch):
    monkeypatch.setattr(board, "BOARD_LIMIT", 3)
    _overdue_dispatches(take, 2)
    counts, statements = _counts_and_statements()
    assert counts["dispatches"] == 2 and counts["reviews"] == 0
    assert not [s for s in statements if "COUNT(" in s and "dispatch_due_at" in s]


def test_a_source_that_fills_the_board_is_counted_past_the_rows_shown(take, monkeypatch):
    monkeypatch.setattr(board, "BOARD_LIMIT", 3)
    _overdue_dispatches(take, 5)
    counts, statements = _counts_and_statements()
    assert counts["dispatches"] == 5
    assert [s for s in statements if "COUNT(" in s and "dispatch_due_at" in s]


def test_one_kind_shown_still_counts_every_other_source(take, monkeypatch):
    monkeypatch.setattr(board, "BOARD_LIMIT", 3)
    _overdue_dispatches(take, 2)
    items, counts = due_now(at(24, 10, 0), kind="reviews")
    assert items == [] and counts["dispatches"] == 2


def test_the_counts_equal_the_capped_queries_for_every_source(take, dispatched):
    _overdue_dispatches(take, 2)
    with time_machine.travel(at(24, 9, 0), tick=False):
        dispatched(at(24, 9, 0))
    now = at(24, 10, 0)
    _items, counts = due_now(now)
    queried = {key: board._count(qs()) for key, (_rows, qs) in board._sources(now, board.EVERYONE).items()}
    assert counts == queried and counts["dispatches"] == 2


def test_an_agents_board_has_the_checks_of_his_orders_and_of_nobodys_not_another_agents(dispatched):
    with time_machine.travel(at(24, 9, 0), tick=False):
        mine, theirs, nobodys = (dispatched(at(24, 9, 0)) for _ in range(3))
    for order, agent_id in ((mine, "8011"), (theirs, "8012"), (nobodys, "")):
        Order.objects.filter(pk=order.pk).update(agent_id=agent_id)
    with time_machine.travel(at(24, 10, 0), tick=False):
        scheduler.sweep()

    def checks(**scope):
        items, counts = due_now(at(24, 10, 0), kind="checks", **scope)
        _none, counted = due_now(at(24, 10, 0), kind="reviews", **scope)  # the checks counted by their query
        assert counts["checks"] == counted["checks"] == len(items)
        return {item.serial for item in items}

    assert checks(agent="8011") == {mine.serial, nobodys.serial}
    assert checks(agent="8011", unowned=False) == {mine.serial}
    assert checks() == {mine.serial, theirs.serial, nobodys.serial}
