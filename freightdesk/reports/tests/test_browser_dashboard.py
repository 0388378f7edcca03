"""End to end in a real browser: the manager opens the dashboard, sees the charts, downloads an XLSX."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_sees_charts_and_downloads_the_pickup_xlsx(pickup_fixture, login, live_server):
    page = login("manager")
    page.goto(f"{live_server.url}/reports/?from=2025-09-29&to=2025-10-10&pickup_by=region")
    chart = page.locator("#pickup-on-time svg.chart")
    assert chart.is_visible()
    assert "北区" in page.inner_text("#pickup-on-time table")
    with page.expect_download() as info:
        page.click("#pickup-on-time .downloads a:text('XLSX')")
    assert info.value.suggested_filename == "pickup-on-time-20250929-20251010.xlsx"
    ws = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    assert ws["A1"].value == "分组" and ws["A2"].value == "北区" and ws["B2"].value == 3
