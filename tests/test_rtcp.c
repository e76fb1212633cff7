/*
 * test_rtcp.c - unit tests for the RTCP dissector (dissectors/rtcp.c) and
 * the per-SSRC summaries (src/rtcpstats.c).
 *
 * Inputs are built byte by byte with a small writer (the length field of
 * each packet is filled in when the packet ends), so every value in the
 * expectations is one the test put there. Each case is a row in a named
 * table; its input is copied with guard_copy() so its last byte is the
 * last readable one before a PROT_NONE page: a read past the input faults
 * at once, with or without ASan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"
#include "rtcp.h"
#include "rtcpstats.h"

/* ---- a writer for hand-built packets ----------------------------------- */

struct bld {
	uint8_t b[4096];
	size_t n;
	size_t pkt;		/* where the open packet starts */
};

static void u8(struct bld *w, unsigned v)
{
	assert_true(w->n < sizeof w->b);
	w->b[w->n++] = (uint8_t)v;
}

static void u16(struct bld *w, unsigned v)
{
	u8(w, v >> 8);
	u8(w, v);
}

static void u32(struct bld *w, uint32_t v)
{
	u16(w, v >> 16);
	u16(w, v & 0xffff);
}

static void str(struct bld *w, const char *s)
{
	while (*s)
		u8(w, (unsigned char)*s++);
}

static void begin(struct bld *w, unsigned count, unsigned pt)
{
	w->pkt = w->n;
	u8(w, 0x80 | count);
	u8(w, pt);
	u16(w, 0);
}

/* Zero-fill to 32 bits and write the length field. */
static void end(struct bld *w)
{
	while ((w->n - w->pkt) % 4)
		u8(w, 0);
	size_t words = (w->n - w->pkt) / 4 - 1;
	w->b[w->pkt + 2] = (uint8_t)(words >> 8);
	w->b[w->pkt + 3] = (uint8_t)words;
}

/* End with RFC 3550 padding: the P bit and pad octets, the last holding
 * their count. */
static void end_padded(struct bld *w, unsigned pad)
{
	while ((w->n - w->pkt) % 4)
		u8(w, 0);
	w->b[w->pkt] |= 0x20;
	for (unsigned i = 1; i < pad; i++)
		u8(w, 0);
	u8(w, pad);
	end(w);
}

static void rblock(struct bld *w, uint32_t ssrc, unsigned frac, uint32_t lost24,
		   uint32_t ext, uint32_t jit, uint32_t lsr, uint32_t dlsr)
{
	u32(w, ssrc);
	u32(w, (uint32_t)frac << 24 | (lost24 & 0xffffff));
	u32(w, ext);
	u32(w, jit);
	u32(w, lsr);
	u32(w, dlsr);
}

/* SR from 0x11111111 with NTP 0xE0000001:80000000, RTP ts 160000,
 * 500 packets, 80000 octets, and n blocks about 0x1000+i. */
static void sr(struct bld *w, unsigned n)
{
	begin(w, n, RTCP_SR);
	u32(w, 0x11111111);
	u32(w, 0xE0000001);
	u32(w, 0x80000000);
	u32(w, 160000);
	u32(w, 500);
	u32(w, 80000);
	for (unsigned i = 0; i < n; i++)
		rblock(w, 0x1000 + i, i, i, 65536 + i, 10 * i, 0xAB00 + i, i);
	end(w);
}

static void rr1(struct bld *w)
{
	begin(w, 1, RTCP_RR);
	u32(w, 0x22222222);
	rblock(w, 0x11111111, 64, 0xFFFFFD, 0x0001FFFF, 80, 0x00018000, 0x00010000);
	end(w);
}

/* Two chunks: CNAME "ab" + NAME "x" (7 octets of items, END, no pad
 * needed after 4+7+1 = 12); CNAME "wxyz" (4+6 = 10, END, 1 pad octet). */
static void sdes2(struct bld *w)
{
	begin(w, 2, RTCP_SDES);
	u32(w, 0x33333333);
	u8(w, RTCP_SDES_CNAME); u8(w, 2); str(w, "ab");
	u8(w, RTCP_SDES_NAME); u8(w, 1); str(w, "x");
	u8(w, 0);
	u32(w, 0x44444444);
	u8(w, RTCP_SDES_CNAME); u8(w, 4); str(w, "wxyz");
	u8(w, 0);
	u8(w, 0);
	end(w);
}

static void bye(struct bld *w, const char *reason)
{
	begin(w, 2, RTCP_BYE);
	u32(w, 0x11111111);
	u32(w, 0x55555555);
	if (reason) {
		u8(w, (unsigned)strlen(reason));
		str(w, reason);
	}
	end(w);
}

/* VoIP metrics with every field distinct. */
static void voip(struct bld *w, uint32_t ssrc)
{
	u8(w, RTCP_XR_VOIP); u8(w, 0); u16(w, 8);
	u32(w, ssrc);
	u8(w, 12); u8(w, 5); u8(w, 40); u8(w, 2);	/* loss, discard, densities */
	u16(w, 120); u16(w, 3000);			/* burst, gap duration */
	u16(w, 150); u16(w, 40);			/* RTD, ESD */
	u8(w, 0xEC); u8(w, 0xBA); u8(w, 30); u8(w, 16);	/* -20, -70 dBm, RERL, Gmin */
	u8(w, 88); u8(w, 127); u8(w, 42); u8(w, 41);	/* R, ext R, MOS-LQ, MOS-CQ */
	u8(w, 0x80); u8(w, 0); u16(w, 40);		/* RX config, JB nominal */
	u16(w, 80); u16(w, 200);			/* JB max, abs max */
}

