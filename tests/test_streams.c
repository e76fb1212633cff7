/*
 * test_streams.c - the RTP stream table (src/streams.c): keys, SSRC
 * change, the heuristic (confirms RTP, never DNS, SIP, RTCP or random
 * bytes), capacity, payload-type resolution and late binding.
 * Every packet is handed over at a guard page.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"
#include "streams.h"

static struct ss_pktinfo pinfo(uint8_t host, uint16_t sport, uint16_t dport,
			       double ms, uint64_t frame)
{
	struct ss_pktinfo pi = { .ts_ns = (int64_t)(ms * 1e6), .frame = frame,
				 .l4 = SS_L4_UDP };
	pi.src = (struct ss_addr){ .family = 4, .port = sport,
				   .ip = { 10, 0, 0, host } };
	pi.dst = (struct ss_addr){ .family = 4, .port = dport,
				   .ip = { 10, 0, 0, 99 } };
	return pi;
}

static size_t mkrtp(uint8_t *b, uint16_t seq, uint32_t ts, uint32_t ssrc,
		    uint8_t pt, size_t plen)
{
	b[0] = 0x80;
	b[1] = pt;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	for (int i = 0; i < 4; i++) {
		b[4 + i] = (uint8_t)(ts >> (24 - 8 * i));
		b[8 + i] = (uint8_t)(ssrc >> (24 - 8 * i));
	}
	memset(b + 12, 0xD5, plen);
	return 12 + plen;
}

enum path { KNOWN, UNKNOWN };

/* Hand p[0..len) to the table at a guard page. */
static struct ss_stream *put(struct ss_streams *t, enum path how,
			     const struct ss_pktinfo *pi, const uint8_t *p,
			     size_t len, const struct ss_pt_map *map,
			     uintptr_t owner)
{
	struct guard g;
	const uint8_t *q = guard_copy(&g, p, len);
	struct ss_stream *s = how == KNOWN ?
		ss_streams_rtp(t, pi, q, len, map, owner) :
		ss_streams_udp_unknown(t, pi, q, len);
	guard_release(&g);
	return s;
}

static void test_ssrc_change(void **state)
{
	(void)state;
	struct ss_streams t;
	ss_streams_init(&t, 0);
	uint8_t b[200];
	for (int i = 0; i < 20; i++) {
		uint32_t ssrc = i < 10 ? 0x1111 : 0x2222;
		struct ss_pktinfo pi = pinfo(1, 4000, 5000, 20.0 * i, (uint64_t)i + 1);
		size_t n = mkrtp(b, (uint16_t)(i < 10 ? i : 500 + i), 160u * (uint32_t)i, ssrc, 0, 160);
		assert_non_null(put(&t, KNOWN, &pi, b, n, NULL, 7));
	}
	assert_int_equal(ss_streams_count(&t), 2);
	struct ss_stream *a = ss_streams_at(&t, 0), *c = ss_streams_at(&t, 1);
	if (!a || !c) {
		fail();
		return;
	}
	assert_int_equal(a->ssrc, 0x1111);
	assert_int_equal(c->ssrc, 0x2222);
	assert_int_equal(a->st.packets, 10);
	assert_int_equal(c->st.packets, 10);
	assert_int_equal(a->first_frame, 1);
	assert_int_equal(a->last_frame, 10);
	assert_int_equal(c->first_frame, 11);
	assert_int_equal(a->owner, 7);
	assert_int_equal(a->codec, SS_CODEC_G711);
	assert_ptr_equal(ss_streams_find(&t, &a->src, &a->dst, 0x2222), c);
	assert_null(ss_streams_find(&t, &a->dst, &a->src, 0x2222));
	assert_null(ss_streams_at(&t, 2));
	ss_streams_free(&t);
}

/* Three consistent packets make a stream, the first two held and
 * replayed: the stream has all three, from frame 1. */
