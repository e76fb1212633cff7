/*
 * genrtp - write a large, deterministic, RTP-heavy capture (pcap).
 *
 * The companion of gencalls for the media path: where gencalls writes
 * signalling only, here almost every packet is RTP.  Everything in the output
 * is a function of the options: two runs with the same options write
 * byte-identical files.  No network is used.  Packets are produced in time
 * order by merging the per-call sources in a binary heap and are written as
 * they come, so memory is bounded by the calls up at once, not by the file.
 *
 * What is in the capture (Ethernet / IPv4 / UDP, microsecond timestamps,
 * strictly increasing):
 *   - N calls arriving as a Poisson process (--rate per second) between a
 *     pool of phones at 10.x.y.z (SIP port 5060), each answered:
 *       INVITE(SDP offer: PCMU, PCMA, telephone-event) 100 180
 *       200(SDP answer: PCMU or PCMA, telephone-event) ACK ... BYE 200
 *     The SDP has c=IN IP4, m=audio PORT RTP/AVP, a=rtpmap and a=ptime:20.
 *     Talk time is exponential (--hold, mean 90 s, 5 s to 1 h).
 *   - RTP both ways from the 200 OK (callee) and the ACK (caller) until the
 *     BYE: G.711 at 20 ms (160-byte payload, 172-byte UDP payload), random
 *     SSRC, sequence number and timestamp start, marker bit on the first
 *     packet.  Arrival = send time + a per-stream network delay (2-40 ms)
 *     + exponential jitter (per-stream mean 0.1-2 ms) with a rare 20-80 ms
 *     spike; a stream never reorders its own packets (arrival is at least the
 *     previous one + 10 us).
 *   - Loss: every stream loses packets at random (0-1%, per stream), and
 *     1 stream in 20 has a burst of 3-10 consecutive losses.
 *   - 1 call in 5 sends a DTMF digit (RFC 4733 telephone-event, PT 101)
 *     caller -> callee: audio pauses, 8 event packets 20 ms apart with one
 *     RTP timestamp, the first marked, the last three with the E bit.
 *   - 1 call in 2 sends RTCP (to RTP port + 1) both ways every 5 s
 *     (+-0.5 s): a compound SR + SDES(CNAME), or, for the callee of 1 such call
 *     in 3, RR + SDES; one report block on the peer's stream.
 *
 * Size: an RTP record is 230 bytes in the file (16 + 14 + 20 + 8 + 172); a
 * call of the default 90 s is ~9000 packets, ~2 MB.  -n 550 is ~1 GB and
 * ~5 M packets.  A summary goes to stderr.
 *
 * Build: cc -std=c11 -O2 -Wall -Wextra -o genrtp genrtp.c -lm
 * Usage: genrtp -n CALLS [--seed S] [-o FILE] [--rate R] [--hold S] [-q]
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen_common.h"

const char gen_prog[] = "genrtp";

/* ------------------------------------------------------------------ rng */

/* splitmix64: tiny, fast and good enough; every stream of randomness is
 * seeded from (seed, domain, a, b) so one call's packets do not depend on
 * how the heap interleaves it with the others. */


static void rng_init(rng_t *r, uint64_t seed, uint64_t domain, uint64_t a, uint64_t b)
{
	r->s = mix64(mix64(mix64(seed ^ 0x27f9u) ^ domain) ^ a) ^ mix64(b + 0x31u);
}






/* ------------------------------------------------------------- options */

static uint64_t g_seed = 1;
static uint32_t g_calls = 100;
static double g_rate = 2.0;     /* call arrivals per second */
static double g_hold = 90.0;    /* mean talk time, seconds */
static uint32_t g_phones = 5000;
static const char *g_domain = "pbx.example.com";

#define BASE_EPOCH 1705312800ULL /* 2024-01-15 10:00:00 UTC */
#define MS(x) ((uint64_t)(x) * 1000)
#define PTIME_US 20000u
#define SAMPLES 160u             /* 20 ms at 8000 Hz */
#define RTCP_US 5000000u

enum { D_ARRIVAL = 1, D_CALL, D_STREAM, D_RTCP, D_PHONE };

/* ------------------------------------------------------------- packets */

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }



