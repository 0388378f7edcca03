"""QA sweep regressions on the top bar and the menu: a customer account is named by its company, not its
login; call statistics are in the menu of everyone who may read them; no menu link leads to a refusal."""

import re

import pytest
from django.urls import reverse

from freightdesk.accounts.models import CustomerAccount

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
ROLES = ["agent", "supervisor", "manager", "fleet_manager", "driver", "developer", "admin", "customer"]


def _who(page: str) -> str:
    return re.search(r'<span class="who">(.*?)</span>', page, re.S).group(1).strip()


def _menu_links(page: str) -> list[str]:
    nav = page.split("<nav>", 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def test_a_customer_account_is_named_by_its_company_in_the_top_bar(client, user_for):
    client.force_login(user_for("customer"))
    page = client.get(reverse("orders:my_orders"), **ZH).content.decode()
    assert _who(page) == "华东汽配有限公司"


def test_a_customer_without_a_company_is_named_by_the_customer(client, user_for):
    user = user_for("customer")
    customer = CustomerAccount.objects.get(user=user).customer
    customer.company = ""
    customer.save(update_fields=["company"])
    client.force_login(user)
    assert _who(client.get(reverse("orders:my_orders"), **ZH).content.decode()) == "华东汽配公司"


def test_staff_keep_their_agent_id_and_name_in_the_top_bar(agent_client):
    who = _who(agent_client.get(reverse("orders:list"), **ZH).content.decode())
    assert who.startswith("8011") and "customer" not in who


@pytest.mark.parametrize("role", ["agent", "supervisor", "manager", "admin"])
def test_call_statistics_are_in_the_menu_of_everyone_who_may_read_them(client, user_for, role):
    client.force_login(user_for(role))
    links = _menu_links(client.get(reverse("home"), follow=True, **ZH).content.decode())
    assert reverse("telephony:stats") in links


@pytest.mark.parametrize("role", ["fleet_manager", "driver", "developer", "customer"])
def test_call_statistics_are_not_offered_to_others(client, user_for, role):
    client.force_login(user_for(role))
    assert reverse("telephony:stats") not in _menu_links(
        client.get(reverse("home"), follow=True, **ZH).content.decode()
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_opens_for_the_role_that_sees_it(client, user_for, role):
    client.force_login(user_for(role))
    for href in _menu_links(client.get(reverse("home"), follow=True, **ZH).content.decode()):
        if href == reverse("home"):
            continue
        status = client.get(href, **ZH).status_code
        assert status not in (403, 404, 500), f"{role}: {href} → {status}"
