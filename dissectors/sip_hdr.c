/*
 * sip_hdr.c - SIP header fields (RFC 3261 section 7.3, 20 and 25.1):
 * the name table with compact forms, name-addr, Via and URIs, each read
 * by a general parser that follows the grammar. What sip_parse copies
 * into struct sip_msg, and the one-pass fast paths for the usual shapes
 * of From, To, Contact and Via, are in sip_apply.c; the character classes
 * and slice helpers both use are in sip_int.h.
 *
 * Every function here works on ss_str slices of the caller's buffer and
 * indexes them with explicit bounds; nothing is copied, allocated or
 * NUL-terminated. A value that breaks the grammar is still read as far as
 * it goes and the reason is recorded (sip.h: sip_msg_flag).
 */
#include "sip_frame.h"

#include <string.h>

/* ---- character classes, reasons and lists ----------------------------- */

bool sip_token_char(unsigned char c)
{
	return is_token(c);
}

static void why(const char **slot, const char *reason)
{
	if (!*slot && reason)
		*slot = reason;
}

/* i indexes an opening quote; returns the index just past the closing
 * one, or 0 when the string never closes. A quoted-pair escapes any octet
 * (RFC 3261 25.1), so \" does not close it. */
static size_t quoted_end(ss_str s, size_t i)
{
	for (i++; i < s.len; i++) {
		if (s.p[i] == '\\') {
			i++;
			continue;
		}
		if (s.p[i] == '"')
			return i + 1;
	}
	return 0;
}

/* End of the value that starts at i in a comma-separated list: commas
 * inside quoted strings and <...> do not separate values (RFC 3261 7.3.1,
 * 20.10). Sets *bad when a quoted string never closes. */
size_t sip_elem_end(ss_str s, size_t i, bool *bad)
{
	bool angle = false;
	/* Fast path: with no quote and no '<' before the first comma (or
	 * the end), that comma ends the value; '>' alone changes nothing.
	 * Most Via values are like that, and memchr beats the byte loop. */
	if (i < s.len) {
		const char *p = s.p + i, *c = memchr(p, ',', s.len - i);
		size_t n = c ? (size_t)(c - p) : s.len - i;
		if (!memchr(p, '"', n) && !memchr(p, '<', n))
			return i + n;
	}
	while (i < s.len) {
		char c = s.p[i];
		if (c == '"') {
			size_t e = quoted_end(s, i);
			if (!e) {
				*bad = true;
				return s.len;
			}
			i = e;
			continue;
		}
		if (c == '<')
			angle = true;
		else if (c == '>')
			angle = false;
		else if (c == ',' && !angle)
			return i;
		i++;
	}
	return s.len;
}

/* ---- header names ----------------------------------------------------- */

struct hname {
	const char *name;
	size_t len;
	char compact;		/* lower-case compact form, 0 if none */
	enum sip_hdr_id id;
};

#define H(n, c, id) { n, sizeof(n) - 1, c, id }
/* Long names from RFC 3261 20 and the extensions sipscope reads; compact
 * forms from the IANA SIP parameters registry (RFC 3261 7.3.3, 3515,
 * 3841, 3903, 4028, 4474, 3265). */
