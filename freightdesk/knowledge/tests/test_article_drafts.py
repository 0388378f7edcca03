"""The knowledge loop's rules (SPEC §10, 归档至知识库): a draft is never found; only a supervisor who did not
write it publishes it; refused input writes nothing."""

import pytest

from freightdesk.core.errors import BadInput, DomainError, NotAllowed
from freightdesk.knowledge.articles import archive_case, edit_article, publish_article
from freightdesk.knowledge.models import Article, ArticleStatus, SearchGram
from freightdesk.knowledge.selectors import search_articles

pytestmark = pytest.mark.django_db

CASE = {
    "title": "冷库提货超时：客户催促",
    "body": "问题：冷库提货超时\n处理：改派备用司机并致歉",
    "category": "complaint",
}


@pytest.fixture
def draft(user_for):
    article, created = archive_case(author=user_for("agent"), source="ticket:C2026120001", **CASE)
    assert created
    return article


def test_a_draft_is_not_found_by_the_search(draft):
    assert draft.status == ArticleStatus.DRAFT
    assert search_articles("冷库提货") == []


def test_a_published_article_is_found_by_the_search(draft, user_for):
    publish_article(article=draft, by=user_for("supervisor"))
    assert search_articles("冷库提货") == [draft]
    draft.refresh_from_db()
    assert draft.published_by == user_for("supervisor") and draft.published_at is not None


def test_the_author_cannot_publish_his_own_draft(user_for):
    supervisor = user_for("supervisor")
    article, _ = archive_case(author=supervisor, source="ticket:C2026120002", **CASE)
    with pytest.raises(NotAllowed) as exc:
        publish_article(article=article, by=supervisor)
    assert exc.value.code == "four_eyes"
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT and article.published_by is None
    assert search_articles("冷库提货") == []
    publish_article(article=article, by=user_for("manager"))  # another reviewer may
    assert search_articles("冷库提货") == [article]


def test_an_agent_cannot_publish(draft, user_for):
    with pytest.raises(NotAllowed):
        publish_article(article=draft, by=user_for("agent"))
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


def test_an_article_is_published_once(draft, user_for):
    publish_article(article=draft, by=user_for("supervisor"))
    with pytest.raises(DomainError) as exc:
        publish_article(article=draft, by=user_for("manager"))
    assert exc.value.code == "already_published"


def test_archiving_the_same_case_twice_keeps_one_article(draft, user_for):
    again, created = archive_case(author=user_for("supervisor"), source="ticket:C2026120001", **CASE)
    assert (again, created) == (draft, False)
    assert Article.objects.filter(source="ticket:C2026120001").count() == 1


@pytest.mark.parametrize("role", ["admin", "customer", "driver"])
def test_only_the_desk_archives_cases(user_for, role):
    with pytest.raises(NotAllowed):
        archive_case(author=user_for(role), source="ticket:C2026120003", **CASE)
    assert not Article.objects.filter(source="ticket:C2026120003").exists()


@pytest.mark.parametrize(
    ("title", "body", "field"), [("", "正文", "title"), ("标题", "   ", "body"), ("标题", "长" * 5001, "body")]
)
def test_a_refused_edit_changes_nothing(draft, user_for, title, body, field):
    grams_before = set(SearchGram.objects.filter(object_id=draft.pk, kind="a").values_list("gram", flat=True))
    with pytest.raises(BadInput) as exc:
        edit_article(article=draft, by=user_for("agent"), title=title, body=body)
    assert exc.value.field == field
    stored = Article.objects.get(pk=draft.pk)
    assert (stored.title, stored.body) == (CASE["title"], CASE["body"])
    assert set(SearchGram.objects.filter(object_id=draft.pk, kind="a").values_list("gram", flat=True)) == grams_before


def test_the_author_edits_his_draft_and_another_agent_may_not(draft, user_for):
    from django.contrib.auth import get_user_model

    edit_article(article=draft, by=user_for("agent"), title="冷库提货超时", body="改派备用司机")
    with pytest.raises(NotAllowed):
        edit_article(article=draft, by=get_user_model().objects.get(username="8012"), title="x", body="y")
    assert Article.objects.get(pk=draft.pk).body == "改派备用司机"


def test_an_agent_cannot_edit_a_published_article(draft, user_for):
    publish_article(article=draft, by=user_for("supervisor"))
    with pytest.raises(NotAllowed):
        edit_article(article=draft, by=user_for("agent"), title="改", body="改")
    edit_article(article=draft, by=user_for("supervisor"), title="冷库提货超时", body="改派备用司机并致歉")
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED
    assert search_articles("备用司机") == [draft]