static FILE *g_out;
static uint64_t g_last_ts, g_packets, g_bytes;
static uint64_t g_n_sip, g_n_rtp, g_n_rtcp, g_n_lost;
static uint16_t g_ipid;

/* Writes one Ethernet/IPv4/UDP record at t_us (microseconds since
 * BASE_EPOCH), nudged forward to keep the file's timestamps strictly
 * increasing. */
static void write_packet(uint64_t t_us, uint32_t sip, uint16_t sport, uint32_t dip,
			 uint16_t dport, const uint8_t *payload, size_t plen)
{
	static uint8_t pkt[2048];
	size_t udplen = 8 + plen, iplen = 20 + udplen, caplen = 14 + iplen;
	if (caplen > 1514) {
		fprintf(stderr, "genrtp: packet of %zu bytes exceeds the MTU\n", caplen);
		exit(2);
	}
	uint8_t *eth = pkt, *ip = pkt + 14, *udp = ip + 20;
	eth[0] = 0x02; eth[1] = 0x53; put32(eth + 2, dip);   /* locally administered */
	eth[6] = 0x02; eth[7] = 0x53; put32(eth + 8, sip);
	put16(eth + 12, 0x0800);
	ip[0] = 0x45; ip[1] = 0xb8;      /* DSCP EF for media is common; harmless for SIP */
	put16(ip + 2, (uint32_t)iplen);
	put16(ip + 4, g_ipid++);
	put16(ip + 6, 0x4000);           /* DF */
	ip[8] = 64; ip[9] = 17;
	put16(ip + 10, 0);
	put32(ip + 12, sip);
	put32(ip + 16, dip);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, (uint32_t)udplen);
	put16(udp + 6, 0);
	memcpy(udp + 8, payload, plen);
	uint32_t sum = csum_add(0, ip + 12, 8) + 17 + (uint32_t)udplen;
	uint16_t ck = csum_fold(csum_add(sum, udp, udplen));
	put16(udp + 6, ck ? ck : 0xffff);

	if (g_packets > 0 && t_us <= g_last_ts)
		t_us = g_last_ts + 1;
	g_last_ts = t_us;
	uint64_t abs_us = BASE_EPOCH * 1000000ULL + t_us;
	uint32_t rec[4] = { (uint32_t)(abs_us / 1000000), (uint32_t)(abs_us % 1000000),
			    (uint32_t)caplen, (uint32_t)caplen };
	if (fwrite(rec, sizeof rec, 1, g_out) != 1 || fwrite(pkt, caplen, 1, g_out) != 1) {
		perror("genrtp: write");
		exit(2);
	}
	g_packets++;
	g_bytes += sizeof rec + caplen;
}

/* ------------------------------------------------------------- calls */

typedef struct {
	uint32_t ip;
	unsigned ext;
	char name[24];
} phone_t;

static void phone_get(uint32_t idx, phone_t *p)
{
	static const char *const first[] = { "Alice", "Bob", "Carol", "Dave", "Erin", "Frank",
					     "Grace", "Heidi", "Ivan", "Judy", "Olivia", "Peggy" };
	rng_t r;
	rng_init(&r, g_seed, D_PHONE, idx, 0);
	/* (second, third) octets unique per phone for idx < 51200 */
	p->ip = (10u << 24) | ((30 + idx % 200) << 16) | (((idx / 200) % 256) << 8) |
		(uint32_t)rng_range(&r, 2, 251);
	p->ext = 30000 + idx;
	snprintf(p->name, sizeof p->name, "%s %u", first[rng_next(&r) % 12], idx);
}

/* One direction of media: 0 = caller -> callee, 1 = callee -> caller. */
typedef struct {
	uint32_t ssrc, ts0;
	uint16_t seq;
	uint64_t delay_us;      /* fixed network delay */
	double jit_mean_us;
	double loss;            /* probability per packet */
	uint64_t burst_at, burst_len;   /* packet index of a loss burst */
	uint64_t n;             /* next packet index (20 ms slots since start) */
	uint64_t start, end;    /* send times, us since the call's start */
	uint64_t last_arr;
	uint64_t sent, lost;    /* for the RTCP report blocks */
	rng_t r;
	rng_t rtcp_r;           /* report intervals, apart from the packets' */
	int dtmf;               /* this stream carries one DTMF digit */
	uint64_t dtmf_at;       /* slot of the first event packet */
	unsigned digit;
} stream_t;