static const struct hname hnames[] = {
	H("Via", 'v', SIP_H_VIA),
	H("From", 'f', SIP_H_FROM),
	H("To", 't', SIP_H_TO),
	H("Call-ID", 'i', SIP_H_CALL_ID),
	H("CSeq", 0, SIP_H_CSEQ),
	H("Contact", 'm', SIP_H_CONTACT),
	H("Content-Length", 'l', SIP_H_CONTENT_LENGTH),
	H("Content-Type", 'c', SIP_H_CONTENT_TYPE),
	H("Content-Encoding", 'e', SIP_H_CONTENT_ENCODING),
	H("Expires", 0, SIP_H_EXPIRES),
	H("Max-Forwards", 0, SIP_H_MAX_FORWARDS),
	H("Reason", 0, SIP_H_REASON),
	H("User-Agent", 0, SIP_H_USER_AGENT),
	H("Server", 0, SIP_H_SERVER),
	H("X-Call-ID", 0, SIP_H_X_CALL_ID),
	H("X-CID", 0, SIP_H_X_CID),
	H("Route", 0, SIP_H_ROUTE),
	H("Record-Route", 0, SIP_H_RECORD_ROUTE),
	H("Event", 'o', SIP_H_EVENT),
	H("Refer-To", 'r', SIP_H_REFER_TO),
	H("Referred-By", 'b', SIP_H_REFERRED_BY),
	H("Authorization", 0, SIP_H_AUTHORIZATION),
	H("Proxy-Authorization", 0, SIP_H_PROXY_AUTHORIZATION),
	H("WWW-Authenticate", 0, SIP_H_WWW_AUTHENTICATE),
	H("Proxy-Authenticate", 0, SIP_H_PROXY_AUTHENTICATE),
	H("Subject", 's', SIP_H_SUBJECT),
	H("Supported", 'k', SIP_H_SUPPORTED),
	H("Allow-Events", 'u', SIP_H_ALLOW_EVENTS),
	H("Session-Expires", 'x', SIP_H_SESSION_EXPIRES),
	H("Accept", 0, SIP_H_ACCEPT),
	H("Require", 0, SIP_H_REQUIRE),
	H("Date", 0, SIP_H_DATE),
	H("Identity", 'y', SIP_H_IDENTITY),
	H("Accept-Contact", 'a', SIP_H_ACCEPT_CONTACT),
	H("Reject-Contact", 'j', SIP_H_REJECT_CONTACT),
	H("Request-Disposition", 'd', SIP_H_REQUEST_DISPOSITION),
	H("Identity-Info", 'n', SIP_H_IDENTITY_INFO),
	H("Allow", 0, SIP_H_ALLOW),
	H("Proxy-Require", 0, SIP_H_PROXY_REQUIRE),
	H("Unsupported", 0, SIP_H_UNSUPPORTED),
	H("Retry-After", 0, SIP_H_RETRY_AFTER),
	H("Warning", 0, SIP_H_WARNING),
	H("RSeq", 0, SIP_H_RSEQ),
	H("RAck", 0, SIP_H_RACK),
	H("Path", 0, SIP_H_PATH),
	H("Subscription-State", 0, SIP_H_SUBSCRIPTION_STATE),
	H("Min-Expires", 0, SIP_H_MIN_EXPIRES),
	H("P-Asserted-Identity", 0, SIP_H_P_ASSERTED_IDENTITY),
	H("P-Preferred-Identity", 0, SIP_H_P_PREFERRED_IDENTITY),
	H("Privacy", 0, SIP_H_PRIVACY),
	H("Diversion", 0, SIP_H_DIVERSION),
	H("Replaces", 0, SIP_H_REPLACES),
	H("Content-Disposition", 0, SIP_H_CONTENT_DISPOSITION),
	H("Authentication-Info", 0, SIP_H_AUTHENTICATION_INFO),
	H("Accept-Encoding", 0, SIP_H_ACCEPT_ENCODING),
	H("Accept-Language", 0, SIP_H_ACCEPT_LANGUAGE),
	H("Content-Language", 0, SIP_H_CONTENT_LANGUAGE),
	H("Alert-Info", 0, SIP_H_ALERT_INFO),
	H("Call-Info", 0, SIP_H_CALL_INFO),
	H("Error-Info", 0, SIP_H_ERROR_INFO),
	H("In-Reply-To", 0, SIP_H_IN_REPLY_TO),
	H("MIME-Version", 0, SIP_H_MIME_VERSION),
	H("Min-SE", 0, SIP_H_MIN_SE),
	H("Organization", 0, SIP_H_ORGANIZATION),
	H("Priority", 0, SIP_H_PRIORITY),
	H("Reply-To", 0, SIP_H_REPLY_TO),
	H("Timestamp", 0, SIP_H_TIMESTAMP),
};
#undef H
/* sip_hdr_lookup() chains entries by uint8_t index + 1; every name starts
 * with a letter. */
