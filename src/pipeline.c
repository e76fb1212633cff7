/*
 * pipeline.c - frames -> decoder -> SIP detection -> SIP parser -> on_sip.
 *
 * UDP and SCTP payloads are parsed one message per datagram. TCP segments
 * go through the reassembler (dissectors/tcp.h), whose consumer below
 * frames SIP on the stream by Content-Length (RFC 3261 section 18.3),
 * or, after an HTTP upgrade, WebSocket messages (RFC 7118, see below);
 * TLS connections are decrypted first (see "SIP over TLS" below).
 */
#include "pipeline.h"

#include <string.h>

#include <stdlib.h>

#include "keylog.h"
#include "tls.h"
#include "xalloc.h"

static void on_payload(void *user, const struct ss_pktinfo *pi,
		       const uint8_t *payload, size_t len)
{
	ss_pipeline_payload(user, pi, payload, len);
}

static void on_tcp(void *user, const struct ss_pktinfo *pi,
		   const uint8_t *payload, size_t len)
{
	struct ss_pipeline *pl = user;
	ss_tcp_segment(pl->tcp, pi, payload, len);
}

static size_t tcp_consume(void *user, const struct ss_pktinfo *pi,
			  struct ss_tcp_chunk *c);
static void on_ws_message(void *user, const struct ws_event *ev);
static size_t tcp_or_tls(void *user, const struct ss_pktinfo *pi,
			 struct ss_tcp_chunk *c);
static void tls_free_all(struct ss_pipeline *pl);

void ss_pipeline_init_tcp(struct ss_pipeline *pl, ss_sip_cb cb, void *user,
			  const struct ss_tcp_limits *tcp)
{
	memset(pl, 0, sizeof *pl);
	pl->on_sip = cb;
	pl->user = user;
	pl->hdr_cap = 64;
	pl->hdrs = xcalloc(pl->hdr_cap, sizeof *pl->hdrs);
	/* Only allocation can fail there, and xalloc exits loudly first. */
	(void)ss_decoder_init(&pl->dec, on_payload, pl, 0);
	pl->dec.on_tcp = on_tcp;
	pl->tcp = ss_tcp_new(tcp, tcp_or_tls, pl);
	ws_ctx_init(&pl->ws, 0, on_ws_message, pl);
}

void ss_pipeline_init(struct ss_pipeline *pl, ss_sip_cb cb, void *user)
{
	ss_pipeline_init_tcp(pl, cb, user, NULL);
}

void ss_pipeline_finish(struct ss_pipeline *pl)
{
	ss_tcp_finish(pl->tcp);
	tls_free_all(pl);	/* their counters go into pl->tls */
}

void ss_pipeline_free(struct ss_pipeline *pl)
{
	ss_decoder_free(&pl->dec);
	ss_tcp_free(pl->tcp);
	pl->tcp = NULL;
	tls_free_all(pl);
	free(pl->tls_tab);
	pl->tls_tab = NULL;
	ss_keylog_free(pl->no_keys);
	pl->no_keys = NULL;
	free(pl->hdrs);
	pl->hdrs = NULL;
	ws_ctx_free(&pl->ws);
}

void ss_pipeline_frame(struct ss_pipeline *pl, const struct ss_frame *f,
		       uint64_t frame_no)
{
	struct ss_pktinfo pi;
	memset(&pi, 0, sizeof pi);
	pi.ts_ns = f->ts_ns;
	pi.frame = frame_no;
	pi.source = f->source;
	ss_decode_frame(&pl->dec, &pi, f->dlt, f->data, f->caplen);
}

static const char *transport_name(uint8_t l4)
{
	switch (l4) {
	case SS_L4_TCP: return "TCP";
	case SS_L4_SCTP: return "SCTP";
	default: return "UDP";
	}
}

/* Parse with the scratch array, growing it while the parser asks for more
 * room; past SS_MAX_HEADERS the message is reported as unparseable rather
 * than cut short. */
static long parse_growing(struct ss_pipeline *pl, const char *buf, size_t len,
			  enum sip_framing fr, struct sip_msg *m)
{
	for (;;) {
		long rc = sip_parse_hinted(buf, len, fr, m, pl->hdrs, pl->hdr_cap,
					   &pl->hint);
		if (rc != SIP_PARSE_TOO_MANY)
			return rc;
		if (pl->hdr_cap >= SS_MAX_HEADERS) {
			pl->st.header_overflow++;
			m->malformed = "more than 4096 header fields";
			return SIP_PARSE_MALFORMED;
		}
		pl->hdr_cap *= 2;
		pl->hdrs = xreallocarray(pl->hdrs, pl->hdr_cap, sizeof *pl->hdrs);
	}
}

