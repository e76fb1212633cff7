/*
 * diagnose.c - expected media against observed media, and the SIP-level
 * problems of a call (rules in diagnose.h).
 */
#include "diagnose.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "media.h"
#include "xalloc.h"

static const char *const code_names[SS_DG__COUNT] = {
	"ONE_WAY_AUDIO", "NO_MEDIA", "SDP_PRIVATE_ADDRESS",
	"NAT_ADDRESS_MISMATCH", "MEDIA_TO_WRONG_ADDRESS", "HOLD",
	"ZERO_ADDRESS", "CODEC_MISMATCH", "HIGH_LOSS", "HIGH_JITTER",
	"LOW_MOS", "LATE_MEDIA", "NO_ACK", "AUTH_LOOP", "SLOW_SETUP",
	"RETRANSMISSIONS",
};

const char *ss_diag_code_name(enum ss_diag_code c)
{
	return (unsigned)c < SS_DG__COUNT ? code_names[c] : "?";
}

const char *ss_severity_name(enum ss_severity s)
{
	return s == SS_SEV_ERROR ? "error" : s == SS_SEV_WARNING ? "warning" :
	       "info";
}

const char *ss_dir_name(enum ss_dir d)
{
	static const char *const n[] = { "sendrecv", "sendonly", "recvonly",
					 "inactive" };
	return (unsigned)d < 4 ? n[d] : "?";
}

void ss_diag_thresholds_default(struct ss_diag_thresholds *t)
{
	t->loss_pct = 2.0;
	t->jitter_ms = 30.0;
	t->mos = 3.6;
	t->late_ms = 2000;
	t->pdd_ms = 5000;
	t->retrans = 3;
	t->min_packets = 50;
	t->media_wait_ms = 1000;
}

bool ss_diag_threshold_set(struct ss_diag_thresholds *t, const char *spec,
			   char *err, size_t errlen)
{
	const char *eq = strchr(spec, '=');
	char *end = NULL;
	double v = eq ? strtod(eq + 1, &end) : 0;
	if (!eq || end == eq + 1 || *end || v < 0 || v > 1e9) {
		snprintf(err, errlen, "'%s': expected NAME=NUMBER (loss, jitter, "
			 "mos, late, pdd, retrans, packets, wait)", spec);
		return false;
	}
	size_t n = (size_t)(eq - spec);
#define IS(name) (n == strlen(name) && memcmp(spec, name, n) == 0)
	if (IS("loss"))
		t->loss_pct = v;
	else if (IS("jitter"))
		t->jitter_ms = v;
	else if (IS("mos"))
		t->mos = v;
	else if (IS("late"))
		t->late_ms = (int64_t)v;
	else if (IS("pdd"))
		t->pdd_ms = (int64_t)v;
	else if (IS("retrans"))
		t->retrans = (uint32_t)v;
	else if (IS("packets"))
		t->min_packets = (uint64_t)v;
	else if (IS("wait"))
		t->media_wait_ms = (int64_t)v;
	else {
		snprintf(err, errlen, "'%.*s': no such threshold (loss, jitter, "
			 "mos, late, pdd, retrans, packets, wait)", (int)n, spec);
		return false;
	}
#undef IS
	return true;
}

/* ---- building problems -------------------------------------------------- */

