/*
 * link.c - link-layer headers: from a captured frame to an EtherType.
 *
 * Ethernet II (IEEE 802.3 clause 3) with IEEE 802.1Q / 802.1ad tags,
 * PPPoE sessions (RFC 2516) with PPP (RFC 1661), Linux cooked captures v1
 * and v2, raw IP, and BSD loopback. Link-type
 * numbers are libpcap's DLT_* values (pcap/dlt.h; the LINKTYPE_* list at
 * tcpdump.org/linktypes.html gives the on-disk values).
 *
 * Every link type is one row of links[]: the decoder looks the type up and
 * calls its entry point, which strips the header and hands the rest to the
 * EtherType dispatcher or straight to IP.
 */
#include <string.h>

#include "ipfrag.h"
#include "packet.h"

#define SLL_PROTO_OFF 14
#define SLL2_HDR_LEN 20

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86DD
#define ETHERTYPE_8021Q 0x8100		/* IEEE 802.1Q C-tag */
#define ETHERTYPE_8021AD 0x88A8		/* IEEE 802.1ad S-tag */
#define ETHERTYPE_QINQ_OLD 0x9100	/* pre-802.1ad vendor QinQ */
#define ETHERTYPE_TEB 0x6558		/* transparent Ethernet bridging */
#define ETHERTYPE_PPPOE 0x8864		/* PPPoE session stage, RFC 2516 */
#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057
#define ETHERTYPE_MIN 0x0600		/* below: an 802.3 length field */

typedef void link_fn(struct ss_decoder *d, struct ss_pktinfo *pi,
		     const uint8_t *p, size_t len);

static link_fn link_ether, link_sll, link_sll2, link_raw, link_null,
	link_loop;

/* DLT values are spelled out because they differ between platforms
 * (DLT_RAW is 12 on most systems but 14 on OpenBSD; a pcap file says 101)
 * and a table, unlike a switch, tolerates the same number twice. */
static const struct link_type {
	int dlt;
	const char *name;
	link_fn *decode;
} links[] = {
	{ 0, "NULL", link_null },	/* DLT_NULL: BSD loopback */
	{ 1, "EN10MB", link_ether },	/* DLT_EN10MB: Ethernet */
	{ 12, "RAW", link_raw },	/* DLT_RAW */
	{ 14, "RAW", link_raw },	/* DLT_RAW on OpenBSD */
	{ 101, "RAW", link_raw },	/* LINKTYPE_RAW */
	{ 108, "LOOP", link_loop },	/* DLT_LOOP: OpenBSD loopback */
	{ 113, "LINUX_SLL", link_sll },	/* DLT_LINUX_SLL */
	{ 228, "IPV4", link_raw },	/* DLT_IPV4 */
	{ 229, "IPV6", link_raw },	/* DLT_IPV6 */
	{ 276, "LINUX_SLL2", link_sll2 },	/* DLT_LINUX_SLL2 */
};

static const struct link_type *link_find(int dlt)
{
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		if (links[i].dlt == dlt)
			return &links[i];
	return NULL;
}

bool ss_dlt_supported(int dlt)
{
	return link_find(dlt) != NULL;
}

bool ss_decoder_init(struct ss_decoder *d, ss_payload_cb cb, void *user,
		     size_t frag_mem_cap)
{
	memset(d, 0, sizeof *d);
	d->on_payload = cb;
	d->user = user;
	d->frags = ss_frag_new(frag_mem_cap);
	d->vxlan_port = SS_VXLAN_PORT;
	d->gtpu_port = SS_GTPU_PORT;
	d->hep_port = SS_HEP_PORT;
	return true;
}

void ss_decoder_free(struct ss_decoder *d)
{
	ss_frag_free(d->frags);
	d->frags = NULL;
}

void ss_decode_frame(struct ss_decoder *d, struct ss_pktinfo *pi, int dlt,
		     const uint8_t *data, size_t caplen)
{
	d->st.frames++;
	pi->dlt = dlt;
	pi->frame_data = data;
	pi->frame_caplen = caplen;
	memset(&pi->src, 0, sizeof pi->src);
	memset(&pi->dst, 0, sizeof pi->dst);
	pi->l4 = 0;
	pi->vlan_depth = 0;
	pi->vlan[0] = pi->vlan[1] = 0;
	pi->tunnel_depth = 0;
	pi->reassembled = false;
	/* Ethernet carrying IPv4, nearly every frame of a capture, goes
	 * straight to IP: what link_ether() and ss_decode_ethertype() do
	 * with it, without the table walk and two calls. */
	if (dlt == 1 && caplen >= 14 && data[12] == 0x08 && data[13] == 0x00) {
		ss_decode_ip(d, pi, data + 14, caplen - 14, 0);
		return;
	}
	const struct link_type *lt = link_find(dlt);
	if (!lt) {
		d->st.unsupported_link++;
		return;
	}
	lt->decode(d, pi, data, caplen);
}

