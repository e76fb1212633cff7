/*
 * ipfrag.c - IP fragment reassembly (RFC 791 section 3.2, RFC 8200
 * section 4.5, RFC 5722 for overlaps). See ipfrag.h for the contract and
 * the overlap policy.
 *
 * Each partial datagram keeps one buffer for the payload bytes received so
 * far and a sorted list of disjoint, non-touching byte ranges that say
 * which bytes of that buffer are real. The datagram is complete when the
 * last fragment was seen and the ranges have merged into one [0, end).
 * Keeping ranges instead of the fragments themselves makes duplicate and
 * overlap checks a walk over a handful of ranges and bounds bookkeeping.
 *
 * Datagrams sit in a hash table (to find them) and on a list in creation
 * order (to expire and evict the oldest first). Every byte allocated for a
 * datagram, its struct included, is charged against the table's cap.
 */
#include "ipfrag.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define NBUCKETS 1024u

struct range {
	uint32_t start, end;	/* [start, end) */
};

struct dgram {
	struct ss_frag_key key;
	struct dgram *hnext;		/* hash bucket chain */
	struct dgram *older, *newer;	/* creation-order list */
	int64_t first_ns;		/* capture time of its first fragment */
	uint8_t *buf;
	size_t buflen, bufcap;		/* bytes spanned / allocated */
	struct range *r;
	size_t nr, rcap;
	uint32_t total;			/* payload length, once have_last */
	bool have_last;
	size_t charged;			/* bytes counted in table->used */
};

struct ss_frag_table {
	struct dgram *bucket[NBUCKETS];
	struct dgram *oldest, *newest;
	size_t cap, used, count;
};

enum fit { FIT_NEW, FIT_DUP, FIT_CONFLICT };

static bool key_eq(const struct ss_frag_key *a, const struct ss_frag_key *b)
{
	return a->family == b->family && a->proto == b->proto &&
	       a->id == b->id && memcmp(a->src, b->src, 16) == 0 &&
	       memcmp(a->dst, b->dst, 16) == 0;
}

/* FNV-1a over the key fields (not the struct: it has padding). */
static unsigned key_hash(const struct ss_frag_key *k)
{
	uint32_t h = 2166136261u;
	uint8_t head[6] = { k->family, k->proto, (uint8_t)(k->id >> 24),
			    (uint8_t)(k->id >> 16), (uint8_t)(k->id >> 8),
			    (uint8_t)k->id };
	for (size_t i = 0; i < sizeof head; i++)
		h = (h ^ head[i]) * 16777619u;
	for (size_t i = 0; i < 16; i++)
		h = (h ^ k->src[i] ^ (uint32_t)k->dst[i] << 8) * 16777619u;
	return h % NBUCKETS;
}

struct ss_frag_table *ss_frag_new(size_t mem_cap)
{
	struct ss_frag_table *t = xcalloc(1, sizeof *t);
	t->cap = mem_cap ? mem_cap : SS_FRAG_DEFAULT_CAP;
	return t;
}

/* Take g out of the hash and the age list and uncharge it; g itself
 * stays allocated. */
static void dg_unlink(struct ss_frag_table *t, struct dgram *g)
{
	struct dgram **pp = &t->bucket[key_hash(&g->key)];
	while (*pp && *pp != g)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = g->hnext;
	if (g->older)
		g->older->newer = g->newer;
	else
		t->oldest = g->newer;
	if (g->newer)
		g->newer->older = g->older;
	else
		t->newest = g->older;
	t->used -= g->charged;
	t->count--;
}

static void dg_drop(struct ss_frag_table *t, struct dgram *g)
{
	dg_unlink(t, g);
	free(g->buf);
	free(g->r);
	free(g);
}

void ss_frag_free(struct ss_frag_table *t)
{
	if (!t)
		return;
	while (t->oldest)
		dg_drop(t, t->oldest);
	free(t);
}

