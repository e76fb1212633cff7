/*
 * sip_apply.c - the header values sip_parse copies into struct sip_msg
 * (RFC 3261 section 20: Via, From, To, Contact, Call-ID, CSeq,
 * Content-Length, Max-Forwards, Expires, Date, ...), the checks on the
 * message as a whole (header fields allowed once, 7.3.1; the mandatory
 * ones, 8.1.1 and 8.2.6.2), and the fast paths that read the usual
 * shapes of From, To, Contact and Via in one pass each.
 *
 * Apart from sip_hdr.c so that each file stays readable: sip_hdr.c holds
 * the general grammar-following parsers (sip_parse_via,
 * sip_parse_nameaddr, sip_parse_uri), this file decides which of them
 * runs for a header and what lands in the message. The helpers both use
 * are in sip_int.h. Like sip_hdr.c, nothing here copies, allocates or
 * needs a NUL: every value is a slice of the caller's buffer.
 */
#include "sip_frame.h"

#include <string.h>

/* ---- values copied into struct sip_msg ------------------------------- */

/* Count via-parms, comma-joined ones included; empty list elements are
 * not values (RFC 3261 7.3.1 allows none). */
static unsigned via_values(ss_str v)
{
	unsigned n = 0;
	size_t i = 0;
	bool bad = false;
	while (i <= v.len) {
		size_t e = sip_elem_end(v, i, &bad);
		if (ss_str_trim(sub(v, i, e)).len)
			n++;
		i = e + 1;
	}
	return n;
}

static void apply_via(struct sip_msg *m, ss_str v)
{
	if (!m->via.present && !m->via.malformed) {
		sip_parse_via(v, &m->via);
		sip_msg_flag(m, m->via.malformed);
	}
	m->via_count += via_values(v);
}

static void apply_nameaddr(struct sip_msg *m, struct sip_nameaddr *na,
			   ss_str v)
{
	sip_parse_nameaddr(v, na);
	sip_msg_flag(m, na->malformed);
}

/* Contact may list several values; the first is kept (RFC 3261 20.10). */
static void apply_contact(struct sip_msg *m, ss_str v)
{
	bool bad = false;
	size_t e = sip_elem_end(v, 0, &bad);
	if (bad) {
		sip_msg_flag(m, "unterminated quoted string");
		return;
	}
	apply_nameaddr(m, &m->contact, sub(v, 0, e));
}

/* CSeq = 1*DIGIT LWS Method; the number is 32 bits (RFC 3261 8.1.1.5),
 * and a request's CSeq method is its own (RFC 4475 3.1.2.17/18). */
static void apply_cseq(struct sip_msg *m, ss_str v)
{
	size_t i = 0;
	while (i < v.len && is_digit(v.p[i]))
		i++;
	size_t j = skip_lws(v, i), k = token_end(v, j);
	uint64_t n = 0;
	m->cseq_present = true;
	if (i == 0)
		sip_msg_flag(m, "non-numeric CSeq");
	else if (!ss_str_to_u64(sub(v, 0, i), UINT32_MAX, &n))
		sip_msg_flag(m, "CSeq number out of range");
	if (j == i || k == j || k != v.len)
		sip_msg_flag(m, "bad CSeq");
	m->cseq = (uint32_t)n;
	m->cseq_method_str = sub(v, j, k);
	m->cseq_method = sip_method_from(m->cseq_method_str);
	if (m->is_request && k > j &&
	    (m->cseq_method_str.len != m->method_str.len ||
	     memcmp(m->cseq_method_str.p, m->method_str.p, k - j) != 0))
		sip_msg_flag(m, "CSeq method does not match request method");
}

/* Content-Length = 1*DIGIT (RFC 3261 20.14); sipscope accepts up to
 * 2^32-1, more than any UDP datagram or sane TCP message carries. */
static void apply_content_length(struct sip_msg *m, ss_str v)
{
	uint64_t n;
	if (m->content_length >= 0 || m->content_length_bad ||
	    find_byte(v, 0, ',') < v.len) {
		m->content_length_bad = true;	/* RFC 4475 3.3.9 */
		sip_msg_flag(m, "multiple Content-Length values");
		return;
	}
	if (ss_str_to_u64(v, UINT32_MAX, &n)) {
		m->content_length = (int64_t)n;
		return;
	}
	m->content_length_bad = true;
	if (all_digits(v))
		sip_msg_flag(m, "Content-Length out of range");
	else if (v.len > 1 && v.p[0] == '-' && all_digits(sub(v, 1, v.len)))
		sip_msg_flag(m, "negative Content-Length");	/* 3.1.2.3 */
	else
		sip_msg_flag(m, "non-numeric Content-Length");
}

