"""Project-wide test fixtures: demo master data, users per role, the seed's example order."""

import os

import pytest

from freightdesk.demo.examples import EXAMPLE_ORDER


@pytest.fixture
def demo(db):
    from freightdesk.demo.data import load_demo

    load_demo()


@pytest.fixture
def user_for(demo):
    """user_for("agent") -> the demo user holding that role."""
    from django.contrib.auth import get_user_model

    names = {
        "agent": "8011",
        "supervisor": "8001",
        "manager": "manager",
        "fleet_manager": "fleet",
        "developer": "developer",
        "driver": "driver1",
        "admin": "admin",
        "customer": "customer",
    }

    def get(role):
        return get_user_model().objects.get(username=names[role])

    return get


@pytest.fixture
def agent(user_for):
    return user_for("agent")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def example_order_data():
    return dict(EXAMPLE_ORDER)


@pytest.fixture
def cleaned_example(demo, example_order_data):
    """The example order as cleaned form data, ready for orders.intake.take_order."""
    from freightdesk.orders.forms import OrderForm

    form = OrderForm({**example_order_data, "channel": "phone"})
    assert form.is_valid(), form.errors
    return form.cleaned_data


@pytest.fixture
def browser_page(live_server):
    """A Playwright page in Debian's Chromium (/usr/bin/chromium), headless."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
        page = context.new_page()
        page.set_default_timeout(10_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def login(browser_page, live_server):
    def do(username, password="freightdesk"):
        browser_page.goto(f"{live_server.url}/accounts/login/")
        browser_page.fill("#id_username", username)
        browser_page.fill("#id_password", password)
        browser_page.click("button[type=submit]")
        browser_page.wait_for_load_state()
        return browser_page

    return do


@pytest.fixture(autouse=True)
def _fresh_process_caches():
    """Process-level caches of master data must not carry rows from one test's rolled-back data into the next."""
    from freightdesk.messaging import template_cache
    from freightdesk.network import cache

    cache.invalidate(broadcast=False)
    template_cache.invalidate(broadcast=False)
    yield
    cache.invalidate(broadcast=False)
    template_cache.invalidate(broadcast=False)


def _seeds():
    """What the data migrations seed and the product needs at run time (role groups, policies, catalogues,
    templates), in migration order; a transactional test flushes the database afterwards and the next one
    gets them back from the same functions."""
    from freightdesk.accounts.seeds import seed_role_groups
    from freightdesk.core.seeds import seed_deadline_policies
    from freightdesk.knowledge.seeds import seed_phrases
    from freightdesk.messaging.seeds import seed_default_templates, seed_driver_link_template
    from freightdesk.network.seeds import (
        seed_directory_names,
        seed_prohibited_exceptions,
        seed_prohibited_goods,
        seed_restricted_goods,
    )
    from freightdesk.orders.seeds import seed_customer_sms_templates
    from freightdesk.outbound.seeds import seed_outbound_phrases
    from freightdesk.tickets.seeds import seed_sla_policies

    return [
        seed_role_groups,
        seed_deadline_policies,
        seed_prohibited_goods,
        seed_prohibited_exceptions,
        seed_directory_names,
        seed_restricted_goods,
        seed_default_templates,
        seed_driver_link_template,
        seed_customer_sms_templates,
        seed_sla_policies,
        seed_phrases,
        seed_outbound_phrases,
    ]


@pytest.fixture(autouse=True)
def _reseed_after_flush(request):
    """Transactional tests (live server, threads, the real worker) start from a flushed database:
    put the seeded rows back first, as migrate left them."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    for seed in _seeds():
        seed(apps)
    # The shared cache is a table that flush leaves alone; a test in a transaction rolls its rows back.
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _end_stray_postgres_sessions(django_db_setup, django_db_blocker):
    """A thread that a test started (a live server's, a worker's) may still hold a connection when the
    session ends; PostgreSQL then refuses to drop the test database. End such sessions first."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
