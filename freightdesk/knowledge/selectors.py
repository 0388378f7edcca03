"""Read queries for phrases and articles: by ticket category, and Chinese substring search."""

from django.db.models import Q

from .models import Article, Phrase, Stage
from .search import ARTICLE, PHRASE, candidate_ids, normalize

SEARCH_LIMIT = 20
STAGE_ORDER = {stage: i for i, stage in enumerate(Stage.values)}


def phrases_for_category(category: str) -> list[Phrase]:
    """The phrases a ticket page suggests: those for its category and the general ones, in call-stage order."""
    rows = list(Phrase.objects.filter(Q(category=category) | Q(category=""), active=True))
    rows.sort(key=lambda p: (p.category != category, STAGE_ORDER.get(p.stage, 99), p.position))
    return rows


def search_phrases(query: str, *, limit: int = SEARCH_LIMIT) -> list[Phrase]:
    q = normalize(query)
    if not q:
        return []
    ids = candidate_ids(PHRASE, q)
    rows = Phrase.objects.filter(active=True)
    rows = rows.filter(pk__in=ids) if ids is not None else rows.filter(Q(text__contains=q) | Q(situation__contains=q))
    return [p for p in rows.order_by("stage", "position")[: limit * 5]
            if q in normalize(p.situation + p.text)][:limit]


def search_articles(query: str, *, limit: int = SEARCH_LIMIT) -> list[Article]:
    q = normalize(query)
    if not q:
        return []
    ids = candidate_ids(ARTICLE, q)
    rows = Article.objects.filter(active=True)
    rows = rows.filter(pk__in=ids) if ids is not None else rows.filter(Q(title__contains=q) | Q(body__contains=q))
    return [a for a in rows.order_by("-updated_at")[: limit * 5] if q in normalize(a.title + a.body)][:limit]
