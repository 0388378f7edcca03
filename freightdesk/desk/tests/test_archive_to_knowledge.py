"""归档至知识库 from the desk (SPEC §10; seed 002 §二.6): a solved ticket or an answered query offers a draft
article; a supervisor other than the author publishes it; agents then find it from every reply box."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from freightdesk.knowledge.models import Article, ArticleStatus
from freightdesk.tickets.services import transition_ticket
from freightdesk.tracking.queries import record_query

pytestmark = pytest.mark.django_db

QUESTION = "冷库货物能否当天提货"
REPLY = "冷库货物下午四点前下单可当天提货，请提前备好保温箱"


@pytest.fixture
def closed_inquiry(new_ticket, agent):
    ticket = new_ticket(category="inquiry", subcategory="logistics_query", description=QUESTION)
    ticket = transition_ticket(ticket=ticket, by=agent, to="resolved", data={"reply": REPLY})
    return transition_ticket(ticket=ticket, by=agent, to="closed", data={})


def _search(client, q):
    return client.get(reverse("knowledge:reply_search"), {"q": q}, HTTP_HX_REQUEST="true")


def test_closing_offers_archive_which_makes_a_draft_of_question_and_resolution(agent_client, closed_inquiry):
    page = agent_client.get(reverse("tickets:detail", args=[closed_inquiry.number]))
    assert b'id="archive-button"' in page.content
    response = agent_client.post(reverse("desk:ticket_archive", args=[closed_inquiry.number]))
    article = Article.objects.get(source=f"ticket:{closed_inquiry.number}")
    assert response.status_code == 302 and response["Location"] == reverse("knowledge:article", args=[article.pk])
    assert article.status == ArticleStatus.DRAFT and article.author.username == "8011"
    assert QUESTION in article.title and QUESTION in article.body and REPLY in article.body
    page = agent_client.get(reverse("tickets:detail", args=[closed_inquiry.number]))
    assert b'id="archived-article"' in page.content and b'id="archive-button"' not in page.content


def test_an_open_ticket_is_not_archived(agent_client, new_ticket):
    ticket = new_ticket(category="inquiry", subcategory="logistics_query", description=QUESTION)
    page = agent_client.get(reverse("tickets:detail", args=[ticket.number]))
    assert b'id="archive-button"' not in page.content
    response = agent_client.post(reverse("desk:ticket_archive", args=[ticket.number]), follow=True)
    assert not Article.objects.filter(source=f"ticket:{ticket.number}").exists()
    assert "知识库" in response.content.decode() or "knowledge base" in response.content.decode()


def test_archive_is_post_only_and_desk_only(client, closed_inquiry, user_for):
    client.force_login(user_for("agent"))
    assert client.get(reverse("desk:ticket_archive", args=[closed_inquiry.number])).status_code == 405
    client.force_login(user_for("customer"))
    assert client.post(reverse("desk:ticket_archive", args=[closed_inquiry.number])).status_code == 403
    assert not Article.objects.exists() or not Article.objects.filter(source__startswith="ticket:").exists()


def test_supervisor_publishes_and_the_agent_finds_it_from_a_reply_box(client, agent_client, closed_inquiry, user_for):
    agent_client.post(reverse("desk:ticket_archive", args=[closed_inquiry.number]))
    article = Article.objects.get(source=f"ticket:{closed_inquiry.number}")
    agent_client.post(reverse("knowledge:article", args=[article.pk]), {"title": "冷库当天提货", "body": REPLY})
    assert "冷库当天提货".encode() not in _search(agent_client, "冷库当天").content  # a draft is not found
    # the agent may not publish, even his own draft
    assert agent_client.post(reverse("knowledge:publish", args=[article.pk])).status_code == 403
    supervisor = user_for("supervisor")
    client.force_login(supervisor)
    assert b'id="publish"' in client.get(reverse("knowledge:article", args=[article.pk])).content
    assert client.post(reverse("knowledge:publish", args=[article.pk])).status_code == 302
    found = _search(agent_client, "冷库当天")
    assert found.status_code == 200 and "冷库当天提货".encode() in found.content and b"kb-use" in found.content


def test_the_author_supervisor_is_refused_with_the_reason(client, closed_inquiry, user_for):
    client.force_login(user_for("supervisor"))
    client.post(reverse("desk:ticket_archive", args=[closed_inquiry.number]))
    article = Article.objects.get(source=f"ticket:{closed_inquiry.number}")
    assert b'id="publish"' not in client.get(reverse("knowledge:article", args=[article.pk])).content
    response = client.post(reverse("knowledge:publish", args=[article.pk]))
    assert response.status_code == 403 and 'id="error"' in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT


def test_another_agent_does_not_see_the_draft(client, agent_client, closed_inquiry):
    agent_client.post(reverse("desk:ticket_archive", args=[closed_inquiry.number]))
    article = Article.objects.get(source=f"ticket:{closed_inquiry.number}")
    client.force_login(get_user_model().objects.get(username="8012"))
    assert client.get(reverse("knowledge:article", args=[article.pk])).status_code == 404
    assert client.post(reverse("knowledge:article", args=[article.pk]), {"title": "x", "body": "y"}).status_code == 404
    assert Article.objects.get(pk=article.pk).title != "x"


def test_a_refused_edit_shows_the_reason_and_keeps_the_draft(agent_client, closed_inquiry):
    agent_client.post(reverse("desk:ticket_archive", args=[closed_inquiry.number]))
    article = Article.objects.get(source=f"ticket:{closed_inquiry.number}")
    response = agent_client.post(reverse("knowledge:article", args=[article.pk]), {"title": "", "body": "新正文"})
    assert response.status_code == 422 and 'id="error"' in response.content.decode()
    assert Article.objects.get(pk=article.pk).body == article.body


def test_every_reply_box_has_the_knowledge_search(agent_client, closed_inquiry, late_order, agent):
    search = reverse("knowledge:reply_search").encode()
    ticket_page = agent_client.get(reverse("tickets:detail", args=[closed_inquiry.number]))
    assert search in ticket_page.content
    order_page = agent_client.get(reverse("tracking:order", args=[late_order.serial]))
    assert search in order_page.content and b'data-target="id_answer"' in order_page.content


def test_an_answered_query_is_archived_as_a_draft(agent_client, late_order, agent):
    query = record_query(
        order=late_order,
        agent=agent,
        type="arrival_time",
        channel="phone",
        question="货什么时候到",
        answer="明天上午送达",
    )
    page = agent_client.get(reverse("tracking:order", args=[late_order.serial]))
    assert f'id="archive-query-{query.pk}"'.encode() in page.content
    agent_client.post(reverse("desk:query_archive", args=[query.pk]))
    article = Article.objects.get(source=f"query:{query.pk}")
    assert article.status == ArticleStatus.DRAFT and "货什么时候到" in article.body and "明天上午送达" in article.body
