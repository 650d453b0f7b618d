-- bench_timer.sql — \ir'd by national_load.sql and national_breakdown.sql.
-- Session-local helpers that time one statement from the server side:
--   pg_temp.bench_mark()   before: remembers the wall clock and this backend's
--                          /proc/self/schedstat (ns on a CPU, ns waiting for one)
--   pg_temp.bench_since()  after: wall ms, CPU ms and run-queue wait ms since
--                          the mark. CPU time is what the statement cost this
--                          backend; the wait is time lost to other work on the
--                          machine (NULL where the kernel has no schedstat).
-- Statements in between run at top level, as psql sends them.
CREATE FUNCTION pg_temp.bench_mark() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('bench.t0', clock_timestamp()::text, false);
    PERFORM set_config('bench.s0', coalesce(pg_read_file('/proc/self/schedstat', 0, 200, true), ''), false);
END $$;

CREATE FUNCTION pg_temp.bench_since(OUT wall_ms numeric, OUT cpu_ms numeric, OUT wait_ms numeric)
LANGUAGE plpgsql AS $$
DECLARE
    s1 text := pg_read_file('/proc/self/schedstat', 0, 200, true);
    s0 text := current_setting('bench.s0');
BEGIN
    wall_ms := 1000 * extract(epoch FROM clock_timestamp() - current_setting('bench.t0')::timestamptz);
    IF s1 IS NOT NULL AND s0 <> '' THEN
        cpu_ms  := (split_part(s1, ' ', 1)::numeric - split_part(s0, ' ', 1)::numeric) / 1e6;
        wait_ms := (split_part(s1, ' ', 2)::numeric - split_part(s0, ' ', 2)::numeric) / 1e6;
    END IF;
END $$;
