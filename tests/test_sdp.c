/*
 * test_sdp.c - unit tests for the SDP parser (dissectors/sdp.c), the
 * multipart search (sdp_multipart.c) and the address helpers (ipaddr.c).
 *
 * Every case is a row in a named table. Each input is copied with
 * guard_copy() so its last byte is the last readable one before a
 * PROT_NONE page: a read past the input faults at once. The parse result
 * is rendered into a canonical dump, one "key=value" fact per line (see
 * dump()); a case lists the facts it expects, each of which must appear
 * as a whole line, and the exact SDP_BAD_* and SDP_NOTE_* masks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"
#include "sdp.h"

#define CRLF "\r\n"
#define HEAD "v=0" CRLF "o=alice 2890844526 2890844527 IN IP4 192.0.2.10" CRLF \
	"s=-" CRLF
#define T0 "t=0 0" CRLF
#define C4(a) "c=IN IP4 " a CRLF
#define AUDIO(port) "m=audio " port " RTP/AVP 0 8 101" CRLF \
	"a=rtpmap:0 PCMU/8000" CRLF "a=rtpmap:8 PCMA/8000" CRLF \
	"a=rtpmap:101 telephone-event/8000" CRLF "a=fmtp:101 0-16" CRLF

/* ---- the canonical dump ----------------------------------------------- */

struct dumpbuf {
	char s[8192];
	size_t n;
};

static void put(struct dumpbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		b->n += (size_t)w < sizeof b->s - b->n ? (size_t)w
						     : sizeof b->s - b->n - 1;
	if (b->n + 1 < sizeof b->s)
		b->s[b->n++] = '\n';
	b->s[b->n] = '\0';
}

#define SL(x) (int)(x).len, (x).p ? (x).p : ""

static const char *addr(const struct ss_addr *a, char *buf, size_t n)
{
	ss_addr_format(a, a->port != 0, buf, n);
	return buf;
}

static void dump_conn(struct dumpbuf *b, const char *k,
		      const struct sdp_conn *c)
{
	char ab[64];
	if (!c->present)
		return;
	put(b, "%s=%.*s", k, SL(c->addr));
	put(b, "%s.ip=%s %s", k, c->ip.family ? addr(&c->ip, ab, sizeof ab) : "-",
	    ss_addr_class_name(ss_addr_classify(&c->ip)));
	if (c->ttl || c->naddr)
		put(b, "%s.ttl=%u/%u", k, c->ttl, c->naddr);
}

static void dump_fmts(struct dumpbuf *b, const struct sdp_media *m, size_t i)
{
	for (size_t k = 0; k < m->nfmt; k++) {
		const struct sdp_fmt *f = &m->fmt[k];
		ss_str name = SS_STR_NULL;
		uint32_t clock = 0;
		unsigned ch = 0;
		put(b, "m%zu.fmt%zu=%.*s pt=%d", i, k, SL(f->token), f->pt);
		if (f->enc.len)
			put(b, "m%zu.rtpmap%d=%.*s/%u/%u", i, f->pt, SL(f->enc),
			    f->clock, f->channels);
		if (f->fmtp.len)
			put(b, "m%zu.fmtp%.*s=%.*s", i, SL(f->token), SL(f->fmtp));
		if (f->pt >= 0 &&
		    sdp_media_codec(m, (unsigned)f->pt, &name, &clock, &ch))
			put(b, "m%zu.codec%d=%.*s/%u/%u", i, f->pt, SL(name),
			    clock, ch);
	}
}

static void dump_media(struct dumpbuf *b, const struct sdp_desc *d, size_t i)
{
	static const char *const lvl[] = { "none", "session", "media" };
	static const char *const hold[] = { "none", "rejected", "zero-addr",
		"inactive", "sendonly", "recvonly" };
	const struct sdp_media *m = &d->media[i];
	struct ss_addr a;
	char ab[64];
	bool expl;
	put(b, "m%zu=%.*s/%d %u/%u %.*s/%d rtp=%d", i, SL(m->type), m->mtype,
	    m->port, m->nports, SL(m->proto), m->proto_id,
	    sdp_proto_is_rtp(m->proto_id));
	put(b, "m%zu.nfmt=%u/%u", i, m->nfmt, m->nfmt_total);
	dump_fmts(b, m, i);
	dump_conn(b, "mc", &m->conn);
	put(b, "m%zu.clevel=%s", i, lvl[m->conn_level]);
	enum sdp_dir dir = sdp_media_dir(d, i, &expl);
	put(b, "m%zu.dir=%s%s", i, sdp_dir_name(dir), expl ? " explicit" : "");
	put(b, "m%zu.hold=%s", i, hold[sdp_media_hold(d, i)]);
	if (sdp_media_addr(m, &a))
		put(b, "m%zu.rtp=%s", i, addr(&a, ab, sizeof ab));
	if (sdp_rtcp_addr(m, &a))
		put(b, "m%zu.rtcp=%s", i, addr(&a, ab, sizeof ab));
	if (m->rtcp_present)
		put(b, "m%zu.a-rtcp=%u%s", i, m->rtcp_port,
		    m->rtcp_conn.present ? " +addr" : "");
	put(b, "m%zu.mux=%d", i, m->rtcp_mux);
	put(b, "m%zu.ptime=%u/%u", i, m->ptime, m->maxptime);
	put(b, "m%zu.srtp=%d/%u %.*s", i, m->srtp, m->ncrypto, SL(m->crypto_suite));
	put(b, "m%zu.dtls=%d %.*s", i, m->dtls, SL(m->setup));
	put(b, "m%zu.ice=%u %.*s %.*s", i, m->ncand, SL(m->ice_ufrag),
	    SL(m->ice_pwd));
	for (size_t k = 0; k < m->ncand && k < SDP_MAX_CAND; k++)
		put(b, "m%zu.cand%zu=%.*s", i, k, SL(m->cand[k]));
	put(b, "m%zu.mid=%.*s", i, SL(m->mid));
	put(b, "m%zu.te=%d cn=%d", i, m->te_pt, m->cn_pt);
	put(b, "m%zu.bad=0x%x", i, m->bad);
}

