"""One shared output path for every listing and export.

``@output_options`` (:mod:`asx.io.options`, the click side) gives a command ``--format table|csv|tsv|json|jsonl``, ``--columns``,
``--no-headers``, ``--output FILE`` (atomic: temp file + rename) and ``--excel`` (CSV as
UTF-8 with BOM for Chinese Excel); the command receives an :class:`OutputSpec` as ``out``
and calls :func:`emit` with a row iterator and its :class:`Column` list.

Rows stream (csv/tsv/json/jsonl write each row as it comes); only ``table`` collects rows,
since it aligns columns for a person to read. Columns that hold personal data declare a
``mask`` kind and are masked by :mod:`asx.io.masking` unless the command asked for a recorded
reveal (R-SEC-1/2). Domain values are shown with their English or Chinese label in tables
(``--lang``); machine formats carry the stable codes. Text cells that a spreadsheet would
run as a formula (``=``, ``+``, ``-``, ``@``, TAB, CR) are neutralised with a leading ``'``
in csv/tsv (issue 9: formula injection).
"""

from __future__ import annotations

import csv
import io
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "xlsx")


@dataclass
class Column:
    key: str
    en: str | None = None
    zh: str | None = None
    kind: str | None = None           # label kind: translated in tables (asx.core.labels)
    mask: str | None = None           # masking kind (asx.io.masking): phone, name, email, account, contact, text
    fmt: Callable[[Any], Any] | None = None  # display conversion applied in every format (e.g. epoch -> ISO)
    unit: str | None = None           # "yuan": yuan text or number, a money number in XLSX (asx.io.xlsx)
    text: bool = False                # phrases of the labels' kind "text" ("fine 50 yuan"): translated in tables

    def header(self, lang: str) -> str:
        if lang == "zh" and self.zh:
            return self.zh
        return self.en or self.key

    @property
    def money(self) -> bool:
        """A ``*_fen`` column holds integer fen in every machine format (csv, tsv, json, jsonl), a yuan
        number in XLSX and ``12.34`` in a table for people (issue 18, R-FIN-1)."""
        return self.key.endswith("_fen")


@dataclass
class OutputSpec:
    format: str | None = None
    columns: list[str] | None = None
    headers: bool = True
    output: str | None = None
    excel: bool = False
    bom: bool = False     # start a file with a UTF-8 BOM (implied by excel; nightly.csv_bom)
    reveal: bool = False
    lang: str = "en"
    meta: dict = field(default_factory=dict)
    labels: Any = None    # app.labels, set by emit: tables show domain values by their label
    wide: bool = False    # --wide: on a terminal, every column at full width (no fitting, issue 18 item 6)


def _default_format(app, stream: TextIO) -> str:
    configured = None
    if app is not None:
        try:
            configured = app.config.get("output.format")
        except Exception:
            configured = None
    if configured and configured != "auto":
        return configured
    return "table" if stream.isatty() else "csv"


def neutralise(value: Any) -> Any:
    """Defuse spreadsheet formulas in text cells (``=cmd|…`` → ``'=cmd|…``)."""
    if isinstance(value, str) and value and value[0] in "=+-@\t\r":
        if value[0] in "+-":
            try:
                float(value)
                return value
            except ValueError:
                pass
        value = "'" + value
    if isinstance(value, str) and "\r" in value:
        # csv.writer does not quote a lone CR when the line end is "\n", and a spreadsheet starts a new
        # row there (row injection): a CR inside a cell becomes a quoted LF
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


#: Digits a spreadsheet shows in full as a number: Excel's General format switches to ``1.23E+11`` at
#: 12 digits and keeps only 15 significant ones, so an order number of 19 digits is lost on saving.
_SPREADSHEET_DIGITS = 11


