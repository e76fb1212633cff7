/*
 * fuzz_ws.c - libFuzzer target for the WebSocket layer
 * (dissectors/websocket.h) and SIP over WebSocket in the pipeline.
 *
 * Input: a configuration byte C, a size byte M, then the data D.
 *  1. The parsers on D as it is: ws_frame_header, ws_unmask, ws_walk and
 *     ws_gather (into a buffer of exactly the announced size),
 *     ws_handshake_start/ws_handshake_parse, ws_frame_carries_sip.
 *  2. ws_consume on D as one direction of a stream, cut into pieces (as a
 *     reassembler would deliver them: what it leaves is offered again with
 *     the next piece, at most 64 KiB held, the last call final), with a
 *     message cap of 4*M bytes (M = 0: the default). C bit 0: the upgrade
 *     head comes first (WS_ST_HEAD); bit 1: the stream starts after a gap;
 *     bits 2-3: pieces of 1..7, 1..64, 1..1500 bytes, or D whole.
 *  3. The pipeline: a TCP connection whose client sends an upgrade head
 *     (Sec-WebSocket-Protocol: sip) and the server a 101, then D in
 *     segments cut as in 2 from the client. C bit 4: no SYN and no head
 *     (joined mid-stream: the frame heuristic must find the messages);
 *     bit 5: each pair of segments arrives swapped (held out of order);
 *     bit 6: the segments alternate between the two directions; bit 7:
 *     tiny reassembly limits (4 KiB per flow), so caps cut the stream.
 * Besides memory errors it checks the return values against the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "sip.h"
#include "websocket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HOLD_CAP ((size_t)64 << 10)
#define MAX_SEGMENTS 512

static volatile unsigned sink;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_ws: contract broken: %s\n", what);
		abort();
	}
}

static void touch(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sink += p[i];
}

/* ---- 1. the parsers ----------------------------------------------------- */

static void parsers(const uint8_t *d, size_t n, size_t max)
{
	struct ws_frame f;
	long h = ws_frame_header(d, n, &f);
	check(h == WS_PARSE_BAD || h == WS_PARSE_PARTIAL ||
	      (h >= 2 && h <= 14 && (size_t)h <= n && f.head == (size_t)h),
	      "ws_frame_header size");
	if (h > 0) {
		size_t k = n - (size_t)h < f.len ? n - (size_t)h : (size_t)f.len;
		uint8_t *tmp = malloc(k ? k : 1);
		ws_unmask(tmp, d + h, k, f.masked ? f.key : NULL, f.len & 7);
		touch(tmp, k);
		free(tmp);
	}
	struct ws_unit u;
	long r = ws_walk(d, n, max, &u);
	check(r == WS_PARSE_BAD || r == WS_PARSE_PARTIAL ||
	      r == WS_PARSE_SKIP || (r > 0 && (size_t)r <= n),
	      "ws_walk size");
	if (r > 0 && u.opcode < WS_OP_CLOSE) {
		check(u.payload <= max, "ws_walk payload over max");
		check(u.frames >= 1 && u.frames + u.control <= WS_MAX_FRAGMENTS,
		      "ws_walk frame count");
		uint8_t *out = malloc(u.payload ? u.payload : 1);
		ws_gather(d, (size_t)r, out);
		touch(out, u.payload);
		free(out);
	}
	if (r == WS_PARSE_SKIP)
		check(u.skip >= 1, "ws_walk skips nothing");
	struct ws_handshake hs;
	(void)ws_handshake_start(d, n);
	long hr = ws_handshake_parse(d, n, &hs);
	check(hr == WS_PARSE_BAD || hr == WS_PARSE_PARTIAL ||
	      (hr > 0 && (size_t)hr <= n && (size_t)hr <= WS_MAX_HANDSHAKE &&
	       hs.upgrade), "ws_handshake_parse size");
	if (hr > 0 && hs.request)
		touch((const uint8_t *)hs.uri.p, hs.uri.len);
	int s = ws_frame_carries_sip(d, n, max);
	check(s == 0 || s == 1 || s == WS_PARSE_PARTIAL,
	      "ws_frame_carries_sip value");
}

/* ---- 2. ws_consume on pieces -------------------------------------------- */

struct pieces {
	const uint8_t *d;
	size_t n, off;
	unsigned cls;
	uint32_t rng;
};

static size_t next_piece(struct pieces *p)
{
	static const size_t most[4] = { 7, 64, 1500, 0 };
	size_t left = p->n - p->off;
	if (!most[p->cls])
		return left;
	p->rng = p->rng * 1103515245u + 12345u;
	size_t k = 1 + (p->rng >> 16) % most[p->cls];
	return k < left ? k : left;
}

static struct ws_ctx *cur_ctx;

static void on_msg(void *user, const struct ws_event *ev)
{
	(void)user;
	check(ev->len <= cur_ctx->max_msg, "message over max_msg");
	check(ev->opcode == WS_OP_TEXT || ev->opcode == WS_OP_BINARY,
	      "message opcode");
	touch(ev->payload, ev->len);
	(void)sip_looks_like(ev->payload, ev->len);
}

