/*
 * test_tcp.c - TCP stream reassembly (dissectors/tcp.c) and SIP framing on
 * the reassembled stream (src/pipeline.c).
 *
 * Part one drives the reassembler directly with a toy consumer whose
 * "messages" end with '.', from a named table of segment sequences, and
 * checks the stream it saw ('|' marks where after_gap was set) and the
 * counters. Then the cases a table cannot express: idle expiry, the caps,
 * eviction, many flows.
 *
 * Part two builds Ethernet + IPv4 + TCP frames and runs them through the
 * whole pipeline, collecting the SIP messages it emits: several messages
 * per segment, one message at every split point, Content-Length framing,
 * gaps and resynchronisation, mid-stream joins, non-SIP flows, absurd
 * Content-Length, wraparound. Every segment payload and frame is handed
 * over from a guard_copy(), so an over-read faults at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "pipeline.h"
#include "tcp.h"

#define SEC ((int64_t)1000000000)

/* ---- part one: the reassembler with a toy consumer -------------------- */

struct toy {
	char out[4096];
	size_t n;
	uint64_t finals;
};

static void toy_put(struct toy *y, const void *p, size_t n)
{
	assert_true(y->n + n < sizeof y->out);
	memcpy(y->out + y->n, p, n);
	y->n += n;
	y->out[y->n] = '\0';
}

/* Consume through the last '.'; mark a gap with '|' and resynchronise at
 * once (a toy message may start anywhere). */
static size_t toy_consume(void *user, const struct ss_pktinfo *pi,
			  struct ss_tcp_chunk *c)
{
	struct toy *y = user;
	size_t used = 0;
	(void)pi;
	if (c->after_gap) {
		toy_put(y, "|", 1);
		c->after_gap = false;
	}
	for (size_t i = 0; i < c->len; i++)
		if (c->buf[i] == '.')
			used = i + 1;
	toy_put(y, c->buf, used);
	if (c->final)
		y->finals++;
	return used;
}

struct seg {
	const char *flags;	/* any of "SFR" */
	int64_t rel;		/* data offset from ISN + 1 (SYN: -1) */
	const char *data;
	int64_t t;		/* seconds */
};

struct tcp_case {
	const char *name;
	uint32_t isn;
	struct ss_tcp_limits lim;
	struct seg s[10];
	const char *want;	/* the stream the consumer used */
	uint64_t ooo, retrans, gaps, lost, abandoned, midstream;
	bool finish;		/* call ss_tcp_finish before checking */
};

static void pi_make(struct ss_pktinfo *pi, uint16_t sport, uint16_t dport)
{
	memset(pi, 0, sizeof *pi);
	pi->src.family = pi->dst.family = 4;
	pi->src.ip[0] = 10;
	pi->src.ip[3] = 1;
	pi->dst.ip[0] = 10;
	pi->dst.ip[3] = 2;
	pi->src.port = sport;
	pi->dst.port = dport;
	pi->l4 = SS_L4_TCP;
}

static uint8_t flags_of(const char *s)
{
	uint8_t f = SS_TCP_ACK;
	for (; s && *s; s++)
		f |= *s == 'S' ? SS_TCP_SYN : *s == 'F' ? SS_TCP_FIN :
		     *s == 'R' ? SS_TCP_RST : 0;
	return f;
}

static void offer(struct ss_tcp *t, struct ss_pktinfo *pi, uint32_t isn,
		  const struct seg *s)
{
	struct guard g = { 0 };
	size_t n = s->data ? strlen(s->data) : 0;
	const uint8_t *p = guard_copy(&g, s->data ? s->data : "", n);
	pi->tcp_flags = flags_of(s->flags);
	pi->tcp_seq = isn + 1 + (uint32_t)s->rel;
	pi->ts_ns = s->t * SEC;
	pi->frame++;
	ss_tcp_segment(t, pi, p, n);
	guard_release(&g);
}

#define S() { "S", -1, NULL, 0 }
#define D(r, d) { "", r, d, 0 }

