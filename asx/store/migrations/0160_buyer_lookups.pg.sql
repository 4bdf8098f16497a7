-- Lookups by a raw buyer id for a login that reads buyers masked (R-SEC-5): comparing a raw id with
-- the masked view's buyer never matches, so an agent's login would find no earlier case of the
-- buyer. These functions compare the raw ids on the server and hand back no personal data: an
-- agent's name (asx_served_by) or case ids (asx_case_ids_of_buyers; the rows are then read through
-- the masked view). Any asx login may call them, like asx_customer_file.

-- R-KPI-4: the agent of the latest case of the same order opened before p_before, else of the
-- buyer's latest earlier case (NULL: nobody known) — asx.store.cases.served_by.
CREATE FUNCTION asx_served_by(p_order text, p_buyer text, p_before bigint) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS '
    SELECT coalesce(
        (SELECT c.agent FROM cases c WHERE p_order IS NOT NULL AND p_order <> '''' AND c.order_no = p_order
            AND c.opened_at < p_before AND c.agent IS NOT NULL ORDER BY c.opened_at DESC, c.id DESC LIMIT 1),
        (SELECT c.agent FROM cases c WHERE p_buyer IS NOT NULL AND p_buyer <> '''' AND c.buyer = p_buyer
            AND c.opened_at < p_before AND c.agent IS NOT NULL ORDER BY c.opened_at DESC, c.id DESC LIMIT 1))
';
REVOKE ALL ON FUNCTION asx_served_by(text, text, bigint) FROM PUBLIC;

-- The ids of the cases whose buyer id is one of p_buyers, each with that id (the caller's own
-- input, so nothing it did not know) — asx.store.cases.by_buyers.
CREATE FUNCTION asx_case_ids_of_buyers(p_buyers text[]) RETURNS TABLE (id bigint, buyer text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS '
    SELECT c.id::bigint, c.buyer FROM cases c WHERE c.buyer = ANY (p_buyers)
';
REVOKE ALL ON FUNCTION asx_case_ids_of_buyers(text[]) FROM PUBLIC;
