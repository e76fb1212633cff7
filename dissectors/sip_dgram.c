/*
 * sip_dgram.c - sip_parse() for a datagram (UDP, SCTP, WebSocket): one
 * pass over the lines, found from bit masks of CR and LF, with shortcuts
 * for the usual start lines and header names. Anything unusual goes to
 * the general readers of sip.c, and the results are sip_parse_ref()'s,
 * slice for slice and reason for reason (tests/test_sip_fast.c).
 *
 * Every read stays inside the datagram [buf, buf + len): a 16-byte load
 * at a line may reach into the lines after it, and the last 64-byte block
 * is read backwards from the end, never before buf.
 */
#include "sip_frame.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---- the usual start lines -------------------------------------------- */

/* Whether p[0..n) holds a NUL. A short run with 16 bytes readable up to
 * end (a status line's phrase, followed by the headers) is one load. */
static inline bool has_nul(const char *p, size_t n, const char *end)
{
#if defined(__SSE2__)
	if (n <= 16 && end - p >= 16) {
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const void *)p), _mm_setzero_si128()));
		return (mask & ((1u << n) - 1)) != 0;
	}
#else
	(void)end;
#endif
	return n && memchr(p, '\0', n) != NULL;
}

/* "SIP/2.0 NNN phrase", NNN from 100 to 699, no NUL: what status_line()
 * reads from it, with nothing to flag; false (nothing written) for any
 * other line. */
static bool status_line_fast(struct sip_msg *m, ss_str l, const char *end)
{
	const char *p = l.p;
	if (l.len < 11 || memcmp(p, "SIP/2.0 ", 8) != 0 || p[8] < '1' ||
	    p[8] > '6' || !is_digit(p[9]) || !is_digit(p[10]))
		return false;
	if (l.len > 11 && (p[11] != ' ' || has_nul(p + 12, l.len - 12, end)))
		return false;
	m->version = sub(l, 0, 7);
	m->status = (p[8] - '0') * 100 + (p[9] - '0') * 10 + (p[10] - '0');
	m->reason_phrase = l.len > 11 ? sub(l, 12, l.len) : sub(l, 11, 11);
	return true;
}

/* "METHOD uri SIP/2.0" with a known method, single SPs and a
 * Request-URI sip_uri_fast() takes (no LWS, no controls, so no NUL in the
 * line): what request_line() reads from it, with nothing to flag. False
 * for any other line, m->ruri reset as msg_init() left it. */
static bool request_line_fast(struct sip_msg *m, ss_str l)
{
	if (l.len < 16)
		return false;
	size_t i = method_sp(l.p), ue = l.len - 8;
	if (i > 9 || ue <= i + 1)
		return false;
	enum sip_method k = known_method(l.p, i);
	if (k == SIP_M_NONE || memcmp(l.p + ue, " SIP/2.0", 8) != 0)
		return false;
	ss_str uri = sub(l, i + 1, ue);
	if (!sip_uri_fast(uri, &m->ruri)) {
		memset(&m->ruri, 0, sizeof m->ruri);
		return false;
	}
	m->is_request = true;
	m->method_str = sub(l, 0, i);
	m->method = k;
	m->uri = uri;
	m->version = sub(l, ue + 1, l.len);
	return true;
}

/* start_line() for the datagram path: the usual shapes first. end: the
 * end of the datagram. */
static inline long start_line_dgram(struct sip_msg *m, ss_str l,
				    const char *end)
{
	if (status_line_fast(m, l, end) || request_line_fast(m, l))
		return 0;
	return sip_start_line(m, l, true);
}

_Static_assert(SIP_H__COUNT <= 128, "seen mask");
_Static_assert(SIP_H_SERVER == SIP_H_USER_AGENT + 1, "one compare for both");
_Static_assert(SIP_H_SESSION_EXPIRES < 64 && SIP_H_ALLOW < 64, "common ids");

/* ---- line ends, 64 bytes a step ------------------------------------- */

/*
 * The datagram path finds line ends from a bit per CR or LF over 64
 * bytes at a time instead of one scan per line (eol()): a header line is
 * ~40 bytes, so most lines end in the block already examined, and the
 * next line end is then a count of trailing zeros. The result is eol()'s
 * to the byte: the first CR or LF from the line's start decides.
 *
 * With SSE2 the bits are those of every byte up to CR (0x0D), LF among
 * them: one unsigned max and one compare a 16 bytes instead of two
 * compares and an or. The other bytes below 0x0E (HTAB, NUL, other
 * controls) are rare in a header block, and eols_line() skips their
 * bits.
 */
