/*
 * test_torture.c - the RFC 4475 SIP torture messages and the RFC 5118
 * IPv6 torture messages, byte for byte from the shared corpus, through
 * sip_parse with datagram framing (they are UDP tests).
 *
 * One row per file. Valid rows assert the key fields read off the file by
 * hand; invalid rows assert the message is still returned whole and the
 * specific reason it is flagged with. Corpus directory: $SIPSCOPE_CORPUS,
 * else TOP_SRCDIR/../shared/corpus; absent, the tests are skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "guard.h"
#include "sip.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

struct torture_case {
	const char *file;	/* relative to <corpus>/torture/ */
	const char *reason;	/* NULL: valid; else the expected flag */
	int status;		/* responses; 0 for requests */
	enum sip_method method;
	const char *method_str;
	const char *call_id;
	uint32_t cseq;
	const char *cseq_method;
	const char *from_tag, *to_tag, *branch;
	/* bytes past Content-Length that a datagram ignores (RFC 3261 18.3) */
	size_t trailing;
};

#define R(f, why) { .file = "rfc4475/" f, .reason = why }
#define R6(f, why) { .file = "rfc5118/" f, .reason = why }

/* The rfc5118 transcriptions of ipv6-in-sdp, mult-ip-in-sdp and
 * ipv4-mapped-ipv6 declare a Content-Length counted with LF line ends but
 * carry CRLF bodies: 10, 8 and 9 bytes more than declared. RFC 3261 18.3
 * says a datagram's octets past Content-Length are discarded, so they
 * parse as valid with the body cut to the declared length, as dblreq. */
