"""QA sweep regressions on what every page carries: people without pages are told how work reaches them,
English is offered by its own name, supervisors reach the call-quality overview from the menu."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.mark.parametrize(
    ("role", "title"), [("driver", "我的订单"), ("fleet_manager", "车管"), ("developer", "我的片区")]
)
def test_the_field_lands_on_its_own_page_in_chinese(client, user_for, role, title):
    client.force_login(user_for(role))
    page = client.get(reverse("home"), follow=True, **ZH).content.decode()
    assert f"<title>{title} · FreightDesk</title>" in page


def test_the_language_menu_offers_english_by_its_own_name(client, demo):
    page = client.get(reverse("accounts:login"), **ZH).content.decode()
    assert '<option value="en">English</option>' in page and "英语" not in page


@pytest.mark.parametrize("role", ["supervisor", "manager"])
def test_oversight_reaches_the_call_quality_overview_from_the_menu(client, user_for, role):
    client.force_login(user_for(role))
    nav = client.get(reverse("quality:overview"), **ZH).content.decode().split("</nav>")[0]
    assert f'href="{reverse("quality:overview")}"' in nav and f'href="{reverse("quality:mine")}"' not in nav


def test_an_agent_keeps_his_own_call_reviews_in_the_menu(agent_client):
    nav = agent_client.get(reverse("quality:mine"), **ZH).content.decode().split("</nav>")[0]
    assert f'href="{reverse("quality:mine")}"' in nav and f'href="{reverse("quality:overview")}"' not in nav