/* 1*DIGIT with an upper bound: Max-Forwards 0-255 (RFC 3261 20.22),
 * Expires 0..2^32-1 (20.19). Returns -1 and flags otherwise. */
static int64_t bounded(struct sip_msg *m, ss_str v, uint64_t max,
		       const char *range, const char *nonnum)
{
	uint64_t n;
	if (ss_str_to_u64(v, max, &n))
		return (int64_t)n;
	sip_msg_flag(m, all_digits(v) ? range : nonnum);
	return -1;
}

/* A header field that RFC 3261 7.3.1 allows once. */
static bool repeated(const struct sip_msg *m, size_t idx)
{
	for (size_t i = 0; i < idx; i++)
		if (m->hdrs[i].id == m->hdrs[idx].id)
			return true;
	return false;
}

static bool single_value(enum sip_hdr_id id)
{
	switch (id) {
	case SIP_H_CALL_ID: case SIP_H_CSEQ: case SIP_H_FROM: case SIP_H_TO:
	case SIP_H_MAX_FORWARDS: case SIP_H_CONTENT_TYPE: case SIP_H_EXPIRES:
		return true;
	default:
		return false;
	}
}

/* SIP-date is rfc1123-date, always in GMT (RFC 3261 20.17, 25.1). */
static void apply_date(struct sip_msg *m, ss_str v)
{
	if (v.len < 3 || !ss_str_eq(sub(v, v.len - 3, v.len), "GMT"))
		sip_msg_flag(m, "Date not in GMT");	/* RFC 4475 3.1.2.12 */
}

static void first_of(ss_str *slot, ss_str v)
{
	if (!slot->p)
		*slot = v;
}

static void apply_call_id(struct sip_msg *m, ss_str v)
{
	m->call_id = v;
	if (v.len == 0)
		sip_msg_flag(m, "empty Call-ID");
	else if (scan_stop(v.p, v.len, ' ', ' ', ' ', ' ', ' ') < v.len &&
		 has_lws(v))
		sip_msg_flag(m, "whitespace in Call-ID");
	else if (v.p[0] == '@' || v.p[v.len - 1] == '@')
		sip_msg_flag(m, "empty word in Call-ID");	/* word ["@" word] */
}

/* ---- fast paths ------------------------------------------------------ */

/*
 * The usual shapes of From, To, Contact, the Request-URI and Via, read in
 * one pass each. Each accepts only values for which the general parser
 * (sip_hdr.c) would set no malformed reason, and then fills in exactly
 * what it would; anything else (LWS inside, quoted-pairs, IPv6, URI
 * headers, other schemes, odd parameters, ...) returns false and the
 * general parser runs. The shapes accepted are a strict subset, so the
 * results cannot differ; tests/test_sip_fast.c compares them anyway.
 *
 * The one pass walks the specials of a value (vscan, sip_int.h) and
 * refuses every special it does not expect where it stands; the bytes
 * between two specials are token characters or URI characters the
 * general parser takes as they are, so only the token contexts look at
 * them again.
 */

/* The out-of-line copy of special_window() (sip_int.h) that the refills
 * and the tests call. */
uint64_t sip_special_window(const char *p, size_t n, size_t base)
{
	return special_window(p, n, base);
}

/* ss_str_to_u64() with a bound of 65535 of the digits p[a..b) of a slice
 * p[0..n), a port or an rport: the value, or -1. Up to 8 digits as one
 * word, loaded as the 8 bytes that end at b, or start at a, whichever
 * stays inside the slice, instead of a loop per digit. The word holds
 * the digits in its top b - a bytes (little endian: the first digit
 * lowest), zeros below, i.e. a zero-padded 8-digit number, checked and
 * combined by SWAR. Returned, not stored through a pointer: the slot's
 * address kept a copy of it on the stack. */
