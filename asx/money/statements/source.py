"""Row sources: a statement file as ``(line number, cells)`` pairs.

Preamble lines are taken one physical line at a time (so a stray quote in a
preamble cannot swallow the header); once the header is found, the rest is
read by the csv module as a stream, so quoted multi-line cells work and line
numbers stay physical (1-based).  XLSX sheets give the same interface with
sheet row numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol, TextIO

from asx.core.errors import UserError

#: Lines searched for a header before giving up.
MAX_PREAMBLE_LINES = 200

Row = tuple[int, list[str]]


class RowSource(Protocol):
    name: str
    encoding: str

    def find_header(self, is_header: Callable[[list[str]], bool]) -> Row | None: ...
    def preamble(self) -> list[Row]: ...
    def rows(self) -> Iterator[Row]: ...
    def close(self) -> None: ...


def _split_line(line: str) -> list[str]:
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return [line.rstrip("\r\n")]


class TextSource:
    """A delimited text file (or a string) as rows."""

    def __init__(self, stream: TextIO, name: str, encoding: str, *, delimiter: str = ","):
        self._stream = stream
        self.name = name
        self.encoding = encoding
        self.delimiter = delimiter
        self._lineno = 0
        self._preamble: list[Row] = []

    @classmethod
    def from_text(cls, text: str, name: str, encoding: str = "str") -> TextSource:
        return cls(io.StringIO(text, newline=""), name, encoding)

    def _decode_error(self, exc: UnicodeDecodeError, line: int) -> UserError:
        return UserError(
            f"{self.name}: line {line}: bytes that are not {self.encoding} "
            "(corrupted or truncated file?)"
        )

    def find_header(self, is_header: Callable[[list[str]], bool]) -> Row | None:
        while self._lineno < MAX_PREAMBLE_LINES:
            try:
                line = self._stream.readline()
            except UnicodeDecodeError as exc:
                raise self._decode_error(exc, self._lineno + 1) from None
            if not line:
                return None
            self._lineno += 1
            cells = _split_line(line)
            if is_header(cells):
                return self._lineno, cells
            self._preamble.append((self._lineno, cells))
        return None

    def preamble(self) -> list[Row]:
        return self._preamble

    def rows(self) -> Iterator[Row]:
        reader = csv.reader(self._stream, delimiter=self.delimiter)
        base = self._lineno
        consumed = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise UserError(f"{self.name}: line {base + reader.line_num}: {exc}") from None
            except UnicodeDecodeError as exc:
                raise self._decode_error(exc, base + consumed + 1) from None
            yield base + consumed + 1, cells
            consumed = reader.line_num

    def close(self) -> None:
        self._stream.close()


def _xlsx_missing() -> UserError:
    return UserError("reading .xlsx statements needs openpyxl: pip install 'asx[xlsx]'")


def load_workbook(path: Path):
    """Open an XLSX workbook read-only (openpyxl imported here, lazily)."""
    try:
        import openpyxl
    except ImportError:
        raise _xlsx_missing() from None
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile/xml/openpyxl errors all mean "not readable"
        raise UserError(f"{path}: not a readable XLSX workbook ({type(exc).__name__})") from None


def _sheets_active_first(wb) -> list:
    sheets = list(wb.worksheets)
    try:
        active = wb.active
    except Exception:  # pragma: no cover - defensive, openpyxl edge cases
        active = None
    if active is not None and active in sheets:
        sheets.remove(active)
        sheets.insert(0, active)
    return sheets


def _sheet_rows(ws) -> Iterator[Row]:
    from asx.money.statements.clean import _cell_text

    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        yield number, ["" if v is None else v if isinstance(v, str) else _cell_text(v)
                       for v in values]


class XlsxSource:
    """The sheet of a workbook that holds the header (the active sheet first)."""

    def __init__(self, path: Path, name: str | None = None):
        self.path = path
        self.name = name or str(path)
        self.encoding = "xlsx"
        self._wb = load_workbook(path)
        self._iter: Iterator[Row] | None = None
        self._preamble: list[Row] = []
        self.sheet_title = ""

    def find_header(self, is_header: Callable[[list[str]], bool]) -> Row | None:
        try:
            for ws in _sheets_active_first(self._wb):
                it = _sheet_rows(ws)
                preamble: list[Row] = []
                for number, cells in it:
                    if number > MAX_PREAMBLE_LINES:
                        break
                    if is_header(cells):
                        self._iter, self._preamble, self.sheet_title = it, preamble, ws.title
                        return number, cells
                    preamble.append((number, cells))
        except UserError:
            raise
        except Exception as exc:
            raise UserError(f"{self.name}: cannot read the workbook ({type(exc).__name__})") from None
        return None

    def preamble(self) -> list[Row]:
        return self._preamble

    def rows(self) -> Iterator[Row]:
        if self._iter is None:
            return
        try:
            yield from self._iter
        except Exception as exc:
            raise UserError(f"{self.name}: cannot read the workbook ({type(exc).__name__})") from None

    def close(self) -> None:
        self._wb.close()

    def head_text(self, limit: int = 60) -> str:
        """First rows of every sheet rendered as CSV text, for layout detection."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        try:
            for ws in _sheets_active_first(self._wb):
                for number, cells in _sheet_rows(ws):
                    if number > limit:
                        break
                    writer.writerow(cells)
        except Exception as exc:
            raise UserError(f"{self.name}: cannot read the workbook ({type(exc).__name__})") from None
        return out.getvalue()


XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