enum { SIP_INVITE, SIP_100, SIP_180, SIP_200, SIP_ACK, SIP_BYE, SIP_BYE_200, SIP_N };

typedef struct {
	uint32_t idx;
	uint64_t t0;            /* arrival, us since BASE_EPOCH */
	phone_t a, b;
	unsigned port_a, port_b;
	int pt;                 /* 0 PCMU, 8 PCMA */
	int rtcp, callee_rr;
	char from_tag[17], to_tag[17], callid[33], br_inv[17], br_ack[17], br_bye[17];
	uint64_t sess_a, sess_b;
	int bye_by_callee;
	uint64_t sip_off[SIP_N];
	stream_t s[2];
	int refs;               /* heap sources still pointing here */
} call_t;

static void call_build(uint32_t idx, uint64_t t0, call_t *c)
{
	rng_t r;
	rng_init(&r, g_seed, D_CALL, idx, 0);
	memset(c, 0, sizeof *c);
	c->idx = idx;
	c->t0 = t0;
	uint32_t pa = (uint32_t)(rng_next(&r) % g_phones);
	uint32_t pb = (uint32_t)(rng_next(&r) % (g_phones - 1));
	if (pb >= pa)
		pb++;
	phone_get(pa, &c->a);
	phone_get(pb, &c->b);
	/* distinct media ports for any 4000 consecutive calls, so calls up at
	 * once never share an address even when they share a phone */
	c->port_a = 16384 + 4 * (idx % 4000);
	c->port_b = 16386 + 4 * ((idx + 1777) % 4000);
	c->pt = rng_range(&r, 0, 99) < 60 ? 0 : 8;
	c->rtcp = rng_range(&r, 0, 1) == 0;
	c->callee_rr = c->rtcp && rng_range(&r, 0, 2) == 0;
	int dtmf = rng_range(&r, 0, 4) == 0;
	rng_hex(&r, c->from_tag, 16);
	rng_hex(&r, c->to_tag, 16);
	rng_hex(&r, c->callid, 32);
	rng_hex(&r, c->br_inv, 16);
	rng_hex(&r, c->br_ack, 16);
	rng_hex(&r, c->br_bye, 16);
	c->sess_a = rng_range(&r, 100000000ULL, 999999999ULL);
	c->sess_b = rng_range(&r, 100000000ULL, 999999999ULL);
	c->bye_by_callee = rng_range(&r, 0, 99) < 45;

	uint64_t t = 0;
	c->sip_off[SIP_INVITE] = t;
	c->sip_off[SIP_100] = t += rng_range(&r, MS(2), MS(40));
	c->sip_off[SIP_180] = t += rng_range(&r, MS(20), MS(300));
	c->sip_off[SIP_200] = t += rng_range(&r, MS(1000), MS(15000));
	c->sip_off[SIP_ACK] = t += rng_range(&r, MS(5), MS(60));
	double hold = rng_exp(&r, g_hold);
	hold = hold < 5.0 ? 5.0 + hold : hold > 3600.0 ? 3600.0 : hold;
	c->sip_off[SIP_BYE] = t += (uint64_t)(hold * 1e6);
	c->sip_off[SIP_BYE_200] = t += rng_range(&r, MS(2), MS(40));

	for (int d = 0; d < 2; d++) {
		stream_t *s = &c->s[d];
		rng_init(&s->r, g_seed, D_STREAM, idx, (uint64_t)d);
		s->ssrc = (uint32_t)rng_next(&s->r);
		s->seq = (uint16_t)rng_next(&s->r);
		s->ts0 = (uint32_t)rng_next(&s->r);
		s->delay_us = rng_range(&s->r, 2000, 40000);
		s->jit_mean_us = 100.0 + (double)rng_range(&s->r, 0, 1900);
		s->loss = (double)rng_range(&s->r, 0, 100) / 10000.0;
		/* caller starts talking after its ACK, callee right after its 200 */
		s->start = d == 0 ? c->sip_off[SIP_ACK] + rng_range(&s->r, MS(1), MS(30))
				  : c->sip_off[SIP_200] + rng_range(&s->r, MS(1), MS(30));
		s->end = c->sip_off[SIP_BYE];
		uint64_t slots = (s->end - s->start) / PTIME_US;
		if (rng_range(&s->r, 0, 19) == 0 && slots > 100) {
			s->burst_at = rng_range(&s->r, 50, slots - 20);
			s->burst_len = rng_range(&s->r, 3, 10);
		}
		if (d == 0 && dtmf && slots > 200) {
			s->dtmf = 1;
			s->dtmf_at = rng_range(&s->r, 100, slots - 50);
			s->digit = (unsigned)rng_range(&s->r, 0, 11);
		}
	}
}

