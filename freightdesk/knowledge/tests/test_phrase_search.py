"""Phrases and articles are searchable by Chinese substring (bigram index), the same answer as `contains`."""

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from freightdesk.knowledge.models import Article, Phrase
from freightdesk.knowledge.search import normalize
from freightdesk.knowledge.seeds import seed_phrases
from freightdesk.knowledge.selectors import phrases_for_category, search_articles, search_phrases
from freightdesk.knowledge.services import save_article, save_phrase

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded(db):
    if not Phrase.objects.exists():
        seed_phrases(django_apps)


def test_the_seeded_greeting_and_closing_are_found_by_any_part():
    assert [p.text for p in search_phrases("很高兴为您服务")] == ["您好，很高兴为您服务，请问有什么可以帮到您？"]
    assert "XX号谢谢您的来电，再见！" in [p.text for p in search_phrases("来电")]
    assert "您的建议很重要，我们会及时转给相关部门" in [p.text for p in search_phrases("建议")]


def test_single_character_and_missing_text():
    assert search_phrases("谢")  # one character falls back to contains
    assert search_phrases("火星快递") == []
    assert search_phrases("   ") == []


def test_an_edited_article_is_found_by_its_new_text_only():
    article = save_article(article=Article(title="冷链运输", body="生鲜货物需要保温箱"))
    assert search_articles("保温箱") == [article]
    article.body = "生鲜货物需要冷藏车"
    save_article(article=article)
    assert search_articles("保温箱") == [] and search_articles("冷藏车") == [article]


def test_a_ticket_page_suggests_its_categorys_phrases_first():
    phrases = phrases_for_category("complaint")
    assert phrases[0].category == "complaint"
    assert any(p.stage == "closing" for p in phrases)
    assert not any(p.category == "suggestion" for p in phrases)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="货物运输时效司机提送客户您好", min_size=1, max_size=4))
def test_search_returns_exactly_the_phrases_containing_the_query(query):
    expected = {p.pk for p in Phrase.objects.filter(active=True) if normalize(query) in normalize(p.situation + p.text)}
    assert {p.pk for p in search_phrases(query, limit=1000)} == expected


def test_search_page(agent_client):
    save_phrase(phrase=Phrase(stage="query", text="请您稍等，我查一下货物位置"))
    response = agent_client.get(reverse("knowledge:search"), {"q": "货物位置"})
    assert "我查一下货物位置" in response.content.decode()


def test_a_ticket_page_shows_at_most_a_page_of_phrases_its_own_and_in_call_stage_order():
    from freightdesk.knowledge.models import Stage

    Phrase.objects.bulk_create([Phrase(stage="greeting", text=f"通用问候{i}") for i in range(50)])
    phrases = phrases_for_category("complaint", limit=30)
    assert len(phrases) == 30
    own = [p for p in phrases if p.category == "complaint"]
    assert own == phrases[: len(own)] and own == list(phrases_for_category("complaint", limit=len(own)))
    order = list(Stage.values)
    ranks = [order.index(p.stage) for p in phrases[len(own) :]]
    assert ranks == sorted(ranks)


def test_the_one_phrase_holding_the_query_is_found_among_many_holding_only_its_bigrams():
    # 100 phrases hold 货物, 物位 and 位置 but never 货物位置; they come first in the stage order.
    for i in range(100):
        save_phrase(phrase=Phrase(stage="closing", position=i, text=f"货物{i}号，物位{i}，位置{i}"))
    wanted = save_phrase(phrase=Phrase(stage="suggestion", text="我查一下货物位置"))
    assert search_phrases("货物位置") == [wanted]


def test_the_one_article_holding_the_query_is_found_among_many_holding_only_its_bigrams():
    wanted = save_article(article=Article(title="查件", body="货物位置以司机回报为准"))
    for i in range(100):
        save_article(article=Article(title=f"说明{i}", body=f"货物{i}，物位{i}，位置{i}"))
    assert search_articles("货物位置") == [wanted]
