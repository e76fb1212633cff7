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
	return s->base + (unsigned)__builtin_ctzll(s->mask);
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

/* ---- header names --------------------------------------------------- */

#if defined(__SSE2__)
/*
 * The names a header line usually starts with, found without a branch on
 * the name's length (the switch of common_name() cost an indirect
 * mispredict nearly every line): a slot from the first two bytes, folded
 * to lower case, and the colon's position, then one 16-byte compare of
 * the line's first 16 bytes (ORed with 0x20) against the slot's name and
 * colon. A folded byte equals a name's letter exactly when it is that
 * letter in either case; '-' and ':' fold to themselves and only CR
 * (never in a split line) and 0x1A also fold to them, and a byte at the
 * colon's position is ':' itself. The multiplier makes the 60 keys below
 * land in distinct slots; a clash would be a second initialiser of one
 * slot, which -Woverride-init (-Wextra) reports. Replaces and Reply-To
 * share their key with Refer-To, Retry-After with Referred-By: they take
 * the general route, as every name not here does.
 */
#define NAME_SLOT(b0, b1, n) \
	(((((uint32_t)(b0) | (uint32_t)(b1) << 8) * UINT32_C(0x42a2d651)) >> 25) ^ \
	 (uint32_t)(n))
#define DGRAM_NAMES(N) \
	N('t', 'o', 2, "to:", SIP_H_TO) \
	N('v', 'i', 3, "via:", SIP_H_VIA) \
	N('f', 'r', 4, "from:", SIP_H_FROM) \
	N('c', 's', 4, "cseq:", SIP_H_CSEQ) \
	N('a', 'l', 5, "allow:", SIP_H_ALLOW) \
	N('s', 'e', 6, "server:", SIP_H_SERVER) \
	N('a', 'c', 6, "accept:", SIP_H_ACCEPT) \
	N('c', 'a', 7, "call-id:", SIP_H_CALL_ID) \
	N('c', 'o', 7, "contact:", SIP_H_CONTACT) \
	N('e', 'x', 7, "expires:", SIP_H_EXPIRES) \
	N('r', 'e', 7, "require:", SIP_H_REQUIRE) \
	N('s', 'u', 9, "supported:", SIP_H_SUPPORTED) \
	N('u', 's', 10, "user-agent:", SIP_H_USER_AGENT) \
	N('m', 'a', 12, "max-forwards:", SIP_H_MAX_FORWARDS) \
	N('c', 'o', 12, "content-type:", SIP_H_CONTENT_TYPE) \
	N('a', 'u', 13, "authorization:", SIP_H_AUTHORIZATION) \
	N('c', 'o', 14, "content-length:", SIP_H_CONTENT_LENGTH) \
	N('s', 'e', 15, "session-expires:", SIP_H_SESSION_EXPIRES) \
	N('v', ':', 1, "v:", SIP_H_VIA) \
	N('f', ':', 1, "f:", SIP_H_FROM) \
	N('t', ':', 1, "t:", SIP_H_TO) \
	N('i', ':', 1, "i:", SIP_H_CALL_ID) \
	N('m', ':', 1, "m:", SIP_H_CONTACT) \
	N('l', ':', 1, "l:", SIP_H_CONTENT_LENGTH) \
	N('c', ':', 1, "c:", SIP_H_CONTENT_TYPE) \
	N('k', ':', 1, "k:", SIP_H_SUPPORTED) \
	N('s', ':', 1, "s:", SIP_H_SUBJECT) \
	N('e', ':', 1, "e:", SIP_H_CONTENT_ENCODING) \
	N('o', ':', 1, "o:", SIP_H_EVENT) \
	N('u', ':', 1, "u:", SIP_H_ALLOW_EVENTS) \
	N('r', ':', 1, "r:", SIP_H_REFER_TO) \
	N('b', ':', 1, "b:", SIP_H_REFERRED_BY) \
	N('x', ':', 1, "x:", SIP_H_SESSION_EXPIRES) \
	N('y', ':', 1, "y:", SIP_H_IDENTITY) \
	N('a', ':', 1, "a:", SIP_H_ACCEPT_CONTACT) \
	N('j', ':', 1, "j:", SIP_H_REJECT_CONTACT) \
	N('d', ':', 1, "d:", SIP_H_REQUEST_DISPOSITION) \
	N('n', ':', 1, "n:", SIP_H_IDENTITY_INFO) \
	N('r', 'o', 5, "route:", SIP_H_ROUTE) \
	N('r', 'e', 12, "record-route:", SIP_H_RECORD_ROUTE) \
	N('e', 'v', 5, "event:", SIP_H_EVENT) \
	N('r', 'e', 6, "reason:", SIP_H_REASON) \
	N('d', 'a', 4, "date:", SIP_H_DATE) \
	N('r', 'e', 8, "refer-to:", SIP_H_REFER_TO) \
	N('r', 'e', 11, "referred-by:", SIP_H_REFERRED_BY) \
	N('r', 's', 4, "rseq:", SIP_H_RSEQ) \
	N('r', 'a', 4, "rack:", SIP_H_RACK) \
	N('p', 'r', 7, "privacy:", SIP_H_PRIVACY) \
	N('m', 'i', 6, "min-se:", SIP_H_MIN_SE) \
	N('a', 'l', 12, "allow-events:", SIP_H_ALLOW_EVENTS) \
	N('s', 'u', 7, "subject:", SIP_H_SUBJECT) \
	N('w', 'a', 7, "warning:", SIP_H_WARNING) \
	N('p', 'a', 4, "path:", SIP_H_PATH) \
	N('d', 'i', 9, "diversion:", SIP_H_DIVERSION) \
	N('c', 'a', 9, "call-info:", SIP_H_CALL_INFO) \
	N('p', 'r', 8, "priority:", SIP_H_PRIORITY) \
	N('x', '-', 9, "x-call-id:", SIP_H_X_CALL_ID) \
	N('x', '-', 5, "x-cid:", SIP_H_X_CID) \
	N('u', 'n', 11, "unsupported:", SIP_H_UNSUPPORTED) \
	N('m', 'i', 11, "min-expires:", SIP_H_MIN_EXPIRES)
