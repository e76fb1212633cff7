/*
 * test_hep.c - the HEP dissector (dissectors/hep.h) on hand-built packets.
 *
 *   parse_cases  - a named table: HEPv3 chunks in any order, unknown
 *                  vendors and types, IPv6, a compressed payload (made
 *                  here with zlib's compress), HEPv2, and every broken
 *                  length landing in TRUNCATED or MALFORMED;
 *   the same cases cut at every length: no crash, no read past the cut;
 *   auth, the encoder (encode -> parse gives back what went in, never a
 *   chunk 0x10), and the decoder entry points (UDP table on port 9060 or
 *   --hep-port, auth drops, non-SIP proto types).
 * Every input is copied with guard_copy(), so it ends at an unreadable page.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "guard.h"
#include "hep.h"
#include "packet.h"

/* ---- packet builder -------------------------------------------------- */

struct hb {
	uint8_t b[8192];
	size_t n;
};

static void hb_put(struct hb *h, const void *p, size_t n)
{
	assert_true(h->n + n <= sizeof h->b);
	memcpy(h->b + h->n, p, n);
	h->n += n;
}

static void hb_be16(struct hb *h, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	hb_put(h, x, 2);
}

static void hb_start(struct hb *h)
{
	h->n = 0;
	hb_put(h, "HEP3", 4);
	hb_be16(h, 0);
}

static void hb_end(struct hb *h)
{
	h->b[4] = (uint8_t)(h->n >> 8);
	h->b[5] = (uint8_t)h->n;
}

static void hb_chunk_v(struct hb *h, uint16_t vendor, uint16_t type,
		       const void *v, size_t n)
{
	hb_be16(h, vendor);
	hb_be16(h, type);
	hb_be16(h, (uint16_t)(n + 6));
	hb_put(h, v, n);
}

static void hb_chunk(struct hb *h, uint16_t type, const void *v, size_t n)
{
	hb_chunk_v(h, 0, type, v, n);
}

static void hb_u8(struct hb *h, uint16_t type, uint8_t v)
{
	hb_chunk(h, type, &v, 1);
}

static void hb_u16(struct hb *h, uint16_t type, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	hb_chunk(h, type, x, 2);
}

static void hb_u32(struct hb *h, uint16_t type, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 8), (uint8_t)v };
	hb_chunk(h, type, x, 4);
}

