"""Writing an XLSX workbook for people (issue 18 item 2): ``-f xlsx`` / ``-o FILE.xlsx`` of every listing.

Money is a number with a yuan number format (a ``*_fen`` column's integer fen divided by 100, or a
column of ``unit="yuan"``), so a supervisor can sum it; ISO times and dates are Excel dates in the
store's time (the offset is the store's, :func:`asx.core.timeutil` prints every time in it); the
header row is frozen and has a filter; domain values show their label (``--lang``). Text that would
run as a formula stays text (issue 9). Buyer data is masked as in every export; the file's mode
follows docs/privacy.md (0600 only with ``--reveal``), written atomically by :mod:`asx.io.output`.

openpyxl (extra ``asx[xlsx]``) is imported only here, only when a workbook is written.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO, Iterable

from asx.core.errors import UserError

YUAN_FORMAT = '"¥"#,##0.00;-"¥"#,##0.00'
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _openpyxl():
    try:
        import openpyxl
    except ImportError:
        raise UserError("xlsx output needs openpyxl: pip install 'asx[xlsx]' (or use --format csv --excel)") from None
    return openpyxl


def _yuan_number(v: Any) -> Any:
    if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
        return v
    try:
        return Decimal(str(v).replace(",", "").replace("¥", "").strip())
    except (InvalidOperation, ValueError):
        return v


def _when(v: str) -> Any:
    if _DATE.match(v):
        return date.fromisoformat(v)
    if _DATETIME.match(v):
        try:
            return datetime.fromisoformat(v.replace("Z", "+00:00")).replace(tzinfo=None)
        except ValueError:
            return v
    return v


def write(f: BinaryIO, rows: Iterable[list], columns: list, *, headers: bool, lang: str, labels: Any = None,
          meta: dict | None = None, sheet: str = "data") -> int:
    """Write prepared (masked) rows of ``columns`` to the binary file ``f``; returns the row count."""
    openpyxl = _openpyxl()
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31] or "data")
    widths = [max(8, min(40, len(c.header(lang)) * (2 if not c.header(lang).isascii() else 1) + 2)) for c in columns]
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    if headers:
        ws.freeze_panes = "A2"
        ws.append([c.header(lang) for c in columns])
    n = 0
    for cells in rows:
        out = []
        for c, v in zip(columns, cells):
            fmt = None
            if v is None or v == "":
                out.append(None)
                continue
            if c.money and isinstance(v, int) and not isinstance(v, bool):
                v, fmt = Decimal(v) / 100, YUAN_FORMAT
            elif getattr(c, "unit", None) == "yuan":
                v = _yuan_number(v)
                fmt = YUAN_FORMAT if not isinstance(v, str) else None
            elif isinstance(v, str):
                if labels is not None and c.kind:
                    v = labels.label(c.kind, v, lang)
                else:
                    v = _when(v)
                    if isinstance(v, datetime):
                        fmt = DATETIME_FORMAT
                    elif isinstance(v, date):
                        fmt = DATE_FORMAT
            elif isinstance(v, (dict, list)):
                v = json.dumps(v, ensure_ascii=False)
            cell = WriteOnlyCell(ws, value=v)
            if cell.data_type == "f":  # text such as "=cmd|…" stays text, never a formula (issue 9)
                cell.data_type = "s"
            if fmt:
                cell.number_format = fmt
            out.append(cell)
        ws.append(out)
        n += 1
    if headers and columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    if meta:
        ms = wb.create_sheet("meta")
        for k, v in meta.items():
            if isinstance(v, (dict, list)):
                v = json.dumps(v, ensure_ascii=False, default=str)
            elif not isinstance(v, (str, int, float, bool, type(None))):
                v = str(v)
            cell = WriteOnlyCell(ms, value=v)
            if cell.data_type == "f":
                cell.data_type = "s"
            ms.append([k, cell])
    wb.save(f)
    return n