def excel_text(value: Any) -> Any:
    """A long identifier (digits only: order, transaction, item numbers) or one with a leading zero,
    written for ``--excel`` as ``="3308299098846212345"``: Excel and LibreOffice open it as text, show
    every digit and save it back as the plain digits; asx's readers take the guard off
    (:func:`asx.io.tabular.clean_cell`). Other values are unchanged (issue 18 item 1)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and (
            len(value) > _SPREADSHEET_DIGITS or (len(value) > 1 and value[0] == "0")):
        return f'="{value}"'
    return value


def _excel_field(value: Any, delimiter: str) -> str:
    """One CSV field as csv.QUOTE_MINIMAL writes it, except a ``="…"`` guard, which stays unquoted so
    every spreadsheet sees the formula (quoted, LibreOffice may keep it as the text ``="…"``)."""
    text = "" if value is None else str(value)
    if text.startswith('="') and text.endswith('"') and text[2:-1].isdigit():
        return text
    if any(ch in text for ch in (delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def _prepare(rows: Iterable[dict], columns: list[Column], out: OutputSpec, lang: str, table: bool) -> Iterator[list]:
    from asx.io import masking

    labels = out.labels if table and any(c.kind or c.text for c in columns) else None
    for row in rows:
        cells = []
        for c in columns:
            v = row.get(c.key)
            if c.fmt is not None and v is not None:
                v = c.fmt(v)
            if c.mask and not out.reveal and v not in (None, ""):
                v = masking.mask_value(c.mask, str(v))
            elif c.mask and out.reveal and row.get(c.key + "_raw") is not None:
                v = row[c.key + "_raw"]  # a free text masked at write time: a reveal shows it as written (R-SEC-1)
            if labels is not None and c.kind and v is not None:
                v = labels.label(c.kind, v, lang)
            elif labels is not None and c.text and v is not None:
                v = labels.translate(v, lang)
            if table and c.money and isinstance(v, int) and not isinstance(v, bool):
                from asx.core.money import yuan

                v = yuan(v)
            cells.append(v)
        yield cells


def select_columns(columns: list[Column], wanted: list[str] | None) -> list[Column]:
    if not wanted:
        return columns
    by_key = {c.key: c for c in columns}
    missing = [w for w in wanted if w not in by_key]
    if missing:  # a usage error of the command line (exit 2, with the usage line): click only here
        import click

        raise click.UsageError(f"unknown column(s) {', '.join(missing)}; available: {', '.join(by_key)}")
    return [by_key[w] for w in wanted]


class _AtomicFile:
    """Write to a temp file beside the target; rename into place only on success."""

    def __init__(self, path: str, *, encoding: str, newline: str | None, private: bool):
        from asx.core.errors import UserError

        self.path = Path(path)
        # checked before the temp file exists, so a refusal leaves nothing behind (issue 21)
        if self.path.is_dir():
            raise UserError(f"{path} is a folder; name a file to write")
        if not self.path.parent.is_dir():  # never create folders silently (a typo would hide the file)
            raise UserError(f"cannot write {path}: folder {self.path.parent} does not exist")
        import tempfile

        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.chmod(self.tmp, 0o600 if private else 0o644)
        # encoding None: a binary file (an XLSX workbook)
        self.f = os.fdopen(fd, "wb") if encoding is None else os.fdopen(fd, "w", encoding=encoding, newline=newline)

    def __enter__(self) -> TextIO:
        return self.f

    def __exit__(self, et, ev, tb) -> None:
        if et is None:
            self.f.flush()
            os.fsync(self.f.fileno())
            self.f.close()
            os.replace(self.tmp, self.path)
        else:
            self.f.close()
            os.unlink(self.tmp)


def atomic_write(path: str | os.PathLike, *, encoding: str | None = "utf-8", newline: str | None = None,
                 private: bool = False) -> _AtomicFile:
    """Context manager: a text file that appears complete or not at all, never through a symlink planted
    at ``path`` (the rename replaces the link itself). ``private``: mode 0600, for files that hold buyer
    data (docs/privacy.md "files"). The folder must exist; ``path`` naming a folder is refused."""
    return _AtomicFile(str(path), encoding=encoding, newline=newline, private=private)


def safe_slug(name: str, *, max_len: int = 60) -> str:
    """A file name made from ``name`` (an agent's name, a store's …) that stays in its folder: letters
    and digits of any script, ``-``, ``_`` and ``.`` kept, anything else (``/``, ``\\``, control
    characters, spaces) becomes ``-``; no leading dot, never ``.``/``..``, at most ``max_len``
    characters, and a short hash when something was changed or nothing is left (two names never share
    a slug). Issue 21: ``../../evil`` wrote two folders above the output folder."""
    import hashlib
    import re

    text = str(name)
    slug = re.sub(r"[^\w.-]+", "-", text, flags=re.UNICODE).strip("-.")[:max_len]
    if slug != text or not slug:
        slug = f"{slug or 'x'}-{hashlib.sha1(text.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    return slug


def _labels(app):
    """The app's labels; without an app (library use), those of the built-in plugins."""
    if app is not None:
        return app.labels
    from asx.core.labels import for_host
    from asx.core.plugin_host import PluginHost

    return for_host(PluginHost.load(entry_points=False))


