"""Masking personal data inside free text at write time (R-SEC-1, issue 21 "Privacy in free text").

A summary, note, handover or review text is masked once, when it is written: the masked text is
what every listing, export and daily view reads (so reading stays fast), and the raw text is kept
in a ``<field>_raw`` column for a reveal (supervisor, recorded). What is masked:

* the record's own known fields — the buyer's name, 旺旺 nick, phone, address — wherever they
  appear in its text, masked like the field they came from (``欧阳娜娜`` → ``欧***``);
* phones, e-mails and digit runs (:func:`asx.io.masking.mask_text`), ID-card numbers (18 digits, the
  last may be ``X``) and bank-card numbers written in groups (``6222 0212 3456 7890``): all but the
  last 4;
* Chinese addresses (province / city / district / road / number patterns): the first place name
  (``杭州市``) stays, the rest is hidden (``杭州市西湖区文三路100号`` → ``杭州市**********``);
* with ``names=True``: Chinese person names found by jieba's part-of-speech tagger (``posseg``,
  tags ``nr``/``nrfg``/``nrt``, a compound surname joined to its given name), masked like a name.

Where the segmenter runs (measured: ``benchmarks/masking.py``; docs/privacy.md): loading jieba's
dictionary costs about a second on this machine, so an interactive write (``case add --summary``,
``case note``, ``review add``, ``me handover``) and a bulk import mask the known fields and the
patterns only (about 15 µs a note); the segmenter (about 2 ms a note once loaded, which would make a
100,000-case import minutes slower) runs in the nightly job ``mask-names``, which masks the names in
the summaries, review texts and handover notes written since its last run (the raw text kept).

Every function is idempotent (masking masked text changes nothing) and positional: characters
are replaced by ``*`` one for one.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from asx.io.masking import mask_name, mask_phone, mask_text

_CJK = "\u4e00-\u9fff"
#: administrative levels, then streets and numbers, of a mainland address
_ADMIN = r"(?:省|自治区|特别行政区|市|自治州|地区|盟|区|县|旗|镇|乡|街道)"
_ROAD = r"(?:大道|大街|路|街|巷|弄|胡同|里)"
_NUM = r"(?:[0-9０-９]+|[一二三四五六七八九十百零〇]+)"
_UNIT = r"(?:号楼|号院|号|栋|幢|座|单元|室|楼|层|弄|支弄)"
_PLACE = rf"(?:(?![省市区县旗镇乡])[{_CJK}]){{1,7}}?{_ADMIN}"
_ADDRESS_RE = re.compile(
    # places then a road and/or numbers: 杭州市西湖区文三路100号, 浙江省杭州市西湖区
    rf"(?:{_PLACE}){{1,5}}(?:[{_CJK}A-Za-z0-9]{{1,10}}?{_ROAD})?(?:{_NUM}{_UNIT}|[-－]{_NUM})*"
    # or a road with a number: 文三路100号 3单元502室
    rf"|[{_CJK}]{{1,8}}?{_ROAD}{_NUM}{_UNIT}(?:\s?{_NUM}{_UNIT}|[-－]{_NUM})*"
    # or a residential compound with building/room numbers: 翠苑小区5幢302室
    rf"|[{_CJK}]{{2,8}}?(?:小区|花园|公寓|新村|大厦|家园|苑)(?:{_NUM}{_UNIT})+"
)
#: the place kept visible: the first province / city / autonomous region of the match
_FIRST_PLACE_RE = re.compile(rf"^(?:(?![省市区县旗镇乡])[{_CJK}]){{1,7}}?(?:省|自治区|特别行政区|市)")
_SINGLE_PLACE_RE = re.compile(_PLACE)
_ID_CARD_RE = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
_BANK_CARD_RE = re.compile(r"(?<![0-9])[0-9]{4}(?:[ -][0-9]{4}){2,3}(?:[ -][0-9]{1,4})?(?![0-9])")
#: words that are not addresses although they end like one (precision)
_NOT_ADDRESS = ("超市", "市场", "城市", "上市", "市面", "社区", "区别", "小区门口", "地区", "区域", "园区")

_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 令狐 慕容 尉迟 公孙 长孙 宇文 司徒 夏侯 轩辕 端木 独孤 南宫 西门 百里".split())
#: tokens jieba tags as names that are not people in after-sales texts (precision)
_NOT_NAMES = frozenset("""
客服 买家 卖家 亲 亲亲 小二 掌柜 店家 快递 顺丰 圆通 中通 申通 韵达 京东 天猫 淘宝 旺旺 支付宝 微信 老板 师傅
主管 同事 先生 女士 小姐 阿姨 叔叔 大哥 大姐 美女 帅哥 宝贝 亲们 朋友 家人 老公 老婆 妈妈 爸爸 孩子 宝宝
高度 尺码 颜色 质量 包装 物流 售后 退款 退货 换货 补发 差评 好评 中评 发票 赠品 优惠券 红包 运费
谢谢 谢 银行 银行卡 卡号 连衣裙 衣裙
""".split())


def _mask_keep_first_place(s: str) -> str:
    m = _FIRST_PLACE_RE.match(s)
    keep = m.end() if m and m.end() < len(s) else min(2, len(s) - 1)
    return s[:keep] + "".join(c if c.isspace() or c == "*" else "*" for c in s[keep:])


def mask_address(value: Any) -> Any:
    """An address: the first province/city stays, the rest becomes ``*`` (``杭州市西湖区文三路100号`` →
    ``杭州市**********``); without one, the first two characters stay."""
    if value is None or value == "":
        return value
    return _mask_keep_first_place(str(value))


def _all_but_last4(s: str) -> str:
    idx = [i for i, c in enumerate(s) if c.isalnum()]
    hide = set(idx[:-4])
    return "".join("*" if i in hide else c for i, c in enumerate(s))


def _address_sub(m: re.Match[str]) -> str:
    s = m.group()
    if _SINGLE_PLACE_RE.fullmatch(s):  # one place name alone (杭州市, 西湖区) is not an address
        return s
    if any(s == w or s.endswith(w) and len(s) <= len(w) + 1 for w in _NOT_ADDRESS):
        return s
    return _mask_keep_first_place(s)


def mask_patterns(text: str) -> str:
    """ID cards, grouped bank cards, phones, e-mails, digit runs and addresses inside ``text``."""
    text = _ID_CARD_RE.sub(lambda m: _all_but_last4(m.group()), text)
    text = _BANK_CARD_RE.sub(lambda m: _all_but_last4(m.group()), text)
    text = mask_text(text)
    return _ADDRESS_RE.sub(_address_sub, text)


def _replace_all(text: str, value: str, masked: str) -> str:
    return text.replace(value, masked) if value and value != masked and value in text else text


def mask_known(text: str, known: dict[str, Any] | None) -> str:
    """Every occurrence of the record's own fields — ``name``/``nick`` (masked as a name), ``phone``
    (as a phone), ``address`` (as an address), ``contact`` (phone or e-mail, else as a name)."""
    if not known:
        return text
    from asx.io.masking import mask_contact

    for kind, values in known.items():
        for v in ([values] if isinstance(values, str) or values is None else values):
            v = (v or "").strip()
            if len(v) < 2:
                continue
            if kind in ("name", "nick", "buyer"):
                text = _replace_all(text, v, mask_name(v))
                # a nick like tb_欧阳娜娜 or 欧阳娜娜88: its Chinese core is the buyer's name too
                for core in re.findall(rf"[{_CJK}]{{2,4}}", v):
                    if core != v:
                        text = _replace_all(text, core, mask_name(core))
            elif kind == "phone":
                text = _replace_all(text, v, mask_phone(v))
            elif kind == "address":
                text = _replace_all(text, v, mask_address(v))
            else:
                text = _replace_all(text, v, mask_contact(v))
    return text


_segmenter = None


def _posseg():
    """jieba's part-of-speech tagger, loaded once per process (its dictionary load is the cost)."""
    global _segmenter
    if _segmenter is None:
        import logging

        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _segmenter = jieba.posseg
    return _segmenter


