"""Dispatch fixtures: two regions with their recipients, a rate card, agent 8011 and the seed's example order."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from freightdesk.accounts.models import StaffProfile
from freightdesk.demo.examples import EXAMPLE_ORDER
from freightdesk.network.models import DispatchMode, Driver, RateCard, Region

SEED_ORDER = {**EXAMPLE_ORDER, "channel": "phone"}


def make_staff(username, role, *, agent_id=None, phone="", name=""):
    user = get_user_model().objects.create_user(username=username, password="freightdesk")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    StaffProfile.objects.create(user=user, agent_id=agent_id, phone=phone, display_name=name or username)
    return user


@pytest.fixture
def world(db):
    """North (汽配城): driver 张师傅 with developer 李经理 in copy. South (火车站): fleet manager 赵车管."""
    developer = make_staff("developer1", "developer", phone="+8613600136000", name="李经理")
    fleet = make_staff("fleet1", "fleet_manager", phone="+8613500135000", name="赵车管")
    north = Region.objects.create(
        code="north", name="北区", keywords="汽配城", dispatch_mode=DispatchMode.DRIVER, developer=developer
    )
    south = Region.objects.create(
        code="south", name="南区", keywords="火车站", dispatch_mode=DispatchMode.FLEET_MANAGER, fleet_manager=fleet
    )
    driver = Driver.objects.create(name="张师傅", phone="+8613700137000", home_region=north)
    north.driver = driver
    north.save()
    for a, b in [(north, south), (south, north), (north, north), (south, south)]:
        RateCard.objects.create(
            pickup_region=a,
            delivery_region=b,
            price_per_kg=Decimal("1.20"),
            price_per_m3=Decimal("200"),
            minimum_charge=Decimal("50"),
        )
    return {"north": north, "south": south, "driver": driver, "developer": developer, "fleet": fleet}


@pytest.fixture
def desk_agent(world):
    return make_staff("8011", "agent", agent_id="8011", phone="+8613100131000", name="小刘")


@pytest.fixture
def supervisor(world):
    return make_staff("8001", "supervisor", agent_id="8001", name="王组长")


def take(agent, **changes):
    """An order taken on the phone through the intake service, from OrderForm-cleaned data."""
    from freightdesk.orders.forms import OrderForm
    from freightdesk.orders.intake import take_order

    form = OrderForm({**SEED_ORDER, **changes})
    assert form.is_valid(), form.errors
    return take_order(data=form.cleaned_data, channel="phone", agent=agent).order


@pytest.fixture
def seed_order(desk_agent):
    return take(desk_agent)


@pytest.fixture
def desk_client(client, desk_agent):
    client.force_login(desk_agent)
    return client


@pytest.fixture(autouse=True)
def english():
    """Rule tests read the English msgids; the Chinese translations are checked by the i18n pass."""
    from django.utils import translation

    with translation.override("en"):
        yield
