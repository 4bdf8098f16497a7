"""Reading tabular files, the one place (formats.md "general rules"): cases, reviews, daily records,
payment statements and store plugins read their CSV/XLSX files through this module.

* **Decoding** — :func:`sniff_encoding`, :func:`decode_bytes`, :func:`read_text`, :func:`open_text`:
  UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312); UTF-16 and binary junk
  (NUL bytes, mostly control characters, bytes that are neither) are refused with a one-line
  :class:`~asx.core.errors.UserError` naming the file. A large file is sniffed on its first
  :data:`SNIFF_BYTES` and streamed.
* **Cells** — :func:`clean_cell` strips padding, TABs and full-width spaces and the guards platforms
  and spreadsheets add (``="…"``, a leading ``'`` or backtick); :func:`cell_text` gives the text of
  an XLSX value; :func:`excel_mangled` spots a long number Excel re-saved as ``1.23457E+17``.
* **Header** — found by content, never by a fixed line count (:meth:`TextSource.find_header`, at most
  :data:`MAX_PREAMBLE_LINES` lines of preamble); :func:`normalize_header` is the canonical form of a
  header cell (``'金额（元） '`` → ``'金额(元)'``) and :class:`Columns` maps Chinese/English aliases
  to canonical column names by :func:`header_key`.
* **Rows** — a :class:`RowSource` (:class:`TextSource` for delimited text, :class:`XlsxSource` for a
  workbook; :func:`open_rows` picks one) gives ``(line number, cells)`` with physical 1-based line
  numbers, quoted multi-line cells included.
* **Rejects** — :class:`Reject` (file, line, reason) and :class:`RejectsWriter`, the CSV every import
  writes its bad rows to (``file,line,reason`` and the row's own columns).

No click and no SQL here; money cells are read by :func:`asx.core.money.parse_yuan`.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Protocol, TextIO

from asx.core.errors import UserError
from asx.core.money import GUARDS, unguard

__all__ = [
    "MAX_PREAMBLE_LINES", "SNIFF_BYTES", "Columns", "Reject", "RejectsWriter", "Row", "RowSource",
    "TextSource", "XlsxSource", "cell_text", "clean_cell", "decode_bytes", "encoding_label", "excel_mangled",
    "header_key", "input_file", "is_mangled_clean", "load_workbook", "normalize_header", "normalize_text", "open_rows",
    "open_text", "parse_json", "read_text", "sniff_encoding", "split_line",
]

_WS = re.compile(r"\s+")
_EXCEL_MANGLED = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")


# -- decoding ---------------------------------------------------------------------------------------

BOM_UTF8 = codecs.BOM_UTF8
#: How much of a file is sniffed before streaming the rest.
SNIFF_BYTES = 1 << 20
_ALLOWED_CONTROLS = frozenset("\t\n\r\x0c\x1a")


def _display(name: str | Path) -> str:
    return str(name)


def _check_binary(data: bytes, name: str | Path) -> None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UserError(
            f"{_display(name)}: UTF-16 text is not supported; save the file as CSV (UTF-8)"
        )
    if b"\x00" in data:
        raise UserError(f"{_display(name)}: binary data (NUL bytes): neither UTF-8 nor GB18030 text")


def _check_controls(text: str, name: str | Path) -> None:
    if not text:
        return
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    if controls * 20 > len(text):  # more than 5 % control characters
        raise UserError(f"{_display(name)}: binary data (control characters): neither UTF-8 nor GB18030 text")


def sniff_encoding(head: bytes, name: str | Path, *, final: bool = True) -> str:
    """Return the codec for *head*: ``utf-8-sig``, ``utf-8`` or ``gb18030``.

    *final* is False when *head* is only the beginning of a longer file, so a
    multi-byte character cut at the end of *head* is not an error.
    """
    _check_binary(head, name)
    candidates = ("utf-8-sig",) if head.startswith(BOM_UTF8) else ("utf-8", "gb18030")
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)("strict")
        try:
            text = decoder.decode(head, final)
        except UnicodeDecodeError:
            continue
        _check_controls(text[:65536], name)
        return encoding
    raise UserError(f"{_display(name)}: not text: neither UTF-8 nor GB18030 (binary or corrupted file?); "
                    "re-save it as UTF-8 CSV")


def decode_bytes(data: bytes, name: str | Path = "<bytes>", *, final: bool = True) -> tuple[str, str]:
    """Decode a whole file; return ``(text, encoding_name)``. With ``final=False`` *data* is the head of
    a longer file (for sniffing a layout): a character cut at its end is dropped."""
    encoding = sniff_encoding(data, name, final=final)
    return data.decode(encoding, errors="strict" if final else "ignore"), encoding


def read_text(path: str | Path) -> tuple[str, str]:
    """Read and decode a whole file; return ``(text, encoding_name)``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return decode_bytes(data, path)


