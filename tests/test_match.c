/*
 * test_match.c - the -m REGEX matcher (src/match.h).
 *
 * A named case table of {pattern, flags, subject bytes, expected}; each
 * subject is placed with guard_copy() so that it ends at an unreadable
 * page: a matcher that wanted a NUL terminator would fault at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "match.h"
#include "guard.h"

#define S(lit) lit, sizeof lit - 1	/* bytes of a literal, NULs kept */

static const char invite[] =
	"INVITE sip:1001@pbx.example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776\r\n"
	"From: \"Alice\" <sip:alice@example.com>;tag=1928\r\n"
	"To: <sip:1001@pbx.example.com>\r\n"
	"Call-ID: a84b4c76e66710@host\r\n"
	"CSeq: 314159 INVITE\r\n"
	"User-Agent: Linphone/5.0\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static const struct match_case {
	const char *name, *re;
	unsigned flags;
	const char *subj;
	size_t len;
	bool want;
} match_cases[] = {
	{ "literal", "alice", 0, S(invite), true },
	{ "literal_absent", "bob", 0, S(invite), false },
	{ "literal_case", "ALICE", 0, S(invite), false },
	{ "icase", "ALICE", SS_MATCH_ICASE, S(invite), true },
	{ "icase_header", "call-id: A84B", SS_MATCH_ICASE, S(invite), true },
	{ "regex_class", "CSeq: [0-9]+ INVITE", 0, S(invite), true },
	{ "regex_alt", "^(INVITE|BYE) ", 0, S(invite), true },
	{ "empty_pattern", "", 0, S(invite), true },
	{ "empty_subject", "x", 0, S(""), false },
	{ "empty_both", "", 0, S(""), true },
	{ "caret_each_line", "^User-Agent: Linphone", 0, S(invite), true },
	{ "dollar_before_crlf", "Linphone/5\\.0$", 0, S(invite), true },
	{ "dot_stays_on_line", "From:.*1001", 0, S(invite), false },
	{ "dotall_inline", "(?s)From:.*1001", 0, S(invite), true },
	{ "anchor_A_start_only", "\\AVia:", 0, S(invite), false },
	{ "anchor_z_end", "\\r\\n\\r\\n\\z", 0, S(invite), true },
	/* packet bytes: invalid UTF-8 and NULs are ordinary bytes */
	{ "invalid_utf8_subject", "caf.", 0, S("From: caf\xC3\x28 \xFF\xFE"),
	  true },
	{ "invalid_utf8_byte", "\\xff\\xfe", 0, S("x\xFF\xFEy"), true },
	{ "lone_continuation", "a.b", 0, S("a\x80" "b"), true },
	{ "truncated_sequence_end", "\\xe2\\x82$", 0, S("euro \xE2\x82"),
	  true },
	{ "nul_inside", "a\\x00b", 0, S("xa\0by"), true },
	{ "after_nul", "Call-ID", 0, S("\0\0Call-ID: x"), true },
	{ "nul_not_end", "end$", 0, S("\0middle\0end"), true },
	{ "icase_ascii_only", "\xC3\xA9", SS_MATCH_ICASE, S("\xC3\x89"),
	  false },
	{ "icase_high_byte_exact", "\xC3\x89", SS_MATCH_ICASE, S("x\xC3\x89"),
	  true },
};

static void test_match_cases(void **state)
{
	for (size_t i = 0; i < sizeof match_cases / sizeof match_cases[0];
	     i++) {
		const struct match_case *c = &match_cases[i];
		char err[256];
		struct guard g = { 0 };
		print_message("  %s\n", c->name);
		struct ss_match *m = ss_match_new(c->re, c->flags, err,
						  sizeof err);
		if (!m)
			fail_msg("%s: '%s': %s", c->name, c->re, err);
		const char *p = guard_copy(&g, c->subj, c->len);
		bool got = ss_match_text(m, p, c->len);
		if (got != c->want)
			fail_msg("%s: '%s' gave %d, want %d", c->name, c->re,
				 got, c->want);
		/* the match data block is reused: same answer again */
		assert_int_equal(ss_match_text(m, p, c->len), c->want);
		assert_int_equal(ss_match_limit_hits(m), 0);
		guard_release(&g);
		ss_match_free(m);
	}
}

/* A slice is exactly its n bytes: a match just past the end must not be
 * seen, even though the buffer continues. */
