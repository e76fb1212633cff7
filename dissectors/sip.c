/*
 * sip.c - SIP start line, header framing and message framing (RFC 3261
 * sections 7, 18.3 and 25), the method table and port-independent
 * detection. Header field values are read in sip_hdr.c and sip_apply.c;
 * the helpers they share with this file are in sip_int.h.
 *
 * The contract is picohttpparser's (see sip.h): slices into the caller's
 * buffer, the caller's header array, no allocation, no NUL needed. Every
 * read is bounded by [buf, buf + len): lines are found by scanning for CR and LF over the
 * bytes that remain, never with string functions that look for a NUL.
 */
#include "sip_int.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---- methods ---------------------------------------------------------- */

static const struct {
	const char *name;
	size_t len;
	enum sip_method m;
} methods[] = {
#define M(n, e) { n, sizeof(n) - 1, e }
	M("INVITE", SIP_M_INVITE),	/* RFC 3261 */
	M("ACK", SIP_M_ACK),
	M("BYE", SIP_M_BYE),
	M("CANCEL", SIP_M_CANCEL),
	M("REGISTER", SIP_M_REGISTER),
	M("OPTIONS", SIP_M_OPTIONS),
	M("PRACK", SIP_M_PRACK),	/* RFC 3262 */
	M("SUBSCRIBE", SIP_M_SUBSCRIBE),	/* RFC 6665 */
	M("NOTIFY", SIP_M_NOTIFY),
	M("PUBLISH", SIP_M_PUBLISH),	/* RFC 3903 */
	M("INFO", SIP_M_INFO),		/* RFC 6086 */
	M("REFER", SIP_M_REFER),	/* RFC 3515 */
	M("MESSAGE", SIP_M_MESSAGE),	/* RFC 3428 */
	M("UPDATE", SIP_M_UPDATE),	/* RFC 3311 */
#undef M
};

#define NMETHODS (sizeof methods / sizeof methods[0])

const char *sip_method_name(enum sip_method m)
{
	for (size_t i = 0; i < NMETHODS; i++)
		if (methods[i].m == m)
			return methods[i].name;
	return "";
}

/* Methods are case-sensitive (RFC 3261 7.1): "invite" is an extension.
 * An empty slice or one with non-token characters is no method at all
 * and maps to SIP_M_NONE. */
/* The method names by length, compared with constant-size memcmp()s the
 * compiler turns into a load or two; a known name is letters only, so
 * also a token. SIP_M_NONE when not one of them. */
static enum sip_method known_method(const char *p, size_t n)
{
#define IS(lit) (memcmp(p, lit, sizeof lit - 1) == 0)
	switch (n) {
	case 3:
		if (IS("ACK")) return SIP_M_ACK;
		if (IS("BYE")) return SIP_M_BYE;
		break;
	case 4: if (IS("INFO")) return SIP_M_INFO; break;
	case 5:
		if (IS("PRACK")) return SIP_M_PRACK;
		if (IS("REFER")) return SIP_M_REFER;
		break;
	case 6:
		if (IS("INVITE")) return SIP_M_INVITE;
		if (IS("CANCEL")) return SIP_M_CANCEL;
		if (IS("NOTIFY")) return SIP_M_NOTIFY;
		if (IS("UPDATE")) return SIP_M_UPDATE;
		break;
	case 7:
		if (IS("OPTIONS")) return SIP_M_OPTIONS;
		if (IS("PUBLISH")) return SIP_M_PUBLISH;
		if (IS("MESSAGE")) return SIP_M_MESSAGE;
		break;
	case 8: if (IS("REGISTER")) return SIP_M_REGISTER; break;
	case 9: if (IS("SUBSCRIBE")) return SIP_M_SUBSCRIBE; break;
	default: break;
	}
#undef IS
	return SIP_M_NONE;
}

