"""Customers (SPEC §3): found by any written form of their number; remembered with their address book."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from freightdesk.customers.models import Address, Customer, CustomerPhone
from freightdesk.customers.selectors import customers_by_phone
from freightdesk.customers.services import remember_customer
from freightdesk.network.models import Region

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
WANG = "+8613800138000"


@pytest.mark.parametrize(
    "written",
    ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "8613800138000", "0086 13800138000"],
)
def test_a_customer_is_found_by_any_written_form_of_his_mobile(written):
    wang = remember_customer(name="王先生", phone=WANG, now=T0)
    assert list(customers_by_phone(written)) == [wang]


@pytest.mark.parametrize("written", ["021-88887777", "02188887777", "(021) 8888 7777", "+86 21 8888 7777"])
def test_a_customer_is_found_by_any_written_form_of_his_landline(written):
    shop = remember_customer(name="李小姐", phone="+862188887777", now=T0)
    assert list(customers_by_phone(written)) == [shop]


def test_a_customer_is_found_by_his_second_number():
    wang = remember_customer(name="王先生", phone=WANG, now=T0)
    CustomerPhone.objects.create(customer=wang, number="+862188887777")
    assert list(customers_by_phone("021-88887777")) == [wang]


@pytest.mark.parametrize("written", ["", "123", "abc", "13900139000"])
def test_no_customer_for_a_non_number_or_an_unknown_number(written):
    remember_customer(name="王先生", phone=WANG, now=T0)
    assert list(customers_by_phone(written)) == []


def test_a_second_name_on_a_known_number_is_a_contact_of_the_same_customer():
    wang = remember_customer(name="王先生", phone=WANG, now=T0)
    again = remember_customer(name="李小姐", phone=WANG, now=T0 + timedelta(hours=1))
    assert again.pk == wang.pk
    assert list(customers_by_phone("13800138000")) == [wang]
    assert list(wang.contacts.values_list("name", flat=True)) == ["李小姐", "王先生"]


def test_the_same_name_on_the_same_number_is_the_same_customer():
    first = remember_customer(name="王先生", phone=WANG, address="汽配城A区12号", now=T0)
    again = remember_customer(name="王先生", phone=WANG, address="汽配城A区12号", now=T0 + timedelta(days=1))
    assert again.pk == first.pk
    assert Customer.objects.count() == 1
    assert CustomerPhone.objects.filter(number=WANG).count() == 1
    assert Address.objects.count() == 1
    again.refresh_from_db()
    assert again.last_order_at == T0 + timedelta(days=1)


def test_a_surname_with_xiansheng_is_a_valid_name():
    customer = remember_customer(name="王先生", phone=WANG, now=T0)
    customer.full_clean()
    assert customer.name == "王先生"


def test_the_same_name_again_moves_the_contact_first_and_adds_no_row():
    remember_customer(name="王先生", phone=WANG, now=T0)
    remember_customer(name="李小姐", phone=WANG, now=T0 + timedelta(hours=1))
    wang = remember_customer(name="王先生", phone=WANG, now=T0 + timedelta(hours=2))
    assert [(c.name, c.last_used_at) for c in wang.contacts.all()] == [
        ("王先生", T0 + timedelta(hours=2)),
        ("李小姐", T0 + timedelta(hours=1)),
    ]
    assert Customer.objects.count() == 1


def test_a_number_cannot_be_given_to_a_second_customer():
    remember_customer(name="王先生", phone=WANG, now=T0)
    other = Customer.objects.create(name="马先生")
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerPhone.objects.create(customer=other, number=WANG)


def test_the_address_book_lists_the_newest_address_first():
    region = Region.objects.create(code="qpc", name="汽配城", keywords="汽配城")
    remember_customer(name="王先生", phone=WANG, address="汽配城A区12号", region=region, now=T0)
    remember_customer(name="王先生", phone=WANG, address="火车站货场3号门", now=T0 + timedelta(hours=1))
    later = T0 + timedelta(hours=2)
    wang = remember_customer(name="王先生", phone=WANG, address="汽配城A区12号", region=region, now=later)

    book = list(wang.addresses.all())
    assert [a.text for a in book] == ["汽配城A区12号", "火车站货场3号门"]
    assert book[0].region == region
    assert book[0].last_used_at == later