static const char SIP[] = "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: c1\r\n\r\n";
static const uint8_t IP_A[4] = { 10, 0, 0, 1 }, IP_B[4] = { 10, 0, 0, 2 };
static const uint8_t IP6_A[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t IP6_B[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

/* The chunks of one SIP packet, as a list so cases can reorder them. */
enum part { P_FAM, P_PROTO, P_SRC, P_DST, P_SPORT, P_DPORT, P_SEC, P_USEC,
	    P_TYPE, P_ID, P_AUTH, P_PAYLOAD, P_CORR, P__N };

static void hb_part(struct hb *h, enum part p, bool v6)
{
	switch (p) {
	case P_FAM: hb_u8(h, HEP_CH_FAMILY, v6 ? 10 : 2); break;
	case P_PROTO: hb_u8(h, HEP_CH_IP_PROTO, 17); break;
	case P_SRC: hb_chunk(h, v6 ? HEP_CH_SRC6 : HEP_CH_SRC4, v6 ? IP6_A : IP_A,
			     v6 ? 16 : 4); break;
	case P_DST: hb_chunk(h, v6 ? HEP_CH_DST6 : HEP_CH_DST4, v6 ? IP6_B : IP_B,
			     v6 ? 16 : 4); break;
	case P_SPORT: hb_u16(h, HEP_CH_SPORT, 5062); break;
	case P_DPORT: hb_u16(h, HEP_CH_DPORT, 5060); break;
	case P_SEC: hb_u32(h, HEP_CH_TS_SEC, 1700000000); break;
	case P_USEC: hb_u32(h, HEP_CH_TS_USEC, 123456); break;
	case P_TYPE: hb_u8(h, HEP_CH_PROTO_TYPE, 1); break;
	case P_ID: hb_u32(h, HEP_CH_CAPTURE_ID, 2001); break;
	case P_AUTH: hb_chunk(h, HEP_CH_AUTH_KEY, "myHep", 5); break;
	case P_PAYLOAD: hb_chunk(h, HEP_CH_PAYLOAD, SIP, strlen(SIP)); break;
	case P_CORR: hb_chunk(h, HEP_CH_CORRELATION, "c1", 2); break;
	default: break;
	}
}

static void build_order(struct hb *h, bool v6, bool reverse)
{
	hb_start(h);
	for (int i = 0; i < P__N; i++)
		hb_part(h, (enum part)(reverse ? P__N - 1 - i : i), v6);
	hb_end(h);
}

static void b_v3(struct hb *h) { build_order(h, false, false); }
static void b_v3_reversed(struct hb *h) { build_order(h, false, true); }
static void b_v6(struct hb *h) { build_order(h, true, false); }

static void b_unknown(struct hb *h)
{
	hb_start(h);
	hb_chunk_v(h, 0x1234, HEP_CH_PAYLOAD, "not ours", 8);
	for (int i = 0; i < P__N; i++) {
		hb_part(h, (enum part)i, false);
		if (i == P_SPORT)
			hb_chunk(h, 0x7f, "??", 2);
	}
	hb_chunk(h, 0x20, "", 0);
	hb_end(h);
}

/* Like b_v3 but the payload goes zlib-compressed in chunk 0x10. */
static void b_compressed(struct hb *h)
{
	uint8_t z[512];
	uLongf zn = sizeof z;
	assert_int_equal(compress(z, &zn, (const Bytef *)SIP, strlen(SIP)), Z_OK);
	hb_start(h);
	for (int i = 0; i < P__N; i++)
		if (i != P_PAYLOAD)
			hb_part(h, (enum part)i, false);
	hb_chunk(h, HEP_CH_PAYLOAD_Z, z, zn);
	hb_end(h);
}

static void b_z_garbage(struct hb *h)
{
	hb_start(h);
	hb_chunk(h, HEP_CH_PAYLOAD_Z, "\x78\x9c garbage", 10);
	hb_end(h);
}

/* More than SS_HEP_MAX_INFLATE once inflated: refused, not cut. */
static void b_z_bomb(struct hb *h)
{
	size_t big = SS_HEP_MAX_INFLATE + 1000;
	uint8_t *raw = calloc(1, big), z[4096];
	uLongf zn = sizeof z;
	assert_non_null(raw);
	assert_int_equal(compress(z, &zn, raw, big), Z_OK);
	free(raw);
	hb_start(h);
	hb_chunk(h, HEP_CH_PAYLOAD_Z, z, zn);
	hb_end(h);
}

static void b_chunk_past_end(struct hb *h)
{
	build_order(h, false, false);
	h->b[h->n - 2 - 6 + 4] = 0x20;	/* last chunk (corr) claims 32 bytes */
	h->b[h->n - 2 - 6 + 5] = 0;
}

static void b_chunk_below_6(struct hb *h)
{
	hb_start(h);
	hb_be16(h, 0);
	hb_be16(h, HEP_CH_PAYLOAD);
	hb_be16(h, 5);
	hb_end(h);
}

static void b_chunk_hdr_cut(struct hb *h)
{
	build_order(h, false, false);
	hb_put(h, "\0\0\0", 3);
	hb_end(h);
}

static void b_total_past_end(struct hb *h)
{
	build_order(h, false, false);
	h->b[5] = (uint8_t)(h->b[5] + 1);
	if (h->b[5] == 0)
		h->b[4]++;
}

static void b_total_below_6(struct hb *h)
{
	build_order(h, false, false);
	h->b[4] = 0;
	h->b[5] = 5;
}

static void b_bad_port_len(struct hb *h)
{
	hb_start(h);
	hb_u32(h, HEP_CH_SPORT, 5060);
	hb_end(h);
}

static void b_bad_family(struct hb *h)
{
	hb_start(h);
	hb_u8(h, HEP_CH_FAMILY, 7);
	hb_end(h);
}

/* Bytes after the total length (a padded datagram) are ignored. */
static void b_trailing(struct hb *h)
{
	build_order(h, false, false);
	hb_put(h, "pad", 3);
}

static void le32(struct hb *h, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };
	hb_put(h, x, 4);
}

static void build_v2(struct hb *h, bool v6, bool with_time)
{
	uint8_t hdr[4] = { 2, v6 ? 40 : 16, v6 ? 10 : 2, 17 };
	h->n = 0;
	hb_put(h, hdr, 4);
	hb_be16(h, 5062);
	hb_be16(h, 5060);
	hb_put(h, v6 ? IP6_A : IP_A, v6 ? 16 : 4);
	hb_put(h, v6 ? IP6_B : IP_B, v6 ? 16 : 4);
	if (!with_time)
		return;
	le32(h, 1700000000);
	le32(h, 123456);
	hb_put(h, "\xd1\x07\0\0", 4);	/* capture id 2001 (LE), padding */
	hb_put(h, SIP, strlen(SIP));
}

static void b_v2(struct hb *h) { build_v2(h, false, true); }
static void b_v2_v6(struct hb *h) { build_v2(h, true, true); }
static void b_v2_cut(struct hb *h) { build_v2(h, false, false); hb_put(h, "\0\0", 2); }

static void b_not_hep(struct hb *h)
{
	h->n = 0;
	hb_put(h, SIP, strlen(SIP));
}

struct parse_case {
	const char *name;
	void (*build)(struct hb *h);
	enum ss_hep_rc want;
	uint8_t family;		/* expected when OK and with addresses */
	uint8_t version;
	bool compressed;
	uint32_t unknown;
	bool has_corr;
};

static const struct parse_case parse_cases[] = {
	{ "v3 chunks in order", b_v3, SS_HEP_OK, 4, 3, false, 0, true },
	{ "v3 chunks reversed", b_v3_reversed, SS_HEP_OK, 4, 3, false, 0, true },
	{ "v3 IPv6", b_v6, SS_HEP_OK, 6, 3, false, 0, true },
	{ "v3 unknown vendor and types skipped", b_unknown, SS_HEP_OK, 4, 3,
	  false, 3, true },
	{ "v3 compressed payload", b_compressed, SS_HEP_OK, 4, 3, true, 0, true },
	{ "v3 trailing bytes after total", b_trailing, SS_HEP_OK, 4, 3, false, 0,
	  true },
	{ "v3 compressed garbage", b_z_garbage, SS_HEP_MALFORMED, 0, 0, false, 0,
	  false },
	{ "v3 compressed past 64 KiB", b_z_bomb, SS_HEP_MALFORMED, 0, 0, false, 0,
	  false },
	{ "v3 chunk length past the end", b_chunk_past_end, SS_HEP_TRUNCATED, 0,
	  0, false, 0, false },
	{ "v3 chunk length below 6", b_chunk_below_6, SS_HEP_MALFORMED, 0, 0,
	  false, 0, false },
	{ "v3 chunk header cut", b_chunk_hdr_cut, SS_HEP_TRUNCATED, 0, 0, false,
	  0, false },
	{ "v3 total past the end", b_total_past_end, SS_HEP_TRUNCATED, 0, 0,
	  false, 0, false },
	{ "v3 total below 6", b_total_below_6, SS_HEP_MALFORMED, 0, 0, false, 0,
	  false },
	{ "v3 port chunk of 4 bytes", b_bad_port_len, SS_HEP_MALFORMED, 0, 0,
	  false, 0, false },
	{ "v3 unknown family", b_bad_family, SS_HEP_MALFORMED, 0, 0, false, 0,
	  false },
	{ "v2 IPv4", b_v2, SS_HEP_OK, 4, 2, false, 0, false },
	{ "v2 IPv6", b_v2_v6, SS_HEP_OK, 6, 2, false, 0, false },
	{ "v2 time header cut", b_v2_cut, SS_HEP_TRUNCATED, 0, 0, false, 0,
	  false },
	{ "not HEP", b_not_hep, SS_HEP_NOT_HEP, 0, 0, false, 0, false },
};

static void check_fields(const struct parse_case *c, const struct ss_hep *h)
{
	const uint8_t *a = c->family == 6 ? IP6_A : IP_A;
	const uint8_t *b = c->family == 6 ? IP6_B : IP_B;
	size_t al = c->family == 6 ? 16 : 4;
	assert_int_equal(h->version, c->version);
	assert_int_equal(h->src.family, c->family);
	assert_int_equal(h->dst.family, c->family);
	assert_memory_equal(h->src.ip, a, al);
	assert_memory_equal(h->dst.ip, b, al);
	assert_int_equal(h->src.port, 5062);
	assert_int_equal(h->dst.port, 5060);
	assert_int_equal(h->ip_proto, 17);
	assert_int_equal(h->ts_sec, 1700000000);
	assert_int_equal(h->ts_usec, 123456);
	assert_int_equal(h->capture_id, 2001);
	assert_int_equal(h->payload_len, strlen(SIP));
	assert_memory_equal(h->payload, SIP, strlen(SIP));
	assert_int_equal(h->compressed, c->compressed);
	assert_int_equal(h->unknown_chunks, c->unknown);
	if (c->has_corr) {
		assert_int_equal(h->proto_type, 1);
		assert_true(ss_str_eq(h->correlation, "c1"));
		assert_true(ss_str_eq(h->auth_key, "myHep"));
	}
}

static void run_parse_case(const struct parse_case *c)
{
	struct hb b;
	struct guard g;
	struct ss_hep h;
	const char *why = NULL;
	c->build(&b);
	const uint8_t *p = guard_copy(&g, b.b, b.n);
	enum ss_hep_rc rc = ss_hep_parse(p, b.n, &h, &why);
	if (rc != c->want)
		fail_msg("%s: rc %d, want %d (%s)", c->name, rc, c->want,
			 why ? why : "");
	if (rc == SS_HEP_OK) {
		check_fields(c, &h);
		ss_hep_release(&h);
	} else {
		assert_non_null(why);
	}
	guard_release(&g);
}

static void test_parse_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++)
		run_parse_case(&parse_cases[i]);
}

