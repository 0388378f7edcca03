"""The weekly analysis is made every Monday at 8:30 (local) by the periodic runner for the week that just ended,
once, and the supervisors are told by a notice on their pages until they open it (SPEC §10)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from freightdesk.reports.models import FileKind, FileState, ReportFile, ReportNotice
from freightdesk.reports.weekly_files import due_week, generate_weekly_file, weekly_analysis_due

from .conftest import at

pytestmark = pytest.mark.django_db

LAST_WEEK = at("2026-11-30 00:00").date()


def _file(monday=LAST_WEEK):
    return ReportFile.objects.filter(kind=FileKind.WEEKLY, period=monday).first()


def test_the_runner_runs_the_weekly_job():
    assert "freightdesk.reports.weekly_files.weekly_analysis_due" in settings.PERIODIC_JOBS


@pytest.mark.parametrize(
    ("now", "monday"),
    [
        ("2026-12-07 08:29", "2026-11-23"),  # before 8:30 on Monday: the week before is the latest due
        ("2026-12-07 08:30", "2026-11-30"),
        ("2026-12-09 15:00", "2026-11-30"),  # a runner that was down on Monday catches up in the week
        ("2026-12-13 23:59", "2026-11-30"),
        ("2026-12-14 08:30", "2026-12-07"),
    ],
)
def test_the_week_due_turns_over_on_monday_at_8_30_local(now, monday):
    assert due_week(at(now)).isoformat() == monday


def test_monday_8_30_makes_last_weeks_file_once_and_tells_the_supervisors(demo, user_for):
    assert weekly_analysis_due(at("2026-12-07 08:29")) is not None  # the week before's, on a fresh install
    assert _file() is None
    made = weekly_analysis_due(at("2026-12-07 08:30"))
    report_file = _file()
    assert made == report_file.pk and report_file.state == FileState.DONE and report_file.file
    assert report_file.file.name.endswith(".xlsx")
    told = set(ReportNotice.objects.filter(report_file=report_file).values_list("user__username", flat=True))
    assert told == {user_for("supervisor").username}  # supervisors; not agents, managers or admins
    assert weekly_analysis_due(at("2026-12-07 08:31")) is None
    assert ReportFile.objects.filter(kind=FileKind.WEEKLY, period=LAST_WEEK).count() == 1
    assert ReportNotice.objects.filter(report_file=report_file).count() == len(told)


def test_a_second_runner_does_not_write_or_notify_twice(demo):
    first = generate_weekly_file(monday=LAST_WEEK, now=at("2026-12-07 08:30"))
    assert generate_weekly_file(monday=LAST_WEEK, now=at("2026-12-07 08:30")) is None
    assert ReportNotice.objects.filter(report_file=first).count() == 1


def test_a_failed_file_is_retried_after_ten_minutes(demo, monkeypatch):
    from freightdesk.reports import weekly_files

    def boom(monday):
        raise RuntimeError("disk full")

    monkeypatch.setattr(weekly_files, "weekly_xlsx", boom)
    with pytest.raises(RuntimeError):
        weekly_analysis_due(at("2026-12-07 08:30"))
    assert _file().state == FileState.FAILED and not ReportNotice.objects.exists()
    monkeypatch.undo()
    assert weekly_analysis_due(at("2026-12-07 08:35")) is None  # too soon
    assert weekly_analysis_due(at("2026-12-07 08:41")) == _file().pk
    assert _file().state == FileState.DONE and ReportNotice.objects.count() == 1


def test_the_supervisor_sees_the_notice_on_his_home_page_until_he_opens_it(client, user_for, time_machine):
    time_machine.move_to(at("2026-12-07 09:00"), tick=False)
    weekly_analysis_due(at("2026-12-07 08:30"))
    client.force_login(user_for("supervisor"))
    home = client.get(reverse("home"), follow=True)
    assert 'id="weekly-notices"' in home.content.decode()
    assert "2026-11-30" in home.content.decode()
    with CaptureQueriesContext(connection) as queries:  # reading the page writes nothing
        assert client.get(reverse("reports:weekly"), {"week": "2026-11-30"}).status_code == 200
        assert client.get(reverse("reports:weekly_xlsx"), {"week": "2026-11-30"}).status_code == 200
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert 'id="weekly-notices"' in client.get(reverse("home"), follow=True).content.decode()
    assert client.get(reverse("reports:weekly_open"), {"week": "2026-11-30"}).status_code == 405
    opened = client.post(reverse("reports:weekly_open"), {"week": "2026-11-30"})
    assert opened.status_code == 302 and opened["Location"].endswith("?week=2026-11-30")
    assert 'id="weekly-notices"' not in client.get(reverse("home"), follow=True).content.decode()
    assert ReportNotice.objects.get().seen_at is not None


def test_an_agent_gets_no_notice(client, user_for, time_machine):
    time_machine.move_to(at("2026-12-07 09:00"), tick=False)
    weekly_analysis_due(at("2026-12-07 08:30"))
    client.force_login(user_for("agent"))
    assert 'id="weekly-notices"' not in client.get(reverse("home"), follow=True).content.decode()


def test_the_stored_file_is_downloaded_by_a_supervisor(client, user_for, time_machine):
    time_machine.move_to(at("2026-12-07 09:00"), tick=False)
    weekly_analysis_due(at("2026-12-07 08:30"))
    client.force_login(user_for("supervisor"))
    response = client.get(reverse("reports:file_download", args=[_file().pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content)[:2] == b"PK"
