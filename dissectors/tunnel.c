/*
 * tunnel.c - encapsulations that carry a whole inner frame or packet:
 *   GRE (RFC 2784, key and sequence from RFC 2890), enhanced GRE of PPTP
 *   (RFC 2637 section 4.1) carrying PPP (see ss_decode_ppp in link.c),
 *   ERSPAN types I, II and III (draft-foschiano-erspan-03) inside GRE,
 *   VXLAN (RFC 7348) and GTP-U (3GPP TS 29.281) inside UDP.
 *
 * Each tunnel layer is counted once in pi->tunnel_depth and st.tunnels
 * (ss_tunnel_enter); the inner headers then overwrite the addresses, so a
 * payload is reported with the innermost endpoints.
 */
#include "packet.h"

#define GRE_C 0x8000		/* checksum present */
#define GRE_R 0x4000		/* routing present (RFC 1701 only) */
#define GRE_K 0x2000		/* key present */
#define GRE_S 0x1000		/* sequence number present */
#define GRE_SSR 0x0800		/* strict source route (RFC 1701 only) */
#define GRE_RECUR 0x0700	/* recursion control (RFC 1701 only) */
#define GRE_A 0x0080		/* acknowledgment present (RFC 2637) */
#define GRE_VER 0x0007

#define GRE_PROTO_PPP 0x880B
#define GRE_PROTO_ERSPAN2 0x88BE	/* type I when S is clear */
#define GRE_PROTO_ERSPAN3 0x22EB
#define GRE_PROTO_TEB 0x6558

#define ERSPAN2_HDR 8
#define ERSPAN3_HDR 12
#define ERSPAN3_PLATFORM 8
#define ERSPAN3_O 0x0001	/* platform subheader follows */

#define VXLAN_HDR 8
#define VXLAN_I 0x08		/* VNI is valid */

#define GTP_T_PDU 0xFF
#define GTP_E 0x04
#define GTP_S 0x02
#define GTP_PN 0x01

bool ss_tunnel_enter(struct ss_decoder *d, struct ss_pktinfo *pi,
		     unsigned depth)
{
	if (pi->tunnel_depth >= SS_MAX_TUNNEL_DEPTH ||
	    depth >= SS_MAX_TUNNEL_DEPTH) {
		d->st.tunnel_too_deep++;
		return false;
	}
	pi->tunnel_depth++;
	d->st.tunnels++;
	return true;
}

/* ERSPAN type III header: the O flag is the lowest bit of its last
 * 16-bit word and announces an 8-byte platform-specific subheader. */
static void erspan3(struct ss_decoder *d, struct ss_pktinfo *pi,
		    struct cursor c, unsigned depth)
{
	uint16_t flags;
	if (!cur_skip(&c, ERSPAN3_HDR - 2) || !cur_be16(&c, &flags) ||
	    ((flags & ERSPAN3_O) && !cur_skip(&c, ERSPAN3_PLATFORM))) {
		d->st.truncated++;
		return;
	}
	ss_decode_ether(d, pi, c.p, cur_left(&c), depth);
}

/* The optional GRE fields, in header order. Version 0: checksum+reserved
 * (C), key (K), sequence (S). Version 1 (PPTP): payload length and call
 * ID always, then sequence (S) and acknowledgment (A). */
static bool gre_options(struct cursor *c, uint16_t flags)
{
	size_t n = 0;
	if ((flags & GRE_VER) == 0) {
		n += (flags & GRE_C) ? 4 : 0;
		n += (flags & GRE_K) ? 4 : 0;
	} else {
		n += 4;
	}
	n += (flags & GRE_S) ? 4 : 0;
	n += ((flags & GRE_VER) == 1 && (flags & GRE_A)) ? 4 : 0;
	return cur_skip(c, n);
}

/* RFC 2784 section 2.3: bits 1-5 must be zero unless RFC 1701 is
 * implemented (it is not: source routing is long dead). RFC 2637: the
 * enhanced header has K set and C, R clear, and carries only PPP. */
static bool gre_valid(uint16_t flags, uint16_t proto)
{
	switch (flags & GRE_VER) {
	case 0:
		return !(flags & (GRE_R | GRE_SSR | 0x0400));
	case 1:
		return (flags & GRE_K) && !(flags & (GRE_C | GRE_R)) &&
		       proto == GRE_PROTO_PPP;
	default:
		return false;
	}
}