/* A name and colon, lower case, zero-padded; which bytes of the compare
 * do not count (those past the colon; none of an empty slot's, whose
 * zeros no folded byte equals); the name's id. */
struct name_slot {
	_Alignas(16) char text[16];
	uint16_t free;
	uint8_t id;
};
#define NAME_INFO(b0, b1, n, s, id) \
	[NAME_SLOT(b0, b1, n)] = { s, (uint16_t)(0xfffeu << (n)), id },
static const struct name_slot name_slot[128] = { DGRAM_NAMES(NAME_INFO) };
_Static_assert(SIP_H__COUNT <= 255, "name_slot id");
#undef NAME_INFO

/* Whether the line's first 16 bytes, x, start with one of the table's
 * names and its colon, c being the first colon's position (16 when none
 * is among them); *id is then the name's. */
static inline bool table_name(__m128i x, size_t c, enum sip_hdr_id *id)
{
	__m128i f = _mm_or_si128(x, _mm_set1_epi8(0x20));
	uint32_t w = (uint32_t)_mm_extract_epi16(f, 0);
	const struct name_slot *e =
		&name_slot[((w * UINT32_C(0x42a2d651)) >> 25) ^ c];
	unsigned eq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		f, _mm_load_si128((const void *)e->text)));
	*id = (enum sip_hdr_id)e->id;
	return (eq | e->free) == 0xffffu;
}
#endif

/* Whether the line starts with one of the usual names and its colon,
 * which is then its first colon: *c is where, *id the name's. end: the
 * end of the datagram. */
static inline bool usual_name(ss_str l, const char *end, size_t *c,
			      enum sip_hdr_id *id)
{
#if defined(__SSE2__)
	if (end - l.p >= 16) {
		__m128i x = _mm_loadu_si128((const void *)l.p);
		*c = (unsigned)__builtin_ctz((unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(x, _mm_set1_epi8(':'))) | 1u << 16);
		return *c < l.len && table_name(x, *c, id);
	}
#endif
	*c = early_colon_in(l, end);
	if (*c < 2 || *c >= l.len)
		return false;
	*id = common_name(l.p, *c);
	return *id != SIP_H__COUNT;
}

/* "Known-Name: value" into *h, the name at the colon c and one of the
 * usual ones (usual_name()), as header_line() and the reference's trim
 * leave it: the usual one SP after the colon, then a byte above SP (no
 * LWS); anything else takes the loop. A line holds no CR or LF: only SP
 * or HTAB to trim. */
static inline void usual_header(struct sip_header *h, ss_str l, size_t c,
				enum sip_hdr_id id)
{
	const char *v = l.p + c + 1, *le = l.p + l.len;
	h->name = ss_str_make(l.p, c);
	h->id = id;
	if (c + 2 < l.len && *v == ' ' && (unsigned char)v[1] > ' ') {
		v++;	/* the usual: one SP, the value from a byte above SP */
	} else {
		if (v < le && *v == ' ')
			v++;
		while (v < le && is_wsp(*v))
			v++;
		if (v == le) {
			h->value = ss_str_make(v, 0);
			return;
		}
	}
	h->value = ss_str_make(v, (size_t)(le - v));
	if ((unsigned char)le[-1] <= ' ')
		h->value = ss_str_trim(h->value);
}

/* A continuation line, as add_line() takes it; the value it extends is
 * trimmed again (the reference trims every value once all lines are
 * split, and trimming a value as its line is split, then again when a
 * fold extends it, gives the same slice: only LWS is ever dropped, and a
 * fold only extends to the right). */
