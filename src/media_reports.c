/*
 * media_reports.c - the media side of what sipscope prints: --report rtp,
 * --report diagnose, and the streams and problems of the call list. The
 * model (media.h, diagnose.h) is read here and handed to the renderers.
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "calls_report.h"
#include "diag_report.h"
#include "ladder.h"
#include "media.h"
#include "media_int.h"
#include "rtcpstats.h"
#include "rtp_report.h"
#include "sdp.h"
#include "streams.h"
#include "xalloc.h"

static const char *codec_of(const struct ss_stream *s, uint8_t pt)
{
	const char *name = NULL;
	uint32_t clock;
	if (s->map && s->map->pt[pt & 127].known && s->map->pt[pt & 127].name.len)
		return s->map->pt[pt & 127].name.p;	/* interned, NUL-terminated */
	if (sdp_static_pt(pt, &name, &clock))
		return name;
	return NULL;
}

/* Streams of one flow (source and destination) in start order: each
 * after the first is an SSRC change on that flow (a new source, e.g.
 * after a re-INVITE or a transfer). */
static int addr_cmp(const struct ss_addr *a, const struct ss_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return memcmp(a->ip, b->ip, a->family == 6 ? 16 : 4);
}

static int by_flow(const void *x, const void *y)
{
	const struct ss_stream *a = *(const struct ss_stream *const *)x;
	const struct ss_stream *b = *(const struct ss_stream *const *)y;
	int c = addr_cmp(&a->src, &b->src);
	if (!c)
		c = addr_cmp(&a->dst, &b->dst);
	return c ? c : a->index < b->index ? -1 : a->index > b->index;
}

/* prev[i]: the SSRC stream i replaced on its flow, or none. */
struct ssrc_change {
	bool changed;
	uint32_t prev;
};

static struct ssrc_change *ssrc_changes(struct app *a)
{
	struct ss_streams *t = ss_media_streams(a->media);
	if (a->ssrc_changes)
		return a->ssrc_changes;
	size_t n = ss_streams_count(t);
	struct ssrc_change *ch = xcalloc(n + 1, sizeof *ch);
	const struct ss_stream **v = xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = ss_streams_at(t, i);
	if (n)
		qsort(v, n, sizeof *v, by_flow);
	for (size_t i = 1; i < n; i++)
		if (ss_addr_equal(&v[i]->src, &v[i - 1]->src) &&
		    ss_addr_equal(&v[i]->dst, &v[i - 1]->dst))
			ch[v[i]->index] = (struct ssrc_change){ true, v[i - 1]->ssrc };
	free(v);
	a->ssrc_changes = ch;
	return ch;
}

/* The row of stream s; sum is its storage. */
static void app_rtp_row(struct app *a, const struct ss_stream *s, struct rtp_row *r,
			struct ss_rtp_summary *sum)
{
	const struct ss_stream_x *x = ss_media_stream_x(a->media, s);
	const struct ss_call *c = ss_media_stream_call(a->media, s);
	static const char *const how[] = { "heuristic", "sdp-destination", "sdp-source" };
	uint8_t kind;
	ss_stream_summary(s, sum);
	memset(r, 0, sizeof *r);
	r->call_id = c ? ss_str_make(c->call_id, c->call_id_len) : SS_STR_NULL;
	r->bound = c ? how[x->bound_by < 3 ? x->bound_by : 0] :
		   (s->flags & SS_STREAM_HEURISTIC) ? "heuristic" : "sdp-expired";
	r->src = s->src;
	r->dst = s->dst;
	r->ssrc = s->ssrc;
	r->pt = s->first_pt;
	r->codec = codec_of(s, s->first_pt);
	ss_pt_resolve(s->map, s->first_pt, &r->clock_rate, &kind);
	r->s = sum;
	r->dtmf = s->st.dtmf;
	r->rtcp = ss_media_rtcp(a->media, s);
	r->srtp = x->srtp;
	const struct ssrc_change *ch = ssrc_changes(a);
	r->ssrc_changed = ch[s->index].changed;
	r->prev_ssrc = ch[s->index].prev;
}