static const struct tcp_case cases[] = {
	{ "in_order", 1000, { 0 }, { S(), D(0, "ab."), D(3, "cd.") },
	  "ab.cd.", 0, 0, 0, 0, 0, 0, false },
	{ "one_message_many_segments", 1000, { 0 },
	  { S(), D(0, "a"), D(1, "b"), D(2, "c"), D(3, ".") },
	  "abc.", 0, 0, 0, 0, 0, 0, false },
	{ "several_in_one_segment", 1000, { 0 }, { S(), D(0, "a.b.c.d") },
	  "a.b.c.", 0, 0, 0, 0, 1, 0, true },
	{ "out_of_order", 1000, { 0 }, { S(), D(3, "cd."), D(0, "ab.") },
	  "ab.cd.", 1, 0, 0, 0, 0, 0, false },
	{ "reverse_order", 1000, { 0 },
	  { S(), D(4, "e."), D(3, "d"), D(2, "c"), D(1, "b"), D(0, "a") },
	  "abcde.", 4, 0, 0, 0, 0, 0, false },
	{ "retransmission_exact", 1000, { 0 },
	  { S(), D(0, "ab."), D(0, "ab."), D(3, "cd."), D(3, "cd.") },
	  "ab.cd.", 0, 6, 0, 0, 0, 0, false },
	{ "retransmission_partial_overlap", 1000, { 0 },
	  { S(), D(0, "abc"), D(1, "bcd.") }, "abcd.", 0, 2, 0, 0, 0, 0,
	  false },
	{ "retransmitted_syn", 1000, { 0 }, { S(), S(), D(0, "ab.") },
	  "ab.", 0, 0, 0, 0, 0, 0, false },
	{ "overlap_of_held_segments", 1000, { 0 },
	  { S(), D(3, "de"), D(2, "cdef."), D(0, "ab") },
	  "abcdef.", 2, 2, 0, 0, 0, 0, false },
	{ "in_order_covers_held", 1000, { 0 },
	  { S(), D(2, "c"), D(4, "e"), D(0, "abcdefg.") },
	  "abcdefg.", 2, 2, 0, 0, 0, 0, false },
	{ "wraparound", 0xFFFFFFF0u, { 0 },
	  { S(), D(0, "0123456789abcd"), D(14, "ef"), D(16, "gh.") },
	  "0123456789abcdefgh.", 0, 0, 0, 0, 0, 0, false },
	{ "wraparound_out_of_order", 0xFFFFFFF8u, { 0 },
	  { S(), D(9, "jk."), D(0, "012345"), D(6, "678") },
	  "012345678jk.", 1, 0, 0, 0, 0, 0, false },
	{ "midstream_join", 5000, { 0 }, { D(0, "xy.ab.") }, "|xy.ab.",
	  0, 0, 0, 0, 0, 1, false },
	{ "gap_jump_past_flow_cap", 1000, { .flow_cap = 16 },
	  { S(), D(0, "ab"), D(20, "zz.") }, "|zz.", 0, 0, 1, 18, 2, 0,
	  false },
	{ "gap_at_max_ooo", 1000, { .max_ooo = 2 },
	  { S(), D(5, "c."), D(7, "d."), D(9, "e.") }, "|c.d.e.", 2, 0, 1,
	  5, 0, 0, false },
	{ "gap_at_finish", 1000, { 0 },
	  { S(), D(0, "ab"), D(5, "cd."), D(8, "e") }, "|cd.", 2, 0, 1, 3, 3,
	  0, true },
	{ "rst_ends_flow", 1000, { 0 },
	  { S(), D(0, "ab"), { "R", 2, NULL, 0 }, D(0, "ab") }, "", 0, 2, 0,
	  0, 2, 0, false },
	{ "rst_delivers_held_data", 1000, { 0 },
	  { S(), D(4, "cd."), { "R", 0, NULL, 0 } }, "|cd.", 1, 0, 1, 4, 0,
	  0, false },
	{ "fin_closes", 1000, { 0 },
	  { S(), D(0, "ab.x"), { "F", 4, NULL, 0 }, D(0, "ab.x") }, "ab.",
	  0, 4, 0, 0, 1, 0, false },
	{ "fin_out_of_order_waits", 1000, { 0 },
	  { S(), { "F", 3, "cd.", 0 }, D(0, "ab.") }, "ab.cd.", 1, 0, 0, 0,
	  0, 0, false },
	{ "port_reuse_after_fin", 1000, { 0 },
	  { S(), D(0, "ab."), { "F", 3, NULL, 0 }, { "S", 99999, NULL, 0 },
	    D(100000, "cd.") }, "ab.cd.", 0, 0, 0, 0, 0, 0, false },
	{ "data_after_close_is_new_stream", 1000, { 0 },
	  { S(), D(0, "ab."), { "F", 3, NULL, 0 }, D(50, "cd.") },
	  "ab.|cd.", 0, 0, 0, 0, 0, 1, false },
	{ "far_behind_is_new_stream", 1000, { 0 },
	  { S(), D(0, "ab."), D(-((int64_t)1 << 30), "cd.") }, "ab.|cd.", 0,
	  0, 0, 0, 0, 1, false },
	{ "idle_expiry_with_hole", 1000, { 0 },
	  { S(), D(0, "ab"), D(4, "d."), { "", 2000, NULL, 1000 } }, "|d.",
	  1, 0, 1, 2, 2, 0, false },
};

