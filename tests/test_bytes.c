/*
 * test_bytes.c - slice helpers and cursor getters (dissectors/bytes.h).
 *
 * Named case tables, one loop each. Inputs are placed with guard_copy()
 * so that a helper reading one byte too many faults at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bytes.h"
#include "guard.h"

/* Place s (without its NUL) against the guard page. */
static ss_str guarded(struct guard *g, const char *s)
{
	size_t n = strlen(s);
	return ss_str_make(guard_copy(g, s, n), n);
}

static const struct ieq_case {
	const char *name, *s, *lit;
	bool eq;
} ieq_cases[] = {
	{ "same", "INVITE", "INVITE", true },
	{ "mixed_case", "Call-ID", "call-id", true },
	{ "prefix_only", "Call", "call-id", false },
	{ "longer", "call-ids", "call-id", false },
	{ "empty_both", "", "", true },
	{ "empty_slice", "", "a", false },
	{ "non_letters_exact", "[@]", "[@]", true },
	{ "at_vs_backquote", "@", "`", false },	/* 0x40 vs 0x60 */
	{ "high_bytes", "\xC3\x89", "\xC3\xA9", false },
};

static void test_ieq(void **state)
{
	for (size_t i = 0; i < sizeof ieq_cases / sizeof ieq_cases[0]; i++) {
		const struct ieq_case *c = &ieq_cases[i];
		struct guard g = { 0 };
		print_message("  %s\n", c->name);
		assert_int_equal(ss_str_ieq(guarded(&g, c->s), c->lit), c->eq);
		guard_release(&g);
	}
}

static const struct ifind_case {
	const char *name, *s, *lit;
	long at;
} ifind_cases[] = {
	{ "start", "Content-Length: 5", "content", 0 },
	{ "middle", "a;TRANSPORT=tcp", "transport", 2 },
	{ "at_end", "abcXYZ", "xyz", 3 },
	{ "absent", "abcdef", "xyz", -1 },
	{ "needle_longer", "ab", "abc", -1 },
	{ "partial_at_end", "abcxy", "xyz", -1 },
	{ "empty_needle", "abc", "", 0 },
	{ "empty_haystack", "", "a", -1 },
	{ "first_of_two", "x=1;X=2", "x=", 0 },
};

static void test_ifind(void **state)
{
	for (size_t i = 0; i < sizeof ifind_cases / sizeof ifind_cases[0];
	     i++) {
		const struct ifind_case *c = &ifind_cases[i];
		struct guard g = { 0 };
		print_message("  %s\n", c->name);
		assert_int_equal(ss_str_ifind(guarded(&g, c->s), c->lit),
				 c->at);
		guard_release(&g);
	}
}

static const struct trim_case {
	const char *name, *s, *out;
} trim_cases[] = {
	{ "none", "abc", "abc" },
	{ "both_sides", " \t abc \r\n", "abc" },
	{ "inner_kept", "  a b  ", "a b" },
	{ "folded_value", "\r\n\tvalue", "value" },
	{ "all_space", " \t\r\n ", "" },
	{ "empty", "", "" },
};

static void test_trim(void **state)
{
	for (size_t i = 0; i < sizeof trim_cases / sizeof trim_cases[0];
	     i++) {
		const struct trim_case *c = &trim_cases[i];
		struct guard g = { 0 };
		print_message("  %s\n", c->name);
		ss_str t = ss_str_trim(guarded(&g, c->s));
		assert_int_equal(t.len, strlen(c->out));
		assert_true(ss_str_eq(t, c->out));
		guard_release(&g);
	}
}

static const struct u64_case {
	const char *name, *s;
	uint64_t max;
	bool ok;
	uint64_t v;
} u64_cases[] = {
	{ "zero", "0", 10, true, 0 },
	{ "plain", "5060", 65535, true, 5060 },
	{ "leading_zeros", "007", 10, true, 7 },
	{ "equal_max", "65535", 65535, true, 65535 },
	{ "above_max", "65536", 65535, false, 0 },
	{ "u64_max", "18446744073709551615", UINT64_MAX, true, UINT64_MAX },
	{ "u64_overflow", "18446744073709551616", UINT64_MAX, false, 0 },
	{ "u64_overflow_long", "99999999999999999999999", UINT64_MAX, false,
	  0 },
	/* A single digit larger than max must not wrap max - digit. */
	{ "digit_above_small_max", "7", 5, false, 0 },
	{ "max_zero", "1", 0, false, 0 },
	{ "empty", "", 10, false, 0 },
	{ "sign", "-1", 10, false, 0 },
	{ "plus", "+1", 10, false, 0 },
	{ "space", " 1", 10, false, 0 },
	{ "trailing_junk", "12a", 100, false, 0 },
	/* 19 digits take the inline loop, 20 and more the checked one */
	{ "digits_19", "9999999999999999999", UINT64_MAX, true,
	  UINT64_C(9999999999999999999) },
	{ "digits_19_above_max", "1999999999999999999", 100, false, 0 },
	{ "digits_19_junk", "999999999999999999x", UINT64_MAX, false, 0 },
	{ "digits_22_leading_zeros", "0000000000000000000005", 5, true, 5 },
};