static char *vfmt(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

__attribute__((format(printf, 4, 5)))
static struct ss_problem *problem(struct ss_problems *out, const struct ss_diag_input *in,
				  enum ss_diag_code code, const char *fmt, ...)
{
	static const uint8_t sev[SS_DG__COUNT] = {
		[SS_DG_ONE_WAY_AUDIO] = SS_SEV_ERROR,
		[SS_DG_NO_MEDIA] = SS_SEV_ERROR,
		[SS_DG_SDP_PRIVATE_ADDRESS] = SS_SEV_WARNING,
		[SS_DG_NAT_ADDRESS_MISMATCH] = SS_SEV_WARNING,
		[SS_DG_MEDIA_TO_WRONG_ADDRESS] = SS_SEV_ERROR,
		[SS_DG_HOLD] = SS_SEV_INFO,
		[SS_DG_ZERO_ADDRESS] = SS_SEV_INFO,
		[SS_DG_CODEC_MISMATCH] = SS_SEV_ERROR,
		[SS_DG_HIGH_LOSS] = SS_SEV_WARNING,
		[SS_DG_HIGH_JITTER] = SS_SEV_WARNING,
		[SS_DG_LOW_MOS] = SS_SEV_WARNING,
		[SS_DG_LATE_MEDIA] = SS_SEV_WARNING,
		[SS_DG_NO_ACK] = SS_SEV_ERROR,
		[SS_DG_AUTH_LOOP] = SS_SEV_ERROR,
		[SS_DG_SLOW_SETUP] = SS_SEV_WARNING,
		[SS_DG_RETRANSMISSIONS] = SS_SEV_WARNING,
	};
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 8;
		out->v = xreallocarray(out->v, out->cap, sizeof *out->v);
	}
	struct ss_problem *p = &out->v[out->n++];
	memset(p, 0, sizeof *p);
	p->call = in->call;
	p->code = (uint8_t)code;
	p->severity = sev[code];
	p->bare = out->codes_only;
	if (p->bare)
		return p;
	va_list ap;
	va_start(ap, fmt);
	p->summary = vfmt(fmt, ap);
	va_end(ap);
	return p;
}

__attribute__((format(printf, 4, 5)))
static void ev(struct ss_problem *p, const char *key, enum ss_ev_kind kind,
	       const char *fmt, ...)
{
	if (p->bare || p->nev == SS_DIAG_MAX_EV)
		return;
	va_list ap;
	va_start(ap, fmt);
	p->ev[p->nev].key = key;
	p->ev[p->nev].kind = (uint8_t)kind;
	p->ev[p->nev++].val = vfmt(fmt, ap);
	va_end(ap);
}

void ss_problems_free(struct ss_problems *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].summary);
		for (size_t k = 0; k < p->v[i].nev; k++)
			free(p->v[i].ev[k].val);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

/* ---- what the SDP says ---------------------------------------------------- */

static const char *side_name(int s)
{
	return s == 0 ? "caller" : s == 1 ? "callee" : "unknown side";
}

struct addrbuf {
	char s[64];
};

static const char *fmt_addr(struct addrbuf *b, const struct ss_addr *a, bool port)
{
	if (!a->family)
		snprintf(b->s, sizeof b->s, "(none)");
	else
		ss_addr_format(a, port, b->s, sizeof b->s);
	return b->s;
}

static bool zero_ip(const struct ss_addr *a)
{
	return ss_addr_classify(a) == SS_ADDR_ZERO;
}

/* No media to this entry's address: held with c=0.0.0.0, or rejected. */
static bool entry_dead(const struct ss_sdp_entry *e)
{
	return !e->addr.family || zero_ip(&e->addr) || e->addr.port == 0;
}

static bool can_send(const struct ss_sdp_entry *e)
{
	return e->dir == SS_DIR_SENDRECV || e->dir == SS_DIR_SENDONLY;
}

static bool can_recv(const struct ss_sdp_entry *e)
{
	return !entry_dead(e) &&
	       (e->dir == SS_DIR_SENDRECV || e->dir == SS_DIR_RECVONLY);
}

/* Only RTP audio decides about one-way audio. */
static bool audio(const struct ss_sdp_entry *e)
{
	return e->mtype == SS_MT_AUDIO && !(e->flags & SS_SE_NOT_RTP);
}

struct plan {
	const struct ss_sdp_entry *last[2];	/* latest audio SDP per side */
	bool expected[2];	/* direction d: side d sends to side 1 - d */
	bool ever[2];		/* expected at some point (an exchange) */
	bool held[2];		/* switched off by a direction attribute or a
				 * zero address at some point */
	bool observed[2];	/* RTP that can arrive */
	const struct ss_stream_view *lost_to_nat[2];	/* RTP sent where it
				 * cannot arrive: a private address behind
				 * the receiver's NAT */
	const struct ss_stream_view *misdirected[2];	/* RTP sent elsewhere
				 * than the receiver asked (and not to where
				 * its own RTP comes from) */
	int64_t first_rtp[2];
};