def open_text(path: str | Path) -> tuple[TextIO, str]:
    """Open *path* as a text stream (``newline=''`` for the csv module).

    The encoding is chosen from the first :data:`SNIFF_BYTES`; a decoding error
    further on surfaces while reading (readers turn it into a UserError).
    """
    path = Path(path)
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the caller through the wrapper
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        head = raw.read(SNIFF_BYTES)
        at_end = len(head) < SNIFF_BYTES
        encoding = sniff_encoding(head, path, final=at_end)
        raw.seek(0)
    except BaseException:
        raw.close()
        raise
    return io.TextIOWrapper(raw, encoding=encoding, newline="", errors="strict"), encoding


def open_text_stream(path: str | Path) -> tuple[TextIO, str, str]:
    """:func:`open_text` that also reads standard input for ``-``: ``(stream, encoding, display name)``."""
    if str(path) != "-":
        stream, encoding = open_text(path)
        return stream, encoding, str(path)
    raw = sys.stdin.buffer
    head = raw.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(raw, "peek") else b""
    data = None
    if not head:
        data = raw.read()
        head = data[:SNIFF_BYTES]
    encoding = sniff_encoding(head, "stdin", final=data is not None)
    stream = io.TextIOWrapper(io.BytesIO(data) if data is not None else raw, encoding=encoding, newline="",
                              errors="strict")
    return stream, encoding, "stdin"


def encoding_label(encoding: str) -> str:
    """The encoding as a summary names it: ``utf-8-sig`` (a BOM) is ``utf-8``."""
    return "utf-8" if encoding == "utf-8-sig" else encoding


# -- cells ------------------------------------------------------------------------------------------

def clean_cell(value: object, *, slash_empty: bool = False) -> str:
    """Strip padding and the guards spreadsheets and platforms add to a cell.

    Removes surrounding spaces/TABs (ids end in a TAB), a leading backtick
    (WeChat merchant bill), the ``="…"`` and leading ``'`` Excel guards.
    With *slash_empty*, a lone ``/`` (WeChat/Alipay "nothing") becomes ``""``.
    """
    if value.__class__ is not str:
        if value is None:
            return ""
        value = value if isinstance(value, str) else cell_text(value)
    s = value.strip()  # type: ignore[union-attr]
    if s and s[0] in GUARDS:
        s = unguard(s)
    if slash_empty and s == "/":
        return ""
    return s




