/*
 * grid_kernel.c — partition building sites into grids of bounded size (R7.1).
 *
 * Method (deterministic for the same input):
 *  1. choose the number of grids k so that total/k lies within the bounds;
 *  2. weighted recursive inertial bisection: split the sites along their
 *     principal axis at the point where the left side can hold k1 grids and
 *     the right side k2 = k - k1, both within the bounds where possible;
 *  3. repair contiguity: a grid whose sites fall apart (in the adjacency
 *     graph of their cells) keeps its heaviest piece and hands the others
 *     to the neighbouring grid they touch most;
 *  4. repair sizes: move boundary sites from grids above the maximum, and
 *     into grids below the minimum, never disconnecting a grid;
 *  5. compactness: move a boundary site to the neighbouring grid whose
 *     centre is clearly nearer, when sizes and contiguity allow.
 * Plain C, no PostgreSQL headers; memory from malloc, freed before return.
 */
#include "grid_kernel.h"

#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdlib.h>
#include <string.h>

/* Working state of one partition. */
typedef struct work
{
	const grid_input *in;
	int32_t    *group;
	int			ngroups;
	int64_t    *gweight;		/* total weight per group */
	int		   *gsize;			/* sites per group */
	int		   *head;			/* first site of each group (doubly linked lists) */
	int		   *next;
	int		   *prev;
	int		   *queue;			/* BFS scratch */
	unsigned   *mark;			/* BFS visit marks, compared with generation */
	unsigned	generation;
	long		chain_budget;	/* tentative moves fix_chain may still try */
	unsigned	polls;			/* calls of stop() since the last poll of in->cancel */
	int			cancelled;		/* in->cancel asked to stop: every step returns at once */
} work;

/*
 * True once the caller asked to stop (in->cancel, polled every 64 calls):
 * the loops of every step test it and return, and grid_partition returns -3.
 */
static int
stop(work *w)
{
	if (!w->cancelled && w->in->cancel != NULL && (++w->polls & 63) == 0 &&
		w->in->cancel(w->in->cancel_arg))
		w->cancelled = 1;
	return w->cancelled;
}

/* A site and its position along a split axis, for sorting. */
typedef struct keyed
{
	double		key;
	int			site;
} keyed;

/* Order keyed sites by key, then by site number (deterministic). */
static int
keyed_cmp(const void *a, const void *b)
{
	const keyed *ka = a,
			   *kb = b;

	if (ka->key < kb->key)
		return -1;
	if (ka->key > kb->key)
		return 1;
	return (ka->site > kb->site) - (ka->site < kb->site);
}

/* CSR adjacency from pairs of 1-based site numbers; see grid_kernel.h. */
int
grid_adjacency_from_pairs(int n, const int32_t *ends, int nends, int32_t *adj_start, int32_t *adj)
{
	int32_t    *fill;

	if (n < 0 || nends < 0 || nends % 2 != 0)
		return -1;
	for (int i = 0; i <= n; i++)
		adj_start[i] = 0;
	for (int e = 0; e < nends; e++)
	{
		if (ends[e] < 1 || ends[e] > n)
			return -1;
		adj_start[ends[e]]++;	/* counted one place up: prefix sums give starts */
	}
	for (int i = 1; i <= n; i++)
		adj_start[i] += adj_start[i - 1];
	fill = calloc(n + 1, sizeof(int32_t));
	if (fill == NULL)
		return -2;
	for (int e = 0; e < nends; e += 2)
	{
		int			a = ends[e] - 1,
					b = ends[e + 1] - 1;

		adj[adj_start[a] + fill[a]++] = b;
		adj[adj_start[b] + fill[b]++] = a;
	}
	free(fill);
	return 0;
}

