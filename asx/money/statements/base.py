"""Machinery shared by the table-shaped statement readers.

A reader is any object with ``name``, ``title``, ``formats``, ``describe()``,
``detect(text_head) -> bool`` and ``read(path, text=None, *, tz, stream)``
returning a :class:`~asx.money.statements.model.Statement`.  :class:`TableReader`
implements them for files that are a header row plus data rows, given a
mapping of canonical fields to header names; subclasses add the layout's
preamble/footer rules and special fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from operator import itemgetter
from datetime import tzinfo
from pathlib import Path
from typing import Protocol, runtime_checkable

from asx.core.errors import UserError
from asx.core.money import parse_yuan
from asx.io.tabular import (
    MAX_PREAMBLE_LINES,
    Row,
    RowSource,
    TextSource,
    XlsxSource,
    clean_cell,
    excel_mangled,
    is_mangled_clean,
    normalize_header,
    normalize_text,
    open_text,
    split_line,
)
from asx.money.statements.clean import DEFAULT_TZ, get_tz, parse_time, taobao_order_no
from asx.money.statements.model import Direction, Statement, StatementRow, Total, brief_of


@runtime_checkable
class StatementReader(Protocol):
    """What the registry needs from a reader (store plugins implement this)."""

    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def formats(self) -> tuple[str, ...]: ...

    def describe(self) -> str: ...
    def detect(self, text_head: str) -> bool: ...
    def read(self, path: str | Path, text: str | None = None, *,
             tz: str | tzinfo | None = DEFAULT_TZ, stream: bool = False) -> Statement: ...


class RowError(Exception):
    """A data row that cannot become a StatementRow; the message is the reason."""


#: Values of a 收/支 column.
DIRECTIONS: dict[str, Direction] = {
    "支出": "out", "收入": "in", "不计收支": "none", "其他": "none", "中性交易": "none",
    "": "none", "out": "out", "in": "in", "none": "none",
}

#: Canonical fields copied from a cell of the same name.
TEXT_FIELDS = ("biz_id", "merchant_order_no", "counterparty", "counterparty_account",
               "item", "channel", "biz_type", "status", "note")
ID_FIELDS = ("txn_id", "biz_id", "merchant_order_no", "order_no")

_SUMMARY = re.compile(r"#?\s*([^\s:#]+?)\s*[:]\s*(\d+)\s*笔\s*[,]?\s*(?:共)?\s*([-+]?[\d,]*\.?\d+)\s*元")
_SUMMARY_COUNT = re.compile(r"#?\s*共\s*(\d+)\s*笔(?:记录)?\s*")
_SUMMARY_LABELS: dict[str, str] = {
    "支出": "out", "支出合计": "out", "已支出": "out",
    "收入": "in", "收入合计": "in", "已收入": "in",
    "不计收支": "none", "其他": "none", "中性交易": "none",
}


def parse_summary_line(text: str) -> tuple[str, Total] | None:
    """``#支出合计：2笔，共30.00元`` → ``('out', Total(2, 3000))``; ``共6笔记录`` → 'all'."""
    s = normalize_text(text).strip().strip(",")
    m = _SUMMARY.fullmatch(s)
    if m:
        key = _SUMMARY_LABELS.get(m.group(1))
        if key is None:
            return None
        try:
            fen = parse_yuan(m.group(3), signed=True, cell=True)
        except ValueError:
            return None
        return key, Total(int(m.group(2)), abs(fen) if fen is not None else None)
    m = _SUMMARY_COUNT.fullmatch(s)
    if m:
        return "all", Total(int(m.group(1)), None)
    return None