static void test_heuristic_confirms(void **state)
{
	(void)state;
	struct ss_streams t;
	ss_streams_init(&t, 0);
	uint8_t b[200];
	struct ss_stream *s = NULL;
	for (int i = 0; i < 50; i++) {
		struct ss_pktinfo pi = pinfo(1, 4000, 5000, 20.0 * i, (uint64_t)i + 1);
		size_t n = mkrtp(b, (uint16_t)(65534 + i), 160u * (uint32_t)i, 0xABCD, 8, 160);
		s = put(&t, UNKNOWN, &pi, b, n, NULL, 0);
		if (i < 2)
			assert_null(s);
		else
			assert_non_null(s);
	}
	assert_int_equal(ss_streams_count(&t), 1);
	assert_int_equal(s->st.packets, 50);
	assert_int_equal(s->first_frame, 1);
	assert_int_equal(s->owner, 0);
	assert_true(s->flags & SS_STREAM_HEURISTIC);
	struct ss_rtp_summary m;
	ss_stream_summary(s, &m);
	assert_int_equal(m.lost, 0);
	assert_int_equal(m.seq_wraps, 1);
	assert_float_equal(m.max_delta_ms, 20, 1e-9);
	assert_int_equal(m.first_ns, 0);
	assert_int_equal(t.c.heur_confirmed, 1);
	ss_streams_free(&t);
}

/* An RFC 4733 end packet repeated during the trial is held, not a
 * reason to start over. */
static void test_heuristic_repeat(void **state)
{
	(void)state;
	struct ss_streams t;
	ss_streams_init(&t, 0);
	uint8_t b[64];
	const uint16_t seq[] = { 7, 8, 8, 9 };
	const uint32_t ts[] = { 100, 100, 100, 100 };
	struct ss_stream *s = NULL;
	for (int i = 0; i < 4; i++) {
		struct ss_pktinfo pi = pinfo(1, 4000, 5000, 10.0 * i, (uint64_t)i + 1);
		size_t n = mkrtp(b, seq[i], ts[i], 0x77, 101, 4);
		s = put(&t, UNKNOWN, &pi, b, n, NULL, 0);
	}
	assert_non_null(s);
	assert_int_equal(s->st.packets, 4);
	assert_int_equal(s->st.dups, 1);
	ss_streams_free(&t);
}

/* DNS queries: header id random, flags 0x0100, qdcount 1, others 0:
 * as RTP the "sequence" (qdcount) never moves forward. */
static void test_rejects_dns(void **state)
{
	(void)state;
	struct ss_streams t;
	ss_streams_init(&t, 0);
	for (int i = 0; i < 100; i++) {
		uint8_t q[40] = { (uint8_t)(0x80 + i), (uint8_t)(i * 7), 0x01, 0x00,
				  0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', 0,
				  0, 1, 0, 1 };
		q[0] = (uint8_t)(0x80 | (i & 0x3F));	/* "version 2" on purpose */
		struct ss_pktinfo pi = pinfo(1, 53000, 53, 10.0 * i, (uint64_t)i + 1);
		assert_null(put(&t, UNKNOWN, &pi, q, 21, NULL, 0));
	}
	assert_int_equal(ss_streams_count(&t), 0);
	ss_streams_free(&t);
}

static void test_rejects_sip_rtcp(void **state)
{
	(void)state;
	struct ss_streams t;
	ss_streams_init(&t, 0);
	const char *sip = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP x\r\n\r\n";
	for (int i = 0; i < 20; i++) {
		struct ss_pktinfo pi = pinfo(2, 5060, 5060, 10.0 * i, (uint64_t)i + 1);
		assert_null(put(&t, UNKNOWN, &pi, (const uint8_t *)sip, strlen(sip),
				NULL, 0));
	}
	/* RTCP RR then SR, as an rtcp-mux flow sends them: byte 1 is
	 * 200/201, RTCP by the RFC 5761 rule */
	for (int i = 0; i < 20; i++) {
		uint8_t r[32] = { 0x81, (uint8_t)(i % 2 ? 200 : 201), 0, 7,
				  0, 0, 0x12, 0x34 };
		r[3] = (uint8_t)i;
		struct ss_pktinfo pi = pinfo(3, 4001, 5001, 10.0 * i, (uint64_t)i + 1);
		assert_null(put(&t, UNKNOWN, &pi, r, sizeof r, NULL, 0));
	}
	/* and the same RTCP on a port the SDP gave for RTP */
	uint8_t sr[28] = { 0x80, 200, 0, 6, 0, 0, 0x12, 0x34 };
	struct ss_pktinfo pi = pinfo(3, 4001, 5001, 500, 99);
	assert_null(put(&t, KNOWN, &pi, sr, sizeof sr, NULL, 1));
	assert_int_equal(ss_streams_count(&t), 0);
	assert_int_equal(t.c.not_rtp, 41);
	ss_streams_free(&t);
}