/* Number of groups to aim for; sets notes when the bounds cannot all hold. */
int
grid_group_count(int64_t total, int32_t min_weight, int32_t max_weight, int *notes)
{
	int64_t		lo,
				hi,
				k;
	double		target = (min_weight + (double) max_weight) / 2.0;

	if (total < min_weight)
	{
		if (total > 0 || min_weight > 0)
			*notes |= GRID_NOTE_COMMUNITY_BELOW_MIN;
		return 1;
	}
	/* total <= INT32_MAX sites * INT32_MAX households < 2^62: no overflow below */
	lo = (total + max_weight - 1) / (max_weight > 0 ? max_weight : 1);
	hi = min_weight > 0 ? total / min_weight : total;
	if (target <= 0)
		k = 1;
	else if ((double) total / target >= (double) INT32_MAX)
		k = INT32_MAX;			/* llround would overflow (target 0.5: 2^63) */
	else
		k = (int64_t) llround((double) total / target);
	if (lo <= hi)
	{
		if (k < lo)
			k = lo;
		if (k > hi)
			k = hi;
	}
	else
	{
		k = lo;
		*notes |= GRID_NOTE_UNBALANCED;
	}
	if (k < 1)
		k = 1;
	/* the caller caps k at the number of sites, an int: never wrap round */
	if (k > INT32_MAX)
		k = INT32_MAX;
	return (int) k;
}

/*
 * Split sites[0..m) into k groups numbered from first; returns how many
 * groups it used (fewer than k only when there are fewer sites than k).
 */
static int
bisect(work *w, keyed *buf, int *sites, int m, int k, int first)
{
	const grid_input *in = w->in;
	double		sw = 0,
				cx = 0,
				cy = 0,
				sxx = 0,
				sxy = 0,
				syy = 0,
				theta,
				ax,
				ay;
	int64_t		total = 0,
				left = 0;
	int			k1,
				k2,
				cut = 1,
				lo_cut,
				hi_cut,
				used;
	int			best_feasible = 0;

	if (m <= 0)
		return 0;
	if (k <= 1 || m == 1 || stop(w))
	{
		for (int i = 0; i < m; i++)
			w->group[sites[i]] = first;
		return 1;
	}
	if (m <= k)
	{
		for (int i = 0; i < m; i++)
			w->group[sites[i]] = first + i;
		return m;
	}
	k1 = k / 2;
	k2 = k - k1;

	/* principal axis of the sites, weighted by households (+1 so empty sites count) */
	for (int i = 0; i < m; i++)
	{
		double		wt = in->weight[sites[i]] + 1.0;

		sw += wt;
		cx += wt * in->x[sites[i]];
		cy += wt * in->y[sites[i]];
		total += in->weight[sites[i]];
	}
	cx /= sw;
	cy /= sw;
	for (int i = 0; i < m; i++)
	{
		double		wt = in->weight[sites[i]] + 1.0,
					dx = in->x[sites[i]] - cx,
					dy = in->y[sites[i]] - cy;

		sxx += wt * dx * dx;
		sxy += wt * dx * dy;
		syy += wt * dy * dy;
	}
	theta = 0.5 * atan2(2.0 * sxy, sxx - syy);

	/*
	 * Try the principal axis first, then three more directions 45 degrees
	 * apart; keep the first direction whose best cut is feasible (both sides
	 * can be split within the bounds), or the principal axis when none is.
	 * The chosen order ends up in sites[].
	 */
	lo_cut = k1;
	hi_cut = m - k2;
	for (int dir = 0; dir < 4; dir++)
	{
		double		angle = theta + dir * (M_PI / 4.0);
		int			dir_cut = 1,
					dir_feasible = 0;
		double		dir_score = INFINITY;

		/* principal, perpendicular, then the diagonals */
		if (dir == 1)
			angle = theta + M_PI / 2.0;
		else if (dir == 2)
			angle = theta + M_PI / 4.0;
		else if (dir == 3)
			angle = theta - M_PI / 4.0;
		ax = cos(angle);
		ay = sin(angle);
		for (int i = 0; i < m; i++)
		{
			buf[i].site = sites[i];
			buf[i].key = (in->x[sites[i]] - cx) * ax + (in->y[sites[i]] - cy) * ay;
		}
		qsort(buf, m, sizeof(keyed), keyed_cmp);

		left = 0;
		for (int j = 1; j < m; j++)
		{
			int64_t		right;
			double		score;
			int			feasible;

			left += in->weight[buf[j - 1].site];
			if (j < lo_cut || j > hi_cut)
				continue;
			right = total - left;
			feasible = left >= (int64_t) k1 * in->min_weight && left <= (int64_t) k1 * in->max_weight &&
				right >= (int64_t) k2 * in->min_weight && right <= (int64_t) k2 * in->max_weight;
			score = fabs((double) left - (double) total * k1 / k);
			if ((feasible && !dir_feasible) || (feasible == dir_feasible && score < dir_score))
			{
				dir_feasible = feasible;
				dir_score = score;
				dir_cut = j;
			}
		}
		if (dir == 0 || (dir_feasible && !best_feasible))
		{
			best_feasible = dir_feasible;
			cut = dir_cut;
			for (int i = 0; i < m; i++)
				sites[i] = buf[i].site;
		}
		if (best_feasible)
			break;
	}
	used = bisect(w, buf, sites, cut, k1, first);
	return used + bisect(w, buf, sites + cut, m - cut, k2, first + used);
}

