"""``manage.py play_calls`` plays a day of synthetic calls against a running server; the callers are the demo
customers, so their calls match them and pop their orders."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from freightdesk.telephony.models import Call, CallEvent
from freightdesk.telephony.synthetic import DAY_SECONDS, synthetic_day


def test_a_planned_day_is_in_working_hours_and_every_call_ends():
    plan = synthetic_day(200, ["13800138000", "02188887777"], ["8011", "8012"], seed=3)
    assert all(0 <= p.offset < DAY_SECONDS + 3600 for p in plan)
    assert plan == sorted(plan, key=lambda p: p.offset)
    by_call = Counter(p.event["call_id"] for p in plan if p.event["event"] == "hangup")
    assert len(by_call) == 200 and set(by_call.values()) == {1}
    kinds = Counter((p.event["event"], p.event.get("cause", p.event.get("direction"))) for p in plan)
    assert kinds[("hangup", "normal")] > 100 and kinds[("ringing", "out")] > 5
    assert sum(n for (event, cause), n in kinds.items() if event == "hangup" and cause != "normal") > 15


@pytest.mark.django_db(transaction=True)
def test_play_calls_against_a_live_server_matches_the_demo_customers(live_server, token_for, cleaned_example, agent):
    from freightdesk.orders.intake import take_order

    take_order(data=cleaned_example, channel="phone", agent=agent)  # 王先生 13800138000 has an order
    out = StringIO()
    call_command(
        "play_calls",
        url=live_server.url,
        token=token_for("pbx", "integration")["Authorization"][7:],
        calls=12,
        speed=20000,
        seed=5,
        prefix="t",
        stdout=out,
    )
    assert "0 refused" in out.getvalue()
    assert Call.objects.filter(call_id__startswith="t-").count() == 12
    assert not Call.objects.exclude(state="ended").exists()
    known = Call.objects.filter(customer__isnull=False)
    assert known.filter(customer__name="王先生").exists()
    assert CallEvent.objects.count() >= 12 * 2


@pytest.mark.django_db(transaction=True)
def test_play_calls_with_a_bad_token_stops_with_the_servers_answer(live_server, demo):
    with pytest.raises(CommandError, match="HTTP 401"):
        call_command(
            "play_calls",
            url=live_server.url,
            token="nope",
            calls=2,
            speed=20000,
            seed=1,
            numbers="13800138000",
            stdout=StringIO(),
        )
    assert not Call.objects.exists()
