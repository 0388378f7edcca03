"""Links texted to customers, drivers and managers are built on the one public address (PUBLIC_BASE_URL)."""

from freightdesk.core.links import public_url


def test_a_link_is_the_public_address_and_the_page_path(settings):
    settings.FREIGHTDESK = {**settings.FREIGHTDESK, "PUBLIC_BASE_URL": "https://desk.example.cn/"}
    assert public_url("surveys:answer", "abc") == "https://desk.example.cn/s/abc/"
