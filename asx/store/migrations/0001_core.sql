-- Core: people (R-PPL), access log of reveals and unmasked exports (R-SEC-1/2), import bookkeeping.
-- Times are integer epoch seconds (UTC); dates are ISO 'YYYY-MM-DD' text in the store's timezone.

CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,              -- registered name, used in refund notes (R-FIN-2), e.g. 萌萌
    display_name TEXT,
    role TEXT NOT NULL CHECK (role IN ('agent', 'specialist', 'supervisor', 'order_clerk', 'manager')),
    store TEXT,
    wangwang TEXT,                           -- 旺旺 sub-account
    joined_on TEXT,
    left_on TEXT,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at INTEGER NOT NULL
);

-- Append-only history of every change to an agent: role changes with their date (R-PPL-3), retirements.
CREATE TABLE agent_events (
    id INTEGER PRIMARY KEY,
    agent_id INTEGER NOT NULL REFERENCES agents(id),
    at INTEGER NOT NULL,
    by TEXT,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT,
    effective_on TEXT,
    note TEXT
);
CREATE INDEX agent_events_agent ON agent_events (agent_id, at);

CREATE TRIGGER agent_events_no_update BEFORE UPDATE ON agent_events
BEGIN SELECT RAISE(ABORT, 'history is append-only: agent_events cannot be changed'); END;
CREATE TRIGGER agent_events_no_delete BEFORE DELETE ON agent_events
BEGIN SELECT RAISE(ABORT, 'history is append-only: agent_events cannot be deleted'); END;

-- Every reveal of personal data and every unmasked export (R-SEC-1, R-SEC-2).
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    by TEXT NOT NULL,
    action TEXT NOT NULL,                    -- reveal | export_unmasked | purge
    subject TEXT,                            -- e.g. case:42
    detail TEXT
);
CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'history is append-only: access_log cannot be changed'); END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'history is append-only: access_log cannot be deleted'); END;

-- One row per import run of any kind (cases, reviews, statements, daily logs …).
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    source TEXT,
    sha256 TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    rows_read INTEGER,
    rows_added INTEGER,
    rows_skipped INTEGER,
    rows_bad INTEGER,
    status TEXT NOT NULL DEFAULT 'running',
    by TEXT
);
CREATE INDEX imports_kind ON imports (kind, sha256);

-- Small key/value state (e.g. the last nightly run).
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