static void dump(struct dumpbuf *b, const struct sdp_desc *d)
{
	const struct sdp_origin *o = &d->origin;
	char ab[64];
	b->n = 0;
	b->s[0] = '\0';
	put(b, "o=%.*s %.*s %.*s %.*s %s", SL(o->user), SL(o->sess_id),
	    SL(o->sess_version), SL(o->addr),
	    o->ip.family ? addr(&o->ip, ab, sizeof ab) : "-");
	put(b, "o.version=%llu", (unsigned long long)o->version);
	put(b, "s=%.*s", SL(d->session_name));
	dump_conn(b, "c", &d->conn);
	put(b, "dir=%s", sdp_dir_name(d->dir));
	put(b, "ice=%.*s %.*s lite=%d", SL(d->ice_ufrag), SL(d->ice_pwd),
	    d->ice_lite);
	put(b, "nmedia=%u/%u", d->nmedia, d->nmedia_total);
	for (size_t i = 0; i < d->nmedia; i++)
		dump_media(b, d, i);
}

/* ---- the case table --------------------------------------------------- */

#define MAXWANT 20

struct scase {
	const char *name;
	const char *in;
	size_t len;		/* 0: strlen(in) */
	int rc;			/* SDP_OK or SDP_NOT_SDP */
	uint32_t bad, notes;	/* exact masks */
	const char *want[MAXWANT];	/* lines the dump must contain */
	const char *text_end;	/* if set: desc.text must end with this */
};