struct eolscan {
	const char *base;	/* the block mask describes */
	const char *lo, *end;	/* the slice; loads stay inside it */
	uint64_t mask;		/* a bit per CR or LF (and with SSE2 per
				 * other byte below 0x0E) in [base,
				 * base + 64), those before the current
				 * line cleared */
};

#if defined(__SSE2__)
static inline uint64_t crlf16(const char *p)
{
	const __m128i cr = _mm_set1_epi8('\r');
	__m128i x = _mm_loadu_si128((const void *)p);
	return (uint64_t)(unsigned)_mm_movemask_epi8(
		_mm_cmpeq_epi8(_mm_max_epu8(x, cr), cr));
}

static inline uint64_t crlf64(const char *p)
{
	return crlf16(p) | crlf16(p + 16) << 16 | crlf16(p + 32) << 32 |
	       crlf16(p + 48) << 48;
}
#endif

/* The CR/LF bits of [b, min(b + 64, end)) for the last, short block (for
 * every block without SSE2). It is read as the 64 bytes that end at end,
 * reaching back towards lo (never before it), and shifted down; only a
 * slice shorter than 64 bytes takes the byte loop. */
static uint64_t crlf_tail(const char *b, const char *lo, const char *end)
{
	size_t n = (size_t)(end - b);
#if defined(__SSE2__)
	if (end - lo >= 64)
		return crlf64(end - 64) >> (64 - n);
#else
	(void)lo;
	if (n > 64)
		n = 64;
#endif
	uint64_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (b[i] == '\r' || b[i] == '\n')
			m |= UINT64_C(1) << i;
	return m;
}

/* The whole blocks inline, the last one out of line. */
static inline uint64_t crlf_bits(const char *b, const char *lo,
				 const char *end)
{
#if defined(__SSE2__)
	if (end - b >= 64)
		return crlf64(b);
#endif
	return crlf_tail(b, lo, end);
}

static inline void eols_init(struct eolscan *s, const char *p,
			     const char *lo, const char *end)
{
	s->base = p;
	s->lo = lo;
	s->end = end;
	s->mask = crlf_bits(p, lo, end);
}

/* The first bit at or after q (end when none): q is the start of
 * the line after the last one returned, so at most the byte after that
 * line's end (its CRLF's LF) lies in a new block before q. */
static inline const char *eols_next(struct eolscan *s, const char *q)
{
	while (!s->mask) {
		if (s->end - s->base <= 64)
			return s->end;
		s->base += 64;
		s->mask = crlf_bits(s->base, s->lo, s->end);
		if (q > s->base)
			s->mask &= ~UINT64_C(0) << (q - s->base);
	}
	return s->base + __builtin_ctzll(s->mask);
}

/* The line at q, as line_at() and eol() split it: *l without its line
 * end; returns where the next line starts. *ended is false when no line
 * end was found (the line runs to end, a last CR, half a CRLF, dropped).
 * A lone CR, or a CR as the last byte, sets *bare_cr. */
static inline __attribute__((always_inline)) const char *eols_line(struct eolscan *s, const char *q,
				    ss_str *l, bool *ended, bool *bare_cr)
{
	const char *e;
	for (;;) {
		e = eols_next(s, q);
		s->mask &= s->mask - 1;
		if (s->end - e >= 2 && memcmp(e, "\r\n", 2) == 0) {	/* the usual */
			*l = ss_str_make(q, (size_t)(e - q));
			*ended = true;
			s->mask &= s->mask - 1;
			return e + 2;
		}
		if (e == s->end || *e == '\r' || *e == '\n')
			break;
		/* a control byte below CR inside the line */
	}
	*l = ss_str_make(q, (size_t)(e - q));
	*ended = true;
	if (e < s->end && *e == '\n')
		return e + 1;
	if (e + 1 < s->end) {	/* a CR with a byte after it, not LF */
		*bare_cr = true;
		return e + 1;
	}
	*ended = false;		/* no line end, or a CR as the last byte */
	if (e < s->end)
		*bare_cr = true;
	return s->end;
}

