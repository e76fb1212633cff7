/*
 * test_ipfrag.c - IP fragment reassembly (dissectors/ipfrag.c).
 *
 * One named table of fragment sequences run by one loop, checked against
 * a reference datagram whose byte i is a function of i; then the cases a
 * table cannot express (capture-time expiry, the memory cap, many
 * datagrams at once) and two end-to-end frames through ss_decode_frame.
 * Every fragment is handed over from a guard_copy(), and the table is
 * always freed with datagrams still pending, so LeakSanitizer checks the
 * teardown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guard.h"
#include "ipfrag.h"
#include "packet.h"

#define SEC ((int64_t)1000000000)

static uint8_t ref_byte(size_t i, uint32_t salt)
{
	return (uint8_t)(i * 7 + 3 + salt * 13);
}

struct frag {
	uint32_t off, len;
	bool more;
	bool corrupt;		/* bytes differ from the reference */
};

static struct ss_frag_key key_of(uint8_t family, uint32_t id)
{
	struct ss_frag_key k = { .family = family, .proto = 17, .id = id };
	k.src[0] = 10;
	k.src[3] = 1;
	k.dst[0] = 10;
	k.dst[3] = 2;
	return k;
}

/* Offer one fragment of datagram 'id' with reference contents. Returns
 * the completed datagram (caller frees) or NULL. */
static uint8_t *offer(struct ss_frag_table *t, struct ss_decode_stats *st,
		      int64_t now, uint8_t family, uint32_t id,
		      const struct frag *f, size_t *out_len)
{
	uint8_t *data = malloc(f->len ? f->len : 1);
	struct guard g = { 0 };
	assert_non_null(data);
	for (uint32_t i = 0; i < f->len; i++)
		data[i] = (uint8_t)(ref_byte(f->off + i, id) ^
				    (f->corrupt ? 0x5A : 0));
	const uint8_t *p = guard_copy(&g, data, f->len);
	struct ss_frag_key k = key_of(family, id);
	uint8_t *r = ss_frag_add(t, st, now, &k, f->off, f->more, p, f->len,
				 out_len);
	guard_release(&g);
	free(data);
	return r;
}

static void assert_reference(const uint8_t *buf, size_t len, uint32_t id)
{
	for (size_t i = 0; i < len; i++)
		assert_int_equal(buf[i], ref_byte(i, id));
}

#define MAXF 12

struct frag_case {
	const char *name;
	uint8_t family;
	struct frag f[MAXF];
	size_t nf;
	size_t done_len;	/* 0: must not complete */
	uint64_t overlaps, malformed;
	size_t pending;		/* datagrams left in the table */
};

#define M true
#define L false

