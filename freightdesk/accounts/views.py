from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from freightdesk.core import worktime

from .capabilities import Capability, capability_required, has_capability

FIELD_PAGES = (
    (Capability.WORK_FLEET, "field:fleet"),
    (Capability.DRIVE, "field:driver"),
    (Capability.WATCH_REGION, "field:region"),
)


@capability_required(Capability.OPEN_HOME)
def home(request):
    """Send each role to the page it works from; those who keep the calendar are warned there while a year
    has no official holiday schedule (this year, and next year from 1 November)."""
    user = request.user
    if has_capability(user, Capability.KEEP_CALENDAR):
        warning = worktime.calendar_warning(timezone.localdate())
        if warning:
            messages.warning(request, warning)
    if has_capability(user, Capability.TAKE_PHONE_ORDER):
        return redirect("orders:new_phone_order")
    if has_capability(user, Capability.VIEW_TEAM_REPORTS):
        return redirect("reports:dashboard")
    if has_capability(user, Capability.VIEW_OWN_ORDERS):
        return redirect("orders:my_orders")
    for capability, page in FIELD_PAGES:  # the fleet manager's queue, the driver's list, the developer's region
        if has_capability(user, capability):
            return redirect(page)
    return render(request, "accounts/home.html")
