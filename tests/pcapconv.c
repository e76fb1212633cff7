/*
 * pcapconv.c - test helper: rewrite a classic pcap in another container so
 * the CLI tests can check that every variant reads identically:
 *   pcapconv swap  IN OUT   classic pcap, opposite byte order, microseconds
 *   pcapconv nsec  IN OUT   classic pcap, nanosecond magic
 *   pcapconv ng    IN OUT   pcapng, little-endian, if_tsresol=9 (ns)
 *   pcapconv ng-be IN OUT   pcapng, big-endian, if_tsresol=9 (ns)
 * The input may be either byte order and either resolution.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct in {
	FILE *f;
	bool swap, nsec;
	uint32_t snaplen, linktype;
};

static uint32_t sw32(uint32_t v, bool s)
{
	return s ? __builtin_bswap32(v) : v;
}

static bool rd32(FILE *f, uint32_t *v)
{
	return fread(v, 4, 1, f) == 1;
}

static void wr(FILE *f, const void *p, size_t n)
{
	if (fwrite(p, 1, n, f) != n) {
		perror("pcapconv: write");
		exit(1);
	}
}

static void w32(FILE *f, uint32_t v, bool be)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++)
		b[be ? i : 3 - i] = (uint8_t)(v >> (24 - 8 * i));
	wr(f, b, 4);
}

static void w16(FILE *f, uint16_t v, bool be)
{
	uint8_t b[2] = { (uint8_t)(be ? v >> 8 : v), (uint8_t)(be ? v : v >> 8) };
	wr(f, b, 2);
}

static bool open_in(struct in *in, const char *path)
{
	uint32_t hdr[6];
	in->f = fopen(path, "rb");
	if (!in->f || !rd32(in->f, &hdr[0]) || fread(&hdr[1], 4, 5, in->f) != 5)
		return false;
	switch (hdr[0]) {
	case 0xa1b2c3d4: in->swap = false; in->nsec = false; break;
	case 0xd4c3b2a1: in->swap = true; in->nsec = false; break;
	case 0xa1b23c4d: in->swap = false; in->nsec = true; break;
	case 0x4d3cb2a1: in->swap = true; in->nsec = true; break;
	default: return false;
	}
	in->snaplen = sw32(hdr[4], in->swap);
	in->linktype = sw32(hdr[5], in->swap);
	return true;
}

/* One record: ns timestamp and a malloc'd copy of the data. */
static bool next_rec(struct in *in, uint64_t *ts, uint8_t **data, uint32_t *cap,
		     uint32_t *len)
{
	uint32_t h[4];
	if (fread(h, 4, 4, in->f) != 4)
		return false;
	uint64_t frac = sw32(h[1], in->swap);
	*ts = (uint64_t)sw32(h[0], in->swap) * 1000000000u +
	      (in->nsec ? frac : frac * 1000);
	*cap = sw32(h[2], in->swap);
	*len = sw32(h[3], in->swap);
	*data = malloc(*cap ? *cap : 1);
	return *data && fread(*data, 1, *cap, in->f) == *cap;
}

static void classic_hdr(FILE *o, const struct in *in, bool be, bool nsec)
{
	w32(o, nsec ? 0xa1b23c4d : 0xa1b2c3d4, be);
	w16(o, 2, be);
	w16(o, 4, be);
	w32(o, 0, be);
	w32(o, 0, be);
	w32(o, in->snaplen, be);
	w32(o, in->linktype, be);
}

static void ng_hdr(FILE *o, const struct in *in, bool be)
{
	static const uint8_t pad[4];
	w32(o, 0x0A0D0D0A, be);		/* section header block */
	w32(o, 28, be);
	w32(o, 0x1A2B3C4D, be);
	w16(o, 1, be);
	w16(o, 0, be);
	w32(o, 0xFFFFFFFF, be);		/* section length: unknown */
	w32(o, 0xFFFFFFFF, be);
	w32(o, 28, be);
	w32(o, 1, be);			/* interface description block */
	w32(o, 32, be);
	w16(o, (uint16_t)in->linktype, be);
	w16(o, 0, be);
	w32(o, in->snaplen, be);
	w16(o, 9, be);			/* if_tsresol = 10^-9 */
	w16(o, 1, be);
	uint8_t res = 9;
	wr(o, &res, 1);
	wr(o, pad, 3);
	w32(o, 0, be);			/* opt_endofopt */
	w32(o, 32, be);
}

static void ng_rec(FILE *o, uint64_t ts, const uint8_t *d, uint32_t cap,
		   uint32_t len, bool be)
{
	static const uint8_t pad[4];
	uint32_t padded = (cap + 3) & ~3u;
	uint32_t total = 32 + padded;
	w32(o, 6, be);
	w32(o, total, be);
	w32(o, 0, be);
	w32(o, (uint32_t)(ts >> 32), be);
	w32(o, (uint32_t)ts, be);
	w32(o, cap, be);
	w32(o, len, be);
	wr(o, d, cap);
	wr(o, pad, padded - cap);
	w32(o, total, be);
}

int main(int argc, char **argv)
{
	struct in in;
	if (argc != 4 || !open_in(&in, argv[2])) {
		fprintf(stderr, "usage: pcapconv swap|nsec|ng|ng-be IN.pcap OUT\n");
		return 1;
	}
	const char *mode = argv[1];
	bool ng = strncmp(mode, "ng", 2) == 0;
	bool be = strcmp(mode, "ng-be") == 0 ||
		  (strcmp(mode, "swap") == 0 && !in.swap == (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__));
	bool nsec = strcmp(mode, "nsec") == 0;
	if (strcmp(mode, "nsec") == 0)
		be = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	FILE *o = fopen(argv[3], "wb");
	if (!o) {
		perror(argv[3]);
		return 1;
	}
	if (ng)
		ng_hdr(o, &in, be);
	else
		classic_hdr(o, &in, be, nsec);
	uint64_t ts;
	uint8_t *d;
	uint32_t cap, len;
	while (next_rec(&in, &ts, &d, &cap, &len)) {
		if (ng) {
			ng_rec(o, ts, d, cap, len, be);
		} else {
			w32(o, (uint32_t)(ts / 1000000000u), be);
			w32(o, (uint32_t)(nsec ? ts % 1000000000u : ts % 1000000000u / 1000), be);
			w32(o, cap, be);
			w32(o, len, be);
			wr(o, d, cap);
		}
		free(d);
	}
	fclose(in.f);
	return fclose(o) == 0 ? 0 : 1;
}
