/* callflow.c - see callflow.h. */
#include "callflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sipcodes.h"
#include "xalloc.h"

struct ev_text {
	char label[64];
	char src[64], dst[64];
};

static void label_of(const struct ss_call *c, const struct ss_msg_rec *r,
		     char *b, size_t n)
{
	if (r->flags & SS_MF_REQUEST) {
		const char *m = r->method == SIP_M_EXTENSION && c->method == SIP_M_EXTENSION
			? c->method_name : sip_method_name((enum sip_method)r->method);
		snprintf(b, n, "%s", m && *m ? m : "(request)");
		return;
	}
	const char *name = ss_sipcode_name(r->code);
	if (name)
		snprintf(b, n, "%u %s", r->code, name);
	else
		snprintf(b, n, "%u", r->code);
}

static unsigned flags_of(const struct ss_msg_rec *r)
{
	unsigned f = 0;
	if (r->flags & SS_MF_RETRANS)
		f |= SS_LADDER_RETRANS;
	if (r->flags & SS_MF_SDP)
		f |= SS_LADDER_SDP;
	if (r->flags & SS_MF_MALFORMED)
		f |= SS_LADDER_MALFORMED;
	return f;
}

/* Merge the calls' records by message index (capture order): n is small
 * (a call and its legs), so picking the smallest head each time is fine. */
struct ss_ladder *ss_callflow_build(const struct ss_corr *corr,
				    const struct ss_call *const *calls, size_t n,
				    const struct ss_ladder_opts *opts)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += calls[i]->nrecs;
	struct ss_ladder_event *ev = xcalloc(total ? total : 1, sizeof *ev);
	struct ev_text *tx = xcalloc(total ? total : 1, sizeof *tx);
	size_t *pos = xcalloc(n ? n : 1, sizeof *pos);
	for (size_t k = 0; k < total; k++) {
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < n; i++)
			if (pos[i] < calls[i]->nrecs &&
			    (best == SIZE_MAX ||
			     ss_msg_rec_index(calls[i], &calls[i]->recs[pos[i]]) <
			     ss_msg_rec_index(calls[best], &calls[best]->recs[pos[best]])))
				best = i;
		const struct ss_call *c = calls[best];
		const struct ss_msg_rec *r = &c->recs[pos[best]++];
		label_of(c, r, tx[k].label, sizeof tx[k].label);
		ss_addr_format(ss_corr_endpoint(corr, ss_msg_rec_src(c, r)), true, tx[k].src,
			       sizeof tx[k].src);
		ss_addr_format(ss_corr_endpoint(corr, ss_msg_rec_dst(c, r)), true, tx[k].dst,
			       sizeof tx[k].dst);
		ev[k] = (struct ss_ladder_event){
			.ts_ns = ss_msg_rec_ts(c, r), .src = tx[k].src, .dst = tx[k].dst,
			.label = tx[k].label, .detail = NULL,
			.flags = flags_of(r), .ref = ss_msg_rec_index(c, r),
		};
	}
	struct ss_ladder *lad = ss_ladder_build(ev, total, opts);
	free(pos);
	free(tx);
	free(ev);
	return lad;
}
