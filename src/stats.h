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
void ss_stats_ext_(struct ss_stats *s, ss_str name);	/* stats.c */
/* Count one message; resent says the correlator saw it before. Inline:
 * it runs per message. */
static inline void ss_stats_msg(struct ss_stats *s, const struct sip_msg *m, bool resent)
{
	s->messages++;
	s->resent += resent;
	s->malformed += m->malformed != NULL;
	if (m->is_request) {
		if (m->method == SIP_M_EXTENSION)
			ss_stats_ext_(s, m->method_str);
		else
			s->method[m->method]++;
	} else if (m->status >= 100 && m->status <= 699) {
		s->code[m->status - 100]++;
	} else if (m->status) {
		s->code_other++;	/* a status line with a code out of range */
	}
}
/* One INVITE-to-200 setup time. */
void ss_stats_setup(struct ss_stats *s, double ms);

#endif
