"""QA sweep regressions on the dispatch pages: recipients and shortening rules read in Chinese, tables are
tables (not the form grid), and a manager's links from the missed-dispatch page lead to pages he may open."""

from datetime import timedelta

import pytest
from django.urls import reverse

from freightdesk.dispatch.services import dispatch_order

from .conftest import make_staff

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_the_dispatch_page_names_recipients_and_rules_in_chinese(desk_client, seed_order):
    before = desk_client.get(reverse("dispatch:order", args=[seed_order.serial]), **ZH).content.decode()
    preview = before.split('id="preview"')[1]
    assert "司机: 张师傅" in preview and "市场开拓人员: 李经理" in preview
    assert "称谓缩写" in preview and "honorifics" not in preview and "driver:" not in preview

    desk_client.post(reverse("dispatch:order", args=[seed_order.serial]))
    after = desk_client.get(reverse("dispatch:order", args=[seed_order.serial]), **ZH).content.decode()
    sent = after.split('id="sent"')[1]
    assert '<table class="grid"' not in after
    assert "<td>司机 张师傅" in sent and '<option value="driver">司机</option>' in sent


def test_a_manager_opens_a_missed_dispatch_as_the_order_page(client, world, seed_order, desk_agent):
    dispatch_order(order=seed_order, agent=desk_agent, now=seed_order.dispatch_due_at + timedelta(minutes=2))
    client.force_login(make_staff("boss", "manager"))

    page = client.get(reverse("dispatch:missed")).content.decode()

    assert reverse("orders:detail", args=[seed_order.serial]) in page
    assert reverse("dispatch:order", args=[seed_order.serial]) not in page
    assert client.get(reverse("orders:detail", args=[seed_order.serial])).status_code == 200


def test_the_confirming_call_is_offered_only_to_the_dispatch_recipients(desk_client, seed_order):
    from freightdesk.messaging.services import Outgoing, queue_message

    # a web order's customer has had texts about his order before it is dispatched
    queue_message(
        outgoing=Outgoing(to="13800138000", text="您的订单已收到", role="customer", name="王先生"), order=seed_order
    )
    desk_client.post(reverse("dispatch:order", args=[seed_order.serial]))

    response = desk_client.get(reverse("dispatch:order", args=[seed_order.serial]))

    assert [r for r, _ in response.context["call_form"].fields["role"].choices] == ["driver", "developer"]
    assert all(m.recipient_role != "customer" for m in response.context["sent"])
    assert len(response.context["sent"]) == 3  # the SMS to driver and developer, then the driver's link
