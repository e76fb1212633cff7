/*
 * fuzz_media.c - libFuzzer target for the media layer as the program
 * drives it: frames -> pipeline -> SIP into the correlator and the media
 * context (SDP records, bindings), other UDP payloads into the media
 * context (RTP streams, RTCP), then the diagnosis of every call and the
 * rtp and diagnose renderers, with --limit 1 so eviction runs too.
 *
 * Input: the first byte picks the link type (low 3 bits); the rest is a
 * sequence of frames, each a 2-byte big-endian length and that many
 * bytes, at most MAX_FRAMES (fuzz/pcap2seeds writes runs of capture
 * frames this way, so an SDP meets the RTP it announces). Frame n is
 * stamped n x 20 ms, so streams have a time base.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <pcap/dlt.h>

#include "diag_report.h"
#include "diagnose.h"
#include "dialog.h"
#include "media.h"
#include "pipeline.h"
#include "rtp_report.h"
#include "streams.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FRAMES 256

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4,
	DLT_IPV6, DLT_NULL, DLT_LOOP,
};

struct fz {
	struct ss_corr *corr;
	struct ss_media *media;
	uint64_t idx;
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
	struct fz *z = user;
	struct ss_call *c = ss_corr_add(z->corr, ev, ++z->idx);
	if (c)
		ss_media_sip(z->media, c, ev);
}

static void on_udp(void *user, const struct ss_pktinfo *pi, const uint8_t *p,
		   size_t len)
{
	struct fz *z = user;
	ss_media_udp(z->media, pi, p, len);
}

static void evicted(void *user, struct ss_call *c)
{
	ss_media_evict(user, c);
}

static void report(struct fz *z)
{
	struct ss_diag_thresholds t;
	struct ss_problems ps = { 0 };
	ss_diag_thresholds_default(&t);
	for (const struct ss_call *c = ss_corr_first(z->corr); c; c = c->next) {
		const struct ss_call_media *cm = ss_media_of(z->media, c);
		struct ss_stream_view views[16];
		struct ss_diag_input in = { .corr = z->corr, .call = c,
					    .capture_has_rtp = true };
		if (cm) {
			in.sdp = cm->sdp;
			in.nsdp = cm->nsdp;
			size_t n = ss_media_views(z->media, c, views, 16);
			in.st = views;
			in.nst = n < 16 ? n : 16;
		}
		ss_diagnose(&in, &t, &ps);
	}
	render_problems_json(devnull(), &ps);
	render_problems_text(devnull(), &ps, ss_corr_count(z->corr));
	ss_problems_free(&ps);
	struct ss_streams *st = ss_media_streams(z->media);
	for (size_t i = 0; i < ss_streams_count(st); i++) {
		const struct ss_stream *s = ss_streams_at(st, i);
		struct ss_rtp_summary sum;
		struct rtp_row r;
		ss_stream_summary(s, &sum);
		memset(&r, 0, sizeof r);
		r.src = s->src;
		r.dst = s->dst;
		r.ssrc = s->ssrc;
		r.pt = s->first_pt;
		r.s = &sum;
		r.dtmf = s->st.dtmf;
		r.rtcp = ss_media_rtcp(z->media, s);
		r.clock_rate = 8000;
		render_rtp_json(devnull(), &r);
		render_rtp_text(devnull(), &r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	struct fz z = { ss_corr_new(1), ss_media_new(), 0 };
	ss_corr_on_evict(z.corr, evicted, z.media);
	struct ss_pipeline pl;
	ss_pipeline_init(&pl, on_sip, &z);
	pl.on_udp = on_udp;
	int dlt = dlts[(data[0] & 0x3F) % (sizeof dlts / sizeof dlts[0])];
	size_t off = 1;
	for (uint64_t no = 1; no <= MAX_FRAMES && size - off >= 2; no++) {
		size_t n = (size_t)data[off] << 8 | data[off + 1];
		off += 2;
		if (n > size - off)
			n = size - off;
		struct ss_frame f = { .data = data + off, .caplen = n, .wirelen = n,
				      .ts_ns = (int64_t)no * 20000000, .dlt = dlt };
		ss_pipeline_frame(&pl, &f, no);
		off += n;
	}
	ss_pipeline_finish(&pl);
	ss_corr_expire(z.corr, (int64_t)(MAX_FRAMES + 2000) * 20000000);
	report(&z);
	ss_pipeline_free(&pl);
	ss_media_free(z.media, z.corr);
	ss_corr_free(z.corr);
	return 0;
}
