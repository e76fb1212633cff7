/*
 * streams.c - the RTP stream table and the heuristic that finds RTP in
 * UDP nobody explained (see streams.h).
 */
#include <stdlib.h>
#include <string.h>

#include "streams.h"
#include "xalloc.h"

/* ---- payload types ---------------------------------------------------- */

uint32_t ss_rtp_static_clock(uint8_t pt)
{
	/* RFC 3551 tables 4 and 5 (and the PTs Wireshark knows a clock
	 * for: 1, 2 and 19 were assigned once). */
	switch (pt) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 7: case 8:
	case 9: case 12: case 13: case 15: case 18: case 19:
		return 8000;
	case 6:
		return 16000;
	case 10: case 11:
		return 44100;
	case 16:
		return 11025;
	case 17:
		return 22050;
	case 14: case 25: case 26: case 28: case 31: case 32: case 33:
	case 34:
		return 90000;
	default:
		return 0;
	}
}

static uint8_t static_kind(uint8_t pt)
{
	if (pt == 13 || pt == 19)
		return SS_RTP_CN;
	if (pt >= 24 && pt <= 34)
		return SS_RTP_VIDEO;
	return pt < 24 ? SS_RTP_AUDIO : SS_RTP_OTHER;
}

/* Clocks by encoding name for dynamic PTs whose map gives none (the
 * IANA registry, as Wireshark's fallback table). */