static bool stream_selected(struct app *a, const struct ss_stream *s)
{
	const struct ss_call *c = ss_media_stream_call(a->media, s);
	if (!a->selecting)
		return true;
	return c && app_pick(a, c);
}

static int cmp_ptr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)*(const void *const *)x;
	uintptr_t b = (uintptr_t)*(const void *const *)y;
	return a < b ? -1 : a > b;
}

static int by_time(const void *x, const void *y)
{
	const struct rtcp_summary *a = *(const struct rtcp_summary *const *)x;
	const struct rtcp_summary *b = *(const struct rtcp_summary *const *)y;
	if (a->first_ts_ns != b->first_ts_ns)
		return a->first_ts_ns < b->first_ts_ns ? -1 : 1;
	return a->ssrc < b->ssrc ? -1 : a->ssrc > b->ssrc;
}

/* RTCP about SSRCs that no RTP stream carries: RTCP-only flows, or RTCP
 * whose RTP was not captured. Listed so nothing seen goes unsaid. */
static void report_rtcp_orphans(struct app *a)
{
	struct ss_streams *t = ss_media_streams(a->media);
	size_t n = ss_streams_count(t), norph = 0, iter = 0;
	const void **used = xcalloc(n + 1, sizeof *used);
	for (size_t i = 0; i < n; i++)
		used[i] = ss_media_rtcp(a->media, ss_streams_at(t, i));
	if (n)
		qsort(used, n, sizeof *used, cmp_ptr);
	const struct rtcp_summary *s, **orph = NULL;
	while ((s = rtcp_table_next(a->media->rtcp, &iter)) != NULL) {
		const void *k = s;
		if (n && bsearch(&k, used, n, sizeof *used, cmp_ptr))
			continue;
		orph = xreallocarray(orph, norph + 1, sizeof *orph);
		orph[norph++] = s;
	}
	if (norph)
		qsort(orph, norph, sizeof *orph, by_time);
	if (norph && a->opt.format == FMT_TEXT)
		render_rtcp_text_header(a->out);
	for (size_t i = 0; i < norph && a->opt.format != FMT_CSV; i++) {
		const struct ss_rtcp_flow *f = ss_media_rtcp_flow(a->media, orph[i]->flow_key);
		struct rtp_row r;
		memset(&r, 0, sizeof r);
		r.ssrc = orph[i]->ssrc;
		r.rtcp = orph[i];
		if (f) {
			r.src = f->src;
			r.dst = f->dst;
		}
		if (a->opt.format == FMT_JSON)
			render_rtcp_json(a->out, &r);
		else
			render_rtcp_text(a->out, &r);
	}
	free(orph);
	free(used);
}

void app_report_rtp(struct app *a)
{
	struct ss_streams *t = ss_media_streams(a->media);
	size_t shown = 0;
	if (a->opt.format == FMT_TEXT)
		render_rtp_text_header(a->out);
	else if (a->opt.format == FMT_CSV)
		render_rtp_csv_header(a->out);
	for (size_t i = 0; i < ss_streams_count(t); i++) {
		const struct ss_stream *s = ss_streams_at(t, i);
		if (!stream_selected(a, s))
			continue;
		struct rtp_row r;
		struct ss_rtp_summary sum;
		app_rtp_row(a, s, &r, &sum);
		shown++;
		switch (a->opt.format) {
		case FMT_JSON: render_rtp_json(a->out, &r); break;
		case FMT_CSV: render_rtp_csv(a->out, &r); break;
		default: render_rtp_text(a->out, &r); break;
		}
	}
	if (a->opt.format == FMT_TEXT)
		render_rtp_text_footer(a->out, shown);
	if (!a->selecting)
		report_rtcp_orphans(a);
}

/* ---- diagnosis ----------------------------------------------------------- */