static inline int32_t port_in(const char *p, size_t n, size_t a, size_t b)
{
	size_t len = b - a;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (len - 1 < 8 && (b >= 8 || n - a >= 8)) {
		const uint64_t hi = UINT64_C(0xF0F0F0F0F0F0F0F0);
		uint64_t x, t, keep = ~UINT64_C(0) << ((8 - len) * 8);
		if (b >= 8) {
			memcpy(&x, p + b - 8, 8);
			t = x & keep;
		} else {
			memcpy(&x, p + a, 8);
			t = x << ((8 - len) * 8);
		}
		uint64_t lo = t & ~hi;
		if ((t & hi) != (UINT64_C(0x3030303030303030) & keep) ||
		    ((lo + UINT64_C(0x0606060606060606)) & hi))
			return -1;	/* a byte that is no digit */
		/* digit pairs (x10 + next), then pairs of pairs (x100),
		 * then the two halves (x10000), each by one multiply */
		uint64_t v = (lo * 2561) >> 8;
		v = ((v & UINT64_C(0x00FF00FF00FF00FF)) * 6553601) >> 16;
		v = ((v & UINT64_C(0x0000FFFF0000FFFF)) * UINT64_C(42949672960001)) >> 32;
		return v > 65535 ? -1 : (int32_t)v;
	}
#else
	(void)n;
#endif
	/* a value only grows with each digit: past the bound, it stays */
	uint32_t v = 0;
	for (size_t i = a; i < b; i++) {
		unsigned d = (unsigned char)p[i] - '0';
		if (d > 9 || (v = v * 10 + d) > 65535)
			return -1;
	}
	return len ? (int32_t)v : -1;
}

/* Shorthand for the tests on the special at k of a scan. */
#define AT(s, k, c) ((k) < (s)->n && (s)->p[k] == (c))

/* A SIP URI after its "sip:" or "sips:", from p[i] (the scan has just
 * returned that scheme's ':'): [user[:password]@]host[:port][;params],
 * with no special but '@' ':' ';' in their places and '=' ':' ';' in the
 * params, up to the special close ('>') or, when close is 0, the end of
 * the slice. Splits it as uri_sip() would and sets *pend to the end.
 * '[' (IPv6), '?' (headers), a second '@', LWS, quotes: false. Writes
 * only the parts found: user, port, params and headers must be empty
 * (zero) on entry. */
static SS_ALWAYS_INLINE bool uri_rest(struct vscan *s, size_t i, char close,
				      struct sip_nameaddr *out, size_t *pend)
{
	const char *p = s->p;
	size_t k = vscan_next(s), h = i, c = 0;
	if (AT(s, k, ':')) {		/* password or port: '@' decides */
		c = k;
		k = vscan_next(s);
	}
	if (AT(s, k, '@')) {
		out->user = ss_str_make(p + i, (c ? c : k) - i);
		h = k + 1;
		c = 0;
		k = vscan_next(s);
		if (AT(s, k, ':')) {
			c = k;
			k = vscan_next(s);
		}
	}
	size_t he = c ? c : k;
	if (he == h || p[h] == '[')
		return false;		/* URI without host, IPv6 reference */
	out->host = ss_str_make(p + h, he - h);
	if (c) {
		int32_t v = port_in(p, s->n, c + 1, k);
		if (v < 0)
			return false;
		out->port = (uint16_t)v;
	}
	if (AT(s, k, ';')) {
		size_t p0 = k + 1;
		do
			k = vscan_next(s);
		while (k < s->n && (p[k] == ';' || p[k] == '=' || p[k] == ':'));
		out->params = ss_str_make(p + p0, k - p0);
	}
	if (close ? !AT(s, k, close) : k != s->n)
		return false;
	*pend = k;
	return true;
}

/* Length of "sip:" or "sips:" at the start of p[0..n) when more follows;
 * 0 for any other scheme (sip_parse_uri() takes those, and the upper-case
 * forms). */
static inline size_t sip_scheme(const char *p, size_t n)
{
	if (n > 4 && memcmp(p, "sip:", 4) == 0)
		return 4;
	if (n > 5 && memcmp(p, "sips:", 5) == 0)
		return 5;
	return 0;
}

bool sip_uri_fast(ss_str u, struct sip_nameaddr *out)
{
	size_t i = sip_scheme(u.p, u.len), e;
	if (!i)
		return false;
	struct vscan s;
	vscan_init_at(&s, u, i);	/* past the scheme's ':' */
	out->user = out->params = out->headers = SS_STR_NULL;
	out->port = 0;
	if (!uri_rest(&s, i, 0, out, &e))
		return false;
	out->uri = u;
	out->scheme = sub(u, 0, i - 1);
	return true;
}

static inline bool all_token(ss_str t)
{
	for (size_t i = 0; i < t.len; i++)
		if (!is_token((unsigned char)t.p[i]))
			return false;
	return t.len > 0;
}

/* ";name[=value]..." from the special at k to the end of v: token
 * names, values without specials, tag= once and not empty
 * (header_params()). *tag must be empty on entry. */
