"""The monthly penalty report (SPEC §9 step 7, §12): per-person figures for a month on the page, in the XLSX and
at /api/v1/reports/penalties; supervisors and managers only; bad months refused with a message."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from openpyxl import load_workbook

from freightdesk.accounts.models import ApiToken
from freightdesk.core.worktime import TZ
from freightdesk.network.models import Driver
from freightdesk.reports.penalties import parse_month, penalty_rows
from freightdesk.tickets.models import Penalty
from freightdesk.tickets.seeds import seed_sla_policies
from freightdesk.tickets.services import open_ticket

pytestmark = pytest.mark.django_db
NOV = datetime(2026, 11, 1, tzinfo=TZ).date()


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def charged(user_for, agent):
    """November: 8011 responsible 5 % (loss 300) and delayed 3 %; a driver responsible 10 % (loss 1500); the manager
    as department head 3 %. October and December rows, and a 0 %, stay out of November."""
    seed_sla_policies(django_apps)
    manager = user_for("manager")
    driver = Driver.objects.filter(active=True).order_by("pk").first()

    def ticket():
        return open_ticket(by=agent, category="complaint", subcategory="attitude", channel="phone", description="x")

    t1, t2, t3, t4 = ticket(), ticket(), ticket(), ticket()
    rows = [
        (t1, "responsible", agent, None, 5, "300", "2026-11-03 10:00"),
        (t1, "handling_delay", agent, None, 3, "0", "2026-11-03 10:00"),
        (t2, "responsible", None, driver, 10, "1500", "2026-11-30 23:59"),
        (t2, "department_head", manager, None, 3, "1500", "2026-11-30 23:59"),
        (t3, "responsible", agent, None, 7, "100", "2026-10-31 23:59"),
        (t4, "responsible", agent, None, 9, "100", "2026-12-01 00:00"),
    ]
    for t, kind, user, drv, percent, loss, when in rows:
        Penalty.objects.create(
            ticket=t,
            kind=kind,
            user=user,
            driver=drv,
            person_label=driver.name if drv else user.username,
            percent=percent,
            proposed_percent=percent,
            loss_amount=Decimal(loss),
            charged_at=at(when),
        )
    return {"agent": agent, "manager": manager, "driver": driver}


def test_the_months_figures_per_person(charged):
    rows = {row["key"]: row for row in penalty_rows(NOV)}
    assert set(rows) == {"8011", charged["driver"].code, "manager"}
    mine = rows["8011"]
    assert (mine["penalties"], mine["responsible_percent"], mine["delay_percent"], mine["total_percent"]) == (
        2,
        5,
        3,
        8,
    )
    assert (mine["loss"], mine["tickets"], mine["kind"]) == (Decimal("300"), 1, "staff")
    drv = rows[charged["driver"].code]
    assert (drv["kind"], drv["responsible_percent"], drv["loss"], drv["label"]) == (
        "driver",
        10,
        Decimal("1500"),
        charged["driver"].name,
    )
    head = rows["manager"]
    assert (head["head_percent"], head["total_percent"], head["loss"]) == (3, 3, Decimal("0"))
    assert [r["key"] for r in penalty_rows(NOV)][0] == charged["driver"].code  # most charged first


def test_the_page_shows_the_figures_in_chinese(client, charged, user_for):
    client.force_login(user_for("supervisor"))
    response = client.get(reverse("reports:penalties"), {"month": "2026-11"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    page = response.content.decode()
    assert "扣罚" in page and charged["driver"].name in page
    totals = response.context["totals"]
    assert (totals["penalties"], totals["total_percent"], totals["tickets"]) == (4, 21, 2)


def test_the_xlsx_has_the_same_figures_and_every_penalty(client, charged, user_for):
    client.force_login(user_for("manager"))
    response = client.get(reverse("reports:penalties"), {"month": "2026-11", "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('penalties-2026-11.xlsx"')
    wb = load_workbook(BytesIO(response.content))
    summary, detail = wb.worksheets
    values = list(summary.values)
    assert values[0][:4] == ("工号/司机编号", "姓名", "类别", "扣罚次数")
    by_key = {row[0]: row for row in values[1:-1]}
    assert by_key["8011"][3:8] == (2, 5, 0, 3, 8)
    assert values[-1][0] == "合计" and values[-1][7] == 21
    assert len(list(detail.values)) == 1 + 4  # header + November's four penalties


def test_agents_cannot_see_the_penalty_report(client, charged, agent, user_for):
    client.force_login(user_for("supervisor"))
    assert 'id="penalty-report"' in client.get(reverse("reports:dashboard")).content.decode()
    client.force_login(agent)
    assert 'id="penalty-report"' not in client.get(reverse("reports:dashboard")).content.decode()
    assert client.get(reverse("reports:penalties")).status_code == 403
    assert client.get(reverse("reports:penalties"), {"format": "xlsx"}).status_code == 403
    token = ApiToken.issue(agent)[1]
    response = client.get("/api/v1/reports/penalties", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 403


def test_the_api_answers_a_supervisor_with_the_months_figures(client, charged, user_for):
    token = ApiToken.issue(user_for("supervisor"))[1]
    response = client.get("/api/v1/reports/penalties", {"month": "2026-11"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    body = response.json()
    assert (body["month"], body["from"], body["to"]) == ("2026-11", "2026-11-01", "2026-11-30")
    assert body["totals"]["total_percent"] == 21 and body["totals"]["loss"] == "1800.00"
    assert {row["key"]: row["total_percent"] for row in body["rows"]}["8011"] == 8


@pytest.mark.parametrize("bad", ["2026-13", "11/2026", "2026-1", "'; drop table"])
def test_a_bad_month_is_refused_with_a_message_never_a_500(client, user_for, bad):
    token = ApiToken.issue(user_for("supervisor"))[1]
    response = client.get(
        "/api/v1/reports/penalties", {"month": bad}, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422 and "YYYY-MM" in response.json()["errors"]["month"][0]
    client.force_login(user_for("supervisor"))
    page = client.get(reverse("reports:penalties"), {"month": bad}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 422 and "YYYY-MM" in page.content.decode()


def test_no_token_is_401(client):
    assert client.get("/api/v1/reports/penalties").status_code == 401


def test_an_empty_month_reads_as_this_month():
    assert parse_month("", today=date(2026, 12, 7)) == date(2026, 12, 1)
