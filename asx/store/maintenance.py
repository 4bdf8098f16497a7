"""SQL of ``asx db check`` and friends."""

from __future__ import annotations


def check(store) -> tuple[list[str], list[str]]:
    """(problems, info lines) of an integrity + foreign key + schema check."""
    from asx.store import migrate

    problems: list[str] = []
    info: list[str] = []
    problems += store.integrity_problems()
    pend = migrate.pending(store)
    if pend:
        problems.append("pending migrations: " + ", ".join(f"{m.component}#{m.number:04d} {m.name}" for m in pend))
    if not pend:
        from asx.store.cases import sla_summary_mismatches

        bad = sla_summary_mismatches(store)
        if bad:  # the stored SLA summary of migration 0056 must agree with case_sla (issue 7)
            problems.append("stored SLA summary (cases.sla_outcome) differs from case_sla for case(s) "
                            + ", ".join(map(str, bad)))
    info.append(f"database: {store.path}")
    info.append(f"schema version: {store.schema_version()} "
                f"({store.scalar('SELECT count(*) FROM schema_migrations')} migrations applied)")
    info.append(f"journal mode: {store.journal_mode}")
    # `db check` writes nothing (issue 21): a killed import's 'running' row is only reported here;
    # `asx db migrate` (or the next import) marks it 'interrupted'
    running = store.scalar("SELECT count(*) FROM imports WHERE status = 'running'") if store.has_table("imports") else 0
    if running:
        info.append(f"imports: {running} left 'running' (an import may be running, or was killed: nothing of a "
                    "killed one was written); `asx db migrate` marks killed ones 'interrupted'")
    return problems, info


def mark_interrupted(store) -> int | None:
    """For ``asx db migrate``: mark imports a killed process left 'running' as 'interrupted' (None when
    the write lock is taken: an import may be running, nothing marked)."""
    from asx.store.cases import mark_interrupted_imports

    return mark_interrupted_imports(store)


def purge_cases(store, before: int, pseudonym) -> int:
    """R-SEC-4 for cases (closed before ``before``), their events, reviews and orders."""
    from asx.io.masking import mask_text

    ids = [r["id"] for r in store.q(
        "SELECT id FROM cases WHERE closed_at IS NOT NULL AND closed_at < ? AND purged_at IS NULL", (before,))]
    if not ids:
        return 0
    from asx.core.timeutil import epoch_now

    now = epoch_now()
    n = 0
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        marks = ",".join("?" * len(chunk))
        rows = list(store.q(f"SELECT id, buyer, order_no, summary FROM cases WHERE id IN ({marks})", chunk))
        for r in rows:
            key = pseudonym(r["buyer"])
            # the summary as written (summary_raw, issue 21) goes: only the masked text stays
            store.execute("UPDATE cases SET buyer = ?, buyer_key = ?, buyer_contact = NULL, summary = ?, "
                          "summary_raw = NULL, purged_at = ? WHERE id = ?", (key, key, mask_text(r["summary"]), now,
                                                                              r["id"]))
            n += 1
            if r["order_no"]:
                store.execute("UPDATE orders SET buyer = ? WHERE order_no = ? AND buyer IS NOT NULL",
                              (pseudonym(r["buyer"]) if r["buyer"] else None, r["order_no"]))
        for ev in list(store.q(f"SELECT id, note, note_raw FROM case_events WHERE case_id IN ({marks}) "
                               "AND (note IS NOT NULL OR note_raw IS NOT NULL)", chunk)):
            masked = mask_text(ev["note"])
            if masked != ev["note"] or ev["note_raw"] is not None:
                store.execute("UPDATE case_events SET note = ?, note_raw = NULL WHERE id = ?", (masked, ev["id"]))
        for rv in list(store.q(f"SELECT id, buyer FROM reviews WHERE case_id IN ({marks}) AND purged_at IS NULL",
                               chunk)):
            store.execute("UPDATE reviews SET buyer = ?, phone = NULL, content_raw = NULL, purged_at = ? WHERE id = ?",
                          (pseudonym(rv["buyer"]), now, rv["id"]))
    return n


def purge_reviews(store, before: int, pseudonym) -> int:
    """Reviews resolved before ``before`` that belong to no case."""
    from asx.core.timeutil import epoch_now

    now = epoch_now()
    rows = list(store.q("SELECT id, buyer FROM reviews WHERE resolved_at IS NOT NULL AND resolved_at < ? "
                        "AND purged_at IS NULL", (before,)))
    for r in rows:
        store.execute("UPDATE reviews SET buyer = ?, phone = NULL, content_raw = NULL, purged_at = ? WHERE id = ?",
                      (pseudonym(r["buyer"]), now, r["id"]))
    return len(rows)


def purge_daily_records(store, before: int, pseudonym, *, tz=None) -> int:
    """R-SEC-4 for daily records of days before ``before``: the buyers' 旺旺 ids in ``served_ids`` and
    ``ordered_ids`` become pseudonymous keys (the counts, and so every KPI, stay the same; issue 21).
    A record's day is a store-timezone date, so the cut-off is compared as one (``tz``, the store's
    time zone; UTC only when none is given)."""
    import json
    from datetime import UTC, datetime

    if not store.has_table("daily_records"):
        return 0
    day = datetime.fromtimestamp(before, tz or UTC).date().isoformat()
    n = 0
    for r in list(store.q("SELECT id, served_ids, ordered_ids FROM daily_records WHERE day < ? AND "
                          "(served_ids LIKE '%\"%' OR ordered_ids LIKE '%\"%')", (day,))):
        new = {}
        for col in ("served_ids", "ordered_ids"):
            try:
                ids = json.loads(r[col]) if r[col] else []
            except ValueError:
                ids = []
            if ids and any(not str(i).startswith("anon-") for i in ids):
                new[col] = json.dumps([pseudonym(str(i)) for i in ids], ensure_ascii=False)
        if new:
            store.execute(f"UPDATE daily_records SET {', '.join(f'{k} = ?' for k in new)} WHERE id = ?",
                          (*new.values(), r["id"]))
            n += 1
    return n
