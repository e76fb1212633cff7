/*
 * run.c - open the inputs and drive every frame through the pipeline,
 * then say on stderr what could not be decoded (never lose data silently).
 */
#include "app.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "tcp.h"
#include "xalloc.h"

void app_warn(void *user, const char *fmt, ...)
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

bool bitset_get(const struct bitset *s, uint64_t i)
{
	return i < s->n && (s->b[i / 8] >> (i % 8) & 1);
}

void bitset_set(struct bitset *s, uint64_t i)
{
	if (i >= s->n) {
		size_t n = s->n ? s->n : 1024;
		while (n <= i)
			n *= 2;
		s->b = xrealloc(s->b, n / 8);
		memset(s->b + s->n / 8, 0, (n - s->n) / 8);
		s->n = n;
	}
	s->b[i / 8] |= (uint8_t)(1u << (i % 8));
}

void bitset_free(struct bitset *s)
{
	free(s->b);
	s->b = NULL;
	s->n = 0;
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
		app_warn(a, "%llu gaps in TCP streams: %llu bytes never captured",
		     (unsigned long long)t->gaps, (unsigned long long)t->lost_bytes);
	if (s->tcp_resync_bytes)
		app_warn(a, "%llu bytes of SIP over TCP skipped to the next start line "
		     "(after a gap, or in a stream joined mid-message)",
		     (unsigned long long)s->tcp_resync_bytes);
	if (s->tcp_incomplete)
		app_warn(a, "%llu SIP messages over TCP were incomplete when their stream "
		     "or the input ended (%llu bytes)",
		     (unsigned long long)s->tcp_incomplete,
		     (unsigned long long)s->tcp_incomplete_bytes);
	if (t->flows_evicted || t->cap_dropped)
		app_warn(a, "TCP reassembly limits: %llu flows evicted, %llu bytes dropped",
		     (unsigned long long)t->flows_evicted,
		     (unsigned long long)t->cap_dropped);
}

/* Say what was lost, always (unless -q): silently missing data is the one
 * thing a troubleshooting tool must never do. */
static void report_losses(struct app *a, const struct ss_pipeline *pl)
{
	report_tcp_losses(a, pl);
	if (pl->dec.st.unsupported_link)
		app_warn(a, "%llu frames of an unsupported link type were skipped",
		     (unsigned long long)pl->dec.st.unsupported_link);
	if (pl->dec.st.ip_frag_dropped || pl->dec.st.ip_frag_timeouts)
		app_warn(a, "%llu IP datagrams could not be reassembled (%llu timed out, "
		     "%llu dropped at the memory cap)",
		     (unsigned long long)(pl->dec.st.ip_frag_dropped +
					  pl->dec.st.ip_frag_timeouts),
		     (unsigned long long)pl->dec.st.ip_frag_timeouts,
		     (unsigned long long)pl->dec.st.ip_frag_dropped);
}

/* Warnings are said once, on the first pass: a second pass over the same
 * files would repeat them word for word. */
static bool first_pass(const struct app *a)
{
	return a->pass <= 1;
}

int app_read_inputs(struct app *a, ss_sip_cb on_sip)
{
	struct ss_capture *cap = ss_capture_new(app_warn, a, a->stop);
	bool quiet = a->quiet;
	if (!first_pass(a))
		a->quiet = true;
	int rc = open_inputs(a, cap);
	if (rc) {
		ss_capture_free(cap);
		a->quiet = quiet;
		return rc;
	}
	struct ss_pipeline pl;
	ss_pipeline_init(&pl, on_sip, a);
	memcpy(pl.sip_ports, a->opt.sip_ports, sizeof pl.sip_ports);
	pl.nsip_ports = a->opt.nsip_ports;
	struct ss_frame f;
	uint64_t n = 0;
	while (ss_capture_next(cap, &f) == 1) {
		if (f.ts_ns > a->last_ts)
			a->last_ts = f.ts_ns;
		n++;
		if (a->on_frame)
			a->on_frame(a, &f, n);
		ss_pipeline_frame(&pl, &f, n);
	}
	ss_pipeline_finish(&pl);
	if (first_pass(a)) {
		if (a->opt.verbose > 0)
			print_stats(&pl);
		report_losses(a, &pl);
	}
	a->damaged = ss_capture_damaged(cap);
	ss_pipeline_free(&pl);
	ss_capture_free(cap);
	a->quiet = quiet;
	return 0;
}
