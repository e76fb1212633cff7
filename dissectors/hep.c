/*
 * hep.c - HEPv3 and HEPv2 decoding, HEPv3 encoding (see hep.h).
 *
 * HEPv3: sipcapture.org, "HEP3 Network Protocol Specification" (chunk
 * types of vendor 0x0000 in hep.h). Every length is checked against the
 * bytes that are there before anything is read; chunks of other vendors
 * and unknown types are skipped by their length. A compressed payload
 * (chunk 0x10, zlib or gzip) is inflated into at most SS_HEP_MAX_INFLATE
 * bytes: anything larger is refused, not cut.
 */
#include "hep.h"

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#define HEP3_HDR 6		/* "HEP3" + total length */
#define CHUNK_HDR 6		/* vendor, type, length */
#define HEP2_HDR 8		/* version, length, family, proto, ports */
/* seconds, microseconds, capture id: the C struct senders copy out,
 * padded to 12 bytes (Kamailio siptrace, captagent, sngrep). */
#define HEP2_TIME 12
#define AF_V4 2			/* AF_INET as HEP writes it */
#define AF_V6 10		/* AF_INET6 (Linux value, as HEP writes it) */

static bool is_hep3(const uint8_t *p, size_t len)
{
	return len >= 4 && memcmp(p, "HEP3", 4) == 0;
}

/* v1/v2: the header length covers the fixed header and both addresses. */
static bool is_hep2(const uint8_t *p, size_t len)
{
	if (len < HEP2_HDR || (p[0] != 1 && p[0] != 2))
		return false;
	return (p[2] == AF_V4 && p[1] == HEP2_HDR + 8) ||
	       (p[2] == AF_V6 && p[1] == HEP2_HDR + 32);
}

bool ss_hep_looks_like(const uint8_t *p, size_t len)
{
	return (is_hep3(p, len) && len >= HEP3_HDR) || is_hep2(p, len);
}

static enum ss_hep_rc fail(const char **why, enum ss_hep_rc rc, const char *w)
{
	if (why)
		*why = w;
	return rc;
}

/* ---- HEPv3 chunks -------------------------------------------------- */

static bool fixed(struct cursor *c, size_t want, void *out)
{
	if (cur_left(c) != want)
		return false;
	memcpy(out, c->p, want);
	return true;
}

static uint8_t map_family(uint8_t f)
{
	return f == AF_V4 ? 4 : f == AF_V6 ? 6 : 0;
}

static bool chunk_addr(struct ss_hep *h, uint16_t type, struct cursor *c)
{
	bool v6 = type == HEP_CH_SRC6 || type == HEP_CH_DST6;
	bool src = type == HEP_CH_SRC4 || type == HEP_CH_SRC6;
	struct ss_addr *a = src ? &h->src : &h->dst;
	uint8_t ip[16];
	if (!fixed(c, v6 ? 16 : 4, ip))
		return false;
	memset(a->ip, 0, sizeof a->ip);
	memcpy(a->ip, ip, v6 ? 16 : 4);
	if (!a->family || (a->family == 4) == v6)
		a->family = v6 ? 6 : 4;
	return true;
}

static bool chunk_u8(struct cursor *c, uint8_t *v)
{
	return cur_left(c) == 1 && cur_u8(c, v);
}

static bool chunk_u16(struct cursor *c, uint16_t *v)
{
	return cur_left(c) == 2 && cur_be16(c, v);
}

static bool chunk_u32(struct cursor *c, uint32_t *v)
{
	return cur_left(c) == 4 && cur_be32(c, v);
}

static ss_str chunk_str(const struct cursor *c)
{
	return ss_str_make((const char *)c->p, cur_left(c));
}

