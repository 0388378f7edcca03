"""GET /api/v1/orders: a page of orders newest first, filtered by status, day and phone; 422 on bad filters."""

import pytest
import time_machine
from django.utils import translation

from .conftest import example_order


def _take(api, at: str, **changes) -> str:
    with time_machine.travel(at, tick=False):
        response = api.post("/orders", example_order(**changes))
    assert response.status_code == 201, response.content
    return response.json()["serial"]


@pytest.fixture
def three_days(api):
    return [
        _take(api, "2026-11-21T10:00:00+08:00"),
        _take(api, "2026-11-22T10:00:00+08:00", shipper={"name": "李小姐", "phone": "021-88887777"}),
        _take(api, "2026-11-23T10:00:00+08:00"),
    ]


def _serials(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["serial"] for item in response.json()["items"]]


def test_newest_first(api, three_days):
    assert _serials(api.get("/orders")) == list(reversed(three_days))


def test_days_are_inclusive_in_shanghai_time(api, three_days):
    assert _serials(api.get("/orders", {"from": "2026-11-22", "to": "2026-11-22"})) == [three_days[1]]
    assert _serials(api.get("/orders", {"from": "2026-11-22"})) == [three_days[2], three_days[1]]
    assert _serials(api.get("/orders", {"to": "2026-11-21"})) == [three_days[0]]


def test_phone_in_any_written_form(api, three_days):
    assert _serials(api.get("/orders", {"phone": "+86 21 8888 7777"})) == [three_days[1]]
    assert _serials(api.get("/orders", {"phone": "13900139000"})) == list(reversed(three_days))  # the consignee


def test_status_filter(api, three_days):
    assert len(_serials(api.get("/orders", {"status": "confirmed"}))) == 3
    assert _serials(api.get("/orders", {"status": "delivered"})) == []


def test_pages_follow_the_next_cursor_to_the_end(api, three_days):
    first = api.get("/orders", {"limit": 2}).json()
    second = api.get("/orders", {"limit": 2, "cursor": first["next"]}).json()

    assert [o["serial"] for o in first["items"]] == [three_days[2], three_days[1]]
    assert [o["serial"] for o in second["items"]] == [three_days[0]]
    assert second["next"] is None


@pytest.mark.parametrize(
    ("params", "path"),
    [
        ({"status": "lost"}, "status"),
        ({"from": "2026-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"to": "0"}, "to"),
        ({"from": "1795000000"}, "from"),
        ({"from": "2026-11-23", "to": "2026-11-01"}, "to"),
        ({"phone": "12"}, "phone"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1000"}, "limit"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_bad_filters_are_422_on_the_parameter(api, params, path):
    response = api.get("/orders", params)

    assert response.status_code == 422, response.content
    assert path in response.json()["errors"]


@pytest.mark.parametrize(
    "params", [{"from": "0001-01-01"}, {"to": "9999-12-31"}, {"from": "0001-01-01", "to": "9999-12-31"}]
)
def test_the_ends_of_the_calendar_are_no_bound_at_all(api, three_days, params):
    assert _serials(api.get("/orders", params)) == list(reversed(three_days))


def test_crafted_cursor_at_the_start_of_time_is_422_not_500(api):
    import base64

    cursor = base64.urlsafe_b64encode(b"0001-01-01T00:00:00+08:00|1").decode()

    assert api.get("/orders", {"cursor": cursor}).status_code == 422


def test_bad_date_message_in_both_languages(api):
    zh = api.get("/orders", {"from": "2026-13-01"}).json()["errors"]["from"]
    en = api.as_(lang="en").get("/orders", {"from": "2026-13-01"}).json()["errors"]["from"]

    with translation.override("zh-hans"):
        expected_zh = translation.gettext("Enter a valid date.")
    assert zh == [expected_zh] and zh != en
    assert en == ["Enter a valid date."]