static void xr(struct bld *w)
{
	begin(w, 0, RTCP_XR);
	u32(w, 0x22222222);
	voip(w, 0x11111111);
	u8(w, RTCP_XR_RRT); u8(w, 0); u16(w, 2);
	u32(w, 0xE0000002); u32(w, 0x40000000);
	u8(w, 99); u8(w, 0); u16(w, 1); u32(w, 0xFFFFFFFF);	/* unknown: skipped */
	u8(w, RTCP_XR_DLRR); u8(w, 0); u16(w, 6);
	u32(w, 0x66666666); u32(w, 0x00024000); u32(w, 0x00004000);
	u32(w, 0x77777777); u32(w, 0); u32(w, 0);
	end(w);
}

/* ---- the case table ---------------------------------------------------- */

struct rcase {
	const char *name;
	void (*build)(struct bld *w);
	const char *why;		/* NULL: must parse OK */
	void (*check)(const struct rtcp_compound *c);
	size_t npkts;			/* packets stored */
};

static void run_case(const struct rcase *k)
{
	struct bld w = { .n = 0 };
	k->build(&w);
	struct guard g;
	const uint8_t *p = guard_copy(&g, w.b, w.n);
	struct rtcp_compound c;
	enum rtcp_rc rc = rtcp_parse(p, w.n, &c);
	if (k->why == NULL && rc != RTCP_OK)
		fail_msg("%s: flagged \"%s\" at %zu", k->name, c.malformed,
			 c.malformed_at);
	if (k->why && (rc != RTCP_MALFORMED || strcmp(c.malformed, k->why) != 0))
		fail_msg("%s: flagged \"%s\", expected \"%s\"", k->name,
			 c.malformed ? c.malformed : "(nothing)", k->why);
	if (c.npkts != k->npkts)
		fail_msg("%s: %u packets stored, expected %zu", k->name,
			 c.npkts, k->npkts);
	if (k->check)
		k->check(&c);
	guard_release(&g);
}

static bool slice_is(ss_str s, const char *want)
{
	return s.len == strlen(want) && memcmp(s.p, want, s.len) == 0;
}

/* ---- valid packets ------------------------------------------------------ */

static void b_sr0(struct bld *w) { sr(w, 0); }
static void c_sr0(const struct rtcp_compound *c)
{
	const struct rtcp_pkt *k = &c->pkts[0];
	assert_int_equal(k->pt, RTCP_SR);
	assert_int_equal(k->count, 0);
	assert_int_equal(k->length, 6);
	assert_int_equal(k->ssrc, 0x11111111);
	assert_true(k->ntp == 0xE000000180000000ULL);
	assert_int_equal(rtcp_ntp_mid(k->ntp), 0x00018000);
	assert_int_equal(k->rtp_ts, 160000);
	assert_int_equal(k->packet_count, 500);
	assert_int_equal(k->octet_count, 80000);
	assert_int_equal(k->rb_count, 0);
	assert_false(c->reduced_size);
}

static void b_sr1(struct bld *w)
{
	begin(w, 1, RTCP_SR);
	u32(w, 0x11111111);
	for (int i = 0; i < 5; i++)
		u32(w, 0);
	rblock(w, 0xCAFEBABE, 255, 0xFFFFFD, 0x00030010, 1234, 0xDEADBEEF, 0x00028000);
	end(w);
}
static void c_sr1(const struct rtcp_compound *c)
{
	const struct rtcp_rblock *b = &c->rb[c->pkts[0].rb_first];
	assert_int_equal(c->pkts[0].rb_count, 1);
	assert_int_equal(b->ssrc, 0xCAFEBABE);
	assert_int_equal(b->fraction_lost, 255);
	assert_int_equal(b->cum_lost, -3);	/* 0xFFFFFD as signed 24-bit */
	assert_int_equal(b->ext_seq, 0x00030010);
	assert_int_equal(b->jitter, 1234);
	assert_int_equal(b->lsr, 0xDEADBEEF);
	assert_int_equal(b->dlsr, 0x00028000);
}

static void b_sr31(struct bld *w) { sr(w, 31); }
static void c_sr31(const struct rtcp_compound *c)
{
	assert_int_equal(c->pkts[0].rb_count, 31);
	assert_int_equal(c->pkts[0].length, 6 + 6 * 31);
	for (unsigned i = 0; i < 31; i++) {
		const struct rtcp_rblock *b = &c->rb[i];
		assert_int_equal(b->ssrc, 0x1000 + i);
		assert_int_equal(b->fraction_lost, i);
		assert_int_equal(b->cum_lost, (int32_t)i);
		assert_int_equal(b->jitter, 10 * i);
		assert_int_equal(b->lsr, 0xAB00 + i);
	}
	assert_int_equal(c->dropped, 0);
}

static void b_rr(struct bld *w) { rr1(w); }
static void c_rr(const struct rtcp_compound *c)
{
	const struct rtcp_rblock *b = &c->rb[0];
	assert_int_equal(c->pkts[0].pt, RTCP_RR);
	assert_int_equal(c->pkts[0].ssrc, 0x22222222);
	assert_int_equal(b->ssrc, 0x11111111);
	assert_int_equal(b->fraction_lost, 64);
	assert_int_equal(b->cum_lost, -3);
	assert_int_equal(b->ext_seq, 0x0001FFFF);
}

/* an RR with a profile-specific extension after its block */
static void b_rr_ext(struct bld *w)
{
	begin(w, 0, RTCP_RR);
	u32(w, 0x22222222);
	str(w, "EXTN");
	end(w);
}
static void c_rr_ext(const struct rtcp_compound *c)
{
	assert_true(slice_is(c->pkts[0].profile_ext, "EXTN"));
}

