"""Chinese substring search by character bigrams (n-gram index), identical on SQLite and PostgreSQL.

A text is indexed as the set of its 2-character windows (spaces dropped, lower-cased). A query of
n >= 2 characters matches the rows holding all of its bigrams; the candidates are then checked for
the exact substring, so the answer is the same as `icontains` but found through an index.
"""

from django.db import transaction
from django.db.models import Count

from .models import SearchGram

PHRASE, ARTICLE = "p", "a"


def normalize(text: str) -> str:
    return "".join(ch for ch in (text or "").lower() if not ch.isspace())


def grams(text: str) -> set[str]:
    text = normalize(text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


@transaction.atomic
def reindex(kind: str, object_id: int, text: str) -> None:
    SearchGram.objects.filter(kind=kind, object_id=object_id).delete()
    SearchGram.objects.bulk_create([SearchGram(kind=kind, object_id=object_id, gram=g) for g in grams(text)])


def candidate_ids(kind: str, query: str):
    """Ids whose text holds every bigram of `query` (a subquery), or None for a query too short to index."""
    needed = grams(query)
    if not needed:
        return None
    return (
        SearchGram.objects.filter(kind=kind, gram__in=needed)
        .values("object_id")
        .annotate(n=Count("gram"))
        .filter(n=len(needed))
        .values("object_id")
    )
