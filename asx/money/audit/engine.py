"""The refund audit (R-FIN-3): read payment statements, match every payout against the ledger, run
every registered check, and say which rule each finding breaks and which rows.

Design for big statements (200,000 rows against a million cases): statement rows stream through
the readers and are reduced at once to small :class:`Payout` records (no personal data kept);
ledger entries of the period are loaded in one query into dicts; orders and cases are looked up
in bulk for the keys that need them; the roster is read once per day (R-ROS-9).
"""

from __future__ import annotations

import bisect
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any, Iterable

from asx.money.audit.model import Check, Entry, Finding, Payout

DAY = 86400


@dataclass
class Settings:
    signoff_days: int = 3
    limits_yuan: dict[str, float] = field(default_factory=dict)
    match_window_minutes: int = 120
    duplicate_days: int = 7
    duty_grace_minutes: int = 30
    ignore_biz_types: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    reason_words: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_config(cls, cfg) -> "Settings":
        return cls(signoff_days=cfg.get("audit.signoff_days"), limits_yuan=dict(cfg.get("audit.limits") or {}),
                   match_window_minutes=cfg.get("audit.match_window_minutes"),
                   duplicate_days=cfg.get("audit.duplicate_days"),
                   duty_grace_minutes=cfg.get("audit.duty_grace_minutes"),
                   ignore_biz_types=tuple(cfg.get("audit.ignore_biz_types") or ()),
                   severity=dict(cfg.get("audit.severity") or {}),
                   reason_words=dict(cfg.get("audit.reason_words") or {}))


@dataclass
class StatementInfo:
    path: str
    layout: str
    encoding: str
    rows: int = 0
    payouts: int = 0
    totals_checked: bool = False
    complete: bool = True
    has_notes: bool = True       # the layout has a note column (the 2021 Alipay app export has none)


@dataclass
class AuditContext:
    """Everything a check may look at."""

    store: Any
    tz: Any
    now: int
    settings: Settings
    period_from: int
    period_to: int
    payouts: list[Payout]
    entries: list[Entry]
    agents: dict[str, dict]
    duty: Any                                            # asx.roster.duty.DutyReader (R-ROS-9)
    statements: list[StatementInfo]
    problems: list[tuple[str, int, str]]                 # (file, line, reason) of rows readers rejected
    orders_paid: dict[str, int] = field(default_factory=dict)
    cases_by_order: dict[str, list[tuple]] = field(default_factory=dict)
    channels: set = field(default_factory=set)           # payment channels the statements cover
    scratch: dict[str, Any] = field(default_factory=dict)  # per-run state shared by plugin checks

    def limit_fen(self, reason: str | None) -> int | None:
        if not reason:
            return None
        v = self.settings.limits_yuan.get(reason)
        if v is None:
            return None
        from asx.core.money import parse_yuan

        return parse_yuan(v)

    def reason_of(self, p: Payout) -> str | None:
        """The payout's reason: its ledger entry's, else guessed from the note's content words."""
        if p.entry is not None:
            return p.entry.reason
        text = (p.note_parse.content if p.note_parse is not None else "") or p.note
        for word, reason in self.settings.reason_words.items():
            if word and word in text:
                return reason
        if p.biz_type in ("交易退款", "退款"):
            return "refund"
        return None


