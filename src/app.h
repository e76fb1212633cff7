/*
 * app.h - the command-line program's state, shared by main.c (options),
 * run.c (reading the inputs through the pipeline) and reports.c (what is
 * printed). This is the UI layer: the core knows nothing of it.
 */
#ifndef SS_APP_H
#define SS_APP_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"
#include "cli.h"
#include "diagnose.h"
#include "dialog.h"
#include "filter.h"
#include "match.h"
#include "pipeline.h"
#include "spool.h"
#include "stats.h"

struct bitset {
	uint8_t *b;
	size_t n;		/* bits */
};

struct app {
	struct ss_opts opt;
	FILE *out;
	bool quiet;
	volatile sig_atomic_t *stop;

	unsigned pass;		/* 1, or 2 when messages are read again */
	uint64_t index;		/* message index within the pass, 1-based */
	int64_t last_ts;	/* latest capture time seen */
	bool damaged;

	bool stream_msgs;	/* print messages as they are read (pass 1) */
	bool need_corr;		/* calls, stats, flow, registrations or a
				 * selection need the correlator */
	bool selecting;		/* -m, -f, -c or --call given */
	struct ss_corr *corr;
	struct ss_stats stats;
	struct ss_match *match;
	struct ss_filter *filter;
	struct bitset matched;	/* by call id: -m matched a message */
	struct bitset want;	/* by message index: print in pass 2 */
	struct bitset want_frames;	/* by frame number: -w in pass 2 */
	struct ss_pcap_writer *writer;	/* -w */
	int write_dlt;
	bool write_failed;
	uint64_t last_written;	/* frame number, so a frame goes in once */
	uint64_t written, write_skipped;
	bool pass2_msgs;
	struct ss_spool *spool;	/* inputs that cannot be read twice */
	/* Pass 1's loss counters, for --report stats (run.c fills them). */
	struct { const char *name; uint64_t n; } losses[24];
	size_t nlosses;
	/* UDP payloads that are not SIP (media), when set (run.c). */
	void (*on_udp)(struct app *a, const struct ss_pktinfo *pi,
		       const uint8_t *p, size_t len);
	/* Called for every frame before it is decoded (pass 2's -w). */
	void (*on_frame)(struct app *a, const struct ss_frame *f, uint64_t n);
	uint64_t printed;
	struct ss_hep_sender *hep_out;	/* --hep-send (hepsend.h) */
	struct ss_keylog *keylog;	/* -k / --rsa-key (keylog.h); NULL: none */
	struct ss_media *media;		/* SDP, RTP, RTCP (media.h); NULL when
					 * no report needs it */
	struct ss_diag_thresholds thresholds;	/* --threshold */
	void *ssrc_changes;	/* media_reports.c: per stream, computed once */
	uint64_t *wflows;	/* -w pass 2: RTCP flows of selected calls */
	size_t nwflows;
	bool wflows_ready;
};

void app_warn(void *user, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Read every input once through the pipeline, calling on_sip per message
 * (run.c). Returns 0, or the exit status of an input error. */
int app_read_inputs(struct app *a, ss_sip_cb on_sip);

/* Everything after the options: passes and reports (reports.c). */
int app_run(struct app *a);

/* The user's selection (-m, -f, -c, --call) keeps c (reports.c). */
bool app_pick(void *user, const struct ss_call *c);

/* The media reports (media_reports.c). */
struct calls_media;
struct ss_problems;
void app_report_rtp(struct app *a);
void app_report_diagnose(struct app *a);
void app_calls_media(struct app *a, struct calls_media *cm);
void app_call_problems(struct app *a, const struct ss_call *c, struct ss_problems *out);
/* The RTP arrows of calls[0..n) for the ladder; free *out and *store. */
struct ss_ladder_event;
size_t app_media_events(struct app *a, const struct ss_call *const *calls, size_t n,
			struct ss_ladder_event **out, void **store);
/* Pass 2 of -w: is this UDP payload RTP/RTCP of a selected call? */
bool app_media_wanted(struct app *a, const struct ss_pktinfo *pi,
		      const uint8_t *p, size_t len);

bool bitset_get(const struct bitset *s, uint64_t i);
void bitset_set(struct bitset *s, uint64_t i);
void bitset_free(struct bitset *s);

#endif
