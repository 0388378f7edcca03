"""How the conversations' lines on the order timeline read (registered from ConversationsConfig.ready())."""

from django.utils.translation import gettext_lazy

from freightdesk.orders.timeline import register_kind


def register() -> None:
    register_kind("chat_transcript", gettext_lazy("online conversation #%(conversation)s: %(text)s"))
    register_kind(
        "chat_query", gettext_lazy("customer query in conversation #%(conversation)s: %(question)s — %(answer)s")
    )