static const struct torture_case cases[] = {
	{ "rfc4475/wsinv.dat", NULL, 0, SIP_M_INVITE, "INVITE",
	  "wsinv.ndaksdj@192.0.2.1", 9, "INVITE", "98asjd8", "1918181833n",
	  "390skdjuw", 0 },
	{ "rfc4475/intmeth.dat", NULL, 0, SIP_M_EXTENSION,
	  "!interesting-Method0123456789_*+`.%indeed'~",
	  "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", 139122385,
	  "!interesting-Method0123456789_*+`.%indeed'~", "_token~1'+`*%!-.",
	  "", "z9hG4bK-.!%66*_+`'~", 0 },
	{ "rfc4475/esc01.dat", NULL, 0, SIP_M_INVITE, "INVITE",
	  "esc01.239409asdfakjkn23onasd0-3234", 234234, "INVITE", "938", "",
	  "z9hG4bKkdjuw", 0 },
	{ "rfc4475/escnull.dat", NULL, 0, SIP_M_REGISTER, "REGISTER",
	  "escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd", 14398234, "REGISTER",
	  "839923423", "", "z9hG4bKkdjuw", 0 },
	{ "rfc4475/esc02.dat", NULL, 0, SIP_M_EXTENSION, "RE%47IST%45R",
	  "esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf", 29344, "RE%47IST%45R",
	  "f232jadfj23", "", "z9hG4bK209%fzsnel234", 0 },
	{ "rfc4475/lwsdisp.dat", NULL, 0, SIP_M_OPTIONS, "OPTIONS",
	  "lwsdisp.1234abcd@funky.example.com", 60, "OPTIONS", "323", "",
	  "z9hG4bKkdjuw", 0 },
	{ "rfc4475/longreq.dat", NULL, 0, SIP_M_INVITE, "INVITE",
	  "longreq.onereallyreallyreallyreallyreallyreallyreallyreallyreally"
	  "reallyreallyreallyreallyreallyreallyreallyreallyreallyreallyreally"
	  "longcallid", 3882340, "INVITE",
	  "1298298298298298298298298298298298298298298298298298298298298298"
	  "2982982982982982982982982982982982982982982982982982982982982982"
	  "982982982982982982982982424", "", "", 0 },
	{ "rfc4475/dblreq.dat", NULL, 0, SIP_M_REGISTER, "REGISTER",
	  "dblreq.0ha0isndaksdj99sdfafnl3lk233412", 8, "REGISTER",
	  "43251j3j324", "", "z9hG4bKkdjuw23492", 450 },
	{ "rfc4475/semiuri.dat", NULL, 0, SIP_M_OPTIONS, "OPTIONS",
	  "semiuri.0ha0isndaksdj", 8, "OPTIONS", "33242", "", "z9hG4bKkdjuw",
	  0 },
	{ "rfc4475/transports.dat", NULL, 0, SIP_M_OPTIONS, "OPTIONS",
	  "transports.kijh4akdnaqjkwendsasfdj", 60, "OPTIONS", "323", "",
	  "z9hG4bKkdjuw", 0 },
	{ "rfc4475/mpart01.dat", NULL, 0, SIP_M_MESSAGE, "MESSAGE",
	  "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..", 1, "MESSAGE",
	  "2fb0dcc9", "", "z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-", 0 },
	{ "rfc4475/unreason.dat", NULL, 200, SIP_M_NONE, "",
	  "unreason.1234ksdfak3j2erwedfsASdf", 35, "INVITE", "11141343",
	  "2229", "z9hG4bK1324923", 0 },
	{ "rfc4475/noreason.dat", NULL, 100, SIP_M_NONE, "",
	  "noreason.asndj203insdf99223ndf", 35, "INVITE", "39ansfi3",
	  "902jndnke3", "z9hG4bK2398ndaoe", 0 },
	R("badinv01.dat", "empty Via parameter"),
	R("clerr.dat", "Content-Length exceeds datagram"),
	R("ncl.dat", "negative Content-Length"),
	R("scalar02.dat", "CSeq number out of range"),
	R("scalarlg.dat", "CSeq number out of range"),
	R("quotbal.dat", "unterminated quoted string"),
	R("ltgtruri.dat", "Request-URI enclosed in <>"),
	R("lwsruri.dat", "Request-URI contains whitespace"),
	R("lwsstart.dat", "extra whitespace in request line"),
	R("trws.dat", "trailing whitespace in request line"),
	R("escruri.dat", "headers in Request-URI"),
	R("baddate.dat", "Date not in GMT"),
	R("regbadct.dat", "URI with headers not enclosed in <>"),
	R("badaspec.dat", "whitespace in addr-spec"),
	R("baddn.dat", "non-token character in display name"),
	R("badvers.dat", "unsupported SIP version"),
	R("mismatch01.dat", "CSeq method does not match request method"),
	R("mismatch02.dat", "CSeq method does not match request method"),
	R("bigcode.dat", "status code out of range"),
	{ "rfc4475/badbranch.dat", NULL, 0, SIP_M_OPTIONS, "OPTIONS",
	  "badbranch.sadonfo23i420jv0as0derf3j3n", 8, "OPTIONS", "33242", "",
	  "z9hG4bK", 0 },
	R("insuf.dat", "missing Call-ID"),
	{ "rfc4475/unkscm.dat", NULL, 0, SIP_M_OPTIONS, "OPTIONS",
	  "unkscm.nasdfasser0q239nwsdfasdkl34", 3923423, "OPTIONS", "384", "",
	  "z9hG4bKkdjuw39234", 0 },
	{ "rfc4475/novelsc.dat", NULL, 0, SIP_M_OPTIONS, "OPTIONS",
	  "novelsc.asdfasser0q239nwsdfasdkl34", 3923423, "OPTIONS", "384", "",
	  "z9hG4bKkdjuw39234", 0 },
	{ "rfc4475/unksm2.dat", NULL, 0, SIP_M_REGISTER, "REGISTER",
	  "unksm2.daksdj@hyphenated-host.example.com", 234902, "REGISTER",
	  "3234233", "", "z9hG4bKkdjuw", 0 },
	{ "rfc4475/bext01.dat", NULL, 0, SIP_M_OPTIONS, "OPTIONS",
	  "bext01.0ha0isndaksdj", 8, "OPTIONS", "242etr", "", "z9hG4bKkdjuw",
	  0 },
	{ "rfc4475/invut.dat", NULL, 0, SIP_M_INVITE, "INVITE",
	  "invut.0ha0isndaksdjadsfij34n23d", 235448, "INVITE", "8392034", "",
	  "z9hG4bKkdjuw", 0 },
	{ "rfc4475/regaut01.dat", NULL, 0, SIP_M_REGISTER, "REGISTER",
	  "regaut01.0ha0isndaksdj", 9338, "REGISTER", "87321hj23128", "",
	  "z9hG4bKkdjuw", 0 },
	R("multi01.dat", "multiple values in single-value header"),
	R("mcl01.dat", "multiple Content-Length values"),
	{ "rfc4475/bcast.dat", NULL, 200, SIP_M_NONE, "",
	  "bcast.0384840201234ksdfak3j2erwedfsASdf", 35, "INVITE", "11141343",
	  "2229", "z9hG4bK1324923", 0 },
	{ "rfc4475/zeromf.dat", NULL, 0, SIP_M_OPTIONS, "OPTIONS",
	  "zeromf.jfasdlfnm2o2l43r5u0asdfas", 39234321, "OPTIONS", "3ghsd41",
	  "", "z9hG4bKkdjuw2349i", 0 },
	{ "rfc4475/cparam01.dat", NULL, 0, SIP_M_REGISTER, "REGISTER",
	  "cparam01.70710@saturn.example.com", 2, "REGISTER",
	  "DkfVgjkrtMwaerKKpe", "", "z9hG4bKkdjuw", 0 },
	{ "rfc4475/cparam02.dat", NULL, 0, SIP_M_REGISTER, "REGISTER",
	  "cparam02.70710@saturn.example.com", 3, "REGISTER", "838293", "",
	  "z9hG4bKkdjuw", 0 },
	{ "rfc4475/regescrt.dat", NULL, 0, SIP_M_REGISTER, "REGISTER",
	  "regescrt.k345asrl3fdbv@192.0.2.1", 14398234, "REGISTER", "8", "",
	  "z9hG4bKkdjuw", 0 },
	{ "rfc4475/sdp01.dat", NULL, 0, SIP_M_INVITE, "INVITE",
	  "sdp01.ndaksdj9342dasdd", 8, "INVITE", "234", "", "z9hG4bKkdjuw", 0 },
	/* RFC 2543 syntax: no branch, no tags, no Max-Forwards, no CL */
	{ "rfc4475/inv2543.dat", NULL, 0, SIP_M_INVITE, "INVITE",
	  "inv2543.1717@ift.client.example.com", 56, "INVITE", "", "", "", 0 },
	/* not in RFC 4475 (manifest: "unknown"): a request line without
	 * SIP-Version and a header line without a colon */
	R("test.dat", "missing SIP version"),

	{ "rfc5118/ipv6-good.dat", NULL, 0, SIP_M_REGISTER, "REGISTER",
	  "SSG9559905523997077@hlau_4100", 98176, "REGISTER", "81x2", "",
	  "z9hG4bKas3-111", 0 },
	R6("ipv6-bad.dat", "IPv6 address not enclosed in []"),
	{ "rfc5118/port-ambiguous.dat", NULL, 0, SIP_M_REGISTER, "REGISTER",
	  "SSG9559905523997077@hlau_4100", 98176, "REGISTER", "81x2", "",
	  "z9hG4bKas3-111", 0 },
	{ "rfc5118/port-unambiguous.dat", NULL, 0, SIP_M_REGISTER, "REGISTER",
	  "SSG9559905523997077@hlau_4100", 98176, "REGISTER", "81x2", "",
	  "z9hG4bKas3-111", 0 },
	{ "rfc5118/via-received-param-with-delim.dat", NULL, 0, SIP_M_BYE,
	  "BYE", "SSG9559905523997077@hlau_4100", 321, "BYE", "81x2", "bd76ya",
	  "z9hG4bKas3-111", 0 },
	{ "rfc5118/via-received-param-no-delim.dat", NULL, 0, SIP_M_OPTIONS,
	  "OPTIONS", "SSG95523997077@hlau_4100", 921, "OPTIONS", "81x2", "",
	  "z9hG4bKas3", 0 },
	{ "rfc5118/ipv6-in-sdp.dat", NULL, 0, SIP_M_INVITE, "INVITE",
	  "SSG9559905523997077@hlau_4100", 8612, "INVITE", "81x2", "",
	  "z9hG4bKas3-111", 10 },
	{ "rfc5118/mult-ip-in-header.dat", NULL, 0, SIP_M_BYE, "BYE",
	  "997077@lau_4100", 89187, "BYE", "81x2", "9817--94",
	  "z9hG4bKas3-111", 0 },
	{ "rfc5118/mult-ip-in-sdp.dat", NULL, 0, SIP_M_INVITE, "INVITE",
	  "SSG9559905523997077@hlau_4100", 8912, "INVITE", "81x2", "",
	  "z9hG4bKas3-111", 8 },
	{ "rfc5118/ipv4-mapped-ipv6.dat", NULL, 0, SIP_M_INVITE, "INVITE",
	  "SSG9559905523997077@hlau_4100", 612, "INVITE", "81x2", "",
	  "z9hG4bKbh19", 9 },
	R6("ipv6-bug-abnf-3-colons.dat", "invalid IPv6 reference"),
	{ "rfc5118/ipv6-correct-abnf-2-colons.dat", NULL, 0, SIP_M_OPTIONS,
	  "OPTIONS", "G9559905523997077@hlau_4100", 689, "OPTIONS", "810x2", "",
	  "z9hG4bKas3-111", 0 },
};

