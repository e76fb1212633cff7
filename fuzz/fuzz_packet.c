/*
 * fuzz_packet.c - libFuzzer target for the whole packet path: link -> IP
 * (+ fragments, tunnels) -> UDP/TCP/SCTP -> SIP -> the message renderers.
 * The first input byte picks the link type, the second splits the rest
 * into two frames (so fragment reassembly sees more than one packet).
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
	struct ss_pipeline pl;
	ss_pipeline_init(&pl, on_sip, NULL);
	int dlt = dlts[data[0] % (sizeof dlts / sizeof dlts[0])];
	size_t rest = size - 2;
	size_t cut = rest ? (size_t)data[1] * rest / 255 : 0;
	struct ss_frame f = { .data = data + 2, .caplen = cut, .wirelen = cut,
			      .ts_ns = 1, .dlt = dlt };
	ss_pipeline_frame(&pl, &f, 1);
	f.data = data + 2 + cut;
	f.caplen = f.wirelen = rest - cut;
	f.ts_ns = 2;
	ss_pipeline_frame(&pl, &f, 2);
	ss_pipeline_free(&pl);
	return 0;
}
