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
#include "sip_int.h"

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
 * The usual shapes of From, To, Contact and Via, read in one pass each.
 * Each accepts only values for which the general parser (sip_hdr.c)
 * would set no malformed reason, and then fills in exactly what it would;
 * anything else (LWS inside, quoted-pairs, IPv6, URI headers, other
 * schemes, odd parameters, ...) returns false and the general parser
 * runs. The shapes
 * accepted are a strict subset, so the results cannot differ;
 * tests/test_sip_fast.c compares them anyway.
 */

/* A SIP URI inside <> without LWS, controls, non-ASCII, '?', '[', '"'
 * (sip_parse_uri()): one scan for those and for '@', ':', ';'. */
bool sip_uri_fast(ss_str u, struct sip_nameaddr *out)
{
	size_t i;
	if (u.len > 4 && memcmp(u.p, "sip:", 4) == 0)
		i = 4;
	else if (u.len > 5 && memcmp(u.p, "sips:", 5) == 0)
		i = 5;
	else
		return false;
	size_t hits[8], nh = 0, at = u.len;
	for (size_t k = i;;) {
		k += scan_stop_in(u.p, u.p + k, u.len - k, '@', ':', ';', '?', '"');
		if (k >= u.len)
			break;
		char c = u.p[k];
		if ((c != '@' && c != ':' && c != ';') || nh == 8)
			return false;
		if (c == '@' && at == u.len)
			at = k;
		hits[nh++] = k++;
	}
	out->uri = u;
	out->scheme = sub(u, 0, i - 1);
	size_t h = i, hk = 0;
	out->user = SS_STR_NULL;
	if (at < u.len) {
		size_t colon = at;
		for (size_t k = 0; k < nh && hits[k] < at; k++)
			if (u.p[hits[k]] == ':') {
				colon = hits[k];
				break;
			}
		out->user = sub(u, i, colon);
		h = at + 1;
	}
	/* the host ends at the first ':' or ';' after h ('[' was refused) */
	while (hk < nh && (hits[hk] < h || u.p[hits[hk]] == '@'))
		hk++;
	size_t e = hk < nh ? hits[hk] : u.len;
	if (e == h || u.p[h] == '[')
		return false;		/* URI without host */
	out->host = sub(u, h, e);
	out->port = 0;
	if (e < u.len && u.p[e] == ':') {
		size_t pe = u.len;
		for (size_t k = hk + 1; k < nh; k++)
			if (u.p[hits[k]] == ';') {
				pe = hits[k];
				break;
			}
		uint64_t v;
		if (!ss_str_to_u64(sub(u, e + 1, pe), 65535, &v))
			return false;
		out->port = (uint16_t)v;
		e = pe;
	}
	out->params = SS_STR_NULL;
	out->headers = SS_STR_NULL;
	if (e < u.len)		/* u.p[e] == ';' */
		out->params = sub(u, e + 1, u.len);
	return true;
}

/* One ";name[=value]" of v at *pi for the fast paths: a non-empty token
 * name, and a value without LWS, controls, non-ASCII, ',', '"', '[' or
 * the caller's extra stop byte, running to the next ';' or the end.
 * Returns false for anything else (the general parser's param_next()
 * takes it); on success *pi is at the next ';' or v.len. */
static inline bool param_fast(ss_str v, size_t *pi, char stop, ss_str *name,
			      ss_str *val)
{
	size_t i = *pi;
	if (v.p[i] != ';')
		return false;
	size_t n0 = ++i;
	while (i < v.len && is_token((unsigned char)v.p[i]))
		i++;
	if (i == n0)
		return false;
	*name = sub(v, n0, i);
	*val = SS_STR_NULL;
	if (i < v.len && v.p[i] == '=') {
		size_t v0 = ++i;
		i += scan_stop_in(v.p, v.p + i, v.len - i, ';', ',', '"', '[', stop);
		if (i < v.len && v.p[i] != ';')
			return false;
		*val = sub(v, v0, i);
	} else if (i < v.len && v.p[i] != ';') {
		return false;
	}
	*pi = i;
	return true;
}

/* ";name[=value]..." to the end of v from i, no LWS, no quotes, no
 * brackets, no commas; tag= once and not empty (header_params()). */
static bool hparams_fast(ss_str v, size_t i, ss_str *tag)
{
	*tag = SS_STR_NULL;
	while (i < v.len) {
		ss_str name, val;
		if (!param_fast(v, &i, ';', &name, &val))
			return false;
		if (IEQ_ALPHA(name, "tag")) {
			if (tag->p || val.len == 0)
				return false;
			*tag = val;
		}
	}
	return true;
}

/* [display] <sip:...>;params, display quoted (no quoted-pair) or tokens.
 * *t must be all zero on entry (msg_init() left it so: From and To are
 * applied once, Contact until its first value); fields are written in
 * place, so on false *t holds a partial result and the caller resets it
 * (sip_parse_nameaddr() does). Building a copy on the stack and copying
 * it out cost a tenth of this function. */
