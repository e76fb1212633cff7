/*
 * media.c - SDP records per call, address bindings, and RTP/RTCP packets
 * routed to their streams (rules in media.h).
 */
#include "media.h"

#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "media_int.h"
#include "rtcp.h"
#include "rtcpstats.h"
#include "sdp.h"
#include "streams.h"
#include "xalloc.h"

/* The memory model media.h states. */
_Static_assert(sizeof(struct ss_sdp_entry) == 48, "SDP entry is 48 bytes");
_Static_assert(sizeof(struct ss_call_media) <= 48, "call media is 48 bytes");

/* ---- interned codec names ------------------------------------------------ */

const char *ss_media_codec_name(struct ss_media *m, ss_str name)
{
	if (!name.len)
		return NULL;
	if (name.len > 31)
		name.len = 31;
	for (size_t i = 0; i < m->ncodecs; i++)
		if (strlen(m->codecs[i]) == name.len &&
		    memcmp(m->codecs[i], name.p, name.len) == 0)
			return m->codecs[i];
	if (m->ncodecs == SS_MEDIA_MAX_CODECS)
		return "(other)";
	char *s = xmemdup(name.p, name.len);
	for (char *q = s; *q; q++)	/* packet text: keep it printable */
		if ((unsigned char)*q < 0x20 || (unsigned char)*q > 0x7e)
			*q = '?';
	m->codecs[m->ncodecs++] = s;
	return s;
}

/* ---- bindings ------------------------------------------------------------ */

static uint64_t addr_hash(const struct ss_addr *a)
{
	uint8_t k[20];
	k[0] = a->family;
	k[1] = (uint8_t)(a->port >> 8);
	k[2] = (uint8_t)a->port;
	k[3] = 0;
	memcpy(k + 4, a->ip, 16);
	return ss_hash_fast(0x6d, k, a->family == 4 ? 8 : 20);
}

struct bind_key {
	const struct ss_media *m;
	const struct ss_addr *a;
};

static bool bind_eq(uintptr_t v, const void *key)
{
	const struct bind_key *k = key;
	return ss_addr_equal(&k->m->binds[v - 1].addr, k->a);
}

struct ss_binding *ss_media_bound(const struct ss_media *m, const struct ss_addr *a)
{
	if (!m->nbinds_live || !a->family || !a->port)
		return NULL;
	struct bind_key k = { m, a };
	struct ss_slot *s = ss_ptab_find(&m->bindtab, addr_hash(a), bind_eq, &k);
	return s ? &m->binds[s->v - 1] : NULL;
}

void ss_media_unbind(struct ss_media *m, uint32_t i)
{
	struct ss_binding *b = &m->binds[i];
	ss_ptab_del(&m->bindtab, addr_hash(&b->addr), i + 1);
	b->call = NULL;
	m->bind_gen++;	/* flow memos holding b are stale */
	b->next_free = m->free_bind;
	m->free_bind = i + 1;
	m->nbinds_live--;
}

static struct ss_binding *bind_addr(struct ss_media *m, const struct ss_addr *a)
{
	/* The caller rewrites the binding, and the array may move: either
	 * way the flow memos' routes are stale. */
	m->bind_gen++;
	struct ss_binding *b = ss_media_bound(m, a);
	if (b)
		return b;	/* the newer SDP takes the address over */
	uint32_t i;
	if (m->free_bind) {
		i = m->free_bind - 1;
		m->free_bind = m->binds[i].next_free;
	} else {
		if (m->nbinds == m->cap_binds) {
			m->cap_binds = m->cap_binds ? m->cap_binds * 2 : 64;
			m->binds = xreallocarray(m->binds, m->cap_binds, sizeof *m->binds);
		}
		i = (uint32_t)m->nbinds++;
	}
	b = &m->binds[i];
	memset(b, 0, sizeof *b);
	b->addr = *a;
	ss_ptab_set(&m->bindtab, addr_hash(a), bind_eq,
		    &(struct bind_key){ m, a }, i + 1);
	m->nbinds_live++;
	m->st.bindings++;
	return b;
}

/* Bindings of calls that ended more than the grace time ago go; run
 * every few seconds of capture time, not per packet. */
void ss_media_sweep(struct ss_media *m, int64_t now)
{
	m->last_sweep = now;
	for (uint32_t i = 0; i < m->nbinds; i++) {
		const struct ss_call *c = m->binds[i].call;
		if (c && ss_call_state_final(c->state) && c->state != SS_CS_REGISTERED &&
		    c->end_ts + SS_MEDIA_BIND_GRACE_NS < now)
			ss_media_unbind(m, i);
	}
}

/* ---- per-call records ------------------------------------------------------ */