static void emit_on(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
		    const char *transport, const struct sip_msg *m,
		    size_t trailing)
{
	struct ss_sip_event ev = {
		.pi = pi,
		.transport = transport,
		.msg = m,
		.trailing = trailing,
	};
	pl->st.sip_messages++;
	if (m->malformed)
		pl->st.sip_malformed++;
	pl->on_sip(pl->user, &ev);
}

static void emit(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
		 const struct sip_msg *m, size_t trailing)
{
	emit_on(pl, pi, transport_name(pi->l4), m, trailing);
}

/* A payload that starts like SIP but whose start line or header block
 * cannot be parsed is still shown, whole, with the parser's reason. */
static void emit_unparsed_on(struct ss_pipeline *pl,
			     const struct ss_pktinfo *pi, const char *transport,
			     const char *p, size_t len, const char *why)
{
	struct sip_msg m;
	memset(&m, 0, sizeof m);
	m.head = ss_str_make(p, len);
	m.size = len;
	m.expires = -1;
	m.max_forwards = -1;
	m.content_length = -1;
	m.malformed = why ? why : "unparseable SIP message";
	pl->st.sip_unparseable++;
	emit_on(pl, pi, transport, &m, 0);
}

static void emit_unparsed(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			  const char *p, size_t len, const char *why)
{
	emit_unparsed_on(pl, pi, transport_name(pi->l4), p, len, why);
}

/* ---- SIP over TCP ------------------------------------------------------ */

/*
 * The consumer of the TCP reassembler. It frames SIP messages on the
 * stream by Content-Length (RFC 3261 section 18.3), emits each complete
 * one (several per segment, or one over many) with the pi of the segment
 * that completed it, and leaves an incomplete one buffered. Its word per
 * flow (chunk->state): bit 0 says the flow proved to carry SIP, bit 1 that
 * it is a WebSocket one (then bits 8 and up belong to ws_consume), bit 2
 * (SS_FLOW_TLS) that its bytes are TLS plaintext; in an unproven flow
 * (joined mid-stream) bits 8 and up count bytes skipped while it was
 * searched for a start line.
 */
#define FLOW_SIP 1u
#define FLOW_WS 2u
#define FLOW_SHIFT 8
/* Outer word of a TCP direction carrying TLS records (see "SIP over TLS"
 * below); the stream consumer sees only the plaintext's own word. */
#define FLOW_TLS_REC 8u

/* SIP framed on this stream is named after its transport: "TLS" when the
 * bytes are TLS plaintext. */
static const char *stream_tr(const struct ss_pktinfo *pi,
			     const struct ss_tcp_chunk *c)
{
	return *c->state & SS_FLOW_TLS ? "TLS" : transport_name(pi->l4);
}

static bool is_crlf(uint8_t c)
{
	return c == '\r' || c == '\n';
}

static bool line_complete(const uint8_t *p, size_t n)
{
	return memchr(p, '\n', n) != NULL;
}

/* The next SIP start line at a line start of p[0..n): its offset, with
 * *found set; else how many bytes can be skipped for good (a last line too
 * short to judge is kept, unless nothing more will come). */
static size_t find_start(const uint8_t *p, size_t n, bool final, bool *found)
{
	size_t i = 0;
	*found = false;
	while (i < n) {
		const uint8_t *nl = memchr(p + i, '\n', n - i);
		if (!nl)
			return !final && n - i <= SS_SIP_LINE_MAX ? i : n;
		if (sip_looks_like(p + i, n - i)) {
			*found = true;
			return i;
		}
		i = (size_t)(nl - p) + 1;
	}
	return n;
}

static void decline(struct ss_pipeline *pl, struct ss_tcp_chunk *c)
{
	c->ignore = true;
	pl->st.tcp_not_sip++;
}

/* After a gap or a mid-stream join, skip to the next start line (clearing
 * after_gap when found). Returns the bytes skipped. Bytes skipped before
 * a flow proves to be SIP are counted as lost only once it does; an
 * unproven flow with no start line in SS_SIP_RESYNC_BUDGET bytes is
 * declined. */
static size_t resync(struct ss_pipeline *pl, struct ss_tcp_chunk *c,
		     size_t off)
{
	bool found;
	size_t skip = find_start(c->buf + off, c->len - off, c->final, &found);
	bool proven = *c->state & FLOW_SIP;
	if (proven)
		pl->st.tcp_resync_bytes += skip;
	else if (found)
		pl->st.tcp_resync_bytes += (*c->state >> FLOW_SHIFT) + skip;
	if (found) {
		c->after_gap = false;
		*c->state = FLOW_SIP | (*c->state & SS_FLOW_TLS);
	} else if (!proven) {
		uint64_t seen = (*c->state >> FLOW_SHIFT) + skip;
		*c->state = seen << FLOW_SHIFT | (*c->state & SS_FLOW_TLS);
		if (seen > SS_SIP_RESYNC_BUDGET)
			decline(pl, c);
	}
	return skip;
}