#define NCASES (sizeof cases / sizeof cases[0])

static char corpus[4096];

/* Sets corpus[]; false when the directory is absent (a user's machine). */
static bool find_corpus(void)
{
	const char *env = getenv("SIPSCOPE_CORPUS");
	struct stat st;
	snprintf(corpus, sizeof corpus, "%s",
		 env && *env ? env : TOP_SRCDIR "/../shared/corpus");
	return stat(corpus, &st) == 0 && S_ISDIR(st.st_mode);
}

static void expect_str(const char *file, const char *what, ss_str got,
		       const char *want)
{
	if (got.len == strlen(want) && (got.len == 0 ||
					memcmp(got.p, want, got.len) == 0))
		return;
	fail_msg("%s: %s is \"%.*s\", expected \"%s\"", file, what,
		 (int)got.len, got.p ? got.p : "", want);
}

static void check_valid(const struct torture_case *c, const struct sip_msg *m)
{
	if (m->malformed)
		fail_msg("%s: flagged \"%s\", expected valid", c->file,
			 m->malformed);
	assert_int_equal(m->status, c->status);
	assert_int_equal(m->is_request, c->status == 0);
	assert_int_equal(m->method, c->method);
	expect_str(c->file, "method", m->method_str, c->method_str);
	expect_str(c->file, "Call-ID", m->call_id, c->call_id);
	assert_true(m->cseq_present);
	assert_int_equal(m->cseq, c->cseq);
	expect_str(c->file, "CSeq method", m->cseq_method_str, c->cseq_method);
	expect_str(c->file, "From tag", m->from.tag, c->from_tag);
	expect_str(c->file, "To tag", m->to.tag, c->to_tag);
	expect_str(c->file, "Via branch", m->via.branch, c->branch);
	if (c->trailing)
		assert_int_equal(m->body.len, m->content_length);
}

