"""Reading review files (R-REV-1; formats.md "Reviews").

There is no seller CSV export of reviews on Tmall; the platform API model ``TradeRate`` has
``tid, oid, role, nick, result (good/neutral/bad), created, rated_nick, item_title,
item_price, content, reply, num_iid``. The built-in reader takes CSV, JSON (an array, or
the API's ``traderates_get_response`` wrapper) and JSONL in those field names (plus an
optional ``phone``; common Chinese headers are accepted as aliases). Store plugins add
readers for their platform through ``register_review_importers(register)``:
``register(reader)`` where a reader has ``name``, ``description``, ``sniff(path, head) ->
bool`` and ``read(path) -> ReadResult`` yielding ``(line, record_or_reason)``; records use
the TradeRate field names and are checked here by :func:`normalize`. Without ``--reader`` the
first reader whose ``sniff`` accepts the file is used; pluggy calls the hooks of plugins
registered later first, so a store plugin's specific reader is tried before the built-in one.

General import rules (formats.md): decode UTF-8 (BOM or not) else GB18030; find the CSV
header by its content; strip padding, TABs and Excel guards (``="…"``, leading ``'``);
reject an id mangled by Excel (``1.23457E+17``) instead of storing a wrong number.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator

from asx.core.errors import UserError, json_problem
from asx.core.money import AmountError, parse_yuan
from asx.io.tabular import (
    MAX_PREAMBLE_LINES,
    Columns,
    TextSource,
    XlsxSource,
    clean_cell,
    decode_bytes,
    is_mangled_clean,
    read_text,
)
from asx.core.timeutil import MAX_YEAR, MIN_YEAR, to_epoch

FIELDS = ("tid", "oid", "role", "nick", "result", "created", "rated_nick", "item_title", "item_price",
          "content", "reply", "num_iid", "phone")

ALIASES = {
    "订单编号": "tid", "订单号": "tid", "主订单编号": "tid", "子订单编号": "oid", "子订单号": "oid",
    "评价者角色": "role", "角色": "role", "买家昵称": "nick", "买家会员名": "nick", "旺旺": "nick", "旺旺id": "nick",
    "评价结果": "result", "评价": "result", "评价时间": "created", "被评价人": "rated_nick",
    "宝贝标题": "item_title", "商品标题": "item_title", "宝贝价格": "item_price", "商品价格": "item_price",
    "评价内容": "content", "回复": "reply", "解释": "reply", "商品id": "num_iid", "宝贝id": "num_iid",
    "联系电话": "phone", "联系手机": "phone", "手机": "phone", "mobile": "phone", "buyer_phone": "phone",
}

RESULTS = {"neutral": "neutral", "中评": "neutral", "bad": "negative", "negative": "negative", "差评": "negative",
           "good": "good", "好评": "good"}

_ID_RE = re.compile(r"^[0-9A-Za-z_\-]+$")


class Reject(Exception):
    """A row that cannot be imported; the message is the reason. The cell values it quotes are masked
    (it goes to stderr, nightly.log and the rejects file: issue 21, R-SEC-1)."""

    def __init__(self, message: str = ""):
        from asx.io.freetext import mask_message

        super().__init__(mask_message(str(message)))


class Skip(Exception):
    """A well-formed row that review tracking does not keep (good reviews, seller's ratings)."""


@dataclass
class ReadResult:
    encoding: str
    rows: Iterable[tuple[int, dict | str]]


@dataclass
class Reader:
    name: str
    description: str
    read: Callable[[Path], ReadResult]
    sniff: Callable[[Path, str], bool] = lambda path, head: False
    suffixes: tuple[str, ...] = field(default_factory=tuple)


def readers(plugins) -> dict[str, Reader]:
    """The review-export readers registered with ``plugins`` (``app.plugins``), by name."""

    def build() -> dict[str, Reader]:
        acc: dict[str, Reader] = {}
        for a, kw in plugins.review_importers():
            reader = a[0] if a else kw["reader"]
            acc[reader.name] = reader
        return acc

    return plugins.memo("review_importers", build)


def choose(plugins, path: Path, name: str | None = None) -> Reader:
    """The reader for ``path``: the one named, else the first registered with ``plugins`` that sniffs it."""
    found = readers(plugins)
    if name:
        if name not in found:
            raise UserError(f"no review reader {name!r}; installed: {', '.join(sorted(found))}")
        return found[name]
    if path.suffix.lower() in XLSX_SUFFIXES:  # a workbook is sniffed by its first rows as CSV text (issue 18)
        src = XlsxSource(path)
        try:
            text = src.head_text()
        finally:
            src.close()
    else:
        text, _enc = decode_bytes(path.read_bytes()[:65536], path, final=False)
    for reader in found.values():
        try:
            if reader.sniff(path, text):
                return reader
        except Exception:
            continue
    raise UserError(f"{path}: no review reader recognises this file (readers: {', '.join(sorted(found))}; "
                    "choose one with --reader)")


XLSX_SUFFIXES = (".xlsx", ".xlsm")


# -- cells ------------------------------------------------------------------------------------------

#: TradeRate fields and the header texts that mean them
COLUMNS = Columns({f: [a for a, field in ALIASES.items() if field == f] for f in FIELDS})


def _key(header: str) -> str:
    """The TradeRate field a header or JSON key names (itself, case-folded, when unknown)."""
    return COLUMNS.name_of(header) or clean_cell(header).lower()


def _ident(value, what: str, *, required: bool) -> str:
    s = clean_cell(value)
    if not s:
        if required:
            raise Reject(f"{what} is empty")
        return ""
    if is_mangled_clean(s):
        raise Reject(f"{what} {s!r} was mangled by Excel (scientific notation); export it as text")
    if s.endswith(".0") and s[:-2].isdigit():
        s = s[:-2]
    if not _ID_RE.match(s):
        raise Reject(f"{what} {s!r} is not an order id")
    return s


def parse_created(value, tz) -> int:
    s = clean_cell(value)
    if not s:
        raise Reject("created is empty")
    if s.isdigit() and 10 <= len(s) <= 13:  # epoch seconds or milliseconds
        n = int(s)
        return n // 1000 if n > 10**11 else n
    for candidate in (s, s.replace("/", "-")):
        try:
            dt = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        if not MIN_YEAR <= dt.year <= MAX_YEAR:  # issue 21: 0001 and 9999 are not review times
            raise Reject(f"created out of range: year {dt.year} (years {MIN_YEAR}–{MAX_YEAR})")
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=tz)
        return to_epoch(dt)
    raise Reject(f"created {s!r} is not a time (e.g. 2026-11-03 10:22:01)")