/* A flow whose SYN we saw is SIP if its first line says so. Returns false
 * while that line is still arriving, or when the flow was declined. */
static bool classify(struct ss_pipeline *pl, struct ss_tcp_chunk *c,
		     size_t off)
{
	const uint8_t *p = c->buf + off;
	size_t n = c->len - off;
	struct sip_msg m;
	if (sip_looks_like(p, n)) {
		*c->state |= FLOW_SIP;
		return true;
	}
	if (!c->final && !line_complete(p, n) && n <= SS_SIP_LINE_MAX &&
	    parse_growing(pl, (const char *)p, n, SIP_FRAME_STREAM, &m) ==
	    SIP_PARSE_PARTIAL)
		return false;
	decline(pl, c);
	return false;
}

/* Does the header block end with its blank line? */
static bool head_complete(const struct sip_msg *m)
{
	const char *h = m->head.p;
	size_t n = m->head.len;
	return n >= 2 && h[n - 1] == '\n' &&
	       (h[n - 2] == '\n' || (n >= 3 && h[n - 2] == '\r' &&
				     h[n - 3] == '\n'));
}

/* A message whose Content-Length will not be waited for: emitted now,
 * flagged, with the body that arrived up to the next start line (a sender
 * that lies about the length usually goes on with its next message);
 * without one, the stream resynchronises later. */
static long oversized(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
		      struct ss_tcp_chunk *c, const char *p, size_t n,
		      size_t body_off)
{
	struct sip_msg m;
	bool found;
	size_t end = body_off + find_start((const uint8_t *)p + body_off,
					   n - body_off, false, &found);
	if (!found)
		c->after_gap = true;
	if (parse_growing(pl, p, end, SIP_FRAME_DATAGRAM, &m) <= 0)
		return 0;	/* parsed the same a moment ago */
	m.malformed = "Content-Length too large for a stream";
	pl->st.tcp_oversized++;
	emit_on(pl, pi, stream_tr(pi, c), &m, 0);
	return (long)end;
}

/* A header block that does not end within the limit: emitted as far as
 * it arrived, flagged, and the stream resynchronises after it. */
static long endless_head(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			 struct ss_tcp_chunk *c, const char *p, size_t n)
{
	struct sip_msg m;
	c->after_gap = true;
	pl->st.tcp_oversized++;
	if (parse_growing(pl, p, n, SIP_FRAME_DATAGRAM, &m) <= 0) {
		emit_unparsed_on(pl, pi, stream_tr(pi, c), p, n,
				 "header block too long");
		return (long)n;
	}
	m.malformed = "header block too long";
	emit_on(pl, pi, stream_tr(pi, c), &m, 0);
	return (long)n;
}

/* An incomplete message: wait, unless its Content-Length or its header
 * block can never fit (then emit it now), or nothing more will come
 * (then count it: it is lost, and said so). */
static long partial(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
		    struct ss_tcp_chunk *c, const char *p, size_t n)
{
	struct sip_msg m;
	if (c->final) {
		pl->st.tcp_incomplete++;
		pl->st.tcp_incomplete_bytes += n;
		return 0;
	}
	size_t cap = ss_tcp_get_limits(pl->tcp)->flow_cap;
	size_t max_head = cap < SS_SIP_MAX_HEAD ? cap : SS_SIP_MAX_HEAD;
	long rc = parse_growing(pl, p, n, SIP_FRAME_DATAGRAM, &m);
	if (rc <= 0 || !head_complete(&m))
		return n <= max_head ? 0 : endless_head(pl, pi, c, p, n);
	uint64_t room = cap > m.head.len ? cap - m.head.len : 0;
	if (room > SS_SIP_MAX_BODY)
		room = SS_SIP_MAX_BODY;
	if (m.content_length > 0 && !m.content_length_bad &&
	    (uint64_t)m.content_length > room)
		return oversized(pl, pi, c, p, n,
				 (size_t)(m.head.p + m.head.len - p));
	return 0;
}

/* A start line whose message cannot be parsed: shown up to the next start
 * line (or all that arrived), with the parser's reason. */
