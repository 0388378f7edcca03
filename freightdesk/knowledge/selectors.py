"""Read queries for phrases and articles: by ticket category, and Chinese substring search."""

from django.db.models import Case, Q, Value, When

from .models import Article, ArticleStatus, Phrase, Stage
from .search import ARTICLE, PHRASE, candidate_ids, normalize

SEARCH_LIMIT = 20
PAGE_PHRASES = 30
STAGE_ORDER = {stage: i for i, stage in enumerate(Stage.values)}


def phrases_for_category(category: str, *, limit: int = PAGE_PHRASES) -> list[Phrase]:
    """The phrases a ticket page suggests: those for its category first, then the general ones, each in
    call-stage order; at most `limit` (the search page finds the rest)."""
    stage_rank = Case(*[When(stage=stage, then=Value(i)) for stage, i in STAGE_ORDER.items()], default=Value(99))
    own_first = Case(When(category=category, then=Value(0)), default=Value(1))
    return list(
        Phrase.objects.filter(Q(category=category) | Q(category=""), active=True)
        .annotate(own_first=own_first, stage_rank=stage_rank)
        .order_by("own_first", "stage_rank", "position", "id")[:limit]
    )


def search_phrases(query: str, *, limit: int = SEARCH_LIMIT) -> list[Phrase]:
    q = normalize(query)
    if not q:
        return []
    ids = candidate_ids(PHRASE, q)
    rows = Phrase.objects.filter(active=True)
    rows = rows.filter(pk__in=ids) if ids is not None else rows.filter(Q(text__contains=q) | Q(situation__contains=q))
    return _first_containing(rows.order_by("stage", "position", "id"), q, lambda p: p.situation + p.text, limit)


def search_articles(query: str, *, limit: int = SEARCH_LIMIT) -> list[Article]:
    q = normalize(query)
    if not q:
        return []
    ids = candidate_ids(ARTICLE, q)
    rows = Article.objects.filter(active=True, status=ArticleStatus.PUBLISHED)  # a draft is never found
    rows = rows.filter(pk__in=ids) if ids is not None else rows.filter(Q(title__contains=q) | Q(body__contains=q))
    return _first_containing(rows.order_by("-updated_at", "id"), q, lambda a: a.title + a.body, limit)


def _first_containing(rows, q: str, text_of, limit: int) -> list:
    """The first `limit` rows whose text holds `q`. The bigram candidates may be many more than `limit`
    (every bigram present, not in that order), so the exact check walks them all until `limit` are found."""
    found = []
    for row in rows.iterator(chunk_size=200):
        if q in normalize(text_of(row)):
            found.append(row)
            if len(found) == limit:
                break
    return found


def article_for_source(source: str) -> Article | None:
    """The article archived from a ticket (``ticket:<number>``) or a query (``query:<id>``), if any."""
    return Article.objects.filter(source=source).first()


def articles_by_source(sources: list[str]) -> dict[str, Article]:
    return {a.source: a for a in Article.objects.filter(source__in=sources)} if sources else {}


def drafts_for(user, *, may_publish_all: bool, limit: int = 100) -> list[Article]:
    """Drafts waiting to be published: every draft for a supervisor, his own for an agent; oldest first."""
    rows = Article.objects.filter(status=ArticleStatus.DRAFT).select_related("author__profile")
    if not may_publish_all:
        rows = rows.filter(author=user)
    return list(rows.order_by("created_at", "id")[:limit])