/* Every prefix of every case: never a read past the cut, never OK for a
 * HEPv3 packet whose total length is not all there. */
static void test_every_cut(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		struct hb b;
		parse_cases[i].build(&b);
		for (size_t n = 0; n < b.n; n++) {
			struct guard g;
			struct ss_hep h;
			const uint8_t *p = guard_copy(&g, b.b, n);
			enum ss_hep_rc rc = ss_hep_parse(p, n, &h, NULL);
			if (rc == SS_HEP_OK) {
				assert_true(h.version != 3 || b.b[0] != 'H' ||
					    n >= (size_t)(b.b[4] << 8 | b.b[5]));
				ss_hep_release(&h);
			}
			guard_release(&g);
		}
	}
}

static void test_auth(void **state)
{
	struct hb b;
	struct ss_hep h;
	(void)state;
	b_v3(&b);
	assert_int_equal(ss_hep_parse(b.b, b.n, &h, NULL), SS_HEP_OK);
	assert_true(ss_hep_auth_ok(&h, "myHep"));
	assert_false(ss_hep_auth_ok(&h, "myhep"));
	assert_false(ss_hep_auth_ok(&h, "myHe"));
	assert_false(ss_hep_auth_ok(&h, "myHep2"));
	assert_false(ss_hep_auth_ok(&h, ""));
	ss_hep_release(&h);
	b_v2(&b);	/* HEPv2 has no auth key at all */
	assert_int_equal(ss_hep_parse(b.b, b.n, &h, NULL), SS_HEP_OK);
	assert_false(ss_hep_auth_ok(&h, ""));
	assert_false(ss_hep_auth_ok(&h, "myHep"));
	ss_hep_release(&h);
}