static SS_ALWAYS_INLINE bool hparams_fast(struct vscan *s, size_t k,
					  ss_str *tag)
{
	const char *p = s->p;
	/* ";tag=" first, the usual list: its '=' is the next special (the
	 * name holds none), and there is no name to slice and compare */
	if (s->n - k > 5 && load_n(p + k, 5) == load_n(";tag=", 5)) {
		size_t v0 = k + 5;
		(void)vscan_next(s);
		k = vscan_next(s);
		if (k == v0 || p[v0] == '[')
			return false;	/* empty, or up to ']' (param_next()) */
		*tag = ss_str_make(p + v0, k - v0);
	}
	while (k < s->n) {
		if (p[k] != ';')
			return false;
		size_t n0 = k + 1;
		k = vscan_next(s);
		ss_str name = ss_str_make(p + n0, k - n0), val = SS_STR_NULL;
		if (AT(s, k, '=')) {
			size_t v0 = k + 1;
			k = vscan_next(s);
			val = ss_str_make(p + v0, k - v0);
			if (k > v0 && p[v0] == '[')
				return false;	/* read up to ']' (param_next()) */
		}
		if (IEQ_ALPHA(name, "tag")) {
			if (tag->p || val.len == 0)
				return false;
			*tag = val;
		} else if (!all_token(name)) {
			return false;
		}
	}
	return true;
}

/* Index of the first a or b in p[i..n), or n: a quoted display name's
 * end, found with one 16-byte compare where the special scan walked each
 * space inside the quotes. Loads stay in p[0..n): the last block is the
 * 16 bytes that end at n. */
static SS_ALWAYS_INLINE size_t find_either(const char *p, size_t n, size_t i,
					   char a, char b)
{
#if defined(__SSE2__)
	const __m128i ca = _mm_set1_epi8(a), cb = _mm_set1_epi8(b);
#define EITHER(at) ((unsigned)_mm_movemask_epi8(_mm_or_si128( \
	_mm_cmpeq_epi8(_mm_loadu_si128((const void *)(at)), ca), \
	_mm_cmpeq_epi8(_mm_loadu_si128((const void *)(at)), cb))))
	for (; i + 16 <= n; i += 16) {
		unsigned m = EITHER(p + i);
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
	if (i < n && n >= 16) {
		unsigned m = EITHER(p + n - 16) >> (16 - (n - i));
		return m ? i + (size_t)__builtin_ctz(m) : n;
	}
#undef EITHER
#endif
	for (; i < n; i++)
		if (p[i] == a || p[i] == b)
			return i;
	return n;
}

/* The display part up to '<', read before the special scan starts, so
 * that the scan begins in the URI: nothing, a quoted string without
 * quoted-pairs followed by spaces, or tokens and SP/HTAB; *lt gets the
 * '<'. The quoted string may hold any other byte, as quoted_end()
 * (sip_hdr.c) lets it. */
static SS_ALWAYS_INLINE bool display_fast(ss_str v, struct sip_nameaddr *t,
					  size_t *lt)
{
	const char *p = v.p;
	size_t k = 0;
	if (p[0] == '"') {
		k = find_either(p, v.len, 1, '"', '\\');
		if (k == v.len || p[k] != '"')
			return false;
		t->display = ss_str_make(p + 1, k - 1);
		while (++k < v.len && p[k] == ' ')
			;
	} else if (p[0] != '<') {
		while (k < v.len && (is_token((unsigned char)p[k]) ||
				     p[k] == ' ' || p[k] == '\t'))
			k++;
		size_t e = k;
		while (e && (p[e - 1] == ' ' || p[e - 1] == '\t'))
			e--;
		t->display = ss_str_make(p, e);
	} else {
		t->display = ss_str_make(p, 0);
	}
	*lt = k;
	return k < v.len && p[k] == '<';
}

/* [display] <sip:...>;params in one scan of v (trimmed). *t must be all
 * zero on entry (msg_init() left it so: From and To are applied once,
 * Contact until its first value); fields are written in place, so on
 * false *t holds a partial result and the caller resets it
 * (sip_parse_nameaddr() does). Building a copy on the stack and copying
 * it out cost a tenth of this function. A ',' only passes inside the
 * quoted display name, so an accepted value is one list element. Inlined
 * into its three callers: the call itself cost a twentieth. */
