/* test_pcapmap.c - reading a pcap file through the mapping (pcapmap.h)
 * gives the same frames, the same damage flag and the same warnings as
 * reading it through libpcap alone, for clean files in every byte order
 * and timestamp unit and for each kind of damage the mapping leaves to
 * libpcap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "capture.h"
#include "pcapmap.h"

/* ---- writing test files ----------------------------------------------- */

struct fbuf {
	uint8_t b[8192];
	size_t n;
	bool swap;
};

static void put32(struct fbuf *f, uint32_t v)
{
	if (f->swap)
		v = __builtin_bswap32(v);
	memcpy(f->b + f->n, &v, 4);
	f->n += 4;
}

static void put16(struct fbuf *f, uint16_t v)
{
	if (f->swap)
		v = __builtin_bswap16(v);
	memcpy(f->b + f->n, &v, 2);
	f->n += 2;
}

static void file_hdr(struct fbuf *f, bool swap, bool nsec, uint16_t minor,
		     uint32_t snaplen)
{
	f->n = 0;
	f->swap = swap;
	put32(f, nsec ? 0xa1b23c4du : 0xa1b2c3d4u);
	put16(f, 2);
	put16(f, minor);
	put32(f, 0);
	put32(f, 0);
	put32(f, snaplen);
	put32(f, 1);		/* Ethernet */
}

static void rec(struct fbuf *f, uint32_t sec, uint32_t frac, uint32_t caplen,
		uint32_t len, size_t bytes)
{
	put32(f, sec);
	put32(f, frac);
	put32(f, caplen);
	put32(f, len);
	for (size_t i = 0; i < bytes; i++)
		f->b[f->n++] = (uint8_t)(i * 7 + caplen);
}

static char *write_file(const struct fbuf *f)
{
	char *path = strdup("/tmp/test_pcapmap.XXXXXX");
	assert_non_null(path);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->b, f->n), (ssize_t)f->n);
	close(fd);
	return path;
}

/* ---- reading them both ways --------------------------------------------- */

struct run {
	int64_t ts[64];
	size_t caplen[64], wirelen[64];
	uint32_t sum[64];
	size_t n;
	bool damaged;
	char warn[512];
};

static void on_warn(void *user, const char *fmt, ...)
{
	struct run *r = user;
	va_list ap;
	va_start(ap, fmt);
	size_t n = strlen(r->warn);
	vsnprintf(r->warn + n, sizeof r->warn - n, fmt, ap);
	va_end(ap);
}

static void read_all(const char *path, bool map, struct run *r)
{
	memset(r, 0, sizeof *r);
	struct ss_capture *c = ss_capture_new(on_warn, r, NULL);
	ss_capture_set_mmap(c, map);
	char err[256];
	assert_true(ss_capture_add_file(c, path, NULL, err, sizeof err));
	struct ss_frame f;
	while (ss_capture_next(c, &f) == 1) {
		assert_true(r->n < 64);
		r->ts[r->n] = f.ts_ns;
		r->caplen[r->n] = f.caplen;
		r->wirelen[r->n] = f.wirelen;
		uint32_t s = 0;
		for (size_t i = 0; i < f.caplen; i++)
			s = s * 31 + f.data[i];
		r->sum[r->n++] = s;
	}
	r->damaged = ss_capture_damaged(c);
	ss_capture_free(c);
}

/* Both readers agree; returns the frame count for the case's own check. */
static size_t same_both_ways(const struct fbuf *f)
{
	char *path = write_file(f);
	struct run a, b;
	read_all(path, false, &a);
	read_all(path, true, &b);
	unlink(path);
	free(path);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++) {
		assert_int_equal(a.ts[i], b.ts[i]);
		assert_int_equal(a.caplen[i], b.caplen[i]);
		assert_int_equal(a.wirelen[i], b.wirelen[i]);
		assert_int_equal(a.sum[i], b.sum[i]);
	}
	assert_int_equal(a.damaged, b.damaged);
	assert_string_equal(a.warn, b.warn);
	return a.n;
}

/* ---- cases -------------------------------------------------------------- */

