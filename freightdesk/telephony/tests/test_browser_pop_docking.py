"""SPEC §2 in a real browser, on the phone order page: the call pop docks beside the form (never over the
read-back script), closes for the rest of the call, and its 新建订单 fills the form from the caller's last order;
the caller look-up never overwrites what the agent typed while it was on its way."""

import pytest
from playwright.sync_api import expect

from freightdesk.telephony.ingest import ingest_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _overlap(a, b) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.fixture
def last_order(cleaned_example, agent):
    from freightdesk.orders.intake import take_order

    return take_order(data=cleaned_example, channel="phone", agent=agent).order


def ring(call_id):
    ingest_event(
        payload={
            "event": "ringing",
            "call_id": call_id,
            "direction": "in",
            "from": "13800138000",
            "to": "4008001234",
            "agent": "8011",
        }
    )


def test_the_pop_docks_beside_the_read_back_closes_and_starts_the_callers_order(last_order, login, live_server):
    page = login("8011")
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto(f"{live_server.url}/orders/new/")
    page.wait_for_selector("#cti-pop", state="attached")
    ring("dock1")
    pop = page.locator("#cti-pop [data-call='dock1']")
    expect(pop).to_contain_text(last_order.serial)
    with page.expect_navigation():
        pop.get_by_role("link", name="新建订单").click()
    # The caller's last order fills the empty fields of the new one.
    expect(page.locator("#id_pickup_address")).to_have_value("汽配城")
    expect(page.locator("#id_consignee_name")).to_have_value("马先生")
    expect(page.locator("#id_goods_name")).to_have_value("配件")
    for field, value in {"quantity": "15", "weight_kg": "200", "volume_m3": "2.2"}.items():
        page.fill(f"#id_{field}", value)
    script = page.locator("#confirmation-script")
    expect(script).to_be_visible()
    expect(page.locator("#cti-pop [data-call='dock1']")).to_be_visible()
    box = page.locator("#cti-pop").bounding_box()
    for covered in ("#confirmation-script", "#checks", "#order-form"):
        assert not _overlap(box, page.locator(covered).bounding_box()), f"the pop covers {covered}"
    # Closed, it stays closed while the same call goes on (the pop polls twice a second).
    page.click("#cti-pop [data-cti-close]")
    expect(page.locator("#cti-pop")).to_be_hidden()
    ingest_event(payload={"event": "answered", "call_id": "dock1", "agent": "8011"})  # the pop is redrawn…
    expect(page.locator("#cti-pop [data-call='dock1']")).to_have_attribute("data-state", "answered")
    expect(page.locator("#cti-pop")).to_be_hidden()  # …and stays closed
    ring("dock2")  # the next call opens it again
    expect(page.locator("#cti-pop [data-call='dock2']")).to_be_visible()


def test_the_caller_look_up_never_overwrites_what_the_agent_typed_while_it_was_on_its_way(
    last_order, login, live_server
):
    page = login("8011")
    page.goto(f"{live_server.url}/orders/new/")
    held = []
    page.route("**/orders/new/caller/**", lambda route: held.append(route))
    page.fill("#id_shipper_phone", "13800138000")
    with page.expect_request(lambda request: "/orders/new/caller/" in request.url):
        page.click("#id_shipper_name")  # leaving the number starts the look-up, held on its way
    page.keyboard.type("李小姐")  # typed after the look-up started
    page.click("#id_consignee_name")  # and in this field when the answer arrives, still empty
    assert len(held) == 1, "one look-up, held"
    held[0].continue_()
    expect(page.locator("#caller")).to_contain_text(last_order.serial)
    expect(page.locator("#id_pickup_address")).to_have_value("汽配城")  # an untouched empty field is filled
    expect(page.locator("#id_shipper_name")).to_have_value("李小姐")  # not 王先生, not 王先生李小姐
    expect(page.locator("#id_consignee_name")).to_have_value("")  # the agent is in it: left to him
