/*
 * test_media.c - unit tests of the media layer and the diagnosis
 * (src/media.c, src/media_rtp.c, src/diagnose.c): SIP messages with SDP
 * are parsed and fed to the correlator and the media context like the
 * program does, RTP packets are built byte by byte, and the problems
 * ss_diagnose() finds are compared with the codes each scenario must give
 * (and only those).
 *
 * Addresses: caller A = 192.0.2.1 (SIP :5060, RTP :4000), callee B =
 * 198.51.100.2 (SIP :5060, RTP :5000). Times are ms from the case's start.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diagnose.h"
#include "dialog.h"
#include "media.h"
#include "media_int.h"
#include "rtcpstats.h"
#include "sip.h"
#include "streams.h"

#define CRLF "\r\n"
#define T0 (INT64_C(1700000000) * 1000000000)

struct ctx {
	struct ss_corr *corr;
	struct ss_media *media;
	uint64_t idx;
	struct ss_call *call;
	const char *callid;
};

static void addr4(struct ss_addr *a, const char *ip, uint16_t port)
{
	unsigned b[4];
	memset(a, 0, sizeof *a);
	sscanf(ip, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]);
	a->family = 4;
	for (int i = 0; i < 4; i++)
		a->ip[i] = (uint8_t)b[i];
	a->port = port;
}

static void evicted(void *user, struct ss_call *c)
{
	ss_media_evict(user, c);
}

static void ctx_init(struct ctx *x, size_t limit)
{
	x->corr = ss_corr_new(limit);
	x->media = ss_media_new();
	ss_corr_on_evict(x->corr, evicted, x->media);
	x->idx = 0;
	x->call = NULL;
	x->callid = "media-test-1";
}

static void ctx_free(struct ctx *x)
{
	ss_media_free(x->media, x->corr);
	ss_corr_free(x->corr);
}

/* One SIP message: start line, the dialog's headers, an optional SDP. */
static void sip(struct ctx *x, int t_ms, const char *src, const char *dst,
		const char *start, const char *cseq, const char *totag, const char *sdp)
{
	char buf[2048], hdrs_txt[1024];
	bool req = strncmp(start, "SIP/2.0", 7) != 0;
	bool from_b = (req && strcmp(src, "198.51.100.2") == 0) ||
		      (!req && strcmp(dst, "198.51.100.2") == 0);
	snprintf(hdrs_txt, sizeof hdrs_txt,
		 "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s%d" CRLF
		 "From: <sip:%s@example.com>;tag=%s" CRLF
		 "To: <sip:%s@example.com>%s%s" CRLF
		 "Call-ID: %s" CRLF "CSeq: %s" CRLF,
		 req ? src : dst, cseq, (int)strlen(start),
		 from_b ? "bob" : "alice", from_b ? (totag ? totag : "") : "fa",
		 from_b ? "alice" : "bob", from_b ? ";tag=fa" : (totag ? ";tag=" : ""),
		 from_b ? "" : (totag ? totag : ""), x->callid, cseq);
	size_t blen = sdp ? strlen(sdp) : 0;
	int n = snprintf(buf, sizeof buf, "%s" CRLF "%s%sContent-Length: %zu" CRLF CRLF "%s",
			 start, hdrs_txt, sdp ? "Content-Type: application/sdp" CRLF : "",
			 blen, sdp ? sdp : "");
	struct sip_header hv[64];
	struct sip_msg m;
	long r = sip_parse(buf, (size_t)n, SIP_FRAME_DATAGRAM, &m, hv, 64);
	assert_true(r > 0);
	struct ss_pktinfo pi;
	memset(&pi, 0, sizeof pi);
	pi.ts_ns = T0 + (int64_t)t_ms * 1000000;
	pi.frame = ++x->idx;
	pi.l4 = SS_L4_UDP;
	addr4(&pi.src, src, 5060);
	addr4(&pi.dst, dst, 5060);
	struct ss_sip_event ev = { &pi, "UDP", &m, 0 };
	struct ss_call *c = ss_corr_add(x->corr, &ev, x->idx);
	assert_non_null(c);
	ss_media_sip(x->media, c, &ev);
	x->call = c;
}

