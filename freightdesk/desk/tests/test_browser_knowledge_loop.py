"""In Chromium, the knowledge loop (SPEC §10, 归档至知识库): an agent closes an answered query ticket and archives
it; he edits the draft; the supervisor publishes it; the agent finds it from the reply box of another ticket and
uses it in his reply."""

import pytest
from playwright.sync_api import expect

from freightdesk.knowledge.models import Article, ArticleStatus
from freightdesk.tickets.services import transition_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPLY = "冷库货物下午四点前下单可当天提货，请提前备好保温箱"


@pytest.fixture
def tickets(new_ticket, agent):
    answered = new_ticket(category="inquiry", subcategory="logistics_query", description="冷库货物能否当天提货")
    answered = transition_ticket(ticket=answered, by=agent, to="resolved", data={"reply": REPLY})
    waiting = new_ticket(category="inquiry", subcategory="logistics_query", description="冷库货物今天能提吗")
    return answered, waiting


def test_close_archive_publish_and_find_it_from_a_reply_box(tickets, login, live_server):
    answered, waiting = tickets
    page = login("8011")
    page.goto(f"{live_server.url}/tickets/{answered.number}/")
    with page.expect_navigation():
        page.click("form.step[data-to=closed] button[type=submit]")
    with page.expect_navigation():
        page.click("#archive-button")  # offered once the ticket is closed
    expect(page.locator("#article-status")).to_have_text("草稿")
    page.fill("#title", "冷库货物当天提货")
    expect(page.locator("#body")).to_contain_text(REPLY)
    with page.expect_navigation():
        page.click("#save")
    expect(page.locator("#publish")).to_have_count(0)  # an agent does not publish
    page.click("button:has-text('退出登录')")

    page = login("8001")
    page.click("#nav-kb-drafts")
    with page.expect_navigation():
        page.click("#drafts a:has-text('冷库货物当天提货')")
    with page.expect_navigation():
        page.click("#publish")
    assert Article.objects.get(title="冷库货物当天提货").status == ArticleStatus.PUBLISHED
    page.click("button:has-text('退出登录')")

    page = login("8011")
    page.goto(f"{live_server.url}/tickets/{waiting.number}/")
    page.fill(".kb-search .kb-q", "当天提货")
    result = page.locator(".kb-results .kb-article")
    expect(result).to_contain_text("冷库货物当天提货")
    result.locator(".kb-use").click()
    expect(page.locator("form.step[data-to=resolved] textarea[name=reply]")).to_have_value(
        Article.objects.get(title="冷库货物当天提货").body
    )