enum sip_method sip_method_from(ss_str tok)
{
	if (tok.len == 0)
		return SIP_M_NONE;
	enum sip_method k = known_method(tok.p, tok.len);
	if (k != SIP_M_NONE)
		return k;
	for (size_t i = 0; i < tok.len; i++)
		if (!is_token((unsigned char)tok.p[i]))
			return SIP_M_NONE;
	for (size_t i = 0; i < NMETHODS; i++)
		if (methods[i].len == tok.len &&
		    memcmp(methods[i].name, tok.p, tok.len) == 0)
			return methods[i].m;
	return SIP_M_EXTENSION;
}

/* ---- helpers ---------------------------------------------------------- */

/* WSP = SP / HTAB (RFC 3261 25.1); is_lws() (sip_int.h) also takes CR
 * and LF. */
static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Where the line at p ends: LF, CRLF, or a CR followed by anything else.
 * Bare LF is tolerated (RFC 3261 7.5 is strict, real stacks are not), and
 * so is a lone CR, as Wireshark does, so a damaged message still splits
 * into its lines. A CR as the very last byte may be half a CRLF: not yet a
 * line end. Returns NULL when no line end is before end. */
static inline const char *find_crlf(const char *p, const char *end)
{
#if defined(__SSE2__)
	const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const void *)p);
		unsigned mask = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, lf)));
		if (mask)
			return p + __builtin_ctz(mask);
		p += 16;
	}
#endif
	while (p < end && *p != '\r' && *p != '\n')
		p++;
	return p;
}

static const char *eol(const char *p, const char *end, size_t *eol_len)
{
	/* One scan for the first CR or LF (16 bytes a step where SSE2 is
	 * there): the first CR before the first LF decides, so whichever of
	 * the two comes first does. This runs over every header byte of
	 * every message. */
	const char *q = find_crlf(p, end);
	if (q == end)
		return NULL;
	if (*q == '\n') {
		*eol_len = 1;
		return q;
	}
	if (q + 1 >= end)	/* half a CRLF at the end (then no LF) */
		return NULL;
	*eol_len = q[1] == '\n' ? 2 : 1;
	return q;
}

/* The line starting at p, without its line end. False when no line end
 * remains before end. */
static bool line_at(const char *p, const char *end, ss_str *line,
		    const char **next)
{
	size_t el;
	const char *e = eol(p, end, &el);
	if (!e)
		return false;
	*line = ss_str_make(p, (size_t)(e - p));
	*next = e + el;
	return true;
}

/* Length of the header block (start line to blank line inclusive). False
 * when the blank line is not in the n bytes; *hlen is then n. */
static bool find_head(const char *p, size_t n, size_t *hlen)
{
	const char *q = p, *end = p + n, *next;
	ss_str line;
	while (line_at(q, end, &line, &next)) {
		if (line.len == 0 && q != p) {
			*hlen = (size_t)(next - p);
			return true;
		}
		q = next;
	}
	*hlen = n;
	return false;
}

static void msg_init(struct sip_msg *m, struct sip_header *hdrs)
{
	memset(m, 0, sizeof *m);
	m->hdrs = hdrs;
	m->expires = -1;
	m->max_forwards = -1;
	m->content_length = -1;
	m->via.rport = -1;
}

/* ---- start line ------------------------------------------------------- */

/* SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT, "SIP" case-insensitive
 * (RFC 3261 7.1, 25.1). Returns the length of a version at p, or 0. */
static size_t version_len(const char *p, size_t n)
{
	size_t i = 4, d;
	if (n < 4 || !IEQ_ALPHA(ss_str_make(p, 3), "SIP") || p[3] != '/')
		return 0;
	for (d = i; i < n && is_digit(p[i]); i++)
		;
	if (i == d || i >= n || p[i] != '.')
		return 0;
	for (d = ++i; i < n && is_digit(p[i]); i++)
		;
	return i == d ? 0 : i;
}

