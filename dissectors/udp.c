/*
 * udp.c - UDP (RFC 768) and the table of what rides on it.
 *
 * Instead of a chain of port tests, every protocol decoded below UDP is a
 * row of udp_protos[]: its name, default port, where its configured port
 * lives, a cheap heuristic that must also agree, and its entry point.
 * A datagram no row claims is handed to d->on_payload; SIP detection
 * happens above this layer.
 */
#include <stddef.h>
#include <string.h>

#include "hep.h"
#include "packet.h"

#define UDP_HDR 8

typedef void udp_decode_fn(struct ss_decoder *d, struct ss_pktinfo *pi,
			   const uint8_t *p, size_t len, unsigned depth);

struct udp_proto {
	const char *name;
	uint16_t default_port;	/* what the decoder's field starts as */
	/* Where the decoder keeps the port currently configured (a user may
	 * move it): an offset into struct ss_decoder rather than a getter,
	 * because every datagram checks every row on both of its ports and
	 * the calls cost more than the rest of UDP decoding (RTP runs at
	 * ~50 packets a second per stream). */
	size_t port_at;
	/* Must accept the payload too, so that unrelated traffic that
	 * happens to use the port is still delivered as plain UDP. */
	bool (*heuristic)(const uint8_t *p, size_t len);
	udp_decode_fn *decode;
};

/* RFC 7348: the I flag set, the other flag bits and reserved bytes zero
 * (VXLAN-GPE and other variants set more bits and are not Ethernet). */
static bool vxlan_heur(const uint8_t *p, size_t len)
{
	return len >= 8 + 14 && p[0] == 0x08 && p[1] == 0 && p[2] == 0 &&
	       p[3] == 0 && p[7] == 0;
}

/* TS 29.281: version 1 and protocol type GTP (not GTP'). */
static bool gtpu_heur(const uint8_t *p, size_t len)
{
	return len >= 8 && (p[0] & 0xF0) == 0x30;
}

static const struct udp_proto udp_protos[] = {
	{ "vxlan", SS_VXLAN_PORT, offsetof(struct ss_decoder, vxlan_port),
	  vxlan_heur, ss_decode_vxlan },
	{ "gtpu", SS_GTPU_PORT, offsetof(struct ss_decoder, gtpu_port),
	  gtpu_heur, ss_decode_gtpu },
	{ "hep", SS_HEP_PORT, offsetof(struct ss_decoder, hep_port),
	  ss_hep_looks_like, ss_decode_hep },
};

static bool port_match(const struct udp_proto *up,
		       const struct ss_decoder *d, uint16_t port)
{
	uint16_t want;
	memcpy(&want, (const char *)d + up->port_at, sizeof want);
	return want != 0 && want == port;
}

/* Whether port is one of the rows' ports: nearly every datagram (all of
 * RTP) is on none, and three compares say so sooner than the table walk. */
static inline bool any_port(const struct ss_decoder *d, uint16_t port)
{
	_Static_assert(sizeof udp_protos / sizeof udp_protos[0] == 3,
		       "any_port() names every row's port");
	return port && (port == d->vxlan_port || port == d->gtpu_port ||
			port == d->hep_port);
}

/* The destination port decides first: a source port may be an ephemeral
 * one that merely collides with a tunnel's port. */
static const struct udp_proto *udp_lookup(const struct ss_decoder *d,
					  uint16_t sport, uint16_t dport,
					  const uint8_t *p, size_t len)
{
	const size_t n = sizeof udp_protos / sizeof udp_protos[0];
	/* Nearly every datagram (all of RTP) is on no row's port: say so
	 * with one pass over the rows before the ordered search. */
	if (!any_port(d, sport) && !any_port(d, dport))
		return NULL;
	for (int pass = 0; pass < 2; pass++) {
		uint16_t port = pass == 0 ? dport : sport;
		for (size_t i = 0; i < n; i++) {
			const struct udp_proto *up = &udp_protos[i];
			if (port_match(up, d, port) &&
			    (!up->heuristic || up->heuristic(p, len)))
				return up;
		}
	}
	return NULL;
}

void ss_decode_udp(struct ss_decoder *d, struct ss_pktinfo *pi,
		   const uint8_t *p, size_t len, unsigned depth)
{
	d->st.udp++;
	if (len < UDP_HDR) {
		d->st.truncated++;
		return;
	}
	uint16_t sport = (uint16_t)(p[0] << 8 | p[1]);
	uint16_t dport = (uint16_t)(p[2] << 8 | p[3]);
	uint16_t ulen = (uint16_t)(p[4] << 8 | p[5]);
	struct cursor c = cur_make(p + UDP_HDR, len - UDP_HDR);
	/* RFC 768: the length counts the header. Over IPv6 a length of 0
	 * means a jumbogram (RFC 2675); we treat it as malformed too. */
	if (ulen < UDP_HDR) {
		d->st.malformed++;
		return;
	}
	size_t n = cur_left(&c);
	if ((size_t)ulen - UDP_HDR > n)
		d->st.truncated++;
	else
		n = (size_t)ulen - UDP_HDR;
	pi->src.port = sport;
	pi->dst.port = dport;
	const struct udp_proto *up = udp_lookup(d, sport, dport, c.p, n);
	if (up) {
		up->decode(d, pi, c.p, n, depth);
		return;
	}
	if (n == 0 || !d->on_payload)
		return;
	pi->l4 = SS_L4_UDP;
	d->on_payload(d->user, pi, c.p, n);
}