void app_call_problems(struct app *a, const struct ss_call *c, struct ss_problems *out)
{
	const struct ss_call_media *cm = c->media;
	struct ss_stream_view views[64];
	struct ss_diag_input in = { .corr = a->corr, .call = c,
		.capture_has_rtp = ss_streams_count(ss_media_streams(a->media)) > 0 };
	if (cm) {
		in.sdp = cm->sdp;
		in.nsdp = cm->nsdp;
		size_t n = ss_media_views(a->media, c, views, 64);
		in.st = views;
		in.nst = n < 64 ? n : 64;
	}
	ss_diagnose(&in, &a->thresholds, out);
}

void app_report_diagnose(struct app *a)
{
	struct ss_problems ps = { 0 };
	size_t ncalls = 0;
	for (const struct ss_call *c = ss_corr_first(a->corr); c; c = c->next) {
		if (!app_pick(a, c))
			continue;
		ncalls++;
		app_call_problems(a, c, &ps);
	}
	switch (a->opt.format) {
	case FMT_JSON: render_problems_json(a->out, &ps); break;
	case FMT_CSV: render_problems_csv(a->out, &ps); break;
	default: render_problems_text(a->out, &ps, ncalls); break;
	}
	ss_problems_free(&ps);
}

/* ---- the call list's media columns ----------------------------------------- */

static void streams_json(void *user, FILE *out, const struct ss_call *c)
{
	struct app *a = user;
	const struct ss_call_media *cm = c->media;
	fputc('[', out);
	for (uint32_t i = 0; cm && i < cm->nstreams; i++) {
		struct rtp_row r;
		struct ss_rtp_summary sum;
		app_rtp_row(a, cm->streams[i], &r, &sum);
		if (i)
			fputc(',', out);
		render_rtp_json_obj(out, &r);
	}
	fputc(']', out);
}

/* Problem codes of c, comma-separated, into buf (deduplicated). */
static size_t problem_codes(struct app *a, const struct ss_call *c, char *buf,
			    size_t len, bool json)
{
	struct ss_problems ps = { .codes_only = true };
	bool seen[SS_DG__COUNT] = { false };
	size_t n = 0, count = 0;
	app_call_problems(a, c, &ps);
	buf[0] = '\0';
	for (size_t i = 0; i < ps.n; i++) {
		if (seen[ps.v[i].code])
			continue;
		seen[ps.v[i].code] = true;
		const char *name = ss_diag_code_name((enum ss_diag_code)ps.v[i].code);
		int k = snprintf(buf + n, len - n, json ? "%s\"%s\"" : "%s%s",
				 count ? "," : "", name);
		if (k < 0 || (size_t)k >= len - n)
			break;
		n += (size_t)k;
		count++;
	}
	ss_problems_free(&ps);
	return count;
}

static void problems_json(void *user, FILE *out, const struct ss_call *c)
{
	char buf[512];
	problem_codes(user, c, buf, sizeof buf, true);
	fprintf(out, "[%s]", buf);
}

static void media_text(void *user, FILE *out, const struct ss_call *c)
{
	char buf[512];
	const struct ss_call_media *cm = c->media;
	problem_codes(user, c, buf, sizeof buf, false);
	fprintf(out, " %4u %s", cm ? cm->nstreams : 0, buf[0] ? buf : "-");
}

void app_calls_media(struct app *a, struct calls_media *cm)
{
	cm->user = a;
	cm->streams_json = a->media ? streams_json : NULL;
	cm->problems_json = a->media ? problems_json : NULL;
	cm->text = a->media ? media_text : NULL;
}

/* ---- -w: the RTP and RTCP of the selected calls, in pass 2 ----------------- */

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* RTCP flows of the selected calls' streams: the RTP ports themselves
 * (rtcp-mux) and the ports above them (RFC 3550 11). */
