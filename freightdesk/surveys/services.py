"""Satisfaction surveys (SPEC §10 table 3; §10 flow: ask for satisfaction): send, answer, follow up low scores."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core import worktime
from freightdesk.core.errors import DomainError
from freightdesk.core.links import public_url
from freightdesk.messaging.models import MessageKind
from freightdesk.orders.timeline import add_event as add_order_event
from freightdesk.tickets.events import record_event
from freightdesk.tickets.followups import schedule_callback
from freightdesk.tickets.models import OwnerGroup, SeverityTrigger
from freightdesk.tickets.severity import raise_severity
from freightdesk.tickets.sms import queue_sms

from .models import Survey

LINK_VALID = timedelta(days=7)
LOW_SCORE = 2  # any score at or below this opens a follow-up for the supervisor
FOLLOW_UP_WORKING_MINUTES = 240


def survey_url(survey: Survey) -> str:
    return public_url("surveys:answer", survey.token)


def send_ticket_survey(*, ticket, now=None) -> Survey | None:
    """After a ticket is resolved, SMS the customer a link to the one-page survey. Idempotent: one per ticket."""
    now = now or timezone.now()
    if not ticket.customer_phone:
        return None
    with transaction.atomic():
        survey, created = Survey.objects.get_or_create(
            ticket=ticket,
            defaults={
                "token": secrets.token_urlsafe(16),
                "phone": ticket.customer_phone,
                "sent_at": now,
                "expires_at": now + LINK_VALID,
            },
        )
        if created:
            text = f"您反映的问题({ticket.number})已处理,请为我们的服务评分:{survey_url(survey)}"
            queue_sms(to=survey.phone, text=text, role="customer", kind=MessageKind.SURVEY, ticket=ticket)
            record_event(ticket=ticket, kind="survey_sent", at=now, text=text)
    return survey


def send_order_survey(*, order, now=None) -> Survey | None:
    """The survey after a delivery (SPEC §10 table 3; company setting SURVEY_AFTER_DELIVERY): SMS the shipper a
    link. One per order, never twice: a second call, a task run twice or two workers at once find the first."""
    now = now or timezone.now()
    if not order.shipper_phone:
        return None
    with transaction.atomic():
        survey, created = Survey.objects.get_or_create(
            order=order,
            ticket=None,
            defaults={
                "token": secrets.token_urlsafe(16),
                "phone": order.shipper_phone,
                "sent_at": now,
                "expires_at": now + LINK_VALID,
            },
        )
        if created:
            text = f"您的货物{order.serial}已送达,请为我们的服务评分:{survey_url(survey)}"
            queue_sms(to=survey.phone, text=text, role="customer", kind=MessageKind.SURVEY, order=order)
            params = {"phone": survey.phone}
            add_order_event(
                order=order,
                kind="survey_sent",
                params=params,
                by_label="system",
                at=now,
            )
    return survey


def answer_survey(*, token: str, efficiency: int, attitude: int, solution: int, comment: str = "", now=None) -> Survey:
    """Store the one answer a survey takes; refused when already answered or expired (nothing stored)."""
    now = now or timezone.now()
    scores = {"efficiency": efficiency, "attitude": attitude, "solution": solution}
    for name, value in scores.items():
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError("invalid_score", _("Choose a score from 1 to 5."), field=name)
    if len(comment or "") > 1000:
        raise DomainError("too_long", _("At most 1000 characters."), field="comment")
    with transaction.atomic():
        updated = Survey.objects.filter(token=token, answered_at__isnull=True, expires_at__gt=now).update(
            answered_at=now, comment=(comment or "").strip(), **scores
        )
        survey = Survey.objects.select_related("ticket", "order").filter(token=token).first()
        if survey is None:
            raise DomainError("unknown_survey", _("This survey link is not valid."))
        if not updated:
            if survey.answered_at:
                raise DomainError("already_answered", _("Thank you, this survey has already been answered."))
            raise DomainError("expired", _("Sorry, this survey link has expired."))
        if survey.ticket:
            # 001 第二篇: a complaint the customer is still unhappy with rises (the severity rules say how low).
            raise_severity(ticket=survey.ticket, trigger=SeverityTrigger.LOW_SURVEY, now=now, score=survey.lowest)
        if survey.lowest <= LOW_SCORE:
            if survey.ticket:
                _follow_up(survey, now)
            elif survey.order:
                params = {
                    "efficiency": survey.efficiency,
                    "attitude": survey.attitude,
                    "solution": survey.solution,
                    "comment": survey.comment[:100],
                }
                add_order_event(
                    order=survey.order,
                    kind="low_satisfaction",
                    by_label="system",
                    at=now,
                    params=params,
                )
    return survey


def _follow_up(survey: Survey, now) -> None:
    """A low score opens a follow-up call for the supervisor (SPEC §10: confirm satisfaction)."""
    due = worktime.add_working_minutes(now, FOLLOW_UP_WORKING_MINUTES)
    callback = schedule_callback(
        ticket=survey.ticket,
        due_at=due,
        remind_at=due - timedelta(minutes=30),
        note=f"满意度低分 {survey.efficiency}/{survey.attitude}/{survey.solution}",
        owner=OwnerGroup.SUPERVISOR,
        now=now,
    )
    Survey.objects.filter(pk=survey.pk).update(follow_up=callback)
    survey.follow_up = callback
    record_event(
        ticket=survey.ticket, kind="low_satisfaction", at=now, text=callback.note, changes={"callback": callback.pk}
    )
