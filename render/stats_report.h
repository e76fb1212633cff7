/*
 * stats_report.h - --report stats in text, json and csv. The caller
 * passes the message counters and the call states it counted.
 */
#ifndef SS_STATS_REPORT_H
#define SS_STATS_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "stats.h"

struct stats_state_count {
	const char *state;
	uint64_t n;
};

/* What the transports could not deliver (SPEC: drops are reported in
 * --report stats too, not only on stderr). */
struct stats_loss {
	const char *name;	/* a stable key, e.g. "tcp_gaps" */
	uint64_t n;
};

struct stats_view {
	const struct ss_stats *st;
	const struct stats_loss *losses;
	size_t nlosses;
	const struct stats_state_count *states;	/* calls per state */
	size_t nstates;
};

void render_stats_text(FILE *out, const struct stats_view *v);
void render_stats_json(FILE *out, const struct stats_view *v);
void render_stats_csv(FILE *out, const struct stats_view *v);

#endif
