/*
 * registration.c - see registration.h. One record per address of record,
 * found through a hash of the normalised AoR.
 */
#include "registration.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct ss_regs {
	struct ss_reg **v;	/* owned, first-seen order */
	size_t n, cap;
	struct ss_ptab idx;	/* hash(aor) -> index + 1 */
	/* what ss_regs_add found in the message it saw last */
	const struct sip_msg *last_m;
	bool last_req, last_creds, last_unreg, last_stale;
};

struct ss_regs *ss_regs_new(void)
{
	struct ss_regs *r = xcalloc(1, sizeof *r);
	ss_ptab_init(&r->idx);
	return r;
}

static void contacts_free(struct ss_reg *g)
{
	for (size_t i = 0; i < g->ncontacts; i++)
		free(g->contacts[i].uri);
	free(g->contacts);
	g->contacts = NULL;
	g->ncontacts = 0;
}

void ss_regs_free(struct ss_regs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		contacts_free(r->v[i]);
		free(r->v[i]->aor);
		free(r->v[i]->user_agent);
		free(r->v[i]);
	}
	free(r->v);
	free(r->idx.s);
	free(r);
}

size_t ss_regs_count(const struct ss_regs *r)
{
	return r->n;
}

const struct ss_reg *ss_regs_at(const struct ss_regs *r, size_t i)
{
	return i < r->n ? r->v[i] : NULL;
}

int64_t ss_reg_since_success_ms(const struct ss_reg *g, int64_t now_ns)
{
	return g->last_success < 0 ? -1 : (now_ns - g->last_success) / 1000000;
}

/* ---- helpers on messages ---------------------------------------------- */

bool ss_sip_has_creds(const struct sip_msg *m)
{
	return sip_find(m, SIP_H_AUTHORIZATION) || sip_find(m, SIP_H_PROXY_AUTHORIZATION);
}

/* s at i starts with lit (ASCII case-insensitive). */
static bool istarts_at(ss_str s, size_t i, const char *lit)
{
	size_t n = strlen(lit);
	if (s.len - i < n)
		return false;
	for (size_t j = 0; j < n; j++) {
		unsigned char c = (unsigned char)s.p[i + j];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)lit[j])
			return false;
	}
	return true;
}

