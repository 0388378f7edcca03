"""What every page of a supervisor shows above its content: the weekly analysis made for him and not yet opened."""

from functools import cache

from freightdesk.accounts.capabilities import Capability, has_capability


def weekly_notices(request) -> dict:
    """``weekly_notices``: computed only when a template reads it (once per page, one indexed query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_capability(user, Capability.VIEW_TEAM_REPORTS):
        return {}

    @cache
    def unseen() -> list:
        from .weekly_files import unseen_weekly_notices

        return unseen_weekly_notices(user)

    return {"weekly_notices": unseen}
