/*
 * test_rtpstats.c - the per-stream analysis (src/rtpstats.c) on packet
 * sequences whose figures are worked out by hand in the comments.
 *
 * Arrival times are given in ms, timestamps in clock units; unless a
 * case says otherwise the clock is 8000 Hz (PT 0) and packets are 20 ms
 * (160 units) apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rtpstats.h"

#define EPS 1e-9

struct pk {
	double ms;		/* arrival */
	uint16_t seq;
	uint32_t ts;
	uint8_t pt;
	bool marker;
	uint8_t kind;
	uint32_t clock;		/* 0 here means: 8000 */
	const uint8_t *ev;	/* RFC 4733 payload, 4 bytes */
};

static void feed(struct ss_rtpstats *s, const struct pk *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct ss_rtp_sample p = {
			.ts_ns = (int64_t)(v[i].ms * 1e6 + 0.5),
			.rtp_ts = v[i].ts, .seq = v[i].seq, .pt = v[i].pt,
			.marker = v[i].marker, .kind = v[i].kind,
			.clock_hz = v[i].clock ? v[i].clock : 8000,
			.payload_len = 160 };
		if (v[i].clock == UINT32_MAX)
			p.clock_hz = 0;
		if (v[i].ev)
			p.payload = ss_str_make((const char *)v[i].ev, 4);
		ss_rtpstats_add(s, &p);
	}
}

/* n packets 20 ms apart from seq0/ts0 */
static void steady(struct ss_rtpstats *s, int n, uint16_t seq0, uint32_t ts0)
{
	for (int i = 0; i < n; i++) {
		struct pk p = { .ms = 20.0 * i, .seq = (uint16_t)(seq0 + i),
				.ts = ts0 + 160u * (uint32_t)i };
		feed(s, &p, 1);
	}
}

static struct ss_rtp_summary sum(const struct ss_rtpstats *s)
{
	struct ss_rtp_summary m;
	ss_rtpstats_summary(s, SS_CODEC_G711, &m);
	return m;
}

static void test_steady(void **state)
{
	(void)state;
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	steady(&s, 50, 1000, 5000);
	struct ss_rtp_summary m = sum(&s);
	assert_int_equal(m.packets, 50);
	assert_int_equal(m.expected, 50);
	assert_int_equal(m.lost, 0);
	assert_int_equal(m.ws_lost, 0);
	assert_int_equal(m.dups + m.out_of_order + m.seq_errors, 0);
	assert_float_equal(m.min_delta_ms, 20, EPS);
	assert_float_equal(m.mean_delta_ms, 20, EPS);
	assert_float_equal(m.max_delta_ms, 20, EPS);
	assert_true(m.has_jitter);
	assert_float_equal(m.max_jitter_ms, 0, EPS);
	assert_false(m.problem);
	assert_int_equal(m.last_ns - m.first_ns, 49 * 20000000LL);
	/* R = 93.2 - Id(T = 20 ms packetization) = 93.2 - 0.48 */
	assert_float_equal(m.mos.r, 92.72, 1e-6);
	assert_float_equal(m.mos.mos, 4.40, 0.01);
	ss_rtpstats_free(&s);
}

/* Arrivals 0, 20, 45, 60, 80 ms, timestamps 20 ms apart:
 *  p2: expected 0+20 = 20,  D 0  J 0
 *  p3: expected 20+20 = 40, D 5  J = 5/16 = 0.3125
 *  p4: expected 45+20 = 65, D 5  J = (15*0.3125 + 5)/16 = 0.60546875
 *  p5: expected 60+20 = 80, D 0  J = 15*0.60546875/16 = 0.567626953125
 * deltas 20 25 15 20; mean jitter (0+.3125+.60546875+.567626953125)/4 */
