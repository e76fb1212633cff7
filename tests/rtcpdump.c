/*
 * rtcpdump.c - development driver for the RTCP dissector: walk the UDP
 * payloads of captures through our decoder (tunnels and fragments
 * included), take those rtcp_looks_like() accepts, parse them and print
 * one line per datagram in the layout of
 *   tshark -T fields -e frame.number -e rtcp.pt -e rtcp.rc -e rtcp.sc
 *     -e rtcp.length -e rtcp.senderssrc -e rtcp.timestamp.ntp.msw
 *     -e rtcp.timestamp.ntp.lsw -e rtcp.timestamp.rtp
 *     -e rtcp.sender.packetcount -e rtcp.sender.octetcount
 *     -e rtcp.ssrc.identifier -e rtcp.ssrc.fraction -e rtcp.ssrc.cum_nr
 *     -e rtcp.ssrc.ext_high -e rtcp.ssrc.jitter -e rtcp.ssrc.lsr
 *     -e rtcp.ssrc.dlsr -e rtcp.sdes.type -e rtcp.sdes.text
 *     -e rtcp.ssrc.discarded -e rtcp.xr.bt and the XR VoIP metrics, LRR,
 *     DLRR, APP subtype and name, and the feedback media SSRC
 * (the full list is in tests/rtcp-tshark.sh, which diffs the two), then a
 * column with our
 * malformed flag ("-" when none) and "reduced" for RFC 5506 packets, and
 * one with the UDP ports ("src,dst", the innermost when tunnelled).
 * tshark's conventions are followed where they are odd: the identifier
 * column lists report-block, SDES-chunk, BYE, APP, XR VoIP and DLRR SSRCs
 * in packet order, the VoIP loss rate goes with the fraction lost,
 * sdes.type includes each chunk's END item, and sdes.text includes BYE
 * reasons. With -s DIR, each RTCP payload is also written to DIR as a
 * fuzz seed (rtcp-<file#>-<frame>).
 *   rtcpdump [-s DIR] [-S] FILE...
 * -S prints the per-SSRC summary table (src/rtcpstats.h) at the end.
 * Exit: 0, or 1 when a datagram accepted by the heuristic was malformed,
 * 2 on an input error.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "packet.h"
#include "rtcp.h"
#include "rtcpstats.h"

struct dump {
	const char *seed_dir;
	unsigned file_no;
	unsigned long datagrams, packets, malformed;
	struct rtcp_table *table;
};

/* One comma-joined column, as tshark's field aggregator writes it. */
struct col {
	char buf[4096];
	size_t n;
};

