"""An in-process snapshot of the master data every order reads (regions, prohibited goods, rate cards).

Taking an order checks the goods against ~180 catalogue entries and resolves two
addresses; reading those rows per request was a third of the order's cost. The snapshot
is rebuilt when this process saves or deletes such a row and, for changes made by other
processes (another gunicorn worker, the admin on another machine), after TTL seconds.
"""

import time
from dataclasses import dataclass

TTL_SECONDS = 10.0


def normalise(text: str) -> str:
    return "".join((text or "").split()).lower()


@dataclass(frozen=True)
class Snapshot:
    regions: list  # [(Region, [keyword, ...])] of active regions
    regions_by_code: dict
    prohibited: list  # [(ProhibitedGoods, normalised name, [(term, normalised term), ...], [normalised exception])]
    rates: dict  # {(pickup region id, delivery region id): RateCard}


_state: dict = {"snapshot": None, "built_at": 0.0}


def snapshot() -> Snapshot:
    current = _state["snapshot"]
    if current is None or time.monotonic() - _state["built_at"] > TTL_SECONDS:
        current = _build()
        _state["snapshot"], _state["built_at"] = current, time.monotonic()
    return current


def invalidate() -> None:
    _state["snapshot"] = None


def _build() -> Snapshot:
    from .models import ProhibitedGoods, RateCard, Region

    regions = list(Region.objects.filter(active=True).order_by("code"))
    entries = list(ProhibitedGoods.objects.filter(active=True).order_by("category", "name"))
    return Snapshot(
        regions=[(r, r.keyword_list()) for r in regions],
        regions_by_code={r.code: r for r in regions},
        prohibited=[
            (
                e,
                normalise(e.name),
                [(t, normalise(t)) for t in e.terms()[1:]],
                [normalise(x) for x in e.exception_list()],
            )
            for e in entries
        ],
        rates={(r.pickup_region_id, r.delivery_region_id): r for r in RateCard.objects.all()},
    )
