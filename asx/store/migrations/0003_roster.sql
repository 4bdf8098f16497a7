-- Shift roster (R-ROS): plans produced by an engine, the day-by-day assignment, leave, and an
-- append-only change log. Segments are copied onto each day so that "who was on duty at 21:40
-- on the 3rd" (R-ROS-9) still answers right after the shift definitions change.

CREATE TABLE roster_plans (
    id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    by TEXT,
    engine TEXT NOT NULL,
    start_day TEXT NOT NULL,                 -- first day (a Monday)
    days INTEGER NOT NULL,
    cycle_weeks INTEGER,
    seed INTEGER,
    time_limit REAL,
    status TEXT NOT NULL,                    -- optimal | feasible | infeasible | unknown | manual | repair
    objective REAL,
    bound REAL,
    params TEXT                              -- JSON: rules and inputs used
);

CREATE TABLE roster_days (
    day TEXT NOT NULL,                       -- YYYY-MM-DD (store timezone)
    agent TEXT NOT NULL,
    shift TEXT,                              -- shift type id (D, N, …); NULL when not working
    mark TEXT NOT NULL DEFAULT 'work' CHECK (mark IN ('work', 'rest', 'leave', 'holiday')),
    segments TEXT,                           -- e.g. "10:00-14:00,17:30-23:00"; NULL when not working
    published INTEGER NOT NULL DEFAULT 0,    -- published days are pinned (R-ROS-5)
    plan_id INTEGER REFERENCES roster_plans(id),
    source TEXT NOT NULL DEFAULT 'engine',   -- engine | repair | manual | import
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (day, agent)
);
CREATE INDEX roster_days_agent ON roster_days (agent, day);

CREATE TABLE roster_leave (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    from_day TEXT NOT NULL,
    to_day TEXT NOT NULL,
    reason TEXT,
    at INTEGER NOT NULL,
    by TEXT,
    cancelled_at INTEGER
);
CREATE INDEX roster_leave_agent ON roster_leave (agent, from_day);

-- Every change to a day's assignment after it was first laid down (R-ROS-7 covers, overrides).
CREATE TABLE roster_changes (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    by TEXT,
    day TEXT NOT NULL,
    agent TEXT NOT NULL,
    old_shift TEXT,
    old_mark TEXT,
    new_shift TEXT,
    new_mark TEXT,
    reason TEXT,
    kind TEXT NOT NULL                       -- leave | repair | swap | set | publish | regenerate
);
CREATE INDEX roster_changes_day ON roster_changes (day);
CREATE TRIGGER roster_changes_no_update BEFORE UPDATE ON roster_changes
BEGIN SELECT RAISE(ABORT, 'history is append-only: roster_changes cannot be changed'); END;
CREATE TRIGGER roster_changes_no_delete BEFORE DELETE ON roster_changes
BEGIN SELECT RAISE(ABORT, 'history is append-only: roster_changes cannot be deleted'); END;
