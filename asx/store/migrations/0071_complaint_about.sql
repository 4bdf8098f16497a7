-- Issue 16 (R-SLA-2, R-KPI-4): whether a case is a complaint, said explicitly (1 / 0; NULL = as its
-- category and severity say, sla.complaint_categories), and whom a complaint is about (the agent
-- who served the buyer; NULL = not settled yet, listed for the supervisor).
ALTER TABLE cases ADD COLUMN complaint INTEGER;
ALTER TABLE cases ADD COLUMN about TEXT;
