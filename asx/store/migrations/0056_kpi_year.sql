-- Issue 7: the KPI export of a year (1M cases) in one pass over one index, without case_sla.
-- sla_outcome / sla_due_last: the case's SLA targets that are met or breached and have a due
-- time ("<target>:m" / "<target>:b" joined by spaces, '' when none) and the latest of their due
-- times, written with the case's case_sla rows by the code that writes them (asx/store/cases.py:
-- replace_sla, the case import, sla_summary); NULL sla_outcome = not known yet (cases written
-- before this migration): the export then reads those cases' case_sla rows, and
-- `asx db migrate` fills the columns (fill_sla_summaries).
ALTER TABLE cases ADD COLUMN sla_outcome TEXT;
ALTER TABLE cases ADD COLUMN sla_due_last INTEGER;
-- Every column the case-cohort figures read, in agent order: a long period grouped by agent
-- streams its groups from this index (no sort of the cohort, no visit of the wide case rows).
-- asx/store/kpi.py: case_cohort.
CREATE INDEX IF NOT EXISTS cases_kpi_agent ON cases (
    agent, opened_at, merged_into, resolved_at, reopen_count, response_count, csat, category, party,
    first_response_at, first_response_service_min, resolution_service_min, paused_seconds,
    sla_due_last, sla_outcome);