/* One generic-vendor chunk; false when its length is wrong for its type. */
static bool chunk(struct ss_hep *h, uint16_t type, struct cursor *c,
		  struct cursor *z, uint8_t *family)
{
	switch (type) {
	case HEP_CH_FAMILY: return chunk_u8(c, family);
	case HEP_CH_IP_PROTO: return chunk_u8(c, &h->ip_proto);
	case HEP_CH_SRC4: case HEP_CH_DST4:
	case HEP_CH_SRC6: case HEP_CH_DST6: return chunk_addr(h, type, c);
	case HEP_CH_SPORT: return chunk_u16(c, &h->src.port);
	case HEP_CH_DPORT: return chunk_u16(c, &h->dst.port);
	case HEP_CH_TS_SEC: return chunk_u32(c, &h->ts_sec);
	case HEP_CH_TS_USEC: return chunk_u32(c, &h->ts_usec);
	case HEP_CH_PROTO_TYPE: return chunk_u8(c, &h->proto_type);
	case HEP_CH_CAPTURE_ID: return chunk_u32(c, &h->capture_id);
	case HEP_CH_AUTH_KEY:
		h->has_auth = true;
		h->auth_key = chunk_str(c);
		return true;
	case HEP_CH_PAYLOAD:
		h->payload = c->p;
		h->payload_len = cur_left(c);
		return true;
	case HEP_CH_PAYLOAD_Z: *z = *c; return true;
	case HEP_CH_CORRELATION: h->correlation = chunk_str(c); return true;
	default:
		h->unknown_chunks++;
		return true;
	}
}

/* Inflate a zlib or gzip stream (windowBits 15 + 32 detects which) into
 * a buffer of at most SS_HEP_MAX_INFLATE bytes. */
static enum ss_hep_rc inflate_payload(struct ss_hep *h, const struct cursor *z,
				      const char **why)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 15 + 32) != Z_OK)
		return fail(why, SS_HEP_MALFORMED, "zlib cannot start");
	h->inflated = malloc(SS_HEP_MAX_INFLATE);
	if (!h->inflated) {
		inflateEnd(&zs);
		return fail(why, SS_HEP_MALFORMED, "out of memory");
	}
	zs.next_in = (Bytef *)(uintptr_t)z->p;
	zs.avail_in = (uInt)cur_left(z);
	zs.next_out = h->inflated;
	zs.avail_out = (uInt)SS_HEP_MAX_INFLATE;
	int rc = inflate(&zs, Z_FINISH);
	size_t n = SS_HEP_MAX_INFLATE - zs.avail_out;
	inflateEnd(&zs);
	if (rc != Z_STREAM_END) {
		free(h->inflated);
		h->inflated = NULL;
		return fail(why, SS_HEP_MALFORMED,
			    rc == Z_BUF_ERROR && zs.avail_out == 0 ?
			    "compressed payload inflates past 64 KiB" :
			    "compressed payload does not inflate");
	}
	h->payload = h->inflated;
	h->payload_len = n;
	h->compressed = true;
	return SS_HEP_OK;
}

/* The chunk list: [vendor, type, length, value] until the end. */
static enum ss_hep_rc hep3_chunks(struct ss_hep *h, struct cursor *c,
				  struct cursor *z, uint8_t *family,
				  const char **why)
{
	while (cur_left(c)) {
		uint16_t vendor, type, clen;
		struct cursor v;
		if (!cur_be16(c, &vendor) || !cur_be16(c, &type) ||
		    !cur_be16(c, &clen))
			return fail(why, SS_HEP_TRUNCATED, "chunk header cut short");
		if (clen < CHUNK_HDR)
			return fail(why, SS_HEP_MALFORMED, "chunk length below 6");
		if (!cur_sub(c, (size_t)clen - CHUNK_HDR, &v))
			return fail(why, SS_HEP_TRUNCATED, "chunk past the packet");
		if (vendor != 0) {
			h->unknown_chunks++;
			continue;
		}
		if (!chunk(h, type, &v, z, family))
			return fail(why, SS_HEP_MALFORMED,
				    "chunk length wrong for its type");
	}
	return SS_HEP_OK;
}

static enum ss_hep_rc parse_v3(const uint8_t *p, size_t len, struct ss_hep *h,
			       const char **why)
{
	struct cursor c = cur_make(p, len), body, z = { NULL, NULL };
	uint16_t total;
	uint8_t family = 0;
	if (!cur_skip(&c, 4) || !cur_be16(&c, &total))
		return fail(why, SS_HEP_TRUNCATED, "header cut short");
	if (total < HEP3_HDR)
		return fail(why, SS_HEP_MALFORMED, "total length below 6");
	if (!cur_sub(&c, (size_t)total - HEP3_HDR, &body))
		return fail(why, SS_HEP_TRUNCATED, "total length past the packet");
	h->version = 3;
	enum ss_hep_rc rc = hep3_chunks(h, &body, &z, &family, why);
	if (rc != SS_HEP_OK)
		return rc;
	if (map_family(family)) {
		h->src.family = h->dst.family = map_family(family);
	} else if (family) {
		return fail(why, SS_HEP_MALFORMED, "unknown address family");
	}
	if (!h->payload && z.p)
		return inflate_payload(h, &z, why);
	return SS_HEP_OK;
}

