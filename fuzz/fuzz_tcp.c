/*
 * fuzz_tcp.c - libFuzzer target for TCP stream reassembly (dissectors/tcp.h)
 * and the stream consumers behind it (SIP over TCP framing, WebSocket,
 * the TLS claim), driven through the whole pipeline with real
 * Ethernet/IPv4/TCP frames.
 *
 * Input: one configuration byte, then segments until the input ends:
 *   byte 0   bit 0    direction (0: client -> server, 1: back)
 *            bit 1    connection (two of them, so four flows)
 *            bit 2    SYN        bit 3  FIN        bit 4  RST
 *            bits 5-6 time step: none, 1 ms, half the idle timeout, or
 *                     past it (so idle expiry runs)
 *            bit 7    ACK-only: the payload is dropped (an empty segment)
 *   bytes 1-4 sequence delta, big-endian, signed: the segment starts this
 *            far from where the harness expects the flow's next byte (0 is
 *            in order; the harness tracks the highest end it sent)
 *   bytes 5-6 payload length, big-endian (cut short if the input ends)
 *   then the payload.
 * Configuration byte:
 *   bit 0    tiny limits: 1..4 flows (bits 1-2), flow_cap 256 << bits 3-4,
 *            mem_cap 4 KiB, 8 KiB, 700 or 1536 bytes (bits 5 and 7: the
 *            small two leave room for one flow and hardly any buffer, so
 *            memory runs out with no other flow to evict), 1 or 4 held
 *            segments (bit 6), idle 1 s, so the caps, eviction and gap
 *            paths run with small inputs;
 *            otherwise the defaults, and bit 1 opens EXTRA_FLOWS more
 *            flows first (a SYN and half a request line each), so the
 *            hash table grows and the finish drains many flows.
 * The pipeline is always finished. Besides memory errors it checks the
 * reassembler's accounting: flows within max_flows and bytes within
 * mem_cap while it runs (tiny limits: the hash table cannot grow there),
 * and after the finish no flow and no buffer byte left.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "pipeline.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_SEGMENTS 256
#define EXTRA_FLOWS 100
#define HDRS (14 + 20 + 20)

static FILE *devnull(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_tcp: contract broken: %s\n", what);
		abort();
	}
}

/* FUZZ_TCP_TRACE set: each message found is shown on stderr (to check
 * what a seed or a crash input does). */
static int trace = -1;

