"""Read queries over master data: region resolution, rates, prohibited-goods matching."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability

from . import cache
from .models import Driver, FeeRule, ProhibitedGoods, RateCard, Region, RestrictedGoods


def resolve_region(address: str) -> Region | None:
    """The active region whose longest address keyword occurs in `address` (SPEC §6 routing)."""
    text = (address or "").strip()
    if not text:
        return None
    best, best_len = None, 0
    for region, keywords in cache.snapshot().regions:
        for keyword in keywords:
            if keyword in text and len(keyword) > best_len:
                best, best_len = region, len(keyword)
    return best


def active_regions() -> list[Region]:
    """The active regions by code (for pickers), from the snapshot."""
    return [region for region, _keywords in cache.snapshot().regions]


def active_region(code: str) -> Region | None:
    return cache.snapshot().regions_by_code.get(code)


def unknown_region_error(code: str) -> str | None:
    """What is wrong with a region code a request names (any region, retired ones too), or None."""
    if Region.objects.filter(code=code).exists():
        return None
    return _("There is no region “%(code)s”.") % {"code": code[:40]}


def rate_for(pickup_region: Region, delivery_region: Region) -> RateCard | None:
    """The route's rate card, from the snapshot (a price saved in another process counts here within its TTL)."""
    return cache.snapshot().rates.get((pickup_region.pk, delivery_region.pk))


@dataclass(frozen=True)
class ProhibitedHit:
    goods: ProhibitedGoods
    term: str
    how: str  # "exact" | "synonym" | "substring"


_normalise = cache.normalise


def match_prohibited(goods_name: str) -> ProhibitedHit | None:
    """Check a goods name against the prohibited-goods catalogue (SPEC §3 违禁品).

    Exact name first, then a synonym, then a substring either way (a term inside the goods
    name, e.g. "雷管配件"; or the goods name inside a longer term when it is at least two
    characters, e.g. "火药" in "黑火药"). An ordinary look-alike listed as an entry's exception
    (手枪钻, 刀具) is not matched by that entry. The snapshot's matcher (network.goods_matching)
    answers from look-up tables.
    """
    found = cache.snapshot().prohibited_matcher.match(_normalise(goods_name))
    if found is None:
        return None
    term, how = found
    return ProhibitedHit(term.entry, term.text, how)


@dataclass(frozen=True)
class RestrictedHit:
    goods: RestrictedGoods
    term: str


def match_restricted(goods_name: str) -> RestrictedHit | None:
    """Restricted goods (限寄物品: 锂电池, 充电宝, 电瓶…): accepted only after the agent confirmed packaging and
    quantity with the caller. A goods name equal to a term, or holding one (汽车电瓶); prohibited goods are
    checked first (match_prohibited) and refused whatever this says."""
    name = _normalise(goods_name)
    if not name:
        return None
    restricted = cache.snapshot().restricted
    for entry, terms in restricted:
        if name in terms:
            return RestrictedHit(entry, entry.terms()[terms.index(name)])
    best = None
    for entry, terms in restricted:
        for index, norm in enumerate(terms):
            if len(norm) > 1 and norm in name and (best is None or len(norm) > best[0]):
                best = (len(norm), RestrictedHit(entry, entry.terms()[index]))
    return best[1] if best else None


def fee_suggestions(address: str, region: Region | None) -> list[FeeRule]:
    """Fee rules an address suggests (SPEC §5 review: does this address need a loading fee?)."""
    rules = FeeRule.objects.filter(region__isnull=True) | FeeRule.objects.filter(region=region)
    text = address or ""
    hits = []
    for rule in rules:
        keywords = [k.strip() for k in rule.address_keywords.replace("，", ",").split(",") if k.strip()]
        if keywords and any(k in text for k in keywords):
            hits.append(rule)
    return hits


def drivers_for(user, *, region: str = ""):
    """The drivers ``user`` may list and assign (SPEC §1, §6): the desk every driver; a fleet manager those whose
    home region he manages. ``region`` (a code) narrows to one home region."""
    qs = Driver.objects.select_related("home_region").order_by("-active", "name", "id")
    if not has_capability(user, Capability.VIEW_ALL_ORDERS):
        qs = qs.filter(home_region__fleet_manager=user)
    if region:
        qs = qs.filter(home_region__code=region)
    return qs
