/*
 * media_rtp.c - RTP and RTCP packets routed to their streams and calls
 * (binding rules in media.h), and the views the reports and the
 * diagnosis read.
 */
#include <stdlib.h>
#include <string.h>

#include "ipaddr.h"
#include "media_int.h"
#include "rtcp.h"
#include "rtcpstats.h"
#include "sdp.h"
#include "streams.h"
#include "xalloc.h"


/* ---- payload-type maps: interned, so streams can keep pointing at them
 * after the binding that gave them is gone ------------------------------- */

struct map_desc {
	uint8_t n;
	uint8_t pt[SS_BIND_MAX_PT];
	uint32_t clock[SS_BIND_MAX_PT];
	const char *name[SS_BIND_MAX_PT];	/* interned */
};

struct ss_media_map {
	uint64_t h;
	struct map_desc d;
	struct ss_pt_map map;
};

static uint64_t desc_hash(const struct map_desc *d)
{
	uint64_t h = ss_hash_seed(d->n);
	for (unsigned i = 0; i < d->n; i++) {
		h = ss_hash_word(h, (uint64_t)d->pt[i] << 32 | d->clock[i]);
		h = ss_hash_word(h, (uint64_t)(uintptr_t)d->name[i]);
	}
	return ss_hash_final(h);
}

static bool desc_eq(uintptr_t v, const void *key)
{
	const struct ss_media_map *mm = (const struct ss_media_map *)v;
	const struct map_desc *d = key;
	if (mm->d.n != d->n)
		return false;
	for (unsigned i = 0; i < d->n; i++)
		if (mm->d.pt[i] != d->pt[i] || mm->d.clock[i] != d->clock[i] ||
		    mm->d.name[i] != d->name[i])
			return false;
	return true;
}

const struct ss_pt_map *ss_media_map(struct ss_media *m, const struct sdp_media *md)
{
	struct map_desc d;
	memset(&d, 0, sizeof d);
	for (unsigned k = 0; k < md->nfmt && d.n < SS_BIND_MAX_PT; k++) {
		const struct sdp_fmt *f = &md->fmt[k];
		if (f->pt < 0 || !f->enc.len)
			continue;	/* static types need no map entry */
		d.pt[d.n] = (uint8_t)f->pt;
		d.clock[d.n] = f->clock;
		d.name[d.n++] = ss_media_codec_name(m, f->enc);
	}
	if (!d.n)
		return NULL;
	uint64_t h = desc_hash(&d);
	struct ss_slot *s = ss_ptab_find(&m->maptab, h, desc_eq, &d);
	if (s)
		return &((struct ss_media_map *)s->v)->map;
	if (m->maptab.n >= SS_MEDIA_MAX_MAPS)
		return NULL;	/* counted: the static table is used instead */
	struct ss_media_map *mm = xcalloc(1, sizeof *mm);
	mm->h = h;
	mm->d = d;
	ss_pt_map_init(&mm->map);
	for (unsigned i = 0; i < d.n; i++)
		ss_pt_map_set(&mm->map, d.pt[i], ss_str_make(d.name[i], strlen(d.name[i])),
			      d.clock[i]);
	ss_ptab_set(&m->maptab, h, desc_eq, &d, (uintptr_t)mm);
	return &mm->map;
}

/* ---- per-stream media facts, by stream index ------------------------------ */

static struct ss_stream_x *sx_of(struct ss_media *m, const struct ss_stream *s)
{
	if (s->index >= m->cap_sx) {
		size_t n = m->cap_sx ? m->cap_sx : 64;
		while (n <= s->index)
			n *= 2;
		m->sx = xreallocarray(m->sx, n, sizeof *m->sx);
		memset(m->sx + m->cap_sx, 0, (n - m->cap_sx) * sizeof *m->sx);
		m->cap_sx = n;
	}
	return &m->sx[s->index];
}

const struct ss_stream_x *ss_media_stream_x(const struct ss_media *m,
					    const struct ss_stream *s)
{
	static const struct ss_stream_x none = { .to_side = -1, .from_side = -1 };
	return s->index < m->cap_sx ? &m->sx[s->index] : &none;
}

static void call_add_stream(struct ss_call_media *cm, struct ss_stream *s)
{
	if (cm->nstreams == cm->cap_streams) {
		if (cm->nstreams >= SS_MEDIA_MAX_CALL_STREAMS)
			return;
		cm->cap_streams = cm->cap_streams ? cm->cap_streams * 2 : 4;
		cm->streams = xreallocarray(cm->streams, cm->cap_streams,
					    sizeof *cm->streams);
	}
	cm->streams[cm->nstreams++] = s;
}

/* The binding of a packet: toward an SDP address, else from one. */
struct route {
	struct ss_binding *to, *from;
};

