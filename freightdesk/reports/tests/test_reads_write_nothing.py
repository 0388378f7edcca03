"""Reading a report writes nothing (STYLE: state changes only on POST): the dashboard, every download, the
per-order detail and every report endpoint of the API, counted at the SQL they send."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from ninja.testing import TestClient

from freightdesk.accounts.models import ApiToken
from freightdesk.core.api.errors import FreightDeskAPI, install_error_handlers
from freightdesk.reports.api import router
from freightdesk.reports.catalog import REPORTS

from .conftest import at

PERIOD = {"from": "2025-09-29", "to": "2025-10-10"}
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")

_api = FreightDeskAPI(urls_namespace="reports-reads-test")
install_error_handlers(_api)
_api.add_router("", router)
api_client = TestClient(_api)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(at("2025-10-10 09:10"), tick=False)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def _pages():
    yield reverse("reports:dashboard"), PERIOD
    for slug, report in REPORTS.items():
        for fmt in ("xlsx", "csv"):
            for group_by in report.groups:
                yield reverse("reports:download", args=[slug, fmt]), {**PERIOD, "group_by": group_by}
    yield reverse("reports:detail"), {**PERIOD, "fmt": "csv"}


@pytest.mark.parametrize("role", ["manager", "agent"])
def test_report_pages_and_files_write_no_row(pickup_fixture, client, user_for, frozen, role):
    client.force_login(user_for(role))
    for path, params in _pages():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, params)
            b"".join(response) if response.streaming else response.content
        assert response.status_code == 200, (path, params)
        assert _writes(queries) == [], (path, params)


@pytest.mark.parametrize(
    "path, groups",
    [("/reports/pickup-on-time", ("driver", "region", "day")), ("/reports/complaints", ("driver", "type", "month"))]
    + [("/reports/origins", ("region", "day", "month"))],
)
def test_report_endpoints_write_no_row(pickup_fixture, user_for, frozen, path, groups):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user_for('manager'))[1]}"}
    for group_by in groups:
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(path, headers=headers, query_params={**PERIOD, "group_by": group_by})
        assert response.status_code == 200, response.content
        assert _writes(queries) == [], (path, group_by)