static long unparsed_run(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			 struct ss_tcp_chunk *c, const char *p, size_t n,
			 const char *why)
{
	const uint8_t *u = (const uint8_t *)p;
	const uint8_t *nl = memchr(u, '\n', n);
	size_t from = nl ? (size_t)(nl - u) + 1 : n;
	bool found;
	size_t at = from + find_start(u + from, n - from, true, &found);
	if (!found) {
		at = n;
		c->after_gap = true;
	}
	emit_unparsed_on(pl, pi, stream_tr(pi, c), p, at, why);
	return (long)at;
}

/* One message at c->buf + off: bytes consumed, or 0 to wait (or, with
 * after_gap now set, to resynchronise). */
static long stream_msg(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
		       struct ss_tcp_chunk *c, size_t off)
{
	const char *p = (const char *)c->buf + off;
	size_t n = c->len - off;
	struct sip_msg m;
	if (!sip_looks_like(c->buf + off, n)) {
		if (!c->final && !line_complete(c->buf + off, n) &&
		    n <= SS_SIP_LINE_MAX)
			return 0;
		c->after_gap = true;	/* junk between messages */
		return 0;
	}
	long rc = parse_growing(pl, p, n, SIP_FRAME_STREAM, &m);
	if (rc > 0) {
		emit_on(pl, pi, stream_tr(pi, c), &m, 0);
		return rc;
	}
	if (rc == SIP_PARSE_PARTIAL)
		return partial(pl, pi, c, p, n);
	return unparsed_run(pl, pi, c, p, n, m.malformed);
}

/* ---- SIP over WebSocket (RFC 7118) ------------------------------------ */

/*
 * A direction becomes a WebSocket one (FLOW_WS) in two ways:
 *  - its first bytes are an HTTP/1.1 upgrade head: a GET carrying
 *    Upgrade: websocket, or the 101 answer. Each direction decides on its
 *    own head (the two directions are separate flows of the reassembler),
 *    and after its blank line the direction is WebSocket framing.
 *    Sec-WebSocket-Protocol: sip (RFC 7118 5.1) is expected but not
 *    required: a head without it is counted (ws.st.no_subprotocol);
 *  - joined mid-stream, or after a gap before it proved to be SIP: the
 *    heuristic of ws_frame_carries_sip finds a text or binary frame whose
 *    payload, once unmasked, starts with a SIP start line. A SIP-over-TCP
 *    stream never shows a binary frame header in front of its start line,
 *    and a WebSocket stream never shows a SIP start line at a line start
 *    when masked, so the two searches do not compete.
 * Each message is then one SIP message (RFC 7118 5.2), parsed as a
 * datagram would be, named "WS", or "WSS" under TLS.
 */
static bool all_crlf(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_crlf(p[i]))
			return false;
	return true;
}

static void on_ws_message(void *user, const struct ws_event *ev)
{
	struct ss_pipeline *pl = user;
	const char *tr = *ev->state & SS_FLOW_TLS ? "WSS" : "WS";
	const char *p = (const char *)ev->payload;
	struct sip_msg m;
	if (!sip_looks_like(ev->payload, ev->len)) {
		pl->st.ws_not_sip += !all_crlf(ev->payload, ev->len);
		return;
	}
	long rc = parse_growing(pl, p, ev->len, SIP_FRAME_DATAGRAM, &m);
	if (rc <= 0) {
		emit_unparsed_on(pl, ev->pi, tr, p, ev->len,
				 rc == SIP_PARSE_MALFORMED ? m.malformed : NULL);
		return;
	}
	emit_on(pl, ev->pi, tr, &m, ev->len - (size_t)rc);
}

static bool ws_found(const struct ss_pipeline *pl,
		     const struct ss_tcp_chunk *c)
{
	for (size_t i = 0; i < c->len; i++)
		if (ws_frame_carries_sip(c->buf + i, c->len - i,
					 pl->ws.max_msg) == 1)
			return true;
	return false;
}

/* Decide whether an undecided direction is a WebSocket one (see above).
 * Returns false to wait for more bytes before deciding. */
static bool ws_claim(struct ss_pipeline *pl, struct ss_tcp_chunk *c)
{
	uint64_t tls = *c->state & SS_FLOW_TLS;
	if (*c->state & (FLOW_SIP | FLOW_WS))
		return true;
	if (c->after_gap) {
		if (ws_found(pl, c)) {
			*c->state = tls | FLOW_WS;	/* resyncs in ws_consume */
			pl->ws.st.midstream++;
		}
		return true;
	}
	int k = ws_handshake_start(c->buf, c->len);
	if (k == WS_PARSE_PARTIAL)
		return c->final;
	if (k == 1)
		*c->state = tls | FLOW_WS | WS_ST_HEAD;
	return true;
}