static void run_case(const struct tcp_case *c)
{
	struct toy y = { .n = 0 };
	struct ss_tcp *t = ss_tcp_new(&c->lim, toy_consume, &y);
	struct ss_pktinfo pi;
	print_message("  %s\n", c->name);
	pi_make(&pi, 5060, 5060);
	for (size_t i = 0; i < 10 && (c->s[i].flags || c->s[i].data); i++)
		offer(t, &pi, c->isn, &c->s[i]);
	if (c->finish)
		ss_tcp_finish(t);
	const struct ss_tcp_stats *st = ss_tcp_stats(t);
	assert_string_equal(y.out, c->want);
	assert_int_equal(st->out_of_order, c->ooo);
	assert_int_equal(st->retrans_bytes, c->retrans);
	assert_int_equal(st->gaps, c->gaps);
	assert_int_equal(st->lost_bytes, c->lost);
	assert_int_equal(st->abandoned_bytes + st->cap_dropped, c->abandoned);
	assert_int_equal(st->midstream, c->midstream);
	ss_tcp_free(t);
}

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i]);
}

/* Capture time decides expiry, checked when any segment arrives. */
static void test_idle_timeout(void **state)
{
	struct toy y = { .n = 0 };
	struct ss_tcp_limits lim = { .idle_ns = 10 * SEC };
	struct ss_tcp *t = ss_tcp_new(&lim, toy_consume, &y);
	struct ss_pktinfo a, b;
	(void)state;
	pi_make(&a, 1111, 5060);
	pi_make(&b, 2222, 5060);
	offer(t, &a, 1, &(struct seg){ "S", -1, NULL, 0 });
	offer(t, &a, 1, &(struct seg){ "", 0, "half", 0 });
	offer(t, &b, 1, &(struct seg){ "", 0, "x", 10 });
	assert_int_equal(ss_tcp_flow_count(t), 2);
	assert_int_equal(ss_tcp_stats(t)->flows_timed_out, 0);
	offer(t, &b, 1, &(struct seg){ "", 1, "y", 11 });
	assert_int_equal(ss_tcp_flow_count(t), 1);
	assert_int_equal(ss_tcp_stats(t)->flows_timed_out, 1);
	assert_int_equal(ss_tcp_stats(t)->abandoned_bytes, 4);
	/* the expired flow comes back as a mid-stream join */
	offer(t, &a, 1, &(struct seg){ "", 4, "more.", 12 });
	assert_string_equal(y.out, "||more.");	/* b joined mid-stream too */
	ss_tcp_free(t);
}

/* A consumer that never consumes fills the per-flow cap: the overflow is
 * dropped and counted, and the stream goes on after a gap. */
static size_t hold_all(void *user, const struct ss_pktinfo *pi,
		       struct ss_tcp_chunk *c)
{
	uint64_t *calls = user;
	(void)pi;
	(*calls)++;
	c->after_gap = false;
	return 0;
}

