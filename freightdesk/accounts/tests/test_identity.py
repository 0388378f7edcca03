"""People are named one way everywhere (timelines, claims, ticket SMS, API): agent id, else driver name, else login."""

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template

from freightdesk.accounts.identity import agent_id_of, agent_label

pytestmark = pytest.mark.django_db


def test_a_staff_member_is_named_by_the_agent_id(user_for):
    agent = user_for("agent")
    assert agent_id_of(agent) == "8011"
    assert agent_label(agent) == "8011"


def test_a_driver_without_agent_id_is_named_by_the_driver_name(user_for):
    driver = user_for("driver")
    assert agent_id_of(driver) == ""
    assert agent_label(driver) == driver.driver.name


def test_a_user_without_profile_is_named_by_the_login_cut_to_the_label_column():
    user = get_user_model().objects.create_user(username="x" * 60)
    assert agent_id_of(user) == ""
    assert agent_label(user) == "x" * 40


def test_nobody_has_no_label():
    assert agent_id_of(None) == "" and agent_label(None) == ""


def test_templates_name_people_the_same_way(user_for):
    rendered = Template("{% load identity %}{{ a|agent_label }}/{{ d|agent_label }}").render(
        Context({"a": user_for("agent"), "d": user_for("driver")})
    )
    assert rendered == f"8011/{user_for('driver').driver.name}"
