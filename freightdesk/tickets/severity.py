"""A ticket's severity rises on its own by the rules in the severity-rule table (SPEC §9, 001 第二篇: safety and
injury are class 2 from the start; a class-1 complaint the customer is still unhappy with, or whose customer asks for
management, becomes class 2). Each rise is a line on the ticket's history with the rule's reason."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.errors import DomainError, NotAllowed

from .events import record_event
from .models import TERMINAL_STATUSES, Severity, SeverityRule, SeverityTrigger, Ticket
from .steps import TicketInputError


def matching_rule(
    ticket: Ticket, trigger: str, *, score: int | None = None, text: str = "", asked: bool = False
) -> SeverityRule | None:
    """The active rule of ``trigger`` that applies to ``ticket`` and raises it highest, or None.

    ``score``: a survey's lowest score (low_survey); ``text``: the customer's demand, searched for the rule's
    keywords (asks_management); ``asked``: the desk recorded that the customer asks for management."""
    rules = SeverityRule.objects.filter(active=True, trigger=trigger).filter(
        Q(category="") | Q(category=ticket.category), Q(subcategory="") | Q(subcategory=ticket.subcategory)
    )
    current = Severity.rank(ticket.severity)
    fitting = [
        rule
        for rule in rules
        if rule.raise_to in Severity.values
        and Severity.rank(rule.raise_to) > current
        and _fires(rule, score=score, text=text, asked=asked)
    ]
    return max(fitting, key=lambda rule: (Severity.rank(rule.raise_to), -rule.pk), default=None)


def _fires(rule: SeverityRule, *, score, text: str, asked: bool) -> bool:
    if rule.trigger == SeverityTrigger.LOW_SURVEY:
        return score is not None and rule.score_at_most is not None and score <= rule.score_at_most
    if rule.trigger == SeverityTrigger.ASKS_MANAGEMENT:
        return asked or any(word in (text or "") for word in rule.keyword_list())
    return True


def raise_severity(
    *,
    ticket: Ticket,
    trigger: str,
    now=None,
    score: int | None = None,
    text: str = "",
    asked: bool = False,
) -> SeverityRule | None:
    """Raise ``ticket`` by the rule that fits, in the caller's transaction, and write the history line; None when no
    rule fits (nothing written). Guarded by the severity it read: a ticket changed meanwhile is left alone."""
    rule = matching_rule(ticket, trigger, score=score, text=text, asked=asked)
    if rule is None:
        return None
    before = ticket.severity
    if not Ticket.objects.filter(pk=ticket.pk, severity=before).update(severity=rule.raise_to):
        return None
    ticket.severity = rule.raise_to
    note_raised(ticket=ticket, rule=rule, before=before, now=now or timezone.now())
    return rule


def note_raised(*, ticket: Ticket, rule: SeverityRule, before: str, now=None) -> None:
    """The history line of a rise, by the system: the rule's reason, before -> after."""
    record_event(
        ticket=ticket,
        kind="severity_raised",
        at=now or timezone.now(),
        text=rule.reason,
        changes={"severity": [before, rule.raise_to], "rule": rule.code, "trigger": rule.trigger},
    )


def record_management_request(*, ticket: Ticket, by, note: str, now=None) -> SeverityRule | None:
    """The customer asks for the company's management to handle his complaint (顾客要求公司管理部门出面解决): a line
    on the history, and the severity rises as the rules say."""
    now = now or timezone.now()
    if not has_capability(by, Capability.WORK_TICKETS):
        raise NotAllowed("role_not_allowed", _("Only the service desk records this."))
    if ticket.status in TERMINAL_STATUSES:
        raise DomainError("ticket_closed", _("A closed ticket is reopened before it is escalated."))
    note = (note or "").strip()
    if not note:
        raise TicketInputError("required", _("Say what the customer asked for."), field="note")
    if len(note) > 500:
        raise TicketInputError("too_long", _("At most %(n)d characters.") % {"n": 500}, field="note")
    with transaction.atomic():
        record_event(ticket=ticket, kind="asks_management", by=by, at=now, text=note)
        return raise_severity(ticket=ticket, trigger=SeverityTrigger.ASKS_MANAGEMENT, now=now, asked=True)