def normalize(record: dict, tz) -> dict:
    """A TradeRate record → the fields of a review; raises Reject or Skip."""
    rec = {_key(k): v for k, v in record.items() if k is not None}
    result_raw = clean_cell(rec.get("result"))
    result = RESULTS.get(result_raw.lower()) if result_raw else None
    if result is None:
        raise Reject(f"result {result_raw!r} is not good, neutral or bad" if result_raw else "result is empty")
    role = clean_cell(rec.get("role")).lower()
    if role and role not in ("buyer", "买家"):
        raise Skip(f"rated by the {role}, not the buyer")
    tid = _ident(rec.get("tid"), "tid", required=True)
    oid = _ident(rec.get("oid"), "oid", required=False)
    created_at = parse_created(rec.get("created"), tz)
    if result == "good":
        raise Skip("a good review (not tracked)")
    price = rec.get("item_price")
    try:
        price_fen = parse_yuan(clean_cell(price) if isinstance(price, str) else price)
    except AmountError as exc:
        raise Reject(f"item_price: {exc}") from None
    phone = clean_cell(rec.get("phone"))
    if phone and not re.fullmatch(r"[0-9+\- *()]{5,20}", phone):
        raise Reject(f"phone {phone!r} is not a phone number")
    return {
        "tid": tid, "oid": oid, "created_at": created_at, "result": result,
        "buyer": clean_cell(rec.get("nick")) or None, "phone": phone or None,
        "item": clean_cell(rec.get("item_title")) or None,
        "item_id": _ident(rec.get("num_iid"), "num_iid", required=False) or None,
        "item_price_fen": price_fen,
        "content": clean_cell(rec.get("content")) or None, "reply": clean_cell(rec.get("reply")) or None,
    }