size_t ss_pipeline_stream(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			  struct ss_tcp_chunk *c)
{
	return tcp_consume(pl, pi, c);
}

static size_t tcp_consume(void *user, const struct ss_pktinfo *pi,
			  struct ss_tcp_chunk *c)
{
	struct ss_pipeline *pl = user;
	size_t off = 0;
	if (!ws_claim(pl, c))
		return 0;
	if (*c->state & FLOW_WS) {
		off = ws_consume(&pl->ws, pi, c);
		if (c->ignore)
			pl->st.tcp_not_sip++;	/* an HTTP head, no upgrade */
		return c->ignore ? c->len : off;
	}
	while (off < c->len && !c->ignore) {
		/* CRLF keep-alives (RFC 5626 section 3.5.1) */
		while (off < c->len && is_crlf(c->buf[off]))
			off++;
		if (off == c->len)
			break;
		if (c->after_gap) {
			off += resync(pl, c, off);
			if (c->after_gap)
				break;
			continue;
		}
		if (!(*c->state & FLOW_SIP) && !classify(pl, c, off))
			break;
		long r = stream_msg(pl, pi, c, off);
		if (r > 0)
			off += (size_t)r;
		else if (!c->after_gap)
			break;
	}
	return c->ignore ? c->len : off;
}

/* ---- SIP over TLS -------------------------------------------------------- */

/*
 * A TCP direction whose first bytes are a TLS ClientHello (ss_tls_looks_like)
 * is the client of a TLS connection; the other direction of the same
 * 4-tuple is its server (a ServerHello first is enough too, when the
 * ClientHello was not seen). Both share one struct ss_tls, found by the
 * 4-tuple in a small hash table (at most SS_TLS_MAX_CONNS connections;
 * past that a connection is counted, not decrypted), freed when its
 * directions have ended (FIN, RST, timeout, eviction, end of input).
 * Every in-order byte goes to ss_tls_feed (it keeps partial records
 * itself); the plaintext of each direction goes to the stream consumer
 * above exactly as TCP bytes would, with SS_FLOW_TLS in its state word,
 * and what it leaves unconsumed waits in a buffer of at most
 * SS_TLS_PLAIN_CAP bytes (overflow counted, the stream resynchronises).
 */
#define TLS_BUCKETS 1024u
#define TLS_FIRST_BUF 4096u

struct tls_dir {
	uint8_t *buf;		/* plaintext the consumer left */
	size_t len, cap;
	uint64_t state;		/* the stream consumer's word */
	bool after_gap;		/* the consumer's, for the plaintext */
	bool seen, ended, dead, ignored;
};

struct tls_conn {
	struct tls_conn *next;
	struct ss_addr cli, srv;	/* the client sent the ClientHello */
	struct ss_tls *t;
	struct tls_dir d[2];	/* SS_TLS_C2S, SS_TLS_S2C */
};

struct tls_feed {
	struct ss_pipeline *pl;
	const struct ss_pktinfo *pi;
	struct tls_conn *tc;
	bool final;
};

static bool same_addr(const struct ss_addr *a, const struct ss_addr *b)
{
	return a->family == b->family && a->port == b->port &&
	       memcmp(a->ip, b->ip, a->family == 4 ? 4 : 16) == 0;
}

static uint32_t addr_hash(const struct ss_addr *a)
{
	uint32_t h = 2166136261u;
	size_t n = a->family == 4 ? 4 : 16;
	for (size_t i = 0; i < n; i++)
		h = (h ^ a->ip[i]) * 16777619u;
	h = (h ^ (a->port & 0xff)) * 16777619u;
	return (h ^ (uint32_t)(a->port >> 8)) * 16777619u;
}

/* The same bucket for both directions. */
static size_t tls_bucket(const struct ss_pktinfo *pi)
{
	return (addr_hash(&pi->src) + addr_hash(&pi->dst)) % TLS_BUCKETS;
}

/* The connection of this segment's 4-tuple, and the segment's direction. */
static struct tls_conn *tls_find(const struct ss_pipeline *pl,
				 const struct ss_pktinfo *pi, int *dir)
{
	if (!pl->tls_tab)
		return NULL;
	for (struct tls_conn *tc = pl->tls_tab[tls_bucket(pi)]; tc; tc = tc->next) {
		if (same_addr(&tc->cli, &pi->src) && same_addr(&tc->srv, &pi->dst)) {
			*dir = SS_TLS_C2S;
			return tc;
		}
		if (same_addr(&tc->srv, &pi->src) && same_addr(&tc->cli, &pi->dst)) {
			*dir = SS_TLS_S2C;
			return tc;
		}
	}
	return NULL;
}