static bool has_line(const char *dumped, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = dumped; (p = strstr(p, line)) != NULL; p++)
		if ((p == dumped || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

/* Every slice the parser hands out lies inside the input. */
static void inside(const struct scase *c, const char *buf, size_t len,
		   ss_str s, const char *what)
{
	if (s.len && (s.p < buf || s.p > buf + len ||
		      s.len > (size_t)(buf + len - s.p)))
		fail_msg("%s: %s slice outside the input", c->name, what);
}

static void slices_inside(const struct scase *c, const char *buf,
			  size_t len, const struct sdp_desc *d)
{
	inside(c, buf, len, d->text, "text");
	inside(c, buf, len, d->session, "session");
	inside(c, buf, len, d->origin.line, "o=");
	inside(c, buf, len, d->conn.line, "c=");
	for (size_t i = 0; i < d->nmedia; i++) {
		inside(c, buf, len, d->media[i].line, "m=");
		inside(c, buf, len, d->media[i].section, "section");
		inside(c, buf, len, d->media[i].conn.line, "media c=");
	}
}

static void run_case(const struct scase *c)
{
	static struct sdp_desc d;
	static struct dumpbuf b;
	size_t len = c->len ? c->len : strlen(c->in);
	struct guard g;
	const char *buf = guard_copy(&g, c->in, len);
	int rc = sdp_parse(buf, len, &d);
	if (rc != c->rc)
		fail_msg("%s: returned %d, expected %d", c->name, rc, c->rc);
	if (d.bad != c->bad || d.notes != c->notes)
		fail_msg("%s: bad 0x%x (%s) notes 0x%x, expected bad 0x%x notes 0x%x",
			 c->name, d.bad, sdp_bad_name(d.bad), d.notes, c->bad,
			 c->notes);
	slices_inside(c, buf, len, &d);
	dump(&b, &d);
	for (size_t i = 0; i < MAXWANT && c->want[i]; i++)
		if (!has_line(b.s, c->want[i]))
			fail_msg("%s: no line \"%s\" in:\n%s", c->name, c->want[i],
				 b.s);
	if (c->text_end) {
		size_t n = strlen(c->text_end);
		if (d.text.len < n ||
		    memcmp(d.text.p + d.text.len - n, c->text_end, n) != 0)
			fail_msg("%s: text ends \"%.*s\"", c->name,
				 (int)(d.text.len < 20 ? d.text.len : 20),
				 d.text.p + d.text.len -
					 (d.text.len < 20 ? d.text.len : 20));
	}
	guard_release(&g);
}

#define RUN_TABLE(t) do { \
	for (size_t i_ = 0; i_ < sizeof(t) / sizeof((t)[0]); i_++) \
		run_case(&(t)[i_]); \
} while (0)

/* ---- offers and answers ----------------------------------------------- */

#define BASIC HEAD C4("192.0.2.10") T0 AUDIO("49170") "a=ptime:20" CRLF \
	"a=sendrecv" CRLF

static const struct scase t_basic[] = {
	{ .name = "basic audio offer", .in = BASIC,
	  .want = { "o=alice 2890844526 2890844527 192.0.2.10 192.0.2.10",
		    "o.version=2890844527", "s=-", "c.ip=192.0.2.10 public",
		    "nmedia=1/1", "m0=audio/1 49170/1 RTP/AVP/1 rtp=1",
		    "m0.nfmt=3/3", "m0.fmt2=101 pt=101",
		    "m0.rtpmap101=telephone-event/8000/0", "m0.fmtp101=0-16",
		    "m0.codec0=PCMU/8000/1", "m0.codec8=PCMA/8000/1",
		    "m0.clevel=session", "m0.dir=sendrecv explicit",
		    "m0.rtp=192.0.2.10:49170", "m0.rtcp=192.0.2.10:49171",
		    "m0.te=101 cn=-1", "m0.ptime=20/0" } },
	{ .name = "answer: media c= overrides session, static CN",
	  .in = HEAD C4("10.0.0.1") T0 "m=audio 5004 RTP/AVP 8 13" CRLF
		C4("203.0.113.5") "a=ptime:30" CRLF "a=maxptime:150" CRLF,
	  .want = { "c.ip=10.0.0.1 rfc1918", "mc=203.0.113.5",
		    "mc.ip=203.0.113.5 public", "m0.clevel=media",
		    "m0.te=-1 cn=13", "m0.codec13=CN/8000/1",
		    "m0.dir=sendrecv", "m0.hold=none", "m0.ptime=30/150",
		    "m0.rtp=203.0.113.5:5004" } },
	{ .name = "IPv6 everywhere",
	  .in = "v=0" CRLF "o=- 1 1 IN IP6 2001:db8::1" CRLF "s=-" CRLF
		"c=IN IP6 2001:DB8::2" CRLF T0 "m=audio 6000 RTP/AVP 0" CRLF
		"a=rtcp:6001 IN IP6 fd00::5" CRLF,
	  .want = { "o=- 1 1 2001:db8::1 2001:db8::1",
		    "c.ip=2001:db8::2 public", "m0.rtp=[2001:db8::2]:6000",
		    "m0.rtcp=[fd00::5]:6001", "m0.a-rtcp=6001 +addr" } },
	{ .name = "bracketed IPv6 (URI syntax) is read and noted",
	  .in = "v=0" CRLF "o=User1 5 6 IN IP6 [fd00:99:6::1]" CRLF "s=-" CRLF
		"c=IN IP6 [fd00:99:6::1]" CRLF "m=audio 6000 RTP/AVP 0" CRLF,
	  .notes = SDP_NOTE_IPV6_BRACKETS,
	  .want = { "o=User1 5 6 fd00:99:6::1 fd00:99:6::1",
		    "c.ip=fd00:99:6::1 ula", "m0.rtp=[fd00:99:6::1]:6000" } },
	{ .name = "brackets around IPv4 are not read",
	  .in = "v=0" CRLF "o=- 5 6 IN IP4 192.0.2.1" CRLF "s=-" CRLF
		"c=IN IP4 [192.0.2.1]" CRLF "m=audio 6000 RTP/AVP 0" CRLF,
	  .bad = SDP_BAD_CONN, .want = { "c.ip=- unset" } },
	{ .name = "LF-only line ends", .in = "v=0\no=- 1 2 IN IP4 192.0.2.1\n"
		"s=x\nc=IN IP4 192.0.2.1\nt=0 0\nm=audio 4000 RTP/AVP 18\n"
		"a=fmtp:18 annexb=no\n", .notes = SDP_NOTE_LF_ONLY,
	  .want = { "m0.fmt0=18 pt=18", "m0.fmtp18=annexb=no",
		    "m0.codec18=G729/8000/1", "s=x", "o.version=2" } },
	{ .name = "lone CR line ends and no final EOL",
	  .in = "v=0\ro=- 1 2 IN IP4 192.0.2.1\rs=-\rc=IN IP4 192.0.2.1\r"
		"m=audio 4000 RTP/AVP 0",
	  .notes = SDP_NOTE_LF_ONLY | SDP_NOTE_NO_FINAL_EOL,
	  .want = { "m0.rtp=192.0.2.1:4000" }, .text_end = "RTP/AVP 0" },
	{ .name = "multiple m=: audio, video, T.38 image",
	  .in = HEAD C4("192.0.2.10") T0 "m=audio 49170 RTP/AVP 0" CRLF
		"m=video 51372/2 RTP/AVP 99" CRLF "a=rtpmap:99 h263-1998/90000" CRLF
		"a=recvonly" CRLF "m=image 49172 udptl t38" CRLF
		"a=T38FaxVersion:0" CRLF "a=T38MaxBitRate:14400" CRLF,
	  .want = { "nmedia=3/3", "m1=video/2 51372/2 RTP/AVP/1 rtp=1",
		    "m1.codec99=h263-1998/90000/1", "m1.dir=recvonly explicit",
		    "m0.dir=sendrecv", "m2=image/3 49172/1 udptl/8 rtp=0",
		    "m2.fmt0=t38 pt=-1", "m2.rtp=192.0.2.10:49172" } },
	{ .name = "multicast with ttl and count",
	  .in = HEAD "c=IN IP4 224.2.36.42/127/3" CRLF T0
		"m=video 51372 RTP/AVP 31" CRLF "m=audio 1 RTP/AVP 0" CRLF
		"c=IN IP6 FF15::101/3" CRLF,
	  .want = { "c.ip=224.2.36.42 multicast", "c.ttl=127/3",
		    "mc.ip=ff15::101 multicast", "mc.ttl=0/3",
		    "m0.codec31=H261/90000/1" } },
	{ .name = "FQDN connection address",
	  .in = HEAD "c=IN IP4 media.example.com" CRLF T0 AUDIO("4000"),
	  .want = { "c=media.example.com", "c.ip=- unset", "m0.clevel=session" } },
	{ .name = "telephone-event matching the first codec's clock",
	  .in = HEAD C4("192.0.2.1") "m=audio 9 RTP/AVP 111 0 110 126" CRLF
		"a=rtpmap:111 opus/48000/2" CRLF
		"a=rtpmap:126 telephone-event/8000" CRLF
		"a=rtpmap:110 telephone-event/48000" CRLF
		"m=audio 9 RTP/AVP 0 110 126" CRLF
		"a=rtpmap:110 telephone-event/48000" CRLF
		"a=rtpmap:126 telephone-event/8000" CRLF,
	  .want = { "m0.te=110 cn=-1", "m1.te=126 cn=-1",
		    "m0.codec111=opus/48000/2" } },
};

/* ---- hold, direction, rtcp, security, ICE ----------------------------- */

static const struct scase t_attrs[] = {
	{ .name = "hold: sendonly",
	  .in = HEAD C4("192.0.2.10") T0 AUDIO("49170") "a=sendonly" CRLF,
	  .want = { "m0.dir=sendonly explicit", "m0.hold=sendonly" } },
	{ .name = "hold: session-level inactive",
	  .in = HEAD C4("192.0.2.10") T0 "a=inactive" CRLF AUDIO("49170"),
	  .want = { "dir=inactive", "m0.dir=inactive explicit",
		    "m0.hold=inactive" } },
	{ .name = "media direction overrides session",
	  .in = HEAD C4("192.0.2.10") T0 "a=sendonly" CRLF AUDIO("49170")
		"a=sendrecv" CRLF "m=audio 2 RTP/AVP 0" CRLF,
	  .want = { "m0.dir=sendrecv explicit", "m0.hold=none",
		    "m1.dir=sendonly explicit", "m1.hold=sendonly" } },
	{ .name = "hold: c=0.0.0.0",
	  .in = HEAD C4("0.0.0.0") T0 AUDIO("49170"),
	  .want = { "c.ip=0.0.0.0 zero", "m0.hold=zero-addr" } },
	{ .name = "hold: IPv6 ::",
	  .in = HEAD T0 "m=audio 1 RTP/AVP 0" CRLF "c=IN IP6 ::" CRLF,
	  .want = { "mc.ip=:: zero", "m0.hold=zero-addr" } },
	{ .name = "rejected: port 0, dynamic pt need no rtpmap",
	  .in = HEAD C4("192.0.2.10") T0 AUDIO("49170")
		"m=video 0 RTP/AVP 96 97" CRLF,
	  .want = { "m1=video/2 0/1 RTP/AVP/1 rtp=1", "m1.hold=rejected",
		    "m1.bad=0x0" } },
	{ .name = "a=rtcp without address",
	  .in = BASIC "a=rtcp:53020" CRLF,
	  .want = { "m0.a-rtcp=53020", "m0.rtcp=192.0.2.10:53020" } },
	{ .name = "a=rtcp with IPv4 address",
	  .in = BASIC "a=rtcp:53020 IN IP4 126.16.64.4" CRLF,
	  .want = { "m0.a-rtcp=53020 +addr", "m0.rtcp=126.16.64.4:53020",
		    "m0.rtp=192.0.2.10:49170" } },
	{ .name = "a=rtcp with IPv6 address",
	  .in = BASIC "a=rtcp:53020 IN IP6 2001:2345:6789:ABCD:EF01:2345:6789:ABCD" CRLF,
	  .want = { "m0.rtcp=[2001:2345:6789:abcd:ef01:2345:6789:abcd]:53020" } },
	{ .name = "rtcp-mux", .in = BASIC "a=rtcp-mux" CRLF,
	  .want = { "m0.mux=1", "m0.rtcp=192.0.2.10:49170" } },
	{ .name = "SDES crypto lines",
	  .in = HEAD C4("192.0.2.10") T0 "m=audio 49170 RTP/SAVP 0" CRLF
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4" CRLF
		"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj" CRLF,
	  .want = { "m0=audio/1 49170/1 RTP/SAVP/2 rtp=1",
		    "m0.srtp=1/2 AES_CM_128_HMAC_SHA1_80", "m0.dtls=0 " } },
	{ .name = "DTLS-SRTP and ICE beyond capacity",
	  .in = HEAD "a=fingerprint:sha-256 4A:AD:B9" CRLF "a=ice-ufrag:F7gI" CRLF
		"a=group:BUNDLE 0" CRLF "m=audio 9 UDP/TLS/RTP/SAVPF 111" CRLF
		C4("0.0.0.0") "a=rtpmap:111 opus/48000/2" CRLF "a=setup:actpass" CRLF
		"a=mid:0" CRLF "a=ice-pwd:x9cml/YzichV2+XlhiMu8g" CRLF
		"a=candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host" CRLF
		"a=candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998" CRLF
		"a=candidate:3 1 TCP 1 10.0.1.1 9 typ host tcptype active" CRLF
		"a=candidate:4 1 UDP 2 198.51.100.7 3478 typ relay raddr 192.0.2.3 rport 45664" CRLF
		"a=candidate:5 1 UDP 3 10.0.1.2 9000 typ host" CRLF
		"a=candidate:6 2 UDP 4 10.0.1.2 9001 typ host" CRLF "a=rtcp-mux" CRLF,
	  .notes = SDP_NOTE_TOO_MANY_CAND,
	  .want = { "m0=audio/1 9/1 UDP/TLS/RTP/SAVPF/6 rtp=1",
		    "m0.ice=6 F7gI x9cml/YzichV2+XlhiMu8g",
		    "m0.cand0=1 1 UDP 2130706431 10.0.1.1 8998 typ host",
		    "m0.cand3=4 1 UDP 2 198.51.100.7 3478 typ relay raddr 192.0.2.3 rport 45664",
		    "m0.dtls=1 actpass", "m0.mid=0", "m0.hold=none",
		    "m0.srtp=0/0 " } },
	{ .name = "crypto without key params",
	  .in = HEAD C4("192.0.2.10") T0 "m=audio 1 RTP/SAVP 0" CRLF
		"a=crypto:1 AES_CM_128_HMAC_SHA1_80" CRLF,
	  .bad = SDP_BAD_ATTR, .want = { "m0.srtp=1/1 AES_CM_128_HMAC_SHA1_80",
					 "m0.bad=0x80" } },
	{ .name = "contradicting directions keep the first",
	  .in = BASIC "a=sendonly" CRLF, .bad = SDP_BAD_ATTR,
	  .want = { "m0.dir=sendrecv explicit" } },
	{ .name = "ptime with a fraction", .in = HEAD C4("192.0.2.1")
		"m=audio 1 RTP/AVP 0" CRLF "a=ptime:20.0" CRLF,
	  .want = { "m0.ptime=20/0" } },
};

/* ---- capacities ------------------------------------------------------- */

#define M1 "m=audio 1000 RTP/AVP 0" CRLF
static const struct scase t_capacity[] = {
	{ .name = "too many formats",
	  .in = HEAD C4("192.0.2.1") "m=audio 1000 RTP/AVP 0 3 4 5 6 7 8 9 10 "
		"11 12 13 14 15 16 17 18 97" CRLF "a=rtpmap:97 iLBC/8000" CRLF,
	  .notes = SDP_NOTE_TOO_MANY_FMT,
	  .want = { "m0.nfmt=16/18", "m0.fmt15=17 pt=17", "m0.te=-1 cn=13" } },
	{ .name = "too many media sections",
	  .in = HEAD C4("192.0.2.1") M1 M1 M1 M1 M1 M1 M1
		"m=audio 1007 RTP/AVP 0" CRLF "m=audio 1008 RTP/AVP 0" CRLF
		"a=sendonly" CRLF "c=IN IP4 nonsense/" CRLF
		"m=audio 1009 RTP/AVP 0" CRLF,
	  .notes = SDP_NOTE_TOO_MANY_MEDIA,
	  .want = { "nmedia=8/10", "m7=audio/1 1007/1 RTP/AVP/1 rtp=1",
		    "m7.dir=sendrecv", "m7.rtp=192.0.2.1:1007" },
	  .text_end = "m=audio 1009 RTP/AVP 0" },
	{ .name = "rtpmap for a pt not in m=",
	  .in = BASIC "a=rtpmap:18 G729/8000" CRLF "a=fmtp:18 annexb=no" CRLF,
	  .notes = SDP_NOTE_UNLISTED_PT, .want = { "m0.nfmt=3/3" } },
	{ .name = "duplicate rtpmap keeps the first",
	  .in = BASIC "a=rtpmap:101 telephone-event/16000" CRLF,
	  .notes = SDP_NOTE_DUP_RTPMAP,
	  .want = { "m0.rtpmap101=telephone-event/8000/0" } },
};

/* ---- sloppy and broken descriptions ----------------------------------- */

#define NOV "o=- 1 1 IN IP4 192.0.2.1" CRLF "s=-" CRLF C4("192.0.2.1")
static const struct scase t_malformed[] = {
	{ .name = "missing v=", .in = NOV AUDIO("4000"),
	  .bad = SDP_BAD_NO_VERSION, .want = { "m0.rtp=192.0.2.1:4000" } },
	{ .name = "missing o= and s=",
	  .in = "v=0" CRLF C4("192.0.2.1") "m=audio 1 RTP/AVP 0" CRLF,
	  .bad = SDP_BAD_ORIGIN | SDP_BAD_NO_SESSION_NAME,
	  .want = { "m0.rtp=192.0.2.1:1" } },
	{ .name = "no c= at all", .in = HEAD T0 AUDIO("4000"),
	  .bad = SDP_BAD_NO_CONN, .want = { "m0.clevel=none", "m0.bad=0x100" } },
	{ .name = "o= with five fields", .in = "v=0" CRLF
		"o=- 1 1 IN IP4" CRLF "s=-" CRLF C4("192.0.2.1") AUDIO("1"),
	  .bad = SDP_BAD_ORIGIN },
	{ .name = "v=1", .in = "v=1" CRLF NOV AUDIO("1"), .bad = SDP_BAD_VERSION },
	{ .name = "huge v=", .in = "v=00000000000000000000001" CRLF NOV AUDIO("1"),
	  .bad = SDP_BAD_VERSION },
	{ .name = "huge sess-version is still digits",
	  .in = "v=0" CRLF "o=- 1 99999999999999999999999 IN IP4 192.0.2.1" CRLF
		"s=-" CRLF C4("192.0.2.1") AUDIO("1"),
	  .want = { "o.version=0" } },
	{ .name = "port 99999 is malformed, not rejected",
	  .in = HEAD C4("192.0.2.1") "m=audio 99999 RTP/AVP 0" CRLF,
	  .bad = SDP_BAD_MEDIA, .want = { "m0=audio/1 0/1 RTP/AVP/1 rtp=1",
					  "m0.hold=none", "m0.bad=0x40" } },
	{ .name = "port count 0",
	  .in = HEAD C4("192.0.2.1") "m=audio 5000/0 RTP/AVP 0" CRLF,
	  .bad = SDP_BAD_MEDIA, .want = { "m0=audio/1 5000/1 RTP/AVP/1 rtp=1" } },
	{ .name = "pt 128 on an RTP m= line",
	  .in = HEAD C4("192.0.2.1") "m=audio 5000 RTP/AVP 0 128" CRLF,
	  .bad = SDP_BAD_MEDIA, .want = { "m0.fmt1=128 pt=-1" } },
	{ .name = "truncated m= line",
	  .in = HEAD C4("192.0.2.1") "m=audio 49170 RTP/A",
	  .bad = SDP_BAD_MEDIA, .notes = SDP_NOTE_NO_FINAL_EOL,
	  .want = { "m0=audio/1 49170/1 RTP/A/0 rtp=0", "m0.nfmt=0/0" } },
	{ .name = "truncated c= line",
	  .in = HEAD "c=IN IP4 192.0." CRLF "m=audio 1 RTP/AVP 0" CRLF,
	  .bad = SDP_BAD_CONN, .want = { "c=192.0.", "c.ip=- unset" } },
	{ .name = "truncated rtpmap",
	  .in = HEAD C4("192.0.2.1") "m=audio 1 RTP/AVP 0" CRLF "a=rtpmap:0 PCMU/",
	  .bad = SDP_BAD_ATTR, .notes = SDP_NOTE_NO_FINAL_EOL,
	  .want = { "m0.codec0=PCMU/8000/1" } },
	{ .name = "rtpmap with a huge clock",
	  .in = HEAD C4("192.0.2.1") "m=audio 1 RTP/AVP 96" CRLF
		"a=rtpmap:96 opus/99999999999" CRLF,
	  .bad = SDP_BAD_ATTR | SDP_BAD_DYN_NO_RTPMAP, .want = { "m0.bad=0x280" } },
	{ .name = "dynamic pt without rtpmap",
	  .in = HEAD C4("192.0.2.1") "m=audio 1 RTP/AVP 0 96" CRLF,
	  .bad = SDP_BAD_DYN_NO_RTPMAP, .want = { "m0.bad=0x200",
						  "m0.codec0=PCMU/8000/1" } },
	{ .name = "ptime too big",
	  .in = HEAD C4("192.0.2.1") "m=audio 1 RTP/AVP 0" CRLF "a=ptime:99999999999" CRLF,
	  .bad = SDP_BAD_ATTR, .want = { "m0.ptime=0/0" } },
	{ .name = "rtcp port too big", .in = BASIC "a=rtcp:70000" CRLF,
	  .bad = SDP_BAD_ATTR, .want = { "m0.rtcp=192.0.2.10:49171" } },
	{ .name = "unicast c= with a ttl",
	  .in = HEAD "c=IN IP4 192.0.2.1/127" CRLF AUDIO("1"), .bad = SDP_BAD_CONN },
	{ .name = "IPv6 address in an IP4 c=",
	  .in = HEAD "c=IN IP4 2001:db8::1" CRLF AUDIO("1"), .bad = SDP_BAD_CONN },
	{ .name = "unknown address type",
	  .in = HEAD "c=IN IPX 1.2.3.4" CRLF AUDIO("1"),
	  .bad = SDP_BAD_CONN },
	{ .name = "trailing junk", .in = BASIC "\x01\x02\xff junk" CRLF CRLF,
	  .bad = SDP_BAD_LINE, .want = { "m0.rtp=192.0.2.10:49170" },
	  .text_end = "a=sendrecv" },
	{ .name = "blank lines and CRLF padding are fine",
	  .in = CRLF BASIC CRLF CRLF, .text_end = "a=sendrecv" },
	{ .name = "NUL padding stops the parse",
	  .in = BASIC "\0\0\0\0", .len = sizeof(BASIC) - 1 + 4,
	  .bad = SDP_BAD_NUL, .text_end = "a=sendrecv" },
	{ .name = "NUL in the middle",
	  .in = HEAD C4("192.0.2.1") "m=audio 1 RTP/AVP 0" CRLF "a=sendonly\0"
		CRLF "a=recvonly" CRLF,
	  .len = sizeof(HEAD C4("192.0.2.1") "m=audio 1 RTP/AVP 0" CRLF
			"a=sendonly\0" CRLF "a=recvonly" CRLF) - 1,
	  .bad = SDP_BAD_NUL, .want = { "m0.dir=sendonly explicit" } },
	{ .name = "m= first: empty session part",
	  .in = "m=audio 1 RTP/AVP 0" CRLF C4("192.0.2.1") "o=- 1 1 IN IP4 x.y" CRLF,
	  .bad = SDP_BAD_NO_VERSION | SDP_BAD_NO_SESSION_NAME | SDP_BAD_ORDER,
	  .want = { "m0.rtp=192.0.2.1:1", "s=", "o=- 1 1 x.y -" } },
	{ .name = "session line after m=",
	  .in = HEAD C4("192.0.2.1") "m=audio 1 RTP/AVP 0" CRLF "v=0" CRLF,
	  .bad = SDP_BAD_ORDER },
	{ .name = "attribute without a name",
	  .in = BASIC "a=:x" CRLF, .bad = SDP_BAD_ATTR },
};

/* Not SDP at all. */
static const struct scase t_garbage[] = {
	{ .name = "empty", .in = "", .rc = SDP_NOT_SDP },
	{ .name = "blank lines only", .in = CRLF CRLF "\n", .rc = SDP_NOT_SDP },
	{ .name = "text", .in = "hello world" CRLF "v=0" CRLF, .rc = SDP_NOT_SDP },
	{ .name = "HTTP", .in = "HTTP/1.1 200 OK" CRLF, .rc = SDP_NOT_SDP },
	{ .name = "upper-case type", .in = "V=0" CRLF "M=audio 1 RTP/AVP 0" CRLF,
	  .rc = SDP_NOT_SDP },
	{ .name = "TLS record", .in = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc",
	  .rc = SDP_NOT_SDP },
	{ .name = "ISUP bytes", .in = "\x01\x00\x49\x00\x00\x03\x02\x00\x07",
	  .rc = SDP_NOT_SDP },
	{ .name = "only attributes", .in = "a=x" CRLF "b=AS:64" CRLF,
	  .rc = SDP_NOT_SDP },
	{ .name = "leading NUL", .in = "\0v=0" CRLF, .len = 6, .rc = SDP_NOT_SDP },
	{ .name = "just one letter", .in = "v", .rc = SDP_NOT_SDP },
};

static void test_basic(void **state)
{
	(void)state;
	RUN_TABLE(t_basic);
}

static void test_attrs(void **state)
{
	(void)state;
	RUN_TABLE(t_attrs);
}

static void test_capacity(void **state)
{
	(void)state;
	RUN_TABLE(t_capacity);
}

static void test_malformed(void **state)
{
	(void)state;
	RUN_TABLE(t_malformed);
}

static void test_garbage(void **state)
{
	(void)state;
	RUN_TABLE(t_garbage);
}

/* ---- address helpers -------------------------------------------------- */

static const struct {
	const char *text;
	int family;		/* asked for */
	const char *cls;	/* NULL: must not parse */
	bool priv;
} t_addrs[] = {
	{ "10.1.2.3", 0, "rfc1918", true },
	{ "172.16.0.1", 4, "rfc1918", true },
	{ "172.31.255.255", 0, "rfc1918", true },
	{ "172.32.0.1", 0, "public", false },
	{ "172.15.255.255", 0, "public", false },
	{ "192.168.1.1", 0, "rfc1918", true },
	{ "192.169.0.1", 0, "public", false },
	{ "100.64.0.1", 0, "rfc6598", true },
	{ "100.127.255.255", 0, "rfc6598", true },
	{ "100.128.0.1", 0, "public", false },
	{ "100.63.255.255", 0, "public", false },
	{ "169.254.1.1", 0, "link-local", true },
	{ "127.0.0.1", 0, "loopback", true },
	{ "0.0.0.0", 0, "zero", false },
	{ "224.0.0.1", 0, "multicast", false },
	{ "239.255.255.255", 0, "multicast", false },
	{ "240.0.0.1", 0, "public", false },
	{ "8.8.8.8", 0, "public", false },
	{ "fc00::1", 6, "ula", true },
	{ "FDFF:ffff::1", 0, "ula", true },
	{ "fe80::1", 0, "link-local", true },
	{ "febf::1", 0, "link-local", true },
	{ "fec0::1", 0, "public", false },
	{ "::1", 0, "loopback", true },
	{ "::", 0, "zero", false },
	{ "ff02::1", 0, "multicast", false },
	{ "::ffff:192.168.1.1", 0, "rfc1918", true },
	{ "::ffff:0.0.0.0", 0, "zero", false },
	{ "2001:db8::1", 0, "public", false },
	{ "1.2.3", 0, NULL, false },
	{ "1.2.3.4.5", 0, NULL, false },
	{ "256.1.1.1", 0, NULL, false },
	{ "1.2.3.4 ", 0, NULL, false },
	{ "::g", 0, NULL, false },
	{ "fe80::1%eth0", 0, NULL, false },
	{ "", 0, NULL, false },
	{ "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa", 0, NULL, false },
	{ "1.2.3.4", 6, NULL, false },
	{ "::1", 4, NULL, false },
};

static void test_addr_class(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof t_addrs / sizeof t_addrs[0]; i++) {
		size_t n = strlen(t_addrs[i].text);
		struct guard g;
		const char *p = guard_copy(&g, t_addrs[i].text, n);
		struct ss_addr a = { .family = 9 };
		bool ok = ss_addr_parse(ss_str_make(p, n), t_addrs[i].family, &a);
		if (ok != (t_addrs[i].cls != NULL))
			fail_msg("%s: parse %d", t_addrs[i].text, ok);
		if (ok) {
			enum ss_addr_class c = ss_addr_classify(&a);
			if (strcmp(ss_addr_class_name(c), t_addrs[i].cls) != 0)
				fail_msg("%s: class %s, expected %s",
					 t_addrs[i].text, ss_addr_class_name(c),
					 t_addrs[i].cls);
			assert_int_equal(ss_addr_class_is_private(c),
					 t_addrs[i].priv);
		} else {
			assert_int_equal(a.family, 9);	/* untouched */
		}
		guard_release(&g);
	}
	struct ss_addr none = { 0 };
	assert_string_equal(ss_addr_class_name(ss_addr_classify(&none)), "unset");
}