/* Eight bytes at a time (SWAR): header values are read 8 bytes per step
 * where the byte loops below would look at each. */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static uint64_t load8(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/* Nonzero when a byte of w is zero (exact as a yes/no). */
static uint64_t zero_byte(uint64_t w)
{
	return (w - ONES) & ~w & HIGHS;
}

/* The first i >= from where v could hold 's' or 'S' (c | 0x20 == 's'
 * only for those two); v.len when none. */
static size_t next_s(ss_str v, size_t from)
{
	size_t i = from;
	while (i + 8 <= v.len && !zero_byte((load8(v.p + i) | ONES * 0x20) ^ ONES * 's'))
		i += 8;
	for (; i < v.len; i++)
		if ((v.p[i] | 0x20) == 's')
			return i;
	return v.len;
}

/* "stale=true" or "stale=\"true\"" somewhere in v: one pass. */
static bool stale_true(ss_str v)
{
	for (size_t i = next_s(v, 0); i < v.len; i = next_s(v, i + 1))
		if (istarts_at(v, i, "stale=") &&
		    (istarts_at(v, i + 6, "true") || istarts_at(v, i + 6, "\"true\"")))
			return true;
	return false;
}

bool ss_sip_stale(const struct sip_msg *m)
{
	for (size_t i = 0; i < m->nhdrs; i++) {
		enum sip_hdr_id id = m->hdrs[i].id;
		if ((id == SIP_H_WWW_AUTHENTICATE || id == SIP_H_PROXY_AUTHENTICATE) &&
		    stale_true(m->hdrs[i].value))
			return true;
	}
	return false;
}

/* Walk the contact-params of every Contact value (RFC 3261 20.10), split
 * at commas outside quotes and <>. fn gets each element, and whether it
 * is a whole header value without any comma; returns false to stop. */
typedef bool (*contact_fn)(void *user, ss_str elem, bool whole);

/* The first k >= from where v has one of the characters contacts_each
 * acts on; v.len when none. */
static size_t next_special(ss_str v, size_t from)
{
	/* the characters that do anything below */
	static const bool special[256] = { ['"'] = 1, ['<'] = 1, ['>'] = 1, [','] = 1 };
	size_t k = from;
	for (; k + 8 <= v.len; k += 8) {
		uint64_t w = load8(v.p + k);
		if (zero_byte(w ^ ONES * '"') | zero_byte(w ^ ONES * '<') |
		    zero_byte(w ^ ONES * '>') | zero_byte(w ^ ONES * ','))
			break;
	}
	for (; k < v.len; k++)
		if (special[(unsigned char)v.p[k]])
			return k;
	return v.len;
}

static void contacts_each(const struct sip_msg *m, contact_fn fn, void *user)
{
	for (size_t i = 0; i < m->nhdrs; i++) {
		if (m->hdrs[i].id != SIP_H_CONTACT)
			continue;
		ss_str v = m->hdrs[i].value;
		if (!v.len || !memchr(v.p, ',', v.len)) {
			/* the usual single contact: only a comma splits */
			ss_str e = ss_str_trim(v);
			if (e.len && !fn(user, e, e.p == v.p && e.len == v.len))
				return;
			continue;
		}
		size_t start = 0;
		bool q = false, a = false, comma = false;
		bool end = false;	/* the end of v ends an element too */
		for (size_t k = next_special(v, 0); !end; k = next_special(v, k + 1)) {
			end = k == v.len;
			char ch = end ? ',' : v.p[k];
			comma |= !end && ch == ',';
			if (ch == '"' && !a)
				q = !q;
			else if (ch == '<' && !q)
				a = true;
			else if (ch == '>' && !q)
				a = false;
			if (ch != ',' || q || a)
				continue;
			ss_str e = ss_str_trim(ss_str_make(v.p + start, k - start));
			bool whole = !comma && e.p == v.p && e.len == v.len;
			start = k + 1;
			if (e.len && !fn(user, e, whole))
				return;
		}
	}
}

/* ss_str_ifind(s, ";expires="), looking only where a ';' is. */
static long expires_at(ss_str s)
{
	for (const char *p = s.p, *end = s.p + s.len; end - p >= 9; p++) {
		p = memchr(p, ';', (size_t)(end - p) - 8);
		if (!p)
			return -1;
		/* "expires=" is 8 bytes: letters lower-cased by setting bit
		 * 0x20 (only 'E' and 'e' give 'e'), '=' compared as it is */
		uint64_t w = load8(p + 1) | load8("\x20\x20\x20\x20\x20\x20\x20");
		if (w == load8("expires="))
			return (long)(p - s.p);
	}
	return -1;
}

/* The URI of a contact element. The parser read the first Contact value
 * into m->contact with the same name-addr reader (nameaddr_fast(), else
 * sip_parse_nameaddr()), so when e is that whole value, comma-free (the
 * parser takes another route then), its URI is already there. */
static ss_str contact_uri(const struct sip_msg *m, ss_str e, bool whole)
{
	const struct sip_nameaddr *c = &m->contact;
	if (whole && c->present && !c->malformed && c->uri.len && c->uri.p >= e.p &&
	    c->uri.p + c->uri.len <= e.p + e.len)
		return c->uri;
	struct sip_nameaddr na;
	sip_read_nameaddr(e, &na);
	return na.uri.len ? na.uri : e;
}

/* The expires header param of a contact element; -1 when absent. */
static int64_t contact_expires(ss_str e)
{
	/* the last '>': the params after it are short */
	size_t from = e.len;
	while (from && e.p[from - 1] != '>')
		from--;
	from = from ? from - 1 : 0;
	ss_str tail = ss_str_make(e.p + from, e.len - from);
	long at = expires_at(tail);
	if (at < 0)
		return -1;
	uint64_t v = 0;
	size_t k = (size_t)at + 9;
	if (k >= tail.len || !isdigit((unsigned char)tail.p[k]))
		return -1;
	for (; k < tail.len && isdigit((unsigned char)tail.p[k]); k++)
		v = v < UINT64_C(1) << 40 ? v * 10 + (uint64_t)(tail.p[k] - '0') : v;
	return (int64_t)v;
}

struct unreg_scan {
	int64_t hdr_expires;
	size_t n, zero;
	bool star;
};

static bool unreg_one(void *user, ss_str e, bool whole)
{
	struct unreg_scan *u = user;
	(void)whole;
	if (e.len == 1 && e.p[0] == '*') {
		u->star = true;
		return false;
	}
	int64_t x = contact_expires(e);
	u->n++;
	if (x == 0 || (x < 0 && u->hdr_expires == 0))
		u->zero++;
	return true;
}

static bool unreg_result(const struct unreg_scan *u, const struct sip_msg *m)
{
	if (u->star)
		return true;
	return u->n ? u->zero == u->n : m->expires == 0;
}

bool ss_sip_unregister(const struct sip_msg *m)
{
	struct unreg_scan u = { m->expires, 0, 0, false };
	contacts_each(m, unreg_one, &u);
	return unreg_result(&u, m);
}

/* ---- the outcome rule (registration.h) -------------------------------- */

enum ss_call_state ss_reg_outcome(uint8_t *auth_run, int code, bool had_creds,
				  bool stale, bool unregister,
				  enum ss_call_state cur)
{
	if (code >= 200 && code < 300) {
		*auth_run = 0;
		return unregister ? SS_CS_UNREGISTERED : SS_CS_REGISTERED;
	}
	if (code == 403)
		return SS_CS_AUTH_FAILED;
	if (code == 401 || code == 407) {
		if (*auth_run < UINT8_MAX)
			(*auth_run)++;
		if (*auth_run >= SS_AUTH_LOOP ||
		    (*auth_run >= 2 && had_creds && !stale))
			return SS_CS_AUTH_FAILED;
		return cur == SS_CS_REGISTERED ? cur : SS_CS_PENDING;
	}
	return code >= 300 ? SS_CS_FAILED : cur;
}

/* ---- records ---------------------------------------------------------- */

/* AoR = scheme:user@host, scheme and host lower-cased (RFC 3261 19.1.4
 * compares them case-insensitively; the user part is case-sensitive),
 * without port or parameters (10.3 step 5 canonicalisation). */
static char *aor_make(const struct sip_nameaddr *to, char *buf, size_t cap)
{
	ss_str sch = to->scheme, usr = to->user, host = to->host;
	if (!sch.len && !host.len) {
		if (to->uri.len >= cap)
			return xmemdup(to->uri.p, to->uri.len);
		if (to->uri.len)
			memcpy(buf, to->uri.p, to->uri.len);
		buf[to->uri.len] = '\0';
		return buf;
	}
	size_t n = sch.len + 1 + usr.len + 1 + host.len;
	char *s = n < cap ? buf : xmalloc(n + 1), *w = s;
	for (size_t i = 0; i < sch.len; i++)
		*w++ = (char)tolower((unsigned char)sch.p[i]);
	*w++ = ':';
	if (usr.len) {
		memcpy(w, usr.p, usr.len);
		w += usr.len;
		if (host.len)
			*w++ = '@';
	}
	for (size_t i = 0; i < host.len; i++)
		*w++ = (char)tolower((unsigned char)host.p[i]);
	*w = '\0';
	return s;
}

static bool reg_eq(uintptr_t v, const void *key)
{
	const struct ss_regs *r = ((const void *const *)key)[0];
	const char *aor = ((const void *const *)key)[1];
	return strcmp(r->v[v - 1]->aor, aor) == 0;
}

static struct ss_reg *reg_lookup(const struct ss_regs *r, const char *aor)
{
	const void *key[2] = { r, aor };
	struct ss_slot *s = ss_ptab_find(&r->idx, ss_hash_str(aor, strlen(aor)),
					 reg_eq, key);
	return s ? r->v[s->v - 1] : NULL;
}

const struct ss_reg *ss_regs_find(const struct ss_regs *r, const char *aor)
{
	return reg_lookup(r, aor);
}

static struct ss_reg *reg_get(struct ss_regs *r, const struct sip_nameaddr *to)
{
	/* looked up from the stack; copied only for a new record */
	char buf[256];
	char *aor = aor_make(to, buf, sizeof buf);
	struct ss_reg *g = reg_lookup(r, aor);
	if (g) {
		if (aor != buf)
			free(aor);
		return g;
	}
	if (aor == buf)
		aor = xmemdup(buf, strlen(buf));
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof *r->v);
	}
	g = xcalloc(1, sizeof *g);
	g->aor = aor;
	g->last_attempt = g->last_success = g->expires_s = -1;
	g->state = SS_CS_PENDING;
	r->v[r->n++] = g;
	const void *key[2] = { r, aor };
	ss_ptab_set(&r->idx, ss_hash_str(aor, strlen(aor)), reg_eq, key, (uintptr_t)r->n);
	return g;
}

