/*
 * test_dgram_detect.c - which UDP payloads the pipeline takes for SIP
 * (src/pipeline.c, ss_pipeline_payload).
 *
 * The datagram path decides without sip_looks_like() when the parse shows
 * one of the usual start lines; the rule it must keep is "SIP exactly when
 * sip_looks_like() says so", and a payload that is not SIP must not touch
 * the header array's counters. Each input, placed against a guard page,
 * goes through the pipeline and the answer is compared with
 * sip_looks_like(): start lines at and around the shortcut's edges, each
 * byte of them replaced by a delimiter, and binary payloads.
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
#include "pipeline.h"

struct seen {
	unsigned sip, udp;
};

static void on_sip(void *user, const struct ss_sip_event *ev)
{
	(void)ev;
	((struct seen *)user)->sip++;
}

static void on_udp(void *user, const struct ss_pktinfo *pi,
		   const uint8_t *p, size_t len)
{
	(void)pi;
	(void)p;
	(void)len;
	((struct seen *)user)->udp++;
}

static unsigned long checked;

/* One payload through a fresh pipeline: SIP exactly when
 * sip_looks_like() says so, plain UDP otherwise. */
static void check_one(const char *data, size_t len)
{
	struct guard g;
	const uint8_t *in = guard_copy(&g, data, len);
	struct seen s = { 0, 0 };
	struct ss_pipeline pl;
	ss_pipeline_init(&pl, on_sip, &s);
	pl.on_udp = on_udp;
	struct ss_pktinfo pi;
	memset(&pi, 0, sizeof pi);
	pi.l4 = SS_L4_UDP;
	pi.src.port = 5060;
	pi.dst.port = 5060;
	ss_pipeline_payload(&pl, &pi, in, len);
	bool want = sip_looks_like(in, len);
	if (s.sip != (want ? 1u : 0u) || s.udp != (want ? 0u : 1u) ||
	    (!want && pl.st.header_overflow))
		fail_msg("sip %u, udp %u, sip_looks_like %d on [%.*s]", s.sip,
			 s.udp, want, (int)(len > 200 ? 200 : len), data);
	ss_pipeline_free(&pl);
	guard_release(&g);
	checked++;
}

static const char *const lines[] = {
	"SIP/2.0 200 OK",
	"SIP/2.0 180 Ringing",
	"SIP/2.0 200",
	"SIP/2.0 999 Odd",
	"SIP/2.0 20 OK",
	"SIP/2.0  200 OK",
	"sip/2.0 200 OK",
	"SIP/3.0 200 OK",
	"SIP/2.0 200 OK ",
	"INVITE sip:bob@example.com SIP/2.0",
	"ACK sip:bob@example.com SIP/2.0",
	"BYE sip:b@h SIP/2.0",
	"SUBSCRIBE sip:bob@example.com SIP/2.0",
	"REGISTER sip:example.com SIP/2.0",
	"INVITE sip:bob@example.com SIP/2.0 ",
	"INVITE sip:bob@example.com SIP/2.0\t",
	"INVITE sip:bob@example.com\tSIP/2.0",
	"INVITE  sip:bob@example.com SIP/2.0",
	"INVITE sip:bob@example.com  SIP/2.0",
	"INVITE sip:bob@example.com sip/2.0",
	"INVITE sip:bob@example.com SIP/2.1",
	"INVITE sip:bob@example.com SIP/2.0x",
	"INVITE sip:bob@example.com",
	"invite sip:bob@example.com SIP/2.0",
	"FOO sip:bob@example.com SIP/2.0",
	"INVITE sip:b SIP/2.0",
	"INVITE x SIP/2.0",
	"GET / HTTP/1.1",
	"HTTP/1.1 200 OK",
	"NOTIFY * HTTP/1.1",
	"M-SEARCH * HTTP/1.1",
	"hello world",
	"x",
};

static const char *const heads[] = {
	"",
	"\r\n",
	"\r\n\r\n",
	"\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\n"
	"To: <sip:b@h>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n"
	"Content-Length: 0\r\n\r\n",
	"\r\nX: y\r\n",
	"\nVia: SIP/2.0/UDP h\n\n",
	"\rVia: SIP/2.0/UDP h\r\n\r\n",
};