/* RFC 3261 8.2.1 / 21.5.6: only 2.0 is understood; others still show. */
static void check_version(struct sip_msg *m, ss_str v)
{
	if (!IEQ(v, "SIP/2.0"))
		sip_msg_flag(m, "unsupported SIP version");
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase, the code
 * 3DIGIT from 100 to 699 (RFC 3261 7.2, 21); the phrase may be empty
 * (RFC 4475 3.1.1.13). A code of four or more digits is kept with status
 * 0 (RFC 4475 3.1.2.19). */
static long status_line(struct sip_msg *m, ss_str l)
{
	size_t sp = 0, d, e;
	while (sp < l.len && l.p[sp] != ' ')
		sp++;
	m->version = sub(l, 0, sp);
	for (d = sp; d < l.len && l.p[d] == ' '; d++)
		;
	for (e = d; e < l.len && is_digit(l.p[e]); e++)
		;
	if (e == d || (e < l.len && l.p[e] != ' ')) {
		m->malformed = "bad status line";
		return SIP_PARSE_MALFORMED;
	}
	check_version(m, m->version);
	if (d > sp + 1)
		sip_msg_flag(m, "extra whitespace in status line");
	uint64_t code = 0;
	if (e - d <= 3)
		(void)ss_str_to_u64(sub(l, d, e), 999, &code);
	m->status = (int)code;
	if (e - d != 3 || code < 100 || code > 699)
		sip_msg_flag(m, "status code out of range");
	/* a missing SP before an empty phrase is tolerated */
	m->reason_phrase = e < l.len ? sub(l, e + 1, l.len) : sub(l, e, e);
	return 0;
}

/* Checks on a Request-URI (RFC 3261 19.1.1 table: no headers in a
 * Request-URI; 25.1: no LWS, no <>; RFC 5118 4.2: IPv6 in []). */
static void request_uri(struct sip_msg *m, ss_str u, bool fast)
{
	/* The usual Request-URI takes sip_uri_fast(): it has no LWS, does
	 * not start with '<', holds no headers and sip_parse_uri() would
	 * flag nothing in it, so none of the checks below would say a
	 * thing. m->ruri is still as msg_init() left it. */
	if (fast) {
		if (sip_uri_fast(u, &m->ruri))
			return;
		memset(&m->ruri, 0, sizeof m->ruri);
	}
	for (size_t i = 0; i < u.len; i++)
		if (is_wsp(u.p[i]))
			sip_msg_flag(m, "Request-URI contains whitespace");
	if (u.len && u.p[0] == '<')
		sip_msg_flag(m, "Request-URI enclosed in <>");
	if (u.len == 0) {
		sip_msg_flag(m, "bad request line");
		return;
	}
	sip_msg_flag(m, sip_parse_uri(u, &m->ruri));
	if (m->ruri.headers.len &&
	    (IEQ_ALPHA(m->ruri.scheme, "sip") || IEQ_ALPHA(m->ruri.scheme, "sips")))
		sip_msg_flag(m, "headers in Request-URI");
}

/* Request-Line = Method SP Request-URI SP SIP-Version (RFC 3261 7.1),
 * single SPs only (RFC 4475 3.1.2.9, 3.1.2.10). A last word that does not
 * start with "SIP/" (HTTP/1.1, RTSP/1.0) means this is not SIP at all;
 * "SIP/" followed by anything but 2.0 is SIP with a version we do not
 * speak. */
static long request_line(struct sip_msg *m, ss_str l, bool fast)
{
	size_t i = 0;
	while (i < l.len && is_token((unsigned char)l.p[i]))
		i++;
	if (i == 0 || i == l.len || l.p[i] != ' ') {
		m->malformed = "bad request line";
		return SIP_PARSE_MALFORMED;
	}
	size_t u = i + 1, end = l.len, sp;
	if (end > u && is_wsp(l.p[end - 1]))
		sip_msg_flag(m, "trailing whitespace in request line");
	while (end > u && is_wsp(l.p[end - 1]))
		end--;
	for (sp = end; sp > u && !is_wsp(l.p[sp - 1]); sp--)
		;
	ss_str ver = sub(l, sp, end);
	if (sp > u && (ver.len < 4 || !IEQ(sub(ver, 0, 4), "SIP/"))) {
		m->malformed = "bad request line";
		return SIP_PARSE_MALFORMED;
	}
	m->is_request = true;
	m->method_str = sub(l, 0, i);
	m->method = sip_method_from(m->method_str);
	if (u < l.len && is_wsp(l.p[u]))
		sip_msg_flag(m, "extra whitespace in request line");
	if (sp == u) {		/* "INVITE sip:x": no version at all */
		sip_msg_flag(m, "missing SIP version");
		m->uri = sub(l, u, end);
		request_uri(m, m->uri, fast);
		return 0;
	}
	m->version = ver;
	check_version(m, ver);
	size_t ue = sp - 1;
	if (ue > u && is_wsp(l.p[ue - 1]))
		sip_msg_flag(m, "extra whitespace in request line");
	while (u < ue && is_wsp(l.p[u]))
		u++;
	while (ue > u && is_wsp(l.p[ue - 1]))
		ue--;
	m->uri = sub(l, u, ue);
	request_uri(m, m->uri, fast);
	return 0;
}

/* fast: sip_parse()'s datagram path, which may take the shortcuts of
 * sip_apply.c; the reference parser passes false. */
static long start_line(struct sip_msg *m, ss_str l, bool fast)
{
	/* A NUL cannot appear in any start-line element (RFC 3261 25.1);
	 * it marks a damaged or hostile message, flagged before anything
	 * else the line may also get wrong. */
	if (l.len && memchr(l.p, '\0', l.len))
		sip_msg_flag(m, "NUL byte in start line");
	if (version_len(l.p, l.len))
		return status_line(m, l);
	return request_line(m, l, fast);
}

/* ---- the usual start lines -------------------------------------------- */

/* Where the first SP is among p[0..16) (16 when none): the end of a known
 * method, the longest of which (SUBSCRIBE) has 9 letters. */
static inline size_t method_sp(const char *p)
{
#if defined(__SSE2__)
	unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		_mm_loadu_si128((const void *)p), _mm_set1_epi8(' ')));
	return mask ? (size_t)__builtin_ctz(mask) : 16;