static void consume(const uint8_t *d, size_t n, uint8_t cfg, size_t max)
{
	struct ws_ctx w;
	ws_ctx_init(&w, max, on_msg, NULL);
	cur_ctx = &w;
	uint8_t *held = malloc(n < HOLD_CAP ? n : HOLD_CAP);
	size_t len = 0;
	uint64_t state = (cfg & 1) ? WS_ST_HEAD : 0;
	bool gap = cfg & 2;
	struct pieces p = { d, n, 0, (cfg >> 2) & 3, (uint32_t)n * 2654435761u };
	for (;;) {
		size_t k = next_piece(&p);
		bool final = p.off + k == n;
		if (len + k > HOLD_CAP) {	/* the per-flow cap: a gap */
			len = 0;
			gap = true;
			if (k > HOLD_CAP) {
				p.off += k - HOLD_CAP;
				k = HOLD_CAP;
			}
		}
		memcpy(held + len, d + p.off, k);
		len += k;
		p.off += k;
		struct ss_tcp_chunk c = { .buf = held, .len = len,
					  .after_gap = gap, .final = final,
					  .state = &state };
		size_t used = ws_consume(&w, NULL, &c);
		check(used <= len, "ws_consume used more than it got");
		check((state & 0xFF) == 0, "ws_consume touched the caller's bits");
		if (c.ignore || final)
			break;
		gap = c.after_gap;
		memmove(held, held + used, len - used);
		len -= used;
	}
	free(held);
	ws_ctx_free(&w);
	cur_ctx = NULL;
}

/* ---- 3. the pipeline ---------------------------------------------------- */

static void on_sip(void *user, const struct ss_sip_event *ev)
{
	(void)user;
	ss_str t = ss_sip_text(ev->msg);
	touch((const uint8_t *)t.p, t.len);
}

struct conn {
	struct ss_pipeline *pl;
	uint32_t seq[2];
	int64_t ts;
	uint64_t frame;
};

static void segment(struct conn *k, int dir, uint8_t flags, uint32_t seq,
		    const uint8_t *p, size_t n)
{
	struct ss_pktinfo pi;
	memset(&pi, 0, sizeof pi);
	struct ss_addr cli = { .family = 4, .ip = { 10, 0, 0, 1 }, .port = 40000 };
	struct ss_addr srv = { .family = 4, .ip = { 10, 0, 0, 2 }, .port = 8080 };
	pi.src = dir ? srv : cli;
	pi.dst = dir ? cli : srv;
	pi.l4 = SS_L4_TCP;
	pi.ts_ns = k->ts += 1000;
	pi.frame = ++k->frame;
	pi.tcp_seq = seq;
	pi.tcp_flags = SS_TCP_ACK | flags;
	ss_tcp_segment(k->pl->tcp, &pi, p, n);
}

static void send_dir(struct conn *k, int dir, const uint8_t *p, size_t n)
{
	segment(k, dir, 0, k->seq[dir], p, n);
	k->seq[dir] += (uint32_t)n;
}

static void pipeline(const uint8_t *d, size_t n, uint8_t cfg)
{
	static const char get[] =
		"GET /ws HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
		"Sec-WebSocket-Protocol: sip\r\nSec-WebSocket-Version: 13\r\n\r\n";
	static const char ok[] =
		"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\n"
		"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
		"Sec-WebSocket-Protocol: sip\r\n\r\n";
	static const struct ss_tcp_limits tiny = {
		.flow_cap = 4096, .mem_cap = 32768, .max_ooo = 4,
	};
	struct ss_pipeline pl;
	ss_pipeline_init_tcp(&pl, on_sip, NULL, (cfg & 0x80) ? &tiny : NULL);
	struct conn k = { &pl, { 1000, 90000 }, (int64_t)1700000000 * 1000000000, 0 };
	if (!(cfg & 0x10)) {
		segment(&k, 0, SS_TCP_SYN, k.seq[0] - 1, NULL, 0);
		segment(&k, 1, SS_TCP_SYN, k.seq[1] - 1, NULL, 0);
		send_dir(&k, 0, (const uint8_t *)get, sizeof get - 1);
		send_dir(&k, 1, (const uint8_t *)ok, sizeof ok - 1);
	}
	struct pieces p = { d, n, 0, (cfg >> 2) & 3, (uint32_t)n * 2246822519u };
	const uint8_t *pend = NULL;
	size_t pend_n = 0;
	uint32_t pend_seq = 0;
	int pend_dir = 0;
	for (unsigned i = 0; p.off < n && i < MAX_SEGMENTS; i++) {
		size_t len = next_piece(&p);
		int dir = (cfg & 0x40) ? (int)(i & 1) : 0;
		const uint8_t *seg = d + p.off;
		p.off += len;
		if (!(cfg & 0x20)) {
			send_dir(&k, dir, seg, len);
			continue;
		}
		if (!pend) {	/* hold it: its successor goes first */
			pend = seg;
			pend_n = len;
			pend_dir = dir;
			pend_seq = k.seq[dir];
			k.seq[dir] += (uint32_t)len;
			continue;
		}
		send_dir(&k, dir, seg, len);
		segment(&k, pend_dir, 0, pend_seq, pend, pend_n);
		pend = NULL;
	}
	if (pend)
		segment(&k, pend_dir, 0, pend_seq, pend, pend_n);
	if (n & 1)	/* half the inputs end with a FIN each way */
		for (int dir = 0; dir < 2; dir++)
			segment(&k, dir, SS_TCP_FIN, k.seq[dir], NULL, 0);
	ss_pipeline_finish(&pl);
	check(ss_tcp_flow_count(pl.tcp) == 0, "flows left after finish");
	ss_pipeline_free(&pl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t cfg = data[0];
	size_t max = data[1] ? (size_t)data[1] * 4 : WS_MAX_MESSAGE;
	const uint8_t *d = data + 2;
	size_t n = size - 2;
	parsers(d, n, max);
	if (n == 0)
		return 0;
	consume(d, n, cfg, max);
	pipeline(d, n, cfg);
	return 0;
}