static void test_known_jitter(void **state)
{
	(void)state;
	const struct pk v[] = {
		{ .ms = 0, .seq = 1, .ts = 0 }, { .ms = 20, .seq = 2, .ts = 160 },
		{ .ms = 45, .seq = 3, .ts = 320 }, { .ms = 60, .seq = 4, .ts = 480 },
		{ .ms = 80, .seq = 5, .ts = 640 },
	};
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	feed(&s, v, 5);
	struct ss_rtp_summary m = sum(&s);
	assert_float_equal(m.min_jitter_ms, 0, EPS);
	assert_float_equal(m.max_jitter_ms, 0.60546875, EPS);
	assert_float_equal(s.jitter_ms, 0.567626953125, EPS);
	assert_float_equal(m.mean_jitter_ms, 1.485595703125 / 4, EPS);
	assert_float_equal(m.min_delta_ms, 15, EPS);
	assert_float_equal(m.max_delta_ms, 25, EPS);
	assert_float_equal(m.mean_delta_ms, 20, EPS);
}

/* seq 1..20 without 5 and 10-12: 16 received, 4 lost in bursts of 1
 * and 3; Wireshark counts two sequence errors (the two jumps). */
static void test_loss_and_bursts(void **state)
{
	(void)state;
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	for (int i = 1; i <= 20; i++) {
		if (i == 5 || (i >= 10 && i <= 12))
			continue;
		struct pk p = { .ms = 20.0 * i, .seq = (uint16_t)i,
				.ts = 160u * (uint32_t)i };
		feed(&s, &p, 1);
	}
	struct ss_rtp_summary m = sum(&s);
	assert_int_equal(m.packets, 16);
	assert_int_equal(m.expected, 20);
	assert_int_equal(m.lost, 4);
	assert_int_equal(m.ws_lost, 4);
	assert_float_equal(m.lost_pct, 20, EPS);
	assert_int_equal(m.seq_errors, 2);
	assert_int_equal(m.bursts, 2);
	assert_int_equal(m.max_burst_loss, 3);
	assert_int_equal(m.burst_hist[0], 1);	/* one run of 1 */
	assert_int_equal(m.burst_hist[2], 1);	/* one run of 3 */
	assert_true(m.problem);
	/* the 40 ms gaps count as deltas */
	assert_float_equal(m.max_delta_ms, 80, EPS);
}

/* 100 packets, one burst of 10: p = 1/90 (a loss starts after 1 of 90
 * received), q = 1/10 (mean burst 10) -> BurstR = 1/(p+q) = 9. */
static void test_burst_ratio(void **state)
{
	(void)state;
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	for (int i = 0; i < 100; i++) {
		if (i >= 50 && i < 60)
			continue;
		struct pk p = { .ms = 20.0 * i, .seq = (uint16_t)i,
				.ts = 160u * (uint32_t)i };
		feed(&s, &p, 1);
	}
	struct ss_rtp_summary m = sum(&s);
	assert_int_equal(m.lost, 10);
	assert_int_equal(m.max_burst_loss, 10);
	assert_int_equal(m.burst_hist[5], 1);	/* 9-16 */
	assert_float_equal(m.mos.burst_r, 9.0, 1e-9);
}

/* A burst longer than the 128-packet window: 300 missing in one run. */
static void test_long_burst(void **state)
{
	(void)state;
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	steady(&s, 5, 100, 0);
	struct pk p = { .ms = 120, .seq = 405, .ts = 160 * 305 };
	feed(&s, &p, 1);
	steady(&s, 0, 0, 0);
	struct ss_rtp_summary m = sum(&s);
	assert_int_equal(m.lost, 300);
	assert_int_equal(m.bursts, 1);
	assert_int_equal(m.max_burst_loss, 300);
	assert_int_equal(m.burst_hist[7], 1);
}

/* 1 2 4 3 5: one late packet fills its gap: nothing lost; Wireshark
 * sees two sequence errors (the jump to 4, the late 3). */
static void test_reorder(void **state)
{
	(void)state;
	const uint16_t seqs[] = { 1, 2, 4, 3, 5 };
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	for (int i = 0; i < 5; i++) {
		struct pk p = { .ms = 20.0 * i, .seq = seqs[i],
				.ts = 160u * seqs[i] };
		feed(&s, &p, 1);
	}
	struct ss_rtp_summary m = sum(&s);
	assert_int_equal(m.expected, 5);
	assert_int_equal(m.lost, 0);
	assert_int_equal(m.out_of_order, 1);
	assert_int_equal(m.dups, 0);
	assert_int_equal(m.bursts, 0);
	assert_int_equal(m.seq_errors, 2);
	assert_int_equal(m.ws_lost, 0);
	assert_true(m.problem);
}