/* add_line() for the datagram path, which hands each value over trimmed:
 * the reference trims every value once all lines are split, and trimming
 * a value as its line is split, then again when a fold extends it, gives
 * the same slice (only LWS is ever dropped, and a fold only extends to
 * the right). False when the caller's array is full. */
static inline bool dgram_line(struct sip_msg *m, ss_str l, size_t cap,
			      const char *end)
{
	struct sip_header *h;
	if (is_wsp(l.p[0])) {
		sip_fold_line(m, l);
		if (m->nhdrs) {
			h = &m->hdrs[m->nhdrs - 1];
			h->value = ss_str_trim(h->value);
		}
		return true;
	}
	if (m->nhdrs == cap)
		return false;
	h = &m->hdrs[m->nhdrs++];
	size_t c = early_colon_in(l, end);
	if (c >= 2 && c < l.len) {
		enum sip_hdr_id id = common_name(l.p, c);
		if (id != SIP_H__COUNT) {
			/* The usual one SP after the colon, then a byte above
			 * SP (no LWS); anything else takes the loop. A line
			 * holds no CR or LF: only SP or HTAB to trim. */
			const char *v = l.p + c + 1, *le = l.p + l.len;
			if (v < le && *v == ' ')
				v++;
			if (v < le && (unsigned char)*v <= ' ')
				while (v < le && is_wsp(*v))
					v++;
			h->name = ss_str_make(l.p, c);
			h->value = ss_str_make(v, (size_t)(le - v));
			h->id = id;
			if (v < le && (unsigned char)le[-1] <= ' ')
				h->value = ss_str_trim(h->value);
			return true;
		}
	}
	sip_header_line_general(m, h, l);
	h->value = trim_value(h->value);
	return true;
}

/*
 * A datagram in one pass over its lines: the start line, then each header
 * line split as it is found, up to the blank line. Same results as
 * sip_parse_ref() (find_head(), then read_headers(), then has_bare_cr(),
 * each a pass of its own), which tests/test_sip_fast.c checks.
 */
long sip_parse_datagram(const char *buf, size_t len, size_t skip,
			struct sip_msg *msg, size_t cap)
{
	const char *p = buf + skip, *end = buf + len, *q, *hend = end;
	bool bare_cr = false, complete = false, ended;
	struct eolscan s;
	ss_str l;
	eols_init(&s, p, buf, end);
	q = eols_line(&s, p, &l, &ended, &bare_cr);
	if (start_line_dgram(msg, l, end) < 0)
		return SIP_PARSE_MALFORMED;
	while (q < end) {
		const char *next = eols_line(&s, q, &l, &ended, &bare_cr);
		if (l.len == 0) {
			if (ended) {
				complete = true;
				hend = next;
			}
			break;
		}
		if (!dgram_line(msg, l, cap, end))
			return SIP_PARSE_TOO_MANY;
		q = next;
	}
	if (!complete)
		sip_msg_flag(msg, "header block not terminated");
	if (bare_cr)
		sip_msg_flag(msg, "bare CR line end");
	size_t hlen = (size_t)(hend - p);
	msg->head = ss_str_make(p, hlen);
	uint64_t seen0 = 0, seen1 = 0;	/* a bit per header id */
	const struct sip_header *ua = NULL, *srv = NULL;
	/* Applied once all lines are split, as the reference does: the
	 * splitting's reasons come before the values' ones. The ids the
	 * shortcut names are all below 64. */
	for (size_t i = 0; i < msg->nhdrs; i++) {
		const struct sip_header *h = &msg->hdrs[i];
		unsigned id = (unsigned)h->id;
		uint64_t bit = UINT64_C(1) << (id & 63);
		bool rep;
		if (id < 64) {
			rep = (seen0 & bit) != 0;
			seen0 |= bit;
		} else {
			rep = (seen1 & bit) != 0;
			seen1 |= bit;
		}
		if (id - SIP_H_USER_AGENT <= 1 && !rep) {
			if (id == SIP_H_USER_AGENT)
				ua = h;
			else
				srv = h;
		}
		sip_msg_apply_fast(msg, i, rep);
	}
	long r = sip_frame_body(msg, buf, len, skip + hlen, SIP_FRAME_DATAGRAM);
	if (r < 0)
		return r;
	const uint64_t seen[2] = { seen0, seen1 };
	sip_msg_finish_fast(msg, seen, ua, srv);
	return r;
}