static struct ss_call_media *call_media(struct ss_call *c)
{
	if (!c->media) {
		struct ss_call_media *cm = xcalloc(1, sizeof *cm);
		cm->call = c;
		cm->offer_side = -1;
		c->media = cm;
	}
	return c->media;
}

const struct ss_call_media *ss_media_of(const struct ss_media *m,
					const struct ss_call *c)
{
	(void)m;
	return c->media;
}

static struct ss_sdp_entry *new_entry(struct ss_call_media *cm)
{
	if (cm->nsdp == cm->cap_sdp) {
		if (cm->nsdp >= SS_MEDIA_MAX_SDP)
			return NULL;
		cm->cap_sdp = cm->cap_sdp ? cm->cap_sdp * 2 : 2;
		cm->sdp = xreallocarray(cm->sdp, cm->cap_sdp, sizeof *cm->sdp);
	}
	struct ss_sdp_entry *e = &cm->sdp[cm->nsdp++];
	memset(e, 0, sizeof *e);
	return e;
}

/* Who sent the message: the caller sends requests with its own From tag
 * and receives responses carrying it (RFC 3261 12.2.1.1). */
static uint8_t sender_side(const struct ss_call *c, const struct sip_msg *msg,
			   uint32_t rec)
{
	bool from_caller;
	if (c->from_tag && msg->from.tag.len)
		from_caller = msg->from.tag.len == strlen(c->from_tag) &&
			      memcmp(msg->from.tag.p, c->from_tag, msg->from.tag.len) == 0;
	else
		from_caller = rec < c->nrecs ? c->recs[rec].src == 0 : msg->is_request;
	return (uint8_t)(msg->is_request ? !from_caller : from_caller);
}

static enum ss_mtype mtype_of(enum sdp_media_type t)
{
	return t == SDP_MT_AUDIO ? SS_MT_AUDIO : t == SDP_MT_VIDEO ? SS_MT_VIDEO :
	       t == SDP_MT_IMAGE ? SS_MT_IMAGE : SS_MT_OTHER;
}

static enum ss_dir dir_of(enum sdp_dir d)
{
	return d == SDP_DIR_SENDONLY ? SS_DIR_SENDONLY :
	       d == SDP_DIR_RECVONLY ? SS_DIR_RECVONLY :
	       d == SDP_DIR_INACTIVE ? SS_DIR_INACTIVE : SS_DIR_SENDRECV;
}

static void fill_entry(struct ss_sdp_entry *e, const struct sdp_desc *d, size_t i)
{
	const struct sdp_media *md = &d->media[i];
	struct ss_addr rtcp;
	e->m_index = (uint8_t)(i > 255 ? 255 : i);
	e->mtype = (uint8_t)mtype_of(md->mtype);
	e->dir = (uint8_t)dir_of(sdp_media_dir(d, i, NULL));
	if (!sdp_media_addr(md, &e->addr)) {
		memset(&e->addr, 0, sizeof e->addr);
		e->addr.port = md->port;
	}
	e->rtcp_port = sdp_rtcp_addr(md, &rtcp) ? rtcp.port : 0;
	if (md->conn_level == SDP_LVL_SESSION)
		e->flags |= SS_SE_SESSION_C;
	if (md->srtp || md->dtls)
		e->flags |= SS_SE_CRYPTO;
	if (md->ncand)
		e->flags |= SS_SE_ICE;
	if (md->rtcp_mux)
		e->flags |= SS_SE_RTCP_MUX;
	if (!sdp_proto_is_rtp(md->proto_id))
		e->flags |= SS_SE_NOT_RTP;
	for (unsigned k = 0; k < md->nfmt; k++) {
		if (md->fmt[k].pt < 0)
			continue;
		if (e->npt == SS_SDP_KEEP_PT) {
			e->flags |= SS_SE_MORE_PT;
			break;
		}
		e->pt[e->npt++] = (uint8_t)md->fmt[k].pt;
	}
	if (md->nfmt_total > md->nfmt)
		e->flags |= SS_SE_MORE_PT;
}

static void bind_entry(struct ss_media *m, struct ss_call *c, const struct ss_sdp_entry *e,
		       const struct sdp_media *md, uint32_t entry)
{
	if (!e->addr.family || !e->addr.port || (e->flags & SS_SE_NOT_RTP) ||
	    ss_addr_classify(&e->addr) == SS_ADDR_ZERO)
		return;
	struct ss_binding *b = bind_addr(m, &e->addr);
	b->call = c;
	b->side = e->side;
	b->rtcp = false;
	b->entry = entry;
	b->map = ss_media_map(m, md);
	if (e->rtcp_port && e->rtcp_port != e->addr.port) {
		struct ss_addr ra = e->addr;
		ra.port = e->rtcp_port;
		struct ss_binding *r = bind_addr(m, &ra);
		r->call = c;
		r->side = e->side;
		r->rtcp = true;
		r->entry = entry;
		r->map = NULL;
	}
}

