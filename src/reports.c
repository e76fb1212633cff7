/*
 * reports.c - what sipscope prints: one pass over the inputs builds the
 * dialogs (and prints messages as they come when nothing has to be
 * selected first); the reports are drawn from the model; a second pass
 * prints the messages of the selected dialogs, because message text is
 * not held in memory (files are read again instead).
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "calls_report.h"
#include "callflow.h"
#include "callview.h"
#include "flow.h"
#include "hepsend.h"
#include "media.h"
#include "registration.h"
#include "render.h"
#include "stats_report.h"
#include "xalloc.h"

static void print_message(struct app *a, const struct ss_sip_event *ev)
{
	a->printed++;
	switch (a->opt.format) {
	case FMT_JSON: render_msg_json(a->out, ev); break;
	case FMT_CSV: render_msg_csv(a->out, ev); break;
	default: render_msg_text(a->out, ev, a->index); break;
	}
}

/* Write one frame to the -w file, opening it on the first frame so it
 * takes that frame's link type; a frame of another link type cannot go
 * into the same pcap and is counted instead. */
static void write_frame(struct app *a, const struct ss_frame *f, uint64_t n)
{
	char err[512];
	if (n == a->last_written)
		return;
	a->last_written = n;
	if (!a->writer && !a->write_failed) {
		a->writer = ss_pcap_writer_open(a->opt.write, f->dlt, err, sizeof err);
		if (!a->writer) {
			app_warn(a, "-w %s", err);
			a->write_failed = true;
		}
		a->write_dlt = f->dlt;
	}
	if (!a->writer)
		return;
	if (f->dlt != a->write_dlt) {
		a->write_skipped++;
		return;
	}
	if (!ss_pcap_writer_put(a->writer, f))
		a->write_failed = true;
	else
		a->written++;
}

static void on_frame_pass2(struct app *a, const struct ss_frame *f, uint64_t n)
{
	if (bitset_get(&a->want_frames, n))
		write_frame(a, f, n);
}

/* Without a selection every SIP frame (and every RTP/RTCP frame of a
 * call) is written as it is read, which is what lets -w work on standard
 * input and live capture too. */
static void write_pi_frame(struct app *a, const struct ss_pktinfo *pi)
{
	struct ss_frame f = {
		.data = pi->frame_data, .caplen = pi->frame_caplen,
		.wirelen = pi->frame_caplen, .ts_ns = pi->ts_ns,
		.dlt = pi->dlt, .source = pi->source,
	};
	if (f.data)
		write_frame(a, &f, pi->frame);
}

static void write_event_frame(struct app *a, const struct ss_sip_event *ev)
{
	write_pi_frame(a, ev->pi);
}

static void on_udp_pass1(struct app *a, const struct ss_pktinfo *pi,
			 const uint8_t *p, size_t len)
{
	const struct ss_call *c = ss_media_udp(a->media, pi, p, len);
	if (c && a->opt.write && !a->selecting)
		write_pi_frame(a, pi);
}

static void on_udp_pass2(struct app *a, const struct ss_pktinfo *pi,
			 const uint8_t *p, size_t len)
{
	if (app_media_wanted(a, pi, p, len))
		write_pi_frame(a, pi);
}

static void media_evicted(void *user, struct ss_call *c)
{
	ss_media_evict(user, c);
}

static void on_sip_pass1(void *user, const struct ss_sip_event *ev)
{
	struct app *a = user;
	a->index++;
	if (a->stream_msgs)
		print_message(a, ev);
	if (a->opt.write && !a->selecting)
		write_event_frame(a, ev);
	if (a->spool)
		ss_spool_add(a->spool, a->index, ev);
	if (a->hep_out)
		ss_hep_sender_sip(a->hep_out, ev);
	if (!a->need_corr)
		return;
	ss_stats_msg(&a->stats, ev->msg, false);
	struct ss_call *c = ss_corr_add(a->corr, ev, a->index);
	if (a->media && c)
		ss_media_sip(a->media, c, ev);
	if (a->match && c && !bitset_get(&a->matched, c->id)) {
		ss_str t = ss_sip_text(ev->msg);
		if (ss_match_text(a->match, t.p, t.len))
			bitset_set(&a->matched, c->id);
	}
}