/* Rebuild the per-group lists, sizes and weights from w->group. */
static void
index_groups(work *w)
{
	int			n = w->in->n;

	for (int g = 0; g < w->ngroups; g++)
	{
		w->head[g] = -1;
		w->gsize[g] = 0;
		w->gweight[g] = 0;
	}
	for (int i = n - 1; i >= 0; i--)
	{
		int			g = w->group[i];

		w->prev[i] = -1;
		w->next[i] = w->head[g];
		if (w->head[g] >= 0)
			w->prev[w->head[g]] = i;
		w->head[g] = i;
		w->gsize[g]++;
		w->gweight[g] += w->in->weight[i];
	}
}

/* Move site s from its group to group h, keeping the lists current. */
static void
move_site(work *w, int s, int h)
{
	int			g = w->group[s];

	if (w->prev[s] >= 0)
		w->next[w->prev[s]] = w->next[s];
	else
		w->head[g] = w->next[s];
	if (w->next[s] >= 0)
		w->prev[w->next[s]] = w->prev[s];
	w->gsize[g]--;
	w->gweight[g] -= w->in->weight[s];

	w->group[s] = h;
	w->prev[s] = -1;
	w->next[s] = w->head[h];
	if (w->head[h] >= 0)
		w->prev[w->head[h]] = s;
	w->head[h] = s;
	w->gsize[h]++;
	w->gweight[h] += w->in->weight[s];
}

/*
 * Breadth-first search inside group g from site start, not entering site
 * skip; marks what it reaches with a fresh generation and returns the count.
 */
static int
reach(work *w, int g, int start, int skip)
{
	const grid_input *in = w->in;
	int			qh = 0,
				qt = 0;

	w->generation++;
	w->mark[start] = w->generation;
	w->queue[qt++] = start;
	while (qh < qt && !stop(w))
	{
		int			s = w->queue[qh++];

		for (int e = in->adj_start[s]; e < in->adj_start[s + 1]; e++)
		{
			int			t = in->adj[e];

			if (t == skip || w->group[t] != g || w->mark[t] == w->generation)
				continue;
			w->mark[t] = w->generation;
			w->queue[qt++] = t;
		}
	}
	return qt;
}

/* True when group g stays connected (or empty) once site s leaves it. */
static int
connected_without(work *w, int g, int s)
{
	int			start = w->head[g];

	if (start == s)
		start = w->next[s];
	if (start < 0)
		return 1;
	return reach(w, g, start, s) == w->gsize[g] - 1;
}

/*
 * Label the connected pieces of every group: comp[i] is the piece of site
 * i; the pieces' sites are listed contiguously in w->queue order from
 * comp_start[c].  Returns the number of pieces.
 */
static int
label_pieces(work *w, int *comp, int *comp_start, int *comp_sites)
{
	const grid_input *in = w->in;
	int			n = in->n,
				ncomp = 0,
				filled = 0;

	for (int i = 0; i < n; i++)
		comp[i] = -1;
	for (int i = 0; i < n; i++)
	{
		int			head;

		if (comp[i] >= 0)
			continue;
		comp_start[ncomp] = filled;
		head = filled;
		comp[i] = ncomp;
		comp_sites[filled++] = i;
		while (head < filled && !stop(w))
		{
			int			s = comp_sites[head++];

			for (int e = in->adj_start[s]; e < in->adj_start[s + 1]; e++)
			{
				int			t = in->adj[e];

				if (comp[t] < 0 && w->group[t] == w->group[i])
				{
					comp[t] = ncomp;
					comp_sites[filled++] = t;
				}
			}
		}
		ncomp++;
	}
	comp_start[ncomp] = filled;
	return ncomp;
}

