"""The monthly driver report (issue 7): made by the periodic runner once the month is over, once per month
whatever the number of runners or restarts, and the managers notified (dashboard notice, SMS, e-mail)."""

import threading
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from freightdesk.messaging.models import Message
from freightdesk.reports.models import FileState, ReportFile, ReportNotice
from freightdesk.reports.services import generate_monthly_report, monthly_report_due

from .conftest import at

SEPTEMBER = date(2025, 9, 1)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def manager(user_for):
    user = user_for("manager")  # the demo manager has a mobile number (+8613700009001)
    user.email = "boss@example.com"
    user.save()
    return user


@pytest.mark.django_db(transaction=True)  # run_periodic commits and closes connections like the real runner
def test_the_periodic_runner_makes_last_months_report_once_the_month_is_over(
    pickup_fixture, manager, media, time_machine, mailoutbox
):
    time_machine.move_to(at("2025-09-30 23:59"), tick=False)
    call_command("run_periodic")
    assert not ReportFile.objects.filter(kind="monthly", period=SEPTEMBER).exists()  # September is not over
    assert list(ReportFile.objects.filter(kind="monthly").values_list("period", flat=True)) == [date(2025, 8, 1)]

    time_machine.move_to(at("2025-10-01 00:01"), tick=False)
    call_command("run_periodic")
    report_file = ReportFile.objects.get(kind="monthly", period=SEPTEMBER)
    assert report_file.state == FileState.DONE and report_file.finished_at == at("2025-10-01 00:01")
    sheet = load_workbook(report_file.file.path)["司机及时提货率"]
    assert [c.value for c in sheet[2]][:4] == ["刘师傅", 3, 2, 1]  # A, B on time, C late (north)

    # a restart, a second runner, the next minutes: nothing new
    for minute in ("00:02", "00:03", "09:00"):
        time_machine.move_to(at(f"2025-10-01 {minute}"), tick=False)
        call_command("run_periodic")
    assert ReportFile.objects.filter(kind="monthly", period=SEPTEMBER).count() == 1
    assert ReportNotice.objects.filter(report_file=report_file).count() == 1
    sms = Message.objects.get(idempotency_key=f"driver-monthly-2025-09-{manager.pk}")
    assert sms.to == "+8613700009001" and "2025-09" in sms.text and sms.kind == "other"
    assert [m.subject for m in mailoutbox] == ["月度司机报表 2025-08", "月度司机报表 2025-09"]


def test_the_manager_sees_the_notice_on_the_dashboard_until_downloading(
    pickup_fixture, manager, media, time_machine, client
):
    time_machine.move_to(at("2025-10-01 00:05"), tick=False)
    report_file = ReportFile.objects.get(pk=monthly_report_due())
    client.force_login(manager)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "2025-09" in page and reverse("reports:file_open", args=[report_file.pk]) in page
    assert [n.report_file_id for n in client.get(reverse("reports:dashboard")).context["notices"]] == [report_file.pk]
    # the file's own link (the e-mail's, the month list's) is a plain GET that changes nothing
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reports:file_download", args=[report_file.pk])).status_code == 200
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [n.report_file_id for n in client.get(reverse("reports:dashboard")).context["notices"]] == [report_file.pk]
    opened = client.post(reverse("reports:file_open", args=[report_file.pk]))
    assert opened.status_code == 302 and opened.url == reverse("reports:file_download", args=[report_file.pk])
    assert client.get(reverse("reports:dashboard")).context["notices"] == []


def test_a_notice_is_marked_seen_only_by_a_logged_in_reader_s_post(
    pickup_fixture, manager, media, time_machine, client, django_user_model
):
    time_machine.move_to(at("2025-10-01 00:05"), tick=False)
    report_file = ReportFile.objects.get(pk=monthly_report_due())
    assert client.get(reverse("reports:file_open", args=[report_file.pk])).status_code in (302, 403, 405)
    client.force_login(manager)
    assert client.get(reverse("reports:file_open", args=[report_file.pk])).status_code == 405
    assert ReportNotice.objects.filter(report_file=report_file, seen_at__isnull=False).count() == 0


def test_a_month_claimed_by_another_runner_is_left_to_it_until_that_runner_looks_dead(
    pickup_fixture, manager, media, time_machine
):
    time_machine.move_to(at("2025-10-01 00:01"), tick=False)
    other = ReportFile.objects.create(
        kind="monthly",
        report="driver-monthly",
        period=SEPTEMBER,
        state=FileState.RUNNING,
        started_at=at("2025-10-01 00:00"),
    )
    assert monthly_report_due() is None
    other.refresh_from_db()
    assert other.state == FileState.RUNNING and not other.file and not ReportNotice.objects.exists()

    time_machine.move_to(at("2025-10-01 00:31"), tick=False)  # 31 minutes: that runner died
    assert monthly_report_due() == other.pk
    other.refresh_from_db()
    assert other.state == FileState.DONE and other.file and ReportNotice.objects.filter(user=manager).count() == 1


def test_a_failed_generation_is_recorded_and_tried_again_later(
    pickup_fixture, manager, media, time_machine, monkeypatch
):
    from freightdesk.reports import services

    def broken(sheets):
        raise OSError("disk full")

    time_machine.move_to(at("2025-10-01 00:01"), tick=False)
    with monkeypatch.context() as patch:
        patch.setattr(services, "report_workbook", broken)
        with pytest.raises(OSError):
            monthly_report_due()
    report_file = ReportFile.objects.get(kind="monthly", period=SEPTEMBER)
    assert (report_file.state, report_file.error) == (FileState.FAILED, "disk full")
    assert not ReportNotice.objects.exists() and not Message.objects.exists()
    assert monthly_report_due() is None  # not at once: the next tries are 10 minutes apart
    time_machine.move_to(at("2025-10-01 00:12"), tick=False)
    assert monthly_report_due() == report_file.pk
    assert ReportNotice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_the_same_moment_make_one_file_and_one_notice(pickup_fixture, manager, media):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def runner():
        try:
            barrier.wait(timeout=10)
            report_file = generate_monthly_report(month=SEPTEMBER, now=at("2025-10-01 00:01"))
            results.append(report_file.pk if report_file else None)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    report_file = ReportFile.objects.get(kind="monthly", period=SEPTEMBER)
    assert report_file.state == FileState.DONE and report_file.pk in results
    assert ReportNotice.objects.count() == 1
    assert Message.objects.filter(idempotency_key__startswith="driver-monthly-2025-09").count() == 1
    assert len(list(media.joinpath("reports").iterdir())) == 1
