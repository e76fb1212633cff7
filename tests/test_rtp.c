/*
 * test_rtp.c - unit tests for the RTP header parser (dissectors/rtp.c):
 * fixed header, CSRCs, RFC 8285 extensions, padding, the RFC 5761
 * RTP/RTCP rule, the single-packet heuristic and RFC 4733 events.
 *
 * Every input is a row of a named table, copied with guard_copy() so its
 * last byte is the last readable one before a PROT_NONE page: a read past
 * the end faults at once. Each input is also parsed at every shorter
 * length, which must fail cleanly (or succeed only where a shorter packet
 * is itself valid).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"
#include "rtp.h"

struct pcase {
	const char *name;
	const uint8_t *in;
	size_t len;
	enum ss_rtp_status st;
	/* checked on SS_RTP_OK */
	uint8_t pt, cc, pad;
	bool marker;
	uint16_t seq;
	uint32_t ts, ssrc;
	size_t payload_len, ext_len;
	uint16_t ext_profile;
};

#define B(...) .in = (const uint8_t[]){ __VA_ARGS__ }, \
	.len = sizeof((const uint8_t[]){ __VA_ARGS__ })

/* 12-byte header: V=2, PT 0, seq 0x1234, ts 0x01020304, SSRC 0xDEADBEEF */
#define HDR(b0, b1) b0, b1, 0x12, 0x34, 1, 2, 3, 4, 0xDE, 0xAD, 0xBE, 0xEF

static const struct pcase pcases[] = {
	{ .name = "minimal", B(HDR(0x80, 0x00)), .st = SS_RTP_OK, .seq = 0x1234,
	  .ts = 0x01020304, .ssrc = 0xDEADBEEF },
	{ .name = "payload and marker", B(HDR(0x80, 0x88), 0xD5, 0xD5, 0xD5), .st = SS_RTP_OK, .pt = 8, .marker = true, .seq = 0x1234, .ts = 0x01020304,
	  .ssrc = 0xDEADBEEF, .payload_len = 3 },
	{ .name = "two CSRCs", B(HDR(0x82, 0x00), 0, 0, 0, 1, 0, 0, 0, 2, 0xAA), .st = SS_RTP_OK, .cc = 2, .seq = 0x1234, .ts = 0x01020304,
	  .ssrc = 0xDEADBEEF, .payload_len = 1 },
	{ .name = "CSRC count beyond the data", B(HDR(0x8F, 0x00), 0, 0, 0, 1), .st = SS_RTP_TRUNCATED },
	{ .name = "one-byte extension", B(HDR(0x90, 0x60), 0xBE, 0xDE, 0, 1,
	  0x10, 0xAB, 0x00, 0x00, 0x77), .st = SS_RTP_OK, .pt = 96, .seq = 0x1234,
	  .ts = 0x01020304, .ssrc = 0xDEADBEEF, .payload_len = 1, .ext_len = 4,
	  .ext_profile = 0xBEDE },
	{ .name = "extension length beyond the data", B(HDR(0x90, 0x00), 0xBE, 0xDE,
	  0, 2, 1, 2, 3, 4), .st = SS_RTP_TRUNCATED },
	{ .name = "extension header cut", B(HDR(0x90, 0x00), 0xBE, 0xDE), .st = SS_RTP_TRUNCATED },
	{ .name = "padding", B(HDR(0xA0, 0x00), 0x11, 0x22, 0, 0, 3), .st = SS_RTP_OK,
	  .seq = 0x1234, .ts = 0x01020304, .ssrc = 0xDEADBEEF,
	  .payload_len = 2, .pad = 3 },
	{ .name = "padding is the whole payload", B(HDR(0xA0, 0x00), 0, 2), .st = SS_RTP_OK, .seq = 0x1234, .ts = 0x01020304, .ssrc = 0xDEADBEEF,
	  .pad = 2 },
	{ .name = "padding count zero", B(HDR(0xA0, 0x00), 0x11, 0), .st = SS_RTP_BAD_PADDING },
	{ .name = "padding larger than the payload", B(HDR(0xA0, 0x00), 0x11, 9), .st = SS_RTP_BAD_PADDING },
	{ .name = "padding bit and no payload", B(HDR(0xA0, 0x00)), .st = SS_RTP_BAD_PADDING },
	{ .name = "padding may not eat the CSRCs", B(HDR(0xA1, 0x00), 0, 0, 0, 8), .st = SS_RTP_BAD_PADDING },
	{ .name = "version 1", B(HDR(0x40, 0x00)), .st = SS_RTP_BAD_VERSION },
	{ .name = "version 0 (STUN-like)", B(0x00, 0x01, 0, 0, 0x21, 0x12, 0xA4, 0x42,
	  1, 2, 3, 4), .st = SS_RTP_BAD_VERSION },
	{ .name = "eleven bytes", B(0x80, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0), .st = SS_RTP_TRUNCATED },
	{ .name = "empty", .st = SS_RTP_TRUNCATED },
};

