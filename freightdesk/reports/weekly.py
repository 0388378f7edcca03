"""Weekly analysis of frequent problems (每周高频问题分析, SPEC §10; seed 002 §二.6: "物流咨询占比30%").

A week runs Monday 00:00 to the next Monday 00:00, local time (Asia/Shanghai). The population is every service
request of the week: the tickets recorded (``tickets.Ticket.created_at``) and the customers' queries on orders
(``tracking.Query.at``). Definitions:

- per category and sub-category (the ticket's category and SLA sub-category; a query is category "query",
  its type the sub-category): the week's count; share = count / all requests of the week; change = against the
  previous week (count now − count then, and that as a share of the previous count); 4-week average = the mean
  count of the four weeks before this one, and the change against it (as a share of that average);
- top regions: requests by the pickup region of their order (tickets without an order have no region);
- top drivers: tickets naming a driver (``Ticket.driver``), with how many of them are complaints;
- top repeated questions: the same question text (trimmed) asked at least twice in the week, from queries'
  questions and tickets' descriptions.

Every figure is counted by the database (``Count`` with ``filter=``): five weeks are one range read of the
covering indexes ``weekly_ticket_period`` (tickets) and ``weekly_query_period`` (queries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.db.models.functions import Trim
from django.utils.translation import gettext as _

from freightdesk.core.worktime import TZ
from freightdesk.network.models import Driver, Region
from freightdesk.tickets.models import Category, SlaPolicy, Ticket
from freightdesk.tracking.models import Query, QueryType

QUERY = "query"  # the category the queries on orders are counted under
AVERAGE_WEEKS = 4
TOP = 10
REPEATED_AT_LEAST = 2
QUESTION_MAX = 200  # a repeated question is shown up to this many characters


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_start(monday: date) -> datetime:
    return datetime.combine(monday, time.min, TZ)


@dataclass(frozen=True)
class Weeks:
    """The analysed week (index 0) and the four before it (1..4), as [start, end) local datetimes."""

    monday: date

    def start(self, n: int = 0) -> datetime:
        return week_start(self.monday - timedelta(weeks=n))

    def end(self, n: int = 0) -> datetime:
        return week_start(self.monday - timedelta(weeks=n - 1))

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def counts(self, field: str) -> dict[str, Count]:
        """``w0`` … ``w4``: rows in each week, as filtered counts."""
        return {
            f"w{n}": Count("pk", filter=Q(**{f"{field}__gte": self.start(n), f"{field}__lt": self.end(n)}))
            for n in range(AVERAGE_WEEKS + 1)
        }

    def span(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start(AVERAGE_WEEKS), f"{field}__lt": self.end(0)})

    def this_week(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start(0), f"{field}__lt": self.end(0)})


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _figures(counts: dict, total: int, total_previous: int) -> dict:
    now, previous = counts["w0"], counts["w1"]
    average = sum(counts[f"w{n}"] for n in range(1, AVERAGE_WEEKS + 1)) / AVERAGE_WEEKS
    return {
        "count": now,
        "share": _ratio(now, total),
        "previous": previous,
        "previous_share": _ratio(previous, total_previous),
        "change": now - previous,
        "change_rate": _ratio(now - previous, previous),
        "average": round(average, 2),
        "average_change_rate": _ratio(now - average, average),
    }


def _type_counts(weeks: Weeks) -> list[dict]:
    """Five weekly counts per (category, sub-category): tickets, then the queries as category "query"."""
    week_counts = weeks.counts("created_at")
    tickets = (
        Ticket.objects.filter(weeks.span("created_at"))
        .values("category", "subcategory")
        .annotate(**week_counts)
        .order_by()
    )
    queries = Query.objects.filter(weeks.span("at")).values("type").annotate(**weeks.counts("at")).order_by()
    rows = [dict(row) for row in tickets]
    rows += [{"category": QUERY, "subcategory": row.pop("type"), **row} for row in queries]
    return rows


def _category_label(category: str) -> str:
    if category == QUERY:
        return _("Query on an order")
    return str(Category(category).label) if category in Category.values else category


def _subcategory_labels(rows: list[dict]) -> dict[tuple[str, str], str]:
    names = {(c, s): label for c, s, label in SlaPolicy.objects.values_list("category", "subcategory", "label")}
    names.update({(QUERY, code): str(label) for code, label in QueryType.choices})
    return names


def by_type(weeks: Weeks) -> tuple[list[dict], dict]:
    """Rows per category (``level`` "category", a subtotal) each followed by its sub-categories, most
    frequent first; and the totals of all requests."""
    rows = _type_counts(weeks)
    keys = [f"w{n}" for n in range(AVERAGE_WEEKS + 1)]
    totals = {k: sum(row[k] for row in rows) for k in keys}
    names = _subcategory_labels(rows)
    categories: dict[str, dict] = {}
    for row in rows:
        group = categories.setdefault(row["category"], {"subs": [], **dict.fromkeys(keys, 0)})
        for k in keys:
            group[k] += row[k]
        group["subs"].append(row)
    out = []
    for category, group in sorted(categories.items(), key=lambda item: (-item[1]["w0"], item[0])):
        label = _category_label(category)
        out.append(
            {"level": "category", "category": category, "subcategory": "", "label": label}
            | _figures(group, totals["w0"], totals["w1"])
        )
        for row in sorted(group["subs"], key=lambda r: (-r["w0"], -r["w1"], r["subcategory"])):
            sub = names.get((category, row["subcategory"]), row["subcategory"])
            out.append(
                {
                    "level": "subcategory",
                    "category": category,
                    "subcategory": row["subcategory"],
                    "label": f"{label} · {sub}",
                }
                | _figures(row, totals["w0"], totals["w1"])
            )
    return out, _figures(totals, totals["w0"], totals["w1"])


def top_regions(weeks: Weeks, total: int) -> list[dict]:
    """Requests of the week by the pickup region of their order (tickets with an order, every query), with the
    previous week's count; the most frequent first."""
    counts: dict[int, dict] = {}
    for model, field in ((Ticket, "created_at"), (Query, "at")):
        rows = (
            model.objects.filter(Q(**{f"{field}__gte": weeks.start(1), f"{field}__lt": weeks.end(0)}))
            .exclude(order__isnull=True)
            .values("order__pickup_region")
            .annotate(w0=weeks.counts(field)["w0"], w1=weeks.counts(field)["w1"])
            .order_by()
        )
        for row in rows:
            entry = counts.setdefault(row["order__pickup_region"], {"w0": 0, "w1": 0})
            entry["w0"] += row["w0"]
            entry["w1"] += row["w1"]
    ranked = sorted(((k, v) for k, v in counts.items() if v["w0"]), key=lambda kv: (-kv[1]["w0"], kv[0]))[:TOP]
    names = dict(Region.objects.filter(pk__in=[k for k, _ in ranked]).values_list("pk", "name"))
    return [
        {
            "key": pk,
            "label": names.get(pk, "–"),
            "count": v["w0"],
            "share": _ratio(v["w0"], total),
            "previous": v["w1"],
            "change": v["w0"] - v["w1"],
        }
        for pk, v in ranked
    ]


