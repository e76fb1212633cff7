/*
 * packet.h - what the lower dissectors (link, IP, fragments, tunnels, UDP)
 * hand upwards, and the decoder context they share.
 *
 * The decoder walks one captured frame from its link header down to a
 * transport payload. It never allocates per packet except to reassemble IP
 * fragments (bounded, see ipfrag.h). Payloads are delivered through the
 * on_payload callback as slices that stay valid only during the call.
 */
#ifndef SS_PACKET_H
#define SS_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

struct ss_addr {
	uint8_t family;		/* 4 or 6; 0 = unset */
	uint16_t port;		/* host byte order; 0 when not applicable */
	uint8_t ip[16];		/* IPv4 in the first 4 bytes */
};

enum ss_l4 {
	SS_L4_UDP = 17,
	SS_L4_TCP = 6,
	SS_L4_SCTP = 132,
};

/* Where a payload came from. Filled in layer by layer as the frame is
 * walked; tunnels overwrite the addresses with the inner ones. */
struct ss_pktinfo {
	int64_t ts_ns;		/* capture time, ns since the Unix epoch */
	uint64_t frame;		/* 1-based position in the merged input */
	uint32_t source;	/* index of the input it came from */
	int dlt;		/* link type of the outer frame */
	struct ss_addr src, dst;
	uint8_t l4;		/* enum ss_l4 */
	uint8_t vlan_depth;	/* 802.1Q/802.1ad tags seen */
	uint16_t vlan[2];	/* outermost first */
	uint8_t tunnel_depth;	/* IP-in-IP, GRE, VXLAN, ... layers crossed */
	bool reassembled;	/* payload was rebuilt from IP fragments */
	const uint8_t *frame_data;	/* the whole captured frame */
	size_t frame_caplen;
	/* TCP header fields (RFC 9293 section 3.1), set when l4 is
	 * SS_L4_TCP: what stream reassembly needs besides the ports. */
	uint32_t tcp_seq;
	uint32_t tcp_ack;
	uint8_t tcp_flags;	/* SS_TCP_FIN | SS_TCP_SYN | ... */
};

/* TCP control bits (RFC 9293 section 3.1). */
#define SS_TCP_FIN 0x01
#define SS_TCP_SYN 0x02
#define SS_TCP_RST 0x04
#define SS_TCP_PSH 0x08
#define SS_TCP_ACK 0x10

/* Counters a user can see with -v and that tests assert. */
struct ss_decode_stats {
	uint64_t frames;
	uint64_t unsupported_link;	/* frames of a link type we do not decode */
	uint64_t truncated;		/* headers cut short by the snap length */
	uint64_t malformed;		/* header fields that contradict each other */
	uint64_t non_ip;
	uint64_t ip_fragments;
	uint64_t ip_reassembled;
	uint64_t ip_frag_overlaps;
	uint64_t ip_frag_timeouts;
	uint64_t ip_frag_dropped;	/* evicted to honour the memory cap */
	uint64_t tunnels;
	uint64_t tunnel_too_deep;
	uint64_t udp;
	uint64_t tcp;
	uint64_t sctp;
	uint64_t other_l4;
	uint64_t ip_esp;		/* ESP-protected payloads: cannot decode */
	uint64_t hep;			/* HEP packets (captured or received) */
	uint64_t hep_bad;		/* HEP packets that did not parse */
	uint64_t hep_not_sip;		/* HEP of another proto type (RTCP, logs) */
	uint64_t hep_auth_failed;	/* dropped: wrong or no auth key */
};

struct ss_decoder;
typedef void (*ss_payload_cb)(void *user, const struct ss_pktinfo *pi,
			      const uint8_t *payload, size_t len);

struct ss_frag_table;	/* ipfrag.h */

struct ss_decoder {
	ss_payload_cb on_payload;	/* UDP/TCP/SCTP payloads go here */
	void *user;
	/* When set, every TCP segment goes here instead of on_payload, the
	 * empty ones too (SYN, FIN, RST and pure ACKs drive reassembly
	 * state), with pi->tcp_seq/tcp_ack/tcp_flags filled in. Set it after
	 * ss_decoder_init; user is the same pointer as on_payload's. */
	ss_payload_cb on_tcp;
	struct ss_frag_table *frags;	/* owned; NULL disables reassembly */
	uint16_t vxlan_port;		/* 4789 by default */
	uint16_t gtpu_port;		/* 2152 by default */
	uint16_t hep_port;		/* 9060 by default (hep.h); 0 = off */
	struct ss_decode_stats st;
};

