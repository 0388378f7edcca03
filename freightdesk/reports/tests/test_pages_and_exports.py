"""Dashboard and downloads: who may see what, SVG charts with tables, XLSX checked cell by cell, CSV."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from freightdesk.reports.models import FileState, ReportFile

from .conftest import at

PERIOD = {"from": "2025-09-29", "to": "2025-10-10", "group_by": "region"}


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(at("2025-10-10 09:10"), tick=False)


@pytest.fixture
def as_role(client, user_for):
    def login(role):
        client.force_login(user_for(role))
        return client

    return login


def test_manager_dashboard_has_a_chart_and_a_table_per_report(pickup_fixture, as_role, frozen):
    response = as_role("manager").get(reverse("reports:dashboard"), {**PERIOD, "pickup_by": "region"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') >= 2
    assert '<table class="data">' in html and "66.7%" in html  # north: 2 of 3 on time
    assert "cdn" not in html.lower()


def test_agent_dashboard_shows_own_figures_only(pickup_fixture, as_role, frozen):
    response = as_role("agent").get(reverse("reports:dashboard"), {**PERIOD, "pickup_by": "region"})
    assert response.status_code == 200
    section = response.context["sections"][0]
    assert [(r["key"], r["orders"]) for r in section["rows"]] == [("north", 2)]


@pytest.mark.parametrize("role", ["driver", "customer", "fleet_manager"])
def test_other_roles_get_403(demo, as_role, role):
    assert as_role(role).get(reverse("reports:dashboard")).status_code == 403


def test_reversed_period_is_a_clear_message_not_a_500(demo, as_role):
    response = as_role("manager").get(reverse("reports:dashboard"), {"from": "2025-10-10", "to": "2025-10-01"})
    assert response.status_code == 400
    assert "errors" in response.context and "to" in response.context["errors"]


def test_xlsx_export_checked_cell_by_cell(pickup_fixture, as_role, frozen):
    response = as_role("manager").get(reverse("reports:download", args=["pickup-on-time", "xlsx"]), PERIOD)
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.title == "及时提货率"
    assert [c.value for c in ws[1]] == [
        "分组",
        "订单数",
        "及时提货",
        "超时提货",
        "待提货(未到时效)",
        "提货时间未记录",
        "及时提货率",
    ]
    assert all(c.font.bold for c in ws[1])
    assert [c.value for c in ws[2]] == ["北区", 3, 2, 1, 0, 0, 0.6667]
    assert [c.value for c in ws[3]] == ["南区", 3, 0, 1, 1, 1, 0.0]
    assert [c.value for c in ws[4]] == ["合计", 6, 2, 2, 1, 1, 0.5]
    assert all(c.font.bold for c in ws[4])
    assert ws["G2"].number_format == "0.0%"
    assert ws.column_dimensions["A"].width >= 20 and ws.column_dimensions["E"].width >= 16


def test_csv_export_streams_with_chinese_headers_and_totals(pickup_fixture, as_role, frozen):
    response = as_role("supervisor").get(reverse("reports:download", args=["pickup-on-time", "csv"]), PERIOD)
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["分组", "订单数", "及时提货"]
    assert rows[1] == ["北区", "3", "2", "1", "0", "0", "0.6667"]
    assert rows[-1] == ["合计", "6", "2", "2", "1", "1", "0.5"]


def test_small_detail_export_streams_one_row_per_order(pickup_fixture, as_role, frozen):
    response = as_role("manager").get(reverse("reports:detail"), {**PERIOD, "fmt": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["单号", "下单时间", "提货区域", "司机", "提货时限", "提货时间", "结果"]
    by_serial = {r[0]: r for r in rows[1:]}
    assert len(by_serial) == 7
    assert by_serial[pickup_fixture["A"].serial][4:] == ["2025-10-09 08:50", "2025-10-09 08:45", "及时"]
    assert by_serial[pickup_fixture["D"].serial][6] == "作废"
    assert by_serial[pickup_fixture["F"].serial][6] == "待提货"
    assert by_serial[pickup_fixture["G"].serial][6] == "未记录"


@pytest.mark.django_db(transaction=True)
def test_large_export_runs_in_the_background_with_progress_and_download(
    pickup_fixture, as_role, frozen, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    settings.REPORTS_EXPORT_TASK_ROWS = 3
    settings.MEDIA_ROOT = tmp_path
    client = as_role("manager")
    page = client.get(reverse("reports:detail"), {**PERIOD, "fmt": "xlsx"})
    assert page.context["background"] is True and page.context["count"] == 7
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:detail"), {**PERIOD, "fmt": "xlsx"})
    report_file = ReportFile.objects.get()
    assert response.url == reverse("reports:file", args=[report_file.pk])
    assert report_file.state == FileState.QUEUED
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="reports", verbosity=0)
    report_file.refresh_from_db()
    assert (report_file.state, report_file.rows_done, report_file.percent) == (FileState.DONE, 7, 100)
    status = client.get(reverse("reports:file", args=[report_file.pk]))
    assert reverse("reports:file_download", args=[report_file.pk]) in status.content.decode()
    download = client.get(reverse("reports:file_download", args=[report_file.pk]))
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert ws["A1"].value == "单号" and ws["A1"].font.bold
    assert ws.max_row == 9 and ws["A9"].value == "合计" and ws["B9"].value == 7


def test_another_agent_cannot_fetch_an_agents_export(pickup_fixture, user_for, client):
    report_file = ReportFile.objects.create(kind="export", report="pickup-detail", requested_by=user_for("agent"))
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.get(username="8012")
    client.force_login(other)
    assert client.get(reverse("reports:file", args=[report_file.pk])).status_code == 404
    client.force_login(user_for("manager"))
    assert client.get(reverse("reports:file", args=[report_file.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_monthly_driver_report_is_generated_once_with_both_sheets(
    pickup_fixture, settings, tmp_path, frozen, mailoutbox, user_for
):
    from datetime import date

    from django.core.management import call_command

    from freightdesk.reports.tasks import monthly_driver_report

    settings.MEDIA_ROOT = tmp_path
    manager = user_for("manager")
    manager.email = "boss@example.com"
    manager.save()
    monthly_driver_report.enqueue("2025-09-15")
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="reports", verbosity=0)
    report_file = ReportFile.objects.get(kind="monthly")
    assert report_file.period == date(2025, 9, 1)
    wb = load_workbook(report_file.file.path)
    assert wb.sheetnames == ["司机及时提货率", "司机投诉与建议"]
    pickup = wb["司机及时提货率"]
    # September: A, B, C (north, 刘师傅) and E, G (south; D void). F is in October.
    assert [c.value for c in pickup[2]][:4] == ["刘师傅", 3, 2, 1]
    assert [c.value for c in pickup[pickup.max_row]][:2] == ["合计", 5]
    assert len(mailoutbox) == 1 and "2025-09" in mailoutbox[0].subject
    monthly_driver_report.call("2025-09-30")
    assert ReportFile.objects.filter(kind="monthly").count() == 1 and len(mailoutbox) == 1
