/*
 * rtcpstats.c - per-SSRC RTCP summaries and their table (see rtcpstats.h
 * for what each field means and how the round-trip time is derived).
 */
#include "rtcpstats.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(struct rtcp_summary) <= 304,
	       "rtcpstats.h documents 304 bytes per summary");
#endif

#define NS_PER_S 1000000000LL
#define RTT_SLACK_NS 1000000LL	/* -1 ms: timer and rounding noise */
#define DEFAULT_MAX 65536

/* ---- one summary ------------------------------------------------------ */

void rtcp_summary_init(struct rtcp_summary *s, uint64_t flow_key,
		       uint32_t ssrc)
{
	memset(s, 0, sizeof *s);
	s->flow_key = flow_key;
	s->ssrc = ssrc;
}

static void seen(struct rtcp_summary *s, int64_t ts_ns)
{
	if (s->first_ts_ns == 0 || ts_ns < s->first_ts_ns)
		s->first_ts_ns = ts_ns;
	if (ts_ns > s->last_ts_ns)
		s->last_ts_ns = ts_ns;
}

static void remember(struct rtcp_summary *s, uint64_t ntp, int64_t ts_ns)
{
	s->sr_hist[s->sr_next] = (struct rtcp_sr_mark){
		.ntp_mid = rtcp_ntp_mid(ntp), .ts_ns = ts_ns };
	s->sr_next = (uint8_t)((s->sr_next + 1) % RTCP_SR_HISTORY);
}

void rtcp_summary_sr(struct rtcp_summary *s, const struct rtcp_pkt *k,
		     int64_t ts_ns)
{
	seen(s, ts_ns);
	s->sender_reports++;
	s->last_sr_ntp = k->ntp;
	s->last_sr_rtp_ts = k->rtp_ts;
	s->last_sr_packets = k->packet_count;
	s->last_sr_octets = k->octet_count;
	remember(s, k->ntp, ts_ns);
}

void rtcp_summary_rrt(struct rtcp_summary *s, uint64_t ntp, int64_t ts_ns)
{
	seen(s, ts_ns);
	remember(s, ntp, ts_ns);
}

/* RFC 3550 6.4.1: LSR 0 means "no SR received yet"; DLSR is in units of
 * 1/65536 s. The newest matching mark wins (an NTP clock that stands
 * still repeats its middle bits). */
static void rtt_sample(struct rtcp_summary *s, uint32_t lsr, uint32_t dlsr,
		       int64_t ts_ns)
{
	if (lsr == 0)
		return;
	const struct rtcp_sr_mark *m = NULL;
	for (unsigned i = 0; i < RTCP_SR_HISTORY; i++) {
		const struct rtcp_sr_mark *h = &s->sr_hist[i];
		if (h->ts_ns != 0 && h->ntp_mid == lsr &&
		    (!m || h->ts_ns > m->ts_ns))
			m = h;
	}
	if (!m)
		return;
	if (ts_ns < m->ts_ns) {	/* answered before it was sent: merged
				 * captures out of order, or a wrong match */
		s->rtt_discarded++;
		return;
	}
	int64_t delay = (int64_t)(((uint64_t)dlsr * NS_PER_S) >> 16);
	int64_t rtt = ts_ns - m->ts_ns - delay;
	if (rtt < -RTT_SLACK_NS) {
		s->rtt_discarded++;
		return;
	}
	if (rtt < 0)
		rtt = 0;
	if (s->rtt_samples == 0 || rtt < s->rtt_min_ns)
		s->rtt_min_ns = rtt;
	if (rtt > s->rtt_max_ns)
		s->rtt_max_ns = rtt;
	s->rtt_samples++;
	s->rtt_last_ns = rtt;
}

void rtcp_summary_block(struct rtcp_summary *s, uint32_t reporter,
			const struct rtcp_rblock *rb, int64_t ts_ns)
{
	seen(s, ts_ns);
	s->report_blocks++;
	s->reporter_ssrc = reporter;
	s->fraction_lost = rb->fraction_lost;
	if (rb->fraction_lost > s->max_fraction_lost)
		s->max_fraction_lost = rb->fraction_lost;
	s->cumulative_lost = rb->cum_lost;
	s->ext_highest_seq = rb->ext_seq;
	s->jitter = rb->jitter;
	if (rb->jitter > s->max_jitter)
		s->max_jitter = rb->jitter;
	rtt_sample(s, rb->lsr, rb->dlsr, ts_ns);
}

void rtcp_summary_dlrr(struct rtcp_summary *s, const struct rtcp_xr_dlrr *d,
		       int64_t ts_ns)
{
	seen(s, ts_ns);
	rtt_sample(s, d->lrr, d->dlrr, ts_ns);
}

