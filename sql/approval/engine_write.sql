-- The engine marks its own writes (src/engine_write.c, docs/security.md).
-- Tables that change only through the engine let a write through while the
-- engine writes, whatever the trigger depth a client's own triggers reach.

CREATE FUNCTION sdbc.engine_writing() RETURNS boolean
  AS 'MODULE_PATHNAME', 'engine_writing' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.engine_writing() IS
  'True while the approval engine writes (its C triggers, and the PL/pgSQL engine triggers run through sdbc.engine_trigger); guards of cases, debits and staff divisions let only such writes through (R3.2, R3.4, R2.3, R4.2)';

CREATE FUNCTION sdbc.engine_trigger() RETURNS trigger
  AS 'MODULE_PATHNAME', 'engine_trigger' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sdbc.engine_trigger() IS
  'Trigger wrapper: EXECUTE FUNCTION sdbc.engine_trigger(''sdbc.f()'') runs the trigger function sdbc.f with the engine''s flag raised (sdbc.engine_writing()); only on tables of schema sdbc, only for trigger functions of that schema (else 42501)';
REVOKE ALL ON FUNCTION sdbc.engine_trigger() FROM PUBLIC;

-- What the engine records is the engine's (src/engine_ids.c, docs/security.md
-- "Ids, times and dates the engine records"): the C triggers call these
-- directly; the PL/pgSQL trigger of sdbc.service_application through SQL.
-- Executable by everyone: they only refuse (and remember, for the calling
-- session alone, which id its last row took).
CREATE FUNCTION sdbc.require_engine_id(tbl regclass, id_column text, id bigint) RETURNS void
  AS 'MODULE_PATHNAME', 'require_engine_id' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION sdbc.require_engine_id(regclass, text, bigint) IS
  'SD340 unless id is the value the identity sequence of tbl.id_column just drew in this session for this row (no OVERRIDING SYSTEM VALUE, no id in COPY): the engine numbers what it records 编号由系统生成 (R3.2, R3.3, R4.2)';
CREATE FUNCTION sdbc.require_day_in_policy(day date, division sdbc.divcode, tbl regclass, day_column text,
                                           policy_key text, rule text) RETURNS void
  AS 'MODULE_PATHNAME', 'require_day_in_policy' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION sdbc.require_day_in_policy(date, sdbc.divcode, regclass, text, text, text) IS
  'The day a client names for a submission 申报日期: never in the future or infinite (SD341); earlier than today only for sdbc_street_office, sdbc_prefecture_admin, the table''s owner or a superuser (SD343), and at most policy_key days back (SD342)';
