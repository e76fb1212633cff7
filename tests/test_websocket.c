/*
 * test_websocket.c - WebSocket framing (dissectors/websocket.c) and SIP
 * over WebSocket on the reassembled TCP stream (src/pipeline.c, RFC 7118).
 *
 * Part one: named tables for the frame header, for units (a control frame,
 * or a message over continuation frames) and for the upgrade handshake,
 * each input placed by guard_copy() to end at an unreadable page.
 *
 * Part two builds Ethernet + IPv4 + TCP frames, client 10.0.0.1:40000 <->
 * server 10.0.0.2:8080, and runs them through the whole pipeline: a call
 * after a handshake, every split point of the client's stream, a close,
 * an oversized frame, a bad opcode, a mid-stream join.
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
#include "websocket.h"

#define SEC ((int64_t)1000000000)
#define NONE 0xFFFFFFFFu

/* ---- building frames --------------------------------------------------- */

struct buf {
	uint8_t b[8192];
	size_t n;
};

static const uint8_t KEY[4] = { 0x37, 0xfa, 0x21, 0x3d };	/* RFC 6455 5.7 */

static void put(struct buf *o, const void *p, size_t n)
{
	assert_true(o->n + n <= sizeof o->b);
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static void puts_(struct buf *o, const char *s)
{
	put(o, s, strlen(s));
}

/* One frame; wide picks the length encoding (0: shortest, 16, 64). */
static void frame(struct buf *o, bool fin, uint8_t op, bool masked,
		  const char *payload, int wide)
{
	size_t n = strlen(payload);
	uint8_t h[14];
	size_t hn = 2;
	h[0] = (uint8_t)((fin ? 0x80 : 0) | op);
	if (wide == 64 || (!wide && n > 0xFFFF)) {
		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
		hn = 10;
	} else if (wide == 16 || n > 125) {
		h[1] = 126;
		h[2] = (uint8_t)(n >> 8);
		h[3] = (uint8_t)n;
		hn = 4;
	} else {
		h[1] = (uint8_t)n;
	}
	if (masked) {
		h[1] |= 0x80;
		memcpy(h + hn, KEY, 4);
		hn += 4;
	}
	put(o, h, hn);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = (uint8_t)payload[i] ^ (masked ? KEY[i & 3] : 0);
		put(o, &c, 1);
	}
}

#define MSG(method, id) method " sip:bob@example.com SIP/2.0\r\n" \
	"Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK" id "\r\n" \
	"From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>\r\n" \
	"Call-ID: " id "\r\nCSeq: 1 " method "\r\nContent-Length: 0\r\n\r\n"
#define RESP(code, id) "SIP/2.0 " code "\r\n" \
	"Via: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK" id "\r\n" \
	"From: <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>;tag=b\r\n" \
	"Call-ID: " id "\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"
#define GET_HEAD(proto) "GET / HTTP/1.1\r\nHost: example.com\r\n" \
	"Upgrade: websocket\r\nConnection: Upgrade\r\n" \
	"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" proto \
	"Sec-WebSocket-Version: 13\r\n\r\n"
#define PROTO_SIP "Sec-WebSocket-Protocol: sip\r\n"
#define RESP_HEAD "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n" \
	"Connection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n" \
	"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"

/* ---- part one: tables --------------------------------------------------- */

struct hdr_case {
	const char *name;
	const char *in;
	size_t len;
	long rc;
	uint8_t opcode;
	bool fin, masked;
	uint64_t plen;
	uint8_t rsv;
};

#define H(name, s, rc, op, fin, m, plen, rsv) \
	{ name, s, sizeof s - 1, rc, op, fin, m, plen, rsv }