static bool private_class(const struct ss_addr *a);
static bool public_class(const struct ss_addr *a);
static bool latched(const struct ss_diag_input *in, int peer, const struct ss_addr *dst);

/* RTP from a public address to a private one whose owner signals from a
 * public address (its NAT's): nothing routes it there. */
static bool unreachable(const struct ss_diag_input *in, const struct ss_stream_view *v)
{
	if (v->to_side < 0 || !private_class(&v->dst) || !public_class(&v->src))
		return false;
	for (size_t i = 0; i < in->nsdp; i++) {
		const struct ss_sdp_entry *e = &in->sdp[i];
		if (e->side != v->to_side || !ss_addr_ip_equal(&e->addr, &v->dst) ||
		    e->rec >= in->call->nrecs)
			continue;
		const struct ss_addr *sig = ss_corr_endpoint(in->corr,
			ss_msg_rec_src(in->call, &in->call->recs[e->rec]));
		if (public_class(sig))
			return true;
	}
	return false;
}

/* Direction d is possible between the sender's entry s and the
 * receiver's entry r. */
static bool flows(const struct ss_sdp_entry *s, const struct ss_sdp_entry *r)
{
	return s && r && can_send(s) && can_recv(r);
}

static void plan_sdp(const struct ss_diag_input *in, struct plan *pl)
{
	const struct ss_sdp_entry *cur[2] = { NULL, NULL };
	for (size_t i = 0; i < in->nsdp; i++) {
		const struct ss_sdp_entry *e = &in->sdp[i];
		if (!audio(e) || e->side > 1)
			continue;
		if (e->m_index != 0 && cur[e->side] &&
		    cur[e->side]->rec == e->rec)
			continue;	/* a second audio line: the first rules */
		cur[e->side] = e;
		for (int d = 0; d < 2; d++) {
			const struct ss_sdp_entry *s = cur[d], *r = cur[1 - d];
			if (!s || !r)
				continue;
			if (flows(s, r))
				pl->ever[d] = true;
			else if (s->dir != SS_DIR_SENDRECV ||
				 r->dir != SS_DIR_SENDRECV || zero_ip(&r->addr))
				pl->held[d] = true;
		}
	}
	pl->last[0] = cur[0];
	pl->last[1] = cur[1];
	for (int d = 0; d < 2; d++)
		pl->expected[d] = flows(cur[d], cur[1 - d]);
}

/* The direction of a stream: toward the side whose SDP address it was
 * sent to, else from the side whose SDP address sent it. */
static int stream_dir(const struct ss_stream_view *v)
{
	if (v->to_side == 0 || v->to_side == 1)
		return 1 - v->to_side;
	if (v->from_side == 0 || v->from_side == 1)
		return v->from_side;
	return -1;
}

static void plan_streams(const struct ss_diag_input *in, struct plan *pl)
{
	pl->first_rtp[0] = pl->first_rtp[1] = -1;
	for (size_t i = 0; i < in->nst; i++) {
		const struct ss_stream_view *v = &in->st[i];
		int d = stream_dir(v);
		if (d < 0 || !v->packets || v->dtmf_or_cn)
			continue;
		if (unreachable(in, v)) {
			pl->lost_to_nat[d] = v;
			continue;
		}
		if (v->to_side < 0 && !latched(in, 1 - d, &v->dst)) {
			pl->misdirected[d] = v;
			continue;
		}
		pl->observed[d] = true;
		if (pl->first_rtp[d] < 0 || v->first_ns < pl->first_rtp[d])
			pl->first_rtp[d] = v->first_ns;
	}
}

static const char *dir_label(int d)
{
	return d == 0 ? "caller -> callee" : "callee -> caller";
}

