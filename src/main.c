/*
 * main.c - sipscope's entry point: options, inputs, the pipeline, and the
 * report the user asked for.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "cli.h"
#include "pipeline.h"
#include "render.h"

/* Set by SIGINT/SIGTERM; the UI layer is the one place a global may live. */
static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

struct app {
	struct ss_opts opt;
	FILE *out;
	uint64_t index;
	bool quiet;
};

static void warn(void *user, const char *fmt, ...)
{
	struct app *a = user;
	va_list ap;
	if (a->quiet)
		return;
	va_start(ap, fmt);
	fputs("sipscope: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void on_sip(void *user, const struct ss_sip_event *ev)
{
	struct app *a = user;
	a->index++;
	switch (a->opt.format) {
	case FMT_JSON: render_msg_json(a->out, ev); break;
	case FMT_CSV: render_msg_csv(a->out, ev); break;
	default: render_msg_text(a->out, ev, a->index); break;
	}
}

/* A capture of a link type we cannot decode would print nothing at all;
 * refuse it up front instead. */
static bool link_type_ok(struct ss_capture *cap, const char *name)
{
	uint32_t last = (uint32_t)ss_capture_count(cap) - 1;
	int dlt = ss_capture_source_dlt(cap, last);
	if (ss_dlt_supported(dlt))
		return true;
	fprintf(stderr, "sipscope: %s: link type %d (%s) is not supported\n",
		name, dlt, ss_capture_dlt_name(dlt));
	return false;
}

static int open_inputs(struct app *a, struct ss_capture *cap)
{
	char err[1024];
	struct ss_live_opts lo = {
		.snaplen = a->opt.snaplen,
		.buffer_mib = a->opt.buffer_mib,
		.promisc = true,
	};
	size_t stdin_uses = 0;
	for (size_t i = 0; i < a->opt.nfiles; i++) {
		if (strcmp(a->opt.files[i], "-") == 0 && ++stdin_uses > 1) {
			fprintf(stderr, "sipscope: -r -: standard input can be read only once\n");
			return 1;
		}
		if (!ss_capture_add_file(cap, a->opt.files[i], a->opt.bpf, err, sizeof err)) {
			fprintf(stderr, "sipscope: %s\n", err);
			return 2;
		}
		if (!link_type_ok(cap, a->opt.files[i]))
			return 2;
	}
	for (size_t i = 0; i < a->opt.nifaces; i++) {
		if (!ss_capture_add_live(cap, a->opt.ifaces[i], &lo, a->opt.bpf,
					 err, sizeof err)) {
			fprintf(stderr, "sipscope: %s\n", err);
			return 2;
		}
		if (!link_type_ok(cap, a->opt.ifaces[i]))
			return 2;
	}
	return 0;
}

static void print_tcp_stats(const struct ss_pipeline *pl)
{
	const struct ss_tcp_stats *t = ss_tcp_stats(pl->tcp);
	fprintf(stderr,
		"sipscope: TCP: %llu segments, %llu bytes in %llu flow directions "
		"(%llu joined mid-stream, %llu not SIP); %llu out of order, "
		"%llu bytes retransmitted; %llu gaps (%llu bytes lost); "
		"%llu timed out, %llu evicted, %llu bytes dropped at the caps\n",
		(unsigned long long)t->segments, (unsigned long long)t->bytes,
		(unsigned long long)t->flows, (unsigned long long)t->midstream,
		(unsigned long long)pl->st.tcp_not_sip,
		(unsigned long long)t->out_of_order,
		(unsigned long long)t->retrans_bytes, (unsigned long long)t->gaps,
		(unsigned long long)t->lost_bytes,
		(unsigned long long)t->flows_timed_out,
		(unsigned long long)t->flows_evicted,
		(unsigned long long)t->cap_dropped);
}

static void print_stats(const struct ss_pipeline *pl)
{
	const struct ss_decode_stats *d = &pl->dec.st;
	const struct ss_pipeline_stats *s = &pl->st;
	fprintf(stderr,
		"sipscope: %llu frames: %llu UDP, %llu TCP, %llu SCTP; %llu IP fragments "
		"(%llu datagrams rebuilt, %llu overlaps, %llu timed out, %llu dropped at the cap); "
		"%llu tunnelled; %llu truncated, %llu malformed, %llu of unsupported link type, "
		"%llu non-IP\n",
		(unsigned long long)d->frames, (unsigned long long)d->udp,
		(unsigned long long)d->tcp, (unsigned long long)d->sctp,
		(unsigned long long)d->ip_fragments, (unsigned long long)d->ip_reassembled,
		(unsigned long long)d->ip_frag_overlaps, (unsigned long long)d->ip_frag_timeouts,
		(unsigned long long)d->ip_frag_dropped, (unsigned long long)d->tunnels,
		(unsigned long long)d->truncated, (unsigned long long)d->malformed,
		(unsigned long long)d->unsupported_link, (unsigned long long)d->non_ip);
	fprintf(stderr, "sipscope: %llu SIP messages, %llu flagged malformed, "
		"%llu unparseable\n",
		(unsigned long long)s->sip_messages, (unsigned long long)s->sip_malformed,
		(unsigned long long)s->sip_unparseable);
	print_tcp_stats(pl);
}

/* TCP: what reassembly could not deliver, and SIP that could not be
 * framed because of it. */
static void report_tcp_losses(struct app *a, const struct ss_pipeline *pl)
{
	const struct ss_tcp_stats *t = ss_tcp_stats(pl->tcp);
	const struct ss_pipeline_stats *s = &pl->st;
	if (t->gaps)
		warn(a, "%llu gaps in TCP streams: %llu bytes never captured",
		     (unsigned long long)t->gaps, (unsigned long long)t->lost_bytes);
	if (s->tcp_resync_bytes)
		warn(a, "%llu bytes of SIP over TCP skipped to the next start line "
		     "(after a gap, or in a stream joined mid-message)",
		     (unsigned long long)s->tcp_resync_bytes);
	if (s->tcp_incomplete)
		warn(a, "%llu SIP messages over TCP were incomplete when their stream "
		     "or the input ended (%llu bytes)",
		     (unsigned long long)s->tcp_incomplete,
		     (unsigned long long)s->tcp_incomplete_bytes);
	if (t->flows_evicted || t->cap_dropped)
		warn(a, "TCP reassembly limits: %llu flows evicted, %llu bytes dropped",
		     (unsigned long long)t->flows_evicted,
		     (unsigned long long)t->cap_dropped);
}

/* Say what was lost, always (unless -q): silently missing data is the one
 * thing a troubleshooting tool must never do. */
static void report_losses(struct app *a, const struct ss_pipeline *pl)
{
	report_tcp_losses(a, pl);
	if (pl->dec.st.unsupported_link)
		warn(a, "%llu frames of an unsupported link type were skipped",
		     (unsigned long long)pl->dec.st.unsupported_link);
	if (pl->dec.st.ip_frag_dropped || pl->dec.st.ip_frag_timeouts)
		warn(a, "%llu IP datagrams could not be reassembled (%llu timed out, "
		     "%llu dropped at the memory cap)",
		     (unsigned long long)(pl->dec.st.ip_frag_dropped +
					  pl->dec.st.ip_frag_timeouts),
		     (unsigned long long)pl->dec.st.ip_frag_timeouts,
		     (unsigned long long)pl->dec.st.ip_frag_dropped);
}

static int run(struct app *a)
{
	struct ss_capture *cap = ss_capture_new(warn, a, &g_stop);
	int rc = open_inputs(a, cap);
	if (rc) {
		ss_capture_free(cap);
		return rc;
	}
	struct ss_pipeline pl;
	ss_pipeline_init(&pl, on_sip, a);
	memcpy(pl.sip_ports, a->opt.sip_ports, sizeof pl.sip_ports);
	pl.nsip_ports = a->opt.nsip_ports;
	if (a->opt.format == FMT_CSV)
		render_msg_csv_header(a->out);
	struct ss_frame f;
	uint64_t n = 0;
	while (ss_capture_next(cap, &f) == 1) {
		ss_pipeline_frame(&pl, &f, ++n);
	}
	ss_pipeline_finish(&pl);
	if (a->opt.verbose > 0)
		print_stats(&pl);
	report_losses(a, &pl);
	bool damaged = ss_capture_damaged(cap);
	ss_pipeline_free(&pl);
	ss_capture_free(cap);
	if (fflush(a->out) != 0 || ferror(a->out)) {
		fprintf(stderr, "sipscope: write error: %s\n", strerror(errno));
		return 2;
	}
	return damaged && a->opt.strict ? 2 : 0;
}

static int finish(struct app *a, int rc)
{
	if (a->out && a->out != stdout && fclose(a->out) != 0 && rc == 0) {
		fprintf(stderr, "sipscope: %s: %s\n", a->opt.output, strerror(errno));
		rc = 2;
	}
	ss_cli_free(&a->opt);
	return rc;
}

int main(int argc, char **argv)
{
	struct app a;
	memset(&a, 0, sizeof a);
	if (ss_cli_parse(&a.opt, argc, argv) != 0)
		return finish(&a, 1);
	if (a.opt.want_help) {
		ss_cli_usage(stdout);
		return finish(&a, 0);
	}
	if (a.opt.want_version) {
		printf("sipscope %s\n", PACKAGE_VERSION);
		return finish(&a, 0);
	}
	if (a.opt.list_ifaces) {
		char err[512];
		bool ok = ss_capture_list_interfaces(stdout, err, sizeof err);
		if (!ok)
			fprintf(stderr, "sipscope: %s\n", err);
		return finish(&a, ok ? 0 : 2);
	}
	if (a.opt.nfiles == 0 && a.opt.nifaces == 0) {
		fputs("sipscope: no input: give -r FILE or -i INTERFACE\n"
		      "Try 'sipscope --help'.\n", stderr);
		return finish(&a, 1);
	}
	a.quiet = a.opt.verbose < 0;
	a.out = stdout;
	if (a.opt.output && !(a.out = fopen(a.opt.output, "w"))) {
		fprintf(stderr, "sipscope: %s: %s\n", a.opt.output, strerror(errno));
		return finish(&a, 2);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	return finish(&a, run(&a));
}
