-- After-sales money movements (R-FIN-1), finance sign-off, known orders, audit runs (R-FIN-3).

CREATE TABLE ledger (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    direction TEXT NOT NULL DEFAULT 'out' CHECK (direction IN ('out', 'in')),
    reason TEXT NOT NULL,                    -- compensation | refund | reship_cost | coupon | …
    agent TEXT,
    case_id INTEGER REFERENCES cases(id),
    review_id INTEGER REFERENCES reviews(id),
    order_no TEXT,
    channel TEXT,                            -- alipay | wechat | bank | platform | cash | coupon
    txn_id TEXT,                             -- external transaction id
    note TEXT,                               -- the payment note <content>_<agent> (R-FIN-2)
    ext_key TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    created_by TEXT
);
CREATE INDEX ledger_at ON ledger (at);
CREATE INDEX ledger_order ON ledger (order_no);
CREATE INDEX ledger_txn ON ledger (txn_id);

CREATE TABLE ledger_signoffs (
    entry_id INTEGER PRIMARY KEY REFERENCES ledger(id),
    by TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE TRIGGER ledger_signoffs_no_update BEFORE UPDATE ON ledger_signoffs
BEGIN SELECT RAISE(ABORT, 'a sign-off cannot be changed'); END;
CREATE TRIGGER ledger_signoffs_no_delete BEFORE DELETE ON ledger_signoffs
BEGIN SELECT RAISE(ABORT, 'a sign-off cannot be deleted'); END;

-- Orders whose paid amount is known (from store plugins' order-report importers).
CREATE TABLE orders (
    order_no TEXT PRIMARY KEY,
    store TEXT,
    buyer TEXT,                              -- PII
    paid_fen INTEGER,
    status TEXT,
    created_at INTEGER,
    paid_at INTEGER,
    data TEXT
);

CREATE TABLE audit_runs (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    by TEXT,
    files TEXT,                              -- JSON list
    period_from INTEGER,
    period_to INTEGER,
    rows_read INTEGER,
    payouts INTEGER,
    paid_fen INTEGER,
    errors INTEGER,
    warnings INTEGER
);
CREATE TABLE audit_findings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES audit_runs(id),
    rule TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    file TEXT,
    line INTEGER,
    txn_id TEXT,
    ledger_id INTEGER,
    amount_fen INTEGER,
    message TEXT NOT NULL,
    action TEXT
);
CREATE INDEX audit_findings_run ON audit_findings (run_id);
