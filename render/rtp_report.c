/*
 * rtp_report.c - --report rtp in text, JSON and CSV.
 */
#include "rtp_report.h"

#include <inttypes.h>
#include <string.h>

#include "jsonw.h"
#include "rtp.h"
#include "timefmt.h"

static const char *addr_str(const struct ss_addr *a, char *buf, size_t n)
{
	if (!a->family)
		return "";
	ss_addr_format(a, true, buf, n);
	return buf;
}

/* ---- text ----------------------------------------------------------------- */

void render_rtp_text_header(FILE *out)
{
	fprintf(out, "%-15s %-15s %-22s %-22s %-10s %-12s %7s %13s %9s %9s %9s %9s %5s  %s\n",
		"Start", "End", "Source", "Destination", "SSRC", "Payload",
		"Pkts", "Lost", "MaxDelta", "MeanJit", "MaxJit", "MaxBurst",
		"MOS", "Call-ID");
}

/* hh:mm:ss.mmm of the day (UTC), as a table has room for. */
static void clock_str(int64_t ns, char *buf, size_t n)
{
	char full[SS_TIME_BUFLEN];
	ss_time_rfc3339(ns, full, sizeof full);
	const char *t = strchr(full, 'T');
	snprintf(buf, n, "%.12s", t ? t + 1 : full);
}

void render_rtp_text(FILE *out, const struct rtp_row *r)
{
	char a[64], b[64], t0[32], t1[32], pay[32], lost[32], mos[16];
	const struct ss_rtp_summary *s = r->s;
	clock_str(s->first_ns, t0, sizeof t0);
	clock_str(s->last_ns, t1, sizeof t1);
	snprintf(pay, sizeof pay, "%u %s", r->pt, r->codec ? r->codec : "?");
	snprintf(lost, sizeof lost, "%u (%.1f%%)", s->lost, s->lost_pct);
	if (r->s->has_jitter || s->mos.mos > 0)
		snprintf(mos, sizeof mos, "%.2f", s->mos.mos);
	else
		snprintf(mos, sizeof mos, "-");
	fprintf(out, "%-15s %-15s %-22s %-22s 0x%08X %-12.12s %7u %13s %9.3f %9.3f %9.3f %9u %5s  %.*s\n",
		t0, t1, addr_str(&r->src, a, sizeof a), addr_str(&r->dst, b, sizeof b),
		(unsigned)r->ssrc, pay, s->packets, lost,
		s->max_delta_ms < 0 ? 0.0 : s->max_delta_ms,
		s->has_jitter ? s->mean_jitter_ms : 0.0,
		s->has_jitter ? s->max_jitter_ms : 0.0, s->max_burst_loss, mos,
		r->call_id.p ? (int)(r->call_id.len > 200 ? 200 : r->call_id.len) : 8,
		r->call_id.p ? r->call_id.p : "(orphan)");
}

void render_rtp_text_footer(FILE *out, size_t n)
{
	fprintf(out, "%zu RTP streams\n", n);
}

/* ---- JSON ----------------------------------------------------------------- */

static void jnum(FILE *out, const char *k, double v, bool absent, bool *first)
{
	json_key(out, k, first);
	if (absent)
		fputs("null", out);
	else
		fprintf(out, "%.3f", v);
}

static void jint(FILE *out, const char *k, int64_t v, bool *first)
{
	json_key(out, k, first);
	fprintf(out, "%" PRId64, v);
}

static void jstr(FILE *out, const char *k, const char *v, bool *first)
{
	json_key(out, k, first);
	if (v)
		json_str(out, v, strlen(v));
	else
		fputs("null", out);
}

static void json_time(FILE *out, const char *k, int64_t ns, bool *first)
{
	char t[SS_TIME_BUFLEN];
	ss_time_rfc3339(ns, t, sizeof t);
	jstr(out, k, t, first);
}

static void json_rtcp(FILE *out, const struct rtp_row *r)
{
	const struct rtcp_summary *c = r->rtcp;
	double v = 0;	/* written only when the value exists */
	bool first = true;
	if (!c) {
		fputs("null", out);
		return;
	}
	fputc('{', out);
	jint(out, "sender_reports", c->sender_reports, &first);
	bool has_rb = c->report_blocks > 0;
	json_key(out, "fraction_lost", &first);
	if (has_rb)
		fprintf(out, "%.4f", c->fraction_lost / 256.0);
	else
		fputs("null", out);
	json_key(out, "cumulative_lost", &first);
	if (has_rb)
		fprintf(out, "%" PRId32, c->cumulative_lost);
	else
		fputs("null", out);
	bool j = has_rb && rtcp_summary_jitter_ms(c, r->clock_rate, &v);
	jnum(out, "jitter_ms", v, !j, &first);
	bool t = rtcp_summary_rtt_ms(c, &v);
	jnum(out, "rtt_ms", v, !t, &first);
	jint(out, "report_blocks", c->report_blocks, &first);
	json_key(out, "bye", &first);
	fputs(c->bye ? "true" : "false", out);
	if (c->has_voip) {
		json_key(out, "xr_mos_lq", &first);
		if (c->voip.mos_lq && c->voip.mos_lq != 127)
			fprintf(out, "%.1f", c->voip.mos_lq / 10.0);
		else
			fputs("null", out);
		json_key(out, "xr_r_factor", &first);
		if (c->voip.r_factor && c->voip.r_factor != 127)
			fprintf(out, "%u", (unsigned)c->voip.r_factor);
		else
			fputs("null", out);
	}
	fputc('}', out);
}