static void check_line(const char *line, const char *head)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "%s%s", line, head);
	assert_true(n >= 0 && (size_t)n < sizeof buf);
	if (n)		/* an empty payload is no datagram to decide on */
		check_one(buf, (size_t)n);
	/* leading keep-alive CRLFs */
	n = snprintf(buf, sizeof buf, "\r\n\r\n%s%s", line, head);
	check_one(buf, (size_t)n);
}

static void test_start_lines(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++)
			check_line(lines[i], heads[h]);
}

/* Each byte of each start line replaced by each delimiter, and every
 * truncation of the line. */
static void test_mutations(void **state)
{
	static const char delims[] = " \t\r\n:/0A\x80";
	(void)state;
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		char line[128];
		size_t n = strlen(lines[i]);
		for (size_t at = 0; at < n; at++) {
			for (size_t d = 0; d < sizeof delims - 1; d++) {
				memcpy(line, lines[i], n + 1);
				line[at] = delims[d];
				check_line(line, heads[3]);
				check_line(line, heads[1]);
			}
			memcpy(line, lines[i], at);
			line[at] = '\0';
			check_line(line, heads[3]);
			check_line(line, "");
		}
	}
}

/* Binary payloads (RTP, DNS-like) and empty or CRLF-only ones. */
static void test_binary(void **state)
{
	(void)state;
	uint8_t b[64];
	for (unsigned first = 0; first < 256; first++) {
		for (size_t k = 0; k < sizeof b; k++)
			b[k] = (uint8_t)(first * 31 + k * 7);
		b[0] = (uint8_t)first;
		check_one((const char *)b, sizeof b);
		check_one((const char *)b, 1);
	}
	check_one("\r\n", 2);
	check_one("\r\n\r\n", 4);
	check_one("\n", 1);
}

/* More lines than the scratch array holds at first: a payload that is
 * not SIP must be told so before the array grows. */
static void test_many_lines(void **state)
{
	(void)state;
	static char buf[65536];
	for (int sip = 0; sip < 2; sip++) {
		size_t at = (size_t)snprintf(buf, sizeof buf, "%s\r\n",
					     sip ? "OPTIONS sip:h SIP/2.0x" :
						   "OPTIONS sip:h HTTP/2.0");
		for (int k = 0; k < 5000 && at + 16 < sizeof buf; k++)
			at += (size_t)snprintf(buf + at, sizeof buf - at,
					       "X%d: v\r\n", k);
		at += (size_t)snprintf(buf + at, sizeof buf - at, "\r\n");
		check_one(buf, at);
	}
}

/* The pipeline hands a datagram's Call-ID to its hint (pl.hint, what
 * lets the correlator fetch its table slot while the parse goes on),
 * once, as the event's message has it; a datagram without Call-ID gives
 * none. Session 4 set the hint up but the datagram path parsed without
 * it: this would have caught that. */
struct hinted {
	unsigned calls;
	char id[64];
	struct seen s;
};

static void note_hint(void *user, const char *p, size_t n)
{
	struct hinted *h = user;
	h->calls++;
	snprintf(h->id, sizeof h->id, "%.*s", (int)n, p);
}

static void test_call_id_hint(void **state)
{
	(void)state;
	static const struct { const char *in; const char *id; } t[] = {
		{ "INVITE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: abc@h\r\n"
		  "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n", "abc@h" },
		{ "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\ni: short@h\r\n"
		  "CSeq: 1 INVITE\r\nl: 0\r\n\r\n", "short@h" },
		{ "OPTIONS sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "CSeq: 1 OPTIONS\r\n\r\n", NULL },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct hinted h = { 0 };
		struct ss_pipeline pl;
		ss_pipeline_init(&pl, on_sip, &h.s);
		pl.hint.call_id = note_hint;
		pl.hint.user = &h;
		struct ss_pktinfo pi;
		memset(&pi, 0, sizeof pi);
		pi.l4 = SS_L4_UDP;
		pi.src.port = pi.dst.port = 5060;
		ss_pipeline_payload(&pl, &pi, (const uint8_t *)t[i].in, strlen(t[i].in));
		assert_int_equal(h.s.sip, 1);
		assert_int_equal(h.calls, t[i].id ? 1 : 0);
		if (t[i].id)
			assert_string_equal(h.id, t[i].id);
		ss_pipeline_free(&pl);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_lines),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_many_lines),
		cmocka_unit_test(test_call_id_hint),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	printf("# %lu payloads checked\n", checked);
	return rc;
}
