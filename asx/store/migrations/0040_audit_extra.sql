-- Ledger/audit additions (R-FIN-1..4): a stable fingerprint per finding so the daily view can tell
-- new findings from old ones, the agent and order a finding is about, and statement-level counts.

ALTER TABLE audit_findings ADD COLUMN fingerprint TEXT;
ALTER TABLE audit_findings ADD COLUMN order_no TEXT;
ALTER TABLE audit_findings ADD COLUMN agent TEXT;
CREATE INDEX audit_findings_fp ON audit_findings (fingerprint);

ALTER TABLE audit_runs ADD COLUMN rows_bad INTEGER;
ALTER TABLE audit_runs ADD COLUMN exit_code INTEGER;
CREATE INDEX audit_runs_at ON audit_runs (at);

-- finance sign-off listing: entries not signed yet, by time
CREATE INDEX ledger_case ON ledger (case_id) WHERE case_id IS NOT NULL;
CREATE INDEX ledger_review ON ledger (review_id) WHERE review_id IS NOT NULL;

-- audit runs and their findings are a record for finance: append-only
CREATE TRIGGER audit_findings_no_update BEFORE UPDATE ON audit_findings
BEGIN SELECT RAISE(ABORT, 'audit findings are a record: they cannot be changed'); END;
CREATE TRIGGER audit_findings_no_delete BEFORE DELETE ON audit_findings
BEGIN SELECT RAISE(ABORT, 'audit findings are a record: they cannot be deleted'); END;
