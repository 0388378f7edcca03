"""QA sweep regression: the dispatch preview showed a random driver-link code that was never sent (the dispatch
made another). The preview now shows a placeholder of the code's length where the code goes, so what the agent
reads is what goes out except for the code, and the character count is the sent message's."""

import html
import re

import pytest
from django.urls import reverse

from freightdesk.dispatch.models import DriverLink
from freightdesk.dispatch.services import PREVIEW_TOKEN, plan_dispatch
from freightdesk.messaging.models import Message

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _preview_link(page: str) -> tuple[str, int]:
    text = html.unescape(re.search(r'<pre class="sms-link" id="link-sms">(.*?)</pre>', page, re.S).group(1))
    count = int(re.search(r'<span id="link-char-count">(\d+)</span>', page).group(1))
    return text, count


def test_the_preview_shows_a_placeholder_of_the_code_s_length_and_makes_no_link(seed_order, desk_agent):
    plan = plan_dispatch(order=seed_order, agent=desk_agent)
    assert plan.link.token == PREVIEW_TOKEN and len(PREVIEW_TOKEN) == 16 and PREVIEW_TOKEN.startswith("<链接>")
    assert plan.link.composition.text.endswith(f"/tracking/d/{PREVIEW_TOKEN}/")
    assert plan_dispatch(order=seed_order, agent=desk_agent).link.composition == plan.link.composition  # stable
    assert not DriverLink.objects.exists()


def test_the_previewed_link_sms_is_the_sent_one_but_for_the_code_and_counts_the_same(client, seed_order, desk_agent):
    client.force_login(desk_agent)
    url = reverse("dispatch:order", args=[seed_order.serial])
    page = client.get(url, **ZH).content.decode()
    previewed, count = _preview_link(page)
    assert "“<链接>············” 代表司机专属的 16 位链接口令，派单时生成。" in html.unescape(page)

    client.post(url)
    sent = Message.objects.get(order=seed_order, kind="driver_link")
    token = DriverLink.objects.get(order=seed_order).token
    assert token not in previewed and PREVIEW_TOKEN not in sent.text
    assert previewed == sent.signature + sent.text.replace(token, PREVIEW_TOKEN)
    assert count == len(sent.signature + sent.text) == len(previewed)