static void test_slice_bounds(void **state)
{
	char err[256];
	struct ss_match *m = ss_match_new("INVITE$", 0, err, sizeof err);
	assert_non_null(m);
	const char buf[] = "INVITE sip:x SIP/2.0";
	assert_true(ss_match_text(m, buf, 6));
	assert_false(ss_match_text(m, buf + 1, 6));
	assert_false(ss_match_text(m, NULL, 0));
	ss_match_free(m);
	m = ss_match_new("", 0, err, sizeof err);
	assert_true(ss_match_text(m, NULL, 0));
	ss_match_free(m);
	ss_match_free(NULL);
}

/* --invert is the caller's, per dialog (match.h): the selection of a
 * dialog is (any message matched) != invert. Checked here as the contract
 * the caller relies on: the raw result is never inverted. */
static void test_invert_is_callers(void **state)
{
	static const char *const msgs[] = { "INVITE sip:a", "100 Trying",
					    "486 Busy Here" };
	char err[256];
	struct ss_match *m = ss_match_new("^486 ", 0, err, sizeof err);
	bool any = false, all = true;
	for (size_t i = 0; i < 3; i++) {
		bool hit = ss_match_text(m, msgs[i], strlen(msgs[i]));
		any = any || hit;
		all = all && hit;
	}
	assert_true(any);
	assert_false(all);
	bool invert = true;
	assert_false(any != invert);	/* dialog deselected under --invert */
	ss_match_free(m);
}

/* "(a+)+$" on 30 'a's and a 'b' needs ~2^30 steps; the match limit cuts
 * it short, it counts as no match, and the hit is counted. */
static void test_catastrophic(void **state)
{
	char err[256], subj[31];
	struct guard g = { 0 };
	memset(subj, 'a', 30);
	subj[30] = 'b';
	struct ss_match *m = ss_match_new("(a+)+$", 0, err, sizeof err);
	assert_non_null(m);
	print_message("  jit: %s\n", ss_match_is_jit(m) ? "yes" : "no");
	const char *p = guard_copy(&g, subj, sizeof subj);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_false(ss_match_text(m, p, sizeof subj));
	assert_false(ss_match_text(m, p, sizeof subj));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("  two limited runs: %.3f s\n", secs);
	assert_true(secs < 5.0);	/* generous for ASan on a busy box */
	assert_int_equal(ss_match_limit_hits(m), 2);
	/* the matcher stays usable and ordinary runs are not counted */
	assert_true(ss_match_text(m, "aaa", 3));
	assert_int_equal(ss_match_limit_hits(m), 2);
	guard_release(&g);
	ss_match_free(m);
}

static const struct error_case {
	const char *name, *re, *want;
} error_cases[] = {
	{ "missing_paren", "x(", "bad regex 'x(': missing closing "
	  "parenthesis at offset 2" },
	{ "unmatched_paren", "a)", "bad regex 'a)': unmatched closing "
	  "parenthesis at offset 1" },
	{ "nothing_to_repeat", "*a", "bad regex '*a': quantifier does not "
	  "follow a repeatable item at offset 0" },
	{ "open_class", "[a-", "bad regex '[a-': missing terminating ] for "
	  "character class at offset 3" },
	{ "trailing_backslash", "ab\\", "bad regex 'ab\\': \\ at end of "
	  "pattern at offset 3" },
	{ "utf_refused", "(*UTF)x", "bad regex '(*UTF)x': " },
};

static void test_error_cases(void **state)
{
	for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0];
	     i++) {
		const struct error_case *c = &error_cases[i];
		char err[256] = "unset";
		print_message("  %s\n", c->name);
		struct ss_match *m = ss_match_new(c->re, 0, err, sizeof err);
		if (m)
			fail_msg("%s: '%s' compiled", c->name, c->re);
		if (!strstr(err, c->want))
			fail_msg("%s:\n  got:  %s\n  want: %s", c->name, err,
				 c->want);
	}
	char small[6];
	assert_null(ss_match_new("x(", 0, small, sizeof small));
	assert_string_equal(small, "bad r");
	assert_null(ss_match_new("x(", 0, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_cases),
		cmocka_unit_test(test_slice_bounds),
		cmocka_unit_test(test_invert_is_callers),
		cmocka_unit_test(test_catastrophic),
		cmocka_unit_test(test_error_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
