"""The prohibited-goods catalogue as look-up tables, built once per master-data snapshot (network.cache).

A goods name is matched by the rules of ``selectors.match_prohibited`` — exact name, then a synonym, then a term
inside the goods name, then the goods name inside a longer term — without a scan of the catalogue per order: every
term is indexed under its normalised text and under each of its parts of two characters or more, and the parts of
the goods name are looked up. Where several entries match, the first in catalogue order wins, as in a scan.
"""

from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    position: tuple[int, int]  # (the entry's place in the catalogue, the term's place among its names)
    entry: object  # ProhibitedGoods
    text: str  # as the catalogue writes it
    norm: str  # normalised (network.cache.normalise)


def _parts(text: str) -> set[str]:
    """Every run of two characters or more of ``text``."""
    return {text[start:end] for start in range(len(text)) for end in range(start + 2, len(text) + 1)}


class ProhibitedMatcher:
    """Built from the snapshot's prohibited rows [(entry, norm name, [(term, norm)], [norm exception])] and the
    normalised terms of the restricted goods."""

    def __init__(self, prohibited: list, restricted_terms: set[str]):
        self.exact: dict[str, list[Term]] = defaultdict(list)  # the entries' own names
        self.synonyms: dict[str, list[Term]] = defaultdict(list)
        self.terms: dict[str, list[Term]] = defaultdict(list)  # every term of two characters or more
        self.containing: dict[str, list[Term]] = defaultdict(list)  # a part -> the terms that hold it
        self.exceptions: list[tuple[object, list[str], list[str]]] = []  # (entry, exceptions, its terms)
        self.restricted_terms = frozenset(restricted_terms)
        for index, (entry, norm_name, synonyms, exceptions) in enumerate(prohibited):
            terms = [Term((index, 0), entry, entry.name, norm_name)]
            terms += [Term((index, place), entry, text, norm) for place, (text, norm) in enumerate(synonyms, 1)]
            self.exact[norm_name].append(terms[0])
            for term in terms[1:]:
                self.synonyms[term.norm].append(term)
            for term in terms:
                if len(term.norm) > 1:
                    self.terms[term.norm].append(term)
                for part in _parts(term.norm):
                    self.containing[part].append(term)
            if exceptions:
                self.exceptions.append((entry, exceptions, [term.norm for term in terms]))

    def match(self, name: str) -> tuple[Term, str] | None:
        """(the term that matched, how: "exact" | "synonym" | "substring") for a normalised goods name, or None."""
        if not name:
            return None
        excepted = self._excepted(name)
        for table, how in ((self.exact, "exact"), (self.synonyms, "synonym")):
            found = self._first(table.get(name, ()), excepted)
            if found is not None:
                return found, how
        inside = [term for part in _parts(name) for term in self.terms.get(part, ())]
        found = self._first(inside, excepted)
        if found is not None:
            return found, "substring"
        if len(name) >= 2 and name not in self.restricted_terms:  # 电池 is restricted, though 蓄电池 is prohibited
            holding = [t for t in self.containing.get(name, ()) if t.entry.pk not in excepted]
            if holding:  # the most specific term wins
                return min(holding, key=lambda term: (len(term.norm), term.position)), "substring"
        return None

    def _excepted(self, name: str) -> set:
        """The entries an ordinary look-alike is excepted from (手枪钻, 刀具): the name holds one of the entry's
        exceptions and no term of the entry longer than that exception (管制刀具 still holds 管制刀具)."""
        excepted = set()
        for entry, exceptions, terms in self.exceptions:
            for exception in exceptions:
                if exception in name and not any(len(t) > len(exception) and t in name for t in terms):
                    excepted.add(entry.pk)
                    break
        return excepted

    @staticmethod
    def _first(terms, excepted: set) -> Term | None:
        allowed = [term for term in terms if term.entry.pk not in excepted]
        return min(allowed, key=lambda term: term.position) if allowed else None
