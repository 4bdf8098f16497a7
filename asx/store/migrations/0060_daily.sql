-- The daily view (issue 11): `asx today` reads this month's service complaints (R-KPI-4) through an
-- index instead of every case opened in the month.
CREATE INDEX IF NOT EXISTS cases_complaints ON cases (category, party, opened_at);
-- The forecast's handling rate counts the cases each agent handled over the last 14 days: a
-- covering index answers it without reading the history rows.
CREATE INDEX IF NOT EXISTS case_events_handled ON case_events (at, action, by, case_id);
-- Due times counted per agent (asx today, the forecast): a covering index, no table reads.
CREATE INDEX IF NOT EXISTS cases_status_due_agent ON cases (status, next_due_at, agent);
