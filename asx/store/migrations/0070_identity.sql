-- Who acts is known, not claimed (R-SEC-5, issue 17): an agent's PostgreSQL login role.
-- On SQLite the column stays empty (a single-machine workspace trusts whoever can open asx.db);
-- the PostgreSQL twin also creates the group roles, the masking functions and the reveal function.
ALTER TABLE agents ADD COLUMN login TEXT;
CREATE UNIQUE INDEX agents_login ON agents (login);

-- Settings that guard privacy (privacy.*: who may reveal, retention) live in the database, not in a
-- local file or variable (issue 17 §3); written by a supervisor only (`asx config set`).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,                     -- JSON
    set_at INTEGER NOT NULL,
    set_by TEXT
);
