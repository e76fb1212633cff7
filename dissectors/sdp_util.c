/*
 * sdp_util.c - what callers ask of a parsed description (sdp.h): the RFC
 * 3551 static payload types, the codec of a payload type, effective
 * direction and hold, RTP/RTCP destinations, the attribute iterator and
 * ICE candidates (RFC 8839 5.1).
 */
#include <string.h>

#include "sdp.h"
#include "sdp_int.h"

/* ---- RFC 3551 static payload types ------------------------------------ */

static const struct {
	const char *name;
	uint32_t clock;
	uint8_t channels;
} static_pts[35] = {
	[0] = { "PCMU", 8000, 1 },	[3] = { "GSM", 8000, 1 },
	[4] = { "G723", 8000, 1 },	[5] = { "DVI4", 8000, 1 },
	[6] = { "DVI4", 16000, 1 },	[7] = { "LPC", 8000, 1 },
	[8] = { "PCMA", 8000, 1 },
	/* RFC 3551 4.5.2: G722's RTP clock is 8000 for historical reasons */
	[9] = { "G722", 8000, 1 },
	[10] = { "L16", 44100, 2 },	[11] = { "L16", 44100, 1 },
	[12] = { "QCELP", 8000, 1 },	[13] = { "CN", 8000, 1 },
	[14] = { "MPA", 90000, 0 },	[15] = { "G728", 8000, 1 },
	[16] = { "DVI4", 11025, 1 },	[17] = { "DVI4", 22050, 1 },
	[18] = { "G729", 8000, 1 },
	[25] = { "CelB", 90000, 0 },	[26] = { "JPEG", 90000, 0 },
	[28] = { "nv", 90000, 0 },	[31] = { "H261", 90000, 0 },
	[32] = { "MPV", 90000, 0 },	[33] = { "MP2T", 90000, 0 },
	[34] = { "H263", 90000, 0 },
};

bool sdp_static_pt(unsigned pt, const char **name, uint32_t *clock)
{
	if (pt >= sizeof static_pts / sizeof static_pts[0] ||
	    !static_pts[pt].name)
		return false;
	if (name)
		*name = static_pts[pt].name;
	if (clock)
		*clock = static_pts[pt].clock;
	return true;
}

bool sdp_media_codec(const struct sdp_media *m, unsigned pt, ss_str *name,
		     uint32_t *clock, unsigned *channels)
{
	for (size_t i = 0; i < m->nfmt; i++) {
		const struct sdp_fmt *f = &m->fmt[i];
		if (f->pt < 0 || (unsigned)f->pt != pt || !f->enc.len)
			continue;
		if (name)
			*name = f->enc;
		if (clock)
			*clock = f->clock;
		if (channels)
			*channels = f->channels ? f->channels : 1;
		return true;
	}
	const char *sn;
	uint32_t sc;
	if (!sdp_static_pt(pt, &sn, &sc))
		return false;
	if (name)
		*name = ss_str_make(sn, strlen(sn));
	if (clock)
		*clock = sc;
	if (channels)
		*channels = static_pts[pt].channels ? static_pts[pt].channels : 1;
	return true;
}

/* ---- queries ---------------------------------------------------------- */

enum sdp_dir sdp_media_dir(const struct sdp_desc *d, size_t i,
			   bool *explicit_out)
{
	enum sdp_dir dir = SDP_DIR_UNSET;
	if (i < d->nmedia)
		dir = d->media[i].dir;
	if (dir == SDP_DIR_UNSET)
		dir = d->dir;
	if (explicit_out)
		*explicit_out = dir != SDP_DIR_UNSET;
	return dir == SDP_DIR_UNSET ? SDP_DIR_SENDRECV : dir;
}