/* What snprintf(out, len, "%.*s%s:%ld", ...) writes, without stdio:
 * host (an IP fits; a longer name is cut visibly with "~") and port. */
static void fmt_hostport(char *out, size_t len, ss_str host, long port)
{
	char buf[80];
	size_t h = host.len > 48 ? 48 : host.len, n = 0;
	if (h)
		memcpy(buf, host.p, h);
	n = h;
	if (host.len > 48)
		buf[n++] = '~';
	if (port > 0) {
		char d[24];
		size_t nd = 0;
		for (unsigned long p = (unsigned long)port; p; p /= 10)
			d[nd++] = (char)('0' + p % 10);
		buf[n++] = ':';
		while (nd)
			buf[n++] = d[--nd];
	}
	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(out, buf, n);
	out[n] = '\0';
}

/* ---- requests and responses ------------------------------------------- */

/* What a REGISTER request's Contact list says, read in one walk: whether
 * it removes bindings (ss_sip_unregister()) and the hash of its first
 * contact's URI (matched against the registrar's list in reg_success()). */
struct req_scan {
	struct unreg_scan u;
	const struct sip_msg *m;
	uint64_t first_h;
	bool have_first;
};

static bool req_contact(void *user, ss_str e, bool whole)
{
	struct req_scan *s = user;
	if (!s->have_first) {
		ss_str uri = contact_uri(s->m, e, whole);
		s->first_h = ss_hash_str(uri.p, uri.len);
		s->have_first = true;
	}
	return unreg_one(&s->u, e, whole);
}

