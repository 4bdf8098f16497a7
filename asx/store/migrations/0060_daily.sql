-- The daily view (issue 11): `asx today` reads this month's service complaints (R-KPI-4) through an
-- index instead of every case opened in the month.
CREATE INDEX IF NOT EXISTS cases_complaints ON cases (category, party, opened_at);