static void test_static_pt(void **state)
{
	static const struct {
		unsigned pt;
		const char *name;
		uint32_t clock;
	} t[] = {
		{ 0, "PCMU", 8000 }, { 3, "GSM", 8000 }, { 4, "G723", 8000 },
		{ 5, "DVI4", 8000 }, { 6, "DVI4", 16000 }, { 7, "LPC", 8000 },
		{ 8, "PCMA", 8000 }, { 9, "G722", 8000 }, { 10, "L16", 44100 },
		{ 11, "L16", 44100 }, { 12, "QCELP", 8000 }, { 13, "CN", 8000 },
		{ 14, "MPA", 90000 }, { 15, "G728", 8000 },
		{ 16, "DVI4", 11025 }, { 17, "DVI4", 22050 },
		{ 18, "G729", 8000 }, { 25, "CelB", 90000 },
		{ 26, "JPEG", 90000 }, { 28, "nv", 90000 }, { 31, "H261", 90000 },
		{ 32, "MPV", 90000 }, { 33, "MP2T", 90000 },
		{ 34, "H263", 90000 },
	};
	static const unsigned none[] = { 1, 2, 19, 20, 24, 27, 29, 30, 35, 72,
					 96, 127, 128, 1000 };
	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		const char *name = NULL;
		uint32_t clock = 0;
		assert_true(sdp_static_pt(t[i].pt, &name, &clock));
		assert_string_equal(name, t[i].name);
		assert_int_equal(clock, t[i].clock);
	}
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
		assert_false(sdp_static_pt(none[i], NULL, NULL));
	/* L16 stereo: two channels from the table; rtpmap wins over it */
	static struct sdp_desc d;
	const char *s = HEAD C4("192.0.2.1") "m=audio 1 RTP/AVP 10 0" CRLF
		"a=rtpmap:0 PCMU/16000" CRLF;
	assert_int_equal(sdp_parse(s, strlen(s), &d), SDP_OK);
	ss_str name;
	uint32_t clock;
	unsigned ch;
	assert_true(sdp_media_codec(&d.media[0], 10, &name, &clock, &ch));
	assert_true(ss_str_eq(name, "L16") && clock == 44100 && ch == 2);
	assert_true(sdp_media_codec(&d.media[0], 0, &name, &clock, &ch));
	assert_true(ss_str_eq(name, "PCMU") && clock == 16000 && ch == 1);
	assert_false(sdp_media_codec(&d.media[0], 96, &name, &clock, &ch));
}

