"""Merging duplicate customers: every row that points at the duplicate moves to the survivor, the duplicate
goes, all in one transaction or nothing; refused with a reason a person understands."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError
from django.db.models import QuerySet

from freightdesk.accounts.models import CustomerAccount
from freightdesk.conversations.models import Conversation
from freightdesk.core.errors import DomainError
from freightdesk.core.tests.concurrency import at_once
from freightdesk.customers.merging import merge_customers
from freightdesk.customers.models import Address, Contact, Customer
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Order
from freightdesk.outbound.models import CallItem, CallList
from freightdesk.telephony.models import Call
from freightdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WANG = "+8613800138000"
SHOP = "+862155556666"


@pytest.fixture
def wang_and_his_shop(cleaned_example, agent):
    """王先生 ordered from his mobile; later someone wrote him down again under his shop's landline, with an
    order, a ticket, a call, a chat, an outbound call item, a customer account, a contact and addresses."""
    wang = take_order(data=cleaned_example, channel="phone", agent=agent, now=T0).order.shipper
    data = {**cleaned_example, "shipper_phone": SHOP, "shipper_name": "王生"}
    shop = take_order(data=data, channel="phone", agent=agent, now=T0 + timedelta(days=2)).order.shipper
    Address.objects.create(customer=shop, text="汽配城B区3号", last_used_at=T0 + timedelta(days=1))
    Ticket.objects.create(
        number="T2611230001", channel="phone", category="inquiry", subcategory="other", description="问价",
        owner_group="agent", customer=shop,
    )  # fmt: skip
    Call.objects.create(call_id="c-shop", customer=shop)
    Conversation.objects.create(channel="chat", customer_name="王生", customer_phone=SHOP, customer=shop)
    call_list = CallList.objects.create(name="回访", kind="new")
    CallItem.objects.create(call_list=call_list, phone=SHOP, customer=shop)
    CustomerAccount.objects.create(user=User.objects.create_user("wang-shop"), customer=shop)
    return wang, shop


def rows_pointing_at(customer) -> dict[str, int]:
    """Every row of every table with a foreign key to customers (hidden relations too) that points at him."""
    counts = {}
    for relation in Customer._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one):
            model = relation.related_model
            label = f"{model._meta.label}.{relation.field.name}"
            counts[label] = model._base_manager.filter(**{relation.field.name: customer.pk}).count()
    return counts


def test_merge_moves_every_related_row_and_deletes_the_duplicate(wang_and_his_shop):
    wang, shop = wang_and_his_shop
    before = rows_pointing_at(shop)
    assert before["outbound.CallItem.customer"] == 1  # a hidden relation (related_name="+") is counted too

    merge_customers(survivor=wang, duplicates=[shop], now=T0 + timedelta(days=3))

    assert not Customer.objects.filter(pk=shop.pk).exists()
    assert set(rows_pointing_at(shop).values()) == {0}
    after = rows_pointing_at(wang)
    for label in ("orders.Order.shipper", "tickets.Ticket.customer", "telephony.Call.customer"):
        assert after[label] >= before[label] > 0, label
    assert Order.objects.filter(shipper=wang).count() == 2
    assert CallItem.objects.get().customer == wang
    assert Conversation.objects.get().customer == wang
    assert CustomerAccount.objects.get(user__username="wang-shop").customer == wang
    assert set(wang.phones.values_list("number", flat=True)) == {WANG, SHOP}
    assert set(wang.contacts.values_list("name", flat=True)) == {"王先生", "王生"}
    # Both had 汽配城: kept once, with the latest use; the shop's other address moved.
    assert wang.addresses.filter(text="汽配城").get().last_used_at == T0 + timedelta(days=2)
    assert set(wang.addresses.values_list("text", flat=True)) == {"汽配城", "汽配城B区3号"}
    wang.refresh_from_db()
    assert (wang.created_at, wang.last_order_at) == (T0, T0 + timedelta(days=2))


def test_merge_into_the_younger_keeps_the_earliest_first_contact_time(wang_and_his_shop):
    wang, shop = wang_and_his_shop
    merge_customers(survivor=shop, duplicates=[wang])
    shop.refresh_from_db()
    assert shop.created_at == T0 and shop.name == "王生"
    assert Order.objects.filter(shipper=shop).count() == 2


def test_merge_is_all_or_nothing(wang_and_his_shop, monkeypatch):
    wang, shop = wang_and_his_shop
    before = rows_pointing_at(shop)
    real_update = QuerySet.update

    def tickets_refuse(self, **kwargs):
        if self.model is Ticket:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", tickets_refuse)
    with pytest.raises(DomainError) as refused:
        merge_customers(survivor=wang, duplicates=[shop])
    monkeypatch.undo()

    assert refused.value.code == "merge_conflict"
    assert str(Ticket._meta.verbose_name_plural) in refused.value.message
    assert Customer.objects.filter(pk=shop.pk).exists()
    assert rows_pointing_at(shop) == before  # orders, numbers, addresses moved before the tickets: moved back
    assert list(wang.phones.values_list("number", flat=True)) == [WANG]
    assert not Contact.objects.filter(customer=wang, name="王生").exists()


def test_a_customer_cannot_be_merged_with_himself_alone(wang_and_his_shop):
    wang, _shop = wang_and_his_shop
    with pytest.raises(DomainError) as refused:
        merge_customers(survivor=wang, duplicates=[wang])
    assert refused.value.code == "merge_nothing"


def test_two_duplicates_with_the_same_address_merge_into_one_address(demo):
    keep, a, b = (Customer.objects.create(name=n, created_at=T0 + timedelta(hours=i)) for i, n in enumerate("甲乙丙"))
    for customer in (a, b):
        Address.objects.create(customer=customer, text="火车站货场3号门")
    merge_customers(survivor=keep, duplicates=[a, b])
    assert list(keep.addresses.values_list("text", flat=True)) == ["火车站货场3号门"]
    assert set(keep.contacts.values_list("name", flat=True)) == {"甲", "乙", "丙"}
    assert not Customer.objects.filter(pk__in=[a.pk, b.pk]).exists()


@pytest.mark.django_db(transaction=True)
def test_orders_taken_while_a_merge_runs_all_end_on_the_survivor(cleaned_example, agent):
    wang = take_order(data=cleaned_example, channel="phone", agent=agent).order.shipper
    shop_order = {**cleaned_example, "shipper_phone": SHOP, "shipper_name": "王生"}
    shop = take_order(data=shop_order, channel="phone", agent=agent).order.shipper

    def work(kind):
        if kind == "merge":
            return merge_customers(survivor=wang, duplicates=[shop])
        return take_order(data=shop_order, channel="phone", agent=agent)

    at_once(work, ["merge", *["order"] * 5])

    assert not Customer.objects.filter(pk=shop.pk).exists()
    from_the_shop = Order.objects.filter(shipper_phone=SHOP)
    assert from_the_shop.count() == 6
    assert set(from_the_shop.values_list("shipper", flat=True)) == {wang.pk}
    assert Contact.objects.filter(customer=wang, name="王生").count() == 1
