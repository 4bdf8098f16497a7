-- Performance (issues 3 and 7): the service minutes of a case's first_response and resolution
-- targets, stored once on the case so the KPI cohort reads one row per case (no joins to
-- case_sla). They mirror case_sla.service_minutes of those two targets exactly, kept by the
-- triggers below whoever writes case_sla (the case clock, imports, plugins, tests).
ALTER TABLE cases ADD COLUMN first_response_service_min INTEGER;
ALTER TABLE cases ADD COLUMN resolution_service_min INTEGER;

UPDATE cases SET
    first_response_service_min = (SELECT s.service_minutes FROM case_sla s
                                  WHERE s.case_id = cases.id AND s.target = 'first_response'),
    resolution_service_min = (SELECT s.service_minutes FROM case_sla s
                              WHERE s.case_id = cases.id AND s.target = 'resolution')
WHERE id IN (SELECT case_id FROM case_sla WHERE target IN ('first_response', 'resolution')
             AND service_minutes IS NOT NULL);

CREATE TRIGGER case_sla_fr_ins AFTER INSERT ON case_sla
WHEN NEW.target = 'first_response' AND NEW.service_minutes IS NOT NULL
BEGIN UPDATE cases SET first_response_service_min = NEW.service_minutes WHERE id = NEW.case_id; END;
CREATE TRIGGER case_sla_rs_ins AFTER INSERT ON case_sla
WHEN NEW.target = 'resolution' AND NEW.service_minutes IS NOT NULL
BEGIN UPDATE cases SET resolution_service_min = NEW.service_minutes WHERE id = NEW.case_id; END;
CREATE TRIGGER case_sla_fr_upd AFTER UPDATE ON case_sla
WHEN OLD.target = 'first_response' OR NEW.target = 'first_response'
BEGIN
    UPDATE cases SET first_response_service_min = NULL WHERE id = OLD.case_id AND OLD.target = 'first_response';
    UPDATE cases SET first_response_service_min = NEW.service_minutes
    WHERE id = NEW.case_id AND NEW.target = 'first_response';
END;
CREATE TRIGGER case_sla_rs_upd AFTER UPDATE ON case_sla
WHEN OLD.target = 'resolution' OR NEW.target = 'resolution'
BEGIN
    UPDATE cases SET resolution_service_min = NULL WHERE id = OLD.case_id AND OLD.target = 'resolution';
    UPDATE cases SET resolution_service_min = NEW.service_minutes WHERE id = NEW.case_id AND NEW.target = 'resolution';
END;
CREATE TRIGGER case_sla_fr_del AFTER DELETE ON case_sla
WHEN OLD.target = 'first_response'
BEGIN UPDATE cases SET first_response_service_min = NULL WHERE id = OLD.case_id; END;
CREATE TRIGGER case_sla_rs_del AFTER DELETE ON case_sla
WHEN OLD.target = 'resolution'
BEGIN UPDATE cases SET resolution_service_min = NULL WHERE id = OLD.case_id; END;
