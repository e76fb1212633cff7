/*
 * stats.h - message counters for --report stats (SPEC): messages,
 * resent, requests per method, responses per code, and setup times.
 * Counts follow tshark's -z sip,stat so the two can be compared: every
 * SIP message counts once, retransmissions included, and "resent" counts
 * the retransmissions among them.
 */
#ifndef SS_STATS_H
#define SS_STATS_H

#include <stdbool.h>
#include <stdint.h>

#include "sip.h"

#define SS_STATS_MAX_EXT 64	/* distinct extension methods named */

struct ss_stats {
	uint64_t messages;
	uint64_t resent;
	uint64_t malformed;
	uint64_t method[SIP_M__COUNT];	/* by enum sip_method */
	struct {
		char *name;		/* owned */
		uint64_t n;
	} ext[SS_STATS_MAX_EXT];
	size_t next;
	uint64_t ext_other;	/* extension methods past SS_STATS_MAX_EXT */
	uint64_t code[600];	/* code - 100, for 100..699 */
	uint64_t code_other;	/* status codes outside 100..699 */
	uint64_t setup_n;
	double setup_min, setup_max, setup_sum;	/* ms */
};

void ss_stats_init(struct ss_stats *s);
void ss_stats_free(struct ss_stats *s);
/* Count one message; resent says the correlator saw it before. */
void ss_stats_msg(struct ss_stats *s, const struct sip_msg *m, bool resent);
/* One INVITE-to-200 setup time. */
void ss_stats_setup(struct ss_stats *s, double ms);

#endif