/* ---- encoder ---------------------------------------------------------- */

struct enc_case {
	const char *name;
	uint8_t family;
	uint8_t ip_proto;
	const char *auth;	/* NULL: no chunk 0x0e */
	const char *corr;
};

static const struct enc_case enc_cases[] = {
	{ "IPv4 UDP with auth and Call-ID", 4, 17, "secret", "abc@host" },
	{ "IPv6 TCP without auth", 6, 6, NULL, "x" },
	{ "IPv4 empty auth, no correlation", 4, 17, "", "" },
};

static void fill_enc(const struct enc_case *c, struct ss_hep *h)
{
	memset(h, 0, sizeof *h);
	h->ip_proto = c->ip_proto;
	h->src.family = h->dst.family = c->family;
	memcpy(h->src.ip, c->family == 6 ? IP6_A : IP_A, c->family == 6 ? 16 : 4);
	memcpy(h->dst.ip, c->family == 6 ? IP6_B : IP_B, c->family == 6 ? 16 : 4);
	h->src.port = 5062;
	h->dst.port = 5060;
	h->ts_sec = 1700000000;
	h->ts_usec = 999999;
	h->proto_type = 1;
	h->capture_id = 0xdeadbeef;
	h->has_auth = c->auth != NULL;
	if (c->auth)
		h->auth_key = ss_str_make(c->auth, strlen(c->auth));
	h->correlation = ss_str_make(c->corr, strlen(c->corr));
	h->payload = (const uint8_t *)SIP;
	h->payload_len = strlen(SIP);
}

