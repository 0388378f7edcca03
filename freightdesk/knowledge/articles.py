"""The knowledge loop (SPEC §10: 归档至知识库): a solved case becomes a draft article its author edits, and a
supervisor who did not write it publishes it. Drafts are never found by the reply boxes' search."""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.errors import BadInput, DomainError, NotAllowed

from .models import Article, ArticleStatus
from .search import ARTICLE, reindex

TITLE_MAX = 120
BODY_MAX = 5000


def _clean(title: str, body: str) -> tuple[str, str]:
    # A browser posts a textarea's lines as CRLF: stored as LF, as the archive writes them.
    title, body = (title or "").strip(), (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise BadInput("required", _("Give the article a title."), field="title")
    if len(title) > TITLE_MAX:
        raise BadInput("too_long", _("The title is at most %(n)d characters.") % {"n": TITLE_MAX}, field="title")
    if not body:
        raise BadInput("required", _("Write the question and how it was solved."), field="body")
    if len(body) > BODY_MAX:
        raise BadInput("too_long", _("The article is at most %(n)d characters.") % {"n": BODY_MAX}, field="body")
    return title, body


def archive_case(
    *, author, source: str, title: str, body: str, category: str = "", subcategory: str = ""
) -> tuple[Article, bool]:
    """Archive a solved case into the knowledge base (归档至知识库) as a DRAFT by ``author``: SPEC §10 (seed 002
    §二.6). One article per source (``ticket:<number>``, ``query:<id>``): archiving again returns the first one.
    Returns (article, created)."""
    if not has_capability(author, Capability.DRAFT_ARTICLES):
        raise NotAllowed("role_not_allowed", _("You may not archive cases into the knowledge base."))
    existing = Article.objects.filter(source=source).first()
    if existing is not None:
        return existing, False
    title, body = _clean(title[:TITLE_MAX], body[:BODY_MAX])
    now = timezone.now()
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=title,
                body=body,
                category=category,
                subcategory=subcategory[:30],
                status=ArticleStatus.DRAFT,
                source=source,
                author=author,
                created_at=now,
                updated_at=now,
            )
            reindex(ARTICLE, article.pk, title + " " + body)
    except IntegrityError:  # archived by someone else a moment ago
        return Article.objects.get(source=source), False
    return article, True


def may_edit(user, article: Article) -> bool:
    """The author edits his draft; a supervisor edits any article (a published one stays published)."""
    if has_capability(user, Capability.PUBLISH_ARTICLES):
        return True
    return article.is_draft and article.author_id == user.pk and has_capability(user, Capability.DRAFT_ARTICLES)


def may_publish(user, article: Article) -> bool:
    return (
        article.is_draft
        and has_capability(user, Capability.PUBLISH_ARTICLES)
        and (article.author_id is None or article.author_id != user.pk)
    )


@transaction.atomic
def edit_article(*, article: Article, by, title: str, body: str) -> Article:
    """Edit an article's title and text (SPEC §10: the agent edits the draft before it is published)."""
    if not may_edit(by, article):
        raise NotAllowed("role_not_allowed", _("You may not edit this article."))
    article.title, article.body = _clean(title, body)
    article.updated_at = timezone.now()
    article.save(update_fields=["title", "body", "updated_at"])
    reindex(ARTICLE, article.pk, article.title + " " + article.body)
    return article


@transaction.atomic
def publish_article(*, article: Article, by) -> Article:
    """Publish a draft (发布): a supervisor who is not its author (four eyes); from then on every reply box
    finds it. The conditional update decides between two supervisors publishing at once."""
    if not has_capability(by, Capability.PUBLISH_ARTICLES):
        raise NotAllowed("role_not_allowed", _("Only a supervisor may publish an article."))
    if article.author_id is not None and article.author_id == by.pk:
        raise NotAllowed("four_eyes", _("Another supervisor must publish the article you wrote."))
    now = timezone.now()
    published = Article.objects.filter(Q(pk=article.pk), status=ArticleStatus.DRAFT).update(
        status=ArticleStatus.PUBLISHED, published_by=by, published_at=now, updated_at=now
    )
    if not published:
        raise DomainError("already_published", _("This article is already published."))
    article.refresh_from_db()
    return article
