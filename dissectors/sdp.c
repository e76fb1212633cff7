/*
 * sdp.c - SDP session descriptions (RFC 8866; RFC 4566 grammar), the
 * attributes offer/answer analysis needs. Contract in sdp.h. The static
 * payload types and the queries over a parsed description are in
 * sdp_util.c, the multipart body search in sdp_multipart.c.
 *
 * Every read is bounded by [buf, buf + len): lines are found by scanning
 * for CR, LF and NUL over the bytes that remain, fields by splitting
 * slices; numbers go through ss_str_to_u64 with an explicit maximum.
 */
#include <string.h>

#include "sdp.h"
#include "sdp_int.h"

/* ---- small slice helpers ---------------------------------------------- */

static bool is_sp(char c)
{
	return c == ' ' || c == '\t';
}

/* sdp_int.h */
ss_str sdp_tok(ss_str *s)
{
	size_t i = 0;
	if (s->len == 0)
		return SS_STR_NULL;
	while (i < s->len && is_sp(s->p[i]))
		i++;
	size_t start = i;
	while (i < s->len && !is_sp(s->p[i]))
		i++;
	ss_str t = ss_str_make(s->p + start, i - start);
	s->p += i;
	s->len -= i;
	return t;
}

/* Split s at the first c: *head gets what is before it, s what follows.
 * Returns false (head = all of s, s empty) when there is no c. */
static bool split_at(ss_str *s, char c, ss_str *head)
{
	const char *q = s->len ? memchr(s->p, c, s->len) : NULL;
	if (!q) {
		*head = *s;
		*s = SS_STR_NULL;
		return false;
	}
	*head = ss_str_make(s->p, (size_t)(q - s->p));
	s->len -= (size_t)(q - s->p) + 1;
	s->p = s->len ? q + 1 : NULL;
	return true;
}