/* 1 2 3 5 4: Wireshark takes the last packet's sequence as the end:
 * expected 4 - 1 + 1 = 4, lost -1. Ours: expected 5, lost 0. */
static void test_reorder_at_end(void **state)
{
	(void)state;
	const uint16_t seqs[] = { 1, 2, 3, 5, 4 };
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	for (int i = 0; i < 5; i++) {
		struct pk p = { .ms = 20.0 * i, .seq = seqs[i],
				.ts = 160u * seqs[i] };
		feed(&s, &p, 1);
	}
	struct ss_rtp_summary m = sum(&s);
	assert_int_equal(m.ws_expected, 4);
	assert_int_equal(m.ws_lost, -1);
	assert_int_equal(m.expected, 5);
	assert_int_equal(m.lost, 0);
	assert_int_equal(m.out_of_order, 1);
}

/* 1 2 3 3 4, then 2 again: two duplicates (one right away, one late),
 * counted apart; lost stays 0 where Wireshark's goes to -2. */
static void test_duplicates(void **state)
{
	(void)state;
	const uint16_t seqs[] = { 1, 2, 3, 3, 4, 2 };
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	for (int i = 0; i < 6; i++) {
		struct pk p = { .ms = 20.0 * i, .seq = seqs[i],
				.ts = 160u * seqs[i] };
		feed(&s, &p, 1);
	}
	struct ss_rtp_summary m = sum(&s);
	assert_int_equal(m.packets, 6);
	assert_int_equal(m.dups, 2);
	assert_int_equal(m.expected, 4);
	assert_int_equal(m.lost, 0);
	assert_int_equal(m.out_of_order, 0);
	assert_int_equal(m.ws_expected, 2);	/* last seq 2 - first 1 + 1 */
	assert_int_equal(m.ws_lost, -4);
}

/* 65534 65535 0 1 2 3: one wrap, nothing lost (Wireshark: 3 + 65536 -
 * 65534 + 1 = 6 expected); then a wrap across a loss: 65535 1 2. */
static void test_seq_wrap(void **state)
{
	(void)state;
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	steady(&s, 6, 65534, 0);
	struct ss_rtp_summary m = sum(&s);
	assert_int_equal(m.expected, 6);
	assert_int_equal(m.lost, 0);
	assert_int_equal(m.seq_wraps, 1);
	assert_int_equal(m.seq_errors, 0);
	assert_int_equal(m.ws_expected, 6);
	assert_false(m.problem);
	ss_rtpstats_free(&s);

	const uint16_t seqs[] = { 65534, 65535, 1, 2 };
	ss_rtpstats_init(&s);
	for (int i = 0; i < 4; i++) {
		struct pk p = { .ms = 20.0 * i, .seq = seqs[i],
				.ts = 160u * (uint16_t)(seqs[i] + 2) };
		feed(&s, &p, 1);
	}
	m = sum(&s);
	assert_int_equal(m.expected, 5);
	assert_int_equal(m.lost, 1);
	assert_int_equal(m.seq_wraps, 1);
	assert_int_equal(m.ws_lost, 1);
}

/* Timestamps from 0xFFFFFF00 in steps of 160 wrap after two packets;
 * still in time sequence: no jitter, no problem. */
static void test_ts_wrap(void **state)
{
	(void)state;
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	steady(&s, 10, 1, 0xFFFFFF00u);
	struct ss_rtp_summary m = sum(&s);
	assert_int_equal(m.ts_wraps, 1);
	assert_float_equal(m.max_jitter_ms, 0, EPS);
	assert_false(m.problem);
}

/* A timestamp more than 2^31 ahead of the first is "not in time
 * sequence" for Wireshark: flagged, and kept out of delta and jitter. */