static SS_ALWAYS_INLINE bool nameaddr_fast(ss_str v,
					   struct sip_nameaddr *t)
{
	if (v.len < 2)
		return false;
	size_t lt, gt;
	if (!display_fast(v, t, &lt))
		return false;
	size_t i = lt + 1, sc = sip_scheme(v.p + i, v.len - i);
	if (!sc)
		return false;
	struct vscan s;
	vscan_init_at(&s, v, i + sc);	/* past the scheme's ':' */
	if (!uri_rest(&s, i + sc, '>', t, &gt))
		return false;
	t->uri = sub(v, i, gt);
	t->scheme = sub(v, i, i + sc - 1);
	size_t k = vscan_next(&s);
	if (k != gt + 1)
		return false;		/* text after '>' */
	if (!hparams_fast(&s, k, &t->tag))
		return false;
	t->present = true;
	return true;
}

bool sip_read_nameaddr(ss_str value, struct sip_nameaddr *out)
{
	memset(out, 0, sizeof *out);
	if (nameaddr_fast(ss_str_trim(value), out))
		return true;
	return sip_parse_nameaddr(value, out);
}

/* SIP/2.0/transport host[:port][;params], one value in one scan, the
 * protocol as written by everyone ("SIP/2.0/", other spellings take the
 * general parser), a run of spaces after it and no other LWS
 * (sip_parse_via()). Like nameaddr_fast(), writes in place: *t must be
 * as msg_init() left it (zero, rport -1), and on false the caller resets
 * it (sip_parse_via() does). An accepted value holds no ',' and no '"',
 * so it is one via-parm. */
static bool via_fast(ss_str v, struct sip_via *t)
{
	if (v.len < 11 || memcmp(v.p, "SIP/2.0/", 8) != 0)
		return false;
	struct vscan s;
	size_t k, h;
	/* UDP, TCP, TLS and SP: letters, so a token, and the scan starts
	 * at the host (one window then covers a Via of up to 76 bytes);
	 * other transports from past "SIP/2.0/" */
	uint64_t w = v.len > 12 ? load_n(v.p + 8, 4) : 0;
	if (w == load_n("UDP ", 4) || w == load_n("TCP ", 4) ||
	    w == load_n("TLS ", 4)) {
		k = 11;
		vscan_init_at(&s, v, 12);
	} else {
		vscan_init_at(&s, v, 8);
		k = vscan_next(&s);
		if (!AT(&s, k, ' ') || !all_token(sub(v, 8, k)))
			return false;
	}
	t->transport = sub(v, 8, k);
	t->protocol = sub(v, 0, k);
	h = k + 1;
	for (k = vscan_next(&s); k == h && AT(&s, k, ' '); k = vscan_next(&s))
		h++;
	if (k == h || v.p[h] == '[')
		return false;		/* no host, or IPv6 */
	t->host = sub(v, h, k);
	if (AT(&s, k, ':')) {
		size_t ps = k + 1;
		k = vscan_next(&s);
		int32_t n = port_in(v.p, v.len, ps, k);
		if (n < 0)
			return false;
		t->port = (uint16_t)n;
	}
	/* ";branch=" first, as nearly every Via has it: no name to slice
	 * and compare (its '=' is the next special) */
	if (v.len - k > 8 && load_n(v.p + k, 8) == load_n(";branch=", 8)) {
		size_t v0 = k + 8;
		(void)vscan_next(&s);
		k = vscan_next(&s);
		if (k > v0 && v.p[v0] == '[')
			return false;	/* read up to ']' (param_next()) */
		t->branch = sub(v, v0, k);
	}
	/* then ";rport" (RFC 3581) as the last parameter: empty in a
	 * request, a port in a response */
	if (v.len - k == 6 && load_n(v.p + k, 6) == load_n(";rport", 6)) {
		t->rport = 0;
		k = v.len;
	} else if (v.len - k > 7 &&
		   load_n(v.p + k, 7) == load_n(";rport=", 7)) {
		size_t v0 = k + 7;
		(void)vscan_next(&s);
		k = vscan_next(&s);
		t->rport = port_in(v.p, v.len, v0, k);
		if (t->rport < 0)
			return false;
	}
	while (k < v.len) {
		if (v.p[k] != ';')
			return false;
		size_t n0 = k + 1;
		k = vscan_next(&s);
		ss_str name = sub(v, n0, k), val = SS_STR_NULL;
		if (AT(&s, k, '=')) {
			size_t v0 = k + 1;
			k = vscan_next(&s);
			val = sub(v, v0, k);
			if (k > v0 && v.p[v0] == '[')
				return false;	/* read up to ']' (param_next()) */
		}
		/* a value without specials and not in [] has no ':':
		 * received is no IPv6 address (via_received()) */
		if (IEQ_ALPHA(name, "branch")) {
			t->branch = val;
		} else if (IEQ_ALPHA(name, "received")) {
			t->received = val;
		} else if (IEQ_ALPHA(name, "rport")) {
			t->rport = val.len ? port_in(v.p, v.len,
						     (size_t)(val.p - v.p), k)
					   : 0;
			if (t->rport < 0)
				return false;
		} else if (!all_token(name)) {
			return false;
		}
	}
	t->present = true;
	return true;
}

