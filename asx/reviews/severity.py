"""Severity of a review, 1 (mild) to 3 (severe) (R-REV-1, R-REV-4: severe reviews first).

Rules are registered by plugins through ``register_review_severity_rules(register)`` with
``register(name, fn)``; ``fn(review) -> int | None`` gets a dict with the review's fields
(``result``, ``content``, ``item``, ``item_price_fen``, ``tid`` …) and ``settings``, the
``reviews.*`` settings as a plain dict (and ``config``, the whole configuration, for a plugin's
own settings). The severity is the highest answer of all rules,
clamped to 1–3; the rule that gave it is kept (``severity_rule``) so a reviewer can see why.
The built-in rules (asx/plugins/reviews.py): ``result`` (neutral 1, negative 2) and
``keywords`` (a word of ``reviews.severity_keywords`` raises by one; a word of
``reviews.severe_keywords`` makes it 3).
"""

from __future__ import annotations

from typing import Callable


def rules(plugins) -> dict[str, Callable]:
    """The severity rules registered with ``plugins`` (``app.plugins``), by name (R-REV-4)."""

    def build() -> dict[str, Callable]:
        acc: dict[str, Callable] = {}
        for a, kw in plugins.review_severity_rules():
            name, fn = (a + (None, None))[:2] if a else (None, None)
            acc[name if name is not None else kw["name"]] = fn if fn is not None else kw["fn"]
        return acc

    return plugins.memo("review_severity_rules", build)


def settings_dict(config) -> dict:
    """The ``reviews.*`` keyword settings, plus ``config`` itself so that a plugin's rule can read
    its own settings (``review["settings"]["config"].get("plugins.<name>.<key>")``)."""
    return {**{k: config.get(f"reviews.{k}") for k in ("severity_keywords", "severe_keywords")}, "config": config}


def assess(review: dict, settings: dict, *, rule_set: dict[str, Callable] | None = None) -> tuple[int, str]:
    """``(severity, rule name)`` for a review under ``rule_set`` (:func:`rules` of ``app.plugins``)."""
    facts = {**review, "settings": settings}
    best, why = 1, "default"
    for name, fn in (rule_set or {}).items():
        value = fn(facts)
        if value is None:
            continue
        value = max(1, min(3, int(value)))
        if value > best:
            best, why = value, name
    return best, why


# -- built-in rules (registered by asx.plugins.reviews) -----------------------------------------

def rule_result(review: dict) -> int | None:
    """Negative 差评 is more serious than neutral 中评."""
    return 2 if review.get("result") == "negative" else 1


def rule_keywords(review: dict) -> int | None:
    """Keywords in the review text raise the severity (质量 +1; 假货/投诉 → 3)."""
    text = f"{review.get('content') or ''}"
    st = review.get("settings") or {}
    if any(w and w in text for w in st.get("severe_keywords") or ()):
        return 3
    if any(w and w in text for w in st.get("severity_keywords") or ()):
        return rule_result(review) + 1
    return None
