"""API.md Additions: a customer account's token files inquiries, complaints and suggestions about its own
orders or none, and reads its own tickets (status, due_at, replies), never internal notes nor another's."""

import pytest
from django.test import Client

from freightdesk.accounts.models import ApiToken
from freightdesk.orders.intake import take_order
from freightdesk.tickets.models import Ticket
from freightdesk.tickets.services import transition_ticket

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)[1]}"}


@pytest.fixture
def customer(user_for):
    return user_for("customer")


@pytest.fixture
def own_order(customer, cleaned_example):
    return take_order(data=cleaned_example, channel="web", customer_account=customer.customer_account).order


def complaint(**changes) -> dict:
    return {
        "category": "complaint",
        "subcategory": "attitude",
        "description": "司机态度不好",
        "demand": "道歉",
        **changes,
    }


def test_a_customer_account_files_a_complaint_about_its_own_order(client: Client, customer, own_order):
    response = client.post(
        "/api/v1/tickets", complaint(order=own_order.serial), content_type="application/json", **bearer(customer)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("C") and body["status"] == "recorded" and body["due_at"]
    assert "standard_solution" not in body and "handler" not in body
    ticket = Ticket.objects.get(number=body["number"])
    assert (ticket.order, ticket.channel, ticket.created_by) == (own_order, "web_message", customer)


def test_a_customer_account_files_a_suggestion_about_no_order(client, customer):
    body = client.post(
        "/api/v1/tickets",
        complaint(category="suggestion", subcategory="general", description="希望增加晚间提货"),
        content_type="application/json",
        **bearer(customer),
    ).json()
    assert body["replies"][0]["text"]  # the suggestion's acknowledgement
    assert Ticket.objects.get(number=body["number"]).customer == customer.customer_account.customer


def test_another_customers_order_is_404_and_nothing_is_written(client, customer, cleaned_example, agent):
    other = take_order(data=cleaned_example, channel="phone", agent=agent).order
    response = client.post(
        "/api/v1/tickets", complaint(order=other.serial), content_type="application/json", **bearer(customer)
    )
    assert response.status_code == 404
    assert not Ticket.objects.exists()


def test_a_customer_cannot_open_an_emergency(client, customer):
    response = client.post(
        "/api/v1/tickets",
        complaint(category="emergency", subcategory="account_security"),
        content_type="application/json",
        **bearer(customer),
    )
    assert response.status_code in (403, 422)
    assert not Ticket.objects.exists()


def test_the_customer_reads_the_replies_but_never_internal_notes(client, customer, own_order, agent):
    number = client.post(
        "/api/v1/tickets", complaint(order=own_order.serial), content_type="application/json", **bearer(customer)
    ).json()["number"]
    ticket = Ticket.objects.get(number=number)
    transition_ticket(
        ticket=ticket, by=agent, to="dismissed", data={"reply": "经核实司机按时到达", "note": "内部：客户情绪激动"}
    )
    body = client.get(f"/api/v1/tickets/{number}", **bearer(customer)).json()
    assert body["status"] == "dismissed"
    assert [r["text"] for r in body["replies"]] == ["经核实司机按时到达"]
    assert "内部" not in str(body)


def test_a_customer_cannot_read_another_customers_ticket(client, customer, new_ticket):
    ticket = new_ticket()
    assert client.get(f"/api/v1/tickets/{ticket.number}", **bearer(customer)).status_code == 404
    listed = client.get("/api/v1/tickets", **bearer(customer)).json()["items"]
    assert ticket.number not in [t["number"] for t in listed]


def test_the_ticket_list_is_newest_first_and_filtered_by_status(client, agent, new_ticket):
    first, second = new_ticket(), new_ticket()
    items = client.get("/api/v1/tickets?status=recorded", **bearer(agent)).json()["items"]
    assert [t["number"] for t in items][:2] == [second.number, first.number]
    assert client.get("/api/v1/tickets?status=closed", **bearer(agent)).json()["items"] == []


WEB = {
    "name": "王先生",
    "phone": "13800138000",
    "kind": "complaint:attitude",
    "order": "",
    "description": "司机态度不好",
    "demand": "道歉",
}


def test_the_public_page_files_a_complaint_and_gives_the_number_to_follow(client, demo):
    response = client.post("/tickets/web/", WEB)
    ticket = Ticket.objects.get()
    assert ticket.number in response.content.decode() and ticket.channel == "web_message"
    followed = client.get(f"/tickets/follow/?number={ticket.number}&phone_last4=8000").content.decode()
    assert "司机态度不好" in followed
    wrong = client.get(f"/tickets/follow/?number={ticket.number}&phone_last4=1234").content.decode()
    assert "司机态度不好" not in wrong


def test_the_public_page_links_an_order_only_with_its_phone(client, demo, cleaned_example, agent):
    order = take_order(data=cleaned_example, channel="phone", agent=agent).order
    client.post("/tickets/web/", {**WEB, "order": order.serial, "phone": "13700137000"})
    assert not Ticket.objects.exists()
    client.post("/tickets/web/", {**WEB, "order": order.serial, "phone": order.shipper_phone})
    assert Ticket.objects.get().order == order


def test_the_public_page_is_rate_limited_per_client_address(client, demo):
    for _ in range(6):
        client.post("/tickets/web/", WEB)
    assert Ticket.objects.count() == 5


def test_an_emergency_cannot_be_filed_from_the_public_page(client, demo):
    client.post("/tickets/web/", {**WEB, "kind": "emergency:account_security"})
    assert not Ticket.objects.exists()


def test_my_tickets_lists_the_accounts_own_and_files_from_my_orders(client, customer, own_order, new_ticket):
    someone_elses = new_ticket(customer_phone="13900139000")
    client.force_login(customer)
    response = client.post(
        f"/tickets/mine/new/?order={own_order.serial}",
        {"kind": "complaint:attitude", "order": own_order.serial, "description": "态度差", "demand": ""},
    )
    mine = Ticket.objects.get(created_by=customer)
    assert response.status_code == 302 and mine.order == own_order
    page = client.get("/tickets/mine/").content.decode()
    assert mine.number in page and someone_elses.number not in page
    assert client.get(f"/tickets/mine/{someone_elses.number}/").status_code == 404
