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

FORMATS = ("table", "csv", "tsv", "json", "jsonl")


@dataclass
class Column:
    key: str
    en: str | None = None
    zh: str | None = None
    kind: str | None = None           # label kind: translated in tables (asx.core.labels)
    mask: str | None = None           # masking kind (asx.io.masking): phone, name, email, account, contact, text
    fmt: Callable[[Any], Any] | None = None  # display conversion applied in every format (e.g. epoch -> ISO)

    def header(self, lang: str) -> str:
        if lang == "zh" and self.zh:
            return self.zh
        return self.en or self.key


@dataclass
class OutputSpec:
    format: str | None = None
    columns: list[str] | None = None
    headers: bool = True
    output: str | None = None
    excel: bool = False
    reveal: bool = False
    lang: str = "en"
    meta: dict = field(default_factory=dict)
    labels: Any = None    # app.labels, set by emit: tables show domain values by their label


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


def _prepare(rows: Iterable[dict], columns: list[Column], out: OutputSpec, lang: str, table: bool) -> Iterator[list]:
    from asx.io import masking

    labels = out.labels if table and any(c.kind for c in columns) else None
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
        self.f = os.fdopen(fd, "w", encoding=encoding, newline=newline)

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


def atomic_write(path: str | os.PathLike, *, encoding: str = "utf-8", newline: str | None = None,
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


def emit(app, out: OutputSpec, rows: Iterable[dict], columns: list[Column], *, meta: dict | None = None) -> int:
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
    out.labels = _labels(app) if fmt == "table" and any(c.kind for c in cols) else None
    meta = {**(out.meta or {}), **(meta or {})}
    if out.output == "-":  # `-o -`: standard output, as everywhere else
        out.output = None
        fmt = out.format or _default_format(app, stream_for_default)
    if out.output:
        with atomic_write(out.output, encoding="utf-8-sig" if out.excel else "utf-8", newline="",
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
    return _write(sys.stdout, fmt, rows, cols, out, lang, meta)


def _format_from_suffix(path: str) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in ("csv", "tsv", "json", "jsonl") else "csv"


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
        w = csv.writer(f, delimiter="," if fmt == "csv" else "\t",
                       lineterminator="\r\n" if out.excel else "\n")
        if out.headers:
            w.writerow([c.key for c in cols])
        for cells in _prepare(rows, cols, out, lang, table=False):
            w.writerow([neutralise(v) for v in cells])
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
    out.labels = _labels(app) if fmt == "table" and any(c.kind for c in fields) else None
    cells = next(_prepare([record], fields, out, lang, table=(fmt == "table")))
    if fmt == "table":
        from tabulate import tabulate

        sys.stdout.write(tabulate([[c.header(lang), "" if v is None else v] for c, v in zip(fields, cells)],
                                  tablefmt="plain", disable_numparse=True) + "\n")
    else:
        emit(app, out, [record], fields)