@dataclass
class AuditResult:
    findings: list[Finding]
    statements: list[StatementInfo]
    period_from: int
    period_to: int
    rows_read: int
    rows_bad: int
    payouts: int
    paid_fen: int
    overlap: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def by_rule(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for f in self.findings:
            out[f.rule] = out.get(f.rule, 0) + 1
        return dict(sorted(out.items()))


# --- reading ----------------------------------------------------------------------------------

def channel_of(layout: str) -> str | None:
    if layout.startswith("alipay"):
        return "alipay"
    if layout.startswith("wechat"):
        return "wechat"
    return None


def read_payouts(paths: Iterable[str | Path], *, readers, tz, since: int | None, until: int | None,
                 ignore_biz_types: Iterable[str] = (),
                 bad_files: list[tuple[str, str]] | None = None) -> tuple[list[Payout], list[StatementInfo],
                                                                          list[tuple[str, int, str]], int, int,
                                                                          tuple[int, int] | None]:
    """Stream every statement; keep outgoing rows in the period as Payouts.

    Returns (payouts, statement infos, reader problems, rows read, same rows seen in two files, time span
    of all rows read or None).
    A footer that does not match its rows raises UserError from the reader (exit 2). With ``bad_files``
    (the nightly audit, issue 21) each file is read on its own: a file that cannot be read (unknown
    layout, empty, broken footer, undecodable) is appended as ``(path, reason)`` and contributes nothing,
    the others are audited."""
    from asx.core.errors import UserError

    ignore = frozenset(ignore_biz_types)
    payouts: list[Payout] = []
    infos: list[StatementInfo] = []
    problems: list[tuple[str, int, str]] = []
    seen: set[str] = set()
    share = {}.setdefault                   # one object per distinct note / business type
    rows_read = overlap = 0
    lo, hi = None, None
    for path in paths:
        path = Path(path)
        if bad_files is None:
            got = _read_one(path, readers, tz, since, until, ignore, seen, share)
        else:
            try:
                got = _read_one(path, readers, tz, since, until, ignore, seen, share)
            except (UserError, ValueError, OSError, UnicodeError) as exc:
                bad_files.append((str(path), str(exc) or type(exc).__name__))
                continue
        file_payouts, info, file_problems, file_seen, file_overlap, file_span = got
        payouts += file_payouts
        seen |= file_seen
        overlap += file_overlap
        problems += file_problems
        rows_read += info.rows
        infos.append(info)
        if file_span is not None:
            lo = file_span[0] if lo is None else min(lo, file_span[0])
            hi = file_span[1] if hi is None else max(hi, file_span[1])
    return payouts, infos, problems, rows_read, overlap, (lo, hi) if lo is not None else None


def _read_one(path: Path, readers, tz, since, until, ignore, seen_before: set[str], share):
    """One statement read in full before anything of it counts (so a file failing half-way adds nothing)."""
    from asx.money.statements import detect
    from asx.money.statements.model import brief_of

    payouts: list[Payout] = []
    seen: set[str] = set()
    overlap = 0
    lo = hi = None
    reader = detect(path, readers)
    # brief rows (line, time, amount, ids, note…) are all the audit needs: the built-in readers give
    # them without building a StatementRow (the merchant ledger through a fast path); a plugin's reader
    # without read_brief is read in full
    read_brief = getattr(reader, "read_brief", None)
    if read_brief is not None:
        stmt = read_brief(path, tz=tz)
        rows = stmt.rows
    else:
        stmt = reader.read(path, tz=tz, stream=True)
        rows = map(brief_of, stmt.rows)
    info = StatementInfo(str(path), stmt.layout, stmt.encoding,
                         has_notes="note" in (getattr(reader, "columns", None) or {"note": ()}))
    chan = channel_of(stmt.layout)
    file = str(path)
    n_rows = n_payouts = 0
    append, add = payouts.append, seen.add
    for line, at, day, minute, fen, direction, txn, biz, merchant, order, note, biz_type, party in rows:
        n_rows += 1
        if lo is None or at < lo:
            lo = at
        if hi is None or at > hi:
            hi = at
        if direction != "out" or fen <= 0 or biz_type in ignore:
            continue
        if (since is not None and at < since) or (until is not None and at >= until):
            continue
        if txn:
            if txn in seen or txn in seen_before:
                overlap += 1        # the same row in two statement files: counted once
                continue
            add(txn)
        order = order or merchant
        if order and order[:5] in ("T200P", "t200p"):
            order = order[5:]
        append(Payout(file, line, txn, txn if biz == txn else biz, order or None, at, day, minute, fen,
                      share(note, note), share(biz_type, biz_type), chan, party))
        n_payouts += 1
    info.rows += n_rows
    info.payouts += n_payouts
    info.totals_checked, info.complete = stmt.totals_checked, stmt.complete
    problems = [(file, pr.line, pr.reason) for pr in stmt.problems]
    return payouts, info, problems, seen, overlap, (lo, hi) if lo is not None else None


# --- matching ---------------------------------------------------------------------------------

def match(payouts: list[Payout], entries: list[Entry], window_s: int) -> None:
    """Pair payouts with ledger entries, one to one: by transaction id, then by order number
    (``T200P`` prefix ignored; same amount first, nearest time), then by amount within the time
    window (same agent first, nearest time)."""
    by_txn: dict[str, Entry] = {}
    by_order: dict[str, Entry | list[Entry]] = {}        # the usual order has one entry: no list for it
    for e in entries:
        if e.txn_id:
            by_txn.setdefault(e.txn_id, e)
        o = e.order_no
        if o:
            got = by_order.get(o)
            if got is None:
                by_order[o] = e
            elif got.__class__ is list:
                got.append(e)
            else:
                by_order[o] = [got, e]
    # 1. transaction id (the statement's 账务流水号 or 业务流水号)
    rest = []
    get = by_txn.get
    for p in payouts:
        e = get(p.txn_id) if p.txn_id else None
        if (e is None or e.matched) and p.biz_id and p.biz_id is not p.txn_id:
            e = get(p.biz_id)
        if e is not None and not e.matched:
            e.matched, p.entry, p.match = True, e, "txn"
        else:
            rest.append(p)
    # 2. order number
    rest2 = []
    for p in rest:
        cands = by_order.get(p.order_no) if p.order_no else None
        if cands is None:
            rest2.append(p)
            continue
        if cands.__class__ is not list:  # the usual case: one entry on the order
            best = None if cands.matched else cands
        else:
            best = best_score = None
            for e in cands:
                if not e.matched:
                    score = (e.amount_fen != p.amount_fen, abs(e.at - p.at))
                    if best is None or score < best_score:
                        best, best_score = e, score
        if best is not None:
            best.matched, p.entry, p.match = True, best, "order"
        else:
            rest2.append(p)
    # 3. amount and time window, among the entries still unmatched (indexed only for the amounts needed)
    if not rest2:
        return
    amounts = {p.amount_fen for p in rest2}
    by_amount: dict[int, list[Entry]] = {}
    for e in entries:
        if not e.matched and e.amount_fen in amounts:
            by_amount.setdefault(e.amount_fen, []).append(e)
    for lst in by_amount.values():
        lst.sort(key=lambda e: e.at)
    keys = {a: [e.at for e in lst] for a, lst in by_amount.items()}
    for p in rest2:
        lst = by_amount.get(p.amount_fen)
        if not lst:
            continue
        ats = keys[p.amount_fen]
        i = bisect.bisect_left(ats, p.at - window_s)
        j = bisect.bisect_right(ats, p.at + window_s)
        agent = p.agent
        best = None
        for e in lst[i:j]:
            if e.matched or (e.order_no and p.order_no and e.order_no != p.order_no):
                continue
            score = (0 if agent and e.agent == agent else 1, abs(e.at - p.at))
            if best is None or score < best[0]:
                best = (score, e)
        if best is not None:
            e = best[1]
            e.matched, p.entry, p.match = True, e, "amount_time"


def mark_duplicates(payouts: list[Payout], days: int) -> None:
    """The same payout twice: same recipient, amount and note content (or order) within ``days``."""
    last: dict[int, Payout] = {}
    for p in sorted(payouts, key=attrgetter("at")):
        content = p.note_parse.content if p.note_parse is not None else p.note
        k = hash((p.order_no or p.party_key, p.amount_fen, content))
        prev = last.get(k)
        if (prev is not None and p.at - prev.at <= days * DAY and prev.amount_fen == p.amount_fen
                and (prev.order_no or prev.party_key) == (p.order_no or p.party_key)
                and (prev.note_parse.content if prev.note_parse is not None else prev.note) == content):
            p.dup_of = prev
        last[k] = p


# --- the run ----------------------------------------------------------------------------------

def checks(plugins) -> list[Check]:
    """Every check registered with ``plugins`` (``app.plugins``): built-ins from asx/plugins/money.py,
    then store plugins."""

    def build() -> list[Check]:
        acc: list[Check] = []

        def register(rule, fn, *, scope="payout", severity="error", title="", ref="R-FIN-3"):
            acc[:] = [c for c in acc if c.rule != rule]   # a plugin may replace a check by its rule id
            acc.append(Check(rule, fn, scope, severity, title, ref))

        for a, kw in plugins.audit_checks():
            register(*a, **kw)
        return acc

    return plugins.memo("audit_checks", build)


def readers(plugins, config=None):
    """The statement readers: built-ins and plugins' (``register_statement_readers`` of ``plugins``,
    ``app.plugins``), plus the generic CSV layouts of the ``statements.layouts`` setting."""
    from asx.money.statements import ReaderRegistry

    def build() -> ReaderRegistry:
        acc = ReaderRegistry()
        for a, kw in plugins.statement_readers():
            acc.register(*a, **kw)
        return acc

    reg = plugins.memo("statement_readers", build)
    if config is not None:
        layouts = config.get("statements.layouts") or {}
        if layouts:
            from asx.money.statements import GenericCsvReader

            reg = ReaderRegistry(list(reg))
            for name, spec in layouts.items():
                reg.register(GenericCsvReader.from_config(name, spec))
    return reg


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector for a bulk run (restored afterwards).

    An audit of 200,000 rows keeps a few hundred thousand objects alive (payouts, ledger entries, the
    parsed notes) and makes no reference cycles; every full collection while they pile up walks all
    of them again — a fifth of the audit's CPU time. Reference counting still frees everything."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def run(store, paths: list[str | Path], *, tz, now: int, settings: Settings, since: int | None = None,
        until: int | None = None, reader_registry=None, check_list: list[Check] | None = None,
        plugins=None, progress=None, bad_files: list[tuple[str, str]] | None = None) -> AuditResult:
    """Audit ``paths`` against the ledger; returns findings (not stored: see :func:`record`).
    The readers and checks are those registered with ``plugins`` (``app.plugins``; default: the
    built-in plugins) unless ``reader_registry`` / ``check_list`` are given. ``progress(fraction)``: told
    how far the run is (a bar on a terminal, issue 18 item 9)."""
    if reader_registry is None or check_list is None:
        if plugins is None:
            from asx.core.plugin_host import PluginHost

            plugins = PluginHost.load(entry_points=False)
        reader_registry = readers(plugins) if reader_registry is None else reader_registry
        check_list = checks(plugins) if check_list is None else check_list
    with gc_paused():
        return _run(store, paths, tz=tz, now=now, settings=settings, since=since, until=until,
                    reader_registry=reader_registry, check_list=check_list, progress=progress or _quiet,
                    bad_files=bad_files)