#else
	size_t i = 0;
	while (i < 16 && p[i] != ' ')
		i++;
	return i;
#endif
}

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
	return start_line(m, l, true);
}

/* ---- header lines ----------------------------------------------------- */

/* field-name HCOLON field-value, HCOLON = *( SP / HTAB ) ":" SWS
 * (RFC 3261 7.3.1, 25.1). A line that breaks this is kept as a header
 * named by its text so nothing disappears. */
/* Where the colon is when it is among the first 16 bytes of l (where the
 * names sip_hdr_common() knows end); l.len otherwise. */
static inline size_t early_colon(ss_str l)
{
#if defined(__SSE2__)
	if (l.len >= 16) {
		__m128i x = _mm_loadu_si128((const void *)l.p);
		unsigned mask = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(x, _mm_set1_epi8(':')));
		return mask ? (size_t)__builtin_ctz(mask) : l.len;
	}
#endif
	const char *c = memchr(l.p, ':', l.len < 16 ? l.len : 16);
	return c ? (size_t)(c - l.p) : l.len;
}

static void header_line_general(struct sip_msg *m, struct sip_header *h,
				ss_str l);

/* The usual line, "Known-Name: value": a name sip_hdr_common() knows is
 * all token bytes and ends right at the colon, which is what the general
 * route would find, at a fraction of the cost. Inline in the line loop
 * (the call itself cost a tenth of it); anything else goes to
 * header_line_general(). */
static inline void header_line(struct sip_msg *m, struct sip_header *h,
			       ss_str l)
{
	size_t c = early_colon(l), j;
	if (c >= 2 && c < l.len) {
		enum sip_hdr_id id = sip_hdr_common(l.p, c);
		if (id != SIP_H__COUNT) {
			for (j = c + 1; j < l.len && is_wsp(l.p[j]); j++)
				;
			h->name = sub(l, 0, c);
			h->value = sub(l, j, l.len);
			h->id = id;
			return;
		}
	}
	header_line_general(m, h, l);
}

