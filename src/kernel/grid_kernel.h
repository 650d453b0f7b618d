/*
 * grid_kernel.h — drawing grids (R7.1): partition a community's building
 * sites, weighted by households, into contiguous groups of bounded size.
 *
 * Plain C over arrays; no PostgreSQL, no geometry library.  The caller gives
 * site coordinates, weights and the adjacency graph of the sites' cells
 * (which cells share an edge), and gets back a group number per site.
 */
#ifndef SDBC_GRID_KERNEL_H
#define SDBC_GRID_KERNEL_H

#include <stdint.h>

/* Why bounds could not all be met (bit flags in grid_result.notes). */
#define GRID_NOTE_BUILDING_ABOVE_MAX  0x01	/* one site alone exceeds the maximum */
#define GRID_NOTE_COMMUNITY_BELOW_MIN 0x02	/* all households together are below the minimum */
#define GRID_NOTE_DISCONNECTED        0x04	/* the sites' cells are not all connected */
#define GRID_NOTE_UNBALANCED          0x08	/* sizes could not all be brought within bounds */
#define GRID_NOTE_NO_BUILDINGS        0x10	/* nothing to draw */

/* What to partition. */
typedef struct grid_input
{
	int			n;				/* number of sites */
	const double *x;			/* site coordinates (any planar units) */
	const double *y;
	const int32_t *weight;		/* households per site, >= 0 */
	const int32_t *adj_start;	/* CSR adjacency: neighbours of i are */
	const int32_t *adj;			/* adj[adj_start[i] .. adj_start[i+1]-1] */
	int32_t		min_weight;		/* bounds of a group's total weight */
	int32_t		max_weight;
	/*
	 * Polled now and then during the work (may be NULL): when it returns
	 * nonzero the partition stops, frees what it allocated and returns -3,
	 * so that the caller can honour a cancel request (no longjmp out of the
	 * kernel, which holds malloc'd memory).
	 */
	int			(*cancel) (void *arg);
	void	   *cancel_arg;
} grid_input;

/* What came out. */
typedef struct grid_result
{
	int32_t    *group;			/* per site: 0 .. groups-1 (caller allocates n) */
	int			groups;
	int			in_bounds;		/* groups whose weight lies within the bounds */
	int			pieces;			/* groups whose sites are not connected */
	int			notes;			/* GRID_NOTE_* */
} grid_result;

/* 0 on success; -1 on bad input (n < 0, min > max, negative weight, bad
 * adjacency index); -2 when memory runs out; -3 when in->cancel asked to stop. */
extern int	grid_partition(const grid_input *in, grid_result *out);

/*
 * Adjacency in the form grid_input wants (CSR) from pairs of 1-based site
 * numbers: ends[0..nends) holds the pairs one after the other.  adj_start
 * holds n + 1 entries and adj nends; both are filled here.  0 on success,
 * -1 when an end is not a site number or nends is odd, -2 when memory runs out.
 */
extern int	grid_adjacency_from_pairs(int n, const int32_t *ends, int nends,
									  int32_t *adj_start, int32_t *adj);

/* Number of groups the kernel aims for, given the total weight and bounds:
 * from 1 to INT32_MAX, computed without overflow for any total >= 0. */
extern int	grid_group_count(int64_t total, int32_t min_weight, int32_t max_weight, int *notes);

#endif							/* SDBC_GRID_KERNEL_H */
