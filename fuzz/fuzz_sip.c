/*
 * fuzz_sip.c - libFuzzer target for the SIP parser alone: both framings,
 * a tiny and a roomy header array (so the TOO_MANY path is reached), and
 * every slice of the result read back so an out-of-bounds slice is caught.
 *
 * Besides memory errors it checks the parser's contract (sip.h) and stops
 * with a message when it is broken:
 *  - every slice lies inside the input, size == the return value, and the
 *    message (head, then body) is where size says;
 *  - MALFORMED always says why (the pipeline shows such a payload whole,
 *    unparsed, with that reason: a start line sip_looks_like accepts but
 *    the parser rejects, "SIP/2.0 200OK", is kept that way by design);
 *  - the small array gives TOO_MANY exactly when more than 4 header lines
 *    were found, and otherwise the same answer as the big one;
 *  - on a stream, a complete message of n bytes is PARTIAL when cut short
 *    (TCP reassembly relies on this) and is found again, the same size, in
 *    its own n bytes (unless it ends in a lone CR, see below);
 *  - sip_parse() (one pass, fast paths) and sip_parse_ref() (the reference
 *    route) agree on the return value and on every field, slice for slice
 *    (tests/test_sip_fast.c does the same over fixed mutations; here the
 *    fuzzer steers towards the fast paths' edges).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static const char *in_p;
static size_t in_n;

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_sip: contract broken: %s\n", what);
	abort();
}

static void check(int ok, const char *what)
{
	if (!ok)
		fail(what);
}

/* Read the slice (ASan catches an over-read at the input's end) and
 * check that it points into the input at all. */
static void touch(ss_str s)
{
	if (s.len)
		check(s.p && s.p >= in_p && (size_t)(s.p - in_p) <= in_n &&
		      s.len <= in_n - (size_t)(s.p - in_p),
		      "slice outside the input");
	for (size_t i = 0; i < s.len; i++)
		sink += (unsigned char)s.p[i];
}

static void touch_nameaddr(const struct sip_nameaddr *a)
{
	touch(a->display);
	touch(a->uri);
	touch(a->scheme);
	touch(a->user);
	touch(a->host);
	touch(a->tag);
	touch(a->params);
	touch(a->headers);
}

static void touch_msg(const struct sip_msg *m, long rc, size_t len)
{
	touch(m->method_str);
	touch(m->uri);
	touch_nameaddr(&m->ruri);
	touch(m->version);
	touch(m->reason_phrase);
	touch(m->call_id);
	touch(m->x_call_id);
	touch(m->cseq_method_str);
	touch_nameaddr(&m->from);
	touch_nameaddr(&m->to);
	touch_nameaddr(&m->contact);
	touch(m->via.protocol);
	touch(m->via.transport);
	touch(m->via.branch);
	touch(m->via.host);
	touch(m->via.received);
	touch(m->content_type);
	touch(m->reason);
	touch(m->user_agent);
	touch(m->event);
	touch(m->refer_to);
	touch(m->head);
	touch(m->body);
	for (size_t i = 0; i < m->nhdrs; i++) {
		touch(m->hdrs[i].name);
		touch(m->hdrs[i].value);
	}
	check((size_t)rc <= len, "size past the input");
	check(m->size == (size_t)rc, "size differs from the return value");
	check(m->skipped < (size_t)rc, "nothing after the keep-alives");
	check(m->head.p == in_p + m->skipped, "head not after the keep-alives");
	check(m->body.len == 0 || m->body.p == m->head.p + m->head.len,
	      "body not right after the head");
	check(m->skipped + m->head.len + m->body.len == (size_t)rc,
	      "keep-alives + head + body != size");
}

/* How many header lines the parser would store: every line of the head
 * after the start line that does not begin with SP/HTAB (a fold), up to
 * the blank line. Mirrors sip.c's line ends: LF, CRLF, or a CR that is
 * not the last byte. */