void rtcp_summary_voip(struct rtcp_summary *s, const struct rtcp_xr_voip *v,
		       int64_t ts_ns)
{
	seen(s, ts_ns);
	s->has_voip = true;
	s->voip_ts_ns = ts_ns;
	s->voip = *v;
}

void rtcp_summary_bye(struct rtcp_summary *s, ss_str reason, int64_t ts_ns)
{
	seen(s, ts_ns);
	s->bye = true;
	s->bye_ts_ns = ts_ns;
	size_t n = reason.len;
	s->bye_reason_clipped = n > RTCP_BYE_REASON_MAX;
	if (s->bye_reason_clipped)
		n = RTCP_BYE_REASON_MAX;
	if (n)
		memcpy(s->bye_reason, reason.p, n);
	s->bye_reason_len = (uint8_t)n;
}

static bool ts_to_ms(uint32_t v, uint32_t clock_rate, bool have, double *ms)
{
	if (!have || clock_rate == 0)
		return false;
	*ms = (double)v * 1000.0 / clock_rate;
	return true;
}

bool rtcp_summary_jitter_ms(const struct rtcp_summary *s, uint32_t clock_rate,
			    double *ms)
{
	return ts_to_ms(s->jitter, clock_rate, s->report_blocks > 0, ms);
}

bool rtcp_summary_max_jitter_ms(const struct rtcp_summary *s,
				uint32_t clock_rate, double *ms)
{
	return ts_to_ms(s->max_jitter, clock_rate, s->report_blocks > 0, ms);
}

bool rtcp_summary_rtt_ms(const struct rtcp_summary *s, double *ms)
{
	if (s->rtt_samples == 0)
		return false;
	*ms = (double)s->rtt_last_ns / 1e6;
	return true;
}

bool rtcp_summary_fraction_lost_pct(const struct rtcp_summary *s, double *pct)
{
	if (s->report_blocks == 0)
		return false;
	*pct = s->fraction_lost * 100.0 / 256.0;
	return true;
}

/* ---- flow key --------------------------------------------------------- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t addr_hash(uint64_t h, const struct ss_addr *a)
{
	uint8_t port[2] = { (uint8_t)(a->port >> 8), (uint8_t)a->port };
	h = fnv(h, &a->family, 1);
	h = fnv(h, a->ip, a->family == 6 ? 16 : 4);
	return fnv(h, port, 2);
}

static int addr_cmp(const struct ss_addr *a, const struct ss_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	int c = memcmp(a->ip, b->ip, a->family == 6 ? 16 : 4);
	if (c)
		return c;
	return a->port == b->port ? 0 : (a->port < b->port ? -1 : 1);
}

uint64_t rtcp_flow_key(const struct ss_addr *a, const struct ss_addr *b)
{
	if (addr_cmp(a, b) > 0) {
		const struct ss_addr *t = a;
		a = b;
		b = t;
	}
	uint64_t h = addr_hash(addr_hash(0xcbf29ce484222325ULL, a), b);
	return h ? h : 1;
}

/* ---- the table -------------------------------------------------------- */

/* Open addressing with linear probing; a slot is free when flow_key is 0
 * (rtcp_flow_key never returns 0, and the table refuses key 0). No
 * deletion, so probing needs no tombstones. */
struct rtcp_table {
	struct rtcp_summary *slots;
	size_t cap;		/* power of two */
	size_t count;
	size_t max;
	uint64_t full;
};

struct rtcp_table *rtcp_table_new(size_t max_entries)
{
	struct rtcp_table *t = xcalloc(1, sizeof *t);
	t->max = max_entries ? max_entries : DEFAULT_MAX;
	t->cap = 16;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	return t;
}

void rtcp_table_free(struct rtcp_table *t)
{
	if (!t)
		return;
	free(t->slots);
	free(t);
}

static size_t slot_of(uint64_t key, uint32_t ssrc, size_t cap)
{
	uint64_t h = key ^ ((uint64_t)ssrc * 0x9e3779b97f4a7c15ULL);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (size_t)(h & (cap - 1));
}

static struct rtcp_summary *probe(const struct rtcp_table *t, uint64_t key,
				  uint32_t ssrc)
{
	size_t i = slot_of(key, ssrc, t->cap);
	for (;;) {
		struct rtcp_summary *s = &t->slots[i];
		if (s->flow_key == 0 || (s->flow_key == key && s->ssrc == ssrc))
			return s;
		i = (i + 1) & (t->cap - 1);
	}
}

static void grow(struct rtcp_table *t)
{
	struct rtcp_summary *old = t->slots;
	size_t oldcap = t->cap;
	t->cap *= 2;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].flow_key)
			*probe(t, old[i].flow_key, old[i].ssrc) = old[i];
	free(old);
}

/* The summary of (key, ssrc), created on first sight; NULL when the table
 * is full (counted). */
