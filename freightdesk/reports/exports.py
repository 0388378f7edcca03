"""Report files: XLSX through openpyxl (Chinese headers in bold, a totals row, column widths) and
streaming CSV (UTF-8 with BOM, so Excel opens Chinese correctly)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from freightdesk.core.worktime import TZ

from .catalog import PICKUP_DETAIL_COLUMNS, RESULT_ZH, Column, Report

BOLD = Font(bold=True)
RATE_FORMAT = "0.0%"
TIME_FORMAT = "yyyy-mm-dd hh:mm"
PROGRESS_EVERY = 5000


def _cell(value):
    """Excel has no time zones: write local (Asia/Shanghai) wall-clock times without an offset."""
    if isinstance(value, datetime):
        return value.astimezone(TZ).replace(tzinfo=None) if value.tzinfo else value
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(TZ).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _style_sheet(ws, columns: tuple[Column, ...]) -> None:
    for index, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(col.width, len(col.zh) * 2 + 2)


def _format_row(ws, row_number: int, columns: tuple[Column, ...], *, bold: bool = False) -> None:
    for index, col in enumerate(columns, start=1):
        cell = ws.cell(row=row_number, column=index)
        if col.total == "rate":
            cell.number_format = RATE_FORMAT
        elif isinstance(cell.value, datetime):
            cell.number_format = TIME_FORMAT
        if bold:
            cell.font = BOLD


def add_report_sheet(wb: Workbook, report: Report, rows: list[dict], *, title: str | None = None) -> None:
    """One sheet: bold Chinese header, one line per group, a bold totals row (合计)."""
    ws = wb.create_sheet(title=(title or report.title_zh)[:31])
    ws.append([col.zh for col in report.columns])
    _format_row(ws, 1, report.columns, bold=True)
    for row in rows:
        ws.append([_cell(row.get(col.key)) for col in report.columns])
        _format_row(ws, ws.max_row, report.columns)
    totals = report.totals(rows)
    ws.append([totals.get(col.key) for col in report.columns])
    _format_row(ws, ws.max_row, report.columns, bold=True)
    ws.freeze_panes = "A2"
    _style_sheet(ws, report.columns)


def report_workbook(sheets: Iterable[tuple[Report, list[dict], str | None]]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for report, rows, title in sheets:
        add_report_sheet(wb, report, rows, title=title)
    return wb


class _Echo:
    def write(self, value):
        return value


def report_csv_lines(report: Report, rows: list[dict]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([col.zh for col in report.columns])
    for row in rows:
        yield writer.writerow([_text(row.get(col.key)) for col in report.columns])
    totals = report.totals(rows)
    yield writer.writerow([_text(totals.get(col.key)) for col in report.columns])


def _detail_values(values: tuple) -> list:
    serial, created, region, driver, due, picked, result = values
    return [serial, created, region, driver, due, picked, RESULT_ZH.get(result, result)]


def detail_csv_lines(rows: Iterable[tuple]) -> Iterator[str]:
    """Stream the per-order pickup detail; rows come from a server-side iterator, never all in memory."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([col.zh for col in PICKUP_DETAIL_COLUMNS])
    for values in rows:
        yield writer.writerow([_text(v) for v in _detail_values(values)])


def write_detail_xlsx(path, rows: Iterable[tuple], *, progress: Callable[[int], None] | None = None) -> int:
    """The per-order detail as XLSX in write-only mode (constant memory); calls ``progress(n)`` every
    5,000 rows. Returns the number of rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title="提货明细")
    for index, col in enumerate(PICKUP_DETAIL_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = col.width
    from openpyxl.cell import WriteOnlyCell

    header = []
    for col in PICKUP_DETAIL_COLUMNS:
        cell = WriteOnlyCell(ws, value=col.zh)
        cell.font = BOLD
        header.append(cell)
    ws.append(header)
    written = 0
    for values in rows:
        ws.append([_cell(v) for v in _detail_values(values)])
        written += 1
        if progress and written % PROGRESS_EVERY == 0:
            progress(written)
    total = WriteOnlyCell(ws, value="合计")
    total.font = BOLD
    count = WriteOnlyCell(ws, value=written)
    count.font = BOLD
    ws.append([total, count])
    wb.save(path)
    return written