static const struct frag_case cases[] = {
	{ "in_order", 4, { { 0, 16, M, 0 }, { 16, 16, M, 0 },
			   { 32, 10, L, 0 } }, 3, 42, 0, 0, 0 },
	{ "reverse_order", 4, { { 32, 10, L, 0 }, { 16, 16, M, 0 },
				{ 0, 16, M, 0 } }, 3, 42, 0, 0, 0 },
	{ "random_order", 6, { { 24, 8, M, 0 }, { 0, 8, M, 0 },
			       { 40, 3, L, 0 }, { 8, 8, M, 0 },
			       { 32, 8, M, 0 }, { 16, 8, M, 0 } }, 6, 43,
	  0, 0, 0 },
	{ "duplicate_v4", 4, { { 0, 16, M, 0 }, { 0, 16, M, 0 },
			       { 16, 8, L, 0 } }, 3, 24, 0, 0, 0 },
	{ "duplicate_v6", 6, { { 0, 16, M, 0 }, { 0, 16, M, 0 },
			       { 16, 8, L, 0 } }, 3, 24, 0,
	  0, 0 },
	{ "overlap_same_bytes_v4_kept", 4, { { 0, 24, M, 0 },
					     { 16, 16, M, 0 },
					     { 32, 8, L, 0 } }, 3, 40, 0,
	  0, 0 },
	/* RFC 5722: the whole datagram goes; the last fragment then starts
	 * a new one that never completes. */
	{ "overlap_same_bytes_v6_dropped", 6, { { 0, 24, M, 0 },
						{ 16, 16, M, 0 },
						{ 32, 8, L, 0 } }, 3, 0, 1,
	  0, 1 },
	{ "overlap_conflict_v4_dropped", 4, { { 0, 24, M, 0 },
					      { 16, 16, M, 1 },
					      { 32, 8, L, 0 } }, 3, 0, 1,
	  0, 1 },
	{ "overlap_conflict_v6_dropped", 6, { { 8, 8, M, 0 },
					      { 0, 16, M, 1 } }, 2, 0, 1,
	  0, 0 },
	{ "two_different_ends", 4, { { 0, 16, M, 0 }, { 32, 8, L, 0 },
				     { 32, 16, L, 0 } }, 3, 0, 1, 0, 0 },
	{ "data_past_last", 4, { { 32, 8, L, 0 }, { 40, 8, M, 0 } }, 2, 0,
	  1, 0, 0 },
	{ "tiny_fragments", 4, { { 0, 8, M, 0 }, { 8, 8, M, 0 },
				 { 16, 8, M, 0 }, { 24, 8, M, 0 },
				 { 32, 8, M, 0 }, { 40, 8, M, 0 },
				 { 48, 8, M, 0 }, { 56, 8, M, 0 },
				 { 64, 1, L, 0 } }, 9, 65, 0, 0, 0 },
	{ "misaligned_rejected", 4, { { 0, 10, M, 0 } }, 1, 0, 0, 1, 0 },
	{ "zero_length_rejected", 6, { { 0, 0, M, 0 } }, 1, 0, 0, 1, 0 },
	{ "beyond_65535_rejected", 4, { { 65528, 16, L, 0 } }, 1, 0, 0, 1,
	  0 },
	{ "exactly_65535", 6, { { 65528, 7, L, 0 }, { 0, 32768, M, 0 },
				{ 32768, 32760, M, 0 } }, 3, 65535, 0, 0, 0 },
	{ "incomplete_left_pending", 4, { { 0, 16, M, 0 }, { 24, 8, L, 0 } },
	  2, 0, 0, 0, 1 },
};

static void run_case(const struct frag_case *c)
{
	struct ss_frag_table *t = ss_frag_new(0);
	struct ss_decode_stats st = { 0 };
	size_t completions = 0;
	print_message("  %s\n", c->name);
	for (size_t i = 0; i < c->nf; i++) {
		size_t n;
		uint8_t *buf = offer(t, &st, SEC + (int64_t)i, c->family, 7,
				     &c->f[i], &n);
		if (!buf)
			continue;
		completions++;
		assert_int_equal(n, c->done_len);
		assert_reference(buf, n, 7);
		free(buf);
	}
	assert_int_equal(completions, c->done_len ? 1 : 0);
	assert_int_equal(st.ip_reassembled, completions);
	assert_int_equal(st.ip_fragments, c->nf);
	assert_int_equal(st.ip_frag_overlaps, c->overlaps);
	assert_int_equal(st.malformed, c->malformed);
	assert_int_equal(ss_frag_pending(t), c->pending);
	ss_frag_free(t);
}

static void test_cases(void **state)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i]);
}

/* Capture time, not wall time: a datagram older than 30 s is expired by
 * the next call, whatever datagram that call is about. */
static void test_timeout(void **state)
{
	struct ss_frag_table *t = ss_frag_new(0);
	struct ss_decode_stats st = { 0 };
	const struct frag head = { 0, 16, M, 0 }, tail = { 16, 8, L, 0 };
	size_t n;
	assert_null(offer(t, &st, 0, 4, 1, &head, &n));
	assert_null(offer(t, &st, 30 * SEC, 4, 2, &head, &n));
	assert_int_equal(st.ip_frag_timeouts, 0);
	assert_null(offer(t, &st, 30 * SEC + 1, 4, 3, &head, &n));
	assert_int_equal(st.ip_frag_timeouts, 1);
	assert_int_equal(ss_frag_pending(t), 2);
	/* Datagram 1 is gone: its tail alone cannot complete it... */
	assert_null(offer(t, &st, 31 * SEC, 4, 1, &tail, &n));
	/* ...while datagram 2, still young, completes. */
	uint8_t *buf = offer(t, &st, 31 * SEC, 4, 2, &tail, &n);
	assert_non_null(buf);
	assert_int_equal(n, 24);
	assert_reference(buf, n, 2);
	free(buf);
	ss_frag_free(t);
}

