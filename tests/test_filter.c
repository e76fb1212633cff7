/*
 * test_filter.c - the -f EXPR dialog filter language (src/filter.h).
 *
 * Named case tables: {expression, subject, expected} for evaluation and
 * {bad expression, expected error substring} for compilation. The subject
 * is a plain table of attribute values; every string value handed to the
 * filter is placed with guard_copy() so reading past its length (treating
 * the slice as NUL-terminated) faults at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "filter.h"
#include "guard.h"

struct num {
	bool set;
	double v;
};
#define N(x) { true, (x) }

struct dialog {
	const char *str[SS_FF_COUNT];	/* NULL: absent */
	struct num num[SS_FF_COUNT];	/* .set false: absent */
};

/* The subject's object: the values plus their guarded copies. */
struct fake {
	const struct dialog *d;
	struct guard g[SS_FF_COUNT];
	const char *copy[SS_FF_COUNT];
};

static bool get_str(const void *obj, enum ss_filter_field f, ss_str *out)
{
	const struct fake *k = obj;
	assert_false(ss_filter_field_is_numeric(f));
	if (!k->d->str[f])
		return false;
	*out = ss_str_make(k->copy[f], strlen(k->d->str[f]));
	return true;
}

static bool get_num(const void *obj, enum ss_filter_field f, double *out)
{
	const struct fake *k = obj;
	assert_true(ss_filter_field_is_numeric(f));
	if (!k->d->num[f].set)
		return false;
	*out = k->d->num[f].v;
	return true;
}

static void fake_init(struct fake *k, const struct dialog *d)
{
	memset(k, 0, sizeof *k);
	k->d = d;
	for (int f = 0; f < SS_FF_COUNT; f++)
		if (d->str[f])
			k->copy[f] = guard_copy(&k->g[f], d->str[f],
						strlen(d->str[f]));
}

static void fake_release(struct fake *k)
{
	for (int f = 0; f < SS_FF_COUNT; f++)
		guard_release(&k->g[f]);
}

/* A rejected call: every field set except duration and x_callid. */
static const struct dialog rejected = {
	.str = {
		[SS_FF_METHOD] = "INVITE",
		[SS_FF_STATE] = "REJECTED",
		[SS_FF_FROM] = "sip:alice@example.com",
		[SS_FF_TO] = "sip:1001@pbx.example.com",
		[SS_FF_FROM_USER] = "alice",
		[SS_FF_TO_USER] = "1001",
		[SS_FF_CALLID] = "abc@host",
		[SS_FF_TRANSPORT] = "UDP",
		[SS_FF_SRC] = "10.0.0.1:5060",
		[SS_FF_DST] = "10.0.0.2:5060",
		[SS_FF_UA] = "Linphone/5.0 (Desktop) \"beta\"",
		[SS_FF_REASON] = "Busy Here",
	},
	.num = {
		[SS_FF_CODE] = N(486),
		[SS_FF_SETUP] = N(120),
		[SS_FF_PDD] = N(80.5),
		[SS_FF_MSGS] = N(5),
		[SS_FF_RETRANS] = N(0),
	},
};

/* An answered call, with a linked leg. */
static const struct dialog answered = {
	.str = {
		[SS_FF_METHOD] = "invite",
		[SS_FF_STATE] = "Completed",
		[SS_FF_FROM] = "sip:bob@example.org",
		[SS_FF_TO] = "sip:alice@example.com",
		[SS_FF_FROM_USER] = "bob",
		[SS_FF_TO_USER] = "alice",
		[SS_FF_CALLID] = "ABC@host",
		[SS_FF_TRANSPORT] = "tls",
		[SS_FF_SRC] = "[2001:db8::1]:5061",
		[SS_FF_DST] = "[2001:db8::2]:5061",
		[SS_FF_X_CALLID] = "abc@host",
		[SS_FF_REASON] = "",
	},
	.num = {
		[SS_FF_CODE] = N(200),
		[SS_FF_DURATION] = N(42.25),
		[SS_FF_SETUP] = N(-3),
		[SS_FF_PDD] = N(0.125),
		[SS_FF_MSGS] = N(1e16),
		[SS_FF_RETRANS] = N(2),
	},
};

static const struct dialog nothing = { .str = { NULL } };

