/*
 * divcode_support.c — planner help for the hierarchy operators.
 *
 * `code <@ x` (and `x @> code`) is true exactly when code lies in the integer
 * range [x, divcode_subtree_last(x)], because a division's descendants share
 * its leading digits.  The support function hands the planner that range as
 * btree conditions, so an ordinary btree index on a divcode column answers
 * descendant queries by a range scan; the estimator gives the planner the
 * same range's selectivity from the column's histogram.
 */
#include "sdbc.h"

#include "divcode.h"

#include "divcode_kernel.h"

#include "access/htup_details.h"
#include "access/stratnum.h"
#include "catalog/pg_statistic.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "parser/parse_func.h"
#include "utils/lsyscache.h"
#include "utils/selfuncs.h"

PG_FUNCTION_INFO_V1(divcode_support);
PG_FUNCTION_INFO_V1(divcode_contsel);

/* Which way round a hierarchy call is, given the side of interest. */
typedef enum
{
	SIDE_NONE,					/* not one of our functions */
	SIDE_DESCENDANT,			/* the argument is the descendant: x <@ c, c @> x */
	SIDE_ANCESTOR				/* the argument is the ancestor: x @> c, c <@ x */
} hierarchy_side;

/* Classify argument argno (0 or 1) of a call to function funcid. */
static hierarchy_side
side_of_argument(Oid funcid, int argno)
{
	char	   *name = get_func_name(funcid);
	bool		contains;

	if (name == NULL)
		return SIDE_NONE;
	if (strcmp(name, "divcode_contains") == 0)
		contains = true;
	else if (strcmp(name, "divcode_contained_by") == 0)
		contains = false;
	else
		return SIDE_NONE;
	/* contains(a, b): a is the ancestor; contained_by(a, b): a the descendant */
	if (contains)
		return argno == 0 ? SIDE_ANCESTOR : SIDE_DESCENDANT;
	return argno == 0 ? SIDE_DESCENDANT : SIDE_ANCESTOR;
}

/* Build `left <op strategy> right` with the member of opfamily for strategy. */
static Expr *
make_btree_clause(Oid opfamily, Oid typid, int strategy, Expr *left, Expr *right)
{
	Oid			opno = get_opfamily_member(opfamily, typid, typid, strategy);
	OpExpr	   *op;

	if (!OidIsValid(opno))
		return NULL;
	op = (OpExpr *) make_opclause(opno, BOOLOID, false, left, right,
								  InvalidOid, InvalidOid);
	op->opfuncid = get_opcode(opno);
	return (Expr *) op;
}

/* The expression for the end of x's subtree: a Const when x is one. */
static Expr *
subtree_last_expr(Oid funcid, Oid typid, Expr *x)
{
	List	   *name;
	Oid			fn;

	if (IsA(x, Const))
		return (Expr *) makeConst(typid, -1, InvalidOid, sizeof(int64),
								  DivcodeGetDatum(divcode_subtree_last(
									  DatumGetDivcode(((Const *) x)->constvalue))),
								  false, FLOAT8PASSBYVAL);
	name = list_make2(makeString(get_namespace_name(get_func_namespace(funcid))),
					  makeString("divcode_subtree_last"));
	fn = LookupFuncName(name, 1, &typid, false);
	return (Expr *) makeFuncExpr(fn, typid, list_make1(copyObject(x)),
								 InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
}

/*
 * The range conditions `key >= x AND key <= subtree_last(x)` equivalent to
 * "key is x or below x", using the operators of opfamily; NIL when the
 * family has no such operators (e.g. a hash index).
 */
static List *
descendant_range(Oid funcid, Oid opfamily, Expr *key, Expr *x)
{
	Oid			typid = exprType((Node *) key);
	Expr	   *ge,
			   *le;

	ge = make_btree_clause(opfamily, typid, BTGreaterEqualStrategyNumber,
						   copyObject(key), copyObject(x));
	le = make_btree_clause(opfamily, typid, BTLessEqualStrategyNumber,
						   copyObject(key), subtree_last_expr(funcid, typid, x));
	if (ge == NULL || le == NULL)
		return NIL;
	return list_make2(ge, le);
}

/*
 * Planner support for divcode_contains / divcode_contained_by: turn a
 * descendant test on an indexed column into an exact btree range.
 */
Datum
divcode_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestIndexCondition *req;
	List	   *args;
	List	   *conds;
	Expr	   *other;

	if (!IsA(rawreq, SupportRequestIndexCondition))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestIndexCondition *) rawreq;

	if (is_opclause(req->node))
		args = ((OpExpr *) req->node)->args;
	else if (is_funcclause(req->node))
		args = ((FuncExpr *) req->node)->args;
	else
		PG_RETURN_POINTER(NULL);
	if (list_length(args) != 2 ||
		side_of_argument(req->funcid, req->indexarg) != SIDE_DESCENDANT)
		PG_RETURN_POINTER(NULL);

	other = (Expr *) list_nth(args, 1 - req->indexarg);
	if (IsA(other, Const) && ((Const *) other)->constisnull)
		PG_RETURN_POINTER(NULL);

	conds = descendant_range(req->funcid, req->opfamily,
							 (Expr *) list_nth(args, req->indexarg), other);
	if (conds == NIL)
		PG_RETURN_POINTER(NULL);
	req->lossy = false;
	PG_RETURN_POINTER(conds);
}