/* n RTP packets every 20 ms from t_ms; lose[] lists sequence offsets
 * not sent (terminated by -1). */
static void rtp(struct ctx *x, int t_ms, const char *src, uint16_t sport,
		const char *dst, uint16_t dport, uint32_t ssrc, uint8_t pt, int n,
		const int *lose, int jitter_ms)
{
	uint8_t p[12 + 160];
	memset(p, 0xd5, sizeof p);
	for (int i = 0; i < n; i++) {
		bool skip = false;
		for (const int *l = lose; l && *l >= 0; l++)
			skip = skip || *l == i;
		if (skip)
			continue;
		uint16_t seq = (uint16_t)(1000 + i);
		uint32_t ts = (uint32_t)(i * 160);
		p[0] = 0x80;
		p[1] = pt;
		p[2] = (uint8_t)(seq >> 8);
		p[3] = (uint8_t)seq;
		p[4] = (uint8_t)(ts >> 24);
		p[5] = (uint8_t)(ts >> 16);
		p[6] = (uint8_t)(ts >> 8);
		p[7] = (uint8_t)ts;
		p[8] = (uint8_t)(ssrc >> 24);
		p[9] = (uint8_t)(ssrc >> 16);
		p[10] = (uint8_t)(ssrc >> 8);
		p[11] = (uint8_t)ssrc;
		struct ss_pktinfo pi;
		memset(&pi, 0, sizeof pi);
		int jit = jitter_ms && (i % 2) ? jitter_ms : 0;
		pi.ts_ns = T0 + ((int64_t)t_ms + 20 * i + jit) * 1000000;
		pi.frame = ++x->idx;
		pi.l4 = SS_L4_UDP;
		addr4(&pi.src, src, sport);
		addr4(&pi.dst, dst, dport);
		ss_media_udp(x->media, &pi, p, sizeof p);
	}
}

static const char *sdp_a(const char *ip, int port, const char *dir)
{
	static char b[4][512];
	static int k;
	char *s = b[k++ % 4];
	snprintf(s, 512, "v=0" CRLF "o=- 1 1 IN IP4 %s" CRLF "s=-" CRLF "c=IN IP4 %s" CRLF
		 "t=0 0" CRLF "m=audio %d RTP/AVP 0 101" CRLF "a=rtpmap:0 PCMU/8000" CRLF
		 "a=rtpmap:101 telephone-event/8000" CRLF "a=%s" CRLF, ip, ip, port, dir);
	return s;
}

#define A "192.0.2.1"
#define B "198.51.100.2"

/* INVITE (offer) / 180 / 200 (answer) / ACK. */
static void setup_call(struct ctx *x, const char *offer, const char *answer)
{
	sip(x, 0, A, B, "INVITE sip:bob@example.com SIP/2.0", "1 INVITE", NULL, offer);
	sip(x, 50, B, A, "SIP/2.0 180 Ringing", "1 INVITE", "tb", NULL);
	sip(x, 100, B, A, "SIP/2.0 200 OK", "1 INVITE", "tb", answer);
	sip(x, 110, A, B, "ACK sip:bob@example.com SIP/2.0", "1 ACK", "tb", NULL);
}

static void bye(struct ctx *x, int t_ms)
{
	sip(x, t_ms, A, B, "BYE sip:bob@example.com SIP/2.0", "2 BYE", "tb", NULL);
	sip(x, t_ms + 5, B, A, "SIP/2.0 200 OK", "2 BYE", "tb", NULL);
}

