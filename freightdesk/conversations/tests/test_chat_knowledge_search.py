"""The chat reply box searches the published knowledge base (SPEC §10: the desk learns from solved cases)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_chat_reply_box_has_the_knowledge_search(client, chat, available):
    client.force_login(available)
    page = client.get(reverse("conversations:desk", args=[chat.pk]))
    assert page.status_code == 200
    assert reverse("knowledge:reply_search").encode() in page.content
    assert b'data-target="reply"' in page.content
