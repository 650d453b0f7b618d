-- Issue 13 §1: no statement crashes the server.  Generated from the catalog,
-- so a new function or table is covered without anyone remembering to:
--  * every function of the extension (pg_depend on extension sdbc, so
--    PostGIS's are left out) is called with NULL in each argument position,
--    the other arguments plausible non-NULL values of their types;
--  * every table with a C trigger gets, for each column, an INSERT with that
--    column NULL (once copying an existing row, once giving only the columns
--    a client must give) and an UPDATE of an existing row setting it NULL.
-- Each call runs in its own subtransaction and is rolled back.  A call may
-- end with a result or any error with a SQLSTATE; it misbehaves when it ends
-- with an internal error (XX000, XX001, XX002), an error of class 57 other
-- than a cancel or of class 58 — and a crash loses the connection, which
-- fails the test.  Only misbehaving calls and deliberate exclusions are
-- listed, so a new function does not change this file.
-- Before the fix (issue 13) 0.3.0's triggers crashed the server on a NULL
-- amount, purpose, payee, verdict or policy key (decision_check.c,
-- expense_check.c, policy_guard.c).
SET search_path = sdbc, public;
\set VERBOSITY terse
BEGIN;

-- A small fixture, so that ids passed to functions exist and triggers reach
-- their checks: divisions, staff, offices, an account, an expense with its
-- case and decision.
INSERT INTO division (code, name) VALUES ('65', '新疆'), ('6529', '阿克苏地区'), ('652901', '阿克苏市'),
  ('652901001', '兰干街道'), ('652901001001', '前进社区'), ('652901001002', '友谊社区')
  ON CONFLICT DO NOTHING;
CREATE TEMP TABLE ns_staff AS
  WITH s AS (INSERT INTO staff (name, division) VALUES ('空值甲', '652901001001'), ('空值乙', '652901001001'),
    ('空值丙', '652901001001') RETURNING staff_id)
  SELECT staff_id, row_number() OVER (ORDER BY staff_id) AS n FROM s;
INSERT INTO office_member (staff_id, office, division, valid_from)
  SELECT staff_id, 'community_handler', '652901001001', '2020-01-01' FROM ns_staff;
CREATE TEMP TABLE ns_account AS
  WITH a AS (INSERT INTO account (community, kind, purpose, name)
    VALUES ('652901001001', 'working', NULL, '空值工作经费') RETURNING account_id)
  SELECT account_id FROM a;
SELECT credit(account_id, 1000, '拨款') IS NOT NULL AS credited FROM ns_account;
SELECT submit_expense((SELECT account_id FROM ns_account), '办公', '文具店', 10,
                      (SELECT staff_id FROM ns_staff WHERE n = 1)) IS NOT NULL AS submitted;

-- Runs sql in a subtransaction that is always rolled back; returns the
-- SQLSTATE it ended with ('00000' when it succeeded) and the message.
CREATE FUNCTION pg_temp.ns_try(sql text, OUT state text, OUT message text)
LANGUAGE plpgsql AS $$
BEGIN
  BEGIN
    EXECUTE sql;
    RAISE EXCEPTION USING ERRCODE = 'SD999', MESSAGE = 'null_surface: roll back';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
    IF state = 'SD999' AND message = 'null_surface: roll back' THEN
      state := '00000';
      message := NULL;
    END IF;
  END;
END $$;

-- A plausible non-NULL value (an SQL expression) for an argument or column
-- named name of type typ: an existing value of a column of the extension's
-- tables of that name and type when there is one (so ids exist), else one
-- built for the type.
CREATE FUNCTION pg_temp.ns_value(name text, typ regtype) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
  r record;
  v text;
  base regtype := coalesce((SELECT typbasetype FROM pg_type WHERE oid = typ AND typtype = 'd'), typ);
BEGIN
  IF name IS NOT NULL AND name <> '' THEN
    FOR r IN
      SELECT c.oid::regclass AS tab, a.attname
        FROM pg_depend d JOIN pg_class c ON c.oid = d.objid AND d.classid = 'pg_class'::regclass
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND c.relkind = 'r'
         AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sdbc')
         AND a.atttypid = typ AND a.attname IN (name, name || '_id', ltrim(name, '_'), 'staff_id')
       ORDER BY a.attname <> name, a.attname <> name || '_id', a.attname = 'staff_id', c.relname
    LOOP
      IF r.attname = 'staff_id' AND name NOT IN ('actor', 'staff', 'by', 'acting_for', 'submitted_by',
          'taken_by', 'paid_by', 'principal', 'backup', 'handler', 'staff_id') THEN
        CONTINUE;
      END IF;
      BEGIN
        EXECUTE format('SELECT %1$I::text FROM %2$s WHERE %1$I IS NOT NULL ORDER BY %1$I LIMIT 1', r.attname, r.tab) INTO v;
      EXCEPTION WHEN undefined_function THEN   -- a type without an order
        EXECUTE format('SELECT min(%1$I::text) FROM %2$s', r.attname, r.tab) INTO v;
      END;
      IF v IS NOT NULL THEN
        RETURN format('%L::%s', v, typ);
      END IF;
    END LOOP;
  END IF;
  -- composite type of a table: one of its rows
  IF (SELECT typrelid FROM pg_type WHERE oid = typ) <> 0 THEN
    RETURN format('(SELECT t FROM %s t ORDER BY 1 LIMIT 1)', (SELECT typrelid::regclass FROM pg_type WHERE oid = typ));
  END IF;
  RETURN format('%L::%s', CASE base
    WHEN 'sdbc.divcode'::regtype THEN '652901001001'
    WHEN 'sdbc.idcard'::regtype THEN sdbc.idcard_make('652901', '1980-01-01', 1)::text
    WHEN 'date'::regtype THEN '2024-06-03'
    WHEN 'timestamptz'::regtype THEN '2024-06-03 09:00:00+08'
    WHEN 'timestamp'::regtype THEN '2024-06-03 09:00:00'
    WHEN 'interval'::regtype THEN '1 day'
    WHEN 'boolean'::regtype THEN 'true'
    WHEN 'bytea'::regtype THEN '\x00'
    WHEN 'regclass'::regtype THEN 'sdbc.expense'
    WHEN 'regprocedure'::regtype THEN 'sdbc.divcode_level(sdbc.divcode)'
    WHEN 'regproc'::regtype THEN 'sdbc.divcode_level'
    WHEN 'daterange'::regtype THEN '[2024-06-03,2024-06-10)'
    WHEN 'jsonb'::regtype THEN '{}'
    WHEN 'json'::regtype THEN '{}'
    WHEN 'double precision[]'::regtype THEN '{0,1}'
    WHEN 'integer[]'::regtype THEN '{1}'
    WHEN 'bigint[]'::regtype THEN '{1}'
    WHEN 'text[]'::regtype THEN '{x}'
    WHEN 'cstring'::regtype THEN 'x'
    WHEN 'text'::regtype THEN 'x'
    WHEN 'geometry'::regtype THEN 'SRID=4490;POLYGON((80.150 41.060,80.155 41.060,80.155 41.070,80.150 41.070,80.150 41.060))'
    ELSE CASE WHEN (SELECT typcategory FROM pg_type WHERE oid = base) = 'N' THEN '1'
              WHEN (SELECT typcategory FROM pg_type WHERE oid = base) = 'E'
                THEN (SELECT enumlabel::text FROM pg_enum WHERE enumtypid = base ORDER BY enumsortorder LIMIT 1)
              ELSE 'x' END
    END, typ);
END $$;

-- Functions left out, with the reason.  Argument types that SQL cannot give
-- a value of (internal) are left out by type below.
CREATE TEMP TABLE ns_excluded (fn regprocedure, reason text);

CREATE TEMP TABLE ns_call (kind text, target text, sql text, state text, message text,
                           arg int);   -- the argument (1-based) that was NULL

-- Every function of the extension, NULL in each argument position.
DO $$
DECLARE
  f record;
  i int;
  j int;
  args text[];
  call text;
  res record;
BEGIN
  FOR f IN
    SELECT p.oid, p.oid::regprocedure AS sig, p.prokind,
           ARRAY(SELECT unnest(p.proargtypes::oid[])) AS types,   -- 1-based
           CASE WHEN p.proargmodes IS NULL THEN p.proargnames
                ELSE ARRAY(SELECT n FROM unnest(p.proargnames, p.proargmodes) AS m(n, mode)
                            WHERE mode IN ('i', 'b', 'v')) END AS names,   -- input arguments only
           p.provariadic, p.pronargs
      FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
     WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
       AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'sdbc')
     ORDER BY p.oid::regprocedure::text
  LOOP
    IF f.sig IN (SELECT fn FROM ns_excluded) THEN
      CONTINUE;
    END IF;
    IF 'internal'::regtype = ANY (f.types) THEN
      INSERT INTO ns_excluded VALUES (f.sig, 'an internal argument: called by the server only (planner support, binary input), never from SQL');
      CONTINUE;
    END IF;
    IF (SELECT prorettype FROM pg_proc WHERE oid = f.oid) = 'trigger'::regtype THEN
      CONTINUE;   -- trigger functions are called by the tables' INSERT and UPDATE below
    END IF;
    FOR i IN 0 .. greatest(f.pronargs, 1) - 1 LOOP
      EXIT WHEN f.pronargs = 0 AND i > 0;
      args := '{}';
      FOR j IN 1 .. f.pronargs LOOP
        args := args || CASE WHEN j - 1 = i THEN format('NULL::%s', f.types[j]::regtype)
                             ELSE pg_temp.ns_value(f.names[j], f.types[j]::regtype) END;
      END LOOP;
      IF f.provariadic <> 0 THEN
        args[f.pronargs] := 'VARIADIC ' || args[f.pronargs];
      END IF;
      call := format(CASE f.prokind WHEN 'p' THEN 'CALL %s.%I(%s)' ELSE 'SELECT %s.%I(%s)' END,
                     (SELECT nspname FROM pg_namespace n JOIN pg_proc p ON p.pronamespace = n.oid WHERE p.oid = f.oid),
                     (SELECT proname FROM pg_proc WHERE oid = f.oid), array_to_string(args, ', '));
      res := pg_temp.ns_try(call);
      INSERT INTO ns_call VALUES ('function', f.sig::text, call, res.state, res.message, i + 1);
    END LOOP;
  END LOOP;