/* The codes found for the call, as "CODE,CODE" in problem order. */
static void diagnose(struct ctx *x, const struct ss_diag_thresholds *t, char *out,
		     size_t len)
{
	struct ss_diag_thresholds def;
	struct ss_stream_view views[16];
	const struct ss_call *c = ss_corr_first(x->corr);
	const struct ss_call_media *cm = ss_media_of(x->media, c);
	struct ss_diag_input in = { .corr = x->corr, .call = c,
		.capture_has_rtp = ss_streams_count(ss_media_streams(x->media)) > 0 };
	if (!t) {
		ss_diag_thresholds_default(&def);
		t = &def;
	}
	ss_corr_expire(x->corr, T0 + INT64_C(100000) * 1000000);
	if (cm) {
		in.sdp = cm->sdp;
		in.nsdp = cm->nsdp;
		in.nst = ss_media_views(x->media, c, views, 16);
		in.st = views;
	}
	struct ss_problems ps = { 0 };
	ss_diagnose(&in, t, &ps);
	out[0] = '\0';
	for (size_t i = 0; i < ps.n; i++) {
		assert_non_null(ps.v[i].summary);
		assert_true(strlen(ps.v[i].summary) > 20);
		snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? "," : "",
			 ss_diag_code_name((enum ss_diag_code)ps.v[i].code));
	}
	/* the call list's codes-only run finds the same problems, in the
	 * same order, without their text */
	struct ss_problems bare = { .codes_only = true };
	ss_diagnose(&in, t, &bare);
	assert_int_equal(bare.n, ps.n);
	for (size_t i = 0; i < bare.n; i++) {
		assert_int_equal(bare.v[i].code, ps.v[i].code);
		assert_int_equal(bare.v[i].severity, ps.v[i].severity);
		assert_true(bare.v[i].bare);
		assert_null(bare.v[i].summary);
		assert_int_equal(bare.v[i].nev, 0);
	}
	ss_problems_free(&bare);
	ss_problems_free(&ps);
}

static void expect(struct ctx *x, const char *codes)
{
	char got[512];
	diagnose(x, NULL, got, sizeof got);
	if (strcmp(got, codes) != 0)
		fail_msg("codes: got \"%s\", want \"%s\"", got, codes);
}

/* ---- cases ---------------------------------------------------------------- */

