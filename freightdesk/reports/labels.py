"""How the codes in report rows read for people: on the pages, in the charts and in the files for management
(渠道 电话, 状态 已提货, 投诉 · 运输时效…) instead of ``phone``, ``picked_up``, ``complaint/transit_time``.

The queries keep the codes (the JSON API of API.md answers with them); these functions add the words, in the
active language, as plain strings (openpyxl and csv take no lazy translations). Files for management are
written in Chinese whatever the reader's language, like their headers: ``in_file_language``.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.utils import translation

from freightdesk.orders.models import Channel, Status
from freightdesk.tickets.models import Category, SlaPolicy

FILE_LANGUAGE = "zh-hans"  # 提交管理层的报表: Chinese headers and Chinese labels


@contextmanager
def in_file_language():
    with translation.override(FILE_LANGUAGE):
        yield


def _choice(choices, code) -> str:
    return str(choices(code).label) if code in choices.values else (code or "")


def order_channels_and_statuses(rows: list[dict]) -> list[dict]:
    """Orders by channel and status: ``channel_label`` (电话), ``status_label`` (已提货), and ``label``
    "电话 · 已提货" for the chart."""
    for row in rows:
        row["channel_label"] = _choice(Channel, row["channel"])
        row["status_label"] = _choice(Status, row["status"])
        row["label"] = f"{row['channel_label']} · {row['status_label']}"
    return rows


def ticket_types(rows: list[dict]) -> list[dict]:
    """Rows per ticket category and sub-category (``category``, ``key``): ``label`` reads as the category's
    name and the sub-category's SLA label (投诉 · 运输时效（提货/送货超时）), as the ticket pages do; a
    sub-category without an SLA policy keeps its code. One query on the small SLA table."""
    typed = [row for row in rows if row.get("category")]
    if not typed:
        return rows
    names = {
        (category, sub): label
        for category, sub, label in SlaPolicy.objects.filter(
            category__in={row["category"] for row in typed},
            subcategory__in={row["key"] for row in typed},
        ).values_list("category", "subcategory", "label")
    }
    for row in typed:
        row["label"] = f"{_choice(Category, row['category'])} · {names.get((row['category'], row['key']), row['key'])}"
    return rows
