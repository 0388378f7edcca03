"""Call statistics (SPEC §10, issue 8 part 5): volume per hour or agent, share answered within 3 rings
(15 s, configurable), abandoned rate, average handling time — on the page and in
GET /api/v1/reports/calls, with the readers of the other reports: managers, supervisors and admins see
every call, an agent only his own; bad periods get a clear 4xx under their field."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from freightdesk.accounts.models import ApiToken
from freightdesk.telephony.ingest import ingest_event

from .factories import T0, ev, inbound, missed

DAY = T0.date().isoformat()


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        yield


@pytest.fixture
def day_of_calls(demo):
    """9:00 hour: 8011 answers one call in 8 s (talk 120 s) and misses another; 10:00 hour: 8012 answers
    after 20 s (slower than 3 rings), talks 60 s."""
    slow = [
        ev("ringing", "s1", 3600, direction="in", agent="8012", **{"from": "13900139000", "to": "4008001234"}),
        ev("answered", "s1", 3620, agent="8012"),
        ev("hangup", "s1", 3680, cause="normal"),
    ]
    for payload in [*inbound("a1"), *missed("m1"), *slow]:
        ingest_event(payload=payload, now=T0 + timedelta(hours=1, minutes=10))


def get(cti_api, user, **params):
    """GET /api/v1/reports/calls through the whole stack (middleware, Accept-Language) as ``user``."""
    from django.test import Client

    token = ApiToken.issue(user)[1]
    return Client().get(
        "/api/v1/reports/calls",
        {"from": DAY, "to": DAY, **params},
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


BY_HOUR = [
    {
        "key": "9",
        "calls": 2,
        "answered": 1,
        "answered_within_share": 0.5,
        "abandoned_rate": 0.5,
        "average_handling_seconds": 120.0,
    },
    {
        "key": "10",
        "calls": 1,
        "answered": 1,
        "answered_within_share": 0.0,
        "abandoned_rate": 0.0,
        "average_handling_seconds": 60.0,
    },
]
AGENT_8011 = {
    "key": "8011",
    "calls": 2,
    "answered": 1,
    "answered_within_share": 0.5,
    "abandoned_rate": 0.5,
    "average_handling_seconds": 120.0,
}
AGENT_8012 = {
    "key": "8012",
    "calls": 1,
    "answered": 1,
    "answered_within_share": 0.0,
    "abandoned_rate": 0.0,
    "average_handling_seconds": 60.0,
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "supervisor", "admin"])
def test_readers_get_every_call_per_hour_and_per_agent(cti_api, day_of_calls, user_for, role):
    r = get(cti_api, user_for(role), group_by="hour")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["scope"], body["answer_within_seconds"], body["from"], body["to"]) == ("all", 15, DAY, DAY)
    assert body["rows"] == BY_HOUR
    assert get(cti_api, user_for(role), group_by="agent").json()["rows"] == [AGENT_8011, AGENT_8012]


@pytest.mark.django_db
def test_an_agent_sees_only_his_own_figures(cti_api, day_of_calls, user_for, django_user_model):
    mine = get(cti_api, user_for("agent"), group_by="agent").json()
    assert (mine["scope"], mine["rows"]) == ("own", [AGENT_8011])
    assert [row["key"] for row in get(cti_api, user_for("agent"), group_by="hour").json()["rows"]] == ["9"]
    other = get(cti_api, django_user_model.objects.get(username="8012"), group_by="agent").json()
    assert other["rows"] == [AGENT_8012]


@pytest.mark.django_db
def test_three_rings_is_a_setting(cti_api, day_of_calls, user_for, settings):
    settings.TELEPHONY_ANSWER_SECONDS = 30
    body = get(cti_api, user_for("supervisor"), group_by="hour").json()
    assert body["answer_within_seconds"] == 30 and body["rows"][1]["answered_within_share"] == 1.0


@pytest.mark.django_db
def test_a_period_without_calls_has_no_rows(cti_api, day_of_calls, user_for):
    body = get(cti_api, user_for("manager"), **{"from": "2026-11-24", "to": "2026-11-24"}).json()
    assert body["rows"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["driver", "fleet_manager", "developer", "customer"])
def test_other_roles_are_refused(cti_api, day_of_calls, user_for, role):
    assert get(cti_api, user_for(role)).status_code == 403


@pytest.mark.django_db
def test_no_token_bad_token_and_the_phone_platforms_token(cti_api, day_of_calls, token_for):
    assert cti_api.get("/reports/calls").status_code == 401
    assert cti_api.get("/reports/calls", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert cti_api.get("/reports/calls", headers=token_for("pbx", "integration")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "2026-11-23", "to": "2026-11-01"}, "to", "The end date is before the start date."),
        ({"from": "last week"}, "from", "“last week” is not a date; use YYYY-MM-DD."),
        ({"from": "", "to": DAY}, "from", "Enter a date, e.g. 2026-11-01."),
        ({"from": "2022-01-01", "to": "2026-11-23"}, "to", "A report covers at most 3 years; shorten the period."),
        ({"group_by": "region"}, "group_by", "Group by one of: agent, hour."),
    ],
)
def test_bad_period_or_grouping_is_422_under_its_field(cti_api, day_of_calls, user_for, params, field, message):
    r = get(cti_api, user_for("manager"), **params)
    assert r.status_code == 422
    assert r.json()["errors"] == {field: [message]}


@pytest.mark.django_db
def test_bad_period_message_is_in_chinese_by_default(cti_api, day_of_calls, user_for):
    token = ApiToken.issue(user_for("manager"))[1]
    r = cti_api.get(
        "/reports/calls",
        headers={"Authorization": f"Bearer {token}"},
        query_params={"from": "2026-11-23", "to": "2026-11-01"},
    )
    assert r.json()["errors"]["to"] == ["结束日期早于开始日期。"]


# --- the page ------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "supervisor"])
def test_page_shows_the_days_calls_per_hour_and_agent(client, day_of_calls, user_for, role):
    client.force_login(user_for(role))
    r = client.get(reverse("telephony:stats"), {"day": DAY})
    assert r.status_code == 200
    assert r.context["by_hour"] == [{**row, "key": int(row["key"])} for row in BY_HOUR]
    assert [row["key"] for row in r.context["by_agent"]] == ["8011", "8012"]
    assert "50%" in r.content.decode()


@pytest.mark.django_db
def test_page_shows_an_agent_his_own_calls_only(agent_client, day_of_calls):
    r = agent_client.get(reverse("telephony:stats"), {"day": DAY})
    assert r.status_code == 200 and r.context["own"]
    assert r.context["by_agent"] == [AGENT_8011]


@pytest.mark.django_db
def test_page_with_a_bad_day_says_so(client, day_of_calls, user_for):
    client.force_login(user_for("supervisor"))
    r = client.get(reverse("telephony:stats"), {"day": "yesterday"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 400
    assert "“yesterday”不是日期" in r.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["driver", "fleet_manager", "customer"])
def test_page_refuses_other_roles(client, day_of_calls, user_for, role):
    client.force_login(user_for(role))
    assert client.get(reverse("telephony:stats")).status_code == 403
