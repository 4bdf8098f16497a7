"""The customer's file (issue 16 item 7): one buyer's cases, reviews, refunds and returns across
time — what an agent looks at before answering. Masked unless revealed (R-SEC-1, recorded)."""

from __future__ import annotations

from asx.core.errors import PermissionDenied, UserError


def history(app, buyer: str, *, reveal: bool = False) -> list[dict]:
    """Every event of the file of the buyer ``buyer`` names — their buyer id (旺旺 nick) or their mobile
    number — oldest first: ``at, kind, ref, what, state, amount_fen, text`` (``text`` is buyer-written
    and confidential: the caller masks it unless ``reveal``).

    ``reveal`` (R-SEC-1): only a role that may reveal, recorded in the access log. On a person's own
    login of a team database the lookup and the reveal are the server's (R-SEC-5): the login never
    reads a raw contact to find the buyer, and the raw text comes with the access-log row."""
    from asx.io.masking import mask_contact
    from asx.store import returns as return_store

    buyer = (buyer or "").strip()
    if not buyer:
        raise UserError("which buyer? give the buyer id (旺旺 nick) or their mobile number")
    subject = f"customer:{mask_contact(buyer)}"
    if reveal:
        who = app.actor()
        if not app.reveal_allowed(who):
            raise PermissionDenied(f"{who['name']} is {who['role']}; revealing buyer data needs the supervisor "
                                   "role (or a role in privacy.reveal_roles) (R-SEC-1)")
        if not app.store.app_login:
            app.log_access("reveal", subject, "asx customer show --reveal")
    case_ids, review_ids, raw = return_store.customer_file(app.store, buyer, reveal=reveal and app.store.app_login,
                                                           subject=subject)
    rows: list[dict] = []
    for c in return_store.cases_by_ids(app.store, case_ids):
        rows.append({"at": c["opened_at"], "kind": "case", "ref": f"#{c['id']}", "what": c["category"],
                     "state": c["status"] + (f" / {c['resolution']}" if c["resolution"] else ""),
                     "amount_fen": c["amount_fen"], "order_no": c["order_no"] or "", "text": c["summary"] or "",
                     # the text as written (issue 21): from the server's reveal on a team login, else the row's
                     "text_raw": raw.get(("case", c["id"]), c.get("summary_raw"))})
    for r in return_store.reviews_by_ids(app.store, review_ids):
        rows.append({"at": r["created_at"], "kind": "review", "ref": f"R{r['id']}", "what": r["result"],
                     "state": r["progress"], "amount_fen": None, "order_no": r["tid"], "text": r["content"] or "",
                     "text_raw": raw.get(("review", r["id"]), r.get("content_raw"))})
    for m in return_store.refunds_of_cases(app.store, case_ids):
        rows.append({"at": m["at"], "kind": "refund", "ref": f"L{m['id']}", "what": m["reason"],
                     "state": m["direction"], "amount_fen": m["amount_fen"], "order_no": m["order_no"] or "",
                     "text": ""})
    for x in return_store.returns_of_cases(app.store, case_ids):
        state = x["policy_result"] + (f" ({x['policy_why']})" if x["policy_why"] else "")
        if x["received_at"]:
            state += ", received"
        if x["inspection"]:
            state += f", inspection {x['inspection']}"
        if x["closed_at"]:
            state += f", closed: {x['outcome']}"
        rows.append({"at": x["requested_at"], "kind": "return", "ref": f"#{x['case_id']}",
                     "what": x["reason"] + (f" {x['goods_category']}" if x["goods_category"] else ""),
                     "state": state, "amount_fen": None, "order_no": x["order_no"] or "",
                     "text": " ".join(p for p in (x["courier"], x["waybill"]) if p)})
    order = {"case": 0, "return": 1, "refund": 2, "review": 3}
    rows.sort(key=lambda r: (r["at"], order[r["kind"]], r["ref"]))
    return rows
