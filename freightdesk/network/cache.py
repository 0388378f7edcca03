"""An in-process snapshot of the master data every order reads (regions, prohibited goods, rate cards).

Taking an order checks the goods against ~180 catalogue entries and resolves two
addresses; reading those rows per request was a third of the order's cost. The snapshot
is rebuilt when this process saves or deletes such a row. Other processes (another gunicorn worker,
the task worker, the admin on another machine) learn of a change through a version number in the
shared cache (``settings.CACHES``), which each process checks at most every CHECK_SECONDS; it
rebuilds anyway after MAX_AGE_SECONDS (a change written around the model's ``save``): core.process_cache.
"""

from dataclasses import dataclass

from freightdesk.core.process_cache import ProcessCache

from .goods_matching import ProhibitedMatcher

CHECK_SECONDS = 2.0
MAX_AGE_SECONDS = 300.0
VERSION_KEY = "freightdesk:network:version"


def normalise(text: str) -> str:
    return "".join((text or "").split()).lower()


@dataclass(frozen=True)
class Snapshot:
    regions: list  # [(Region, [keyword, ...])] of active regions
    regions_by_code: dict
    restricted: list  # [(RestrictedGoods, [normalised term, ...])]
    rates: dict  # {(pickup region id, delivery region id): RateCard}
    prohibited_matcher: ProhibitedMatcher  # the active prohibited goods as look-up tables


def snapshot() -> Snapshot:
    return _snapshot.get()


def invalidate(*, broadcast: bool = True) -> None:
    """Forget this process's snapshot; with ``broadcast``, tell the other processes too."""
    _snapshot.invalidate(broadcast=broadcast)


def changed() -> None:
    """Master data was saved or deleted: read again here now, everywhere once it commits."""
    _snapshot.changed()


def _build() -> Snapshot:
    from .models import ProhibitedGoods, RateCard, Region, RestrictedGoods

    regions = list(Region.objects.filter(active=True).order_by("code"))
    entries = list(ProhibitedGoods.objects.filter(active=True).order_by("category", "name"))
    # [(ProhibitedGoods, normalised name, [(term, normalised term), ...], [normalised exception])]
    prohibited = [
        (e, normalise(e.name), [(t, normalise(t)) for t in e.terms()[1:]], [normalise(x) for x in e.exception_list()])
        for e in entries
    ]
    restricted = [(e, [normalise(t) for t in e.terms()]) for e in RestrictedGoods.objects.filter(active=True)]
    return Snapshot(
        regions=[(r, r.keyword_list()) for r in regions],
        regions_by_code={r.code: r for r in regions},
        rates={(r.pickup_region_id, r.delivery_region_id): r for r in RateCard.objects.all()},
        restricted=restricted,
        prohibited_matcher=ProhibitedMatcher(prohibited, {term for _e, terms in restricted for term in terms}),
    )


_snapshot = ProcessCache(
    version_key=VERSION_KEY, build=_build, check_seconds=CHECK_SECONDS, max_age_seconds=MAX_AGE_SECONDS
)