/* ------------------------------------------------------------- SIP text */




static void sdp(sbuf_t *b, uint64_t sess, uint32_t ip, unsigned port, int offer, int pt)
{
	char ips[16];
	ip_str(ip, ips);
	sb_printf(b, "v=0\r\no=- %" PRIu64 " %" PRIu64 " IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n",
		  sess, sess, ips, ips);
	if (offer)
		sb_printf(b, "m=audio %u RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\n"
			  "a=rtpmap:8 PCMA/8000\r\n", port);
	else
		sb_printf(b, "m=audio %u RTP/AVP %d 101\r\na=rtpmap:%d %s/8000\r\n",
			  port, pt, pt, pt == 0 ? "PCMU" : "PCMA");
	sb_printf(b, "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"
		  "a=ptime:20\r\na=sendrecv\r\n");
}

/* Writes SIP message k of call c at time t. */
static void sip_emit(const call_t *c, int k, uint64_t t)
{
	char msg[1500], bodybuf[512];
	sbuf_t out = { msg, 0, sizeof msg }, body = { bodybuf, 0, sizeof bodybuf };
	int from_callee = k == SIP_100 || k == SIP_180 || k == SIP_200 ||
			  (k == SIP_BYE && c->bye_by_callee) || (k == SIP_BYE_200 && !c->bye_by_callee);
	const phone_t *src = from_callee ? &c->b : &c->a, *dst = from_callee ? &c->a : &c->b;
	/* the BYE's transaction belongs to whoever sent the BYE */
	int bye_uac_b = c->bye_by_callee;
	char sips[16], dips[16], aip[16];
	ip_str(src->ip, sips);
	ip_str(dst->ip, dips);
	ip_str(c->a.ip, aip);
	static const char *const method[SIP_N] = { "INVITE", NULL, NULL, NULL, "ACK", "BYE", NULL };
	static const int code[SIP_N] = { 0, 100, 180, 200, 0, 0, 200 };
	const char *m = method[k];
	unsigned cseq = k == SIP_BYE || k == SIP_BYE_200 ? (bye_uac_b ? 1 : 2) : 1;
	const char *cseq_m = k == SIP_BYE || k == SIP_BYE_200 ? "BYE" : k == SIP_ACK ? "ACK" : "INVITE";
	const char *branch = k == SIP_ACK ? c->br_ack : (k == SIP_BYE || k == SIP_BYE_200) ? c->br_bye : c->br_inv;
	/* the Via names the transaction's client */
	const phone_t *uac = (k == SIP_BYE || k == SIP_BYE_200) && bye_uac_b ? &c->b : &c->a;
	char uacip[16];
	ip_str(uac->ip, uacip);

	if (k == SIP_INVITE)
		sdp(&body, c->sess_a, c->a.ip, c->port_a, 1, 0);
	else if (k == SIP_200)
		sdp(&body, c->sess_b, c->b.ip, c->port_b, 0, c->pt);
	if (m)
		sb_printf(&out, "%s sip:%u@%s:5060 SIP/2.0\r\n", m, dst->ext, dips);
	else
		sb_printf(&out, "SIP/2.0 %d %s\r\n", code[k],
			  code[k] == 100 ? "Trying" : code[k] == 180 ? "Ringing" : "OK");
	sb_printf(&out, "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s;rport%s\r\n", uacip, branch,
		  m ? "" : "=5060");
	if (m)
		sb_printf(&out, "Max-Forwards: 70\r\n");
	/* From/To follow the dialog direction of the transaction's client */
	int rev = uac == &c->b;
	int to_tag = k != SIP_INVITE && k != SIP_100;
	if (!rev) {
		sb_printf(&out, "From: \"%s\" <sip:%u@%s>;tag=%s\r\n", c->a.name, c->a.ext, g_domain, c->from_tag);
		sb_printf(&out, "To: <sip:%u@%s>%s%s\r\n", c->b.ext, g_domain, to_tag ? ";tag=" : "",
			  to_tag ? c->to_tag : "");
	} else {
		sb_printf(&out, "From: <sip:%u@%s>;tag=%s\r\n", c->b.ext, g_domain, c->to_tag);
		sb_printf(&out, "To: \"%s\" <sip:%u@%s>;tag=%s\r\n", c->a.name, c->a.ext, g_domain, c->from_tag);
	}
	sb_printf(&out, "Call-ID: %s@%s\r\n", c->callid, aip);
	sb_printf(&out, "CSeq: %u %s\r\n", cseq, cseq_m);
	if (k == SIP_INVITE || k == SIP_180 || k == SIP_200)
		sb_printf(&out, "Contact: <sip:%u@%s:5060>\r\n", src->ext, sips);
	sb_printf(&out, "User-Agent: genrtp phone\r\n");
	if (body.len)
		sb_printf(&out, "Content-Type: application/sdp\r\n");
	sb_printf(&out, "Content-Length: %zu\r\n\r\n", body.len);
	if (out.len + body.len > sizeof msg) {
		fprintf(stderr, "genrtp: message too long\n");
		exit(2);
	}
	memcpy(out.p + out.len, body.p, body.len);
	write_packet(t, src->ip, 5060, dst->ip, 5060, (const uint8_t *)msg, out.len + body.len);
	g_n_sip++;
}

