"""Every count on the due-now board walks an index, whatever the mix of data: SQLite's plan for each capped count
is a search of a partial index of the pending rows (or a scan of one), never a scan of a table or of an index of
every row — a healthy desk with few overdue reviews must not read the whole order table to count them."""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from freightdesk.desk import board

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")

SCOPES = [board.Scope(), board.Scope("8011", unowned=True), board.Scope("8011", unowned=False)]
# The count -> the partial index its plan must search.
EXPECTED_INDEX = {
    "reviews": "order_review_pending",
    "dispatches": "order_dispatch_pending",
    "checks": "followups_open_kind_due",
    "callbacks": "followups_open_kind_due",
    "missed_calls": "followups_open_kind_due",
    "web_messages": "followups_open_kind_due",
    "ticket_callbacks": "followups_open_kind_due",
    "tickets": "ticket_due_board",
    "emergencies": "ticket_due_board",
    "sms_to_phone": "message_dispatch_unsent",
}


def _partial_indexes() -> set[str]:
    return {
        index.name
        for model in apps.get_models()
        for index in model._meta.indexes
        if index.condition is not None and index.name
    }


def _count_plans(key: str, scope: board.Scope) -> list[str]:
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    _rows, count = board._sources(timezone.now(), scope)[key]
    with connection.execute_wrapper(capture):
        board._count(count())
    plans = []
    for sql, params in statements:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plans += [row[3] for row in cursor.fetchall()]
    return plans


@pytest.mark.django_db
@pytest.mark.parametrize("scope", SCOPES, ids=["everyone", "agent-and-unowned", "agent-alone"])
def test_every_board_count_searches_a_partial_index_of_pending_rows(scope):
    partial = _partial_indexes()
    for key in board.COUNT_KINDS:
        plans = _count_plans(key, scope)
        if not plans:  # nothing to count in this scope (a review or an emergency is nobody's)
            assert not scope.sees_unowned, key
            continue
        if scope.sees_unowned:  # one agent's rows alone may be found from his own (an index by agent)
            assert any(EXPECTED_INDEX[key] in line for line in plans), (key, plans)
        for line in plans:
            scanned = re.match(r"SCAN (\S+)(?: USING (?:COVERING )?INDEX (\S+))?", line)
            if scanned and "subquery" not in scanned[1]:
                assert scanned[2] in partial, (key, line)  # a whole table, or an index of every row


@pytest.mark.django_db
def test_overdue_reviews_are_counted_up_to_the_cap_from_their_index(monkeypatch):
    monkeypatch.setattr(board, "COUNT_CAP", 2)
    plans = _count_plans("reviews", board.Scope())

    assert plans and all("orders_order" not in line or "order_review_pending" in line for line in plans), plans
