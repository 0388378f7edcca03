from django.shortcuts import redirect, render

from .capabilities import Capability, capability_required, has_capability


@capability_required(Capability.OPEN_HOME)
def home(request):
    """Send each role to the page it works from."""
    user = request.user
    if has_capability(user, Capability.TAKE_PHONE_ORDER):
        return redirect("orders:new_phone_order")
    if has_capability(user, Capability.VIEW_TEAM_REPORTS):
        return redirect("reports:dashboard")
    if has_capability(user, Capability.VIEW_OWN_ORDERS):
        return redirect("orders:my_orders")
    return render(request, "accounts/home.html")