static void test_ts_out_of_sequence(void **state)
{
	(void)state;
	const struct pk v[] = {
		{ .ms = 0, .seq = 1, .ts = 0 }, { .ms = 20, .seq = 2, .ts = 160 },
		{ .ms = 500, .seq = 3, .ts = 0x90000000u },
		{ .ms = 60, .seq = 4, .ts = 480 },
	};
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	feed(&s, v, 4);
	struct ss_rtp_summary m = sum(&s);
	assert_true(m.problem);
	/* p4's delta is from p2 (the last in sequence): 40 ms */
	assert_float_equal(m.max_delta_ms, 40, EPS);
	assert_float_equal(m.max_jitter_ms, 0, EPS);
}

/* PT 0 -> 8: one change; L16 at 44100 Hz uses Wireshark's integer
 * kHz (44): 882 units = 20.04545 ms, so exact 20 ms arrivals give
 * D = 0.0454545 ms and J2 = D/16. */
static void test_pt_change_and_clock(void **state)
{
	(void)state;
	const struct pk v[] = {
		{ .ms = 0, .seq = 1, .ts = 0 }, { .ms = 20, .seq = 2, .ts = 160 },
		{ .ms = 40, .seq = 3, .ts = 320, .pt = 8 },
		{ .ms = 60, .seq = 4, .ts = 480, .pt = 8 },
	};
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	feed(&s, v, 4);
	assert_int_equal(sum(&s).pt_changes, 1);
	ss_rtpstats_free(&s);

	const struct pk w[] = {
		{ .ms = 0, .seq = 1, .ts = 0, .pt = 10, .clock = 44100 },
		{ .ms = 20, .seq = 2, .ts = 882, .pt = 10, .clock = 44100 },
	};
	ss_rtpstats_init(&s);
	feed(&s, w, 2);
	assert_float_equal(s.jitter_ms, (882.0 / 44 - 20) / 16, 1e-6);
}

/* A 1 s silence announced by the marker bit: its delta is not counted. */
static void test_marker(void **state)
{
	(void)state;
	const struct pk v[] = {
		{ .ms = 0, .seq = 1, .ts = 0 }, { .ms = 20, .seq = 2, .ts = 160 },
		{ .ms = 40, .seq = 3, .ts = 320 },
		{ .ms = 1040, .seq = 4, .ts = 8320, .marker = true },
		{ .ms = 1060, .seq = 5, .ts = 8480 },
	};
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	feed(&s, v, 5);
	struct ss_rtp_summary m = sum(&s);
	assert_int_equal(m.markers, 1);
	assert_float_equal(m.max_delta_ms, 20, EPS);
	assert_int_equal(m.lost, 0);
}

/* Comfort noise (PT 13) and the packet after it are not regular: the
 * 200 ms gap before the CN packet and after it stay out of max delta. */
static void test_comfort_noise(void **state)
{
	(void)state;
	const struct pk v[] = {
		{ .ms = 0, .seq = 1, .ts = 0 }, { .ms = 20, .seq = 2, .ts = 160 },
		{ .ms = 220, .seq = 3, .ts = 1760, .pt = 13 },
		{ .ms = 420, .seq = 4, .ts = 3360 },
		{ .ms = 440, .seq = 5, .ts = 3520 },
	};
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	feed(&s, v, 5);
	struct ss_rtp_summary m = sum(&s);
	assert_float_equal(m.max_delta_ms, 20, EPS);
	assert_int_equal(m.pt_changes, 0);	/* CN is not a change */
}

/* Telephone-events give no jitter of their own (clock treated as 0),
 * but, as in Wireshark, they move the reference arrival while the last
 * nominal time stays at the last audio packet: audio at 0 20 40 (ts 0
 * 160 320), events at 50 60 70, audio at 80 with ts 640: expected =
 * 70 + (80 - 40) = 110, D = 30, J = 30/16 = 1.875. */
