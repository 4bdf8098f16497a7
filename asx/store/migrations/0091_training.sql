-- Training records 培训 (seed 000 培训与发展, 003 六, 004 四(一); issue 16 item 11): course, date and
-- result per person, entered by a supervisor. Append-only: a correction is a new record.

CREATE TABLE agent_training (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL REFERENCES agents(name),
    course TEXT NOT NULL,
    held_on TEXT NOT NULL,                    -- YYYY-MM-DD
    result TEXT NOT NULL CHECK (result IN ('pass', 'fail', 'attended')),
    score REAL,
    note TEXT,
    recorded_at INTEGER NOT NULL,
    recorded_by TEXT
);
CREATE INDEX agent_training_agent ON agent_training (agent, held_on);

CREATE TRIGGER agent_training_no_update BEFORE UPDATE ON agent_training
BEGIN SELECT RAISE(ABORT, 'training records are append-only: record a correction instead'); END;
CREATE TRIGGER agent_training_no_delete BEFORE DELETE ON agent_training
BEGIN SELECT RAISE(ABORT, 'training records are append-only: they cannot be deleted'); END;