static const struct dialog hostile = {
	.str = { [SS_FF_FROM] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab" },
};

static const struct match_case {
	const char *name, *expr;
	const struct dialog *d;
	bool want;
} match_cases[] = {
	/* = and != on case-insensitive string fields */
	{ "method_eq", "method=INVITE", &rejected, true },
	{ "method_eq_icase", "method=INVITE", &answered, true },
	{ "method_eq_lower_value", "method=invite", &rejected, true },
	{ "method_ne", "method!=REGISTER", &rejected, true },
	{ "method_ne_same_icase", "method!=Invite", &rejected, false },
	{ "method_eq_prefix_only", "method=INV", &rejected, false },
	{ "state_eq", "state=rejected", &rejected, true },
	{ "state_eq_other", "state=REJECTED", &answered, false },
	{ "transport_icase", "transport=TLS", &answered, true },
	/* = and != on case-sensitive string fields */
	{ "callid_eq", "callid=abc@host", &rejected, true },
	{ "callid_case_sensitive", "callid=abc@host", &answered, false },
	{ "callid_ne_case", "callid!=abc@host", &answered, true },
	{ "call_id_alias", "call_id=ABC@host", &answered, true },
	{ "from_eq", "from=sip:alice@example.com", &rejected, true },
	{ "to_eq_uppercase", "to=SIP:1001@pbx.example.com", &rejected, false },
	{ "from_user_eq", "from_user=alice", &rejected, true },
	{ "to_user_eq", "to_user=alice", &answered, true },
	{ "src_eq_port", "src=10.0.0.1:5060", &rejected, true },
	{ "dst_eq_v6", "dst=[2001:db8::2]:5061", &answered, true },
	{ "x_callid_eq", "x_callid=abc@host", &answered, true },
	{ "reason_empty_quoted", "reason=\"\"", &answered, true },
	{ "reason_quoted_space", "reason=\"Busy Here\"", &rejected, true },
	{ "reason_case_sensitive", "reason=\"busy here\"", &rejected, false },
	{ "eqeq_alias", "method==INVITE", &rejected, true },
	/* quoted strings with escapes */
	{ "quoted_escaped_quote", "ua=\"Linphone/5.0 (Desktop) \\\"beta\\\"\"",
	  &rejected, true },
	{ "quoted_backslash_kept", "ua~\"\\d\\.\\d\"", &rejected, true },
	/* "\\\\" in the expression is the regex \\, a literal backslash */
	{ "quoted_double_backslash", "ua!~\"\\\\\\\\\"", &rejected, true },
	{ "quoted_other_escape_kept", "from_user=\"al\\ice\"", &rejected,
	  false },
	{ "quoted_parens_regex", "ua~\"\\(Desktop\\)\"", &rejected, true },
	{ "user_agent_alias", "user_agent~^Linphone", &rejected, true },
	/* numeric comparisons */
	{ "code_ge", "code>=400", &rejected, true },
	{ "code_ge_edge", "code>=486", &rejected, true },
	{ "code_gt_edge", "code>486", &rejected, false },
	{ "code_lt", "code<300", &answered, true },
	{ "code_le", "code<=200", &answered, true },
	{ "code_eq", "code=486", &rejected, true },
	{ "code_eq_decimal", "code=486.0", &rejected, true },
	{ "code_ne", "code!=486", &answered, true },
	{ "final_code_alias", "final_code=200", &answered, true },
	{ "duration_gt", "duration>30", &answered, true },
	{ "duration_fraction", "duration>42.2 and duration<42.3", &answered,
	  true },
	{ "setup_negative", "setup<-2", &answered, true },
	{ "setup_plus_sign", "setup_ms=+120", &rejected, true },
	{ "pdd_ms_alias", "pdd_ms<=80.5", &rejected, true },
	{ "pdd_leading_dot", "pdd>=.125", &answered, true },
	{ "retrans_zero", "retrans=0", &rejected, true },
	{ "spaces_around_op", "  code  >=  400  ", &rejected, true },
	/* ~ and !~ */
	{ "from_re", "from~alice", &rejected, true },
	{ "to_re_anchor", "to~^sip:1", &rejected, true },
	{ "to_re_anchor_miss", "to~^sip:1", &answered, false },
	{ "re_case_sensitive_field", "from~ALICE", &rejected, false },
	{ "re_inline_caseless", "from~\"(?i)ALICE\"", &rejected, true },
	{ "re_caseless_field", "method~^inv", &rejected, true },
	{ "state_re_icase", "state~^comp", &answered, true },
	{ "re_not", "from!~alice", &answered, true },
	{ "re_not_hit", "from!~alice", &rejected, false },
	{ "code_re_text", "code~^4", &rejected, true },
	{ "code_re_whole", "code~^486$", &rejected, true },
	{ "duration_re_text", "duration~^42\\.25$", &answered, true },
	{ "pdd_re_half", "pdd~^80\\.5$", &rejected, true },
	{ "pdd_re_eighth", "pdd~^0\\.125$", &answered, true },
	{ "setup_re_negative", "setup~^-3$", &answered, true },
	{ "msgs_re_big", "msgs~^10000000000000000$", &answered, true },
	{ "retrans_re_zero", "retrans~^0$", &rejected, true },
	/* absent values */
	{ "absent_eq", "x_callid=abc@host", &rejected, false },
	{ "absent_ne", "x_callid!=abc@host", &rejected, true },
	{ "absent_re", "ua~.", &answered, false },
	{ "absent_nre", "ua!~.", &answered, true },
	{ "absent_num_gt", "duration>0", &rejected, false },
	{ "absent_num_le", "duration<=0", &rejected, false },
	{ "absent_num_ne", "duration!=0", &rejected, true },
	{ "absent_num_re", "duration~.", &rejected, false },
	{ "absent_not", "not duration>0", &rejected, true },
	{ "all_absent", "method=INVITE or code>0 or from~.", &nothing, false },
	{ "all_absent_ne", "method!=INVITE and code!=0", &nothing, true },
	/* and, or, not, precedence, parentheses */
	{ "and_both", "method=INVITE and code>=400", &rejected, true },
	{ "and_one", "method=INVITE and code>=400", &answered, false },
	{ "or_one", "code=200 or code=486", &rejected, true },
	{ "or_none", "code=100 or code=180", &rejected, false },
	{ "keywords_uppercase", "method=INVITE AND code>400 OR code=1",
	  &rejected, true },
	/* a or b and c == a or (b and c): true via a alone */
	{ "prec_or_and_a", "code=486 or code=200 and method=REGISTER",
	  &rejected, true },
	/* (a or b) and c: false because c is false */
	{ "prec_parens", "(code=486 or code=200) and method=REGISTER",
	  &rejected, false },
	/* a and b or c == (a and b) or c */
	{ "prec_and_or_c", "method=REGISTER and code=486 or retrans=0",
	  &rejected, true },
	{ "prec_and_or_none", "method=REGISTER and code=486 or retrans=1",
	  &rejected, false },
	{ "not_term", "not method=REGISTER", &rejected, true },
	{ "not_binds_tight", "not code=486 or retrans=0", &rejected, true },
	{ "not_binds_tight2", "not code=486 and retrans=0", &rejected, false },
	{ "not_group", "not (code=486 or retrans=0)", &rejected, false },
	{ "not_not", "not not code=486", &rejected, true },
	{ "not_paren_nospace", "not(code=486)", &rejected, false },
	{ "nested_parens", "((code=486)) and (((state=rejected)))",
	  &rejected, true },
	{ "paren_after_bare", "(method=INVITE)and(code=486)", &rejected,
	  true },
	{ "long_chain_or", "retrans=9 or retrans=8 or retrans=7 or retrans=6 "
	  "or retrans=5 or retrans=4 or retrans=3 or retrans=2", &answered,
	  true },
	{ "value_with_operator_chars", "src=10.0.0.1:5060 and to!=a=b<c",
	  &rejected, true },
};

static void run_match_case(const struct match_case *c)
{
	char err[512];
	struct ss_filter *f = ss_filter_compile(c->expr, err, sizeof err);
	if (!f)
		fail_msg("%s: '%s' did not compile: %s", c->name, c->expr, err);
	struct fake k;
	fake_init(&k, c->d);
	struct ss_filter_subject s = { &k, get_str, get_num };
	bool got = ss_filter_match(f, &s);
	if (got != c->want)
		fail_msg("%s: '%s' gave %d, want %d", c->name, c->expr, got,
			 c->want);
	/* Evaluate many times: a compiled filter has no state that sticks. */
	assert_int_equal(ss_filter_match(f, &s), c->want);
	assert_int_equal(ss_filter_limit_hits(f), 0);
	fake_release(&k);
	ss_filter_free(f);
}

static void test_match_cases(void **state)
{
	for (size_t i = 0; i < sizeof match_cases / sizeof match_cases[0];
	     i++) {
		print_message("  %s\n", match_cases[i].name);
		run_match_case(&match_cases[i]);
	}
}

static const struct error_case {
	const char *name, *expr, *want;
} error_cases[] = {
	{ "empty", "", "empty filter expression" },
	{ "blank", "   \t", "empty filter expression" },
	{ "unknown_field", "durtion>30",
	  "unknown field 'durtion' at column 1; did you mean 'duration'? "
	  "(fields: method, state, code, from, to, from_user, to_user, "
	  "callid, duration, setup, pdd, msgs, retrans, transport, src, dst, "
	  "ua, reason, x_callid)" },
	{ "unknown_field_no_hint", "zzzzzz=1", "unknown field 'zzzzzz' at "
	  "column 1 (fields: method," },
	{ "unknown_field_later", "code=1 and frm=x", "unknown field 'frm' at "
	  "column 12; did you mean 'from'?" },
	{ "missing_value", "duration >=", "expected a value after '>=' at "
	  "column 12" },
	{ "missing_value_before_paren", "(code=)",
	  "expected a value after '=' at column 7" },
	{ "missing_value_keyword", "method= and code=1",
	  "expected a value after '=' at column 9; quote a keyword" },
	{ "missing_op", "method", "expected an operator (= != < <= > >= ~ !~) "
	  "after 'method' at column 7" },
	{ "bad_op", "method INVITE", "after 'method' at column 8, found "
	  "'INVITE'" },
	{ "bad_op_dash", "from-user=x", "after 'from' at column 5, found "
	  "'-user=x'" },
	{ "unbalanced_open", "(code=1 or code=2", "missing ')' to close the "
	  "'(' at column 1" },
	{ "unbalanced_open_inner", "code=1 and ((code=2)", "missing ')' to "
	  "close the '(' at column 12" },
	{ "unbalanced_close", "code=1)", "unbalanced ')' at column 7" },
	{ "empty_parens", "()", "expected a term after '(' at column 2, "
	  "found ')'" },
	{ "junk_in_parens", "(code=1 code=2)", "unexpected 'code=2' at "
	  "column 9; expected 'and', 'or' or ')'" },
	{ "bad_regex", "from~\"x(\"", "bad regex 'x(': missing closing "
	  "parenthesis at offset 2 (value at column 6)" },
	{ "bad_regex_num_field", "code~*4", "bad regex '*4': quantifier does "
	  "not follow a repeatable item at offset 0 (value at column 6)" },
	{ "unquoted_regex_paren", "to~^(a|b)", "unexpected '(' after the "
	  "value '^' at column 5; quote a value" },
	{ "paren_as_value", "to~(a|b)", "expected a value after '~' at column "
	  "4; quote a value that contains" },
	{ "trailing_junk", "method=INVITE state=X", "unexpected 'state=X' at "
	  "column 15; expected 'and', 'or' or the end of the expression" },
	{ "trailing_quote_junk", "method=INVITE \"x\"", "unexpected '\"x\"' at "
	  "column 15" },
	{ "and_without_right", "method=INVITE and", "expected a term after "
	  "'and' at column 18" },
	{ "or_without_right", "method=INVITE or ", "expected a term after "
	  "'or' at column 18" },
	{ "not_without_operand", "not", "expected a term after 'not' at "
	  "column 4" },
	{ "and_without_left", "and code=1", "expected a field name at column "
	  "1, found 'and'" },
	{ "and_and", "code=1 and and code=2", "expected a term after 'and' "
	  "at column 12, found 'and'" },
	{ "op_without_field", "=INVITE", "expected a field name at column 1, "
	  "found '=INVITE'" },
	{ "numeric_op_on_string", "from>3", "operator '>' needs a numeric "
	  "field, and 'from' is a string field (use =, !=, ~ or !~) at "
	  "column 5" },
	{ "numeric_le_on_method", "method <= INVITE", "operator '<=' needs a "
	  "numeric field, and 'method' is a string field" },
	{ "not_a_number", "code>=4xx", "'4xx' is not a number (field 'code' "
	  "is numeric) at column 7" },
	{ "not_a_number_exp", "msgs>1e3", "'1e3' is not a number" },
	{ "not_a_number_inf", "duration>inf", "'inf' is not a number" },
	{ "not_a_number_sign", "duration>-", "'-' is not a number" },
	{ "not_a_number_eq", "code=abc", "'abc' is not a number" },
	{ "unterminated_string", "from=\"alice", "unterminated string "
	  "starting at column 6" },
	{ "unterminated_escaped", "from=\"alice\\\"", "unterminated string "
	  "starting at column 6" },
};

static void test_error_cases(void **state)
{
	for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0];
	     i++) {
		const struct error_case *c = &error_cases[i];
		char err[512] = "unset";
		print_message("  %s\n", c->name);
		struct ss_filter *f = ss_filter_compile(c->expr, err,
							sizeof err);
		if (f)
			fail_msg("%s: '%s' compiled", c->name, c->expr);
		if (!strstr(err, c->want))
			fail_msg("%s: '%s'\n  got:  %s\n  want: %s", c->name,
				 c->expr, err, c->want);
	}
}