static void three_records(struct fbuf *f)
{
	rec(f, 1700000000, 5, 60, 60, 60);
	rec(f, 1700000001, 999999, 42, 1500, 42);
	rec(f, 1700000002, 0, 0, 0, 0);
}

static void test_clean(void **s)
{
	(void)s;
	struct fbuf f;
	for (int swap = 0; swap < 2; swap++)
		for (int nsec = 0; nsec < 2; nsec++) {
			file_hdr(&f, swap, nsec, 4, 65535);
			three_records(&f);
			assert_int_equal(same_both_ways(&f), 3);
		}
	file_hdr(&f, false, false, 4, 65535);	/* no records at all */
	assert_int_equal(same_both_ways(&f), 0);
}

static void test_clean_values(void **s)
{
	(void)s;
	struct fbuf f;
	file_hdr(&f, true, false, 4, 65535);
	three_records(&f);
	char *path = write_file(&f);
	struct run r;
	read_all(path, true, &r);
	/* the mapping itself takes all three, and stops at the end */
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	struct ss_pcapmap *m = ss_pcapmap_open(fileno(fp), 65535, 262144);
	assert_non_null(m);
	struct ss_pcapmap_rec x;
	for (int i = 0; i < 3; i++)
		assert_true(ss_pcapmap_next(m, &x));
	assert_false(ss_pcapmap_next(m, &x));
	assert_int_equal(ss_pcapmap_offset(m), f.n);
	ss_pcapmap_close(m);
	fclose(fp);
	unlink(path);
	free(path);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ts[0], INT64_C(1700000000) * 1000000000 + 5000);
	assert_int_equal(r.ts[1], INT64_C(1700000001) * 1000000000 + 999999000);
	assert_int_equal(r.caplen[1], 42);
	assert_int_equal(r.wirelen[1], 1500);
	assert_false(r.damaged);
	assert_string_equal(r.warn, "");
}

/* Each of these stops the mapping at the second record; libpcap reads on
 * from there, and must see exactly what it would have alone. */
static void test_left_to_libpcap(void **s)
{
	(void)s;
	static const struct {
		const char *name;
		uint32_t sec, frac, caplen, len;
		size_t bytes;
		bool then_clean;	/* a good record follows */
	} cases[] = {
		{ "caplen over snaplen", 1, 0, 200, 200, 200, true },
		{ "caplen over len", 1, 0, 50, 40, 50, true },
		{ "caplen over 256 KiB", 1, 0, 300000, 300000, 0, false },
		{ "truncated data", 1, 0, 60, 60, 20, false },
		{ "negative seconds", 0x80000000u, 0, 10, 10, 10, true },
		{ "usec out of range", 1, 1000000, 10, 10, 10, true },
		{ "usec far out of range", 1, 4000000000u, 10, 10, 10, true },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fbuf f;
		for (int swap = 0; swap < 2; swap++) {
			file_hdr(&f, swap, false, 4, 100);
			rec(&f, 1700000000, 1, 30, 30, 30);
			rec(&f, cases[i].sec, cases[i].frac, cases[i].caplen,
			    cases[i].len, cases[i].bytes);
			if (cases[i].then_clean)
				rec(&f, 1700000003, 3, 20, 20, 20);
			size_t n = same_both_ways(&f);
			if (n < 1)
				fail_msg("%s: first record lost", cases[i].name);
		}
	}
}

static void test_truncated_header(void **s)
{
	(void)s;
	struct fbuf f;
	for (size_t cut = 1; cut < 16; cut += 7) {
		file_hdr(&f, false, true, 4, 65535);
		three_records(&f);
		f.n -= cut;	/* the last record has no data: into its header */
		assert_int_equal(same_both_ways(&f), 2);
	}
}

static void test_other_version(void **s)
{
	(void)s;
	struct fbuf f;
	file_hdr(&f, false, false, 3, 65535);	/* 2.3: libpcap's quirks */
	three_records(&f);
	same_both_ways(&f);
	/* and the mapping refuses it itself */
	char *path = write_file(&f);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_null(ss_pcapmap_open(fileno(fp), 65535, 262144));
	fclose(fp);
	unlink(path);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_clean_values),
		cmocka_unit_test(test_left_to_libpcap),
		cmocka_unit_test(test_truncated_header),
		cmocka_unit_test(test_other_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