/* ------------------------------------------------------------- media */

/* Advances stream d of c by one 20 ms slot.  Returns 1 and the arrival time
 * of the slot's packet when one is due, 0 when the slot's packet is lost or
 * the stream is over (then *done is set). */
static int rtp_next(call_t *c, int d, uint64_t *arr, int *done)
{
	stream_t *s = &c->s[d];
	uint64_t send = s->start + s->n * PTIME_US;
	if (send >= s->end) {
		*done = 1;
		return 0;
	}
	/* random loss, or the burst */
	int lost = rng_unit(&s->r) <= s->loss ||
		   (s->burst_len && s->n >= s->burst_at && s->n < s->burst_at + s->burst_len);
	double j = rng_exp(&s->r, s->jit_mean_us);
	if (rng_range(&s->r, 0, 1999) == 0)
		j += (double)rng_range(&s->r, 20000, 80000);   /* a rare spike */
	if (lost) {
		s->n++;
		s->seq++;
		s->lost++;
		g_n_lost++;
		return 0;
	}
	uint64_t a = c->t0 + send + s->delay_us + (uint64_t)j;
	if (s->n > 0 && a < s->last_arr + 10)
		a = s->last_arr + 10;
	*arr = a;
	return 1;
}

/* Writes the RTP packet of the current slot of stream d and moves on. */
static void rtp_emit(call_t *c, int d, uint64_t arr)
{
	stream_t *s = &c->s[d];
	uint8_t p[12 + SAMPLES];
	uint64_t n = s->n;
	int ev = s->dtmf && n >= s->dtmf_at && n < s->dtmf_at + 8;
	uint32_t ts = s->ts0 + (uint32_t)((ev ? s->dtmf_at : n) * SAMPLES);
	int marker = n == 0 || (ev && n == s->dtmf_at);
	p[0] = 0x80;
	p[1] = (uint8_t)((marker ? 0x80 : 0) | (ev ? 101 : c->pt));
	put16(p + 2, s->seq);
	put32(p + 4, ts);
	put32(p + 8, s->ssrc);
	size_t len;
	if (ev) {
		/* RFC 4733 2.3: event, E|R|volume, duration so far */
		unsigned k = (unsigned)(n - s->dtmf_at);
		p[12] = (uint8_t)s->digit;
		p[13] = (uint8_t)((k >= 5 ? 0x80 : 0) | 10);
		put16(p + 14, (uint32_t)(k < 5 ? k + 1 : 5) * SAMPLES);
		len = 16;
	} else {
		/* silence-ish G.711 with a little noise; the bytes do not matter */
		uint8_t fill = c->pt == 0 ? 0xff : 0xd5;
		memset(p + 12, fill, SAMPLES);
		p[12 + n % SAMPLES] ^= 0x01;
		len = 12 + SAMPLES;
	}
	const phone_t *src = d == 0 ? &c->a : &c->b, *dst = d == 0 ? &c->b : &c->a;
	unsigned sp = d == 0 ? c->port_a : c->port_b, dp = d == 0 ? c->port_b : c->port_a;
	write_packet(arr, src->ip, (uint16_t)sp, dst->ip, (uint16_t)dp, p, len);
	s->last_arr = arr;
	s->sent++;
	s->seq++;
	s->n++;
	g_n_rtp++;
}

