/*
 * grid_partition.c — SQL glue for the grid-drawing kernel (R7.1).
 *
 * sdbc.grid_partition(x, y, households, edges, min, max) takes the sites of
 * one community as arrays, plus the pairs of sites whose cells share an
 * edge, and returns the grid number of every site with what could not be
 * met.  Geometry (Voronoi cells, adjacency, unions) stays in SQL.
 */
#include "sdbc.h"

#include "sqlstates.h"

#include "grid_kernel.h"
#include "policy_cache.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/date.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(grid_partition_sql);

/* Elements of a one-dimensional array without NULLs, or an error naming it. */
static Datum *
array_elements(ArrayType *a, Oid elemtype, const char *name, int *count)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elems;
	bool	   *nulls;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", name)));
	get_typlenbyvalalign(elemtype, &typlen, &typbyval, &typalign);
	deconstruct_array(a, elemtype, typlen, typbyval, typalign, &elems, &nulls, count);
	for (int i = 0; i < *count; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULLs", name)));
	return elems;
}

/*
 * The kernel's cancel callback: true when a cancel or termination request
 * waits and may be served now.  The kernel then frees its memory and returns
 * -3, and CHECK_FOR_INTERRUPTS() below raises the error (session 4,
 * finding 5: a statement_timeout used to wait for the whole partition).
 */
static int
cancel_requested(void *arg)
{
	return (QueryCancelPending || ProcDiePending) && INTERRUPTS_CAN_BE_PROCESSED();
}

/*
 * Largest number of sites one call may partition: policy
 * grid.partition.max_sites, for everywhere (SD381 above it); 50000, the
 * built-in value, where the installed SQL predates the key.  Edges are
 * limited to 8 pairs a site (cells of a planar partition share at most 3 a
 * site on average; pairs may be given both ways).
 */
#define GRID_PARTITION_DEFAULT_MAX_SITES 50000	/* the built-in policy value */

static void
check_size(int n, int ne)
{
	int64		max_sites = GRID_PARTITION_DEFAULT_MAX_SITES;

	/* the SQL of 0.1.0 and 0.2.0 (not yet updated) has no such key: the default */
	if (sdbc_policy_key_info("grid.partition.max_sites") != NULL)
	{
		Numeric		v = sdbc_policy_required("grid.partition.max_sites", false, 0,
											 GetSQLCurrentDate());

		max_sites = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(v)));
	}

	if (n > max_sites || (int64) ne > 16 * max_sites)
		ereport(ERROR,
				(errcode(ERRCODE_SDBC_TOO_MANY_SITES),
				 errmsg("grid_partition of %d sites and %d edge ends exceeds the limit of %lld sites (%lld edge ends)",
						n, ne, (long long) max_sites, (long long) (16 * max_sites)),
				 errdetail("Rule R7.1: grids are drawn community by community; policy grid.partition.max_sites bounds the sites of one drawing."),
				 errhint("Draw one community at a time (sdbc.grid_draw), or raise policy grid.partition.max_sites.")));
}

/* The reasons in notes, as a text array of identifiers. */
static ArrayType *
reasons_array(int notes)
{
	static const struct
	{
		int			flag;
		const char *name;
	}			names[] = {
		{GRID_NOTE_BUILDING_ABOVE_MAX, "building_above_max"},
		{GRID_NOTE_COMMUNITY_BELOW_MIN, "community_below_min"},
		{GRID_NOTE_DISCONNECTED, "disconnected"},
		{GRID_NOTE_UNBALANCED, "unbalanced"},
		{GRID_NOTE_NO_BUILDINGS, "no_buildings"},
	};
	Datum		d[5];
	int			n = 0;

	for (int i = 0; i < 5; i++)
		if (notes & names[i].flag)
			d[n++] = CStringGetTextDatum(names[i].name);
	return construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT);
}