static void check_case(const struct pcase *c)
{
	struct guard g;
	const uint8_t *p = c->len ? guard_copy(&g, c->in, c->len) : NULL;
	struct ss_rtp r;
	enum ss_rtp_status st = ss_rtp_parse(p, c->len, &r);
	if (st != c->st)
		fail_msg("%s: status %d, expected %d", c->name, st, c->st);
	if (st == SS_RTP_OK) {
		assert_int_equal(r.pt, c->pt);
		assert_int_equal(r.marker, c->marker);
		assert_int_equal(r.csrc_count, c->cc);
		assert_int_equal(r.seq, c->seq);
		assert_int_equal(r.ts, c->ts);
		assert_int_equal(r.ssrc, c->ssrc);
		assert_int_equal(r.payload.len, c->payload_len);
		assert_int_equal(r.pad_len, c->pad);
		assert_int_equal(r.ext.len, c->ext_len);
		if (c->ext_len)
			assert_int_equal(r.ext_profile, c->ext_profile);
		if (r.payload.len)	/* the payload ends where padding starts */
			assert_ptr_equal(r.payload.p + r.payload.len + r.pad_len,
					 (const char *)p + c->len);
	}
	if (c->len)
		guard_release(&g);
}

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof pcases / sizeof pcases[0]; i++)
		check_case(&pcases[i]);
}

/* Every prefix of every valid case, each at a guard page: a header cut
 * anywhere before its end is truncated; once the headers are complete
 * the shorter packet parses or fails on its padding, never reads past. */
static void test_truncations(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof pcases / sizeof pcases[0]; i++) {
		const struct pcase *c = &pcases[i];
		for (size_t n = 1; n < c->len; n++) {
			struct guard g;
			const uint8_t *p = guard_copy(&g, c->in, n);
			struct ss_rtp r;
			enum ss_rtp_status st = ss_rtp_parse(p, n, &r);
			if (n < SS_RTP_HDR_LEN && c->in[0] >> 6 == 2)
				assert_int_equal(st, SS_RTP_TRUNCATED);
			if (st == SS_RTP_OK)
				assert_true(r.payload.len + r.pad_len <= n);
			guard_release(&g);
		}
	}
}

static void test_csrc(void **state)
{
	(void)state;
	const uint8_t in[] = { HDR(0x82, 0x00), 0, 0, 0, 1, 0xCA, 0xFE, 0xBA, 0xBE };
	struct guard g;
	const uint8_t *p = guard_copy(&g, in, sizeof in);
	struct ss_rtp r;
	assert_int_equal(ss_rtp_parse(p, sizeof in, &r), SS_RTP_OK);
	assert_int_equal(ss_rtp_csrc(&r, 0), 1);
	assert_int_equal(ss_rtp_csrc(&r, 1), 0xCAFEBABE);
	assert_int_equal(ss_rtp_csrc(&r, 2), 0);	/* out of range */
	guard_release(&g);
}

/* RFC 8285: one-byte elements (id 1 len 1, padding, id 2 len 2) and
 * two-byte elements (id 5 len 0, id 6 len 3); malformed lengths stop. */
static void test_extensions(void **state)
{
	(void)state;
	const uint8_t one[] = { HDR(0x90, 0x00), 0xBE, 0xDE, 0, 2,
		0x10, 0xAA, 0x00, 0x22, 0xB1, 0xB2, 0xB3, 0x00 };
	const uint8_t two[] = { HDR(0x90, 0x00), 0x10, 0x00, 0, 2,
		5, 0, 6, 3, 0xC1, 0xC2, 0xC3, 0 };
	const uint8_t bad[] = { HDR(0x90, 0x00), 0xBE, 0xDE, 0, 1,
		0x1F, 0xAA, 0, 0 };	/* id 1 claims 16 bytes */
	struct guard g;
	struct ss_rtp r;
	size_t off = 0;
	uint8_t id;
	ss_str d;

	const uint8_t *p = guard_copy(&g, one, sizeof one);
	assert_int_equal(ss_rtp_parse(p, sizeof one, &r), SS_RTP_OK);
	assert_true(ss_rtp_ext_next(&r, &off, &id, &d));
	assert_int_equal(id, 1);
	assert_int_equal(d.len, 1);
	assert_int_equal((uint8_t)d.p[0], 0xAA);
	assert_true(ss_rtp_ext_next(&r, &off, &id, &d));
	assert_int_equal(id, 2);
	assert_int_equal(d.len, 3);
	assert_false(ss_rtp_ext_next(&r, &off, &id, &d));
	guard_release(&g);

	p = guard_copy(&g, two, sizeof two);
	assert_int_equal(ss_rtp_parse(p, sizeof two, &r), SS_RTP_OK);
	off = 0;
	assert_true(ss_rtp_ext_next(&r, &off, &id, &d));
	assert_int_equal(id, 5);
	assert_int_equal(d.len, 0);
	assert_true(ss_rtp_ext_next(&r, &off, &id, &d));
	assert_int_equal(id, 6);
	assert_int_equal(d.len, 3);
	assert_int_equal((uint8_t)d.p[2], 0xC3);
	assert_false(ss_rtp_ext_next(&r, &off, &id, &d));
	guard_release(&g);

	p = guard_copy(&g, bad, sizeof bad);
	assert_int_equal(ss_rtp_parse(p, sizeof bad, &r), SS_RTP_OK);
	off = 0;
	assert_false(ss_rtp_ext_next(&r, &off, &id, &d));
	guard_release(&g);
}