static void reg_request(struct ss_reg *g, const struct ss_sip_event *ev)
{
	const struct sip_msg *m = ev->msg;
	g->attempts++;
	g->last_attempt = ev->pi->ts_ns;
	g->had_creds = ss_sip_has_creds(m);
	struct req_scan rs = { { m->expires, 0, 0, false }, m, 0, false };
	contacts_each(m, req_contact, &rs);
	g->unregister = unreg_result(&rs.u, m);
	g->req_contact_h = rs.first_h;
	if (!g->user_agent && m->user_agent.len)
		g->user_agent = xmemdup(m->user_agent.p, m->user_agent.len);
	fmt_hostport(g->sent_by, sizeof g->sent_by, m->via.host,
		     m->via.port ? m->via.port : 5060);
	if (!g->source[0] || !g->nat) {	/* until the registrar says better */
		const struct ss_addr *a = &ev->pi->src;
		if (!g->src_fmt_ok_ || g->src_fmt_.family != a->family ||
		    g->src_fmt_.port != a->port ||
		    memcmp(g->src_fmt_.ip, a->ip, sizeof a->ip) != 0) {
			ss_addr_format(a, true, g->src_fmt_s_, sizeof g->src_fmt_s_);
			g->src_fmt_ = *a;
			g->src_fmt_ok_ = true;
		}
		_Static_assert(sizeof g->source == sizeof g->src_fmt_s_, "same size");
		memcpy(g->source, g->src_fmt_s_, sizeof g->source);
	}
	if (g->state != SS_CS_REGISTERED)
		g->state = SS_CS_PENDING;
}