static ss_str trim_sp(ss_str s)
{
	while (s.len && is_sp(s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && is_sp(s.p[s.len - 1]))
		s.len--;
	return s;
}

static bool str_same(ss_str a, ss_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* ---- names ------------------------------------------------------------ */

const char *sdp_bad_name(uint32_t bad)
{
	static const char *const names[] = {
		"no v= line", "v= is not 0", "bad or missing o= line",
		"line not of the form x=value", "NUL byte in SDP",
		"bad c= line", "bad m= line", "bad attribute value",
		"media without a connection address",
		"payload type without rtpmap",
		"no s= line", "session-level line after m=",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (bad & (1u << i))
			return names[i];
	return "";
}

const char *sdp_dir_name(enum sdp_dir d)
{
	switch (d) {
	case SDP_DIR_SENDRECV: return "sendrecv";
	case SDP_DIR_SENDONLY: return "sendonly";
	case SDP_DIR_RECVONLY: return "recvonly";
	case SDP_DIR_INACTIVE: return "inactive";
	case SDP_DIR_UNSET: break;
	}
	return "";
}

bool sdp_proto_is_rtp(enum sdp_proto p)
{
	return p == SDP_P_RTP_AVP || p == SDP_P_RTP_SAVP ||
	       p == SDP_P_RTP_AVPF || p == SDP_P_RTP_SAVPF ||
	       p == SDP_P_DTLS_SAVP || p == SDP_P_DTLS_SAVPF ||
	       p == SDP_P_TCP_RTP;
}

static enum sdp_media_type media_type(ss_str t)
{
	static const char *const names[] = {
		NULL, "audio", "video", "image", "application", "text",
		"message",
	};
	for (size_t i = 1; i < sizeof names / sizeof names[0]; i++)
		if (ss_str_ieq(t, names[i]))
			return (enum sdp_media_type)i;
	return SDP_MT_OTHER;
}

static enum sdp_proto proto_id(ss_str p)
{
	static const struct {
		const char *name;
		enum sdp_proto id;
	} protos[] = {
		{ "RTP/AVP", SDP_P_RTP_AVP },
		{ "RTP/SAVP", SDP_P_RTP_SAVP },
		{ "RTP/AVPF", SDP_P_RTP_AVPF },
		{ "RTP/SAVPF", SDP_P_RTP_SAVPF },
		{ "UDP/TLS/RTP/SAVP", SDP_P_DTLS_SAVP },
		{ "UDP/TLS/RTP/SAVPF", SDP_P_DTLS_SAVPF },
		{ "TCP/RTP/AVP", SDP_P_TCP_RTP },
		{ "TCP/RTP/AVPF", SDP_P_TCP_RTP },
		{ "TCP/RTP/SAVP", SDP_P_TCP_RTP },
		{ "TCP/RTP/SAVPF", SDP_P_TCP_RTP },
		{ "TCP/TLS/RTP/SAVP", SDP_P_TCP_RTP },
		{ "TCP/TLS/RTP/SAVPF", SDP_P_TCP_RTP },
		{ "udptl", SDP_P_UDPTL },
		{ "UDPTL", SDP_P_UDPTL },
		{ "udp", SDP_P_UDP },
		{ "UDP/DTLS/SCTP", SDP_P_DTLS_SCTP },
		{ "DTLS/SCTP", SDP_P_DTLS_SCTP },
	};
	for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
		if (ss_str_ieq(p, protos[i].name))
			return protos[i].id;
	/* TCP, TCP/MSRP, TCP/TLS/MSRP, TCP/BFCP, TCP/TLS, ... (RFC 4145) */
	if (p.len >= 3 && ss_str_ieq(ss_str_make(p.p, 3), "TCP") &&
	    (p.len == 3 || p.p[3] == '/'))
		return SDP_P_TCP;
	return SDP_P_OTHER;
}

/* ---- parser state ----------------------------------------------------- */

struct pstate {
	struct sdp_desc *d;
	struct sdp_media *m;	/* current stored section; NULL at session
				 * level and in sections past capacity */
	bool in_media;		/* a m= line was seen */
	bool seen_v, seen_o, seen_s, seen_c, seen_m;
	const char *sec_start;	/* where the current section began */
	const char *good_end;	/* end of the last line that parsed */
};

static void flag(struct pstate *ps, uint32_t bit)
{
	ps->d->bad |= bit;
	if (ps->m)
		ps->m->bad |= bit;
}

/* ---- c= and friends --------------------------------------------------- */

/* An FQDN (RFC 8866 5.7 allows one). All digits and dots is a broken
 * IPv4 address ("192.0." cut short), not a name. */
static bool hostname_ok(ss_str s)
{
	bool letter = false;
	if (!s.len)
		return false;
	for (size_t i = 0; i < s.len; i++) {
		char c = s.p[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     c == '-' || c == '_';
		if (!alpha && !(c >= '0' && c <= '9') && c != '.')
			return false;
		letter |= alpha;
	}
	return letter;
}

/* The "/ttl[/num]" (IPv4 multicast) or "/num" (IPv6 multicast) suffixes
 * of a connection-address (RFC 8866 5.7). */
static bool conn_suffix(ss_str rest, bool mcast, int family,
			struct sdp_conn *c)
{
	ss_str a;
	uint64_t v;
	if (!rest.len)
		return true;
	if (!mcast)
		return false;	/* unicast addresses take no suffix */
	bool more = split_at(&rest, '/', &a);
	if (family == 4) {
		if (!ss_str_to_u64(a, 255, &v))
			return false;
		c->ttl = (uint8_t)v;
		if (!more)
			return true;
		a = rest;
		more = false;
	}
	if (more || !ss_str_to_u64(a, 65535, &v) || v == 0)
		return false;
	c->naddr = (uint16_t)v;
	return true;
}

/* nettype addrtype connection-address: shared by c=, o= and a=rtcp.
 * False when the value breaks the grammar; *c keeps what was readable. */
static bool parse_conn_value(struct pstate *ps, ss_str v, struct sdp_conn *c)
{
	ss_str net = sdp_tok(&v), type = sdp_tok(&v), addr = sdp_tok(&v);
	ss_str base, rest = addr;
	int family = ss_str_ieq(type, "IP4") ? 4 : ss_str_ieq(type, "IP6") ? 6 : 0;
	bool has_suffix = split_at(&rest, '/', &base);
	/* "[2001:db8::1]": URI syntax some UAs copy into SDP. Unambiguous,
	 * so read it, and note it. */
	if (family == 6 && base.len > 2 && base.p[0] == '[' &&
	    base.p[base.len - 1] == ']') {
		base = ss_str_make(base.p + 1, base.len - 2);
		ps->d->notes |= SDP_NOTE_IPV6_BRACKETS;
	}
	c->addr = base;
	c->present = true;
	if (!family || !ss_str_ieq(net, "IN") || trim_sp(v).len ||
	    (has_suffix && !rest.len))
		return false;
	if (ss_addr_parse(base, family, &c->ip)) {
		enum ss_addr_class k = ss_addr_classify(&c->ip);
		return conn_suffix(rest, k == SS_ADDR_MULTICAST, family, c);
	}
	/* An FQDN is legal; an address of the other family is not. */
	struct ss_addr other;
	if (ss_addr_parse(base, 0, &other) || !hostname_ok(base))
		return false;
	return !rest.len;
}

static void parse_c(struct pstate *ps, ss_str line, ss_str v)
{
	struct sdp_conn scratch, *c;
	ps->seen_c = true;
	if (ps->m)
		c = &ps->m->conn;
	else if (!ps->in_media)
		c = &ps->d->conn;
	else
		return;		/* section past capacity */
	/* Layered multicast may list several c= per section; the first is
	 * the one unicast peers use. */
	if (c->present)
		c = &scratch;
	memset(c, 0, sizeof *c);
	c->line = line;
	if (!parse_conn_value(ps, v, c))
		flag(ps, SDP_BAD_CONN);
}

static bool all_digits(ss_str s)
{
	if (!s.len)
		return false;
	for (size_t i = 0; i < s.len; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
	return true;
}

/* o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address> */
static void parse_o(struct pstate *ps, ss_str line, ss_str v)
{
	struct sdp_origin *o = &ps->d->origin;
	struct sdp_conn c;
	if (o->present)
		return;
	ps->seen_o = true;
	o->present = true;
	o->line = line;
	o->user = sdp_tok(&v);
	o->sess_id = sdp_tok(&v);
	o->sess_version = sdp_tok(&v);
	memset(&c, 0, sizeof c);
	bool ok = parse_conn_value(ps, v, &c);
	o->addr = c.addr;
	o->ip = c.ip;
	if (!ss_str_to_u64(o->sess_version, UINT64_MAX, &o->version))
		o->version = 0;
	/* sess-id and sess-version are digit strings of any length */
	if (!ok || !o->user.len || !all_digits(o->sess_id) ||
	    !all_digits(o->sess_version))
		flag(ps, SDP_BAD_ORIGIN);
}

/* ---- m= --------------------------------------------------------------- */

static void close_section(struct pstate *ps)
{
	if (ps->m)
		ps->m->section = ss_str_make(ps->sec_start,
					     (size_t)(ps->good_end - ps->sec_start));
	else if (!ps->in_media)
		ps->d->session = ss_str_make(ps->sec_start,
					     (size_t)(ps->good_end - ps->sec_start));
}

static void parse_fmts(struct pstate *ps, struct sdp_media *m, ss_str v)
{
	bool rtp = sdp_proto_is_rtp(m->proto_id);
	for (ss_str t = sdp_tok(&v); t.len; t = sdp_tok(&v)) {
		uint64_t pt = 0;
		bool num = ss_str_to_u64(t, 127, &pt);
		if (rtp && !num)
			flag(ps, SDP_BAD_MEDIA);
		if (m->nfmt_total < UINT16_MAX)
			m->nfmt_total++;
		if (m->nfmt == SDP_MAX_FMT) {
			ps->d->notes |= SDP_NOTE_TOO_MANY_FMT;
			continue;
		}
		struct sdp_fmt *f = &m->fmt[m->nfmt++];
		f->token = t;
		f->pt = (int16_t)(rtp && num ? (int)pt : -1);
	}
	if (!m->nfmt_total)
		flag(ps, SDP_BAD_MEDIA);
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
static void parse_m(struct pstate *ps, ss_str line, ss_str v)
{
	struct sdp_desc *d = ps->d;
	close_section(ps);
	ps->in_media = ps->seen_m = true;
	ps->sec_start = line.p;
	if (d->nmedia_total < UINT16_MAX)
		d->nmedia_total++;
	if (d->nmedia == SDP_MAX_MEDIA) {
		d->notes |= SDP_NOTE_TOO_MANY_MEDIA;
		ps->m = NULL;
		return;
	}
	struct sdp_media *m = &d->media[d->nmedia++];
	ps->m = m;
	m->line = line;
	m->te_pt = m->cn_pt = -1;
	m->type = sdp_tok(&v);
	m->mtype = media_type(m->type);
	/* "<port>/<count>": port gets what precedes '/', count the rest */
	ss_str count = sdp_tok(&v), port;
	bool has_count = split_at(&count, '/', &port);
	uint64_t n;
	/* An unreadable port (99999, "x") stays 0 with SDP_BAD_MEDIA set:
	 * callers must not take it for a rejected stream. */
	if (ss_str_to_u64(port, 65535, &n))
		m->port = (uint16_t)n;
	else
		flag(ps, SDP_BAD_MEDIA);
	m->nports = 1;
	if (has_count) {
		if (ss_str_to_u64(count, 65535, &n) && n > 0)
			m->nports = (uint16_t)n;
		else
			flag(ps, SDP_BAD_MEDIA);
	}
	m->proto = sdp_tok(&v);
	m->proto_id = proto_id(m->proto);
	if (!m->type.len || !m->proto.len)
		flag(ps, SDP_BAD_MEDIA);
	parse_fmts(ps, m, v);
}

/* ---- a= at media level ------------------------------------------------ */

/* The stored format a rtpmap/fmtp format token names, or NULL. */
static struct sdp_fmt *find_fmt(struct sdp_media *m, ss_str t)
{
	uint64_t pt;
	bool num = ss_str_to_u64(t, 127, &pt);
	for (size_t i = 0; i < m->nfmt; i++) {
		struct sdp_fmt *f = &m->fmt[i];
		if (f->pt >= 0 ? num && (uint64_t)f->pt == pt
			       : str_same(f->token, t))
			return f;
	}
	return NULL;
}

/* A format the m= line does not list; when formats were dropped for
 * capacity it may be one of those, so say nothing. */
static void unlisted(struct pstate *ps, const struct sdp_media *m)
{
	if (m->nfmt == m->nfmt_total)
		ps->d->notes |= SDP_NOTE_UNLISTED_PT;
}

/* a=rtpmap:<pt> <encoding name>/<clock rate>[/<encoding parameters>] */
static void attr_rtpmap(struct pstate *ps, struct sdp_media *m, ss_str v)
{
	ss_str pt = sdp_tok(&v), enc = trim_sp(v), name, rate, ch;
	uint64_t n, clock, chans = 0;
	bool has_rate = split_at(&enc, '/', &name);
	bool has_ch = split_at(&enc, '/', &rate);
	ch = enc;
	if (!ss_str_to_u64(pt, 127, &n) || !name.len || !has_rate ||
	    !ss_str_to_u64(rate, UINT32_MAX, &clock) || clock == 0 ||
	    (has_ch && (!ss_str_to_u64(ch, 65535, &chans) || chans == 0))) {
		flag(ps, SDP_BAD_ATTR);
		return;
	}
	struct sdp_fmt *f = find_fmt(m, pt);
	if (!f) {
		unlisted(ps, m);
		return;
	}
	if (f->enc.len) {
		ps->d->notes |= SDP_NOTE_DUP_RTPMAP;
		return;
	}
	f->enc = name;
	f->clock = (uint32_t)clock;
	f->channels = (uint16_t)chans;
}

/* a=fmtp:<format> <format specific parameters> */
static void attr_fmtp(struct pstate *ps, struct sdp_media *m, ss_str v)
{
	ss_str t = sdp_tok(&v);
	if (!t.len) {
		flag(ps, SDP_BAD_ATTR);
		return;
	}
	struct sdp_fmt *f = find_fmt(m, t);
	if (!f)
		unlisted(ps, m);
	else if (!f->fmtp.len)
		f->fmtp = trim_sp(v);
}

/* ptime/maxptime: milliseconds; a fraction ("20.0", seen in the wild)
 * is accepted and dropped. */
static void attr_ms(struct pstate *ps, ss_str v, uint32_t *out)
{
	ss_str whole, frac = trim_sp(v);
	uint64_t n, f;
	bool has_frac = split_at(&frac, '.', &whole);
	if (!ss_str_to_u64(whole, UINT32_MAX, &n) ||
	    (has_frac && !ss_str_to_u64(frac, UINT32_MAX, &f))) {
		flag(ps, SDP_BAD_ATTR);
		return;
	}
	*out = (uint32_t)n;
}

/* a=rtcp:<port> [<nettype> <addrtype> <connection-address>] (RFC 3605) */
static void attr_rtcp(struct pstate *ps, struct sdp_media *m, ss_str line,
		      ss_str v)
{
	ss_str port = sdp_tok(&v);
	uint64_t n;
	if (!ss_str_to_u64(port, 65535, &n)) {
		flag(ps, SDP_BAD_ATTR);
		return;
	}
	m->rtcp_present = true;
	m->rtcp_port = (uint16_t)n;
	v = trim_sp(v);
	if (v.len) {
		m->rtcp_conn.line = line;
		if (!parse_conn_value(ps, v, &m->rtcp_conn))
			flag(ps, SDP_BAD_ATTR);
	}
}

/* a=crypto:<tag> <crypto-suite> <key-params> [<session-params>] */
static void attr_crypto(struct pstate *ps, struct sdp_media *m, ss_str v)
{
	ss_str tag = sdp_tok(&v), suite = sdp_tok(&v), key = sdp_tok(&v);
	uint64_t n;
	if (!ss_str_to_u64(tag, 999999999, &n) || !suite.len || !key.len)
		flag(ps, SDP_BAD_ATTR);
	m->srtp = true;
	if (!m->ncrypto)
		m->crypto_suite = suite;
	if (m->ncrypto < UINT16_MAX)
		m->ncrypto++;
}

static enum sdp_dir dir_of(ss_str name)
{
	if (ss_str_eq(name, "sendrecv"))
		return SDP_DIR_SENDRECV;
	if (ss_str_eq(name, "sendonly"))
		return SDP_DIR_SENDONLY;
	if (ss_str_eq(name, "recvonly"))
		return SDP_DIR_RECVONLY;
	if (ss_str_eq(name, "inactive"))
		return SDP_DIR_INACTIVE;
	return SDP_DIR_UNSET;
}

/* A second, different direction attribute at one level contradicts the
 * first: keep the first and flag it. */
static void set_dir(struct pstate *ps, enum sdp_dir *dir, ss_str *dline,
		    enum sdp_dir nd, ss_str line)
{
	if (*dir == SDP_DIR_UNSET) {
		*dir = nd;
		*dline = line;
	} else if (*dir != nd) {
		flag(ps, SDP_BAD_ATTR);
	}
}

static void set_once(ss_str *dst, ss_str v)
{
	if (!dst->len)
		*dst = trim_sp(v);
}

static void media_attr(struct pstate *ps, ss_str line, ss_str name,
		       ss_str v)
{
	struct sdp_media *m = ps->m;
	enum sdp_dir nd = dir_of(name);
	if (nd != SDP_DIR_UNSET)
		set_dir(ps, &m->dir, &m->dir_line, nd, line);
	else if (ss_str_eq(name, "rtpmap"))
		attr_rtpmap(ps, m, v);
	else if (ss_str_eq(name, "fmtp"))
		attr_fmtp(ps, m, v);
	else if (ss_str_eq(name, "ptime"))
		attr_ms(ps, v, &m->ptime);
	else if (ss_str_eq(name, "maxptime"))
		attr_ms(ps, v, &m->maxptime);
	else if (ss_str_eq(name, "rtcp"))
		attr_rtcp(ps, m, line, v);
	else if (ss_str_eq(name, "rtcp-mux"))
		m->rtcp_mux = true;
	else if (ss_str_eq(name, "crypto"))
		attr_crypto(ps, m, v);
	else if (ss_str_eq(name, "fingerprint"))
		set_once(&m->fingerprint, v);
	else if (ss_str_eq(name, "setup"))
		set_once(&m->setup, v);
	else if (ss_str_eq(name, "ice-ufrag"))
		set_once(&m->ice_ufrag, v);
	else if (ss_str_eq(name, "ice-pwd"))
		set_once(&m->ice_pwd, v);
	else if (ss_str_eq(name, "mid"))
		set_once(&m->mid, v);
	else if (ss_str_eq(name, "candidate")) {
		if (m->ncand < SDP_MAX_CAND)
			m->cand[m->ncand] = trim_sp(v);
		else
			ps->d->notes |= SDP_NOTE_TOO_MANY_CAND;
		if (m->ncand < UINT16_MAX)
			m->ncand++;
	}
}

static void session_attr(struct pstate *ps, ss_str line, ss_str name,
			 ss_str v)
{
	struct sdp_desc *d = ps->d;
	enum sdp_dir nd = dir_of(name);
	if (nd != SDP_DIR_UNSET)
		set_dir(ps, &d->dir, &d->dir_line, nd, line);
	else if (ss_str_eq(name, "ice-ufrag"))
		set_once(&d->ice_ufrag, v);
	else if (ss_str_eq(name, "ice-pwd"))
		set_once(&d->ice_pwd, v);
	else if (ss_str_eq(name, "ice-options"))
		set_once(&d->ice_options, v);
	else if (ss_str_eq(name, "ice-lite"))
		d->ice_lite = true;
	else if (ss_str_eq(name, "fingerprint"))
		set_once(&d->fingerprint, v);
	else if (ss_str_eq(name, "setup"))
		set_once(&d->setup, v);
	else if (ss_str_eq(name, "group"))
		set_once(&d->group, v);
}

/* a=<attribute>[:<value>] (RFC 8866 5.13) */
static void parse_a(struct pstate *ps, ss_str line, ss_str v)
{
	ss_str name;
	split_at(&v, ':', &name);
	if (!name.len) {
		flag(ps, SDP_BAD_ATTR);
		return;
	}
	if (ps->m)
		media_attr(ps, line, name, v);
	else if (!ps->in_media)
		session_attr(ps, line, name, v);
}

/* ---- lines ------------------------------------------------------------ */

/* Next line of [*p, end): its content without the line end (shared
 * with sdp_attr_next in sdp_util.c, so both agree on what a line is). */
ss_str sdp_next_line(const char **p, const char *end, enum sdp_eol *eol)
{
	const char *s = *p, *q = s;
	while (q < end && *q != '\n' && *q != '\r' && *q != '\0')
		q++;
	ss_str line = ss_str_make(s, (size_t)(q - s));
	if (q == end) {
		*eol = EOL_NONE;
		*p = q;
	} else if (*q == '\0') {
		*eol = EOL_NUL;
		*p = end;
	} else if (*q == '\r' && q + 1 < end && q[1] == '\n') {
		*eol = EOL_CRLF;
		*p = q + 2;
	} else {
		*eol = EOL_OTHER;
		*p = q + 1;
	}
	return line;
}

static bool is_type_line(ss_str line)
{
	return line.len >= 2 && line.p[0] >= 'a' && line.p[0] <= 'z' &&
	       line.p[1] == '=';
}

static void parse_line(struct pstate *ps, ss_str line)
{
	ss_str v = ss_str_make(line.p + 2, line.len - 2);
	struct sdp_desc *d = ps->d;
	char t = line.p[0];
	if (ps->in_media && (t == 'v' || t == 'o' || t == 's' || t == 't'))
		flag(ps, SDP_BAD_ORDER);
	switch (t) {
	case 'v': {
		uint64_t n = 0;
		ps->seen_v = true;
		if (!ss_str_to_u64(trim_sp(v), 0, &n))
			flag(ps, SDP_BAD_VERSION);
		d->version = (unsigned)n;
		break;
	}
	case 'o':
		parse_o(ps, line, v);
		break;
	case 's':
		ps->seen_s = true;
		if (!d->session_name.len)
			d->session_name = v;
		break;
	case 'c':
		parse_c(ps, line, v);
		break;
	case 'm':
		parse_m(ps, line, v);
		break;
	case 'a':
		parse_a(ps, line, v);
		break;
	default:
		break;	/* i u e p b t r z k and unknown types: not needed */
	}
}

/* Returns false when the input is not SDP at all. */
static bool parse_lines(struct pstate *ps, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;
	bool first = true;
	while (p < end) {
		enum sdp_eol eol;
		ss_str line = sdp_next_line(&p, end, &eol);
		if (eol == EOL_NUL)
			flag(ps, SDP_BAD_NUL);
		if (line.len && first && !is_type_line(line))
			return false;
		if (line.len && is_type_line(line)) {
			if (first)	/* empty session if m= comes first */
				ps->d->text.p = ps->sec_start = ps->good_end =
					line.p;
			first = false;
			parse_line(ps, line);
			ps->good_end = line.p + line.len;
			if (eol == EOL_OTHER)
				ps->d->notes |= SDP_NOTE_LF_ONLY;
			else if (eol == EOL_NONE)
				ps->d->notes |= SDP_NOTE_NO_FINAL_EOL;
		} else if (line.len) {
			flag(ps, SDP_BAD_LINE);
		}
	}
	return !first && (ps->seen_v || ps->seen_o || ps->seen_s ||
			  ps->seen_c || ps->seen_m);
}

/* ---- after the last line ---------------------------------------------- */

/* telephone-event: the first one whose clock matches the first format's
 * (WebRTC offers one per clock rate), else the first; comfort noise: the
 * first CN, by rtpmap or static 13. */
static void special_pts(struct sdp_media *m)
{
	uint32_t clock0 = 0;
	bool te_match = false;
	if (m->nfmt && m->fmt[0].pt >= 0)
		sdp_media_codec(m, (unsigned)m->fmt[0].pt, NULL, &clock0, NULL);
	for (size_t i = 0; i < m->nfmt; i++) {
		const struct sdp_fmt *f = &m->fmt[i];
		ss_str name = SS_STR_NULL;
		uint32_t clock = 0;
		if (f->pt < 0 ||
		    !sdp_media_codec(m, (unsigned)f->pt, &name, &clock, NULL))
			continue;
		if (ss_str_ieq(name, "telephone-event") && !te_match) {
			if (m->te_pt < 0 || clock == clock0)
				m->te_pt = f->pt;
			te_match = clock == clock0;
		}
		if (ss_str_ieq(name, "CN") && m->cn_pt < 0)
			m->cn_pt = f->pt;
	}
}

/* A payload type neither an rtpmap nor the static table explains. A
 * rejected stream (port 0) need not describe its formats. */
static void check_pts(struct sdp_desc *d, struct sdp_media *m)
{
	if (!sdp_proto_is_rtp(m->proto_id) || m->port == 0)
		return;
	for (size_t i = 0; i < m->nfmt; i++)
		if (m->fmt[i].pt >= 0 &&
		    !sdp_media_codec(m, (unsigned)m->fmt[i].pt, NULL, NULL, NULL)) {
			m->bad |= SDP_BAD_DYN_NO_RTPMAP;
			d->bad |= SDP_BAD_DYN_NO_RTPMAP;
		}
}

static void inherit(ss_str *dst, ss_str from)
{
	if (!dst->len)
		*dst = from;
}

static void finish_media(struct sdp_desc *d, struct sdp_media *m)
{
	if (m->conn.present) {
		m->conn_level = SDP_LVL_MEDIA;
	} else if (d->conn.present) {
		m->conn = d->conn;
		m->conn_level = SDP_LVL_SESSION;
	} else if (m->port != 0) {
		m->bad |= SDP_BAD_NO_CONN;
		d->bad |= SDP_BAD_NO_CONN;
	}
	inherit(&m->ice_ufrag, d->ice_ufrag);
	inherit(&m->ice_pwd, d->ice_pwd);
	inherit(&m->fingerprint, d->fingerprint);
	inherit(&m->setup, d->setup);
	m->dtls = m->fingerprint.len || m->setup.len;
	special_pts(m);
	check_pts(d, m);
}

int sdp_parse(const char *buf, size_t len, struct sdp_desc *out)
{
	struct pstate ps = { .d = out };
	memset(out, 0, sizeof *out);
	if (!buf || !parse_lines(&ps, buf, len)) {
		memset(out, 0, sizeof *out);
		return SDP_NOT_SDP;
	}
	close_section(&ps);
	out->text.len = (size_t)(ps.good_end - out->text.p);
	if (!ps.seen_v)
		out->bad |= SDP_BAD_NO_VERSION;
	if (!ps.seen_o)
		out->bad |= SDP_BAD_ORIGIN;
	if (!ps.seen_s)
		out->bad |= SDP_BAD_NO_SESSION_NAME;
	for (size_t i = 0; i < out->nmedia; i++)
		finish_media(out, &out->media[i]);
	return SDP_OK;
}

