-- The customer's file on a team login (asx_customer_file, migration 0100) reveals the text as written:
-- since 0110 a summary or review text is masked when written and the raw text is kept in *_raw
-- (R-SEC-1, R-SEC-5, issues 17 and 21).
CREATE OR REPLACE FUNCTION asx_customer_file(p_key text, p_reveal boolean DEFAULT false, p_subject text DEFAULT NULL)
RETURNS TABLE (kind text, id bigint, raw_text text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS '
DECLARE
    ph text := asx_phone_key(p_key);
BEGIN
    IF p_reveal THEN
        IF NOT asx_may_reveal() THEN
            RAISE EXCEPTION ''login % may not reveal personal data: only asx_supervisor (R-SEC-1)'', session_user
                USING ERRCODE = ''insufficient_privilege'';
        END IF;
        INSERT INTO access_log (at, by, action, subject, detail)
        VALUES (extract(epoch FROM clock_timestamp())::bigint, coalesce(asx_login_agent(), session_user::text),
                ''reveal'', coalesce(p_subject, ''customer''), ''login '' || session_user);
    END IF;
    RETURN QUERY
    WITH hit AS (
        SELECT c.buyer FROM cases c
        WHERE c.buyer = p_key OR (ph IS NOT NULL AND asx_phone_key(c.buyer_contact) = ph AND c.buyer_contact IS NOT NULL)
        UNION
        SELECT r.buyer FROM reviews r
        WHERE r.buyer = p_key OR (ph IS NOT NULL AND asx_phone_key(r.phone) = ph AND r.phone IS NOT NULL)
    )
    SELECT ''case''::text, c.id::bigint, CASE WHEN p_reveal THEN coalesce(c.summary_raw, c.summary) END FROM cases c
    WHERE c.buyer IN (SELECT h.buyer FROM hit h WHERE h.buyer IS NOT NULL)
       OR (ph IS NOT NULL AND asx_phone_key(c.buyer_contact) = ph AND c.buyer_contact IS NOT NULL)
    UNION ALL
    SELECT ''review''::text, r.id::bigint, CASE WHEN p_reveal THEN coalesce(r.content_raw, r.content) END FROM reviews r
    WHERE r.buyer IN (SELECT h.buyer FROM hit h WHERE h.buyer IS NOT NULL)
       OR (ph IS NOT NULL AND asx_phone_key(r.phone) = ph AND r.phone IS NOT NULL);
END';
REVOKE ALL ON FUNCTION asx_customer_file(text, boolean, text) FROM PUBLIC;