enum sdp_hold sdp_media_hold(const struct sdp_desc *d, size_t i)
{
	if (i >= d->nmedia)
		return SDP_HOLD_NONE;
	const struct sdp_media *m = &d->media[i];
	if (m->port == 0 && !(m->bad & SDP_BAD_MEDIA))
		return SDP_HOLD_REJECTED;
	/* ICE (RFC 8839 4.2.1.3) puts 0.0.0.0 in c= while candidates
	 * are still to come: that is no hold. */
	if (m->conn.present && ss_addr_classify(&m->conn.ip) == SS_ADDR_ZERO &&
	    !m->ncand && !m->ice_ufrag.len)
		return SDP_HOLD_ZERO_ADDR;
	switch (sdp_media_dir(d, i, NULL)) {
	case SDP_DIR_INACTIVE: return SDP_HOLD_INACTIVE;
	case SDP_DIR_SENDONLY: return SDP_HOLD_SENDONLY;
	case SDP_DIR_RECVONLY: return SDP_HOLD_RECVONLY;
	default: return SDP_HOLD_NONE;
	}
}

bool sdp_media_addr(const struct sdp_media *m, struct ss_addr *out)
{
	if (!m->conn.present || !m->conn.ip.family)
		return false;
	*out = m->conn.ip;
	out->port = m->port;
	return true;
}

bool sdp_rtcp_addr(const struct sdp_media *m, struct ss_addr *out)
{
	if (m->rtcp_present && m->rtcp_conn.ip.family) {
		*out = m->rtcp_conn.ip;
	} else if (!sdp_media_addr(m, out)) {
		return false;
	}
	if (m->rtcp_present)
		out->port = m->rtcp_port;
	else if (m->rtcp_mux || m->port == 0)
		out->port = m->port;
	else
		out->port = (uint16_t)(m->port + 1);	/* 65535 wraps to 0 */
	return true;
}

bool sdp_attr_next(ss_str section, const char *name, size_t *pos,
		   ss_str *value)
{
	size_t n = strlen(name);
	if (!section.len)
		return false;
	const char *p = section.p + (*pos < section.len ? *pos : section.len);
	const char *end = section.p + section.len;
	while (p < end) {
		enum sdp_eol eol;
		ss_str line = sdp_next_line(&p, end, &eol);
		*pos = (size_t)(p - section.p);
		if (line.len < 2 + n || line.p[0] != 'a' || line.p[1] != '=' ||
		    memcmp(line.p + 2, name, n) != 0)
			continue;
		if (line.len == 2 + n) {
			*value = ss_str_make(line.p + line.len, 0);
			return true;
		}
		if (line.p[2 + n] == ':') {
			*value = ss_str_make(line.p + 3 + n, line.len - 3 - n);
			return true;
		}
	}
	return false;
}

/* <foundation> <component-id> <transport> <priority> <address> <port>
 * typ <cand-type> [raddr <addr>] [rport <port>] *(<name> <value>) */
bool sdp_cand_parse(ss_str v, struct sdp_cand *c)
{
	ss_str comp, prio, port, w;
	uint64_t a, b, pn;
	memset(c, 0, sizeof *c);
	c->foundation = sdp_tok(&v);
	comp = sdp_tok(&v);
	c->transport = sdp_tok(&v);
	prio = sdp_tok(&v);
	c->addr_text = sdp_tok(&v);
	port = sdp_tok(&v);
	w = sdp_tok(&v);
	c->type = sdp_tok(&v);
	if (!c->foundation.len || !ss_str_to_u64(comp, 256, &a) ||
	    !c->transport.len || !ss_str_to_u64(prio, UINT32_MAX, &b) ||
	    !c->addr_text.len || !ss_str_to_u64(port, 65535, &pn) ||
	    !ss_str_eq(w, "typ") || !c->type.len)
		return false;
	c->component = (uint32_t)a;
	c->priority = (uint32_t)b;
	if (ss_addr_parse(c->addr_text, 0, &c->addr))
		c->addr.port = (uint16_t)pn;
	for (ss_str k = sdp_tok(&v); k.len; k = sdp_tok(&v)) {
		ss_str val = sdp_tok(&v);
		if (ss_str_eq(k, "raddr")) {
			c->raddr_text = val;
			if (!ss_addr_parse(val, 0, &c->raddr))
				memset(&c->raddr, 0, sizeof c->raddr);
		} else if (ss_str_eq(k, "rport")) {
			if (!ss_str_to_u64(val, 65535, &pn))
				return false;
			if (c->raddr.family)
				c->raddr.port = (uint16_t)pn;
		}
	}
	return true;
}
