-- Roster additions (R-ROS-5/7): a record of every publication, and which command made a change.
-- Publishing pins days (roster_days.published = 1); the publication itself is history.

CREATE TABLE roster_publications (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    by TEXT,
    from_day TEXT NOT NULL,
    to_day TEXT NOT NULL,
    rows INTEGER NOT NULL,                   -- roster_days rows newly pinned
    note TEXT
);
CREATE TRIGGER roster_publications_no_update BEFORE UPDATE ON roster_publications
BEGIN SELECT RAISE(ABORT, 'history is append-only: roster_publications cannot be changed'); END;
CREATE TRIGGER roster_publications_no_delete BEFORE DELETE ON roster_publications
BEGIN SELECT RAISE(ABORT, 'history is append-only: roster_publications cannot be deleted'); END;

-- Changes made by one command share a batch (e.g. a leave, its cover and the repaired days);
-- leave_id links them to the leave that caused them (R-ROS-7).
ALTER TABLE roster_changes ADD COLUMN batch TEXT;
ALTER TABLE roster_changes ADD COLUMN leave_id INTEGER;
ALTER TABLE roster_changes ADD COLUMN published INTEGER NOT NULL DEFAULT 0;  -- the day was published
CREATE INDEX roster_changes_batch ON roster_changes (batch);