/*
 * Step 3: every group keeps its heaviest connected piece; each other piece
 * goes to the neighbouring group it shares most edges with.  Returns the
 * number of pieces left with no neighbouring group (the graph itself is
 * disconnected there).
 */
static int
repair_contiguity(work *w, int *comp, int *comp_start, int *comp_sites, int *count,
				  int *main_piece)
{
	const grid_input *in = w->in;
	int			stranded = 0;

	for (int pass = 0; pass < 64 && !stop(w); pass++)
	{
		int			ncomp = label_pieces(w, comp, comp_start, comp_sites),
					moved = 0;

		stranded = 0;
		for (int g = 0; g < w->ngroups; g++)
			main_piece[g] = -1;
		/* the heaviest piece of each group (then the largest, then the first) */
		for (int c = 0; c < ncomp; c++)
		{
			int			g = w->group[comp_sites[comp_start[c]]];
			int64_t		wc = 0,
						wm = 0;
			int			m = main_piece[g];

			for (int q = comp_start[c]; q < comp_start[c + 1]; q++)
				wc += in->weight[comp_sites[q]];
			if (m >= 0)
				for (int q = comp_start[m]; q < comp_start[m + 1]; q++)
					wm += in->weight[comp_sites[q]];
			if (m < 0 || wc > wm ||
				(wc == wm && comp_start[c + 1] - comp_start[c] > comp_start[m + 1] - comp_start[m]))
				main_piece[g] = c;
		}
		for (int c = 0; c < ncomp; c++)
		{
			int			g = w->group[comp_sites[comp_start[c]]],
						target = -1,
						best = 0;

			if (main_piece[g] == c || stop(w))
				continue;
			memset(count, 0, sizeof(int) * w->ngroups);
			for (int q = comp_start[c]; q < comp_start[c + 1]; q++)
			{
				int			s = comp_sites[q];

				for (int e = in->adj_start[s]; e < in->adj_start[s + 1]; e++)
				{
					int			h = w->group[in->adj[e]];

					if (h != g && (++count[h] > best || (count[h] == best && h < target)))
					{
						best = count[h];
						target = h;
					}
				}
			}
			if (target < 0)
			{
				stranded++;
				continue;
			}
			for (int q = comp_start[c]; q < comp_start[c + 1]; q++)
				w->group[comp_sites[q]] = target;
			moved++;
		}
		if (moved == 0)
			break;
	}
	index_groups(w);
	return stranded;
}

/*
 * Step 4: bring group sizes within bounds by moving boundary sites between
 * neighbouring groups, never disconnecting the group a site leaves.  Each
 * round applies the single move, out of or into an out-of-bounds group,
 * that most reduces the total violation.
 */
static void
repair_sizes(work *w)
{
	const grid_input *in = w->in;
	int			budget = 4 * in->n + 100;

#define VIOL(x) ((x) < in->min_weight ? in->min_weight - (x) : ((x) > in->max_weight ? (x) - in->max_weight : 0))
	while (budget-- > 0 && !stop(w))
	{
		int			best_site = -1,
					best_to = -1;
		int64_t		best_gain = 0;

		for (int g = 0; g < w->ngroups; g++)
		{
			int			heavy;

			if (w->gsize[g] == 0 || VIOL(w->gweight[g]) == 0 || stop(w))
				continue;
			heavy = w->gweight[g] > in->max_weight;
			for (int a = w->head[g]; a >= 0; a = w->next[a])
			{
				for (int e = in->adj_start[a]; e < in->adj_start[a + 1]; e++)
				{
					int			b = in->adj[e],
								s = heavy ? a : b,
								from,
								to;
					int64_t		ws = in->weight[s],
								gain;

					if (w->group[b] == g)
						continue;
					from = w->group[s];
					to = heavy ? w->group[b] : g;
					if (w->gsize[from] <= 1)
						continue;
					gain = VIOL(w->gweight[from]) + VIOL(w->gweight[to]) -
						VIOL(w->gweight[from] - ws) - VIOL(w->gweight[to] + ws);
					if (gain > best_gain || (gain == best_gain && gain > 0 &&
											 (s < best_site || (s == best_site && to < best_to))))
					{
						if (!connected_without(w, from, s))
							continue;
						best_gain = gain;
						best_site = s;
						best_to = to;
					}
				}
			}
		}
		if (best_site < 0)
			break;
		move_site(w, best_site, best_to);
	}
#undef VIOL
}

