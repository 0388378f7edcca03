"""Roles (SPEC §1) are Django groups. What each role may do is in capabilities.py; views, the API and
services ask for a capability, never for a list of roles."""

from django.contrib.auth import get_user_model
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


def roles_of(user) -> frozenset[str]:
    if not user or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_freightdesk_roles", None)
    if cached is None:
        cached = remember_roles(user, user.groups.values_list("name", flat=True))
    return cached


def remember_roles(user, group_names) -> frozenset[str]:
    """Keep ``user``'s roles (its group names, and admin for a superuser) on the instance for this request;
    for a caller that read the names in its own query."""
    names = set(group_names)
    if user.is_superuser:
        names.add(Role.ADMIN)
    user._freightdesk_roles = frozenset(names)
    return user._freightdesk_roles


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def public_view(view):
    """Mark a view as open to anyone (login, public tracking, the web order page…): the role walk
    test requires every URL to be either public or guarded by a capability."""
    view.public = True
    return view


def active_staff(role: str):
    """The active users of ``role`` (its group), each once."""
    return get_user_model().objects.filter(groups__name=role, is_active=True).distinct()


def staff_phones(role: str) -> list[str]:
    """The phones of the active staff of ``role`` (supervisors and managers are paged by SMS)."""
    users = active_staff(role).select_related("profile")
    return sorted({u.profile.phone for u in users if getattr(u, "profile", None) and u.profile.phone})