class TableReader:
    """A header row found by content, then data rows read by column name."""

    name: str = ""
    title: str = ""
    #: Anchor text shown in messages (detection is by header cells).
    anchor: str = ""
    formats: tuple[str, ...] = ("csv",)
    #: canonical key → accepted header names (compared after normalize_header).
    columns: dict[str, tuple[str, ...]] = {}
    #: canonical keys whose header must be present.
    required: tuple[str, ...] = ()
    #: header names whose presence means "not this layout".
    forbidden: tuple[str, ...] = ()
    #: a lone "/" in a cell means empty (WeChat, Alipay app).
    slash_empty: bool = False
    #: whether txn_id must be present.
    txn_id_required: bool = True

    # ----------------------------------------------------------- detection
    def describe(self) -> str:
        headers = ",".join(self.columns[k][0] for k in self.required if k in self.columns)
        anchor = f"anchor {self.anchor!r}, " if self.anchor else ""
        return f"{self.name} ({self.title}: {anchor}header with {headers})"

    def header_index(self, cells: list[str]) -> dict[str, int] | None:
        """Column positions by canonical key, or None if *cells* is not our header."""
        if len(cells) < len(self.required):
            return None
        positions: dict[str, int] = {}
        for i, cell in enumerate(cells):
            n = normalize_header(cell)
            if n and n not in positions:
                positions[n] = i
        if any(normalize_header(f) in positions for f in self.forbidden):
            return None
        index: dict[str, int] = {}
        for key, aliases in self.columns.items():
            for alias in aliases:
                pos = positions.get(normalize_header(alias))
                if pos is not None:
                    index[key] = pos
                    break
        if not all(k in index for k in self.required):
            return None
        return index

    def detect(self, text_head: str) -> bool:
        for line in text_head.splitlines()[:MAX_PREAMBLE_LINES]:
            if self.header_index(split_line(line)) is not None:
                return True
        return False

    # ------------------------------------------------------------- reading
    def open_source(self, path: Path, text: str | None) -> RowSource:
        if text is not None:
            return TextSource.from_text(text, str(path))
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            if "xlsx" not in self.formats:
                raise UserError(f"{path}: layout {self.name} is not read from .xlsx files")
            return XlsxSource(path)
        stream, encoding = open_text(path)
        return TextSource(stream, str(path), encoding)

    def read(self, path: str | Path, text: str | None = None, *,
             tz: str | tzinfo | None = DEFAULT_TZ, stream: bool = False) -> Statement:
        """Read *path* (or *text*, already decoded, with *path* naming it)."""
        path = Path(path)
        zone = get_tz(tz)
        source = self.open_source(path, text)
        try:
            found = source.find_header(lambda cells: self.header_index(cells) is not None)
            if found is None:
                raise UserError(f"{path}: no header row of layout {self.describe()}")
        except BaseException:
            source.close()
            raise
        stmt = Statement(path=path, layout=self.name, encoding=source.encoding)
        self.on_preamble(source.preamble(), stmt)
        rows = self._rows(source, found, stmt, zone)
        stmt.rows = rows if stream else list(rows)
        return stmt

    def _rows(self, source: RowSource, header: Row, stmt: Statement,
              zone: tzinfo) -> Iterator[StatementRow]:
        try:
            one = self.row_builder(header, stmt, zone)
            is_trailer = self.is_trailer
            trailer: list[Row] = []
            last_line = header[0]
            for lineno, cells in source.rows():
                last_line = lineno
                if trailer or is_trailer(cells):
                    trailer.append((lineno, cells))
                    continue
                row = one(lineno, cells)
                if row is not None:
                    yield row
            self.on_trailer(trailer, stmt)
            self.finish(stmt, last_line)
        finally:
            source.close()

    def row_builder(self, header: Row, stmt: Statement,
                    zone: tzinfo) -> Callable[[int, list[str]], StatementRow | None]:
        """``one(lineno, cells)``: the data row (not a trailer line) as a StatementRow, or None for a
        blank row or one that becomes a Problem of *stmt* (column positions worked out once)."""
        header_cells = header[1]
        index = self.header_index(header_cells)
        assert index is not None
        names = [normalize_header(c) for c in header_cells]
        shown = {key: clean_cell(header_cells[pos]) for key, pos in index.items()}
        named = [(i, n) for i, n in enumerate(names) if n]
        width = named[-1][0] + 1
        id_columns = tuple(n for _, n in named if _is_id_column(n))
        # Column positions worked out once. A name given to several columns means its last one
        # (as a dict built cell by cell would keep).
        last = {n: i for i, n in named}
        plain_names = len(named) == len(names)      # every column named: raw is zip(names, cells)
        rec_keys = tuple(index)
        rec_pos = tuple(last[names[pos]] for pos in index.values())
        pick = itemgetter(*rec_pos) if len(rec_pos) > 1 else (lambda v, _p=rec_pos[0]: (v[_p],))
        id_pos = tuple((column, last[column]) for column in id_columns)
        slash = self.slash_empty
        build = self.build
        n_names = len(names)
        file = str(stmt.path)

        def one(lineno: int, cells: list[str]) -> StatementRow | None:
            vals = list(map(str.strip, cells))
            if not any(vals):
                return None
            if len(cells) < width:
                stmt.problem(lineno, f"row has {len(cells)} cells, the header has {width} "
                                     "(truncated row?)")
                return None
            if len(cells) > n_names and any(cells[n_names:]):
                stmt.problem(lineno, f"row has {len(cells)} cells, the header has "
                                     f"{n_names} (unquoted comma in a cell?)")
                return None
            joined = "".join(vals)
            if "`" in joined or "=" in joined or "'" in joined or (slash and "/" in vals):
                vals = _unguard(vals, slash)
                joined = "".join(vals)
            raw = dict(zip(names, vals)) if plain_names else {n: vals[i] for i, n in named}
            rec = dict(zip(rec_keys, pick(vals)))
            try:
                # an Excel-mangled id holds an E: rows without any skip the per-column check
                for column, i in id_pos if ("E" in joined or "e" in joined) else ():
                    v = vals[i]
                    if ("E" in v or "e" in v) and is_mangled_clean(v):
                        self._tally_quietly(stmt, rec, shown)
                        raise RowError(
                            f"{column} {v!r} was re-saved by Excel in scientific "
                            "notation (digits lost): use the original export")
                return build(rec, raw, shown, file, lineno, stmt, zone)
            except RowError as exc:
                stmt.problem(lineno, str(exc))
                return None

        return one

    def read_brief(self, path: str | Path, *, tz: str | tzinfo | None = DEFAULT_TZ) -> Statement:
        """``read(path, stream=True)`` with rows as brief tuples (:data:`~asx.money.statements.model.BRIEF_FIELDS`),
        for callers that need only those fields (the refund audit). Layouts may read them faster."""
        stmt = self.read(path, tz=tz, stream=True)
        stmt.rows = map(brief_of, stmt.rows)
        return stmt

    # --------------------------------------------------------------- hooks
    def on_preamble(self, lines: list[Row], stmt: Statement) -> None:
        """Take declared totals from the preamble (informational by default)."""
        for _, cells in lines:
            found = parse_summary_line(",".join(cells))
            if found:
                stmt.declared_totals.setdefault(found[0], found[1])

    def is_trailer(self, cells: list[str]) -> bool:
        """True for the first line after the data (footer/summary block)."""
        return False

    def on_trailer(self, lines: list[Row], stmt: Statement) -> None:
        for _, cells in lines:
            found = parse_summary_line(",".join(cells))
            if found:
                stmt.declared_totals.setdefault(found[0], found[1])

    def finish(self, stmt: Statement, last_line: int) -> None:
        """Called after the last line; may check totals (raise UserError)."""

    # ------------------------------------------------------------ row build
    def amount_and_direction(self, rec: dict[str, str], shown: dict[str, str]) -> tuple[int, Direction]:
        if "amount_in" in rec or "amount_out" in rec:
            fen_in = self._amount(rec, shown, "amount_in")
            fen_out = self._amount(rec, shown, "amount_out")
            fen_in = abs(fen_in or 0)
            fen_out = abs(fen_out or 0)
            if fen_in and fen_out:
                raise RowError(f"both {shown['amount_in']} and {shown['amount_out']} hold an amount")
            if fen_out:
                return fen_out, "out"
            if fen_in:
                return fen_in, "in"
            return 0, "none"
        fen = self._amount(rec, shown, "amount")
        if fen is None:
            raise RowError(f"no amount in {shown['amount']}")
        if "direction" in rec:
            if fen < 0:
                raise RowError(f"negative amount in {shown['amount']}: {rec['amount']!r}")
            return fen, self.direction_of(rec, shown)
        return abs(fen), ("out" if fen < 0 else "in" if fen > 0 else "none")

    def direction_of(self, rec: dict[str, str], shown: dict[str, str]) -> Direction:
        value = rec["direction"]
        try:
            return DIRECTIONS[value]
        except KeyError:
            raise RowError(f"unknown {shown['direction']} value {value[:20]!r}") from None

    def _amount(self, rec: dict[str, str], shown: dict[str, str], key: str) -> int | None:
        if key not in rec:
            return None
        try:
            return parse_yuan(rec[key], signed=True, cell=True)
        except ValueError as exc:
            raise RowError(f"{shown[key]}: {exc}") from None

    def tally(self, stmt: Statement, rec: dict[str, str], fen: int, direction: Direction) -> None:
        """Count a row whose amount was read (before other checks) in read_totals."""
        total = stmt.read_totals.get(direction)
        if total is None:
            total = stmt.read_totals[direction] = Total(0, 0)
        total.add(fen)

    def _tally_quietly(self, stmt: Statement, rec: dict[str, str], shown: dict[str, str]) -> None:
        """Count a rejected row's amount if it can be read (footer checks count every row)."""
        try:
            fen, direction = self.amount_and_direction(rec, shown)
        except RowError:
            return
        self.tally(stmt, rec, fen, direction)

    def build(self, rec: dict[str, str], raw: dict[str, str], shown: dict[str, str],
              file: str, lineno: int, stmt: Statement, zone: tzinfo) -> StatementRow | None:
        fen, direction = self.amount_and_direction(rec, shown)
        self.tally(stmt, rec, fen, direction)
        get = rec.get
        try:
            when = parse_time(get("time", ""), zone)
        except ValueError as exc:
            raise RowError(f"{shown.get('time', 'time')}: {exc}") from None
        txn_id = get("txn_id", "")
        if self.txn_id_required and not txn_id:
            raise RowError(f"no {shown.get('txn_id', 'transaction id')}")
        balance = None
        if "balance" in rec:
            balance = self._amount(rec, shown, "balance")
        # TEXT_FIELDS absent from the layout keep their default ""
        biz_id = get("biz_id", "")
        merchant = get("merchant_order_no", "")
        order = get("order_no", "")
        order = taobao_order_no(order) or order or taobao_order_no(merchant)
        row = StatementRow(file, lineno, txn_id, when, fen, direction, biz_id, merchant, order,
                           get("counterparty", ""), get("counterparty_account", ""), get("item", ""),
                           get("channel", ""), get("biz_type", ""), get("status", ""), get("note", ""),
                           balance, raw)
        ids = txn_id + biz_id + merchant + order
        if "E" in ids or "e" in ids:  # an Excel-mangled id holds an E
            for key, value in (("txn_id", txn_id), ("biz_id", biz_id), ("merchant_order_no", merchant),
                               ("order_no", order)):  # ID_FIELDS: ids not under a …号/…ID header
                if ("E" in value or "e" in value) and excel_mangled(value):
                    raise RowError(f"{shown.get(key, key)} {value!r} was re-saved by Excel "
                                   "in scientific notation (digits lost): use the original export")
        return self.refine(row, rec, shown)

    def refine(self, row: StatementRow, rec: dict[str, str], shown: dict[str, str]) -> StatementRow:
        """Layout-specific adjustments of a built row."""
        return row


def _unguard(vals: list[str], slash_empty: bool) -> list[str]:
    """``[clean_cell(v, slash_empty=…) for v in vals]`` for stripped cells, fast for the usual row
    of plain cells: clean one by one only when a guard character appears somewhere in the row."""
    joined = "".join(vals)
    if "`" in joined or "=" in joined or "'" in joined:
        vals = [clean_cell(v) for v in vals]
    if slash_empty and "/" in vals:
        vals = ["" if v == "/" else v for v in vals]
    return vals


def _is_id_column(name: str) -> bool:
    """Header names of id columns: 订单号, 流水号, 交易号, 单号, ID…"""
    return "号" in name or name.lower().endswith("id")