END $$;

-- Every table with a C trigger: each column NULL in turn.
DO $$
DECLARE
  t record;
  c record;
  cols text[];
  vals text[];
  a record;
  res record;
  sql text;
  has_row boolean;
BEGIN
  FOR t IN
    SELECT DISTINCT tg.tgrelid::regclass AS tab, n.nspname || '.' || cl.relname AS name
      FROM pg_trigger tg JOIN pg_proc p ON p.oid = tg.tgfoid
      JOIN pg_class cl ON cl.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
     WHERE NOT tg.tgisinternal AND p.prolang = (SELECT oid FROM pg_language WHERE lanname = 'c')
     ORDER BY 2
  LOOP
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', t.tab) INTO has_row;
    FOR c IN
      SELECT attname, atttypid::regtype AS typ FROM pg_attribute
       WHERE attrelid = t.tab AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
       ORDER BY attnum
    LOOP
      -- 1. a copy of an existing row, with the column NULL
      IF has_row THEN
        sql := format('INSERT INTO %1$s OVERRIDING SYSTEM VALUE SELECT (jsonb_populate_record(t, jsonb_build_object(%2$L, NULL))).* FROM %1$s t ORDER BY ctid LIMIT 1',
                      t.tab, c.attname);
        res := pg_temp.ns_try(sql);
        INSERT INTO ns_call VALUES ('insert copy', t.name || '.' || c.attname, sql, res.state, res.message);
        sql := format('UPDATE %1$s SET %2$I = NULL WHERE ctid = (SELECT min(ctid) FROM %1$s)', t.tab, c.attname);
        res := pg_temp.ns_try(sql);
        INSERT INTO ns_call VALUES ('update', t.name || '.' || c.attname, sql, res.state, res.message);
      END IF;
      -- 2. only the columns a client must give (NOT NULL, no default), with the column NULL
      cols := '{}';
      vals := '{}';
      FOR a IN
        SELECT attname, atttypid::regtype AS typ FROM pg_attribute
         WHERE attrelid = t.tab AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
           AND (attname = c.attname OR (attnotnull AND NOT atthasdef AND attidentity = ''))
         ORDER BY attnum
      LOOP
        cols := cols || quote_ident(a.attname);
        vals := vals || CASE WHEN a.attname = c.attname THEN format('NULL::%s', a.typ)
                             ELSE pg_temp.ns_value(a.attname, a.typ) END;
      END LOOP;
      sql := format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE VALUES (%s)', t.tab,
                    array_to_string(cols, ', '), array_to_string(vals, ', '));
      res := pg_temp.ns_try(sql);
      INSERT INTO ns_call VALUES ('insert', t.name || '.' || c.attname, sql, res.state, res.message);
    END LOOP;
  END LOOP;