static void b_sdes(struct bld *w) { rr1(w); sdes2(w); }
static void c_sdes(const struct rtcp_compound *c)
{
	const struct rtcp_pkt *k = &c->pkts[1];
	assert_int_equal(k->pt, RTCP_SDES);
	assert_int_equal(k->chunk_count, 2);
	assert_int_equal(k->ssrc, 0x33333333);
	const struct rtcp_sdes_chunk *a = &c->chunks[k->chunk_first];
	const struct rtcp_sdes_chunk *b = a + 1;
	assert_int_equal(a->ssrc, 0x33333333);
	assert_true(slice_is(a->cname, "ab"));
	assert_int_equal(a->item_count, 2);
	assert_int_equal(c->items[a->item_first + 1].type, RTCP_SDES_NAME);
	assert_true(slice_is(c->items[a->item_first + 1].text, "x"));
	assert_int_equal(b->ssrc, 0x44444444);
	assert_true(slice_is(b->cname, "wxyz"));
	assert_int_equal(b->item_count, 1);
}

/* SDES last, with RFC 3550 padding after the chunks */
static void b_sdes_pad(struct bld *w)
{
	rr1(w);
	begin(w, 1, RTCP_SDES);
	u32(w, 0x33333333);
	u8(w, RTCP_SDES_CNAME); u8(w, 1); str(w, "c");
	u8(w, 0);
	end_padded(w, 8);
}
static void c_sdes_pad(const struct rtcp_compound *c)
{
	assert_true(c->pkts[1].padding);
	assert_int_equal(c->pkts[1].pad_len, 8);
	assert_true(slice_is(c->chunks[0].cname, "c"));
}

static void b_bye(struct bld *w) { rr1(w); bye(w, NULL); }
static void c_bye(const struct rtcp_compound *c)
{
	const struct rtcp_pkt *k = &c->pkts[1];
	assert_int_equal(k->bye_count, 2);
	assert_int_equal(c->bye_ssrc[k->bye_first], 0x11111111);
	assert_int_equal(c->bye_ssrc[k->bye_first + 1], 0x55555555);
	assert_false(k->has_reason);
}

static void b_bye_reason(struct bld *w) { rr1(w); bye(w, "call ended"); }
static void c_bye_reason(const struct rtcp_compound *c)
{
	assert_true(c->pkts[1].has_reason);
	assert_true(slice_is(c->pkts[1].bye_reason, "call ended"));
}

static void b_app(struct bld *w)
{
	rr1(w);
	begin(w, 5, RTCP_APP);
	u32(w, 0x22222222);
	str(w, "PoC1");
	str(w, "datadata");
	end(w);
}
static void c_app(const struct rtcp_compound *c)
{
	const struct rtcp_pkt *k = &c->pkts[1];
	assert_int_equal(k->count, 5);	/* subtype */
	assert_int_equal(k->ssrc, 0x22222222);
	assert_true(slice_is(k->app_name, "PoC1"));
	assert_true(slice_is(k->app_data, "datadata"));
}

static void b_xr(struct bld *w) { rr1(w); xr(w); }
static void c_xr(const struct rtcp_compound *c)
{
	const struct rtcp_pkt *k = &c->pkts[1];
	assert_int_equal(k->xr_count, 4);
	const struct rtcp_xr_voip *v = &c->xr[k->xr_first].voip;
	assert_int_equal(c->xr[k->xr_first].bt, RTCP_XR_VOIP);
	assert_int_equal(v->ssrc, 0x11111111);
	assert_int_equal(v->loss_rate, 12);
	assert_int_equal(v->discard_rate, 5);
	assert_int_equal(v->burst_density, 40);
	assert_int_equal(v->gap_density, 2);
	assert_int_equal(v->burst_duration, 120);
	assert_int_equal(v->gap_duration, 3000);
	assert_int_equal(v->round_trip_delay, 150);
	assert_int_equal(v->end_system_delay, 40);
	assert_int_equal(v->signal_level, -20);
	assert_int_equal(v->noise_level, -70);
	assert_int_equal(v->rerl, 30);
	assert_int_equal(v->gmin, 16);
	assert_int_equal(v->r_factor, 88);
	assert_int_equal(v->ext_r_factor, 127);
	assert_int_equal(v->rx_config, 0x80);
	assert_int_equal(v->jb_nominal, 40);
	assert_int_equal(v->jb_max, 80);
	assert_int_equal(v->jb_abs_max, 200);
	double mos;
	unsigned r;
	assert_true(rtcp_voip_mos(v->mos_lq, &mos));
	assert_true(mos > 4.19 && mos < 4.21);
	assert_true(rtcp_voip_mos(v->mos_cq, &mos));
	assert_true(mos > 4.09 && mos < 4.11);
	assert_true(rtcp_voip_r(v->r_factor, &r));
	assert_int_equal(r, 88);
	assert_false(rtcp_voip_r(v->ext_r_factor, &r));
	const struct rtcp_xr_block *rrt = &c->xr[k->xr_first + 1];
	assert_int_equal(rrt->bt, RTCP_XR_RRT);
	assert_true(rrt->rrt_ntp == 0xE000000240000000ULL);
	assert_int_equal(c->xr[k->xr_first + 2].bt, 99);	/* kept, not decoded */
	const struct rtcp_xr_block *d = &c->xr[k->xr_first + 3];
	assert_int_equal(d->dlrr_count, 2);
	assert_int_equal(c->dlrr[d->dlrr_first].ssrc, 0x66666666);
	assert_int_equal(c->dlrr[d->dlrr_first].lrr, 0x00024000);
	assert_int_equal(c->dlrr[d->dlrr_first + 1].ssrc, 0x77777777);
}

