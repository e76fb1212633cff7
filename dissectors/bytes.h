/*
 * bytes.h - bounded reads over packet data.
 *
 * Every dissector reads packet bytes only through a struct cursor, so a
 * length field in the packet can never move a read past the end of the
 * buffer it came from (the bug class behind sngrep's CVE-2023-31981/31982).
 * Each getter returns false and leaves the cursor unchanged when fewer bytes
 * remain than it needs; nothing here allocates or copies.
 */
#ifndef SS_BYTES_H
#define SS_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A zero-copy slice: a pointer into someone else's buffer plus a length.
 * Never NUL-terminated; p may be NULL only when len is 0. */
typedef struct ss_str {
	const char *p;
	size_t len;
} ss_str;

#define SS_STR_NULL ((ss_str){ NULL, 0 })

static inline ss_str ss_str_make(const char *p, size_t len)
{
	return (ss_str){ p, len };
}

static inline bool ss_str_eq(ss_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len == n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

/* ASCII case-insensitive comparison; locale never matters for SIP tokens. */
bool ss_str_ieq(ss_str s, const char *lit);
/* Case-insensitive search of lit inside s; returns offset or -1. */
long ss_str_ifind(ss_str s, const char *lit);
/* Strip leading/trailing SP, HTAB, CR and LF (so folded values trim cleanly). */
ss_str ss_str_trim(ss_str s);
/* Parse an unsigned decimal of the whole slice into *out; false on empty,
 * non-digit or a value above max. Inline for the short numbers every SIP
 * message has several of (ports, CSeq, Content-Length): 19 digits cannot
 * overflow 64 bits; ss_str_to_u64_long() takes longer ones. */
bool ss_str_to_u64_long(ss_str s, uint64_t max, uint64_t *out);
static inline bool ss_str_to_u64(ss_str s, uint64_t max, uint64_t *out)
{
	if (s.len == 0 || s.len > 19)
		return ss_str_to_u64_long(s, max, out);
	uint64_t v = 0;
	for (size_t i = 0; i < s.len; i++) {
		unsigned d = (unsigned char)s.p[i] - '0';
		if (d > 9)
			return false;
		v = v * 10 + d;
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

struct cursor {
	const uint8_t *p;
	const uint8_t *end;
};

static inline struct cursor cur_make(const void *p, size_t len)
{
	const uint8_t *b = p;
	return (struct cursor){ b, b + len };
}

static inline size_t cur_left(const struct cursor *c)
{
	return (size_t)(c->end - c->p);
}

static inline bool cur_skip(struct cursor *c, size_t n)
{
	if (cur_left(c) < n)
		return false;
	c->p += n;
	return true;
}

/* Hand out n bytes as a sub-cursor and advance past them. */
static inline bool cur_sub(struct cursor *c, size_t n, struct cursor *out)
{
	if (cur_left(c) < n)
		return false;
	*out = cur_make(c->p, n);
	c->p += n;
	return true;
}

static inline bool cur_u8(struct cursor *c, uint8_t *v)
{
	if (cur_left(c) < 1)
		return false;
	*v = c->p[0];
	c->p += 1;
	return true;
}

static inline bool cur_be16(struct cursor *c, uint16_t *v)
{
	if (cur_left(c) < 2)
		return false;
	*v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	c->p += 2;
	return true;
}

static inline bool cur_be32(struct cursor *c, uint32_t *v)
{
	if (cur_left(c) < 4)
		return false;
	*v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	     (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	return true;
}

static inline bool cur_le16(struct cursor *c, uint16_t *v)
{
	if (cur_left(c) < 2)
		return false;
	*v = (uint16_t)(c->p[1] << 8 | c->p[0]);
	c->p += 2;
	return true;
}

static inline bool cur_le32(struct cursor *c, uint32_t *v)
{
	if (cur_left(c) < 4)
		return false;
	*v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
	     (uint32_t)c->p[1] << 8 | c->p[0];
	c->p += 4;
	return true;
}

/* Peek without consuming; false when fewer than off+1 bytes remain. */
static inline bool cur_peek8(const struct cursor *c, size_t off, uint8_t *v)
{
	if (cur_left(c) <= off)
		return false;
	*v = c->p[off];
	return true;
}

#endif
