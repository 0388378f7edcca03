"""Bearer tokens (API.md: `Authorization: Bearer <token>`), carrying their user's roles."""

from django.http import HttpRequest
from django.utils import translation
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from freightdesk.accounts.models import ApiToken, hash_token
from freightdesk.accounts.roles import Role, has_role

# Who may do what through the API. The desk works orders; management reads them;
# a customer account creates and reads its own.
ORDER_WRITERS = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN, Role.CUSTOMER)
ORDER_READERS = (Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN, Role.CUSTOMER)
STAFF_ORDER_TAKERS = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)


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
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(key_hash=hash_token(raw.strip()), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return token.user if token else None


class BearerAuth(HttpBearer):
    """A valid, unrevoked token whose user holds one of `roles`; otherwise 401 (no or bad token) or 403."""

    def __init__(self, *roles: str):
        super().__init__()
        self.roles = roles

    def __call__(self, request: HttpRequest):
        activate_request_language(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        if not has_role(user, *self.roles):
            raise AuthorizationError()
        staff = has_role(user, *STAFF_ORDER_TAKERS, Role.MANAGER, Role.INTEGRATION)
        if not staff and customer_account_of(user) is None:
            # A customer role without its account row has nothing it may see.
            raise AuthorizationError()
        return user
