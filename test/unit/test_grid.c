/*
 * test_grid.c — unit tests of the grid-drawing kernel, without a server.
 *
 * Sites on a jittered lattice (4-neighbour adjacency, like the cells of a
 * regular street grid), households drawn from a fixed pseudo-random
 * sequence; checks bounds, contiguity, determinism and the reported
 * reasons when bounds cannot be met.
 */
#include "grid_kernel.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

/* A lattice of side x side sites with weights from a linear congruential sequence. */
typedef struct lattice
{
	int			n;
	double	   *x,
			   *y;
	int32_t    *w,
			   *adj_start,
			   *adj;
} lattice;

static uint32_t seed;

/* Next pseudo-random number (fixed sequence for a fixed seed). */
static uint32_t
next_rand(void)
{
	seed = seed * 1664525u + 1013904223u;
	return seed >> 8;
}

/* Build a side x side lattice; weights uniform in [lo, hi]. */
static lattice
make_lattice(int side, int lo, int hi)
{
	lattice		l;
	int			e = 0;

	l.n = side * side;
	l.x = malloc(sizeof(double) * l.n);
	l.y = malloc(sizeof(double) * l.n);
	l.w = malloc(sizeof(int32_t) * l.n);
	l.adj_start = malloc(sizeof(int32_t) * (l.n + 1));
	l.adj = malloc(sizeof(int32_t) * l.n * 4);
	for (int r = 0; r < side; r++)
		for (int c = 0; c < side; c++)
		{
			int			i = r * side + c;

			l.x[i] = c + (next_rand() % 1000) / 2500.0;
			l.y[i] = r + (next_rand() % 1000) / 2500.0;
			l.w[i] = lo + (int32_t) (next_rand() % (uint32_t) (hi - lo + 1));
			l.adj_start[i] = e;
			if (r > 0)
				l.adj[e++] = i - side;
			if (c > 0)
				l.adj[e++] = i - 1;
			if (c < side - 1)
				l.adj[e++] = i + 1;
			if (r < side - 1)
				l.adj[e++] = i + side;
		}
	l.adj_start[l.n] = e;
	return l;
}

/* Free a lattice. */
static void
free_lattice(lattice *l)
{
	free(l->x);
	free(l->y);
	free(l->w);
	free(l->adj_start);
	free(l->adj);
}

/* A cancel callback that asks to stop at its *arg-th poll (counting down). */
static int
stop_after(void *arg)
{
	int		   *left = arg;

	return --*left <= 0;
}

/* Run the kernel on a lattice with bounds [lo, hi]. */
static int
run(const lattice *l, int lo, int hi, grid_result *r)
{
	grid_input	in = {l->n, l->x, l->y, l->w, l->adj_start, l->adj, lo, hi, NULL, NULL};

	r->group = malloc(sizeof(int32_t) * (l->n > 0 ? l->n : 1));
	return grid_partition(&in, r);
}

