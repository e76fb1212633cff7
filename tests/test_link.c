/*
 * test_link.c - link, IP, tunnel and transport dissectors on hand-built
 * frames. Three named case tables, one runner loop each:
 *   valid_cases   - what on_payload must receive (bytes, addresses, ports,
 *                   l4, VLANs, tunnel depth);
 *   valid_cases again, cut at every length 0..len: no crash, no payload
 *                   byte past the cut;
 *   damaged_cases - broken length/version fields land in the right counter.
 * Every frame is copied with guard_copy(), so it ends at an unreadable page.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "ipfrag.h"
#include "packet.h"

/* ------------------------------------------------------------------
 * Frame builder. A frame is built outside-in; headers whose length
 * fields depend on what follows (IPv4, IPv6, UDP, GTP-U, PPPoE) push a
 * fixup and pb_done() patches them once the payload is in place.
 */
enum fix_kind { FIX_IP4, FIX_IP6, FIX_UDP, FIX_GTP, FIX_PPPOE };

struct pb {
	uint8_t b[2048];
	size_t n;
	struct { size_t off; enum fix_kind kind; } fix[16];
	size_t nfix;
};

static void pb_put(struct pb *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof b->b);
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void pb_u8(struct pb *b, uint8_t v)
{
	pb_put(b, &v, 1);
}

static void pb_be16(struct pb *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	pb_put(b, x, 2);
}

static void pb_be32(struct pb *b, uint32_t v)
{
	pb_be16(b, (uint16_t)(v >> 16));
	pb_be16(b, (uint16_t)v);
}

static void pb_zero(struct pb *b, size_t n)
{
	static const uint8_t z[64];
	assert_true(n <= sizeof z);
	pb_put(b, z, n);
}

static void pb_fix(struct pb *b, enum fix_kind k)
{
	assert_true(b->nfix < 16);
	b->fix[b->nfix].off = b->n;
	b->fix[b->nfix].kind = k;
	b->nfix++;
}

static void pb_set16(struct pb *b, size_t at, size_t v)
{
	b->b[at] = (uint8_t)(v >> 8);
	b->b[at + 1] = (uint8_t)v;
}

/* Patch every pending length field, innermost last (order does not
 * matter: each only depends on the final frame length). */
static void pb_done(struct pb *b)
{
	for (size_t i = 0; i < b->nfix; i++) {
		size_t off = b->fix[i].off, rest = b->n - off;
		switch (b->fix[i].kind) {
		case FIX_IP4: pb_set16(b, off + 2, rest); break;
		case FIX_IP6: pb_set16(b, off + 4, rest - 40); break;
		case FIX_UDP: pb_set16(b, off + 4, rest); break;
		case FIX_GTP: pb_set16(b, off + 2, rest - 8); break;
		case FIX_PPPOE: pb_set16(b, off + 4, rest - 6); break;
		}
	}
	b->nfix = 0;
}

static void pb_str(struct pb *b, const char *s)
{
	pb_put(b, s, strlen(s));
}

/* ---- link layers ---- */
static void eth(struct pb *b, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	pb_put(b, macs, 12);
	pb_be16(b, type);
}

static void vtag(struct pb *b, uint16_t vid, uint16_t next)
{
	pb_be16(b, (uint16_t)(0x2000 | vid));	/* PCP 1 */
	pb_be16(b, next);
}

static void sll(struct pb *b, uint16_t proto)
{
	pb_be16(b, 0);		/* to us */
	pb_be16(b, 1);		/* ARPHRD_ETHER */
	pb_be16(b, 6);
	pb_zero(b, 8);
	pb_be16(b, proto);
}

static void sll2(struct pb *b, uint16_t proto)
{
	pb_be16(b, proto);
	pb_zero(b, 2);
	pb_be32(b, 3);		/* ifindex */
	pb_be16(b, 1);
	pb_u8(b, 0);
	pb_u8(b, 6);
	pb_zero(b, 8);
}

static void null_le(struct pb *b, uint32_t af)
{
	uint8_t x[4] = { (uint8_t)af, (uint8_t)(af >> 8), (uint8_t)(af >> 16),
			 (uint8_t)(af >> 24) };
	pb_put(b, x, 4);
}

/* ---- IP ---- */
static void ip4a(struct pb *b, uint8_t proto, uint32_t src, uint32_t dst,
		 uint16_t id, uint16_t frag)
{
	pb_fix(b, FIX_IP4);
	pb_u8(b, 0x45);
	pb_u8(b, 0);
	pb_be16(b, 0);		/* fixed up */
	pb_be16(b, id);
	pb_be16(b, frag);
	pb_u8(b, 64);
	pb_u8(b, proto);
	pb_be16(b, 0);
	pb_be32(b, src);
	pb_be32(b, dst);
}