static const struct hdr_case hdr_cases[] = {
	H("text_7bit", "\x81\x05hello", 2, 1, true, false, 5, 0),
	H("masked_7bit", "\x81\x85\x37\xfa\x21\x3d", 6, 1, true, true, 5, 0),
	H("binary_16bit", "\x82\x7e\x01\x00", 4, 2, true, false, 256, 0),
	H("binary_64bit", "\x02\x7f\0\0\0\0\0\x01\0\0", 10, 2, false, false,
	  65536, 0),
	H("masked_64bit", "\x82\xff\0\0\0\x01\0\0\0\0\1\2\3\4", 14, 2, true,
	  true, (uint64_t)1 << 32, 0),
	H("rsv_reported", "\xc1\x00", 2, 1, true, false, 0, 4),
	H("ping", "\x89\x00", 2, 9, true, false, 0, 0),
	H("close_125", "\x88\x7d", 2, 8, true, false, 125, 0),
	H("len64_top_bit", "\x82\x7f\x80\0\0\0\0\0\0\0", WS_PARSE_BAD, 2,
	  true, false, 0, 0),
	H("opcode_3", "\x83\x00", WS_PARSE_BAD, 3, true, false, 0, 0),
	H("opcode_b", "\x8b\x00", WS_PARSE_BAD, 0xb, true, false, 0, 0),
	H("control_fragmented", "\x09\x00", WS_PARSE_BAD, 9, false, false, 0, 0),
	H("control_126", "\x8a\x7e\x00\x7e", WS_PARSE_BAD, 10, true, false,
	  126, 0),
	H("empty", "", WS_PARSE_PARTIAL, 0, false, false, 0, 0),
	H("one_byte", "\x81", WS_PARSE_PARTIAL, 1, true, false, 0, 0),
	H("half_len16", "\x81\x7e\x01", WS_PARSE_PARTIAL, 1, true, false, 0, 0),
	H("half_len64", "\x81\x7f\0\0\0\0\0", WS_PARSE_PARTIAL, 1, true, false,
	  0, 0),
	H("half_key", "\x81\x85\x37\xfa", WS_PARSE_PARTIAL, 1, true, true, 5, 0),
};

static void test_frame_header(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof hdr_cases / sizeof hdr_cases[0]; i++) {
		const struct hdr_case *c = &hdr_cases[i];
		struct guard g = { 0 };
		struct ws_frame f;
		print_message("  %s\n", c->name);
		long rc = ws_frame_header(guard_copy(&g, c->in, c->len), c->len,
					  &f);
		assert_int_equal(rc, c->rc);
		if (rc == WS_PARSE_BAD)
			assert_non_null(f.why);
		if (c->len)
			assert_int_equal(f.opcode, c->opcode);
		if (rc > 0) {
			assert_int_equal(f.fin, c->fin);
			assert_int_equal(f.masked, c->masked);
			assert_true(f.len == c->plen);
			assert_int_equal(f.rsv, c->rsv);
			assert_int_equal(f.head, rc);
		}
		guard_release(&g);
	}
}

/* Units: each case builds its bytes with frame(). */
struct unit_case {
	const char *name;
	void (*build)(struct buf *o);
	size_t max;
	long rc;		/* 0: the whole buffer */
	const char *payload;	/* gathered, when delivered */
	unsigned frames, control;
	uint64_t skip;		/* WS_PARSE_SKIP */
	bool discard, too_big;
};

static void b_text(struct buf *o)
{
	frame(o, true, WS_OP_TEXT, true, "OPTIONS", 0);
}

static void b_frag_ping(struct buf *o)
{
	frame(o, false, WS_OP_TEXT, true, "INV", 0);
	frame(o, true, WS_OP_PING, true, "are you there", 0);
	frame(o, false, WS_OP_CONT, true, "ITE ", 16);
	frame(o, true, WS_OP_PONG, false, "", 0);
	frame(o, true, WS_OP_CONT, true, "sip:x", 64);
}

static void b_frag_open(struct buf *o)
{
	frame(o, false, WS_OP_TEXT, true, "INV", 0);
	frame(o, true, WS_OP_PING, true, "", 0);
}

static void b_orphan(struct buf *o)
{
	frame(o, false, WS_OP_CONT, false, "tail", 0);
}

static void b_big(struct buf *o)
{
	frame(o, true, WS_OP_BINARY, false, "0123456789abcdefXYZ", 0);
}