def top_drivers(weeks: Weeks) -> list[dict]:
    """Tickets of the week naming a driver, per driver, with how many are complaints; the most first."""
    rows = list(
        Ticket.objects.filter(weeks.this_week("created_at"), driver__isnull=False)
        .values("driver")
        .annotate(count=Count("pk"), complaints=Count("pk", filter=Q(category=Category.COMPLAINT)))
        .order_by("-count", "-complaints", "driver")[:TOP]
    )
    drivers = {d.pk: d for d in Driver.objects.filter(pk__in=[r["driver"] for r in rows])}
    return [
        {
            "key": drivers[r["driver"]].code if r["driver"] in drivers else "",
            "label": drivers[r["driver"]].name if r["driver"] in drivers else "–",
            "count": r["count"],
            "complaints": r["complaints"],
        }
        for r in rows
    ]


def repeated_questions(weeks: Weeks) -> list[dict]:
    """The same question (trimmed text) asked at least twice in the week: queries' questions and tickets'
    descriptions together; the most asked first."""
    asked: dict[str, dict] = {}
    sources = ((Query, "at", "question", "queries"), (Ticket, "created_at", "description", "tickets"))
    for model, field, text, key in sources:
        rows = (
            model.objects.filter(weeks.this_week(field))
            .annotate(text=Trim(text))
            .exclude(text="")
            .values("text")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            entry = asked.setdefault(row["text"], {"queries": 0, "tickets": 0})
            entry[key] += row["n"]
    repeated = [(text, e) for text, e in asked.items() if e["queries"] + e["tickets"] >= REPEATED_AT_LEAST]
    repeated.sort(key=lambda te: (-(te[1]["queries"] + te[1]["tickets"]), te[0]))
    return [
        {
            "label": text[:QUESTION_MAX],
            "count": e["queries"] + e["tickets"],
            "queries": e["queries"],
            "tickets": e["tickets"],
        }
        for text, e in repeated[:TOP]
    ]


@dataclass(frozen=True)
class WeeklyAnalysis:
    monday: date
    sunday: date
    types: list[dict]
    totals: dict
    regions: list[dict]
    drivers: list[dict]
    questions: list[dict]


def weekly_analysis(*, monday: date) -> WeeklyAnalysis:
    """The analysis of the week starting ``monday`` (any day is taken to its Monday)."""
    weeks = Weeks(monday_of(monday))
    types, totals = by_type(weeks)
    return WeeklyAnalysis(
        monday=weeks.monday,
        sunday=weeks.sunday,
        types=types,
        totals=totals,
        regions=top_regions(weeks, totals["count"]),
        drivers=top_drivers(weeks),
        questions=repeated_questions(weeks),
    )