/* ---- attribute iterator and candidates -------------------------------- */

static void test_attr_iter(void **state)
{
	static struct sdp_desc d;
	const char *s = HEAD "a=ice-lite" CRLF "a=tool:x" CRLF C4("192.0.2.1")
		"m=audio 1 RTP/AVP 0" CRLF
		"a=candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host" CRLF
		"a=candidateX:ignored" CRLF "a=candidate" CRLF
		"a=candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998" CRLF
		"a=candidate:3 1 UDP 1 host.local 5000 typ host" CRLF
		"a=candidate:4 1 UDP 1 192.0.2.9 5000 typ relay raddr 0.0.0.0 rport 0" CRLF
		"a=candidate:5 1 UDP 1 192.0.2.9 5000 typ relay raddr x rport 99999" CRLF
		"a=candidate:6 1 UDP 1 192.0.2.9 5000" CRLF
		"a=candidate:7 1 UDP 1 192.0.2.9 65536 typ host" CRLF
		"m=audio 2 RTP/AVP 0" CRLF "a=candidate:8 1 UDP 1 1.1.1.1 1 typ host" CRLF;
	(void)state;
	size_t len = strlen(s);
	struct guard g;
	const char *p = guard_copy(&g, s, len);
	assert_int_equal(sdp_parse(p, len, &d), SDP_OK);
	assert_true(d.ice_lite);
	assert_int_equal(d.media[0].ncand, 8);
	assert_int_equal(d.notes, SDP_NOTE_TOO_MANY_CAND);

	/* session level: the flag attribute and one with a value */
	size_t pos = 0;
	ss_str v;
	assert_true(sdp_attr_next(d.session, "ice-lite", &pos, &v));
	assert_int_equal(v.len, 0);
	assert_false(sdp_attr_next(d.session, "ice-lite", &pos, &v));
	pos = 0;
	assert_true(sdp_attr_next(d.session, "tool", &pos, &v));
	assert_true(ss_str_eq(v, "x"));
	pos = 0;
	assert_false(sdp_attr_next(d.session, "candidate", &pos, &v));

	/* every candidate of section 0, in order, none of section 1 */
	static const char *const want[] = { "ok host 10.0.1.1:8998 -",
		"", "ok srflx 192.0.2.3:45664 10.0.1.1:8998",
		"ok host - -", "ok relay 192.0.2.9:5000 0.0.0.0",
		"bad", "bad", "bad" };
	size_t n = 0;
	pos = 0;
	while (sdp_attr_next(d.media[0].section, "candidate", &pos, &v)) {
		struct sdp_cand c;
		char got[200], a1[64], a2[64];
		assert_true(n < sizeof want / sizeof want[0]);
		if (!v.len)
			snprintf(got, sizeof got, "%s", "");
		else if (!sdp_cand_parse(v, &c))
			snprintf(got, sizeof got, "bad");
		else
			snprintf(got, sizeof got, "ok %.*s %s %s", SL(c.type),
				 c.addr.family ? addr(&c.addr, a1, sizeof a1) : "-",
				 c.raddr.family ? addr(&c.raddr, a2, sizeof a2) : "-");
		if (strcmp(got, want[n]) != 0)
			fail_msg("candidate %zu: \"%s\", expected \"%s\"", n, got,
				 want[n]);
		n++;
	}
	assert_int_equal(n, 8);
	guard_release(&g);
}

