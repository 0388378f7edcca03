import pytest

_private_api = None


@pytest.fixture
def cti_api():
    """The API the telephony router is mounted on; a private one until the integrator mounts it in api/router.py."""
    from ninja.testing import TestClient

    from freightdesk.api.router import api
    from freightdesk.core.api.errors import FreightDeskAPI, StrictJSONParser, install_error_handlers
    from freightdesk.telephony.api import router

    if not any(mounted is router for _prefix, mounted in api._routers):
        global _private_api
        if _private_api is None:
            _private_api = FreightDeskAPI(urls_namespace="telephony-test", parser=StrictJSONParser())
            install_error_handlers(_private_api)
            _private_api.add_router("", router)
        api = _private_api
    return TestClient(api)


@pytest.fixture
def token_for(demo):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from freightdesk.accounts.models import ApiToken

    def issue(username, group=None):
        user, _ = get_user_model().objects.get_or_create(username=username)
        if group:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        return {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}

    return issue


@pytest.fixture
def pbx(token_for):
    return token_for("pbx", "integration")