static void add(struct col *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add(struct col *c, const char *fmt, ...)
{
	if (c->n && c->n < sizeof c->buf - 1)
		c->buf[c->n++] = ',';
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(c->buf + c->n, sizeof c->buf - c->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		c->n += (size_t)w < sizeof c->buf - c->n ? (size_t)w
							  : sizeof c->buf - c->n - 1;
}

enum { C_PT, C_RC, C_SC, C_LEN, C_SENDER, C_MSW, C_LSW, C_RTPTS, C_PKTS,
       C_OCTS, C_ID, C_FRAC, C_CUM, C_EXT, C_JIT, C_LSR, C_DLSR, C_STYPE,
       C_STEXT, C_DISC, C_XRBT, C_BDENS, C_GDENS, C_BDUR, C_GDUR, C_RTD,
       C_ESD, C_SIG, C_NOISE, C_RERL, C_GMIN, C_R, C_EXTR, C_MOSLQ, C_MOSCQ,
       C_JBNOM, C_JBMAX, C_JBABS, C_LRR, C_DLRR2, C_APPSUB, C_APPNAME,
       C_MEDIA, C_N };

static void text(struct col *c, ss_str s)
{
	add(c, "%.*s", (int)s.len, s.p ? s.p : "");
}

static void report_cols(struct col *cols, const struct rtcp_compound *c,
			const struct rtcp_pkt *k)
{
	add(&cols[C_RC], "%u", k->count);
	add(&cols[C_SENDER], "0x%08" PRIx32, k->ssrc);
	if (k->pt == RTCP_SR) {
		add(&cols[C_MSW], "%" PRIu32, (uint32_t)(k->ntp >> 32));
		add(&cols[C_LSW], "%" PRIu32, (uint32_t)k->ntp);
		add(&cols[C_RTPTS], "%" PRIu32, k->rtp_ts);
		add(&cols[C_PKTS], "%" PRIu32, k->packet_count);
		add(&cols[C_OCTS], "%" PRIu32, k->octet_count);
	}
	for (unsigned i = 0; i < k->rb_count; i++) {
		const struct rtcp_rblock *b = &c->rb[k->rb_first + i];
		add(&cols[C_ID], "0x%08" PRIx32, b->ssrc);
		add(&cols[C_FRAC], "%u", b->fraction_lost);
		add(&cols[C_CUM], "%" PRId32, b->cum_lost);
		add(&cols[C_EXT], "%" PRIu32, b->ext_seq);
		add(&cols[C_JIT], "%" PRIu32, b->jitter);
		add(&cols[C_LSR], "%" PRIu32, b->lsr);
		add(&cols[C_DLSR], "%" PRIu32, b->dlsr);
	}
}

/* tshark shows the VoIP block's loss rate as rtcp.ssrc.fraction and its
 * discard rate as rtcp.ssrc.discarded; MOS as a float. */
static void voip_cols(struct col *cols, const struct rtcp_xr_voip *v)
{
	add(&cols[C_FRAC], "%u", v->loss_rate);
	add(&cols[C_DISC], "%u", v->discard_rate);
	add(&cols[C_BDENS], "%u", v->burst_density);
	add(&cols[C_GDENS], "%u", v->gap_density);
	add(&cols[C_BDUR], "%u", v->burst_duration);
	add(&cols[C_GDUR], "%u", v->gap_duration);
	add(&cols[C_RTD], "%u", v->round_trip_delay);
	add(&cols[C_ESD], "%u", v->end_system_delay);
	add(&cols[C_SIG], "%d", v->signal_level);
	add(&cols[C_NOISE], "%d", v->noise_level);
	add(&cols[C_RERL], "%u", v->rerl);
	add(&cols[C_GMIN], "%u", v->gmin);
	add(&cols[C_R], "%u", v->r_factor);
	add(&cols[C_EXTR], "%u", v->ext_r_factor);
	add(&cols[C_MOSLQ], "%g", v->mos_lq / 10.0);
	add(&cols[C_MOSCQ], "%g", v->mos_cq / 10.0);
	add(&cols[C_JBNOM], "%u", v->jb_nominal);
	add(&cols[C_JBMAX], "%u", v->jb_max);
	add(&cols[C_JBABS], "%u", v->jb_abs_max);
}

static void xr_cols(struct col *cols, const struct rtcp_compound *c,
		    const struct rtcp_pkt *k)
{
	add(&cols[C_SENDER], "0x%08" PRIx32, k->ssrc);
	for (unsigned i = 0; i < k->xr_count; i++) {
		const struct rtcp_xr_block *x = &c->xr[k->xr_first + i];
		add(&cols[C_XRBT], "%u", x->bt);
		if (x->bt == RTCP_XR_VOIP) {
			add(&cols[C_ID], "0x%08" PRIx32, x->voip.ssrc);
			voip_cols(cols, &x->voip);
		}
		for (unsigned j = 0; x->bt == RTCP_XR_DLRR && j < x->dlrr_count; j++) {
			const struct rtcp_xr_dlrr *d = &c->dlrr[x->dlrr_first + j];
			add(&cols[C_ID], "0x%08" PRIx32, d->ssrc);
			add(&cols[C_LRR], "%" PRIu32, d->lrr);
			add(&cols[C_DLRR2], "%" PRIu32, d->dlrr);
		}
	}
}

static void pkt_cols(struct col *cols, const struct rtcp_compound *c,
		     const struct rtcp_pkt *k)
{
	add(&cols[C_PT], "%u", k->pt);
	add(&cols[C_LEN], "%u", k->length);
	switch (k->pt) {
	case RTCP_SR:
	case RTCP_RR:
		report_cols(cols, c, k);
		break;
	case RTCP_SDES:
		add(&cols[C_SC], "%u", k->count);
		for (unsigned i = 0; i < k->chunk_count; i++) {
			const struct rtcp_sdes_chunk *ch = &c->chunks[k->chunk_first + i];
			add(&cols[C_ID], "0x%08" PRIx32, ch->ssrc);
			for (unsigned j = 0; j < ch->item_count; j++) {
				const struct rtcp_sdes_item *it =
					&c->items[ch->item_first + j];
				add(&cols[C_STYPE], "%u", it->type);
				text(&cols[C_STEXT], it->text);
			}
			add(&cols[C_STYPE], "0");
		}
		break;
	case RTCP_BYE:
		add(&cols[C_SC], "%u", k->count);
		for (unsigned i = 0; i < k->bye_count; i++)
			add(&cols[C_ID], "0x%08" PRIx32, c->bye_ssrc[k->bye_first + i]);
		if (k->has_reason)
			text(&cols[C_STEXT], k->bye_reason);
		break;
	case RTCP_XR:
		xr_cols(cols, c, k);
		break;
	case RTCP_APP:
		add(&cols[C_ID], "0x%08" PRIx32, k->ssrc);
		add(&cols[C_APPSUB], "%u", k->count);
		text(&cols[C_APPNAME], k->app_name);
		break;
	case RTCP_RTPFB:
	case RTCP_PSFB:
		add(&cols[C_SENDER], "0x%08" PRIx32, k->ssrc);
		add(&cols[C_MEDIA], "0x%08" PRIx32, k->media_ssrc);
		break;
	default:
		break;
	}
}

static void write_seed(struct dump *d, uint64_t frame, const uint8_t *p,
		       size_t len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/rtcp-%u-%" PRIu64, d->seed_dir,
		 d->file_no, frame);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(p, 1, len, f);
	fclose(f);
}

static void on_payload(void *user, const struct ss_pktinfo *pi,
		       const uint8_t *p, size_t len)
{
	struct dump *d = user;
	if (pi->l4 != SS_L4_UDP || !rtcp_looks_like(p, len))
		return;
	struct rtcp_compound c;
	enum rtcp_rc rc = rtcp_parse(p, len, &c);
	struct col cols[C_N];
	memset(cols, 0, sizeof cols);
	for (unsigned i = 0; i < c.npkts; i++)
		pkt_cols(cols, &c, &c.pkts[i]);
	printf("%" PRIu64, pi->frame);
	for (int i = 0; i < C_N; i++)
		printf("\t%.*s", (int)cols[i].n, cols[i].buf);
	printf("\t%s%s\t%u,%u\n", rc == RTCP_OK ? "-" : c.malformed,
	       c.reduced_size ? " reduced" : "", pi->src.port, pi->dst.port);
	d->datagrams++;
	d->packets += c.npkts;
	if (rc != RTCP_OK)
		d->malformed++;
	if (d->seed_dir)
		write_seed(d, pi->frame, p, len);
	if (d->table)
		rtcp_table_update(d->table, rtcp_flow_key(&pi->src, &pi->dst),
				  &c, pi->ts_ns);
}

static void warn(void *user, const char *fmt, ...)
{
	(void)user;
	va_list ap;
	va_start(ap, fmt);
	fputs("rtcpdump: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void print_table(const struct rtcp_table *t)
{
	size_t it = 0;
	const struct rtcp_summary *s;
	while ((s = rtcp_table_next(t, &it))) {
		double j = 0, rtt = 0;
		bool hj = rtcp_summary_jitter_ms(s, 8000, &j);
		bool hr = rtcp_summary_rtt_ms(s, &rtt);
		printf("ssrc 0x%08" PRIx32 " sr %" PRIu32 " blocks %" PRIu32
		       " fraction %u cum %" PRId32 " jitter@8k %s%.3f rtt %s%.3f"
		       " rtt_samples %" PRIu32 " bye %d\n", s->ssrc,
		       s->sender_reports, s->report_blocks, s->fraction_lost,
		       s->cumulative_lost, hj ? "" : "-", hj ? j : 0.0,
		       hr ? "" : "-", hr ? rtt : 0.0, s->rtt_samples, s->bye);
	}
}

static int run_file(struct dump *d, const char *path)
{
	char err[512];
	struct ss_capture *cap = ss_capture_new(warn, NULL, NULL);
	if (!ss_capture_add_file(cap, path, NULL, err, sizeof err)) {
		fprintf(stderr, "rtcpdump: %s\n", err);
		ss_capture_free(cap);
		return 2;
	}
	struct ss_decoder dec;
	(void)ss_decoder_init(&dec, on_payload, d, 0);
	struct ss_frame f;
	uint64_t n = 0;
	while (ss_capture_next(cap, &f) == 1) {
		struct ss_pktinfo pi;
		memset(&pi, 0, sizeof pi);
		pi.ts_ns = f.ts_ns;
		pi.frame = ++n;
		pi.source = f.source;
		ss_decode_frame(&dec, &pi, f.dlt, f.data, f.caplen);
	}
	ss_decoder_free(&dec);
	ss_capture_free(cap);
	return 0;
}

int main(int argc, char **argv)
{
	struct dump d = { 0 };
	bool summary = false;
	int opt;
	while ((opt = getopt(argc, argv, "s:S")) != -1) {
		if (opt == 's')
			d.seed_dir = optarg;
		else if (opt == 'S')
			summary = true;
		else
			return 2;
	}
	if (summary)
		d.table = rtcp_table_new(0);
	int rc = 0;
	for (int i = optind; i < argc && rc == 0; i++) {
		d.file_no = (unsigned)(i - optind);
		rc = run_file(&d, argv[i]);
	}
	if (d.table) {
		print_table(d.table);
		rtcp_table_free(d.table);
	}
	fprintf(stderr, "rtcpdump: %lu datagrams, %lu packets, %lu malformed\n",
		d.datagrams, d.packets, d.malformed);
	if (rc)
		return rc;
	return d.malformed ? 1 : 0;
}
