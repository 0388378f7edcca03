"""One customer per number (SPEC §3): whatever way an order comes in — the phone desk, the web page, the API,
the call pop — a second name on a known number is a contact of that customer, not another customer."""

import json

import pytest
from django.urls import reverse

from freightdesk.accounts.models import ApiToken
from freightdesk.core.tests.concurrency import at_once
from freightdesk.customers.models import Contact, Customer
from freightdesk.demo.examples import EXAMPLE_ORDER_JSON
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Order

WANG = "+8613800138000"


def customers_on(number: str) -> list[Customer]:
    return list(Customer.objects.filter(phones__number=number))


def contact_names(customer: Customer) -> set[str]:
    return set(customer.contacts.values_list("name", flat=True))


@pytest.mark.django_db
def test_phone_desk_second_name_on_the_same_number_is_a_contact(agent_client, example_order_data):
    url = reverse("orders:new_phone_order")
    assert agent_client.post(url, example_order_data).status_code == 302
    assert agent_client.post(url, {**example_order_data, "shipper_name": "李小姐"}).status_code == 302

    [customer] = customers_on(WANG)
    assert contact_names(customer) == {"王先生", "李小姐"}
    assert Order.objects.filter(shipper=customer).count() == 2
    # each order keeps the name given on it
    assert set(Order.objects.values_list("shipper_name", flat=True)) == {"王先生", "李小姐"}


@pytest.mark.django_db
def test_web_order_second_name_on_the_same_number_is_a_contact(client, demo, example_order_data):
    data = {k: v for k, v in example_order_data.items() if k != "loading_fee"}
    assert client.post("/orders/web/", {**data, "intake_key": "a" * 32}).status_code == 302
    assert client.post("/orders/web/", {**data, "shipper_name": "王太太", "intake_key": "b" * 32}).status_code == 302

    [customer] = customers_on(WANG)
    assert contact_names(customer) == {"王先生", "王太太"}


@pytest.mark.django_db
def test_api_order_second_name_on_the_same_number_is_a_contact(client, agent):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(agent)[1]}"}
    before = Customer.objects.count()
    for name in ("王先生", "王先生 ", "王生"):
        body = {**EXAMPLE_ORDER_JSON, "shipper": {"name": name, "phone": "138 0013 8000"}}
        response = client.post("/api/v1/orders", json.dumps(body), content_type="application/json", **headers)
        assert response.status_code == 201, response.content

    [customer] = customers_on(WANG)
    assert contact_names(customer) == {"王先生", "王生"}
    assert Customer.objects.count() == before + 2  # the shipper's number and the consignee's


@pytest.mark.django_db
def test_call_pop_naming_a_caller_whose_number_is_known_meanwhile_adds_a_contact(demo, agent):
    from freightdesk.customers.services import remember_customer
    from freightdesk.telephony.models import Call
    from freightdesk.telephony.services import create_caller

    call = Call.objects.create(call_id="c-wang", customer_number=WANG, agent=agent)
    wang = remember_customer(name="王先生", phone=WANG)  # another agent saved an order meanwhile
    create_caller(call=call, agent=agent, name="李小姐")

    assert Call.objects.get(pk=call.pk).customer == wang
    assert customers_on(WANG) == [wang] and contact_names(wang) == {"王先生", "李小姐"}


@pytest.mark.django_db
def test_a_consignee_on_the_shippers_number_is_the_same_customer_with_both_names(cleaned_example, agent):
    data = {**cleaned_example, "consignee_phone": WANG, "consignee_name": "王太太"}
    order = take_order(data=data, channel="phone", agent=agent).order
    assert order.shipper == order.consignee
    assert contact_names(order.shipper) == {"王先生", "王太太"}


@pytest.mark.django_db(transaction=True)
def test_a_new_numbers_first_orders_at_once_under_different_names_make_one_customer(cleaned_example, agent):
    names = ["赵小姐", "赵女士", "小赵", "赵总", "赵小姐", "赵女士"]
    data = [{**cleaned_example, "shipper_phone": "+8613700137000", "shipper_name": name} for name in names]
    at_once(lambda d: take_order(data=d, channel="phone", agent=agent), data)

    [customer] = customers_on("+8613700137000")
    assert contact_names(customer) == set(names)
    assert Contact.objects.filter(customer=customer).count() == 4
    assert Order.objects.filter(shipper=customer).count() == len(names)