static struct rtcp_summary *get(struct rtcp_table *t, uint64_t key,
				uint32_t ssrc)
{
	struct rtcp_summary *s = probe(t, key, ssrc);
	if (s->flow_key)
		return s;
	if (t->count >= t->max) {
		t->full++;
		return NULL;
	}
	if ((t->count + 1) * 2 > t->cap) {
		grow(t);
		s = probe(t, key, ssrc);
	}
	rtcp_summary_init(s, key, ssrc);
	t->count++;
	return s;
}

static void apply_blocks(struct rtcp_table *t, uint64_t key,
			 const struct rtcp_compound *c,
			 const struct rtcp_pkt *k, int64_t ts)
{
	for (unsigned i = 0; i < k->rb_count; i++) {
		const struct rtcp_rblock *rb = &c->rb[k->rb_first + i];
		struct rtcp_summary *s = get(t, key, rb->ssrc);
		if (s)
			rtcp_summary_block(s, k->ssrc, rb, ts);
	}
}

static void apply_xr(struct rtcp_table *t, uint64_t key,
		     const struct rtcp_compound *c, const struct rtcp_pkt *k,
		     int64_t ts)
{
	for (unsigned i = 0; i < k->xr_count; i++) {
		const struct rtcp_xr_block *x = &c->xr[k->xr_first + i];
		struct rtcp_summary *s;
		if (x->bt == RTCP_XR_RRT && (s = get(t, key, k->ssrc)))
			rtcp_summary_rrt(s, x->rrt_ntp, ts);
		if (x->bt == RTCP_XR_VOIP && (s = get(t, key, x->voip.ssrc)))
			rtcp_summary_voip(s, &x->voip, ts);
		if (x->bt != RTCP_XR_DLRR)
			continue;
		for (unsigned j = 0; j < x->dlrr_count; j++) {
			const struct rtcp_xr_dlrr *d = &c->dlrr[x->dlrr_first + j];
			if ((s = get(t, key, d->ssrc)))
				rtcp_summary_dlrr(s, d, ts);
		}
	}
}

static void apply_pkt(struct rtcp_table *t, uint64_t key,
		      const struct rtcp_compound *c, const struct rtcp_pkt *k,
		      int64_t ts)
{
	struct rtcp_summary *s;
	switch (k->pt) {
	case RTCP_SR:
		if ((s = get(t, key, k->ssrc)))
			rtcp_summary_sr(s, k, ts);
		apply_blocks(t, key, c, k, ts);
		break;
	case RTCP_RR:
		apply_blocks(t, key, c, k, ts);
		break;
	case RTCP_BYE:
		for (unsigned i = 0; i < k->bye_count; i++)
			if ((s = get(t, key, c->bye_ssrc[k->bye_first + i])))
				rtcp_summary_bye(s, k->bye_reason, ts);
		break;
	case RTCP_XR:
		apply_xr(t, key, c, k, ts);
		break;
	default:
		break;
	}
}

void rtcp_table_update(struct rtcp_table *t, uint64_t flow_key,
		       const struct rtcp_compound *c, int64_t ts_ns)
{
	if (flow_key == 0)
		flow_key = 1;	/* 0 marks free slots */
	for (unsigned i = 0; i < c->npkts; i++)
		apply_pkt(t, flow_key, c, &c->pkts[i], ts_ns);
}

const struct rtcp_summary *rtcp_table_find(const struct rtcp_table *t,
					   uint64_t flow_key, uint32_t ssrc)
{
	if (flow_key == 0)
		flow_key = 1;
	const struct rtcp_summary *s = probe(t, flow_key, ssrc);
	return s->flow_key ? s : NULL;
}

const struct rtcp_summary *rtcp_table_find_ssrc(const struct rtcp_table *t,
						uint32_t ssrc, size_t *matches)
{
	const struct rtcp_summary *found = NULL;
	size_t n = 0;
	for (size_t i = 0; i < t->cap; i++) {
		const struct rtcp_summary *s = &t->slots[i];
		if (s->flow_key && s->ssrc == ssrc) {
			/* the oldest, so the answer does not depend on slots */
			if (!found || s->first_ts_ns < found->first_ts_ns)
				found = s;
			n++;
		}
	}
	if (matches)
		*matches = n;
	return found;
}

const struct rtcp_summary *rtcp_table_next(const struct rtcp_table *t,
					   size_t *iter)
{
	while (*iter < t->cap) {
		const struct rtcp_summary *s = &t->slots[(*iter)++];
		if (s->flow_key)
			return s;
	}
	return NULL;
}

size_t rtcp_table_count(const struct rtcp_table *t)
{
	return t->count;
}

uint64_t rtcp_table_full(const struct rtcp_table *t)
{
	return t->full;
}