/* The SDP lines that state where side s wants media, quoted. */
static void ev_sdp(struct ss_problem *p, const struct ss_sdp_entry *e)
{
	struct addrbuf b;
	if (!e || p->bare)
		return;
	if (e->addr.family)
		ev(p, "sdp", SS_EV_LIST, "%s: c=IN IP%d %s", side_name(e->side),
		   e->addr.family, fmt_addr(&b, &e->addr, false));
	char pts[8 * 4 + 1] = "";
	size_t len = 0;
	for (unsigned i = 0; i < e->npt && len + 5 < sizeof pts; i++)
		len += (size_t)snprintf(pts + len, sizeof pts - len, " %u", e->pt[i]);
	ev(p, "sdp", SS_EV_LIST, "%s: m=%s %u RTP/AVP%s%s", side_name(e->side),
	   e->mtype == SS_MT_AUDIO ? "audio" : e->mtype == SS_MT_VIDEO ? "video" :
	   e->mtype == SS_MT_IMAGE ? "image" : "other", e->addr.port, pts,
	   e->flags & SS_SE_MORE_PT ? " ..." : "");
	ev(p, "sdp", SS_EV_LIST, "%s: a=%s", side_name(e->side), ss_dir_name(e->dir));
}

static void ev_stream(struct ss_problem *p, const char *key, const struct ss_stream_view *v)
{
	struct addrbuf a, b;
	if (p->bare)
		return;
	ev(p, key, SS_EV_LIST, "%s -> %s ssrc 0x%08X pt %u, %llu packets",
	   fmt_addr(&a, &v->src, true), fmt_addr(&b, &v->dst, true), (unsigned)v->ssrc,
	   v->pt_first, (unsigned long long)v->packets);
}

static void ev_streams(struct ss_problem *p, const struct ss_diag_input *in)
{
	for (size_t i = 0; i < in->nst; i++)
		ev_stream(p, "observed", &in->st[i]);
}

static bool answered(const struct ss_call *c)
{
	return (c->flags & SS_CF_ANSWERED) != 0;
}

/* A linked leg (B2BUA, X-Call-ID) whose media was captured. */
static const struct ss_call *leg_with_media(const struct ss_call *c)
{
	for (unsigned i = 0; i < c->nlinks; i++) {
		const struct ss_call *o = c->links[i].call;
		if (o != c && o->media && o->media->nstreams)
			return o;
	}
	return NULL;
}

/* How long the call was answered: a call hung up within milliseconds
 * had no time to send media. */
static int64_t answered_ms(const struct ss_call *c)
{
	if (c->duration_ms >= 0)
		return c->duration_ms;
	if (c->answer_ts < 0 || c->end_ts < c->answer_ts)
		return 0;
	return (c->end_ts - c->answer_ts) / 1000000;
}