size_t ss_frag_pending(const struct ss_frag_table *t)
{
	return t ? t->count : 0;
}

size_t ss_frag_mem_used(const struct ss_frag_table *t)
{
	return t ? t->used : 0;
}

/* Lazy expiry: the list is in creation order, so stop at the first
 * datagram still young. Timestamps that go backwards only delay expiry;
 * the cap still bounds memory. */
static void expire(struct ss_frag_table *t, struct ss_decode_stats *st,
		   int64_t now_ns)
{
	while (t->oldest && now_ns - t->oldest->first_ns > SS_FRAG_TIMEOUT_NS) {
		dg_drop(t, t->oldest);
		st->ip_frag_timeouts++;
	}
}

/* Evict the oldest datagrams other than keep until 'need' more bytes fit
 * under the cap. Returns false if they cannot fit even then. */
static bool make_room(struct ss_frag_table *t, struct ss_decode_stats *st,
		      size_t need, const struct dgram *keep)
{
	struct dgram *v = t->oldest;
	while (v && t->used + need > t->cap) {
		struct dgram *next = v->newer;
		if (v != keep) {
			dg_drop(t, v);
			st->ip_frag_dropped++;
		}
		v = next;
	}
	return t->used + need <= t->cap;
}

static struct dgram *find(struct ss_frag_table *t,
			  const struct ss_frag_key *k)
{
	struct dgram *g = t->bucket[key_hash(k)];
	while (g && !key_eq(&g->key, k))
		g = g->hnext;
	return g;
}

static struct dgram *create(struct ss_frag_table *t,
			    struct ss_decode_stats *st,
			    const struct ss_frag_key *k, int64_t now_ns)
{
	if (!make_room(t, st, sizeof(struct dgram), NULL)) {
		st->ip_frag_dropped++;
		return NULL;
	}
	struct dgram *g = xcalloc(1, sizeof *g);
	unsigned h = key_hash(k);
	g->key = *k;
	g->first_ns = now_ns;
	g->charged = sizeof *g;
	g->hnext = t->bucket[h];
	t->bucket[h] = g;
	g->older = t->newest;
	if (t->newest)
		t->newest->newer = g;
	else
		t->oldest = g;
	t->newest = g;
	t->used += g->charged;
	t->count++;
	return g;
}

/* Compare [s, e) with what the datagram already holds. */
static enum fit classify(const struct dgram *g, uint32_t s, uint32_t e,
			 const uint8_t *data)
{
	bool overlap = false, same = true;
	size_t covered = 0;
	for (size_t i = 0; i < g->nr; i++) {
		uint32_t lo = s > g->r[i].start ? s : g->r[i].start;
		uint32_t hi = e < g->r[i].end ? e : g->r[i].end;
		if (lo >= hi)
			continue;
		overlap = true;
		covered += hi - lo;
		if (memcmp(g->buf + lo, data + (lo - s), hi - lo) != 0)
			same = false;
	}
	if (!overlap)
		return FIT_NEW;
	if (same && covered == (size_t)(e - s))
		return FIT_DUP;
	if (same && g->key.family == 4)
		return FIT_NEW;
	return FIT_CONFLICT;
}

/* Does a fragment ending at e (last or not) contradict a known end? */
static bool end_conflicts(const struct dgram *g, uint32_t e, bool more)
{
	uint32_t max_end = g->nr ? g->r[g->nr - 1].end : 0;
	if (more)
		return g->have_last && e > g->total;
	return (g->have_last && g->total != e) || max_end > e;
}

/* Grow the buffer to span e bytes and the range array to hold one more,
 * charging the cap first. False when the cap cannot make room. */
