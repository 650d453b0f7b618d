/*
 * grids_kernel_profile.c — part of test/bench/grids.sh: the grid-drawing
 * kernel (src/kernel/grid_kernel.c) timed outside the server, on the input that
 * grids_kernel.sql built, to separate the kernel's own time from the SQL
 * call around it (array deconstruction, CSR adjacency, result array).
 *
 *   cc -O2 -I src/kernel test/bench/grids_kernel_profile.c src/kernel/grid_kernel.c -lm -o prof
 *   ./prof RUNS < input.txt
 *
 * Input (text): "n ne min max", then n lines "x y households", then ne
 * 1-based site numbers (pairs), exactly what sdbc.grid_partition() takes.
 * Prints the median, minimum and maximum wall time of RUNS calls in ms and
 * the result of the last one.
 */
#include "grid_kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Milliseconds between two monotonic clock readings. */
static double
ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e3 + (b->tv_nsec - a->tv_nsec) / 1e6;
}

/* Order doubles ascending, for the median. */
static int
double_cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	int			runs = argc > 1 ? atoi(argv[1]) : 5;
	int			n,
				ne,
				minw,
				maxw;
	double	   *x,
			   *y,
			   *ms;
	int32_t    *w,
			   *ends,
			   *adj_start,
			   *adj,
			   *group;
	grid_input	in;
	grid_result out;

	if (runs < 1 || scanf("%d %d %d %d", &n, &ne, &minw, &maxw) != 4 || n < 0 || ne < 0 || ne % 2)
	{
		fprintf(stderr, "grids_kernel_profile: bad header\n");
		return 2;
	}
	x = malloc(sizeof(double) * (n + 1));
	y = malloc(sizeof(double) * (n + 1));
	w = malloc(sizeof(int32_t) * (n + 1));
	ends = malloc(sizeof(int32_t) * (ne + 1));
	adj_start = calloc(n + 1, sizeof(int32_t));
	adj = malloc(sizeof(int32_t) * (ne + 1));
	group = malloc(sizeof(int32_t) * (n + 1));
	ms = malloc(sizeof(double) * runs);
	for (int i = 0; i < n; i++)
		if (scanf("%lf %lf %d", &x[i], &y[i], &w[i]) != 3)
		{
			fprintf(stderr, "grids_kernel_profile: bad site %d\n", i + 1);
			return 2;
		}
	for (int e = 0; e < ne; e++)
		if (scanf("%d", &ends[e]) != 1 || ends[e] < 1 || ends[e] > n)
		{
			fprintf(stderr, "grids_kernel_profile: bad edge end %d\n", e + 1);
			return 2;
		}

	/* undirected edges -> CSR adjacency, with the kernel's own function */
	if (grid_adjacency_from_pairs(n, ends, ne, adj_start, adj) != 0)
	{
		fprintf(stderr, "grids_kernel_profile: bad edges\n");
		return 2;
	}

	in.n = n;
	in.x = x;
	in.y = y;
	in.weight = w;
	in.adj_start = adj_start;
	in.adj = adj;
	in.min_weight = minw;
	in.max_weight = maxw;
	out.group = group;
	for (int r = 0; r < runs; r++)
	{
		struct timespec t0,
					t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (grid_partition(&in, &out) != 0)
		{
			fprintf(stderr, "grids_kernel_profile: grid_partition failed\n");
			return 1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[r] = ms_between(&t0, &t1);
	}
	qsort(ms, runs, sizeof(double), double_cmp);
	printf("kernel alone: median %.1f ms, min %.1f, max %.1f over %d runs; %d grids, %d in bounds, %d in pieces\n",
		   ms[runs / 2], ms[0], ms[runs - 1], runs, out.groups, out.in_bounds, out.pieces);
	return 0;
}