def person_names(text: str, staff: Iterable[str] = ()) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of Chinese person names in ``text`` (jieba posseg); the names of
    ``staff`` (registered agents: not buyer data) are left out."""
    pseg = _posseg()
    staff = set(staff)
    spans: list[tuple[int, int]] = []
    pos = 0
    toks = [(w, f) for w, f in pseg.cut(text)]
    i = 0
    while i < len(toks):
        w, flag = toks[i]
        start, end = pos, pos + len(w)
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if w in staff or any(w in s_ for s_ in staff if len(w) >= 2):
            pos = end
            i += 1
            continue
        if w in _COMPOUND_SURNAMES and nxt is not None and re.fullmatch(rf"[{_CJK}]{{1,2}}", nxt[0]) \
                and nxt[0] not in _NOT_NAMES:
            spans.append((start, end + len(nxt[0])))
            pos = end + len(nxt[0])
            i += 2
            continue
        if flag in ("nr", "nrfg", "nrt") and 2 <= len(w) <= 4 and re.fullmatch(rf"[{_CJK}]+", w) \
                and w not in _NOT_NAMES:
            spans.append((start, end))
        pos = end
        i += 1
    return spans


def mask_names(text: str, staff: Iterable[str] = ()) -> str:
    """Chinese person names in ``text`` masked like a name (the first character stays); ``staff``:
    names of registered agents, left as they are."""
    if not text or not re.search(rf"[{_CJK}]", text):
        return text
    chars = list(text)
    for a, b in person_names(text, staff):
        for j in range(a + 1, b):
            chars[j] = "*"
    return "".join(chars)


def mask_free_text(value: Any, known: dict[str, Any] | None = None, *, names: bool = False,
                   staff: Iterable[str] = ()) -> Any:
    """Mask personal data in a free text at write time (see the module doc). None and "" pass.
    ``names``: also person names (jieba); ``staff``: agents' names, which are not masked as names."""
    if value is None or value == "":
        return value
    text = mask_known(str(value), known)
    text = mask_patterns(text)
    if names:
        text = mask_names(text, staff)
    return text