/* The cap counts data and bookkeeping; the oldest datagrams go first. */
static void test_memory_cap(void **state)
{
	const size_t cap = 16 * 1024;
	struct ss_frag_table *t = ss_frag_new(cap);
	struct ss_decode_stats st = { 0 };
	const struct frag head = { 0, 4000, M, 0 }, tail = { 4000, 8, L, 0 };
	size_t n;
	for (uint32_t id = 1; id <= 20; id++) {
		assert_null(offer(t, &st, SEC, 4, id, &head, &n));
		assert_true(ss_frag_mem_used(t) <= cap);
	}
	assert_true(st.ip_frag_dropped >= 16);
	assert_int_equal(ss_frag_pending(t), 20 - st.ip_frag_dropped);
	assert_null(offer(t, &st, SEC, 4, 1, &tail, &n));	/* evicted */
	uint8_t *buf = offer(t, &st, SEC, 4, 20, &tail, &n);	/* newest */
	assert_non_null(buf);
	assert_int_equal(n, 4008);
	assert_reference(buf, n, 20);
	free(buf);
	/* A datagram larger than the whole cap is refused, not kept. */
	const struct frag big = { 0, 32000, M, 0 };
	uint64_t before = st.ip_frag_dropped;
	assert_null(offer(t, &st, SEC, 4, 99, &big, &n));
	assert_true(st.ip_frag_dropped > before);
	assert_true(ss_frag_mem_used(t) <= cap);
	ss_frag_free(t);
}

/* Many datagrams interleaved, of both families, all complete. */
static void test_many_concurrent(void **state)
{
	struct ss_frag_table *t = ss_frag_new(0);
	struct ss_decode_stats st = { 0 };
	const struct frag parts[3] = { { 16, 16, M, 0 }, { 32, 5, L, 0 },
				       { 0, 16, M, 0 } };
	size_t done = 0, n;
	for (size_t p = 0; p < 3; p++) {
		for (uint32_t id = 0; id < 600; id++) {
			uint8_t fam = id % 2 ? 6 : 4;
			uint8_t *buf = offer(t, &st, SEC, fam, id, &parts[p],
					     &n);
			if (!buf)
				continue;
			assert_int_equal(n, 37);
			assert_reference(buf, n, id);
			free(buf);
			done++;
		}
	}
	assert_int_equal(done, 600);
	assert_int_equal(ss_frag_pending(t), 0);
	assert_int_equal(ss_frag_mem_used(t), 0);
	ss_frag_free(t);
}

/* ------------------------------------------------------------------
 * End to end: fragments in frames through ss_decode_frame.
 */
struct sink {
	size_t n;
	bool reassembled;
	uint16_t sport, dport;
	uint8_t l4;
	char data[128];
};

static void on_payload(void *user, const struct ss_pktinfo *pi,
		       const uint8_t *p, size_t len)
{
	struct sink *s = user;
	s->n++;
	s->reassembled = pi->reassembled;
	s->sport = pi->src.port;
	s->dport = pi->dst.port;
	s->l4 = pi->l4;
	size_t k = len < sizeof s->data - 1 ? len : sizeof s->data - 1;
	memcpy(s->data, p, k);
	s->data[k] = '\0';
}

static size_t put(uint8_t *b, size_t at, const void *p, size_t n)
{
	memcpy(b + at, p, n);
	return at + n;
}

/* A raw IPv4 fragment (DLT_RAW) of a UDP datagram "udp" at 'off'. */
static size_t ip4_frag(uint8_t *b, const uint8_t *udp, size_t udplen,
		       size_t off, size_t len, bool more)
{
	size_t total = 20 + len;
	uint16_t fo = (uint16_t)(off / 8 | (more ? 0x2000 : 0));
	const uint8_t h[20] = { 0x45, 0, (uint8_t)(total >> 8),
				(uint8_t)total, 0x12, 0x34,
				(uint8_t)(fo >> 8), (uint8_t)fo, 64, 17, 0, 0,
				10, 0, 0, 1, 10, 0, 0, 2 };
	assert_true(off + len <= udplen);
	return put(b, put(b, 0, h, 20), udp + off, len) ;
}

static void decode(struct ss_decoder *d, int dlt, const uint8_t *f,
		   size_t n, size_t caplen)
{
	struct guard g = { 0 };
	struct ss_pktinfo pi = { .ts_ns = SEC, .frame = 1 };
	const uint8_t *p = guard_copy(&g, f, caplen < n ? caplen : n);
	ss_decode_frame(d, &pi, dlt, p, caplen < n ? caplen : n);
	guard_release(&g);
}