/* SR, SDES, XR, RTPFB, PSFB, APP, BYE with a reason, padded */
static void b_compound(struct bld *w)
{
	sr(w, 2);
	sdes2(w);
	xr(w);
	begin(w, 1, RTCP_RTPFB);	/* generic NACK */
	u32(w, 0x11111111); u32(w, 0x22222222); u32(w, 0x00050001);
	end(w);
	begin(w, 1, RTCP_PSFB);	/* PLI, no FCI */
	u32(w, 0x11111111); u32(w, 0x22222222);
	end(w);
	begin(w, 0, 195);	/* IJ: a type we skip */
	end(w);
	begin(w, 2, RTCP_BYE);
	u32(w, 0x11111111); u32(w, 0x55555555);
	u8(w, 3); str(w, "bye");
	end_padded(w, 4);
}
static void c_compound(const struct rtcp_compound *c)
{
	static const uint8_t pts[] = { RTCP_SR, RTCP_SDES, RTCP_XR, RTCP_RTPFB,
				       RTCP_PSFB, 195, RTCP_BYE };
	for (unsigned i = 0; i < 7; i++)
		assert_int_equal(c->pkts[i].pt, pts[i]);
	assert_int_equal(c->pkts[3].media_ssrc, 0x22222222);
	assert_int_equal(c->pkts[3].count, 1);
	assert_int_equal(c->pkts[4].count, 1);
	assert_true(slice_is(c->pkts[6].bye_reason, "bye"));
	assert_int_equal(c->pkts[6].pad_len, 4);
	assert_int_equal(c->nrb, 2);
	assert_int_equal(c->nchunks, 2);
	assert_int_equal(c->rb[1].ssrc, 0x1001);
}

/* RFC 5506: a lone PSFB, no SR/RR first */
static void b_reduced(struct bld *w)
{
	begin(w, 1, RTCP_PSFB);
	u32(w, 1); u32(w, 2);
	end(w);
}
static void c_reduced(const struct rtcp_compound *c)
{
	assert_true(c->reduced_size);
	assert_int_equal(c->pkts[0].ssrc, 1);
	assert_int_equal(c->pkts[0].media_ssrc, 2);
}

static void b_trailing(struct bld *w) { rr1(w); u8(w, 0); u8(w, 0); }
static void c_trailing(const struct rtcp_compound *c)
{
	assert_int_equal(c->trailing, 2);
}

/* three SRs of 31 blocks: 93 blocks, 64 stored, 29 counted */
static void b_capacity(struct bld *w) { sr(w, 31); sr(w, 31); sr(w, 31); }
static void c_capacity(const struct rtcp_compound *c)
{
	assert_int_equal(c->nrb, RTCP_MAX_RBLOCKS);
	assert_int_equal(c->dropped, 93 - RTCP_MAX_RBLOCKS);
	assert_int_equal(c->pkts[2].rb_count, 2);
}

/* 17 RRs: one more than RTCP_MAX_PKTS */
static void b_many(struct bld *w)
{
	for (int i = 0; i < RTCP_MAX_PKTS + 1; i++) {
		begin(w, 0, RTCP_RR);
		u32(w, (uint32_t)i);
		end(w);
	}
}
static void c_many(const struct rtcp_compound *c)
{
	assert_int_equal(c->dropped, 1);
}

/* an empty SDES and a BYE with no SSRC are legal (count 0, length 0) */
static void b_empty_ok(struct bld *w)
{
	rr1(w);
	begin(w, 0, RTCP_SDES);
	end(w);
	begin(w, 0, RTCP_BYE);
	end(w);
}

static const struct rcase t_valid[] = {
	{ "SR with 0 blocks", b_sr0, NULL, c_sr0, 1 },
	{ "SR with 1 block, negative cumulative loss", b_sr1, NULL, c_sr1, 1 },
	{ "SR with 31 blocks", b_sr31, NULL, c_sr31, 1 },
	{ "RR", b_rr, NULL, c_rr, 1 },
	{ "RR with a profile extension", b_rr_ext, NULL, c_rr_ext, 1 },
	{ "SDES two chunks", b_sdes, NULL, c_sdes, 2 },
	{ "SDES padded", b_sdes_pad, NULL, c_sdes_pad, 2 },
	{ "BYE without reason", b_bye, NULL, c_bye, 2 },
	{ "BYE with reason", b_bye_reason, NULL, c_bye_reason, 2 },
	{ "APP", b_app, NULL, c_app, 2 },
	{ "XR VoIP metrics, RRT, unknown, DLRR", b_xr, NULL, c_xr, 2 },
	{ "compound of seven", b_compound, NULL, c_compound, 7 },
	{ "reduced size", b_reduced, NULL, c_reduced, 1 },
	{ "two zero octets after the last packet", b_trailing, NULL, c_trailing, 1 },
	{ "report blocks past capacity", b_capacity, NULL, c_capacity, 3 },
	{ "packets past capacity", b_many, NULL, c_many, RTCP_MAX_PKTS },
	{ "empty SDES and BYE", b_empty_ok, NULL, NULL, 3 },
};

static void test_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof t_valid / sizeof t_valid[0]; i++)
		run_case(&t_valid[i]);
}

/* ---- malformed packets -------------------------------------------------- */