def emit(app, out: OutputSpec, rows: Iterable[dict], columns: list[Column], *, meta: dict | None = None,
         sheet: str = "data") -> int:
    """Write ``rows`` in the chosen format; returns the number of rows written."""
    lang = out.lang
    if app is not None:
        try:
            lang = app.lang
        except Exception:
            pass
    cols = select_columns(columns, out.columns)
    stream_for_default = sys.stdout
    fmt = out.format or (_default_format(app, stream_for_default) if out.output is None else
                         _format_from_suffix(out.output))
    # labels only where a table shows them (machine formats carry the codes): none to build otherwise
    meta = {**(out.meta or {}), **(meta or {})}
    if out.output == "-":  # `-o -`: standard output, as everywhere else
        out.output = None
        fmt = out.format or _default_format(app, stream_for_default)
    out.labels = _labels(app) if fmt in ("table", "xlsx") and any(c.kind or c.text for c in cols) else None
    if fmt == "xlsx":
        return _emit_xlsx(out, rows, cols, lang, meta, sheet)
    if out.output:
        with atomic_write(out.output, encoding="utf-8-sig" if (out.excel or out.bom) else "utf-8", newline="",
                          private=out.reveal) as f:
            n = _write(f, fmt, rows, cols, out, lang, meta)
        if meta and fmt in ("csv", "tsv", "table"):
            import json

            with atomic_write(out.output + ".meta.json", private=False) as f:
                json.dump(meta, f, ensure_ascii=False, indent=2, default=str)
                f.write("\n")
        return n
    if out.excel:
        sys.stdout.flush()
        buf = sys.stdout.buffer
        buf.write("\ufeff".encode("utf-8"))
        text = io.TextIOWrapper(buf, encoding="utf-8", newline="", write_through=True)
        try:
            return _write(text, fmt, rows, cols, out, lang, meta)
        finally:
            text.detach()
    if fmt == "table" and not out.wide and _is_tty(sys.stdout):
        # a person at a terminal: the table fitted to its width and paged when long (issue 18 item 6);
        # anything else (a pipe, a file, --wide) gets exactly the table it always got
        return _write_terminal(app, sys.stdout, rows, cols, out, lang)
    return _write(sys.stdout, fmt, rows, cols, out, lang, meta)


def _emit_xlsx(out: OutputSpec, rows: Iterable[dict], cols: list[Column], lang: str, meta: dict,
               sheet: str) -> int:
    """An XLSX workbook (asx.io.xlsx) to ``-o FILE`` (mode as CSV: 0600 only with --reveal, docs/privacy.md)
    or to standard output when that is not a terminal."""
    from asx.io import xlsx

    prepared = _prepare(rows, cols, out, lang, table=False)
    if out.output:
        with atomic_write(out.output, encoding=None, private=out.reveal) as f:
            return xlsx.write(f, prepared, cols, headers=out.headers, lang=lang, labels=out.labels,
                              meta=meta or None, sheet=sheet)
    if sys.stdout.isatty():
        from asx.core.errors import UserError

        raise UserError("an XLSX workbook is not for the terminal: add -o FILE.xlsx (or pipe it)")
    sys.stdout.flush()
    buf = io.BytesIO()  # zip needs to seek back: build it in memory, then copy
    n = xlsx.write(buf, prepared, cols, headers=out.headers, lang=lang, labels=out.labels, meta=meta or None,
                   sheet=sheet)
    sys.stdout.buffer.write(buf.getvalue())
    sys.stdout.buffer.flush()
    return n


