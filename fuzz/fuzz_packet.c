/*
 * fuzz_packet.c - libFuzzer target for the whole packet path: link -> IP
 * (+ fragments, tunnels) -> UDP/TCP/SCTP -> SIP -> the message renderers.
 * The first input byte picks the link type (low 3 bits) and, when its top
 * bit is set, tiny TCP reassembly limits so the caps, eviction and gap
 * paths are reached with small inputs. The second byte splits the rest
 * into two frames A and B; they go in as A, B, then A again (a
 * retransmission, a duplicate fragment, or a segment after its successor),
 * and the pipeline is finished so held TCP data is drained too.
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	static const struct ss_tcp_limits tiny = {
		.max_flows = 2, .flow_cap = 512, .mem_cap = 4096,
		.max_ooo = 2, .idle_ns = 1,
	};
	struct ss_pipeline pl;
	ss_pipeline_init_tcp(&pl, on_sip, NULL, (data[0] & 0x80) ? &tiny : NULL);
	int dlt = dlts[(data[0] & 0x7F) % (sizeof dlts / sizeof dlts[0])];
	size_t rest = size - 2;
	size_t cut = rest ? (size_t)data[1] * rest / 255 : 0;
	struct ss_frame a = { .data = data + 2, .caplen = cut, .wirelen = cut,
			      .ts_ns = 1, .dlt = dlt };
	struct ss_frame b = a;
	b.data = data + 2 + cut;
	b.caplen = b.wirelen = rest - cut;
	b.ts_ns = 2;
	ss_pipeline_frame(&pl, &a, 1);
	ss_pipeline_frame(&pl, &b, 2);
	a.ts_ns = 3;
	ss_pipeline_frame(&pl, &a, 3);
	ss_pipeline_finish(&pl);
	ss_pipeline_free(&pl);
	return 0;
}
