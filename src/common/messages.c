/*
 * messages.c — the extension's messages in the reader's language (issue 15
 * §3, docs/errors.md "Messages in Chinese").
 *
 * One catalogue, gettext's text domain "sdbc-15" (po/zh_CN.po, installed as
 * <localedir>/zh_CN/LC_MESSAGES/sdbc-15.mo), chosen by lc_messages:
 *   - errors raised in C: ereport translates errmsg/errdetail/errhint in the
 *     domain sdbc.h sets (TEXTDOMAIN) — core's own machinery;
 *   - errors raised in SQL (PL/pgSQL RAISE … USING MESSAGE = format(…)):
 *     PL/pgSQL reports them as finished text in its own domain, so an
 *     emit_log_hook finds the English text among the SQL texts (src/
 *     sql_texts.h, generated from the SQL files by po/sql_texts.pl), takes the
 *     arguments out of it and writes the catalogue's translation with them.
 * When lc_messages has no translation of the catalogue (English, C), the hook
 * costs one dgettext() of a probe text per PL/pgSQL error, nothing per other
 * message.
 */
#include "sdbc.h"

#include "messages.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "sql_texts.h"

/* The domain of PL/pgSQL's own reports (RAISE included). */
#define PLPGSQL_DOMAIN PG_TEXTDOMAIN("plpgsql")

/* Most arguments a text of the SQL files has (format('…%s…') checks it). */
#define MAX_ARGS 16
/*
 * Bounds of the matching (the hook runs while interrupts are held, so it
 * must end quickly whatever a login raises): texts longer than this are left
 * as they are, and one format gets at most this many matching steps.  Every
 * text the extension raises is far shorter and matches in a few hundred.
 */
#define MAX_TEXT_LEN 2048
#define MATCH_STEPS 20000

/* Translators: a probe only: any translation tells that lc_messages has one. */
static const char *const language_probe = gettext_noop("sdbc messages in English");

static emit_log_hook_type prev_emit_log_hook = NULL;

/* One argument taken out of a raised text: where it starts, its length. */
typedef struct
{
	const char *start;
	int			len;
} TextArg;

/*
 * Does text t match format f (%s: any text, %%: a percent sign)?  On success
 * args[0..*nargs) are the arguments.  Shortest arguments first, with
 * backtracking, so a later literal part decides where an argument ends.
 */
static bool
match_format(const char *f, const char *t, TextArg *args, int *nargs, int *steps)
{
	while (*f)
	{
		if (f[0] == '%' && f[1] == 's')
		{
			const char *end;

			if (*nargs >= MAX_ARGS)
				return false;
			for (end = t;; end++)
			{
				int			n = *nargs + 1;

				if (--*steps < 0)
					return false;
				args[*nargs].start = t;
				args[*nargs].len = (int) (end - t);
				if (match_format(f + 2, end, args, &n, steps))
				{
					*nargs = n;
					return true;
				}
				if (*end == '\0')
					return false;
			}
		}
		if (f[0] == '%' && f[1] == '%')
			f++;
		if (*f != *t)
			return false;
		f++;
		t++;
	}
	return *t == '\0';
}

/* Append argument a to buf, translated when it is one of the SQL words. */
static void
append_arg(StringInfo buf, const TextArg *a)
{
	char	   *word = pnstrdup(a->start, a->len);
	const char *const *w;

	for (w = sdbc_sql_words; *w; w++)
		if (strcmp(*w, word) == 0)
		{
			appendStringInfoString(buf, dgettext(TEXTDOMAIN, *w));
			pfree(word);
			return;
		}
	appendStringInfoString(buf, word);
	pfree(word);
}

/*
 * The translated format tr with the arguments filled in: %s takes the next
 * argument, %N$s the N-th (a translation may reorder them), %% is %.
 */
static char *
fill_format(const char *tr, const TextArg *args, int nargs)
{
	StringInfoData buf;
	int			next = 0;

	initStringInfo(&buf);
	while (*tr)
	{
		int			n = -1;
		const char *p = tr + 1;

		if (tr[0] != '%')
		{
			appendStringInfoChar(&buf, *tr++);
			continue;
		}
		if (tr[1] == '%')
		{
			appendStringInfoChar(&buf, '%');
			tr += 2;
			continue;
		}
		if (*p >= '1' && *p <= '9')
		{
			n = 0;
			while (*p >= '0' && *p <= '9')
				n = n * 10 + (*p++ - '0');
			n = (*p == '$') ? n - 1 : -1;
			p = (n >= 0) ? p + 1 : tr + 1;
		}
		if (*p != 's')			/* not a conversion msgfmt -c lets in */
		{
			appendStringInfoChar(&buf, *tr++);
			continue;
		}
		if (n < 0)
			n = next++;
		if (n < nargs)
			append_arg(&buf, &args[n]);
		tr = p + 1;
	}
	return buf.data;
}

/* Replace *field (a message, detail or hint) by its translation, if any. */
static void
translate_field(char **field)
{
	const char *text = *field;
	const char *tr;
	const char *const *f;

	if (text == NULL || strlen(text) > MAX_TEXT_LEN)
		return;
	tr = dgettext(TEXTDOMAIN, text);
	if (tr != text)
	{
		*field = pstrdup(tr);
		return;
	}
	for (f = sdbc_sql_formats; *f; f++)
	{
		TextArg		args[MAX_ARGS];
		int			nargs = 0;
		int			steps = MATCH_STEPS;

		if (match_format(*f, text, args, &nargs, &steps))
		{
			tr = dgettext(TEXTDOMAIN, *f);
			if (tr != *f)
				*field = fill_format(tr, args, nargs);
			return;
		}
	}
}

/*
 * emit_log_hook: an error PL/pgSQL raised (the extension's RAISE in SQL) is
 * written in the catalogue's language before the client and the server log
 * see it.  Errors from C are translated already; other messages pass.
 */
static void
translate_sql_error(ErrorData *edata)
{
	if (edata->elevel >= ERROR && edata->domain != NULL &&
		strcmp(edata->domain, PLPGSQL_DOMAIN) == 0 &&
		dgettext(TEXTDOMAIN, language_probe) != language_probe)
	{
		translate_field(&edata->message);
		translate_field(&edata->detail);
		translate_field(&edata->hint);
	}
	if (prev_emit_log_hook)
		prev_emit_log_hook(edata);
}

/* From _PG_init: bind the catalogue and install the hook. */
void
sdbc_messages_init(void)
{
	pg_bindtextdomain(TEXTDOMAIN);
	prev_emit_log_hook = emit_log_hook;
	emit_log_hook = translate_sql_error;
}