static void test_events_out_of_jitter(void **state)
{
	(void)state;
	static const uint8_t e1[] = { 5, 10, 0, 80 }, e2[] = { 5, 10, 0, 160 },
			     e3[] = { 5, 0x8A, 0, 240 };
	const struct pk v[] = {
		{ .ms = 0, .seq = 1, .ts = 0 }, { .ms = 20, .seq = 2, .ts = 160 },
		{ .ms = 40, .seq = 3, .ts = 320 },
		{ .ms = 50, .seq = 4, .ts = 400, .pt = 101, .kind = SS_RTP_DTMF, .ev = e1 },
		{ .ms = 60, .seq = 5, .ts = 400, .pt = 101, .kind = SS_RTP_DTMF, .ev = e2 },
		{ .ms = 70, .seq = 6, .ts = 400, .pt = 101, .kind = SS_RTP_DTMF, .ev = e3 },
	};
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	feed(&s, v, 6);
	assert_float_equal(s.jitter_ms, 0, EPS);
	assert_float_equal(s.max_jitter_ms, 0, EPS);
	const struct pk a = { .ms = 80, .seq = 7, .ts = 640 };
	feed(&s, &a, 1);
	assert_float_equal(s.jitter_ms, 1.875, EPS);
	assert_non_null(s.dtmf);
	assert_int_equal(s.dtmf->events, 1);
	ss_rtpstats_free(&s);
	assert_null(s.dtmf);
}

/* Event '5' (ts 1000): durations 160 320 480E 480E 480E; event '#'
 * (ts 2000): 160 320E 320E 320E. Two events, end retransmissions
 * counted once each: 4 repeats. '5' lasted 480/8 = 60 ms. */
static void test_dtmf_end_retransmissions(void **state)
{
	(void)state;
	static const uint8_t a1[] = { 5, 10, 0, 160 }, a2[] = { 5, 10, 1, 64 },
			     a3[] = { 5, 0x8A, 1, 224 }, b1[] = { 11, 12, 0, 160 },
			     b2[] = { 11, 0x8C, 1, 64 };
	const struct pk v[] = {
		{ .ms = 0, .seq = 1, .ts = 1000, .ev = a1 },
		{ .ms = 20, .seq = 2, .ts = 1000, .ev = a2 },
		{ .ms = 40, .seq = 3, .ts = 1000, .ev = a3 },
		{ .ms = 41, .seq = 4, .ts = 1000, .ev = a3 },
		{ .ms = 42, .seq = 5, .ts = 1000, .ev = a3 },
		{ .ms = 100, .seq = 6, .ts = 2000, .ev = b1 },
		{ .ms = 120, .seq = 7, .ts = 2000, .ev = b2 },
		{ .ms = 121, .seq = 8, .ts = 2000, .ev = b2 },
		{ .ms = 122, .seq = 9, .ts = 2000, .ev = b2 },
	};
	struct pk w[9];
	for (int i = 0; i < 9; i++) {
		w[i] = v[i];
		w[i].pt = 101;
		w[i].kind = SS_RTP_DTMF;
	}
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	feed(&s, w, 9);
	const struct ss_dtmf_log *l = s.dtmf;
	assert_non_null(l);
	assert_int_equal(l->events, 2);
	assert_int_equal(l->kept, 2);
	assert_int_equal(l->end_retrans, 4);
	assert_int_equal(l->ev[0].event, 5);
	assert_int_equal(l->ev[0].duration, 480);
	assert_int_equal(l->ev[0].duration * 1000 / l->clock_hz, 60);
	assert_true(l->ev[0].ended);
	assert_int_equal(l->ev[0].volume, 10);
	assert_int_equal(l->ev[0].start_ns, 0);
	assert_int_equal(l->ev[1].event, 11);
	assert_int_equal(l->ev[1].duration, 320);
	assert_int_equal(l->ev[1].start_ns, 100000000);
	/* no jitter at all from a stream of events only */
	assert_false(sum(&s).has_jitter);
	ss_rtpstats_free(&s);
}

/* 70 events: the first 64 kept, 6 counted. */
static void test_dtmf_bounded(void **state)
{
	(void)state;
	static const uint8_t e[] = { 1, 0x80, 0, 160 };
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	for (int i = 0; i < 70; i++) {
		struct pk p = { .ms = 100.0 * i, .seq = (uint16_t)i,
				.ts = 800u * (uint32_t)i, .pt = 101,
				.kind = SS_RTP_DTMF, .ev = e };
		feed(&s, &p, 1);
	}
	assert_int_equal(s.dtmf->events, 70);
	assert_int_equal(s.dtmf->kept, SS_DTMF_KEEP);
	assert_int_equal(s.dtmf->dropped, 6);
	ss_rtpstats_free(&s);
}

