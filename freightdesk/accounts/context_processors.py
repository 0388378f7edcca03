from .capabilities import capabilities_of
from .roles import roles_of


def roles(request):
    """`user_roles` says who the user is (the top bar names a customer by its company); `can` what he may do:
    menus and buttons show a link exactly when `can.<capability>` lets its page open."""
    user = getattr(request, "user", None)
    held = roles_of(user) if user is not None else frozenset()
    return {"user_roles": held, "can": capabilities_of(user) if user is not None else {}}