static void check_missing(const struct ss_diag_input *in, const struct plan *pl,
			  const struct ss_diag_thresholds *t, struct ss_problems *out)
{
	const struct ss_call *c = in->call;
	if (!answered(c) || (!pl->ever[0] && !pl->ever[1]) ||
	    answered_ms(c) < t->media_wait_ms)
		return;
	struct addrbuf b;
	if (!pl->observed[0] && !pl->observed[1] && !pl->lost_to_nat[0] &&
	    !pl->lost_to_nat[1] && !pl->misdirected[0] && !pl->misdirected[1]) {
		const struct ss_call *leg = leg_with_media(c);
		struct ss_problem *p = leg ?
			problem(out, in, SS_DG_NO_MEDIA, "No RTP of this call was "
				"captured, but its linked leg %.*s carried media: the "
				"capture point probably does not see this leg's media "
				"path.", (int)(leg->call_id_len > 80 ? 80 : leg->call_id_len),
				leg->call_id) :
			problem(out, in, SS_DG_NO_MEDIA,
			"The call was answered and the SDP asked for media, but no RTP "
			"was seen in either direction%s.", in->capture_has_rtp ? "" :
			" (the capture holds no RTP at all: was it filtered to the "
			"signalling?)");
		if (leg)
			p->severity = SS_SEV_INFO;
		else if (!in->capture_has_rtp)
			p->severity = SS_SEV_WARNING;	/* maybe filtered away */
		for (int s = 0; s < 2; s++)
			ev_sdp(p, pl->last[s]);
		ev(p, "rtp_streams", SS_EV_NUM, "%zu", in->nst);
		return;
	}
	for (int d = 0; d < 2; d++) {
		if (pl->observed[d] || !pl->observed[1 - d] || !pl->ever[d] ||
		    pl->held[d])
			continue;
		const struct ss_sdp_entry *r = pl->last[1 - d];
		const struct ss_stream_view *v = pl->lost_to_nat[d];
		struct addrbuf b2;
		if (v) {
			struct ss_problem *p = problem(out, in, SS_DG_ONE_WAY_AUDIO,
				"One-way audio: the %s sends its RTP to %s, the %s's private "
				"address from its SDP, which cannot be reached behind its NAT, "
				"so the %s hears nothing.", side_name(d),
				fmt_addr(&b, &v->dst, true), side_name(1 - d), side_name(1 - d));
			ev(p, "missing", SS_EV_STR, "%s", dir_label(d));
			ev(p, "sent_to", SS_EV_STR, "%s", fmt_addr(&b, &v->dst, true));
			ev(p, "fix", SS_EV_STR, "send to where the %s's RTP comes from "
			   "(symmetric RTP / comedia, a media relay), or have the %s "
			   "advertise its public address (STUN, ICE, an ALG)",
			   side_name(1 - d), side_name(1 - d));
			for (int s2 = 0; s2 < 2; s2++)
				ev_sdp(p, pl->last[s2]);
			ev_streams(p, in);
			continue;
		}
		if ((v = pl->misdirected[d]) != NULL) {
			struct ss_problem *p = problem(out, in, SS_DG_ONE_WAY_AUDIO,
				"One-way audio: the %s sends its RTP to %s, not to %s where "
				"the %s's SDP asked for it, so the %s hears nothing.",
				side_name(d), fmt_addr(&b, &v->dst, true),
				r ? fmt_addr(&b2, &r->addr, true) : "?", side_name(1 - d),
				side_name(1 - d));
			ev(p, "missing", SS_EV_STR, "%s", dir_label(d));
			ev(p, "sent_to", SS_EV_STR, "%s", fmt_addr(&b, &v->dst, true));
			for (int s2 = 0; s2 < 2; s2++)
				ev_sdp(p, pl->last[s2]);
			ev_streams(p, in);
			continue;
		}
		struct ss_problem *p = problem(out, in, SS_DG_ONE_WAY_AUDIO,
			"One-way audio: the %s sent RTP but the %s never sent any to %s, "
			"so the %s hears nothing.", side_name(1 - d), side_name(d),
			r ? fmt_addr(&b, &r->addr, true) : "its peer", side_name(1 - d));
		ev(p, "missing", SS_EV_STR, "%s", dir_label(d));
		if (r)
			ev(p, "expected_to", SS_EV_STR, "%s", fmt_addr(&b, &r->addr, true));
		for (int s = 0; s < 2; s++)
			ev_sdp(p, pl->last[s]);
		ev_streams(p, in);
	}
}

static void check_hold(const struct ss_diag_input *in, struct ss_problems *out)
{
	struct ss_problem *p = NULL;
	struct addrbuf b;
	for (size_t i = 0; i < in->nsdp; i++) {
		const struct ss_sdp_entry *e = &in->sdp[i];
		if (!audio(e) || (e->dir == SS_DIR_SENDRECV && !zero_ip(&e->addr)))
			continue;
		if (!p)
			p = problem(out, in, SS_DG_HOLD,
				    "The %s put the media %s (a=%s%s): silence in that "
				    "direction is expected, not a fault.", side_name(e->side),
				    e->dir == SS_DIR_INACTIVE ? "inactive" : "on hold",
				    ss_dir_name(e->dir), zero_ip(&e->addr) ?
				    ", c=0.0.0.0" : "");
		ev(p, "sdp", SS_EV_LIST, "%s %s: a=%s c=%s", side_name(e->side),
		   e->flags & SS_SE_OFFER ? "offer" : "answer", ss_dir_name(e->dir),
		   fmt_addr(&b, &e->addr, true));
	}
}