def _is_tty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _write_terminal(app, f: TextIO, rows: Iterable[dict], cols: list[Column], out: OutputSpec, lang: str) -> int:
    from asx.io import term

    data = [["" if v is None else str(v) for v in r] for r in _prepare(rows, cols, out, lang, table=True)]
    if not data and not out.headers:
        return 0
    headers = [c.header(lang) for c in cols] if out.headers else None
    width, height = term.size()
    lines, hidden = term.fit_table(headers, data, width)
    text = "\n".join(lines) + "\n"
    if hidden:
        note = (f"asx: {len(hidden)} more column(s) hidden to fit {width} columns (--wide or --columns to show "
                f"them): {', '.join(hidden)}")
        if app is not None and lang == "zh":
            note = app.labels.text("hidden_columns", lang, n=len(hidden), width=width, names="、".join(hidden))
        print(term.elide(note, max(width - 1, 20)), file=sys.stderr)
    term.page(text, f, height=height)
    return len(data)


def _format_from_suffix(path: str) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in ("csv", "tsv", "json", "jsonl", "xlsx") else "csv"


def _jsonable(v: Any) -> Any:
    return v


def _write(f: TextIO, fmt: str, rows: Iterable[dict], cols: list[Column], out: OutputSpec, lang: str,
           meta: dict) -> int:
    import json  # only the json/jsonl formats and the meta file need it (start-up)

    n = 0
    if fmt == "table":
        from tabulate import tabulate

        data = list(_prepare(rows, cols, out, lang, table=True))
        n = len(data)
        if data or out.headers:
            headers = [c.header(lang) for c in cols] if out.headers else ()
            f.write(tabulate(data, headers=headers, tablefmt="simple", disable_numparse=True,
                             missingval="") + "\n")
        return n
    if fmt in ("csv", "tsv"):
        delimiter = "," if fmt == "csv" else "\t"
        if out.excel:  # CRLF, and long identifiers kept as text by spreadsheets (issue 18 item 1)
            def write(cells: list) -> None:
                fields = [_excel_field(v, delimiter) for v in cells]
                f.write(('""' if fields == [""] else delimiter.join(fields)) + "\r\n")
        else:
            write = csv.writer(f, delimiter=delimiter, lineterminator="\n").writerow
        if out.headers:  # under --lang zh the Chinese headers (the importers take them as aliases)
            write([c.header(lang) if lang == "zh" else c.key for c in cols])
        for cells in _prepare(rows, cols, out, lang, table=False):
            write([excel_text(neutralise(v)) if out.excel else neutralise(v) for v in cells])
            n += 1
        return n
    keys = [c.key for c in cols]
    if fmt == "jsonl":
        if meta:
            f.write(json.dumps({"_meta": meta}, ensure_ascii=False, default=str) + "\n")
        for cells in _prepare(rows, cols, out, lang, table=False):
            f.write(json.dumps(dict(zip(keys, cells)), ensure_ascii=False, default=str) + "\n")
            n += 1
        return n
    # json: an array of objects; with metadata an object {"meta": …, "rows": […]}
    if meta:
        f.write('{"meta": ' + json.dumps(meta, ensure_ascii=False, default=str) + ', "rows": [')
    else:
        f.write("[")
    for cells in _prepare(rows, cols, out, lang, table=False):
        f.write(("\n  " if n == 0 else ",\n  ") + json.dumps(dict(zip(keys, cells)), ensure_ascii=False, default=str))
        n += 1
    f.write("\n]" if n else "]")
    f.write("}\n" if meta else "\n")
    return n


def emit_record(app, out: OutputSpec, record: dict, fields: list[Column]) -> None:
    """One record as a two-column key/value table (or one JSON object)."""
    fmt = out.format or _default_format(app, sys.stdout)
    lang = app.lang if app is not None else "en"
    out.labels = _labels(app) if fmt == "table" and any(c.kind or c.text for c in fields) else None
    cells = next(_prepare([record], fields, out, lang, table=(fmt == "table")))
    if fmt == "table":
        from tabulate import tabulate

        pairs = [[c.header(lang), "" if v is None else v] for c, v in zip(fields, cells)]
        if not out.wide and _is_tty(sys.stdout):  # a terminal: each value elided to its width (issue 18 item 6)
            from asx.io import term

            total = term.size()[0]
            key_w = max((term.width(k) for k, _ in pairs), default=0)
            pairs = [[k, term.elide(str(v), max(total - key_w - 2, 8))] for k, v in pairs]
        sys.stdout.write(tabulate(pairs, tablefmt="plain", disable_numparse=True) + "\n")
    else:
        emit(app, out, [record], fields)