/* RFC 3581 4 / RFC 3261 18.2.1: the registrar writes where the request
 * really came from into the top Via of its response. */
static void reg_source(struct ss_reg *g, const struct sip_msg *m)
{
	const struct sip_via *v = &m->via;
	if (!v->received.len && v->rport <= 0)
		return;
	ss_str host = v->received.len ? v->received : v->host;
	long port = v->rport > 0 ? v->rport : (v->port ? v->port : 5060);
	char via[64];
	fmt_hostport(g->source, sizeof g->source, host, port);
	fmt_hostport(via, sizeof via, v->host, v->port ? v->port : 5060);
	g->nat = strcmp(via, g->source) != 0;
	if (!g->sent_by[0])
		memcpy(g->sent_by, via, sizeof via);
}

static bool add_contact(void *user, ss_str e, bool whole)
{
	struct ss_reg *g = ((void **)user)[0];
	const struct sip_msg *m = ((void **)user)[1];
	ss_str uri = contact_uri(m, e, whole);
	int64_t x = contact_expires(e);
	g->contacts = xreallocarray(g->contacts, g->ncontacts + 1, sizeof *g->contacts);
	g->contacts[g->ncontacts].uri = xmemdup(uri.p, uri.len);
	g->contacts[g->ncontacts++].expires_s = x >= 0 ? x : m->expires;
	return g->ncontacts < 1024;	/* a registrar listing more is noise */
}

static void reg_success(struct ss_reg *g, const struct ss_sip_event *ev)
{
	const struct sip_msg *m = ev->msg;
	g->successes++;
	g->last_success = ev->pi->ts_ns;
	contacts_free(g);
	void *arg[2] = { g, (void *)(uintptr_t)m };
	contacts_each(m, add_contact, arg);
	if (g->unregister)
		g->expires_s = 0;
	else if (g->ncontacts)
		g->expires_s = g->contacts[0].expires_s;
	else
		g->expires_s = m->expires;
	/* the registrar lists every binding of the AoR (10.3 step 8): report
	 * the one this UA registered when it is there */
	for (size_t i = 0; !g->unregister && i < g->ncontacts; i++)
		if (ss_hash_str(g->contacts[i].uri, strlen(g->contacts[i].uri)) ==
		    g->req_contact_h)
			g->expires_s = g->contacts[i].expires_s;
}

void ss_regs_add(struct ss_regs *r, const struct ss_sip_event *ev, bool retrans)
{
	const struct sip_msg *m = ev->msg;
	r->last_m = NULL;
	if (retrans)
		return;
	struct ss_reg *g = reg_get(r, &m->to);
	if (m->is_request) {
		if (m->method == SIP_M_REGISTER) {
			reg_request(g, ev);
			r->last_m = m;
			r->last_req = true;
			r->last_creds = g->had_creds;
			r->last_unreg = g->unregister;
		}
		return;
	}
	if (m->status < 200)
		return;
	bool stale = ss_sip_stale(m);
	r->last_m = m;
	r->last_req = false;
	r->last_stale = stale;
	g->last_code = m->status;
	reg_source(g, m);
	if (m->status < 300)
		reg_success(g, ev);
	else if (m->status == 401 || m->status == 407)
		g->challenges++;
	else
		g->failures++;
	g->state = ss_reg_outcome(&g->auth_run, m->status, g->had_creds,
				  stale, g->unregister, g->state);
}

bool ss_regs_msg_creds(const struct ss_regs *r, const struct sip_msg *m)
{
	return r->last_m == m && r->last_req ? r->last_creds : ss_sip_has_creds(m);
}

bool ss_regs_msg_stale(const struct ss_regs *r, const struct sip_msg *m)
{
	return r->last_m == m && !r->last_req ? r->last_stale : ss_sip_stale(m);
}

bool ss_regs_msg_unregister(const struct ss_regs *r, const struct sip_msg *m)
{
	return r->last_m == m && r->last_req ? r->last_unreg : ss_sip_unregister(m);
}