static void tls_add_suite(struct ss_pipeline_tls_stats *s, uint16_t suite,
			  uint16_t version)
{
	for (size_t i = 0; i < s->nsuites; i++)
		if (s->suites[i] == suite && s->suite_versions[i] == version)
			return;
	if (s->nsuites < SS_TLS_MAX_SUITES) {
		s->suites[s->nsuites] = suite;
		s->suite_versions[s->nsuites++] = version;
	}
}

/* Unlink and free a connection, adding its counters to the pipeline's. */
static void tls_retire(struct ss_pipeline *pl, struct tls_conn *tc)
{
	struct tls_conn **pp = &pl->tls_tab[(addr_hash(&tc->cli) +
					      addr_hash(&tc->srv)) % TLS_BUCKETS];
	while (*pp != tc)
		pp = &(*pp)->next;
	*pp = tc->next;
	pl->tls_nconns--;
	const struct ss_tls_stats *st = ss_tls_stats(tc->t);
	struct ss_pipeline_tls_stats *s = &pl->tls;
	s->connections++;
	s->records += st->records;
	s->decrypted += st->decrypted;
	s->no_keys += st->no_keys;
	s->no_keys_conns += st->no_keys != 0;
	s->bad_decrypt += st->bad_decrypt;
	s->unsupported += st->unsupported;
	s->key_updates += st->key_updates;
	s->malformed += st->malformed;
	s->resumed += st->resumed;
	s->rsa_no_key += st->rsa_no_key;
	s->lost += st->lost;
	if (st->unsupported)
		tls_add_suite(s, st->suite, st->version);
	ss_tls_free(tc->t);
	for (int i = 0; i < 2; i++) {
		s->overflow_bytes += tc->d[i].len;	/* never delivered */
		free(tc->d[i].buf);
	}
	free(tc);
}

static struct tls_conn *tls_open(struct ss_pipeline *pl,
				 const struct ss_pktinfo *pi, int dir)
{
	if (pl->tls_nconns >= SS_TLS_MAX_CONNS) {
		pl->tls.untracked += dir == SS_TLS_C2S;
		return NULL;
	}
	if (!pl->tls_tab)
		pl->tls_tab = xcalloc(TLS_BUCKETS, sizeof *pl->tls_tab);
	if (!pl->keylog && !pl->no_keys)
		pl->no_keys = ss_keylog_new();
	struct tls_conn *tc = xcalloc(1, sizeof *tc);
	tc->cli = dir == SS_TLS_C2S ? pi->src : pi->dst;
	tc->srv = dir == SS_TLS_C2S ? pi->dst : pi->src;
	tc->t = ss_tls_new(pl->keylog ? pl->keylog : pl->no_keys);
	for (int i = 0; i < 2; i++)
		tc->d[i].state = SS_FLOW_TLS;
	size_t b = tls_bucket(pi);
	tc->next = pl->tls_tab[b];
	pl->tls_tab[b] = tc;
	pl->tls_nconns++;
	return tc;
}

/* Append p[0..n) to what the direction holds. */
static void tls_hold(struct tls_dir *d, const uint8_t *p, size_t n)
{
	if (!n)
		return;
	if (d->len + n > d->cap) {
		size_t cap = d->cap ? d->cap : TLS_FIRST_BUF;
		while (cap < d->len + n)
			cap *= 2;
		d->buf = xrealloc(d->buf, cap);
		d->cap = cap;
	}
	memcpy(d->buf + d->len, p, n);
	d->len += n;
}

/* Hand the plaintext of one direction (what it holds, then p[0..n)) to
 * the stream consumer, like TCP bytes; keep what it leaves, up to the
 * cap. A direction that holds nothing is delivered in place. */
static void tls_deliver(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			struct tls_dir *d, const uint8_t *p, size_t n,
			bool final)
{
	if (d->ignored)
		return;
	const uint8_t *b = p;
	size_t len = n;
	if (d->len) {
		if (d->len + n > SS_TLS_PLAIN_CAP) {
			/* a message bigger than the cap: lost, resynchronise */
			pl->tls.overflow_bytes += d->len;
			d->len = 0;
			d->after_gap = true;
		} else {
			tls_hold(d, p, n);
			b = d->buf;
			len = d->len;
		}
	}
	if (len > SS_TLS_PLAIN_CAP) {
		pl->tls.overflow_bytes += len - SS_TLS_PLAIN_CAP;
		b += len - SS_TLS_PLAIN_CAP;
		len = SS_TLS_PLAIN_CAP;
		d->after_gap = true;
	}
	if (!len)
		return;
	struct ss_tcp_chunk c = {
		.buf = b, .len = len, .after_gap = d->after_gap,
		.final = final, .state = &d->state,
	};
	size_t used = tcp_consume(pl, pi, &c);
	d->after_gap = c.after_gap;
	d->ignored = c.ignore;
	size_t left = final || c.ignore || used >= len ? 0 : len - used;
	if (b == d->buf) {
		memmove(d->buf, d->buf + (len - left), left);
		d->len = left;
	} else {
		d->len = 0;
		tls_hold(d, b + (len - left), left);
	}
	if (!d->len) {		/* nothing held: no memory held either */
		free(d->buf);
		d->buf = NULL;
		d->cap = 0;
	}
}

