-- Issue 16 (R-KPI-4, seed 000 惩罚): warnings, fines and dismissal reviews a supervisor confirmed.
-- Append-only: a record is never changed or deleted; a correction is a new record (kind 'revoked'
-- pointing at the record it revokes, ``revokes``).
CREATE TABLE discipline (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    kind TEXT NOT NULL,                      -- warning | fine | dismissal_review | revoked
    month TEXT NOT NULL,                     -- YYYY-MM the record belongs to
    amount_fen INTEGER,                      -- a fine's amount
    case_id INTEGER,                         -- the complaint it answers, if any
    revokes INTEGER,                         -- the record a 'revoked' row cancels
    note TEXT,
    at INTEGER NOT NULL,
    by TEXT NOT NULL
);
CREATE INDEX discipline_agent ON discipline (agent, month);
CREATE TRIGGER discipline_no_update BEFORE UPDATE ON discipline
BEGIN SELECT RAISE(ABORT, 'history is append-only: discipline cannot be changed'); END;
CREATE TRIGGER discipline_no_delete BEFORE DELETE ON discipline
BEGIN SELECT RAISE(ABORT, 'history is append-only: discipline cannot be deleted'); END;
