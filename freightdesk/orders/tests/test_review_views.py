"""The review desk pages: queue, supervisor overdue list, review page, calls, outcomes; and who may use them."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from freightdesk.core.worktime import TZ
from freightdesk.orders import corrections, intake, review
from freightdesk.orders.models import Channel, Order, OrderEvent, Status

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


@pytest.fixture
def web_order(cleaned_example):
    with time_machine.travel(MONDAY_10, tick=False):
        return intake.take_order(data=cleaned_example, channel=Channel.WEB).order


def test_queue_lists_awaiting_orders_and_marks_the_overdue(agent_client, web_order, cleaned_example, agent):
    intake.take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent)
    with time_machine.travel(MONDAY_10 + timedelta(minutes=45), tick=False):
        response = agent_client.get(reverse("orders:review_queue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="row-{web_order.serial}" class="overdue"' in html
    assert html.count('id="row-') == 1  # the phone order was confirmed on the phone


def test_queue_polls_as_an_htmx_partial(agent_client, web_order):
    response = agent_client.get(reverse("orders:review_queue"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert web_order.serial in html and "<html" not in html and "data-server-now" in html


def test_supervisor_sees_every_overdue_review_and_flagged_orders(client, user_for, web_order, cleaned_example):
    with time_machine.travel(MONDAY_10 + timedelta(minutes=20), tick=False):
        fresh = intake.take_order(data=cleaned_example, channel=Channel.WEB).order
    client.force_login(user_for("supervisor"))
    with time_machine.travel(MONDAY_10 + timedelta(minutes=40), tick=False):
        html = client.get(reverse("orders:overdue_reviews")).content.decode()
        assert web_order.serial in html and fresh.serial not in html
        for _ in range(3):
            review.record_call_attempt(order=fresh, agent=user_for("agent"), outcome="no_answer")
        html = client.get(reverse("orders:overdue_reviews")).content.decode()
    assert fresh.serial in html


def test_agents_cannot_open_the_supervisor_view(agent_client):
    assert agent_client.get(reverse("orders:overdue_reviews")).status_code == 403


@pytest.mark.parametrize("role", ["customer", "driver", "manager"])
def test_only_the_desk_can_review(client, user_for, web_order, role):
    client.force_login(user_for(role))
    assert client.get(reverse("orders:review_queue")).status_code == 403
    response = client.post(reverse("orders:review_outcome", args=[web_order.serial]), {"outcome": "confirm"})
    assert response.status_code == 403
    web_order.refresh_from_db()
    assert web_order.status == Status.SUBMITTED


def test_review_page_prechecks_findings_and_shows_the_script(agent_client, web_order):
    html = agent_client.get(reverse("orders:review", args=[web_order.serial])).content.decode()
    assert 'value="goods_allowed" checked' in html
    assert "可以吗" in html or "is that all right" in html
    assert web_order.serial in html and 'data-call="no_answer"' in html


def test_opening_a_review_claims_it_and_others_see_who(client, agent_client, user_for, web_order):
    agent_client.post(reverse("orders:review_claim", args=[web_order.serial]))
    web_order.refresh_from_db()
    assert web_order.claimed_by == user_for("agent")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="8012"))
    html = client.get(reverse("orders:review", args=[web_order.serial])).content.decode()
    assert '<span class="claimed">8011' in html and 'name="take_over"' in html
    queue = client.get(reverse("orders:review_queue")).content.decode()
    assert 'class="claimed">8011' in queue


def test_claiming_by_get_is_refused(agent_client, web_order):
    assert agent_client.get(reverse("orders:review_claim", args=[web_order.serial])).status_code == 405


def test_call_button_records_the_attempt(agent_client, web_order):
    response = agent_client.post(
        reverse("orders:review_call", args=[web_order.serial]), {"outcome": "no_answer"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'id="call-log"' in response.content.decode()
    assert web_order.review_calls.get().outcome == "no_answer"


def test_confirm_with_a_correction_from_the_page(agent_client, web_order):
    form = corrections.order_form_data(web_order)
    post = {f"fix-{k}": ("on" if v is True else v) for k, v in form.items() if v is not False}
    post.update({"outcome": "confirm", "fix-consignee_name": "马女士", "check": ["goods_allowed"]})
    agent_client.post(reverse("orders:review_call", args=[web_order.serial]), {"outcome": "answered"})
    response = agent_client.post(reverse("orders:review_outcome", args=[web_order.serial]), post)
    assert response.status_code == 302
    order = Order.objects.get(pk=web_order.pk)
    assert order.status == Status.CONFIRMED and order.consignee_name == "马女士"
    corrected = OrderEvent.objects.get(order=order, kind="corrected")
    assert set(corrected.changes["before"]) == {"consignee_name"}
    assert OrderEvent.objects.get(order=order, kind="reviewed").changes["checklist"] == ["goods_allowed"]


def test_a_bad_correction_shows_the_field_error_and_changes_nothing(agent_client, web_order):
    form = corrections.order_form_data(web_order)
    post = {f"fix-{k}": ("on" if v is True else v) for k, v in form.items() if v is not False}
    post.update({"outcome": "confirm", "fix-weight_kg": "-1"})
    response = agent_client.post(reverse("orders:review_outcome", args=[web_order.serial]), post)
    assert response.status_code == 422
    assert Order.objects.get(pk=web_order.pk).status == Status.SUBMITTED


def test_void_from_the_page_needs_a_reason(agent_client, web_order):
    url = reverse("orders:review_outcome", args=[web_order.serial])
    assert agent_client.post(url, {"outcome": "void", "note": "x"}).status_code == 422
    assert agent_client.post(url, {"outcome": "void", "void_reason": "duplicate", "note": "重复"}).status_code == 302
    assert Order.objects.get(pk=web_order.pk).status == Status.VOID


def test_a_second_outcome_is_a_409_with_the_reason(agent_client, web_order):
    url = reverse("orders:review_outcome", args=[web_order.serial])
    agent_client.post(url, {"outcome": "void", "void_reason": "duplicate", "note": "重复"})
    response = agent_client.post(url, {"outcome": "void", "void_reason": "duplicate", "note": "重复"})
    assert response.status_code == 409
