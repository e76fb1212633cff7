/*
 * sip.c - SIP start line, header framing and message framing (RFC 3261
 * sections 7, 18.3 and 25), the method table and port-independent
 * detection. Header field values are read in sip_hdr.c and sip_apply.c;
 * the helpers they share with this file are in sip_int.h. The datagram
 * path of sip_parse() is sip_dgram.c, which falls back to the general
 * readers here (sip_frame.h).
 *
 * The contract is picohttpparser's (see sip.h): slices into the caller's
 * buffer, the caller's header array, no allocation, no NUL needed. Every
 * read is bounded by [buf, buf + len): lines are found by scanning for CR
 * and LF over the bytes that remain, never with string functions that
 * look for a NUL.
 */
#include "sip_frame.h"

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

#if defined(__SSE2__)
static inline void zero128(char *p)
{
	const __m128i z = _mm_setzero_si128();
	_mm_storeu_si128((void *)p, z);
	_mm_storeu_si128((void *)(p + 16), z);
	_mm_storeu_si128((void *)(p + 32), z);
	_mm_storeu_si128((void *)(p + 48), z);
	_mm_storeu_si128((void *)(p + 64), z);
	_mm_storeu_si128((void *)(p + 80), z);
	_mm_storeu_si128((void *)(p + 96), z);
	_mm_storeu_si128((void *)(p + 112), z);
}
#endif

/* All of *m zero, by 16-byte stores: the 1 KB memset() compiled to a
 * rep stos, an instruction per 8 bytes and a start-up cost, for every
 * datagram. Eight stores a step in a helper, as GCC turns a plainer loop
 * back into the rep stos. */
static inline void msg_zero(struct sip_msg *m)
{
#if defined(__SSE2__)
	_Static_assert(sizeof *m >= 128, "msg_zero");
	char *p = (char *)m;
	for (size_t i = 0; i + 128 <= sizeof *m; i += 128)
		zero128(p + i);
	zero128(p + sizeof *m - 128);	/* the rest, overlapping */
#else
	memset(m, 0, sizeof *m);
#endif
}

static void msg_init(struct sip_msg *m, struct sip_header *hdrs)
{
	msg_zero(m);
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
long sip_start_line(struct sip_msg *m, ss_str l, bool fast)
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

/* ---- header lines ----------------------------------------------------- */

/* field-name HCOLON field-value, HCOLON = *( SP / HTAB ) ":" SWS
 * (RFC 3261 7.3.1, 25.1). A line that breaks this is kept as a header
 * named by its text so nothing disappears. */
/* field-name HCOLON field-value, HCOLON = *( SP / HTAB ) ":" SWS
 * (RFC 3261 7.3.1, 25.1). A line that breaks this is kept as a header
 * named by its text so nothing disappears. */

/* The usual line, "Known-Name: value": a name sip_hdr_common() knows is
 * all token bytes and ends right at the colon, which is what the general
 * route would find, at a fraction of the cost. Inline in the line loop
 * (the call itself cost a tenth of it); anything else goes to
 * sip_header_line_general(). */
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
	sip_header_line_general(m, h, l);
}

void sip_header_line_general(struct sip_msg *m, struct sip_header *h,
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
void sip_fold_line(struct sip_msg *m, ss_str l)
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
		sip_fold_line(m, l);
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
long sip_frame_body(struct sip_msg *m, const char *buf, size_t len,
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
 * rejected only if no ending could make sip_start_line() accept it: a line
 * that begins with a SIP version always goes to status_line(), whatever
 * follows the version ("SIP/2.0x 200" is kept, flagged), so it must wait;
 * otherwise a method needs token characters up to its SP. Rejecting more
 * here than sip_start_line() would makes the same message MALFORMED or not
 * depending on where a TCP segment happened to end. */
static long stream_incomplete(struct sip_msg *m, const char *p, size_t n)
{
	ss_str l;
	const char *next;
	struct sip_header *hdrs = m->hdrs;
	if (line_at(p, p + n, &l, &next)) {
		if (sip_start_line(m, l, false) < 0)
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
	if (sip_start_line(msg, l, false) < 0)
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
	r = sip_frame_body(msg, buf, len, skip + hlen, framing);
	if (r < 0)
		return r;
	sip_msg_finish(msg);
	return r;
}

long sip_parse(const char *buf, size_t len, enum sip_framing framing,
	       struct sip_msg *msg, struct sip_header *hdrs, size_t cap)
{
	return sip_parse_hinted(buf, len, framing, msg, hdrs, cap, NULL);
}

long sip_parse_hinted(const char *buf, size_t len, enum sip_framing framing,
		      struct sip_msg *msg, struct sip_header *hdrs, size_t cap,
		      const struct sip_parse_hint *hint)
{
	if (framing != SIP_FRAME_DATAGRAM)
		return sip_parse_ref(buf, len, framing, msg, hdrs, cap);
	size_t skip = 0;
	msg_init(msg, hdrs);
	msg->hint = hint && hint->call_id ? hint : NULL;
	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	msg->skipped = skip;
	if (skip == len)
		return keepalive_only(msg, len, framing);
	return sip_parse_datagram(buf, len, skip, msg, cap);
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