/*
 * Position of x in a sorted histogram of int64 bounds, as a fraction 0–1 of
 * the rows, interpolating linearly inside a bucket.  Core's scalarineqsel
 * cannot interpolate a type it does not know and would treat a county inside
 * one bucket as an empty range, so the hierarchy operators do it here.
 */
static double
histogram_position(const Datum *bounds, int n, int64 x)
{
	int			lo = 0,
				hi = n - 1;
	int64		a,
				b;

	if (x <= DatumGetInt64(bounds[0]))
		return 0.0;
	if (x >= DatumGetInt64(bounds[n - 1]))
		return 1.0;
	while (hi - lo > 1)
	{
		int			mid = (lo + hi) / 2;

		if (DatumGetInt64(bounds[mid]) <= x)
			lo = mid;
		else
			hi = mid;
	}
	a = DatumGetInt64(bounds[lo]);
	b = DatumGetInt64(bounds[hi]);
	return (lo + (b > a ? (double) (x - a) / (double) (b - a) : 0.0)) / (n - 1);
}

/* Fraction of a column's rows whose code lies in [first, last], from its statistics. */
static Selectivity
range_selectivity(VariableStatData *vardata, int64 first, int64 last)
{
	Form_pg_statistic stats;
	AttStatsSlot sslot;
	double		mcv_in = 0.0,
				mcv_all = 0.0,
				hist_in = DEFAULT_INEQ_SEL;

	if (!HeapTupleIsValid(vardata->statsTuple))
		return DEFAULT_INEQ_SEL / 10;
	stats = (Form_pg_statistic) GETSTRUCT(vardata->statsTuple);

	if (get_attstatsslot(&sslot, vardata->statsTuple, STATISTIC_KIND_MCV, InvalidOid,
						 ATTSTATSSLOT_VALUES | ATTSTATSSLOT_NUMBERS))
	{
		for (int i = 0; i < sslot.nvalues; i++)
		{
			int64		v = DatumGetInt64(sslot.values[i]);

			mcv_all += sslot.numbers[i];
			if (v >= first && v <= last)
				mcv_in += sslot.numbers[i];
		}
		free_attstatsslot(&sslot);
	}
	if (get_attstatsslot(&sslot, vardata->statsTuple, STATISTIC_KIND_HISTOGRAM, InvalidOid,
						 ATTSTATSSLOT_VALUES))
	{
		if (sslot.nvalues >= 2)
			hist_in = histogram_position(sslot.values, sslot.nvalues, last + 1) -
				histogram_position(sslot.values, sslot.nvalues, first);
		free_attstatsslot(&sslot);
	}
	else if (mcv_all > 0)
		hist_in = 0.0;			/* every value is an MCV */
	return mcv_in + hist_in * Max(0.0, 1.0 - stats->stanullfrac - mcv_all);
}

/*
 * Restriction estimator for @> and <@: the selectivity of the equivalent
 * range (descendant side) or of the handful of ancestors (ancestor side).
 */
Datum
divcode_contsel(PG_FUNCTION_ARGS)
{
	PlannerInfo *root = (PlannerInfo *) PG_GETARG_POINTER(0);
	Oid			operator = PG_GETARG_OID(1);
	List	   *args = (List *) PG_GETARG_POINTER(2);
	int			varRelid = PG_GETARG_INT32(3);
	VariableStatData vardata;
	Node	   *other;
	bool		varonleft;
	Oid			funcid = get_opcode(operator);
	Oid			typid;
	int64		c;
	Selectivity sel = 0.0;

	if (!get_restriction_variable(root, args, varRelid, &vardata, &other, &varonleft))
		PG_RETURN_FLOAT8(DEFAULT_EQ_SEL);
	if (!IsA(other, Const) || ((Const *) other)->constisnull)
	{
		ReleaseVariableStats(vardata);
		PG_RETURN_FLOAT8(DEFAULT_EQ_SEL);
	}
	typid = ((Const *) other)->consttype;
	c = DatumGetDivcode(((Const *) other)->constvalue);

	if (side_of_argument(funcid, varonleft ? 0 : 1) == SIDE_DESCENDANT)
		sel = range_selectivity(&vardata, c, divcode_subtree_last(c));
	else
	{
		/* The column is an ancestor of a constant: at most five values. */
		Oid			opfamily = get_opclass_family(GetDefaultOpClass(typid, BTREE_AM_OID));

		for (int level = DIVCODE_LEVEL_PROVINCE; level <= DIVCODE_LEVEL_VILLAGE; level++)
		{
			int64		a = divcode_ancestor(c, level);
			Expr	   *eq;

			if (a < 0)
				continue;
			eq = make_btree_clause(opfamily, typid, BTEqualStrategyNumber,
								   (Expr *) vardata.var,
								   (Expr *) makeConst(typid, -1, InvalidOid, sizeof(int64),
													  DivcodeGetDatum(a), false,
													  FLOAT8PASSBYVAL));
			if (eq)
				sel += clause_selectivity(root, (Node *) eq, varRelid, JOIN_INNER, NULL);
		}
	}
	ReleaseVariableStats(vardata);
	CLAMP_PROBABILITY(sel);
	PG_RETURN_FLOAT8(sel);
}
