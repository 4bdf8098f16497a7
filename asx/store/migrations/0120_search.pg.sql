-- PostgreSQL twin of 0120_search.sql (issue 18 item 11): substring search is ILIKE over the stored
-- text; with the pg_trgm extension (when the server has it and the role may create it) GIN trigram
-- indexes serve it. Without pg_trgm the search still works, by scanning (`asx case search` says so).
DO '
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE ''pg_trgm is not available: search scans'';
END';

DO '
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = ''pg_trgm'') THEN
        CREATE INDEX cases_summary_trgm ON cases USING gin (summary gin_trgm_ops);
        CREATE INDEX case_events_note_trgm ON case_events USING gin (note gin_trgm_ops);
        CREATE INDEX reviews_text_trgm ON reviews USING gin ((coalesce(content, '''') || '' '' || coalesce(reply, '''') || '' '' || coalesce(item, '''')) gin_trgm_ops);
    END IF;
END';
