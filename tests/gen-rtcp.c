/*
 * gen-rtcp.c - write a small synthetic pcap of RTCP datagrams that none of
 * the real captures has: XR VoIP metrics, RRT and DLRR (RFC 3611), APP,
 * BYE with a reason, padding, RTPFB/PSFB (RFC 4585), a reduced-size
 * packet (RFC 5506) and an SR with 31 report blocks, so that
 * tests/rtcp-tshark.sh can hold our parse of them against tshark's.
 *   gen-rtcp OUT.pcap
 * Ethernet/IPv4/UDP, 192.0.2.1:30001 -> 192.0.2.2:30003, UDP checksum 0
 * (none, RFC 768), one datagram per frame, 1 s apart.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct bld {
	uint8_t b[2048];
	size_t n, pkt;
};

static void u8(struct bld *w, unsigned v)
{
	if (w->n < sizeof w->b)
		w->b[w->n++] = (uint8_t)v;
}

static void u16(struct bld *w, unsigned v)
{
	u8(w, v >> 8);
	u8(w, v & 0xff);
}

static void u32(struct bld *w, uint32_t v)
{
	u16(w, v >> 16);
	u16(w, v & 0xffff);
}

static void text(struct bld *w, unsigned type, const char *s)
{
	u8(w, type);
	u8(w, (unsigned)strlen(s));
	while (*s)
		u8(w, (unsigned char)*s++);
}

static void begin(struct bld *w, unsigned count, unsigned pt)
{
	w->pkt = w->n;
	u8(w, 0x80 | count);
	u8(w, pt);
	u16(w, 0);
}

static void align(struct bld *w)
{
	while ((w->n - w->pkt) % 4)
		u8(w, 0);
}

/* Align, add pad octets of RFC 3550 padding (the last holds their count;
 * 0 = none) and write the length field. */
static void end(struct bld *w, unsigned pad)
{
	align(w);
	if (pad) {
		w->b[w->pkt] |= 0x20;
		for (unsigned i = 1; i < pad; i++)
			u8(w, 0);
		u8(w, pad);
	}
	size_t words = (w->n - w->pkt) / 4 - 1;
	w->b[w->pkt + 2] = (uint8_t)(words >> 8);
	w->b[w->pkt + 3] = (uint8_t)words;
}

static void rblock(struct bld *w, uint32_t ssrc, unsigned frac, uint32_t lost,
		   uint32_t ext, uint32_t jit, uint32_t lsr, uint32_t dlsr)
{
	u32(w, ssrc);
	u32(w, (uint32_t)frac << 24 | (lost & 0xffffff));
	u32(w, ext);
	u32(w, jit);
	u32(w, lsr);
	u32(w, dlsr);
}

static void sr(struct bld *w, unsigned nblocks)
{
	begin(w, nblocks, 200);
	u32(w, 0x11111111);
	u32(w, 0xE8000001);
	u32(w, 0x80000000);
	u32(w, 160000);
	u32(w, 500);
	u32(w, 80000);
	for (unsigned i = 0; i < nblocks; i++)
		rblock(w, 0x1000 + i, 3 * i, i ? i : 0xFFFFFD, 65536 + i, 7 * i,
		       0xAB00 + i, i);
	end(w, 0);
}

static void rr(struct bld *w)
{
	begin(w, 1, 201);
	u32(w, 0x22222222);
	rblock(w, 0x11111111, 64, 12, 0x0001FFFF, 80, 0x00018000, 0x2000);
	end(w, 0);
}

