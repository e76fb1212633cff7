/*
 * fuzz_rtp.c - libFuzzer target for the RTP parser (dissectors/rtp.h),
 * the per-stream analysis (src/rtpstats.h) and the stream table with its
 * heuristic (src/streams.h).
 *
 * Input: records of [L][F][L bytes] until the data runs out (a short last
 * record takes what is left). Every record is
 *  1. parsed alone: ss_rtp_parse, every CSRC, every RFC 8285 element,
 *     ss_rtp_looks_like and the RFC 4733 event of its payload, checking
 *     the slices lie inside the record;
 *  2. fed to a stream table of at most 8 streams with a map that makes
 *     PT 96 opus/48000, 101 telephone-event and 13 CN: F bit 0 picks
 *     ss_streams_rtp (owner F>>4) or ss_streams_udp_unknown, bits 1-2 one
 *     of four source ports, bit 3 whether time goes back; the arrival
 *     time moves by F x 0.7 ms.
 * At the end every stream's summary is computed and checked for sanity
 * (lost never above expected, DTMF log within its bounds).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtp.h"
#include "streams.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_rtp: contract broken: %s\n", what);
		abort();
	}
}

static int inside(ss_str s, const uint8_t *p, size_t n)
{
	const char *b = (const char *)p;
	return s.len == 0 || (s.p >= b && s.len <= n && s.p - b <= (long)(n - s.len));
}

static void parse_alone(const uint8_t *p, size_t n)
{
	struct ss_rtp r;
	if (ss_rtp_parse(p, n, &r) == SS_RTP_OK) {
		check(inside(r.payload, p, n), "payload inside");
		check(inside(r.ext, p, n), "extension inside");
		check(12u + 4u * r.csrc_count + r.payload.len + r.pad_len <= n,
		      "lengths add up");
		volatile uint32_t x = 0;
		for (unsigned i = 0; i < r.csrc_count; i++)
			x ^= ss_rtp_csrc(&r, i);
		size_t off = 0;
		uint8_t id;
		ss_str d;
		unsigned k = 0;
		while (ss_rtp_ext_next(&r, &off, &id, &d)) {
			check(inside(d, (const uint8_t *)r.ext.p, r.ext.len),
			      "element inside");
			check(++k <= r.ext.len, "elements terminate");
		}
		struct ss_rtp_event e;
		if (ss_rtp_event_parse(r.payload, &e))
			x ^= (uint32_t)ss_rtp_event_char(e.event);
	}
	(void)ss_rtp_looks_like(p, n);
}

static void feed(struct ss_streams *t, const struct ss_pt_map *map,
		 const uint8_t *p, size_t n, uint8_t f, int64_t *now,
		 uint64_t frame)
{
	static const uint16_t ports[4] = { 4000, 4002, 4004, 6000 };
	*now += (f & 8) ? -(int64_t)f * 700000 : (int64_t)f * 700000;
	struct ss_pktinfo pi = { .ts_ns = *now, .frame = frame, .l4 = SS_L4_UDP };
	pi.src = (struct ss_addr){ .family = 4, .port = ports[(f >> 1) & 3],
				   .ip = { 10, 0, 0, 1 } };
	pi.dst = (struct ss_addr){ .family = 4, .port = 5000,
				   .ip = { 10, 0, 0, 2 } };
	if (f & 1)
		ss_streams_rtp(t, &pi, p, n, map, f >> 4);
	else
		ss_streams_udp_unknown(t, &pi, p, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_pt_map map;
	ss_pt_map_init(&map);
	ss_pt_map_set(&map, 96, ss_str_make("opus", 4), 48000);
	ss_pt_map_set(&map, 101, ss_str_make("telephone-event", 15), 8000);
	ss_pt_map_set(&map, 100, ss_str_make("CN", 2), 8000);
	struct ss_streams t;
	ss_streams_init(&t, 8);
	int64_t now = 1000000000;
	uint64_t frame = 0;
	size_t i = 0;
	while (i + 2 <= size) {
		size_t n = data[i];
		uint8_t f = data[i + 1];
		i += 2;
		if (n > size - i)
			n = size - i;
		parse_alone(data + i, n);
		feed(&t, &map, data + i, n, f, &now, ++frame);
		i += n;
	}
	parse_alone(data, size);
	for (size_t k = 0; k < ss_streams_count(&t); k++) {
		const struct ss_stream *s = ss_streams_at(&t, k);
		struct ss_rtp_summary m;
		ss_stream_summary(s, &m);
		check(m.lost <= m.expected, "lost <= expected");
		check(m.dups < m.packets || m.packets == 0, "dups < packets");
		check(m.mos.mos >= 1 && m.mos.mos <= 4.5, "MOS in range");
		if (s->st.dtmf)
			check(s->st.dtmf->kept <= SS_DTMF_KEEP, "DTMF bounded");
	}
	check(ss_streams_count(&t) <= 8, "table bounded");
	ss_streams_free(&t);
	return 0;
}