int
main(void)
{
	grid_result r,
				r2;
	lattice		l;
	int			notes;

	/* the group count aims at the middle of the bounds */
	notes = 0;
	is_int(grid_group_count(2500, 200, 300, &notes), 10, "2500 households: 10 grids");
	is_int(notes, 0, "no notes");
	notes = 0;
	is_int(grid_group_count(150, 200, 300, &notes), 1, "below the minimum: one grid");
	ok(notes & GRID_NOTE_COMMUNITY_BELOW_MIN, "noted below minimum");
	notes = 0;
	grid_group_count(350, 200, 300, &notes);
	ok(notes & GRID_NOTE_UNBALANCED, "350 cannot split into 200-300 grids");

	/* overflow (session 4, finding 7): the count never wraps round */
	notes = 0;
	is_int(grid_group_count(INT64_C(2) * INT32_MAX, 0, 1, &notes), INT32_MAX,
		   "two sites of 2^31-1 households, grids of at most 1: the count saturates at INT32_MAX");
	notes = 0;
	is_int(grid_group_count(INT64_C(4) * INT32_MAX, 1, 1, &notes), INT32_MAX,
		   "four times 2^31-1 households, grids of exactly 1: saturates, never negative");
	notes = 0;
	ok(grid_group_count(INT64_C(1) << 62, 0, 1, &notes) >= 1, "2^62 households (n * INT32_MAX): at least one grid");
	{
		double		x[2] = {0, 1},
					y[2] = {0, 1};
		int32_t		w[2] = {INT32_MAX, INT32_MAX},
					as[3] = {0, 1, 2},
					adj[2] = {1, 0},
					g[2];
		grid_input	in = {2, x, y, w, as, adj, 0, 1, NULL, NULL};
		grid_result res;

		res.group = g;
		is_int(grid_partition(&in, &res), 0, "two huge sites partition");
		is_int(res.groups, 2, "two huge sites, grids of at most 1: two grids (was one)");
	}

	/* cancel (session 4, finding 5): the kernel stops when asked, frees, returns -3 */
	seed = 7;
	l = make_lattice(30, 1, 30);
	{
		grid_input	in = {l.n, l.x, l.y, l.w, l.adj_start, l.adj, 200, 300, NULL, NULL};
		int			left = 1;
		int32_t    *g = malloc(sizeof(int32_t) * l.n);

		r.group = g;
		in.cancel = stop_after;
		in.cancel_arg = &left;
		is_int(grid_partition(&in, &r), -3, "a cancel at the first poll stops the partition");
		is_int(r.groups, 0, "a cancelled partition reports no grids");
		left = 1000000000;
		is_int(grid_partition(&in, &r), 0, "a cancel callback that never asks changes nothing");
		ok(left < 1000000000, "the callback was polled (%d times)", 1000000000 - left);
		is_int(r.in_bounds, r.groups, "and the grids are within bounds");
		free(g);
	}
	free_lattice(&l);

	/* a city-sized community: 40 x 40 sites, 1-30 households each */
	seed = 42;
	l = make_lattice(40, 1, 30);
	is_int(run(&l, 200, 300, &r), 0, "partition succeeds");
	ok(r.groups > 80 && r.groups < 130, "about total/250 grids (%d)", r.groups);
	is_int(r.in_bounds, r.groups, "every grid within 200-300");
	is_int(r.pieces, 0, "no grid in pieces");
	is_int(r.notes, 0, "no notes");
	is_int(run(&l, 200, 300, &r2), 0, "second run");
	ok(memcmp(r.group, r2.group, sizeof(int32_t) * l.n) == 0, "deterministic");
	free(r.group);
	free(r2.group);
	free_lattice(&l);

	/* lumpy: towers of up to 120 households */
	seed = 7;
	l = make_lattice(30, 1, 120);
	is_int(run(&l, 200, 300, &r), 0, "lumpy partition succeeds");
	ok(r.in_bounds * 100 >= r.groups * 95, "lumpy (4 sites a grid): at least 95%% of grids in bounds (%d of %d)", r.in_bounds, r.groups);
	is_int(r.pieces, 0, "lumpy: no grid in pieces");
	free(r.group);
	free_lattice(&l);

	/* a realistic mix: 60% bungalows (1-2), 30% walk-ups (6-36), 10% towers (60-140) */
	seed = 2024;
	l = make_lattice(60, 1, 2);
	for (int i = 0; i < l.n; i++)
	{
		uint32_t	u = next_rand() % 100;

		if (u >= 90)
			l.w[i] = 60 + (int32_t) (next_rand() % 81);
		else if (u >= 60)
			l.w[i] = 6 + (int32_t) (next_rand() % 31);
	}
	is_int(run(&l, 200, 300, &r), 0, "mixed partition succeeds");
	ok(r.in_bounds == r.groups, "mixed: every grid within 200-300 (%d of %d)", r.in_bounds, r.groups);
	is_int(r.pieces, 0, "mixed: no grid in pieces");
	free(r.group);
	free_lattice(&l);

	/* one building above the maximum is reported, and still placed */
	seed = 3;
	l = make_lattice(10, 5, 10);
	l.w[55] = 500;
	is_int(run(&l, 200, 300, &r), 0, "tower partition succeeds");
	ok(r.notes & GRID_NOTE_BUILDING_ABOVE_MAX, "tower above maximum noted");
	is_int(r.pieces, 0, "tower: no grid in pieces");
	free(r.group);
	free_lattice(&l);

	/* a community too small for one grid */
	seed = 9;
	l = make_lattice(4, 1, 5);
	is_int(run(&l, 200, 300, &r), 0, "small community succeeds");
	is_int(r.groups, 1, "small community: one grid");
	ok(r.notes & GRID_NOTE_COMMUNITY_BELOW_MIN, "small community noted");
	free(r.group);
	free_lattice(&l);

	/* two islands with no edge between them */
	seed = 11;
	l = make_lattice(20, 1, 30);
	for (int i = 0; i < l.n; i++)
		for (int e = l.adj_start[i]; e < l.adj_start[i + 1]; e++)
			if ((i % 20 < 10) != (l.adj[e] % 20 < 10))
				l.adj[e] = i % 20 < 10 ? i - (i % 20 > 0 ? 1 : 0) : i;	/* cut the middle edges */
	is_int(run(&l, 200, 300, &r), 0, "islands succeed");
	ok(r.groups >= 2, "islands: several grids");
	free(r.group);
	free_lattice(&l);

	/* adjacency from pairs of 1-based site numbers */
	{
		int32_t		ends[6] = {1, 2, 2, 3, 1, 3},
					as[4],
					adj[6],
					odd[3] = {1, 2, 3},
					outside[2] = {1, 4};

		is_int(grid_adjacency_from_pairs(3, ends, 6, as, adj), 0, "pairs to adjacency");
		ok(as[0] == 0 && as[1] == 2 && as[2] == 4 && as[3] == 6, "each site of a triangle has two neighbours");
		ok((adj[0] == 1 && adj[1] == 2) || (adj[0] == 2 && adj[1] == 1), "site 1 sees sites 2 and 3");
		is_int(grid_adjacency_from_pairs(3, odd, 3, as, adj), -1, "an odd number of ends is refused");
		is_int(grid_adjacency_from_pairs(3, outside, 2, as, adj), -1, "an end outside the sites is refused");
	}

	/* bad input */
	{
		double		x[1] = {0},
					y[1] = {0};
		int32_t		w[1] = {-1},
					as[2] = {0, 0},
					adj[1] = {0},
					g[1];
		grid_input	in = {1, x, y, w, as, adj, 200, 300, NULL, NULL};
		grid_result res;

		res.group = g;
		is_int(grid_partition(&in, &res), -1, "negative weight rejected");
		w[0] = 5;
		in.min_weight = 400;
		is_int(grid_partition(&in, &res), -1, "min above max rejected");
		in.min_weight = 200;
		in.n = 0;
		is_int(grid_partition(&in, &res), 0, "no sites");
		ok(res.notes & GRID_NOTE_NO_BUILDINGS, "no sites noted");
	}
	return done_testing();
}
