"""Tmall reviews (seed 001 "中差评处理", R-REV): the 千牛 review-management export and the
shop's severity words.

The built-in reader (``traderate``) reads TradeRate records as returned by the API
(``taobao.traderates.get``: ``tid, oid, nick, result, created, item_title, content …``) in CSV,
JSON or JSONL. The seller's 千牛 评价管理 page exports a different CSV (GBK, a title line, Chinese
headers, ``="…"`` order numbers, the follow-up review 追加评论 in its own column, the item as a
link); :data:`QIANNIU` maps it onto the TradeRate fields:

=============  ===========  =========================================================
千牛 header     TradeRate    note
=============  ===========  =========================================================
评价时间         created
买家昵称         nick
订单号           tid          ``="…"`` guard stripped; Excel-mangled numbers rejected
子订单号         oid
评价结果         result       好评/中评/差评 (good reviews are skipped)
评价内容         content      追加评论, when present, is appended as ``【追评】…``
宝贝标题         item_title
宝贝链接         num_iid      the ``id=`` of the item link
商家回复         reply
=============  ===========  =========================================================
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

HEADERS = {"评价时间": "created", "买家昵称": "nick", "订单号": "tid", "子订单号": "oid", "评价结果": "result",
           "评价内容": "content", "追加评论": "append", "追评内容": "append", "宝贝标题": "item_title",
           "宝贝链接": "link", "商家回复": "reply", "解释": "reply", "宝贝价格": "item_price", "联系手机": "phone"}
REQUIRED = {"created", "tid", "result"}
_ITEM_ID = re.compile(r"[?&]id=(\d+)")


def _header_index(lines: list[str]) -> int | None:
    for i, line in enumerate(lines[:20]):
        cells = {c.strip().strip("\ufeff") for c in next(csv.reader([line]), [])}
        keys = {HEADERS[c] for c in cells if c in HEADERS}
        if REQUIRED <= keys and ({"append", "link"} & keys):
            return i
    return None


def sniff(path: Path, head: str) -> bool:
    return path.suffix.lower() in ("", ".csv", ".txt") and _header_index(head.splitlines()) is not None


def read(path: Path):
    from asx.api import ReviewReadResult, UserError, clean_cell, decode_text

    text, enc = decode_text(path.read_bytes())
    lines = text.splitlines()
    at = _header_index(lines)
    if at is None:
        raise UserError(f"{path}: no 千牛 评价管理 header (评价时间, 订单号, 评价结果 and 追加评论 or 宝贝链接)")

    def rows():
        reader = csv.reader(io.StringIO("\n".join(lines[at:])))
        header = [HEADERS.get(h.strip().strip("\ufeff"), h.strip()) for h in next(reader)]
        prev = reader.line_num
        for cells in reader:
            line, prev = at + prev + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                yield line, f"{len(cells)} cells but the header has {len(header)}"
                continue
            rec = dict(zip(header, cells))
            content = clean_cell(rec.pop("content", ""))
            extra = clean_cell(rec.pop("append", ""))
            if extra:
                content = f"{content} 【追评】{extra}".strip()
            m = _ITEM_ID.search(clean_cell(rec.pop("link", "")))
            yield line, {**rec, "content": content, "num_iid": m.group(1) if m else "", "role": "buyer"}

    return ReviewReadResult(enc, rows())


def qianniu_reader():
    from asx.api import ReviewReader

    return ReviewReader(name="tmall-qianniu", description="千牛 评价管理 export (CSV, GBK): Tmall shop reviews",
                  read=read, sniff=sniff, suffixes=(".csv",))


def rule_tmall_words(review: dict) -> int | None:
    """Tmall shop words (setting ``plugins.tmall.severe_words``): a buyer threatening a complaint
    to Tmall/12315, calling it fake or a fraud is handled first (R-REV-4) → 3."""
    text = review.get("content") or ""
    config = (review.get("settings") or {}).get("config")
    words = config.get("plugins.tmall.severe_words") if config is not None else DEFAULT_SEVERE
    return 3 if any(w and w in text for w in words) else None


DEFAULT_SEVERE = ["假货", "投诉", "12315", "差评", "骗", "维权", "举报", "小二"]
