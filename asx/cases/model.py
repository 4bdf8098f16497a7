"""Case categories (R-CASE-2/3), statuses and the lifecycle table (R-CASE-6) as data.

Plugins extend both through hooks:

* ``register_categories(register)`` with ``register(code, en, zh, checklist=[...], aliases=(),
  complaint=False)`` (``complaint=True``: every case of the category is a complaint, R-SLA-2);
  a checklist item is ``(step, en, zh)`` (advice) or a dict ``{"step", "en", "zh", "required": bool,
  "required_for": [resolutions], "required_if_party": [parties]}``: a step required before any
  resolution, before those resolutions (e.g. photo evidence before compensation) or when the party
  is one of those (a coupon when the error was ours); resolving with a required step unticked is
  refused unless a supervisor overrides with a reason (R-CASE-3, :class:`Step`).
  ``register(code, checklist=[...], extend=True)`` adds a store's steps to a category another plugin
  defines (see :class:`CategorySet`).
* ``register_case_transitions(register)`` with ``register(from_status, to_status, action, roles)``.
  ``from_status`` ``"*"`` means any status but ``merged``; ``to_status`` ``"="`` means unchanged.
  ``roles`` are role names; a role allows what :data:`asx.core.app.ROLE_IMPLIES` says (a supervisor may
  do what an agent may).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asx.core.errors import PermissionDenied, UserError

SEVERITIES = ("low", "normal", "high", "urgent")
CHANNELS = ("wangwang", "chat", "phone", "email", "sms", "platform")
WAITING = ("waiting_buyer", "waiting_courier", "waiting_warehouse")
STATUSES = ("new", "open", *WAITING, "resolved", "closed", "merged")
#: statuses in which the SLA clock of the case may run (R-SLA); waiting_* pause it
ACTIVE = ("new", "open", *WAITING)
#: statuses of a case nobody works on any more
ENDED = ("closed", "merged")
RESOLUTIONS = ("explained", "cash_compensation", "coupon", "reship", "exchange", "return_refund", "refund_only",
               "repair", "rejected")
#: resolutions that move money and so create a ledger entry (R-CASE-4, R-FIN-1)
MONEY_RESOLUTIONS = ("cash_compensation", "coupon", "return_refund", "refund_only")
PARTIES = ("us", "warehouse", "courier", "supplier", "buyer", "platform", "unknown")


@dataclass
class Step:
    """A checklist step (R-CASE-3). Resolving is refused while a *required* step is unticked
    (:func:`missing_steps`): ``required`` (before any resolution), ``required_for`` (before these
    resolutions, e.g. photo evidence before compensation) or ``required_if_party`` (when the
    responsible party is one of these, e.g. a coupon when the error was ours). Others are advice."""

    step: str
    en: str
    zh: str = ""
    required_for: tuple[str, ...] = ()
    required: bool = False
    required_if_party: tuple[str, ...] = ()

    def needed(self, resolution: str, party: str | None) -> bool:
        return self.required or resolution in self.required_for or (party is not None
                                                                     and party in self.required_if_party)


def missing_steps(plugins, category: str, done, resolution: str, party: str | None) -> list[Step]:
    """The required steps of ``category``'s checklist not in ``done`` for this resolution and party."""
    cat = categories(plugins).get(category)
    return [s for s in (cat.checklist if cat else []) if s.needed(resolution, party) and s.step not in done]


@dataclass
class Category:
    code: str
    en: str
    zh: str
    checklist: list[Step] = field(default_factory=list)
    aliases: tuple[str, ...] = ()
    #: every case of this category is a complaint (R-SLA-2), e.g. a bakery's spoiled cake
    complaint: bool = False


class CategorySet(dict):
    """Categories by code. ``add(code, en, zh, checklist, aliases)`` defines (or redefines) one;
    ``add(code, checklist=[...], aliases=(), extend=True)`` adds steps and aliases to a category
    defined by another plugin (a store's own steps, R-CASE-3) without redefining it: a step whose
    id exists replaces it in place (keeping when it is required unless the new step says so), a
    dict step with ``"after": step_id`` goes after that step, others are appended. Extensions of a category not defined yet wait until it is."""

    def __init__(self) -> None:
        super().__init__()
        self._pending: dict[str, list[tuple[list, tuple]]] = {}

    @staticmethod
    def _steps(checklist) -> list[tuple[Step, str | None]]:
        steps = []
        for item in checklist or ():
            if isinstance(item, Step):
                steps.append((item, None))
            elif isinstance(item, dict):
                st = Step(item["step"], item.get("en", item["step"]), item.get("zh", ""),
                          tuple(item.get("required_for", ())), bool(item.get("required", False)),
                          tuple(item.get("required_if_party", ())))
                # a store rewording a step without saying when it is required keeps the requirement
                st.inherit = not any(k in item for k in ("required", "required_for", "required_if_party"))
                steps.append((st, item.get("after")))
            else:
                steps.append((Step(*item), None))
        return steps

    def add(self, code: str, en: str | None = None, zh: str = "", checklist=(), aliases=(),
            extend: bool = False, complaint: bool = False) -> None:
        if extend:
            if code in self:
                self._extend(self[code], checklist, aliases, complaint)
            else:
                self._pending.setdefault(code, []).append((list(checklist or ()), tuple(aliases), complaint))
            return
        if en is None:
            raise ValueError(f"category {code!r}: an English label is required (or extend=True)")
        self[code] = Category(code, en, zh, [s for s, _ in self._steps(checklist)], tuple(aliases),
                              complaint=bool(complaint))
        for checklist_, aliases_, complaint_ in self._pending.pop(code, ()):
            self._extend(self[code], checklist_, aliases_, complaint_)

    def _extend(self, cat: Category, checklist, aliases, complaint: bool = False) -> None:
        if complaint:
            cat.complaint = True
        for step, after in self._steps(checklist):
            ids = [s.step for s in cat.checklist]
            if step.step in ids:
                old = cat.checklist[ids.index(step.step)]
                if getattr(step, "inherit", True):  # R-CASE-3: rewording keeps when the step is required
                    step.required, step.required_for = old.required, old.required_for
                    step.required_if_party = old.required_if_party
                cat.checklist[ids.index(step.step)] = step
            elif after in ids:
                cat.checklist.insert(ids.index(after) + 1, step)
            else:
                cat.checklist.append(step)
        cat.aliases = cat.aliases + tuple(a for a in aliases if a not in cat.aliases)