def cell_text(value: object) -> str:
    """Text of a non-string spreadsheet value (XLSX cells)."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            # Integers up to 2**53 are exact in a float; beyond, digits may be lost, so
            # show them like Excel does (1.23457E+17) for excel_mangled() to catch.
            return str(int(value)) if abs(value) <= 2**53 else f"{value:.5E}"
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def normalize_text(s: str) -> str:
    """NFKC: full-width letters, digits and punctuation → ASCII (``（`` → ``(``)."""
    return s if s.isascii() else unicodedata.normalize("NFKC", s)


@lru_cache(maxsize=4096)
def normalize_header(name: str) -> str:
    """Canonical form of a header cell: cleaned, NFKC, no whitespace, BOM dropped.

    ``'金额（元） '`` and ``'金额(元)'`` both become ``'金额(元)'``.
    """
    s = clean_cell(name.replace("\ufeff", ""))
    return _WS.sub("", normalize_text(s))


def excel_mangled(value: object) -> bool:
    """True for numbers that Excel turned into scientific notation (``1.23457E+17``).

    Such a cell has lost digits; the row must be rejected, never stored.
    """
    s = clean_cell(value)
    return is_mangled_clean(s)


def is_mangled_clean(s: str) -> bool:
    """:func:`excel_mangled` for an already cleaned cell (fast path for readers)."""
    return ("E" in s or "e" in s) and _EXCEL_MANGLED.fullmatch(s) is not None


@lru_cache(maxsize=4096)
def header_key(name: object) -> str:
    """What header matching compares: :func:`normalize_header`, case-folded, without ``_`` and ``-``
    (``'Opened At'``, ``'opened_at'`` and ``'opened-at'`` are one column)."""
    return normalize_header(name if isinstance(name, str) else cell_text(name)).casefold() \
        .replace("_", "").replace("-", "")


class Columns:
    """Canonical column names and the header texts that mean them (Chinese/English aliases).

    ``Columns({"order": ["订单编号", "订单号"], "category": ["类别"]})``: a header cell
    ``' 订单编号 '`` or ``'ORDER'`` is column ``order``; matching is by :func:`header_key`.
    """

    def __init__(self, aliases: Mapping[str, Iterable[str]]):
        self.names: tuple[str, ...] = tuple(aliases)
        self._by_key: dict[str, str] = {}
        for name, others in aliases.items():
            for text in (name, *others):
                self._by_key.setdefault(header_key(text), name)

    def name_of(self, header: object) -> str | None:
        """The canonical name of a header cell, or None."""
        if header is None:
            return None
        return self._by_key.get(header_key(header))

    def names_of(self, cells: Iterable[object]) -> list[str | None]:
        """:meth:`name_of` of each cell of a header row."""
        return [self.name_of(c) for c in cells]


# -- rows -------------------------------------------------------------------------------------------

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


def split_line(line: str) -> list[str]:
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
            cells = split_line(line)
            if is_header(cells):
                return self._lineno, cells
            self._preamble.append((self._lineno, cells))
        return None

    def preamble(self) -> list[Row]:
        return self._preamble

    def rows(self) -> Iterator[Row]:
        """``(line, cells)`` after the header; *line* is where the record starts (physical, 1-based)."""
        reader = csv.reader(self._stream, delimiter=self.delimiter)
        base = self._lineno + 1
        start = base
        try:
            for cells in reader:
                yield start, cells
                start = base + reader.line_num
        except csv.Error as exc:
            raise UserError(f"{self.name}: line {base - 1 + reader.line_num}: {exc}") from None
        except UnicodeDecodeError as exc:
            raise self._decode_error(exc, start) from None

    def close(self) -> None:
        self._stream.close()


#: Caps on what an XLSX file may unpack to (issue 21: a 17 KB workbook took 58 s and 5 GB): the sum
#: of its parts unpacked, and the cells read from its sheets.
MAX_XLSX_UNPACKED = 256 << 20
MAX_XLSX_CELLS = 5_000_000


def _xlsx_missing() -> UserError:
    return UserError("reading .xlsx files needs python-calamine: pip install python-calamine")


def _active_tab(path: Path) -> int:
    """The index of the sheet that was active when the workbook was saved (``activeTab`` of
    ``xl/workbook.xml``, read as bytes: no XML parser, no entities), 0 if none."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            with z.open("xl/workbook.xml") as f:
                head = f.read(1 << 16)
    except (KeyError, OSError, zipfile.BadZipFile):
        return 0
    m = re.search(rb'activeTab="(\d{1,4})"', head)
    return int(m.group(1)) if m else 0


class _Workbook:
    """A workbook read by python-calamine (Rust: no DTD, no entity expansion, much faster than openpyxl)
    behind the few attributes the readers use: ``worksheets`` (``title``, ``iter_rows``), ``active``,
    ``close``. Every sheet's cells count towards :data:`MAX_XLSX_CELLS`."""

    def __init__(self, path: Path, book):
        self.path = path
        self._book = book
        self._cells = 0
        names = [m.name for m in book.sheets_metadata if str(m.typ).endswith("WorkSheet")] or list(book.sheet_names)
        self.worksheets = [_Sheet(self, name) for name in names]
        tab = _active_tab(path)
        self.active = self.worksheets[tab] if 0 <= tab < len(self.worksheets) else \
            (self.worksheets[0] if self.worksheets else None)

    def count(self, n: int) -> None:
        self._cells += n
        if self._cells > MAX_XLSX_CELLS:
            raise UserError(f"{self.path}: more than {MAX_XLSX_CELLS:,} cells; split the workbook or save it as CSV")

    def close(self) -> None:
        close = getattr(self._book, "close", None)
        if close is not None:
            close()


class _Sheet:
    def __init__(self, wb: _Workbook, title: str):
        self._wb = wb
        self.title = title

    def iter_rows(self, values_only: bool = True) -> Iterator[tuple]:
        sheet = self._wb._book.get_sheet_by_name(self.title)
        for values in sheet.iter_rows():
            self._wb.count(len(values))
            yield tuple(None if v == "" else v for v in values)


def load_workbook(path: Path):
    """Open an XLSX workbook with python-calamine (imported here, lazily), after checking what it
    unpacks to (a zip bomb is refused before any sheet is read)."""
    import zipfile

    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        raise _xlsx_missing() from None
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise UserError(f"{path}: not a readable XLSX workbook ({type(exc).__name__})") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise UserError(f"{path}: unpacks to {unpacked >> 20:,} MB (at most {MAX_XLSX_UNPACKED >> 20} MB); "
                        "not read")
    try:
        return _Workbook(path, CalamineWorkbook.from_path(str(path)))
    except UserError:
        raise
    except Exception as exc:  # calamine's errors all mean "not readable"
        raise UserError(f"{path}: not a readable XLSX workbook ({type(exc).__name__})") from None


def _sheets_active_first(wb) -> list:
    sheets = list(wb.worksheets)
    active = wb.active
    if active is not None and active in sheets:
        sheets.remove(active)
        sheets.insert(0, active)
    return sheets


def _sheet_rows(ws) -> Iterator[Row]:
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        yield number, ["" if v is None else v if isinstance(v, str) else cell_text(v)
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


def open_rows(path: str | Path, *, xlsx: bool = True) -> RowSource:
    """The rows of *path*: an XLSX workbook (``.xlsx``/``.xlsm``, when *xlsx*) or delimited text
    decoded by :func:`open_text`; ``-`` reads standard input."""
    if xlsx and str(path) != "-" and Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return XlsxSource(Path(path))
    stream, encoding, name = open_text_stream(path)
    return TextSource(stream, name, encoding)


@contextmanager
def input_file(path: str | Path, *, stream: BinaryIO | None = None) -> Iterator[Path]:
    """``path`` itself, or for ``-`` standard input spooled to a private temporary file (mode 0600 in a
    0700 folder, removed afterwards) named ``stdin.csv`` / ``.xlsx`` / ``.json`` / ``.jsonl`` by its
    content, so every reader that needs a file (sniffing, a workbook's zip) reads a pipe (issue 18 item 10)."""
    if str(path) != "-":
        yield Path(path)
        return
    import shutil
    import tempfile

    data = (stream if stream is not None else sys.stdin.buffer).read()
    head = data[:4096].lstrip(BOM_UTF8 + b" \r\n\t")
    if data.startswith(XLSX_MAGIC):
        suffix = ".xlsx"
    elif head[:1] == b"[":
        suffix = ".json"
    elif head[:1] == b"{":
        suffix = ".jsonl" if b"\n{" in data[:1 << 20] else ".json"
    else:
        suffix = ".csv"
    folder = tempfile.mkdtemp(prefix="asx-stdin-")
    target = Path(folder) / f"stdin{suffix}"
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# -- JSON -----------------------------------------------------------------------------------------

def parse_json(text: str, what: str = "JSON"):
    """``json.loads`` of an imported text, every failure a one-line :class:`UserError`: bad syntax
    (line and column), integers of over 4,300 digits, arrays nested too deeply for the decoder
    (100,000 brackets: RecursionError, issue 21)."""
    import json

    from asx.core.errors import json_problem

    try:
        return json.loads(text)
    except RecursionError:
        raise UserError(f"not valid {what}: arrays or objects nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, or an integer of over 4,300 digits
        raise UserError(f"not valid {what}: {json_problem(exc)}") from None


# -- rejects ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reject:
    """A row an import did not take: where it is and why."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


class RejectsWriter:
    """The rejects CSV of an import: ``file,line,reason`` and the row's own *fields*.

    The file is created at the first :meth:`add` (a clean import leaves none); ``count`` and
    ``first`` (the first few rejects) feed the one-line summary. Use as a context manager.

    Issue 21 (R-SEC-1): the file holds buyer data, so it is written to a temporary file beside the
    target (mode 0600) and renamed into place at :meth:`close` — never through a symlink planted at
    the target, never half-written — and, unless ``reveal`` (a supervisor's recorded choice), the
    row's values and the reason are masked: *mask* maps a field to its masking kind
    (:mod:`asx.io.masking`), every other field and the reason are masked as free text. The line
    number and the reason are what fixing the row needs.
    """

    def __init__(self, path: str | Path | None, *, fields: Iterable[str] = (), keep: int = 5,
                 mask: Mapping[str, str] | None = None, reveal: bool = False):
        self.path = None if path is None else str(path)
        self.fields = tuple(fields)
        self.count = 0
        self.first: list[Reject] = []
        self._keep = keep
        self._file: TextIO | None = None
        self._tmp: str | None = None
        self._writer = None
        self._reveal = reveal
        self._kinds = [(mask or {}).get(f, "text") for f in self.fields]

    def _open(self) -> None:
        import os
        import tempfile

        target = Path(self.path)
        if target.is_dir():
            raise UserError(f"{self.path} is a folder; name a file for the rejects (--rejects)")
        if not target.parent.is_dir():
            raise UserError(f"cannot write {self.path}: folder {target.parent} does not exist")
        fd, self._tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.fchmod(fd, 0o600)  # buyer data: the owner only
        self._file = os.fdopen(fd, "w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file)
        self._writer.writerow(["file", "line", "reason", *self.fields])

    def add(self, reject: Reject, values: Iterable[object] = ()) -> None:
        self.count += 1
        if len(self.first) < self._keep:
            self.first.append(reject)
        if self.path is None:
            return
        if self._writer is None:
            self._open()
        reason = reject.reason
        values = list(values)
        if not self._reveal:
            from asx.io.masking import mask_text, mask_value

            reason = mask_text(reason)
            values = [v if v in (None, "") else mask_value(k, str(v)) for k, v in zip(self._kinds, values)] + \
                [mask_text(str(v)) for v in values[len(self._kinds):]]
        from asx.io.output import neutralise

        self._writer.writerow([reject.file, reject.line, neutralise(reason), *(neutralise(v) for v in values)])

    def close(self) -> None:
        import os

        if self._file is not None:
            try:
                self._file.flush()
                os.fsync(self._file.fileno())
                self._file.close()
                os.replace(self._tmp, self.path)  # replaces a symlink at the target, never follows it
            except BaseException:
                self.discard()
                raise
            self._file = self._tmp = None

    def discard(self) -> None:
        """Drop what was written (a dry run, an interrupted import): no file, no temp file."""
        import os

        if self._file is not None:
            self._file.close()
            self._file = None
        if self._tmp is not None:
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
                pass
            self._tmp = None

    def __enter__(self) -> RejectsWriter:
        return self

    def __exit__(self, et, ev, tb) -> None:
        if et is not None and not issubclass(et, Exception):  # Ctrl-C, exit: leave nothing
            self.discard()
        else:
            self.close()
