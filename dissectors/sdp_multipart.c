/*
 * sdp_multipart.c - find the application/sdp part of a multipart body
 * (RFC 2046 section 5.1.1; RFC 5621 for message bodies in SIP). SIP-T
 * (RFC 3372) INVITEs carry SDP next to an ISUP part this way; so do
 * emergency calls (PIDF-LO) and some SIPREC bodies.
 *
 * Lines are found by scanning for LF within the body; a CR before it is
 * part of the line end. Nothing is copied.
 */
#include <string.h>

#include "sdp.h"

/* multipart/mixed inside multipart/alternative is the deepest seen in
 * practice; the bound only keeps a hostile body from recursing far. */
#define MULTIPART_MAX_DEPTH 4

/* A line of [p, end) without its LF or CRLF; *next is where the next one
 * starts (end when there is none). */
static ss_str mp_line(const char *p, const char *end, const char **next)
{
	const char *q = memchr(p, '\n', (size_t)(end - p));
	const char *e = q ? q : end;
	*next = q ? q + 1 : end;
	if (e > p && e[-1] == '\r' && q)
		e--;
	return ss_str_make(p, (size_t)(e - p));
}

static bool istarts(ss_str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.len >= n && ss_str_ieq(ss_str_make(s.p, n), lit);
}

/* The boundary parameter of a Content-Type value, quotes removed. */
static bool get_boundary(ss_str ct, ss_str *b)
{
	const char *p = ct.p, *end = ct.p + ct.len;
	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		if (!semi)
			return false;
		p = semi + 1;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		ss_str rest = ss_str_make(p, (size_t)(end - p));
		if (!istarts(rest, "boundary"))
			continue;
		p += 8;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (p == end || *p != '=')
			continue;
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		const char *s = p;
		if (p < end && *p == '"') {
			s = ++p;
			while (p < end && *p != '"')
				p++;
			if (p == end)
				return false;	/* unterminated quote */
		} else {
			while (p < end && *p != ';' && *p != ' ' && *p != '\t')
				p++;
		}
		/* RFC 2046 5.1.1: 1 to 70 characters */
		*b = ss_str_make(s, (size_t)(p - s));
		return b->len >= 1 && b->len <= 70;
	}
	return false;
}

/* Is line a delimiter line "--boundary[--] LWSP"? */
static bool is_delim(ss_str line, ss_str b, bool *close)
{
	if (line.len < b.len + 2 || line.p[0] != '-' || line.p[1] != '-' ||
	    memcmp(line.p + 2, b.p, b.len) != 0)
		return false;
	size_t i = b.len + 2;
	*close = line.len >= i + 2 && line.p[i] == '-' && line.p[i + 1] == '-';
	if (*close)
		i += 2;
	for (; i < line.len; i++)	/* transport padding */
		if (line.p[i] != ' ' && line.p[i] != '\t')
			return false;
	return true;
}

/* The next delimiter line at or after p: *at is where its line starts,
 * *after where the part following it starts. */
static bool next_delim(const char *p, const char *end, ss_str b,
		       const char **at, const char **after, bool *close)
{
	while (p < end) {
		const char *next;
		ss_str line = mp_line(p, end, &next);
		if (is_delim(line, b, close)) {
			*at = p;
			*after = next;
			return true;
		}
		p = next;
	}
	return false;
}

/* The part's Content-Type value, and where its content starts. False
 * when the header block never ends. No Content-Type leaves *ct empty
 * (text/plain by default, RFC 2046 5.1). */
static bool part_headers(ss_str part, ss_str *ct, const char **content)
{
	const char *p = part.p, *end = part.p + part.len;
	*ct = SS_STR_NULL;
	while (p < end) {
		const char *next;
		ss_str line = mp_line(p, end, &next);
		if (line.len == 0 && next > p) {
			*content = next;
			return true;
		}
		if (istarts(line, "content-type")) {
			ss_str v = ss_str_make(line.p + 12, line.len - 12);
			v = ss_str_trim(v);
			if (v.len && v.p[0] == ':')
				*ct = ss_str_trim(ss_str_make(v.p + 1, v.len - 1));
		}
		p = next;
	}
	return false;
}

static bool is_type(ss_str ct, const char *type)
{
	size_t n = strlen(type);
	return istarts(ct, type) &&
	       (ct.len == n || ct.p[n] == ';' || ct.p[n] == ' ' ||
		ct.p[n] == '\t');
}

static bool search(ss_str body, ss_str ctype, ss_str *sdp, unsigned depth);

/* Look at one part: the SDP itself, or a nested multipart holding one. */
static bool check_part(ss_str part, ss_str *sdp, unsigned depth)
{
	ss_str ct;
	const char *content;
	if (!part_headers(part, &ct, &content))
		return false;
	ss_str c = ss_str_make(content,
			       (size_t)(part.p + part.len - content));
	if (is_type(ct, "application/sdp")) {
		*sdp = c;
		return true;
	}
	return istarts(ct, "multipart/") && search(c, ct, sdp, depth + 1);
}

static bool search(ss_str body, ss_str ctype, ss_str *sdp, unsigned depth)
{
	ss_str b;
	const char *at, *start;
	bool close = false;
	if (depth >= MULTIPART_MAX_DEPTH || !body.len ||
	    !istarts(ctype, "multipart/") || !get_boundary(ctype, &b))
		return false;
	const char *end = body.p + body.len;
	if (!next_delim(body.p, end, b, &at, &start, &close))
		return false;
	while (!close && start < end) {
		const char *pend = end, *next = end;
		bool more = next_delim(start, end, b, &at, &next, &close);
		if (more) {
			/* the line break before a delimiter belongs to it */
			pend = at;
			if (pend > start && pend[-1] == '\n')
				pend--;
			if (pend > start && pend[-1] == '\r')
				pend--;
		}
		ss_str part = ss_str_make(start, (size_t)(pend - start));
		if (check_part(part, sdp, depth))
			return true;
		if (!more)
			break;
		start = next;
	}
	return false;
}

bool sdp_find_in_multipart(ss_str body, ss_str content_type, ss_str *sdp)
{
	return search(body, ss_str_trim(content_type), sdp, 0);
}

static bool ct_is(ss_str ct, const char *lit, size_t n)
{
	return ct.len >= n && ss_str_ieq(ss_str_make(ct.p, n), lit);
}

bool sdp_in_body(ss_str content_type, ss_str body, ss_str *sdp)
{
	if (!body.len || !content_type.len)
		return false;
	if (ct_is(content_type, "application/sdp", 15)) {
		*sdp = body;
		return true;
	}
	return ct_is(content_type, "multipart/", 10) &&
	       sdp_find_in_multipart(body, content_type, sdp);
}
