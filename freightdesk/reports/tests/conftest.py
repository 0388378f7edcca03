"""Report fixtures: orders written directly with known times (the reports read rows, whoever wrote them), with
what the business steps store: the pickup clock from the confirmation (``orders.pickup``) and, once dispatched,
who picks up (the region's driver)."""

from datetime import datetime
from decimal import Decimal

import pytest

from freightdesk.core.worktime import TZ
from freightdesk.customers.models import Customer
from freightdesk.network.models import Region
from freightdesk.orders.models import Order
from freightdesk.orders.pickup import pickup_due
from freightdesk.tracking.models import Shipment


def at(text: str) -> datetime:
    """at("2025-09-30 17:20") -> an aware Asia/Shanghai datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def make_order(demo):
    customer = Customer.objects.create(name="王先生")
    counter = iter(range(1, 10_000))

    def make(
        created: str,
        region: str = "north",
        status: str = "dispatched",
        picked: str | None = None,
        taken_by=None,
        channel: str = "phone",
        confirmed: str | None = None,
        **fields,
    ) -> Order:
        region_row = Region.objects.get(code=region)
        if status not in ("submitted", "problem"):
            confirmed_at = at(confirmed or created)
            fields.setdefault("confirmed_at", confirmed_at)
            fields.setdefault("pickup_due_at", pickup_due(confirmed_at=confirmed_at))
        if status not in ("submitted", "problem", "confirmed"):
            fields.setdefault("driver", region_row.driver)
        order = Order.objects.create(
            serial=f"T{next(counter):08d}",
            channel=channel,
            status=status,
            shipper=customer,
            shipper_name="王先生",
            shipper_phone="+8613800138000",
            pickup_address="汽配城",
            pickup_region=region_row,
            consignee=customer,
            consignee_name="马先生",
            consignee_phone="+8613900139000",
            delivery_address="火车站",
            delivery_region=region_row,
            goods_name="配件",
            quantity=15,
            weight_kg=Decimal("200"),
            volume_m3=Decimal("2.2"),
            payment_method="shipper_pays",
            freight=Decimal("100"),
            fees_total=Decimal("0"),
            total=Decimal("100"),
            created_at=at(created),
            taken_by=taken_by,
            **fields,
        )
        if picked is not None:
            Shipment.objects.create(
                order=order, dispatched_at=at(created), pickup_due_at=at(created), picked_up_at=at(picked)
            )
        return order

    return make


@pytest.fixture
def pickup_fixture(make_order, user_for):
    """Hand-computed: the period 2025-09-29..2025-10-10, `now` 2025-10-10 09:10.

    north (driver 刘师傅): A on time across the National Day holiday, B on time, C late -> 2/3.
    south (driver 南区司机): D voided (not counted), E never picked up and overdue (late), F not yet
    due (pending), G delivered without a recorded pickup time (unknown) -> 0/1.
    """
    agent = user_for("agent")
    orders = {
        # 17:20 on the last working day before the holiday: 10 minutes that day, 20 on 10-09 -> due 08:50.
        "A": make_order("2025-09-30 17:20", picked="2025-10-09 08:45", taken_by=agent),
        "B": make_order("2025-09-29 10:00", picked="2025-09-29 10:25", taken_by=agent),
        "C": make_order("2025-09-29 11:00", picked="2025-09-29 11:45"),
        "D": make_order("2025-09-29 14:00", region="south", status="void"),
        "E": make_order("2025-09-29 15:00", region="south"),
        "F": make_order("2025-10-10 09:00", region="south"),
        "G": make_order("2025-09-29 16:00", region="south", status="delivered"),
    }
    return orders
