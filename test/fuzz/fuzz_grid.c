/*
 * fuzz_grid.c — libFuzzer target for the grid partitioner (R7.1): the bytes
 * become up to 48 sites (coordinates, households), bounds and adjacency
 * pairs, some of them out of range on purpose.  The kernel must refuse bad
 * input with -1 and otherwise give every site a group in range, with the
 * counts it reports consistent with the groups it made.
 */
#include "grid_kernel.h"
#include "fuzz_bytes.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SITES 48

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Cancel callback: asks to stop once its counter runs out. */
static int
cancel_after(void *arg)
{
	int		   *left = arg;

	return --*left <= 0;
}

/* One input: build sites and adjacency from the bytes and partition them. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t		pos = 0;
	int			n = fuzz_next_byte(data, size, &pos) % (MAX_SITES + 1);
	double		x[MAX_SITES],
				y[MAX_SITES];
	int32_t		weight[MAX_SITES],
				group[MAX_SITES];
	int32_t		ends[2 * MAX_SITES * 3];
	int32_t		adj_start[MAX_SITES + 1],
				adj[2 * MAX_SITES * 3];
	int			nends;
	int32_t		min_weight,
				max_weight;
	grid_input	in;
	grid_result out;
	int			rc;
	int			cancel_left;

	min_weight = (int32_t) fuzz_next_byte(data, size, &pos) * 4;
	max_weight = min_weight + (int32_t) fuzz_next_byte(data, size, &pos) * 4 - 64;	/* sometimes min > max */
	for (int i = 0; i < n; i++)
	{
		x[i] = (double) fuzz_next_byte(data, size, &pos) * 10.0;
		y[i] = (double) fuzz_next_byte(data, size, &pos) * 10.0;
		weight[i] = (int32_t) fuzz_next_byte(data, size, &pos) * 3 - (fuzz_next_byte(data, size, &pos) == 255 ? 1000 : 0);
	}
	nends = (int) (fuzz_next_byte(data, size, &pos) % (MAX_SITES * 3)) * 2;
	for (int i = 0; i < nends; i++)
		ends[i] = (int32_t) (fuzz_next_byte(data, size, &pos) % (n + 2));	/* 0 and n + 1 are not sites */
	if (grid_adjacency_from_pairs(n, ends, nends, adj_start, adj) != 0)
		return 0;

	memset(&in, 0, sizeof(in));
	in.n = n;
	in.x = x;
	in.y = y;
	in.weight = weight;
	in.adj_start = adj_start;
	in.adj = adj;
	in.min_weight = min_weight;
	in.max_weight = max_weight;
	/* sometimes a cancel request after some polls: -3, nothing else changes */
	cancel_left = fuzz_next_byte(data, size, &pos);
	if (cancel_left % 4 == 0)
	{
		in.cancel = cancel_after;
		in.cancel_arg = &cancel_left;
	}
	memset(&out, 0, sizeof(out));
	out.group = group;
	rc = grid_partition(&in, &out);
	REQUIRE(rc == 0 || rc == -1 || rc == -2 || (rc == -3 && in.cancel != NULL));
	if (rc == -3)
		REQUIRE(out.groups == 0);
	/* the group count never wraps round, whatever the total (session 4) */
	if (min_weight <= max_weight)
	{
		int			notes = 0;
		int64_t		huge = (int64_t) n * INT32_MAX * (1 + fuzz_next_byte(data, size, &pos) % 2);

		REQUIRE(grid_group_count(huge, min_weight, max_weight, &notes) >= 1);
	}
	if (rc != 0)
		return 0;
	REQUIRE(out.groups >= 0 && out.groups <= (n > 0 ? n : 1));
	REQUIRE(out.in_bounds >= 0 && out.in_bounds <= out.groups);
	REQUIRE(out.pieces >= 0 && out.pieces <= out.groups);
	for (int i = 0; i < n; i++)
		REQUIRE(group[i] >= 0 && group[i] < out.groups);
	return 0;
}