/* RTCP compound from side d (0 caller) arriving at t_arr: SR or RR with one
 * report block about the peer's stream, then SDES CNAME (RFC 3550 6.1). */
static void rtcp_emit(call_t *c, int d, uint64_t t_arr)
{
	uint8_t p[128];
	stream_t *mine = &c->s[d], *peer = &c->s[1 - d];
	int rr = d == 1 && c->callee_rr;
	size_t o = 0;
	p[o] = 0x81;                                  /* V=2, RC=1 */
	p[o + 1] = rr ? 201 : 200;
	put16(p + o + 2, rr ? 7 : 12);
	put32(p + o + 4, mine->ssrc);
	o += 8;
	if (!rr) {
		uint64_t abs_us = BASE_EPOCH * 1000000ULL + t_arr - mine->delay_us;
		uint64_t sec = abs_us / 1000000 + 2208988800ULL;   /* NTP era 0 */
		uint32_t frac = (uint32_t)(((abs_us % 1000000) << 32) / 1000000);
		put32(p + o, (uint32_t)sec);
		put32(p + o + 4, frac);
		put32(p + o + 8, mine->ts0 + (uint32_t)(mine->n * SAMPLES));
		put32(p + o + 12, (uint32_t)mine->sent);
		put32(p + o + 16, (uint32_t)(mine->sent * SAMPLES));
		o += 20;
	}
	uint64_t expected = peer->sent + peer->lost;
	put32(p + o, peer->ssrc);
	uint32_t fl = expected ? (uint32_t)(peer->lost * 256 / expected) : 0;
	put32(p + o + 4, (fl > 255 ? 255 : fl) << 24 | (uint32_t)(peer->lost & 0xffffff));
	put32(p + o + 8, (uint16_t)(peer->seq - 1));  /* highest seq received, no cycles */
	put32(p + o + 12, (uint32_t)(peer->jit_mean_us * 8 / 1000));  /* rough, in samples */
	put32(p + o + 16, 0);                         /* LSR: none */
	put32(p + o + 20, 0);
	o += 24;
	/* SDES with one chunk: SSRC, CNAME "extension@ip", END, padded to 4 */
	char cname[40];
	const phone_t *me = d == 0 ? &c->a : &c->b;
	char ips[16];
	ip_str(me->ip, ips);
	int cl = snprintf(cname, sizeof cname, "%u@%s", me->ext, ips);
	size_t chunk = 4 + 2 + (size_t)cl + 1;
	size_t padded = (chunk + 3) & ~(size_t)3;
	p[o] = 0x81;
	p[o + 1] = 202;
	put16(p + o + 2, (uint32_t)(padded / 4));
	put32(p + o + 4, mine->ssrc);
	p[o + 8] = 1;
	p[o + 9] = (uint8_t)cl;
	memcpy(p + o + 10, cname, (size_t)cl);
	memset(p + o + 10 + cl, 0, padded - 6 - (size_t)cl);
	o += 4 + padded;
	const phone_t *dst = d == 0 ? &c->b : &c->a;
	unsigned sp = (d == 0 ? c->port_a : c->port_b) + 1, dp = (d == 0 ? c->port_b : c->port_a) + 1;
	write_packet(t_arr, me->ip, (uint16_t)sp, dst->ip, (uint16_t)dp, p, o);
	g_n_rtcp++;
}