def _quiet(fraction: float) -> None:
    pass


def _run(store, paths: list[str | Path], *, tz, now: int, settings: Settings, since: int | None,
         until: int | None, reader_registry, check_list: list[Check] | None, progress=_quiet,
         bad_files: list[tuple[str, str]] | None = None) -> AuditResult:
    from asx.money.notes import parse_note
    from asx.roster.duty import DutyReader
    from asx.store import agents as agents_store
    from asx.store import ledger as ledger_store

    # the run's share of time, measured on a 200k-row statement: reading 45 %, judging notes and duty
    # 15 %, matching 10 %, the checks of each payout 25 %, the rest 5 %
    progress(0.0)
    payouts, infos, problems, rows_read, overlap, span = read_payouts(
        paths, readers=reader_registry,
        tz=tz, since=since, until=until, ignore_biz_types=settings.ignore_biz_types, bad_files=bad_files)
    progress(0.45)
    n_pay = max(1, len(payouts))
    # facts every check reads, computed once per payout: the parsed note (R-FIN-2), the registered
    # agent it names and whether that agent was on duty (R-ROS-9; None = no roster that day)
    agents = {a["name"]: a for a in agents_store.list_agents(store, include_retired=True)}
    duty = DutyReader(store)
    grace = settings.duty_grace_minutes
    note_cache: dict[str, Any] = {}
    judged: dict[tuple[str, str], tuple] = {}     # (note, day) -> (agent record, that day's duty to judge or None)
    for i, p in enumerate(payouts):
        if i % 5000 == 4999:
            progress(0.45 + 0.15 * i / n_pay)
        note = p.note
        np_ = note_cache.get(note)
        if np_ is None:
            np_ = note_cache[note] = parse_note(note)
        p.note_parse = np_
        j = judged.get((note, p.day))
        if j is None:
            rec = day_duty = None
            if np_.agent and np_.well_formed:
                rec = agents.get(np_.agent)
                if rec is not None and (rec["active"] or (rec["left_on"] or "") >= p.day):
                    day_duty = duty.day(p.day)
                    # the rota is for agents (R-ROS); a specialist or supervisor off the rota is not judged
                    if not (day_duty.known and (np_.agent in day_duty.rostered or rec["role"] == "agent")):
                        day_duty = None
            j = judged[(note, p.day)] = (rec, day_duty)
        p.agent_rec, day_duty = j
        if day_duty is not None:
            p.on_duty = day_duty.is_on(np_.agent, p.minute, grace)
    # the period: as given, else the time span of the statements' rows
    if since is None:
        since = span[0] - span[0] % 60 if span else now
    if until is None:
        until = span[1] + 1 if span else now
    progress(0.60)
    window = settings.match_window_minutes * 60
    entries = Entry.from_rows(ledger_store.audit_entries(store, since - window, until + window))  # streamed
    match(payouts, entries, window)
    # payouts whose ledger entry (same transaction id or order) lies outside the period's window
    loose = [p for p in payouts if p.entry is None]
    if loose:
        known = {e.id for e in entries}
        extra = Entry.from_rows(ledger_store.entries_by_keys(store, [k for p in loose for k in (p.txn_id, p.biz_id)],
                                                   [p.order_no for p in loose]))
        extra = [e for e in extra if e.id not in known]
        if extra:
            match(loose, extra, 0)
            entries += extra
    mark_duplicates(payouts, settings.duplicate_days)
    ctx = AuditContext(store=store, tz=tz, now=now, settings=settings, period_from=since, period_to=until,
                       payouts=payouts, entries=entries, agents=agents, duty=duty, statements=infos,
                       problems=problems, channels={channel_of(i.layout) for i in infos})
    # the paid amount of orders that got a refund (R-FIN-3: a refund above what the buyer paid)
    reason_of = ctx.reason_of
    ctx.orders_paid = ledger_store.orders_paid(store, {p.order_no for p in payouts if p.order_no and (
        p.entry.reason if p.entry is not None else reason_of(p)) == "refund"})
    unmatched_orders = {p.order_no for p in payouts if p.entry is None and p.order_no}
    ctx.cases_by_order = ledger_store.cases_by_order(store, unmatched_orders | {"T200P" + o for o in unmatched_orders})
    findings: list[Finding] = []
    all_checks = check_list
    per_payout = [c for c in all_checks if c.scope == "payout"]
    progress(0.70)
    if per_payout:
        for i, p in enumerate(payouts):
            if i % 5000 == 4999:
                progress(0.70 + 0.25 * i / n_pay)
            for c in per_payout:
                got = c.fn(ctx, p)
                if got:
                    findings.extend(got)
    progress(0.95)
    for c in all_checks:
        if c.scope == "payouts":
            got = c.fn(ctx, payouts)
        elif c.scope == "run":
            got = c.fn(ctx)
        else:
            continue
        if got:
            findings.extend(got)
    sev = settings.severity
    if sev:
        for f in findings:
            f.severity = sev.get(f.rule, f.severity)
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (f.file is None, f.file or "", f.line or 0, order.get(f.severity, 3), f.rule,
                                 f.ledger_id or 0))
    return AuditResult(findings=findings, statements=infos, period_from=since, period_to=until, rows_read=rows_read,
                       rows_bad=len(problems), payouts=len(payouts), paid_fen=sum(p.amount_fen for p in payouts),
                       overlap=overlap)


