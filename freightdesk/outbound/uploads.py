"""Reading an uploaded call list (营销名单): an Excel workbook (.xlsx, the first sheet) or a CSV file (UTF-8, or
GB18030 as Chinese Excel saves it), at most MAX_ROWS rows. The first row is a header when it names its
columns (电话/手机/号码/phone…, 姓名/客户/name…); without one the first column is the number, the second the name."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from freightdesk.core.errors import BadInput

from .rules import MAX_ITEMS

MAX_ROWS = MAX_ITEMS
MAX_BYTES = 5 * 1024 * 1024
PHONE_HEADERS = {
    "电话",
    "手机",
    "手机号",
    "手机号码",
    "号码",
    "电话号码",
    "联系电话",
    "phone",
    "mobile",
    "number",
    "tel",
}
NAME_HEADERS = {"姓名", "名称", "客户", "客户名称", "联系人", "name", "customer"}


@dataclass
class Row:
    line: int  # as the supervisor sees it in his spreadsheet (the header is line 1)
    phone: str
    name: str


def read_upload(upload, filename: str) -> list[Row]:
    """The file's rows with a number or a name in them; refused whole (BadInput on ``file``) when it is not an
    .xlsx or .csv file, cannot be read, or has more than MAX_ROWS rows."""
    name = (filename or "").lower()
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise BadInput("invalid", _("The file is larger than 5 MB."), field="file")
    if name.endswith(".xlsx"):
        table = _xlsx_rows(data)
    elif name.endswith(".csv"):
        table = _csv_rows(data)
    else:
        raise BadInput("invalid", _("Upload an Excel (.xlsx) or CSV (.csv) file."), field="file")
    return _rows(table)


def _too_many() -> BadInput:
    return BadInput(
        "invalid",
        _("At most %(limit)s rows per file: split the list into several files.") % {"limit": f"{MAX_ROWS:,}"},
        field="file",
    )


def _xlsx_rows(data: bytes):
    import openpyxl

    unreadable = BadInput("invalid", _("This is not a readable Excel (.xlsx) file."), field="file")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a zip that is no workbook, broken XML, …: whatever the parser trips on
        raise unreadable from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell(v) for v in values[:10]])
            if len(rows) > MAX_ROWS + 1:
                raise _too_many()
        return rows
    except BadInput:
        raise
    except Exception as exc:
        raise unreadable from exc
    finally:
        workbook.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a number typed into Excel: 13800138000.0
    return str(value).strip()


def _csv_rows(data: bytes):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise BadInput("invalid", _("The CSV file is neither UTF-8 nor GB18030 text."), field="file")
    if "\x00" in text:
        raise BadInput("invalid", _("This is not a CSV text file."), field="file")
    rows = []
    try:
        for values in csv.reader(io.StringIO(text)):
            rows.append([v.strip() for v in values[:10]])
            if len(rows) > MAX_ROWS + 1:
                raise _too_many()
    except csv.Error as exc:
        raise BadInput("invalid", _("The CSV file cannot be read: %(error)s") % {"error": exc}, field="file") from exc
    return rows


def _column(header: list[str], names: set[str]) -> int | None:
    for i, value in enumerate(header):
        if value.strip().lower() in names:
            return i
    return None


def _rows(table: list[list[str]]) -> list[Row]:
    phone_col, name_col, first = 0, 1, 1
    if table:
        found = _column(table[0], PHONE_HEADERS)
        if found is not None:
            phone_col, name_col, first = found, _column(table[0], NAME_HEADERS), 2
    body = table[first - 1 :]
    if len(body) > MAX_ROWS:
        raise _too_many()
    rows = []
    for offset, values in enumerate(body):
        phone = values[phone_col] if phone_col < len(values) else ""
        name = values[name_col] if name_col is not None and name_col < len(values) else ""
        if phone or name:
            rows.append(Row(first + offset, phone, name[:40]))
    if not rows:
        raise BadInput("invalid", _("The file has no rows with a phone number."), field="file")
    return rows
