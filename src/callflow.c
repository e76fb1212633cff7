/* callflow.c - see callflow.h. */
#include "callflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "media.h"
#include "sdp.h"
#include "sipcodes.h"
#include "xalloc.h"

struct ev_text {
	char label[64];
	char src[64], dst[64];
	char detail[48];
};

/* "SDP PCMU", "SDP PCMA sendonly", "SDP hold 0.0.0.0": what an SDP says
 * that a ladder reader wants at a glance (the first audio line's first
 * codec and anything but sendrecv). Empty when the media layer kept no
 * record of the message's SDP. */
static void sdp_hint(const struct ss_call *c, uint32_t rec, char *b, size_t n)
{
	const struct ss_call_media *cm = c->media;
	b[0] = '\0';
	for (uint32_t i = 0; cm && i < cm->nsdp; i++) {
		const struct ss_sdp_entry *e = &cm->sdp[i];
		if (e->rec != rec || e->mtype != SS_MT_AUDIO)
			continue;
		const char *name = NULL;
		uint32_t clock;
		char num[8];
		if (!e->npt || !sdp_static_pt(e->pt[0], &name, &clock)) {
			snprintf(num, sizeof num, "%u", e->npt ? e->pt[0] : 0);
			name = e->npt ? num : "-";
		}
		bool z = ss_addr_classify(&e->addr) == SS_ADDR_ZERO;
		snprintf(b, n, "SDP %s%s%s%s", e->addr.port ? name : "port 0",
			 e->dir != SS_DIR_SENDRECV ? " " : "",
			 e->dir != SS_DIR_SENDRECV ? ss_dir_name((enum ss_dir)e->dir) : "",
			 z ? " 0.0.0.0" : "");
		return;
	}
}

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
/* Media arrows go in by time among the messages (a message first on a
 * tie: the SDP that announced a stream comes before it). */
static struct ss_ladder_event *merge_media(struct ss_ladder_event *ev, size_t n,
					   const struct ss_ladder_event *media,
					   size_t nmedia)
{
	struct ss_ladder_event *out = xcalloc(n + nmedia + 1, sizeof *out);
	size_t i = 0, k = 0, o = 0;
	while (i < n || k < nmedia)
		if (k == nmedia || (i < n && ev[i].ts_ns <= media[k].ts_ns))
			out[o++] = ev[i++];
		else
			out[o++] = media[k++];
	free(ev);
	return out;
}

struct ss_ladder *ss_callflow_build(const struct ss_corr *corr,
				    const struct ss_call *const *calls, size_t n,
				    const struct ss_ladder_opts *opts,
				    const struct ss_ladder_event *media, size_t nmedia)
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
		uint32_t rec = (uint32_t)pos[best];
		const struct ss_msg_rec *r = &c->recs[pos[best]++];
		if (r->flags & SS_MF_SDP)
			sdp_hint(c, rec, tx[k].detail, sizeof tx[k].detail);
		label_of(c, r, tx[k].label, sizeof tx[k].label);
		ss_addr_format(ss_corr_endpoint(corr, ss_msg_rec_src(c, r)), true, tx[k].src,
			       sizeof tx[k].src);
		ss_addr_format(ss_corr_endpoint(corr, ss_msg_rec_dst(c, r)), true, tx[k].dst,
			       sizeof tx[k].dst);
		ev[k] = (struct ss_ladder_event){
			.ts_ns = ss_msg_rec_ts(c, r), .src = tx[k].src, .dst = tx[k].dst,
			.label = tx[k].label,
			.detail = tx[k].detail[0] ? tx[k].detail : NULL,
			.flags = flags_of(r), .ref = ss_msg_rec_index(c, r),
		};
	}
	if (nmedia)
		ev = merge_media(ev, total, media, nmedia);
	struct ss_ladder *lad = ss_ladder_build(ev, total + nmedia, opts);
	free(pos);
	free(tx);
	free(ev);
	return lad;
}