/* The reference path: sip_msg_apply() (sip_parse_ref()) runs it for every
 * header, the general parsers only. */
static void apply_value(struct sip_msg *m, const struct sip_header *h)
{
	ss_str v = h->value;
	switch (h->id) {
	case SIP_H_VIA: apply_via(m, v); break;
	case SIP_H_FROM: apply_nameaddr(m, &m->from, v); break;
	case SIP_H_TO: apply_nameaddr(m, &m->to, v); break;
	case SIP_H_CALL_ID: apply_call_id(m, v); break;
	case SIP_H_CSEQ: apply_cseq(m, v); break;
	case SIP_H_CONTACT:
		if (!m->contact.present && !m->contact.malformed)
			apply_contact(m, v);
		break;
	case SIP_H_CONTENT_LENGTH: apply_content_length(m, v); break;
	case SIP_H_CONTENT_TYPE: m->content_type = v; break;
	case SIP_H_EXPIRES:
		m->expires = bounded(m, v, UINT32_MAX, "Expires out of range",
				     "non-numeric Expires");
		break;
	case SIP_H_MAX_FORWARDS:
		m->max_forwards = (int)bounded(m, v, 255,
					       "Max-Forwards out of range",
					       "non-numeric Max-Forwards");
		break;
	case SIP_H_DATE: apply_date(m, v); break;
	case SIP_H_REASON: first_of(&m->reason, v); break;
	case SIP_H_X_CALL_ID: case SIP_H_X_CID: first_of(&m->x_call_id, v); break;
	case SIP_H_EVENT: first_of(&m->event, v); break;
	case SIP_H_REFER_TO: first_of(&m->refer_to, v); break;
	default: break;
	}
}

void sip_msg_apply(struct sip_msg *m, size_t idx)
{
	const struct sip_header *h = &m->hdrs[idx];
	if (single_value(h->id) && repeated(m, idx)) {
		sip_msg_flag(m, "multiple values in single-value header");
		return;		/* the first one stands (RFC 4475 3.3.8) */
	}
	apply_value(m, h);
}

/* ---- the fast path's dispatch ------------------------------------------ */

static void fast_via(struct sip_msg *m, ss_str v,
		     const struct sip_header *h)
{
	if (!m->via.present && !m->via.malformed) {
		if (via_fast(v, &m->via)) {
			m->via_count++;
			return;
		}
		sip_parse_via(v, &m->via);
		sip_msg_flag(m, m->via.malformed);
	}
	m->via_count += via_values(v);
}

static SS_NOINLINE void fast_nameaddr(struct sip_msg *m,
				      struct sip_nameaddr *na, ss_str v)
{
	if (!nameaddr_fast(v, na))
		apply_nameaddr(m, na, v);
}

static void fast_contact(struct sip_msg *m, ss_str v,
			 const struct sip_header *h)
{
	if (m->contact.present || m->contact.malformed ||
	    nameaddr_fast(v, &m->contact))
		return;
	/* apply_contact() may stop before it resets it */
	memset(&m->contact, 0, sizeof m->contact);
	apply_contact(m, v);
}

/* n bytes of a and b equal, n small (a method name): overlapping word
 * compares instead of a call to memcmp(). */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
	if (n >= 8) {
		for (size_t i = 0; i + 8 <= n; i += 8)
			if (load_n(a + i, 8) != load_n(b + i, 8))
				return false;
		return load_n(a + n - 8, 8) == load_n(b + n - 8, 8);
	}
	if (n >= 4)
		return load_n(a, 4) == load_n(b, 4) &&
		       load_n(a + n - 4, 4) == load_n(b + n - 4, 4);
	if (n >= 2)
		return load_n(a, 2) == load_n(b, 2) &&
		       load_n(a + n - 2, 2) == load_n(b + n - 2, 2);
	return n == 0 || a[0] == b[0];
}

/* CSeq as "1*9DIGIT SP token": the number cannot leave 32 bits, and
 * sip_method_from() is SIP_M_NONE exactly when the method is empty or no
 * token, the cases apply_cseq() calls a bad CSeq; a request's own method
 * is already resolved (start_line() stored sip_method_from() of it), a
 * response's is most often a known name, looked up inline
 * (known_method(), sip_frame.h) before the call. Anything else:
 * apply_cseq(). */
