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

#include "divcode_kernel.h"

#include "access/stratnum.h"
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
	Oid			opfamily;
	Selectivity sel = DEFAULT_EQ_SEL;

	if (!get_restriction_variable(root, args, varRelid, &vardata, &other, &varonleft))
		PG_RETURN_FLOAT8(DEFAULT_EQ_SEL);
	if (!IsA(other, Const) || ((Const *) other)->constisnull)
	{
		ReleaseVariableStats(vardata);
		PG_RETURN_FLOAT8(DEFAULT_EQ_SEL);
	}
	typid = ((Const *) other)->consttype;
	opfamily = get_opclass_family(GetDefaultOpClass(typid, BTREE_AM_OID));

	if (side_of_argument(funcid, varonleft ? 0 : 1) == SIDE_DESCENDANT)
	{
		List	   *conds = descendant_range(funcid, opfamily, (Expr *) vardata.var,
											 (Expr *) other);

		if (conds != NIL)
			sel = clauselist_selectivity(root, conds, varRelid, JOIN_INNER, NULL);
	}
	else
	{
		/* The column is an ancestor of a constant: at most five values. */
		int64		c = DatumGetDivcode(((Const *) other)->constvalue);

		sel = 0;
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
