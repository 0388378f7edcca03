"""Idempotency-Key: the same key and body within 24 h returns the first result and creates nothing;
the same key with another body -> 409; two concurrent requests with one key make one order."""

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from freightdesk.api import orders as orders_api
from freightdesk.core.api import idempotency
from freightdesk.core.models import IdempotencyRecord
from freightdesk.core.tests.concurrency import at_once
from freightdesk.orders import intake
from freightdesk.orders.models import Order

from .conftest import ApiClient, example_order, make_user, token_for

KEY = {"Idempotency-Key": "7f1c-order-1"}


def test_retry_with_same_key_and_body_returns_the_first_result(api):
    first = api.post("/orders", example_order(), headers=KEY)
    again = api.post("/orders", example_order(), headers=KEY)

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_same_key_with_another_body_is_409_and_creates_nothing(api):
    api.post("/orders", example_order(), headers=KEY)

    response = api.as_(lang="en").post("/orders", example_order(goods__quantity=16), headers=KEY)

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_conflict_wins_over_validation_of_the_second_body(api):
    api.post("/orders", example_order(), headers=KEY)

    assert api.post("/orders", example_order(goods__quantity=0), headers=KEY).status_code == 409


def test_without_a_key_each_post_creates_an_order(api):
    api.post("/orders", example_order())
    api.post("/orders", example_order())

    assert Order.objects.count() == 2


def test_keys_belong_to_their_user(api):
    other = ApiClient(api.client, token_for(make_user("li8012", "agent")))

    first = api.post("/orders", example_order(), headers=KEY)
    second = other.post("/orders", example_order(), headers=KEY)

    assert first.json()["serial"] != second.json()["serial"]
    assert Order.objects.count() == 2


def test_a_refused_request_is_not_remembered(api):
    assert api.post("/orders", example_order(goods__quantity=0), headers=KEY).status_code == 422

    assert api.post("/orders", example_order(), headers=KEY).status_code == 201
    assert IdempotencyRecord.objects.count() == 1


def test_key_expires_after_the_ttl(api, settings):
    with time_machine.travel("2026-11-23T09:00:00+08:00", tick=False):
        first = api.post("/orders", example_order(), headers=KEY).json()
    with time_machine.travel("2026-11-24T08:59:00+08:00", tick=False):
        replay = api.post("/orders", example_order(), headers=KEY).json()
    with time_machine.travel("2026-11-24T09:01:00+08:00", tick=False):
        fresh = api.post("/orders", example_order(), headers=KEY).json()

    assert settings.FREIGHTDESK["IDEMPOTENCY_TTL_HOURS"] == 24
    assert replay == first
    assert fresh["serial"] != first["serial"]
    assert Order.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 1


def test_over_long_key_is_422(api):
    response = api.post("/orders", example_order(), headers={"Idempotency-Key": "k" * 256})

    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]


def test_second_request_that_missed_the_first_look_replays_via_the_unique_constraint(api, monkeypatch):
    """Both requests passed the look-up before either committed: the record insert decides, and the loser's
    order is rolled back with it."""
    first = api.post("/orders", example_order(), headers=KEY)
    real = idempotency.claim_key
    looks = []

    def blind_look(**kwargs):
        looks.append(kwargs)
        claim = real(**{**kwargs, "key": "a key nobody used"})
        return idempotency.KeyClaim(**{**claim.__dict__, "key": kwargs["key"]})

    monkeypatch.setattr(orders_api, "claim_key", blind_look)

    second = api.post("/orders", example_order(), headers=KEY)

    assert len(looks) == 1
    assert second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert second.json() == first.json()
    assert Order.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_an_order_that_fails_after_its_writes_leaves_no_record(api, monkeypatch):
    """The key is recorded in the order's own transaction: a failure there rolls back both."""

    def boom(**kwargs):
        raise RuntimeError("gateway table gone")

    monkeypatch.setattr(intake, "notify_customer", boom)
    with pytest.raises(RuntimeError):
        api.post("/orders", example_order(), headers=KEY)
    monkeypatch.undo()

    assert Order.objects.count() == 0
    assert IdempotencyRecord.objects.count() == 0
    assert api.post("/orders", example_order(), headers=KEY).status_code == 201


def _statements(api, headers) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert api.post("/orders", example_order(), headers=headers).status_code == 201
    return [q["sql"] for q in queries]


def _first_write(statements: list[str]) -> int:
    writes = ("INSERT", "UPDATE", "DELETE", "BEGIN", "SAVEPOINT")
    return next(i for i, sql in enumerate(statements) if sql.lstrip().upper().startswith(writes))


def test_a_key_costs_one_read_before_the_write_lock_and_one_insert_inside(api):
    _statements(api, {})  # the caches (rate card, catalogue) loaded
    without = _statements(api, {})
    with_key = _statements(api, KEY)

    looks = [i for i, sql in enumerate(with_key) if sql.startswith("SELECT") and "api_idempotencyrecord" in sql]
    records = [sql for sql in with_key if "api_idempotencyrecord" in sql and not sql.startswith("SELECT")]
    assert len(with_key) == len(without) + 2
    assert len(looks) == 1 and looks[0] < _first_write(with_key)
    assert len(records) == 1 and records[0].startswith("INSERT")
    assert _first_write(with_key) == _first_write(without) + 1  # the same reads before the lock, and the look-up


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_make_one_order(regions, agent_token):
    def post():
        response = ApiClient(Client(), agent_token).post("/orders", example_order(), headers=KEY)
        return response.status_code, response.json()

    results = at_once(post, times=2)

    assert [status for status, _body in results] == [201, 201]
    assert results[0][1] == results[1][1]
    assert Order.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
