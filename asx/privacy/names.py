"""The nightly job ``mask-names`` (issue 21, R-SEC-1): person names in free texts.

Interactive writes and bulk imports mask a text's known fields and the patterns (phones, cards, ID
numbers, addresses) at once; person names need jieba's segmenter, whose dictionary takes about a
second to load and whose tagging costs about 1 ms a note (``benchmarks/masking.py``), so they are
masked here, once a night, in the summaries, review texts and handover notes written since the last
run (a cursor per table in ``meta``; at most :data:`MAX_ROWS` a table a night, so a first run on a
large old database spreads over several nights). The text as written stays in ``<field>_raw`` for a
reveal; the registered agents' names are not buyer data and stay. History notes (``case_events``)
are append-only and keep their write-time masking (the case's buyer and contact, the patterns).
"""

from __future__ import annotations

#: texts read per table per night
MAX_ROWS = 20_000


def nightly_mask_names(ctx) -> str:
    """``asx nightly`` job ``mask-names``: person names in the texts written since the last run."""
    from asx.core.errors import UserError
    from asx.io.freetext import mask_free_text
    from asx.store import agents as agents_store
    from asx.store import freetext as text_store

    store = ctx.app.store
    if store.app_login:
        # a person's own login reads the texts masked and may not rewrite them (R-SEC-5); failing loudly
        # (exit 1) keeps a cron job run at the wrong login from leaving names unmasked in silence
        raise UserError("masking names in the stored texts needs the owner's connection: run the nightly job "
                        "as the owner (docs/postgres.md)")
    staff = [a["name"] for a in agents_store.list_agents(store, include_retired=True)]
    upto = []
    with store.tx():
        for table in text_store.TARGETS:
            last = text_store.cursor(store, table)
            rows = text_store.texts_after(store, table, last, MAX_ROWS)
            for r in rows:
                raw = r["raw"] if r["raw"] is not None else r["text"]
                if raw:
                    known = {k: r[k] for k in ("buyer", "contact", "phone") if r.get(k)}
                    masked = mask_free_text(raw, known, names=True, staff=staff)
                    if masked != r["text"]:
                        text_store.set_text(store, table, r["id"], masked, raw if masked != raw else None)
                last = r["id"]
            if rows:
                text_store.set_cursor(store, table, last)
            upto.append(f"{table} #{last}")
    # the same line when nothing new was written (a second run the same night changes nothing)
    return "names masked in texts up to " + ", ".join(upto)