static bool spool_want(void *user, uint64_t index)
{
	return bitset_get(&((struct app *)user)->want, index);
}

static void spool_show(void *user, uint64_t index, const struct ss_sip_event *ev,
		       const uint8_t *frame, size_t frame_len, int dlt)
{
	struct app *a = user;
	a->index = index;
	if (a->pass2_msgs)
		print_message(a, ev);
	if (frame && a->opt.write) {
		struct ss_frame f = { .data = frame, .caplen = frame_len,
				      .wirelen = frame_len, .ts_ns = ev->pi->ts_ns,
				      .dlt = dlt, .source = ev->pi->source };
		write_frame(a, &f, ev->pi->frame);
	}
}

/* The second pass for standard input and live capture: from the spool. */
static int replay_spool(struct app *a, bool write)
{
	(void)write;
	uint64_t lost = ss_spool_replay(a->spool, 1, a->index, spool_want,
					spool_show, a);
	if (lost)
		app_warn(a, "%llu selected messages had already left the spool "
			 "(%llu evicted in all; raise --spool-size)",
			 (unsigned long long)lost,
			 (unsigned long long)ss_spool_evicted(a->spool));
	return 0;
}

static void on_sip_pass2(void *user, const struct ss_sip_event *ev)
{
	struct app *a = user;
	a->index++;
	if (a->pass2_msgs && bitset_get(&a->want, a->index))
		print_message(a, ev);
}

static bool in_call_list(const struct app *a, const struct ss_call *c)
{
	for (size_t i = 0; i < a->opt.ncalls; i++)
		if (strlen(a->opt.calls[i]) == c->call_id_len &&
		    memcmp(a->opt.calls[i], c->call_id, c->call_id_len) == 0)
			return true;
	return false;
}

/* The selection (SPEC "Selection"): every given criterion must hold. */
bool app_pick(void *user, const struct ss_call *c)
{
	struct app *a = user;
	if (a->opt.calls_only && c->method != SIP_M_INVITE)
		return false;
	if (a->opt.ncalls && !in_call_list(a, c)) {
		bool linked = false;
		for (unsigned i = 0; a->opt.legs && i < c->nlinks && !linked; i++)
			linked = in_call_list(a, c->links[i].call);
		if (!linked)
			return false;
	}
	if (a->match && bitset_get(&a->matched, c->id) == a->opt.match_invert)
		return false;
	if (a->filter) {
		struct ss_callview v;
		struct ss_filter_subject subj;
		ss_callview_init(&v, &subj, a->corr, c);
		if (!ss_filter_match(a->filter, &subj))
			return false;
	}
	return true;
}

static void report_stats(struct app *a)
{
	struct ss_corr_summary sum;
	struct stats_state_count states[SS_CS__COUNT];
	size_t n = 0;
	ss_corr_summary(a->corr, &sum);
	a->stats.resent = sum.resent;
	if (sum.setup_n) {
		a->stats.setup_n = sum.setup_n;
		a->stats.setup_min = (double)sum.setup_min_ms;
		a->stats.setup_max = (double)sum.setup_max_ms;
		a->stats.setup_sum = sum.setup_avg_ms * (double)sum.setup_n;
	}
	for (int s = 0; s < SS_CS__COUNT; s++)
		if (sum.calls[s])
			states[n++] = (struct stats_state_count){
				ss_call_state_name((enum ss_call_state)s), sum.calls[s] };
	struct stats_loss losses[sizeof a->losses / sizeof a->losses[0]];
	for (size_t i = 0; i < a->nlosses; i++)
		losses[i] = (struct stats_loss){ a->losses[i].name, a->losses[i].n };
	struct stats_view v = { .st = &a->stats, .losses = losses,
				.nlosses = a->nlosses, .states = states, .nstates = n };
	switch (a->opt.format) {
	case FMT_JSON: render_stats_json(a->out, &v); break;
	case FMT_CSV: render_stats_csv(a->out, &v); break;
	default: render_stats_text(a->out, &v); break;
	}
}