_Static_assert(sizeof hnames / sizeof hnames[0] < 255, "hnames index");

/* Case-insensitive match against a name of the table, whose names hold
 * only letters and '-': for a letter, x | 32 equals its lower case exactly
 * when x is that letter in either case; '-' must match itself. */
static bool hname_eq(const char *a, const char *name, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)name[i];
		if (y == '-' ? x != '-' : (x | 32) != (y | 32))
			return false;
	}
	return true;
}

/* Names as 64-bit words with bit 5 set in every byte, for
 * hname_eq_fast(). */
static uint64_t hname_w[sizeof hnames / sizeof hnames[0]][3];

static uint64_t load_or32(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w | UINT64_C(0x2020202020202020);
}

/* hname_eq() on whole words: for a token character x and a name byte y
 * (a letter or '-'), x | 32 == y | 32 exactly when x matches y; the only
 * other byte that ORs to '-' is CR, which no token holds. */
static bool hname_eq_fast(const char *a, size_t i, size_t n)
{
	if (n < 8)
		return hname_eq(a, hnames[i].name, n);
	size_t k = 0;
	for (; k + 8 <= n; k += 8)
		if (load_or32(a + k) != hname_w[i][k / 8])
			return false;
	if (k < n) {		/* the last 8 bytes, overlapping */
		uint64_t w;
		memcpy(&w, hnames[i].name + n - 8, 8);
		if (load_or32(a + n - 8) != (w | UINT64_C(0x2020202020202020)))
			return false;
	}
	return true;
}

enum sip_hdr_id sip_hdr_common(const char *p, size_t n)
{
	return common_name(p, n);
}

/* Header names are case-insensitive (RFC 3261 7.3.1); a one-letter name
 * is a compact form (7.3.3). "C%6Fntact" is not Contact: % is no escape
 * in a header name (RFC 4475 3.1.1.5). tok: the name holds only token
 * characters (what sip_parse hands over). */
static enum sip_hdr_id hdr_lookup(ss_str name, bool tok)
{
	size_t n = sizeof hnames / sizeof hnames[0];
	if (tok && name.len >= 2) {
		enum sip_hdr_id id = sip_hdr_common(name.p, name.len);
		if (id != SIP_H__COUNT)
			return id;
	}
	if (name.len == 1) {
		char c = name.p[0];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		for (size_t i = 0; i < n; i++)
			if (hnames[i].compact == c)
				return hnames[i].id;
		return SIP_H_OTHER;
	}
	/* Only the names with the same length, first and last letter (a
	 * hash of the three) are compared: chains in table order, built on
	 * the first call (sipscope runs on one thread). A linear pass over
	 * the table cost more than the rest of the header line's parsing. */
	static uint8_t head[256], next[sizeof hnames / sizeof hnames[0]];
	static bool built;
#define HKEY(len, a, z) ((((unsigned)(a) | 32u) * 7u + ((unsigned)(z) | 32u) * 3u + \
			  (unsigned)(len) * 29u) & 255u)
	if (!built) {
		for (size_t i = n; i-- > 0;) {
			unsigned k = HKEY(hnames[i].len, (unsigned char)hnames[i].name[0],
					  (unsigned char)hnames[i].name[hnames[i].len - 1]);
			next[i] = head[k];
			head[k] = (uint8_t)(i + 1);
			for (size_t w = 0; w + 8 <= hnames[i].len && w < 24; w += 8)
				hname_w[i][w / 8] = load_or32(hnames[i].name + w);
		}
		built = true;
	}
	if (name.len == 0)
		return SIP_H_OTHER;
	unsigned k = HKEY(name.len, (unsigned char)name.p[0],
			  (unsigned char)name.p[name.len - 1]);
