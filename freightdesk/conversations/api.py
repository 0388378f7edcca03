"""Online chat and website messages over JSON (API.md "Conversations"): the public website without a token
(rate-limited per client address and per phone), a customer account's token, or an agent's token."""

from typing import Literal

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError

from freightdesk.accounts.bearer import activate_request_language, customer_account_of, user_for_token
from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core import ratelimit
from freightdesk.core.api.errors import DetailOut, ErrorsOut
from freightdesk.orders.selectors import access_order_for

from . import payloads, selectors, services

router = Router(tags=["conversations"])
ERRORS = {401: DetailOut, 403: DetailOut, 404: DetailOut, 409: DetailOut, 422: ErrorsOut, 429: DetailOut}
OPEN_RATE = (10, 600)  # new conversations per client address per 10 minutes
PHONE_RATE = (5, 600)  # … and per phone number


class CustomerIn(Schema):
    name: str = Field(..., max_length=40)
    phone: str = Field(..., max_length=30)


class ConversationIn(Schema):
    channel: Literal["chat", "web_message"] = "chat"
    customer: CustomerIn
    order: str | None = Field(None, max_length=16, description="order serial")
    text: str = Field(..., max_length=services.MAX_TEXT)


class MessageIn(Schema):
    text: str = Field(..., max_length=services.MAX_TEXT)


class RatingIn(Schema):
    efficiency: int
    attitude: int
    solution: int


def _bearer_user(request: HttpRequest):
    """The token's user when one is sent (a wrong one is 401); None for the anonymous public website."""
    activate_request_language(request)
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _sep, token = header.partition(" ")
    user = user_for_token(token) if scheme.lower() == "bearer" else None
    if user is None:
        raise AuthenticationError()
    return user


def _limit(request: HttpRequest, scope: str, rate: tuple[int, int], who: str = "") -> None:
    limit, window = rate
    if not ratelimit.allow(who or ratelimit.client_address(request), scope=scope, limit=limit, window=window):
        raise HttpError(429, _("Too many messages; try again in a few minutes."))


@router.post("/conversations", auth=None, response={201: dict, **ERRORS}, summary="Start a chat or leave a message")
def open_conversation(request: HttpRequest, payload: ConversationIn):
    user = _bearer_user(request)
    account = customer_account_of(user) if user else None
    if user is not None and account is None:
        raise HttpError(403, _("Conversations are opened by customers."))
    if account is None:
        _limit(request, "chat-open", OPEN_RATE)
        _limit(request, "chat-phone", PHONE_RATE, who=payload.customer.phone.strip()[:30])
    order = access_order_for(user, payload.order) if payload.order and user else None
    conversation = services.open_conversation(
        channel=payload.channel,
        name=payload.customer.name,
        phone=payload.customer.phone,
        text=payload.text,
        order=order,
        account=account,
    )
    return Status(201, payloads.conversation_payload(conversation, with_key=True))


def _conversation(request: HttpRequest, pk: int, key: str):
    """(conversation, agent or None): by the key, a customer account's own, or an agent's token."""
    user = _bearer_user(request)
    if key:
        return selectors.conversation_by_key(pk, key), None
    if user is None:
        raise Http404
    if has_capability(user, Capability.ANSWER_CHATS):
        return selectors.conversation_for_staff(user, pk), user
    return selectors.conversation_for_account(pk, customer_account_of(user)), None


@router.get("/conversations/{pk}", auth=None, response={200: dict, **ERRORS}, summary="A conversation and its messages")
def get_conversation(request: HttpRequest, pk: int, key: str = "", after: int = 0):
    conversation, _agent = _conversation(request, pk, key)
    return payloads.conversation_payload(conversation, after=after)


@router.post("/conversations/{pk}/messages", auth=None, response={201: dict, **ERRORS}, summary="The next message")
def post_message(request: HttpRequest, pk: int, payload: MessageIn, key: str = ""):
    conversation, agent = _conversation(request, pk, key)
    if agent is not None:
        message = services.post_agent_message(conversation=conversation, agent=agent, text=payload.text)
    else:
        _limit(request, "chat-message", settings.FREIGHTDESK["CHAT_MESSAGE_RATE"])
        message = services.post_customer_message(conversation=conversation, text=payload.text)
    return Status(201, services.fanout.message_payload(message))


@router.post("/conversations/{pk}/rating", auth=None, response={200: dict, **ERRORS}, summary="Rate the conversation")
def rate(request: HttpRequest, pk: int, payload: RatingIn, key: str = ""):
    conversation, agent = _conversation(request, pk, key)
    if agent is not None:
        raise HttpError(403, _("Only the customer rates a conversation."))
    conversation = services.rate_conversation(
        conversation=conversation, efficiency=payload.efficiency, attitude=payload.attitude, solution=payload.solution
    )
    return payloads.conversation_payload(conversation)
