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

/* ieq_n() for a literal of 1 to 8 letters (nothing else): one word a side,
 * bit 5 forced on in every byte, which makes a byte equal the literal's
 * letter exactly when it is that letter in either case. With lit and n
 * constants only the load of a is left. */
static inline bool ieq_alpha(const char *a, const char *lit, size_t n)
{
	uint64_t x = 0, y = 0, fold = 0;
	memcpy(&x, a, n);
	memcpy(&y, lit, n);
	memset(&fold, 32, n);
	return (x | fold) == (y | fold);
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