static void json_dtmf(FILE *out, const struct rtp_row *r)
{
	const struct ss_dtmf_log *d = r->dtmf;
	fputc('[', out);
	for (unsigned i = 0; d && i < d->kept; i++) {
		const struct ss_dtmf_event *e = &d->ev[i];
		bool first = true;
		char digit[2] = { ss_rtp_event_char(e->event), 0 };
		fputs(i ? ",{" : "{", out);
		jstr(out, "digit", digit[0] ? digit : NULL, &first);
		jint(out, "event", e->event, &first);
		json_time(out, "time", e->start_ns, &first);
		jnum(out, "duration_ms", d->clock_hz ? e->duration * 1000.0 / d->clock_hz : 0,
		     !d->clock_hz, &first);
		jint(out, "volume", e->volume, &first);
		fputc('}', out);
	}
	fputc(']', out);
}

/* The keys every row starts with, stream or RTCP-only. */
static void json_head(FILE *out, const struct rtp_row *r, const char *kind,
		      bool *first)
{
	char buf[64];
	fputc('{', out);
	json_key(out, "call_id", first);
	json_slice_or_null(out, r->call_id);
	jstr(out, "kind", kind, first);
	snprintf(buf, sizeof buf, "0x%08X", (unsigned)r->ssrc);
	jstr(out, "ssrc", buf, first);
	jstr(out, "src", addr_str(&r->src, buf, sizeof buf), first);
	jstr(out, "dst", addr_str(&r->dst, buf, sizeof buf), first);
}

void render_rtp_json_obj(FILE *out, const struct rtp_row *r)
{
	const struct ss_rtp_summary *s = r->s;
	bool first = true;
	json_head(out, r, "rtp", &first);
	jint(out, "pt", r->pt, &first);
	jstr(out, "codec", r->codec, &first);
	json_key(out, "clock_rate", &first);
	if (r->clock_rate)
		fprintf(out, "%u", r->clock_rate);
	else
		fputs("null", out);
	json_time(out, "start_time", s->first_ns, &first);
	json_time(out, "end_time", s->last_ns, &first);
	jint(out, "packets", s->packets, &first);
	jint(out, "expected", s->expected, &first);
	jint(out, "lost", s->lost, &first);
	jnum(out, "lost_pct", s->lost_pct, false, &first);
	jint(out, "dups", s->dups, &first);
	jint(out, "out_of_order", s->out_of_order, &first);
	jint(out, "seq_errors", s->seq_errors, &first);
	jnum(out, "max_delta_ms", s->max_delta_ms, s->min_delta_ms < 0, &first);
	jnum(out, "mean_delta_ms", s->mean_delta_ms, s->min_delta_ms < 0, &first);
	jnum(out, "min_jitter_ms", s->min_jitter_ms, !s->has_jitter, &first);
	jnum(out, "mean_jitter_ms", s->mean_jitter_ms, !s->has_jitter, &first);
	jnum(out, "max_jitter_ms", s->max_jitter_ms, !s->has_jitter, &first);
	jint(out, "max_burst_loss", s->max_burst_loss, &first);
	json_key(out, "mos", &first);
	fprintf(out, "%.2f", s->mos.mos);
	json_key(out, "r_factor", &first);
	fprintf(out, "%.1f", s->mos.r);
	json_key(out, "rtcp", &first);
	json_rtcp(out, r);
	jnum(out, "min_delta_ms", s->min_delta_ms, s->min_delta_ms < 0, &first);
	jint(out, "markers", s->markers, &first);
	jint(out, "pt_changes", s->pt_changes, &first);
	jint(out, "bursts", s->bursts, &first);
	json_key(out, "burst_histogram", &first);
	fputc('{', out);
	bool f2 = true;
	for (unsigned i = 0; i < SS_BURST_BUCKETS; i++) {
		if (!s->burst_hist[i])
			continue;
		char k[16];
		uint32_t lo = ss_burst_bucket_min(i);
		uint32_t hi = i + 1 < SS_BURST_BUCKETS ? ss_burst_bucket_min(i + 1) - 1 : 0;
		if (hi == lo)
			snprintf(k, sizeof k, "%u", lo);
		else if (hi)
			snprintf(k, sizeof k, "%u-%u", lo, hi);
		else
			snprintf(k, sizeof k, "%u+", lo);
		jint(out, k, s->burst_hist[i], &f2);
	}
	fputc('}', out);
	jint(out, "wireshark_lost", s->ws_lost, &first);
	json_key(out, "problem", &first);
	fputs(s->problem ? "true" : "false", out);
	jstr(out, "bound_by", r->bound, &first);
	json_key(out, "srtp", &first);
	fputs(r->srtp ? "true" : "false", out);
	json_key(out, "ssrc_changed_from", &first);
	if (r->ssrc_changed)
		fprintf(out, "\"0x%08X\"", (unsigned)r->prev_ssrc);
	else
		fputs("null", out);
	json_key(out, "dtmf", &first);
	json_dtmf(out, r);
	fputc('}', out);
}

