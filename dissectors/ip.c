/*
 * ip.c - IPv4 (RFC 791), IPv6 (RFC 8200) and the transport demultiplexer:
 * TCP (RFC 9293) and SCTP (RFC 9260) here, UDP in udp.c, GRE in tunnel.c.
 *
 * IP headers only fill in addresses and trim the payload to what the
 * length fields and the capture both allow; fragments go to ipfrag.c and
 * come back whole through ss_decode_l4 with pi->reassembled set.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipfrag.h"
#include "packet.h"

#define IP4_MIN_HDR 20
#define IP6_HDR 40
#define IP4_MF 0x2000
#define IP4_OFFSET_MASK 0x1FFF

enum {
	PROTO_HOPOPTS = 0,
	PROTO_IPIP = 4,
	PROTO_TCP = 6,
	PROTO_UDP = 17,
	PROTO_IPV6 = 41,
	PROTO_ROUTING = 43,
	PROTO_FRAGMENT = 44,
	PROTO_GRE = 47,
	PROTO_ESP = 50,
	PROTO_AH = 51,
	PROTO_NONE = 59,
	PROTO_DSTOPTS = 60,
	PROTO_SCTP = 132,
};

static void deliver(struct ss_decoder *d, struct ss_pktinfo *pi,
		    uint8_t l4, const uint8_t *p, size_t len)
{
	if (len == 0 || !d->on_payload)
		return;
	pi->l4 = l4;
	d->on_payload(d->user, pi, p, len);
}

/* Offer a fragment to the table; if it completes a datagram, decode the
 * whole payload as protocol 'proto' and free it. */
static void frag_input(struct ss_decoder *d, struct ss_pktinfo *pi,
		       uint8_t proto, uint32_t id, uint32_t offset, bool more,
		       const uint8_t *p, size_t len, unsigned depth)
{
	struct ss_frag_key k = { .family = pi->src.family, .proto = proto,
				 .id = id };
	size_t n;
	if (!d->frags) {
		d->st.ip_fragments++;
		return;
	}
	memcpy(k.src, pi->src.ip, 16);
	memcpy(k.dst, pi->dst.ip, 16);
	uint8_t *buf = ss_frag_add(d->frags, &d->st, pi->ts_ns, &k, offset,
				   more, p, len, &n);
	if (!buf)
		return;
	bool was = pi->reassembled;
	pi->reassembled = true;
	/* depth + 1: a reassembled payload could hold yet another fragment
	 * header, and recursion must stay bounded. */
	if (depth + 1 < SS_MAX_TUNNEL_DEPTH)
		ss_decode_l4(d, pi, proto, buf, n, depth + 1);
	else
		d->st.tunnel_too_deep++;
	pi->reassembled = was;
	free(buf);
}

static void set_addr(struct ss_addr *a, uint8_t family, const uint8_t *ip,
		     size_t n)
{
	memset(a, 0, sizeof *a);
	a->family = family;
	memcpy(a->ip, ip, n);
}

static void decode_ip4(struct ss_decoder *d, struct ss_pktinfo *pi,
		       struct cursor c, unsigned depth)
{
	size_t avail = cur_left(&c);
	const uint8_t *hdr = c.p;
	if (avail < IP4_MIN_HDR) {
		d->st.truncated++;
		return;
	}
	/* the 20 bytes are there: read them in place */
	uint8_t vihl = hdr[0], proto = hdr[9];
	uint16_t total = (uint16_t)(hdr[2] << 8 | hdr[3]);
	uint16_t id = (uint16_t)(hdr[4] << 8 | hdr[5]);
	uint16_t frag = (uint16_t)(hdr[6] << 8 | hdr[7]);
	size_t hlen = (size_t)(vihl & 0x0F) * 4;
	if (hlen < IP4_MIN_HDR || total < hlen) {
		d->st.malformed++;
		return;
	}
	if (avail < hlen) {
		d->st.truncated++;
		return;
	}
	/* Ethernet pads short frames: trust the total length when it is
	 * shorter than the capture, the capture when it is shorter. */
	bool cut = total > avail;
	if (cut)
		d->st.truncated++;
	size_t end = cut ? avail : total;
	set_addr(&pi->src, 4, hdr + 12, 4);
	set_addr(&pi->dst, 4, hdr + 16, 4);
	const uint8_t *pl = hdr + hlen;
	size_t plen = end - hlen;
	uint32_t off = (uint32_t)(frag & IP4_OFFSET_MASK) * 8;
	if ((frag & IP4_MF) || off) {
		if (cut)	/* missing bytes would corrupt the datagram */
			return;
		frag_input(d, pi, proto, id, off, frag & IP4_MF, pl, plen,
			   depth);
		return;
	}
	/* UDP has no extension headers to skip: what ss_decode_l4() would
	 * do with it, one call sooner. */
	if (proto == PROTO_UDP)
		ss_decode_udp(d, pi, pl, plen, depth);
	else
		ss_decode_l4(d, pi, proto, pl, plen, depth);
}

