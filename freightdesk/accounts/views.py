from django.shortcuts import redirect, render

from .roles import Role, has_role, role_required


@role_required(*Role.values)
def home(request):
    """Send each role to the page it works from."""
    user = request.user
    if has_role(user, Role.AGENT, Role.SUPERVISOR):
        return redirect("orders:new_phone_order")
    if has_role(user, Role.MANAGER, Role.ADMIN):
        return redirect("reports:dashboard")
    if has_role(user, Role.CUSTOMER):
        return redirect("orders:my_orders")
    return render(request, "accounts/home.html")
