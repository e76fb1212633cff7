/*
 * fuzz_hep.c - libFuzzer target for the HEP dissector (dissectors/hep.h):
 * the parser, the auth check, the decoder entry point, and the encoder.
 *
 * Besides memory errors it checks the parser's contract and stops with a
 * message when it is broken:
 *  - on OK, every slice lies inside the input, and the payload too unless
 *    it was inflated, in which case it fits in SS_HEP_MAX_INFLATE bytes;
 *  - a HEPv3 packet is never OK when its total length is not all there;
 *  - a parsed HEPv3 packet with a plain payload, encoded again, parses to
 *    the same addresses, ports, time, ids and payload, with no chunk 0x10;
 *  - the decoder delivers at most one payload, and only on OK.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;
static const uint8_t *in_p;
static size_t in_n;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_hep: contract broken: %s\n", what);
		abort();
	}
}

static void touch(const void *p, size_t n, int inside)
{
	const uint8_t *b = p;
	if (n && inside)
		check(b >= in_p && (size_t)(b - in_p) <= in_n &&
		      n <= in_n - (size_t)(b - in_p), "slice outside the input");
	for (size_t i = 0; i < n; i++)
		sink += b[i];
}

static void round_trip(const struct ss_hep *h)
{
	static uint8_t out[65536];
	struct ss_hep r;
	size_t n = ss_hep_encode(h, out, sizeof out);
	if (n == 0)
		return;		/* too large for one packet: allowed */
	check(ss_hep_parse(out, n, &r, NULL) == SS_HEP_OK, "encoded packet rejected");
	check(r.payload_len == h->payload_len &&
	      (h->payload_len == 0 ||
	       memcmp(r.payload, h->payload, h->payload_len) == 0),
	      "payload changed by encode/parse");
	check(r.src.port == h->src.port && r.dst.port == h->dst.port &&
	      r.ts_sec == h->ts_sec && r.ts_usec == h->ts_usec &&
	      r.capture_id == h->capture_id, "fields changed by encode/parse");
	check(!r.compressed, "encoder wrote a compressed chunk");
	ss_hep_release(&r);
}

static int delivered;

static void on_payload(void *user, const struct ss_pktinfo *pi,
		       const uint8_t *p, size_t len)
{
	(void)user;
	(void)pi;
	delivered++;
	touch(p, len, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ss_hep h;
	in_p = data;
	in_n = size;
	(void)ss_hep_looks_like(data, size);
	if (ss_hep_parse(data, size, &h, NULL) == SS_HEP_OK) {
		touch(h.auth_key.p, h.auth_key.len, 1);
		touch(h.correlation.p, h.correlation.len, 1);
		touch(h.payload, h.payload_len, !h.compressed);
		check(!h.compressed || h.payload_len <= SS_HEP_MAX_INFLATE,
		      "inflated past the cap");
		if (h.version == 3)
			check(size >= (size_t)(data[4] << 8 | data[5]),
			      "OK with the total length not all there");
		(void)ss_hep_auth_ok(&h, "key");
		if (h.version == 3 && !h.compressed)
			round_trip(&h);
		ss_hep_release(&h);
	}
	struct ss_decoder d;
	struct ss_pktinfo pi;
	memset(&d, 0, sizeof d);
	memset(&pi, 0, sizeof pi);
	d.on_payload = on_payload;
	delivered = 0;
	bool ok = ss_decode_hep_auth(&d, &pi, data, size, size & 1 ? "key" : NULL);
	check(delivered == (ok ? 1 : 0), "delivered without saying so");
	return 0;
}