#define IP_A 0x0A000001u	/* 10.0.0.1 */
#define IP_B 0x0A000002u	/* 10.0.0.2 */

static void ip4(struct pb *b, uint8_t proto)
{
	ip4a(b, proto, IP_A, IP_B, 1, 0x4000);	/* DF */
}

static void ip6(struct pb *b, uint8_t nh)
{
	static const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t z[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	pb_fix(b, FIX_IP6);
	pb_be32(b, 0x60000000);
	pb_be16(b, 0);		/* fixed up */
	pb_u8(b, nh);
	pb_u8(b, 64);
	pb_put(b, a, 16);
	pb_put(b, z, 16);
}

/* A generic 8-octet-unit extension header (hop-by-hop, routing, dest). */
static void ext6(struct pb *b, uint8_t nh, uint8_t units)
{
	pb_u8(b, nh);
	pb_u8(b, units);
	for (size_t i = 0; i < (size_t)units + 1; i++)
		pb_zero(b, i == 0 ? 6 : 8);
}

static void frag6(struct pb *b, uint8_t nh, uint16_t off, bool more,
		  uint32_t id)
{
	pb_u8(b, nh);
	pb_u8(b, 0);
	pb_be16(b, (uint16_t)(off | (more ? 1 : 0)));
	pb_be32(b, id);
}

/* ---- transports ---- */
static void udp(struct pb *b, uint16_t sport, uint16_t dport)
{
	pb_fix(b, FIX_UDP);
	pb_be16(b, sport);
	pb_be16(b, dport);
	pb_be16(b, 0);		/* fixed up */
	pb_be16(b, 0);
}

static void tcp(struct pb *b, uint16_t sport, uint16_t dport, uint8_t words)
{
	pb_be16(b, sport);
	pb_be16(b, dport);
	pb_be32(b, 1000);
	pb_be32(b, 0);
	pb_u8(b, (uint8_t)(words << 4));
	pb_u8(b, 0x18);		/* PSH ACK */
	pb_be16(b, 65535);
	pb_be32(b, 0);
	for (unsigned i = 5; i < words; i++)
		pb_be32(b, 0x01010101);	/* NOPs */
}

static void sctp(struct pb *b, uint16_t sport, uint16_t dport)
{
	pb_be16(b, sport);
	pb_be16(b, dport);
	pb_be32(b, 0xCAFE);
	pb_be32(b, 0);
}

static void sctp_data(struct pb *b, const char *s)
{
	size_t n = strlen(s);
	pb_u8(b, 0);
	pb_u8(b, 3);		/* B and E: one whole message */
	pb_be16(b, (uint16_t)(16 + n));
	pb_be32(b, 1);
	pb_be32(b, 0);
	pb_be32(b, 0);
	pb_str(b, s);
	pb_zero(b, (4 - n % 4) % 4);
}

/* ---- tunnels ---- */
static void gre(struct pb *b, uint16_t flags, uint16_t proto)
{
	pb_be16(b, flags);
	pb_be16(b, proto);
	if (flags & 0x8000)
		pb_be32(b, 0);
	if (flags & 0x2000)
		pb_be32(b, 42);
	if (flags & 0x1000)
		pb_be32(b, 7);
}

static void vxlan(struct pb *b, uint32_t vni)
{
	pb_be32(b, 0x08000000);
	pb_be32(b, vni << 8);
}

static void gtpu(struct pb *b, uint8_t flags)
{
	pb_fix(b, FIX_GTP);
	pb_u8(b, flags);
	pb_u8(b, 0xFF);
	pb_be16(b, 0);		/* fixed up */
	pb_be32(b, 0x1234);
	if (flags & 0x07) {
		pb_be16(b, 1);		/* sequence */
		pb_u8(b, 0);		/* N-PDU */
		pb_u8(b, (flags & 0x04) ? 0x85 : 0);
	}
	if (flags & 0x04) {		/* one PDU session container */
		pb_u8(b, 1);
		pb_u8(b, 0x00);
		pb_u8(b, 0x09);
		pb_u8(b, 0);		/* end of chain */
	}
}

static void pppoe(struct pb *b, uint16_t ppp_proto)
{
	pb_fix(b, FIX_PPPOE);
	pb_u8(b, 0x11);
	pb_u8(b, 0);
	pb_be16(b, 0x18e5);
	pb_be16(b, 0);		/* fixed up */
	pb_be16(b, ppp_proto);
}

/* ------------------------------------------------------------------
 * What the decoder delivered.
 */
#define MAXGOT 4

struct got {
	size_t n;
	struct ss_pktinfo pi[MAXGOT];
	const uint8_t *p[MAXGOT];
	size_t len[MAXGOT];
	char data[MAXGOT][256];
	const uint8_t *lo, *hi;	/* the frame, for the bounds check */
	bool out_of_bounds;
};

static void on_payload(void *user, const struct ss_pktinfo *pi,
		       const uint8_t *p, size_t len)
{
	struct got *g = user;
	unsigned sum = 0;
	for (size_t i = 0; i < len; i++)	/* touch every byte: guard page */
		sum += p[i];
	(void)sum;
	if (!pi->reassembled && (p < g->lo || p + len > g->hi))
		g->out_of_bounds = true;
	if (g->n < MAXGOT) {
		g->pi[g->n] = *pi;
		g->p[g->n] = p;
		g->len[g->n] = len;
		size_t k = len < 255 ? len : 255;
		memcpy(g->data[g->n], p, k);
		g->data[g->n][k] = '\0';
	}
	g->n++;
}

/* Decode one frame placed against a guard page. */
static void run(struct ss_decoder *d, struct got *g, int dlt,
		const uint8_t *frame, size_t len)
{
	struct guard gd = { 0 };
	const uint8_t *p = guard_copy(&gd, frame, len);
	struct ss_pktinfo pi = { .ts_ns = 1000000000, .frame = 1 };
	memset(g, 0, sizeof *g);
	g->lo = p;
	g->hi = p + len;
	ss_decode_frame(d, &pi, dlt, p, len);
	guard_release(&gd);
}

#define SIP "OPTIONS sip:a@b SIP/2.0\r\n\r\n"
#define DLT_EN10MB 1
#define DLT_NULL 0

/* ------------------------------------------------------------------
 * Frame recipes. Each appends one complete frame.
 */
static void f_eth4(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_vlan(struct pb *b)
{
	eth(b, 0x8100); vtag(b, 100, 0x0800);
	ip4(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_qinq(struct pb *b)
{
	eth(b, 0x88A8); vtag(b, 200, 0x8100); vtag(b, 100, 0x0800);
	ip4(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_3tags(struct pb *b)
{
	eth(b, 0x9100); vtag(b, 300, 0x88A8); vtag(b, 200, 0x8100);
	vtag(b, 100, 0x86DD); ip6(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_ip4opts(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 17);
	b->b[14] = 0x47;	/* IHL 7: 8 bytes of options */
	pb_be32(b, 0x01010101); pb_be32(b, 0x01010100);
	udp(b, 1234, 5060); pb_str(b, SIP);
}

/* TCP has no length of its own: only the IPv4 total length can tell
 * Ethernet padding from data. */
static void f_ethpad(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 6); tcp(b, 5060, 5060, 5); pb_str(b, "ab");
	pb_done(b);
	pb_zero(b, 4);		/* Ethernet minimum-size padding */
}

static void f_eth6pad(struct pb *b)
{
	eth(b, 0x86DD); ip6(b, 6); tcp(b, 5060, 5060, 5); pb_str(b, "ab");
	pb_done(b);
	pb_zero(b, 4);
}

/* A UDP length shorter than the IP payload wins. */
static void f_udptrim(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 17); udp(b, 5060, 5060); pb_str(b, "abzz");
	pb_done(b);
	pb_set16(b, 14 + 20 + 4, 8 + 2);
}

static void f_eth6(struct pb *b)
{
	eth(b, 0x86DD); ip6(b, 17); udp(b, 5060, 5080); pb_str(b, SIP);
}

static void f_ext6(struct pb *b)
{
	eth(b, 0x86DD); ip6(b, 0); ext6(b, 43, 0); ext6(b, 60, 1);
	ext6(b, 17, 0); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_atomic6(struct pb *b)
{
	eth(b, 0x86DD); ip6(b, 44); frag6(b, 17, 0, false, 9);
	udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_ah4(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 51);
	pb_u8(b, 17); pb_u8(b, 4); pb_zero(b, 22);	/* AH: (4+2)*4 bytes */
	udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_sll(struct pb *b)
{
	sll(b, 0x0800); ip4(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_sll2(struct pb *b)
{
	sll2(b, 0x86DD); ip6(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_raw4(struct pb *b)
{
	ip4(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_raw6(struct pb *b)
{
	ip6(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_null_le(struct pb *b)
{
	null_le(b, 2); f_raw4(b);
}

static void f_null_be6(struct pb *b)
{
	pb_be32(b, 30); f_raw6(b);	/* macOS AF_INET6, big-endian host */
}

static void f_null_le24(struct pb *b)
{
	null_le(b, 24); f_raw6(b);	/* NetBSD AF_INET6 */
}

static void f_loop(struct pb *b)
{
	pb_be32(b, 2); f_raw4(b);
}

static void f_tcp(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 6); tcp(b, 5061, 5060, 8); pb_str(b, SIP);
}

static void f_tcp_empty(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 6); tcp(b, 5061, 5060, 5);
}

static void f_sctp(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 132); sctp(b, 5060, 5060);
	sctp_data(b, "ACK x");		/* 5 bytes: 3 of padding */
	pb_u8(b, 3); pb_u8(b, 0); pb_be16(b, 16); pb_zero(b, 12); /* SACK */
	sctp_data(b, "BYE y SIP");
}

static void f_ipip(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 4, 0xC0000201, 0xC0000202, 5, 0);
	ip4(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_6in4(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 41, 0xC0000201, 0xC0000202, 5, 0);
	ip6(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_gre(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 47, 0xC0000201, 0xC0000202, 5, 0);
	gre(b, 0, 0x0800); ip4(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_gre_cks(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 47, 0xC0000201, 0xC0000202, 5, 0);
	gre(b, 0xB000, 0x86DD); ip6(b, 17); udp(b, 5060, 5060);
	pb_str(b, SIP);
}

static void f_gre_teb(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 47, 0xC0000201, 0xC0000202, 5, 0);
	gre(b, 0x2000, 0x6558); f_eth4(b);
}

static void f_erspan1(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 47, 0xC0000201, 0xC0000202, 5, 0);
	gre(b, 0, 0x88BE); f_vlan(b);
}

static void f_erspan2(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 47, 0xC0000201, 0xC0000202, 5, 0);
	gre(b, 0x1000, 0x88BE); pb_be32(b, 0x10000001); pb_be32(b, 0);
	f_eth4(b);
}

static void f_erspan3(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 47, 0xC0000201, 0xC0000202, 5, 0);
	gre(b, 0x1000, 0x22EB); pb_be32(b, 0x20000001); pb_zero(b, 8);
	f_eth4(b);
}

static void f_erspan3o(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 47, 0xC0000201, 0xC0000202, 5, 0);
	gre(b, 0x1000, 0x22EB); pb_be32(b, 0x20000001); pb_zero(b, 6);
	pb_be16(b, 0x0001); pb_be32(b, 0xFFFFFFFF); pb_be32(b, 0xFFFFFFFF);
	f_eth4(b);
}

static void f_pptp(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 47, 0xC0000201, 0xC0000202, 5, 0);
	pb_be16(b, 0x3001); pb_be16(b, 0x880B); pb_be16(b, 0);
	pb_be16(b, 9); pb_be32(b, 1);	/* length, call id, seq */
	pb_u8(b, 0xFF); pb_u8(b, 0x03); pb_u8(b, 0x21);	/* PFC */
	ip4(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_pppoe(struct pb *b)
{
	eth(b, 0x8864); pppoe(b, 0x0021);
	ip4(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_vxlan(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 17, 0xC0000201, 0xC0000202, 5, 0);
	udp(b, 40000, 4789); vxlan(b, 77); f_vlan(b);
}

static void f_gtpu(struct pb *b)
{
	sll(b, 0x0800); ip4a(b, 17, 0xC0000201, 0xC0000202, 5, 0);
	udp(b, 2152, 2152); gtpu(b, 0x30); f_raw6(b);
}

static void f_gtpu_s(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 17, 0xC0000201, 0xC0000202, 5, 0);
	udp(b, 2152, 2152); gtpu(b, 0x32); f_raw4(b);
}

static void f_gtpu_ext(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 17, 0xC0000201, 0xC0000202, 5, 0);
	udp(b, 2152, 2152); gtpu(b, 0x34); f_raw4(b);
}

/* VXLAN -> Ethernet -> IPv4 -> GRE -> IPv6 -> UDP: two tunnels. */
static void f_nested(struct pb *b)
{
	eth(b, 0x0800); ip4a(b, 17, 0xC0000201, 0xC0000202, 5, 0);
	udp(b, 40000, 4789); vxlan(b, 1); eth(b, 0x0800);
	ip4a(b, 47, 0xC0000203, 0xC0000204, 5, 0); gre(b, 0, 0x86DD);
	ip6(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

/* UDP to the VXLAN port that is no VXLAN: plain payload. */
static void f_not_vxlan(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 17); udp(b, 5060, 4789); pb_str(b, SIP);
}

static void f_udp_empty(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 17); udp(b, 5060, 5060);
}

static size_t build(void (*fn)(struct pb *), uint8_t *out, size_t cap)
{
	struct pb b = { .n = 0 };
	fn(&b);
	pb_done(&b);
	assert_true(b.n <= cap);
	memcpy(out, b.b, b.n);
	return b.n;
}

/* ------------------------------------------------------------------
 * Valid frames and what they must deliver.
 */
struct valid_case {
	const char *name;
	void (*build)(struct pb *);
	int dlt;
	unsigned npay;		/* payloads expected */
	const char *payload;	/* the first one */
	const char *src, *dst;	/* ss_addr_format with port */
	uint8_t l4;
	uint8_t vlan_depth;
	uint16_t vlan0, vlan1;
	uint8_t tunnels;
};

#define A4 "10.0.0.1:5060", "10.0.0.2:5060"
#define A6 "[2001:db8::1]:5060", "[2001:db8::2]:5060"
#define U SS_L4_UDP

static const struct valid_case valid_cases[] = {
	{ "eth_ipv4_udp", f_eth4, 1, 1, SIP, A4, U, 0, 0, 0, 0 },
	{ "eth_8021q", f_vlan, 1, 1, SIP, A4, U, 1, 100, 0, 0 },
	{ "eth_qinq_88a8", f_qinq, 1, 1, SIP, A4, U, 2, 200, 100, 0 },
	{ "eth_three_tags_9100", f_3tags, 1, 1, SIP, A6, U, 3, 300, 200, 0 },
	{ "ipv4_options", f_ip4opts, 1, 1, SIP, "10.0.0.1:1234",
	  "10.0.0.2:5060", U, 0, 0, 0, 0 },
	{ "eth_padding_ignored", f_ethpad, 1, 1, "ab", A4, SS_L4_TCP, 0, 0,
	  0, 0 },
	{ "eth_padding_ipv6", f_eth6pad, 1, 1, "ab", A6, SS_L4_TCP, 0, 0, 0,
	  0 },
	{ "udp_length_trims", f_udptrim, 1, 1, "ab", A4, U, 0, 0, 0, 0 },
	{ "eth_ipv6_udp", f_eth6, 1, 1, SIP, "[2001:db8::1]:5060",
	  "[2001:db8::2]:5080", U, 0, 0, 0, 0 },
	{ "ipv6_ext_chain", f_ext6, 1, 1, SIP, A6, U, 0, 0, 0, 0 },
	{ "ipv6_atomic_fragment", f_atomic6, 1, 1, SIP, A6, U, 0, 0, 0, 0 },
	{ "ipv4_ah", f_ah4, 1, 1, SIP, A4, U, 0, 0, 0, 0 },
	{ "sll_ipv4", f_sll, 113, 1, SIP, A4, U, 0, 0, 0, 0 },
	{ "sll2_ipv6", f_sll2, 276, 1, SIP, A6, U, 0, 0, 0, 0 },
	{ "raw_12", f_raw4, 12, 1, SIP, A4, U, 0, 0, 0, 0 },
	{ "raw_14", f_raw6, 14, 1, SIP, A6, U, 0, 0, 0, 0 },
	{ "raw_101", f_raw4, 101, 1, SIP, A4, U, 0, 0, 0, 0 },
	{ "ipv4_228", f_raw4, 228, 1, SIP, A4, U, 0, 0, 0, 0 },
	{ "ipv6_229", f_raw6, 229, 1, SIP, A6, U, 0, 0, 0, 0 },
	{ "null_le_inet", f_null_le, 0, 1, SIP, A4, U, 0, 0, 0, 0 },
	{ "null_be_inet6_30", f_null_be6, 0, 1, SIP, A6, U, 0, 0, 0, 0 },
	{ "null_le_inet6_24", f_null_le24, 0, 1, SIP, A6, U, 0, 0, 0, 0 },
	{ "loop_inet", f_loop, 108, 1, SIP, A4, U, 0, 0, 0, 0 },
	{ "tcp_with_options", f_tcp, 1, 1, SIP, "10.0.0.1:5061",
	  "10.0.0.2:5060", SS_L4_TCP, 0, 0, 0, 0 },
	{ "tcp_empty_skipped", f_tcp_empty, 1, 0, NULL, NULL, NULL, 0, 0,
	  0, 0, 0 },
	{ "sctp_two_data_chunks", f_sctp, 1, 2, "ACK x", A4, SS_L4_SCTP, 0,
	  0, 0, 0 },
	{ "ipip", f_ipip, 1, 1, SIP, A4, U, 0, 0, 0, 1 },
	{ "6in4", f_6in4, 1, 1, SIP, A6, U, 0, 0, 0, 1 },
	{ "gre_ipv4", f_gre, 1, 1, SIP, A4, U, 0, 0, 0, 1 },
	{ "gre_cks_key_seq_ipv6", f_gre_cks, 1, 1, SIP, A6, U, 0, 0, 0, 1 },
	{ "gre_teb", f_gre_teb, 1, 1, SIP, A4, U, 0, 0, 0, 1 },
	{ "erspan_type1", f_erspan1, 1, 1, SIP, A4, U, 1, 100, 0, 1 },
	{ "erspan_type2", f_erspan2, 1, 1, SIP, A4, U, 0, 0, 0, 1 },
	{ "erspan_type3", f_erspan3, 1, 1, SIP, A4, U, 0, 0, 0, 1 },
	{ "erspan_type3_platform", f_erspan3o, 1, 1, SIP, A4, U, 0, 0, 0,
	  1 },
	{ "pptp_gre_ppp", f_pptp, 1, 1, SIP, A4, U, 0, 0, 0, 1 },
	{ "pppoe", f_pppoe, 1, 1, SIP, A4, U, 0, 0, 0, 0 },
	{ "vxlan", f_vxlan, 1, 1, SIP, A4, U, 1, 100, 0, 1 },
	{ "gtpu_ipv6", f_gtpu, 113, 1, SIP, A6, U, 0, 0, 0, 1 },
	{ "gtpu_seq", f_gtpu_s, 1, 1, SIP, A4, U, 0, 0, 0, 1 },
	{ "gtpu_ext_header", f_gtpu_ext, 1, 1, SIP, A4, U, 0, 0, 0, 1 },
	{ "vxlan_gre_nested", f_nested, 1, 1, SIP, A6, U, 0, 0, 0, 2 },
	{ "not_vxlan_plain_udp", f_not_vxlan, 1, 1, SIP, "10.0.0.1:5060",
	  "10.0.0.2:4789", U, 0, 0, 0, 0 },
	{ "udp_empty_skipped", f_udp_empty, 1, 0, NULL, NULL, NULL, 0, 0, 0,
	  0, 0 },
};

#define NVALID (sizeof valid_cases / sizeof valid_cases[0])

static void check_valid(const struct valid_case *c, const struct got *g,
			const struct ss_decoder *d)
{
	char a[64], z[64];
	print_message("  %s\n", c->name);
	assert_int_equal(g->n, c->npay);
	assert_false(g->out_of_bounds);
	assert_int_equal(d->st.truncated + d->st.malformed, 0);
	if (c->npay == 0)
		return;
	const struct ss_pktinfo *pi = &g->pi[0];
	assert_string_equal(g->data[0], c->payload);
	assert_int_equal(g->len[0], strlen(c->payload));
	ss_addr_format(&pi->src, true, a, sizeof a);
	ss_addr_format(&pi->dst, true, z, sizeof z);
	assert_string_equal(a, c->src);
	assert_string_equal(z, c->dst);
	assert_int_equal(pi->l4, c->l4);
	assert_int_equal(pi->vlan_depth, c->vlan_depth);
	assert_int_equal(pi->vlan[0], c->vlan0);
	assert_int_equal(pi->vlan[1], c->vlan1);
	assert_int_equal(pi->tunnel_depth, c->tunnels);
	assert_int_equal(d->st.tunnels, c->tunnels);
	assert_false(pi->reassembled);
}

static void test_valid(void **state)
{
	uint8_t frame[2048];
	for (size_t i = 0; i < NVALID; i++) {
		const struct valid_case *c = &valid_cases[i];
		struct ss_decoder d;
		struct got g;
		size_t n = build(c->build, frame, sizeof frame);
		ss_decoder_init(&d, on_payload, &g, 0);
		run(&d, &g, c->dlt, frame, n);
		check_valid(c, &g, &d);
		ss_decoder_free(&d);
	}
}

static void test_sctp_second_chunk(void **state)
{
	uint8_t frame[2048];
	struct ss_decoder d;
	struct got g;
	size_t n = build(f_sctp, frame, sizeof frame);
	ss_decoder_init(&d, on_payload, &g, 0);
	run(&d, &g, 1, frame, n);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.data[1], "BYE y SIP");
	ss_decoder_free(&d);
}

/* Every prefix of every valid frame: nothing delivered may reach past the
 * cut (the guard page would fault first), and a cut frame never delivers
 * more payloads than the whole one. */
static void test_truncated_prefixes(void **state)
{
	uint8_t frame[2048];
	for (size_t i = 0; i < NVALID; i++) {
		const struct valid_case *c = &valid_cases[i];
		size_t n = build(c->build, frame, sizeof frame);
		struct ss_decoder d;
		struct got g;
		ss_decoder_init(&d, on_payload, &g, 0);
		for (size_t cut = 0; cut <= n; cut++) {
			run(&d, &g, c->dlt, frame, cut);
			assert_false(g.out_of_bounds);
			assert_true(g.n <= c->npay);
		}
		assert_int_equal(d.st.frames, n + 1);
		ss_decoder_free(&d);
	}
}

/* ------------------------------------------------------------------
 * Damaged frames: a recipe builds a valid frame, then a patch breaks it.
 */
struct damaged_case {
	const char *name;
	void (*build)(struct pb *);
	int dlt;
	size_t at;		/* byte to overwrite, or SIZE_MAX */
	uint8_t val;
	size_t cut;		/* bytes dropped from the end */
	size_t counter;		/* offsetof(struct ss_decode_stats, ...) */
	uint64_t expect;
	unsigned npay;
};

#define ST(f) offsetof(struct ss_decode_stats, f)
#define NOPATCH SIZE_MAX
#define IP 14			/* IPv4/IPv6 header offset after Ethernet */
#define L4 34			/* transport offset after Ethernet + IPv4 */

static void f_esp(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 50); pb_be32(b, 0x100); pb_be32(b, 1);
	pb_zero(b, 16);
}

static void f_arp(struct pb *b)
{
	eth(b, 0x0806); pb_zero(b, 28);
}

static void f_nonext6(struct pb *b)
{
	eth(b, 0x86DD); ip6(b, 59); pb_str(b, SIP);
}

static void f_deep(struct pb *b)
{
	eth(b, 0x0800);
	for (int i = 0; i < SS_MAX_TUNNEL_DEPTH + 1; i++)
		ip4(b, 4);
	ip4(b, 17); udp(b, 5060, 5060); pb_str(b, SIP);
}

static void f_ext6_long(struct pb *b)
{
	eth(b, 0x86DD); ip6(b, 0); ext6(b, 60, 0);
	pb_u8(b, 17); pb_u8(b, 200); pb_zero(b, 6);	/* 1608 bytes claimed */
}

static void f_sctp_zero(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 132); sctp(b, 5060, 5060);
	pb_u8(b, 3); pb_u8(b, 0); pb_be16(b, 0); pb_zero(b, 4);
}

static void f_sctp_long(struct pb *b)
{
	eth(b, 0x0800); ip4(b, 132); sctp(b, 5060, 5060);
	pb_u8(b, 0); pb_u8(b, 3); pb_be16(b, 400); pb_zero(b, 12);
	pb_str(b, SIP);
}

static const struct damaged_case damaged_cases[] = {
	/* Total length 0xFF.. > caplen: noted once, and the captured part
	 * (whose UDP length still fits) is delivered. */
	{ "ipv4_total_gt_caplen", f_eth4, 1, IP + 2, 0xFF, 0, ST(truncated),
	  1, 1 },
	{ "ipv4_ihl_lt_5", f_eth4, 1, IP, 0x44, 0, ST(malformed), 1, 0 },
	{ "ipv4_total_lt_ihl", f_eth4, 1, IP + 3, 0x10, 0, ST(malformed), 1,
	  0 },
	{ "ipv4_snapped", f_eth4, 1, NOPATCH, 0, 10, ST(truncated), 2, 1 },
	{ "udp_len_lt_8", f_eth4, 1, L4 + 5, 7, 0, ST(malformed), 1, 0 },
	{ "udp_len_gt_ip", f_eth4, 1, L4 + 4, 0x7F, 0, ST(truncated), 1, 1 },
	{ "tcp_doff_lt_5", f_tcp, 1, L4 + 12, 0x40, 0, ST(malformed), 1, 0 },
	{ "tcp_doff_past_end", f_tcp_empty, 1, L4 + 12, 0xF0, 0,
	  ST(truncated), 1, 0 },
	{ "gre_version_2", f_gre, 1, L4 + 1, 0x02, 0, ST(malformed), 1, 0 },
	{ "gre_routing_bit", f_gre, 1, L4, 0x40, 0, ST(malformed), 1, 0 },
	{ "sctp_chunk_len_0", f_sctp_zero, 1, NOPATCH, 0, 0, ST(malformed),
	  1, 0 },
	{ "sctp_chunk_past_end", f_sctp_long, 1, NOPATCH, 0, 0,
	  ST(truncated), 1, 0 },
	{ "ipv6_ext_past_end", f_ext6_long, 1, NOPATCH, 0, 0, ST(truncated),
	  1, 0 },
	{ "ipv6_no_next_header", f_nonext6, 1, NOPATCH, 0, 0, ST(truncated),
	  0, 0 },
	{ "null_family_unknown", f_null_le, 0, 0, 7, 0, ST(non_ip), 1, 0 },
	{ "loop_family_unknown", f_loop, 108, 3, 99, 0, ST(non_ip), 1, 0 },
	{ "ip_version_5", f_raw4, 12, 0, 0x55, 0, ST(non_ip), 1, 0 },
	{ "ethertype_arp", f_arp, 1, NOPATCH, 0, 0, ST(non_ip), 1, 0 },
	{ "unknown_dlt", f_eth4, 147, NOPATCH, 0, 0, ST(unsupported_link), 1,
	  0 },
	{ "esp", f_esp, 1, NOPATCH, 0, 0, ST(ip_esp), 1, 0 },
	{ "ipip_too_deep", f_deep, 1, NOPATCH, 0, 0, ST(tunnel_too_deep), 1,
	  0 },
	{ "vlan_tag_cut", f_vlan, 1, NOPATCH, 0, 0, ST(truncated), 0, 1 },
	{ "gtpu_ext_len_0", f_gtpu_ext, 1, L4 + 8 + 12, 0, 0, ST(malformed),
	  1, 0 },
	{ "gtpu_len_past_end", f_gtpu_s, 1, L4 + 8 + 2, 0x7F, 0,
	  ST(truncated), 1, 1 },
	{ "pppoe_bad_version", f_pppoe, 1, IP, 0x21, 0, ST(malformed), 1, 0 },
	{ "erspan3_cut_platform", f_erspan3o, 1, NOPATCH, 0, 0,
	  ST(truncated), 0, 1 },
};

static uint64_t counter(const struct ss_decoder *d, size_t off)
{
	uint64_t v;
	memcpy(&v, (const uint8_t *)&d->st + off, sizeof v);
	return v;
}

static void test_damaged(void **state)
{
	uint8_t frame[2048];
	for (size_t i = 0; i < sizeof damaged_cases / sizeof damaged_cases[0];
	     i++) {
		const struct damaged_case *c = &damaged_cases[i];
		size_t n = build(c->build, frame, sizeof frame);
		struct ss_decoder d;
		struct got g;
		print_message("  %s\n", c->name);
		if (c->at != NOPATCH)
			frame[c->at] = c->val;
		ss_decoder_init(&d, on_payload, &g, 0);
		run(&d, &g, c->dlt, frame, n - c->cut);
		assert_int_equal(counter(&d, c->counter), c->expect);
		assert_int_equal(g.n, c->npay);
		assert_false(g.out_of_bounds);
		ss_decoder_free(&d);
	}
}

static void test_addr_format(void **state)
{
	struct ss_addr a = { .family = 4, .port = 5060, .ip = { 1, 2, 3, 4 } };
	struct ss_addr b = { .family = 6, .port = 5060,
			     .ip = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } };
	char buf[64], tiny[6];
	assert_int_equal(ss_addr_format(&a, true, buf, sizeof buf), 12);
	assert_string_equal(buf, "1.2.3.4:5060");
	ss_addr_format(&a, false, buf, sizeof buf);
	assert_string_equal(buf, "1.2.3.4");
	ss_addr_format(&b, true, buf, sizeof buf);
	assert_string_equal(buf, "[2001:db8::1]:5060");
	ss_addr_format(&b, false, buf, sizeof buf);
	assert_string_equal(buf, "2001:db8::1");
	assert_int_equal(ss_addr_format(&a, true, tiny, sizeof tiny), 5);
	assert_string_equal(tiny, "1.2.3");
}

static void test_dlt_supported(void **state)
{
	static const int yes[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276 };
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		assert_true(ss_dlt_supported(yes[i]));
	assert_false(ss_dlt_supported(147));
	assert_false(ss_dlt_supported(-1));
}

/* A configured VXLAN port moves the tunnel; the default stops matching. */
static void test_vxlan_port_config(void **state)
{
	uint8_t frame[2048];
	size_t n = build(f_vxlan, frame, sizeof frame);
	struct ss_decoder d;
	struct got g;
	ss_decoder_init(&d, on_payload, &g, 0);
	d.vxlan_port = 8472;
	run(&d, &g, 1, frame, n);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.pi[0].tunnel_depth, 0);
	assert_int_equal(g.pi[0].dst.port, 4789);
	ss_decoder_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_sctp_second_chunk),
		cmocka_unit_test(test_truncated_prefixes),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_addr_format),
		cmocka_unit_test(test_dlt_supported),
		cmocka_unit_test(test_vxlan_port_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
