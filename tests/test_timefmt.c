/* test_timefmt.c - RFC 3339 formatting of capture timestamps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "timefmt.h"

static const struct {
	const char *name;
	int64_t ns;
	const char *want;
} cases[] = {
	{ "epoch", 0, "1970-01-01T00:00:00.000000Z" },
	{ "microseconds kept", 1714557600123456000LL, "2024-05-01T10:00:00.123456Z" },
	{ "nanoseconds truncated, not rounded", 1714557600999999999LL, "2024-05-01T10:00:00.999999Z" },
	{ "one ns before epoch", -1, "1969-12-31T23:59:59.999999Z" },
	{ "leap day", 951782400000001000LL, "2000-02-29T00:00:00.000001Z" },
	{ "y2038 boundary", 2147483648000000000LL, "2038-01-19T03:14:08.000000Z" },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[SS_TIME_BUFLEN];
		size_t n = ss_time_rfc3339(cases[i].ns, buf, sizeof buf);
		if (strcmp(buf, cases[i].want) != 0)
			fail_msg("%s: got %s want %s", cases[i].name, buf, cases[i].want);
		assert_int_equal(n, strlen(cases[i].want));
	}
}

static void test_small_buffer(void **state)
{
	(void)state;
	char buf[8];
	size_t n = ss_time_rfc3339(0, buf, sizeof buf);
	assert_int_equal(n, 7);
	assert_string_equal(buf, "1970-01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_small_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
