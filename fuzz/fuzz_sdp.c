/*
 * fuzz_sdp.c - libFuzzer target for the SDP parser (dissectors/sdp.c) and
 * the multipart search (dissectors/sdp_multipart.c).
 *
 * Input: the whole buffer is parsed as SDP. It is also split at its first
 * LF into a Content-Type value and a body for sdp_find_in_multipart, and
 * the part found is parsed again. Besides memory errors it checks the
 * contract of sdp.h and aborts with a message when it breaks:
 *  - every slice lies inside the input, counts stay within capacities;
 *  - SDP_NOT_SDP leaves the struct zeroed;
 *  - sdp_attr_next over a section finds exactly ncand candidates (the
 *    parser and the iterator agree on what a line is);
 *  - a section with a port and no SDP_BAD_NO_CONN has a c= address.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

struct span {
	const char *p;
	size_t n;
};

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_sdp: contract broken: %s\n", what);
		abort();
	}
}

static void touch(struct span in, ss_str s)
{
	if (s.len)
		check(s.p && s.p >= in.p && (size_t)(s.p - in.p) <= in.n &&
		      s.len <= in.n - (size_t)(s.p - in.p),
		      "slice outside the input");
	for (size_t i = 0; i < s.len; i++)
		sink += (unsigned char)s.p[i];
}

static void touch_conn(struct span in, const struct sdp_conn *c)
{
	touch(in, c->line);
	touch(in, c->addr);
	check(c->ip.family == 0 || c->ip.family == 4 || c->ip.family == 6,
	      "bad address family");
	sink += ss_addr_classify(&c->ip);
}

static void check_cands(struct span in, const struct sdp_media *m)
{
	size_t pos = 0, n = 0;
	ss_str v;
	while (sdp_attr_next(m->section, "candidate", &pos, &v)) {
		touch(in, v);
		struct sdp_cand c;
		if (sdp_cand_parse(v, &c)) {
			touch(in, c.foundation);
			touch(in, c.transport);
			touch(in, c.type);
			touch(in, c.addr_text);
			touch(in, c.raddr_text);
		}
		n++;
	}
	if (m->ncand < UINT16_MAX)
		check(n == m->ncand, "iterator and parser count candidates differently");
}

static void check_media(struct span in, const struct sdp_desc *d, size_t i)
{
	const struct sdp_media *m = &d->media[i];
	struct ss_addr a;
	touch(in, m->line);
	touch(in, m->section);
	touch(in, m->type);
	touch(in, m->proto);
	touch(in, m->dir_line);
	touch(in, m->crypto_suite);
	touch(in, m->setup);
	touch(in, m->fingerprint);
	touch(in, m->ice_ufrag);
	touch(in, m->ice_pwd);
	touch(in, m->mid);
	touch_conn(in, &m->conn);
	touch_conn(in, &m->rtcp_conn);
	check(m->nfmt <= SDP_MAX_FMT && m->nfmt <= m->nfmt_total,
	      "format count");
	for (size_t k = 0; k < m->nfmt; k++) {
		touch(in, m->fmt[k].token);
		touch(in, m->fmt[k].enc);
		touch(in, m->fmt[k].fmtp);
		check(m->fmt[k].pt >= -1 && m->fmt[k].pt <= 127, "pt range");
	}
	for (size_t k = 0; k < m->ncand && k < SDP_MAX_CAND; k++)
		touch(in, m->cand[k]);
	check_cands(in, m);
	for (unsigned pt = 0; pt < 130; pt++) {
		ss_str name = SS_STR_NULL;
		if (sdp_media_codec(m, pt, &name, NULL, NULL) && name.len &&
		    !sdp_static_pt(pt, NULL, NULL))
			touch(in, name);
	}
	check(m->conn.present == (m->conn_level != SDP_LVL_NONE),
	      "conn level disagrees with presence");
	check(m->port == 0 || m->conn.present || (m->bad & SDP_BAD_NO_CONN),
	      "active stream without address and without flag");
	check((d->bad & m->bad) == m->bad, "media reason missing at top");
	(void)sdp_media_addr(m, &a);
	(void)sdp_rtcp_addr(m, &a);
	sink += sdp_media_dir(d, i, NULL) + sdp_media_hold(d, i);
}

static void check_desc(struct span in, const struct sdp_desc *d, int rc)
{
	if (rc == SDP_NOT_SDP) {
		static const struct sdp_desc zero;
		check(memcmp(d, &zero, sizeof zero) == 0, "NOT_SDP left data");
		return;
	}
	check(rc == SDP_OK, "unknown return value");
	touch(in, d->text);
	touch(in, d->session);
	touch(in, d->session_name);
	touch(in, d->origin.line);
	touch(in, d->origin.user);
	touch(in, d->origin.sess_id);
	touch(in, d->origin.sess_version);
	touch(in, d->origin.addr);
	touch_conn(in, &d->conn);
	touch(in, d->dir_line);
	touch(in, d->ice_ufrag);
	touch(in, d->ice_pwd);
	touch(in, d->ice_options);
	touch(in, d->fingerprint);
	touch(in, d->setup);
	touch(in, d->group);
	check(d->nmedia <= SDP_MAX_MEDIA && d->nmedia <= d->nmedia_total,
	      "media count");
	for (size_t i = 0; i < d->nmedia; i++)
		check_media(in, d, i);
	sink += (unsigned)strlen(sdp_bad_name(d->bad));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sdp_desc d;
	const char *p = (const char *)data;
	struct span in = { p, size };

	check_desc(in, &d, sdp_parse(p, size, &d));

	const char *nl = size ? memchr(p, '\n', size) : NULL;
	if (nl) {
		ss_str ct = ss_str_make(p, (size_t)(nl - p));
		ss_str body = ss_str_make(nl + 1, size - (size_t)(nl + 1 - p));
		ss_str part;
		if (sdp_find_in_multipart(body, ct, &part)) {
			struct span b = { body.p, body.len };
			touch(b, part);
			check_desc(in, &d, sdp_parse(part.p, part.len, &d));
		}
	}
	return 0;
}