static uint32_t name_clock(ss_str n)
{
	static const struct {
		const char *name;
		uint32_t hz;
	} t[] = {
		{ "AMR", 8000 }, { "AMR-WB", 16000 }, { "EVS", 16000 },
		{ "EVRC", 8000 }, { "G7221", 16000 }, { "G726-16", 8000 },
		{ "G726-24", 8000 }, { "G726-32", 8000 }, { "G726-40", 8000 },
		{ "GSM-EFR", 8000 }, { "H263-1998", 90000 },
		{ "H263-2000", 90000 }, { "H264", 90000 }, { "MP4V-ES", 90000 },
		{ "opus", 48000 }, { "red", 1000 }, { "t140", 1000 },
		{ "telephone-event", 8000 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (ss_str_ieq(n, t[i].name))
			return t[i].hz;
	return 0;
}

static uint8_t name_kind(ss_str n)
{
	static const char *const video[] = {
		"H261", "H263", "H263-1998", "H263-2000", "H264", "H265",
		"VP8", "VP9", "AV1", "MP4V-ES", "JPEG",
	};
	if (ss_str_ieq(n, "telephone-event"))
		return SS_RTP_DTMF;
	if (ss_str_ieq(n, "CN"))
		return SS_RTP_CN;
	for (size_t i = 0; i < sizeof video / sizeof video[0]; i++)
		if (ss_str_ieq(n, video[i]))
			return SS_RTP_VIDEO;
	return SS_RTP_AUDIO;
}

void ss_pt_map_init(struct ss_pt_map *m)
{
	memset(m, 0, sizeof *m);
}

void ss_pt_map_set(struct ss_pt_map *m, uint8_t pt, ss_str name,
		   uint32_t clock_hz)
{
	if (pt >= 128)
		return;
	m->pt[pt] = (struct ss_pt_entry){
		.known = true, .kind = name_kind(name),
		.codec = (uint8_t)ss_codec_from_name(name),
		.clock_hz = clock_hz, .name = name };
}

void ss_pt_resolve(const struct ss_pt_map *map, uint8_t pt,
		   uint32_t *clock_hz, uint8_t *kind)
{
	pt &= 0x7F;
	if (pt < 96) {
		*clock_hz = ss_rtp_static_clock(pt);
		*kind = static_kind(pt);
		return;
	}
	const struct ss_pt_entry *e = map ? &map->pt[pt] : NULL;
	if (!e || !e->known) {
		*clock_hz = 0;
		*kind = SS_RTP_OTHER;
		return;
	}
	*kind = e->kind;
	*clock_hz = e->clock_hz ? e->clock_hz : name_clock(e->name);
}

/* ---- the table -------------------------------------------------------- */

struct cand_pkt {
	int64_t ts_ns;
	uint64_t frame;
	uint32_t rtp_ts;
	uint32_t payload_len;
	uint16_t seq;
	uint8_t pt;
	bool marker;
	uint8_t head[4];	/* payload start: enough for an RFC 4733 event */
	uint8_t headlen;
};

struct ss_cand {
	bool used;
	uint8_t n;		/* packets held */
	uint8_t forward;	/* of which moved the sequence forward */
	uint32_t ssrc;
	struct ss_addr src, dst;
	struct cand_pkt pkt[SS_HEUR_KEEP];
};

void ss_streams_init(struct ss_streams *t, size_t max_streams)
{
	*t = (struct ss_streams){ 0 };
	t->max = max_streams ? max_streams : 65536;
}

void ss_streams_free(struct ss_streams *t)
{
	for (size_t i = 0; i < t->n; i++) {
		ss_rtpstats_free(&t->v[i]->st);
		free(t->v[i]);
	}
	free(t->v);
	free(t->slot);
	free(t->cand);
	*t = (struct ss_streams){ 0 };
}

void ss_streams_on_new(struct ss_streams *t, ss_stream_new_cb cb,
		       void *user)
{
	t->on_new = cb;
	t->on_new_user = user;
}

void ss_streams_set_default_map(struct ss_streams *t,
				const struct ss_pt_map *map)
{
	t->default_map = map;
}

/* Every input bit reaches every output bit (the murmur3 finalizer), so
 * addresses differing only in a few bits spread over all the slots. */
static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v * 0x9E3779B97F4A7C15ull;
	h ^= h >> 33;
	h *= 0xFF51AFD7ED558CCDull;
	h ^= h >> 33;
	h *= 0xC4CEB9FE1A85EC53ull;
	return h ^ h >> 33;
}

static uint64_t addr_hash(uint64_t h, const struct ss_addr *a)
{
	uint64_t w[2] = { 0, 0 };
	memcpy(w, a->ip, a->family == 6 ? 16 : 4);
	return mix(mix(mix(h, w[0]), w[1]), (uint64_t)a->port << 8 | a->family);
}

static uint64_t key_hash(const struct ss_addr *s, const struct ss_addr *d,
			 uint32_t ssrc)
{
	return addr_hash(addr_hash(ssrc, s), d);
}

struct ss_stream *ss_streams_find(const struct ss_streams *t,
				  const struct ss_addr *src,
				  const struct ss_addr *dst, uint32_t ssrc)
{
	if (!t->nslot)
		return NULL;
	size_t mask = t->nslot - 1;
	for (size_t i = key_hash(src, dst, ssrc) & mask;; i = (i + 1) & mask) {
		uint32_t k = t->slot[i];
		if (!k)
			return NULL;
		struct ss_stream *s = t->v[k - 1];
		if (s->ssrc == ssrc && ss_addr_equal(&s->src, src) &&
		    ss_addr_equal(&s->dst, dst))
			return s;
	}
}

static void slot_put(uint32_t *slot, size_t nslot, const struct ss_stream *s)
{
	size_t mask = nslot - 1;
	size_t i = key_hash(&s->src, &s->dst, s->ssrc) & mask;
	while (slot[i])
		i = (i + 1) & mask;
	slot[i] = s->index + 1;
}

/* Keep the load factor at or below 1/2. */
static void grow(struct ss_streams *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	if ((t->n + 1) * 2 <= t->nslot)
		return;
	size_t ns = t->nslot ? t->nslot * 2 : 32;
	uint32_t *slot = xcalloc(ns, sizeof *slot);
	for (size_t i = 0; i < t->n; i++)
		slot_put(slot, ns, t->v[i]);
	free(t->slot);
	t->slot = slot;
	t->nslot = ns;
}

static struct ss_stream *add_stream(struct ss_streams *t,
				    const struct ss_pktinfo *pi,
				    uint32_t ssrc)
{
	if (t->n >= t->max) {
		t->c.refused_streams++;
		return NULL;
	}
	grow(t);
	struct ss_stream *s = xcalloc(1, sizeof *s);
	s->src = pi->src;
	s->dst = pi->dst;
	s->ssrc = ssrc;
	s->index = (uint32_t)t->n;
	ss_rtpstats_init(&s->st);
	t->v[t->n++] = s;
	slot_put(t->slot, t->nslot, s);
	if (t->on_new)
		t->on_new(t->on_new_user, s);
	return s;
}

void ss_stream_bind(struct ss_stream *s, uintptr_t owner,
		    const struct ss_pt_map *map)
{
	s->owner = owner;
	s->map = map;
	if (owner)
		s->flags |= SS_STREAM_BOUND;
	if (map && s->st.packets && s->first_pt >= 96 &&
	    map->pt[s->first_pt].known)
		s->codec = map->pt[s->first_pt].codec;
}

/* The codec of a payload type, for the MOS; events and noise have none. */
static uint8_t pt_codec(const struct ss_pt_map *map, uint8_t pt)
{
	if (pt < 96)
		return (uint8_t)ss_codec_from_pt(pt);
	return map && map->pt[pt].known ? map->pt[pt].codec : SS_CODEC_UNKNOWN;
}

/* Account one packet (header fields in smp, clock and kind to fill). */
static void account(struct ss_streams *t, struct ss_stream *s,
		    struct ss_rtp_sample *smp, uint64_t frame)
{
	const struct ss_pt_map *map = s->map ? s->map : t->default_map;
	ss_pt_resolve(map, smp->pt, &smp->clock_hz, &smp->kind);
	if (s->st.packets == 0) {
		s->first_pt = smp->pt;
		s->first_frame = frame;
	}
	if (s->codec == SS_CODEC_UNKNOWN &&
	    (smp->kind == SS_RTP_AUDIO || smp->kind == SS_RTP_OTHER))
		s->codec = pt_codec(map, smp->pt);
	s->last_pt = smp->pt;
	s->last_frame = frame;
	s->payload_bytes += smp->payload_len;
	ss_rtpstats_add(&s->st, smp);
	t->c.rtp_packets++;
}

static void sample_of(const struct ss_rtp *r, int64_t ts_ns,
		      struct ss_rtp_sample *smp)
{
	*smp = (struct ss_rtp_sample){
		.ts_ns = ts_ns, .rtp_ts = r->ts, .seq = r->seq, .pt = r->pt,
		.marker = r->marker, .payload_len = (uint32_t)r->payload.len,
		.payload = r->payload };
}

static struct ss_stream *lookup_or_add(struct ss_streams *t,
				       const struct ss_pktinfo *pi,
				       uint32_t ssrc)
{
	struct ss_stream *s = ss_streams_find(t, &pi->src, &pi->dst, ssrc);
	if (!s) {
		s = add_stream(t, pi, ssrc);
		if (!s)
			t->c.refused_packets++;
	}
	return s;
}

struct ss_stream *ss_streams_rtp(struct ss_streams *t,
				 const struct ss_pktinfo *pi,
				 const uint8_t *p, size_t len,
				 const struct ss_pt_map *map, uintptr_t owner)
{
	struct ss_stream *hint = NULL;
	return ss_streams_rtp_hint(t, pi, p, len, map, owner, &hint);
}

struct ss_stream *ss_streams_rtp_hint(struct ss_streams *t,
				      const struct ss_pktinfo *pi,
				      const uint8_t *p, size_t len,
				      const struct ss_pt_map *map,
				      uintptr_t owner, struct ss_stream **hint)
{
	struct ss_rtp r;
	/* with rtcp-mux the SDP's port carries RTCP too (RFC 5761 4) */
	if (len < 2 || ss_rtp_byte1_is_rtcp(p[1]) ||
	    ss_rtp_parse(p, len, &r) != SS_RTP_OK) {
		t->c.not_rtp++;
		return NULL;
	}
	struct ss_stream *s = *hint;
	if (!s || s->ssrc != r.ssrc)
		s = *hint = lookup_or_add(t, pi, r.ssrc);
	if (!s)
		return NULL;
	if (s->st.packets == 0 && !s->map && !s->owner)
		ss_stream_bind(s, owner, map);
	struct ss_rtp_sample smp;
	sample_of(&r, pi->ts_ns, &smp);
	account(t, s, &smp, pi->frame);
	return s;
}

/* ---- the heuristic ---------------------------------------------------- */

/* Should candidate a be evicted rather than b? The one with the least
 * progress, and among equals the newest: with more flows than ways in
 * turn (many calls at once), the flows already under trial keep their
 * packets and are confirmed, instead of each arrival pushing out the
 * flow about to come next (what LRU would do, forever). */
static bool worse(const struct ss_cand *a, const struct ss_cand *b)
{
	if (a->forward != b->forward)
		return a->forward < b->forward;
	return a->pkt[0].ts_ns > b->pkt[0].ts_ns;
}

/* The candidate of the packet's flow, or the way of its set to reuse
 * (marked unused; *evict tells whether a candidate was dropped). */
static struct ss_cand *cand_slot(struct ss_cand *tab,
				 const struct ss_pktinfo *pi, bool *evict)
{
	size_t set = addr_hash(addr_hash(0, &pi->src), &pi->dst) %
		     (SS_HEUR_SLOTS / SS_HEUR_WAYS);
	struct ss_cand *w = tab + set * SS_HEUR_WAYS, *victim = NULL;
	for (unsigned i = 0; i < SS_HEUR_WAYS; i++) {
		if (w[i].used && ss_addr_equal(&w[i].src, &pi->src) &&
		    ss_addr_equal(&w[i].dst, &pi->dst))
			return &w[i];
		if (!victim)
			victim = &w[i];
		else if (!w[i].used)	/* a free way beats any eviction */
			victim = victim->used ? &w[i] : victim;
		else if (victim->used && worse(&w[i], victim))
			victim = &w[i];
	}
	*evict = victim->used;
	victim->used = false;
	return victim;
}

static void cand_hold(struct ss_cand *c, const struct ss_pktinfo *pi,
		      const struct ss_rtp *r)
{
	struct cand_pkt *k = &c->pkt[c->n++];
	*k = (struct cand_pkt){
		.ts_ns = pi->ts_ns, .frame = pi->frame, .rtp_ts = r->ts,
		.payload_len = (uint32_t)r->payload.len, .seq = r->seq,
		.pt = r->pt, .marker = r->marker };
	k->headlen = r->payload.len < 4 ? (uint8_t)r->payload.len : 4;
	if (k->headlen)
		memcpy(k->head, r->payload.p, k->headlen);
}

static void cand_start(struct ss_cand *c, const struct ss_pktinfo *pi,
		       const struct ss_rtp *r)
{
	c->used = true;
	c->n = 0;
	c->forward = 1;
	c->ssrc = r->ssrc;
	c->src = pi->src;
	c->dst = pi->dst;
	cand_hold(c, pi, r);
}

/* Does r continue the candidate's flow like RTP would? 1: forward (a
 * sequence number up to 16 ahead, a timestamp not going back), 0: a
 * repeat of the last packet (RFC 4733 end retransmission), -1: no. */
static int cand_continues(const struct ss_cand *c, const struct ss_rtp *r)
{
	const struct cand_pkt *last = &c->pkt[c->n - 1];
	if (r->ssrc != c->ssrc)
		return -1;
	uint16_t ds = (uint16_t)(r->seq - last->seq);
	uint32_t dt = r->ts - last->rtp_ts;
	if (dt >= 0x01000000u)	/* back in time or hours ahead */
		return -1;
	if (ds == 0)
		return dt == 0 ? 0 : -1;
	return ds <= 16 ? 1 : -1;
}

/* Turn a confirmed candidate into a stream: replay what it held. */
static struct ss_stream *cand_confirm(struct ss_streams *t,
				      struct ss_cand *c,
				      const struct ss_pktinfo *pi)
{
	struct ss_stream *s = lookup_or_add(t, pi, c->ssrc);
	c->used = false;
	if (!s)
		return NULL;
	s->flags |= SS_STREAM_HEURISTIC;
	t->c.heur_confirmed++;
	for (unsigned i = 0; i < c->n; i++) {
		const struct cand_pkt *k = &c->pkt[i];
		struct ss_rtp_sample smp = {
			.ts_ns = k->ts_ns, .rtp_ts = k->rtp_ts, .seq = k->seq,
			.pt = k->pt, .marker = k->marker,
			.payload_len = k->payload_len,
			.payload = ss_str_make((const char *)k->head, k->headlen) };
		account(t, s, &smp, k->frame);
	}
	return s;
}

struct ss_stream *ss_streams_udp_unknown(struct ss_streams *t,
					 const struct ss_pktinfo *pi,
					 const uint8_t *p, size_t len)
{
	struct ss_rtp r;
	if (len < SS_RTP_HDR_LEN || ss_rtp_byte1_is_rtcp(p[1]) ||
	    ss_rtp_parse(p, len, &r) != SS_RTP_OK) {
		t->c.not_rtp++;
		return NULL;
	}
	struct ss_rtp_sample smp;
	struct ss_stream *s = ss_streams_find(t, &pi->src, &pi->dst, r.ssrc);
	if (s) {
		sample_of(&r, pi->ts_ns, &smp);
		account(t, s, &smp, pi->frame);
		return s;
	}
	if (!t->cand)
		t->cand = xcalloc(SS_HEUR_SLOTS, sizeof *t->cand);
	bool evict;
	struct ss_cand *c = cand_slot(t->cand, pi, &evict);
	if (!c->used) {
		t->c.heur_evicted += evict;
		cand_start(c, pi, &r);
		return NULL;
	}
	int k = cand_continues(c, &r);
	if (k < 0 || c->n == SS_HEUR_KEEP) {
		t->c.heur_restarts++;
		cand_start(c, pi, &r);
		return NULL;
	}
	cand_hold(c, pi, &r);
	c->forward += (uint8_t)k;
	if (c->forward < SS_HEUR_CONFIRM)
		return NULL;
	return cand_confirm(t, c, pi);
}

void ss_stream_summary(const struct ss_stream *s, struct ss_rtp_summary *o)
{
	ss_rtpstats_summary(&s->st, (enum ss_codec)s->codec, o);
}