static void selected_flows(struct app *a)
{
	struct ss_streams *t = ss_media_streams(a->media);
	size_t n = 0;
	a->wflows = xreallocarray(NULL, 2 * ss_streams_count(t) + 1, sizeof *a->wflows);
	for (size_t i = 0; i < ss_streams_count(t); i++) {
		const struct ss_stream *s = ss_streams_at(t, i);
		const struct ss_call *c = ss_media_stream_call(a->media, s);
		if (!c || !app_pick(a, c))
			continue;
		struct ss_addr x = s->src, y = s->dst;
		a->wflows[n++] = rtcp_flow_key(&x, &y);
		x.port = (uint16_t)(x.port + 1);
		y.port = (uint16_t)(y.port + 1);
		a->wflows[n++] = rtcp_flow_key(&x, &y);
	}
	qsort(a->wflows, n, sizeof *a->wflows, cmp_u64);
	a->nwflows = n;
	a->wflows_ready = true;
}

bool app_media_wanted(struct app *a, const struct ss_pktinfo *pi,
		      const uint8_t *p, size_t len)
{
	if (!a->wflows_ready)
		selected_flows(a);
	if (rtcp_looks_like(p, len)) {
		uint64_t k = rtcp_flow_key(&pi->src, &pi->dst);
		return a->nwflows &&
		       bsearch(&k, a->wflows, a->nwflows, sizeof k, cmp_u64) != NULL;
	}
	if (len < 12)
		return false;
	uint32_t ssrc = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 |
			(uint32_t)p[10] << 8 | p[11];
	const struct ss_stream *s = ss_streams_find(ss_media_streams(a->media),
						    &pi->src, &pi->dst, ssrc);
	const struct ss_call *c = s ? ss_media_stream_call(a->media, s) : NULL;
	return c && app_pick(a, c);
}

/* ---- RTP arrows in the ladder ---------------------------------------------- */

struct media_ev_text {
	char src[64], dst[64], label[48], detail[96];
};

static int by_first(const void *x, const void *y)
{
	const struct ss_ladder_event *a = x, *b = y;
	if (a->ts_ns != b->ts_ns)
		return a->ts_ns < b->ts_ns ? -1 : 1;
	int c = strcmp(a->src, b->src);
	return c ? c : strcmp(a->dst, b->dst);
}

size_t app_media_events(struct app *a, const struct ss_call *const *calls, size_t n,
			struct ss_ladder_event **out, void **store)
{
	size_t total = 0, k = 0;
	*out = NULL;
	*store = NULL;
	if (!a->media)
		return 0;
	for (size_t i = 0; i < n; i++)
		total += calls[i]->media ? calls[i]->media->nstreams : 0;
	if (!total)
		return 0;
	struct ss_ladder_event *ev = xcalloc(total, sizeof *ev);
	struct media_ev_text *tx = xcalloc(total, sizeof *tx);
	for (size_t i = 0; i < n; i++) {
		const struct ss_call_media *cm = calls[i]->media;
		for (uint32_t j = 0; cm && j < cm->nstreams; j++, k++) {
			struct rtp_row r;
			struct ss_rtp_summary sum;
			app_rtp_row(a, cm->streams[j], &r, &sum);
			ss_addr_format(&r.src, true, tx[k].src, sizeof tx[k].src);
			ss_addr_format(&r.dst, true, tx[k].dst, sizeof tx[k].dst);
			snprintf(tx[k].label, sizeof tx[k].label, "RTP %s",
				 r.codec ? r.codec : "?");
			if (sum.has_jitter)
				snprintf(tx[k].detail, sizeof tx[k].detail,
					 "%u pkts, %u lost, jitter %.1f ms",
					 sum.packets, sum.lost, sum.max_jitter_ms);
			else
				snprintf(tx[k].detail, sizeof tx[k].detail,
					 "%u pkts, %u lost", sum.packets, sum.lost);
			ev[k] = (struct ss_ladder_event){
				.ts_ns = sum.first_ns, .src = tx[k].src, .dst = tx[k].dst,
				.label = tx[k].label, .detail = tx[k].detail,
				.flags = SS_LADDER_MEDIA, .ref = UINT64_MAX,
			};
		}
	}
	qsort(ev, k, sizeof *ev, by_first);
	*out = ev;
	*store = tx;
	return k;
}
