/*
 * sip_int.h - internals of the SIP dissector, shared by sip.c (start
 * line and framing), sip_hdr.c (header names, URIs, name-addr, Via) and
 * sip_apply.c (values copied into struct sip_msg, fast paths). Not an
 * API: nothing outside dissectors/sip*.c includes it; sip.h is the
 * interface.
 *
 * The character classes of RFC 3261 25.1 and the bounded slice helpers
 * every parser here uses, as static inline functions: they are asked for
 * nearly every byte, so they must inline into each file's loops as they
 * did when each file had its own copy.
 */
#ifndef SS_SIP_INT_H
#define SS_SIP_INT_H

#include "sip.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The fast paths' helpers must inline into their one loop (their state
 * then stays in registers); GCC's size limits would otherwise keep some
 * out of line. The reverse for the per-header cases of a dispatch: kept
 * out of line, they do not load the dispatch itself with their register
 * saves. */
#if defined(__GNUC__)
#define SS_ALWAYS_INLINE inline __attribute__((always_inline))
#define SS_NOINLINE __attribute__((noinline))
#else
#define SS_ALWAYS_INLINE inline
#define SS_NOINLINE
#endif

/* ---- character classes ------------------------------------------------ */

/* token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" /
 * "'" / "~") (RFC 3261 25.1). A table: this is asked for every byte of
 * every header name and most values, and a lookup beats the branches. */
static const unsigned char token_tab[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static inline bool is_token(unsigned char c)
{
	return token_tab[c] != 0;
}

/* LWS includes CR and LF because folded values keep their CRLF WSP
 * (RFC 3261 7.3.1); a bare CR or LF cannot occur inside a value. */
static inline bool is_lws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ss_str_ieq() against a literal whose length is known at compile time:
 * the length test comes first and no strlen() runs. The parsers compare
 * scheme, parameter and header names for every message. */
static inline bool ieq_n(const char *a, const char *lit, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)lit[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}
#define IEQ(s, lit) \
	((s).len == sizeof(lit) - 1 && ieq_n((s).p, lit, sizeof(lit) - 1))

/* The n bytes at a (1 <= n <= 8, a compile-time constant) as a word, by
 * two fixed-size loads that overlap when n is not a power of two: a
 * memcpy of n bytes into a zeroed word went through the stack. */
static inline uint64_t load_n(const char *a, size_t n)
{
	if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, a, 4);
		memcpy(&hi, a + n - 4, 4);
		return lo | (uint64_t)hi << ((n - 4) * 8);
	}
	if (n >= 2) {
		uint16_t lo, hi;
		memcpy(&lo, a, 2);
		memcpy(&hi, a + n - 2, 2);
		return lo | (uint64_t)hi << ((n - 2) * 8);
	}
	return (unsigned char)a[0];
}

/* ieq_n() for a literal of 1 to 8 letters (nothing else): one word a side,
 * bit 5 forced on in every byte, which makes a byte equal the literal's
 * letter exactly when it is that letter in either case. With lit and n
 * constants only the loads of a are left. */
static inline bool ieq_alpha(const char *a, const char *lit, size_t n)
{
	uint64_t fold = UINT64_C(0x2020202020202020) >> ((8 - n) * 8);
	return (load_n(a, n) | fold) == (load_n(lit, n) | fold);
}
_Static_assert(sizeof(uint64_t) == 8, "word");
#define IEQ_ALPHA(s, lit) \
	((s).len == sizeof(lit) - 1 && sizeof(lit) - 1 <= 8 && \
	 ieq_alpha((s).p, lit, sizeof(lit) - 1))

/* ---- slice helpers ---------------------------------------------------- */

static inline ss_str sub(ss_str s, size_t a, size_t b)
{
	return ss_str_make(s.p ? s.p + a : NULL, b - a);
}

static inline bool all_digits(ss_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (!is_digit(s.p[i]))
			return false;
	return s.len > 0;
}

static inline size_t skip_lws(ss_str s, size_t i)
{
	while (i < s.len && is_lws(s.p[i]))
		i++;
	return i;
}

/* Index of the first c at or after i, or s.len. */
static inline size_t find_byte(ss_str s, size_t i, char c)
{
	if (i >= s.len)
		return s.len;
	const char *q = memchr(s.p + i, c, s.len - i);
	return q ? (size_t)(q - s.p) : s.len;
}

static inline bool has_lws(ss_str s)
{
	for (size_t i = 0; i < s.len; i++)
		if (is_lws(s.p[i]))
			return true;
	return false;
}

/* Index of the first non-token byte at or after i, or s.len. */
static inline size_t token_end(ss_str s, size_t i)
{
	while (i < s.len && is_token((unsigned char)s.p[i]))
		i++;
	return i;
}

