/* ladder.c - see ladder.h. */
#include "ladder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "xalloc.h"

#define TIME_CELLS 15	/* "HH:MM:SS.uuuuuu" */

/* ------------------------------------------------------------ columns */

/* Endpoint key -> column index, open addressing. A hostile capture can
 * give one Call-ID thousands of source ports; a linear search per event
 * would then be quadratic. */
struct colmap {
	size_t *idx;		/* column index + 1; 0 is an empty bucket */
	size_t cap;		/* a power of two */
};

static size_t hash_str(const char *s)
{
	size_t h = 2166136261u;	/* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static size_t *colmap_find(const struct colmap *m, const struct ss_ladder *lad,
			   const char *key)
{
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->idx[i] && strcmp(lad->cols[m->idx[i] - 1].key, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return &m->idx[i];
}

static void colmap_grow(struct colmap *m, const struct ss_ladder *lad)
{
	struct colmap big = { xcalloc(m->cap * 2, sizeof *big.idx), m->cap * 2 };
	for (size_t i = 0; i < m->cap; i++)
		if (m->idx[i])
			*colmap_find(&big, lad, lad->cols[m->idx[i] - 1].key) = m->idx[i];
	free(m->idx);
	*m = big;
}

/* The host part of "ip:port", "[v6]:port", "[v6]", a bare IPv6 address
 * or a bare host, without IPv6 brackets. */
static char *host_of(const char *ep)
{
	if (ep[0] == '[') {
		const char *close = strchr(ep, ']');
		if (close)
			return xmemdup(ep + 1, (size_t)(close - ep - 1));
		return xstrdup(ep);
	}
	const char *colon = strchr(ep, ':');
	if (colon && !strchr(colon + 1, ':'))
		return xmemdup(ep, (size_t)(colon - ep));
	return xstrdup(ep);	/* no port, or an unbracketed IPv6 address */
}

/* The column of endpoint ep, appended on first appearance. */
static size_t column_of(struct ss_ladder *lad, struct colmap *m, size_t *cap,
			const char *ep, bool merge)
{
	char *key = merge ? host_of(ep ? ep : "?") : xstrdup(ep ? ep : "?");
	size_t *bucket = colmap_find(m, lad, key);
	if (*bucket) {
		free(key);
		return *bucket - 1;
	}
	if (lad->ncols == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		lad->cols = xreallocarray(lad->cols, *cap, sizeof *lad->cols);
	}
	struct ss_ladder_column *c = &lad->cols[lad->ncols];
	memset(c, 0, sizeof *c);
	c->key = key;
	c->name = xstrdup(key);
	*bucket = ++lad->ncols;
	if (lad->ncols * 2 > m->cap)
		colmap_grow(m, lad);
	return lad->ncols - 1;
}

/* --------------------------------------------------------------- rows */

static void append(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (n > cap - 1 - *len)
		n = cap - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

/* label [" (detail)" | " (SDP)"] [" (retrans)"] [" (malformed)"] */
static char *row_text(const struct ss_ladder_event *e)
{
	const char *label = e->label ? e->label : "";
	size_t cap = strlen(label) + sizeof " (SDP) (retrans) (malformed)";
	if (e->detail)
		cap += strlen(e->detail) + 3;
	char *buf = xmalloc(cap);
	size_t len = 0;
	buf[0] = '\0';
	append(buf, cap, &len, label);
	if (e->detail) {
		append(buf, cap, &len, " (");
		append(buf, cap, &len, e->detail);
		append(buf, cap, &len, ")");
	} else if (e->flags & SS_LADDER_SDP) {
		append(buf, cap, &len, " (SDP)");
	}
	if (e->flags & SS_LADDER_RETRANS)
		append(buf, cap, &len, " (retrans)");
	if (e->flags & SS_LADDER_MALFORMED)
		append(buf, cap, &len, " (malformed)");
	return buf;
}

/* "+S.mmms" or "-S.mmms", truncated to milliseconds. */
static void fmt_delta(int64_t d, char *buf, size_t buflen)
{
	uint64_t a = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
	snprintf(buf, buflen, "%c%llu.%03us", d < 0 ? '-' : '+',
		 (unsigned long long)(a / 1000000000u),
		 (unsigned)(a % 1000000000u / 1000000u));
}

static void fill_row(struct ss_ladder_row *r, const struct ss_ladder_event *e,
		     const struct ss_ladder_event *prev)
{
	char t[SS_TIME_BUFLEN];
	size_t n = ss_time_rfc3339(e->ts_ns, t, sizeof t);
	r->time[0] = '\0';
	if (n >= 11 + TIME_CELLS) {
		memcpy(r->time, t + 11, TIME_CELLS);
		r->time[TIME_CELLS] = '\0';
	}
	r->delta[0] = '\0';
	if (prev)
		fmt_delta((int64_t)((uint64_t)e->ts_ns - (uint64_t)prev->ts_ns),
			  r->delta, sizeof r->delta);
	r->text = row_text(e);
	r->flags = e->flags;
	r->ref = e->ref;
	r->ts_ns = e->ts_ns;
}

static void set_date(struct ss_ladder *lad, int64_t ts_ns)
{
	char t[SS_TIME_BUFLEN];
	if (ss_time_rfc3339(ts_ns, t, sizeof t) >= 10) {
		memcpy(lad->date, t, 10);
		lad->date[10] = '\0';
	}
}

/* ------------------------------------------------------------ geometry */

static int opt_width(const struct ss_ladder_opts *o)
{
	if (!o || o->width <= 0)
		return SS_LADDER_DEFAULT_WIDTH;
	return o->width > SS_LADDER_MAX_WIDTH ? SS_LADDER_MAX_WIDTH : o->width;
}

static int gutter_of(const struct ss_ladder *lad)
{
	size_t g = TIME_CELLS;
	for (size_t i = 0; i < lad->nrows; i++) {
		size_t d = strlen(lad->rows[i].delta);
		if (d > g)
			g = d;
	}
	return (int)g + 1;
}

/* Equal slots; the lifeline in the middle of its slot; the name's room
 * symmetric about the lifeline with at least one blank cell between the
 * rooms of neighbouring columns. */
static void place_columns(struct ss_ladder *lad)
{
	int avail = lad->width - lad->gutter;
	lad->slot = lad->ncols ? avail / (int)lad->ncols : 0;
	if (lad->ncols && lad->slot < SS_LADDER_MIN_SLOT) {
		lad->slot = SS_LADDER_MIN_SLOT;
		lad->too_narrow = true;
	}
	lad->needed = lad->gutter + (int)lad->ncols * lad->slot;
	int half = (lad->slot - 2) / 2;
	for (size_t i = 0; i < lad->ncols; i++) {
		struct ss_ladder_column *c = &lad->cols[i];
		c->x = lad->gutter + (int)i * lad->slot + lad->slot / 2;
		c->name_x = c->x - half;
		c->name_w = 2 * half + 1;
	}
}

/* Between two lifelines: one blank cell of padding on each side. Beside
 * a self arrow's loop (4 cells and a blank): up to the next lifeline, or
 * to the end of the layout for the last column. */
static void place_label(const struct ss_ladder *lad, struct ss_ladder_row *r)
{
	int xf = lad->cols[r->from].x, xt = lad->cols[r->to].x;
	if (r->from != r->to) {
		int lo = xf < xt ? xf : xt, hi = xf < xt ? xt : xf;
		r->text_x = lo + 2;
		r->text_w = hi - lo - 3;
	} else {
		r->text_x = xf + 5;
		int end = r->from + 1 < lad->ncols ? lad->cols[r->from + 1].x - 1
						   : lad->needed;
		r->text_w = end - r->text_x;
	}
	if (r->text_w < 0)
		r->text_w = 0;
}

/* ---------------------------------------------------------------- API */

struct ss_ladder *ss_ladder_build(const struct ss_ladder_event *ev, size_t n,
				  const struct ss_ladder_opts *opts)
{
	struct ss_ladder *lad = xcalloc(1, sizeof *lad);
	struct colmap m = { xcalloc(16, sizeof *m.idx), 16 };
	size_t colcap = 0;
	bool merge = opts && opts->merge_hosts;

	lad->width = opt_width(opts);
	lad->rows = xcalloc(n ? n : 1, sizeof *lad->rows);
	for (size_t i = 0; i < n; i++) {
		struct ss_ladder_row *r = &lad->rows[i];
		r->from = column_of(lad, &m, &colcap, ev[i].src, merge);
		r->to = column_of(lad, &m, &colcap, ev[i].dst, merge);
		fill_row(r, &ev[i], i ? &ev[i - 1] : NULL);
	}
	lad->nrows = n;
	free(m.idx);
	if (n)
		set_date(lad, ev[0].ts_ns);

	lad->gutter = gutter_of(lad);
	place_columns(lad);
	for (size_t i = 0; i < n; i++)
		place_label(lad, &lad->rows[i]);
	return lad;
}

void ss_ladder_free(struct ss_ladder *lad)
{
	if (!lad)
		return;
	for (size_t i = 0; i < lad->ncols; i++) {
		free(lad->cols[i].key);
		free(lad->cols[i].name);
	}
	for (size_t i = 0; i < lad->nrows; i++)
		free(lad->rows[i].text);
	free(lad->cols);
	free(lad->rows);
	free(lad);
}
