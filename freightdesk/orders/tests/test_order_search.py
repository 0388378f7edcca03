"""The order list's search box: a serial, any phone or an exact name, each found through an index, whatever the
size of the table — a busy day's serials have five-digit sequences, and digits may be a serial and a phone at once."""

import pytest
from django.db import connection

from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Order
from freightdesk.orders.selectors import OrderFilter, search_orders

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(cleaned_example):
    return take_order(data=cleaned_example, channel="web").order


def _found(text: str) -> list[str]:
    return list(search_orders(Order.objects.all(), OrderFilter(q=text)).values_list("serial", flat=True))


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


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
@pytest.mark.parametrize("text", ["26120710001", "13101512345", "王先生"])
def test_every_kind_of_search_reads_an_index_never_the_whole_table(text):
    qs = search_orders(Order.objects.all(), OrderFilter(q=text)).order_by("-created_at", "-id")[:51]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "SCAN orders_order" not in plan, plan
    assert "SEARCH orders_order USING INDEX" in plan, plan