static void header_line_general(struct sip_msg *m, struct sip_header *h,
				ss_str l)
{
	size_t i = 0, j;
	while (i < l.len && is_token((unsigned char)l.p[i]))
		i++;
	for (j = i; j < l.len && is_wsp(l.p[j]); j++)
		;
	h->id = SIP_H_OTHER;
	if (i > 0 && j < l.len && l.p[j] == ':') {
		/* The usual SP after the colon is skipped here, so that the
		 * trim every value gets later finds nothing to do. */
		for (j++; j < l.len && is_wsp(l.p[j]); j++)
			;
		h->name = sub(l, 0, i);
		h->value = sub(l, j, l.len);
		h->id = sip_hdr_lookup_token(h->name);
		return;
	}
	const char *colon = memchr(l.p, ':', l.len);
	if (!colon) {
		sip_msg_flag(m, "header without colon");
		h->name = l;
		h->value = sub(l, l.len, l.len);
		return;
	}
	sip_msg_flag(m, "invalid header name");
	h->name = ss_str_trim(sub(l, 0, (size_t)(colon - l.p)));
	h->value = sub(l, (size_t)(colon - l.p) + 1, l.len);
}

/* A line starting with SP or HTAB continues the previous field (RFC
 * 3261 7.3.1); the value slice grows to cover it, CRLF included. */
static void fold(struct sip_msg *m, ss_str l)
{
	if (m->nhdrs == 0) {
		sip_msg_flag(m, "continuation line after start line");
		return;
	}
	struct sip_header *h = &m->hdrs[m->nhdrs - 1];
	h->value.len = (size_t)(l.p + l.len - h->value.p);
}

/* Header lines from q up to end (the blank line or the datagram's end). */
/* One non-empty header line: a continuation of the previous header
 * (folding, RFC 3261 7.3.1) or a new one. False when the caller's array
 * is full (SIP_PARSE_TOO_MANY). Shared by both header readers. */
static inline bool add_line(struct sip_msg *m, ss_str l, size_t cap)
{
	if (is_wsp(l.p[0])) {
		fold(m, l);
		return true;
	}
	if (m->nhdrs == cap)
		return false;
	header_line(m, &m->hdrs[m->nhdrs++], l);
	return true;
}

static long read_headers(struct sip_msg *m, const char *q, const char *end,
			 size_t cap)
{
	while (q < end) {
		ss_str l;
		const char *next;
		if (!line_at(q, end, &l, &next)) {
			size_t n = (size_t)(end - q);
			l = ss_str_make(q, n && q[n - 1] == '\r' ? n - 1 : n);
			next = end;
		}
		if (l.len == 0)
			break;
		if (!add_line(m, l, cap))
			return SIP_PARSE_TOO_MANY;
		q = next;
	}
	for (size_t i = 0; i < m->nhdrs; i++)
		m->hdrs[i].value = ss_str_trim(m->hdrs[i].value);
	return 0;
}

/* ---- framing ---------------------------------------------------------- */

/* Body and size (RFC 3261 18.3); see the framing notes in sip.h.
 * body_off counts from buf; returns the size or SIP_PARSE_PARTIAL. */
static long frame(struct sip_msg *m, const char *buf, size_t len,
		  size_t body_off, enum sip_framing fr)
{
	size_t avail = len - body_off, blen = avail;
	int64_t cl = m->content_length;
	if (fr == SIP_FRAME_DATAGRAM) {
		if (cl >= 0 && !m->content_length_bad) {
			if ((uint64_t)cl <= avail)
				blen = (size_t)cl;	/* RFC 4475 3.1.1.8 */
			else	/* RFC 4475 3.1.2.2 */
				sip_msg_flag(m, "Content-Length exceeds datagram");
		}
	} else {
		if (cl < 0) {
			if (!m->content_length_bad)
				sip_msg_flag(m, "missing Content-Length on stream");
			cl = 0;
		}
		if ((uint64_t)cl > avail)
			return SIP_PARSE_PARTIAL;
		blen = (size_t)cl;
	}
	m->body = ss_str_make(buf + body_off, blen);
	m->size = body_off + blen;
	return (long)m->size;
}

