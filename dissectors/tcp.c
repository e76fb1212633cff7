/*
 * tcp.c - TCP stream reassembly (RFC 9293); the contract is in tcp.h.
 *
 * Per flow: next_seq is the sequence number of the next byte the
 * receiver would read (RFC 9293 section 3.3.1, RCV.NXT as seen from the
 * wire); buf holds in-order bytes the consumer has not used yet; ooo is a
 * list of held segments sorted by sequence number, never overlapping each
 * other or next_seq. Invariant: len + ooo_bytes <= flow_cap.
 *
 * Flows live in a chained hash table and on one list ordered by last
 * activity (oldest first), which gives both lazy idle expiry and the
 * eviction order for free.
 */
#include "tcp.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define BUF_MIN 2048
#define FIRST_BUCKETS 64
/* A segment this far behind or ahead of next_seq is no retransmission nor
 * reordering: the 4-tuple was reused without our seeing the SYN. 64 MiB
 * is far beyond any window a capture will hold in flight. */
#define FAR_SEQ ((int64_t)64 << 20)

struct ooo_seg {
	struct ooo_seg *next;
	uint32_t seq;
	uint32_t len;
	uint8_t data[];
};

struct flow_key {
	uint8_t family;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
};

struct ss_tcp_flow {
	struct flow_key key;
	struct ss_tcp_flow *hnext;		/* hash chain */
	struct ss_tcp_flow *older, *newer;	/* activity order */
	uint32_t next_seq;
	uint32_t fin_seq;	/* valid when fin */
	bool fin, closed, after_gap, ignored;
	uint8_t *buf;		/* owned; NULL when len == 0 */
	size_t len, cap;
	struct ooo_seg *ooo;	/* owned */
	size_t ooo_bytes, nooo;
	/* the last segment, to describe the flow when it ends on its own */
	int64_t last_ts;
	uint64_t last_frame;
	uint32_t source;
	int dlt;
	uint64_t user_state;	/* the consumer's word */
};

struct ss_tcp {
	struct ss_tcp_limits lim;
	ss_tcp_consume_cb cb;
	void *user;
	struct ss_tcp_flow **buckets;	/* owned */
	size_t nbuckets, nflows;
	struct ss_tcp_flow *oldest, *newest;
	size_t mem;
	unsigned ending;	/* > 0 while a flow is being ended: no
				 * eviction may then end another one */
	struct ss_tcp_stats st;
};

/* Signed distance from b to a in sequence space (RFC 9293 3.4). */
static int64_t seq_diff(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b);
}

/* ---- table ------------------------------------------------------------ */

static void key_of(const struct ss_pktinfo *pi, bool reverse,
		   struct flow_key *k)
{
	const struct ss_addr *s = reverse ? &pi->dst : &pi->src;
	const struct ss_addr *d = reverse ? &pi->src : &pi->dst;
	memset(k, 0, sizeof *k);	/* padding takes part in memcmp */
	k->family = s->family;
	memcpy(k->src, s->ip, 16);
	memcpy(k->dst, d->ip, 16);
	k->sport = s->port;
	k->dport = d->port;
}

static size_t key_hash(const struct flow_key *k, size_t nbuckets)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */
	for (size_t i = 0; i < sizeof *k; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 29)) & (nbuckets - 1);
}

static struct ss_tcp_flow *lookup(struct ss_tcp *t, const struct flow_key *k)
{
	struct ss_tcp_flow *f = t->buckets[key_hash(k, t->nbuckets)];
	while (f && memcmp(&f->key, k, sizeof *k) != 0)
		f = f->hnext;
	return f;
}

static void lru_unlink(struct ss_tcp *t, struct ss_tcp_flow *f)
{
	if (f->older)
		f->older->newer = f->newer;
	else
		t->oldest = f->newer;
	if (f->newer)
		f->newer->older = f->older;
	else
		t->newest = f->older;
	f->older = f->newer = NULL;
}

static void lru_append(struct ss_tcp *t, struct ss_tcp_flow *f)
{
	f->older = t->newest;
	f->newer = NULL;
	if (t->newest)
		t->newest->newer = f;
	else
		t->oldest = f;
	t->newest = f;
}