/* Random payloads on one flow (a fixed LCG): never a stream. */
static void test_rejects_random(void **state)
{
	(void)state;
	struct ss_streams t;
	ss_streams_init(&t, 0);
	uint32_t x = 1;
	for (int i = 0; i < 5000; i++) {
		uint8_t b[60];
		for (size_t k = 0; k < sizeof b; k++) {
			x = x * 1103515245u + 12345u;
			b[k] = (uint8_t)(x >> 16);
		}
		struct ss_pktinfo pi = pinfo((uint8_t)(i % 3), 6000, 7000,
					     1.0 * i, (uint64_t)i + 1);
		assert_null(put(&t, UNKNOWN, &pi, b, 12 + (size_t)(x % 48), NULL, 0));
	}
	assert_int_equal(ss_streams_count(&t), 0);
	ss_streams_free(&t);
}

/* 600 flows interleaved packet by packet, as many calls at once: all
 * are confirmed (more flows than ways in a set must not push each other
 * out forever, as LRU would), and only the few packets of flows evicted
 * while on trial are missing. */
static void test_heuristic_many_flows(void **state)
{
	(void)state;
	struct ss_streams t;
	ss_streams_init(&t, 0);
	uint8_t b[40];
	uint64_t frame = 0;
	for (int i = 0; i < 10; i++)
		for (int k = 0; k < 600; k++) {
			struct ss_pktinfo pi = pinfo((uint8_t)(k >> 8),
				(uint16_t)(20000 + 2 * (k & 255)), 30000,
				20.0 * i, ++frame);
			size_t n = mkrtp(b, (uint16_t)i, 160u * (uint32_t)i,
					 0x10000u + (uint32_t)k, 8, 20);
			put(&t, UNKNOWN, &pi, b, n, NULL, 0);
		}
	assert_int_equal(ss_streams_count(&t), 600);
	assert_true(t.c.rtp_packets >= 5940);
	assert_true(t.c.rtp_packets + 3 * t.c.heur_evicted >= 6000);
	ss_streams_free(&t);
}

static void test_capacity(void **state)
{
	(void)state;
	struct ss_streams t;
	ss_streams_init(&t, 4);
	uint8_t b[40];
	for (uint32_t k = 0; k < 6; k++)
		for (int i = 0; i < 3; i++) {
			struct ss_pktinfo pi = pinfo(1, 4000, 5000, 20.0 * i, 1);
			size_t n = mkrtp(b, (uint16_t)i, 160u * (uint32_t)i, k, 0, 20);
			struct ss_stream *s = put(&t, KNOWN, &pi, b, n, NULL, 0);
			if (k < 4)
				assert_non_null(s);
			else
				assert_null(s);
		}
	assert_int_equal(ss_streams_count(&t), 4);
	assert_int_equal(t.c.refused_streams, 6);	/* 2 streams x 3 tries */
	assert_int_equal(t.c.refused_packets, 6);
	for (size_t i = 0; i < 4; i++) {
		const struct ss_stream *st = ss_streams_at(&t, i);
		if (!st) {
			fail();
			return;
		}
		assert_int_equal(st->ssrc, i);
	}
	ss_streams_free(&t);
}

/* Many streams: the hash table grows and every one is found again. */
static void test_many(void **state)
{
	(void)state;
	struct ss_streams t;
	ss_streams_init(&t, 0);
	uint8_t b[40];
	for (uint32_t k = 0; k < 3000; k++) {
		struct ss_pktinfo pi = pinfo((uint8_t)k, (uint16_t)(1000 + k), 5000, 0, k);
		size_t n = mkrtp(b, 1, 0, k * 2654435761u, 0, 20);
		assert_non_null(put(&t, KNOWN, &pi, b, n, NULL, 0));
	}
	assert_int_equal(ss_streams_count(&t), 3000);
	for (uint32_t k = 0; k < 3000; k++) {
		struct ss_pktinfo pi = pinfo((uint8_t)k, (uint16_t)(1000 + k), 5000, 0, k);
		struct ss_stream *s = ss_streams_find(&t, &pi.src, &pi.dst, k * 2654435761u);
		assert_non_null(s);
		assert_int_equal(s->index, k);
	}
	ss_streams_free(&t);
}