def categories(plugins) -> dict[str, Category]:
    """Every category the plugins of ``plugins`` (``app.plugins``) registered, built-in ones first."""

    def build() -> CategorySet:
        acc = CategorySet()
        for a, kw in plugins.categories():
            acc.add(*a, **kw)
        return acc

    return plugins.memo("categories", build)


def parse_category(app, text: str) -> str:
    """Code of a category typed as code, English/Chinese label or alias (any case)."""
    return app.labels.parse("category", text, what="category")


@dataclass(frozen=True)
class Transition:
    from_status: str
    to_status: str
    action: str
    roles: tuple[str, ...]


class TransitionTable:
    """The lifecycle as data: ``allowed(status, action, to=None)``."""

    def __init__(self) -> None:
        self.rows: list[Transition] = []

    def add(self, from_status: str, to_status: str, action: str, roles=("agent",)) -> None:
        if isinstance(roles, str):
            roles = (roles,)
        self.rows.append(Transition(from_status, to_status, action, tuple(roles)))

    def actions(self) -> list[str]:
        return sorted({t.action for t in self.rows})

    def candidates(self, status: str, action: str) -> list[Transition]:
        """Rows for ``action`` from ``status``; rows registered later win (plugins override)."""
        exact = [t for t in self.rows if t.action == action and t.from_status == status]
        star = [t for t in self.rows if t.action == action and t.from_status == "*" and status != "merged"]
        return list(reversed(exact)) + list(reversed(star))

    def find(self, status: str, action: str, to: str | None = None) -> Transition:
        rows = self.candidates(status, action)
        if to is not None:
            rows = [t for t in rows if (status if t.to_status == "=" else t.to_status) == to]
        if not rows:
            want = f" to {to}" if to else ""
            possible = sorted({t.action for t in self.rows if t.from_status in (status, "*")})
            raise UserError(f"cannot {action}{want} a case that is {status} (R-CASE-6); "
                            f"possible now: {', '.join(possible) or 'nothing'}")
        return rows[0]


def transitions(plugins) -> TransitionTable:
    """The case lifecycle the plugins of ``plugins`` (``app.plugins``) registered (R-CASE-6)."""

    def build() -> TransitionTable:
        acc = TransitionTable()
        for a, kw in plugins.case_transitions():
            acc.add(*a, **kw)
        return acc

    return plugins.memo("case_transitions", build)


def check_allowed(app, who: dict, status: str, action: str, to: str | None = None) -> str:
    """The new status of the case, if ``who`` may ``action`` it from ``status``; else a clear refusal."""
    t = transitions(app.plugins).find(status, action, to)
    if not app.may(who, *t.roles):
        raise PermissionDenied(f"{who['name']} is {who['role']}; only {' or '.join(t.roles)} may {action} "
                               f"a {status} case (R-CASE-6)")
    return status if t.to_status == "=" else t.to_status


def builtin_transitions(register) -> None:
    """The core lifecycle (R-CASE-6/7/8/9)."""
    agent, specialist, supervisor = ("agent",), ("specialist",), ("supervisor",)
    live = ("new", "open", *WAITING)
    register("new", "open", "respond", agent)            # first response sent
    register("open", "open", "respond", agent)
    register("resolved", "resolved", "respond", agent)   # feedback after resolution (R-SLA-4)
    for s in live:
        for w in WAITING:
            if s != w:
                register(s, w, "wait", agent)            # clock paused (R-SLA)
        register(s, "resolved", "resolve", agent)
        register(s, "=", "escalate", agent)              # R-CASE-7
        register(s, "=", "handback", specialist)         # specialist hands the solution back (R-CASE-7)
        register(s, "=", "assign", supervisor)           # R-CASE-9: supervisor, with a reason
        register(s, "merged", "merge", agent)
        register(s, "=", "check", agent)
    for w in WAITING:
        register(w, "open", "resume", agent)
        register(w, "=", "promise", agent)
    register("new", "open", "promise", agent)            # telling the buyer when is a response (R-SLA-5)
    register("open", "open", "promise", agent)
    for s in ("new", "open", *WAITING, "resolved"):
        register(s, "=", "inspect", specialist)          # R-CASE-8 inspection of returned goods
    register("resolved", "=", "check", agent)
    register("resolved", "closed", "close", agent)
    register("resolved", "open", "reopen", agent)
    register("closed", "open", "reopen", agent)
    register("resolved", "merged", "merge", agent)
    register("resolved", "=", "rate", agent)
    register("closed", "=", "rate", agent)
    register("*", "=", "note", ("agent", "order_clerk"))
    register("*", "=", "edit", agent)                     # correct order, buyer, summary, category (issue 18)
    register("*", "=", "link", agent)
    register("*", "=", "about", supervisor)               # R-KPI-4: settle whom a complaint is about
    register("merged", "=", "note", ("agent", "order_clerk"))