/* ---- multipart bodies ------------------------------------------------- */

#define SDPB "v=0" CRLF "o=- 1 1 IN IP4 192.0.2.1" CRLF "s=-" CRLF \
	"c=IN IP4 192.0.2.1" CRLF "t=0 0" CRLF "m=audio 1 RTP/AVP 0" CRLF
/* an IAM-like binary part (no NUL: the table uses strlen) */
#define ISUP "\x01\x11\x49\x20\x01\x0a\x03\x02\x0a\x08\x83\x90\x33\x63\x21\x0d\x0a\x2d\x2d"

static const struct {
	const char *name, *ct, *body;
	const char *sdp;	/* NULL: none found */
} t_multipart[] = {
	{ "SIP-T: SDP then ISUP", "multipart/mixed;boundary=unique-boundary-1",
	  "--unique-boundary-1" CRLF "Content-Type: application/sdp" CRLF CRLF
	  SDPB CRLF "--unique-boundary-1" CRLF
	  "Content-Type: application/ISUP;version=nxv3;base=etsi121" CRLF
	  "Content-Disposition: signal;handling=optional" CRLF CRLF ISUP CRLF
	  "--unique-boundary-1--" CRLF, SDPB },
	{ "ISUP first, quoted boundary, preamble and epilogue",
	  "Multipart/Mixed; charset=x; boundary=\"b 1;x\"",
	  "This is the preamble" CRLF "--b 1;x" CRLF
	  "Content-Type: application/ISUP" CRLF CRLF ISUP CRLF
	  "--b 1;x  " CRLF "content-type : Application/SDP ; x=y" CRLF CRLF
	  "v=0" CRLF "--b 1;x--" CRLF "epilogue", "v=0" },
	{ "missing final boundary", "multipart/mixed;boundary=xyz",
	  "--xyz" CRLF "Content-Type: application/sdp" CRLF CRLF SDPB, SDPB },
	{ "LF-only", "multipart/mixed;boundary=xyz",
	  "--xyz\nContent-Type: text/plain\n\nhi\n--xyz\n"
	  "Content-Type: application/sdp\n\nv=0\nm=audio 1 RTP/AVP 0\n--xyz--\n",
	  "v=0\nm=audio 1 RTP/AVP 0" },
	{ "boundary as a line prefix is no delimiter",
	  "multipart/mixed;boundary=xyz",
	  "--xyz" CRLF "Content-Type: application/sdp" CRLF CRLF "v=0" CRLF
	  "--xyzabc" CRLF "--xyz--", "v=0" CRLF "--xyzabc" },
	{ "nested multipart/alternative", "multipart/mixed; boundary=outer",
	  "--outer" CRLF "Content-Type: multipart/alternative; boundary=inner"
	  CRLF CRLF "--inner" CRLF "Content-Type: text/plain" CRLF CRLF "x" CRLF
	  "--inner" CRLF "Content-Type: application/sdp" CRLF CRLF "v=0" CRLF
	  "--inner--" CRLF "--outer--" CRLF, "v=0" },
	{ "empty part with no headers", "multipart/mixed;boundary=a",
	  "--a" CRLF CRLF "text" CRLF "--a" CRLF "Content-Type: application/sdp"
	  CRLF CRLF CRLF "--a--", "" },
	{ "no SDP part", "multipart/mixed;boundary=a",
	  "--a" CRLF "Content-Type: application/sdpx" CRLF CRLF "v=0" CRLF
	  "--a--" CRLF, NULL },
	{ "no boundary parameter", "multipart/mixed",
	  "--a" CRLF "Content-Type: application/sdp" CRLF CRLF "v=0", NULL },
	{ "boundary= empty", "multipart/mixed;boundary=",
	  "--" CRLF "Content-Type: application/sdp" CRLF CRLF "v=0", NULL },
	{ "unterminated quote", "multipart/mixed;boundary=\"abc",
	  "--abc" CRLF "Content-Type: application/sdp" CRLF CRLF "v=0", NULL },
	{ "boundary of 71 characters",
	  "multipart/mixed;boundary=12345678901234567890123456789012345678901234567890123456789012345678901",
	  "--12345678901234567890123456789012345678901234567890123456789012345678901"
	  CRLF "Content-Type: application/sdp" CRLF CRLF "v=0", NULL },
	{ "not multipart", "application/sdp", "--a" CRLF "v=0", NULL },
	{ "headers never end", "multipart/mixed;boundary=a",
	  "--a" CRLF "Content-Type: application/sdp", NULL },
	{ "no delimiter at all", "multipart/mixed;boundary=a", "v=0" CRLF, NULL },
	{ "empty body", "multipart/mixed;boundary=a", "", NULL },
	{ "delimiter cut short", "multipart/mixed;boundary=abc", "--ab", NULL },
	{ "nesting up to the bound", "multipart/mixed;boundary=a",
	  "--a" CRLF "Content-Type: multipart/mixed;boundary=b" CRLF CRLF
	  "--b" CRLF "Content-Type: multipart/mixed;boundary=c" CRLF CRLF
	  "--c" CRLF "Content-Type: multipart/mixed;boundary=d" CRLF CRLF
	  "--d" CRLF "Content-Type: application/sdp" CRLF CRLF "v=0", "v=0" },
	{ "nesting beyond the bound", "multipart/mixed;boundary=a",
	  "--a" CRLF "Content-Type: multipart/mixed;boundary=b" CRLF CRLF
	  "--b" CRLF "Content-Type: multipart/mixed;boundary=c" CRLF CRLF
	  "--c" CRLF "Content-Type: multipart/mixed;boundary=d" CRLF CRLF
	  "--d" CRLF "Content-Type: multipart/mixed;boundary=e" CRLF CRLF
	  "--e" CRLF "Content-Type: application/sdp" CRLF CRLF "v=0", NULL },
};