/* True when group g's weight lies within the bounds. */
static int
in_bounds(const work *w, int g)
{
	return w->gweight[g] >= w->in->min_weight && w->gweight[g] <= w->in->max_weight;
}

/* Violation of a weight: how far it lies outside the bounds. */
static int64_t
violation(const grid_input *in, int64_t x)
{
	return x < in->min_weight ? in->min_weight - x : (x > in->max_weight ? x - in->max_weight : 0);
}

/* A tentative move, for undoing: site and the group it came from. */
typedef struct move_log
{
	int		   *site;
	int		   *from;
	int			len;
} move_log;

/* Undo the moves of the log back to length keep. */
static void
rollback(work *w, move_log *log, int keep)
{
	while (log->len > keep)
	{
		log->len--;
		move_site(w, log->site[log->len], log->from[log->len]);
	}
}

#define CHAIN_CANDIDATES 16

/*
 * Bring out-of-bounds group g within bounds by moving boundary sites (out of
 * g when it is too heavy, into g when too light).  Each move must reduce g's
 * violation; a move that leaves g still out, or pushes the other group out,
 * is followed by further moves up to depth levels, and everything is undone
 * when no sequence succeeds.  Returns 1 when g and every group it touched
 * end within bounds.  from is the group not to take back from (or -1).
 */
static int
fix_chain(work *w, move_log *log, int g, int from, int depth)
{
	const grid_input *in = w->in;
	int			heavy = w->gweight[g] > in->max_weight;
	int			cand_site[CHAIN_CANDIDATES],
				cand_to[CHAIN_CANDIDATES];
	int64_t		cand_score[CHAIN_CANDIDATES];
	int			ncand = 0;

	if (in_bounds(w, g))
		return 1;
	if (stop(w))
		return 0;
	/*
	 * collect the moves that most reduce the violation of g and its partner:
	 * boundary sites of g (heavy) or sites next to g (light)
	 */
	for (int a = w->head[g]; a >= 0; a = w->next[a])
	{
		for (int e = in->adj_start[a]; e < in->adj_start[a + 1]; e++)
		{
			int			b = in->adj[e],
						s = heavy ? a : b,
						t = heavy ? b : a,
						donor,
						taker,
						other;
			int64_t		ws = in->weight[s],
						score;
			int			dup = 0;

			if (w->group[b] == g)
				continue;
			donor = w->group[s];
			taker = heavy ? w->group[t] : g;
			other = heavy ? taker : donor;
			if (other == from || w->gsize[donor] <= 1)
				continue;
			/* at the last level a move must help g; deeper, g may overshoot */
			if (depth == 0 &&
				violation(in, w->gweight[g] + (heavy ? -ws : ws)) >= violation(in, w->gweight[g]))
				continue;
			score = violation(in, w->gweight[g] + (heavy ? -ws : ws)) +
				violation(in, w->gweight[other] + (heavy ? ws : -ws));
			for (int c = 0; c < ncand; c++)
				if (cand_site[c] == s && cand_to[c] == taker)
					dup = 1;
			if (dup)
				continue;
			if (ncand < CHAIN_CANDIDATES || score < cand_score[ncand - 1])
			{
				int			pos = ncand < CHAIN_CANDIDATES ? ncand++ : ncand - 1;

				while (pos > 0 && cand_score[pos - 1] > score)
				{
					cand_site[pos] = cand_site[pos - 1];
					cand_to[pos] = cand_to[pos - 1];
					cand_score[pos] = cand_score[pos - 1];
					pos--;
				}
				cand_site[pos] = s;
				cand_to[pos] = taker;
				cand_score[pos] = score;
			}
		}
	}
	for (int c = 0; c < ncand; c++)
	{
		int			s = cand_site[c],
					donor = w->group[s],
					taker = cand_to[c],
					other = heavy ? taker : donor,
					keep = log->len;

		if (w->chain_budget-- <= 0)
			return 0;
		if (!connected_without(w, donor, s))
			continue;
		if (log->len >= 64)
			break;
		log->site[log->len] = s;
		log->from[log->len] = donor;
		log->len++;
		move_site(w, s, taker);
		if ((in_bounds(w, g) || (depth > 0 && fix_chain(w, log, g, from, depth - 1))) &&
			(in_bounds(w, other) || (depth > 0 && fix_chain(w, log, other, g, depth - 1))))
			return 1;
		rollback(w, log, keep);
	}
	return 0;
}

