-- Issue 7: KPI export of a long period (a year of 1M cases) without sorting the cohort by agent.
-- cases_kpi_agent covers every column the case-cohort figures read, in agent order, so
-- `GROUP BY c.agent` streams the groups from the index (no temp B-tree over ~1M rows);
-- case_sla_kpi covers the SLA attainment columns per case, so the agent-ordered scan probes
-- it without touching the case_sla table (asx/store/kpi.py: case_cohort, sla_by_target).
CREATE INDEX IF NOT EXISTS cases_kpi_agent ON cases (
    agent, opened_at, merged_into, resolved_at, reopen_count, response_count, csat, category, party,
    first_response_at, first_response_service_min, resolution_service_min, paused_seconds);
CREATE INDEX IF NOT EXISTS case_sla_kpi ON case_sla (case_id, target, state, due_at);
-- SLA targets counted by target (plugin KPIs such as asx-onsite's dispatch / on-site on-time rate):
-- start from the few rows of that target instead of probing every case of the period.
CREATE INDEX IF NOT EXISTS case_sla_target ON case_sla (target, state, case_id);