static void b_huge_len(struct buf *o)
{
	put(o, "\x82\x7f\0\0\x01\0\0\0\0\0", 10);	/* 2^40 bytes */
}

static void b_rsv(struct buf *o)
{
	put(o, "\xc1\x03" "abc", 5);
}

static void b_cut(struct buf *o)
{
	frame(o, false, WS_OP_TEXT, false, "first", 0);
	frame(o, true, WS_OP_TEXT, false, "second", 0);
}

static void b_bad_middle(struct buf *o)
{
	frame(o, false, WS_OP_TEXT, false, "first", 0);
	put(o, "\x84\x00", 2);
}

static void b_close(struct buf *o)
{
	frame(o, true, WS_OP_CLOSE, true, "\x03\xe8" "bye", 0);
}

static const struct unit_case unit_cases[] = {
	{ "text_masked", b_text, 1024, 0, "OPTIONS", 1, 0, 0, false, false },
	{ "fragments_with_ping_pong", b_frag_ping, 1024, 0, "INVITE sip:x",
	  3, 2, 0, false, false },
	{ "fragments_unfinished", b_frag_open, 1024, WS_PARSE_PARTIAL, NULL,
	  1, 1, 0, false, false },
	{ "close", b_close, 1024, 0, NULL, 0, 1, 0, false, false },
	{ "orphan_continuation", b_orphan, 1024, WS_PARSE_SKIP, NULL, 1, 0, 6,
	  true, false },
	{ "over_cap", b_big, 16, WS_PARSE_SKIP, NULL, 1, 0, 21, false, true },
	{ "huge_length_not_waited", b_huge_len, 1024, WS_PARSE_SKIP, NULL, 1,
	  0, ((uint64_t)1 << 40) + 10, false, true },
	{ "rsv_compressed", b_rsv, 1024, WS_PARSE_SKIP, NULL, 1, 0, 5, false,
	  false },
	{ "cut_by_new_message", b_cut, 1024, WS_PARSE_SKIP, NULL, 1, 0, 7,
	  false, false },
	{ "bad_opcode_inside", b_bad_middle, 1024, WS_PARSE_BAD, NULL, 1, 0, 0,
	  false, false },
};

static void run_unit_case(const struct unit_case *c)
{
	struct buf o = { .n = 0 };
	struct guard g = { 0 };
	struct ws_unit u;
	uint8_t out[256];
	print_message("  %s\n", c->name);
	c->build(&o);
	const uint8_t *p = guard_copy(&g, o.b, o.n);
	long rc = ws_walk(p, o.n, c->max, &u);
	assert_int_equal(rc, c->rc ? c->rc : (long)o.n);
	assert_int_equal(u.frames, c->frames);
	assert_int_equal(u.control, c->control);
	if (rc == WS_PARSE_SKIP) {
		assert_true(u.skip == c->skip);
		assert_int_equal(u.discard, c->discard);
		assert_int_equal(u.too_big, c->too_big);
	}
	if (rc < 0 && rc != WS_PARSE_PARTIAL)
		assert_non_null(u.why);
	if (rc > 0 && c->payload) {
		assert_int_equal(u.payload, strlen(c->payload));
		ws_gather(p, (size_t)rc, out);
		assert_memory_equal(out, c->payload, u.payload);
	}
	/* every proper prefix of a unit is partial (or already judged) */
	for (size_t k = 0; rc > 0 && k < o.n; k++) {
		struct guard g2 = { 0 };
		long r = ws_walk(guard_copy(&g2, o.b, k), k, c->max, &u);
		assert_int_equal(r, WS_PARSE_PARTIAL);
		guard_release(&g2);
	}
	guard_release(&g);
}

static void test_units(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof unit_cases / sizeof unit_cases[0]; i++)
		run_unit_case(&unit_cases[i]);
}

struct hs_case {
	const char *name;
	const char *in;
	int start;		/* ws_handshake_start */
	long rc;		/* 0: the whole input */
	bool request, protocol, sip;
};