/* Only CRLFs: a keep-alive (RFC 5626 3.5.1). On a stream they are counted
 * with the message that follows. */
static long keepalive_only(struct sip_msg *m, size_t len,
			   enum sip_framing fr)
{
	if (fr == SIP_FRAME_STREAM)
		return SIP_PARSE_PARTIAL;
	m->malformed = len ? "keep-alive only" : "empty message";
	return SIP_PARSE_MALFORMED;
}

/* A stream whose header block is not complete yet: wait, unless what we
 * have already cannot start a SIP message. An unfinished first line is
 * rejected only if no ending could make start_line() accept it: a line
 * that begins with a SIP version always goes to status_line(), whatever
 * follows the version ("SIP/2.0x 200" is kept, flagged), so it must wait;
 * otherwise a method needs token characters up to its SP. Rejecting more
 * here than start_line() would makes the same message MALFORMED or not
 * depending on where a TCP segment happened to end. */
static long stream_incomplete(struct sip_msg *m, const char *p, size_t n)
{
	ss_str l;
	const char *next;
	struct sip_header *hdrs = m->hdrs;
	if (line_at(p, p + n, &l, &next)) {
		if (start_line(m, l, false) < 0)
			return SIP_PARSE_MALFORMED;
		msg_init(m, hdrs);
		return SIP_PARSE_PARTIAL;
	}
	if (version_len(p, n))
		return SIP_PARSE_PARTIAL;
	for (size_t i = 0; i < n && p[i] != ' '; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!is_token(c) && c != '/' && c != '\r') {
			m->malformed = "bad request line";
			return SIP_PARSE_MALFORMED;
		}
	}
	return SIP_PARSE_PARTIAL;
}

static bool has_bare_cr(const char *p, size_t n)
{
	/* memchr from CR to CR: a header block has one per line, and a byte
	 * loop here cost as much as the rest of the framing. */
	const char *q = p, *end = p + n;
	while (q < end && (q = memchr(q, '\r', (size_t)(end - q))) != NULL) {
		if (q + 1 == end || q[1] != '\n')
			return true;
		q += 2;
	}
	return false;
}

long sip_parse_ref(const char *buf, size_t len, enum sip_framing framing,
	       struct sip_msg *msg, struct sip_header *hdrs, size_t cap)
{
	size_t skip = 0, hlen;
	msg_init(msg, hdrs);
	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	msg->skipped = skip;
	if (skip == len)
		return keepalive_only(msg, len, framing);
	const char *p = buf + skip;
	bool complete = find_head(p, len - skip, &hlen);
	if (!complete && framing == SIP_FRAME_STREAM)
		return stream_incomplete(msg, p, len - skip);

	ss_str l;
	const char *next;
	if (!line_at(p, p + hlen, &l, &next)) {
		l = ss_str_make(p, hlen && p[hlen - 1] == '\r' ? hlen - 1 : hlen);
		next = p + hlen;
	}
	if (start_line(msg, l, false) < 0)
		return SIP_PARSE_MALFORMED;
	long r = read_headers(msg, next, p + hlen, cap);
	if (r < 0)
		return r;
	if (!complete)
		sip_msg_flag(msg, "header block not terminated");
	if (has_bare_cr(p, hlen))
		sip_msg_flag(msg, "bare CR line end");
	msg->head = ss_str_make(p, hlen);
	for (size_t i = 0; i < msg->nhdrs; i++)
		sip_msg_apply(msg, i);
	r = frame(msg, buf, len, skip + hlen, framing);
	if (r < 0)
		return r;
	sip_msg_finish(msg);
	return r;
}

/* A header value without LWS at either end needs no trimming, which is
 * most of them; ss_str_trim() for the rest. */
