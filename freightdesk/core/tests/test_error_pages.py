"""The 404 and 500 pages are the site's own, in the reader's language (Chinese by default), never Django's."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_an_unknown_address_shows_the_sites_chinese_404(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert 'id="not-found"' in html and "页面不存在" in html and "FreightDesk" in html
    assert "Not Found" not in html and "The requested resource" not in html


def test_an_order_that_is_not_there_shows_the_same_page_to_a_logged_in_agent(agent_client):
    response = agent_client.get(reverse("orders:detail", args=["000000000"]))
    assert response.status_code == 404 and "页面不存在" in response.content.decode()
    assert "退出" in response.content.decode() or "logout" in response.content.decode()  # the site's own top bar


def test_the_404_speaks_english_to_an_english_reader(client):
    client.cookies["django_language"] = "en"
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Page not found" in response.content.decode()


def test_a_server_error_shows_the_sites_chinese_500_without_needing_the_request():
    with translation.override("zh-hans"):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert 'id="server-error"' in html and "系统出错了" in html and "app.css" in html
    assert "Server Error (500)" not in html