static void test_flow_cap(void **state)
{
	uint64_t calls = 0;
	struct ss_tcp_limits lim = { .flow_cap = 4096 };
	struct ss_tcp *t = ss_tcp_new(&lim, hold_all, &calls);
	struct ss_pktinfo pi;
	char chunk[1001];
	(void)state;
	memset(chunk, 'x', 1000);
	chunk[1000] = '\0';
	pi_make(&pi, 1, 2);
	offer(t, &pi, 7, &(struct seg){ "S", -1, NULL, 0 });
	for (int i = 0; i < 5; i++)
		offer(t, &pi, 7, &(struct seg){ "", i * 1000, chunk, 0 });
	const struct ss_tcp_stats *st = ss_tcp_stats(t);
	assert_int_equal(st->cap_dropped, 5000);
	assert_true(ss_tcp_mem_used(t) <= 4096 + 64 * sizeof(void *) +
		    ss_tcp_flow_cost());
	/* out-of-order data counts against the same cap */
	for (int i = 0; i < 8; i++)
		offer(t, &pi, 7, &(struct seg){ "", 6000 + i * 1000, chunk,
						0 });
	assert_true(st->gaps >= 1);
	ss_tcp_free(t);
}

/* The memory cap evicts the flows idle the longest; the table never goes
 * over it. max_flows evicts the same way. */
static void test_mem_cap_and_eviction(void **state)
{
	struct toy y = { .n = 0 };
	size_t cap = 64 * sizeof(void *) + 10 * ss_tcp_flow_cost() + 8192;
	struct ss_tcp_limits lim = { .mem_cap = cap, .max_flows = 8 };
	struct ss_tcp *t = ss_tcp_new(&lim, toy_consume, &y);
	(void)state;
	for (uint16_t port = 1; port <= 40; port++) {
		struct ss_pktinfo pi;
		pi_make(&pi, port, 5060);
		offer(t, &pi, 1, &(struct seg){ "S", -1, NULL, port });
		offer(t, &pi, 1, &(struct seg){ "", 0, "unfinished", port });
		assert_true(ss_tcp_mem_used(t) <= cap);
		assert_true(ss_tcp_flow_count(t) <= 8);
	}
	const struct ss_tcp_stats *st = ss_tcp_stats(t);
	assert_int_equal(st->flows, 40);
	assert_true(ss_tcp_flow_count(t) >= 2);
	assert_int_equal(st->flows_evicted, 40 - ss_tcp_flow_count(t));
	assert_int_equal(st->abandoned_bytes, st->flows_evicted * 10);
	ss_tcp_finish(t);
	assert_int_equal(ss_tcp_flow_count(t), 0);
	assert_int_equal(ss_tcp_mem_used(t), 64 * sizeof(void *));
	ss_tcp_free(t);
}

/* Thousands of flows, each with buffered and held data, freed without a
 * finish: LeakSanitizer checks that nothing stays behind. */
static void test_many_flows(void **state)
{
	struct toy y = { .n = 0 };
	struct ss_tcp *t = ss_tcp_new(NULL, toy_consume, &y);
	(void)state;
	for (uint32_t i = 0; i < 5000; i++) {
		struct ss_pktinfo pi;
		pi_make(&pi, (uint16_t)(1024 + i), 5060);
		pi.src.ip[2] = (uint8_t)(i >> 8);
		offer(t, &pi, i * 7919u, &(struct seg){ "S", -1, NULL, 0 });
		offer(t, &pi, i * 7919u, &(struct seg){ "", 0, "abc", 0 });
		offer(t, &pi, i * 7919u, &(struct seg){ "", 9, "held", 0 });
	}
	assert_int_equal(ss_tcp_flow_count(t), 5000);
	assert_int_equal(ss_tcp_stats(t)->out_of_order, 5000);
	ss_tcp_free(t);
}

/* ---- part two: SIP through the whole pipeline ------------------------- */

#define INVITE_BODY "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\n" \
	"c=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
