"""Roles (SPEC §1) are Django groups; every view and API endpoint names the roles it admits."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")  # 客服人员
    SUPERVISOR = "supervisor", _("Supervisor")  # 主管/组长
    MANAGER = "manager", _("Manager")  # 管理层
    FLEET_MANAGER = "fleet_manager", _("Fleet manager")  # 车管
    DRIVER = "driver", _("Driver")  # 司机
    DEVELOPER = "developer", _("Market developer")  # 市场开拓人员
    ADMIN = "admin", _("Administrator")
    CUSTOMER = "customer", _("Customer account")  # 发货/收货客户
    INTEGRATION = "integration", _("Integration")  # telephony, telematics


DESK = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)  # the people who work orders
OVERSIGHT = (Role.SUPERVISOR, Role.MANAGER, Role.ADMIN)


def roles_of(user) -> frozenset[str]:
    if not user or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_freightdesk_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMIN)
        cached = frozenset(names)
        user._freightdesk_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def role_required(*roles: str):
    """Login, then 403 unless the user holds one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator


def public_view(view):
    """Mark a view as open to anyone (login, public tracking, the web order page…): the role walk
    test requires every URL to be either public or role-checked."""
    view.public = True
    return view