static bool nameaddr_fast(ss_str v, struct sip_nameaddr *t)
{
	if (v.len < 2)
		return false;
	size_t lt;
	if (v.p[0] == '"') {
		const char *cq = memchr(v.p + 1, '"', v.len - 1);
		if (!cq || memchr(v.p + 1, '\\', (size_t)(cq - v.p) - 1))
			return false;
		size_t e = (size_t)(cq - v.p) + 1;
		t->display = sub(v, 1, e - 1);
		lt = e;
		while (lt < v.len && v.p[lt] == ' ')
			lt++;
		if (lt >= v.len || v.p[lt] != '<')
			return false;
	} else {
		lt = find_byte(v, 0, '<');
		if (lt == v.len)
			return false;	/* addr-spec: the general parser */
		t->display = ss_str_trim(sub(v, 0, lt));
		if (!display_tokens_ok(t->display) || memchr(v.p, '"', lt))
			return false;
	}
	size_t gt = find_byte(v, lt + 1, '>');
	if (gt == v.len)
		return false;
	if (!sip_uri_fast(sub(v, lt + 1, gt), t))
		return false;
	if (!hparams_fast(v, gt + 1, &t->tag))
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

/* SIP/2.0/UDP host[:port][;params], one value, no LWS but the one run of
 * spaces after the protocol (sip_parse_via()). Like nameaddr_fast(),
 * writes in place: *t must be as msg_init() left it (zero, rport -1),
 * and on false the caller resets it (sip_parse_via() does). */
static bool via_fast(ss_str v, struct sip_via *t)
{
	size_t i = 0, e = 0, p0;
	for (int part = 0; part < 3; part++) {
		if (part) {
			if (i >= v.len || v.p[i] != '/')
				return false;
			i++;
		}
		p0 = i;
		e = token_end(v, i);
		if (e == i)
			return false;
		if (part == 2)
			t->transport = sub(v, p0, e);
		i = e;
	}
	t->protocol = sub(v, 0, e);
	if (i >= v.len || v.p[i] != ' ')
		return false;
	while (i < v.len && v.p[i] == ' ')
		i++;
	size_t h = i;
	i += scan_stop_in(v.p, v.p + i, v.len - i, ':', ';', '[', ',', '"');
	if (i < v.len && v.p[i] != ':' && v.p[i] != ';')
		return false;
	if (memchr(v.p, '<', v.len))
		return false;
	if (i == h)
		return false;
	t->host = sub(v, h, i);
	if (i < v.len && v.p[i] == ':') {
		size_t ps = i + 1, pe = ps;
		while (pe < v.len && v.p[pe] != ';')
			pe++;
		uint64_t n;
		if (!ss_str_to_u64(sub(v, ps, pe), 65535, &n))
			return false;
		t->port = (uint16_t)n;
		i = pe;
	}
	while (i < v.len) {	/* v.p[i] == ';' */
		ss_str name, val;
		if (!param_fast(v, &i, '<', &name, &val))
			return false;
		uint64_t n;
		if (IEQ_ALPHA(name, "branch")) {
			t->branch = val;
		} else if (IEQ_ALPHA(name, "received")) {
			if (find_byte(val, 0, ':') < val.len)
				return false;
			t->received = val;
		} else if (IEQ_ALPHA(name, "rport")) {
			if (val.len == 0)
				t->rport = 0;
			else if (ss_str_to_u64(val, 65535, &n))
				t->rport = (int32_t)n;
			else
				return false;
		}
	}
	t->present = true;
	return true;
}

static void apply_value(struct sip_msg *m, const struct sip_header *h,
			bool fast)
{
	ss_str v = h->value;
	switch (h->id) {
	case SIP_H_VIA:
		if (fast) {
			/* one value, no quotes or <>: sip_elem_end() is its end */
			if (!m->via.present && !m->via.malformed &&
			    !via_fast(v, &m->via)) {
				sip_parse_via(v, &m->via);
				sip_msg_flag(m, m->via.malformed);
				m->via_count += via_values(v);
			} else if (v.len && !memchr(v.p, ',', v.len) &&
				   !memchr(v.p, '"', v.len)) {
				m->via_count++;
			} else {
				m->via_count += via_values(v);
			}
			break;
		}
		apply_via(m, v);
		break;
	case SIP_H_FROM:
		if (!fast || !nameaddr_fast(v, &m->from))
			apply_nameaddr(m, &m->from, v);
		break;
	case SIP_H_TO:
		if (!fast || !nameaddr_fast(v, &m->to))
			apply_nameaddr(m, &m->to, v);
		break;
	case SIP_H_CALL_ID: apply_call_id(m, v); break;
	case SIP_H_CSEQ: apply_cseq(m, v); break;
	case SIP_H_CONTACT:
		if (!m->contact.present && !m->contact.malformed &&
		    (!fast || memchr(v.p, ',', v.len) ||
		     !nameaddr_fast(v, &m->contact))) {
			/* apply_contact() may stop before it resets it */
			memset(&m->contact, 0, sizeof m->contact);
			apply_contact(m, v);
		}
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
	apply_value(m, h, false);
}

void sip_msg_apply_fast(struct sip_msg *m, size_t idx, bool rep)
{
	const struct sip_header *h = &m->hdrs[idx];
	if (rep && single_value(h->id)) {
		sip_msg_flag(m, "multiple values in single-value header");
		return;
	}
	apply_value(m, h, true);
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