#define INVITE "INVITE sip:bob@10.0.0.2 SIP/2.0\r\n" \
	"Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n" \
	"From: <sip:alice@10.0.0.1>;tag=1\r\nTo: <sip:bob@10.0.0.2>\r\n" \
	"Call-ID: inv-1\r\nCSeq: 1 INVITE\r\n" \
	"Content-Type: application/sdp\r\nContent-Length: 85\r\n\r\n" \
	INVITE_BODY
#define OPTIONS(id) "OPTIONS sip:bob@10.0.0.2 SIP/2.0\r\n" \
	"Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK" id "\r\n" \
	"From: <sip:alice@10.0.0.1>;tag=2\r\nTo: <sip:bob@10.0.0.2>\r\n" \
	"Call-ID: opt-" id "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
#define OK200 "SIP/2.0 200 OK\r\n" \
	"Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n" \
	"From: <sip:alice@10.0.0.1>;tag=1\r\nTo: <sip:bob@10.0.0.2>;tag=9\r\n" \
	"Call-ID: inv-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"

struct got {
	size_t n;
	char call_id[16][32];
	uint64_t frame[16];
	const char *malformed[16];
};

static void collect(void *user, const struct ss_sip_event *ev)
{
	struct got *g = user;
	assert_true(g->n < 16);
	assert_string_equal(ev->transport, "TCP");
	size_t l = ev->msg->call_id.len < 31 ? ev->msg->call_id.len : 31;
	memcpy(g->call_id[g->n], ev->msg->call_id.p, l);
	g->call_id[g->n][l] = '\0';
	g->frame[g->n] = ev->pi->frame;
	g->malformed[g->n] = ev->msg->malformed;
	g->n++;
}