#undef HKEY
	if (!tok)
		tok = memchr(name.p, '\r', name.len) == NULL;
	for (unsigned i = head[k]; i; i = next[i - 1]) {
		const struct hname *h = &hnames[i - 1];
		if (h->len == name.len &&
		    (tok ? hname_eq_fast(name.p, i - 1, name.len)
			 : hname_eq(name.p, h->name, name.len)))
			return h->id;
	}
	return SIP_H_OTHER;
}

enum sip_hdr_id sip_hdr_lookup(ss_str name)
{
	return hdr_lookup(name, false);
}

enum sip_hdr_id sip_hdr_lookup_token(ss_str name)
{
	return hdr_lookup(name, true);
}

const struct sip_header *sip_find(const struct sip_msg *m, enum sip_hdr_id id)
{
	for (size_t i = 0; i < m->nhdrs; i++)
		if (m->hdrs[i].id == id)
			return &m->hdrs[i];
	return NULL;
}

/* ---- addresses -------------------------------------------------------- */

static bool ipv4_valid(ss_str a)
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		size_t st = i;
		unsigned v = 0;
		while (i < a.len && is_digit(a.p[i]) && i - st < 3)
			v = v * 10 + (unsigned)(a.p[i++] - '0');
		if (i == st || v > 255)
			return false;
		if (part < 3) {
			if (i >= a.len || a.p[i] != '.')
				return false;
			i++;
		}
	}
	return i == a.len;
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* One "::" at most, 1-4 hex digits a group, eight groups (fewer with
 * "::"), an IPv4 tail counting as two. RFC 3261's ABNF let a third colon
 * through; RFC 5118 4.10 says that was a bug, so it is rejected here. */
bool sip_ipv6_valid(ss_str a)
{
	size_t i = 0, groups = 0;
	bool dbl = false;
	if (a.len >= 2 && a.p[0] == ':' && a.p[1] == ':') {
		dbl = true;
		i = 2;
		if (i == a.len)
			return true;
	}
	for (;;) {
		size_t st = i;
		while (i < a.len && is_hex(a.p[i]) && i - st < 5)
			i++;
		if (i < a.len && a.p[i] == '.') {
			if (!ipv4_valid(sub(a, st, a.len)))
				return false;
			groups += 2;
			break;
		}
		if (i == st || i - st > 4)
			return false;
		groups++;
		if (i == a.len)
			break;
		if (a.p[i++] != ':' || i == a.len)
			return false;
		if (a.p[i] == ':') {
			if (dbl)
				return false;
			dbl = true;
			if (++i == a.len)
				break;
		}
	}
	return dbl ? groups <= 7 : groups == 8;
}

/* hostport after the userinfo of a SIP URI (RFC 3261 25.1); u[h..) */
static const char *uri_hostport(ss_str u, size_t h, struct sip_nameaddr *out,
				size_t *next)
{
	const char *r = NULL;
	size_t e;
	if (h < u.len && u.p[h] == '[') {
		e = find_byte(u, h, ']');
		if (e == u.len || !sip_ipv6_valid(sub(u, h + 1, e)))
			r = "invalid IPv6 reference";
		e = e < u.len ? e + 1 : e;
	} else {
		e = h;
		while (e < u.len && u.p[e] != ':' && u.p[e] != ';' &&
		       u.p[e] != '?')
			e++;
	}
	out->host = sub(u, h, e);
	if (e < u.len && u.p[e] == ':') {
		size_t pe = e + 1;
		while (pe < u.len && u.p[pe] != ';' && u.p[pe] != '?')
			pe++;
		ss_str port = sub(u, e + 1, pe);
		uint64_t v;
		if (ss_str_to_u64(port, 65535, &v))
			out->port = (uint16_t)v;
		else if (find_byte(port, 0, ':') < port.len)
			why(&r, "IPv6 address not enclosed in []");
		else
			why(&r, "bad port in URI");
		e = pe;
	}
	if (out->host.len == 0)
		why(&r, "URI without host");
	*next = e;
	return r;
}

/* The user part ends at the first ':' of the userinfo (a password
 * follows) and the userinfo at the first '@': '@' may appear neither in
 * a host nor, unescaped, in parameters or headers, while ';', '?' and
 * ',' may appear in the user part (RFC 4475 3.1.1.2, 3.1.1.9). */