/* ------------------------------------------------------------- the merge */

enum { K_ARRIVAL, K_SIP, K_RTP, K_RTCP };

/* A source yields packets in time order; the heap holds each source's next
 * packet.  uid breaks ties so the order never depends on the heap's shape. */
typedef struct {
	uint64_t t, uid;
	call_t *c;
	uint8_t kind, dir, step;
} src_t;

static src_t *g_heap;
static size_t g_n, g_cap;
static uint64_t g_uid;

static int src_lt(const src_t *x, const src_t *y)
{
	return x->t != y->t ? x->t < y->t : x->uid < y->uid;
}

static void heap_push(src_t s)
{
	if (g_n == g_cap) {
		g_cap = g_cap ? 2 * g_cap : 1024;
		g_heap = realloc(g_heap, g_cap * sizeof *g_heap);
		if (!g_heap) {
			perror("genrtp: realloc");
			exit(2);
		}
	}
	s.uid = g_uid++;
	size_t i = g_n++;
	while (i > 0 && src_lt(&s, &g_heap[(i - 1) / 2])) {
		g_heap[i] = g_heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	g_heap[i] = s;
}

static src_t heap_pop(void)
{
	src_t top = g_heap[0], last = g_heap[--g_n];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		const src_t *best = &last;
		if (l < g_n && src_lt(&g_heap[l], best)) { m = l; best = &g_heap[l]; }
		if (l + 1 < g_n && src_lt(&g_heap[l + 1], best)) m = l + 1;
		if (m == i)
			break;
		g_heap[i] = g_heap[m];
		i = m;
	}
	g_heap[i] = last;
	return top;
}

static void release(call_t *c, long *up)
{
	if (--c->refs == 0) {
		free(c);
		(*up)--;
	}
}

/* Schedules the next packet of RTP source (c, d) or drops the source. */
static void rtp_schedule(call_t *c, int d, long *up)
{
	uint64_t arr;
	int done = 0;
	while (!rtp_next(c, d, &arr, &done))
		if (done) {
			release(c, up);
			return;
		}
	heap_push((src_t){ .t = arr, .c = c, .kind = K_RTP, .dir = (uint8_t)d });
}