/* Weighted centres of the groups (weights + 1, so that empty sites count). */
static void
group_centres(const work *w, double *cx, double *cy)
{
	const grid_input *in = w->in;

	for (int g = 0; g < w->ngroups; g++)
	{
		double		sw = 0,
					sx = 0,
					sy = 0;

		for (int s = w->head[g]; s >= 0; s = w->next[s])
		{
			double		wt = in->weight[s] + 1.0;

			sw += wt;
			sx += wt * in->x[s];
			sy += wt * in->y[s];
		}
		cx[g] = sw > 0 ? sx / sw : 0;
		cy[g] = sw > 0 ? sy / sw : 0;
	}
}

/*
 * Step 5: compactness.  A boundary site moves to a neighbouring group whose
 * centre is clearly nearer than its own group's, when both groups stay
 * within bounds (or no further out) and its group stays connected.
 */
static void
improve_compactness(work *w, double *cx, double *cy)
{
	const grid_input *in = w->in;

	for (int sweep = 0; sweep < 4; sweep++)
	{
		int			moved = 0;

		group_centres(w, cx, cy);
		for (int s = 0; s < in->n; s++)
		{
			int			g = w->group[s],
						best = -1;
			double		dg = hypot(in->x[s] - cx[g], in->y[s] - cy[g]),
						bestd = 0.8 * dg;
			int64_t		ws = in->weight[s];

			if (w->gsize[g] <= 1 || stop(w))
				continue;
			for (int e = in->adj_start[s]; e < in->adj_start[s + 1]; e++)
			{
				int			h = w->group[in->adj[e]];
				double		dh;

				if (h == g)
					continue;
				dh = hypot(in->x[s] - cx[h], in->y[s] - cy[h]);
				if (dh < bestd && w->gweight[h] + ws <= in->max_weight &&
					w->gweight[g] - ws >= in->min_weight)
				{
					bestd = dh;
					best = h;
				}
			}
			if (best >= 0 && connected_without(w, g, s))
			{
				move_site(w, s, best);
				moved++;
			}
		}
		if (moved == 0 || w->cancelled)
			break;
	}
}

/* Check the input; 0 when usable. */
static int
check_input(const grid_input *in)
{
	if (in->n < 0 || in->min_weight < 0 || in->min_weight > in->max_weight)
		return -1;
	for (int i = 0; i < in->n; i++)
	{
		if (in->weight[i] < 0 || in->adj_start[i] > in->adj_start[i + 1])
			return -1;
		for (int e = in->adj_start[i]; e < in->adj_start[i + 1]; e++)
			if (in->adj[e] < 0 || in->adj[e] >= in->n)
				return -1;
	}
	return 0;
}