/* RFC 5761 section 4: RTCP SR/RR/SDES/BYE/APP (200..204) and the rest
 * of 192..223 are RTCP; RTP PTs 0..63 and 96..127 with or without
 * marker are RTP. */
static void test_rtcp_rule(void **state)
{
	(void)state;
	for (unsigned b = 192; b <= 223; b++)
		assert_true(ss_rtp_byte1_is_rtcp((uint8_t)b));
	const uint8_t rtp[] = { 0, 8, 18, 63, 96, 101, 127, 0x80, 0x88,
				0x80 | 96, 0x80 | 127 };
	for (size_t i = 0; i < sizeof rtp; i++)
		assert_false(ss_rtp_byte1_is_rtcp(rtp[i]));
}

struct lcase {
	const char *name;
	const uint8_t *in;
	size_t len;
	bool rtp;
};

static const struct lcase lcases[] = {
	{ .name = "G.711 packet", B(HDR(0x80, 0x08), 0xD5, 0xD5), .rtp = true },
	{ .name = "RTCP SR", B(0x80, 200, 0, 6, 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0,
	  0, 0, 0, 0), .rtp = false },
	{ .name = "RTCP RR", B(0x81, 201, 0, 7, 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0), .rtp = false },
	{ .name = "RTCP BYE", B(0x81, 203, 0, 1, 0xDE, 0xAD, 0xBE, 0xEF, 0, 0, 0, 0), .rtp = false },
	{ .name = "SIP request", B('I', 'N', 'V', 'I', 'T', 'E', ' ', 's', 'i', 'p',
	  ':', 'b'), .rtp = false },
	{ .name = "SIP response", B('S', 'I', 'P', '/', '2', '.', '0', ' ', '2', '0',
	  '0', ' '), .rtp = false },
	{ .name = "short", B(0x80, 0x00, 0, 1), .rtp = false },
	{ .name = "bad padding", B(HDR(0xA0, 0x00), 0x11, 0), .rtp = false },
};

static void test_looks_like(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof lcases / sizeof lcases[0]; i++) {
		struct guard g;
		const uint8_t *p = guard_copy(&g, lcases[i].in, lcases[i].len);
		if (ss_rtp_looks_like(p, lcases[i].len) != lcases[i].rtp)
			fail_msg("%s: looks_like %d", lcases[i].name, !lcases[i].rtp);
		guard_release(&g);
	}
}

static void test_events(void **state)
{
	(void)state;
	const uint8_t in[] = { 11, 0x8A, 0x03, 0x20, 0xFF };
	struct guard g;
	const char *p = guard_copy(&g, in, sizeof in);
	struct ss_rtp_event e;
	assert_true(ss_rtp_event_parse(ss_str_make(p, 4), &e));
	assert_int_equal(e.event, 11);
	assert_true(e.end);
	assert_int_equal(e.volume, 10);
	assert_int_equal(e.duration, 800);
	assert_int_equal(ss_rtp_event_char(e.event), '#');
	for (size_t n = 0; n < 4; n++)
		assert_false(ss_rtp_event_parse(ss_str_make(p + 4 - n, n), &e));
	guard_release(&g);
	assert_false(ss_rtp_event_parse(SS_STR_NULL, &e));
	assert_int_equal(ss_rtp_event_char(0), '0');
	assert_int_equal(ss_rtp_event_char(10), '*');
	assert_int_equal(ss_rtp_event_char(15), 'D');
	assert_int_equal(ss_rtp_event_char(16), '!');
	assert_int_equal(ss_rtp_event_char(200), '?');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_csrc),
		cmocka_unit_test(test_extensions),
		cmocka_unit_test(test_rtcp_rule),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
