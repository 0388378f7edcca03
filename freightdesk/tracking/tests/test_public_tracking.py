"""Self-service tracking (SPEC §2; API GET /track/{serial}?phone_last4=): only on a matching phone, an unknown
serial and a wrong phone look the same, rate-limited per client address, no names or numbers."""

import json
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from freightdesk.tracking import status
from freightdesk.tracking.models import Source
from freightdesk.tracking.ratelimit import TRACK_LIMIT
from freightdesk.tracking.selectors import public_tracking

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def order(dispatched):
    with time_machine.travel(at(24, 10, 0), tick=False):
        order = dispatched(at(24, 10, 0))
    with time_machine.travel(at(24, 10, 25), tick=False):
        status.report_event(order=order, type="picked_up", source=Source.API, note="王先生 13800138000 门卫代收")
    return order


def test_either_phone_s_last_four_digits_open_the_status_timeline_pickup_and_expected_delivery(order):
    for digits in ("8000", "9000"):  # shipper 13800138000, consignee 13900139000
        result = public_tracking(order.serial, digits)
        assert result["status"] == "picked_up"
        assert [e["event"] for e in result["timeline"]] == ["ordered", "dispatched", "picked_up"]
        assert result["picked_up_at"] == at(24, 10, 25)
        assert result["expected_delivery"] == at(25, 10, 25)  # route transit time 24 h from pickup


def test_an_unknown_serial_and_a_wrong_phone_look_the_same(order):
    assert public_tracking(order.serial, "1234") is None
    assert public_tracking("999999999", "8000") is None
    assert public_tracking(order.serial, "80001") is None
    assert public_tracking("", "") is None


def test_every_refused_look_up_is_logged_without_the_digits_tried(order, caplog):
    import logging

    with caplog.at_level(logging.INFO, logger="freightdesk.tracking.selectors"):
        public_tracking(order.serial, "1234")
        public_tracking("999999999", "8000")
        public_tracking("12ab", "8000")
    logged = [r.getMessage() for r in caplog.records if r.name == "freightdesk.tracking.selectors"]
    assert len(logged) == 3 and f"wrong phone digits for order {order.serial}" in logged[0]
    assert "no order 999999999" in logged[1] and "malformed" in logged[2]
    assert not any("1234" in line for line in logged)


def test_no_names_numbers_or_notes_are_shown(order):
    text = json.dumps(public_tracking(order.serial, "8000"), default=str, ensure_ascii=False)
    for secret in ("王", "马", "13800138000", "13900139000", "汽配城", "火车站", "门卫代收"):
        assert secret not in text


def test_the_page_answers_404_alike_and_limits_each_address(client, order):
    url = reverse("tracking:track")
    ok = client.get(url, {"serial": order.serial, "phone_last4": "8000"})
    assert ok.status_code == 200 and "王先生" not in ok.content.decode()
    wrong = client.get(url, {"serial": order.serial, "phone_last4": "0000"})
    unknown = client.get(url, {"serial": "999999999", "phone_last4": "0000"})
    assert wrong.status_code == unknown.status_code == 404

    def page(response):
        return re.sub(r"[A-Za-z0-9]{64}", "csrf", response.content.decode()).replace(order.serial, "999999999")

    assert page(wrong) == page(unknown) and 'id="not-found"' in page(wrong)
    for _ in range(TRACK_LIMIT):
        client.get(url, {"serial": "999999999", "phone_last4": "1111"})
    assert client.get(url, {"serial": order.serial, "phone_last4": "8000"}).status_code == 429
    other = client.get(url, {"serial": order.serial, "phone_last4": "8000"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_page_and_the_api_count_one_limit_per_client_in_the_shared_cache(client, order, monkeypatch):
    """Two web processes are two clients of the shared cache: look-ups through the page in one and through
    the API in the other add up to one count per client address."""
    from django.core.cache import caches

    from freightdesk.core import ratelimit

    page_process, api_process = caches.create_connection("default"), caches.create_connection("default")
    page, api = reverse("tracking:track"), f"/api/v1/track/{order.serial}"
    monkeypatch.setattr(ratelimit, "cache", page_process)
    for _ in range(TRACK_LIMIT // 2):
        assert client.get(page, {"serial": order.serial, "phone_last4": "0000"}).status_code == 404
    monkeypatch.setattr(ratelimit, "cache", api_process)
    for _ in range(TRACK_LIMIT - TRACK_LIMIT // 2):
        assert client.get(api, {"phone_last4": "0000"}).status_code == 404
    assert client.get(api, {"phone_last4": "8000"}).status_code == 429
    monkeypatch.setattr(ratelimit, "cache", page_process)
    assert client.get(page, {"serial": order.serial, "phone_last4": "8000"}).status_code == 429
