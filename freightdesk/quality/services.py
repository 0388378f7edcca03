"""Call review (SPEC §11; 001 第五篇): a supervisor scores a call or ticket on the five stages."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.roles import Role, has_role
from freightdesk.core.errors import DomainError, NotAllowed

from .checklist import PHONE_CHECKLIST, STAGES
from .models import CallReview


@transaction.atomic
def review_call(*, reviewer, agent, scores: dict, checklist: dict | None = None, comments: str = "",
                ticket=None, call_ref: str = "", now=None) -> CallReview:
    """Record a supervisor's review of one call: five stage scores 1–5, the checklist, comments."""
    if not has_role(reviewer, Role.SUPERVISOR):
        raise NotAllowed("role_not_allowed", _("Only a supervisor reviews calls."))
    if agent == reviewer:
        raise DomainError("own_call", _("A supervisor does not review his own calls."), field="agent")
    for stage in STAGES:
        value = scores.get(stage)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError("invalid_score", _("Score every stage from 1 to 5."), field=stage)
    ticked = {k: bool(v) for k, v in (checklist or {}).items() if k in PHONE_CHECKLIST}
    average = (Decimal(sum(scores[s] for s in STAGES)) / len(STAGES)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return CallReview.objects.create(
        agent=agent, reviewer=reviewer, ticket=ticket, call_ref=call_ref[:120], reviewed_at=now or timezone.now(),
        checklist=ticked, comments=(comments or "").strip()[:2000], average=average,
        **{s: scores[s] for s in STAGES},
    )