static void b_empty(struct bld *w) { (void)w; }
static void b_version(struct bld *w) { rr1(w); w->b[0] = (w->b[0] & 0x3f) | 0x40; }
static void b_version2nd(struct bld *w) { rr1(w); sdes2(w); w->b[32] &= 0x3f; }
static void b_pt_range(struct bld *w) { rr1(w); w->b[1] = 72; }
static void b_overrun(struct bld *w) { rr1(w); w->b[3] += 1; }
static void b_overrun_big(struct bld *w) { rr1(w); w->b[2] = 0xff; w->b[3] = 0xff; }
static void b_pad_not_last(struct bld *w) { rr1(w); w->b[0] |= 0x20; sdes2(w); }
static void b_pad_zero(struct bld *w) { rr1(w); end_padded(w, 4); w->b[w->n - 1] = 0; }
static void b_pad_big(struct bld *w)
{
	begin(w, 0, RTCP_RR);
	u32(w, 1);
	end_padded(w, 4);
	w->b[w->n - 1] = 9;
}
static void b_zero_len(struct bld *w) { begin(w, 0, RTCP_RR); end(w); }
static void b_sr_short(struct bld *w) { sr(w, 1); w->b[0] = 0x82; }
static void b_rr_short(struct bld *w) { rr1(w); w->b[0] = 0x83; }
static void b_hdr_cut(struct bld *w) { rr1(w); u8(w, 0x81); u8(w, 0xca); }
static void b_junk_tail(struct bld *w) { rr1(w); u8(w, 0); u8(w, 1); }
static void b_sdes_item_past(struct bld *w)
{
	rr1(w);
	begin(w, 1, RTCP_SDES);
	u32(w, 3);
	u8(w, RTCP_SDES_CNAME); u8(w, 200); str(w, "ab");
	end(w);
}
static void b_sdes_no_end(struct bld *w)
{
	rr1(w);
	begin(w, 1, RTCP_SDES);
	u32(w, 3);
	u8(w, RTCP_SDES_CNAME); u8(w, 2); str(w, "ab");
	end(w);	/* exactly 8 octets of chunk: no room for END */
}
static void b_sdes_count(struct bld *w) { rr1(w); sdes2(w); w->b[32] = 0x83; }
static void b_bye_count(struct bld *w) { rr1(w); bye(w, NULL); w->b[32] = 0x83; }
static void b_bye_reason_past(struct bld *w)
{
	rr1(w);
	begin(w, 1, RTCP_BYE);
	u32(w, 1);
	u8(w, 40); str(w, "abc");
	end(w);
}
static void b_app_short(struct bld *w) { rr1(w); begin(w, 0, RTCP_APP); u32(w, 1); end(w); }
static void b_fb_short(struct bld *w) { rr1(w); begin(w, 1, RTCP_PSFB); u32(w, 1); end(w); }
static void b_xr_block_past(struct bld *w)
{
	rr1(w);
	begin(w, 0, RTCP_XR);
	u32(w, 1);
	u8(w, RTCP_XR_VOIP); u8(w, 0); u16(w, 8);
	u32(w, 2);
	end(w);
}
static void b_xr_voip_len(struct bld *w)
{
	rr1(w);
	begin(w, 0, RTCP_XR);
	u32(w, 1);
	u8(w, RTCP_XR_VOIP); u8(w, 0); u16(w, 1); u32(w, 2);
	end(w);
}
static void b_xr_rrt_len(struct bld *w)
{
	rr1(w);
	begin(w, 0, RTCP_XR);
	u32(w, 1);
	u8(w, RTCP_XR_RRT); u8(w, 0); u16(w, 1); u32(w, 2);
	end(w);
}
static void b_xr_dlrr_len(struct bld *w)
{
	rr1(w);
	begin(w, 0, RTCP_XR);
	u32(w, 1);
	u8(w, RTCP_XR_DLRR); u8(w, 0); u16(w, 2); u32(w, 2); u32(w, 3);
	end(w);
}
/* Padding need not be a multiple of 4, so it can cut a chunk's null
 * octets or an XR block header: 9 octets of chunk, 3 of alignment, then
 * 4 padding octets claiming 5. */
static void b_sdes_cut_by_pad(struct bld *w)
{
	rr1(w);
	begin(w, 1, RTCP_SDES);
	u32(w, 3);
	u8(w, RTCP_SDES_CNAME); u8(w, 2); str(w, "ab");
	u8(w, 0);
	end_padded(w, 4);
	w->b[w->n - 1] = 5;
}
static void b_xr_cut_by_pad(struct bld *w)
{
	rr1(w);
	begin(w, 0, RTCP_XR);
	u32(w, 1);
	u8(w, 99); u8(w, 0); u16(w, 0);
	end_padded(w, 4);
	w->b[w->n - 1] = 6;
}
static void b_xr_no_ssrc(struct bld *w) { rr1(w); begin(w, 0, RTCP_XR); end(w); }

static const struct rcase t_malformed[] = {
	{ "empty datagram", b_empty, "empty datagram", NULL, 0 },
	{ "version 1", b_version, "version is not 2", NULL, 0 },
	{ "version 0 in the second packet", b_version2nd, "version is not 2", NULL, 1 },
	{ "packet type 72", b_pt_range, "packet type outside 192..223", NULL, 0 },
	{ "length one word too long", b_overrun,
	  "length past the end of the datagram", NULL, 0 },
	{ "length 65535", b_overrun_big, "length past the end of the datagram", NULL, 0 },
	{ "padding on the first of two", b_pad_not_last,
	  "padding on a packet that is not the last", NULL, 0 },
	{ "padding count 0", b_pad_zero, "padding count does not fit the packet", NULL, 0 },
	{ "padding count past the body", b_pad_big,
	  "padding count does not fit the packet", NULL, 0 },
	{ "RR of length 0", b_zero_len, "RR shorter than its report count", NULL, 0 },
	{ "SR claiming 2 blocks, holding 1", b_sr_short,
	  "SR shorter than its report count", NULL, 0 },
	{ "RR claiming 3 blocks, holding 1", b_rr_short,
	  "RR shorter than its report count", NULL, 0 },
	{ "second header cut short", b_hdr_cut, "packet header cut short", NULL, 1 },
	{ "non-zero octets after the last packet", b_junk_tail,
	  "packet header cut short", NULL, 1 },
	{ "SDES item length past the packet", b_sdes_item_past,
	  "SDES item past the end of the packet", NULL, 1 },
	{ "SDES chunk without END", b_sdes_no_end, "SDES chunk without an end item", NULL, 1 },
	{ "SDES count 3 with 2 chunks", b_sdes_count,
	  "SDES chunk shorter than its SSRC", NULL, 1 },
	{ "BYE count 3 with 2 SSRCs", b_bye_count, "BYE shorter than its source count",
	  NULL, 1 },
	{ "BYE reason past the packet", b_bye_reason_past,
	  "BYE reason past the end of the packet", NULL, 1 },
	{ "APP without name", b_app_short, "APP shorter than SSRC and name", NULL, 1 },
	{ "PSFB without media SSRC", b_fb_short,
	  "feedback packet shorter than its SSRCs", NULL, 1 },
	{ "XR block length past the packet", b_xr_block_past,
	  "XR block length past the end of the packet", NULL, 1 },
	{ "XR VoIP block length 1", b_xr_voip_len, "XR VoIP metrics block length not 8",
	  NULL, 1 },
	{ "XR RRT block length 1", b_xr_rrt_len,
	  "XR receiver reference time block length not 2", NULL, 1 },
	{ "XR DLRR block length 2", b_xr_dlrr_len,
	  "XR DLRR block length not a multiple of 3", NULL, 1 },
	{ "XR without SSRC", b_xr_no_ssrc, "XR shorter than its SSRC", NULL, 1 },
	{ "SDES null octets cut by padding", b_sdes_cut_by_pad,
	  "SDES chunk not padded to 32 bits", NULL, 1 },
	{ "XR block header cut by padding", b_xr_cut_by_pad,
	  "XR block header cut short", NULL, 1 },
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof t_malformed / sizeof t_malformed[0]; i++)
		run_case(&t_malformed[i]);
}