static void test_frames_ipv4(void **state)
{
	static const char msg[] = "MESSAGE sip:b SIP/2.0\r\nl: 0\r\n\r\n";
	uint8_t udp[8 + sizeof msg - 1] = { 0x13, 0xC4, 0x13, 0xC5,
					    0, sizeof udp, 0, 0 };
	uint8_t f[128];
	struct sink s = { 0 };
	struct ss_decoder d;
	memcpy(udp + 8, msg, sizeof msg - 1);
	ss_decoder_init(&d, on_payload, &s, 0);
	/* A last fragment cut by the snap length is never stored: it would
	 * complete a datagram that is 3 bytes short. */
	size_t n = ip4_frag(f, udp, sizeof udp, 16, sizeof udp - 16, false);
	decode(&d, 12, f, n, n - 3);
	n = ip4_frag(f, udp, sizeof udp, 0, 16, true);
	decode(&d, 12, f, n, n);
	assert_int_equal(s.n, 0);
	n = ip4_frag(f, udp, sizeof udp, 16, sizeof udp - 16, false);
	decode(&d, 12, f, n, n);
	assert_int_equal(s.n, 1);
	assert_true(s.reassembled);
	assert_int_equal(s.l4, SS_L4_UDP);
	assert_int_equal(s.sport, 5060);
	assert_int_equal(s.dport, 5061);
	assert_string_equal(s.data, msg);
	assert_int_equal(d.st.ip_reassembled, 1);
	assert_int_equal(d.st.truncated, 1);
	ss_decoder_free(&d);
}

/* Linux cooked capture, IPv6 with a destination-options header before
 * the fragment header (the unfragmentable part) as sngrep's sample has. */
static size_t ip6_frag(uint8_t *b, const uint8_t *udp, size_t off,
		       size_t len, bool more)
{
	uint8_t sll[16] = { [2] = 0, [3] = 1, [5] = 6, [14] = 0x86,
			    [15] = 0xDD };
	uint8_t ip[40] = { 0x60, [4] = 0, [5] = (uint8_t)(16 + len),
			   [6] = 60, [7] = 64, [8] = 0x20, [9] = 0x01,
			   [23] = 1, [24] = 0x20, [25] = 0x01, [39] = 2 };
	uint8_t dst[8] = { 44, 0, 1, 4, 0, 0, 0, 0 };	/* PadN */
	uint16_t fo = (uint16_t)(off | (more ? 1 : 0));
	uint8_t fh[8] = { 17, 0, (uint8_t)(fo >> 8), (uint8_t)fo,
			  0xDE, 0xAD, 0xBE, 0xEF };
	size_t at = put(b, 0, sll, 16);
	at = put(b, at, ip, 40);
	at = put(b, at, dst, 8);
	at = put(b, at, fh, 8);
	return put(b, at, udp + off, len);
}

static void test_frames_ipv6(void **state)
{
	static const char msg[] = "INFO sip:b SIP/2.0\r\n\r\n";
	uint8_t udp[8 + sizeof msg - 1] = { 0x13, 0xC4, 0x13, 0xC4,
					    0, sizeof udp, 0, 0 };
	uint8_t f[160];
	struct sink s = { 0 };
	struct ss_decoder d;
	memcpy(udp + 8, msg, sizeof msg - 1);
	ss_decoder_init(&d, on_payload, &s, 0);
	size_t n = ip6_frag(f, udp, 16, sizeof udp - 16, false);
	decode(&d, 113, f, n, n);
	n = ip6_frag(f, udp, 0, 16, true);
	decode(&d, 113, f, n, n);
	assert_int_equal(s.n, 1);
	assert_true(s.reassembled);
	assert_string_equal(s.data, msg);
	assert_int_equal(d.st.ip_fragments, 2);
	/* One fragment left behind: freed with the decoder. */
	decode(&d, 113, f, n, n);
	assert_int_equal(ss_frag_pending(d.frags), 1);
	ss_decoder_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_memory_cap),
		cmocka_unit_test(test_many_concurrent),
		cmocka_unit_test(test_frames_ipv4),
		cmocka_unit_test(test_frames_ipv6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
