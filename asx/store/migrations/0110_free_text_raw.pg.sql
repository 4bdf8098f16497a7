-- Privacy in free text (R-SEC-1, issue 21): see 0110_free_text_raw.sql. On PostgreSQL the reveal of a
-- case (asx_reveal_case, migration 0070) returns the summary as written.
ALTER TABLE cases ADD COLUMN summary_raw TEXT;
ALTER TABLE case_events ADD COLUMN note_raw TEXT;
ALTER TABLE handover_notes ADD COLUMN text_raw TEXT;
ALTER TABLE reviews ADD COLUMN content_raw TEXT;

CREATE OR REPLACE FUNCTION asx_reveal_case(p_case bigint, p_for text DEFAULT NULL)
RETURNS TABLE (id bigint, buyer text, buyer_contact text, summary text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS '
DECLARE
    who text := coalesce(asx_login_agent(), session_user::text);
BEGIN
    IF NOT asx_may_reveal() THEN
        RAISE EXCEPTION ''login % may not reveal buyer data: only asx_supervisor (R-SEC-1)'', session_user
            USING ERRCODE = ''insufficient_privilege'';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = p_case) THEN
        RAISE EXCEPTION ''no case %'', p_case USING ERRCODE = ''no_data_found'';
    END IF;
    INSERT INTO access_log (at, by, action, subject, detail)
    VALUES (extract(epoch FROM clock_timestamp())::bigint,
            CASE WHEN p_for IS NULL THEN who ELSE who || '' for '' || p_for END,
            ''reveal'', ''case:'' || p_case, ''login '' || session_user);
    RETURN QUERY SELECT c.id::bigint, c.buyer, c.buyer_contact, coalesce(c.summary_raw, c.summary)
                 FROM cases c WHERE c.id = p_case;
END';
REVOKE ALL ON FUNCTION asx_reveal_case(bigint, text) FROM PUBLIC;
