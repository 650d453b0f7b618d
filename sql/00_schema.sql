-- sdbc install script, assembled by the Makefile from sql/[0-9]*.sql in order.
\echo Use "CREATE EXTENSION sdbc CASCADE" to load this file. \quit

COMMENT ON SCHEMA sdbc IS
  'sdbc: rules of the "small sub-district, big community" model (小街道大社区) — division codes, policy, and the tables and functions that enforce rules R1–R14';