/* ------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: genrtp -n CALLS [--seed S] [-o FILE] [options]\n"
		"  -n, --calls N    number of calls (default 100; 550 is ~1 GB)\n"
		"  -s, --seed S     seed (default 1); same options -> same bytes\n"
		"  -o, --output F   pcap to write (default stdout)\n"
		"      --rate R     mean call arrivals per second (default 2)\n"
		"      --hold S     mean talk time in seconds (default 90)\n"
		"      --phones N   endpoints (default 5000, at most 51200)\n"
		"  -q, --quiet      no summary on stderr\n");
}


int main(int argc, char **argv)
{
	const char *outpath = NULL;
	int quiet = 0;
	static const struct option lo[] = {
		{ "calls", required_argument, 0, 'n' },
		{ "seed", required_argument, 0, 's' },
		{ "output", required_argument, 0, 'o' },
		{ "rate", required_argument, 0, 'R' },
		{ "hold", required_argument, 0, 'H' },
		{ "phones", required_argument, 0, 'P' },
		{ "quiet", no_argument, 0, 'q' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "n:s:o:qh", lo, NULL)) != -1) {
		switch (ch) {
		case 'n': g_calls = (uint32_t)parse_ul(optarg, "call count"); break;
		case 's': g_seed = (uint64_t)strtoull(optarg, NULL, 0); break;
		case 'o': outpath = optarg; break;
		case 'R': g_rate = strtod(optarg, NULL); break;
		case 'H': g_hold = strtod(optarg, NULL); break;
		case 'P': g_phones = (uint32_t)parse_ul(optarg, "phone count"); break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc || !(g_rate > 0) || !(g_hold > 0) || g_phones < 2 || g_phones > 51200) {
		usage(stderr);
		return 1;
	}

	g_out = stdout;
	if (outpath && strcmp(outpath, "-") != 0) {
		g_out = fopen(outpath, "wb");
		if (!g_out) {
			fprintf(stderr, "genrtp: %s: %s\n", outpath, strerror(errno));
			return 2;
		}
	}
	static char iobuf[1 << 20];
	setvbuf(g_out, iobuf, _IOFBF, sizeof iobuf);
	uint32_t gh[6] = { 0xa1b2c3d4u, 2u | (4u << 16), 0, 0, 65535, 1 };
	if (fwrite(gh, sizeof gh, 1, g_out) != 1) {
		perror("genrtp: write");
		return 2;
	}

	rng_t arr;
	rng_init(&arr, g_seed, D_ARRIVAL, 0, 0);
	uint32_t next_call = 0;
	long up = 0, maxup = 0;
	if (g_calls > 0)
		heap_push((src_t){ .t = (uint64_t)(rng_exp(&arr, 1.0 / g_rate) * 1e6), .kind = K_ARRIVAL });
	while (g_n > 0) {
		src_t s = heap_pop();
		call_t *c = s.c;
		switch (s.kind) {
		case K_ARRIVAL:
			c = malloc(sizeof *c);
			if (!c) {
				perror("genrtp: malloc");
				return 2;
			}
			call_build(next_call, s.t, c);
			c->refs = 3 + 2 * c->rtcp;   /* SIP, two RTP, maybe two RTCP */
			if (++up > maxup)
				maxup = up;
			heap_push((src_t){ .t = s.t, .c = c, .kind = K_SIP, .step = 0 });
			rtp_schedule(c, 0, &up);
			rtp_schedule(c, 1, &up);
			if (c->rtcp)
				for (int d = 0; d < 2; d++) {
					rng_t *r = &c->s[d].rtcp_r;
					rng_init(r, g_seed, D_RTCP, c->idx, (uint64_t)d);
					heap_push((src_t){ .t = s.t + c->s[d].start + c->s[d].delay_us +
							   RTCP_US + rng_range(r, 0, MS(1000)) - MS(500),
							   .c = c, .kind = K_RTCP, .dir = (uint8_t)d });
				}
			if (++next_call < g_calls)
				heap_push((src_t){ .t = s.t + (uint64_t)(rng_exp(&arr, 1.0 / g_rate) * 1e6) + 1,
						   .kind = K_ARRIVAL });
			break;
		case K_SIP:
			sip_emit(c, s.step, s.t);
			if (s.step + 1 < SIP_N)
				heap_push((src_t){ .t = c->t0 + c->sip_off[s.step + 1], .c = c,
						   .kind = K_SIP, .step = (uint8_t)(s.step + 1) });
			else
				release(c, &up);
			break;
		case K_RTP:
			rtp_emit(c, s.dir, s.t);
			rtp_schedule(c, s.dir, &up);
			break;
		case K_RTCP: {
			/* s.t is this report's arrival; the next one is sent 5 s
			 * (+-0.5 s, RFC 3550 6.3.1's randomisation) later */
			stream_t *m = &c->s[s.dir];
			if (s.t >= c->t0 + m->end + m->delay_us) {
				release(c, &up);
				break;
			}
			rtcp_emit(c, s.dir, s.t);
			heap_push((src_t){ .t = s.t + RTCP_US + rng_range(&m->rtcp_r, 0, MS(1000)) - MS(500),
					   .c = c, .kind = K_RTCP, .dir = s.dir });
			break;
		}
		}
	}
	free(g_heap);
	if (fflush(g_out) != 0 || (g_out != stdout && fclose(g_out) != 0)) {
		perror("genrtp: write");
		return 2;
	}
	if (!quiet)
		fprintf(stderr, "genrtp: seed %" PRIu64 ", %" PRIu32 " calls, %" PRIu64 " packets "
			"(%" PRIu64 " RTP, %" PRIu64 " RTCP, %" PRIu64 " SIP; %" PRIu64 " RTP lost), "
			"%" PRIu64 " bytes, %" PRIu64 " s of traffic, up to %ld calls at once\n",
			g_seed, g_calls, g_packets, g_n_rtp, g_n_rtcp, g_n_sip, g_n_lost,
			g_bytes + 24, g_last_ts / 1000000, maxup);
	return 0;
}