/* Ethernet II: destination, source, EtherType. Frames whose type field is
 * an 802.3 length carry LLC, never IP for our purposes. */
void ss_decode_ether(struct ss_decoder *d, struct ss_pktinfo *pi,
		     const uint8_t *p, size_t len, unsigned depth)
{
	struct cursor c = cur_make(p, len);
	uint16_t type;
	if (!cur_skip(&c, 12) || !cur_be16(&c, &type)) {
		d->st.truncated++;
		return;
	}
	ss_decode_ethertype(d, pi, type, c.p, cur_left(&c), depth);
}

/* One 802.1Q / 802.1ad tag: TCI (PCP, DEI, 12-bit VID) then the next
 * EtherType. Only the outer two VLAN IDs are kept (QinQ); deeper tags
 * are counted and skipped. */
static bool vlan_tag(struct ss_decoder *d, struct ss_pktinfo *pi,
		     struct cursor *c, uint16_t *type)
{
	uint16_t tci;
	if (!cur_be16(c, &tci) || !cur_be16(c, type)) {
		d->st.truncated++;
		return false;
	}
	if (pi->vlan_depth < 2)
		pi->vlan[pi->vlan_depth] = tci & 0x0FFF;
	if (pi->vlan_depth < UINT8_MAX)
		pi->vlan_depth++;
	return true;
}

/* PPPoE session header (RFC 2516 section 4): version/type, code,
 * session ID, length of the PPP frame that follows. */
static void pppoe(struct ss_decoder *d, struct ss_pktinfo *pi,
		  struct cursor c, unsigned depth)
{
	uint8_t vt, code;
	uint16_t plen;
	if (!cur_u8(&c, &vt) || !cur_u8(&c, &code) || !cur_skip(&c, 2) ||
	    !cur_be16(&c, &plen)) {
		d->st.truncated++;
		return;
	}
	if (vt != 0x11 || code != 0) {
		d->st.malformed++;
		return;
	}
	if (plen > cur_left(&c))
		d->st.truncated++;
	else
		c.end = c.p + plen;
	ss_decode_ppp(d, pi, c.p, cur_left(&c), depth);
}

void ss_decode_ppp(struct ss_decoder *d, struct ss_pktinfo *pi,
		   const uint8_t *p, size_t len, unsigned depth)
{
	struct cursor c = cur_make(p, len);
	uint8_t b0 = 0, b1 = 0;
	uint16_t proto;
	if (cur_peek8(&c, 0, &b0) && cur_peek8(&c, 1, &b1) && b0 == 0xFF &&
	    b1 == 0x03)
		cur_skip(&c, 2);
	if (!cur_peek8(&c, 0, &b0)) {
		d->st.truncated++;
		return;
	}
	/* Protocol numbers have an odd low byte: an odd first byte means
	 * the one-byte compressed form. */
	if (b0 & 1) {
		cur_skip(&c, 1);
		proto = b0;
	} else if (!cur_be16(&c, &proto)) {
		d->st.truncated++;
		return;
	}
	if (proto == PPP_IPV4 || proto == PPP_IPV6)
		ss_decode_ip(d, pi, c.p, cur_left(&c), depth);
	else
		d->st.non_ip++;
}

static bool is_vlan(uint16_t type)
{
	return type == ETHERTYPE_8021Q || type == ETHERTYPE_8021AD ||
	       type == ETHERTYPE_QINQ_OLD;
}

