"""Click-to-call through the PBX (SPEC §2 外呼; README "Telephony"): FreightDesk never talks to Asterisk itself —
the AMI bridge (``manage.py ami_bridge``, next to the PBX) asks for the dial requests every second
(``POST /api/v1/cti/dials/claim``), sends each as an AMI ``Originate`` and reports the PBX's answer
(``POST /api/v1/cti/dials/{id}/result``). While no bridge has asked for a while, there is no PBX to dial through
and the agent gets the number's ``tel:`` link (a softphone or a mobile dials it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.core.phones import national_digits

from .models import DialRequest

BRIDGE_SEEN_KEY = "telephony:bridge-seen"
BRIDGE_GONE_AFTER = timedelta(seconds=30)  # the bridge asks every second: half a minute of silence means no PBX
DIAL_FRESH_FOR = timedelta(seconds=60)
CLAIM_LIMIT = 50


@dataclass
class Dial:
    via: str  # "pbx": the agent's phone rings now; "tel": the agent dials the link
    tel: str  # the tel: link, shown either way
    request: DialRequest | None = None


def tel_link(number: str) -> str:
    return f"tel:{number}"


def pbx_connected(now: datetime) -> bool:
    seen = cache.get(BRIDGE_SEEN_KEY)
    return seen is not None and now - datetime.fromisoformat(seen) < BRIDGE_GONE_AFTER


def dial(*, agent, number: str, reference: str = "", now=None) -> Dial:
    """Dial ``number`` (E.164) for ``agent`` through the PBX when a bridge is connected, else give the tel: link."""
    now = now or timezone.now()
    if not pbx_connected(now):
        return Dial("tel", tel_link(number))
    code = getattr(getattr(agent, "profile", None), "agent_id", None)
    if not code:
        raise DomainError("no_extension", _("You have no agent id, so the PBX cannot ring your phone."))
    request = DialRequest.objects.create(
        agent=agent, agent_code=code, number=number, reference=reference[:40], created_at=now
    )
    return Dial("pbx", tel_link(number), request)


def claim_dials(*, now=None, limit: int = CLAIM_LIMIT) -> list[dict]:
    """The bridge asks for work: it is seen (the PBX is connected), requests too old to ring are expired, and the
    fresh ones are handed over once each (a conditional update: two bridges never dial the same request)."""
    now = now or timezone.now()
    cache.set(BRIDGE_SEEN_KEY, now.isoformat(), timeout=int(BRIDGE_GONE_AFTER.total_seconds()) * 2)
    with transaction.atomic():
        DialRequest.objects.filter(claimed_at__isnull=True, created_at__lt=now - DIAL_FRESH_FOR).update(
            claimed_at=now, finished_at=now, result="expired"
        )
        pending = list(DialRequest.objects.filter(claimed_at__isnull=True).order_by("created_at", "id")[:limit])
        claimed = [
            r for r in pending if DialRequest.objects.filter(pk=r.pk, claimed_at__isnull=True).update(claimed_at=now)
        ]
    return [
        {
            "id": r.pk,
            "agent": r.agent_code,
            "number": r.number,
            "dial": national_digits(r.number),
            "reference": r.reference,
        }
        for r in claimed
    ]


def finish_dial(*, pk: int, ok: bool, detail: str = "", now=None) -> DialRequest:
    """The PBX's answer to an Originate: the agent's phone rang and the number was called, or why not."""
    now = now or timezone.now()
    request = DialRequest.objects.filter(pk=pk).first()
    if request is None or request.claimed_at is None:
        raise DomainError("unknown_dial", _("No dial request %(id)s was handed to a bridge.") % {"id": pk})
    DialRequest.objects.filter(pk=pk, finished_at__isnull=True).update(
        finished_at=now, result="ok" if ok else "failed", detail=detail[:200]
    )
    request.refresh_from_db()
    return request
