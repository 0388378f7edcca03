"""Hostile input on every API endpoint (API.md: "Never a 500 for bad input"), on SQLite and PostgreSQL: NUL and
other control characters, a lone surrogate, zero-width-only text, a 1 MB text, times without offset, bare
dates, year 9999, a Unix number for a date-time, phone numbers with letters or emoji, in every string of every
body, query and path. No answer is a 5xx; a refused one writes nothing; an accepted one stores no NUL."""

import json
from urllib.parse import quote

import pytest
from django.test import override_settings

from .conftest import TICKET, example_order, writes
from .hostile import TEXTS, hostile, leaves, replaced


def _hostile(path) -> list:
    return hostile(str(path[-1]) if path else "")


def _bodies(world) -> list[tuple[str, dict]]:
    now = "2026-12-07T10:00:00+08:00"
    cti = {"event": "ringing", "call_id": "h1", "from": "13800138000", "to": "4008001234", "agent": "8011"}
    cti |= {"queue": "orders", "at": now}
    return [
        ("/orders", {**example_order(), "delivery_deadline": "2030-11-23T15:00:00+08:00"}),
        (f"/orders/{world['confirmed']}/review", {"outcome": "problem", "note": "缺电话", "callback_at": now}),
        (f"/orders/{world['dispatched']}/events", {"type": "exception", "note": "车坏了", "at": now}),
        ("/tickets", {**TICKET, "order": world["confirmed"]}),
        (f"/tickets/{world['ticket']}/transition", {"to": "validated", "note": "属实", "reply": "马上处理"}),
        ("/cti/events", cti),
        ("/cti/events/batch", {"events": [cti, {**cti, "call_id": "h2"}]}),
    ]


def _check(response, before):
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert writes() == before, response.content[:300]
    else:
        assert b"\\u0000" not in response.content and b"\x00" not in response.content


@pytest.mark.django_db
def test_no_hostile_value_in_any_body_field_is_a_500_and_a_refused_one_writes_nothing(client, everything):
    sent = 0
    for path, body in _bodies(everything):
        for leaf in leaves(body):
            for value in _hostile(leaf):
                before = writes()
                raw = json.dumps(replaced(body, leaf, value), ensure_ascii=True)
                response = client.post(f"/api/v1{path}", raw, content_type="application/json", **everything["headers"])
                _check(response, before)
                sent += 1
    assert sent > 300


@pytest.mark.django_db
def test_no_hostile_value_in_a_query_or_path_is_a_500(client, everything):
    serial, number = everything["dispatched"], everything["ticket"]
    gets = [
        ("/orders", ["status", "from", "to", "phone", "cursor", "limit"]),
        ("/messages", ["order"]),
        (f"/track/{serial}", ["phone_last4"]),
        ("/reports/pickup-on-time", ["from", "to", "group_by", "region"]),
        ("/reports/complaints", ["from", "to", "group_by"]),
        ("/reports/origins", ["from", "to"]),
        ("/reports/calls", ["from", "to", "group_by"]),
    ]
    values = [v for v in TEXTS[:-1] if v != "\ud800"] + ["2026-12-02T10:00", "9999-12-31", "", "0"]
    for path, params in gets:
        for param in params:
            for value in values:
                response = client.get(f"/api/v1{path}", {param: value}, **everything["headers"])
                assert response.status_code < 500, (path, param, value, response.content[:200])
    for template in ("/orders/{}", "/orders/{}/timeline", "/tickets/{}", "/track/{}?phone_last4=8000"):
        for value in ["\x00", "%00", "\u200b", "\x1b", serial + "\x00", number + "\x7f", "9" * 5000]:
            response = client.get("/api/v1" + template.format(quote(value, safe="")), **everything["headers"])
            assert response.status_code in (404, 422, 429), (template, value, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_a_body_over_the_limit_is_a_json_413_in_both_debug_modes(client, everything, debug, settings):
    body = json.dumps({**example_order(), "note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    before = writes()
    with override_settings(DEBUG=debug):
        response = client.post("/api/v1/orders", body, content_type="application/json", **everything["headers"])
    assert response.status_code == 413 and response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "body_too_large" and "KB" in response.json()["detail"]
    assert writes() == before


@pytest.mark.django_db
def test_every_operation_that_takes_a_body_documents_the_413_it_answers(client, everything, settings):
    from freightdesk.api.router import api

    values = {"serial": everything["dispatched"], "number": everything["ticket"], "pk": "1"}
    body = json.dumps({"note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    checked = 0
    for path, operations in api.get_openapi_schema()["paths"].items():
        for method, operation in operations.items():
            if "requestBody" not in operation:
                continue
            assert 413 in operation["responses"] or "413" in operation["responses"], (method, path)
            url = path.format(**values)
            response = getattr(client, method)(url, body, content_type="application/json", **everything["headers"])
            assert response.status_code == 413 and response.json()["code"] == "body_too_large", (method, path)
            checked += 1
    assert checked >= 10


@pytest.mark.django_db
def test_a_lone_surrogate_in_an_order_with_an_idempotency_key_is_422(client, everything):
    body = json.dumps(example_order(note="\ud800"), ensure_ascii=True)
    before = writes()
    response = client.post(
        "/api/v1/orders", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1", **everything["headers"]
    )
    assert response.status_code == 422 and list(response.json()["errors"]) == ["note"]
    assert writes() == before