static void *load(const struct torture_case *c, size_t *len)
{
	char path[8192];
	snprintf(path, sizeof path, "%s/torture/%s", corpus, c->file);
	void *data = guard_slurp(path, len);
	if (!data)
		fail_msg("%s: cannot read", path);
	return data;
}

static void test_torture_datagram(void **state)
{
	(void)state;
	if (!find_corpus()) {
		print_message("corpus %s absent: skipping\n", corpus);
		skip();
	}
	size_t valid = 0, flagged = 0;
	for (size_t i = 0; i < NCASES; i++) {
		const struct torture_case *c = &cases[i];
		size_t len;
		void *data = load(c, &len);
		struct guard g;
		const char *buf = guard_copy(&g, data, len);
		struct sip_header hdrs[64];
		struct sip_msg m;
		long r = sip_parse(buf, len, SIP_FRAME_DATAGRAM, &m, hdrs, 64);
		if (c->reason)
			flagged++;
		else
			valid++;
		/* kept whole (less what 18.3 discards), valid or not */
		if (r != (long)(len - c->trailing))
			fail_msg("%s: returned %ld, expected %zu (%s)", c->file,
				 r, len - c->trailing,
				 m.malformed ? m.malformed : "");
		assert_int_equal(m.size, (size_t)r);
		if (c->reason) {
			if (!m.malformed || strcmp(m.malformed, c->reason) != 0)
				fail_msg("%s: flagged \"%s\", expected \"%s\"",
					 c->file, m.malformed ? m.malformed
					 : "(nothing)", c->reason);
		} else {
			check_valid(c, &m);
		}
		assert_true(sip_looks_like((const uint8_t *)buf, len) ||
			    strcmp(c->file, "rfc4475/test.dat") == 0);
		guard_release(&g);
		free(data);
	}
	print_message("torture: %zu messages: %zu valid with key fields checked, "
		      "%zu invalid flagged with their reason\n", NCASES, valid,
		      flagged);
}

/* The same bytes as if they came over TCP: never a crash; a valid
 * message that declares its Content-Length frames exactly as over UDP;
 * clerr.dat (Content-Length 9999) waits for more bytes. */
static void test_torture_stream(void **state)
{
	(void)state;
	if (!find_corpus())
		skip();
	for (size_t i = 0; i < NCASES; i++) {
		const struct torture_case *c = &cases[i];
		size_t len;
		void *data = load(c, &len);
		struct guard g;
		const char *buf = guard_copy(&g, data, len);
		struct sip_header hdrs[64];
		struct sip_msg m;
		long r = sip_parse(buf, len, SIP_FRAME_STREAM, &m, hdrs, 64);
		if (strcmp(c->file, "rfc4475/clerr.dat") == 0)
			assert_int_equal(r, SIP_PARSE_PARTIAL);
		else if (!c->reason && m.content_length >= 0)
			assert_int_equal(r, (long)(len - c->trailing));
		else if (strcmp(c->file, "rfc4475/inv2543.dat") == 0)
			assert_string_equal(m.malformed,
					    "missing Content-Length on stream");
		else
			assert_true(r > 0 || r == SIP_PARSE_PARTIAL);
		guard_release(&g);
		free(data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_torture_datagram),
		cmocka_unit_test(test_torture_stream),
	};
	return cmocka_run_group_tests_name("torture", tests, NULL, NULL);
}
