"""Bad input (issue 7): reversed, empty or over-3-year periods, an unknown grouping, an unknown region and a
region the user may not see get a clear message under the field, in the user's language, on the page
(400), on a download (400) and in the API (422) — never a 500."""

import pytest
from django.urls import reverse
from ninja.testing import TestClient

from freightdesk.accounts.models import ApiToken
from freightdesk.core.api.errors import FreightDeskAPI, install_error_handlers
from freightdesk.network.models import Region
from freightdesk.reports.api import router

_api = FreightDeskAPI(urls_namespace="reports-bad-input-test")
install_error_handlers(_api)
_api.add_router("", router)
api = TestClient(_api)

# (query, field, the zh-hans message shown)
CASES = {
    "reversed": ({"from": "2025-10-10", "to": "2025-10-01"}, "to", "结束日期早于开始日期。"),
    "empty start": ({"from": "", "to": "2025-10-01"}, "from", "请输入日期，例如 2026-11-01。"),
    "empty end": ({"from": "2025-10-01", "to": ""}, "to", "请输入日期，例如 2026-11-01。"),
    "not a date": ({"from": "last week"}, "from", "“last week”不是日期，请按 YYYY-MM-DD 格式填写。"),
    "over 3 years": ({"from": "2022-10-01", "to": "2025-10-01"}, "to", "报表最多覆盖3年，请缩短时间段。"),
    "unknown region": ({"region": "atlantis"}, "region", "没有区域“atlantis”。"),
}
GROUPINGS = [("pickup-on-time", "pickup_by"), ("complaints", "complaints_by"), ("origins", "origins_by")]


@pytest.fixture
def retired(demo):
    """A region closed down: its history is for management; agents are offered only active regions."""
    return Region.objects.create(code="old_east", name="老东区", active=False)


def _api_get(user, path, params):
    token = ApiToken.issue(user)[1]
    return api.get(path, headers={"Authorization": f"Bearer {token}"}, query_params=params)


@pytest.mark.parametrize("case", CASES)
def test_dashboard_shows_the_message_under_its_field(demo, client, user_for, case):
    params, field, message = CASES[case]
    client.force_login(user_for("manager"))
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 400
    assert list(response.context["errors"]) == [field]
    assert message in response.content.decode()


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("slug", ["pickup-on-time", "complaints", "origins"])
def test_api_answers_422_with_the_field(demo, user_for, case, slug):
    params, field, _message = CASES[case]
    response = _api_get(user_for("supervisor"), f"/reports/{slug}", params)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize("case", CASES)
def test_download_answers_400_with_the_message(demo, client, user_for, case):
    params, _field, message = CASES[case]
    client.force_login(user_for("manager"))
    response = client.get(reverse("reports:download", args=["complaints", "xlsx"]), params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(("slug", "page_key"), GROUPINGS)
def test_unknown_grouping_is_named_on_the_page_and_in_the_api(demo, client, user_for, slug, page_key):
    client.force_login(user_for("manager"))
    page = client.get(reverse("reports:dashboard"), {page_key: "colour"})
    assert page.status_code == 400 and list(page.context["errors"]) == ["group_by"]
    assert "请按以下方式之一分组" in page.content.decode()
    response = _api_get(user_for("manager"), f"/reports/{slug}", {"group_by": "colour"})
    assert response.status_code == 422 and "group_by" in response.json()["errors"]
    download = client.get(reverse("reports:download", args=[slug, "csv"]), {"group_by": "colour"})
    assert download.status_code == 200  # a grouping the report does not have falls back to its default


def test_an_agent_may_not_ask_for_a_region_not_offered_to_them(retired, client, user_for):
    agent = user_for("agent")
    client.force_login(agent)
    page = client.get(reverse("reports:dashboard"), {"region": "old_east"})
    assert page.status_code == 400 and list(page.context["errors"]) == ["region"]
    assert "您无权查看区域“old_east”的数据。" in page.content.decode()
    assert "old_east" not in [r["code"] for r in page.context["regions"]]
    response = _api_get(agent, "/reports/pickup-on-time", {"region": "old_east"})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["region"]
    assert client.get(reverse("reports:detail"), {"region": "old_east", "fmt": "csv"}).status_code == 400


def test_management_may_read_a_retired_regions_history(retired, client, user_for):
    manager = user_for("manager")
    client.force_login(manager)
    page = client.get(reverse("reports:dashboard"), {"region": "old_east"})
    assert page.status_code == 200
    assert "old_east" in [r["code"] for r in page.context["regions"]]
    assert _api_get(manager, "/reports/origins", {"region": "old_east"}).status_code == 200


def test_several_problems_are_reported_together(demo, client, user_for):
    client.force_login(user_for("manager"))
    response = client.get(reverse("reports:dashboard"), {"from": "x", "to": "", "region": "atlantis"})
    assert response.status_code == 400 and sorted(response.context["errors"]) == ["from", "region", "to"]


@pytest.mark.parametrize(
    ("first", "last", "status"),
    [
        ("2022-10-02", "2025-10-01", 200),  # exactly three years
        ("2022-10-01", "2025-10-01", 422),  # three years and a day
        ("2024-02-29", "2027-02-28", 200),  # from a leap day: three years end on 28 February
        ("2024-02-29", "2027-03-01", 422),
    ],
)
def test_three_years_is_counted_in_calendar_years(demo, user_for, first, last, status):
    assert _api_get(user_for("manager"), "/reports/origins", {"from": first, "to": last}).status_code == status