static void dgram_fold(struct sip_msg *m, ss_str l)
{
	sip_fold_line(m, l);
	if (m->nhdrs) {
		struct sip_header *h = &m->hdrs[m->nhdrs - 1];
		h->value = ss_str_trim(h->value);
	}
}

/*
 * The header lines from q, each split as it is found, up to the blank
 * line; m->nhdrs counts them. *hend: where the header block ends (past
 * the blank line; end when there is none, m flagged). bare_cr: the
 * start line ended in a bare CR (flagged with the lines' own). 0, or
 * SIP_PARSE_TOO_MANY when hdrs[0..cap) is full.
 */
static inline long dgram_lines(struct sip_msg *m, struct eolscan *s,
			       const char *q, size_t cap, bool bare_cr,
			       const char **hend)
{
	struct sip_header *hdrs = m->hdrs, *h = hdrs, *full = hdrs + cap;
	const char *end = s->end;
	bool complete = false, ended;
	ss_str l;
	*hend = end;
	while (q < end) {
		const char *e = eols_next(s, q), *next;
		if (end - e >= 2 && memcmp(e, "\r\n", 2) == 0) {
			/* the usual CRLF: eols_line()'s result, inline */
			s->mask &= s->mask - 1;
			s->mask &= s->mask - 1;
			next = e + 2;
			l = ss_str_make(q, (size_t)(e - q));
			if (e == q) {
				complete = true;
				*hend = next;
				break;
			}
		} else {
			next = eols_line(s, q, &l, &ended, &bare_cr);
			if (l.len == 0) {
				if (ended) {
					complete = true;
					*hend = next;
				}
				break;
			}
		}
		/* The usual line first: a name of the table starts with a
		 * letter, so the line is no continuation. m->nhdrs is
		 * written only where sip.c reads it. */
		size_t c;
		enum sip_hdr_id id;
		if (usual_name(l, end, &c, &id) && h != full) {
			usual_header(h++, l, c, id);
		} else {
			m->nhdrs = (size_t)(h - hdrs);
			if (is_wsp(l.p[0])) {
				dgram_fold(m, l);
			} else {
				if (h == full)
					return SIP_PARSE_TOO_MANY;
				sip_header_line_general(m, h, l);
				h->value = trim_value(h->value);
				h++;
			}
		}
		q = next;
	}
	size_t n = (size_t)(h - hdrs);
	m->nhdrs = n;
	if (!complete)
		sip_msg_flag(m, "header block not terminated");
	if (bare_cr)
		sip_msg_flag(m, "bare CR line end");
	return 0;
}

/* What sip_msg_finish_fast() needs to know of the headers. */
struct hdr_seen {
	uint64_t ids[2];	/* a bit per header id */
	const struct sip_header *ua, *srv;	/* the first of each */
};

/* The values, once all lines are split, as the reference applies them:
 * the splitting's reasons come before the values' ones. Only the ids
 * sip_msg_apply_fast() has work for are handed to it; the others are
 * only noted in *k. */
static inline void dgram_apply(struct sip_msg *m, struct hdr_seen *k)
{
	const struct sip_header *hdrs = m->hdrs;
	size_t n = m->nhdrs;	/* neither changes: kept out of memory */
	/* the rest of *k stays in memory across the calls: fewer
	 * registers to save */
	uint64_t seen = 0;	/* ids below 64 */
	k->ids[1] = 0;
	k->ua = k->srv = NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned id = (unsigned)hdrs[i].id;
		if (id >= 64) {	/* rare, from the general route: not applied */
			k->ids[1] |= UINT64_C(1) << (id & 63);
			continue;
		}
		uint64_t bit = UINT64_C(1) << id, rep = seen & bit;
		seen |= bit;
		if (SIP_FAST_APPLIED_IDS & bit)
			sip_msg_apply_fast(m, i, rep != 0);
		else if (id - SIP_H_USER_AGENT <= 1 && !rep)
			*(id == SIP_H_USER_AGENT ? &k->ua : &k->srv) = &hdrs[i];
	}
	k->ids[0] = seen;
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
	const char *p = buf + skip, *end = buf + len, *q, *hend;
	bool bare_cr = false, ended;
	struct eolscan s;
	ss_str l;
	eols_init(&s, p, buf, end);
	q = eols_line(&s, p, &l, &ended, &bare_cr);
	if (start_line_dgram(msg, l, end) < 0)
		return SIP_PARSE_MALFORMED;
	if (dgram_lines(msg, &s, q, cap, bare_cr, &hend) < 0)
		return SIP_PARSE_TOO_MANY;
	size_t hlen = (size_t)(hend - p);
	msg->head = ss_str_make(p, hlen);
	struct hdr_seen k;
	dgram_apply(msg, &k);
	long r = sip_frame_body(msg, buf, len, skip + hlen, SIP_FRAME_DATAGRAM);
	if (r < 0)
		return r;
	sip_msg_finish_fast(msg, k.ids, k.ua, k.srv);
	return r;
}

