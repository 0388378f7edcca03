"""SPEC §11: 不知道, 不清楚, 我办不了, 没办法 are banned; a reply containing one gets a gentle warning."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from freightdesk.knowledge.banned import BANNED, check_reply


@pytest.mark.parametrize(
    ("reply", "found"),
    [
        ("这个我不知道", ["不知道"]),
        ("不 清 楚，您再问问别人", ["不清楚"]),
        ("我办不了，没办法", ["我办不了", "没办法"]),
        ("我办不了", ["我办不了"]),  # not also reported as 办不了
        ("我帮您查一下，稍后给您回复", []),
        ("知道了，马上给您办", []),
    ],
)
def test_banned_phrases_are_found_even_with_spaces_or_punctuation(reply, found):
    assert sorted(h.phrase for h in check_reply(reply)) == sorted(found)


@given(st.text(alphabet="我您查好的办不了知道清楚没有法，。 ", max_size=30))
def test_every_hit_is_really_in_the_text_and_comes_with_an_alternative(text):
    flat = "".join(ch for ch in text if ch not in "，。 ")
    for hit in check_reply(text):
        assert hit.phrase in flat and hit.instead == BANNED[hit.phrase]


@pytest.mark.django_db
def test_the_reply_box_warns_the_agent(agent_client):
    response = agent_client.post(reverse("knowledge:check"), {"reply": "这个我也不清楚"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Please avoid “不清楚”" in response.content.decode()
    clean = agent_client.post(reverse("knowledge:check"), {"reply": "我帮您确认一下"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Please avoid" not in clean.content.decode()