static void on_sip(void *user, const struct ss_sip_event *ev)
{
	(void)user;
	if (trace < 0)
		trace = getenv("FUZZ_TCP_TRACE") != NULL;
	if (trace)
		render_msg_text(stderr, ev, 0);
	render_msg_json(devnull(), ev);
	render_msg_text(devnull(), ev, 1);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* Ethernet + IPv4 + TCP around payload[0..n). */
static size_t build(uint8_t *fr, int conn, int dir, uint8_t flags,
		    uint32_t seq, const uint8_t *payload, size_t n)
{
	uint8_t cli[4] = { 10, 0, (uint8_t)(conn / 64), (uint8_t)(1 + conn % 64) };
	uint8_t srv[4] = { 10, 0, 0, 100 };
	uint16_t cport = (uint16_t)(40000 + conn), sport = 5060;
	memset(fr, 0, HDRS);
	fr[12] = 0x08;				/* IPv4 */
	uint8_t *ip = fr + 14;
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + 20 + n));
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, dir ? srv : cli, 4);
	memcpy(ip + 16, dir ? cli : srv, 4);
	uint8_t *tcp = ip + 20;
	put16(tcp, dir ? sport : cport);
	put16(tcp + 2, dir ? cport : sport);
	put32(tcp + 4, seq);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	put16(tcp + 14, 65535);
	if (n)
		memcpy(fr + HDRS, payload, n);
	return HDRS + n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t frame[HDRS + 65535];
	if (size < 1)
		return 0;
	uint8_t cfg = data[0];
	struct ss_tcp_limits tiny = {
		.max_flows = 1 + ((cfg >> 1) & 3),
		.flow_cap = (size_t)256 << ((cfg >> 3) & 3),
		.mem_cap = (size_t[]){ 4096, 8192, 700, 1536 }
			[(cfg >> 5 & 1) | (cfg >> 6 & 2)],
		.max_ooo = (cfg & 0x40) ? 4 : 1,
		.idle_ns = 1000000000,
	};
	bool small = cfg & 1;
	struct ss_pipeline pl;
	ss_pipeline_init_tcp(&pl, on_sip, NULL, small ? &tiny : NULL);
	const struct ss_tcp_limits *lim = ss_tcp_get_limits(pl.tcp);
	int64_t steps[4] = { 0, 1000000, lim->idle_ns / 2, lim->idle_ns + 1 };
	uint32_t next[4] = { 1000, 5000000, 0x7FFFFF00u, 0xFFFFFF00u };
	int64_t ts = (int64_t)1700000000 * 1000000000;
	size_t off = 1;
	uint64_t no = 1;
	if (!small && (cfg & 2)) {
		for (int i = 0; i < EXTRA_FLOWS; i++, no++) {
			static const uint8_t half[] = "REGISTER sip:reg";
			size_t len = build(frame, 2 + i, 0, SS_TCP_SYN, 77, NULL, 0);
			struct ss_frame f = { .data = frame, .caplen = len,
					      .wirelen = len, .ts_ns = ts,
					      .dlt = DLT_EN10MB };
			ss_pipeline_frame(&pl, &f, no++);
			f.caplen = f.wirelen = build(frame, 2 + i, 0, SS_TCP_ACK, 78,
						     half, sizeof half - 1);
			ss_pipeline_frame(&pl, &f, no);
		}
	}
	for (int k = 0; k < MAX_SEGMENTS && size - off >= 7; k++, no++) {
		const uint8_t *h = data + off;
		int dir = h[0] & 1, conn = (h[0] >> 1) & 1;
		uint8_t flags = SS_TCP_ACK;
		flags |= (h[0] & 0x04) ? SS_TCP_SYN : 0;
		flags |= (h[0] & 0x08) ? SS_TCP_FIN : 0;
		flags |= (h[0] & 0x10) ? SS_TCP_RST : 0;
		ts += steps[(h[0] >> 5) & 3];
		int32_t delta = (int32_t)((uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 |
					  (uint32_t)h[3] << 8 | h[4]);
		size_t n = (size_t)h[5] << 8 | h[6];
		off += 7;
		if (n > size - off)
			n = size - off;
		const uint8_t *payload = data + off;
		off += n;
		if (h[0] & 0x80)
			n = 0;
		if (n > 65535 - 40)
			n = 65535 - 40;
		uint32_t *nx = &next[conn * 2 + dir];
		uint32_t seq = *nx + (uint32_t)delta;
		uint32_t end = seq + (uint32_t)n + ((flags & SS_TCP_SYN) ? 1 : 0);
		if ((int32_t)(end - *nx) > 0)
			*nx = end;
		size_t len = build(frame, conn, dir, flags, seq, payload, n);
		struct ss_frame f = { .data = frame, .caplen = len,
				      .wirelen = len, .ts_ns = ts,
				      .dlt = DLT_EN10MB };
		ss_pipeline_frame(&pl, &f, no);
		check(ss_tcp_flow_count(pl.tcp) <= lim->max_flows,
		      "more flows than max_flows");
		if (small)
			check(ss_tcp_mem_used(pl.tcp) <= lim->mem_cap,
			      "more memory than mem_cap");
	}
	ss_pipeline_finish(&pl);
	check(ss_tcp_flow_count(pl.tcp) == 0, "flows left after finish");
	/* only the hash buckets remain: 64 of them, doubled when it grew */
	size_t buckets = ss_tcp_mem_used(pl.tcp) / sizeof(void *);
	check(ss_tcp_mem_used(pl.tcp) % sizeof(void *) == 0 && buckets >= 64 &&
	      (buckets & (buckets - 1)) == 0, "memory accounted after finish");
	if (small)	/* the table cannot grow with at most 4 flows */
		check(buckets == 64, "memory accounted after finish");
	ss_pipeline_free(&pl);
	return 0;
}