static void decode_ip6(struct ss_decoder *d, struct ss_pktinfo *pi,
		       struct cursor c, unsigned depth)
{
	uint16_t plen;
	uint8_t nh;
	const uint8_t *hdr = c.p;
	if (!cur_skip(&c, 4) || !cur_be16(&c, &plen) || !cur_u8(&c, &nh) ||
	    !cur_skip(&c, 33)) {
		d->st.truncated++;
		return;
	}
	set_addr(&pi->src, 6, hdr + 8, 16);
	set_addr(&pi->dst, 6, hdr + 24, 16);
	size_t avail = cur_left(&c);
	/* Payload length 0 means a jumbogram (RFC 2675): use the capture. */
	if (plen > avail)
		d->st.truncated++;
	size_t n = (plen == 0 || plen > avail) ? avail : plen;
	ss_decode_l4(d, pi, nh, c.p, n, depth);
}

void ss_decode_ip(struct ss_decoder *d, struct ss_pktinfo *pi,
		  const uint8_t *p, size_t len, unsigned depth)
{
	struct cursor c = cur_make(p, len);
	uint8_t v;
	if (!cur_peek8(&c, 0, &v)) {
		d->st.truncated++;
		return;
	}
	if (v >> 4 == 4)
		decode_ip4(d, pi, c, depth);
	else if (v >> 4 == 6)
		decode_ip6(d, pi, c, depth);
	else
		d->st.non_ip++;
}

/* IPv6 fragment header (RFC 8200 section 4.5). An atomic fragment
 * (offset 0, M clear) is processed in isolation (RFC 6946): its next
 * header simply continues the chain. Returns true in that case. */
static bool ip6_fragment(struct ss_decoder *d, struct ss_pktinfo *pi,
			 uint8_t *nh, struct cursor *c, unsigned depth)
{
	uint16_t offm;
	uint32_t id;
	uint8_t next;
	if (!cur_u8(c, &next) || !cur_skip(c, 1) || !cur_be16(c, &offm) ||
	    !cur_be32(c, &id)) {
		d->st.truncated++;
		return false;
	}
	*nh = next;
	if ((offm & 0xFFF8) == 0 && !(offm & 1))
		return true;
	frag_input(d, pi, next, id, offm & 0xFFF8, offm & 1, c->p,
		   cur_left(c), depth);
	return false;
}

/* Walk extension headers until a transport protocol. Returns false when
 * nothing is left to decode here (fragment handed off, ESP, no next
 * header, truncation). AH (RFC 4302) is skipped for IPv4 as well. */
static bool skip_ext(struct ss_decoder *d, struct ss_pktinfo *pi,
		     uint8_t *nh, struct cursor *c, unsigned depth)
{
	for (;;) {
		bool v6 = pi->src.family == 6;
		uint8_t next, hl;
		size_t n;
		if (*nh == PROTO_ESP) {
			d->st.ip_esp++;
			return false;
		}
		if (v6 && *nh == PROTO_NONE)
			return false;
		if (v6 && *nh == PROTO_FRAGMENT) {
			if (!ip6_fragment(d, pi, nh, c, depth))
				return false;
			continue;
		}
		if (*nh == PROTO_AH)
			n = 4;		/* length in 4-octet units, minus 2 */
		else if (v6 && (*nh == PROTO_HOPOPTS || *nh == PROTO_ROUTING ||
				*nh == PROTO_DSTOPTS))
			n = 8;		/* length in 8-octet units, minus 1 */
		else
			return true;
		if (!cur_peek8(c, 0, &next) || !cur_peek8(c, 1, &hl) ||
		    !cur_skip(c, n == 4 ? ((size_t)hl + 2) * 4
				       : ((size_t)hl + 1) * 8)) {
			d->st.truncated++;
			return false;
		}
		*nh = next;
	}
}

/* TCP header (RFC 9293 section 3.1). Sequence number, acknowledgment and
 * control bits are handed up for stream reassembly (tcp.c); a segment
 * without payload still matters there, so on_tcp sees it too. */
static void decode_tcp(struct ss_decoder *d, struct ss_pktinfo *pi,
		       struct cursor c)
{
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t off, flags;
	d->st.tcp++;
	if (!cur_be16(&c, &sport) || !cur_be16(&c, &dport) ||
	    !cur_be32(&c, &seq) || !cur_be32(&c, &ack) ||
	    !cur_u8(&c, &off) || !cur_u8(&c, &flags)) {
		d->st.truncated++;
		return;
	}
	size_t hlen = (size_t)(off >> 4) * 4;
	if (hlen < 20) {
		d->st.malformed++;
		return;
	}
	if (!cur_skip(&c, hlen - 14)) {
		d->st.truncated++;
		return;
	}
	pi->src.port = sport;
	pi->dst.port = dport;
	pi->tcp_seq = seq;
	pi->tcp_ack = ack;
	pi->tcp_flags = flags;
	if (!d->on_tcp) {
		deliver(d, pi, SS_L4_TCP, c.p, cur_left(&c));
		return;
	}
	pi->l4 = SS_L4_TCP;
	d->on_tcp(d->user, pi, c.p, cur_left(&c));
}