def masked_and_raw(value: Any, known: dict[str, Any] | None = None, *, names: bool = False,
                   staff: Iterable[str] = ()) -> tuple[Any, Any]:
    """``(masked, raw)`` for storing a free text: ``raw`` is None when masking changed nothing (a
    reveal then reads the text itself)."""
    masked = mask_free_text(value, known, names=names, staff=staff)
    return masked, (value if masked != value else None)


_QUOTED_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_CJK_RUN_RE = re.compile(rf"[{_CJK}]{{2,}}")


def mask_echo(value: Any, *, names: bool = True) -> str:
    """A cell value quoted back in a message (stderr, which cron appends to nightly.log; the rejects
    file's reason): phones, cards, ID numbers, e-mails and addresses masked as in free text, and every
    run of Chinese characters masked like a name (a buyer's name in the wrong column) — the line
    number says which row to fix (issue 21, R-SEC-1/R-SEC-3)."""
    text = mask_patterns(str(value))
    return _CJK_RUN_RE.sub(lambda m: mask_name(m.group()), text) if names else text


def mask_message(message: str, *, names: bool = True) -> str:
    """``message`` with the values it quotes (``'…'`` or ``"…"``, as ``{value!r}`` writes them) masked
    by :func:`mask_echo`; ``names=False`` (a file that names no buyer, e.g. daily records, whose
    messages quote agents' names): the patterns only."""
    return _QUOTED_RE.sub(lambda m: m.group()[0] + mask_echo(m.group()[1:-1], names=names) + m.group()[-1],
                          message)


def warm(texts: Iterable[str] = ()) -> None:
    """Load the segmenter now (bulk imports call it once before their rows)."""
    _posseg()
