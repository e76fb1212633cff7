/* test_spool.c - the bounded message spool: order, re-parse, the flag
 * of the first parse kept, eviction at the cap and the count of wanted
 * messages that had already left. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "spool.h"

#define MSG(cid) "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n" \
	"From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: " cid "\r\n" \
	"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"

struct seen {
	uint64_t idx[64];
	char cid[64][16];
	const char *why[64];
	size_t n;
};

static void add(struct ss_spool *s, uint64_t index, const char *text, const char *why)
{
	struct sip_header h[16];
	struct sip_msg m;
	struct guard g;
	size_t len = strlen(text);
	const char *p = guard_copy(&g, text, len);
	assert_true(sip_parse(p, len, SIP_FRAME_DATAGRAM, &m, h, 16) > 0);
	if (why)
		m.malformed = why;
	struct ss_pktinfo pi = { .ts_ns = (int64_t)index, .frame = index };
	struct ss_sip_event ev = { .pi = &pi, .transport = "UDP", .msg = &m };
	ss_spool_add(s, index, &ev);
	guard_release(&g);
}

static bool want_odd(void *user, uint64_t index)
{
	(void)user;
	return index % 2 == 1;
}

static void collect(void *user, uint64_t index, const struct ss_sip_event *ev,
		    const uint8_t *frame, size_t flen, int dlt)
{
	struct seen *s = user;
	(void)frame; (void)flen; (void)dlt;
	s->idx[s->n] = index;
	snprintf(s->cid[s->n], sizeof s->cid[0], "%.*s", (int)ev->msg->call_id.len,
		 ev->msg->call_id.p);
	s->why[s->n++] = ev->msg->malformed;
}

static void test_order_and_flags(void **state)
{
	(void)state;
	struct ss_spool *s = ss_spool_new(1 << 20, false);
	add(s, 1, MSG("one"), NULL);
	add(s, 2, MSG("two"), NULL);
	add(s, 3, MSG("three"), "Content-Length exceeds datagram");
	struct seen seen = { .n = 0 };
	assert_int_equal(ss_spool_replay(s, 1, 3, want_odd, collect, &seen), 0);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.idx[0], 1);
	assert_string_equal(seen.cid[0], "one");
	assert_null(seen.why[0]);
	assert_int_equal(seen.idx[1], 3);
	assert_string_equal(seen.cid[1], "three");
	assert_string_equal(seen.why[1], "Content-Length exceeds datagram");
	ss_spool_free(s);
}

static void test_eviction(void **state)
{
	(void)state;
	/* Room for a few messages only: the oldest leave first, and the
	 * wanted ones among them are reported as lost. */
	struct ss_spool *s = ss_spool_new(1200, false);
	for (uint64_t i = 1; i <= 20; i++)
		add(s, i, MSG("x"), NULL);
	assert_true(ss_spool_evicted(s) > 10);
	struct seen seen = { .n = 0 };
	uint64_t lost = ss_spool_replay(s, 1, 20, want_odd, collect, &seen);
	assert_int_equal(lost + seen.n, 10);
	assert_true(lost > 0);
	for (size_t i = 0; i < seen.n; i++)
		assert_true(seen.idx[i] % 2 == 1 && seen.idx[i] > 20 - 2 * seen.n);
	ss_spool_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_flags),
		cmocka_unit_test(test_eviction),
	};
	return cmocka_run_group_tests_name("spool", tests, NULL, NULL);
}