/* The chunk types of an encoded packet, in order: no 0x10, ever. */
static void assert_no_compressed_chunk(const uint8_t *p, size_t n)
{
	size_t off = 6;
	while (off + 6 <= n) {
		uint16_t type = (uint16_t)(p[off + 2] << 8 | p[off + 3]);
		size_t len = (size_t)(p[off + 4] << 8 | p[off + 5]);
		assert_int_not_equal(type, HEP_CH_PAYLOAD_Z);
		assert_true(len >= 6);
		off += len;
	}
	assert_int_equal(off, n);
}

static void run_enc_case(const struct enc_case *c)
{
	struct ss_hep in, out;
	uint8_t buf[1024];
	struct guard g;
	fill_enc(c, &in);
	size_t n = ss_hep_encode(&in, buf, sizeof buf);
	assert_true(n > 0);
	assert_no_compressed_chunk(buf, n);
	const uint8_t *p = guard_copy(&g, buf, n);
	assert_int_equal(ss_hep_parse(p, n, &out, NULL), SS_HEP_OK);
	assert_int_equal(out.version, 3);
	assert_int_equal(out.ip_proto, in.ip_proto);
	assert_memory_equal(&out.src, &in.src, sizeof in.src);
	assert_memory_equal(&out.dst, &in.dst, sizeof in.dst);
	assert_int_equal(out.ts_sec, in.ts_sec);
	assert_int_equal(out.ts_usec, in.ts_usec);
	assert_int_equal(out.proto_type, 1);
	assert_int_equal(out.capture_id, in.capture_id);
	assert_int_equal(out.has_auth, in.has_auth);
	if (c->auth)
		assert_true(ss_hep_auth_ok(&out, c->auth));
	assert_true(ss_str_eq(out.correlation, c->corr));
	assert_int_equal(out.payload_len, in.payload_len);
	assert_memory_equal(out.payload, in.payload, in.payload_len);
	assert_int_equal(out.unknown_chunks, 0);
	ss_hep_release(&out);
	guard_release(&g);
}

static void test_encode_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof enc_cases / sizeof enc_cases[0]; i++)
		run_enc_case(&enc_cases[i]);
}

static void test_encode_limits(void **state)
{
	struct ss_hep h;
	uint8_t buf[1024];
	(void)state;
	fill_enc(&enc_cases[0], &h);
	size_t n = ss_hep_encode(&h, buf, sizeof buf);
	assert_true(n > 0);
	for (size_t cap = 0; cap < n; cap++)
		assert_int_equal(ss_hep_encode(&h, buf, cap), 0);
	/* A payload HEPv3's 16-bit total length cannot hold. */
	size_t big = 70000;
	uint8_t *payload = calloc(1, big), *out = malloc(2 * big);
	assert_non_null(payload);
	assert_non_null(out);
	h.payload = payload;
	h.payload_len = big;
	assert_int_equal(ss_hep_encode(&h, out, 2 * big), 0);
	h.payload_len = 65535 - n + strlen(SIP) - 1;	/* fits, one to spare */
	assert_int_equal(ss_hep_encode(&h, out, 2 * big), 65534);
	free(payload);
	free(out);
}

/* ---- decoder entry points --------------------------------------------- */

struct got {
	int calls;
	struct ss_pktinfo pi;
	uint8_t data[512];
	size_t len;
};

static void on_payload(void *user, const struct ss_pktinfo *pi,
		       const uint8_t *p, size_t len)
{
	struct got *g = user;
	g->calls++;
	g->pi = *pi;
	g->len = len < sizeof g->data ? len : sizeof g->data;
	memcpy(g->data, p, g->len);
}