static const char *uri_sip(ss_str u, size_t i, struct sip_nameaddr *out)
{
	size_t at = find_byte(u, i, '@'), h = i, e;
	if (at < u.len) {
		size_t colon = find_byte(sub(u, 0, at), i, ':');
		out->user = sub(u, i, colon);
		h = at + 1;
	}
	const char *r = uri_hostport(u, h, out, &e);
	if (e < u.len && u.p[e] == ';') {
		size_t q = find_byte(u, e, '?');
		out->params = sub(u, e + 1, q);
		e = q;
	}
	if (e < u.len && u.p[e] == '?')
		out->headers = sub(u, e + 1, u.len);
	return r;
}

const char *sip_parse_uri(ss_str uri, struct sip_nameaddr *out)
{
	size_t i = 0;
	out->uri = uri;
	out->scheme = out->user = out->host = SS_STR_NULL;
	out->params = out->headers = SS_STR_NULL;
	out->port = 0;
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
	while (i < uri.len) {
		char c = uri.p[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!alpha && (i == 0 || !(is_digit(c) || c == '+' ||
					   c == '-' || c == '.')))
			break;
		i++;
	}
	if (i == 0 || i >= uri.len || uri.p[i] != ':')
		return "URI without scheme";
	out->scheme = sub(uri, 0, i);
	if (IEQ_ALPHA(out->scheme, "sip") || IEQ_ALPHA(out->scheme, "sips"))
		return uri_sip(uri, i + 1, out);
	if (IEQ_ALPHA(out->scheme, "tel"))
		out->user = sub(uri, i + 1, find_byte(uri, i + 1, ';'));
	return NULL;
}

/* ---- parameters ------------------------------------------------------- */

/* Read the next ";name[=value]" of s from *pi, LWS allowed around ';' and
 * '=' (RFC 3261 25.1 SEMI, EQUAL). Returns 1 with a parameter (its name
 * may be empty: the caller decides what that means), 0 at the end, -1 at
 * text that is no parameter (*pi then points at it). */
static int param_next(ss_str s, size_t *pi, ss_str *name, ss_str *val)
{
	size_t i = skip_lws(s, *pi);
	*pi = i;
	if (i >= s.len)
		return 0;
	if (s.p[i] != ';')
		return -1;
	i = skip_lws(s, i + 1);
	size_t n0 = i;
	while (i < s.len && is_token((unsigned char)s.p[i]))
		i++;
	*name = sub(s, n0, i);
	*val = SS_STR_NULL;
	size_t j = skip_lws(s, i);
	if (j < s.len && s.p[j] == '=') {
		j = skip_lws(s, j + 1);
		size_t v0 = j;
		if (j < s.len && s.p[j] == '"') {
			size_t e = quoted_end(s, j);
			j = e ? e : s.len;
		} else if (j < s.len && s.p[j] == '[') {
			size_t e = find_byte(s, j, ']');
			j = e < s.len ? e + 1 : s.len;
		} else {
			while (j < s.len && !is_lws(s.p[j]) && s.p[j] != ';' &&
			       s.p[j] != ',')
				j++;
		}
		*val = sub(s, v0, j);
		i = j;
	}
	*pi = i;
	return 1;
}

/* Header parameters after a name-addr or addr-spec: only tag matters to
 * us (RFC 3261 19.3); anything else is checked for shape only. */
static void header_params(ss_str v, size_t i, struct sip_nameaddr *out)
{
	ss_str name, val;
	int r;
	while ((r = param_next(v, &i, &name, &val)) > 0) {
		if (name.len == 0) {
			why(&out->malformed, "empty header parameter");
			continue;
		}
		if (IEQ_ALPHA(name, "tag")) {
			if (out->tag.p)	/* the first one stands */
				why(&out->malformed, "duplicate tag parameter");
			else
				out->tag = val;
			if (val.len == 0)
				why(&out->malformed, "empty tag parameter");
		}
	}
	if (r < 0)
		why(&out->malformed, v.p[i] == ','
		    ? "multiple values in single-value header"
		    : "unexpected text after URI");
}