void ss_decode_ethertype(struct ss_decoder *d, struct ss_pktinfo *pi,
			 uint16_t ethertype, const uint8_t *p, size_t len,
			 unsigned depth)
{
	struct cursor c = cur_make(p, len);
	/* The loop ends: each tag consumes 4 bytes of a finite buffer. */
	while (is_vlan(ethertype))
		if (!vlan_tag(d, pi, &c, &ethertype))
			return;
	switch (ethertype) {
	case ETHERTYPE_IPV4:
	case ETHERTYPE_IPV6:
		ss_decode_ip(d, pi, c.p, cur_left(&c), depth);
		break;
	case ETHERTYPE_TEB:
		/* Ethernet in Ethernet recurses; a frame of nothing but
		 * stacked 0x6558 headers (14 bytes each) would otherwise
		 * nest once per header and exhaust the stack on a 256 KiB
		 * snap length. Bound it like tunnel recursion. */
		if (depth + 1 >= SS_MAX_TUNNEL_DEPTH) {
			d->st.tunnel_too_deep++;
			return;
		}
		ss_decode_ether(d, pi, c.p, cur_left(&c), depth + 1);
		break;
	case ETHERTYPE_PPPOE:
		pppoe(d, pi, c, depth);
		break;
	default:
		d->st.non_ip++;
		break;
	}
}

static void link_ether(struct ss_decoder *d, struct ss_pktinfo *pi,
		       const uint8_t *p, size_t len)
{
	ss_decode_ether(d, pi, p, len, 0);
}

/* Linux cooked v1: packet type, ARPHRD type, address length, 8 address
 * bytes, protocol (an EtherType for everything we care about; values
 * below 0x0600 name 802.2/802.3 framings). */
static void link_sll(struct ss_decoder *d, struct ss_pktinfo *pi,
		     const uint8_t *p, size_t len)
{
	struct cursor c = cur_make(p, len);
	uint16_t proto;
	if (!cur_skip(&c, SLL_PROTO_OFF) || !cur_be16(&c, &proto)) {
		d->st.truncated++;
		return;
	}
	if (proto < ETHERTYPE_MIN) {
		d->st.non_ip++;
		return;
	}
	ss_decode_ethertype(d, pi, proto, c.p, cur_left(&c), 0);
}

/* Linux cooked v2: protocol first, then reserved, ifindex, ARPHRD type,
 * packet type, address length and 8 address bytes. */
static void link_sll2(struct ss_decoder *d, struct ss_pktinfo *pi,
		      const uint8_t *p, size_t len)
{
	struct cursor c = cur_make(p, len);
	uint16_t proto;
	if (!cur_be16(&c, &proto) || !cur_skip(&c, SLL2_HDR_LEN - 2)) {
		d->st.truncated++;
		return;
	}
	if (proto < ETHERTYPE_MIN) {
		d->st.non_ip++;
		return;
	}
	ss_decode_ethertype(d, pi, proto, c.p, cur_left(&c), 0);
}

static void link_raw(struct ss_decoder *d, struct ss_pktinfo *pi,
		     const uint8_t *p, size_t len)
{
	ss_decode_ip(d, pi, p, len, 0);
}

/* Address families seen in loopback headers: AF_INET is 2 everywhere,
 * AF_INET6 is 10 on Linux, 24 on NetBSD/OpenBSD, 28 on FreeBSD and 30 on
 * macOS; a capture may come from any of them. */
static bool family_is_ip(uint32_t af)
{
	return af == 2 || af == 10 || af == 24 || af == 28 || af == 30;
}

static void loop_family(struct ss_decoder *d, struct ss_pktinfo *pi,
			uint32_t af, const struct cursor *c)
{
	if (!family_is_ip(af)) {
		d->st.non_ip++;
		return;
	}
	/* The version nibble decides, so IPv4 vs IPv6 need not be mapped. */
	ss_decode_ip(d, pi, c->p, cur_left(c), 0);
}

/* DLT_NULL: the family is in the byte order of the capturing host, which
 * the file does not record. Families are small numbers, so whichever
 * order yields one below 256 is the right one. */
static void link_null(struct ss_decoder *d, struct ss_pktinfo *pi,
		      const uint8_t *p, size_t len)
{
	struct cursor c = cur_make(p, len);
	uint32_t af;
	if (!cur_le32(&c, &af)) {
		d->st.truncated++;
		return;
	}
	if (af > 0xFF)
		af = (af >> 24) | (af >> 8 & 0xFF00) | (af << 8 & 0xFF0000) |
		     af << 24;
	loop_family(d, pi, af, &c);
}

/* DLT_LOOP: like DLT_NULL but always network byte order. */
static void link_loop(struct ss_decoder *d, struct ss_pktinfo *pi,
		      const uint8_t *p, size_t len)
{
	struct cursor c = cur_make(p, len);
	uint32_t af;
	if (!cur_be32(&c, &af)) {
		d->st.truncated++;
		return;
	}
	loop_family(d, pi, af, &c);
}