static void test_decode_entry(void **state)
{
	struct ss_decoder d;
	struct got got;
	struct ss_pktinfo pi;
	struct hb b;
	(void)state;
	memset(&got, 0, sizeof got);
	assert_true(ss_decoder_init(&d, on_payload, &got, 0));
	memset(&pi, 0, sizeof pi);
	pi.frame = 7;
	b_v3(&b);
	assert_false(ss_decode_hep_auth(&d, &pi, b.b, b.n, "wrong"));
	assert_int_equal(d.st.hep_auth_failed, 1);
	assert_int_equal(got.calls, 0);
	assert_true(ss_decode_hep_auth(&d, &pi, b.b, b.n, "myHep"));
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.pi.frame, 7);
	assert_int_equal(got.pi.l4, SS_L4_UDP);
	assert_int_equal(got.pi.src.port, 5062);
	assert_memory_equal(got.pi.dst.ip, IP_B, 4);
	assert_true(got.pi.ts_ns == 1700000000LL * 1000000000 + 123456000);
	assert_int_equal(got.len, strlen(SIP));
	/* proto type 5 (RTCP) is counted, not delivered as SIP */
	hb_start(&b);
	hb_u8(&b, HEP_CH_PROTO_TYPE, 5);
	hb_part(&b, P_PAYLOAD, false);
	hb_end(&b);
	assert_false(ss_decode_hep_auth(&d, &pi, b.b, b.n, NULL));
	assert_int_equal(d.st.hep_not_sip, 1);
	/* TCP inside HEP arrives with l4 TCP */
	hb_start(&b);
	hb_u8(&b, HEP_CH_IP_PROTO, 6);
	hb_part(&b, P_PAYLOAD, false);
	hb_end(&b);
	assert_true(ss_decode_hep_auth(&d, &pi, b.b, b.n, NULL));
	assert_int_equal(got.pi.l4, SS_L4_TCP);
	assert_int_equal(got.pi.src.family, 4);
	hb_start(&b);
	hb_put(&b, "xx", 2);
	hb_end(&b);
	assert_false(ss_decode_hep_auth(&d, &pi, b.b, b.n, NULL));
	assert_int_equal(d.st.hep_bad, 1);
	assert_int_equal(d.st.hep, 5);
	ss_decoder_free(&d);
}

/* Ethernet + IPv4 + UDP around a HEP packet, to dport. */
static size_t udp_frame(uint8_t *f, size_t cap, uint16_t dport,
			const struct hb *hep)
{
	static const uint8_t eth[14] = { [12] = 0x08, [13] = 0x00 };
	size_t n = 14 + 20 + 8 + hep->n;
	assert_true(n <= cap);
	memset(f, 0, 42);
	memcpy(f, eth, 14);
	uint8_t *ip = f + 14, *udp = ip + 20;
	ip[0] = 0x45;
	ip[2] = (uint8_t)((n - 14) >> 8);
	ip[3] = (uint8_t)(n - 14);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, "\xc0\xa8\x01\x01\xc0\xa8\x01\x02", 8);
	udp[0] = 0xc3;
	udp[1] = 0x50;
	udp[2] = (uint8_t)(dport >> 8);
	udp[3] = (uint8_t)dport;
	udp[4] = (uint8_t)((8 + hep->n) >> 8);
	udp[5] = (uint8_t)(8 + hep->n);
	memcpy(udp + 8, hep->b, hep->n);
	return n;
}

static void decode_udp(struct ss_decoder *d, uint16_t dport, struct got *got)
{
	struct hb b;
	uint8_t f[1024];
	struct ss_pktinfo pi;
	struct guard g;
	b_compressed(&b);
	size_t n = udp_frame(f, sizeof f, dport, &b);
	const uint8_t *p = guard_copy(&g, f, n);
	memset(&pi, 0, sizeof pi);
	memset(got, 0, sizeof *got);
	ss_decode_frame(d, &pi, 1 /* DLT_EN10MB */, p, n);
	guard_release(&g);
}

static void test_udp_table(void **state)
{
	struct ss_decoder d;
	struct got got;
	(void)state;
	assert_true(ss_decoder_init(&d, on_payload, &got, 0));
	decode_udp(&d, 9060, &got);
	assert_int_equal(got.calls, 1);
	assert_int_equal(got.len, strlen(SIP));
	assert_memory_equal(got.data, SIP, strlen(SIP));
	assert_memory_equal(got.pi.src.ip, IP_A, 4);
	assert_int_equal(got.pi.src.port, 5062);
	d.hep_port = 9999;	/* --hep-port 9999: 9060 is plain UDP now */
	decode_udp(&d, 9060, &got);
	assert_int_equal(got.calls, 1);
	assert_memory_equal(got.data, "HEP3", 4);
	assert_int_equal(got.pi.dst.port, 9060);
	decode_udp(&d, 9999, &got);
	assert_memory_equal(got.data, SIP, 8);
	assert_int_equal(d.st.hep, 2);
	ss_decoder_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_cases),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_auth),
		cmocka_unit_test(test_encode_round_trip),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_decode_entry),
		cmocka_unit_test(test_udp_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