/* display-name = *(token LWS) / quoted-string (RFC 3261 25.1). */
static inline bool display_tokens_ok(ss_str d)
{
	for (size_t i = 0; i < d.len; i++)
		if (!is_lws(d.p[i]) && !is_token((unsigned char)d.p[i]))
			return false;
	return true;
}

#if defined(__SSE2__)
/* A bit per byte of x that scan_stop() stops at. */
static inline unsigned stop_mask16(__m128i x, char a, char b, char c, char d,
				   char e)
{
	const __m128i sp = _mm_set1_epi8(0x21), DEL = _mm_set1_epi8(0x7f);
	__m128i m = _mm_or_si128(
		_mm_or_si128(_mm_cmplt_epi8(x, sp), _mm_cmpeq_epi8(x, DEL)),
		_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(a)),
					  _mm_cmpeq_epi8(x, _mm_set1_epi8(b))),
			     _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(c)),
					  _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(d)),
						       _mm_cmpeq_epi8(x, _mm_set1_epi8(e))))));
	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Index of the first byte of p[0..n) that is a control character, SP,
 * DEL or non-ASCII, or one of a..e; n if none. 16 bytes a step where
 * SSE2 is there: the fast paths (sip_apply.c) scan values with it instead of
 * testing each byte against each delimiter. */
static inline size_t scan_stop(const char *p, size_t n, char a, char b,
			       char c, char d, char e)
{
	size_t i = 0;
#if defined(__SSE2__)
	if (n >= 16) {
		for (;;) {
			if (i + 16 > n)
				i = n - 16;	/* overlap the last block */
			unsigned mask = stop_mask16(
				_mm_loadu_si128((const void *)(p + i)), a, b, c, d, e);
			if (mask)
				return i + (size_t)__builtin_ctz(mask);
			if (i + 16 >= n)
				return n;
			i += 16;
		}
	}
#endif
	for (; i < n; i++) {
		unsigned char x = (unsigned char)p[i];
		if (x < 0x21 || x >= 0x7f || x == (unsigned char)a ||
		    x == (unsigned char)b || x == (unsigned char)c ||
		    x == (unsigned char)d || x == (unsigned char)e)
			return i;
	}
	return n;
}

/* scan_stop() over p[0..n) when the bytes lo..p are readable too (p lies
 * in a slice that starts at lo): a short run, the usual case inside a
 * URI or a parameter, is then one 16-byte block that ends at p + n and
 * reaches back towards lo, never before it, instead of a byte loop. */
static inline size_t scan_stop_in(const char *lo, const char *p, size_t n,
				  char a, char b, char c, char d, char e)
{
#if defined(__SSE2__)
	if (n && n < 16 && (size_t)(p - lo) + n >= 16) {
		unsigned mask = stop_mask16(
			_mm_loadu_si128((const void *)(p + n - 16)), a, b, c, d, e);
		mask >>= 16 - n;
		return mask ? (size_t)__builtin_ctz(mask) : n;
	}
#else
	(void)lo;
#endif
	return scan_stop(p, n, a, b, c, d, e);
}

/* ---- one pass over a value ------------------------------------------- */

/* The bytes a fast path (sip_apply.c) has to decide on: controls, SP,
 * '!', '"', DEL, non-ASCII, ',' ':' ';' '<' '=' '>' '?' '@'. Every other
 * byte is a token character or one of # $ & ( ) / [ \\ ] ^ { | }, which
 * the token contexts (names, display tokens, transport) refuse
 * themselves with is_token(). '[' matters only where a host or a
 * parameter value starts (an IPv6 reference, a bracketed value) and the
 * fast paths test that byte itself; '\\' only inside quoted strings,
 * which they read apart or refuse: two ranges fewer per 16 bytes. One
 * set for every fast path: each value is scanned once, in 16-byte
 * blocks, instead of once per delimiter. '!' is a token character, rare
 * in SIP, there only because 0x00-0x22 is one compare where 0x00-0x20
 * and '"' were two: a fast path that meets it gives the value to the
 * general parser. */
static inline bool is_special(unsigned char c)
{
	return c <= '"' || c >= 0x7f || c == ',' || (c >= ':' && c <= '@');
}

#if defined(__SSE2__)
static inline unsigned special_mask16(__m128i x)
{
	/* Signed compares on bytes moved so that each range starts at -128:
	 * x + 1 puts DEL and non-ASCII below 0 next to 0x00-0x22; ':'..'@'
	 * gets an add of its own. */
	const __m128i lo = _mm_cmplt_epi8(_mm_add_epi8(x, _mm_set1_epi8(1)),
					  _mm_set1_epi8('"' + 2));
	const __m128i r1 = _mm_cmplt_epi8(
		_mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - ':'))),
		_mm_set1_epi8((char)(-128 + '@' - ':' + 1)));
	const __m128i comma = _mm_cmpeq_epi8(x, _mm_set1_epi8(','));
	return (unsigned)_mm_movemask_epi8(
		_mm_or_si128(_mm_or_si128(lo, comma), r1));
}
#endif