static void test_multipart(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof t_multipart / sizeof t_multipart[0]; i++) {
		struct guard gb, gc;
		size_t bl = strlen(t_multipart[i].body);
		size_t cl = strlen(t_multipart[i].ct);
		const char *b = guard_copy(&gb, t_multipart[i].body, bl);
		const char *c = guard_copy(&gc, t_multipart[i].ct, cl);
		ss_str sdp = { NULL, 12345 };
		bool ok = sdp_find_in_multipart(ss_str_make(b, bl),
						ss_str_make(c, cl), &sdp);
		const char *w = t_multipart[i].sdp;
		if (ok != (w != NULL))
			fail_msg("%s: found %d", t_multipart[i].name, ok);
		if (ok && (sdp.len != strlen(w) || memcmp(sdp.p, w, sdp.len) != 0))
			fail_msg("%s: got \"%.*s\"", t_multipart[i].name,
				 (int)sdp.len, sdp.p);
		if (ok)
			assert_true(sdp.p >= b && sdp.p + sdp.len <= b + bl);
		else
			assert_int_equal(sdp.len, 12345);	/* untouched */
		guard_release(&gb);
		guard_release(&gc);
	}
	/* what the part holds parses */
	static struct sdp_desc d;
	ss_str ct = ss_str_make(t_multipart[0].ct, strlen(t_multipart[0].ct));
	ss_str body = ss_str_make(t_multipart[0].body,
				  strlen(t_multipart[0].body));
	ss_str sdp;
	assert_true(sdp_find_in_multipart(body, ct, &sdp));
	assert_int_equal(sdp_parse(sdp.p, sdp.len, &d), SDP_OK);
	assert_int_equal(d.bad, 0);
	assert_int_equal(d.media[0].port, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_attrs),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_addr_class),
		cmocka_unit_test(test_static_pt),
		cmocka_unit_test(test_attr_iter),
		cmocka_unit_test(test_multipart),
	};
	return cmocka_run_group_tests_name("sdp", tests, NULL, NULL);
}
