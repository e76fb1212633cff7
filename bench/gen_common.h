/*
 * gen_common.h - what the benchmark capture generators (gencalls.c,
 * genrtp.c) share: a seeded splitmix64 generator, bounded text building,
 * Internet checksums and option parsing. Header-only (static inline) so
 * each generator stays one `cc` command. gen_prog names the program in
 * error messages; each generator defines it.
 */
#ifndef GEN_COMMON_H
#define GEN_COMMON_H

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

extern const char gen_prog[];

/* ---- splitmix64 -------------------------------------------------------- */

static inline uint64_t mix64(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* One independent stream per (domain, a, b); rng_init is each
 * generator's own (its salts keep the two programs' streams apart). */
typedef struct { uint64_t s; } rng_t;

static inline uint64_t rng_next(rng_t *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	uint64_t z = r->s;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static inline uint64_t rng_range(rng_t *r, uint64_t lo, uint64_t hi)
{
	return lo + rng_next(r) % (hi - lo + 1);
}

static inline double rng_unit(rng_t *r) /* (0, 1] */
{
	return ((rng_next(r) >> 11) + 1) * (1.0 / 9007199254740992.0);
}

static inline double rng_exp(rng_t *r, double mean)
{
	return -mean * log(rng_unit(r));
}

static inline void rng_hex(rng_t *r, char *out, int nhex)
{
	static const char hx[] = "0123456789abcdef";
	uint64_t v = 0;
	for (int i = 0; i < nhex; i++) {
		if (i % 16 == 0)
			v = rng_next(r);
		out[i] = hx[v & 15];
		v >>= 4;
	}
	out[nhex] = '\0';
}

/* ---- text --------------------------------------------------------------- */

typedef struct {
	char *p;
	size_t len, cap;
} sbuf_t;

__attribute__((format(printf, 2, 3)))
static inline void sb_printf(sbuf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->cap - b->len) {
		fprintf(stderr, "%s: message too long\n", gen_prog);
		exit(2);
	}
	b->len += (size_t)n;
}

static inline void ip_str(uint32_t ip, char *out)
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255,
		 ip & 255);
}

/* ---- packets ------------------------------------------------------------ */

static inline uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

static inline uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* ---- options ------------------------------------------------------------ */

static inline unsigned long parse_ul(const char *s, const char *what)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || !*s || *end) {
		fprintf(stderr, "%s: bad %s '%s'\n", gen_prog, what, s);
		exit(1);
	}
	return v;
}

#endif
