/*
 * tap.h — a tiny header-only TAP producer for the C unit tests (test/unit).
 *
 * Plain C11, no postgres.h.  Usage:
 *
 *     #include "tap.h"
 *     int main(void)
 *     {
 *         ok(1 + 1 == 2, "addition works for %d", 1);
 *         is_int(divcode_level(INT64_C(110000000000)), 1, "province level");
 *         is_str(buf, "110000000000", "canonical text");
 *         return done_testing();
 *     }
 *
 * Every assertion prints one line "ok N - name" or "not ok N - name" on
 * stdout (flushed at once, so a crash loses nothing already printed), and on
 * failure "# ..." diagnostics on stderr, as Test::More does.  done_testing()
 * prints the plan "1..N" last.  test/run.sh counts these lines.
 *
 * All functions are static inline and the counters live inside a function,
 * so including this header in a file that uses only part of it does not trip
 * -Wunused-function / -Wunused-variable under -Werror.
 */
#ifndef SDBC_TAP_H
#define SDBC_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define TAP_PRINTF_(fmt_idx, arg_idx) __attribute__((format(printf, fmt_idx, arg_idx)))
#else
#define TAP_PRINTF_(fmt_idx, arg_idx)
#endif

/* Counters of the current test program: assertions run and assertions failed. */
typedef struct tap_state_
{
	int			run;
	int			failed;
} tap_state_;

/* The one tap_state_ of this program (function-local, see the header comment). */
static inline tap_state_ *
tap_state(void)
{
	static tap_state_ state;

	return &state;
}

/*
 * Print a test name after "ok N - ": '#' is escaped as "\#" (an unescaped '#'
 * would start a TAP directive such as "# TODO") and line breaks become spaces
 * (a name must stay on its one line).
 */
static inline void
tap_print_name_(const char *name)
{
	for (const char *p = name; *p; p++)
	{
		if (*p == '#')
			fputs("\\#", stdout);
		else if (*p == '\n' || *p == '\r')
			putchar(' ');
		else
			putchar(*p);
	}
}

/*
 * Record one assertion whose name is already formatted: print its ok / not ok
 * line and, on failure, where it was.  Returns cond (0 or 1).  Used by the
 * macros ok(), is_int() and is_str() below; call those instead.
 */
static inline int
tap_result_(int cond, const char *name, const char *file, int line)
{
	tap_state_ *st = tap_state();

	st->run++;
	if (!cond)
		st->failed++;
	printf("%sok %d", cond ? "" : "not ", st->run);
	if (name && *name)
	{
		fputs(" - ", stdout);
		tap_print_name_(name);
	}
	putchar('\n');
	fflush(stdout);
	if (!cond)
	{
		fprintf(stderr, "#   Failed test '%s'\n#   at %s line %d.\n",
				name ? name : "", file, line);
		fflush(stderr);
	}
	return cond;
}

/*
 * Print a diagnostic line "# ..." on stderr (free-form notes, not counted).
 */
static inline void TAP_PRINTF_(1, 2)
diag(const char *fmt, ...)
{
	va_list		ap;

	fflush(stdout);
	fputs("# ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

/*
 * ok(cond, fmt, ...): pass if cond is true.  The name is a printf format.
 * Implementation behind the ok() macro, which adds the file and line.
 */
static inline int TAP_PRINTF_(4, 5)
tap_ok_(int cond, const char *file, int line, const char *fmt, ...)
{
	char		name[512];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return tap_result_(cond, name, file, line);
}
#define ok(cond, ...) tap_ok_((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

/*
 * is_int(got, want, name): pass if two integers are equal (compared as
 * long long, so int, int64_t, enums and size_t up to LLONG_MAX all work);
 * on failure print both values.  Implementation behind the is_int() macro.
 */
static inline int
tap_is_int_(long long got, long long want, const char *name,
			const char *file, int line)
{
	int			cond = (got == want);

	tap_result_(cond, name, file, line);
	if (!cond)
	{
		fprintf(stderr, "#          got: %lld\n#     expected: %lld\n", got, want);
		fflush(stderr);
	}
	return cond;
}
#define is_int(got, want, name) \
	tap_is_int_((long long) (got), (long long) (want), (name), __FILE__, __LINE__)

/*
 * is_str(got, want, name): pass if two C strings are equal (two NULLs are
 * equal, NULL and a string are not); on failure print both values.
 * Implementation behind the is_str() macro.
 */
static inline int
tap_is_str_(const char *got, const char *want, const char *name,
			const char *file, int line)
{
	int			cond;

	if (got == NULL || want == NULL)
		cond = (got == want);
	else
		cond = (strcmp(got, want) == 0);
	tap_result_(cond, name, file, line);
	if (!cond)
	{
		fprintf(stderr, "#          got: %s%s%s\n#     expected: %s%s%s\n",
				got ? "'" : "", got ? got : "NULL", got ? "'" : "",
				want ? "'" : "", want ? want : "NULL", want ? "'" : "");
		fflush(stderr);
	}
	return cond;
}
#define is_str(got, want, name) \
	tap_is_str_((got), (want), (name), __FILE__, __LINE__)

/*
 * done_testing(): print the plan "1..N" (N = assertions run) and return the
 * exit status for main(): 0 if all passed, else the number failed (at most
 * 254, as Test::More does).  Use as `return done_testing();`.
 */
static inline int
done_testing(void)
{
	tap_state_ *st = tap_state();

	printf("1..%d\n", st->run);
	fflush(stdout);
	if (st->failed)
	{
		fprintf(stderr, "# Looks like you failed %d test%s of %d.\n",
				st->failed, st->failed == 1 ? "" : "s", st->run);
		fflush(stderr);
	}
	return st->failed > 254 ? 254 : st->failed;
}

#endif							/* SDBC_TAP_H */