static void test_pt_resolve(void **state)
{
	(void)state;
	struct ss_pt_map m;
	ss_pt_map_init(&m);
	ss_pt_map_set(&m, 101, ss_str_make("telephone-event", 15), 8000);
	ss_pt_map_set(&m, 96, ss_str_make("opus", 4), 48000);
	ss_pt_map_set(&m, 97, ss_str_make("AMR-WB", 6), 0);
	ss_pt_map_set(&m, 8, ss_str_make("PCMA", 4), 16000);
	uint32_t hz;
	uint8_t kind;
	ss_pt_resolve(&m, 101, &hz, &kind);
	assert_int_equal(kind, SS_RTP_DTMF);
	assert_int_equal(hz, 8000);
	ss_pt_resolve(&m, 96, &hz, &kind);
	assert_int_equal(hz, 48000);
	assert_int_equal(kind, SS_RTP_AUDIO);
	ss_pt_resolve(&m, 97, &hz, &kind);	/* clock from the name */
	assert_int_equal(hz, 16000);
	ss_pt_resolve(&m, 8, &hz, &kind);	/* static PTs: RFC 3551 wins */
	assert_int_equal(hz, 8000);
	ss_pt_resolve(&m, 98, &hz, &kind);	/* unknown dynamic PT */
	assert_int_equal(hz, 0);
	ss_pt_resolve(NULL, 13, &hz, &kind);
	assert_int_equal(kind, SS_RTP_CN);
	ss_pt_resolve(NULL, 34, &hz, &kind);
	assert_int_equal(hz, 90000);
	assert_int_equal(kind, SS_RTP_VIDEO);
	ss_pt_resolve(NULL, 10, &hz, &kind);
	assert_int_equal(hz, 44100);
	ss_pt_resolve(NULL, 6, &hz, &kind);
	assert_int_equal(hz, 16000);
}

static void on_new(void *user, struct ss_stream *s)
{
	ss_stream_bind(s, 42, user);
}

/* Binding through the new-stream callback before the replay (the held
 * packets get the map's clock), and rebinding later. */
static void test_bind(void **state)
{
	(void)state;
	struct ss_pt_map m;
	ss_pt_map_init(&m);
	ss_pt_map_set(&m, 96, ss_str_make("opus", 4), 48000);
	struct ss_streams t;
	ss_streams_init(&t, 0);
	ss_streams_on_new(&t, on_new, &m);
	uint8_t b[80];
	struct ss_stream *s = NULL;
	for (int i = 0; i < 10; i++) {
		struct ss_pktinfo pi = pinfo(1, 4000, 5000, 20.0 * i, (uint64_t)i + 1);
		size_t n = mkrtp(b, (uint16_t)i, 960u * (uint32_t)i, 0x99, 96, 40);
		s = put(&t, UNKNOWN, &pi, b, n, NULL, 0);
	}
	assert_non_null(s);
	assert_int_equal(s->owner, 42);
	assert_int_equal(s->codec, SS_CODEC_OPUS);
	assert_int_equal(s->st.clock_hz, 48000);
	struct ss_rtp_summary o;
	ss_stream_summary(s, &o);
	assert_true(o.has_jitter);
	assert_int_equal(s->payload_bytes, 400);
	ss_stream_bind(s, 43, NULL);
	assert_int_equal(s->owner, 43);
	assert_true(s->flags & SS_STREAM_BOUND);
	ss_streams_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ssrc_change),
		cmocka_unit_test(test_heuristic_confirms),
		cmocka_unit_test(test_heuristic_repeat),
		cmocka_unit_test(test_rejects_dns),
		cmocka_unit_test(test_rejects_sip_rtcp),
		cmocka_unit_test(test_rejects_random),
		cmocka_unit_test(test_heuristic_many_flows),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_pt_resolve),
		cmocka_unit_test(test_bind),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