static void fast_cseq(struct sip_msg *m, ss_str v,
		      const struct sip_header *h)
{
	uint32_t n = 0;
	size_t i = 0;
	for (; i < v.len && i < 9; i++) {
		unsigned d = (unsigned char)v.p[i] - '0';
		if (d > 9)
			break;
		n = n * 10 + d;
	}
	if (i > 0 && i < v.len && v.p[i] == ' ') {
		ss_str meth = sub(v, i + 1, v.len);
		bool same = m->is_request && meth.len == m->method_str.len &&
			    same_bytes(meth.p, m->method_str.p, meth.len);
		enum sip_method k = same ? m->method
					 : known_method(meth.p, meth.len);
		if (k == SIP_M_NONE)	/* an extension, or no token */
			k = sip_method_from(meth);
		if (k != SIP_M_NONE) {
			m->cseq_present = true;
			m->cseq = n;
			m->cseq_method_str = meth;
			m->cseq_method = k;
			if (m->is_request && !same)
				sip_msg_flag(m, "CSeq method does not match request method");
			return;
		}
	}
	apply_cseq(m, v);
}

/* 1 to 9 digits and nothing else: their value, below every bound but
 * Max-Forwards' 255 (bounded() with UINT32_MAX takes all of them); -1
 * for any other shape. */
static inline int64_t short_number(ss_str v)
{
	if (v.len == 0 || v.len > 9)
		return -1;
	int64_t n = 0;
	for (size_t i = 0; i < v.len; i++) {
		unsigned d = (unsigned char)v.p[i] - '0';
		if (d > 9)
			return -1;
		n = n * 10 + d;
	}
	return n;
}

/* True when some byte of v is a control, SP, DEL or non-ASCII: the
 * SSE2 half of the whitespace test on every Call-ID (has_lws() only runs
 * when it says yes). */
static inline bool any_ctl(ss_str v)
{
	size_t i = 0;
#if defined(__SSE2__)
	const __m128i one = _mm_set1_epi8(1), lim = _mm_set1_epi8(0x22);
#define CTL(at) _mm_cmplt_epi8(_mm_add_epi8( \
	_mm_loadu_si128((const void *)(at)), one), lim)
	if (v.len >= 16 && v.len <= 48) {
		/* the usual Call-ID: three blocks, the middle one reaching
		 * both others, and one test instead of a loop */
		__m128i x = _mm_or_si128(_mm_or_si128(CTL(v.p),
			CTL(v.p + (v.len - 16) / 2)), CTL(v.p + v.len - 16));
		return _mm_movemask_epi8(x) != 0;
	}
#undef CTL
	if (v.len >= 16) {
		for (;;) {
			if (i + 16 > v.len)
				i = v.len - 16;
			__m128i x = _mm_loadu_si128((const void *)(v.p + i));
			if (_mm_movemask_epi8(_mm_cmplt_epi8(_mm_add_epi8(x, one), lim)))
				return true;
			if (i + 16 >= v.len)
				return false;
			i += 16;
		}
	}
#endif
	for (; i < v.len; i++) {
		unsigned char c = (unsigned char)v.p[i];
		if (c < 0x21 || c >= 0x7f)
			return true;
	}
	return false;
}

static void fast_call_id(struct sip_msg *m, ss_str v,
			 const struct sip_header *h)
{
	if (m->hint)
		m->hint->call_id(m->hint->user, v.p, v.len);
	if (v.len && !any_ctl(v) && v.p[0] != '@' && v.p[v.len - 1] != '@') {
		m->call_id = v;
		return;
	}
	apply_call_id(m, v);
}

/* The headers RFC 3261 7.3.1 allows once (single_value()): a bit per
 * id. Every id fast_tab[] has a function for is below 64. */
#define BIT(id) (UINT64_C(1) << (id))
_Static_assert(SIP_H_DATE < 64 && SIP_H_REFER_TO < 64, "ids applied");
static const uint64_t single_ids =
	BIT(SIP_H_CALL_ID) | BIT(SIP_H_CSEQ) | BIT(SIP_H_FROM) | BIT(SIP_H_TO) |
	BIT(SIP_H_MAX_FORWARDS) | BIT(SIP_H_CONTENT_TYPE) | BIT(SIP_H_EXPIRES);
#undef BIT

static void fast_from(struct sip_msg *m, ss_str v,
		      const struct sip_header *h)
{
	fast_nameaddr(m, &m->from, v);
}

