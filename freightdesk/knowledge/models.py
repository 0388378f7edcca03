"""Standard phrases (话术) by call stage and knowledge-base articles (SPEC §11; §10: archive into the KB)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    GREETING = "greeting", _("Greeting")  # 问候
    HOLD = "hold", _("Hold")  # 请稍候
    CONFIRMATION = "confirmation", _("Confirmation")  # 确认
    QUOTE = "quote", _("Quote")  # 报价
    PROMISE = "promise", _("Promise")  # 承诺
    QUERY = "query", _("Query answer")  # 查询答复
    COMPLAINT = "complaint", _("Complaint")  # 投诉
    SUGGESTION = "suggestion", _("Suggestion")  # 建议
    DIFFICULT = "difficult", _("Difficult caller")  # 难缠客户
    CLOSING = "closing", _("Closing")  # 结束语


class Phrase(models.Model):
    stage = models.CharField(_("call stage"), max_length=14, choices=Stage.choices)
    situation = models.CharField(_("situation"), max_length=80, blank=True)
    category = models.CharField(
        _("ticket category"),
        max_length=12,
        blank=True,
        help_text=_("Suggest on tickets of this category (inquiry, complaint, ...)."),
    )
    text = models.CharField(_("text"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("standard phrase")
        verbose_name_plural = _("standard phrases")
        ordering = ["stage", "position", "id"]
        indexes = [models.Index(fields=["category", "stage"], name="phrase_category_stage")]

    def __str__(self):
        return self.text[:40]


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 草稿: archived from a ticket or a query, not searchable yet
    PUBLISHED = "published", _("Published")  # 已发布: found from every reply box


class Article(models.Model):
    """A knowledge-base article (知识库案例). Archived from a closed ticket or an answered query it starts as a
    draft its author edits; a supervisor other than the author publishes it (four eyes). Articles kept in the
    admin are published as they are saved (master data, as before the archive existed)."""

    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("body"))
    category = models.CharField(_("ticket category"), max_length=12, blank=True)
    subcategory = models.CharField(_("sub-category"), max_length=30, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    active = models.BooleanField(_("active"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.PUBLISHED
    )
    # Where it was archived from: "ticket:<number>" or "query:<id>"; one article per source.
    source = models.CharField(_("archived from"), max_length=40, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("knowledge-base article")
        verbose_name_plural = _("knowledge-base articles")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="article_status_newest")]
        constraints = [
            models.UniqueConstraint(fields=["source"], condition=~Q(source=""), name="one_article_per_source"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == ArticleStatus.DRAFT


class SearchGram(models.Model):
    """Character bigrams of phrases and articles: Chinese substring search through an index, on any database."""

    kind = models.CharField(max_length=1)  # "p" phrase, "a" article
    object_id = models.PositiveIntegerField()
    gram = models.CharField(max_length=2)

    class Meta:
        indexes = [
            models.Index(fields=["gram", "kind", "object_id"], name="searchgram_lookup"),
            models.Index(fields=["kind", "object_id"], name="searchgram_object"),
        ]
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "gram"], name="uniq_searchgram")]
