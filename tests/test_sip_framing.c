/*
 * test_sip_framing.c - the SIP parser's framing at its edges: every
 * prefix of a valid message as a stream and as a datagram, more header
 * lines than the caller's array, two messages in one stream buffer,
 * control bytes in lines, header names (the datagram path's table) and
 * the ids it hands to the value pass. Split from test_sip.c (the table-driven cases);
 * inputs go through guard_copy() so a read past them faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"
#include "sip.h"
#include "sip_frame.h"
#include "sip_msgs.h"
#include "sip_same.h"

/* ---- every prefix of a valid message, stream and datagram ------------- */

static const struct { const char *name, *in; } t_prefix[] = {
	{ "INVITE with body", INVNC("Content-Length: 5" CRLF) BODY5 },
	{ "folded response", "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1,\r\n"
	  " SIP/2.0/UDP i\r\n" FROM TO CID "CSeq: 1 INVITE\r\nl: 0\r\n\r\n" },
	{ "keep-alive and bare LF", "\r\n\r\nBYE sip:b@e SIP/2.0\nVia: SIP/2.0/UDP h\n"
	  "From: <sip:a@e>;tag=1\nTo: <sip:b@e>\nCall-ID: x\nCSeq: 2 BYE\nl: 0\n\n" },
};

static void test_prefixes(void **s)
{
	(void)s;
	for (size_t t = 0; t < sizeof t_prefix / sizeof t_prefix[0]; t++) {
		size_t len = strlen(t_prefix[t].in);
		for (size_t n = 0; n <= len; n++) {
			struct guard g;
			const char *p = guard_copy(&g, t_prefix[t].in, n);
			struct sip_header hdrs[16];
			struct sip_msg m;
			long r = sip_parse(p, n, SIP_FRAME_STREAM, &m, hdrs, 16);
			if (n < len && r != SIP_PARSE_PARTIAL)
				fail_msg("%s: prefix %zu of %zu returned %ld (%s)",
					 t_prefix[t].name, n, len, r,
					 m.malformed ? m.malformed : "");
			if (n == len && (r != (long)len || m.malformed))
				fail_msg("%s: whole message returned %ld (%s)",
					 t_prefix[t].name, r,
					 m.malformed ? m.malformed : "");
			/* datagram: any answer but a crash or an overlong size */
			r = sip_parse(p, n, SIP_FRAME_DATAGRAM, &m, hdrs, 16);
			assert_true(r <= (long)n);
			(void)sip_looks_like((const uint8_t *)p, n);
			guard_release(&g);
		}
	}
}

/* ---- header array capacity -------------------------------------------- */

static void test_too_many(void **s)
{
	(void)s;
	static const char in[] = INV("");	/* 6 header fields */
	size_t len = sizeof in - 1;
	struct guard g;
	const char *p = guard_copy(&g, in, len);
	struct sip_header hdrs[6];
	struct sip_msg m;
	for (size_t cap = 0; cap < 6; cap++)
		assert_int_equal(sip_parse(p, len, SIP_FRAME_DATAGRAM, &m, hdrs,
					   cap), SIP_PARSE_TOO_MANY);
	assert_int_equal(sip_parse(p, len, SIP_FRAME_STREAM, &m, hdrs, 2),
			 SIP_PARSE_TOO_MANY);
	assert_int_equal(sip_parse(p, len, SIP_FRAME_DATAGRAM, &m, hdrs, 6),
			 (long)len);
	assert_int_equal(m.nhdrs, 6);
	assert_ptr_equal(sip_find(&m, SIP_H_CSEQ), &hdrs[4]);
	assert_null(sip_find(&m, SIP_H_ROUTE));
	guard_release(&g);
}

/* ---- two messages in one stream buffer: both come out ----------------- */

static void test_stream_sequence(void **s)
{
	(void)s;
	static const char in[] = INVNC("Content-Length: 5" CRLF) BODY5
				 CRLF REQ("BYE", "") ;
	size_t len = sizeof in - 1, off = 0;
	struct guard g;
	const char *p = guard_copy(&g, in, len);
	struct sip_header hdrs[16];
	struct sip_msg m;
	long r = sip_parse(p, len, SIP_FRAME_STREAM, &m, hdrs, 16);
	assert_true(r > 0);
	assert_int_equal(m.method, SIP_M_INVITE);
	off += (size_t)r;
	r = sip_parse(p + off, len - off, SIP_FRAME_STREAM, &m, hdrs, 16);
	assert_int_equal(r, (long)(len - off));
	assert_int_equal(m.method, SIP_M_BYE);
	assert_int_equal(m.skipped, 2);
	assert_null(m.malformed);
	guard_release(&g);
}

/* Control bytes below CR (NUL, HTAB, VT, FF, ...) at every position of
 * a message whose header block spans several 64-byte blocks: the
 * datagram path finds line ends from a mask that also marks them, and
 * must split exactly as the reference parser does. */
