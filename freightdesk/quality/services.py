"""Call review (SPEC §11; 001 第五篇; 004 附录): a supervisor scores a call or ticket on the five stages and the
observation checklist of the service observed (phone or face to face)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.errors import DomainError, NotAllowed

from .checklist import CHECKLISTS, STAGES, Mode
from .models import CallReview

CENT = Decimal("0.01")


def observation_rate(checklist: dict) -> Decimal | None:
    """The share of observed items met, in percent; None when no item was observed."""
    if not checklist:
        return None
    met = sum(1 for value in checklist.values() if value)
    return (Decimal(100 * met) / len(checklist)).quantize(CENT, ROUND_HALF_UP)


def _clean_checklist(mode: str, checklist: dict | None) -> dict:
    items = CHECKLISTS[mode]
    other = [key for key in (checklist or {}) if key not in items]
    if other:
        raise DomainError(
            "not_on_checklist",
            _("Not on the %(mode)s checklist: %(items)s.")
            % {"mode": Mode(mode).label, "items": ", ".join(sorted(other))},
            field="checklist",
        )
    if any(not isinstance(value, bool) for value in (checklist or {}).values()):
        raise DomainError("invalid_item", _("Mark each observed item as met or not met."), field="checklist")
    return {key: checklist[key] for key in items if key in (checklist or {})}  # in the checklist's order


@transaction.atomic
def review_call(
    *,
    reviewer,
    agent,
    scores: dict,
    checklist: dict | None = None,
    mode: str = Mode.PHONE,
    comments: str = "",
    ticket=None,
    call_ref: str = "",
    now=None,
) -> CallReview:
    """Record a supervisor's review of one call (or counter visit): five stage scores 1–5, the observation
    checklist of that kind of service (item -> met / not met; items that did not arise are left out), comments.
    `average` is the mean of the five stages (what the reports read); `observation_rate` the share of items met."""
    if not has_capability(reviewer, Capability.REVIEW_CALLS):
        raise NotAllowed("role_not_allowed", _("Only a supervisor reviews calls."))
    if agent == reviewer:
        raise DomainError("own_call", _("A supervisor does not review his own calls."), field="agent")
    if mode not in Mode.values:
        raise DomainError("invalid_mode", _("Choose phone or face-to-face service."), field="mode")
    for stage in STAGES:
        value = scores.get(stage)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise DomainError("invalid_score", _("Score every stage from 1 to 5."), field=stage)
    observed = _clean_checklist(mode, checklist)
    average = (Decimal(sum(scores[s] for s in STAGES)) / len(STAGES)).quantize(CENT, ROUND_HALF_UP)
    return CallReview.objects.create(
        agent=agent,
        reviewer=reviewer,
        ticket=ticket,
        call_ref=call_ref[:120],
        reviewed_at=now or timezone.now(),
        mode=mode,
        checklist=observed,
        observation_rate=observation_rate(observed),
        comments=(comments or "").strip()[:2000],
        average=average,
        **{s: scores[s] for s in STAGES},
    )