static void grow_buckets(struct ss_tcp *t)
{
	size_t n = t->nbuckets * 2;
	struct ss_tcp_flow **b = xcalloc(n, sizeof *b);
	for (size_t i = 0; i < t->nbuckets; i++) {
		struct ss_tcp_flow *f = t->buckets[i], *next;
		for (; f; f = next) {
			next = f->hnext;
			size_t h = key_hash(&f->key, n);
			f->hnext = b[h];
			b[h] = f;
		}
	}
	t->mem += (n - t->nbuckets) * sizeof *b;
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

/* ---- buffers ---------------------------------------------------------- */

static void free_buf(struct ss_tcp *t, struct ss_tcp_flow *f)
{
	t->mem -= f->cap;
	free(f->buf);
	f->buf = NULL;
	f->len = f->cap = 0;
}

static void free_ooo(struct ss_tcp *t, struct ss_tcp_flow *f)
{
	while (f->ooo) {
		struct ooo_seg *s = f->ooo;
		f->ooo = s->next;
		t->mem -= sizeof *s + s->len;
		free(s);
	}
	f->ooo_bytes = f->nooo = 0;
}

static void evict_one(struct ss_tcp *t, struct ss_tcp_flow *keep);

/* Make room for extra more bytes under mem_cap by evicting the flows idle
 * the longest, never 'keep'. False when even that is not enough. */
static bool mem_reserve(struct ss_tcp *t, struct ss_tcp_flow *keep,
			size_t extra)
{
	while (t->mem + extra > t->lim.mem_cap) {
		if (t->ending || !t->oldest ||
		    (t->oldest == keep && !keep->newer))
			return false;
		evict_one(t, keep);
	}
	return true;
}

/* Make f->buf hold need bytes: doubling, at most flow_cap. */
static bool buf_reserve(struct ss_tcp *t, struct ss_tcp_flow *f, size_t need)
{
	if (need <= f->cap)
		return true;
	size_t n = f->cap ? f->cap : BUF_MIN;
	while (n < need)
		n *= 2;
	if (n > t->lim.flow_cap)
		n = t->lim.flow_cap;
	if (n < need || !mem_reserve(t, f, n - f->cap))
		return false;
	f->buf = xrealloc(f->buf, n);
	t->mem += n - f->cap;
	f->cap = n;
	return true;
}

/* ---- delivery --------------------------------------------------------- */

/* Hand data[0..n) to the consumer; returns the bytes it used. On 'final'
 * the caller discards the rest. */
static size_t consume(struct ss_tcp *t, struct ss_tcp_flow *f,
		      const struct ss_pktinfo *pi, const uint8_t *data,
		      size_t n, bool final)
{
	struct ss_tcp_chunk c = {
		.buf = data, .len = n, .after_gap = f->after_gap,
		.final = final, .state = &f->user_state,
	};
	size_t used = t->cb(t->user, pi, &c);
	if (used > n)
		used = n;
	f->after_gap = c.after_gap;
	if (c.ignore) {		/* declined: nothing of it is kept */
		free_buf(t, f);
		free_ooo(t, f);
		f->ignored = true;
		t->st.ignored_flows++;
		return n;
	}
	return used;
}

/* Offer the buffered bytes; keep what the consumer left, or on 'final'
 * count it abandoned and free the buffer. */
static void consume_buf(struct ss_tcp *t, struct ss_tcp_flow *f,
			const struct ss_pktinfo *pi, bool final)
{
	if (f->len == 0 || f->ignored)
		return;
	size_t used = consume(t, f, pi, f->buf, f->len, final);
	if (f->ignored)
		return;
	if (final) {
		t->st.abandoned_bytes += f->len - used;
		free_buf(t, f);
		return;
	}
	memmove(f->buf, f->buf + used, f->len - used);
	f->len -= used;
	if (f->len == 0)
		free_buf(t, f);
}

/* Append to the in-order buffer. Past flow_cap or mem_cap the consumer
 * gets a last look at what it holds, that and the new bytes are dropped
 * (counted), and the stream goes on after a gap. */
static void buf_append(struct ss_tcp *t, struct ss_tcp_flow *f,
		       const struct ss_pktinfo *pi, const uint8_t *data,
		       size_t n)
{
	if (f->len + n <= t->lim.flow_cap && buf_reserve(t, f, f->len + n)) {
		memcpy(f->buf + f->len, data, n);
		f->len += n;
		return;
	}
	size_t before = t->st.abandoned_bytes;
	consume_buf(t, f, pi, true);
	t->st.cap_dropped += t->st.abandoned_bytes - before + n;
	t->st.abandoned_bytes = before;
	f->after_gap = true;
}

/* The pi that describes a flow when it ends on its own (timeout,
 * eviction, finish): its addresses and its last segment. */
static void flow_pi(const struct ss_tcp_flow *f, struct ss_pktinfo *pi)
{
	memset(pi, 0, sizeof *pi);
	pi->ts_ns = f->last_ts;
	pi->frame = f->last_frame;
	pi->source = f->source;
	pi->dlt = f->dlt;
	pi->l4 = SS_L4_TCP;
	pi->src.family = pi->dst.family = f->key.family;
	memcpy(pi->src.ip, f->key.src, 16);
	memcpy(pi->dst.ip, f->key.dst, 16);
	pi->src.port = f->key.sport;
	pi->dst.port = f->key.dport;
	pi->tcp_seq = f->next_seq;
}

/* ---- out of order ------------------------------------------------------ */

static bool ooo_ready(const struct ss_tcp_flow *f)
{
	return f->ooo && seq_diff(f->ooo->seq, f->next_seq) <= 0;
}

/* Move held segments that now continue the stream into the buffer. */
static void release_ooo(struct ss_tcp *t, struct ss_tcp_flow *f,
			const struct ss_pktinfo *pi)
{
	while (ooo_ready(f)) {
		struct ooo_seg *s = f->ooo;
		size_t old = (size_t)-seq_diff(s->seq, f->next_seq);
		f->ooo = s->next;
		f->nooo--;
		f->ooo_bytes -= s->len;
		t->mem -= sizeof *s + s->len;
		if (old < s->len) {
			t->st.retrans_bytes += old;
			f->next_seq += (uint32_t)(s->len - old);
			t->st.delivered += s->len - old;
			if (!f->ignored)
				buf_append(t, f, pi, s->data + old, s->len - old);
		} else {
			t->st.retrans_bytes += s->len;
		}
		free(s);
	}
}

/* The hole before the first held segment will not fill: the consumer
 * gets a final look at its buffer, the hole is counted lost, and the
 * held data after it is delivered flagged after_gap. */
static void gap_release(struct ss_tcp *t, struct ss_tcp_flow *f,
			const struct ss_pktinfo *pi)
{
	consume_buf(t, f, pi, true);
	if (f->ignored)
		return;
	t->st.gaps++;
	t->st.lost_bytes += (uint32_t)(f->ooo->seq - f->next_seq);
	f->next_seq = f->ooo->seq;
	f->after_gap = true;
	release_ooo(t, f, pi);
	consume_buf(t, f, pi, false);
}

/* Store [seq, seq+n) minus the parts already held (first copy wins), in
 * sequence order. The caller checked the per-flow cap. */
static void hold_piece(struct ss_tcp *t, struct ss_tcp_flow *f,
		       struct ooo_seg **at, uint32_t seq, const uint8_t *p,
		       size_t n)
{
	if (n == 0)
		return;
	if (!mem_reserve(t, f, sizeof(struct ooo_seg) + n)) {
		t->st.cap_dropped += n;
		return;
	}
	struct ooo_seg *s = xmalloc(sizeof *s + n);
	s->seq = seq;
	s->len = (uint32_t)n;
	memcpy(s->data, p, n);
	s->next = *at;
	*at = s;
	f->nooo++;
	f->ooo_bytes += n;
	t->mem += sizeof *s + n;
}

static void hold(struct ss_tcp *t, struct ss_tcp_flow *f, uint32_t seq,
		 const uint8_t *p, size_t n)
{
	struct ooo_seg **at = &f->ooo;
	int64_t cur = seq_diff(seq, f->next_seq), end = cur + (int64_t)n;
	t->st.out_of_order++;
	while (*at && cur < end) {
		int64_t a = seq_diff((*at)->seq, f->next_seq);
		int64_t b = a + (*at)->len;
		if (a > cur) {
			int64_t stop = a < end ? a : end;
			hold_piece(t, f, at, f->next_seq + (uint32_t)cur,
				   p + (cur - seq_diff(seq, f->next_seq)),
				   (size_t)(stop - cur));
			while (*at && seq_diff((*at)->seq, f->next_seq) < a)
				at = &(*at)->next;
			cur = stop;
			continue;
		}
		if (b > cur) {	/* already held */
			int64_t stop = b < end ? b : end;
			t->st.retrans_bytes += (uint64_t)(stop - cur);
			cur = stop;
		}
		at = &(*at)->next;
	}
	if (cur < end)
		hold_piece(t, f, at, f->next_seq + (uint32_t)cur,
			   p + (cur - seq_diff(seq, f->next_seq)),
			   (size_t)(end - cur));
}

/* ---- segments ---------------------------------------------------------- */

/* Everything still held is delivered (holes declared lost), then the
 * consumer has its final look. The flow stays, empty. */
static void drain(struct ss_tcp *t, struct ss_tcp_flow *f,
		  const struct ss_pktinfo *pi)
{
	while (f->ooo && !f->ignored)
		gap_release(t, f, pi);
	free_ooo(t, f);
	consume_buf(t, f, pi, true);
}

/* In-order bytes: delivered in place when nothing is buffered and no held
 * segment joins them (the common case), else through the buffer. */
static void in_order(struct ss_tcp *t, struct ss_tcp_flow *f,
		     const struct ss_pktinfo *pi, const uint8_t *p, size_t n)
{
	f->next_seq += (uint32_t)n;
	t->st.delivered += n;
	if (f->len == 0 && !ooo_ready(f)) {
		size_t used = consume(t, f, pi, p, n, false);
		if (used < n && !f->ignored)
			buf_append(t, f, pi, p + used, n - used);
		return;
	}
	buf_append(t, f, pi, p, n);
	release_ooo(t, f, pi);
	consume_buf(t, f, pi, false);
}

/* Declare [next_seq, seq) lost and continue at seq. */
static void jump(struct ss_tcp *t, struct ss_tcp_flow *f,
		 const struct ss_pktinfo *pi, uint32_t seq, bool count)
{
	drain(t, f, pi);
	if (seq_diff(seq, f->next_seq) > 0 && count) {
		t->st.gaps++;
		t->st.lost_bytes += (uint32_t)(seq - f->next_seq);
	}
	f->next_seq = seq;
	f->after_gap = true;
}

static void add_data(struct ss_tcp *t, struct ss_tcp_flow *f,
		     const struct ss_pktinfo *pi, uint32_t seq,
		     const uint8_t *p, size_t n)
{
	while (n && !f->ignored) {
		int64_t d = seq_diff(seq, f->next_seq);
		if (d < -FAR_SEQ || d > FAR_SEQ) {
			jump(t, f, pi, seq, false);
			t->st.midstream++;
			continue;
		}
		if (d < 0) {	/* bytes seen before: trim them */
			size_t old = (size_t)-d < n ? (size_t)-d : n;
			t->st.retrans_bytes += old;
			p += old;
			n -= old;
			seq += (uint32_t)old;
			continue;
		}
		if (d == 0) {
			in_order(t, f, pi, p, n);
			return;
		}
		if (f->len + f->ooo_bytes + n <= t->lim.flow_cap &&
		    (uint64_t)d + n <= t->lim.flow_cap &&
		    f->nooo < t->lim.max_ooo) {
			hold(t, f, seq, p, n);
			return;
		}
		if (f->ooo)	/* too much held: give up the first hole */
			gap_release(t, f, pi);
		else
			jump(t, f, pi, seq, true);
	}
}

static void remove_flow(struct ss_tcp *t, struct ss_tcp_flow *f)
{
	struct ss_tcp_flow **pp = &t->buckets[key_hash(&f->key, t->nbuckets)];
	while (*pp != f)
		pp = &(*pp)->hnext;
	*pp = f->hnext;
	lru_unlink(t, f);
	free_buf(t, f);
	free_ooo(t, f);
	t->mem -= sizeof *f;
	t->nflows--;
	free(f);
}

/* End a flow that did not end by itself: drain it to the consumer,
 * described by its last segment, then free it. */
static void end_flow(struct ss_tcp *t, struct ss_tcp_flow *f)
{
	if (!f->closed && !f->ignored) {
		struct ss_pktinfo pi;
		flow_pi(f, &pi);
		t->ending++;
		drain(t, f, &pi);
		t->ending--;
	}
	remove_flow(t, f);
}

static void evict_one(struct ss_tcp *t, struct ss_tcp_flow *keep)
{
	struct ss_tcp_flow *f = t->oldest;
	if (f == keep)
		f = f->newer;
	/* as in expire(): a closed or declined flow loses nothing */
	if (!f->closed && !f->ignored)
		t->st.flows_evicted++;
	end_flow(t, f);
}

static void expire(struct ss_tcp *t, int64_t now)
{
	while (t->oldest && now - t->oldest->last_ts > t->lim.idle_ns) {
		if (!t->oldest->closed && !t->oldest->ignored)
			t->st.flows_timed_out++;
		end_flow(t, t->oldest);
	}
}

static void touch(struct ss_tcp *t, struct ss_tcp_flow *f,
		  const struct ss_pktinfo *pi)
{
	f->last_ts = pi->ts_ns;
	f->last_frame = pi->frame;
	f->source = pi->source;
	f->dlt = pi->dlt;
	lru_unlink(t, f);
	lru_append(t, f);
}

static struct ss_tcp_flow *create(struct ss_tcp *t, const struct flow_key *k,
				  const struct ss_pktinfo *pi)
{
	while (t->nflows >= t->lim.max_flows && t->oldest)
		evict_one(t, NULL);
	if (!mem_reserve(t, NULL, sizeof(struct ss_tcp_flow)))
		return NULL;
	if (t->nflows >= t->nbuckets)
		grow_buckets(t);
	struct ss_tcp_flow *f = xcalloc(1, sizeof *f);
	f->key = *k;
	size_t h = key_hash(k, t->nbuckets);
	f->hnext = t->buckets[h];
	t->buckets[h] = f;
	t->nflows++;
	t->mem += sizeof *f;
	t->st.flows++;
	lru_append(t, f);
	touch(t, f, pi);
	return f;
}

/* A new connection on this direction (a SYN, or data after the close):
 * forget the old one, start at seq. */
static void restart(struct ss_tcp *t, struct ss_tcp_flow *f,
		    const struct ss_pktinfo *pi, uint32_t seq, bool midstream)
{
	if (!f->closed && !f->ignored)
		drain(t, f, pi);
	free_buf(t, f);
	free_ooo(t, f);
	f->next_seq = seq;
	f->fin = f->closed = f->ignored = false;
	f->after_gap = midstream;
	f->user_state = 0;
	if (midstream)
		t->st.midstream++;
}

/* RST ends both directions at once (RFC 9293 section 3.5.3). */
static void reset(struct ss_tcp *t, const struct ss_pktinfo *pi)
{
	bool any = false;
	for (int dir = 0; dir < 2; dir++) {
		struct flow_key k;
		key_of(pi, dir == 1, &k);
		struct ss_tcp_flow *f = lookup(t, &k);
		if (!f || f->closed)
			continue;
		struct ss_pktinfo fp;
		flow_pi(f, &fp);
		if (!f->ignored)
			drain(t, f, dir == 0 ? pi : &fp);
		f->closed = true;
		any = true;
	}
	if (any)
		t->st.resets++;
}

/* A SYN that is no retransmission of the one we saw: the 4-tuple was
 * reused (after a close, or with an ISN far from the old stream). */
static bool new_connection(const struct ss_tcp *t, const struct ss_tcp_flow *f,
			   uint32_t next)
{
	int64_t d = seq_diff(next, f->next_seq);
	if (d == 0)
		return false;
	return f->closed || f->ignored || d > (int64_t)t->lim.flow_cap ||
	       d < -(int64_t)t->lim.flow_cap;
}

/* Find or create the flow of this segment; NULL when the segment carries
 * nothing worth a new flow or memory is exhausted. */
static struct ss_tcp_flow *flow_for(struct ss_tcp *t,
				    const struct ss_pktinfo *pi, size_t len)
{
	struct flow_key k;
	key_of(pi, false, &k);
	struct ss_tcp_flow *f = lookup(t, &k);
	bool syn = pi->tcp_flags & SS_TCP_SYN;
	if (f) {
		touch(t, f, pi);
		if (syn && new_connection(t, f, pi->tcp_seq + 1))
			restart(t, f, pi, pi->tcp_seq + 1, false);
		return f;
	}
	if (len == 0 && !syn)	/* a pure ACK or FIN of an unknown flow */
		return NULL;
	f = create(t, &k, pi);
	if (!f)
		return NULL;
	f->next_seq = syn ? pi->tcp_seq + 1 : pi->tcp_seq;
	f->after_gap = !syn;
	if (!syn)
		t->st.midstream++;
	return f;
}

void ss_tcp_segment(struct ss_tcp *t, const struct ss_pktinfo *pi,
		    const uint8_t *payload, size_t len)
{
	t->st.segments++;
	t->st.bytes += len;
	expire(t, pi->ts_ns);
	if (pi->tcp_flags & SS_TCP_RST) {
		reset(t, pi);
		return;
	}
	struct ss_tcp_flow *f = flow_for(t, pi, len);
	if (!f) {
		if (len)
			t->st.cap_dropped += len;
		return;
	}
	uint32_t seq = pi->tcp_seq + ((pi->tcp_flags & SS_TCP_SYN) ? 1 : 0);
	if (f->closed) {
		if (len == 0 || seq_diff(seq + (uint32_t)len, f->next_seq) <= 0) {
			t->st.retrans_bytes += len;
			return;
		}
		restart(t, f, pi, seq, true);
	}
	if (f->ignored)
		return;
	add_data(t, f, pi, seq, payload, len);
	if ((pi->tcp_flags & SS_TCP_FIN) && !f->fin && !f->ignored) {
		f->fin = true;
		f->fin_seq = seq + (uint32_t)len;
	}
	if (f->fin && !f->ignored && seq_diff(f->next_seq, f->fin_seq) >= 0) {
		drain(t, f, pi);	/* frees every buffer */
		f->closed = true;
	}
}

/* ---- life cycle -------------------------------------------------------- */

struct ss_tcp *ss_tcp_new(const struct ss_tcp_limits *lim,
			  ss_tcp_consume_cb cb, void *user)
{
	struct ss_tcp *t = xcalloc(1, sizeof *t);
	struct ss_tcp_limits *l = &t->lim;
	if (lim)
		*l = *lim;
	l->max_flows = l->max_flows ? l->max_flows : SS_TCP_DEFAULT_MAX_FLOWS;
	l->flow_cap = l->flow_cap ? l->flow_cap : SS_TCP_DEFAULT_FLOW_CAP;
	l->mem_cap = l->mem_cap ? l->mem_cap : SS_TCP_DEFAULT_MEM_CAP;
	l->max_ooo = l->max_ooo ? l->max_ooo : SS_TCP_DEFAULT_MAX_OOO;
	l->idle_ns = l->idle_ns ? l->idle_ns : SS_TCP_DEFAULT_IDLE_NS;
	t->cb = cb;
	t->user = user;
	t->nbuckets = FIRST_BUCKETS;
	t->buckets = xcalloc(t->nbuckets, sizeof *t->buckets);
	t->mem = t->nbuckets * sizeof *t->buckets;
	return t;
}

void ss_tcp_finish(struct ss_tcp *t)
{
	while (t->oldest)
		end_flow(t, t->oldest);
}

void ss_tcp_free(struct ss_tcp *t)
{
	if (!t)
		return;
	while (t->oldest)
		remove_flow(t, t->oldest);
	free(t->buckets);
	free(t);
}

const struct ss_tcp_stats *ss_tcp_stats(const struct ss_tcp *t)
{
	return &t->st;
}

const struct ss_tcp_limits *ss_tcp_get_limits(const struct ss_tcp *t)
{
	return &t->lim;
}

size_t ss_tcp_flow_count(const struct ss_tcp *t)
{
	return t->nflows;
}

size_t ss_tcp_mem_used(const struct ss_tcp *t)
{
	return t->mem;
}

size_t ss_tcp_flow_cost(void)
{
	return sizeof(struct ss_tcp_flow);
}