/* Initialise a decoder; frag_mem_cap bytes bound fragment reassembly
 * (0 picks the default of 8 MiB). Returns false on allocation failure. */
bool ss_decoder_init(struct ss_decoder *d, ss_payload_cb cb, void *user,
		     size_t frag_mem_cap);
void ss_decoder_free(struct ss_decoder *d);

/* Decode one captured frame of link type dlt (a libpcap DLT_* value).
 * pi->ts_ns, frame and source must be set by the caller; the rest is filled
 * in here. Never reads outside data[0..caplen). */
void ss_decode_frame(struct ss_decoder *d, struct ss_pktinfo *pi, int dlt,
		     const uint8_t *data, size_t caplen);

/* Is this link type one we can decode? */
bool ss_dlt_supported(int dlt);

/* Entry points used between the link, IP and tunnel dissectors. Each
 * decodes the given bytes as its protocol and continues down the stack;
 * depth guards recursion through nested tunnels. */
void ss_decode_ether(struct ss_decoder *d, struct ss_pktinfo *pi,
		     const uint8_t *p, size_t len, unsigned depth);
void ss_decode_ip(struct ss_decoder *d, struct ss_pktinfo *pi,
		  const uint8_t *p, size_t len, unsigned depth);
void ss_decode_ethertype(struct ss_decoder *d, struct ss_pktinfo *pi,
			 uint16_t ethertype, const uint8_t *p, size_t len,
			 unsigned depth);
void ss_decode_l4(struct ss_decoder *d, struct ss_pktinfo *pi, uint8_t proto,
		  const uint8_t *p, size_t len, unsigned depth);
void ss_decode_gre(struct ss_decoder *d, struct ss_pktinfo *pi,
		   const uint8_t *p, size_t len, unsigned depth);
void ss_decode_udp(struct ss_decoder *d, struct ss_pktinfo *pi,
		   const uint8_t *p, size_t len, unsigned depth);

#define SS_MAX_TUNNEL_DEPTH 8

/* Default UDP ports of the tunnels the UDP dissector recognises; the
 * decoder's vxlan_port and gtpu_port start from these. */
#define SS_VXLAN_PORT 4789	/* RFC 7348 section 5 */
#define SS_GTPU_PORT 2152	/* 3GPP TS 29.281 section 4.4.2.3 */
#define SS_HEP_PORT 9060	/* HEP collectors' default (hep.h) */

/* Count one more tunnel layer crossed. Returns false (and counts
 * tunnel_too_deep) when the frame already crossed SS_MAX_TUNNEL_DEPTH
 * layers or recursion went that deep: the caller must then stop. */
bool ss_tunnel_enter(struct ss_decoder *d, struct ss_pktinfo *pi,
		     unsigned depth);
/* VXLAN (RFC 7348) and GTP-U (3GPP TS 29.281) payloads of a UDP datagram,
 * i.e. p starts at the tunnel header. */
void ss_decode_vxlan(struct ss_decoder *d, struct ss_pktinfo *pi,
		     const uint8_t *p, size_t len, unsigned depth);
void ss_decode_gtpu(struct ss_decoder *d, struct ss_pktinfo *pi,
		    const uint8_t *p, size_t len, unsigned depth);
/* A PPP frame (RFC 1661), address/control and protocol field possibly
 * compressed (RFC 1662, RFC 1661 section 6.5/6.6): used by PPPoE sessions
 * and PPTP's enhanced GRE. Only IPv4 and IPv6 continue. */
void ss_decode_ppp(struct ss_decoder *d, struct ss_pktinfo *pi,
		   const uint8_t *p, size_t len, unsigned depth);

/* Same family and address (the bytes past an IPv4 address are not
 * compared: they may hold anything). bytes.h brings string.h. */
static inline bool ss_addr_ip_equal(const struct ss_addr *a, const struct ss_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == 6)
		return memcmp(a->ip, b->ip, 16) == 0;
	uint32_t x, y;	/* inline: a memcmp call costs as much as the rest */
	memcpy(&x, a->ip, 4);
	memcpy(&y, b->ip, 4);
	return x == y;
}

/* ... and the same port: the same endpoint. */
static inline bool ss_addr_equal(const struct ss_addr *a, const struct ss_addr *b)
{
	return a->port == b->port && ss_addr_ip_equal(a, b);
}

/* Format an address as "ip:port" or "[ip6]:port" (port omitted when
 * with_port is false). Returns the length written, always NUL-terminated;
 * 64 bytes is always enough. */
size_t ss_addr_format(const struct ss_addr *a, bool with_port, char *buf,
		      size_t buflen);

#endif