/* ss_tls_feed's callback: one record's plaintext. */
static void tls_plain(void *user, int dir, const uint8_t *p, size_t n)
{
	struct tls_feed *f = user;
	f->pl->tls.plain_bytes += n;
	tls_deliver(f->pl, f->pi, &f->tc->d[dir], p, n, false);
}

/* Free a connection once every direction seen has ended. */
static void tls_end(struct ss_pipeline *pl, struct tls_conn *tc)
{
	for (int i = 0; i < 2; i++)
		if (tc->d[i].seen && !tc->d[i].ended)
			return;
	tls_retire(pl, tc);
}

/* The bytes of a TLS direction (FLOW_TLS_REC): all consumed. */
static size_t tls_consume(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			  struct ss_tcp_chunk *c)
{
	int dir;
	struct tls_conn *tc = tls_find(pl, pi, &dir);
	if (!tc || tc->d[dir].ended) {	/* past the table's cap */
		pl->tls.untracked_bytes += c->len;
		return c->len;
	}
	struct tls_dir *d = &tc->d[dir];
	if (c->after_gap && !d->dead) {
		ss_tls_gap(tc->t, dir);
		d->dead = true;
	}
	c->after_gap = false;
	if (d->dead) {
		pl->tls.unframed_bytes += c->len;
	} else if (c->len) {
		struct tls_feed f = { pl, pi, tc, false };
		if (ss_tls_feed(tc->t, dir, c->buf, c->len, tls_plain, &f) < 0)
			d->dead = true;
	}
	if (c->final) {
		tls_deliver(pl, pi, d, NULL, 0, true);
		d->ended = true;
		tls_end(pl, tc);
	}
	return c->len;
}

static bool tls_record_start(const uint8_t *p, size_t n)
{
	return n >= 3 && (p[0] == 21 || p[0] == 22) && p[1] == 3 && p[2] <= 4;
}

/* A new direction: is it (the start of) one of a TLS connection? Returns
 * 1 yes (its state word now says so), 0 no, -1 too few bytes to say. */
static int tls_claim(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
		     struct ss_tcp_chunk *c)
{
	const uint8_t *p = c->buf;
	size_t n = c->len;
	if (!n || (p[0] != 22 && p[0] != 21))
		return 0;
	if (n < 6 && !c->final)
		return -1;
	int dir;
	struct tls_conn *tc = tls_find(pl, pi, &dir);
	bool hello = ss_tls_looks_like(p, n);
	bool server_hello = tls_record_start(p, n) && n >= 6 && p[0] == 22 &&
			    p[5] == 2;
	if (tc && tc->d[dir].seen) {
		/* the 4-tuple was reused: a new connection */
		if (!hello && !server_hello)
			return 0;
		tls_retire(pl, tc);
		tc = NULL;
	}
	if (!tc) {
		if (!hello && !server_hello)
			return 0;
		dir = hello ? SS_TLS_C2S : SS_TLS_S2C;
		tc = tls_open(pl, pi, dir);
	} else if (!tls_record_start(p, n)) {
		return 0;
	}
	if (tc)
		tc->d[dir].seen = true;
	*c->state = FLOW_TLS_REC;
	return 1;
}

/* The reassembler's consumer: TLS connections are decrypted first, every
 * other flow goes to the SIP / WebSocket consumer as it is. */
static size_t tcp_or_tls(void *user, const struct ss_pktinfo *pi,
			 struct ss_tcp_chunk *c)
{
	struct ss_pipeline *pl = user;
	if (*c->state == 0 && !c->after_gap) {
		int k = tls_claim(pl, pi, c);
		if (k < 0)
			return 0;
	}
	if (*c->state == FLOW_TLS_REC)
		return tls_consume(pl, pi, c);
	return tcp_consume(pl, pi, c);
}

/* End of input, or free: every connection left goes. */
static void tls_free_all(struct ss_pipeline *pl)
{
	if (!pl->tls_tab)
		return;
	for (size_t b = 0; b < TLS_BUCKETS; b++)
		while (pl->tls_tab[b])
			tls_retire(pl, pl->tls_tab[b]);
}

