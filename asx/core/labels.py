"""English and Chinese labels of domain values; input accepts either.

Plugins declare labels through ``register_labels(register)`` with
``register(kind, code, en, zh, aliases=())``. ``app.labels.label(kind, code, lang)`` shows a value;
``app.labels.parse(kind, text)`` turns what a user typed (code, English or Chinese label, alias,
any case) into the code, or raises a one-line :class:`UserError` naming the choices.

Kind ``text`` holds the words of the screens and reports themselves (headings, yes/no, "fine {n} yuan"),
so that ``--lang zh`` is Chinese all the way (issue 18 item 5): ``app.labels.text(code, lang, **values)``
fills a phrase in; ``app.labels.translate(value, lang)`` shows a value that one of these phrases made
(``"fine 50 yuan"`` → ``"罚款 50 元"``), for the tables that keep the English text in machine formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asx.core.errors import UserError

LANGS = ("en", "zh")


#: values of a phrase that are what the user typed or a name: shown as given, never translated
_VERBATIM = frozenset({"value", "opt", "path", "name", "agent", "id", "order", "txn", "names", "cid", "res"})


#: values of a phrase that are counts (``{n} bad row(s)``): they match a number only, so that a phrase does not
#: swallow the sentence in front of its number
_COUNTS = frozenset({"n", "m", "h", "k"})
_NUMBER = r"-?\d[\d.,]*"


@dataclass
class Label:
    kind: str
    code: str
    en: str
    zh: str
    aliases: tuple[str, ...] = ()


@dataclass
class LabelSet:
    by_kind: dict[str, dict[str, Label]] = field(default_factory=dict)
    lookup: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, kind: str, code: str, en: str, zh: str, aliases=()) -> None:
        self._rx = None
        lab = Label(kind, code, en, zh, tuple(aliases))
        self.by_kind.setdefault(kind, {})[code] = lab
        table = self.lookup.setdefault(kind, {})
        for key in (code, en, zh, *aliases):
            if key:
                table[_norm(key)] = code

    def kinds(self) -> list[str]:
        return sorted(self.by_kind)

    def codes(self, kind: str) -> list[str]:
        return list(self.by_kind.get(kind, {}))

    def label(self, kind: str, code: str | None, lang: str = "en") -> str:
        """The label of ``code`` in ``lang``; unknown codes are shown as they are."""
        if code is None:
            return ""
        lab = self.by_kind.get(kind, {}).get(code)
        if lab is None:
            return str(code)
        return lab.zh if lang == "zh" else lab.en

    def text(self, code: str, lang: str = "en", **values) -> str:
        """The phrase ``code`` of kind ``text`` in ``lang`` with ``values`` filled in (``{n}``)."""
        phrase = self.label("text", code, lang)
        return phrase.format(**values) if values else phrase

    def translate(self, value, lang: str = "en"):
        """``value`` in ``lang`` when it is an English phrase of kind ``text`` (filled in or not, or a
        ``; ``-joined list of them); anything else unchanged."""
        if lang != "zh" or not isinstance(value, str) or not value:
            return value
        # 1. a phrase whose filled-in values hold no "; " (a value may be a phrase too: "note '…': {why}")
        got = self._fill(value, lang, strict=True)
        if got is not None:
            return got
        # 2. a "; "-joined list of phrases, each one known
        if "; " in value:
            parts = value.split("; ")
            done = [self.translate(part, lang) for part in parts]
            if all(d != p for d, p in zip(done, parts)):
                return "；".join(str(d) for d in done)
        # 3. a phrase with a "; " inside a value, else what is known of the list, else the value
        got = self._fill(value, lang, strict=False)
        if got is not None:
            return got
        if "; " in value:
            return "；".join(str(self.translate(part, lang)) for part in value.split("; "))
        return value

    def translate_line(self, line: str, lang: str = "en") -> str:
        """A message line in ``lang``: ``asx: <phrase>`` → ``asx：<短语>``, ``<file>:<n>: <phrase>`` keeps its
        place, each line of a multi-line message on its own; anything unknown stays as it is."""
        if lang != "zh" or not line:
            return line
        if "\n" in line:
            return "\n".join(self.translate_line(part, lang) for part in line.split("\n"))
        import re

        m = re.fullmatch(r"(\s*(?:- )?)(asx: (?:warning: )?)?(.*?)(\s*)", line, re.S)
        lead, prefix, body, tail = m.groups()
        out = self.translate(body, lang)
        if out == body:  # "<file>:<line>: <why>" of an import's rejects
            loc = re.fullmatch(r"(.+?:\d+: )(.+)", body)
            if loc:
                out = loc.group(1) + str(self.translate(loc.group(2), lang))
        if prefix and re.search(r"[\u4e00-\u9fff]", str(out)):  # a line left in English keeps "asx: "
            prefix = "asx：警告：" if "warning" in prefix else "asx："
        return f"{lead}{prefix or ''}{out}{tail}"

    def _fill(self, value: str, lang: str, *, strict: bool):
        for strict_rx, loose_rx, lab in self._patterns():
            m = (strict_rx if strict else loose_rx).fullmatch(value)
            if m:
                return lab.zh.format(**{k: v if k in _VERBATIM else self.translate(v, lang)
                                        for k, v in m.groupdict().items()})
        return None

    def _patterns(self):
        if getattr(self, "_rx", None) is None:
            import re

            pats = []
            for lab in self.by_kind.get("text", {}).values():
                if not lab.en or not lab.zh:
                    continue
                parts = re.split(r"\{(\w+)\}", lab.en)

                def rx(value: str) -> "re.Pattern":
                    return re.compile("".join(re.escape(p) if i % 2 == 0 else
                                              f"(?P<{p}>{_NUMBER if p in _COUNTS else value})"
                                              for i, p in enumerate(parts)))

                if len(re.sub(r"\{\w+\}", "", lab.en).strip()) < 6:
                    # a phrase of little more than its values ("{a} of {b}") would match any sentence
                    # holding the word: its values must be numbers
                    pats.append((rx(r"\d[\d.,%:/ -]*"), rx(r"\d[\d.,%:/ -]*"), lab))
                else:
                    pats.append((rx("[^;]+?"), rx(".+?"), lab))
            # a phrase without values first ("due now" before "due {at}"), then the most literal text first
            self._rx = sorted(pats, key=lambda p: ("{" in p[2].en, -len(re.sub(r"\{\w+\}", "", p[2].en))))
        return self._rx

    def parse(self, kind: str, text: str, *, what: str | None = None) -> str:
        """Code for what the user typed (code, English or Chinese label, alias)."""
        code = self.lookup.get(kind, {}).get(_norm(text))
        if code is None:
            choices = ", ".join(
                f"{c} ({lab.zh})" if lab.zh else c for c, lab in self.by_kind.get(kind, {}).items()
            )
            raise UserError(f"unknown {what or kind} {text!r}; choose one of: {choices}")
        return code


def _norm(s: str) -> str:
    return " ".join(str(s).strip().lower().replace("-", "_").split())


def for_host(host) -> "LabelSet":
    """The labels every plugin of ``host`` registered (built once per host; ``app.labels``)."""

    def build() -> LabelSet:
        acc = LabelSet()
        for a, kw in host.labels():
            acc.add(*a, **kw)
        return acc

    return host.memo("labels", build)