/* RFC 3264 in SIP (RFC 6337 section 2): an INVITE or UPDATE with a body
 * offers; an ACK answers (the 2xx offered), a PRACK answers an offer in a
 * reliable 18x (RFC 3262) and offers otherwise; a response answers the
 * other side's offer and offers when none is pending (a 2xx to an INVITE
 * without SDP). */
static bool is_offer(const struct ss_call_media *cm, const struct sip_msg *msg,
		     uint8_t side)
{
	bool pending = cm->offer_side == (int8_t)(1 - side);
	if (msg->is_request)
		return msg->method == SIP_M_ACK ? false :
		       msg->method == SIP_M_PRACK ? !pending : true;
	return !pending;
}

/* Forked early dialogs answer with SDP of their own (RFC 3261 13.2.2.4,
 * RFC 3264 per dialog): which To tag an SDP came with. */
static uint8_t fork_of(const struct ss_call *c, const struct sip_msg *msg)
{
	ss_str tag = msg->to.tag;
	for (unsigned i = 0; tag.len && i < c->nforks && i < 254; i++)
		if (strlen(c->forks[i].to_tag) == tag.len &&
		    memcmp(c->forks[i].to_tag, tag.p, tag.len) == 0)
			return (uint8_t)(i + 1);
	return 0;
}

void ss_media_sip(struct ss_media *m, struct ss_call *c, const struct ss_sip_event *ev)
{
	const struct sip_msg *msg = ev->msg;
	ss_str body;
	if (ev->pi->ts_ns - m->last_sweep > SWEEP_NS)
		ss_media_sweep(m, ev->pi->ts_ns);
	if (!c || !c->nrecs || !sdp_in_body(msg->content_type, msg->body, &body))
		return;
	uint32_t rec = c->nrecs - 1;
	if (c->recs[rec].flags & (SS_MF_RETRANS | SS_MF_COPY))
		return;
	m->st.sdp_bodies++;
	if (sdp_parse(body.p, body.len, m->scratch) != SDP_OK) {
		m->st.sdp_not_sdp++;
		return;
	}
	const struct sdp_desc *d = m->scratch;
	if (d->bad)
		m->st.sdp_bad++;
	struct ss_call_media *cm = call_media(c);
	uint8_t side = sender_side(c, msg, rec);
	bool offer = is_offer(cm, msg, side);
	if (offer)
		cm->offer_side = (int8_t)side;
	for (size_t i = 0; i < d->nmedia; i++) {
		struct ss_sdp_entry *e = new_entry(cm);
		if (!e)
			break;
		fill_entry(e, d, i);
		e->side = side;
		e->fork = fork_of(c, msg);
		e->rec = rec;
		e->ts_ns = ev->pi->ts_ns;
		if (offer)
			e->flags |= SS_SE_OFFER;
		bind_entry(m, c, e, &d->media[i], cm->nsdp - 1);
	}
}

/* ---- the context ----------------------------------------------------------- */

struct ss_media *ss_media_new(void)
{
	struct ss_media *m = xcalloc(1, sizeof *m);
	m->bind_gen = 1;	/* memo generation 0 means empty */
	m->scratch = xmalloc(sizeof *m->scratch);
	m->rtcp_scratch = xmalloc(sizeof *m->rtcp_scratch);
	ss_ptab_init(&m->bindtab);
	ss_ptab_init(&m->maptab);
	ss_ptab_init(&m->flowtab);
	m->streams = xmalloc(sizeof *m->streams);
	ss_streams_init(m->streams, 0);
	m->rtcp = rtcp_table_new(0);
	return m;
}

void ss_call_media_free(struct ss_call_media *cm)
{
	struct ss_call *c = (struct ss_call *)cm->call;
	c->media = NULL;
	free(cm->streams);
	free(cm->sdp);
	free(cm);
}

void ss_media_free(struct ss_media *m, const struct ss_corr *corr)
{
	if (!m)
		return;
	for (const struct ss_call *c = corr ? ss_corr_first(corr) : NULL; c; c = c->next)
		if (c->media)
			ss_call_media_free(c->media);
	for (size_t i = 0; i < m->maptab.cap; i++)
		free((void *)m->maptab.s[i].v);
	free(m->maptab.s);
	free(m->bindtab.s);
	free(m->flowtab.s);
	free(m->flows);
	free(m->binds);
	for (size_t i = 0; i < m->ncodecs; i++)
		free((void *)m->codecs[i]);
	ss_streams_free(m->streams);
	free(m->streams);
	free(m->sx);
	free(m->memo);
	rtcp_table_free(m->rtcp);
	free(m->rtcp_scratch);
	free(m->scratch);
	free(m);
}

const struct ss_media_stats *ss_media_stats(const struct ss_media *m)
{
	return &m->st;
}