static void test_two_way_clean(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 0);
	setup_call(&x, sdp_a(A, 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	rtp(&x, 120, A, 4000, B, 5000, 0xA, 0, 200, NULL, 0);
	rtp(&x, 125, B, 5000, A, 4000, 0xB, 0, 200, NULL, 0);
	bye(&x, 4200);
	expect(&x, "");
	/* both streams bound to the call, by their destination */
	const struct ss_call_media *cm = ss_media_of(x.media, x.call);
	assert_int_equal(cm->nstreams, 2);
	assert_int_equal(cm->nsdp, 2);
	assert_true(cm->sdp[0].flags & SS_SE_OFFER);
	assert_false(cm->sdp[1].flags & SS_SE_OFFER);
	assert_int_equal(cm->sdp[0].side, 0);
	assert_int_equal(cm->sdp[1].side, 1);
	const struct ss_stream_x *sx = ss_media_stream_x(x.media, cm->streams[0]);
	assert_int_equal(sx->to_side, 1);
	assert_int_equal(sx->from_side, 0);
	ctx_free(&x);
}

static void test_one_way(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 0);
	setup_call(&x, sdp_a(A, 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	rtp(&x, 120, A, 4000, B, 5000, 0xA, 0, 200, NULL, 0);
	bye(&x, 4200);
	expect(&x, "ONE_WAY_AUDIO");
	ctx_free(&x);
}

static void test_no_media(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 0);
	setup_call(&x, sdp_a(A, 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	bye(&x, 3000);
	expect(&x, "NO_MEDIA");
	ctx_free(&x);
	/* hung up within 200 ms: no time for media, no fault */
	ctx_init(&x, 0);
	setup_call(&x, sdp_a(A, 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	bye(&x, 300);
	expect(&x, "");
	ctx_free(&x);
}

static void test_hold_not_one_way(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 0);
	setup_call(&x, sdp_a(A, 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	sip(&x, 1000, A, B, "INVITE sip:bob@example.com SIP/2.0", "3 INVITE", "tb",
	    sdp_a(A, 4000, "sendonly"));
	sip(&x, 1010, B, A, "SIP/2.0 200 OK", "3 INVITE", "tb", sdp_a(B, 5000, "recvonly"));
	sip(&x, 1020, A, B, "ACK sip:bob@example.com SIP/2.0", "3 ACK", "tb", NULL);
	/* only the holder sends (music on hold) */
	rtp(&x, 120, A, 4000, B, 5000, 0xA, 0, 200, NULL, 0);
	bye(&x, 4200);
	expect(&x, "HOLD");
	ctx_free(&x);
}

static void test_zero_address_hold(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 0);
	setup_call(&x, sdp_a(A, 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	rtp(&x, 120, A, 4000, B, 5000, 0xA, 0, 40, NULL, 0);
	rtp(&x, 125, B, 5000, A, 4000, 0xB, 0, 40, NULL, 0);
	sip(&x, 1000, A, B, "INVITE sip:bob@example.com SIP/2.0", "3 INVITE", "tb",
	    sdp_a("0.0.0.0", 4000, "sendrecv"));
	sip(&x, 1010, B, A, "SIP/2.0 200 OK", "3 INVITE", "tb", sdp_a(B, 5000, "sendrecv"));
	sip(&x, 1020, A, B, "ACK sip:bob@example.com SIP/2.0", "3 ACK", "tb", NULL);
	bye(&x, 4200);
	expect(&x, "HOLD,ZERO_ADDRESS");
	ctx_free(&x);
}

static void test_codec_mismatch(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 0);
	setup_call(&x, sdp_a(A, 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	rtp(&x, 120, A, 4000, B, 5000, 0xA, 8, 200, NULL, 0);	/* PCMA: unlisted */
	rtp(&x, 125, B, 5000, A, 4000, 0xB, 0, 200, NULL, 0);
	bye(&x, 4200);
	expect(&x, "CODEC_MISMATCH");
	ctx_free(&x);
}

static void test_nat(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 0);
	/* the caller's SDP names its private address; its RTP comes from the
	 * NAT's public address, the callee's goes to the private one */
	setup_call(&x, sdp_a("10.0.0.5", 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	rtp(&x, 120, A, 34000, B, 5000, 0xA, 0, 200, NULL, 0);
	rtp(&x, 125, B, 5000, "10.0.0.5", 4000, 0xB, 0, 200, NULL, 0);
	bye(&x, 4200);
	expect(&x, "ONE_WAY_AUDIO,SDP_PRIVATE_ADDRESS,NAT_ADDRESS_MISMATCH");
	ctx_free(&x);
	/* the callee latches (sends where the caller's RTP comes from): only
	 * the addresses are worth a warning */
	ctx_init(&x, 0);
	setup_call(&x, sdp_a("10.0.0.5", 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	rtp(&x, 120, A, 34000, B, 5000, 0xA, 0, 200, NULL, 0);
	rtp(&x, 125, B, 5000, A, 34000, 0xB, 0, 200, NULL, 0);
	bye(&x, 4200);
	expect(&x, "SDP_PRIVATE_ADDRESS,NAT_ADDRESS_MISMATCH");
	ctx_free(&x);
}

static void test_wrong_address(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 0);
	setup_call(&x, sdp_a(A, 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	rtp(&x, 120, A, 4000, B, 5000, 0xA, 0, 200, NULL, 0);
	rtp(&x, 125, B, 5000, A, 4002, 0xB, 0, 200, NULL, 0);	/* wrong port */
	bye(&x, 4200);
	expect(&x, "ONE_WAY_AUDIO,MEDIA_TO_WRONG_ADDRESS");
	ctx_free(&x);
}

static void test_late_and_quality(void **state)
{
	(void)state;
	struct ctx x;
	static const int lose[] = { 10, 11, 12, 50, 90, 91, 130, 170, -1 };
	ctx_init(&x, 0);
	setup_call(&x, sdp_a(A, 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	rtp(&x, 120, A, 4000, B, 5000, 0xA, 0, 200, lose, 0);	/* 4% lost */
	rtp(&x, 3125, B, 5000, A, 4000, 0xB, 0, 200, NULL, 45);	/* late, jittery */
	bye(&x, 7200);
	expect(&x, "HIGH_LOSS,HIGH_JITTER,LATE_MEDIA");
	/* thresholds move the verdicts */
	struct ss_diag_thresholds t;
	char err[128], got[256];
	ss_diag_thresholds_default(&t);
	assert_true(ss_diag_threshold_set(&t, "loss=5", err, sizeof err));
	assert_true(ss_diag_threshold_set(&t, "jitter=100", err, sizeof err));
	assert_true(ss_diag_threshold_set(&t, "late=5000", err, sizeof err));
	assert_true(ss_diag_threshold_set(&t, "mos=4.5", err, sizeof err));
	diagnose(&x, &t, got, sizeof got);
	assert_string_equal(got, "LOW_MOS,LOW_MOS");
	ctx_free(&x);
}

static void test_sip_problems(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 0);
	sip(&x, 0, A, B, "INVITE sip:bob@example.com SIP/2.0", "1 INVITE", NULL,
	    sdp_a(A, 4000, "sendrecv"));
	sip(&x, 500, A, B, "INVITE sip:bob@example.com SIP/2.0", "1 INVITE", NULL,
	    sdp_a(A, 4000, "sendrecv"));
	sip(&x, 1500, A, B, "INVITE sip:bob@example.com SIP/2.0", "1 INVITE", NULL,
	    sdp_a(A, 4000, "sendrecv"));
	sip(&x, 3500, A, B, "INVITE sip:bob@example.com SIP/2.0", "1 INVITE", NULL,
	    sdp_a(A, 4000, "sendrecv"));
	sip(&x, 6000, B, A, "SIP/2.0 200 OK", "1 INVITE", "tb", sdp_a(B, 5000, "sendrecv"));
	/* no ACK ever */
	expect(&x, "NO_ACK,SLOW_SETUP,RETRANSMISSIONS");
	ctx_free(&x);
}

static void test_thresholds_parse(void **state)
{
	(void)state;
	struct ss_diag_thresholds t;
	char err[256];
	ss_diag_thresholds_default(&t);
	assert_true(ss_diag_threshold_set(&t, "wait=250", err, sizeof err));
	assert_int_equal(t.media_wait_ms, 250);
	assert_true(ss_diag_threshold_set(&t, "packets=10", err, sizeof err));
	assert_int_equal(t.min_packets, 10);
	assert_false(ss_diag_threshold_set(&t, "loss", err, sizeof err));
	assert_non_null(strstr(err, "NAME=NUMBER"));
	assert_false(ss_diag_threshold_set(&t, "loss=", err, sizeof err));
	assert_false(ss_diag_threshold_set(&t, "loss=abc", err, sizeof err));
	assert_false(ss_diag_threshold_set(&t, "loss=-1", err, sizeof err));
	assert_false(ss_diag_threshold_set(&t, "volume=3", err, sizeof err));
	assert_non_null(strstr(err, "no such threshold"));
}

/* A stream seen before its SDP (capture order) is bound when the SDP
 * arrives; packets to an address no SDP named stay orphans; evicting the
 * call lets go of its bindings and streams. */
static void test_binding_lifecycle(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 1);
	rtp(&x, 0, B, 5000, A, 4000, 0xB, 0, 5, NULL, 0);	/* early, heuristic */
	setup_call(&x, sdp_a(A, 4000, "sendrecv"), sdp_a(B, 5000, "sendrecv"));
	rtp(&x, 120, B, 5000, A, 4000, 0xB, 0, 50, NULL, 0);
	rtp(&x, 120, "203.0.113.9", 7000, "203.0.113.10", 7002, 0xC, 0, 50, NULL, 0);
	const struct ss_call_media *cm = ss_media_of(x.media, x.call);
	assert_int_equal(cm->nstreams, 1);
	struct ss_streams *t = ss_media_streams(x.media);
	assert_int_equal(ss_streams_count(t), 2);
	assert_ptr_equal(ss_media_stream_call(x.media, ss_streams_at(t, 0)), x.call);
	assert_null(ss_media_stream_call(x.media, ss_streams_at(t, 1)));
	bye(&x, 2000);
	/* a second call evicts the first (finished) one under --limit 1: its
	 * streams become orphans, its bindings go */
	x.callid = "media-test-2";
	sip(&x, 3000, A, B, "OPTIONS sip:bob@example.com SIP/2.0", "1 OPTIONS", NULL, NULL);
	sip(&x, 3001, B, A, "SIP/2.0 200 OK", "1 OPTIONS", "to", NULL);
	assert_int_equal(ss_corr_evicted(x.corr), 1);
	assert_null(ss_media_stream_call(x.media, ss_streams_at(t, 0)));
	struct ss_addr a;
	addr4(&a, A, 4000);
	assert_null(ss_media_bound(x.media, &a));
	ctx_free(&x);
}

/* RTCP between addresses no SDP named: kept in the RTCP table under
 * its flow, whose addresses are remembered for the report. */
static void test_rtcp_orphan(void **state)
{
	(void)state;
	struct ctx x;
	ctx_init(&x, 0);
	uint8_t sr[28] = { 0x80, 200, 0, 6, 0x12, 0x34, 0x56, 0x78 };
	struct ss_pktinfo pi;
	memset(&pi, 0, sizeof pi);
	pi.ts_ns = T0;
	pi.l4 = SS_L4_UDP;
	addr4(&pi.src, "203.0.113.9", 7001);
	addr4(&pi.dst, "203.0.113.10", 7003);
	assert_null(ss_media_udp(x.media, &pi, sr, sizeof sr));
	assert_int_equal(ss_media_stats(x.media)->rtcp_packets, 1);
	assert_int_equal(ss_streams_count(ss_media_streams(x.media)), 0);
	size_t iter = 0;
	const struct rtcp_summary *r = rtcp_table_next(x.media->rtcp, &iter);
	assert_non_null(r);
	assert_int_equal(r->ssrc, 0x12345678);
	assert_int_equal(r->sender_reports, 1);
	const struct ss_rtcp_flow *f = ss_media_rtcp_flow(x.media, r->flow_key);
	assert_non_null(f);
	assert_int_equal(f->src.port, 7001);
	assert_int_equal(f->dst.port, 7003);
	/* half an RTCP packet is not RTP either */
	assert_null(ss_media_udp(x.media, &pi, sr, 10));
	ctx_free(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_way_clean),
		cmocka_unit_test(test_one_way),
		cmocka_unit_test(test_no_media),
		cmocka_unit_test(test_hold_not_one_way),
		cmocka_unit_test(test_zero_address_hold),
		cmocka_unit_test(test_codec_mismatch),
		cmocka_unit_test(test_nat),
		cmocka_unit_test(test_wrong_address),
		cmocka_unit_test(test_late_and_quality),
		cmocka_unit_test(test_sip_problems),
		cmocka_unit_test(test_thresholds_parse),
		cmocka_unit_test(test_binding_lifecycle),
		cmocka_unit_test(test_rtcp_orphan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