static void report_calls(struct app *a)
{
	struct calls_media cm;
	app_calls_media(a, &cm);
	switch (a->opt.format) {
	case FMT_JSON: render_calls_json(a->out, a->corr, app_pick, a, &cm); break;
	case FMT_CSV: render_calls_csv(a->out, a->corr, app_pick, a); break;
	default: render_calls_text(a->out, a->corr, app_pick, a, &cm); break;
	}
}

static void report_regs(struct app *a)
{
	const struct ss_regs *r = ss_corr_regs(a->corr);
	switch (a->opt.format) {
	case FMT_JSON: render_regs_json(a->out, r, a->last_ts); break;
	case FMT_CSV: render_regs_csv(a->out, r, a->last_ts); break;
	default: render_regs_text(a->out, r, a->last_ts); break;
	}
}

static void flow_one(struct app *a, const struct ss_call *c, bool first)
{
	const struct ss_call *legs[1 + 255];
	size_t n = 0;
	legs[n++] = c;
	for (unsigned i = 0; a->opt.legs && i < c->nlinks; i++)
		legs[n++] = c->links[i].call;
	struct ss_ladder_opts lo = { .merge_hosts = a->opt.merge_hosts,
				     .width = a->opt.width };
	struct ss_ladder_event *media;
	void *store;
	size_t nmedia = app_media_events(a, legs, n, &media, &store);
	struct ss_ladder *lad = ss_callflow_build(a->corr, legs, n, &lo, media, nmedia);
	free(media);
	free(store);
	char title[512];
	snprintf(title, sizeof title, "Call-ID %.*s  %s  %s%s%.0d%s",
		 (int)(c->call_id_len > 300 ? 300 : c->call_id_len), c->call_id,
		 c->method_name ? c->method_name : "?", ss_call_state_name(c->state),
		 c->final_code ? " " : "", c->final_code,
		 n > 1 ? "  (with linked legs)" : "");
	if (!first)
		fputc('\n', a->out);
	render_flow_text(a->out, lad, title, a->opt.ascii);
	ss_ladder_free(lad);
}

/* --report flow: every selected call (with --legs, linked legs drawn in
 * the same ladder and not again on their own). */
static void report_flow(struct app *a)
{
	bool first = true;
	for (const struct ss_call *c = ss_corr_first(a->corr); c; c = c->next) {
		if (!app_pick(a, c))
			continue;
		if (a->opt.legs && a->opt.ncalls && !in_call_list(a, c))
			continue;
		flow_one(a, c, first);
		first = false;
	}
	if (first && a->opt.ncalls)
		app_warn(a, "--call: no such dialog in the input");
}

/* Mark the messages (and frames, for -w) of the selected calls for the
 * second pass. */
static void want_selected(struct app *a)
{
	for (const struct ss_call *c = ss_corr_first(a->corr); c; c = c->next)
		if (app_pick(a, c))
			for (uint32_t i = 0; i < c->nrecs; i++) {
				bitset_set(&a->want, ss_msg_rec_index(c, &c->recs[i]));
				bitset_set(&a->want_frames,
					   ss_msg_rec_frame(c, &c->recs[i]));
			}
}

static bool reread_possible(const struct app *a)
{
	if (a->opt.nifaces || a->opt.nhep_listen)
		return false;
	for (size_t i = 0; i < a->opt.nfiles; i++)
		if (strcmp(a->opt.files[i], "-") == 0)
			return false;
	return true;
}

