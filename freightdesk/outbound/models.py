"""Outbound work (外呼, SPEC §2; 002: 主动回访新客户、高价值客户、问题解决后的客户): call lists a supervisor builds from a rule
or an uploaded file, their items (one number each, worked by an agent as a ``followups.FollowUp`` of kind
``outbound_call``), every attempt on an item, and the do-not-call list that is always honoured."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freightdesk.followups.models import FollowUp


class ListKind(models.TextChoices):
    NEW = "new", _("New customers of the last 7 days")  # 新客户回访
    HIGH_VALUE = "high_value", _("High-value customers")  # 高价值客户
    REVISIT = "revisit", _("Tickets resolved yesterday")  # 问题解决后的回访
    DORMANT = "dormant", _("Customers who have not shipped for 60 days")  # 沉睡客户
    UPLOAD = "upload", _("Uploaded list")  # 营销名单


RULE_KINDS = (ListKind.NEW, ListKind.HIGH_VALUE, ListKind.REVISIT, ListKind.DORMANT)


class CallList(models.Model):
    """A call list (外呼名单): what it was built from, by whom; its items carry the work."""

    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("built from"), max_length=12, choices=ListKind.choices)
    params = models.JSONField(_("rule parameters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    matched = models.PositiveIntegerField(_("numbers matched"), default=0)  # before the size cap

    class Meta:
        verbose_name = _("call list")
        verbose_name_plural = _("call lists")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name


class ItemState(models.TextChoices):
    OPEN = "open", _("To call")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")


class SkipReason(models.TextChoices):
    DO_NOT_CALL = "do_not_call", _("On the do-not-call list")
    ATTEMPTS = "attempts", _("No answer after the last attempt")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")  # 接通
    NO_ANSWER = "no_answer", _("No answer")  # 无人接听
    WRONG_NUMBER = "wrong_number", _("Wrong number")  # 号码错误
    CALL_LATER = "call_later", _("Call later")  # 约定再打
    NOT_INTERESTED = "not_interested", _("Not interested")  # 无意向
    ORDER_TAKEN = "order_taken", _("Order taken")  # 成单


# Outcomes that leave the item open for another attempt (at most MAX_ATTEMPTS in all).
RETRY_OUTCOMES = frozenset({Outcome.NO_ANSWER, Outcome.CALL_LATER})
MAX_ATTEMPTS = 3


class CallItem(models.Model):
    """One number to call on a list: the customer (when the number is known), the ticket of a 回访, the agent who
    works it, and where it stands. Its open follow-up (``followups`` kind ``outbound_call``) says when it is due."""

    call_list = models.ForeignKey(CallList, on_delete=models.CASCADE, related_name="items")
    line = models.PositiveIntegerField(_("line in the file"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    name = models.CharField(_("name"), max_length=40, blank=True)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="outbound_items"
    )
    state = models.CharField(_("state"), max_length=8, choices=ItemState.choices, default=ItemState.OPEN)
    skip_reason = models.CharField(_("skipped because"), max_length=12, choices=SkipReason.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # A 回访 the customer was not satisfied with whose ticket could not be reopened from the desk.
    needs_supervisor = models.BooleanField(_("needs a supervisor"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    followups = GenericRelation(
        FollowUp, content_type_field="subject_type", object_id_field="subject_id", related_query_name="outbound_item"
    )

    class Meta:
        verbose_name = _("call list item")
        verbose_name_plural = _("call list items")
        ordering = ["call_list", "id"]
        indexes = [
            models.Index(fields=["agent", "state"], name="outbound_item_agent_state"),
            models.Index(fields=["call_list", "state"], name="outbound_item_list_state"),
            models.Index(fields=["phone", "state"], name="outbound_item_phone_state"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["call_list", "phone"], name="outbound_item_one_per_number"),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="outbound_item_satisfaction_1_5",
            ),
        ]

    def __str__(self):
        return f"{self.call_list_id}/{self.phone}"


class CallAttempt(models.Model):
    """One attempt on an item, append-only: who called, when, what came of it."""

    item = models.ForeignKey(CallItem, on_delete=models.CASCADE, related_name="call_attempts")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    next_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), null=True, blank=True)

    class Meta:
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        ordering = ["item", "at", "id"]
        indexes = [models.Index(fields=["agent", "at"], name="outbound_attempt_agent_at")]


class DoNotCall(models.Model):
    """A number that must never be called from a list (客户要求勿扰), whoever built the list."""

    number = models.CharField(
        _("number"), max_length=20, unique=True, help_text=_("Any written form; stored as E.164.")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("do-not-call number")
        verbose_name_plural = _("do-not-call list")
        ordering = ["-added_at", "-id"]

    def __str__(self):
        return self.number
