"""How report rows are grouped and named (shared by the raw queries and the summaries): a day or month of the
local calendar in SQL, a rate, and a group's key turned into the code and name people read (driver, region,
agent)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from freightdesk.core.periods import Period
from freightdesk.network.models import Driver, Region, driver_code
from freightdesk.orders.models import EnquiryOutcome

from .sql import LocalDate, LocalMonth


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def local_day(field: str, period: Period):
    """The local (Asia/Shanghai) date of ``field``, in SQL (``sql.LocalDate``: no per-row Python on SQLite)."""
    return LocalDate(field, start=period.start, end=period.end)


def local_month(field: str, period: Period):
    """The local month of ``field`` as its 1st day, in SQL (``sql.LocalMonth``)."""
    return LocalMonth(field, start=period.start, end=period.end)


def driver_names(rows: list[dict]) -> list[dict]:
    """Grouped rows keyed by driver id -> keyed by the driver's code (how the API names drivers), labelled with
    his name (one query for the few groups); rows without a driver keep ``key``/``label`` None and come first."""
    drivers = {
        pk: (code or driver_code(pk), name)
        for pk, code, name in Driver.objects.filter(
            pk__in=[r["key"] for r in rows if r["key"] is not None]
        ).values_list("pk", "code", "name")
    }
    for row in rows:
        row["key"], row["label"] = drivers.get(row["key"], (None, None))
    return sorted(rows, key=lambda r: (r["key"] is not None, r["key"] or ""))


def region_codes(rows: list[dict]) -> list[dict]:
    """Grouped rows keyed by region id -> keyed by region code with its name as label, ordered by code
    (rows without a region first)."""
    regions = {
        pk: (code, name)
        for pk, code, name in Region.objects.filter(
            pk__in=[r["key"] for r in rows if r["key"] is not None]
        ).values_list("pk", "code", "name")
    }
    for row in rows:
        row["key"], row["label"] = regions.get(row["key"], (None, None))
    return sorted(rows, key=lambda r: (r["key"] is not None, r["key"] or ""))


def staff(user_ids) -> dict:
    """user id -> (agent id (工号; the username when the user has none), display name (else the username)),
    in one query for the few groups of a report."""
    return {
        pk: (agent_id or username, name or username)
        for pk, username, agent_id, name in get_user_model()
        .objects.filter(pk__in=[pk for pk in user_ids if pk is not None])
        .values_list("pk", "username", "profile__agent_id", "profile__display_name")
    }


def staff_names(rows: list[dict]) -> list[dict]:
    """Grouped rows keyed by a user id -> keyed by the agent id, labelled with the name (``staff``). Rows
    without a user (e.g. orders nobody has reviewed yet) keep ``key``/``label`` None and come first."""
    users = staff(r["key"] for r in rows)
    for row in rows:
        row["key"], row["label"] = users.get(row["key"], (None, None))
    return sorted(rows, key=lambda r: (r["key"] is not None, r["key"] or ""))


def origin_rows(rows: list[dict], group_by: str) -> list[dict]:
    """The shipping-origin rows finished alike from the summaries and the raw enquiries: a day's or a month's
    label, the shipped share, regions by code."""
    for row in rows:
        if group_by == "day":
            row["label"] = row["key"].isoformat()
        elif group_by == "month":
            row["label"] = row["key"].strftime("%Y-%m")
        row["shipped_share"] = rate(row[EnquiryOutcome.SHIPPED.value], row["enquiries"])
    return region_codes(rows) if group_by == "region" else rows


def complaint_rows(rows: list[dict], group_by: str) -> list[dict]:
    """The complaint rows finished alike from the summaries and the raw tickets: a month's or a type's label, then
    drivers and agents by name."""
    for row in rows:
        if group_by == "month":
            row["label"] = row["key"].strftime("%Y-%m")
        elif group_by == "type":
            row["label"] = f"{row['category']}/{row['key']}"
    if group_by == "driver":
        return driver_names(rows)
    return staff_names(rows) if group_by == "agent" else rows