static inline ss_str trim_value(ss_str v)
{
	if (v.len && v.p[0] != ' ' && v.p[0] != '\t' && v.p[0] != '\r' &&
	    v.p[0] != '\n') {
		char c = v.p[v.len - 1];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return v;
	}
	return ss_str_trim(v);
}

#define SEEN_SET(s, id) ((s)[(unsigned)(id) >> 6] |= UINT64_C(1) << ((unsigned)(id) & 63))
#define SEEN_HAS(s, id) (((s)[(unsigned)(id) >> 6] >> ((unsigned)(id) & 63)) & 1)
_Static_assert(SIP_H__COUNT <= 128, "seen mask");

/* ---- line ends, 64 bytes a step ------------------------------------- */

/*
 * The datagram path finds line ends from a bit per CR or LF over 64
 * bytes at a time instead of one scan per line (eol()): a header line is
 * ~40 bytes, so most lines end in the block already examined, and the
 * next line end is then a count of trailing zeros. The result is eol()'s
 * to the byte: the first CR or LF from the line's start decides.
 */
struct eolscan {
	const char *base;	/* the block mask describes */
	const char *lo, *end;	/* the slice; loads stay inside it */
	uint64_t mask;		/* a bit per CR or LF in [base, base + 64),
				 * those before the current line cleared */
};

#if defined(__SSE2__)
static inline uint64_t crlf16(const char *p)
{
	__m128i x = _mm_loadu_si128((const void *)p);
	return (uint64_t)(unsigned)_mm_movemask_epi8(
		_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\r')),
			     _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))));
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

/* The first CR or LF at or after q (end when none): q is the start of
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
static inline const char *eols_line(struct eolscan *s, const char *q,
				    ss_str *l, bool *ended, bool *bare_cr)
{
	const char *e = eols_next(s, q);
	*ended = true;
	s->mask &= s->mask - 1;
	if (e < s->end && *e == '\n') {
		*l = ss_str_make(q, (size_t)(e - q));
		return e + 1;
	}
	if (e + 1 < s->end) {	/* a CR with a byte after it */
		*l = ss_str_make(q, (size_t)(e - q));
		if (e[1] == '\n') {
			s->mask &= s->mask - 1;
			return e + 2;
		}
		*bare_cr = true;
		return e + 1;
	}
	*ended = false;		/* no line end, or a CR as the last byte */
	if (e < s->end)
		*bare_cr = true;
	*l = ss_str_make(q, (size_t)(e - q));
	return s->end;
}

/*
 * A datagram in one pass over its lines: the start line, then each header
 * line split as it is found, up to the blank line. Same results as
 * sip_parse_ref() (find_head(), then read_headers(), then has_bare_cr(),
 * each a pass of its own), which tests/test_sip_fast.c checks.
 */
static long parse_datagram(const char *buf, size_t len, size_t skip,
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
		if (!add_line(msg, l, cap))
			return SIP_PARSE_TOO_MANY;
		q = next;
	}
	if (!complete)
		sip_msg_flag(msg, "header block not terminated");
	if (bare_cr)
		sip_msg_flag(msg, "bare CR line end");
	size_t hlen = (size_t)(hend - p);
	msg->head = ss_str_make(p, hlen);
	uint64_t seen[2] = { 0, 0 };
	const struct sip_header *ua = NULL, *srv = NULL;
	/* Each value is trimmed just before it is applied (a value is final
	 * once the lines are split: folding is done), one loop instead of
	 * two; applying a header reads no value after its own. */
	for (size_t i = 0; i < msg->nhdrs; i++) {
		struct sip_header *h = &msg->hdrs[i];
		h->value = trim_value(h->value);
		bool rep = SEEN_HAS(seen, h->id);
		SEEN_SET(seen, h->id);
		if (!rep) {
			if (h->id == SIP_H_USER_AGENT)
				ua = h;
			else if (h->id == SIP_H_SERVER)
				srv = h;
		}
		sip_msg_apply_fast(msg, i, rep);
	}
	long r = frame(msg, buf, len, skip + hlen, SIP_FRAME_DATAGRAM);
	if (r < 0)
		return r;
	sip_msg_finish_fast(msg, seen, ua, srv);
	return r;
}

