/*
 * fuzz_rtcp.c - libFuzzer target for the RTCP dissector (dissectors/rtcp.h)
 * and the per-SSRC summary table (src/rtcpstats.h).
 *
 * Besides memory errors it checks the parser's contract and stops with a
 * message when it is broken:
 *  - every slice (SDES text, CNAME, BYE reason, APP name and data, profile
 *    extension) lies inside the input;
 *  - stored counts never exceed the capacities, every index range a packet
 *    holds lies inside the stored arrays, and packet offsets increase;
 *  - on OK the packets' lengths (plus padding) cover the input but for the
 *    tolerated zero tail, and the heuristic agrees: a parse that is OK
 *    with an SR or RR first is also accepted by rtcp_looks_like();
 *  - rtcp_looks_like() implies rtcp_mux_is_rtcp().
 * The compound is then fed twice to a small table (max 8 SSRCs) at two
 * capture times and every summary is read back.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtcp.h"
#include "rtcpstats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_rtcp: contract broken: %s\n", what);
		abort();
	}
}

static void touch(const uint8_t *in, size_t n, ss_str s)
{
	const uint8_t *b = (const uint8_t *)s.p;
	if (s.len == 0)
		return;
	check(b >= in && (size_t)(b - in) <= n && s.len <= n - (size_t)(b - in),
	      "slice outside the input");
	for (size_t i = 0; i < s.len; i++)
		sink += b[i];
}

static void range(size_t first, size_t count, size_t used, const char *what)
{
	check(first <= used && count <= used - first, what);
}

static void check_pkt(const struct rtcp_compound *c, const struct rtcp_pkt *k,
		      const uint8_t *in, size_t n)
{
	range(k->rb_first, k->rb_count, c->nrb, "report blocks out of range");
	range(k->chunk_first, k->chunk_count, c->nchunks, "chunks out of range");
	range(k->bye_first, k->bye_count, c->nbye, "BYE SSRCs out of range");
	range(k->xr_first, k->xr_count, c->nxr, "XR blocks out of range");
	touch(in, n, k->bye_reason);
	touch(in, n, k->app_name);
	touch(in, n, k->app_data);
	touch(in, n, k->profile_ext);
	for (unsigned i = 0; i < k->chunk_count; i++) {
		const struct rtcp_sdes_chunk *ch = &c->chunks[k->chunk_first + i];
		range(ch->item_first, ch->item_count, c->nitems,
		      "SDES items out of range");
		touch(in, n, ch->cname);
	}
	for (unsigned i = 0; i < k->xr_count; i++) {
		const struct rtcp_xr_block *x = &c->xr[k->xr_first + i];
		range(x->dlrr_first, x->dlrr_count, c->ndlrr, "DLRR out of range");
	}
}

static void check_compound(const struct rtcp_compound *c, enum rtcp_rc rc,
			   const uint8_t *in, size_t n)
{
	check(c->npkts <= RTCP_MAX_PKTS && c->nrb <= RTCP_MAX_RBLOCKS &&
	      c->nchunks <= RTCP_MAX_CHUNKS && c->nitems <= RTCP_MAX_ITEMS &&
	      c->nbye <= RTCP_MAX_BYE_SSRCS && c->nxr <= RTCP_MAX_XR_BLOCKS &&
	      c->ndlrr <= RTCP_MAX_DLRR, "count above capacity");
	check((rc == RTCP_OK) == (c->malformed == NULL), "flag and result disagree");
	size_t covered = 0;
	for (unsigned i = 0; i < c->npkts; i++) {
		const struct rtcp_pkt *k = &c->pkts[i];
		check(k->offset == covered || c->dropped, "packets not contiguous");
		covered = k->offset + ((size_t)k->length + 1) * 4;
		check(covered <= n, "packet past the input");
		check_pkt(c, k, in, n);
	}
	for (unsigned i = 0; i < c->nitems; i++)
		touch(in, n, c->items[i].text);
	if (rc == RTCP_OK && c->dropped == 0)
		check(covered + c->trailing == n, "OK but lengths do not cover it");
}

static void summaries(const struct rtcp_compound *c)
{
	struct rtcp_table *t = rtcp_table_new(8);
	rtcp_table_update(t, 42, c, 1000000000);
	rtcp_table_update(t, 42, c, 1000000000 + (int64_t)c->npkts * 7919);
	size_t it = 0;
	const struct rtcp_summary *s;
	double v;
	while ((s = rtcp_table_next(t, &it))) {
		check(rtcp_table_find(t, s->flow_key, s->ssrc) == s, "find lost it");
		sink += rtcp_summary_jitter_ms(s, 8000, &v);
		sink += rtcp_summary_rtt_ms(s, &v);
		sink += rtcp_summary_fraction_lost_pct(s, &v);
		check(s->bye_reason_len <= RTCP_BYE_REASON_MAX, "BYE reason too long");
		check(s->rtt_samples == 0 || s->rtt_last_ns >= 0, "negative RTT");
	}
	check(rtcp_table_count(t) <= 8, "table above its limit");
	rtcp_table_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtcp_compound c;
	enum rtcp_rc rc = rtcp_parse(data, size, &c);
	check_compound(&c, rc, data, size);
	bool looks = rtcp_looks_like(data, size);
	if (looks)
		check(rtcp_mux_is_rtcp(data, size), "looks like RTCP but not by RFC 5761");
	if (rc == RTCP_OK && size >= 8 &&
	    (data[1] == RTCP_SR || data[1] == RTCP_RR))
		check(looks, "parsed OK but the heuristic refuses it");
	summaries(&c);
	return 0;
}