/* ---- truncation at every offset ------------------------------------------ */

/* Frame 1 of ndpi's rtcp_multiple_pkts_in_the_same_datagram.pcap: an SR
 * (one block) and an SDES of CNAME and TOOL, as captured. */
static const uint8_t real_compound[] = {
	0x81, 0xc8, 0x00, 0x0c, 0x5d, 0x93, 0x15, 0x34, 0xdd, 0x3a, 0xc1, 0x70,
	0x4d, 0x61, 0x4d, 0xf8, 0x00, 0x00, 0x7d, 0x00, 0x00, 0x00, 0x00, 0xc8,
	0x00, 0x00, 0x7d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x81, 0xca, 0x00, 0x0e, 0x5d, 0x93, 0x15, 0x34,
	0x01, 0x08, 0x35, 0x64, 0x39, 0x33, 0x31, 0x35, 0x33, 0x34, 0x07, 0x25,
	0x46, 0x72, 0x65, 0x65, 0x53, 0x57, 0x49, 0x54, 0x43, 0x48, 0x2e, 0x6f,
	0x72, 0x67, 0x20, 0x2d, 0x2d, 0x20, 0x43, 0x6f, 0x6d, 0x65, 0x20, 0x74,
	0x6f, 0x20, 0x43, 0x6c, 0x75, 0x65, 0x43, 0x6f, 0x6e, 0x2e, 0x63, 0x6f,
	0x6d, 0x00, 0x00, 0x00,
};

/* Parse every prefix: OK exactly at packet boundaries, malformed
 * elsewhere, and never a read past the prefix (guard page). */
static void truncate_all(const uint8_t *in, size_t n, const size_t *bounds,
			 size_t nb)
{
	struct rtcp_compound c;
	for (size_t len = 0; len < n; len++) {
		struct guard g;
		const uint8_t *p = guard_copy(&g, in, len);
		enum rtcp_rc rc = rtcp_parse(p, len, &c);
		bool boundary = false;
		for (size_t i = 0; i < nb; i++)
			boundary |= bounds[i] == len;
		if ((rc == RTCP_OK) != boundary)
			fail_msg("prefix of %zu octets: %s", len,
				 rc == RTCP_OK ? "OK" : c.malformed);
		if (rtcp_looks_like(p, len) != boundary)
			fail_msg("prefix of %zu octets: heuristic says %d", len,
				 !boundary);
		guard_release(&g);
	}
}

static void test_truncated(void **state)
{
	(void)state;
	struct rtcp_compound c;
	assert_int_equal(rtcp_parse(real_compound, sizeof real_compound, &c), RTCP_OK);
	assert_int_equal(c.npkts, 2);
	assert_true(slice_is(c.chunks[0].cname, "5d931534"));
	assert_true(slice_is(c.items[1].text, "FreeSWITCH.org -- Come to ClueCon.com"));
	const size_t rb[] = { 52 };
	truncate_all(real_compound, sizeof real_compound, rb, 1);

	struct bld w = { .n = 0 };
	b_compound(&w);
	size_t bounds[RTCP_MAX_PKTS], nb = 0;
	assert_int_equal(rtcp_parse(w.b, w.n, &c), RTCP_OK);
	for (unsigned i = 1; i < c.npkts; i++)
		bounds[nb++] = c.pkts[i].offset;
	truncate_all(w.b, w.n, bounds, nb);
}

/* ---- heuristics ---------------------------------------------------------- */