static size_t header_lines(const struct sip_msg *m)
{
	const char *p = m->head.p, *end = p + m->head.len;
	size_t n = 0, line = 0;
	while (p < end) {
		const char *q = p;
		while (q < end && *q != '\n' && !(*q == '\r' && q + 1 < end))
			q++;
		size_t len = (size_t)(q - p);
		if (q == end && len && p[len - 1] == '\r')
			len--;		/* unterminated last line */
		if (len == 0)
			break;		/* the blank line */
		if (line++ && *p != ' ' && *p != '\t')
			n++;
		if (q == end)
			break;
		p = q + (*q == '\r' && q + 1 < end && q[1] == '\n' ? 2 : 1);
	}
	return n;
}

/* ---- sip_parse() against sip_parse_ref() ------------------------------ */

static void same_int(long long a, long long b, const char *what)
{
	if (a != b) {
		fprintf(stderr, "fuzz_sip: %s: fast %lld, ref %lld\n", what, a, b);
		fail("fast and reference parsers disagree");
	}
}

static void same_why(const char *a, const char *b, const char *what)
{
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0)) {
		fprintf(stderr, "fuzz_sip: %s: fast \"%s\", ref \"%s\"\n", what,
			a ? a : "(null)", b ? b : "(null)");
		fail("fast and reference parsers disagree");
	}
}

/* The field-by-field comparison the cmocka tests use, reporting here
 * on stderr and stopping the run. */
#define SAME_FIELDS_ONLY
#define SAME_FAIL(...) \
	(fprintf(stderr, "fuzz_sip: " __VA_ARGS__), fputc('\n', stderr), \
	 fail("fast and reference parsers disagree"))
#include "../tests/sip_same.h"

static void differential(const char *p, size_t size, enum sip_framing f,
			 size_t cap)
{
	static struct sip_header ha[512], hb[512];
	struct sip_msg a, b;
	long ra = sip_parse(p, size, f, &a, ha, cap);
	long rb = sip_parse_ref(p, size, f, &b, hb, cap);
	same_int(ra, rb, "return value");
	if (ra == SIP_PARSE_MALFORMED)
		same_why(a.malformed, b.malformed, "malformed");
	else if (ra > 0)
		same_msg(&a, &b, p, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sip_header big[512], again[512];
	struct sip_header small[4];
	struct sip_msg m, ms;
	const char *p = (const char *)data;

	in_p = p;
	in_n = size;
	(void)sip_looks_like(data, size);
	for (int fr = 0; fr < 2; fr++) {
		enum sip_framing f = fr ? SIP_FRAME_STREAM : SIP_FRAME_DATAGRAM;
		differential(p, size, f, 512);
		differential(p, size, f, 4);
		long rc = sip_parse(p, size, f, &m, big, 512);
		if (rc == SIP_PARSE_MALFORMED)
			check(m.malformed != NULL, "MALFORMED without a reason");
		if (rc > 0)
			touch_msg(&m, rc, size);

		long rs = sip_parse(p, size, f, &ms, small, 4);
		if (rs > 0)
			touch_msg(&ms, rs, size);
		if (rc > 0) {
			size_t lines = header_lines(&m);
			check(lines == m.nhdrs, "header count differs from the lines");
			check(rs == (lines > 4 ? SIP_PARSE_TOO_MANY : rc),
			      "small header array gives another answer");
			if (rs > 0)
				check(ms.malformed == m.malformed,
				      "small header array gives another reason");
		}

		if (rc > 0 && f == SIP_FRAME_STREAM) {
			struct sip_msg m2;
			size_t n = (size_t)rc;
			/* A head ending in a lone CR needs the next byte to
			 * know that CR is no half CRLF: then it is PARTIAL. */
			if (m.body.len || p[n - 1] != '\r')
				check(sip_parse(p, n, f, &m2, again, 512) == rc,
				      "stream message not found again in its own bytes");
			check(sip_parse(p, n - 1, f, &m2, again, 512) ==
			      SIP_PARSE_PARTIAL,
			      "stream message complete one byte early");
			if (n / 2 > m.skipped)
				check(sip_parse(p, n / 2, f, &m2, again, 512) ==
				      SIP_PARSE_PARTIAL,
				      "stream message complete at half its size");
		}
	}
	return 0;
}
