"""What the keys of ``asx desk`` do (issue 20 §3): each one the same domain call as its CLI command,
with the same arguments, so the database and the history end up exactly as the CLI leaves them.

Every function returns the one-line message the CLI prints on stderr; a refusal raises the same
:class:`~asx.core.errors.AsxError` (the desk shows its text inline in the form).
"""

from __future__ import annotations

from asx.core.errors import UserError


def _act(app, case_id: int, action: str, **kw) -> str:
    """``asx case ACTION`` (asx/commands/case.py ``_act``): :func:`asx.cases.service.act` as of now."""
    from asx.cases import service
    from asx.store import cases as case_store

    before = case_store.require(app.store, case_id)["status"]
    case = service.act(app, case_id, action, at=None, **kw)
    arrow = f"{before} → {case['status']}" if before != case["status"] else case["status"]
    due = f"; next due {app.iso(case['next_due_at'])} ({case['next_due_target']})" if case["next_due_at"] else ""
    return f"case #{case_id} {action}: {arrow}{due}"


def _text(v: str | None) -> str | None:
    """What was typed, as typed (the CLI passes option values unchanged); nothing typed: None."""
    return v if v is not None and v.strip() else None


def respond(app, case_id: int, *, note: str | None = None, solution: bool = False) -> str:
    """``asx case respond ID [--note] [--solution]`` (R-SLA-2, R-SLA-4)."""
    return _act(app, case_id, "respond", note=_text(note), solution=bool(solution))


def note(app, case_id: int, *, text: str | None) -> str:
    """``asx case note ID TEXT``."""
    return _act(app, case_id, "note", note=text or "")


def check(app, case_id: int, *, step: str | None) -> str:
    """``asx case check ID STEP`` (R-CASE-3)."""
    return _act(app, case_id, "check", step=step)


def wait(app, case_id: int, *, on: str | None, note: str | None = None) -> str:
    """``asx case wait ID buyer|courier|warehouse [--note]``: the clock pauses (R-SLA)."""
    return _act(app, case_id, "wait", on=on, note=_text(note))


def resume(app, case_id: int, *, note: str | None = None) -> str:
    """``asx case resume ID [--note]``."""
    return _act(app, case_id, "resume", note=_text(note))


def promise(app, case_id: int, *, until: str | None, note: str | None = None, reason: str | None = None) -> str:
    """``asx case promise ID --by TIME [--note] [--reason]`` (R-SLA-5)."""
    if not _text(until):
        raise UserError("promise needs --by TIME (R-SLA-5)")
    return _act(app, case_id, "promise", until=app.parse_time(until.strip()), note=_text(note), reason=_text(reason))


def resolve(app, case_id: int, *, resolution: str | None, party: str | None, amount: str | None = None,
            note: str | None = None) -> str:
    """``asx case resolve ID --resolution R --party P [--amount YUAN] [--note]`` (R-CASE-3/4/5)."""
    from asx.core.money import parse_yuan

    return _act(app, case_id, "resolve", resolution=_text(resolution), party=_text(party),
                amount_fen=parse_yuan(_text(amount)), inspection=None, note=_text(note), override=False,
                reason=None)


def escalate(app, case_id: int, *, to: str | None, note: str | None = None) -> str:
    """``asx case escalate ID --to SPECIALIST [--note]`` (R-CASE-7)."""
    return _act(app, case_id, "escalate", to=_text(to), note=_text(note))


def contact(app, review_id: int, *, via: str | None, result: str | None, by: str | None = None,
            note: str | None = None) -> tuple[str, list[str]]:
    """``asx review contact ID --via V --result R [--by DATE] [--note]`` (R-REV-2, R-REV-5): the
    message and the warnings (a call outside the call windows)."""
    from asx.core.timeutil import to_epoch
    from asx.reviews import service

    who = app.actor()
    at = to_epoch(app.parse_time(None))
    if not _text(via):
        raise UserError("--via is required: wangwang (旺旺), sms (短信) or phone (电话) (R-REV-2)")
    if not _text(result):
        raise UserError("--result is required: no_answer, answered, promised or refused")
    via = app.labels.parse("contact_via", via, what="--via")
    result = app.labels.parse("contact_result", result, what="--result")
    if _text(by) and result != "promised":
        raise UserError("--by goes with --result promised")
    until = service.promise_deadline(app, by.strip()) if _text(by) else None
    r, warnings = service.contact(app, review_id, via=via, result=result, at=at, by=who["name"], note=_text(note),
                                  promised_until=until)
    nxt = (f"next: {app.labels.label('review_step', r['next_step'], app.lang)} due {app.iso(r['due_at'])}"
           if r["next_step"] else "nothing more to do")
    return f"review {r['id']} {app.labels.label('review_progress', r['progress'], app.lang)}; {nxt}", warnings


def reveal(app, case_id: int) -> dict:
    """``asx case show ID --reveal``: checked (supervisor, R-SEC-1), recorded in the history and the
    access log; returns the case with its buyer data unmasked."""
    from asx.cases import service
    from asx.store import cases as case_store

    raw = service.reveal(app, case_id)
    case = case_store.require(app.store, case_id)
    case.update({k: raw[k] for k in ("buyer", "buyer_contact", "summary") if k in raw})
    return case


# --- what the forms offer ---------------------------------------------------------------------

def choices(app, kind: str, lang: str) -> list[tuple[str, str]]:
    """``(label, code)`` of every value of a label kind (resolution, party, contact_via …)."""
    return [(app.labels.label(kind, c, lang), c) for c in app.labels.codes(kind)]


def checklist(app, case_id: int, lang: str) -> list[dict]:
    """The category checklist of a case with what is ticked (as ``asx case show`` lists it)."""
    from asx.cases import model
    from asx.store import cases as case_store

    case = case_store.require(app.store, case_id)
    done = case_store.checks(app.store, case_id)
    cat = model.categories(app.plugins).get(case["category"])
    return [{"step": s.step, "text": s.zh if lang == "zh" and s.zh else s.en, "done": s.step in done}
            for s in (cat.checklist if cat else [])]


def specialists(app) -> list[str]:
    """Active specialists (and supervisors) a case may be escalated to (R-CASE-7)."""
    from asx.store import agents

    return [a["name"] for a in agents.list_agents(app.store) if a["active"]
            and a["role"] in ("specialist", "supervisor", "manager")]
