"""Statement readers: Alipay, WeChat Pay and generic CSV files → StatementRow.

``detect_and_read(path)`` finds the layout by content (anchor lines, header
cells) and reads the file; ``READERS`` is the registry (store plugins add
readers through ``register(reader)``).  Pure module: no click, no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import tzinfo
from pathlib import Path

from asx.core.errors import UserError
from asx.money.statements.alipay import (
    AlipayApp2021Reader,
    AlipayApp2023Reader,
    AlipayLedgerReader,
    AlipayWebReader,
)
from asx.money.statements.base import RowError, StatementReader, TableReader
from asx.money.statements.clean import DEFAULT_TZ
from asx.io.tabular import OLE_MAGIC, SNIFF_BYTES, XLSX_MAGIC, XlsxSource, sniff_encoding
from asx.money.statements.generic import GenericCsvReader
from asx.money.statements.model import PII_FIELDS, Problem, Statement, StatementRow, Total
from asx.money.statements.wechat import WeChatMerchantReader, WeChatPersonalReader

__all__ = [
    "PII_FIELDS", "READERS", "Problem", "ReaderRegistry", "RowError", "Statement",
    "StatementReader", "StatementRow", "TableReader", "Total", "GenericCsvReader",
    "default_readers", "detect", "detect_and_read",
]

#: Bytes of a text file decoded for layout detection.
HEAD_BYTES = 64 * 1024


class ReaderRegistry:
    """Ordered statement readers; the first whose ``detect`` says yes reads a file.

    ``register(reader)`` appends a reader, or replaces the one of the same name
    in place (so a store plugin can override a built-in layout); pass
    ``first=True`` to have it tried before the others.
    """

    def __init__(self, readers: Iterable[StatementReader] = ()) -> None:
        self._readers: list[StatementReader] = []
        for reader in readers:
            self.register(reader)

    def register(self, reader: StatementReader, *, first: bool = False) -> None:
        for attr in ("name", "title", "formats", "describe", "detect", "read"):
            if not hasattr(reader, attr):
                raise TypeError(f"statement reader {reader!r} has no {attr!r}")
        for i, known in enumerate(self._readers):
            if known.name == reader.name:
                self._readers[i] = reader
                return
        if first:
            self._readers.insert(0, reader)
        else:
            self._readers.append(reader)

    def unregister(self, name: str) -> None:
        self._readers = [r for r in self._readers if r.name != name]

    def get(self, name: str) -> StatementReader:
        for reader in self._readers:
            if reader.name == name:
                return reader
        raise UserError(f"unknown statement layout {name!r}; known: {', '.join(self.names())}")

    def names(self) -> list[str]:
        return [r.name for r in self._readers]

    def __iter__(self) -> Iterator[StatementReader]:
        return iter(list(self._readers))

    def __len__(self) -> int:
        return len(self._readers)


def default_readers() -> list[StatementReader]:
    """The built-in readers, in detection order."""
    return [AlipayLedgerReader(), AlipayWebReader(), AlipayApp2023Reader(),
            AlipayApp2021Reader(), WeChatPersonalReader(), WeChatMerchantReader()]


READERS = ReaderRegistry(default_readers())


def _head(path: Path) -> tuple[str, str]:
    """(file kind, head text) of *path* for detection: kind is 'csv' or 'xlsx'."""
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES)
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not head.strip():
        raise UserError(f"{path}: empty file")
    if head.startswith(XLSX_MAGIC):
        source = XlsxSource(path)
        try:
            return "xlsx", source.head_text()
        finally:
            source.close()
    if head.startswith(OLE_MAGIC):
        raise UserError(f"{path}: old Excel .xls workbook: save it as .xlsx or CSV first")
    encoding = sniff_encoding(head, path, final=len(head) < SNIFF_BYTES)
    text = head[:HEAD_BYTES].decode(encoding, errors="ignore")
    return "csv", text


def detect(path: str | Path, readers: Iterable[StatementReader] | None = None) -> StatementReader:
    """The reader for *path*, chosen by content; UserError listing the layouts if none."""
    path = Path(path)
    readers = list(READERS if readers is None else readers)
    kind, text = _head(path)
    for reader in readers:
        if kind in reader.formats and reader.detect(text):
            return reader
    expected = ", ".join(r.name for r in readers if kind in r.formats)
    raise UserError(f"{path}: not a known statement layout ({kind}); expected one of: "
                    f"{expected or 'none registered'} (`asx audit layouts` shows the anchor and header of each)")


def detect_and_read(path: str | Path, readers: Iterable[StatementReader] | None = None, *,
                    tz: str | tzinfo | None = DEFAULT_TZ, stream: bool = False) -> Statement:
    """Detect the layout of *path* and read it.

    With ``stream=True`` the rows are an iterator (constant memory; footer
    checks raise at its end); otherwise a list, all checks done on return.
    """
    reader = detect(path, readers)
    return reader.read(Path(path), tz=tz, stream=stream)
