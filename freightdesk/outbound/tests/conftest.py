"""Outbound fixtures: customers, orders and tickets written directly with known times (the rules read rows)."""

from datetime import datetime
from decimal import Decimal
from itertools import count

import pytest

from freightdesk.core.phones import normalize_phone
from freightdesk.core.worktime import TZ
from freightdesk.customers.models import Customer, CustomerPhone
from freightdesk.network.models import Region
from freightdesk.orders.models import Order

MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=TZ)  # a working Monday
_serials = count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(MONDAY_10, tick=False)
    return MONDAY_10


@pytest.fixture
def supervisor(user_for):
    return user_for("supervisor")


@pytest.fixture
def agent2(user_for):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="8012")


@pytest.fixture
def make_customer(demo):
    def make(name: str, phone: str, created: datetime, last_order: datetime | None = None) -> Customer:
        customer = Customer.objects.create(name=name, created_at=created, last_order_at=last_order)
        CustomerPhone.objects.create(customer=customer, number=normalize_phone(phone))
        return customer

    return make


@pytest.fixture
def make_order(demo):
    def make(customer: Customer, created: datetime, total: str = "100", status: str = "delivered") -> Order:
        region = Region.objects.order_by("pk").first()
        return Order.objects.create(
            serial=f"OB{next(_serials):08d}",
            channel="phone",
            status=status,
            shipper=customer,
            shipper_name=customer.name,
            shipper_phone="+8613800138000",
            pickup_address="汽配城",
            pickup_region=region,
            consignee=customer,
            consignee_name="马先生",
            consignee_phone="+8613900139000",
            delivery_address="火车站",
            delivery_region=region,
            goods_name="配件",
            quantity=1,
            weight_kg=Decimal("20"),
            volume_m3=Decimal("0.2"),
            payment_method="shipper_pays",
            freight=Decimal(total),
            fees_total=Decimal("0"),
            total=Decimal(total),
            created_at=created,
        )

    return make