static const struct hs_case hs_cases[] = {
	{ "request_sip", GET_HEAD(PROTO_SIP), 1, 0, true, true, true },
	{ "request_no_protocol", GET_HEAD(""), 1, 0, true, false, false },
	{ "request_case_and_list", "GET /ws HTTP/1.1\nupgrade: WebSocket\n"
	  "sec-websocket-protocol: msrp, SIP\n\n", 1, 0, true, true, true },
	{ "request_other_protocol", GET_HEAD("Sec-WebSocket-Protocol: xmpp\r\n"),
	  1, 0, true, true, false },
	{ "response_101", RESP_HEAD, 1, 0, false, true, true },
	{ "partial_head", "GET / HTTP/1.1\r\nUpgrade: websocket\r\n", 1,
	  WS_PARSE_PARTIAL, true, false, false },
	{ "plain_http_get", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 1,
	  WS_PARSE_BAD, true, false, false },
	{ "http_1_0", "GET / HTTP/1.0\r\nUpgrade: websocket\r\n\r\n", 1,
	  WS_PARSE_BAD, false, false, false },
	{ "response_200", "HTTP/1.1 200 OK\r\n\r\n", 0, WS_PARSE_BAD, false,
	  false, false },
	{ "too_short_to_say", "HTTP/1.1", WS_PARSE_PARTIAL, WS_PARSE_PARTIAL,
	  false, false, false },
	{ "sip_request", MSG("OPTIONS", "x"), 0, WS_PARSE_BAD, false, false,
	  false },
};

static void test_handshake(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof hs_cases / sizeof hs_cases[0]; i++) {
		const struct hs_case *c = &hs_cases[i];
		struct guard g = { 0 };
		struct ws_handshake hs;
		size_t n = strlen(c->in);
		print_message("  %s\n", c->name);
		const uint8_t *p = guard_copy(&g, c->in, n);
		assert_int_equal(ws_handshake_start(p, n), c->start);
		long rc = ws_handshake_parse(p, n, &hs);
		assert_int_equal(rc, c->rc ? c->rc : (long)n);
		if (rc == WS_PARSE_BAD)
			assert_non_null(hs.why);
		if (rc > 0) {
			assert_int_equal(hs.request, c->request);
			assert_int_equal(hs.protocol, c->protocol);
			assert_int_equal(hs.sip, c->sip);
		}
		guard_release(&g);
	}
}

/* ---- part two: through the pipeline ------------------------------------ */

struct got {
	size_t n;
	char call_id[16][40];
	uint64_t frame[16];
	const char *malformed[16];
	const char *transport;
};

static void collect(void *user, const struct ss_sip_event *ev)
{
	struct got *g = user;
	assert_true(g->n < 16);
	size_t l = ev->msg->call_id.len < 39 ? ev->msg->call_id.len : 39;
	memcpy(g->call_id[g->n], ev->msg->call_id.p, l);
	g->call_id[g->n][l] = '\0';
	g->frame[g->n] = ev->pi->frame;
	g->malformed[g->n] = ev->msg->malformed;
	g->transport = ev->transport;
	g->n++;
}

/* One Ethernet + IPv4 + TCP frame; client 10.0.0.1:40000 -> server
 * 10.0.0.2:8080 (or the reverse). */