/* Bit j set when p[base + j] is special, for the bytes of p[base..n)
 * within 64 of base; base < n. Blocks of 16 bytes, the last one loaded
 * as the 16 bytes that end the window (reaching back inside p[0..n),
 * never outside it); a slice shorter than 16 bytes byte by byte.
 * sip_apply.c: one call covers most values whole. */
uint64_t sip_special_window(const char *p, size_t n, size_t base);

/* Straight-line code, no loop: a whole window of four blocks, or up to
 * three and the tail (the last 16 bytes of the slice, shifted). */
static SS_ALWAYS_INLINE uint64_t special_window(const char *p, size_t n,
						size_t base)
{
	size_t left = n - base;
	const char *q = p + base;
#if defined(__SSE2__)
#define MASK(at) ((uint64_t)special_mask16(_mm_loadu_si128((const void *)(at))))
	if (left >= 64)
		return MASK(q) | MASK(q + 16) << 16 | MASK(q + 32) << 32 |
		       MASK(q + 48) << 48;
	if (n >= 16) {
		uint64_t m = 0;
		size_t i = 0;
		if (left >= 16) {
			m = MASK(q);
			i = 16;
			if (left >= 32) {
				m |= MASK(q + 16) << 16;
				i = 32;
				if (left >= 48) {
					m |= MASK(q + 32) << 32;
					i = 48;
				}
			}
		}
		if (i < left)
			m |= MASK(p + n - 16) >> (16 - (left - i)) << i;
		return m;
	}
#undef MASK
#endif
	uint64_t m = 0;
	for (size_t i = 0; i < left && i < 64; i++)
		if (is_special((unsigned char)q[i]))
			m |= UINT64_C(1) << i;
	return m;
}

/* The specials of a slice in order: vscan_next() returns the index of
 * the next one, or n (every call after that too). Small enough to live
 * in registers in the fast paths' loops; a window refills per 64 bytes. */
struct vscan {
	const char *p;
	size_t n, base;
	uint64_t mask;		/* specials at base + bit not yet returned */
};

/* The scan from v.p[at] on, at < v.len, for a prefix v.p[0..at) the
 * caller has compared already (its specials are not returned), so that
 * the first window reaches further. */
static SS_ALWAYS_INLINE void vscan_init_at(struct vscan *s, ss_str v,
					   size_t at)
{
	s->p = v.p;
	s->n = v.len;
	s->base = at;
	/* inline: the first window is all most values need, and the call
	 * and its constants cost a third of it */
	s->mask = special_window(v.p, v.len, at);
}

static SS_ALWAYS_INLINE void vscan_init(struct vscan *s, ss_str v)
{
	if (v.len)
		vscan_init_at(s, v, 0);
	else
		*s = (struct vscan){ v.p, 0, 0, 0 };
}

static SS_ALWAYS_INLINE size_t vscan_next(struct vscan *s)
{
	while (!s->mask) {
		if (s->n - s->base <= 64) {
			s->base = s->n;
			return s->n;
		}
		s->base += 64;
		s->mask = sip_special_window(s->p, s->n, s->base);
	}
	size_t k = s->base + (unsigned)__builtin_ctzll(s->mask);
	s->mask &= s->mask - 1;
	return k;
}

/* The names nearly every message carries (Via, From, To, Call-ID, CSeq,
 * Contact, Content-Length, ...), long forms, case-insensitively, by
 * length before sip_hdr_lookup()'s table: its hash and chain walk cost
 * more than the rest of the line's splitting. p[0..n) must be readable;
 * SIP_H__COUNT when not one of these. The ids are the table's
 * (tests/test_sip.c compares the two). Every name it knows is letters
 * and '-' only, so a match is also a token. */
enum sip_hdr_id sip_hdr_common(const char *p, size_t n);

/* The usual shape of a SIP URI (sip: or sips:, no LWS, controls,
 * non-ASCII, '?', '[' or '"', a host, at most 8 of '@' ':' ';'), split
 * as sip_parse_uri() splits it, which would find nothing malformed in
 * it; false for anything else, leaving out->uri, scheme, user, host,
 * port, params and headers partly written (the caller resets them before
 * the general parser runs). sip_apply.c; sip.c uses it for the
 * Request-URI. */
bool sip_uri_fast(ss_str u, struct sip_nameaddr *out);

/* ---- lists ------------------------------------------------------------ */

/* End of the list element that starts at s.p[i] (sip_hdr.c). */
size_t sip_elem_end(ss_str s, size_t i, bool *bad);

#endif
