"""What every page of a supervisor or a manager shows in the menu: how many ticket steps wait for him."""

from functools import cache

from freightdesk.accounts.capabilities import Capability, has_capability

from .approvals import COUNT_CAP, count_for


def approvals(request) -> dict:
    """``approvals_waiting``: the count, computed only when a template reads it (once per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_capability(user, Capability.SUPERVISE_TICKETS):
        return {}

    @cache
    def waiting() -> str:
        n = count_for(user)
        return f"{COUNT_CAP}+" if n > COUNT_CAP else str(n)

    return {"approvals_waiting": waiting}