/* ---- name-addr -------------------------------------------------------- */


/* addr-spec without <>: the URI stops at the first ';' and what follows
 * are header parameters (RFC 3261 20.10), so "sip:a@b;tag=x" has a tag.
 * A URI with '?' headers must be in <> (20, RFC 4475 3.1.2.13). */
static bool addr_spec(ss_str v, struct sip_nameaddr *out)
{
	size_t semi = find_byte(v, 0, ';');
	ss_str u = ss_str_trim(sub(v, 0, semi));
	if (has_lws(u))
		why(&out->malformed, "whitespace in addr-spec");
	why(&out->malformed, sip_parse_uri(u, out));
	if (out->headers.len || find_byte(u, 0, '?') < u.len) {
		if (IEQ_ALPHA(out->scheme, "sip") || IEQ_ALPHA(out->scheme, "sips"))
			why(&out->malformed, "URI with headers not enclosed in <>");
	}
	out->present = true;
	header_params(v, semi, out);
	return true;
}

/* [display] <URI> with v[lt] == '<'. */
static bool angle_addr(ss_str v, size_t lt, struct sip_nameaddr *out)
{
	size_t gt = find_byte(v, lt + 1, '>');
	if (gt == v.len) {
		why(&out->malformed, "missing > after URI");
		return false;
	}
	ss_str in = sub(v, lt + 1, gt);
	if (has_lws(in))	/* RFC 4475 3.1.2.14: "< sip:x >" */
		why(&out->malformed, "whitespace in addr-spec");
	why(&out->malformed, sip_parse_uri(ss_str_trim(in), out));
	out->present = true;
	header_params(v, gt + 1, out);
	return true;
}

/*
 * Parse one name-addr or addr-spec (RFC 3261 20.10, 25.1), or "*" (a
 * Contact in a REGISTER, 10.2.2). display is the raw text between the
 * quotes: escapes stay as written since nothing is copied. Returns true
 * when a URI was found (out->present); out->malformed says what broke.
 */
bool sip_parse_nameaddr(ss_str value, struct sip_nameaddr *out)
{
	memset(out, 0, sizeof *out);
	ss_str v = ss_str_trim(value);
	if (v.len == 0) {
		out->malformed = "empty name-addr";
		return false;
	}
	if (ss_str_eq(v, "*")) {
		out->uri = v;
		out->present = true;
		return true;
	}
	if (v.p[0] == '"') {
		size_t e = quoted_end(v, 0);
		if (!e) {
			out->malformed = "unterminated quoted string";
			return false;
		}
		out->display = sub(v, 1, e - 1);
		size_t lt = skip_lws(v, e);
		if (lt >= v.len || v.p[lt] != '<') {
			out->malformed = "quoted display name without <URI>";
			return false;
		}
		return angle_addr(v, lt, out);
	}
	size_t lt = find_byte(v, 0, '<');
	if (lt == v.len)
		return addr_spec(v, out);
	out->display = ss_str_trim(sub(v, 0, lt));
	if (!display_tokens_ok(out->display))	/* RFC 4475 3.1.2.15 */
		out->malformed = "non-token character in display name";
	return angle_addr(v, lt, out);
}

/* ---- Via -------------------------------------------------------------- */


/* sent-protocol = protocol-name SLASH protocol-version SLASH transport,
 * with SLASH = SWS "/" SWS (RFC 3261 25.1; RFC 4475 3.1.1.1 folds it). */
static bool via_protocol(ss_str v, size_t *pi, struct sip_via *out)
{
	size_t i = *pi, e = 0;
	for (int part = 0; part < 3; part++) {
		if (part) {
			i = skip_lws(v, i);
			if (i >= v.len || v.p[i] != '/')
				return false;
			i = skip_lws(v, i + 1);
		}
		e = token_end(v, i);
		if (e == i)
			return false;
		if (part == 2)
			out->transport = sub(v, i, e);
		i = e;
	}
	out->protocol = sub(v, *pi, e);
	*pi = e;
	return true;
}

