-- PostgreSQL twin of 0100_personal_data.sql (R-SEC-1/5, issue 17). The masked views of the ledger
-- and of orders (and of every table with a `<field>_raw` column) come from asx/store/roles.py; here
-- are the functions that let an agent's login use personal data it may not read:
--   asx_customer_file  a buyer's file by buyer id or mobile number (`asx customer show 138…`):
--                      ids only, or the raw text as a recorded supervisor's reveal;
--   asx_upsert_orders  the import of an order report (INSERT … ON CONFLICT cannot write through a
--                      view, and its change test compares the raw buyer).
CREATE INDEX cases_buyer ON cases (buyer);
CREATE INDEX reviews_buyer ON reviews (buyer);

-- A mainland mobile as its 11 digits (spaces, dashes, +86/0086 dropped); NULL for anything else.
-- Same rule as asx.store.returns.phone_key (SQLite, owner).
CREATE FUNCTION asx_phone_key(v text) RETURNS text LANGUAGE sql IMMUTABLE AS '
SELECT CASE WHEN d ~ ''^(0086|86)?1[3-9][0-9]{9}$'' THEN right(d, 11) END
FROM (SELECT regexp_replace(coalesce(v, ''''), ''[^0-9]'', '''', ''g'') AS d) s';

CREATE INDEX cases_phone_key ON cases (asx_phone_key(buyer_contact)) WHERE buyer_contact IS NOT NULL;
CREATE INDEX reviews_phone_key ON reviews (asx_phone_key(phone)) WHERE phone IS NOT NULL;

-- The cases and reviews of the buyer(s) p_key names — a buyer id, or a mobile number given as their
-- contact — and of every buyer id those rows carry. Any asx login may look up (the rows it then reads
-- through the masked views); p_reveal = true also hands back the raw buyer-written text, only to
-- asx_may_reveal(), with one access-log row naming the login in the caller's transaction (R-SEC-1/5).
CREATE FUNCTION asx_customer_file(p_key text, p_reveal boolean DEFAULT false, p_subject text DEFAULT NULL)
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
    SELECT ''case''::text, c.id::bigint, CASE WHEN p_reveal THEN c.summary END FROM cases c
    WHERE c.buyer IN (SELECT h.buyer FROM hit h WHERE h.buyer IS NOT NULL)
       OR (ph IS NOT NULL AND asx_phone_key(c.buyer_contact) = ph AND c.buyer_contact IS NOT NULL)
    UNION ALL
    SELECT ''review''::text, r.id::bigint, CASE WHEN p_reveal THEN r.content END FROM reviews r
    WHERE r.buyer IN (SELECT h.buyer FROM hit h WHERE h.buyer IS NOT NULL)
       OR (ph IS NOT NULL AND asx_phone_key(r.phone) = ph AND r.phone IS NOT NULL);
END';
REVOKE ALL ON FUNCTION asx_customer_file(text, boolean, text) FROM PUBLIC;

-- Add or update whole order rows (an order report's import, asx.api.upsert_orders) for a login that
-- holds INSERT and UPDATE on asx_masked.orders — the grants `asx db roles` derives — without that
-- login reading the raw buyer: the change test runs here. Returns the rows added or changed.
CREATE FUNCTION asx_upsert_orders(p_rows json) RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS '
DECLARE
    r record;
    k bigint;
    n bigint := 0;
BEGIN
    IF NOT (has_table_privilege(session_user, ''asx_masked.orders'', ''INSERT'')
            AND has_table_privilege(session_user, ''asx_masked.orders'', ''UPDATE'')) THEN
        RAISE EXCEPTION ''login % may not import orders'', session_user USING ERRCODE = ''insufficient_privilege'';
    END IF;
    FOR r IN SELECT * FROM json_to_recordset(p_rows) AS x(order_no text, store text, buyer text, paid_fen bigint,
                                                           status text, created_at bigint, paid_at bigint, data text)
    LOOP
        INSERT INTO orders AS o (order_no, store, buyer, paid_fen, status, created_at, paid_at, data)
        VALUES (r.order_no, r.store, r.buyer, r.paid_fen, r.status, r.created_at, r.paid_at, r.data)
        ON CONFLICT (order_no) DO UPDATE SET
            store = excluded.store, buyer = excluded.buyer, paid_fen = excluded.paid_fen, status = excluded.status,
            created_at = excluded.created_at, paid_at = excluded.paid_at, data = excluded.data
        WHERE o.store IS DISTINCT FROM excluded.store OR o.buyer IS DISTINCT FROM excluded.buyer
           OR o.paid_fen IS DISTINCT FROM excluded.paid_fen OR o.status IS DISTINCT FROM excluded.status
           OR o.created_at IS DISTINCT FROM excluded.created_at OR o.paid_at IS DISTINCT FROM excluded.paid_at
           OR o.data IS DISTINCT FROM excluded.data;
        GET DIAGNOSTICS k = ROW_COUNT;
        n := n + k;
    END LOOP;
    RETURN n;
END';
REVOKE ALL ON FUNCTION asx_upsert_orders(json) FROM PUBLIC;

-- Unmasked rows as JSON (an unmasked export, a review or ledger entry shown with --reveal) of any
-- table with a masked view — cases, reviews, ledger, orders, every table with a `<field>_raw`
-- column — raw columns included; same check, one access-log row per call (replaces 0070's).
CREATE OR REPLACE FUNCTION asx_reveal_rows(p_table text, p_ids bigint[], p_action text, p_subject text)
RETURNS SETOF json LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS '
DECLARE
    has_id boolean;
BEGIN
    IF to_regclass(''asx_masked.'' || quote_ident(p_table)) IS NULL OR to_regclass(''public.'' || quote_ident(p_table)) IS NULL THEN
        RAISE EXCEPTION ''no personal data to reveal in %'', p_table USING ERRCODE = ''invalid_parameter_value'';
    END IF;
    IF p_action NOT IN (''reveal'', ''export_unmasked'') THEN
        RAISE EXCEPTION ''not a reveal: %'', p_action USING ERRCODE = ''invalid_parameter_value'';
    END IF;
    IF NOT asx_may_reveal() THEN
        RAISE EXCEPTION ''login % may not reveal personal data: only asx_supervisor (R-SEC-1)'', session_user
            USING ERRCODE = ''insufficient_privilege'';
    END IF;
    has_id := EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = to_regclass(''public.'' || quote_ident(p_table))
                      AND a.attname = ''id'' AND NOT a.attisdropped);
    IF p_ids IS NOT NULL AND NOT has_id THEN
        RAISE EXCEPTION ''rows of % have no id'', p_table USING ERRCODE = ''invalid_parameter_value'';
    END IF;
    INSERT INTO access_log (at, by, action, subject, detail)
    VALUES (extract(epoch FROM clock_timestamp())::bigint, coalesce(asx_login_agent(), session_user::text),
            p_action, coalesce(p_subject, p_table), ''login '' || session_user);
    IF has_id THEN
        RETURN QUERY EXECUTE format(''SELECT row_to_json(t) FROM public.%I t WHERE $1 IS NULL OR t.id = ANY ($1) ORDER BY t.id'',
                                    p_table) USING p_ids;
    ELSE
        RETURN QUERY EXECUTE format(''SELECT row_to_json(t) FROM public.%I t'', p_table);
    END IF;
END';
REVOKE ALL ON FUNCTION asx_reveal_rows(text, bigint[], text, text) FROM PUBLIC;