static void test_controls_in_lines(void **s)
{
	(void)s;
	static const char msg[] = INV("Max-Forwards: 70" CRLF
				      "Subject: a longer header value here" CRLF
				      " folded part" CRLF);
	static const char ctl[] = { 0x00, 0x01, 0x08, 0x09, 0x0B, 0x0C };
	char buf[sizeof msg];
	size_t len = sizeof msg - 1;
	for (size_t at = 0; at < len; at++) {
		for (size_t k = 0; k < sizeof ctl; k++) {
			memcpy(buf, msg, len);
			buf[at] = ctl[k];
			struct guard g;
			const char *in = guard_copy(&g, buf, len);
			struct sip_header ha[32], hb[32];
			struct sip_msg a, b;
			long ra = sip_parse(in, len, SIP_FRAME_DATAGRAM, &a, ha, 32);
			long rb = sip_parse_ref(in, len, SIP_FRAME_DATAGRAM, &b, hb, 32);
			if (ra != rb ||
			    (a.malformed == NULL) != (b.malformed == NULL) ||
			    (a.malformed && strcmp(a.malformed, b.malformed)))
				fail_msg("0x%02x at %zu: %ld \"%s\", ref %ld \"%s\"",
					 (unsigned)ctl[k], at, ra,
					 a.malformed ? a.malformed : "-", rb,
					 b.malformed ? b.malformed : "-");
			if (ra > 0) {
				assert_int_equal(a.nhdrs, b.nhdrs);
				for (size_t i = 0; i < a.nhdrs; i++) {
					assert_ptr_equal(ha[i].name.p, hb[i].name.p);
					assert_int_equal(ha[i].name.len, hb[i].name.len);
					assert_ptr_equal(ha[i].value.p, hb[i].value.p);
					assert_int_equal(ha[i].value.len, hb[i].value.len);
				}
			}
			guard_release(&g);
		}
	}
}

/* ---- header names: the datagram path's table against the reference --- */

/* Every name sipscope knows, long and compact, a few unknown ones and
 * names that share a table key (first two bytes and length) with a
 * known one. */
static const char *const t_names[] = {
	"Via", "From", "To", "Call-ID", "CSeq", "Contact", "Content-Length",
	"Content-Type", "Content-Encoding", "Expires", "Max-Forwards",
	"Reason", "User-Agent", "Server", "X-Call-ID", "X-CID", "Route",
	"Record-Route", "Event", "Refer-To", "Referred-By", "Authorization",
	"Proxy-Authorization", "WWW-Authenticate", "Proxy-Authenticate",
	"Subject", "Supported", "Allow-Events", "Session-Expires", "Accept",
	"Require", "Date", "Identity", "Accept-Contact", "Reject-Contact",
	"Request-Disposition", "Identity-Info", "Allow", "Proxy-Require",
	"Unsupported", "Retry-After", "Warning", "RSeq", "RAck", "Path",
	"Subscription-State", "Min-Expires", "P-Asserted-Identity",
	"P-Preferred-Identity", "Privacy", "Diversion", "Replaces",
	"Content-Disposition", "Authentication-Info", "Accept-Encoding",
	"Accept-Language", "Content-Language", "Alert-Info", "Call-Info",
	"Error-Info", "In-Reply-To", "MIME-Version", "Min-SE",
	"Organization", "Priority", "Reply-To", "Timestamp",
	"v", "f", "t", "i", "m", "l", "c", "k", "s", "e", "o", "u", "r", "b",
	"x", "y", "a", "j", "d", "n", "g", "z", "Vi", "Fro", "Tox",
	"Reply-Tx", "Refer-Tx", "Call-IDs", "Contact-", "NewFangledHeader",
};

/* The name's line "name: v" in a message, once with the whole 16 bytes
 * after the line's start inside the datagram and once as its last line
 * (no blank line after it), where fewer are: both parsers must agree. */
static void diff_name_line(const char *name, size_t nlen)
{
	static const char head[] = RL("OPTIONS") BASE "CSeq: 1 OPTIONS" CRLF;
	char buf[512];
	for (int last = 0; last < 2; last++) {
		size_t n = sizeof head - 1;
		memcpy(buf, head, n);
		memcpy(buf + n, name, nlen);
		n += nlen;
		memcpy(buf + n, ": v" CRLF, 5);
		n += last ? 3 : 5;
		if (!last) {
			memcpy(buf + n, "Content-Length: 0" CRLF CRLF, 21);
			n += 21;
		}
		struct guard g;
		const char *in = guard_copy(&g, buf, n);
		(void)diff_parsers(in, n);
		guard_release(&g);
	}
}

