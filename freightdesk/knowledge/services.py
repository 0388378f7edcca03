"""Writes on phrases and articles (admin-editable, SPEC §11): saved with their search index in one transaction."""

from django.db import transaction
from django.utils import timezone

from .models import Article, Phrase
from .search import ARTICLE, PHRASE, reindex


@transaction.atomic
def save_phrase(*, phrase: Phrase) -> Phrase:
    """Save a standard phrase (话术) and index it for search."""
    phrase.save()
    reindex(PHRASE, phrase.pk, phrase.situation + " " + phrase.text)
    return phrase


@transaction.atomic
def save_article(*, article: Article) -> Article:
    """Save a knowledge-base article (SPEC §10: archive solutions into the knowledge base) and index it."""
    article.updated_at = timezone.now()
    article.save()
    reindex(ARTICLE, article.pk, article.title + " " + article.body)
    return article