static void test_to_u64(void **state)
{
	for (size_t i = 0; i < sizeof u64_cases / sizeof u64_cases[0]; i++) {
		const struct u64_case *c = &u64_cases[i];
		struct guard g = { 0 };
		uint64_t v = 12345;
		print_message("  %s\n", c->name);
		bool ok = ss_str_to_u64(guarded(&g, c->s), c->max, &v);
		assert_int_equal(ok, c->ok);
		if (ok)
			assert_true(v == c->v);
		else
			assert_true(v == 12345);	/* untouched on failure */
		guard_release(&g);
	}
}

/* ------------------------------------------------------------------
 * Cursor getters: with exactly the bytes they need they succeed and land
 * on the end; with one byte fewer they fail and leave the cursor alone.
 */
static bool get_u8(struct cursor *c, uint32_t *v)
{
	uint8_t x = 0;
	bool ok = cur_u8(c, &x);
	*v = x;
	return ok;
}

static bool get_be16(struct cursor *c, uint32_t *v)
{
	uint16_t x = 0;
	bool ok = cur_be16(c, &x);
	*v = x;
	return ok;
}

static bool get_le16(struct cursor *c, uint32_t *v)
{
	uint16_t x = 0;
	bool ok = cur_le16(c, &x);
	*v = x;
	return ok;
}

static bool get_be32(struct cursor *c, uint32_t *v)
{
	return cur_be32(c, v);
}

static bool get_le32(struct cursor *c, uint32_t *v)
{
	return cur_le32(c, v);
}

static bool get_skip3(struct cursor *c, uint32_t *v)
{
	*v = 0;
	return cur_skip(c, 3);
}

static bool get_sub3(struct cursor *c, uint32_t *v)
{
	struct cursor s;
	bool ok = cur_sub(c, 3, &s);
	*v = ok ? (uint32_t)cur_left(&s) << 8 | s.p[2] : 0;
	return ok;
}

static const struct getter_case {
	const char *name;
	bool (*get)(struct cursor *, uint32_t *);
	size_t need;
	uint32_t value;		/* from the bytes 0xA1 0xB2 0xC3 0xD4 */
} getter_cases[] = {
	{ "u8", get_u8, 1, 0xA1 },
	{ "be16", get_be16, 2, 0xA1B2 },
	{ "le16", get_le16, 2, 0xB2A1 },
	{ "be32", get_be32, 4, 0xA1B2C3D4 },
	{ "le32", get_le32, 4, 0xD4C3B2A1 },
	{ "skip3", get_skip3, 3, 0 },
	{ "sub3", get_sub3, 3, 3u << 8 | 0xC3 },
};

static void check_getter(const struct getter_case *c)
{
	static const uint8_t bytes[4] = { 0xA1, 0xB2, 0xC3, 0xD4 };
	struct guard g = { 0 };
	uint32_t v = 0;
	struct cursor cur = cur_make(guard_copy(&g, bytes, c->need), c->need);
	assert_true(c->get(&cur, &v));
	assert_int_equal(v, c->value);
	assert_int_equal(cur_left(&cur), 0);
	assert_true(cur.p == cur.end);
	guard_release(&g);

	/* One byte short: fail, cursor unchanged. */
	const uint8_t *p = guard_copy(&g, bytes, c->need - 1);
	cur = cur_make(p, c->need - 1);
	assert_false(c->get(&cur, &v));
	assert_true(cur.p == p);
	assert_int_equal(cur_left(&cur), c->need - 1);
	guard_release(&g);
}

static void test_getters(void **state)
{
	for (size_t i = 0; i < sizeof getter_cases / sizeof getter_cases[0];
	     i++) {
		print_message("  %s\n", getter_cases[i].name);
		check_getter(&getter_cases[i]);
	}
}

static void test_peek_and_empty(void **state)
{
	static const uint8_t b[3] = { 1, 2, 3 };
	struct guard g = { 0 };
	struct cursor c = cur_make(guard_copy(&g, b, 3), 3);
	uint8_t v = 0;
	assert_true(cur_peek8(&c, 2, &v));
	assert_int_equal(v, 3);
	assert_false(cur_peek8(&c, 3, &v));
	assert_false(cur_peek8(&c, SIZE_MAX, &v));
	assert_int_equal(cur_left(&c), 3);	/* peeking never consumes */
	assert_false(cur_skip(&c, SIZE_MAX));
	assert_true(cur_skip(&c, 3));
	assert_false(cur_peek8(&c, 0, &v));
	assert_true(cur_skip(&c, 0));		/* zero bytes: always fine */
	guard_release(&g);

	struct cursor e = cur_make(NULL, 0);
	struct cursor s;
	uint32_t w;
	assert_false(cur_u8(&e, &v));
	assert_false(cur_be32(&e, &w));
	assert_true(cur_sub(&e, 0, &s));
	assert_int_equal(cur_left(&s), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ieq),
		cmocka_unit_test(test_ifind),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_to_u64),
		cmocka_unit_test(test_getters),
		cmocka_unit_test(test_peek_and_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