/* ---- HEPv1/v2 -------------------------------------------------------- */

static enum ss_hep_rc parse_v2(const uint8_t *p, size_t len, struct ss_hep *h,
			       const char **why)
{
	struct cursor c = cur_make(p, len);
	uint8_t fam = 0, ver = 0, hl = 0;
	size_t alen;
	(void)cur_u8(&c, &ver);
	(void)cur_u8(&c, &hl);
	(void)cur_u8(&c, &fam);
	(void)cur_u8(&c, &h->ip_proto);
	(void)cur_be16(&c, &h->src.port);
	(void)cur_be16(&c, &h->dst.port);
	h->version = ver;
	h->src.family = h->dst.family = map_family(fam);
	alen = fam == AF_V6 ? 16 : 4;
	if (cur_left(&c) < 2 * alen)
		return fail(why, SS_HEP_TRUNCATED, "addresses cut short");
	memcpy(h->src.ip, c.p, alen);
	memcpy(h->dst.ip, c.p + alen, alen);
	(void)cur_skip(&c, 2 * alen);
	if (ver == 2) {
		uint16_t id = 0;
		if (cur_left(&c) < HEP2_TIME)
			return fail(why, SS_HEP_TRUNCATED, "time header cut short");
		(void)cur_le32(&c, &h->ts_sec);
		(void)cur_le32(&c, &h->ts_usec);
		(void)cur_le16(&c, &id);
		(void)cur_skip(&c, 2);	/* the struct's padding */
		h->capture_id = id;
	}
	h->payload = c.p;
	h->payload_len = cur_left(&c);
	return SS_HEP_OK;
}

enum ss_hep_rc ss_hep_parse(const uint8_t *p, size_t len, struct ss_hep *h,
			    const char **why)
{
	memset(h, 0, sizeof *h);
	enum ss_hep_rc rc;
	if (is_hep3(p, len))
		rc = parse_v3(p, len, h, why);
	else if (is_hep2(p, len))
		rc = parse_v2(p, len, h, why);
	else
		rc = fail(why, len < 4 ? SS_HEP_TRUNCATED : SS_HEP_NOT_HEP,
			  "not HEP");
	if (rc != SS_HEP_OK)
		ss_hep_release(h);
	return rc;
}

void ss_hep_release(struct ss_hep *h)
{
	free(h->inflated);
	h->inflated = NULL;
}

bool ss_hep_auth_ok(const struct ss_hep *h, const char *key)
{
	size_t n = strlen(key);
	return h->has_auth && h->auth_key.len == n &&
	       (n == 0 || memcmp(h->auth_key.p, key, n) == 0);
}

/* ---- HEPv3 encoder --------------------------------------------------- */

struct wbuf {
	uint8_t *p;
	size_t n, cap;
	bool ok;
};

static void w_bytes(struct wbuf *w, const void *b, size_t n)
{
	if (!w->ok || w->cap - w->n < n) {
		w->ok = false;
		return;
	}
	if (n)
		memcpy(w->p + w->n, b, n);
	w->n += n;
}

static void w_be16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	w_bytes(w, b, 2);
}

static void w_chunk(struct wbuf *w, uint16_t type, const void *v, size_t n)
{
	if (n > 0xFFFF - CHUNK_HDR) {
		w->ok = false;
		return;
	}
	w_be16(w, 0);
	w_be16(w, type);
	w_be16(w, (uint16_t)(n + CHUNK_HDR));
	w_bytes(w, v, n);
}

static void w_u8(struct wbuf *w, uint16_t type, uint8_t v)
{
	w_chunk(w, type, &v, 1);
}

static void w_u16(struct wbuf *w, uint16_t type, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	w_chunk(w, type, b, 2);
}

static void w_u32(struct wbuf *w, uint16_t type, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };
	w_chunk(w, type, b, 4);
}

static void w_addrs(struct wbuf *w, const struct ss_hep *h)
{
	bool v6 = h->src.family == 6 || h->dst.family == 6;
	w_u8(w, HEP_CH_FAMILY, v6 ? AF_V6 : AF_V4);
	w_u8(w, HEP_CH_IP_PROTO, h->ip_proto ? h->ip_proto : SS_L4_UDP);
	w_chunk(w, v6 ? HEP_CH_SRC6 : HEP_CH_SRC4, h->src.ip, v6 ? 16 : 4);
	w_chunk(w, v6 ? HEP_CH_DST6 : HEP_CH_DST4, h->dst.ip, v6 ? 16 : 4);
	w_u16(w, HEP_CH_SPORT, h->src.port);
	w_u16(w, HEP_CH_DPORT, h->dst.port);
}

