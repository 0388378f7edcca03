"""Server-side SVG bar charts: no CDN, no JavaScript; the numbers are also in a table under each chart."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ROW_HEIGHT = 22
LABEL_WIDTH = 150
BAR_WIDTH = 360
VALUE_WIDTH = 70
MAX_BARS = 40


def _shown(value, percent: bool) -> str:
    if value is None:
        return "–"
    if percent:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def bar_chart(
    rows: list[dict],
    *,
    value: str,
    label: str = "label",
    title: str = "",
    percent: bool = False,
    chart_id: str = "chart",
) -> SafeString:
    """Horizontal bars, one per row (the first 40), scaled to the largest value (or to 100% for rates).
    ``role="img"`` with a title; the table beside it carries the same figures for screen readers."""
    shown = rows[:MAX_BARS]
    values = [row.get(value) or 0 for row in shown]
    top = 1.0 if percent else (max(values) if values and max(values) > 0 else 1)
    height = max(1, len(shown)) * ROW_HEIGHT + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title" '
        f"font-family=\"sans-serif, 'Noto Sans CJK SC', 'Microsoft YaHei'\" font-size=\"12\">",
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for index, (row, number) in enumerate(zip(shown, values, strict=True)):
        y = 4 + index * ROW_HEIGHT
        bar = int(BAR_WIDTH * (float(number) / float(top))) if top else 0
        name = escape(str(row.get(label) if row.get(label) is not None else "—"))[:40]
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{name}</text>')
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{max(bar, 1)}" height="{ROW_HEIGHT - 6}" '
            f'fill="#2f6fb3"><title>{name}: {escape(_shown(row.get(value), percent))}</title></rect>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + max(bar, 1) + 4}" y="{y + 15}">{escape(_shown(row.get(value), percent))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped above
