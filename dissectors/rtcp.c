/*
 * rtcp.c - RTCP compound packet parser (see rtcp.h).
 *
 * RFC 3550 section 6 gives the packet formats and appendix A.2 the
 * validity checks; RFC 3611 section 4 the XR blocks; RFC 4585 section 6.1
 * the feedback header; RFC 5506 section 3.4 relaxes the first-packet rule.
 * Each packet is cut out of the compound by its length field into its own
 * cursor (minus its padding), and each type's reader only sees that
 * cursor, so a count that claims more than the length holds fails cleanly
 * instead of reading into the next packet or past the input.
 */
#include "rtcp.h"

#include <string.h>

#define HDR_LEN 4		/* V/P/count, PT, length */
#define RB_LEN 24		/* one report block */
#define SENDER_INFO_LEN 20	/* NTP (8), RTP ts, packet and octet counts */

static enum rtcp_rc bad(struct rtcp_compound *c, size_t at, const char *why)
{
	c->malformed = why;
	c->malformed_at = at;
	return RTCP_MALFORMED;
}

static bool cur_be64(struct cursor *cu, uint64_t *v)
{
	uint32_t hi = 0, lo = 0;
	if (cur_left(cu) < 8)
		return false;
	(void)cur_be32(cu, &hi);
	(void)cur_be32(cu, &lo);
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

static bool is_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static ss_str cur_slice(const struct cursor *cu, size_t n)
{
	return ss_str_make((const char *)cu->p, n);
}

/* Reserve n slots of an array of capacity cap that holds *used; returns
 * how many fit and counts the rest as dropped. */
static uint16_t reserve(struct rtcp_compound *c, uint16_t *used, size_t cap,
			size_t n)
{
	size_t room = cap - *used;
	size_t got = n < room ? n : room;
	c->dropped += (uint32_t)(n - got);
	*used = (uint16_t)(*used + got);
	return (uint16_t)got;
}

/* ---- SR and RR ------------------------------------------------------- */

static void read_rblock(struct cursor *cu, struct rtcp_rblock *rb)
{
	uint32_t w = 0;
	(void)cur_be32(cu, &rb->ssrc);
	(void)cur_be32(cu, &w);
	rb->fraction_lost = (uint8_t)(w >> 24);
	/* cumulative lost is a signed 24-bit field (RFC 3550 6.4.1):
	 * duplicates can make it negative */
	int32_t lost = (int32_t)(w & 0xffffff);
	rb->cum_lost = (lost & 0x800000) ? lost - 0x1000000 : lost;
	(void)cur_be32(cu, &rb->ext_seq);
	(void)cur_be32(cu, &rb->jitter);
	(void)cur_be32(cu, &rb->lsr);
	(void)cur_be32(cu, &rb->dlsr);
}

static const char *parse_report(struct rtcp_compound *c, struct rtcp_pkt *k,
				struct cursor *cu)
{
	size_t need = 4 + (k->pt == RTCP_SR ? SENDER_INFO_LEN : 0) +
		      (size_t)k->count * RB_LEN;
	if (cur_left(cu) < need)
		return k->pt == RTCP_SR ? "SR shorter than its report count"
					: "RR shorter than its report count";
	(void)cur_be32(cu, &k->ssrc);
	if (k->pt == RTCP_SR) {
		(void)cur_be64(cu, &k->ntp);
		(void)cur_be32(cu, &k->rtp_ts);
		(void)cur_be32(cu, &k->packet_count);
		(void)cur_be32(cu, &k->octet_count);
	}
	k->rb_first = c->nrb;
	k->rb_count = reserve(c, &c->nrb, RTCP_MAX_RBLOCKS, k->count);
	for (unsigned i = 0; i < k->count; i++) {
		struct rtcp_rblock scratch;
		read_rblock(cu, i < k->rb_count ? &c->rb[k->rb_first + i]
						: &scratch);
	}
	/* RFC 3550 6.4.1: anything after the blocks is a profile-specific
	 * extension, not an error */
	k->profile_ext = cur_slice(cu, cur_left(cu));
	return NULL;
}

/* ---- SDES -------------------------------------------------------------- */

/* One chunk: SSRC, items, an END octet, then null octets up to the next
 * 32-bit boundary (RFC 3550 6.5). base is the packet body's start, which
 * is 32-bit aligned within the packet. */
static const char *parse_chunk(struct rtcp_compound *c,
			       struct rtcp_sdes_chunk *ch, struct cursor *cu,
			       const uint8_t *base)
{
	if (!cur_be32(cu, &ch->ssrc))
		return "SDES chunk shorter than its SSRC";
	ch->item_first = c->nitems;
	for (;;) {
		uint8_t type, ilen;
		if (!cur_u8(cu, &type))
			return "SDES chunk without an end item";
		if (type == RTCP_SDES_END)
			break;
		if (!cur_u8(cu, &ilen) || cur_left(cu) < ilen)
			return "SDES item past the end of the packet";
		ss_str text = cur_slice(cu, ilen);
		(void)cur_skip(cu, ilen);
		if (type == RTCP_SDES_CNAME && ch->cname.p == NULL)
			ch->cname = text;
		uint16_t one = reserve(c, &c->nitems, RTCP_MAX_ITEMS, 1);
		if (one) {
			c->items[c->nitems - 1] = (struct rtcp_sdes_item){
				.type = type, .text = text };
			ch->item_count++;
		}
	}
	size_t used = (size_t)(cu->p - base);
	size_t pad = (4 - used % 4) % 4;
	if (!cur_skip(cu, pad))
		return "SDES chunk not padded to 32 bits";
	return NULL;
}

static const char *parse_sdes(struct rtcp_compound *c, struct rtcp_pkt *k,
			      struct cursor *cu)
{
	const uint8_t *base = cu->p;
	k->chunk_first = c->nchunks;
	for (unsigned i = 0; i < k->count; i++) {
		struct rtcp_sdes_chunk scratch;
		struct rtcp_sdes_chunk *ch = &scratch;
		if (reserve(c, &c->nchunks, RTCP_MAX_CHUNKS, 1)) {
			ch = &c->chunks[c->nchunks - 1];
			k->chunk_count++;
		}
		memset(ch, 0, sizeof *ch);
		const char *why = parse_chunk(c, ch, cu, base);
		if (why)
			return why;
		if (i == 0)
			k->ssrc = ch->ssrc;
	}
	return NULL;
}

/* ---- BYE, APP, feedback -------------------------------------------------- */

static const char *parse_bye(struct rtcp_compound *c, struct rtcp_pkt *k,
			     struct cursor *cu)
{
	if (cur_left(cu) < (size_t)k->count * 4)
		return "BYE shorter than its source count";
	k->bye_first = c->nbye;
	k->bye_count = reserve(c, &c->nbye, RTCP_MAX_BYE_SSRCS, k->count);
	for (unsigned i = 0; i < k->count; i++) {
		uint32_t s = 0;
		(void)cur_be32(cu, &s);
		if (i < k->bye_count)
			c->bye_ssrc[k->bye_first + i] = s;
		if (i == 0)
			k->ssrc = s;
	}
	uint8_t rlen;
	if (!cur_u8(cu, &rlen))
		return NULL;		/* no reason */
	if (cur_left(cu) < rlen)
		return "BYE reason past the end of the packet";
	k->has_reason = true;
	k->bye_reason = cur_slice(cu, rlen);
	(void)cur_skip(cu, rlen);
	return NULL;
}

static const char *parse_app(struct rtcp_pkt *k, struct cursor *cu)
{
	if (cur_left(cu) < 8)
		return "APP shorter than SSRC and name";
	(void)cur_be32(cu, &k->ssrc);
	k->app_name = cur_slice(cu, 4);
	(void)cur_skip(cu, 4);
	k->app_data = cur_slice(cu, cur_left(cu));
	return NULL;
}

/* RFC 4585 6.1: sender SSRC, media source SSRC, then FCI we skip. */
static const char *parse_fb(struct rtcp_pkt *k, struct cursor *cu)
{
	if (cur_left(cu) < 8)
		return "feedback packet shorter than its SSRCs";
	(void)cur_be32(cu, &k->ssrc);
	(void)cur_be32(cu, &k->media_ssrc);
	return NULL;
}

/* ---- XR ------------------------------------------------------------------ */

static void read_voip(struct cursor *cu, struct rtcp_xr_voip *v)
{
	uint8_t b[4];
	(void)cur_be32(cu, &v->ssrc);
	(void)cur_u8(cu, &v->loss_rate);
	(void)cur_u8(cu, &v->discard_rate);
	(void)cur_u8(cu, &v->burst_density);
	(void)cur_u8(cu, &v->gap_density);
	(void)cur_be16(cu, &v->burst_duration);
	(void)cur_be16(cu, &v->gap_duration);
	(void)cur_be16(cu, &v->round_trip_delay);
	(void)cur_be16(cu, &v->end_system_delay);
	for (int i = 0; i < 4; i++)
		(void)cur_u8(cu, &b[i]);
	v->signal_level = (int8_t)b[0];
	v->noise_level = (int8_t)b[1];
	v->rerl = b[2];
	v->gmin = b[3];
	(void)cur_u8(cu, &v->r_factor);
	(void)cur_u8(cu, &v->ext_r_factor);
	(void)cur_u8(cu, &v->mos_lq);
	(void)cur_u8(cu, &v->mos_cq);
	(void)cur_u8(cu, &v->rx_config);
	(void)cur_skip(cu, 1);
	(void)cur_be16(cu, &v->jb_nominal);
	(void)cur_be16(cu, &v->jb_max);
	(void)cur_be16(cu, &v->jb_abs_max);
}

/* Decode one XR block's content (blk holds exactly block length words). */
static const char *xr_block(struct rtcp_compound *c, struct rtcp_xr_block *x,
			    struct cursor *blk)
{
	switch (x->bt) {
	case RTCP_XR_RRT:
		if (x->length != 2)
			return "XR receiver reference time block length not 2";
		(void)cur_be64(blk, &x->rrt_ntp);
		return NULL;
	case RTCP_XR_DLRR: {
		if (x->length % 3 != 0)
			return "XR DLRR block length not a multiple of 3";
		size_t n = x->length / 3;
		x->dlrr_first = c->ndlrr;
		x->dlrr_count = reserve(c, &c->ndlrr, RTCP_MAX_DLRR, n);
		for (size_t i = 0; i < x->dlrr_count; i++) {
			struct rtcp_xr_dlrr *d = &c->dlrr[x->dlrr_first + i];
			(void)cur_be32(blk, &d->ssrc);
			(void)cur_be32(blk, &d->lrr);
			(void)cur_be32(blk, &d->dlrr);
		}
		return NULL;
	}
	case RTCP_XR_VOIP:
		if (x->length != 8)
			return "XR VoIP metrics block length not 8";
		read_voip(blk, &x->voip);
		return NULL;
	default:
		return NULL;	/* other blocks: skipped by their length */
	}
}

static const char *parse_xr(struct rtcp_compound *c, struct rtcp_pkt *k,
			    struct cursor *cu)
{
	if (!cur_be32(cu, &k->ssrc))
		return "XR shorter than its SSRC";
	k->xr_first = c->nxr;
	while (cur_left(cu) > 0) {
		uint8_t bt, ts;
		uint16_t bl;
		struct cursor blk;
		if (!cur_u8(cu, &bt) || !cur_u8(cu, &ts) || !cur_be16(cu, &bl))
			return "XR block header cut short";
		if (!cur_sub(cu, (size_t)bl * 4, &blk))
			return "XR block length past the end of the packet";
		struct rtcp_xr_block scratch;
		struct rtcp_xr_block *x = &scratch;
		if (reserve(c, &c->nxr, RTCP_MAX_XR_BLOCKS, 1)) {
			x = &c->xr[c->nxr - 1];
			k->xr_count++;
		}
		memset(x, 0, sizeof *x);
		x->bt = bt;
		x->type_specific = ts;
		x->length = bl;
		const char *why = xr_block(c, x, &blk);
		if (why)
			return why;
	}
	return NULL;
}

/* ---- the compound ---------------------------------------------------------- */

static const char *parse_body(struct rtcp_compound *c, struct rtcp_pkt *k,
			      struct cursor *body)
{
	switch (k->pt) {
	case RTCP_SR:
	case RTCP_RR:
		return parse_report(c, k, body);
	case RTCP_SDES:
		return parse_sdes(c, k, body);
	case RTCP_BYE:
		return parse_bye(c, k, body);
	case RTCP_APP:
		return parse_app(k, body);
	case RTCP_RTPFB:
	case RTCP_PSFB:
		return parse_fb(k, body);
	case RTCP_XR:
		return parse_xr(c, k, body);
	default:
		return NULL;	/* a type we do not know: skipped by length */
	}
}

/* Cut the next packet out of *all: check its header against A.2 and hand
 * out its body without the header and the padding. */
static const char *next_packet(struct rtcp_compound *c, struct cursor *all,
			       size_t total, struct rtcp_pkt *k,
			       struct cursor *body)
{
	uint8_t b0, b1;
	uint16_t lw;
	k->offset = total - cur_left(all);
	if (!cur_u8(all, &b0) || !cur_u8(all, &b1) || !cur_be16(all, &lw))
		return "packet header cut short";
	if (b0 >> 6 != 2)
		return "version is not 2";
	if (b1 < 192 || b1 > 223)
		return "packet type outside 192..223";
	k->pt = b1;
	k->count = b0 & 0x1f;
	k->padding = (b0 & 0x20) != 0;
	k->length = lw;
	if (k->offset == 0 && b1 != RTCP_SR && b1 != RTCP_RR)
		c->reduced_size = true;
	if (!cur_sub(all, (size_t)lw * 4, body))
		return "length past the end of the datagram";
	if (!k->padding)
		return NULL;
	if (cur_left(all) != 0)
		return "padding on a packet that is not the last";
	uint8_t pad = lw ? body->end[-1] : 0;
	if (pad == 0 || pad > cur_left(body))
		return "padding count does not fit the packet";
	k->pad_len = pad;
	body->end -= pad;
	return NULL;
}

/* One to three zero octets after the last packet: too short for a header.
 * Some stacks pad the datagram like this (seen from a softphone whose
 * compound was followed by two zero octets); tolerated, not flagged. */
static bool zero_tail(const struct cursor *all)
{
	return cur_left(all) < HDR_LEN && is_zero(all->p, cur_left(all));
}

enum rtcp_rc rtcp_parse(const uint8_t *p, size_t len, struct rtcp_compound *c)
{
	memset(c, 0, sizeof *c);
	if (len == 0)
		return bad(c, 0, "empty datagram");
	struct cursor all = cur_make(p, len);
	while (cur_left(&all) > 0) {
		if (c->npkts > 0 && zero_tail(&all)) {
			c->trailing = (uint8_t)cur_left(&all);
			break;
		}
		struct rtcp_pkt scratch;
		struct rtcp_pkt *k = &scratch;
		struct cursor body;
		memset(k, 0, sizeof *k);
		const char *why = next_packet(c, &all, len, k, &body);
		if (!why)
			why = parse_body(c, k, &body);
		if (why)
			return bad(c, k->offset, why);
		if (c->npkts < RTCP_MAX_PKTS)
			c->pkts[c->npkts++] = *k;
		else
			c->dropped++;
	}
	return RTCP_OK;
}

/* ---- heuristics ---------------------------------------------------------- */

bool rtcp_looks_like(const uint8_t *p, size_t len)
{
	size_t off = 0;
	if (len < 8)		/* the smallest useful packet: RR, no blocks */
		return false;
	while (off < len) {
		if (off > 0 && len - off < HDR_LEN && is_zero(p + off, len - off))
			break;	/* tolerated tail, see zero_tail() */
		if (len - off < HDR_LEN || p[off] >> 6 != 2 ||
		    p[off + 1] < 192 || p[off + 1] > 223)
			return false;
		if (off == 0 && !rtcp_pt_name(p[1]))
			return false;
		size_t plen = ((size_t)(p[off + 2] << 8 | p[off + 3]) + 1) * 4;
		if (plen > len - off)
			return false;
		off += plen;
	}
	return true;
}

bool rtcp_mux_is_rtcp(const uint8_t *p, size_t len)
{
	return len >= 2 && p[0] >> 6 == 2 && p[1] >= 192 && p[1] <= 223;
}

const char *rtcp_pt_name(uint8_t pt)
{
	static const char *const names[] = {
		"SR", "RR", "SDES", "BYE", "APP", "RTPFB", "PSFB", "XR",
	};
	if (pt < RTCP_SR || pt > RTCP_XR)
		return NULL;
	return names[pt - RTCP_SR];
}

bool rtcp_voip_mos(uint8_t raw, double *out)
{
	/* RFC 3611 4.7.5: MOS x 10, 10..50; 127 = unavailable */
	if (raw == 127)
		return false;
	*out = raw / 10.0;
	return true;
}

bool rtcp_voip_r(uint8_t raw, unsigned *out)
{
	if (raw == 127)
		return false;
	*out = raw;
	return true;
}
