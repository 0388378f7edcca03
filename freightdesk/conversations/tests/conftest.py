"""Chat fixtures: a working Monday morning, agents set available, an open conversation."""

import pytest

from freightdesk.accounts.models import ApiToken
from freightdesk.conversations import services
from freightdesk.conversations.models import Presence

MONDAY_10 = "2026-12-07 10:00:00+08:00"
FRIDAY_20 = "2026-12-04 20:00:00+08:00"


@pytest.fixture
def working_hours(time_machine):
    time_machine.move_to(MONDAY_10, tick=False)


@pytest.fixture
def available(demo, user_for, working_hours):
    agent = user_for("agent")
    services.set_presence(agent=agent, status=Presence.AVAILABLE)
    return agent


@pytest.fixture
def other_agent(demo):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="8012")


@pytest.fixture
def chat(available):
    return services.open_conversation(channel="chat", name="王先生", phone="13800138000", text="我的货到哪了？")


def token_for(user) -> str:
    return ApiToken.issue(user, name="test")[1]
