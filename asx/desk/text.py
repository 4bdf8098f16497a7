"""The words and rows of ``asx desk`` without Textual (issue 20): the header, the handover line, the
queue's rows with their countdown, and the *first paint* — the first screen drawn as plain text the
moment the panes are read, while Textual is still being imported.

Textual's own start-up (importing it and composing the first frame) costs about as much as all of
asx's start-up and the panes' data together (``python benchmarks/desk.py`` measures both floors), so
``asx desk`` draws the queue first in plain text on the terminal's alternate screen — the same header,
the same tab titles and the same rows in the same order — and the live screen then takes that screen
over; on quitting the terminal is restored as it was. The keys typed meanwhile wait in the terminal and
are handled by the live screen. Both screens call the functions here: one implementation of each.

``d`` below is anything with ``asx`` (the asx App), ``view`` (:class:`asx.desk.data.View`), ``warn``
(``desk.warn_minutes``), ``t(code)`` and ``lab(kind, code)``: the Textual app, or :class:`Words`.
"""

from __future__ import annotations

from datetime import datetime

#: (key, label code) of the key bar, in its order (asx.desk.app.KEYS shows the same)
BAR = (("r", "k_respond"), ("s", "k_resolve"), ("c", "k_contact"), ("/", "k_filter"), ("?", "k_keys"),
       ("q", "k_quit"))


class Words:
    """The words of a desk in the view's language, for the first paint (the Textual app has the same
    methods)."""

    def __init__(self, asx_app, view) -> None:
        self.asx, self.view = asx_app, view
        self.warn = int(asx_app.config.get("desk.warn_minutes"))

    def t(self, code: str) -> str:
        return self.asx.labels.label("desk", code, self.view.lang)

    def lab(self, kind: str, code) -> str:
        from asx.daily.render import _lab

        return _lab(self.asx, kind, code, self.view.lang)


def _span(minutes: int) -> str:
    from asx.daily.render import span

    return span(minutes)