static void attach(struct ss_media *m, struct ss_stream *s, const struct route *r)
{
	struct ss_stream_x *x = sx_of(m, s);
	if (x->seen && (s->owner || !(r->to || r->from)))
		return;
	if (!x->seen) {
		x->seen = true;
		x->to_side = x->from_side = -1;
	}
	const struct ss_binding *b = r->to ? r->to : r->from;
	if (!b)
		return;
	struct ss_call *c = b->call;
	struct ss_call_media *cm = c->media;
	x->to_side = r->to ? (int8_t)r->to->side : -1;
	x->from_side = r->from && r->from->call == c ? (int8_t)r->from->side : -1;
	x->bound_by = r->to ? SS_BOUND_DST : SS_BOUND_SRC;
	x->entry = b->entry;
	if (cm && b->entry < cm->nsdp)
		x->srtp = (cm->sdp[b->entry].flags & SS_SE_CRYPTO) != 0;
	ss_stream_bind(s, (uintptr_t)c, r->to ? r->to->map : s->map);
	if (cm)
		call_add_stream(cm, s);
}

static bool flow_eq(uintptr_t v, const void *key)
{
	(void)v;
	(void)key;
	return true;	/* the 64-bit key is the whole identity */
}

const struct ss_rtcp_flow *ss_media_rtcp_flow(const struct ss_media *m, uint64_t key)
{
	struct ss_slot *s = m->flowtab.n ? ss_ptab_find(&m->flowtab, key, flow_eq, NULL) :
			    NULL;
	return s ? &m->flows[s->v - 1] : NULL;
}

static void note_flow(struct ss_media *m, uint64_t key, const struct ss_pktinfo *pi)
{
	struct ss_slot *s = ss_ptab_find(&m->flowtab, key, flow_eq, NULL);
	if (s) {
		m->flows[s->v - 1].packets++;
		return;
	}
	if (m->nflows == SS_MEDIA_MAX_RTCP_FLOWS)
		return;
	if (m->nflows == m->cap_flows) {
		m->cap_flows = m->cap_flows ? m->cap_flows * 2 : 16;
		m->flows = xreallocarray(m->flows, m->cap_flows, sizeof *m->flows);
	}
	m->flows[m->nflows] = (struct ss_rtcp_flow){ key, pi->src, pi->dst, 1 };
	ss_ptab_set(&m->flowtab, key, flow_eq, NULL, ++m->nflows);
}

static void rtcp_packet(struct ss_media *m, const struct ss_pktinfo *pi,
			const uint8_t *p, size_t len)
{
	if (rtcp_parse(p, len, m->rtcp_scratch) != RTCP_OK)
		m->st.rtcp_malformed++;	/* what did parse is still used */
	m->st.rtcp_packets++;
	uint64_t key = rtcp_flow_key(&pi->src, &pi->dst);
	note_flow(m, key, pi);
	rtcp_table_update(m->rtcp, key, m->rtcp_scratch, pi->ts_ns);
}

/* The memo slot of pi's flow. Only the first 4 address bytes are mixed
 * (all of IPv4; for IPv6 the ports still spread flows): the slot's key is
 * compared in full. */
static struct ss_flow_memo *flow_memo(struct ss_media *m, const struct ss_pktinfo *pi)
{
	if (!m->memo)
		m->memo = xcalloc((size_t)1 << SS_FLOW_MEMO_BITS, sizeof *m->memo);
	uint32_t a, b;
	memcpy(&a, pi->src.ip, 4);
	memcpy(&b, pi->dst.ip, 4);
	uint64_t h = ((uint64_t)a << 32 | b) ^
		     ((uint64_t)pi->src.port << 16 | pi->dst.port) * 0x9E3779B97F4A7C15ull;
	h *= 0xFF51AFD7ED558CCDull;
	return &m->memo[h >> (64 - SS_FLOW_MEMO_BITS)];
}

const struct ss_call *ss_media_udp(struct ss_media *m, const struct ss_pktinfo *pi,
				   const uint8_t *p, size_t len)
{
	if (pi->ts_ns - m->last_sweep > SWEEP_NS)
		ss_media_sweep(m, pi->ts_ns);
	/* The route depends only on the two addresses and the binding table,
	 * so it is looked up once per flow and binding generation. */
	struct ss_flow_memo *fm = flow_memo(m, pi);
	if (!fm->gen || !ss_addr_equal(&fm->src, &pi->src) ||
	    !ss_addr_equal(&fm->dst, &pi->dst)) {
		fm->src = pi->src;
		fm->dst = pi->dst;
		fm->gen = 0;
		fm->stream = NULL;
	}
	if (fm->gen != m->bind_gen) {
		fm->to = ss_media_bound(m, &pi->dst);
		fm->from = ss_media_bound(m, &pi->src);
		fm->gen = m->bind_gen;
	}
	struct route r = { fm->to, fm->from };
	bool rtcp_port = (r.to && r.to->rtcp) || (!r.to && r.from && r.from->rtcp);
	if (rtcp_port ? rtcp_looks_like(p, len) :
	    rtcp_mux_is_rtcp(p, len) && rtcp_looks_like(p, len)) {
		rtcp_packet(m, pi, p, len);
		return r.to ? r.to->call : r.from ? r.from->call : NULL;
	}
	if (r.to && r.to->rtcp)
		r.to = NULL;
	if (r.from && r.from->rtcp)
		r.from = NULL;
	struct ss_stream *s;
	if (r.to || r.from)
		s = ss_streams_rtp_hint(m->streams, pi, p, len,
					r.to ? r.to->map : NULL, 0, &fm->stream);
	else
		s = ss_streams_udp_unknown(m->streams, pi, p, len);
	if (!s) {
		m->st.unknown_udp++;
		return NULL;
	}
	m->st.rtp_packets++;
	attach(m, s, &r);
	return (const struct ss_call *)s->owner;
}

