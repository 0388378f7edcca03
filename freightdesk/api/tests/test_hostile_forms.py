"""Hostile input on the pages' forms, as on the API (never a 500 for bad input), on SQLite and PostgreSQL: the phone
order form, the ticket form, the public tracking page and the driver's page, each field sent NUL and other control
characters, zero-width-only text, a 1 MB text; the deadline a time without offset, a bare date, year 9999; the phone
numbers letters or emoji. No answer is a 5xx; a refused post writes nothing; nothing stored holds a NUL.

(A lone surrogate cannot be sent in a form: a form post is bytes, and a browser sends U+FFFD for it.)"""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import User

from freightdesk.demo.examples import EXAMPLE_ORDER
from freightdesk.dispatch.models import DriverLink
from freightdesk.orders.models import Order
from freightdesk.tickets.models import Ticket
from freightdesk.tracking.models import StatusEvent

from .conftest import writes
from .hostile import PHONE_FIELDS, TEXTS, TIMES, hostile

pytestmark = pytest.mark.django_db
FORM_PHONES = PHONE_FIELDS | {"shipper_phone", "consignee_phone", "customer_phone"}
FORM_TIMES = [t for t in TIMES if isinstance(t, str)] + ["2026-12-02 10:00", "9999-12-31 23:59"]


def form_values(field: str) -> list[str]:
    values = [v for v in hostile(field, phone_fields=FORM_PHONES) if isinstance(v, str) and v != "\ud800"]
    return values + (FORM_TIMES if field == "delivery_deadline" else [])


def sweep(client, path: str, form: dict) -> int:
    sent = 0
    for field in form:
        for value in form_values(field):
            before = writes()
            response = client.post(path, {**form, field: value}, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code < 500, (path, field, repr(value[:20]), response.status_code)
            if response.status_code != 302:  # the form shown again with its errors: nothing written
                assert writes() == before, (path, field, repr(value[:20]))
            sent += 1
    return sent


def no_nul_stored():
    """Read back in Python: SQLite's LIKE stops at a NUL, so a query could not tell."""
    stored = [
        *Order.objects.values_list("note", "pickup_address", "delivery_address", "goods_name"),
        *Ticket.objects.values_list("description", "demand"),
        *StatusEvent.objects.values_list("note"),
    ]
    assert not [row for row in stored if any("\x00" in (text or "") for text in row)]


def test_no_hostile_value_in_the_phone_order_or_ticket_form_is_a_500(client, everything):
    client.force_login(User.objects.get(username="8011"))
    order_form = {**EXAMPLE_ORDER, "delivery_deadline": "2030-11-23 15:00"}
    sent = sweep(client, "/orders/new/", order_form)
    ticket_form = {"kind": "complaint:transit_time", "channel": "phone", "order": everything["confirmed"]}
    ticket_form |= {"customer_name": "王先生", "customer_phone": "13800138000", "description": "慢", "demand": "快"}
    sent += sweep(client, "/tickets/new/", ticket_form)
    no_nul_stored()
    assert sent > 100


def test_no_hostile_value_on_the_tracking_page_or_the_drivers_page_is_a_500(client, everything):
    serial = everything["dispatched"]
    for value in [v for v in TEXTS if v != "\ud800"]:
        response = client.get("/tracking/track/", {"serial": value, "phone_last4": "8000"})
        assert response.status_code < 500, repr(value[:20])
        response = client.get(f"/tracking/d/{quote(value[:100], safe='')}/")
        assert response.status_code < 500, repr(value[:20])
    link = DriverLink.objects.filter(order__serial=serial).first()
    assert link is not None
    for value in [v for v in TEXTS if v != "\ud800"]:
        before = writes()
        response = client.post(f"/tracking/d/{link.token}/", {"serial": serial, "type": "picked_up", "note": value})
        assert response.status_code < 500, repr(value[:20])
        if response.status_code >= 400:
            assert writes() == before
    no_nul_stored()
