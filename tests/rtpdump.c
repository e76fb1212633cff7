/*
 * rtpdump.c - the RTP stream table over a capture, printed in the layout
 * of `tshark -q -z rtp,streams` (Wireshark 4.0), to compare the two.
 *
 *   rtpdump [--clock [PORT:]PT=HZ[/dtmf|/cn]]... [--ws] [-v] [--max N] FILE
 *
 * Every UDP payload goes to the heuristic (ss_streams_udp_unknown);
 * --clock gives a dynamic payload type a clock (what an SDP rtpmap
 * would), /dtmf marks it as telephone-event; with PORT: only for
 * streams from (else to) that port, as one SDP's m= line would. The
 * Lost column is ours (never negative, duplicates apart) unless --ws
 * asks for Wireshark's expected - packets. Streams are printed newest
 * first, as tshark 4.0 mostly does (it prepends to a list;
 * tests/tshark-rtp-dev.sh sorts both). With -v, stderr gets a "# ..."
 * line per stream (expected, dups, out of order, bursts, R, MOS, DTMF
 * events) and the table's counters.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "packet.h"
#include "streams.h"

#define MAX_PORT_MAPS 64

struct run {
	struct ss_streams tab;
	struct ss_pt_map map;	/* --clock PT=HZ: every stream */
	size_t nport;
	struct {
		uint16_t port;
		struct ss_pt_map map;
	} port[MAX_PORT_MAPS];	/* --clock PORT:PT=HZ */
};

/* A stream takes the map of its source port, else of its destination
 * port (the port an SDP offered), else the global one. */
static void on_new(void *user, struct ss_stream *s)
{
	struct run *r = user;
	for (int pass = 0; pass < 2; pass++) {
		uint16_t want = pass ? s->dst.port : s->src.port;
		for (size_t i = 0; i < r->nport; i++)
			if (r->port[i].port == want) {
				ss_stream_bind(s, 0, &r->port[i].map);
				return;
			}
	}
}

static void on_payload(void *user, const struct ss_pktinfo *pi,
		       const uint8_t *p, size_t len)
{
	struct run *r = user;
	if (pi->l4 == SS_L4_UDP)
		ss_streams_udp_unknown(&r->tab, pi, p, len);
}

static void warn(void *user, const char *fmt, ...)
{
	(void)user;
	(void)fmt;
}

static struct ss_pt_map *port_map(struct run *r, unsigned long port)
{
	for (size_t i = 0; i < r->nport; i++)
		if (r->port[i].port == port)
			return &r->port[i].map;
	if (r->nport == MAX_PORT_MAPS || port > 65535)
		return NULL;
	r->port[r->nport].port = (uint16_t)port;
	ss_pt_map_init(&r->port[r->nport].map);
	return &r->port[r->nport++].map;
}

static bool parse_clock(struct run *r, const char *arg)
{
	char *end;
	struct ss_pt_map *map = &r->map;
	unsigned long pt = strtoul(arg, &end, 10);
	if (*end == ':') {
		map = port_map(r, pt);
		pt = strtoul(end + 1, &end, 10);
	}
	if (!map || *end != '=' || pt < 96 || pt > 127)
		return false;
	unsigned long hz = strtoul(end + 1, &end, 10);
	const char *name = "dyn";
	if (strcmp(end, "/dtmf") == 0)
		name = "telephone-event";
	else if (strcmp(end, "/cn") == 0)
		name = "CN";
	else if (*end)
		return false;
	ss_pt_map_set(map, (uint8_t)pt, ss_str_make(name, strlen(name)),
		      (uint32_t)hz);
	return true;
}

