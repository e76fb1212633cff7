/*
 * pipeline.c - frames -> decoder -> SIP detection -> SIP parser -> on_sip.
 *
 * UDP and SCTP payloads are parsed one message per datagram. TCP segments
 * go through the reassembler (dissectors/tcp.h), whose consumer below
 * frames SIP on the stream by Content-Length (RFC 3261 section 18.3).
 */
#include "pipeline.h"

#include <string.h>

#include <stdlib.h>

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
	pl->tcp = ss_tcp_new(tcp, tcp_consume, pl);
}

void ss_pipeline_init(struct ss_pipeline *pl, ss_sip_cb cb, void *user)
{
	ss_pipeline_init_tcp(pl, cb, user, NULL);
}

void ss_pipeline_finish(struct ss_pipeline *pl)
{
	ss_tcp_finish(pl->tcp);
}

void ss_pipeline_free(struct ss_pipeline *pl)
{
	ss_decoder_free(&pl->dec);
	ss_tcp_free(pl->tcp);
	pl->tcp = NULL;
	free(pl->hdrs);
	pl->hdrs = NULL;
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
		long rc = sip_parse(buf, len, fr, m, pl->hdrs, pl->hdr_cap);
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

static void emit(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
		 const struct sip_msg *m, size_t trailing)
{
	struct ss_sip_event ev = {
		.pi = pi,
		.transport = transport_name(pi->l4),
		.msg = m,
		.trailing = trailing,
	};
	pl->st.sip_messages++;
	if (m->malformed)
		pl->st.sip_malformed++;
	pl->on_sip(pl->user, &ev);
}

/* A payload that starts like SIP but whose start line or header block
 * cannot be parsed is still shown, whole, with the parser's reason. */
static void emit_unparsed(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
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
	emit(pl, pi, &m, 0);
}

/* ---- SIP over TCP ------------------------------------------------------ */

/*
 * The consumer of the TCP reassembler. It frames SIP messages on the
 * stream by Content-Length (RFC 3261 section 18.3), emits each complete
 * one (several per segment, or one over many) with the pi of the segment
 * that completed it, and leaves an incomplete one buffered. Its word per
 * flow (chunk->state): bit 0 says the flow proved to carry SIP; the bits
 * above count bytes skipped while an unproven flow (joined mid-stream)
 * was searched for a start line.
 */
#define FLOW_SIP 1u

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
		pl->st.tcp_resync_bytes += (*c->state >> 1) + skip;
	if (found) {
		c->after_gap = false;
		*c->state = FLOW_SIP;
	} else if (!proven) {
		uint64_t seen = (*c->state >> 1) + skip;
		*c->state = seen << 1;
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
	emit(pl, pi, &m, 0);
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
		emit_unparsed(pl, pi, p, n, "header block too long");
		return (long)n;
	}
	m.malformed = "header block too long";
	emit(pl, pi, &m, 0);
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
	emit_unparsed(pl, pi, p, at, why);
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
		emit(pl, pi, &m, 0);
		return rc;
	}
	if (rc == SIP_PARSE_PARTIAL)
		return partial(pl, pi, c, p, n);
	return unparsed_run(pl, pi, c, p, n, m.malformed);
}

static size_t tcp_consume(void *user, const struct ss_pktinfo *pi,
			  struct ss_tcp_chunk *c)
{
	struct ss_pipeline *pl = user;
	size_t off = 0;
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

static bool forced_port(const struct ss_pipeline *pl,
			const struct ss_pktinfo *pi)
{
	for (size_t i = 0; i < pl->nsip_ports; i++)
		if (pi->src.port == pl->sip_ports[i] ||
		    pi->dst.port == pl->sip_ports[i])
			return true;
	return false;
}

void ss_pipeline_payload(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			 const uint8_t *payload, size_t len)
{
	const char *p = (const char *)payload;
	if (len == 0)
		return;
	if (!sip_looks_like(payload, len)) {
		if (pi->l4 == SS_L4_UDP && forced_port(pl, pi))
			emit_unparsed(pl, pi, p, len,
				      "no SIP start line (port given by --sip-port)");
		return;
	}
	if (pi->l4 == SS_L4_TCP) {
		uint64_t state = 0;
		struct ss_tcp_chunk c = { .buf = payload, .len = len,
					  .final = true, .state = &state };
		tcp_consume(pl, pi, &c);
		return;
	}
	struct sip_msg m;
	long rc = parse_growing(pl, p, len, SIP_FRAME_DATAGRAM, &m);
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