static void separator(struct app *a, bool *any)
{
	if (*any && a->opt.format == FMT_TEXT)
		fputc('\n', a->out);
	*any = true;
}

static int draw_reports(struct app *a)
{
	unsigned r = a->opt.reports;
	bool any = a->stream_msgs && a->printed;
	if (r & REPORT_CALLS) {
		separator(a, &any);
		report_calls(a);
	}
	if (r & REPORT_STATS) {
		separator(a, &any);
		report_stats(a);
	}
	if (r & REPORT_REGISTRATIONS) {
		separator(a, &any);
		report_regs(a);
	}
	if (r & REPORT_FLOW) {
		separator(a, &any);
		report_flow(a);
	}
	if (r & REPORT_RTP) {
		separator(a, &any);
		app_report_rtp(a);
	}
	if (r & REPORT_DIAGNOSE) {
		separator(a, &any);
		app_report_diagnose(a);
	}
	a->pass2_msgs = (r & REPORT_MESSAGES) && !a->stream_msgs;
	bool pass2_write = a->opt.write && a->selecting;
	if (!a->pass2_msgs && !pass2_write)
		return 0;
	want_selected(a);
	if (a->pass2_msgs) {
		separator(a, &any);
		if (a->opt.format == FMT_CSV)
			render_msg_csv_header(a->out);
	}
	a->on_frame = pass2_write ? on_frame_pass2 : NULL;
	a->on_udp = pass2_write && a->media ? on_udp_pass2 : NULL;
	a->pass = 2;
	a->index = 0;
	if (a->spool)
		return replay_spool(a, pass2_write);
	return app_read_inputs(a, on_sip_pass2);
}

static void say_evictions(struct app *a)
{
	uint64_t ev = ss_corr_evicted(a->corr);
	if (ev)
		app_warn(a, "--limit %zu: %llu finished dialogs were evicted, oldest "
			 "first; the reports cover the %zu still held", a->opt.limit,
			 (unsigned long long)ev, ss_corr_count(a->corr));
	if (a->match && ss_match_limit_hits(a->match))
		app_warn(a, "-m: the regex hit its match limit on %lu messages "
			 "(counted as no match)", ss_match_limit_hits(a->match));
}

static int close_writer(struct app *a, int rc)
{
	char err[512];
	bitset_free(&a->want_frames);
	if (a->write_skipped)
		app_warn(a, "-w: %llu frames of another link type than the first "
			 "could not go into the same pcap",
			 (unsigned long long)a->write_skipped);
	if (a->writer && !ss_pcap_writer_close(a->writer, err, sizeof err)) {
		fprintf(stderr, "sipscope: -w %s: %s\n", a->opt.write, err);
		a->write_failed = true;
	}
	a->writer = NULL;
	if (a->opt.write && !a->write_failed && a->written == 0 && rc == 0)
		app_warn(a, "-w %s: no SIP packet was selected; nothing written",
			 a->opt.write);
	return a->write_failed && rc == 0 ? 2 : rc;
}

static int open_hep_send(struct app *a)
{
	char err[512];
	int status = 2;
	a->hep_out = ss_hep_sender_open(a->opt.hep_send, a->opt.hep_id,
					a->opt.hep_password, &status, err,
					sizeof err);
	if (a->hep_out)
		return 0;
	fprintf(stderr, "sipscope: --hep-send: %s\n", err);
	return status;
}

