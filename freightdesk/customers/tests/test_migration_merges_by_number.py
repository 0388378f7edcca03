"""The data migration before a number is made unique: customers that shared a number — directly or through a
second number — become the oldest of them, with everything that pointed at the others."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from freightdesk.customers.models import Address, Customer, CustomerPhone
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Order

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WANG, SHOP, OTHER = "+8613800138000", "+862155556666", "+8613500135000"
BEFORE = [("customers", "0003_contact")]


def migrate(targets=None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_customers_sharing_a_number_into_the_oldest(cleaned_example, agent):
    order = take_order(data=cleaned_example, channel="phone", agent=agent, now=T0).order
    oldest = order.shipper  # 王先生 on his mobile
    migrate(BEFORE)  # a number may again belong to several customers
    try:
        li = Customer.objects.create(name="李小姐", created_at=T0 + timedelta(days=1), last_order_at=T0)
        shop = Customer.objects.create(name="王生", created_at=T0 + timedelta(days=2), last_order_at=T0)
        CustomerPhone.objects.bulk_create(
            [CustomerPhone(customer=li, number=WANG), CustomerPhone(customer=li, number=SHOP)]
            + [CustomerPhone(customer=shop, number=SHOP)]
        )
        Address.objects.create(customer=li, text="汽配城", last_used_at=T0 + timedelta(days=1))
        Order.objects.filter(pk=order.pk).update(consignee=shop)
        alone = Customer.objects.create(name="赵小姐", created_at=T0)
        CustomerPhone.objects.create(customer=alone, number=OTHER)
    finally:
        migrate()

    assert not Customer.objects.filter(pk__in=[li.pk, shop.pk]).exists()
    assert Order.objects.get(pk=order.pk).consignee_id == oldest.pk
    assert sorted(CustomerPhone.objects.filter(customer=oldest).values_list("number", flat=True)) == sorted(
        [WANG, SHOP]
    )
    assert set(oldest.contacts.values_list("name", flat=True)) == {"王先生", "李小姐", "王生"}
    assert oldest.addresses.get(text="汽配城").last_used_at == T0 + timedelta(days=1)
    assert list(alone.contacts.values_list("name", flat=True)) == ["赵小姐"]
