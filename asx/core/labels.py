"""English and Chinese labels of domain values; input accepts either.

Plugins declare labels through ``register_labels(register)`` with
``register(kind, code, en, zh, aliases=())``. ``app.labels.label(kind, code, lang)`` shows a value;
``app.labels.parse(kind, text)`` turns what a user typed (code, English or Chinese label, alias,
any case) into the code, or raises a one-line :class:`UserError` naming the choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asx.core.errors import UserError

LANGS = ("en", "zh")


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

