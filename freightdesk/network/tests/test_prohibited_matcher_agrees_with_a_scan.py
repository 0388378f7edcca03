"""The prohibited-goods matcher answers from look-up tables built per snapshot; over the seeded catalogue it gives
the same entry, term and kind of match as a plain scan of the catalogue by the rules of SPEC §3 (below), for every
term, every exception, parts of terms and terms inside longer names."""

import itertools

import pytest

from freightdesk.network import cache
from freightdesk.network.selectors import match_prohibited

pytestmark = pytest.mark.django_db


def _excepted(name: str, entry) -> bool:
    _goods, norm_name, synonyms, exceptions = entry
    for exception in exceptions:
        longer = [n for n in (norm_name, *(norm for _t, norm in synonyms)) if len(n) > len(exception)]
        if exception in name and not any(term in name for term in longer):
            return True
    return False


def _scan(name: str, prohibited: list, restricted: list):
    """The rules as a scan: exact name, synonym, a term inside the name, the name inside the shortest longer term;
    an entry whose exception the name holds (and no longer term of it) is skipped."""
    if not name:
        return None
    entries = [e for e in prohibited if not _excepted(name, e)]
    for goods, norm_name, _synonyms, _exceptions in entries:
        if norm_name == name:
            return goods.pk, goods.name, "exact"
    for goods, _norm_name, synonyms, _exceptions in entries:
        for term, norm in synonyms:
            if norm == name:
                return goods.pk, term, "synonym"
    return _scan_parts(name, entries, restricted)


def _scan_parts(name: str, entries: list, restricted: list):
    inside = []
    for goods, norm_name, synonyms, _exceptions in entries:
        for term, norm in [(goods.name, norm_name), *synonyms]:
            if len(norm) > 1 and norm in name:
                return goods.pk, term, "substring"
            if len(name) >= 2 and name in norm:
                inside.append((len(norm), goods.pk, term))
    if inside and not any(name in terms for _entry, terms in restricted):
        _length, pk, term = min(inside, key=lambda hit: hit[0])
        return pk, term, "substring"
    return None


def _catalogue():
    from freightdesk.network.models import ProhibitedGoods, RestrictedGoods

    prohibited = [
        (
            e,
            cache.normalise(e.name),
            [(t, cache.normalise(t)) for t in e.terms()[1:]],
            [cache.normalise(x) for x in e.exception_list()],
        )
        for e in ProhibitedGoods.objects.filter(active=True).order_by("category", "name")
    ]
    restricted = [(e, [cache.normalise(t) for t in e.terms()]) for e in RestrictedGoods.objects.filter(active=True)]
    return prohibited, restricted


def _names(prohibited: list, restricted: list) -> set[str]:
    terms = [norm for _e, norm_name, synonyms, _x in prohibited for norm in (norm_name, *(n for _t, n in synonyms))]
    exceptions = [x for *_rest, exceptions in prohibited for x in exceptions]
    names = {"配件", "家具", "电池", "蓄电池", "钢管", "a", "苯", "", *terms, *exceptions}
    names |= {norm for _e, norms in restricted for norm in norms}
    names |= {term[:cut] for term in terms for cut in range(1, len(term))}
    names |= {term[cut:] for term in terms for cut in range(1, len(term))}
    names |= {f"{term}配件" for term in terms} | {f"旧{term}" for term in terms}
    names |= {f"{exception}{term}" for exception, term in itertools.product(exceptions, terms[:40])}
    return names


def test_the_matcher_and_a_scan_agree_over_the_seeded_catalogue():
    prohibited, restricted = _catalogue()
    assert len(prohibited) > 100  # the seeded catalogue
    names = _names(prohibited, restricted)

    for name in sorted(names):
        hit = match_prohibited(name)
        found = (hit.goods.pk, hit.term, hit.how) if hit else None
        assert found == _scan(name, prohibited, restricted), name