END $$;

-- How many calls were made (a lower bound, so a new function needs no edit).
SELECT count(*) FILTER (WHERE kind = 'function') > 180 AS function_calls_over_180,
       count(DISTINCT target) FILTER (WHERE kind = 'function') > 90 AS functions_over_90,
       count(*) FILTER (WHERE kind <> 'function') > 250 AS table_writes_over_250,
       count(DISTINCT split_part(target, '.', 1) || '.' || split_part(target, '.', 2)) FILTER (WHERE kind <> 'function') >= 10 AS tables_at_least_10
  FROM ns_call;
-- Some calls must get through to a result and some must be refused, or the
-- values are not plausible.
SELECT count(*) FILTER (WHERE state = '00000') > 100 AS many_succeed,
       count(*) FILTER (WHERE state = '23502') > 100 AS many_not_null
  FROM ns_call;
-- The NULLs of issue 13 end in 23502 naming the column.
SELECT target, state, message FROM ns_call
 WHERE kind = 'insert' AND target IN ('sdbc.expense.amount', 'sdbc.expense.purpose', 'sdbc.expense.payee',
       'sdbc.expense.submitted_on', 'sdbc.decision.verdict', 'sdbc.decision.case_id', 'sdbc.decision.actor',
       'sdbc.policy.key')
 ORDER BY target;
-- The calls of issue 13: submit_expense with a NULL account, purpose, payee,
-- amount or submitter, decide with a NULL case, actor or verdict
-- ("case  does not exist" for the case before); apply with a NULL matter,
-- applicant or taker ("resident  does not live in community " before);
-- check_login_is with a NULL table (was 22004).
SELECT target, arg, state, message FROM ns_call
 WHERE kind = 'function' AND ((target LIKE 'submit_expense(%' AND arg <= 5) OR (target LIKE 'decide(%' AND arg IN (1, 2, 3))
                              OR (target LIKE 'apply(%' AND arg IN (1, 2, 3))
                              OR (target LIKE 'check_login_is(%' AND arg = 1))
 ORDER BY target, arg;
-- Functions left out, and why.
SELECT fn, reason FROM ns_excluded ORDER BY fn::text;
-- Misbehaving calls: none.
SELECT kind, target, state, message, sql FROM ns_call
 WHERE state LIKE 'XX%' OR state LIKE '58%' OR (state LIKE '57%' AND state <> '57014')
 ORDER BY kind, target, sql;
ROLLBACK;
