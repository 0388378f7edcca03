"""Merging duplicates in admin: the action asks which customer to keep (the oldest offered), merges in one go,
and refuses with a message — nothing deleted — when it cannot."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from freightdesk.customers.models import Customer, CustomerPhone
from freightdesk.orders.models import Order

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
URL = reverse("admin:customers_customer_changelist")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


@pytest.fixture
def twins(db):
    """王先生 twice: first on his mobile, a day later on his shop's landline."""
    first = Customer.objects.create(name="王先生", created_at=T0)
    CustomerPhone.objects.create(customer=first, number="+8613800138000")
    second = Customer.objects.create(name="王生", created_at=T0 + timedelta(days=1))
    CustomerPhone.objects.create(customer=second, number="+862155556666")
    return first, second


def merge(client, ids, **extra):
    return client.post(URL, {"action": "merge_selected", "_selected_action": [str(i) for i in ids], **extra})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_merge_action_offers_the_oldest_and_merges_into_the_one_chosen(staff, twins):
    first, second = twins
    page = merge(staff, [first.pk, second.pk])
    html = page.content.decode()
    assert page.status_code == 200 and "王先生" in html and "王生" in html
    assert f'value="{first.pk}" id="survivor-{first.pk}" checked' in html  # the oldest, unless someone chooses

    done = merge(staff, [first.pk, second.pk], survivor=str(second.pk), post="yes")

    assert done.status_code == 302
    assert list(Customer.objects.filter(pk__in=[first.pk, second.pk])) == [second]
    assert set(second.phones.values_list("number", flat=True)) == {"+8613800138000", "+862155556666"}
    assert set(second.contacts.values_list("name", flat=True)) == {"王先生", "王生"}
    assert messages_of(done) == ["Merged 1 customer into “王生”."]


def test_the_merge_action_into_the_oldest_by_default(staff, twins):
    first, second = twins
    merge(staff, [first.pk, second.pk], survivor=str(first.pk), post="yes")
    assert list(Customer.objects.filter(pk__in=[first.pk, second.pk])) == [first]


def test_merging_one_customer_is_refused_with_a_message(staff, twins):
    first, _second = twins
    response = merge(staff, [first.pk], survivor=str(first.pk), post="yes")
    assert messages_of(response) == ["Choose at least two customers to merge."]
    assert Customer.objects.filter(pk__in=[c.pk for c in twins]).count() == 2


def test_a_refused_merge_says_why_and_deletes_nothing(staff, twins, cleaned_example, agent, monkeypatch):
    from freightdesk.core.errors import DomainError
    from freightdesk.customers import admin as customers_admin

    first, second = twins

    def refuse(**kwargs):
        raise DomainError("merge_conflict", "These customers cannot be merged: both have tickets …")

    monkeypatch.setattr(customers_admin, "merge_customers", refuse)
    response = merge(staff, [first.pk, second.pk], survivor=str(first.pk), post="yes")
    assert messages_of(response) == ["These customers cannot be merged: both have tickets …"]
    assert Customer.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


def test_staff_without_the_delete_permission_cannot_merge(client, twins):
    clerk = User.objects.create_user("clerk", password="unused-password-1", is_staff=True)
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["view_customer", "change_customer"]))
    client.force_login(clerk)
    first, second = twins
    merge(client, [first.pk, second.pk], survivor=str(first.pk), post="yes")
    assert Customer.objects.filter(pk__in=[first.pk, second.pk]).count() == 2


def test_a_number_of_another_customer_is_refused_in_admin_with_a_hint_to_merge(staff, twins):
    first, second = twins
    url = reverse("admin:customers_customer_change", args=[second.pk])
    phone = second.phones.get()
    data = {
        "name": "王生",
        "company": "",
        "created_at_0": "2026-11-24",
        "created_at_1": "09:00:00",
        "phones-TOTAL_FORMS": "2",
        "phones-INITIAL_FORMS": "1",
        "phones-0-id": str(phone.pk),
        "phones-0-customer": str(second.pk),
        "phones-0-number": "021 5555 6666",
        "phones-1-customer": str(second.pk),
        "phones-1-number": "138 0013 8000",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
    }
    response = staff.post(url, data)
    assert response.status_code == 200
    assert "is already the number of “王先生”: merge the two customers instead." in response.content.decode()
    assert first.phones.get().number == "+8613800138000"


def test_the_customer_list_shows_each_customers_contacts(staff, twins, agent, cleaned_example):
    from freightdesk.orders.intake import take_order

    for name in ("王先生", "王太太"):
        take_order(data={**cleaned_example, "shipper_name": name}, channel="phone", agent=agent)
    html = staff.get(URL).content.decode()
    assert "王太太, 王先生" in html
    assert Order.objects.filter(shipper=twins[0]).count() == 2