static void fast_to(struct sip_msg *m, ss_str v, const struct sip_header *h)
{
	fast_nameaddr(m, &m->to, v);
}

/* digits only: no ',' either (apply_content_length()) */
static void fast_content_length(struct sip_msg *m, ss_str v,
				const struct sip_header *h)
{
	int64_t n;
	if (m->content_length < 0 && !m->content_length_bad &&
	    (n = short_number(v)) >= 0)
		m->content_length = n;
	else
		apply_content_length(m, v);
}

static void fast_content_type(struct sip_msg *m, ss_str v,
			      const struct sip_header *h)
{
	m->content_type = v;
}

static void fast_max_forwards(struct sip_msg *m, ss_str v,
			      const struct sip_header *h)
{
	int64_t n = short_number(v);
	if (n >= 0 && n <= 255)
		m->max_forwards = (int)n;
	else
		apply_value(m, h);
}

static void fast_expires(struct sip_msg *m, ss_str v,
			 const struct sip_header *h)
{
	int64_t n = short_number(v);
	if (n >= 0)
		m->expires = n;
	else
		apply_value(m, h);
}

static void fast_general(struct sip_msg *m, ss_str v,
			 const struct sip_header *h)
{
	apply_value(m, h);
}

/* The per-header work by id (the list is SIP_FAST_APPLIED, sip_frame.h),
 * NULL for the headers nobody reads: one load and an indirect call, where
 * a mask test and a switch's range check and jump table came before it. */
typedef void fast_fn(struct sip_msg *m, ss_str v, const struct sip_header *h);
#define FAST_SLOT(id, fn) [id] = fn,
static fast_fn *const fast_tab[SIP_H__COUNT] = { SIP_FAST_APPLIED(FAST_SLOT) };
#undef FAST_SLOT

void sip_msg_apply_fast(struct sip_msg *m, size_t idx, bool rep)
{
	const struct sip_header *h = &m->hdrs[idx];
	unsigned id = (unsigned)h->id;
	fast_fn *f = id < SIP_H__COUNT ? fast_tab[id] : NULL;
	if (!f)
		return;
	if (rep && ((single_ids >> (id & 63)) & 1)) {
		sip_msg_flag(m, "multiple values in single-value header");
		return;
	}
	f(m, h->value, h);
}

void sip_msg_finish_fast(struct sip_msg *m, const uint64_t seen[2],
			 const struct sip_header *ua,
			 const struct sip_header *srv)
{
	static const struct { enum sip_hdr_id id; const char *why; } need[] = {
		{ SIP_H_CALL_ID, "missing Call-ID" },
		{ SIP_H_CSEQ, "missing CSeq" },
		{ SIP_H_FROM, "missing From" },
		{ SIP_H_TO, "missing To" },
		{ SIP_H_VIA, "missing Via" },
	};
	/* all of them there, the usual case: one test (ids below 64) */
	const uint64_t all = UINT64_C(1) << SIP_H_CALL_ID |
		UINT64_C(1) << SIP_H_CSEQ | UINT64_C(1) << SIP_H_FROM |
		UINT64_C(1) << SIP_H_TO | UINT64_C(1) << SIP_H_VIA;
	if ((seen[0] & all) != all)
		for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
			if (!((seen[need[i].id >> 6] >> (need[i].id & 63)) & 1))
				sip_msg_flag(m, need[i].why);
	if (!m->is_request && srv)
		m->user_agent = srv->value;
	else if (ua)
		m->user_agent = ua->value;
}

/* To, From, CSeq, Call-ID, Max-Forwards and Via are mandatory in a
 * request (RFC 3261 8.1.1) and come back in responses (8.2.6.2).
 * Max-Forwards is not demanded: RFC 2543 peers omit it (RFC 4475 3.4.1).
 * The product name is User-Agent in requests, Server in responses. */
void sip_msg_finish(struct sip_msg *m)
{
	static const struct { enum sip_hdr_id id; const char *why; } need[] = {
		{ SIP_H_CALL_ID, "missing Call-ID" },
		{ SIP_H_CSEQ, "missing CSeq" },
		{ SIP_H_FROM, "missing From" },
		{ SIP_H_TO, "missing To" },
		{ SIP_H_VIA, "missing Via" },
	};
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!sip_find(m, need[i].id))
			sip_msg_flag(m, need[i].why);
	const struct sip_header *ua = sip_find(m, SIP_H_USER_AGENT);
	const struct sip_header *srv = sip_find(m, SIP_H_SERVER);
	if (!m->is_request && srv)
		m->user_agent = srv->value;
	else if (ua)
		m->user_agent = ua->value;
}