void ss_decode_gre(struct ss_decoder *d, struct ss_pktinfo *pi,
		   const uint8_t *p, size_t len, unsigned depth)
{
	struct cursor c = cur_make(p, len);
	uint16_t flags, proto;
	if (!cur_be16(&c, &flags) || !cur_be16(&c, &proto)) {
		d->st.truncated++;
		return;
	}
	if (!gre_valid(flags, proto)) {
		d->st.malformed++;
		return;
	}
	if (!gre_options(&c, flags)) {
		d->st.truncated++;
		return;
	}
	if (!ss_tunnel_enter(d, pi, depth))
		return;
	depth++;
	switch (proto) {
	case GRE_PROTO_PPP:
		ss_decode_ppp(d, pi, c.p, cur_left(&c), depth);
		break;
	case GRE_PROTO_ERSPAN2:
		/* Type II has a sequence number and an 8-byte header; type I
		 * has neither (the frame follows the GRE header). */
		if ((flags & GRE_S) && !cur_skip(&c, ERSPAN2_HDR)) {
			d->st.truncated++;
			break;
		}
		ss_decode_ether(d, pi, c.p, cur_left(&c), depth);
		break;
	case GRE_PROTO_ERSPAN3:
		erspan3(d, pi, c, depth);
		break;
	default:	/* IPv4, IPv6, 0x6558 bridging, VLAN-tagged, ... */
		ss_decode_ethertype(d, pi, proto, c.p, cur_left(&c), depth);
		break;
	}
}

/* VXLAN, RFC 7348 section 5: flags (I must be set), 24 reserved bits,
 * VNI, 8 reserved bits, then an Ethernet frame. */
void ss_decode_vxlan(struct ss_decoder *d, struct ss_pktinfo *pi,
		     const uint8_t *p, size_t len, unsigned depth)
{
	struct cursor c = cur_make(p, len);
	uint8_t flags;
	if (!cur_peek8(&c, 0, &flags) || !cur_skip(&c, VXLAN_HDR)) {
		d->st.truncated++;
		return;
	}
	if (!(flags & VXLAN_I)) {
		d->st.malformed++;
		return;
	}
	if (ss_tunnel_enter(d, pi, depth))
		ss_decode_ether(d, pi, c.p, cur_left(&c), depth + 1);
}

/* GTP-U extension headers (TS 29.281 section 5.2): each starts with its
 * length in 4-octet units and ends with the next type; 0 ends the chain. */
static bool gtpu_ext(struct ss_decoder *d, struct cursor *c, uint8_t next)
{
	while (next != 0) {
		uint8_t units;
		if (!cur_peek8(c, 0, &units)) {
			d->st.truncated++;
			return false;
		}
		if (units == 0) {
			d->st.malformed++;
			return false;
		}
		if (!cur_peek8(c, (size_t)units * 4 - 1, &next)) {
			d->st.truncated++;
			return false;
		}
		cur_skip(c, (size_t)units * 4);
	}
	return true;
}

/* GTP-U, TS 29.281 section 5.1: version 1, PT 1; the length counts every
 * byte after the first 8, optional fields included. Only T-PDUs carry a
 * user packet; echo, error indication and end marker are ignored. */
void ss_decode_gtpu(struct ss_decoder *d, struct ss_pktinfo *pi,
		    const uint8_t *p, size_t len, unsigned depth)
{
	struct cursor c = cur_make(p, len);
	uint8_t flags, type, next = 0;
	uint16_t glen;
	if (!cur_u8(&c, &flags) || !cur_u8(&c, &type) ||
	    !cur_be16(&c, &glen) || !cur_skip(&c, 4)) {
		d->st.truncated++;
		return;
	}
	if ((flags >> 5) != 1 || !(flags & 0x10)) {
		d->st.malformed++;
		return;
	}
	if (type != GTP_T_PDU)
		return;
	if (glen > cur_left(&c))
		d->st.truncated++;
	else
		c.end = c.p + glen;
	if ((flags & (GTP_E | GTP_S | GTP_PN)) &&
	    (!cur_skip(&c, 3) || !cur_u8(&c, &next))) {
		d->st.truncated++;
		return;
	}
	if ((flags & GTP_E) && !gtpu_ext(d, &c, next))
		return;
	if (ss_tunnel_enter(d, pi, depth))
		ss_decode_ip(d, pi, c.p, cur_left(&c), depth + 1);
}
