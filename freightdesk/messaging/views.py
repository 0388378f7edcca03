"""Failed-messages page (fix the number, resend), retry-now, and the delivery-receipt callback."""

import hmac
import json

from django import forms
from django.contrib import messages
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from freightdesk.accounts.capabilities import Capability, capability_required
from freightdesk.accounts.roles import public_view
from freightdesk.core.cleaning import CleanForm
from freightdesk.core.errors import DomainError
from freightdesk.core.phones import display_phone

from . import receipts, selectors, services
from .gateways import sms_setting


class ResendForm(CleanForm):
    to = forms.CharField(label=gettext_lazy("Correct number"), max_length=30)


@capability_required(Capability.RESEND_SMS)
@require_GET
def failed_messages(request):
    """Permanent failures to fix and resend; messages held by daily caps, with the numbers to whitelist."""
    failed = list(selectors.failed_messages()[:200])
    for message in failed:
        message.form = ResendForm(initial={"to": display_phone(message.to)}, prefix=f"m{message.pk}")
    return render(
        request,
        "messaging/failed.html",
        {
            "failed": failed,
            "waiting": list(selectors.waiting_messages()[:200]),
            "whitelist": selectors.numbers_to_whitelist(),
        },
    )


@capability_required(Capability.RESEND_SMS)
@require_POST
def resend(request, pk):
    message = selectors.access_message_for(request.user, pk)
    form = ResendForm(request.POST, prefix=f"m{pk}")
    if not form.is_valid():
        messages.error(request, _("Enter the correct number."))
        return redirect("messaging:failed")
    try:
        new = services.resend_message(message=message, to=form.cleaned_data["to"], agent=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Message queued again to %(to)s.") % {"to": display_phone(new.to)})
    return redirect("messaging:failed")


@capability_required(Capability.RESEND_SMS)
@require_POST
def retry(request, pk):
    message = selectors.access_message_for(request.user, pk)
    try:
        services.retry_now(message=message)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The message will be tried again now."))
    return redirect("messaging:failed")


@public_view  # the gateway has no login: the shared secret below is its key
@csrf_exempt
@require_POST
def receipt(request, backend):
    """Delivery receipts pushed by the gateway. Authenticated by the shared secret ``SMS["RECEIPT_TOKEN"]``
    (``?token=`` or ``X-Receipt-Token``); without a configured secret every push is refused."""
    secret = sms_setting("RECEIPT_TOKEN")
    given = request.GET.get("token") or request.headers.get("X-Receipt-Token", "")
    if not secret or not hmac.compare_digest(secret.encode(), given.encode()):
        return HttpResponseForbidden("bad token")
    parser = receipts.PARSERS.get(backend)
    if parser is None:
        return JsonResponse({"error": "unknown gateway"}, status=404)
    try:
        parsed = parser(json.loads(request.body or b"null"))
    except (ValueError, AttributeError, TypeError):
        return JsonResponse({"error": "unreadable receipt"}, status=400)
    for item in parsed:
        services.record_receipt(provider_id=item.provider_id, key=item.key, delivered=item.delivered, error=item.error)
    return JsonResponse(receipts.ANSWERS[backend])