/* Say what could not be forwarded: never lose messages silently. */
static void close_hep_send(struct app *a)
{
	if (!a->hep_out)
		return;
	const struct ss_hep_send_stats *st = ss_hep_sender_stats(a->hep_out);
	if (st->failed || st->too_big)
		app_warn(a, "--hep-send %s: %llu SIP messages not sent (%llu "
			 "unreachable collector or send error, %llu larger than "
			 "a HEP packet); %llu sent", a->opt.hep_send,
			 (unsigned long long)(st->failed + st->too_big),
			 (unsigned long long)st->failed,
			 (unsigned long long)st->too_big,
			 (unsigned long long)st->sent);
	else if (a->opt.verbose > 0)
		app_warn(a, "--hep-send %s: %llu SIP messages sent",
			 a->opt.hep_send, (unsigned long long)st->sent);
	ss_hep_sender_close(a->hep_out);
	a->hep_out = NULL;
}

/* What the correlator keeps for the reports asked for (ss_corr_keep):
 * only these reports are known to read neither message records nor leg
 * links; any other, a selection drawn as messages, -w or --legs keep
 * both. */
static unsigned corr_keep(const struct app *a, unsigned r)
{
	const unsigned lean = REPORT_STATS | REPORT_REGISTRATIONS | REPORT_MESSAGES;
	if ((r & ~lean) || a->opt.write || a->opt.legs ||
	    (a->selecting && (r & REPORT_MESSAGES)))
		return SS_KEEP_ALL;
	return 0;
}

int app_run(struct app *a)
{
	unsigned r = a->opt.reports;
	int rc;
	a->selecting = a->match || a->filter || a->opt.calls_only || a->opt.ncalls;
	a->need_corr = (r & ~(unsigned)REPORT_MESSAGES) || a->selecting;
	a->last_written = UINT64_MAX;
	a->stream_msgs = (r & REPORT_MESSAGES) && !a->selecting;
	/* Message text is not kept: files are read again; other inputs keep
	 * a bounded copy of recent messages instead. */
	if (((r & REPORT_MESSAGES) || a->opt.write) && a->selecting &&
	    !reread_possible(a))
		a->spool = ss_spool_new((a->opt.spool_mib ? a->opt.spool_mib : 64)
					<< 20, a->opt.write != NULL);
	if (a->opt.hep_send && (rc = open_hep_send(a)) != 0)
		return rc;
	if (a->need_corr) {
		a->corr = ss_corr_new(a->opt.limit);
		ss_corr_keep(a->corr, corr_keep(a, r));
	}
	ss_diag_thresholds_default(&a->thresholds);
	for (size_t i = 0; i < a->opt.nthresholds; i++) {
		char err[256];
		ss_diag_threshold_set(&a->thresholds, a->opt.thresholds[i], err,
				      sizeof err);	/* checked by the CLI */
	}
	/* Media costs per packet: only when a report shows it. */
	if (a->corr && ((r & (REPORT_CALLS | REPORT_RTP | REPORT_DIAGNOSE |
			      REPORT_FLOW)) || a->opt.write)) {
		a->media = ss_media_new();
		ss_corr_on_evict(a->corr, media_evicted, a->media);
		a->on_udp = on_udp_pass1;
	}
	ss_stats_init(&a->stats);
	if (a->stream_msgs && a->opt.format == FMT_CSV)
		render_msg_csv_header(a->out);
	a->pass = 1;
	rc = app_read_inputs(a, on_sip_pass1);
	close_hep_send(a);
	if (rc == 0 && a->corr) {
		ss_corr_expire(a->corr, a->last_ts);
		say_evictions(a);
	}
	if (rc == 0)
		rc = draw_reports(a);
	ss_stats_free(&a->stats);
	bitset_free(&a->matched);
	bitset_free(&a->want);
	ss_spool_free(a->spool);
	a->spool = NULL;
	ss_media_free(a->media, a->corr);
	a->media = NULL;
	free(a->wflows);
	a->wflows = NULL;
	free(a->ssrc_changes);
	a->ssrc_changes = NULL;
	a->on_udp = NULL;
	if (a->corr)
		ss_corr_free(a->corr);
	a->corr = NULL;
	rc = close_writer(a, rc);
	if (rc == 0 && a->damaged && a->opt.strict)
		rc = 2;
	return rc;
}
