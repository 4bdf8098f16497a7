-- Cases (R-CASE), their append-only history (R-CASE-6) and service levels (R-SLA).
-- Personal data: buyer, buyer_contact and summary are confidential (R-SEC-1) and masked on output.

CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    store TEXT,
    channel TEXT NOT NULL,                   -- wangwang | chat | phone | email | sms | platform
    order_no TEXT,
    buyer TEXT,                              -- buyer id (旺旺 nick): PII
    buyer_contact TEXT,                      -- phone / e-mail as given: PII
    category TEXT NOT NULL,                  -- R-CASE-2 (+ plugin categories)
    severity TEXT NOT NULL DEFAULT 'normal' CHECK (severity IN ('low', 'normal', 'high', 'urgent')),
    summary TEXT,
    status TEXT NOT NULL DEFAULT 'new',      -- R-CASE-6 (+ plugin statuses)
    agent TEXT,                              -- assigned agent (registered name)
    specialist TEXT,                         -- escalated to (R-CASE-7)
    opened_at INTEGER NOT NULL,
    first_response_at INTEGER,
    solution_at INTEGER,                     -- initial solution offered (R-SLA-2)
    resolved_at INTEGER,
    feedback_at INTEGER,                     -- feedback to the buyer after resolving (R-SLA-4)
    closed_at INTEGER,
    promised_at INTEGER,                     -- R-SLA-5: the promise becomes the due time
    paused_since INTEGER,                    -- set while in a waiting_* status
    paused_seconds INTEGER NOT NULL DEFAULT 0,
    resolution TEXT,                         -- R-CASE-4
    party TEXT,                              -- R-CASE-5 responsible party
    amount_fen INTEGER,                      -- money resolution, in fen
    inspection TEXT,                         -- R-CASE-8 inspection result of returned goods
    csat INTEGER CHECK (csat BETWEEN 1 AND 5),
    reopen_count INTEGER NOT NULL DEFAULT 0,
    response_count INTEGER NOT NULL DEFAULT 0,  -- agent responses sent (one-touch KPI)
    merged_into INTEGER REFERENCES cases(id),
    review_id INTEGER,                       -- the review that opened it (R-REV)
    ext_key TEXT UNIQUE,                     -- idempotency key of imports
    next_due_at INTEGER,                     -- earliest open SLA due time: drives overdue / due queue
    next_due_target TEXT,
    buyer_key TEXT,                          -- pseudonymous key once purged (R-SEC-4)
    purged_at INTEGER,
    version INTEGER NOT NULL DEFAULT 1,      -- optimistic concurrency: bumped by every change
    updated_at INTEGER NOT NULL,
    updated_by TEXT
);
CREATE INDEX cases_status_due ON cases (status, next_due_at);
CREATE INDEX cases_agent_status ON cases (agent, status, next_due_at);
CREATE INDEX cases_opened ON cases (opened_at);
CREATE INDEX cases_order ON cases (order_no);
CREATE INDEX cases_due ON cases (next_due_at) WHERE next_due_at IS NOT NULL;

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at INTEGER NOT NULL,
    by TEXT,
    action TEXT NOT NULL,                    -- open, respond, note, check, escalate, assign, wait, resume, promise,
                                             -- resolve, close, reopen, link, merge, rate, reveal, import …
    from_status TEXT,
    to_status TEXT,
    note TEXT,
    data TEXT                                -- JSON details
);
CREATE INDEX case_events_case ON case_events (case_id, at);
CREATE INDEX case_events_at ON case_events (at);

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'history is append-only: case_events cannot be changed'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'history is append-only: case_events cannot be deleted'); END;

-- One row per case and SLA target (R-SLA-1..5): due time, met/breached, elapsed minutes.
CREATE TABLE case_sla (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    target TEXT NOT NULL,                    -- first_response | solution | resolution | feedback | plugin targets
    due_at INTEGER,
    met_at INTEGER,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'met', 'breached', 'cancelled')),
    service_minutes INTEGER,
    calendar_minutes INTEGER,
    PRIMARY KEY (case_id, target)
);
CREATE INDEX case_sla_due ON case_sla (state, due_at);

-- Category checklist steps done (R-CASE-3).
CREATE TABLE case_checks (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    step TEXT NOT NULL,
    done_at INTEGER NOT NULL,
    done_by TEXT,
    PRIMARY KEY (case_id, step)
);

CREATE TABLE case_links (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    other_id INTEGER NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL DEFAULT 'related',    -- related | duplicate
    at INTEGER NOT NULL,
    by TEXT,
    PRIMARY KEY (case_id, other_id)
);

-- Shift handover notes (R-CASE-10).
CREATE TABLE handover_notes (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    by TEXT NOT NULL,
    shift TEXT,
    for_agent TEXT,
    text TEXT NOT NULL
);
CREATE INDEX handover_at ON handover_notes (at);
