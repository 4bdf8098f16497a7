-- asx desk (issue 20): every transaction that writes a table a work screen shows notifies the
-- channel asx_change (asx/store/changes.py LISTENs). Statement-level triggers: one notification
-- per statement at most, and PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION asx_notify_change() RETURNS trigger LANGUAGE plpgsql AS '
BEGIN
    PERFORM pg_notify(''asx_change'', TG_TABLE_NAME);
    RETURN NULL;
END';

CREATE TRIGGER cases_notify AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION asx_notify_change();
CREATE TRIGGER case_events_notify AFTER INSERT OR UPDATE OR DELETE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION asx_notify_change();
CREATE TRIGGER case_checks_notify AFTER INSERT OR UPDATE OR DELETE ON case_checks
    FOR EACH STATEMENT EXECUTE FUNCTION asx_notify_change();
CREATE TRIGGER case_sla_notify AFTER INSERT OR UPDATE OR DELETE ON case_sla
    FOR EACH STATEMENT EXECUTE FUNCTION asx_notify_change();
CREATE TRIGGER reviews_notify AFTER INSERT OR UPDATE OR DELETE ON reviews
    FOR EACH STATEMENT EXECUTE FUNCTION asx_notify_change();
CREATE TRIGGER review_events_notify AFTER INSERT OR UPDATE OR DELETE ON review_events
    FOR EACH STATEMENT EXECUTE FUNCTION asx_notify_change();
CREATE TRIGGER ledger_notify AFTER INSERT OR UPDATE OR DELETE ON ledger
    FOR EACH STATEMENT EXECUTE FUNCTION asx_notify_change();
CREATE TRIGGER ledger_signoffs_notify AFTER INSERT OR UPDATE OR DELETE ON ledger_signoffs
    FOR EACH STATEMENT EXECUTE FUNCTION asx_notify_change();
CREATE TRIGGER handover_notes_notify AFTER INSERT OR UPDATE OR DELETE ON handover_notes
    FOR EACH STATEMENT EXECUTE FUNCTION asx_notify_change();
CREATE TRIGGER roster_days_notify AFTER INSERT OR UPDATE OR DELETE ON roster_days
    FOR EACH STATEMENT EXECUTE FUNCTION asx_notify_change();