def record(store, result: AuditResult, *, at: int, by: str | None, exit_code: int) -> int:
    """Store the run and its findings (audit_runs/audit_findings) for the daily view."""
    from asx.store import ledger as ledger_store

    with store.tx():
        run_id = ledger_store.add_run(store, at=at, by=by, files=[i.path for i in result.statements],
                            period_from=result.period_from, period_to=result.period_to, rows_read=result.rows_read,
                            rows_bad=result.rows_bad, payouts=result.payouts, paid_fen=result.paid_fen,
                            errors=result.errors, warnings=result.warnings, exit_code=exit_code)
        ledger_store.add_findings(store, run_id, (f.as_row() for f in result.findings))
    return run_id


def findings_since(store, since: int, *, new_only: bool = True) -> list[dict]:
    """Findings of the audit runs since ``since`` (e.g. yesterday 00:00), one per fingerprint — for the
    daily view's "findings since yesterday"; ``new_only`` leaves out what an earlier run found already."""
    from asx.store import ledger as ledger_store

    out: dict[str, dict] = {}
    for f in ledger_store.findings_since(store, since, new_only=new_only):
        out[f["fingerprint"] or str(f["id"])] = f
    return list(out.values())


#: files in the inbox the nightly refund audit reads
STATEMENT_SUFFIXES = (".csv", ".txt", ".xls", ".xlsx")


