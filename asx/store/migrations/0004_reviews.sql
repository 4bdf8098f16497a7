-- Neutral/negative review tracking (R-REV-1..7). buyer and phone are PII (R-SEC-1).

CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL DEFAULT 'tmall',
    tid TEXT NOT NULL,                       -- platform order id
    oid TEXT NOT NULL DEFAULT '',            -- sub-order id
    created_at INTEGER NOT NULL,             -- review time; key = (tid, oid, created_at)
    buyer TEXT,                              -- buyer 旺旺 nick: PII
    phone TEXT,                              -- PII
    item TEXT,
    item_id TEXT,
    content TEXT,
    result TEXT NOT NULL CHECK (result IN ('neutral', 'negative')),
    severity INTEGER NOT NULL DEFAULT 1 CHECK (severity BETWEEN 1 AND 3),
    progress TEXT NOT NULL DEFAULT 'open',   -- open | promised | awaiting_compensation | revised | refused (R-REV-3)
    promised_until INTEGER,                  -- R-REV-6
    owner TEXT,
    case_id INTEGER REFERENCES cases(id),
    last_contact_at INTEGER,
    last_contact_via TEXT,                   -- wangwang | sms | phone (R-REV-2)
    contact_count INTEGER NOT NULL DEFAULT 0,
    resolved_at INTEGER,
    purged_at INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL,
    UNIQUE (tid, oid, created_at)
);
CREATE INDEX reviews_queue ON reviews (progress, severity, created_at);
CREATE INDEX reviews_owner ON reviews (owner, progress);

CREATE TABLE review_events (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES reviews(id),
    at INTEGER NOT NULL,
    by TEXT,
    action TEXT NOT NULL,                    -- add, contact, promise, resolve, compensate, assign, import …
    via TEXT,
    result TEXT,
    note TEXT,
    data TEXT
);
CREATE INDEX review_events_review ON review_events (review_id, at);

CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
BEGIN SELECT RAISE(ABORT, 'history is append-only: review_events cannot be changed'); END;
CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
BEGIN SELECT RAISE(ABORT, 'history is append-only: review_events cannot be deleted'); END;