static void test_looks_like(void **state)
{
	(void)state;
	static const uint8_t rtp_pcmu[12] = { 0x80, 0x00, 0x12, 0x34 };
	static const uint8_t rtp_marker_pt72[12] = { 0x80, 0xc8, 0x12, 0x34 };
	static const uint8_t rr_bare[8] = { 0x80, 0xc9, 0x00, 0x01, 1, 2, 3, 4 };
	static const uint8_t psfb[12] = { 0x81, 0xce, 0x00, 0x02 };
	static const uint8_t unknown_first[8] = { 0x80, 0xd0, 0x00, 0x01 };
	static const uint8_t v1[8] = { 0x40, 0xc9, 0x00, 0x01 };
	assert_false(rtcp_looks_like(rtp_pcmu, sizeof rtp_pcmu));
	assert_false(rtcp_mux_is_rtcp(rtp_pcmu, sizeof rtp_pcmu));
	/* RTP PT 72 with the marker set has second octet 200: RFC 5761 says
	 * it is RTCP, and the length chain is what tells it apart here */
	assert_true(rtcp_mux_is_rtcp(rtp_marker_pt72, sizeof rtp_marker_pt72));
	assert_false(rtcp_looks_like(rtp_marker_pt72, sizeof rtp_marker_pt72));
	assert_true(rtcp_looks_like(rr_bare, sizeof rr_bare));
	assert_false(rtcp_looks_like(rr_bare, 4));
	assert_true(rtcp_looks_like(psfb, sizeof psfb));
	assert_false(rtcp_looks_like(unknown_first, sizeof unknown_first));
	assert_false(rtcp_looks_like(v1, sizeof v1));
	assert_false(rtcp_mux_is_rtcp(v1, sizeof v1));
	assert_false(rtcp_mux_is_rtcp(rr_bare, 1));
	assert_true(rtcp_looks_like(real_compound, sizeof real_compound));
	assert_string_equal(rtcp_pt_name(RTCP_XR), "XR");
	assert_null(rtcp_pt_name(199));
}

/* ---- summaries ---------------------------------------------------------- */

/* An SR from 0x11111111 (NTP middle bits 0x00018000) seen at 10 s; an RR
 * about it at 10.250 s with LSR 0x00018000 and DLSR 0x2000 (0.125 s):
 * the reporter's side of the path took 250 - 125 = 125 ms. */
static void test_rtt(void **state)
{
	(void)state;
	struct bld w = { .n = 0 };
	struct rtcp_compound c;
	struct rtcp_table *t = rtcp_table_new(0);
	const int64_t t0 = 10000000000LL, t1 = 10250000000LL;
	sr(&w, 0);
	assert_int_equal(rtcp_parse(w.b, w.n, &c), RTCP_OK);
	rtcp_table_update(t, 7, &c, t0);
	w.n = 0;
	begin(&w, 1, RTCP_RR);
	u32(&w, 0x22222222);
	rblock(&w, 0x11111111, 26, 12, 70000, 80, 0x00018000, 0x2000);
	end(&w);
	assert_int_equal(rtcp_parse(w.b, w.n, &c), RTCP_OK);
	rtcp_table_update(t, 7, &c, t1);
	const struct rtcp_summary *s = rtcp_table_find(t, 7, 0x11111111);
	assert_non_null(s);
	double ms;
	assert_true(rtcp_summary_rtt_ms(s, &ms));
	assert_true(ms > 124.999 && ms < 125.001);
	assert_int_equal(s->sender_reports, 1);
	assert_int_equal(s->report_blocks, 1);
	assert_int_equal(s->reporter_ssrc, 0x22222222);
	assert_int_equal(s->fraction_lost, 26);
	assert_int_equal(s->cumulative_lost, 12);
	assert_true(rtcp_summary_fraction_lost_pct(s, &ms));
	assert_true(ms > 10.15 && ms < 10.16);
	/* jitter 80 timestamp units at 8 kHz = 10 ms; unknown clock: absent */
	assert_true(rtcp_summary_jitter_ms(s, 8000, &ms));
	assert_true(ms > 9.999 && ms < 10.001);
	assert_false(rtcp_summary_jitter_ms(s, 0, &ms));
	/* another flow knows nothing of it; an RR's sender is not a source */
	assert_null(rtcp_table_find(t, 8, 0x11111111));
	assert_null(rtcp_table_find(t, 7, 0x22222222));
	assert_int_equal(rtcp_table_count(t), 1);
	rtcp_table_free(t);
}

static struct rtcp_pkt sr_at(uint32_t ntp_mid)
{
	return (struct rtcp_pkt){ .pt = RTCP_SR, .ssrc = 1,
				  .ntp = (uint64_t)ntp_mid << 16 };
}

/* The history ring, LSR 0, no match, a sample that clocks cannot explain. */
static void test_rtt_history(void **state)
{
	(void)state;
	struct rtcp_summary s;
	rtcp_summary_init(&s, 1, 1);
	for (uint32_t i = 1; i <= RTCP_SR_HISTORY + 1; i++) {
		struct rtcp_pkt k = sr_at(0x1000 * i);
		rtcp_summary_sr(&s, &k, (int64_t)i * 1000000000);
	}
	struct rtcp_rblock rb = { .ssrc = 1, .lsr = 0x1000, .dlsr = 0 };
	rtcp_summary_block(&s, 2, &rb, 9000000000);	/* evicted from the ring */
	assert_int_equal(s.rtt_samples, 0);
	rb.lsr = 0;
	rtcp_summary_block(&s, 2, &rb, 9000000000);	/* "no SR yet" */
	assert_int_equal(s.rtt_samples, 0);
	rb.lsr = 0x2000;	/* SR seen at 2 s; answered at 3 s after 0.5 s */
	rb.dlsr = 0x8000;
	rtcp_summary_block(&s, 2, &rb, 3000000000);
	assert_int_equal(s.rtt_samples, 1);
	assert_true(s.rtt_last_ns == 500000000);
	rb.dlsr = 0x10000 * 3;	/* 3 s delay in 1 s: impossible */
	rtcp_summary_block(&s, 2, &rb, 3000000000);
	assert_int_equal(s.rtt_samples, 1);
	assert_int_equal(s.rtt_discarded, 1);
	rb.dlsr = 0x10000;	/* exactly 1 s later: 0 ms, taken */
	rtcp_summary_block(&s, 2, &rb, 3000000000);
	assert_int_equal(s.rtt_samples, 2);
	assert_true(s.rtt_last_ns == 0 && s.rtt_max_ns == 500000000);
	assert_true(s.rtt_min_ns == 0);
	rtcp_summary_block(&s, 2, &rb, 1500000000);	/* before the SR (2 s) */
	assert_int_equal(s.rtt_discarded, 2);
	assert_int_equal(s.rtt_samples, 2);
	assert_int_equal(s.sender_reports, RTCP_SR_HISTORY + 1);
}

