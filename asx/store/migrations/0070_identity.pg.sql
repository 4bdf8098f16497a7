-- PostgreSQL twin of 0070_identity.sql (R-SEC-5, issue 17): the login is the person, the database
-- enforces the roles. The table grants and the masked views (schema asx_masked) are derived from
-- the live schema by asx/store/roles.py after every migration run; `asx db roles --check` reports drift.
ALTER TABLE agents ADD COLUMN login TEXT;
CREATE UNIQUE INDEX agents_login ON agents (login);

-- The group roles of R-PPL-1 (cluster-wide: created once, kept by every asx database of the server).
DO '
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY[''asx_agent'', ''asx_specialist'', ''asx_supervisor'', ''asx_clerk''] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format(''CREATE ROLE %I NOLOGIN'', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;  -- another database made it
            END;
        END IF;
    END LOOP;
END';

-- Settings that guard privacy (privacy.*) live in the database (issue 17 §3); supervisors write them.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    set_at BIGINT NOT NULL,
    set_by TEXT
);

CREATE SCHEMA asx_masked;

-- Masking as asx/io/masking.py does it (R-SEC-1): names keep their first character, mobiles
-- 138****5678, e-mails r***@qq.com, other numbers their last four; inside free text phones and
-- runs of 7+ digits, and the buyer's own name and contact.
CREATE FUNCTION asx_mask_name(v text) RETURNS text LANGUAGE sql IMMUTABLE AS '
SELECT CASE WHEN v IS NULL OR v = '''' THEN v
            ELSE left(v, 1) || regexp_replace(substr(v, 2), ''\S'', ''*'', ''g'') END';

CREATE FUNCTION asx_mask_contact(v text) RETURNS text LANGUAGE sql IMMUTABLE AS '
SELECT CASE WHEN v IS NULL OR v = '''' THEN v
            WHEN v ~ ''^[^@\s]+@[^@\s]+$'' THEN left(v, 1) || repeat(''*'', length(split_part(v, ''@'', 1)) - 1)
                                                || ''@'' || split_part(v, ''@'', 2)
            WHEN regexp_replace(v, ''[^0-9]'', '''', ''g'') ~ ''^(86|0086)?1[3-9][0-9]{9}$''
                THEN regexp_replace(v, ''(1[3-9][0-9])[ -]?([0-9]{4})([ -]?[0-9]{4})$'', ''\1****\3'')
            WHEN v ~ ''^[0-9 +()-]+$'' AND length(v) > 4
                THEN regexp_replace(left(v, length(v) - 4), ''[0-9]'', ''*'', ''g'') || right(v, 4)
            ELSE asx_mask_name(v) END';

CREATE FUNCTION asx_mask_text(v text, buyer text, contact text) RETURNS text LANGUAGE sql IMMUTABLE AS '
SELECT regexp_replace(regexp_replace(
         CASE WHEN coalesce(contact, '''') = '''' THEN
              CASE WHEN coalesce(buyer, '''') = '''' THEN v ELSE replace(v, buyer, asx_mask_name(buyer)) END
              ELSE replace(CASE WHEN coalesce(buyer, '''') = '''' THEN v
                                ELSE replace(v, buyer, asx_mask_name(buyer)) END,
                           contact, asx_mask_contact(contact)) END,
         ''(1[3-9][0-9])[0-9]{4}([0-9]{4})'', ''\1****\2'', ''g''),
       ''[0-9]{3,}([0-9]{4})(?![0-9])'', ''****\1'', ''g'')';

-- The agent a login is (R-SEC-5); NULL for the owner and any login asx does not know.
CREATE FUNCTION asx_login_agent() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS '
SELECT name FROM agents WHERE login = session_user AND active = 1';

-- Who did it is stamped by the server (R-PPL-2, R-SEC-5): on a person's own login the "by" of a new
-- row is that person; a supervisor acting for someone (asx --as) is recorded as "李主管 for 萌萌".
-- Installed BEFORE INSERT on every table with a "by" column (asx/store/roles.py).
CREATE FUNCTION asx_stamp_by() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS '
DECLARE
    me text := asx_login_agent();
BEGIN
    IF me IS NULL THEN
        IF EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname IN (''asx_agent'', ''asx_specialist'', ''asx_supervisor'',
                   ''asx_clerk'') AND pg_has_role(session_user, g.oid, ''MEMBER''))
           AND NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
           AND session_user <> (SELECT pg_get_userbyid(c.relowner) FROM pg_class c
                                WHERE c.oid = ''public.agents''::regclass) THEN
            me := session_user::text;          -- a group login asx does not know: its own name
        ELSE
            RETURN NEW;                        -- the owner (migrations, purge, copies)
        END IF;
    END IF;
    IF NEW."by" IS NULL OR NEW."by" = me OR starts_with(NEW."by", me || '' for '') THEN
        NEW."by" := coalesce(NEW."by", me);
    ELSE
        NEW."by" := me || '' for '' || NEW."by";
    END IF;
    RETURN NEW;
END';

-- Who may reveal (R-SEC-1/2): members of asx_supervisor, the schema's owner, a superuser.
CREATE FUNCTION asx_may_reveal() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS '
SELECT pg_has_role(session_user, ''asx_supervisor'', ''MEMBER'')
    OR session_user = (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = ''public.agents''::regclass)
    OR coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)';

-- A reveal of a case's buyer data (R-SEC-1/2/5): only asx_may_reveal(); the access-log row is written
-- in the caller's transaction, naming the login, so a reveal cannot happen unrecorded, from asx or
-- from psql (SELECT * FROM asx_reveal_case(42)).
CREATE FUNCTION asx_reveal_case(p_case bigint, p_for text DEFAULT NULL)
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
    RETURN QUERY SELECT c.id::bigint, c.buyer, c.buyer_contact, c.summary FROM cases c WHERE c.id = p_case;
END';
REVOKE ALL ON FUNCTION asx_reveal_case(bigint, text) FROM PUBLIC;

-- Rows of a table with personal data, unmasked, as JSON (an unmasked export, a review shown with
-- --reveal): same check, one access-log row (action reveal | export_unmasked) per call.
CREATE FUNCTION asx_reveal_rows(p_table text, p_ids bigint[], p_action text, p_subject text)
RETURNS SETOF json LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS '
BEGIN
    IF p_table NOT IN (''cases'', ''reviews'') THEN
        RAISE EXCEPTION ''no personal data to reveal in %'', p_table USING ERRCODE = ''invalid_parameter_value'';
    END IF;
    IF p_action NOT IN (''reveal'', ''export_unmasked'') THEN
        RAISE EXCEPTION ''not a reveal: %'', p_action USING ERRCODE = ''invalid_parameter_value'';
    END IF;
    IF NOT asx_may_reveal() THEN
        RAISE EXCEPTION ''login % may not reveal personal data: only asx_supervisor (R-SEC-1)'', session_user
            USING ERRCODE = ''insufficient_privilege'';
    END IF;
    INSERT INTO access_log (at, by, action, subject, detail)
    VALUES (extract(epoch FROM clock_timestamp())::bigint, coalesce(asx_login_agent(), session_user::text),
            p_action, coalesce(p_subject, p_table), ''login '' || session_user);
    RETURN QUERY EXECUTE format(''SELECT row_to_json(t) FROM public.%I t WHERE $1 IS NULL OR t.id = ANY ($1) ORDER BY t.id'',
                                p_table) USING p_ids;
END';
REVOKE ALL ON FUNCTION asx_reveal_rows(text, bigint[], text, text) FROM PUBLIC;