/* One Ethernet + IPv4 + TCP frame, 10.0.0.1:sport -> 10.0.0.2:5060. */
static void send_seg(struct ss_pipeline *pl, uint64_t frame, uint16_t sport,
		     uint8_t flags, uint32_t seq, const void *data, size_t n)
{
	uint8_t f[1600] = { 0 };
	struct guard g = { 0 };
	assert_true(n <= sizeof f - 54);
	f[12] = 0x08;				/* IPv4 */
	uint8_t *ip = f + 14, *tcp = f + 34;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((40 + n) >> 8);
	ip[3] = (uint8_t)(40 + n);
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 10; ip[15] = 1;
	ip[16] = 10; ip[19] = 2;
	tcp[0] = (uint8_t)(sport >> 8);
	tcp[1] = (uint8_t)sport;
	tcp[2] = 0x13;
	tcp[3] = 0xC4;				/* 5060 */
	for (int i = 0; i < 4; i++)
		tcp[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
	tcp[12] = 0x50;
	tcp[13] = flags;
	if (n)
		memcpy(tcp + 20, data, n);
	struct ss_frame fr = {
		.data = guard_copy(&g, f, 54 + n), .caplen = 54 + n,
		.wirelen = 54 + n, .ts_ns = (int64_t)frame * SEC, .dlt = 1,
	};
	ss_pipeline_frame(pl, &fr, frame);
	guard_release(&g);
}

static void send_str(struct ss_pipeline *pl, uint64_t frame, uint32_t seq,
		     const char *s, size_t n)
{
	send_seg(pl, frame, 40000, SS_TCP_ACK | SS_TCP_PSH, seq, s, n);
}

static void syn(struct ss_pipeline *pl, uint32_t isn)
{
	send_seg(pl, 1, 40000, SS_TCP_SYN, isn, NULL, 0);
}

struct sip_case {
	const char *name;
	const char *stream;	/* the bytes the sender wrote */
	size_t cuts[6];		/* segment boundaries, ascending, 0-ended */
	bool with_syn;
	size_t skip_first;	/* bytes of the stream before the capture */
	const char *want[4];	/* Call-IDs emitted, in order */
	uint64_t want_frame[4];	/* frame that completed each */
	uint64_t incomplete, not_sip;
};

static const struct sip_case sip_cases[] = {
	{ "one_message", INVITE, { 0 }, true, 0, { "inv-1" }, { 2 }, 0, 0 },
	{ "three_in_one_segment", OPTIONS("a") INVITE OK200, { 0 }, true, 0,
	  { "opt-a", "inv-1", "inv-1" }, { 2, 2, 2 }, 0, 0 },
	{ "body_split", INVITE OK200, { 300, 0 }, true, 0,
	  { "inv-1", "inv-1" }, { 3, 3 }, 0, 0 },
	{ "header_split_then_two", INVITE OK200, { 40, 200, 0 }, true, 0,
	  { "inv-1", "inv-1" }, { 4, 4 }, 0, 0 },
	{ "keepalive_crlf_between", "\r\n\r\n" OPTIONS("k") "\r\n\r\n",
	  { 4, 0 }, true, 0, { "opt-k" }, { 3 }, 0, 0 },
	{ "incomplete_at_end", OPTIONS("b") "INVITE sip:x SIP/2.0\r\nCall",
	  { 0 }, true, 0, { "opt-b" }, { 2 }, 1, 0 },
	{ "midstream_inside_body", INVITE OPTIONS("c"), { 0 }, false, 260,
	  { "opt-c" }, { 2 }, 0, 0 },
	{ "midstream_at_boundary", OPTIONS("d") OPTIONS("e"), { 0 }, false,
	  0, { "opt-d", "opt-e" }, { 2, 2 }, 0, 0 },
	{ "http_on_5060_ignored", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"
	  OPTIONS("f"), { 10, 0 }, true, 0, { NULL }, { 0 }, 0, 1 },
	{ "binary_ignored", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
	  { 0 }, true, 0, { NULL }, { 0 }, 0, 1 },
	{ "start_line_split", OPTIONS("g"), { 3, 9, 0 }, true, 0,
	  { "opt-g" }, { 4 }, 0, 0 },
};

static void run_sip_case(const struct sip_case *c)
{
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	const uint32_t isn = 0xFFFFFF00u;	/* wraps inside the stream */
	size_t len = strlen(c->stream), from = c->skip_first;
	uint64_t frame = 2;
	print_message("  %s\n", c->name);
	ss_pipeline_init(&pl, collect, &g);
	if (c->with_syn)
		syn(&pl, isn);
	for (size_t i = 0; i <= 6; i++) {
		size_t to = i < 6 && c->cuts[i] ? c->cuts[i] : len;
		if (to > from)
			send_str(&pl, frame++, isn + 1 + (uint32_t)from,
				 c->stream + from, to - from);
		from = to;
		if (to == len)
			break;
	}
	ss_pipeline_finish(&pl);
	size_t want = 0;
	while (want < 4 && c->want[want])
		want++;
	assert_int_equal(g.n, want);
	for (size_t i = 0; i < want; i++) {
		assert_string_equal(g.call_id[i], c->want[i]);
		assert_int_equal(g.frame[i], c->want_frame[i]);
		assert_null(g.malformed[i]);
	}
	assert_int_equal(pl.st.tcp_incomplete, c->incomplete);
	assert_int_equal(pl.st.tcp_not_sip, c->not_sip);
	ss_pipeline_free(&pl);
}

static void test_sip_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof sip_cases / sizeof sip_cases[0]; i++)
		run_sip_case(&sip_cases[i]);
}

/* Every split point of a message with a body (and of the message after
 * it): exactly two messages, each emitted by the segment completing it. */
static void test_every_split_point(void **state)
{
	static const char s[] = INVITE OK200;
	const size_t len = sizeof s - 1, inv = sizeof INVITE - 1;
	(void)state;
	for (size_t k = 1; k < len; k++) {
		struct got g = { .n = 0 };
		struct ss_pipeline pl;
		ss_pipeline_init(&pl, collect, &g);
		syn(&pl, 77);
		send_str(&pl, 2, 78, s, k);
		send_str(&pl, 3, 78 + (uint32_t)k, s + k, len - k);
		ss_pipeline_finish(&pl);
		assert_int_equal(g.n, 2);
		assert_int_equal(g.frame[0], k >= inv ? 2 : 3);
		assert_int_equal(g.frame[1], 3);
		assert_int_equal(pl.st.tcp_incomplete, 0);
		ss_pipeline_free(&pl);
	}
}

/* A lost segment in the middle of the INVITE: the INVITE is counted
 * incomplete, the hole lost, and the OPTIONS after it is found again. */