def countdown(due: int, now: int) -> str:
    """Time to breach: ``12m05s`` inside the hour, ``4h26m`` / ``1d2h`` beyond; ``-23h57m`` overdue."""
    s = due - now
    if s < 0:
        return "-" + _span((-s) // 60)
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return _span(s // 60)


def countdown_style(due: int, now: int, warn_minutes: int) -> str:
    """Red (and reverse) when breached, amber (and bold) inside ``warn_minutes`` (R-SLA)."""
    if due < now:
        return "bold reverse red"
    if due - now < warn_minutes * 60:
        return "bold dark_orange"
    return ""


def head_text(d, ld: dict) -> str:
    """The header: whose desk, the time, my shift now and next, the handover times (or who is on)."""
    from asx.daily.render import dhm, hm

    t = d.t
    at: datetime = ld["at"]
    parts = [t("team") if d.view.team else d.view.agent, f"{at:%Y-%m-%d} {t('wd' + str(at.weekday()))} {at:%H:%M}"]
    if d.view.agent != d.view.actor["name"]:
        parts[0] += f" ({d.view.actor['name']})"
    sh = ld["shift"]
    if sh is not None:
        state = t(sh["status"])
        if sh["now"] is not None:
            left = int((sh["now"].end - at).total_seconds() // 60)
            state += f" {hm(d.asx, sh['now'].start)}–{hm(d.asx, sh['now'].end)} ({t('ends_in')} {_span(left)})"
        parts.append(state)
        if sh["next"] is not None:
            n = sh["next"]
            parts.append(f"{t('next')} {dhm(d.asx, n.start, at)}–{hm(d.asx, n.end)} "
                         f"{d.lab('roster_mark', n.shift)}")
        if sh["handovers"]:
            parts.append(f"{t('handover')} " + ", ".join(hm(d.asx, x) for x in sh["handovers"]))
    elif ld["roster"] is not None:
        on = [p["agent"] for p in ld["roster"]["people"] if p["state"] == "on_shift"]
        parts.append(f"{t('on_shift')}: " + (" ".join(on) or "-"))
    return " · ".join(parts)


def handover_text(d, ld: dict) -> str:
    """The handover note left for me, masked as `asx me` shows it (R-CASE-10, R-SEC-1)."""
    from asx.daily.render import dhm
    from asx.io import masking

    t = d.t
    ho = ld["handover"]
    if not ho:
        return f"{t('handover_note')}: {t('no_handover')}"
    shift = f" ({ho['shift']})" if ho.get("shift") else ""
    text = masking.mask_value("text", ho["text"]).replace("\n", " ")
    return f"{t('handover_note')} {dhm(d.asx, ho['at'], ld['at'])} {t('from')} {ho['by']}{shift}: {text}"


def pane_titles(d, ld: dict) -> list[tuple[str, str]]:
    """(pane, "title count") of the tabs, in order; the money pane only for a supervisor."""
    t = d.t
    rv = ld["reviews"]
    counts = {"cases": len(ld["due"]), "reviews": len(rv["items"]), "waiting": len(ld["waiting"]),
              "money": ld["money"]["count"] if ld["money"] else 0}
    titles = {"cases": t("team_cases" if d.view.team else "cases"), "reviews": t("reviews"),
              "waiting": t("waiting"), "money": t("money")}
    return [(p, f"{titles[p]} {counts[p]}") for p in ("cases", "reviews", "waiting", "money")
            if p != "money" or d.view.supervisor]


def case_rows(d, ld: dict, rows: list[dict], *, wide: bool, now: int):
    """Columns ``[(key, label)]`` and rows ``[(key, cells)]`` of the queue (R-SLA: by time to breach, as
    loaded); the countdown cell is ``(text, style)`` (:func:`countdown_style`)."""
    from asx.daily.render import cut, dhm

    t = d.t
    n = 40 if wide else 12
    cols = [("id", t("id"))] + ([("agent", t("agent"))] if d.view.team else []) + [
        ("left", t("left")), ("due", t("due")), ("target", t("target")), ("sev", t("sev")),
        ("category", t("category")), ("status", t("status"))]
    if wide:
        cols += [("order", t("order")), ("promised", t("promised"))]
    out = []
    for r in rows:
        cells = [f"#{r['id']}"] + ([r["agent"] or ""] if d.view.team else []) + [
            (countdown(r["next_due_at"], now), countdown_style(r["next_due_at"], now, d.warn)),
            dhm(d.asx, r["next_due_at"], ld["at"]), cut(d.lab("sla_target", r["next_due_target"]), n),
            d.lab("severity", r["severity"]), cut(d.lab("category", r["category"]), n),
            cut(d.lab("case_status", r["status"]), n)]
        if wide:
            cells += [r.get("order_no") or "", dhm(d.asx, r["promised_at"], ld["at"]) if r.get("promised_at") else ""]
        out.append((f"c{r['id']}", cells))
    return cols, out


def first_paint(d, ld: dict, *, width: int, height: int, now: int) -> str:
    """The first screen as text (no colour, so NO_COLOR holds): header, handover line, the tab titles,
    the queue fitted to ``width`` display columns (CJK counts double) and the key bar on the last of
    ``height`` lines — what the live screen shows first, drawn before Textual is imported."""
    from asx.daily.render import cut
    from asx.io.term import fit_table

    lines = [cut(head_text(d, ld), width), cut(handover_text(d, ld), width),
             cut(" " + "  ".join(title for _p, title in pane_titles(d, ld)), width), "━" * width]
    cols, rows = case_rows(d, ld, ld["due"], wide=width >= 100, now=now)
    cells = [[c[0] if isinstance(c, tuple) else str(c) for c in cells] for _key, cells in rows]
    room = max(0, height - len(lines) - 3)
    body, _left_out = fit_table([label for _k, label in cols], cells[:room], max(20, width - 1))
    lines += [" " + line for line in body if not set(line.strip()) <= {"-", " "}]
    lines = [cut(line, width) for line in lines][: height - 1]
    lines += [""] * (height - 1 - len(lines))
    bar = "  ".join(f"{k} {d.t(code)}" for k, code in BAR)
    lines.append(cut(" " + bar, width))
    return "\n".join(lines)
