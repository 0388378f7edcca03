"""Shared API fixtures: the seed's two regions and route, an agent (8011) with a token, customer
accounts, and a client that speaks bearer JSON. (May move to a project-level conftest.)"""

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User

from freightdesk.accounts.models import ApiToken, CustomerAccount, StaffProfile
from freightdesk.accounts.roles import Role
from freightdesk.customers.models import Customer, CustomerPhone
from freightdesk.demo.examples import EXAMPLE_ORDER_JSON
from freightdesk.network.models import RateCard, Region
from freightdesk.orders.models import Order
from freightdesk.telephony.models import CallEvent
from freightdesk.tickets.models import Ticket
from freightdesk.tracking.models import StatusEvent

EXAMPLE_ORDER = EXAMPLE_ORDER_JSON


def example_order(**changes) -> dict:
    """A deep copy of the seed's example order; `goods__quantity=0` changes a nested field."""
    body = json.loads(json.dumps(EXAMPLE_ORDER))
    for key, value in changes.items():
        target, *rest = key.split("__")
        if rest:
            body[target][rest[0]] = value
        else:
            body[target] = value
    return body


@pytest.fixture
def regions(db):
    north = Region.objects.create(code="north", name="北区", keywords="汽配城")
    south = Region.objects.create(code="south", name="南区", keywords="火车站")
    RateCard.objects.create(
        pickup_region=north,
        delivery_region=south,
        price_per_kg=Decimal("1.00"),
        price_per_m3=Decimal("100.00"),
        minimum_charge=Decimal("50.00"),
    )
    return north, south


def make_user(username: str, *roles: str) -> User:
    user = User.objects.create_user(username=username, password="x-unused-password")
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def token_for(user) -> str:
    return ApiToken.issue(user, name="test")[1]


@pytest.fixture
def agent(db):
    user = make_user("wang8011", "agent")
    StaffProfile.objects.create(user=user, agent_id="8011", display_name="小王")
    return user


@pytest.fixture
def agent_token(agent) -> str:
    return token_for(agent)


def make_customer_account(username: str, name: str, phone: str) -> tuple[User, str]:
    customer = Customer.objects.create(name=name)
    CustomerPhone.objects.create(customer=customer, number=phone)
    user = make_user(username, "customer")
    CustomerAccount.objects.create(user=user, customer=customer)
    return user, token_for(user)


@pytest.fixture
def customer_a(db):
    return make_customer_account("company-a", "王先生", "+8613800138000")


@pytest.fixture
def customer_b(db):
    return make_customer_account("company-b", "李小姐", "+8613700137000")


class ApiClient:
    """Django's test client with a bearer token, JSON bodies and an Accept-Language."""

    def __init__(self, client, token: str | None = None, lang: str = "zh-hans"):
        self.client, self.token, self.lang = client, token, lang

    def _headers(self, headers):
        out = {"HTTP_ACCEPT_LANGUAGE": self.lang}
        if self.token:
            out["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        for name, value in (headers or {}).items():
            out["HTTP_" + name.upper().replace("-", "_")] = value
        return out

    def get(self, path, params=None, headers=None):
        return self.client.get("/api/v1" + path, params or {}, **self._headers(headers))

    def post(self, path, body=None, *, raw: bytes | str | None = None, headers=None):
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False)
        return self.client.post("/api/v1" + path, data, content_type="application/json", **self._headers(headers))

    def as_(self, token=None, lang=None) -> "ApiClient":
        return ApiClient(self.client, token if token is not None else self.token, lang or self.lang)


@pytest.fixture
def api(client, agent_token, regions) -> ApiClient:
    """The agent 8011's client; `api.as_(token=..., lang="en")` for someone else or another language."""
    return ApiClient(client, agent_token)


@pytest.fixture
def everything(demo, client):
    """A token holding every staff role, a confirmed phone order, a dispatched one and a ticket."""
    user = User.objects.create_user("hostile")
    for role in Role:
        if role != Role.CUSTOMER:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
    StaffProfile.objects.create(user=user, agent_id="8098", display_name="probe")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user)[1]}", "HTTP_ACCEPT_LANGUAGE": "en"}

    def post(path, body):
        response = client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", **headers)
        assert response.status_code in (200, 201), response.content
        return response.json()

    confirmed = post("/orders", example_order())["serial"]
    dispatched = post("/orders", example_order())["serial"]
    post(f"/orders/{dispatched}/dispatch", {})
    ticket = post("/tickets", TICKET)["number"]
    return {"headers": headers, "confirmed": confirmed, "dispatched": dispatched, "ticket": ticket}


TICKET = {
    "category": "complaint",
    "subcategory": "transit_time",
    "channel": "phone",
    "customer": {"name": "王先生", "phone": "13800138000"},
    "description": "还没来提货",
    "demand": "尽快",
}


def writes() -> tuple:
    """The rows a refused request must not have added."""
    return (Order.objects.count(), Ticket.objects.count(), StatusEvent.objects.count(), CallEvent.objects.count())