static void test_header_names(void **s)
{
	(void)s;
	static const char repl[] = { 'x', '-', ':', ' ', '\t', '_', 0x1A, 0x7F,
				     '\0', (char)0xC1 };
	for (size_t t = 0; t < sizeof t_names / sizeof t_names[0]; t++) {
		char name[64];
		size_t nlen = strlen(t_names[t]);
		for (int fold = 0; fold < 3; fold++) {
			for (size_t i = 0; i < nlen; i++) {
				char c = t_names[t][i];
				if (fold == 1 && c >= 'a' && c <= 'z')
					c = (char)(c - 32);
				if (fold == 2 && c >= 'A' && c <= 'Z')
					c = (char)(c + 32);
				name[i] = c;
			}
			diff_name_line(name, nlen);
		}
		/* one byte changed, at every position */
		for (size_t i = 0; i < nlen; i++) {
			for (size_t k = 0; k < sizeof repl; k++) {
				memcpy(name, t_names[t], nlen);
				name[i] = repl[k];
				diff_name_line(name, nlen);
				name[i] = (char)(t_names[t][i] ^ 0x20);
				diff_name_line(name, nlen);
			}
		}
	}
}

/* ---- the ids the datagram path skips ---------------------------------- */

/* sip_parse()'s datagram path hands a header to sip_msg_apply_fast()
 * only when SIP_FAST_APPLIED_IDS has its id: for every other id, the
 * call must change nothing, whatever the value. */
static void test_skipped_ids(void **s)
{
	(void)s;
	static const char in[] = INV("");
	static const char *const vals[] = {
		"", "1", "<sip:a@b>;tag=x", "SIP/2.0/UDP h;branch=z9hG4bK2",
		"2 INVITE", "a@b, c", "-1", "\"",
	};
	struct sip_header hdrs[8];
	struct sip_msg m, k;
	assert_int_equal(sip_parse(in, sizeof in - 1, SIP_FRAME_DATAGRAM, &m,
				   hdrs, 7), (long)(sizeof in - 1));
	size_t at = m.nhdrs;
	m.nhdrs++;
	for (unsigned id = 0; id < SIP_H__COUNT; id++) {
		if (id < 64 && ((SIP_FAST_APPLIED_IDS >> id) & 1))
			continue;
		for (size_t v = 0; v < sizeof vals / sizeof vals[0]; v++) {
			hdrs[at].name = ss_str_make("X", 1);
			hdrs[at].value = ss_str_make(vals[v], strlen(vals[v]));
			hdrs[at].id = (enum sip_hdr_id)id;
			for (int rep = 0; rep < 2; rep++) {
				memcpy(&k, &m, sizeof k);
				sip_msg_apply_fast(&k, at, rep);
				if (memcmp(&k, &m, sizeof k) != 0)
					fail_msg("id %u, value \"%s\": applied", id,
						 vals[v]);
			}
		}
	}
}

/* ---- the Call-ID hint ---------------------------------------------------- */

struct hint_seen {
	const char *p;
	size_t n;
	unsigned calls;
};

static void note_call_id(void *user, const char *p, size_t n)
{
	struct hint_seen *h = user;
	h->p = p;
	h->n = n;
	h->calls++;
}

/* sip_parse_hinted() hands the usual datagram's Call-ID over once, as the
 * slice the message ends up with, and changes nothing else; streams and
 * a message without Call-ID give no hint. */
static void test_call_id_hint(void **s)
{
	(void)s;
	static const struct { const char *in; enum sip_framing fr; bool hinted; } t[] = {
		{ REQ("INVITE", ""), SIP_FRAME_DATAGRAM, true },
		{ "SIP/2.0 200 OK" CRLF VIA FROM TO "i: short@form" CRLF
		  "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, SIP_FRAME_DATAGRAM, true },
		{ RL("BYE") VIA FROM TO "CSeq: 2 BYE" CRLF CRLF, SIP_FRAME_DATAGRAM, false },
		{ REQ("OPTIONS", ""), SIP_FRAME_STREAM, false },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		size_t n = strlen(t[i].in);
		struct sip_header ha[16], hb[16];
		struct sip_msg a, b;
		struct hint_seen seen = { 0 };
		const struct sip_parse_hint hint = { note_call_id, &seen };
		long ra = sip_parse_hinted(t[i].in, n, t[i].fr, &a, ha, 16, &hint);
		long rb = sip_parse(t[i].in, n, t[i].fr, &b, hb, 16);
		assert_int_equal(ra, rb);
		same_msg(&a, &b, t[i].in, n);
		assert_int_equal(seen.calls, t[i].hinted ? 1 : 0);
		if (t[i].hinted) {
			assert_ptr_equal(seen.p, a.call_id.p);
			assert_int_equal(seen.n, a.call_id.len);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_stream_sequence),
		cmocka_unit_test(test_controls_in_lines),
		cmocka_unit_test(test_header_names),
		cmocka_unit_test(test_skipped_ids),
		cmocka_unit_test(test_call_id_hint),
	};
	return cmocka_run_group_tests_name("sip_framing", tests, NULL, NULL);
}
