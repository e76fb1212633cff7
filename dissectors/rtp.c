/*
 * rtp.c - RTP header parser, RFC 3550 section 5.1.
 *
 *  0                   1                   2                   3
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |           synchronization source (SSRC) identifier            |
 *  |            contributing source (CSRC) identifiers  (CC x 32)  |
 *  |  defined by profile (X=1)    |           length (words)      |
 *  |                        header extension                       |
 *  |  payload ...                              | padding ... | cnt |
 *
 * Every length (CC, extension length, padding count) comes from the
 * packet, so each is checked against what is left before it is used.
 */
#include "rtp.h"

static enum ss_rtp_status parse_ext(struct cursor *c, struct ss_rtp *r)
{
	uint16_t words;
	if (!cur_be16(c, &r->ext_profile) || !cur_be16(c, &words))
		return SS_RTP_TRUNCATED;
	size_t n = (size_t)words * 4;
	if (cur_left(c) < n)
		return SS_RTP_TRUNCATED;
	r->ext = ss_str_make((const char *)c->p, n);
	c->p += n;
	return SS_RTP_OK;
}

enum ss_rtp_status ss_rtp_parse(const uint8_t *p, size_t len,
				struct ss_rtp *r)
{
	*r = (struct ss_rtp){ 0 };
	if (len == 0)	/* p may be NULL: no cursor over nothing */
		return SS_RTP_TRUNCATED;
	struct cursor c = cur_make(p, len);
	uint8_t b0, b1;
	if (!cur_u8(&c, &b0))
		return SS_RTP_TRUNCATED;
	if (b0 >> 6 != 2)
		return SS_RTP_BAD_VERSION;
	if (!cur_u8(&c, &b1) || !cur_be16(&c, &r->seq) ||
	    !cur_be32(&c, &r->ts) || !cur_be32(&c, &r->ssrc))
		return SS_RTP_TRUNCATED;
	r->padding = b0 & 0x20;
	r->extension = b0 & 0x10;
	r->csrc_count = b0 & 0x0F;
	r->marker = b1 & 0x80;
	r->pt = b1 & 0x7F;
	r->csrc = c.p;
	if (!cur_skip(&c, (size_t)r->csrc_count * 4))
		return SS_RTP_TRUNCATED;
	if (r->extension) {
		enum ss_rtp_status st = parse_ext(&c, r);
		if (st != SS_RTP_OK)
			return st;
	}
	size_t left = cur_left(&c);
	if (r->padding) {
		/* RFC 3550 5.1: the last octet counts the padding, itself
		 * included, so 0 is invalid and it cannot eat the headers. */
		uint8_t cnt = left ? c.end[-1] : 0;
		if (cnt == 0 || cnt > left)
			return SS_RTP_BAD_PADDING;
		r->pad_len = cnt;
		left -= cnt;
	}
	r->payload = ss_str_make(left ? (const char *)c.p : NULL, left);
	return SS_RTP_OK;
}

uint32_t ss_rtp_csrc(const struct ss_rtp *r, unsigned i)
{
	if (i >= r->csrc_count)
		return 0;
	const uint8_t *q = r->csrc + (size_t)i * 4;
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
	       (uint32_t)q[2] << 8 | q[3];
}

bool ss_rtp_byte1_is_rtcp(uint8_t byte1)
{
	/* RTCP packet types 192..223 as seen in RTP's M+PT byte: M set and
	 * PT 64..95 (RFC 5761 section 4). */
	return byte1 >= 192 && byte1 <= 223;
}

bool ss_rtp_looks_like(const uint8_t *p, size_t len)
{
	struct ss_rtp r;
	if (len < SS_RTP_HDR_LEN || ss_rtp_byte1_is_rtcp(p[1]))
		return false;
	return ss_rtp_parse(p, len, &r) == SS_RTP_OK;
}

/* One RFC 8285 element at *off in the one- or two-byte form. */
static bool ext_elem(const struct ss_rtp *r, bool two, size_t *off,
		     uint8_t *id, ss_str *data)
{
	const uint8_t *e = (const uint8_t *)r->ext.p;
	size_t n = r->ext.len, o = *off;
	while (o < n && e[o] == 0)	/* padding between elements */
		o++;
	if (o >= n)
		return false;
	size_t dlen;
	if (two) {
		if (n - o < 2)
			return false;
		*id = e[o];
		dlen = e[o + 1];
		o += 2;
	} else {
		*id = e[o] >> 4;
		dlen = (size_t)(e[o] & 0x0F) + 1;
		o += 1;
		if (*id == 15)	/* reserved: stop processing (RFC 8285 4.2) */
			return false;
	}
	if (n - o < dlen)
		return false;
	*data = ss_str_make((const char *)e + o, dlen);
	*off = o + dlen;
	return true;
}

bool ss_rtp_ext_next(const struct ss_rtp *r, size_t *off, uint8_t *id,
		     ss_str *data)
{
	if (!r->extension || r->ext.len == 0)
		return false;
	if (r->ext_profile == SS_RTP_EXT_ONE_BYTE)
		return ext_elem(r, false, off, id, data);
	if ((r->ext_profile & SS_RTP_EXT_TWO_BYTE_MASK) == SS_RTP_EXT_TWO_BYTE)
		return ext_elem(r, true, off, id, data);
	return false;
}

bool ss_rtp_event_parse(ss_str payload, struct ss_rtp_event *ev)
{
	if (payload.len < 4)	/* also keeps a NULL slice out of cur_make */
		return false;
	struct cursor c = cur_make(payload.p, payload.len);
	uint8_t b1;
	if (!cur_u8(&c, &ev->event) || !cur_u8(&c, &b1) ||
	    !cur_be16(&c, &ev->duration))
		return false;
	ev->end = b1 & 0x80;
	ev->volume = b1 & 0x3F;
	return true;
}

char ss_rtp_event_char(uint8_t event)
{
	static const char map[] = "0123456789*#ABCD!";
	return event < sizeof map - 1 ? map[event] : '?';
}
