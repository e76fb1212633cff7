/*
 * pipeline.c - frames -> decoder -> SIP detection -> SIP parser -> on_sip.
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

void ss_pipeline_init(struct ss_pipeline *pl, ss_sip_cb cb, void *user)
{
	memset(pl, 0, sizeof *pl);
	pl->on_sip = cb;
	pl->user = user;
	pl->hdr_cap = 64;
	pl->hdrs = xcalloc(pl->hdr_cap, sizeof *pl->hdrs);
	/* Only allocation can fail there, and xalloc exits loudly first. */
	(void)ss_decoder_init(&pl->dec, on_payload, pl, 0);
}

void ss_pipeline_free(struct ss_pipeline *pl)
{
	ss_decoder_free(&pl->dec);
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

/* TCP without reassembly (a later stage): every complete message that a
 * segment holds is delivered, all of them, not only the first. */
static void stream_payload(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			   const char *p, size_t len)
{
	size_t off = 0;
	while (off < len && sip_looks_like((const uint8_t *)p + off, len - off)) {
		struct sip_msg m;
		long rc = parse_growing(pl, p + off, len - off, SIP_FRAME_STREAM, &m);
		if (rc == SIP_PARSE_PARTIAL) {
			pl->st.tcp_partial++;
			return;
		}
		if (rc <= 0) {
			emit_unparsed(pl, pi, p + off, len - off,
				      rc == SIP_PARSE_MALFORMED ? m.malformed : NULL);
			return;
		}
		emit(pl, pi, &m, 0);
		off += (size_t)rc;
	}
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
		stream_payload(pl, pi, p, len);
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