size_t ss_hep_encode(const struct ss_hep *h, uint8_t *out, size_t cap)
{
	struct wbuf w = { out, 0, cap, true };
	w_bytes(&w, "HEP3", 4);
	w_be16(&w, 0);		/* total length, patched below */
	w_addrs(&w, h);
	w_u32(&w, HEP_CH_TS_SEC, h->ts_sec);
	w_u32(&w, HEP_CH_TS_USEC, h->ts_usec);
	w_u8(&w, HEP_CH_PROTO_TYPE,
	     h->proto_type ? h->proto_type : SS_HEP_PROTO_SIP);
	w_u32(&w, HEP_CH_CAPTURE_ID, h->capture_id);
	if (h->has_auth)
		w_chunk(&w, HEP_CH_AUTH_KEY, h->auth_key.p, h->auth_key.len);
	w_chunk(&w, HEP_CH_PAYLOAD, h->payload, h->payload_len);
	if (h->correlation.len)
		w_chunk(&w, HEP_CH_CORRELATION, h->correlation.p,
			h->correlation.len);
	if (!w.ok || w.n > 0xFFFF)
		return 0;
	out[4] = (uint8_t)(w.n >> 8);
	out[5] = (uint8_t)w.n;
	return w.n;
}

/* ---- into the SIP path ---------------------------------------------- */

static uint8_t inner_l4(uint8_t ip_proto)
{
	switch (ip_proto) {
	case SS_L4_TCP: return SS_L4_TCP;
	case SS_L4_SCTP: return SS_L4_SCTP;
	default: return SS_L4_UDP;
	}
}

/* The capture agent's view of the packet, in a fresh pktinfo: the outer
 * frame (number, input, bytes for -w) stays, everything else is HEP's. */
static void inner_info(const struct ss_pktinfo *outer, const struct ss_hep *h,
		       struct ss_pktinfo *in)
{
	memset(in, 0, sizeof *in);
	in->frame = outer->frame;
	in->source = outer->source;
	in->dlt = outer->dlt;
	in->frame_data = outer->frame_data;
	in->frame_caplen = outer->frame_caplen;
	in->vlan_depth = outer->vlan_depth;
	memcpy(in->vlan, outer->vlan, sizeof in->vlan);
	in->tunnel_depth = outer->tunnel_depth;
	in->ts_ns = h->ts_sec || h->ts_usec ?
		(int64_t)h->ts_sec * 1000000000 + (int64_t)h->ts_usec * 1000 :
		outer->ts_ns;
	in->src = h->src;
	in->dst = h->dst;
	if (!in->src.family)
		in->src.family = in->dst.family ? in->dst.family : 4;
	if (!in->dst.family)
		in->dst.family = in->src.family;
	in->l4 = inner_l4(h->ip_proto);
}

bool ss_decode_hep_auth(struct ss_decoder *d, struct ss_pktinfo *pi,
			const uint8_t *p, size_t len, const char *auth)
{
	struct ss_hep h;
	struct ss_pktinfo in;
	d->st.hep++;
	enum ss_hep_rc rc = ss_hep_parse(p, len, &h, NULL);
	if (rc != SS_HEP_OK) {
		d->st.hep_bad++;
		return false;
	}
	bool ok = false;
	if (auth && !ss_hep_auth_ok(&h, auth)) {
		d->st.hep_auth_failed++;
	} else if (h.proto_type && h.proto_type != SS_HEP_PROTO_SIP) {
		d->st.hep_not_sip++;	/* RTCP, QoS, logs: not decoded yet */
	} else if (h.payload_len && d->on_payload) {
		inner_info(pi, &h, &in);
		*pi = in;	/* the caller sees where the payload came from */
		d->on_payload(d->user, pi, h.payload, h.payload_len);
		ok = true;
	}
	ss_hep_release(&h);
	return ok;
}

void ss_decode_hep(struct ss_decoder *d, struct ss_pktinfo *pi,
		   const uint8_t *p, size_t len, unsigned depth)
{
	(void)depth;
	(void)ss_decode_hep_auth(d, pi, p, len, NULL);
}