/*
 * grid_partition(x float8[], y float8[], households int4[], edges int4[],
 * min int4, max int4) → (grid int4[], grids, in_bounds, pieces, reasons).
 * edges holds pairs of 1-based site numbers; grid numbers are 1-based.
 */
Datum
grid_partition_sql(PG_FUNCTION_ARGS)
{
	int			n,
				ny,
				nw,
				ne;
	Datum	   *xd = array_elements(PG_GETARG_ARRAYTYPE_P(0), FLOAT8OID, "x", &n);
	Datum	   *yd = array_elements(PG_GETARG_ARRAYTYPE_P(1), FLOAT8OID, "y", &ny);
	Datum	   *wd = array_elements(PG_GETARG_ARRAYTYPE_P(2), INT4OID, "households", &nw);
	Datum	   *ed = array_elements(PG_GETARG_ARRAYTYPE_P(3), INT4OID, "edges", &ne);
	int32		min_w = PG_GETARG_INT32(4),
				max_w = PG_GETARG_INT32(5);
	double	   *x,
			   *y;
	int32	   *w,
			   *adj_start,
			   *adj,
			   *group;
	grid_input	in;
	grid_result out;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	Datum	   *gd;
	int			rc;

	if (ny != n || nw != n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("x, y and households must have the same length")));
	check_size(n, ne);
	if (min_w < 0 || min_w > max_w)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grid bounds %d–%d are not a range", min_w, max_w),
				 errhint("Give 0 <= min <= max (policy grid.households.min and .max).")));

	x = palloc(sizeof(double) * (n + 1));
	y = palloc(sizeof(double) * (n + 1));
	w = palloc(sizeof(int32) * (n + 1));
	for (int i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		x[i] = DatumGetFloat8(xd[i]);
		y[i] = DatumGetFloat8(yd[i]);
		w[i] = DatumGetInt32(wd[i]);
		if (w[i] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("site %d has a negative number of households", i + 1)));
	}

	/* undirected edges -> CSR adjacency */
	{
		int32	   *ends = palloc(sizeof(int32) * (ne + 1));

		for (int e = 0; e < ne; e++)
			ends[e] = DatumGetInt32(ed[e]);
		adj_start = palloc(sizeof(int32) * (n + 1));
		adj = palloc(sizeof(int32) * (ne + 1));
		rc = grid_adjacency_from_pairs(n, ends, ne, adj_start, adj);
		if (rc == -2)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory while drawing grids of %d sites", n)));
		if (rc != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("edges must hold pairs of site numbers from 1 to %d", n)));
	}

	group = palloc(sizeof(int32) * (n + 1));
	in.n = n;
	in.x = x;
	in.y = y;
	in.weight = w;
	in.adj_start = adj_start;
	in.adj = adj;
	in.min_weight = min_w;
	in.max_weight = max_w;
	in.cancel = cancel_requested;
	in.cancel_arg = NULL;
	out.group = group;
	CHECK_FOR_INTERRUPTS();
	rc = grid_partition(&in, &out);
	if (rc == -3)
	{
		CHECK_FOR_INTERRUPTS();
		/* not served after all (the request went away): cancel anyway */
		ereport(ERROR,
				(errcode(ERRCODE_QUERY_CANCELED),
				 errmsg("canceling grid partition due to user request")));
	}
	if (rc == -2)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory while drawing grids of %d sites", n)));
	if (rc != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grid partition input is inconsistent")));

	gd = palloc(sizeof(Datum) * (n + 1));
	for (int i = 0; i < n; i++)
		gd[i] = Int32GetDatum(group[i] + 1);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("grid_partition must be called where a record is expected")));
	values[0] = PointerGetDatum(construct_array(gd, n, INT4OID, 4, true, TYPALIGN_INT));
	values[1] = Int32GetDatum(out.groups);
	values[2] = Int32GetDatum(out.in_bounds);
	values[3] = Int32GetDatum(out.pieces);
	values[4] = PointerGetDatum(reasons_array(out.notes));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
