from .roles import roles_of


def roles(request):
    user = getattr(request, "user", None)
    held = roles_of(user) if user is not None else frozenset()
    return {"user_roles": held}