static bool forced_port(const struct ss_pipeline *pl,
			const struct ss_pktinfo *pi)
{
	for (size_t i = 0; i < pl->nsip_ports; i++)
		if (pi->src.port == pl->sip_ports[i] ||
		    pi->dst.port == pl->sip_ports[i])
			return true;
	return false;
}

/* A datagram sip_looks_like() does not take: not SIP, or SIP by the
 * port the user named. */
static void not_sip(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
		    const uint8_t *payload, size_t len)
{
	if (pi->l4 != SS_L4_UDP)
		return;
	if (forced_port(pl, pi))
		emit_unparsed(pl, pi, (const char *)payload, len,
			      "no SIP start line (port given by --sip-port)");
	else if (pl->on_udp)
		pl->on_udp(pl->user, pi, payload, len);
}

/* Whether sip_looks_like(buf, len) is sure to say yes, judged from what
 * sip_parse() made of it (a size, not an error) in a few compares: the
 * start lines its shortcut for the usual shapes takes, "SIP/2.0 NNN" and
 * "METHOD uri SIP/2.0" with a known method and the line ending right
 * after the version. False means "ask sip_looks_like()". */
static bool parsed_usual(const struct sip_msg *m, const uint8_t *buf,
			 size_t len)
{
	const char *p = (const char *)buf + m->skipped;
	size_t n = len - m->skipped;
	if (!m->is_request)
		return n >= 11 && memcmp(p, "SIP/2.0 ", 8) == 0 &&
		       p[8] >= '0' && p[8] <= '9' && p[9] >= '0' &&
		       p[9] <= '9' && p[10] >= '0' && p[10] <= '9';
	/* The method is a known one (letters up to its SP, 9 at most), the
	 * version the line's last word after an SP (it starts past the
	 * method's SP): looks_usual() in sip.c then finds the same. */
	if (n < 16 || m->method == SIP_M_NONE || m->method == SIP_M_EXTENSION ||
	    m->version.len != 7 || !m->version.p)
		return false;	/* no version: its slice may be NULL */
	const char *ve = m->version.p + m->version.len;
	return memcmp(m->version.p, "SIP/2.0", 7) == 0 &&
	       m->version.p[-1] == ' ' && ve < (const char *)buf + len &&
	       (*ve == '\r' || *ve == '\n');
}

void ss_pipeline_payload(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			 const uint8_t *payload, size_t len)
{
	const char *p = (const char *)payload;
	if (len == 0)
		return;
	if (pi->l4 == SS_L4_TCP) {
		if (!sip_looks_like(payload, len))
			return;
		uint64_t state = 0;
		struct ss_tcp_chunk c = { .buf = payload, .len = len,
					  .final = true, .state = &state };
		tcp_consume(pl, pi, &c);
		return;
	}
	/* sip_looks_like()'s first test, before anything is parsed: RTP and
	 * most binary UDP stop here. */
	size_t i = 0;
	while (i < len && (payload[i] == '\r' || payload[i] == '\n'))
		i++;
	if (i == len || !sip_token_char(payload[i])) {
		not_sip(pl, pi, payload, len);
		return;
	}
	/* Parsed at the array's size first: the usual start line proves
	 * sip_looks_like() right without its scan of the line. Otherwise
	 * it decides, and only then may the array grow (and count an
	 * overflow), as it always did. */
	struct sip_msg m;
	long rc = sip_parse_hinted(p, len, SIP_FRAME_DATAGRAM, &m, pl->hdrs,
				   pl->hdr_cap, &pl->hint);
	if (rc <= 0 || !parsed_usual(&m, payload, len)) {
		if (!sip_looks_like(payload, len)) {
			not_sip(pl, pi, payload, len);
			return;
		}
		if (rc == SIP_PARSE_TOO_MANY)
			rc = parse_growing(pl, p, len, SIP_FRAME_DATAGRAM, &m);
	}
	if (rc <= 0) {
		emit_unparsed(pl, pi, p, len,
			      rc == SIP_PARSE_MALFORMED ? m.malformed : NULL);
		return;
	}
	emit(pl, pi, &m, len - (size_t)rc);
}

ss_str ss_sip_text(const struct sip_msg *m)
{
	if (!m->head.p)
		return SS_STR_NULL;
	const char *end = m->head.p + m->head.len;
	if (m->body.p && m->body.len && m->body.p + m->body.len > end)
		end = m->body.p + m->body.len;
	return ss_str_make(m->head.p, (size_t)(end - m->head.p));
}