/* sent-by = host [ COLON port ], host possibly an [IPv6reference]. */
static bool via_sent_by(ss_str v, size_t *pi, struct sip_via *out)
{
	size_t i = skip_lws(v, *pi), e;
	if (i < v.len && v.p[i] == '[') {
		e = find_byte(v, i, ']');
		if (e == v.len || !sip_ipv6_valid(sub(v, i + 1, e)))
			why(&out->malformed, "invalid IPv6 reference");
		e = e < v.len ? e + 1 : e;
	} else {
		e = i;
		while (e < v.len && !is_lws(v.p[e]) && v.p[e] != ':' &&
		       v.p[e] != ';')
			e++;
	}
	out->host = sub(v, i, e);
	if (out->host.len == 0)
		return false;
	i = skip_lws(v, e);
	if (i < v.len && v.p[i] == ':') {
		size_t ps = skip_lws(v, i + 1), pe = ps;
		while (pe < v.len && !is_lws(v.p[pe]) && v.p[pe] != ';')
			pe++;
		ss_str port = sub(v, ps, pe);
		uint64_t n;
		if (ss_str_to_u64(port, 65535, &n))
			out->port = (uint16_t)n;
		else if (find_byte(port, 0, ':') < port.len)
			why(&out->malformed, "IPv6 address not enclosed in []");
		else
			why(&out->malformed, "bad Via port");
		e = pe;
	}
	*pi = e;
	return true;
}

/* received may carry an IPv6 address with or without brackets: RFC 5118
 * 4.5 asks receivers to accept both. */
static void via_received(ss_str val, struct sip_via *out)
{
	out->received = val;
	ss_str a = val;
	if (a.len && a.p[0] == '[') {
		if (a.len < 2 || a.p[a.len - 1] != ']') {
			why(&out->malformed, "invalid IPv6 reference");
			return;
		}
		a = sub(a, 1, a.len - 1);
	} else if (find_byte(a, 0, ':') == a.len) {
		return;
	}
	if (!sip_ipv6_valid(a))
		why(&out->malformed, "invalid IPv6 reference");
}

static void via_params(ss_str v, size_t i, struct sip_via *out)
{
	ss_str name, val;
	int r;
	while ((r = param_next(v, &i, &name, &val)) > 0) {
		uint64_t n;
		if (name.len == 0)	/* RFC 4475 3.1.2.1 */
			why(&out->malformed, "empty Via parameter");
		else if (IEQ_ALPHA(name, "branch"))
			out->branch = val;
		else if (IEQ_ALPHA(name, "received"))
			via_received(val, out);
		else if (IEQ_ALPHA(name, "rport")) {
			/* RFC 3581: empty in a request, a port in responses */
			if (val.len == 0)
				out->rport = 0;
			else if (ss_str_to_u64(val, 65535, &n))
				out->rport = (int32_t)n;
			else
				why(&out->malformed, "bad rport");
		}
	}
	if (r < 0)
		why(&out->malformed, "unexpected text in Via");
}

/* Parse the first via-parm of a Via value (RFC 3261 20.42). Returns true
 * when protocol and sent-by were read (out->present). */
bool sip_parse_via(ss_str value, struct sip_via *out)
{
	bool bad = false;
	memset(out, 0, sizeof *out);
	out->rport = -1;
	ss_str v = ss_str_trim(sub(value, 0, sip_elem_end(value, 0, &bad)));
	size_t i = 0;
	if (!via_protocol(v, &i, out)) {
		out->malformed = "bad Via protocol";
		return false;
	}
	if (!via_sent_by(v, &i, out)) {
		out->malformed = "missing Via sent-by";
		return false;
	}
	via_params(v, i, out);
	if (bad)
		why(&out->malformed, "unterminated quoted string");
	out->present = true;
	return true;
}
