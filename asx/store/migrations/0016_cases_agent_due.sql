-- Performance (issue 3): an agent's due queue (`asx case due`, `case list --mine --overdue`) in due
-- order straight from an index, however few of the open cases are theirs.
CREATE INDEX IF NOT EXISTS cases_agent_due ON cases (agent, next_due_at) WHERE next_due_at IS NOT NULL;