/* XR: VoIP metrics land on the source they report on; RRT + DLRR give
 * the receiver an RTT; BYE reasons are kept and clipped visibly. */
static void test_xr_bye_summary(void **state)
{
	(void)state;
	struct bld w = { .n = 0 };
	struct rtcp_compound c;
	struct rtcp_table *t = rtcp_table_new(0);
	rr1(&w);
	xr(&w);
	assert_int_equal(rtcp_parse(w.b, w.n, &c), RTCP_OK);
	rtcp_table_update(t, 7, &c, 5000000000);
	const struct rtcp_summary *s = rtcp_table_find(t, 7, 0x11111111);
	assert_true(s->has_voip);
	assert_int_equal(s->voip.mos_lq, 42);
	assert_int_equal(s->voip.round_trip_delay, 150);
	/* 0x22222222's RRT (middle bits 0x00024000) answered by a DLRR for
	 * it 0.5 s later with DLRR 0x4000 (0.25 s): 250 ms */
	w.n = 0;
	rr1(&w);
	begin(&w, 0, RTCP_XR);
	u32(&w, 0x11111111);
	u8(&w, RTCP_XR_DLRR); u8(&w, 0); u16(&w, 3);
	u32(&w, 0x22222222); u32(&w, 0x00024000); u32(&w, 0x4000);
	end(&w);
	assert_int_equal(rtcp_parse(w.b, w.n, &c), RTCP_OK);
	rtcp_table_update(t, 7, &c, 5500000000);
	double ms;
	assert_true(rtcp_summary_rtt_ms(rtcp_table_find(t, 7, 0x22222222), &ms));
	assert_true(ms > 249.999 && ms < 250.001);

	char reason[101];
	memset(reason, 'r', 100);
	reason[100] = 0;
	w.n = 0;
	rr1(&w);
	bye(&w, reason);
	assert_int_equal(rtcp_parse(w.b, w.n, &c), RTCP_OK);
	rtcp_table_update(t, 7, &c, 6000000000);
	s = rtcp_table_find(t, 7, 0x55555555);
	assert_true(s->bye && s->bye_reason_clipped);
	assert_int_equal(s->bye_reason_len, RTCP_BYE_REASON_MAX);
	assert_true(s->bye_ts_ns == 6000000000);
	w.n = 0;
	rr1(&w);
	bye(&w, "done");
	assert_int_equal(rtcp_parse(w.b, w.n, &c), RTCP_OK);
	rtcp_table_update(t, 7, &c, 7000000000);
	s = rtcp_table_find(t, 7, 0x11111111);
	assert_false(s->bye_reason_clipped);
	assert_int_equal(s->bye_reason_len, 4);
	assert_memory_equal(s->bye_reason, "done", 4);
	rtcp_table_free(t);
}

/* The table keeps at most its limit and counts what it could not keep;
 * it grows past its first 16 slots without losing entries. */
static void test_table_bounds(void **state)
{
	(void)state;
	struct bld w = { .n = 0 };
	struct rtcp_compound c;
	struct rtcp_table *t = rtcp_table_new(40);
	sr(&w, 31);
	assert_int_equal(rtcp_parse(w.b, w.n, &c), RTCP_OK);
	rtcp_table_update(t, 3, &c, 1);
	assert_int_equal(rtcp_table_count(t), 32);
	rtcp_table_update(t, 4, &c, 2);	/* another flow: 32 more, 8 fit */
	assert_int_equal(rtcp_table_count(t), 40);
	assert_int_equal(rtcp_table_full(t), 24);
	for (uint32_t i = 0; i < 31; i++)
		assert_non_null(rtcp_table_find(t, 3, 0x1000 + i));
	size_t m;
	const struct rtcp_summary *any = rtcp_table_find_ssrc(t, 0x1000, &m);
	assert_int_equal(m, 2);		/* on flows 3 and 4 */
	assert_true(any->flow_key == 3);	/* the older one */
	/* flow 4 kept its sender and blocks 0x1000..0x1006 only */
	any = rtcp_table_find_ssrc(t, 0x1010, &m);
	assert_int_equal(m, 1);
	assert_true(any->flow_key == 3);
	assert_null(rtcp_table_find(t, 4, 0x1007));
	assert_non_null(rtcp_table_find(t, 4, 0x1006));
	assert_null(rtcp_table_find_ssrc(t, 0x9999, &m));
	assert_int_equal(m, 0);
	size_t it = 0, n = 0;
	while (rtcp_table_next(t, &it))
		n++;
	assert_int_equal(n, 40);
	rtcp_table_free(t);
}

static void test_flow_key(void **state)
{
	(void)state;
	struct ss_addr a = { .family = 4, .port = 5005, .ip = { 192, 0, 2, 1 } };
	struct ss_addr b = { .family = 4, .port = 5007, .ip = { 192, 0, 2, 2 } };
	struct ss_addr b6 = { .family = 6, .port = 5007, .ip = { 0x20, 0x01 } };
	assert_true(rtcp_flow_key(&a, &b) == rtcp_flow_key(&b, &a));
	assert_true(rtcp_flow_key(&a, &b) != rtcp_flow_key(&a, &b6));
	assert_true(rtcp_flow_key(&a, &b) != 0);
	b.port = 5009;
	assert_true(rtcp_flow_key(&a, &b) != rtcp_flow_key(&b6, &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_rtt),
		cmocka_unit_test(test_rtt_history),
		cmocka_unit_test(test_xr_bye_summary),
		cmocka_unit_test(test_table_bounds),
		cmocka_unit_test(test_flow_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
