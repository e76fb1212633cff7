/*
 * test_calls_text.c - the call list's text cells (render/calls_report.c)
 * print what the printf formats they replaced printed: "%-*s", "%*s",
 * "%*s" of a number or "-", " %9.3f" of whole milliseconds / 1000.0, and
 * the '~' cut, over sweeps of values and widths, including the ones no
 * capture in samples/ reaches (8-digit PDDs, durations of years, empty
 * and missing strings, ids past 5 digits).
 *
 * The cell functions are static: the renderer's source is included here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../render/calls_report.c"

static void same(const struct row *r, const char *want, const char *what)
{
	if (r->n != strlen(want) || memcmp(r->b, want, r->n) != 0)
		fail_msg("%s: got [%.*s], want [%s]", what, (int)r->n, r->b, want);
}

static void test_numbers(void **state)
{
	(void)state;
	static const int64_t v[] = { 0, 1, 9, 10, 99, 100, 9999, 10000, 99999,
				     100000, 1234567, 12345678, 123456789,
				     4294967295, INT64_MAX, -1 };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		for (size_t w = 0; w <= 10; w++) {
			struct row r = { .n = 0 };
			char want[64], num[32];
			if (v[i] < 0)
				snprintf(num, sizeof num, "-");
			else
				snprintf(num, sizeof num, "%" PRId64, v[i]);
			snprintf(want, sizeof want, "%*s", (int)w, num);
			rnum(&r, v[i], v[i] < 0, w);
			same(&r, want, "rnum");
			struct row a = { .n = 0 };
			rnum(&a, v[i], true, w);
			snprintf(want, sizeof want, "%*s", (int)w, "-");
			same(&a, want, "rnum absent");
		}
}

static void test_seconds(void **state)
{
	(void)state;
	char want[64], what[64];
	for (int64_t ms = -1; ms < 3000000; ms += ms < 2000 ? 1 : 997) {
		struct row r = { .n = 0 };
		secs(&r, ms);
		if (ms < 0)
			snprintf(want, sizeof want, " %9s", "-");
		else
			snprintf(want, sizeof want, " %9.3f", (double)ms / 1000.0);
		snprintf(what, sizeof what, "secs(%" PRId64 ")", ms);
		same(&r, want, what);
	}
	/* up to the longest a pcap's 32-bit seconds can span: past ~2^50
	 * ms a double no longer holds three decimals, and these digits are
	 * the exact ones */
	static const int64_t big[] = { 999999999, 1000000000, 31536000000,
				       INT64_C(4294967295999) };
	for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
		struct row r = { .n = 0 };
		secs(&r, big[i]);
		snprintf(want, sizeof want, " %9.3f", (double)big[i] / 1000.0);
		same(&r, want, "secs, large");
	}
}

/* The cell as it was: fprintf("%-*s") or fprintf("%.*s~"). */
static void old_cell(char *out, size_t cap, const char *s, int w)
{
	size_t n = s ? strlen(s) : 0;
	if (!s)
		s = "-";
	if (n == 0)
		n = 1;
	if ((int)n <= w)
		snprintf(out, cap, "%-*s", w, s);
	else
		snprintf(out, cap, "%.*s~", w - 1, s);
}

static void test_cells(void **state)
{
	(void)state;
	static const char *const s[] = { NULL, "", "a", "INVITE", "123456789",
					 "1234567890",
					 "sip:someone@a.very.long.host.example.com" };
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		for (int w = 1; w <= 30; w++) {
			struct row r = { .n = 0 };
			char want[128];
			old_cell(want, sizeof want, s[i], w);
			cell(&r, s[i], (size_t)w);
			same(&r, want, "cell");
			if (!s[i])
				continue;
			struct row a = { .n = 0 }, b = { .n = 0 };
			left(&a, s[i], strlen(s[i]), (size_t)w);
			snprintf(want, sizeof want, "%-*s", w, s[i]);
			same(&a, want, "left");
			right(&b, s[i], strlen(s[i]), (size_t)w);
			snprintf(want, sizeof want, "%*s", w, s[i]);
			same(&b, want, "right");
		}
}

/* A cell longer than the row's room is cut at the buffer, not past it. */
static void test_room(void **state)
{
	(void)state;
	char big[1000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	struct row r = { .n = 0 };
	for (int i = 0; i < 5; i++)
		left(&r, big, strlen(big), 400);
	assert_int_equal(r.n, sizeof r.b);
	spaces(&r, 10);
	assert_int_equal(r.n, sizeof r.b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_room),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