/* Dynamic PT with no known clock: deltas only, min jitter -1. */
static void test_unknown_clock(void **state)
{
	(void)state;
	struct ss_rtpstats s;
	ss_rtpstats_init(&s);
	for (int i = 0; i < 5; i++) {
		struct pk p = { .ms = 30.0 * i, .seq = (uint16_t)i,
				.ts = 960u * (uint32_t)i, .pt = 96,
				.clock = UINT32_MAX };
		feed(&s, &p, 1);
	}
	struct ss_rtp_summary m = sum(&s);
	assert_false(m.has_jitter);
	assert_float_equal(m.min_jitter_ms, -1, EPS);
	assert_float_equal(m.max_jitter_ms, 0, EPS);
	assert_float_equal(m.mean_delta_ms, 30, EPS);
}

/* E-model values worked out from the formula in rtpstats.h (T = 20 ms,
 * Id = 0.48):
 *  G.711+PLC 1% random: Ie_eff = 95*1/(1+25.1) = 3.6398 -> R 89.080
 *  G.711 no PLC 2%:     Ie_eff = 95*2/(2+4.3) = 30.159  -> R 62.561
 *  G.729A 0%:           Ie_eff = 11                     -> R 81.720
 *  G.711+PLC 5% BurstR 2: Ie_eff = 475/(2.5+25.1) = 17.210 */
static void test_emodel(void **state)
{
	(void)state;
	struct ss_mos m;
	ss_emodel(SS_CODEC_G711, 1, 1, 20, &m);
	assert_float_equal(m.r, 89.0802, 1e-3);
	assert_float_equal(m.mos, 4.316, 1e-3);
	ss_emodel(SS_CODEC_G711_NOPLC, 2, 1, 20, &m);
	assert_float_equal(m.r, 62.5608, 1e-3);
	assert_float_equal(m.mos, 3.232, 1e-3);
	ss_emodel(SS_CODEC_G729A, 0, 1, 20, &m);
	assert_float_equal(m.r, 81.72, 1e-6);
	assert_float_equal(m.mos, 4.087, 1e-3);
	ss_emodel(SS_CODEC_G711, 5, 2, 20, &m);
	assert_float_equal(m.ie_eff, 475 / 27.6, 1e-9);
	/* long delay: Id = 0.024*300 + 0.11*(300-177.3) = 20.697 */
	ss_emodel(SS_CODEC_G711, 0, 1, 300, &m);
	assert_float_equal(m.id, 20.697, 1e-9);
	/* hopeless loss clamps at MOS 1 */
	ss_emodel(SS_CODEC_G711_NOPLC, 60, 1, 20, &m);
	assert_float_equal(m.mos, 1, EPS);
	assert_int_equal(ss_codec_from_name(ss_str_make("pcma", 4)), SS_CODEC_G711);
	assert_int_equal(ss_codec_from_name(ss_str_make("OPUS", 4)), SS_CODEC_OPUS);
	assert_int_equal(ss_codec_from_name(ss_str_make("x", 1)), SS_CODEC_UNKNOWN);
	assert_int_equal(ss_codec_from_pt(18), SS_CODEC_G729);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steady),
		cmocka_unit_test(test_known_jitter),
		cmocka_unit_test(test_loss_and_bursts),
		cmocka_unit_test(test_burst_ratio),
		cmocka_unit_test(test_long_burst),
		cmocka_unit_test(test_reorder),
		cmocka_unit_test(test_reorder_at_end),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_seq_wrap),
		cmocka_unit_test(test_ts_wrap),
		cmocka_unit_test(test_ts_out_of_sequence),
		cmocka_unit_test(test_pt_change_and_clock),
		cmocka_unit_test(test_marker),
		cmocka_unit_test(test_comfort_noise),
		cmocka_unit_test(test_events_out_of_jitter),
		cmocka_unit_test(test_dtmf_end_retransmissions),
		cmocka_unit_test(test_dtmf_bounded),
		cmocka_unit_test(test_unknown_clock),
		cmocka_unit_test(test_emodel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