/* The error buffer is always terminated, however small; zero is fine. */
static void test_error_buffer(void **state)
{
	char small[8];
	assert_null(ss_filter_compile("durtion>1", small, sizeof small));
	assert_int_equal(strlen(small), sizeof small - 1);
	assert_null(ss_filter_compile("durtion>1", NULL, 0));
	char err[64] = "stale";
	struct ss_filter *f = ss_filter_compile("code=1", err, sizeof err);
	assert_non_null(f);
	assert_string_equal(err, "");
	ss_filter_free(f);
	ss_filter_free(NULL);
}

/* A hostile value cannot hang a ~ term: the PCRE2 limit cuts it short,
 * it counts as no match, and the filter reports the hit. */
static void test_regex_limit(void **state)
{
	char err[256];
	struct ss_filter *f = ss_filter_compile("from~\"(a+)+$\"", err,
						sizeof err);
	struct ss_filter *nf = ss_filter_compile("not from!~\"(a+)+$\"", err,
						 sizeof err);
	assert_non_null(f);
	assert_non_null(nf);
	struct fake k;
	fake_init(&k, &hostile);
	struct ss_filter_subject s = { &k, get_str, get_num };
	assert_false(ss_filter_match(f, &s));
	assert_int_equal(ss_filter_limit_hits(f), 1);
	assert_false(ss_filter_match(nf, &s));
	assert_int_equal(ss_filter_limit_hits(nf), 1);
	fake_release(&k);
	ss_filter_free(f);
	ss_filter_free(nf);
}