long sip_parse(const char *buf, size_t len, enum sip_framing framing,
	       struct sip_msg *msg, struct sip_header *hdrs, size_t cap)
{
	if (framing != SIP_FRAME_DATAGRAM)
		return sip_parse_ref(buf, len, framing, msg, hdrs, cap);
	size_t skip = 0;
	msg_init(msg, hdrs);
	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	msg->skipped = skip;
	if (skip == len)
		return keepalive_only(msg, len, framing);
	return parse_datagram(buf, len, skip, msg, cap);
}

/* ---- detection -------------------------------------------------------- */

static bool is_version_word(const uint8_t *p, size_t n)
{
	return n && version_len((const char *)p, n) == n;
}

/* The usual start lines, "SIP/2.0 NNN" and "METHOD ... SIP/2.0" with a
 * known method, without the general checks of sip_looks_like(), which
 * would accept them too (no trailing whitespace to trim, a first word
 * that is no version). False means "ask the general checks". */
static bool looks_usual(const char *p, size_t n)
{
	if (n >= 11 && memcmp(p, "SIP/2.0 ", 8) == 0)
		return is_digit(p[8]) && is_digit(p[9]) && is_digit(p[10]);
	if (n < 16)
		return false;
	size_t i = method_sp(p);
	if (i > 9 || known_method(p, i) == SIP_M_NONE)
		return false;
	size_t ln = (size_t)(find_crlf(p, p + n) - p);
	return ln >= i + 9 && memcmp(p + ln - 8, " SIP/2.0", 8) == 0;
}

/*
 * Start-line shape only, any port: "SIP/d.d SP 3DIGIT" or "token SP ...
 * SP SIP/d.d". The version is checked for shape, not value, so SIP/7.0
 * still counts and the parser flags it (RFC 4475 3.1.2.16). HTTP, SSDP
 * (HTTPU) and RTSP end their request lines with HTTP/ or RTSP/ and start
 * their status lines with those, so they never match.
 *
 * Bytes before the method are not skipped (leading CRLFs aside): the
 * corpus's "junk before request" capture (zeek sip-junk-before-request)
 * turns out to carry its "DB" in the UDP checksum field, and its payload
 * starts with "REGISTER", which is why tshark shows a REGISTER; a payload
 * that really starts with junk is not taken for SIP.
 */
bool sip_looks_like(const uint8_t *buf, size_t len)
{
	size_t i = 0, n, sp, m;
	if (len == 0)
		return false;
	while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
		i++;
	/* Both shapes start with a token character ("SIP/" included): RTP
	 * (first byte 0x80) and most other binary UDP stop here, before the
	 * line is scanned, which matters on the per-packet media path. */
	if (i == len || !is_token(buf[i]))
		return false;
	const uint8_t *p = buf + i;
	if (looks_usual((const char *)p, len - i))
		return true;
	size_t el;
	const char *e = eol((const char *)p, (const char *)buf + len, &el);
	n = e ? (size_t)(e - (const char *)p) : len - i;
	if (n && p[n - 1] == '\r')
		n--;
	while (n && is_wsp((char)p[n - 1]))	/* RFC 4475 3.1.2.10 */
		n--;
	size_t v = n ? version_len((const char *)p, n) : 0;
	if (v)
		return n >= v + 4 && p[v] == ' ' && is_digit((char)p[v + 1]) &&
		       is_digit((char)p[v + 2]) && is_digit((char)p[v + 3]);
	for (m = 0; m < n && is_token(p[m]); m++)
		;
	if (m == 0 || m == n || p[m] != ' ')
		return false;
	for (sp = n; sp > m + 1 && p[sp - 1] != ' '; sp--)
		;
	return sp > m + 1 && is_version_word(p + sp, n - sp);
}