/* Partition the sites of in into groups; see grid_kernel.h. */
int
grid_partition(const grid_input *in, grid_result *out)
{
	work		w;
	int			n = in->n,
				k,
				rc = 0;
	int64_t		total = 0;
	int		   *sites = NULL,
			   *comp = NULL,
			   *comp_start = NULL,
			   *comp_sites = NULL,
			   *count = NULL,
			   *main_piece = NULL,
			   *relabel = NULL;
	keyed	   *buf = NULL;
	move_log	log = {NULL, NULL, 0};
	double	   *cx = NULL,
			   *cy = NULL;

	memset(&w, 0, sizeof(w));
	out->groups = out->in_bounds = out->pieces = out->notes = 0;
	if (check_input(in) != 0)
		return -1;
	if (n == 0)
	{
		out->notes = GRID_NOTE_NO_BUILDINGS;
		return 0;
	}
	for (int i = 0; i < n; i++)
	{
		total += in->weight[i];
		if (in->weight[i] > in->max_weight)
			out->notes |= GRID_NOTE_BUILDING_ABOVE_MAX;
	}
	k = grid_group_count(total, in->min_weight, in->max_weight, &out->notes);
	if (k > n)
		k = n;

	w.in = in;
	w.group = out->group;
	sites = malloc(sizeof(int) * n);
	buf = malloc(sizeof(keyed) * n);
	w.gweight = malloc(sizeof(int64_t) * n);
	w.gsize = malloc(sizeof(int) * n);
	w.head = malloc(sizeof(int) * n);
	w.next = malloc(sizeof(int) * n);
	w.prev = malloc(sizeof(int) * n);
	w.queue = malloc(sizeof(int) * n);
	w.mark = calloc(n, sizeof(unsigned));
	comp = malloc(sizeof(int) * n);
	comp_start = malloc(sizeof(int) * (n + 1));
	comp_sites = malloc(sizeof(int) * n);
	count = malloc(sizeof(int) * n);
	main_piece = malloc(sizeof(int) * n);
	relabel = malloc(sizeof(int) * n);
	cx = malloc(sizeof(double) * n);
	cy = malloc(sizeof(double) * n);
	log.site = malloc(sizeof(int) * 64);
	log.from = malloc(sizeof(int) * 64);
	if (!log.site || !log.from ||
		!sites || !buf || !w.gweight || !w.gsize || !w.head || !w.next || !w.prev ||
		!w.queue || !w.mark || !comp || !comp_start || !comp_sites || !count ||
		!main_piece || !relabel || !cx || !cy)
	{
		rc = -2;
		goto done;
	}

	for (int i = 0; i < n; i++)
		sites[i] = i;
	w.ngroups = bisect(&w, buf, sites, n, k, 0);
	index_groups(&w);
	if (w.cancelled)
		goto cancelled;

	if (repair_contiguity(&w, comp, comp_start, comp_sites, count, main_piece) > 0)
		out->notes |= GRID_NOTE_DISCONNECTED;
	/* sizes: single improving moves, then the shortest fixing chains (twice) */
	for (int round = 0; round < 2; round++)
	{
		repair_sizes(&w);
		for (int g = 0; g < w.ngroups; g++)
			for (int depth = 0; depth <= 4 && w.gsize[g] > 0 && !in_bounds(&w, g); depth++)
			{
				log.len = 0;
				w.chain_budget = 4000;
				fix_chain(&w, &log, g, -1, depth);
			}
	}
	if (w.cancelled)
		goto cancelled;
	improve_compactness(&w, cx, cy);
	if (w.cancelled)
		goto cancelled;

	/* number the non-empty groups 0.. in order of first appearance */
	for (int g = 0; g < w.ngroups; g++)
		relabel[g] = -1;
	out->groups = 0;
	for (int i = 0; i < n; i++)
	{
		if (relabel[w.group[i]] < 0)
			relabel[w.group[i]] = out->groups++;
	}
	for (int g = 0; g < w.ngroups; g++)
	{
		if (w.gsize[g] == 0)
			continue;
		if (w.gweight[g] >= in->min_weight && w.gweight[g] <= in->max_weight)
			out->in_bounds++;
	}
	{
		int			ncomp = label_pieces(&w, comp, comp_start, comp_sites);

		/* groups made of more than one piece */
		memset(count, 0, sizeof(int) * w.ngroups);
		for (int c = 0; c < ncomp; c++)
			if (++count[w.group[comp_sites[comp_start[c]]]] == 2)
				out->pieces++;
	}
	for (int i = 0; i < n; i++)
		out->group[i] = relabel[out->group[i]];
	if (out->in_bounds < out->groups &&
		!(out->notes & (GRID_NOTE_BUILDING_ABOVE_MAX | GRID_NOTE_COMMUNITY_BELOW_MIN)))
		out->notes |= GRID_NOTE_UNBALANCED;
	goto done;

cancelled:
	out->groups = out->in_bounds = out->pieces = out->notes = 0;
	rc = -3;
done:
	free(sites);
	free(buf);
	free(w.gweight);
	free(w.gsize);
	free(w.head);
	free(w.next);
	free(w.prev);
	free(w.queue);
	free(w.mark);
	free(comp);
	free(comp_start);
	free(comp_sites);
	free(count);
	free(main_piece);
	free(relabel);
	free(cx);
	free(cy);
	free(log.site);
	free(log.from);
	return rc;
}