# -- the built-in TradeRate reader ------------------------------------------------------------------

def _looks_json(head: str) -> bool:
    return head.lstrip("\ufeff \r\n\t")[:1] in ("[", "{")


def sniff_traderate(path: Path, head: str) -> bool:
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson") or _looks_json(head):
        return True
    first_lines = head.splitlines()[:30]
    return any({"tid", "created"} <= {_key(c) for c in line.split(",")} for line in first_lines)


def read_traderate(path: Path) -> ReadResult:
    if path.suffix.lower() in XLSX_SUFFIXES:  # a team's review spreadsheet, TradeRate columns (issue 18)
        return ReadResult("xlsx", _csv_rows(XlsxSource(path)))
    text, enc = read_text(path)
    stripped = text.lstrip("\ufeff \r\n\t")
    if path.suffix.lower() in (".jsonl", ".ndjson") or (stripped.startswith("{") and "\n{" in stripped
                                                        and path.suffix.lower() != ".json"):
        return ReadResult(enc, _jsonl_rows(text))
    if stripped.startswith(("[", "{")):
        return ReadResult(enc, _json_rows(text))
    return ReadResult(enc, _csv_rows(TextSource.from_text(text, str(path), enc)))


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict | str]]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except RecursionError:
            yield n, "not valid JSON (nested too deeply)"
            continue
        except ValueError as exc:  # JSONDecodeError, or an integer of over 4,300 digits
            yield n, f"not valid JSON ({json_problem(exc)})"
            continue
        yield n, obj if isinstance(obj, dict) else "not a JSON object"


def _json_rows(text: str) -> Iterator[tuple[int, dict | str]]:
    from asx.io.tabular import parse_json

    data = parse_json(text)
    if isinstance(data, dict):  # the API wrapper {"traderates_get_response": {"trade_rates": {"trade_rate": [...]}}}
        for key in ("traderates_get_response", "trade_rates", "trade_rate", "reviews", "rows"):
            if isinstance(data, dict) and key in data:
                data = data[key]
    if not isinstance(data, list):
        raise UserError("JSON must be an array of reviews (TradeRate objects)")
    # line numbers of a JSON array: the line where each object starts
    starts = _object_lines(text)
    for i, obj in enumerate(data):
        n = starts[i] if i < len(starts) else i + 1
        yield n, obj if isinstance(obj, dict) else f"item {i + 1} is not a JSON object"


def _object_lines(text: str) -> list[int]:
    """Line number where each top-level object of the review array starts (best effort)."""
    out, depth, line, in_str, esc = [], 0, 1, False, False
    target = None
    for ch in text:
        if ch == "\n":
            line += 1
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if ch == "{" and target is not None and depth == target + 1:
                out.append(line)
            if ch == "[" and target is None:
                target = depth  # the first array holds the reviews
        elif ch in "]}":
            depth -= 1
    return out


def _csv_rows(source: TextSource) -> Iterator[tuple[int, dict | str]]:
    """(line, record or reason) of a CSV file in TradeRate field names, after its header."""
    try:
        found = source.find_header(lambda cells: {"tid", "created"} <= {_key(c) for c in cells})
        if found is None:
            raise UserError(f"no header row with tid and created found in the first {MAX_PREAMBLE_LINES} lines "
                            "(columns in TradeRate names: tid, oid, nick, result, created, item_title, content …)")
        header = [_key(h) for h in found[1]]
        for line, cells in source.rows():
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                yield line, f"{len(cells)} cells but the header has {len(header)}"
                continue
            yield line, dict(zip(header, cells))
    finally:
        source.close()


TRADERATE = Reader(name="traderate", description="Tmall/Taobao TradeRate fields as CSV, XLSX, JSON or JSONL",
                   read=read_traderate, sniff=sniff_traderate, suffixes=(".csv", ".xlsx", ".json", ".jsonl"))
