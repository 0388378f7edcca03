"""Master data is edited in Django admin (SPEC §1) with checks that keep dispatch and intake working."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from freightdesk.accounts.admin import StaffProfileForm
from freightdesk.accounts.models import ApiToken, StaffProfile
from freightdesk.customers.models import Customer, CustomerPhone
from freightdesk.network.admin import DriverForm, RegionForm
from freightdesk.network.models import Driver, ProhibitedGoods, RateCard, Region
from freightdesk.orders.models import Order, OrderEvent, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def staff(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


def user_in(username: str, *groups: str) -> User:
    user = User.objects.create_user(username=username, password="unused-password-1")
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def region_data(**changes) -> dict:
    data = {"code": "qpc", "name": "汽配城", "keywords": "汽配城", "dispatch_mode": "driver", "active": "on"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- Region -----------------------------------------------------------------------------------


def test_region_developer_must_be_in_the_developer_group():
    clerk = user_in("clerk", "agent")
    form = RegionForm(region_data(developer=clerk.pk))
    # Not offered in the list, and refused with a clear message even if posted.
    assert clerk not in form.fields["developer"].queryset
    form.fields["developer"].queryset = User.objects.all()
    assert not form.is_valid()
    assert form.errors["developer"] == ["clerk is not in the group “developer” (market developer)."]


def test_region_fleet_manager_must_be_in_the_fleet_manager_group():
    dev = user_in("dev", "developer")
    form = RegionForm(region_data(dispatch_mode="fleet_manager", fleet_manager=dev.pk))
    form.fields["fleet_manager"].queryset = User.objects.all()
    assert not form.is_valid()
    assert form.errors["fleet_manager"] == ["dev is not in the group “fleet_manager”."]


def test_region_with_developer_and_driver_in_their_roles_is_valid_without_warnings():
    dev = user_in("dev", "developer")
    driver = Driver.objects.create(name="李师傅", phone="+8613700137000")
    form = RegionForm(region_data(developer=dev.pk, driver=driver.pk))
    assert form.is_valid(), form.errors
    assert form.warnings == []


def test_a_developer_who_lost_his_role_is_shown_but_refused_on_save():
    dev = user_in("dev", "developer")
    region = Region.objects.create(code="qpc", name="汽配城", keywords="汽配城", developer=dev)
    dev.groups.clear()
    form = RegionForm(region_data(developer=dev.pk), instance=region)
    assert dev in form.fields["developer"].queryset
    assert not form.is_valid()
    assert "developer" in form.errors


def test_region_in_driver_mode_without_driver_is_saved_with_a_warning(staff):
    response = staff.post(reverse("admin:network_region_add"), region_data(), follow=True)
    assert response.status_code == 200
    assert Region.objects.filter(code="qpc").exists()
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert any("has no driver" in w for w in warnings), warnings
    assert any("no market developer" in w for w in warnings), warnings


def test_region_in_fleet_manager_mode_without_fleet_manager_warns():
    form = RegionForm(region_data(dispatch_mode="fleet_manager"))
    assert form.is_valid(), form.errors
    assert form.warnings == [
        "Region 汽配城 dispatches to its fleet manager but has none: its orders cannot be sent by SMS until one is set."
    ]


def test_an_inactive_region_needs_no_recipients():
    form = RegionForm(region_data(active=None))
    assert form.is_valid(), form.errors
    assert form.warnings == []


def test_a_keyword_of_another_active_region_is_refused():
    Region.objects.create(code="hcz", name="火车站", keywords="火车站,站前路")
    form = RegionForm(region_data(keywords="汽配城，站前路"))
    assert not form.is_valid()
    assert form.errors["keywords"] == [
        "These keywords already belong to another region: “站前路” (火车站). An address must resolve to one region."
    ]


def test_region_keywords_are_stored_one_per_line():
    form = RegionForm(region_data(keywords="汽配城， 汽配城A区、汽配城\n"))
    assert form.is_valid(), form.errors
    region = form.save()
    assert region.keywords == "汽配城\n汽配城A区"
    assert region.keyword_list() == ["汽配城", "汽配城A区"]


# --- Driver, rate card, prohibited goods ------------------------------------------------------------


@pytest.mark.parametrize("written", ["138 0013 8000", "+86 138-0013-8000", "13800138000"])
def test_driver_phone_is_stored_in_e164(written):
    form = DriverForm({"name": "李师傅", "phone": written, "active": "on"})
    assert form.is_valid(), form.errors
    assert form.save().phone == "+8613800138000"


def test_driver_phone_that_is_not_a_phone_is_refused_with_a_message():
    form = DriverForm({"name": "李师傅", "phone": "123", "active": "on"})
    assert not form.is_valid()
    assert form.errors["phone"] == ["“123” is not a phone number."]


def test_a_driver_login_must_hold_the_driver_role():
    clerk = user_in("clerk", "agent")
    form = DriverForm({"name": "李师傅", "phone": "13800138000", "user": clerk.pk, "active": "on"})
    assert not form.is_valid()
    assert form.errors["user"] == ["clerk is not in the group “driver”."]


def test_driver_added_in_admin_with_vehicle(staff):
    response = staff.post(
        reverse("admin:network_driver_add"),
        {
            "name": "李师傅",
            "phone": "137 0013 7000",
            "active": "on",
            "vehicles-TOTAL_FORMS": "1",
            "vehicles-INITIAL_FORMS": "0",
            "vehicles-0-plate": "沪a 12345",
            "vehicles-0-capacity_kg": "5000",
            "vehicles-0-capacity_m3": "30",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    driver = Driver.objects.get()
    assert driver.phone == "+8613700137000"
    assert driver.vehicles.get().plate == "沪A12345"


def test_driver_admin_finds_a_driver_by_any_written_number(staff):
    Driver.objects.create(name="李师傅", phone="+8613700137000")
    response = staff.get(reverse("admin:network_driver_changelist"), {"q": "137-0013-7000"})
    assert [d.name for d in response.context["cl"].result_list] == ["李师傅"]


def test_a_second_rate_card_for_the_same_route_is_refused(staff):
    a = Region.objects.create(code="a", name="甲", keywords="甲地")
    b = Region.objects.create(code="b", name="乙", keywords="乙地")
    RateCard.objects.create(pickup_region=a, delivery_region=b, price_per_kg=1, price_per_m3=100, minimum_charge=50)
    response = staff.post(
        reverse("admin:network_ratecard_add"),
        {
            "pickup_region": a.pk,
            "delivery_region": b.pk,
            "price_per_kg": "2",
            "price_per_m3": "200",
            "minimum_charge": "60",
            "transit_hours": "24",
        },
    )
    assert response.status_code == 200
    assert RateCard.objects.count() == 1
    assert Decimal(RateCard.objects.get().price_per_kg) == Decimal("1")


@pytest.mark.parametrize(("query", "expected"), [("92号汽油", "汽油"), ("爆炸物品", "雷管"), ("海洛", "海洛因")])
def test_prohibited_goods_admin_searches_name_synonyms_and_category(staff, query, expected):
    ProhibitedGoods.objects.get_or_create(name="汽油", defaults={"category": "易燃液体", "synonyms": "92号汽油"})
    ProhibitedGoods.objects.get_or_create(name="雷管", defaults={"category": "爆炸物品", "synonyms": "电雷管"})
    ProhibitedGoods.objects.get_or_create(name="海洛因", defaults={"category": "毒品", "synonyms": "heroin"})
    response = staff.get(reverse("admin:network_prohibitedgoods_changelist"), {"q": query})
    assert expected in [g.name for g in response.context["cl"].result_list]


def test_prohibited_goods_synonyms_are_normalised_to_commas(staff):
    response = staff.post(
        reverse("admin:network_prohibitedgoods_add"),
        {
            "name": "测试品",
            "category": "其他物品",
            "synonyms": "甲，乙、丙\n测试品,甲",
            "reason": "测试",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert ProhibitedGoods.objects.get(name="测试品").synonyms == "甲,乙,丙"


# --- People -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("agent_id", ["801", "80111", "8o11", "80 1"])
def test_agent_id_is_exactly_four_digits(agent_id):
    form = StaffProfileForm({"agent_id": agent_id}, instance=StaffProfile(user=user_in("someone")))
    assert not form.is_valid()
    assert "agent_id" in form.errors


def test_agent_id_is_unique():
    StaffProfile.objects.create(user=user_in("first"), agent_id="8011")
    form = StaffProfileForm({"agent_id": "8011"}, instance=StaffProfile(user=user_in("second")))
    assert not form.is_valid()
    assert "agent_id" in form.errors


def test_several_staff_may_have_no_agent_id_and_the_phone_is_normalised():
    StaffProfile.objects.create(user=user_in("first"), agent_id=None)
    form = StaffProfileForm({"agent_id": " ", "phone": "021-88887777"}, instance=StaffProfile(user=user_in("second")))
    assert form.is_valid(), form.errors
    profile = form.save()
    assert (profile.agent_id, profile.phone) == (None, "+862188887777")


def test_user_admin_shows_the_staff_profile_inline_and_finds_by_agent_id(staff):
    user = user_in("wang", "agent")
    StaffProfile.objects.create(user=user, agent_id="8011", display_name="小王")
    page = staff.get(reverse("admin:auth_user_change", args=[user.pk]))
    assert b'name="profile-0-agent_id"' in page.content
    found = staff.get(reverse("admin:auth_user_changelist"), {"q": "8011"})
    assert [u.username for u in found.context["cl"].result_list] == ["wang"]


def test_api_tokens_are_not_added_in_admin_and_the_hash_is_read_only(staff):
    token, _raw = ApiToken.issue(user_in("integration"), name="telephony")
    assert staff.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    page = staff.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert b'name="key_hash"' not in page.content
    assert token.key_hash.encode() in page.content


# --- Customers and orders -----------------------------------------------------------------------------


def test_customer_admin_finds_a_customer_by_any_written_number(staff):
    wang = Customer.objects.create(name="王先生")
    CustomerPhone.objects.create(customer=wang, number="+8613800138000")
    Customer.objects.create(name="马先生")
    response = staff.get(reverse("admin:customers_customer_changelist"), {"q": "138 0013 8000"})
    assert [c.name for c in response.context["cl"].result_list] == ["王先生"]


def test_customer_phone_added_in_admin_is_normalised_or_refused(staff):
    url = reverse("admin:customers_customer_add")
    base = {
        "name": "王先生",
        "company": "",
        "created_at_0": "2026-11-23",
        "created_at_1": "09:00:00",
        "phones-TOTAL_FORMS": "1",
        "phones-INITIAL_FORMS": "0",
        "addresses-TOTAL_FORMS": "0",
        "addresses-INITIAL_FORMS": "0",
    }
    refused = staff.post(url, {**base, "phones-0-number": "12345"})
    assert refused.status_code == 200
    assert "“12345” is not" in refused.content.decode()
    assert not Customer.objects.exists()
    saved = staff.post(url, {**base, "phones-0-number": "021 8888 7777"})
    assert saved.status_code == 302
    assert list(CustomerPhone.objects.values_list("number", flat=True)) == ["+862188887777"]


@pytest.fixture
def order():
    region = Region.objects.create(code="qpc", name="汽配城", keywords="汽配城")
    wang = Customer.objects.create(name="王先生")
    order = Order.objects.create(
        serial="261123001",
        channel="phone",
        status=Status.CONFIRMED,
        shipper=wang,
        shipper_name="王先生",
        shipper_phone="+8613800138000",
        pickup_address="汽配城",
        pickup_region=region,
        consignee=wang,
        consignee_name="马先生",
        consignee_phone="+8613900139000",
        delivery_address="汽配城",
        delivery_region=region,
        goods_name="配件",
        quantity=15,
        weight_kg=200,
        volume_m3=Decimal("2.2"),
        payment_method="shipper_pays",
        freight=Decimal("264"),
        fees_total=Decimal("100"),
        total=Decimal("364"),
    )
    OrderEvent.objects.create(order=order, kind="taken", by_label="8011", text="taken by 8011")
    return order


def test_order_admin_is_read_only_even_for_a_superuser(staff, order):
    change_url = reverse("admin:orders_order_change", args=[order.pk])
    page = staff.get(change_url)
    assert page.status_code == 200
    assert "taken by 8011" in page.content.decode()
    assert b'name="_save"' not in page.content
    assert staff.post(change_url, {"status": Status.VOID}).status_code == 403
    assert staff.get(reverse("admin:orders_order_add")).status_code == 403
    assert staff.post(reverse("admin:orders_order_delete", args=[order.pk]), {"post": "yes"}).status_code == 403
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED


@pytest.mark.parametrize("query", ["261123001", "138 0013 8000", "+86 139 0013 9000", "王先"])
def test_order_admin_searches_by_serial_phone_and_name(staff, order, query):
    response = staff.get(reverse("admin:orders_order_changelist"), {"q": query})
    assert [o.serial for o in response.context["cl"].result_list] == ["261123001"]


def test_order_admin_search_for_an_unknown_serial_finds_nothing(staff, order):
    response = staff.get(reverse("admin:orders_order_changelist"), {"q": "261123002"})
    assert list(response.context["cl"].result_list) == []


OUR_APPS = {"accounts", "auth", "customers", "network", "orders"}


def test_every_admin_list_of_our_models_renders(staff, order):
    StaffProfile.objects.create(user=user_in("wang", "agent"), agent_id="8011")
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert staff.get(url).status_code == 200, url
        if model_admin.has_add_permission(staff.get(url).wsgi_request):
            assert staff.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")).status_code == 200