static bool reserve(struct ss_frag_table *t, struct ss_decode_stats *st,
		    struct dgram *g, uint32_t e)
{
	size_t bufcap = g->bufcap, rcap = g->rcap;
	if (e > bufcap) {
		bufcap = bufcap * 2 > e ? bufcap * 2 : e;
		if (bufcap > SS_FRAG_MAX_DATAGRAM)
			bufcap = SS_FRAG_MAX_DATAGRAM;
	}
	if (g->nr + 1 > rcap)
		rcap = rcap ? rcap * 2 : 4;
	size_t extra = (bufcap - g->bufcap) +
		       (rcap - g->rcap) * sizeof(struct range);
	if (extra == 0)
		goto done;
	if (!make_room(t, st, extra, g))
		return false;
	if (bufcap != g->bufcap)
		g->buf = xrealloc(g->buf, bufcap);
	if (rcap != g->rcap)
		g->r = xreallocarray(g->r, rcap, sizeof *g->r);
	g->bufcap = bufcap;
	g->rcap = rcap;
	g->charged += extra;
	t->used += extra;
done:
	if (e > g->buflen)
		g->buflen = e;
	return true;
}

/* Insert [s, e) into the sorted range list, merging with every range it
 * overlaps or touches. reserve() made room for one more. */
static void range_add(struct dgram *g, uint32_t s, uint32_t e)
{
	size_t i = 0, j, n = g->nr;
	while (i < n && g->r[i].end < s)
		i++;
	for (j = i; j < n && g->r[j].start <= e; j++) {
		if (g->r[j].start < s)
			s = g->r[j].start;
		if (g->r[j].end > e)
			e = g->r[j].end;
	}
	if (j == i) {
		memmove(&g->r[i + 1], &g->r[i], (n - i) * sizeof *g->r);
		n++;
	} else {
		memmove(&g->r[i + 1], &g->r[j], (n - j) * sizeof *g->r);
		n -= j - i - 1;
	}
	g->r[i] = (struct range){ s, e };
	g->nr = n;
}

static bool complete(const struct dgram *g)
{
	return g->have_last && g->nr == 1 && g->r[0].start == 0 &&
	       g->r[0].end == g->total;
}

/* Hand the finished payload to the caller, trimmed to its exact size so
 * that a later over-read is caught by the sanitizers. */
static uint8_t *take(struct ss_frag_table *t, struct dgram *g,
		     size_t *out_len)
{
	uint8_t *buf = g->buf;
	*out_len = g->total;
	if (g->bufcap != g->total)
		buf = xrealloc(buf, g->total);
	g->buf = NULL;
	dg_drop(t, g);
	return buf;
}

uint8_t *ss_frag_add(struct ss_frag_table *t, struct ss_decode_stats *st,
		     int64_t now_ns, const struct ss_frag_key *k,
		     uint32_t offset, bool more, const uint8_t *data,
		     size_t len, size_t *out_len)
{
	*out_len = 0;
	st->ip_fragments++;
	expire(t, st, now_ns);
	/* RFC 791: every fragment but the last carries a multiple of 8
	 * bytes; nothing may reach past the 16-bit length. */
	if (len == 0 || (more && len % 8) ||
	    offset + len > SS_FRAG_MAX_DATAGRAM) {
		st->malformed++;
		return NULL;
	}
	uint32_t s = offset, e = offset + (uint32_t)len;
	struct dgram *g = find(t, k);
	if (!g && !(g = create(t, st, k, now_ns)))
		return NULL;
	enum fit fit = end_conflicts(g, e, more) ? FIT_CONFLICT
						 : classify(g, s, e, data);
	if (fit == FIT_CONFLICT) {
		st->ip_frag_overlaps++;
		dg_drop(t, g);
		return NULL;
	}
	if (fit == FIT_DUP)
		return NULL;
	if (!reserve(t, st, g, e)) {
		st->ip_frag_dropped++;
		dg_drop(t, g);
		return NULL;
	}
	memcpy(g->buf + s, data, len);
	range_add(g, s, e);
	if (!more) {
		g->have_last = true;
		g->total = e;
	}
	if (!complete(g))
		return NULL;
	st->ip_reassembled++;
	return take(t, g, out_len);
}
