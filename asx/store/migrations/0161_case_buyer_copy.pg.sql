-- Copy a case's buyer id into a plugin's row on the server (asx.api.copy_case_buyer, R-SEC-5): an
-- agent's login reads cases.buyer masked, so a copy made in its process would store the mask (王**)
-- for good. The raw id never leaves the server, and it is copied only into a column the caller may
-- not read raw either (a personal-data column: hook register_personal_data, masked view in
-- asx_masked) of a row the caller may change. Returns how many rows were updated.
CREATE FUNCTION asx_copy_case_buyer(p_case bigint, p_table text, p_column text, p_key_column text, p_key text)
RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS '
DECLARE
    t regclass := to_regclass(format(''public.%I'', p_table));
    v regclass := to_regclass(format(''asx_masked.%I'', p_table));
    key_type text;
    n integer;
BEGIN
    IF t IS NULL THEN
        RAISE EXCEPTION ''no table %'', p_table USING ERRCODE = ''undefined_table'';
    END IF;
    SELECT format_type(a.atttypid, a.atttypmod) INTO key_type FROM pg_attribute a
     WHERE a.attrelid = t AND a.attname = p_key_column AND a.attnum > 0 AND NOT a.attisdropped;
    IF key_type IS NULL THEN
        RAISE EXCEPTION ''no column %.%'', p_table, p_key_column USING ERRCODE = ''undefined_column'';
    END IF;
    -- the copy stays as confidential as its source (R-SEC-1/5)
    IF NOT has_column_privilege(session_user, ''public.cases'', ''buyer'', ''SELECT'')
       AND has_column_privilege(session_user, t, p_column, ''SELECT'') THEN
        RAISE EXCEPTION ''%.% is not declared personal data: a buyer id is not copied there'', p_table, p_column
            USING ERRCODE = ''insufficient_privilege'';
    END IF;
    IF NOT (has_table_privilege(session_user, t, ''UPDATE'')
            OR (v IS NOT NULL AND has_table_privilege(session_user, v, ''UPDATE''))) THEN
        RAISE EXCEPTION ''permission denied for table %'', p_table USING ERRCODE = ''insufficient_privilege'';
    END IF;
    EXECUTE format(''UPDATE public.%I SET %I = (SELECT c.buyer FROM public.cases c WHERE c.id = $1) ''
                   ''WHERE %I = CAST($2 AS %s)'', p_table, p_column, p_key_column, key_type)
        USING p_case, p_key;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END';
REVOKE ALL ON FUNCTION asx_copy_case_buyer(bigint, text, text, text, text) FROM PUBLIC;