void ss_media_evict(struct ss_media *m, const struct ss_call *c)
{
	for (uint32_t i = 0; i < m->nbinds; i++)
		if (m->binds[i].call == c)
			ss_media_unbind(m, i);
	struct ss_call_media *cm = c->media;
	if (!cm)
		return;
	for (uint32_t i = 0; i < cm->nstreams; i++) {
		ss_stream_bind(cm->streams[i], 0, cm->streams[i]->map);
		sx_of(m, cm->streams[i])->evicted = true;
	}
	ss_call_media_free(cm);
}

const struct ss_call *ss_media_stream_call(const struct ss_media *m,
					   const struct ss_stream *s)
{
	(void)m;
	return (const struct ss_call *)s->owner;
}

struct ss_streams *ss_media_streams(const struct ss_media *m)
{
	return m->streams;
}

const struct rtcp_summary *ss_media_rtcp(const struct ss_media *m,
					 const struct ss_stream *s)
{
	/* RTCP runs between the RTP ports + 1 (RFC 3550 11), or on the RTP
	 * ports themselves under rtcp-mux. */
	struct ss_addr a = s->src, b = s->dst;
	const struct rtcp_summary *r = rtcp_table_find(m->rtcp,
		rtcp_flow_key(&a, &b), s->ssrc);
	if (r)
		return r;
	a.port = (uint16_t)(a.port + 1);
	b.port = (uint16_t)(b.port + 1);
	return rtcp_table_find(m->rtcp, rtcp_flow_key(&a, &b), s->ssrc);
}

/* ---- views for the diagnosis --------------------------------------------- */

static bool pt_listed(const struct ss_sdp_entry *e, uint8_t pt)
{
	if (e->flags & SS_SE_MORE_PT)
		return true;	/* not all were kept: do not accuse */
	for (unsigned i = 0; i < e->npt; i++)
		if (e->pt[i] == pt)
			return true;
	return false;
}

static void fill_view(const struct ss_media *m, const struct ss_call_media *cm,
		      const struct ss_stream *s, struct ss_stream_view *v)
{
	const struct ss_stream_x *x = ss_media_stream_x(m, s);
	struct ss_rtp_summary sum;
	ss_stream_summary(s, &sum);
	memset(v, 0, sizeof *v);
	v->src = s->src;
	v->dst = s->dst;
	v->ssrc = s->ssrc;
	v->from_side = x->from_side;
	v->to_side = x->to_side;
	v->pt_first = s->first_pt;
	v->pt_last = s->last_pt;
	uint32_t clock;
	uint8_t kind;
	ss_pt_resolve(s->map, s->first_pt, &clock, &kind);
	v->dtmf_or_cn = kind == SS_RTP_DTMF || kind == SS_RTP_CN;
	v->m_index = x->entry < cm->nsdp && x->bound_by != SS_BOUND_NONE ?
		     cm->sdp[x->entry].m_index : -1;
	if (x->to_side >= 0 && x->entry < cm->nsdp) {
		const struct ss_sdp_entry *e = &cm->sdp[x->entry];
		uint8_t pts[2] = { s->first_pt, s->last_pt };
		for (int i = 0; i < 2 && !v->pt_unlisted; i++)
			if (!pt_listed(e, pts[i])) {
				v->pt_unlisted = true;
				v->pt_unlisted_value = pts[i];
			}
	}
	v->packets = sum.packets;
	v->lost = sum.lost;
	v->lost_pct = sum.lost_pct;
	v->max_jitter_ms = sum.has_jitter ? sum.max_jitter_ms : 0;
	v->mean_jitter_ms = sum.has_jitter ? sum.mean_jitter_ms : 0;
	v->mos = sum.has_jitter ? sum.mos.mos : -1;
	v->first_ns = sum.first_ns;
	v->last_ns = sum.last_ns;
}

size_t ss_media_views(const struct ss_media *m, const struct ss_call *c,
		      struct ss_stream_view *out, size_t cap)
{
	const struct ss_call_media *cm = c->media;
	if (!cm)
		return 0;
	for (uint32_t i = 0; i < cm->nstreams && i < cap; i++)
		fill_view(m, cm, cm->streams[i], &out[i]);
	return cm->nstreams;
}
