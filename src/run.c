/*
 * run.c - open the inputs and drive every frame through the pipeline,
 * then say on stderr what could not be decoded (never lose data silently).
 */
#include "app.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture.h"
#include "hep.h"
#include "hepnet.h"
#include "tcp.h"
#include "tls.h"
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

/* --hep-listen: a bad address is a usage error (1), a failed bind an
 * input error (2). */
static int open_hep_listener(struct ss_capture *cap, const char *spec)
{
	struct ss_hep_endpoint ep;
	char err[512];
	int status = 1;
	struct ss_hep_listener *l = NULL;
	if (ss_hep_endpoint_parse(spec, &ep, err, sizeof err))
		l = ss_hep_listener_open(&ep, &status, err, sizeof err);
	if (!l) {
		fprintf(stderr, "sipscope: --hep-listen %s\n", err);
		return status;
	}
	ss_capture_add_hep(cap, l, spec);
	return 0;
}

/* What a HEP listener received: not a frame, but a packet decoded
 * straight into the SIP path (hep.h), numbered like a frame. */
struct hep_feed {
	struct app *a;
	struct ss_pipeline *pl;
	uint64_t *n;
};

static void on_hep_packet(void *user, const uint8_t *p, size_t len)
{
	struct hep_feed *hf = user;
	struct ss_pktinfo pi;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	memset(&pi, 0, sizeof pi);
	pi.ts_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	pi.frame = ++*hf->n;
	pi.dlt = -1;
	if (ss_decode_hep_auth(&hf->pl->dec, &pi, p, len,
			       hf->a->opt.hep_password) &&
	    pi.ts_ns > hf->a->last_ts)
		hf->a->last_ts = pi.ts_ns;
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
	int rc;
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
	for (size_t i = 0; i < a->opt.nhep_listen; i++)
		if ((rc = open_hep_listener(cap, a->opt.hep_listen[i])) != 0)
			return rc;
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

static void print_tls_stats(const struct ss_pipeline *pl)
{
	const struct ss_pipeline_tls_stats *s = &pl->tls;
	if (!s->connections && !s->untracked)
		return;
	fprintf(stderr,
		"sipscope: TLS: %llu connections (%llu resumed), %llu records: "
		"%llu decrypted, %llu without keys, %llu failed, %llu unsupported; "
		"%llu plaintext bytes; %llu key updates\n",
		(unsigned long long)s->connections, (unsigned long long)s->resumed,
		(unsigned long long)s->records, (unsigned long long)s->decrypted,
		(unsigned long long)s->no_keys, (unsigned long long)s->bad_decrypt,
		(unsigned long long)s->unsupported, (unsigned long long)s->plain_bytes,
		(unsigned long long)s->key_updates);
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
	print_tls_stats(pl);
	if (d->hep)
		fprintf(stderr, "sipscope: HEP: %llu packets, %llu not parseable, "
			"%llu of other protocols than SIP, %llu without the auth key\n",
			(unsigned long long)d->hep, (unsigned long long)d->hep_bad,
			(unsigned long long)d->hep_not_sip,
			(unsigned long long)d->hep_auth_failed);
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

/* SIP over TLS: every record that was not decrypted, by reason. */
static void report_tls_losses(struct app *a, const struct ss_pipeline *pl)
{
	const struct ss_pipeline_tls_stats *s = &pl->tls;
	if (s->no_keys)
		app_warn(a, "%llu TLS records without keys in %llu connection%s%s",
			 (unsigned long long)s->no_keys,
			 (unsigned long long)s->no_keys_conns,
			 s->no_keys_conns == 1 ? "" : "s",
			 !a->opt.keylog ? ": give the key log with -k" :
			 " (their secrets are not in the key log)");
	if (s->rsa_no_key)
		app_warn(a, "%llu TLS connections use TLS_RSA key exchange and could "
			 "not be decrypted: %s", (unsigned long long)s->rsa_no_key,
			 a->opt.rsa_key ? "the --rsa-key does not match, or the "
			 "session was resumed (its key log is needed)" :
			 "give the server's key with --rsa-key, or the key log with -k");
	if (s->bad_decrypt)
		app_warn(a, "%llu TLS records failed to decrypt (wrong secrets, or "
			 "damaged)", (unsigned long long)s->bad_decrypt);
	if (s->unsupported) {
		char names[512];
		size_t len = 0;
		names[0] = '\0';
		for (size_t i = 0; i < s->nsuites; i++) {
			const char *n = ss_tls_suite_name(s->suites[i]);
			uint16_t v = s->suite_versions[i];
			char num[32];
			if (!n) {
				snprintf(num, sizeof num, "cipher suite 0x%04x",
					 (unsigned)s->suites[i]);
				n = num;
			}
			int k = snprintf(names + len, sizeof names - len, "%s%s%s",
					 i ? ", " : "", n, v == 0x0301 ? " (TLS 1.0)" :
					 v == 0x0302 ? " (TLS 1.1)" : "");
			if (k < 0 || (size_t)k >= sizeof names - len)
				break;
			len += (size_t)k;
		}
		app_warn(a, "%llu TLS records of unsupported cipher suites or versions "
			 "not decrypted: %s", (unsigned long long)s->unsupported, names);
	}
	if (s->malformed)
		app_warn(a, "%llu TLS handshake messages could not be parsed",
			 (unsigned long long)s->malformed);
	if (s->lost || s->unframed_bytes)
		app_warn(a, "%llu TLS connections lost record framing (a gap, or not "
			 "TLS after all): %llu bytes after it not decrypted",
			 (unsigned long long)s->lost,
			 (unsigned long long)s->unframed_bytes);
	if (s->overflow_bytes)
		app_warn(a, "%llu bytes of TLS plaintext dropped: a message held over "
			 "the %zu MiB cap", (unsigned long long)s->overflow_bytes,
			 SS_TLS_PLAIN_CAP >> 20);
	if (s->untracked || s->untracked_bytes)
		app_warn(a, "%llu TLS connections not decrypted: more than %d at once "
			 "(%llu bytes)", (unsigned long long)s->untracked,
			 SS_TLS_MAX_CONNS, (unsigned long long)s->untracked_bytes);
}

/* Say what was lost, always (unless -q): silently missing data is the one
 * thing a troubleshooting tool must never do. */
static void report_losses(struct app *a, const struct ss_pipeline *pl)
{
	report_tcp_losses(a, pl);
	report_tls_losses(a, pl);
	const struct ws_stats *w = &pl->ws.st;
	if (w->bad || w->oversized || w->unsupported || w->incomplete)
		app_warn(a, "SIP over WebSocket: %llu malformed frames (framing lost), "
		     "%llu messages over the size cap and %llu with extension bits or "
		     "broken fragments skipped, %llu incomplete at the end",
		     (unsigned long long)w->bad, (unsigned long long)w->oversized,
		     (unsigned long long)w->unsupported,
		     (unsigned long long)w->incomplete);
	if (pl->dec.st.hep_auth_failed)
		app_warn(a, "--hep-password: %llu HEP packets dropped: no or another "
			 "auth key", (unsigned long long)pl->dec.st.hep_auth_failed);
	if (pl->dec.st.hep_bad)
		app_warn(a, "%llu HEP packets could not be decoded",
			 (unsigned long long)pl->dec.st.hep_bad);
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

static void loss(struct app *a, const char *name, uint64_t n)
{
	if (n && a->nlosses < sizeof a->losses / sizeof a->losses[0]) {
		a->losses[a->nlosses].name = name;
		a->losses[a->nlosses++].n = n;
	}
}

/* The non-zero loss counters, kept for --report stats: whatever stderr
 * says was lost is in the machine-readable report too. */
static void keep_losses(struct app *a, const struct ss_pipeline *pl)
{
	const struct ss_decode_stats *d = &pl->dec.st;
	const struct ss_tcp_stats *t = ss_tcp_stats(pl->tcp);
	const struct ss_pipeline_stats *s = &pl->st;
	const struct ss_pipeline_tls_stats *l = &pl->tls;
	a->nlosses = 0;
	loss(a, "frames_truncated", d->truncated);
	loss(a, "frames_malformed", d->malformed);
	loss(a, "frames_unsupported_link", d->unsupported_link);
	loss(a, "ip_frag_timeouts", d->ip_frag_timeouts);
	loss(a, "ip_frag_dropped", d->ip_frag_dropped);
	loss(a, "ip_frag_overlaps", d->ip_frag_overlaps);
	loss(a, "tcp_gaps", t->gaps);
	loss(a, "tcp_lost_bytes", t->lost_bytes);
	loss(a, "tcp_flows_evicted", t->flows_evicted);
	loss(a, "tcp_cap_dropped_bytes", t->cap_dropped);
	loss(a, "tcp_resync_bytes", s->tcp_resync_bytes);
	loss(a, "sip_incomplete", s->tcp_incomplete);
	loss(a, "sip_unparseable", s->sip_unparseable);
	loss(a, "tls_records_without_keys", l->no_keys);
	loss(a, "tls_bad_decrypt", l->bad_decrypt);
	loss(a, "tls_unsupported", l->unsupported);
	loss(a, "tls_overflow_bytes", l->overflow_bytes);
	loss(a, "tls_untracked_connections", l->untracked);
}

/* Warnings are said once, on the first pass: a second pass over the same
 * files would repeat them word for word. */
static bool first_pass(const struct app *a)
{
	return a->pass <= 1;
}

static void run_udp(void *user, const struct ss_pktinfo *pi, const uint8_t *p,
		    size_t len)
{
	struct app *a = user;
	a->on_udp(a, pi, p, len);
}

/* The correlator learns a datagram's Call-ID while the rest of it is
 * parsed (sip_parse_hinted): its table lookup then finds the slot in
 * cache. */
static void prefetch_call(void *user, const char *p, size_t n)
{
	ss_corr_prefetch(user, p, n);
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
	if (a->corr) {
		pl.hint.call_id = prefetch_call;
		pl.hint.user = a->corr;
	}
	memcpy(pl.sip_ports, a->opt.sip_ports, sizeof pl.sip_ports);
	pl.nsip_ports = a->opt.nsip_ports;
	pl.keylog = a->keylog;
	if (a->on_udp)
		pl.on_udp = run_udp;
	if (a->opt.hep_port >= 0)
		pl.dec.hep_port = (uint16_t)a->opt.hep_port;
	struct ss_frame f;
	uint64_t n = 0;
	struct hep_feed hf = { a, &pl, &n };
	ss_capture_on_hep(cap, on_hep_packet, &hf);
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
		keep_losses(a, &pl);
	}
	a->damaged = ss_capture_damaged(cap);
	ss_pipeline_free(&pl);
	ss_capture_free(cap);
	a->quiet = quiet;
	return 0;
}