static void test_gap_resync(void **state)
{
	static const char s[] = INVITE OPTIONS("r");
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	(void)state;
	ss_pipeline_init(&pl, collect, &g);
	syn(&pl, 1000);
	send_str(&pl, 2, 1001, s, 100);
	send_str(&pl, 3, 1001 + 300, s + 300, sizeof s - 1 - 300);
	assert_int_equal(g.n, 0);
	ss_pipeline_finish(&pl);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.call_id[0], "opt-r");
	assert_int_equal(ss_tcp_stats(pl.tcp)->gaps, 1);
	assert_int_equal(ss_tcp_stats(pl.tcp)->lost_bytes, 200);
	assert_int_equal(pl.st.tcp_incomplete, 1);
	assert_int_equal(pl.st.tcp_incomplete_bytes, 100);
	assert_int_equal(pl.st.tcp_resync_bytes, sizeof INVITE - 1 - 300);
	ss_pipeline_free(&pl);
}

/* A retransmitted segment must not give a second copy of its message. */
static void test_retransmission_not_double(void **state)
{
	static const char s[] = OPTIONS("x") OPTIONS("y");
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	(void)state;
	ss_pipeline_init(&pl, collect, &g);
	syn(&pl, 5);
	send_str(&pl, 2, 6, s, 150);
	send_str(&pl, 3, 6, s, sizeof s - 1);		/* overlaps */
	send_str(&pl, 4, 6, s, sizeof s - 1);		/* exact */
	ss_pipeline_finish(&pl);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.frame[0], 3);
	assert_int_equal(ss_tcp_stats(pl.tcp)->retrans_bytes,
			 150 + sizeof s - 1);
	ss_pipeline_free(&pl);
}

/* An absurd Content-Length is not waited for: the message is emitted
 * flagged, and the next real message is still found. */
static void test_absurd_content_length(void **state)
{
	static const char s[] = "MESSAGE sip:bob@x SIP/2.0\r\n"
		"Call-ID: big\r\nCSeq: 1 MESSAGE\r\nFrom: <sip:a@x>;tag=1\r\n"
		"To: <sip:b@x>\r\nVia: SIP/2.0/TCP x;branch=z9hG4bK3\r\n"
		"Content-Length: 99999999\r\n\r\nhello\r\n" OPTIONS("z");
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	(void)state;
	ss_pipeline_init(&pl, collect, &g);
	syn(&pl, 5);
	send_str(&pl, 2, 6, s, 200);
	send_str(&pl, 3, 206, s + 200, sizeof s - 1 - 200);
	ss_pipeline_finish(&pl);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.call_id[0], "big");
	assert_non_null(g.malformed[0]);
	assert_string_equal(g.call_id[1], "opt-z");
	assert_int_equal(pl.st.tcp_oversized, 1);
	ss_pipeline_free(&pl);
}

/* A non-SIP flow costs no buffer: its bytes are dropped as they come. */
static void test_non_sip_not_buffered(void **state)
{
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	char junk[1000];
	(void)state;
	memset(junk, 'A', sizeof junk);
	memcpy(junk, "HTTP/1.1 200 OK\r\n", 17);
	ss_pipeline_init(&pl, collect, &g);
	syn(&pl, 5);
	for (uint32_t i = 0; i < 50; i++)
		send_str(&pl, 2 + i, 6 + i * 1000, junk, sizeof junk);
	assert_int_equal(pl.st.tcp_not_sip, 1);
	assert_true(ss_tcp_mem_used(pl.tcp) < 4096);
	ss_pipeline_finish(&pl);
	assert_int_equal(g.n, 0);
	ss_pipeline_free(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_idle_timeout),
		cmocka_unit_test(test_flow_cap),
		cmocka_unit_test(test_mem_cap_and_eviction),
		cmocka_unit_test(test_many_flows),
		cmocka_unit_test(test_sip_cases),
		cmocka_unit_test(test_every_split_point),
		cmocka_unit_test(test_gap_resync),
		cmocka_unit_test(test_retransmission_not_double),
		cmocka_unit_test(test_absurd_content_length),
		cmocka_unit_test(test_non_sip_not_buffered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