static void check_zero(const struct ss_diag_input *in, struct ss_problems *out)
{
	bool seen[2] = { false, false };
	struct addrbuf b;
	for (size_t i = 0; i < in->nsdp; i++) {
		const struct ss_sdp_entry *e = &in->sdp[i];
		if (e->mtype != SS_MT_AUDIO || e->side > 1 || seen[e->side] ||
		    !(zero_ip(&e->addr) || e->addr.port == 0))
			continue;
		seen[e->side] = true;
		bool port0 = e->addr.port == 0;
		struct ss_problem *p = problem(out, in, SS_DG_ZERO_ADDRESS,
			port0 ? "The %s's SDP %s the audio stream with port 0." :
			"The %s's SDP gives the address 0.0.0.0 (old-style hold): no "
			"media may be sent to it.", side_name(e->side),
			e->flags & SS_SE_OFFER ? "offers" : "rejects");
		if (port0 && !(e->flags & SS_SE_OFFER))
			p->severity = SS_SEV_WARNING;
		ev(p, "sdp", SS_EV_LIST, "%s: c=%s", side_name(e->side),
		   fmt_addr(&b, &e->addr, true));
	}
}

static bool private_class(const struct ss_addr *a)
{
	enum ss_addr_class k = ss_addr_classify(a);
	return k == SS_ADDR_PRIVATE || k == SS_ADDR_SHARED || k == SS_ADDR_ULA;
}

static bool public_class(const struct ss_addr *a)
{
	return ss_addr_classify(a) == SS_ADDR_PUBLIC;
}

/* RTP that went to a private address from the SDP, for the summary. */
static const struct ss_stream_view *stream_to(const struct ss_diag_input *in,
					      const struct ss_addr *a)
{
	for (size_t i = 0; i < in->nst; i++)
		if (ss_addr_ip_equal(&in->st[i].dst, a))
			return &in->st[i];
	return NULL;
}

static void check_private(const struct ss_diag_input *in, struct ss_problems *out)
{
	bool seen[2] = { false, false };
	struct addrbuf a, b;
	for (size_t i = 0; i < in->nsdp; i++) {
		const struct ss_sdp_entry *e = &in->sdp[i];
		if (e->side > 1 || seen[e->side] || !private_class(&e->addr) ||
		    e->rec >= in->call->nrecs)
			continue;
		const struct ss_addr *sig = ss_corr_endpoint(in->corr,
			ss_msg_rec_src(in->call, &in->call->recs[e->rec]));
		if (!public_class(sig))
			continue;
		seen[e->side] = true;
		const struct ss_stream_view *v = stream_to(in, &e->addr);
		struct ss_problem *p = problem(out, in, SS_DG_SDP_PRIVATE_ADDRESS,
			"The %s's SDP gives the private address %s while its signalling "
			"comes from the public address %s: a NAT is in the way%s.",
			side_name(e->side), fmt_addr(&a, &e->addr, false),
			fmt_addr(&b, sig, false), v ? ", and RTP sent to the private "
			"address cannot reach it unless the peer latches" : "");
		ev(p, "sdp_address", SS_EV_STR, "%s", fmt_addr(&a, &e->addr, true));
		ev(p, "signalling_source", SS_EV_STR, "%s", fmt_addr(&b, sig, true));
		ev_sdp(p, e);
		if (v)
			ev_stream(p, "rtp_to_private_address", v);
	}
}

/* The SDP entry of side s that was in force when a stream started. */
static const struct ss_sdp_entry *entry_at(const struct ss_diag_input *in, int s,
					   int64_t ts, int m_index)
{
	const struct ss_sdp_entry *best = NULL;
	for (size_t i = 0; i < in->nsdp; i++) {
		const struct ss_sdp_entry *e = &in->sdp[i];
		bool line = m_index >= 0 ? e->m_index == m_index : audio(e);
		if (e->side == s && line && (!best || e->ts_ns <= ts))
			best = e;
	}
	return best;
}

/* Did any SDP of side s name a (its RTP source, under symmetric RTP)? */
static bool announced(const struct ss_diag_input *in, int s, const struct ss_addr *a)
{
	for (size_t i = 0; i < in->nsdp; i++)
		if (in->sdp[i].side == s && ss_addr_equal(&in->sdp[i].addr, a))
			return true;
	return false;
}

static bool latched(const struct ss_diag_input *in, int peer, const struct ss_addr *dst)
{
	for (size_t i = 0; i < in->nst; i++)
		if (stream_dir(&in->st[i]) == peer && ss_addr_equal(&in->st[i].src, dst))
			return true;
	return false;
}