void render_rtp_json(FILE *out, const struct rtp_row *r)
{
	render_rtp_json_obj(out, r);
	fputc('\n', out);
}

/* ---- RTCP that no RTP stream explains ------------------------------------- */

void render_rtcp_json(FILE *out, const struct rtp_row *r)
{
	bool first = true;
	json_head(out, r, "rtcp", &first);
	json_time(out, "start_time", r->rtcp->first_ts_ns, &first);
	json_time(out, "end_time", r->rtcp->last_ts_ns, &first);
	json_key(out, "rtcp", &first);
	json_rtcp(out, r);
	fputs("}\n", out);
}

void render_rtcp_text_header(FILE *out)
{
	fputs("\nRTCP without an RTP stream (SSRC, flow, what was reported):\n", out);
}

void render_rtcp_text(FILE *out, const struct rtp_row *r)
{
	char a[64], b[64];
	const struct rtcp_summary *c = r->rtcp;
	double rtt;
	fprintf(out, "  0x%08X  %s <-> %s  %u sender reports, %u report blocks",
		(unsigned)r->ssrc, addr_str(&r->src, a, sizeof a),
		addr_str(&r->dst, b, sizeof b), c->sender_reports, c->report_blocks);
	if (c->report_blocks)
		fprintf(out, ", fraction lost %.1f%%, cumulative lost %d, jitter %u "
			"(timestamp units)", c->fraction_lost * 100.0 / 256.0,
			(int)c->cumulative_lost, c->jitter);
	if (rtcp_summary_rtt_ms(c, &rtt))
		fprintf(out, ", rtt %.3f ms", rtt);
	fprintf(out, "%s\n", c->bye ? ", BYE" : "");
}

/* ---- CSV ------------------------------------------------------------------ */

void render_rtp_csv_header(FILE *out)
{
	fputs("call_id,ssrc,src,dst,pt,codec,clock_rate,start_time,end_time,"
	      "packets,expected,lost,lost_pct,dups,out_of_order,seq_errors,"
	      "max_delta_ms,mean_delta_ms,min_jitter_ms,mean_jitter_ms,"
	      "max_jitter_ms,max_burst_loss,mos,r_factor\r\n", out);
}

static void cnum(FILE *out, double v, bool absent)
{
	if (!absent)
		fprintf(out, "%.3f", v);
	fputc(',', out);
}

void render_rtp_csv(FILE *out, const struct rtp_row *r)
{
	const struct ss_rtp_summary *s = r->s;
	char buf[64], t[SS_TIME_BUFLEN];
	if (r->call_id.p)
		csv_field(out, r->call_id.p, r->call_id.len);
	fprintf(out, ",0x%08X,", (unsigned)r->ssrc);
	const char *a = addr_str(&r->src, buf, sizeof buf);
	csv_field(out, a, strlen(a));
	fputc(',', out);
	a = addr_str(&r->dst, buf, sizeof buf);
	csv_field(out, a, strlen(a));
	fprintf(out, ",%u,", r->pt);
	if (r->codec)
		csv_field(out, r->codec, strlen(r->codec));
	fputc(',', out);
	if (r->clock_rate)
		fprintf(out, "%u", r->clock_rate);
	ss_time_rfc3339(s->first_ns, t, sizeof t);
	fprintf(out, ",%s,", t);
	ss_time_rfc3339(s->last_ns, t, sizeof t);
	fprintf(out, "%s,%u,%u,%u,%.3f,%u,%u,%u,", t, s->packets, s->expected,
		s->lost, s->lost_pct, s->dups, s->out_of_order, s->seq_errors);
	cnum(out, s->max_delta_ms, s->min_delta_ms < 0);
	cnum(out, s->mean_delta_ms, s->min_delta_ms < 0);
	cnum(out, s->min_jitter_ms, !s->has_jitter);
	cnum(out, s->mean_jitter_ms, !s->has_jitter);
	cnum(out, s->max_jitter_ms, !s->has_jitter);
	fprintf(out, "%u,%.2f,%.1f\r\n", s->max_burst_loss, s->mos.mos, s->mos.r);
}