def nightly_refund_audit(ctx) -> str:
    """``asx nightly`` job ``refund-audit``: audit every statement in the inbox, store the run (so the
    daily view shows new findings) and write ``refund-audit.csv`` (masked) with a summary side-car.
    Findings are the job's output, not its failure: the job fails only if a statement cannot be read."""
    from asx.core.job import JobSkipped, inbox
    from asx.core.timeutil import to_epoch
    from asx.io.masking import mask_text
    from asx.io.output import Column

    app = ctx.app
    box = inbox(app)
    files = sorted(p for p in box.glob("*") if p.is_file() and p.suffix.lower() in STATEMENT_SUFFIXES) \
        if box.is_dir() else []
    if not files:
        raise JobSkipped(f"no statements in {box.name}/")
    now = to_epoch(app.now())
    # each statement on its own (issue 21): a bad or empty one is reported and left out, the good ones
    # are still audited together (a row in two statements counts once), and the job ends with problems
    bad: list[tuple[str, str]] = []
    result = run(app.store, files, tz=app.tz, now=now, settings=Settings.from_config(app.config),
                 reader_registry=readers(app.plugins, app.config), plugins=app.plugins, bad_files=bad)
    bad = [(path, reason.replace(f"{path}: ", "").replace(str(path), Path(path).name)) for path, reason in bad]
    for path, reason in bad:
        # the reason may quote a cell of the statement (a buyer's name or phone): masked (R-SEC-1, R-SEC-3)
        ctx.problem(mask_text(f"{Path(path).name}: {reason}"))
    good = [p for p in files if str(p) not in {b for b, _ in bad}]
    if not good:
        return f"0 of {len(files)} statement(s) could be read"
    run_id = record(app.store, result, at=now, by="nightly", exit_code=1 if (result.errors or bad) else 0)
    cols = [Column(k) for k in ("rule", "severity", "file", "line", "txn_id", "amount_fen", "order_no", "agent",
                                "ledger_id", "message", "action", "fingerprint")]
    ctx.write_rows("refund-audit.csv", (f.as_row() for f in result.findings), cols,
                   meta={"kind": "refund_audit", "files": [p.name for p in good],
                         "unreadable": [{"file": mask_text(Path(b).name), "reason": mask_text(r)} for b, r in bad],
                         "rows_read": result.rows_read, "payouts": result.payouts, "paid_fen": result.paid_fen,
                         "errors": result.errors, "warnings": result.warnings, "by_rule": result.by_rule(),
                         "period": [app.iso(result.period_from), app.iso(result.period_to)]})
    unreadable = f", {len(bad)} unreadable" if bad else ""
    return (f"{len(good)} statement(s){unreadable}, {result.payouts} payouts, {result.errors} errors, "
            f"{result.warnings} warnings")