static void check_addresses(const struct ss_diag_input *in, struct ss_problems *out)
{
	struct addrbuf a, b;
	for (size_t i = 0; i < in->nst; i++) {
		const struct ss_stream_view *v = &in->st[i];
		if (!v->packets)
			continue;
		if (v->to_side >= 0 && v->from_side < 0) {
			int s = 1 - v->to_side;
			const struct ss_sdp_entry *e = entry_at(in, s, v->first_ns, v->m_index);
			if (!e || announced(in, s, &v->src))
				continue;
			struct ss_problem *p = problem(out, in, SS_DG_NAT_ADDRESS_MISMATCH,
				"The %s's RTP arrives from %s, not from %s as its SDP "
				"says: the %s is behind a NAT (symmetric RTP/latching is "
				"needed).", side_name(s), fmt_addr(&a, &v->src, true),
				fmt_addr(&b, &e->addr, true), side_name(s));
			ev(p, "sdp_address", SS_EV_STR, "%s", fmt_addr(&a, &e->addr, true));
			ev(p, "observed_source", SS_EV_STR, "%s", fmt_addr(&b, &v->src, true));
			ev_stream(p, "stream", v);
		} else if (v->from_side >= 0 && v->to_side < 0 &&
			   !latched(in, 1 - v->from_side, &v->dst)) {
			int r = 1 - v->from_side;
			const struct ss_sdp_entry *e = entry_at(in, r, v->first_ns, v->m_index);
			if (!e)
				continue;
			struct ss_problem *p = problem(out, in, SS_DG_MEDIA_TO_WRONG_ADDRESS,
				"The %s sends its RTP to %s, but the %s's SDP asked for %s.",
				side_name(v->from_side), fmt_addr(&a, &v->dst, true),
				side_name(r), fmt_addr(&b, &e->addr, true));
			ev(p, "expected_to", SS_EV_STR, "%s", fmt_addr(&b, &e->addr, true));
			ev(p, "sent_to", SS_EV_STR, "%s", fmt_addr(&a, &v->dst, true));
			ev_stream(p, "stream", v);
		}
	}
}

static void check_codec(const struct ss_diag_input *in, struct ss_problems *out)
{
	for (size_t i = 0; i < in->nst; i++) {
		const struct ss_stream_view *v = &in->st[i];
		int d = stream_dir(v);
		if (!v->pt_unlisted || d < 0)
			continue;
		const struct ss_sdp_entry *e = entry_at(in, 1 - d, v->first_ns, v->m_index);
		struct ss_problem *p = problem(out, in, SS_DG_CODEC_MISMATCH,
			"The %s sends payload type %u, which the %s's SDP does not "
			"list: the receiver will discard it.", side_name(d),
			v->pt_unlisted_value, side_name(1 - d));
		ev(p, "payload_type", SS_EV_NUM, "%u", v->pt_unlisted_value);
		ev_sdp(p, e);
		ev_stream(p, "stream", v);
	}
}

static void check_late(const struct ss_diag_input *in, const struct plan *pl,
		       const struct ss_diag_thresholds *t, struct ss_problems *out)
{
	const struct ss_call *c = in->call;
	if (c->answer_ts < 0)
		return;
	for (int d = 0; d < 2; d++) {
		if (pl->first_rtp[d] < 0)
			continue;
		int64_t late = (pl->first_rtp[d] - c->answer_ts) / 1000000;
		if (late <= t->late_ms)
			continue;
		struct ss_problem *p = problem(out, in, SS_DG_LATE_MEDIA,
			"RTP %s started %.1f s after the call was answered: the start of "
			"the conversation is lost.", dir_label(d), (double)late / 1000.0);
		ev(p, "direction", SS_EV_STR, "%s", dir_label(d));
		ev(p, "delay_ms", SS_EV_NUM, "%lld", (long long)late);
	}
}