/* Nesting of "(" and "not" is capped at 63 levels, which bounds the
 * evaluation recursion; a flat chain of any length is fine. */
static void test_depth(void **state)
{
	static const char *const open[] = { "(", "not " };
	char expr[4096], err[256];
	for (size_t o = 0; o < 2; o++) {
		for (int depth = 63; depth <= 64; depth++) {
			size_t n = 0;
			for (int i = 0; i < depth; i++)
				for (const char *p = open[o]; *p; p++)
					expr[n++] = *p;
			memcpy(expr + n, "code=1", 7);
			n += 6;
			for (int i = 0; o == 0 && i < depth; i++)
				expr[n++] = ')';
			expr[n] = '\0';
			struct ss_filter *f = ss_filter_compile(expr, err,
								sizeof err);
			if (depth == 63) {
				assert_non_null(f);
			} else {
				assert_null(f);
				assert_non_null(strstr(err, "nested too deeply"));
			}
			ss_filter_free(f);
		}
	}
	size_t n = 0;
	for (int i = 0; i < 300; i++) {
		memcpy(expr + n, i ? " or code=1" : "code=1", i ? 10 : 6);
		n += i ? 10 : 6;
	}
	expr[n] = '\0';
	struct ss_filter *f = ss_filter_compile(expr, err, sizeof err);
	assert_non_null(f);
	struct ss_filter_subject s = { NULL, NULL, NULL };
	assert_false(ss_filter_match(f, &s));
	ss_filter_free(f);
}

/* NULL getters: every field absent. */
static void test_null_getters(void **state)
{
	char err[256];
	struct ss_filter *f = ss_filter_compile("code!=1 and from!~x and "
						"not method=INVITE", err,
						sizeof err);
	assert_non_null(f);
	struct ss_filter_subject s = { NULL, NULL, NULL };
	assert_true(ss_filter_match(f, &s));
	ss_filter_free(f);
}

static void test_field_names(void **state)
{
	assert_string_equal(ss_filter_field_name(SS_FF_DURATION), "duration");
	assert_string_equal(ss_filter_field_name(SS_FF_X_CALLID), "x_callid");
	assert_string_equal(ss_filter_field_name(SS_FF_COUNT), "?");
	assert_true(ss_filter_field_is_numeric(SS_FF_CODE));
	assert_false(ss_filter_field_is_numeric(SS_FF_CALLID));
	assert_false(ss_filter_field_is_numeric(SS_FF_COUNT));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_cases),
		cmocka_unit_test(test_error_cases),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_regex_limit),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_null_getters),
		cmocka_unit_test(test_field_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
