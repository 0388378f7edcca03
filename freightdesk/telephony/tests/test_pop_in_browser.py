"""SPEC §2 in a real browser: the PBX rings agent 8011 for 王先生's number and, within a second, his pop
shows 王先生 and his order of that day."""

import time

import pytest

from freightdesk.telephony.ingest import ingest_event


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ringing_call_pops_the_callers_order_within_a_second(login, live_server, cleaned_example, agent):
    from freightdesk.orders.intake import take_order

    order = take_order(data=cleaned_example, channel="phone", agent=agent).order
    page = login("8011")
    page.goto(f"{live_server.url}/orders/")
    page.wait_for_selector("#cti-pop", state="attached")
    timings = []
    for i in range(5):
        started = time.monotonic()
        ingest_event(
            payload={
                "event": "ringing",
                "call_id": f"br{i}",
                "direction": "in",
                "from": "13800138000",
                "to": "4008001234",
                "agent": "8011",
            }
        )
        page.wait_for_selector(f"#cti-pop [data-call='br{i}'] >> text={order.serial}", timeout=5000)
        timings.append(time.monotonic() - started)
        ingest_event(payload={"event": "hangup", "call_id": f"br{i}", "cause": "cancelled"})
    assert "王先生" in page.inner_text("#cti-pop")
    print(f"event -> visible pop: {[round(t, 3) for t in timings]} s")
    # The target (p95 under 1 s) is measured by bench/; here the typical pop must be well inside it, and
    # a single slow sample on a busy test machine (the suite runs on both cores) does not fail the build.
    assert sorted(timings)[2] < 1.0 and max(timings) < 3.0, timings
