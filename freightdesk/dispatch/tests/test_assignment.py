"""Who picks up (SPEC §1, §6): the fleet manager names the driver and vehicle of an order dispatched to him; the
driver gets the order SMS and his own link at once; a reassignment recalls the first driver; every refusal says
why and writes nothing."""

import pytest

from freightdesk.core.errors import DomainError
from freightdesk.dispatch.assignment import assign_driver
from freightdesk.dispatch.models import Assignment, DriverLink
from freightdesk.dispatch.services import dispatch_order
from freightdesk.messaging.models import Message, MessageKind
from freightdesk.network.models import Driver, Region, Vehicle
from freightdesk.orders.models import Order, OrderEvent

from .conftest import make_staff, take


@pytest.fixture
def fleet_world(world):
    """South is dispatched to the fleet manager 赵车管; two of his drivers, one inactive, and a north driver."""
    south = world["south"]
    wang = Driver.objects.create(name="王师傅", phone="+8613811112222", home_region=south)
    li = Driver.objects.create(name="李师傅", phone="+8613822223333", home_region=south)
    off = Driver.objects.create(name="停用师傅", phone="+8613833334444", home_region=south, active=False)
    Vehicle.objects.create(plate="沪B88888", driver=wang)
    return {**world, "wang": wang, "li": li, "off": off}


@pytest.fixture
def fleet_order(fleet_world, desk_agent):
    order = take(desk_agent, pickup_address="火车站", delivery_address="汽配城")
    dispatch_order(order=order, agent=desk_agent)
    return Order.objects.get(pk=order.pk)


def written(order):
    return (
        Assignment.objects.filter(order=order).count(),
        Message.objects.filter(order=order).count(),
        DriverLink.objects.filter(order=order).count(),
        OrderEvent.objects.filter(order=order).count(),
        Order.objects.get(pk=order.pk).driver_id,
    )


def test_a_dispatch_in_driver_mode_names_the_region_driver_as_who_picks_up(world, seed_order, desk_agent):
    dispatch_order(order=seed_order, agent=desk_agent)

    assert Order.objects.get(pk=seed_order.pk).driver == world["driver"]


def test_a_dispatch_to_the_fleet_manager_names_nobody_until_he_assigns(fleet_order):
    assert fleet_order.driver is None


def test_the_assigned_driver_gets_the_order_sms_and_his_own_link_at_once(fleet_world, fleet_order):
    wang = fleet_world["wang"]

    result = assign_driver(
        order=fleet_order, driver=wang, vehicle=Vehicle.objects.get(plate="沪B88888"), by=fleet_world["fleet"]
    )

    order = Order.objects.get(pk=fleet_order.pk)
    assert order.driver == wang
    to_him = list(Message.objects.filter(order=order, to=wang.phone).order_by("id"))
    assert [m.kind for m in to_him] == [MessageKind.DISPATCH, MessageKind.DRIVER_LINK]
    assert to_him[0].text.startswith(order.serial) and to_him[0].text.endswith("8011")  # the dispatching agent's id
    link = DriverLink.objects.get(order=order, driver=wang)
    assert link.token in to_him[1].text
    assert result.assignment.vehicle.plate == "沪B88888" and result.assignment.ended_at is None
    line = OrderEvent.objects.get(order=order, kind="assigned")
    assert "王师傅" in line.text and "沪B88888" in line.text and line.by == fleet_world["fleet"]


def test_reassigning_ends_the_first_assignment_recalls_the_first_driver_and_closes_his_link(fleet_world, fleet_order):
    fleet, wang, li = fleet_world["fleet"], fleet_world["wang"], fleet_world["li"]
    first = assign_driver(order=fleet_order, driver=wang, by=fleet).assignment

    assign_driver(order=fleet_order, driver=li, by=fleet)

    first.refresh_from_db()
    assert first.ended_at is not None
    current = Assignment.objects.get(order=fleet_order, ended_at=None)
    assert current.driver == li
    assert Order.objects.get(pk=fleet_order.pk).driver == li
    recall = Message.objects.get(order=fleet_order, to=wang.phone, kind=MessageKind.OTHER)
    assert fleet_order.serial in recall.text and "改派" in recall.text
    wang_link = DriverLink.objects.get(order=fleet_order, driver=wang)
    assert not DriverLink.objects.filter(pk=wang_link.pk, expires_at__gt=current.at).exists()
    assert [e.changes["params"]["driver"] for e in OrderEvent.objects.filter(order=fleet_order, kind="assigned")] == [
        "王师傅",
        "李师傅",
    ]


def test_naming_the_same_driver_again_sends_nothing(fleet_world, fleet_order):
    fleet, wang = fleet_world["fleet"], fleet_world["wang"]
    assign_driver(order=fleet_order, driver=wang, by=fleet)
    before = written(fleet_order)

    result = assign_driver(order=fleet_order, driver=wang, by=fleet)

    assert result.changed is False
    assert written(fleet_order) == before


def test_the_desk_reassigns_a_driver_mode_order_and_the_region_driver_is_recalled(world, seed_order, desk_agent):
    dispatch_order(order=seed_order, agent=desk_agent)
    stand_in = Driver.objects.create(name="赵师傅", phone="+8613855556666", home_region=world["north"])

    assign_driver(order=seed_order, driver=stand_in, by=desk_agent)

    assert Order.objects.get(pk=seed_order.pk).driver == stand_in
    assert Message.objects.filter(order=seed_order, to=world["driver"].phone, kind=MessageKind.OTHER).exists()


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("inactive", "is not an active driver"),
        ("other_region", "drives in a region you do not manage"),
        ("not_his_order", "was not dispatched to you"),
        ("not_dispatched", "only a dispatched order"),
    ],
)
def test_a_refused_assignment_says_why_and_writes_nothing(fleet_world, fleet_order, desk_agent, case, reason):
    fleet = fleet_world["fleet"]
    order, driver = fleet_order, fleet_world["wang"]
    if case == "inactive":
        driver = fleet_world["off"]
    elif case == "other_region":
        driver = fleet_world["driver"]  # north's driver: north has no fleet manager of his
    elif case == "not_his_order":
        order = take(desk_agent)  # north, driver mode: dispatched to the driver, not to him
        dispatch_order(order=order, agent=desk_agent)
        Region.objects.filter(pk=fleet_world["north"].pk).update(fleet_manager=fleet)
    elif case == "not_dispatched":
        order = take(desk_agent, pickup_address="火车站", delivery_address="汽配城")
    before = written(order)

    with pytest.raises(DomainError) as refused:
        assign_driver(order=order, driver=driver, by=fleet)

    assert reason in refused.value.message
    assert written(order) == before


def test_another_fleet_manager_cannot_assign_an_order_dispatched_to_someone_else(fleet_world, fleet_order):
    other = make_staff("fleet2", "fleet_manager", phone="+8613500135001")
    Region.objects.filter(pk=fleet_world["north"].pk).update(fleet_manager=other)
    before = written(fleet_order)

    with pytest.raises(DomainError):
        assign_driver(order=fleet_order, driver=fleet_world["wang"], by=other)

    assert written(fleet_order) == before