/* One SCTP chunk (RFC 9260 section 3.2). DATA (type 0) has a 16-byte
 * header; I-DATA (type 64, RFC 8260) has 20. Both carry user data. */
static void sctp_chunk(struct ss_decoder *d, struct ss_pktinfo *pi,
		       uint8_t type, struct cursor ch)
{
	size_t hdr = type == 0 ? 16 : type == 64 ? 20 : 0;
	if (hdr == 0)
		return;
	if (!cur_skip(&ch, hdr)) {
		d->st.malformed++;
		return;
	}
	deliver(d, pi, SS_L4_SCTP, ch.p, cur_left(&ch));
}

static void decode_sctp(struct ss_decoder *d, struct ss_pktinfo *pi,
			struct cursor c)
{
	uint16_t sport, dport;
	d->st.sctp++;
	if (!cur_be16(&c, &sport) || !cur_be16(&c, &dport) ||
	    !cur_skip(&c, 8)) {
		d->st.truncated++;
		return;
	}
	pi->src.port = sport;
	pi->dst.port = dport;
	while (cur_left(&c) > 0) {
		struct cursor ch;
		uint8_t type;
		uint16_t clen;
		if (!cur_peek8(&c, 0, &type) || cur_left(&c) < 4) {
			d->st.truncated++;
			return;
		}
		clen = (uint16_t)(c.p[2] << 8 | c.p[3]);
		if (clen < 4) {		/* would never advance */
			d->st.malformed++;
			return;
		}
		if (!cur_sub(&c, clen, &ch)) {
			d->st.truncated++;
			return;
		}
		sctp_chunk(d, pi, type, ch);
		/* Chunks are padded to 4 bytes; the last one may lack it. */
		size_t pad = (4 - clen % 4) % 4;
		cur_skip(&c, pad < cur_left(&c) ? pad : cur_left(&c));
	}
}

static void ip_in_ip(struct ss_decoder *d, struct ss_pktinfo *pi,
		     const uint8_t *p, size_t len, unsigned depth)
{
	if (ss_tunnel_enter(d, pi, depth))
		ss_decode_ip(d, pi, p, len, depth + 1);
}

void ss_decode_l4(struct ss_decoder *d, struct ss_pktinfo *pi, uint8_t proto,
		  const uint8_t *p, size_t len, unsigned depth)
{
	struct cursor c = cur_make(p, len);
	if (!skip_ext(d, pi, &proto, &c, depth))
		return;
	switch (proto) {
	case PROTO_UDP:
		ss_decode_udp(d, pi, c.p, cur_left(&c), depth);
		break;
	case PROTO_TCP:
		decode_tcp(d, pi, c);
		break;
	case PROTO_SCTP:
		decode_sctp(d, pi, c);
		break;
	case PROTO_IPIP:
	case PROTO_IPV6:
		ip_in_ip(d, pi, c.p, cur_left(&c), depth);
		break;
	case PROTO_GRE:
		ss_decode_gre(d, pi, c.p, cur_left(&c), depth);
		break;
	default:
		d->st.other_l4++;
		break;
	}
}

/* Decimal digits of v at w; returns the end. */
static char *put_dec(char *w, unsigned v)
{
	char d[10];
	size_t n = 0;
	do
		d[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*w++ = d[--n];
	return w;
}

/* What inet_ntop() and snprintf("%s:%u") write for an IPv4 address,
 * without them: the registration and message views format an address
 * per message, and the library route cost ~2,800 instructions. Truncated
 * to buflen - 1 like snprintf. */
static size_t format_ip4(const struct ss_addr *a, bool with_port, char *buf,
			 size_t buflen)
{
	char tmp[24], *w = tmp;	/* 255.255.255.255:65535 */
	for (int i = 0; i < 4; i++) {
		if (i)
			*w++ = '.';
		w = put_dec(w, a->ip[i]);
	}
	if (with_port) {
		*w++ = ':';
		w = put_dec(w, a->port);
	}
	size_t n = (size_t)(w - tmp);
	if (n >= buflen)
		n = buflen - 1;
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return n;
}

size_t ss_addr_format(const struct ss_addr *a, bool with_port, char *buf,
		      size_t buflen)
{
	char ip[INET6_ADDRSTRLEN];
	int n;
	if (buflen == 0)
		return 0;
	if (a->family == 4)
		return format_ip4(a, with_port, buf, buflen);
	if (a->family == 6)
		inet_ntop(AF_INET6, a->ip, ip, sizeof ip);
	else
		memcpy(ip, "?", 2);
	if (!with_port)
		n = snprintf(buf, buflen, "%s", ip);
	else if (a->family == 6)
		n = snprintf(buf, buflen, "[%s]:%u", ip, (unsigned)a->port);
	else
		n = snprintf(buf, buflen, "%s:%u", ip, (unsigned)a->port);
	if (n < 0) {
		buf[0] = '\0';
		return 0;
	}
	return (size_t)n < buflen ? (size_t)n : buflen - 1;
}