static void xr(struct bld *w)
{
	begin(w, 0, 207);
	u32(w, 0x22222222);
	u8(w, 7); u8(w, 0); u16(w, 8);			/* VoIP metrics */
	u32(w, 0x11111111);
	u8(w, 12); u8(w, 5); u8(w, 40); u8(w, 2);
	u16(w, 120); u16(w, 3000); u16(w, 150); u16(w, 40);
	u8(w, 0xEC); u8(w, 0xBA); u8(w, 30); u8(w, 16);
	u8(w, 88); u8(w, 127); u8(w, 42); u8(w, 41);
	u8(w, 0x80); u8(w, 0); u16(w, 40); u16(w, 80); u16(w, 200);
	u8(w, 4); u8(w, 0); u16(w, 2);			/* RRT */
	u32(w, 0xE8000002); u32(w, 0x40000000);
	u8(w, 5); u8(w, 0); u16(w, 3);			/* DLRR */
	u32(w, 0x33333333); u32(w, 0x00024000); u32(w, 0x4000);
	end(w, 0);
}

static void datagram(struct bld *w, int which)
{
	switch (which) {
	case 0:
		sr(w, 2);
		begin(w, 2, 202);
		u32(w, 0x11111111);
		text(w, 1, "alice@192.0.2.1");
		text(w, 2, "Alice");
		u8(w, 0);	/* END, then null octets to 32 bits */
		align(w);
		u32(w, 0x44444444);
		text(w, 6, "gen-rtcp");
		u8(w, 0);
		end(w, 0);
		break;
	case 1:
		rr(w);
		xr(w);
		break;
	case 2:
		rr(w);
		begin(w, 3, 204);
		u32(w, 0x22222222);
		u32(w, 0x506f4331);	/* "PoC1" */
		u32(w, 0x01020304);
		end(w, 0);
		begin(w, 1, 203);
		u32(w, 0x22222222);
		u8(w, 11);
		for (const char *s = "hanging up!"; *s; s++)
			u8(w, (unsigned char)*s);
		end(w, 8);
		break;
	case 3:
		begin(w, 1, 206);	/* PLI alone: reduced size */
		u32(w, 0x22222222);
		u32(w, 0x11111111);
		end(w, 0);
		break;
	case 4:
		rr(w);
		begin(w, 1, 205);	/* generic NACK */
		u32(w, 0x22222222);
		u32(w, 0x11111111);
		u32(w, 0x00640003);
		end(w, 0);
		break;
	default:
		sr(w, 31);
		break;
	}
}

static void put_le32(FILE *f, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };
	fwrite(b, 1, 4, f);
}

static void frame(FILE *f, int i, const struct bld *w)
{
	static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1,
					 0x08, 0x00 };
	size_t udp = 8 + w->n, ip = 20 + udp;
	uint8_t h[28] = { 0x45, 0, (uint8_t)(ip >> 8), (uint8_t)ip, 0, 0, 0, 0,
			  64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
			  30001 >> 8, 30001 & 0xff, 30003 >> 8, 30003 & 0xff,
			  (uint8_t)(udp >> 8), (uint8_t)udp, 0, 0 };
	unsigned sum = 0;
	for (int k = 0; k < 20; k += 2)
		sum += (unsigned)(h[k] << 8 | h[k + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	h[10] = (uint8_t)(~sum >> 8);
	h[11] = (uint8_t)~sum;
	put_le32(f, 1700000000u + (uint32_t)i);
	put_le32(f, 0);
	put_le32(f, (uint32_t)(14 + ip));
	put_le32(f, (uint32_t)(14 + ip));
	fwrite(eth, 1, sizeof eth, f);
	fwrite(h, 1, sizeof h, f);
	fwrite(w->b, 1, w->n, f);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen-rtcp OUT.pcap\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "wb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	put_le32(f, 0xa1b2c3d4);
	put_le32(f, 2 | 4u << 16);	/* version 2.4 */
	put_le32(f, 0);
	put_le32(f, 0);
	put_le32(f, 65535);
	put_le32(f, 1);			/* DLT_EN10MB */
	for (int i = 0; i < 6; i++) {
		struct bld w = { .n = 0 };
		datagram(&w, i);
		frame(f, i, &w);
	}
	return fclose(f) == 0 ? 0 : 2;
}
