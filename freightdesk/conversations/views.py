"""The customer's pages (SPEC §2 在线服务, 网站留言): the widget script any page embeds with one
``<script>`` tag, the full-page chat (pre-filled for a customer account), and the link texted back."""

from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from freightdesk.accounts.roles import public_view
from freightdesk.core.phones import display_phone

from . import selectors


def _prefill(request) -> dict:
    account = getattr(request.user, "customer_account", None) if request.user.is_authenticated else None
    if account is None:
        return {"name": "", "phone": ""}
    customer = account.customer
    phone = customer.phones.order_by("id").values_list("number", flat=True).first() or ""
    return {"name": customer.name, "phone": display_phone(phone)}


@public_view
@require_GET
@vary_on_headers("Accept-Language")
@cache_control(max_age=300, public=True)
def widget_js(request):
    """The widget script, in the visitor's language; no framework, no CDN."""
    response = render(request, "conversations/widget.js", content_type="text/javascript; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@public_view
@require_GET
def chat_page(request):
    """The public chat / website message page; a logged-in customer account finds name and phone filled in."""
    return render(request, "conversations/chat_page.html", {"prefill": _prefill(request), "conversation": None})


@public_view
@require_GET
def customer_conversation(request, pk):
    """The link texted to the customer: the conversation by its key (404 on a wrong one)."""
    conversation = selectors.conversation_by_key(pk, request.GET.get("key", ""))
    return render(
        request,
        "conversations/chat_page.html",
        {"prefill": _prefill(request), "conversation": conversation},
    )