static void print_stream(const struct ss_stream *s, int64_t t0, bool ws,
			 bool verbose)
{
	struct ss_rtp_summary m;
	ss_stream_summary(s, &m);
	char src[64], dst[64], pt[32];
	ss_addr_format(&s->src, false, src, sizeof src);
	ss_addr_format(&s->dst, false, dst, sizeof dst);
	if (s->first_pt == s->last_pt)
		snprintf(pt, sizeof pt, "PT%u", s->first_pt);
	else
		snprintf(pt, sizeof pt, "PT%u,%u", s->first_pt, s->last_pt);
	long long lost = ws ? m.ws_lost : m.lost;
	double pct = ws ? m.ws_lost_pct : m.lost_pct;
	printf("%13.6f %13.6f %15s %5u %15s %5u 0x%08X %16s %5u %5lld (%.1f%%)"
	       " %15.3f %15.3f %15.3f %15.3f %15.3f %15.3f %s\n",
	       (double)(m.first_ns - t0) / 1e9, (double)(m.last_ns - t0) / 1e9,
	       src, s->src.port, dst, s->dst.port, s->ssrc, pt, m.packets,
	       lost, pct, m.min_delta_ms, m.mean_delta_ms, m.max_delta_ms,
	       m.min_jitter_ms, m.mean_jitter_ms, m.max_jitter_ms,
	       m.problem ? "X" : "");
	if (verbose)
		fprintf(stderr, "# 0x%08X expected %u lost %u dups %u ooo %u "
			"seqerr %u bursts %u maxburst %u markers %u ptchg %u "
			"wraps %u/%u R %.1f MOS %.2f dtmf %u\n",
			s->ssrc, m.expected, m.lost, m.dups, m.out_of_order,
			m.seq_errors, m.bursts, m.max_burst_loss, m.markers,
			m.pt_changes, m.seq_wraps, m.ts_wraps, m.mos.r,
			m.mos.mos, s->st.dtmf ? s->st.dtmf->events : 0);
}

int main(int argc, char **argv)
{
	static struct run r;
	bool ws = false, verbose = false;
	size_t max = 0;
	const char *file = NULL;
	ss_pt_map_init(&r.map);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--clock") == 0 && i + 1 < argc) {
			if (!parse_clock(&r, argv[++i])) {
				fprintf(stderr, "rtpdump: bad --clock %s\n", argv[i]);
				return 1;
			}
		} else if (strcmp(argv[i], "--ws") == 0) {
			ws = true;
		} else if (strcmp(argv[i], "-v") == 0) {
			verbose = true;
		} else if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
			max = strtoul(argv[++i], NULL, 10);
		} else {
			file = argv[i];
		}
	}
	if (!file) {
		fprintf(stderr, "usage: rtpdump [--clock PT=HZ[/dtmf]] [--ws] [-v] FILE\n");
		return 1;
	}
	ss_streams_init(&r.tab, max);
	ss_streams_set_default_map(&r.tab, &r.map);
	ss_streams_on_new(&r.tab, on_new, &r);
	struct ss_capture *cap = ss_capture_new(warn, NULL, NULL);
	char err[256];
	if (!ss_capture_add_file(cap, file, NULL, err, sizeof err)) {
		fprintf(stderr, "rtpdump: %s\n", err);
		ss_capture_free(cap);
		return 2;
	}
	struct ss_decoder dec;
	ss_decoder_init(&dec, on_payload, &r, 0);
	struct ss_frame f;
	uint64_t n = 0;
	int64_t t0 = 0;
	while (ss_capture_next(cap, &f) == 1) {
		struct ss_pktinfo pi = { .ts_ns = f.ts_ns, .frame = ++n,
					 .source = f.source };
		if (n == 1)
			t0 = f.ts_ns;
		ss_decode_frame(&dec, &pi, f.dlt, f.data, f.caplen);
	}
	printf("========================= RTP Streams ========================\n");
	printf("%13s %13s %15s %5s %15s %5s %10s %16s %5s %12s %15s %15s %15s %15s %15s %15s %s\n",
	       "Start time", "End time", "Src IP addr", "Port", "Dest IP addr",
	       "Port", "SSRC", "Payload", "Pkts", "Lost", "Min Delta(ms)",
	       "Mean Delta(ms)", "Max Delta(ms)", "Min Jitter(ms)",
	       "Mean Jitter(ms)", "Max Jitter(ms)", "Problems?");
	for (size_t i = ss_streams_count(&r.tab); i-- > 0;) {
		const struct ss_stream *s = ss_streams_at(&r.tab, i);
		if (s)
			print_stream(s, t0, ws, verbose);
	}
	printf("==============================================================\n");
	if (verbose)
		fprintf(stderr, "# rtp %" PRIu64 " not_rtp %" PRIu64
			" confirmed %" PRIu64 " restarts %" PRIu64 " evicted %" PRIu64
			" refused %" PRIu64 "\n", r.tab.c.rtp_packets,
			r.tab.c.not_rtp, r.tab.c.heur_confirmed,
			r.tab.c.heur_restarts, r.tab.c.heur_evicted,
			r.tab.c.refused_streams);
	ss_decoder_free(&dec);
	ss_capture_free(cap);
	ss_streams_free(&r.tab);
	return 0;
}
