"""The reports read in the reader's words (QA sweep of issue 7): channel, status and ticket types as their labels on
the page, in the charts and in the files (Chinese, like their headers), while the JSON API keeps the codes; the
download links are well-formed query strings; the SLA report's "not yet due" is not the board's "Open" button."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from freightdesk.reports.catalog import REPORTS
from freightdesk.tickets.models import Ticket

from .conftest import at

PERIOD = {"from": "2025-10-01", "to": "2025-10-10"}


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(at("2025-10-10 09:10"), tick=False)


@pytest.fixture
def desk_day(make_order, user_for):
    """A phone order picked up, a web order confirmed, and a transit-time complaint on the first (due, not met)."""
    phone = make_order("2025-10-09 10:00", status="picked_up", taken_by=user_for("agent"))
    make_order("2025-10-09 11:00", status="confirmed", channel="web")
    Ticket.objects.create(
        number="L1",
        channel="phone",
        category="complaint",
        subcategory="transit_time",
        status="validated",
        description="x",
        owner_group="agent",
        order=phone,
        created_at=at("2025-10-09 12:00"),
        due_at=at("2025-10-09 12:30"),
    )
    return phone


@pytest.fixture
def manager(client, user_for):
    client.force_login(user_for("manager"))
    return client


def _section(response, slug):
    return next(s for s in response.context["sections"] if s["slug"] == slug)


def test_orders_by_channel_and_status_read_as_labels_on_the_chinese_page(desk_day, manager, frozen):
    response = manager.get(reverse("reports:dashboard"), PERIOD)
    orders = _section(response, "orders")
    assert orders["table"] == [["电话", "已提货", "1"], ["网上/平台", "已确认", "1"]]
    assert "电话 · 已提货" in orders["chart"] and "picked_up" not in orders["chart"]
    html = response.content.decode()
    assert "phone picked_up" not in html and "web confirmed" not in html


def test_sla_rows_name_the_category_and_sub_category(desk_day, manager, frozen):
    response = manager.get(reverse("reports:dashboard"), {**PERIOD, "complaints_by": "type"})
    sla = _section(response, "sla")
    assert sla["table"][0][0] == "投诉 · 运输时效（提货/送货超时）"
    assert "complaint/transit_time" not in sla["chart"] and "complaint/transit_time" not in response.content.decode()
    complaints = _section(response, "complaints")
    assert complaints["table"][0][0] == "投诉 · 运输时效（提货/送货超时）"


def test_the_english_page_names_them_in_english(desk_day, manager, frozen):
    with translation.override("en"):
        response = manager.get(reverse("reports:dashboard"), PERIOD, HTTP_ACCEPT_LANGUAGE="en")
    orders = _section(response, "orders")
    assert orders["table"][0][:2] == ["Phone", "Picked up"]


def test_order_export_has_chinese_labels_for_an_english_reader(desk_day, manager, frozen):
    response = manager.get(reverse("reports:download", args=["orders", "xlsx"]), PERIOD, HTTP_ACCEPT_LANGUAGE="en")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == ["渠道", "状态", "订单数"]
    assert [c.value for c in ws[2]] == ["电话", "已提货", 1]
    assert [c.value for c in ws[3]] == ["网上/平台", "已确认", 1]
    assert [c.value for c in ws[4]] == ["合计", None, 2]


def test_sla_csv_names_the_ticket_type(desk_day, manager, frozen):
    response = manager.get(reverse("reports:download", args=["sla", "csv"]), PERIOD)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["分组", "工单数", "按时", "超时", "未到期", "达标率"]
    assert rows[1] == ["投诉 · 运输时效（提货/送货超时）", "1", "0", "1", "0", "0.0"]


def test_the_api_keeps_the_codes(desk_day, frozen):
    rows = REPORTS["orders"].rows(_params())
    assert [(r["channel"], r["status"]) for r in rows] == [("phone", "picked_up"), ("web", "confirmed")]
    [sla] = REPORTS["sla"].rows(_params(), now=at("2025-10-10 09:10"))
    assert (sla["category"], sla["key"], sla["label"]) == ("complaint", "transit_time", "complaint/transit_time")


def _params():
    from datetime import date

    from freightdesk.reports.params import ReportParams

    return ReportParams(date(2025, 10, 1), date(2025, 10, 10), "type", None)


@pytest.mark.parametrize(
    "query",
    [{}, {"pickup_by": "day", "region": "north", **PERIOD}, {"group_by": "day", "pickup_by": "region", **PERIOD}],
)
def test_download_links_are_well_formed_query_strings(demo, manager, query):
    response = manager.get(reverse("reports:dashboard"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "?&" not in html and "?&amp;" not in html
    sections = {s["slug"]: s for s in response.context["sections"]}
    for slug, section in sections.items():
        link = urlsplit(f"{reverse('reports:download', args=[slug, 'csv'])}?{section['download_query']}")
        params = parse_qs(link.query, keep_blank_values=True)
        assert all(len(values) == 1 and values[0] for values in params.values()), (slug, params)
        assert params["from"] == [section["params"].first_day.isoformat()]
        assert params.get("region") == (["north"] if query.get("region") else None)
        if slug in ("pickup-on-time", "complaints", "origins"):
            assert params["group_by"] == [section["params"].group_by]
        else:
            assert "group_by" not in params
        assert f'href="{link.path}?{section["download_query"].replace("&", "&amp;")}"' in html
    assert sections["pickup-on-time"]["params"].group_by == query.get("pickup_by", "driver")
    detail = parse_qs(response.context["detail_csv_query"])
    assert detail["fmt"] == ["csv"] and "group_by" not in detail


def test_a_download_link_gives_the_figures_shown(desk_day, manager, frozen):
    page = manager.get(reverse("reports:dashboard"), {**PERIOD, "complaints_by": "type"})
    section = _section(page, "complaints")
    response = manager.get(f"{reverse('reports:download', args=['complaints', 'csv'])}?{section['download_query']}")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][0] == section["table"][0][0] == "投诉 · 运输时效（提货/送货超时）"


def test_not_yet_due_is_not_the_boards_open_button(desk_day, manager, frozen):
    with translation.override("zh-hans"):
        column = next(c for c in REPORTS["sla"].columns if c.key == "open")
        assert str(column.label) == "未到期"
        assert gettext("Open") == "打开"  # tracking's board button keeps its word
    html = manager.get(reverse("reports:dashboard"), PERIOD).content.decode()
    sla = html[html.index('id="sla"') : html.index('id="satisfaction"')]
    assert '<th scope="col">未到期</th>' in sla and "打开" not in sla


def test_the_complaints_table_has_a_not_yet_judged_column(desk_day, manager, frozen):
    response = manager.get(reverse("reports:dashboard"), {**PERIOD, "complaints_by": "type"})
    html = response.content.decode()
    complaints = html[html.index('id="complaints"') : html.index('id="origins"')]
    headers = ["分组", "投诉", "有效", "无效", "待判定", "有效·投诉司机", "有效·投诉客服", "有效·投诉公司/其他", "建议"]
    assert "".join(f'<th scope="col">{h}</th>' for h in headers) in complaints
    assert _section(response, "complaints")["table"][0][1:6] == ["1", "1", "0", "0", "0"]