static void send_seg(struct ss_pipeline *pl, uint64_t frame_no, bool to_srv,
		     uint8_t flags, uint32_t seq, const void *data, size_t n)
{
	uint8_t f[1600] = { 0 };
	struct guard g = { 0 };
	assert_true(n <= sizeof f - 54);
	f[12] = 0x08;
	uint8_t *ip = f + 14, *tcp = f + 34;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((40 + n) >> 8);
	ip[3] = (uint8_t)(40 + n);
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 10; ip[15] = to_srv ? 1 : 2;
	ip[16] = 10; ip[19] = to_srv ? 2 : 1;
	uint16_t sport = to_srv ? 40000 : 8080, dport = to_srv ? 8080 : 40000;
	tcp[0] = (uint8_t)(sport >> 8);
	tcp[1] = (uint8_t)sport;
	tcp[2] = (uint8_t)(dport >> 8);
	tcp[3] = (uint8_t)dport;
	for (int i = 0; i < 4; i++)
		tcp[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
	tcp[12] = 0x50;
	tcp[13] = flags;
	if (n)
		memcpy(tcp + 20, data, n);
	struct ss_frame fr = {
		.data = guard_copy(&g, f, 54 + n), .caplen = 54 + n,
		.wirelen = 54 + n, .ts_ns = (int64_t)frame_no * SEC, .dlt = 1,
	};
	ss_pipeline_frame(pl, &fr, frame_no);
	guard_release(&g);
}

/* A direction: its ISN and how far it has sent. */
struct dir {
	bool to_srv;
	uint32_t next;
};

static void dir_open(struct ss_pipeline *pl, struct dir *d, bool to_srv,
		     uint32_t isn, uint64_t frame_no)
{
	d->to_srv = to_srv;
	d->next = isn + 1;
	send_seg(pl, frame_no, to_srv, SS_TCP_SYN, isn, NULL, 0);
}

static void dir_send(struct ss_pipeline *pl, struct dir *d, uint64_t frame_no,
		     const void *p, size_t n)
{
	send_seg(pl, frame_no, d->to_srv, SS_TCP_ACK | SS_TCP_PSH, d->next, p,
		 n);
	d->next += (uint32_t)n;
}

static void expect_ids(const struct got *g, const char *const *ids)
{
	size_t n = 0;
	while (ids[n])
		n++;
	assert_int_equal(g->n, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(g->call_id[i], ids[i]);
		assert_null(g->malformed[i]);
	}
}

/* A call after the handshake: masked client frames (one message in two
 * fragments with a ping between), unmasked server frames, then a close. */
static void test_call(void **state)
{
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	struct dir c, s;
	struct buf o = { .n = 0 };
	static const char *const ids[] = { "c1", "c1", "c1", "c1", NULL };
	(void)state;
	ss_pipeline_init(&pl, collect, &g);
	dir_open(&pl, &c, true, 1000, 1);
	dir_open(&pl, &s, false, 5000, 2);
	dir_send(&pl, &c, 3, GET_HEAD(PROTO_SIP), sizeof GET_HEAD(PROTO_SIP) - 1);
	o.n = 0;
	puts_(&o, RESP_HEAD);
	frame(&o, true, WS_OP_TEXT, false, RESP("100 Trying", "c1"), 0);
	dir_send(&pl, &s, 4, o.b, o.n);		/* 101 and a frame together */
	o.n = 0;
	frame(&o, true, WS_OP_TEXT, true, MSG("INVITE", "c1"), 0);
	dir_send(&pl, &c, 5, o.b, o.n);
	o.n = 0;
	frame(&o, false, WS_OP_TEXT, true, "ACK sip:bob@example.com SIP", 0);
	frame(&o, true, WS_OP_PING, true, "", 0);
	frame(&o, true, WS_OP_CONT, true, MSG("ACK", "c1") + 27, 0);
	frame(&o, true, WS_OP_CLOSE, true, "\x03\xe8", 0);
	put(&o, "after", 5);
	dir_send(&pl, &c, 6, o.b, o.n);
	o.n = 0;
	frame(&o, true, WS_OP_TEXT, false, RESP("200 OK", "c1"), 0);
	dir_send(&pl, &s, 7, o.b, o.n);
	ss_pipeline_finish(&pl);
	assert_int_equal(pl.ws.st.handshakes, 2);
	assert_int_equal(pl.ws.st.no_subprotocol, 0);
	/* the INVITE is emitted by frame 5, before the 200 of frame 7 */
	assert_int_equal(g.n, 4);
	assert_int_equal(g.frame[1], 5);
	assert_string_equal(g.transport, "WS");
	expect_ids(&g, ids);
	assert_int_equal(pl.ws.st.messages, 4);
	assert_int_equal(pl.ws.st.frames, 7);
	assert_int_equal(pl.ws.st.control, 2);
	assert_int_equal(pl.ws.st.closes, 1);
	assert_int_equal(pl.ws.st.after_close, 5);
	assert_int_equal(pl.ws.st.bad + pl.ws.st.oversized, 0);
	assert_int_equal(pl.st.tcp_not_sip, 0);
	ss_pipeline_free(&pl);
}

/* The client's whole stream (head, a masked INVITE with a 16-bit length,
 * a message in fragments with a ping, a 64-bit length frame) cut in two at
 * every byte: the same three messages every time, none lost or doubled. */
static void test_every_split_point(void **state)
{
	struct buf o = { .n = 0 };
	static const char *const ids[] = { "s1", "s2", "s3", NULL };
	(void)state;
	puts_(&o, GET_HEAD(""));
	size_t head = o.n;
	frame(&o, true, WS_OP_TEXT, true, MSG("INVITE", "s1"), 16);
	frame(&o, false, WS_OP_TEXT, true, "BYE sip:bob@example.com SIP/2.0\r\n", 0);
	frame(&o, true, WS_OP_PING, true, "p", 0);
	frame(&o, true, WS_OP_CONT, true, MSG("BYE", "s2") + 33, 0);
	frame(&o, true, WS_OP_BINARY, true, MSG("OPTIONS", "s3"), 64);
	for (size_t k = 1; k < o.n; k++) {
		struct got g = { .n = 0 };
		struct ss_pipeline pl;
		struct dir c;
		ss_pipeline_init(&pl, collect, &g);
		dir_open(&pl, &c, true, 0xFFFFFFF0u, 1);	/* seq wraps */
		size_t a = k, b = o.n - k;
		while (a) {	/* segments of at most 1400 bytes */
			size_t n = a < 1400 ? a : 1400;
			dir_send(&pl, &c, 2, o.b + (k - a), n);
			a -= n;
		}
		while (b) {
			size_t n = b < 1400 ? b : 1400;
			dir_send(&pl, &c, 3, o.b + (o.n - b), n);
			b -= n;
		}
		ss_pipeline_finish(&pl);
		expect_ids(&g, ids);
		assert_int_equal(pl.ws.st.handshakes, 1);
		assert_int_equal(pl.ws.st.no_subprotocol, 1);
		assert_int_equal(pl.ws.st.control, 1);
		assert_int_equal(pl.ws.st.incomplete, 0);
		if (k <= head)
			assert_int_equal(g.frame[0], 3);
		ss_pipeline_free(&pl);
	}
}

/* A frame over the 1 MiB cap is skipped (its bytes counted across
 * segments, never buffered), flagged, and the next frame is delivered. */
static void test_oversized(void **state)
{
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	struct dir s;
	struct buf o = { .n = 0 };
	static const char *const ids[] = { "o1", NULL };
	uint8_t junk[1400];
	const uint32_t big = (1u << 20) + 1;
	(void)state;
	memset(junk, 'j', sizeof junk);
	ss_pipeline_init(&pl, collect, &g);
	dir_open(&pl, &s, false, 7, 1);
	puts_(&o, RESP_HEAD);
	put(&o, "\x82\x7f\0\0\0\0", 6);
	uint8_t l[4] = { (uint8_t)(big >> 24), (uint8_t)(big >> 16),
			 (uint8_t)(big >> 8), (uint8_t)big };
	put(&o, l, 4);
	dir_send(&pl, &s, 2, o.b, o.n);
	for (uint32_t left = big; left;) {
		uint32_t n = left < sizeof junk ? left : sizeof junk;
		dir_send(&pl, &s, 3, junk, n);
		left -= n;
	}
	assert_true(ss_tcp_mem_used(pl.tcp) < 8192);
	o.n = 0;
	frame(&o, true, WS_OP_TEXT, false, RESP("200 OK", "o1"), 0);
	dir_send(&pl, &s, 4, o.b, o.n);
	ss_pipeline_finish(&pl);
	expect_ids(&g, ids);
	assert_int_equal(pl.ws.st.oversized, 1);
	assert_int_equal(pl.ws.st.bad, 0);
	ss_pipeline_free(&pl);
}

/* A reserved opcode loses framing: counted, and the next frame carrying a
 * SIP start line is found again. */
static void test_bad_opcode(void **state)
{
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	struct dir c;
	struct buf o = { .n = 0 };
	static const char *const ids[] = { "b2", NULL };
	(void)state;
	ss_pipeline_init(&pl, collect, &g);
	dir_open(&pl, &c, true, 7, 1);
	puts_(&o, GET_HEAD(PROTO_SIP));
	put(&o, "\x83\x85\1\2\3\4junk!", 11);
	frame(&o, true, WS_OP_TEXT, true, MSG("OPTIONS", "b2"), 0);
	dir_send(&pl, &c, 2, o.b, o.n);
	ss_pipeline_finish(&pl);
	expect_ids(&g, ids);
	assert_int_equal(pl.ws.st.bad, 1);
	assert_int_equal(pl.ws.st.resync_bytes, 10);
	ss_pipeline_free(&pl);
}

/* Joined mid-stream (no SYN, no handshake), inside a masked frame: the
 * rest of it is skipped, the next frame (masked) is recognised by the SIP
 * start line of its unmasked payload; the server side (unmasked, starting
 * at a frame) likewise. */
static void test_midstream(void **state)
{
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	struct dir c = { true, 123456 }, s = { false, 999 };
	struct buf o = { .n = 0 };
	static const char *const ids[] = { "m2", "m2", NULL };
	(void)state;
	ss_pipeline_init(&pl, collect, &g);
	frame(&o, true, WS_OP_TEXT, true, MSG("INVITE", "m1"), 0);
	size_t cut = o.n - 100;
	frame(&o, true, WS_OP_TEXT, true, MSG("OPTIONS", "m2"), 0);
	dir_send(&pl, &c, 2, o.b + cut, o.n - cut);
	o.n = 0;
	frame(&o, true, WS_OP_TEXT, false, RESP("200 OK", "m2"), 0);
	dir_send(&pl, &s, 3, o.b, o.n);
	ss_pipeline_finish(&pl);
	expect_ids(&g, ids);
	assert_int_equal(pl.ws.st.midstream, 2);
	assert_int_equal(pl.ws.st.resync_bytes, 100);
	ss_pipeline_free(&pl);
}

/* A plain HTTP GET (no upgrade) is declined like any non-SIP flow. */
static void test_http_declined(void **state)
{
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	struct dir c;
	static const char get[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
	(void)state;
	ss_pipeline_init(&pl, collect, &g);
	dir_open(&pl, &c, true, 7, 1);
	dir_send(&pl, &c, 2, get, 10);
	dir_send(&pl, &c, 3, get + 10, sizeof get - 11);
	ss_pipeline_finish(&pl);
	assert_int_equal(g.n, 0);
	assert_int_equal(pl.st.tcp_not_sip, 1);
	assert_int_equal(pl.ws.st.handshakes, 0);
	ss_pipeline_free(&pl);
}

/* A message that is not SIP (JSON over the same socket) is counted, not
 * shown; a CRLF keep-alive message is neither. */
static void test_not_sip(void **state)
{
	struct got g = { .n = 0 };
	struct ss_pipeline pl;
	struct dir c;
	struct buf o = { .n = 0 };
	(void)state;
	ss_pipeline_init(&pl, collect, &g);
	dir_open(&pl, &c, true, 7, 1);
	puts_(&o, GET_HEAD(PROTO_SIP));
	frame(&o, true, WS_OP_TEXT, true, "{\"hello\":1}", 0);
	frame(&o, true, WS_OP_TEXT, true, "\r\n\r\n", 0);
	frame(&o, true, WS_OP_TEXT, true, "", 0);
	dir_send(&pl, &c, 2, o.b, o.n);
	ss_pipeline_finish(&pl);
	assert_int_equal(g.n, 0);
	assert_int_equal(pl.ws.st.messages, 3);
	assert_int_equal(pl.st.ws_not_sip, 1);
	ss_pipeline_free(&pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_header),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_call),
		cmocka_unit_test(test_every_split_point),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_bad_opcode),
		cmocka_unit_test(test_midstream),
		cmocka_unit_test(test_http_declined),
		cmocka_unit_test(test_not_sip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
