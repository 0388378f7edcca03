"""The order list's search box: a serial, any phone or an exact name, each found through an index, whatever the
size of the table — a busy day's serials have five-digit sequences, and digits may be a serial and a phone at once."""

import pytest
from django.db import connection

from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Order
from freightdesk.orders.selectors import OrderFilter, order_page, search_orders

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(cleaned_example):
    return take_order(data=cleaned_example, channel="web").order


def _found(text: str) -> list[str]:
    return [o.serial for o in order_page(search_orders(Order.objects.all(), OrderFilter(q=text)))[0]]


def test_an_eleven_digit_serial_of_a_day_past_ten_thousand_orders_is_found(order):
    Order.objects.filter(pk=order.pk).update(serial="26120710001")
    assert _found("26120710001") == ["26120710001"]


def test_a_mobile_number_whose_first_six_digits_read_as_a_date_still_finds_its_orders(order):
    Order.objects.filter(pk=order.pk).update(shipper_phone="+8613101512345")  # 131015: 2013-10-15
    assert _found("13101512345") == [order.serial]
    assert _found("131 0151 2345") == [order.serial]


def test_a_name_nobody_has_finds_nothing(order):
    assert _found("无此人") == []
    assert _found(order.shipper_name) == [order.serial]


def _plans(text: str) -> list[str]:
    plans = []
    for branch in search_orders(Order.objects.all(), OrderFilter(q=text)):
        sql, params = branch.order_by("-created_at", "-id")[:51].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plans.append(" | ".join(row[-1] for row in cursor.fetchall()))
    return plans


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
@pytest.mark.parametrize(
    "text, indexes",
    [
        ("26120710001", ["sqlite_autoindex_orders_order_1"]),
        ("13101512345", ["sqlite_autoindex_orders_order_1", "order_shipper_phone", "order_consignee_phone"]),
        ("王先生", ["order_shipper_name", "order_consignee_name"]),
    ],
)
def test_every_kind_of_search_reads_its_index_in_page_order_never_the_whole_table(text, indexes):
    """Each branch walks its index newest first and stops at the page: no scan of the table, no sort of every
    order of a phone or a name."""
    plans = _plans(text)
    assert len(plans) == len(indexes)
    for plan, index in zip(plans, indexes, strict=True):
        assert f"USING INDEX {index}" in plan and "SCAN orders_order" not in plan, plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_a_page_merges_the_branches_newest_first_without_doubles_and_pages_on(cleaned_example):
    """An order the phone both ships and receives shows once; the keyset page after the first goes on from it."""
    orders = [take_order(data=cleaned_example, channel="web").order for _ in range(5)]
    Order.objects.filter(pk__in=[o.pk for o in orders[:2]]).update(shipper_phone="+8613811112222")
    Order.objects.filter(pk__in=[o.pk for o in orders[1:4]]).update(consignee_phone="+8613811112222")
    branches = search_orders(Order.objects.all(), OrderFilter(q="13811112222"))
    first, last = order_page(branches, size=3)
    assert [o.pk for o in first] == [orders[3].pk, orders[2].pk, orders[1].pk]
    rest, more = order_page(branches, after=(last.created_at, last.pk), size=3)
    assert [o.pk for o in rest] == [orders[0].pk] and more is None
