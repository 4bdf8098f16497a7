-- PostgreSQL twin of 0015_case_durations.sql (issue 10): the same columns, kept in step with
-- case_sla.service_minutes of the first_response and resolution targets by one trigger function.
ALTER TABLE cases ADD COLUMN first_response_service_min BIGINT;
ALTER TABLE cases ADD COLUMN resolution_service_min BIGINT;

UPDATE cases SET
    first_response_service_min = (SELECT s.service_minutes FROM case_sla s
                                  WHERE s.case_id = cases.id AND s.target = 'first_response'),
    resolution_service_min = (SELECT s.service_minutes FROM case_sla s
                              WHERE s.case_id = cases.id AND s.target = 'resolution')
WHERE id IN (SELECT case_id FROM case_sla WHERE target IN ('first_response', 'resolution')
             AND service_minutes IS NOT NULL);

CREATE FUNCTION asx_case_sla_mirror() RETURNS trigger LANGUAGE plpgsql AS '
BEGIN
    IF TG_OP IN (''UPDATE'', ''DELETE'') THEN
        IF OLD.target = ''first_response'' THEN
            UPDATE cases SET first_response_service_min = NULL WHERE id = OLD.case_id;
        ELSIF OLD.target = ''resolution'' THEN
            UPDATE cases SET resolution_service_min = NULL WHERE id = OLD.case_id;
        END IF;
    END IF;
    IF TG_OP IN (''INSERT'', ''UPDATE'') AND NEW.service_minutes IS NOT NULL THEN
        IF NEW.target = ''first_response'' THEN
            UPDATE cases SET first_response_service_min = NEW.service_minutes WHERE id = NEW.case_id;
        ELSIF NEW.target = ''resolution'' THEN
            UPDATE cases SET resolution_service_min = NEW.service_minutes WHERE id = NEW.case_id;
        END IF;
    END IF;
    RETURN NULL;
END';

CREATE TRIGGER case_sla_mirror AFTER INSERT OR UPDATE OR DELETE ON case_sla
FOR EACH ROW EXECUTE FUNCTION asx_case_sla_mirror();
