"""Bearer tokens (API.md: `Authorization: Bearer <token>`); each route names the capability it needs."""

from django.db.models import F
from django.http import HttpRequest
from django.utils import translation
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from freightdesk.accounts.capabilities import Capability, has_capability, roles_for
from freightdesk.accounts.models import ApiToken, hash_token
from freightdesk.accounts.roles import Role, has_role, remember_roles, roles_of


def activate_request_language(request: HttpRequest) -> None:
    """Answer in the request's Accept-Language (zh-hans by default, en)."""
    translation.activate(translation.get_language_from_request(request))
    request.LANGUAGE_CODE = translation.get_language()


def customer_account_of(user):
    """The user's customer account when the user acts as a customer, else None."""
    if not has_role(user, Role.CUSTOMER):
        return None
    return getattr(user, "customer_account", None)


def user_for_token(raw: str):
    """The token's active user, read with the user's profile and role names in one statement: a row per
    group (one row, with no name, for a user in none). Nothing is cached across requests, so a revoked
    token or a removed role takes effect on the next request."""
    if not raw or len(raw) > 200:
        return None
    rows = list(
        ApiToken.objects.select_related("user", "user__profile")
        .filter(key_hash=hash_token(raw.strip()), revoked_at__isnull=True, user__is_active=True)
        .annotate(role_name=F("user__groups__name"))
    )
    if not rows:
        return None
    user = rows[0].user
    remember_roles(user, [row.role_name for row in rows if row.role_name])
    return user


class BearerAuth(HttpBearer):
    """A valid, unrevoked token whose user holds `capability`; otherwise 401 (no or bad token) or 403."""

    def __init__(self, capability: Capability):
        super().__init__()
        self.capability = Capability(capability)

    def __call__(self, request: HttpRequest):
        activate_request_language(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        if not has_capability(user, self.capability):
            raise AuthorizationError()
        as_staff = roles_of(user) - {Role.CUSTOMER}
        if not (as_staff & roles_for(self.capability)) and customer_account_of(user) is None:
            # Let in only as a customer, but without the account row: there is nothing it may see.
            raise AuthorizationError()
        return user
