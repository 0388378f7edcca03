"""Orders taken at the same moment: one customer per new caller, one serial per order (SQLite and PostgreSQL)."""

import pytest

from freightdesk.core.tests.concurrency import at_once
from freightdesk.customers.models import Customer
from freightdesk.customers.services import find_customer, remember_customer
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Enquiry, Order

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_a_new_callers_first_orders_at_once_make_one_customer(cleaned_example, agent):
    data = {**cleaned_example, "shipper_phone": "+8613700137000", "shipper_name": "赵小姐"}
    at_once(lambda: take_order(data=data, channel="phone", agent=agent), times=THREADS)

    assert Customer.objects.filter(phones__number="+8613700137000").count() == 1
    orders = Order.objects.filter(shipper_phone="+8613700137000")
    assert orders.count() == THREADS == len(set(orders.values_list("serial", flat=True)))
    assert orders.values("shipper").distinct().count() == 1
    assert Enquiry.objects.filter(order__in=orders).count() == THREADS


@pytest.mark.django_db
def test_a_customer_found_before_the_transaction_but_gone_since_is_created_again():
    gone = remember_customer(name="钱先生", phone="+8613600136000")
    found = find_customer(phone="+8613600136000")
    gone.delete()
    again = remember_customer(name="钱先生", phone="+8613600136000", found=found)
    assert again.pk != found.pk and Customer.objects.filter(pk=again.pk, phones__number="+8613600136000").exists()


@pytest.mark.django_db
def test_a_customer_shipping_to_himself_at_the_same_address_is_one_customer_with_one_address(cleaned_example, agent):
    data = {
        **cleaned_example,
        "consignee_name": cleaned_example["shipper_name"],
        "consignee_phone": cleaned_example["shipper_phone"],
        "delivery_address": cleaned_example["pickup_address"],
    }
    for _ in range(2):
        order = take_order(data=data, channel="phone", agent=agent).order
    assert order.shipper == order.consignee
    assert order.shipper.addresses.count() == 1
