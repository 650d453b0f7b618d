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
