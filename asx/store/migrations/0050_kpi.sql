-- Daily records (R-KPI-1), evaluations (R-KPI-3), KPI export runs (R-KPI-2) and the indexes the
-- KPI aggregates need. Service complaints (R-KPI-4) are not a table of their own: they are the
-- cases with category 'service' and responsible party 'us', counted against the case's agent in
-- the calendar month the case was opened (see asx/kpi/complaints.py).

-- One record per agent and day, handed in by Friday 11:00 (R-KPI-1).
CREATE TABLE daily_records (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,                       -- YYYY-MM-DD (store timezone)
    agent TEXT NOT NULL,
    served INTEGER NOT NULL DEFAULT 0,       -- buyers served
    served_ids TEXT,                         -- JSON list of buyer 旺旺 ids: PII, never exported
    ordered INTEGER NOT NULL DEFAULT 0,      -- buyers who ordered
    ordered_ids TEXT,                        -- JSON list: PII
    order_fen INTEGER NOT NULL DEFAULT 0,    -- amount those buyers ordered, in fen
    note TEXT,
    submitted_at INTEGER NOT NULL,           -- when it was handed in (late records are flagged)
    by TEXT,
    source TEXT NOT NULL DEFAULT 'cli',      -- cli | import | sample
    UNIQUE (day, agent)
);
CREATE INDEX daily_records_agent ON daily_records (agent, day);

-- The order clerk's shipments and returns by category and quantity (R-KPI-1).
CREATE TABLE daily_record_items (
    record_id INTEGER NOT NULL REFERENCES daily_records(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('shipment', 'return')),
    category TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (record_id, kind, category)
);

-- Self, supervisor and customer evaluation of an agent for a scoring period (R-KPI-3).
CREATE TABLE evaluations (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    period TEXT NOT NULL,                    -- e.g. 2026-11
    self_score REAL CHECK (self_score BETWEEN 0 AND 100),
    supervisor_score REAL CHECK (supervisor_score BETWEEN 0 AND 100),
    customer_score REAL CHECK (customer_score BETWEEN 0 AND 100),
    note TEXT,
    updated_at INTEGER NOT NULL,
    by TEXT,
    UNIQUE (agent, period)
);

-- Every change to an evaluation (append-only), so a grade can be explained later.
CREATE TABLE evaluation_changes (
    id INTEGER PRIMARY KEY,
    evaluation_id INTEGER NOT NULL REFERENCES evaluations(id),
    at INTEGER NOT NULL,
    by TEXT,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT
);
CREATE TRIGGER evaluation_changes_no_update BEFORE UPDATE ON evaluation_changes
BEGIN SELECT RAISE(ABORT, 'history is append-only: evaluation_changes cannot be changed'); END;
CREATE TRIGGER evaluation_changes_no_delete BEFORE DELETE ON evaluation_changes
BEGIN SELECT RAISE(ABORT, 'history is append-only: evaluation_changes cannot be deleted'); END;

-- One row per KPI export (period, grouping, indicator versions, checksum of the figures).
CREATE TABLE kpi_runs (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    by TEXT,
    period TEXT NOT NULL,
    period_from INTEGER NOT NULL,
    period_to INTEGER NOT NULL,
    group_by TEXT NOT NULL,
    versions TEXT NOT NULL,                  -- JSON {indicator: version}
    rows INTEGER,
    sha256 TEXT,                             -- of the figures (not of the generation time)
    target TEXT                              -- file written, or '-' for stdout
);

-- Indexes of the KPI aggregates (set-based SQL over indexed columns).
CREATE INDEX IF NOT EXISTS cases_resolved ON cases (resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS reviews_created ON reviews (created_at);
CREATE INDEX IF NOT EXISTS ledger_agent_at ON ledger (agent, at);