static void check_quality(const struct ss_diag_input *in,
			  const struct ss_diag_thresholds *t, struct ss_problems *out)
{
	for (size_t i = 0; i < in->nst; i++) {
		const struct ss_stream_view *v = &in->st[i];
		if (v->packets < t->min_packets || v->dtmf_or_cn)
			continue;
		struct addrbuf a, b;
		const char *src = fmt_addr(&a, &v->src, true), *dst = fmt_addr(&b, &v->dst, true);
		if (v->lost_pct > t->loss_pct) {
			struct ss_problem *p = problem(out, in, SS_DG_HIGH_LOSS,
				"%.1f%% of the RTP from %s to %s was lost (%lld packets).",
				v->lost_pct, src, dst, (long long)v->lost);
			ev(p, "lost", SS_EV_NUM, "%lld", (long long)v->lost);
			ev(p, "lost_pct", SS_EV_NUM, "%.2f", v->lost_pct);
			ev_stream(p, "stream", v);
		}
		if (v->max_jitter_ms > t->jitter_ms) {
			struct ss_problem *p = problem(out, in, SS_DG_HIGH_JITTER,
				"Jitter on the RTP from %s to %s reached %.2f ms (mean %.2f ms).",
				src, dst, v->max_jitter_ms, v->mean_jitter_ms);
			ev(p, "max_jitter_ms", SS_EV_NUM, "%.3f", v->max_jitter_ms);
			ev(p, "mean_jitter_ms", SS_EV_NUM, "%.3f", v->mean_jitter_ms);
			ev_stream(p, "stream", v);
		}
		if (v->mos >= 0 && v->mos < t->mos) {
			struct ss_problem *p = problem(out, in, SS_DG_LOW_MOS,
				"The estimated MOS of the RTP from %s to %s is %.2f.", src, dst,
				v->mos);
			ev(p, "mos", SS_EV_NUM, "%.2f", v->mos);
			ev_stream(p, "stream", v);
		}
	}
}

static void check_sip(const struct ss_diag_input *in,
		      const struct ss_diag_thresholds *t, struct ss_problems *out)
{
	const struct ss_call *c = in->call;
	if (c->flags & SS_CF_NO_ACK) {
		struct ss_problem *p = problem(out, in, SS_DG_NO_ACK,
			"The 200 OK to the INVITE was never acknowledged: the callee will "
			"retransmit it and then hang up (RFC 3261 Timer H).");
		ev(p, "cseq", SS_EV_NUM, "%u", c->ack_cseq);
	}
	if (c->state == SS_CS_AUTH_FAILED || c->auth_run >= 2) {
		struct ss_problem *p = problem(out, in, SS_DG_AUTH_LOOP,
			"Authentication kept failing: %u challenges were answered with "
			"credentials that were challenged again.", (unsigned)c->challenges);
		ev(p, "challenges", SS_EV_NUM, "%u", (unsigned)c->challenges);
		ev(p, "final_code", SS_EV_NUM, "%d", c->final_code);
	}
	int64_t pdd = c->pdd_ms >= 0 ? c->pdd_ms : c->setup_ms;
	if (c->method == SIP_M_INVITE && pdd > t->pdd_ms) {
		struct ss_problem *p = problem(out, in, SS_DG_SLOW_SETUP,
			"The first answer to the INVITE took %.1f s.", (double)pdd / 1000.0);
		ev(p, "pdd_ms", SS_EV_NUM, "%lld", (long long)pdd);
	}
	if (c->retrans >= t->retrans) {
		struct ss_problem *p = problem(out, in, SS_DG_RETRANSMISSIONS,
			"%u of the %u messages were retransmissions: packets are lost or "
			"a peer answers slowly.", c->retrans, c->msgs);
		ev(p, "retrans", SS_EV_NUM, "%u", c->retrans);
		ev(p, "msgs", SS_EV_NUM, "%u", c->msgs);
	}
}

void ss_diagnose(const struct ss_diag_input *in,
		 const struct ss_diag_thresholds *t, struct ss_problems *out)
{
	struct plan pl;
	memset(&pl, 0, sizeof pl);
	plan_sdp(in, &pl);
	plan_streams(in, &pl);
	check_missing(in, &pl, t, out);
	check_private(in, out);
	check_addresses(in, out);
	check_hold(in, out);
	check_zero(in, out);
	check_codec(in, out);
	check_quality(in, t, out);
	check_late(in, &pl, t, out);
	check_sip(in, t, out);
}
