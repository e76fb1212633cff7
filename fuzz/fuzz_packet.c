/*
 * fuzz_packet.c - libFuzzer target for the whole packet path: link -> IP
 * (+ fragments, tunnels) -> UDP/TCP/SCTP -> SIP -> the message renderers.
 *
 * The first input byte picks the link type (low 3 bits) and two modes:
 *  0x80  tiny TCP reassembly limits, so the caps, eviction and gap paths
 *        are reached with small inputs;
 *  0x40  framed: the rest is a sequence of frames, each a 2-byte
 *        big-endian length and that many bytes (the last one cut short if
 *        the input ends), at most MAX_FRAMES; pcap2seeds writes runs of
 *        consecutive capture frames this way, so IP fragments meet their
 *        siblings and TCP segments their connection.
 * Otherwise the second byte splits the rest into two frames A and B, fed
 * as A, B, then A again (a retransmission, a duplicate fragment, or a
 * segment after its successor). Either way the pipeline is finished at
 * the end, so held TCP data is drained too.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <pcap/dlt.h>

#include "pipeline.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4,
	DLT_IPV6, DLT_NULL, DLT_LOOP,
};

static FILE *devnull(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

static void on_sip(void *user, const struct ss_sip_event *ev)
{
	(void)user;
	render_msg_json(devnull(), ev);
	render_msg_text(devnull(), ev, 1);
	render_msg_csv(devnull(), ev);
}

#define MODE_TINY_TCP 0x80
#define MODE_FRAMED 0x40
#define MAX_FRAMES 64

static void feed(struct ss_pipeline *pl, int dlt, const uint8_t *p, size_t n,
		 uint64_t no)
{
	struct ss_frame f = { .data = p, .caplen = n, .wirelen = n,
			      .ts_ns = (int64_t)no, .dlt = dlt };
	ss_pipeline_frame(pl, &f, no);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	static const struct ss_tcp_limits tiny = {
		.max_flows = 2, .flow_cap = 512, .mem_cap = 4096,
		.max_ooo = 2, .idle_ns = 1,
	};
	struct ss_pipeline pl;
	ss_pipeline_init_tcp(&pl, on_sip, NULL,
			     (data[0] & MODE_TINY_TCP) ? &tiny : NULL);
	int dlt = dlts[(data[0] & 0x3F) % (sizeof dlts / sizeof dlts[0])];
	if (data[0] & MODE_FRAMED) {
		size_t off = 1;
		for (uint64_t no = 1; no <= MAX_FRAMES && size - off >= 2; no++) {
			size_t n = (size_t)data[off] << 8 | data[off + 1];
			off += 2;
			if (n > size - off)
				n = size - off;
			feed(&pl, dlt, data + off, n, no);
			off += n;
		}
	} else {
		size_t rest = size - 2;
		size_t cut = rest ? (size_t)data[1] * rest / 255 : 0;
		feed(&pl, dlt, data + 2, cut, 1);
		feed(&pl, dlt, data + 2 + cut, rest - cut, 2);
		feed(&pl, dlt, data + 2, cut, 3);
	}
	ss_pipeline_finish(&pl);
	ss_pipeline_free(&pl);
	return 0;
}
