/*
 * gencalls - write a large, deterministic, realistic SIP capture (pcap).
 *
 * Ethernet / IPv4 / UDP, signalling only (no RTP).  Everything in the output
 * is a function of (--seed, -n, --rate, --phones, --users, --trunks): two runs
 * with the same options write byte-identical files.  No network is used; the
 * packets are built in memory and written as classic pcap records
 * (microsecond timestamps, LINKTYPE_ETHERNET).
 *
 * What is in the capture:
 *   - N calls between phones (a pool of --phones endpoints with addresses
 *     10.x.y.z, SIP port 5060 or a random high port), arriving as a Poisson
 *     process of --rate calls per second, so several hundred are in progress
 *     at once.  Outcomes:
 *        70%  answered     INVITE 100 180 200 ACK ... BYE 200
 *        10%  busy         INVITE 100 486 ACK
 *         8%  cancelled    INVITE 100 180 CANCEL 200 487 ACK
 *         5%  not found    INVITE 100 404 ACK
 *         4%  challenged   INVITE 407 ACK INVITE(Proxy-Authorization) 100 180
 *                          200 ACK ... BYE 200
 *         3%  retransmit   INVITE INVITE(retransmission, T1 later) 100 180 200
 *                          ACK ... BYE 200
 *     INVITE and 200 carry SDP.  BYE comes from the caller or the callee.
 *   - REGISTER 401 REGISTER(Authorization) 200 from --users phones to a
 *     registrar, refreshed every ~55 minutes (Expires: 3600).
 *   - OPTIONS keepalives from the registrar to --trunks gateways every 30 s.
 *
 * The Digest responses are random hex, not real MD5 digests.
 *
 * Build: cc -std=c11 -O2 -Wall -Wextra -o gencalls gencalls.c
 * Usage: gencalls -n CALLS [--seed S] [-o FILE] [--rate R] [-q]
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

const char gen_prog[] = "gencalls";

/* ------------------------------------------------------------------ rng */



static void rng_init(rng_t *r, uint64_t seed, uint64_t domain, uint64_t a, uint64_t b)
{
	r->s = mix64(mix64(mix64(seed ^ 0x5157u) ^ domain) ^ a) ^ mix64(b + 0x77u);
}






/* ------------------------------------------------------------- options */

static uint64_t g_seed = 1;
static uint32_t g_calls = 1000;
static double g_rate = 3.0;        /* calls per second */
static uint32_t g_phones = 5000;
static uint32_t g_users = 1000;    /* phones that REGISTER */
static uint32_t g_trunks = 8;
static const char *g_domain = "pbx.example.com";

#define BASE_EPOCH 1705305600ULL   /* 2024-01-15 08:00:00 UTC */
#define REG_IP     0x0a00000aU     /* 10.0.0.10: registrar / proxy */
#define REG_PERIOD_US (3300ULL * 1000000ULL)
#define OPT_PERIOD_US (30ULL * 1000000ULL)

enum { D_PHONE = 1, D_CALL, D_ARRIVAL, D_REG, D_OPT, D_REGPHASE, D_OPTPHASE };

/* ------------------------------------------------------------- phones */

static const char *const k_ua[] = {
	"Yealink SIP-T46S 66.86.0.15",
	"Yealink SIP-T54W 96.86.0.100",
	"PolycomVVX-VVX_411-UA/6.4.3.5018",
	"Grandstream GXP2170 1.0.11.23",
	"Cisco-SIPGateway/IOS-15.7",
	"Linphone/5.2.0 (belle-sip/5.2.0)",
	"Zoiper rv2.10.19.4",
	"MicroSIP/3.21.3",
	"snom D785/10.1.141.13",
	"Fanvil X4U 2.12.1.6",
};
#define N_UA (sizeof k_ua / sizeof k_ua[0])

static const char *const k_first[] = {
	"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi",
	"Ivan", "Judy", "Mallory", "Niaj", "Olivia", "Peggy", "Rupert", "Sybil",
	"Trent", "Victor", "Walter", "Yolanda", "Zoe", "Marta", "Jon", "Ines",
};
static const char *const k_last[] = {
	"Smith", "Garcia", "Muller", "Rossi", "Dubois", "Novak", "Kowalski",
	"Jensen", "Silva", "Tanaka", "Okafor", "Nilsson", "Horvat", "Brown",
	"Lopez", "Weber", "Moreau", "Fischer",
};

typedef struct {
	uint32_t ip;
	uint16_t port;
	unsigned ext;
	const char *ua;
	char name[40];
} phone_t;

static void phone_get(uint32_t idx, phone_t *p)
{
	rng_t r;
	rng_init(&r, g_seed, D_PHONE, idx, 0);
	/* (second, third) octets unique per phone for idx < 51200 */
	uint32_t b = 20 + idx % 200, c = (idx / 200) % 256;
	uint32_t d = (uint32_t)rng_range(&r, 2, 251);
	p->ip = (10u << 24) | (b << 16) | (c << 8) | d;
	p->port = rng_range(&r, 0, 99) < 60 ? 5060 : (uint16_t)rng_range(&r, 20000, 60999);
	p->ext = 20000 + idx;
	p->ua = k_ua[rng_next(&r) % N_UA];
	snprintf(p->name, sizeof p->name, "%s %s",
		 k_first[rng_next(&r) % (sizeof k_first / sizeof k_first[0])],
		 k_last[rng_next(&r) % (sizeof k_last / sizeof k_last[0])]);
}


/* ------------------------------------------------------------- calls */

enum { OC_ANSWERED, OC_BUSY, OC_CANCEL, OC_NOTFOUND, OC_AUTH, OC_RETRANS };

enum {
	T_INVITE,      /* txn 1 or 2 */
	T_INV_RESP,    /* code, txn */
	T_ACK_ERR,     /* ACK for a non-2xx final response (same branch), txn */
	T_ACK_2XX,
	T_CANCEL,
	T_CANCEL_200,
	T_BYE,
	T_BYE_200,
};

typedef struct {
	int64_t off;   /* microseconds after the call starts */
	uint8_t type;
	uint8_t txn;
	uint16_t code;
} step_t;

#define MAX_STEPS 16

typedef struct {
	uint32_t idx;
	int outcome;
	phone_t a, b;
	char from_tag[17], to_tag[17], callid[33];
	char br_inv[2][17], br_ack[17], br_bye[17], br_cancel[17];
	char nonce[33], cnonce[17], resp[33];
	int bye_by_callee;
	unsigned callee_cseq;
	uint64_t sess_a, sess_b;
	unsigned rtp_a, rtp_b;
	int codec;               /* 0 PCMU, 8 PCMA, 9 G722 */
	int nsteps;
	step_t st[MAX_STEPS];
} call_t;

static void add_step(call_t *c, int64_t off, int type, int txn, int code)
{
	step_t *s = &c->st[c->nsteps++];
	s->off = off;
	s->type = (uint8_t)type;
	s->txn = (uint8_t)txn;
	s->code = (uint16_t)code;
}

#define MS(x) ((int64_t)(x) * 1000)

static void call_build(uint32_t idx, call_t *c)
{
	rng_t r;
	rng_init(&r, g_seed, D_CALL, idx, 0);
	memset(c, 0, sizeof *c);
	c->idx = idx;

	unsigned roll = (unsigned)rng_range(&r, 0, 99);
	c->outcome = roll < 70 ? OC_ANSWERED : roll < 80 ? OC_BUSY : roll < 88 ? OC_CANCEL
		: roll < 93 ? OC_NOTFOUND : roll < 97 ? OC_AUTH : OC_RETRANS;

	uint32_t pa = (uint32_t)(rng_next(&r) % g_phones);
	uint32_t pb = (uint32_t)(rng_next(&r) % (g_phones - 1));
	if (pb >= pa)
		pb++;
	phone_get(pa, &c->a);
	phone_get(pb, &c->b);

	rng_hex(&r, c->from_tag, 16);
	rng_hex(&r, c->to_tag, 16);
	rng_hex(&r, c->callid, 32);
	rng_hex(&r, c->br_inv[0], 16);
	rng_hex(&r, c->br_inv[1], 16);
	rng_hex(&r, c->br_ack, 16);
	rng_hex(&r, c->br_bye, 16);
	rng_hex(&r, c->br_cancel, 16);
	rng_hex(&r, c->nonce, 32);
	rng_hex(&r, c->cnonce, 16);
	rng_hex(&r, c->resp, 32);
	c->bye_by_callee = rng_range(&r, 0, 99) < 45;
	c->callee_cseq = (unsigned)rng_range(&r, 1, 30000);
	c->sess_a = rng_range(&r, 100000000ULL, 999999999ULL);
	c->sess_b = rng_range(&r, 100000000ULL, 999999999ULL);
	c->rtp_a = 2 * (unsigned)rng_range(&r, 5000, 16000);
	c->rtp_b = 2 * (unsigned)rng_range(&r, 5000, 16000);
	static const int codecs[] = { 0, 8, 9 };
	c->codec = codecs[rng_next(&r) % 3];

	int64_t t = 0;
	int txn = 1;
	add_step(c, t, T_INVITE, 1, 0);
	if (c->outcome == OC_AUTH) {
		t += (int64_t)rng_range(&r, (uint64_t)MS(2), (uint64_t)MS(30));
		add_step(c, t, T_INV_RESP, 1, 407);
		t += (int64_t)rng_range(&r, (uint64_t)MS(1), (uint64_t)MS(10));
		add_step(c, t, T_ACK_ERR, 1, 407);
		t += (int64_t)rng_range(&r, (uint64_t)MS(10), (uint64_t)MS(80));
		add_step(c, t, T_INVITE, 2, 0);
		txn = 2;
	} else if (c->outcome == OC_RETRANS) {
		t += MS(500);            /* Timer A = T1 */
		add_step(c, t, T_INVITE, 1, 0);
	}
	t += (int64_t)rng_range(&r, (uint64_t)MS(2), (uint64_t)MS(40));
	add_step(c, t, T_INV_RESP, txn, 100);

	switch (c->outcome) {
	case OC_BUSY:
		t += (int64_t)rng_range(&r, (uint64_t)MS(50), (uint64_t)MS(2000));
		add_step(c, t, T_INV_RESP, txn, 486);
		t += (int64_t)rng_range(&r, (uint64_t)MS(1), (uint64_t)MS(10));
		add_step(c, t, T_ACK_ERR, txn, 486);
		return;
	case OC_NOTFOUND:
		t += (int64_t)rng_range(&r, (uint64_t)MS(10), (uint64_t)MS(200));
		add_step(c, t, T_INV_RESP, txn, 404);
		t += (int64_t)rng_range(&r, (uint64_t)MS(1), (uint64_t)MS(10));
		add_step(c, t, T_ACK_ERR, txn, 404);
		return;
	case OC_CANCEL:
		t += (int64_t)rng_range(&r, (uint64_t)MS(20), (uint64_t)MS(300));
		add_step(c, t, T_INV_RESP, txn, 180);
		t += (int64_t)rng_range(&r, (uint64_t)MS(2000), (uint64_t)MS(30000));
		add_step(c, t, T_CANCEL, txn, 0);
		t += (int64_t)rng_range(&r, (uint64_t)MS(2), (uint64_t)MS(40));
		add_step(c, t, T_CANCEL_200, txn, 200);
		t += (int64_t)rng_range(&r, (uint64_t)MS(1), (uint64_t)MS(10));
		add_step(c, t, T_INV_RESP, txn, 487);
		t += (int64_t)rng_range(&r, (uint64_t)MS(1), (uint64_t)MS(10));
		add_step(c, t, T_ACK_ERR, txn, 487);
		return;
	default:
		break;
	}
	t += (int64_t)rng_range(&r, (uint64_t)MS(20), (uint64_t)MS(300));
	add_step(c, t, T_INV_RESP, txn, 180);
	t += (int64_t)rng_range(&r, (uint64_t)MS(500), (uint64_t)MS(20000));
	add_step(c, t, T_INV_RESP, txn, 200);
	t += (int64_t)rng_range(&r, (uint64_t)MS(5), (uint64_t)MS(60));
	add_step(c, t, T_ACK_2XX, txn, 0);
	double hold = rng_exp(&r, 120.0);
	if (hold < 1.0)
		hold = 1.0 + hold;
	if (hold > 3 * 3600.0)
		hold = 3 * 3600.0;
	t += (int64_t)(hold * 1e6);
	add_step(c, t, T_BYE, txn, 0);
	t += (int64_t)rng_range(&r, (uint64_t)MS(2), (uint64_t)MS(40));
	add_step(c, t, T_BYE_200, txn, 200);
}

/* ------------------------------------------------------------- text */



static const char *reason(int code)
{
	switch (code) {
	case 100: return "Trying";
	case 180: return "Ringing";
	case 200: return "OK";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 407: return "Proxy Authentication Required";
	case 486: return "Busy Here";
	case 487: return "Request Terminated";
	default: return "Unknown";
	}
}

static const char k_allow[] =
	"INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, SUBSCRIBE, UPDATE, PRACK, MESSAGE";

static void sdp(sbuf_t *b, uint64_t sess, uint32_t ip, unsigned port, int offer, int codec)
{
	char ips[16];
	ip_str(ip, ips);
	sb_printf(b, "v=0\r\no=- %" PRIu64 " %" PRIu64 " IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n",
		  sess, sess, ips, ips);
	if (offer)
		sb_printf(b, "m=audio %u RTP/AVP 9 0 8 101\r\n"
			  "a=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
			  "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"
			  "a=ptime:20\r\na=sendrecv\r\n", port);
	else
		sb_printf(b, "m=audio %u RTP/AVP %d 101\r\na=rtpmap:%d %s/8000\r\n"
			  "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n"
			  "a=ptime:20\r\na=sendrecv\r\n", port, codec, codec,
			  codec == 0 ? "PCMU" : codec == 8 ? "PCMA" : "G722");
}

/* Renders step s of call c into out; sets source/destination. */
static void call_render(const call_t *c, const step_t *s, sbuf_t *out,
			uint32_t *sip, uint16_t *sport, uint32_t *dip, uint16_t *dport)
{
	const phone_t *A = &c->a, *B = &c->b;
	char aip[16], bip[16];
	ip_str(A->ip, aip);
	ip_str(B->ip, bip);
	char bodybuf[1024];
	sbuf_t body = { bodybuf, 0, sizeof bodybuf };
	int txn = s->txn;
	const char *br_inv = c->br_inv[txn - 1];

	/* caller -> callee requests */
	if (s->type == T_INVITE || s->type == T_ACK_ERR || s->type == T_ACK_2XX ||
	    s->type == T_CANCEL || (s->type == T_BYE && !c->bye_by_callee)) {
		*sip = A->ip; *sport = A->port; *dip = B->ip; *dport = B->port;
	} else if (s->type == T_BYE) {
		*sip = B->ip; *sport = B->port; *dip = A->ip; *dport = A->port;
	} else if (s->type == T_BYE_200 && c->bye_by_callee) {
		*sip = A->ip; *sport = A->port; *dip = B->ip; *dport = B->port;
	} else {
		*sip = B->ip; *sport = B->port; *dip = A->ip; *dport = A->port;
	}

	const char *method = NULL, *branch = NULL;
	unsigned cseq = txn;
	int with_to_tag = 1;
	switch (s->type) {
	case T_INVITE: method = "INVITE"; branch = br_inv; with_to_tag = 0; break;
	case T_ACK_ERR: method = "ACK"; branch = br_inv; break;
	case T_ACK_2XX: method = "ACK"; branch = c->br_ack; break;
	case T_CANCEL: method = "CANCEL"; branch = br_inv; with_to_tag = 0; break;
	case T_BYE: method = "BYE"; branch = c->br_bye; cseq = c->bye_by_callee ? c->callee_cseq : (unsigned)txn + 1; break;
	default: break;
	}

	if (method) {
		if (s->type == T_INVITE)
			sdp(&body, c->sess_a, A->ip, c->rtp_a, 1, 0);
		const phone_t *src = (s->type == T_BYE && c->bye_by_callee) ? B : A;
		const phone_t *dst = src == A ? B : A;
		char sips[16], dips[16];
		ip_str(src->ip, sips);
		ip_str(dst->ip, dips);
		/* ACK/CANCEL for the INVITE transaction use its Request-URI */
		sb_printf(out, "%s sip:%u@%s:%u SIP/2.0\r\n", method, dst->ext, dips, dst->port);
		sb_printf(out, "Via: SIP/2.0/UDP %s:%u;branch=z9hG4bK%s;rport\r\n", sips, src->port, branch);
		sb_printf(out, "Max-Forwards: 70\r\n");
		if (src == A) {
			sb_printf(out, "From: \"%s\" <sip:%u@%s>;tag=%s\r\n", A->name, A->ext, g_domain, c->from_tag);
			if (with_to_tag)
				sb_printf(out, "To: <sip:%u@%s>;tag=%s\r\n", B->ext, g_domain, c->to_tag);
			else
				sb_printf(out, "To: <sip:%u@%s>\r\n", B->ext, g_domain);
		} else {
			sb_printf(out, "From: <sip:%u@%s>;tag=%s\r\n", B->ext, g_domain, c->to_tag);
			sb_printf(out, "To: \"%s\" <sip:%u@%s>;tag=%s\r\n", A->name, A->ext, g_domain, c->from_tag);
		}
		sb_printf(out, "Call-ID: %s@%s\r\n", c->callid, aip);
		sb_printf(out, "CSeq: %u %s\r\n", cseq, s->type == T_ACK_ERR || s->type == T_ACK_2XX ? "ACK" : method);
		if (s->type == T_INVITE || s->type == T_ACK_2XX)
			sb_printf(out, "Contact: <sip:%u@%s:%u>\r\n", src->ext, sips, src->port);
		if (s->type == T_INVITE && txn == 2)
			sb_printf(out, "Proxy-Authorization: Digest username=\"%u\", realm=\"%s\", "
				  "nonce=\"%s\", uri=\"sip:%u@%s:%u\", response=\"%s\", algorithm=MD5, "
				  "cnonce=\"%s\", qop=auth, nc=00000001\r\n",
				  A->ext, g_domain, c->nonce, B->ext, bip, B->port, c->resp, c->cnonce);
		if (s->type == T_INVITE) {
			sb_printf(out, "Allow: %s\r\n", k_allow);
			sb_printf(out, "Supported: replaces, timer\r\n");
			sb_printf(out, "Session-Expires: 1800\r\n");
		}
		sb_printf(out, "User-Agent: %s\r\n", src->ua);
		if (body.len)
			sb_printf(out, "Content-Type: application/sdp\r\n");
		sb_printf(out, "Content-Length: %zu\r\n\r\n", body.len);
		memcpy(out->p + out->len, body.p, body.len);
		out->len += body.len;
		return;
	}

	/* responses */
	int code = s->code;
	const char *rmethod = "INVITE";
	const char *rbranch = br_inv;
	const phone_t *uac = A, *uas = B;   /* uac sent the request */
	unsigned rcseq = txn;
	if (s->type == T_CANCEL_200) {
		rmethod = "CANCEL";
	} else if (s->type == T_BYE_200) {
		rmethod = "BYE";
		rbranch = c->br_bye;
		if (c->bye_by_callee) {
			uac = B; uas = A;
			rcseq = c->callee_cseq;
		} else {
			rcseq = txn + 1;
		}
	}
	char uacip[16], uasip[16];
	ip_str(uac->ip, uacip);
	ip_str(uas->ip, uasip);
	if (s->type == T_INV_RESP && code == 200)
		sdp(&body, c->sess_b, B->ip, c->rtp_b, 0, c->codec);
	sb_printf(out, "SIP/2.0 %d %s\r\n", code, reason(code));
	sb_printf(out, "Via: SIP/2.0/UDP %s:%u;branch=z9hG4bK%s;rport=%u\r\n", uacip, uac->port, rbranch, uac->port);
	if (uac == A) {
		sb_printf(out, "From: \"%s\" <sip:%u@%s>;tag=%s\r\n", A->name, A->ext, g_domain, c->from_tag);
		if (code != 100)
			sb_printf(out, "To: <sip:%u@%s>;tag=%s\r\n", B->ext, g_domain, c->to_tag);
		else
			sb_printf(out, "To: <sip:%u@%s>\r\n", B->ext, g_domain);
	} else {
		sb_printf(out, "From: <sip:%u@%s>;tag=%s\r\n", B->ext, g_domain, c->to_tag);
		sb_printf(out, "To: \"%s\" <sip:%u@%s>;tag=%s\r\n", A->name, A->ext, g_domain, c->from_tag);
	}
	sb_printf(out, "Call-ID: %s@%s\r\n", c->callid, aip);
	sb_printf(out, "CSeq: %u %s\r\n", rcseq, rmethod);
	if (s->type == T_INV_RESP && (code == 180 || code == 200))
		sb_printf(out, "Contact: <sip:%u@%s:%u>\r\n", uas->ext, uasip, uas->port);
	if (code == 407)
		sb_printf(out, "Proxy-Authenticate: Digest realm=\"%s\", nonce=\"%s\", algorithm=MD5, qop=\"auth\"\r\n",
			  g_domain, c->nonce);
	if (s->type == T_INV_RESP && code == 200) {
		sb_printf(out, "Allow: %s\r\n", k_allow);
		sb_printf(out, "Supported: replaces, timer\r\n");
		sb_printf(out, "Session-Expires: 1800;refresher=uac\r\n");
		sb_printf(out, "Require: timer\r\n");
	}
	sb_printf(out, "User-Agent: %s\r\n", uas->ua);
	if (body.len)
		sb_printf(out, "Content-Type: application/sdp\r\n");
	sb_printf(out, "Content-Length: %zu\r\n\r\n", body.len);
	memcpy(out->p + out->len, body.p, body.len);
	out->len += body.len;
}

/* ------------------------------------------- registrations and keepalives */

/* REGISTER round k of user u: 4 messages */
static void reg_render(uint32_t u, uint32_t k, int step, sbuf_t *out,
		       uint32_t *sip, uint16_t *sport, uint32_t *dip, uint16_t *dport)
{
	phone_t p;
	phone_get(u, &p);   /* the first g_users phones register */
	rng_t r;
	rng_init(&r, g_seed, D_REG, u, 0);
	char callid[25];
	rng_hex(&r, callid, 24);     /* one Call-ID per phone, kept across refreshes */
	rng_init(&r, g_seed, D_REG, u, (uint64_t)k + 1);
	char tag[13], br1[17], br2[17], nonce[33], cnonce[17], resp[33];
	rng_hex(&r, tag, 12);
	rng_hex(&r, br1, 16);
	rng_hex(&r, br2, 16);
	rng_hex(&r, nonce, 32);
	rng_hex(&r, cnonce, 16);
	rng_hex(&r, resp, 32);
	char pip[16];
	ip_str(p.ip, pip);
	unsigned cseq = 1 + 2 * k + (step >= 2);
	const char *br = step >= 2 ? br2 : br1;

	if (step == 0 || step == 2) {
		*sip = p.ip; *sport = p.port; *dip = REG_IP; *dport = 5060;
		sb_printf(out, "REGISTER sip:%s SIP/2.0\r\n", g_domain);
		sb_printf(out, "Via: SIP/2.0/UDP %s:%u;branch=z9hG4bK%s;rport\r\n", pip, p.port, br);
		sb_printf(out, "Max-Forwards: 70\r\n");
		sb_printf(out, "From: \"%s\" <sip:%u@%s>;tag=%s\r\n", p.name, p.ext, g_domain, tag);
		sb_printf(out, "To: \"%s\" <sip:%u@%s>\r\n", p.name, p.ext, g_domain);
		sb_printf(out, "Call-ID: %s@%s\r\n", callid, pip);
		sb_printf(out, "CSeq: %u REGISTER\r\n", cseq);
		sb_printf(out, "Contact: <sip:%u@%s:%u;transport=udp>;expires=3600\r\n", p.ext, pip, p.port);
		if (step == 2)
			sb_printf(out, "Authorization: Digest username=\"%u\", realm=\"%s\", nonce=\"%s\", "
				  "uri=\"sip:%s\", response=\"%s\", algorithm=MD5, cnonce=\"%s\", "
				  "qop=auth, nc=00000001\r\n",
				  p.ext, g_domain, nonce, g_domain, resp, cnonce);
		sb_printf(out, "Expires: 3600\r\n");
		sb_printf(out, "Allow: %s\r\n", k_allow);
		sb_printf(out, "User-Agent: %s\r\n", p.ua);
		sb_printf(out, "Content-Length: 0\r\n\r\n");
	} else {
		*sip = REG_IP; *sport = 5060; *dip = p.ip; *dport = p.port;
		int code = step == 1 ? 401 : 200;
		sb_printf(out, "SIP/2.0 %d %s\r\n", code, reason(code));
		sb_printf(out, "Via: SIP/2.0/UDP %s:%u;branch=z9hG4bK%s;rport=%u;received=%s\r\n",
			  pip, p.port, br, p.port, pip);
		sb_printf(out, "From: \"%s\" <sip:%u@%s>;tag=%s\r\n", p.name, p.ext, g_domain, tag);
		sb_printf(out, "To: \"%s\" <sip:%u@%s>;tag=%.8s\r\n", p.name, p.ext, g_domain, nonce + 24);
		sb_printf(out, "Call-ID: %s@%s\r\n", callid, pip);
		sb_printf(out, "CSeq: %u REGISTER\r\n", cseq);
		if (code == 401)
			sb_printf(out, "WWW-Authenticate: Digest realm=\"%s\", nonce=\"%s\", algorithm=MD5, qop=\"auth\"\r\n",
				  g_domain, nonce);
		else
			sb_printf(out, "Contact: <sip:%u@%s:%u;transport=udp>;expires=3600\r\n", p.ext, pip, p.port);
		sb_printf(out, "Server: kamailio (5.6.3 (x86_64/linux))\r\n");
		sb_printf(out, "Content-Length: 0\r\n\r\n");
	}
}

static void opt_render(uint32_t t, uint32_t k, int step, sbuf_t *out,
		       uint32_t *sip, uint16_t *sport, uint32_t *dip, uint16_t *dport)
{
	uint32_t gw = (10u << 24) | (0u << 16) | (1u << 8) | (t + 1);
	rng_t r;
	rng_init(&r, g_seed, D_OPT, t, (uint64_t)k + 1);
	char callid[33], tag[13], br[17], totag[13];
	rng_hex(&r, callid, 32);
	rng_hex(&r, tag, 12);
	rng_hex(&r, br, 16);
	rng_hex(&r, totag, 12);
	char gip[16], rip[16];
	ip_str(gw, gip);
	ip_str(REG_IP, rip);
	if (step == 0) {
		*sip = REG_IP; *sport = 5060; *dip = gw; *dport = 5060;
		sb_printf(out, "OPTIONS sip:%s:5060 SIP/2.0\r\n", gip);
		sb_printf(out, "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s\r\n", rip, br);
		sb_printf(out, "Max-Forwards: 70\r\n");
		sb_printf(out, "From: <sip:keepalive@%s>;tag=%s\r\n", g_domain, tag);
		sb_printf(out, "To: <sip:%s:5060>\r\n", gip);
		sb_printf(out, "Call-ID: %s\r\n", callid);
		sb_printf(out, "CSeq: 10 OPTIONS\r\n");
		sb_printf(out, "User-Agent: kamailio (5.6.3 (x86_64/linux))\r\n");
		sb_printf(out, "Content-Length: 0\r\n\r\n");
	} else {
		*sip = gw; *sport = 5060; *dip = REG_IP; *dport = 5060;
		sb_printf(out, "SIP/2.0 200 OK\r\n");
		sb_printf(out, "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK%s;rport=5060\r\n", rip, br);
		sb_printf(out, "From: <sip:keepalive@%s>;tag=%s\r\n", g_domain, tag);
		sb_printf(out, "To: <sip:%s:5060>;tag=%s\r\n", gip, totag);
		sb_printf(out, "Call-ID: %s\r\n", callid);
		sb_printf(out, "CSeq: 10 OPTIONS\r\n");
		sb_printf(out, "Allow: %s\r\n", k_allow);
		sb_printf(out, "Accept: application/sdp\r\n");
		sb_printf(out, "Server: Cisco-SIPGateway/IOS-15.7\r\n");
		sb_printf(out, "Content-Length: 0\r\n\r\n");
	}
}

/* ------------------------------------------------------------- events */

enum { SRC_CALL = 0, SRC_REG = 1, SRC_OPT = 2 };

typedef struct {
	uint64_t t;      /* microseconds since BASE_EPOCH */
	uint32_t id;
	uint16_t k;      /* round (REG/OPT) */
	uint8_t src;
	uint8_t step;
} ev_t;

static ev_t *g_ev;
static size_t g_nev, g_cap;

static void ev_push(uint64_t t, int src, uint32_t id, uint32_t k, int step)
{
	if (g_nev == g_cap) {
		g_cap = g_cap ? g_cap * 2 : 1 << 16;
		g_ev = realloc(g_ev, g_cap * sizeof *g_ev);
		if (!g_ev) {
			perror("gencalls: realloc");
			exit(2);
		}
	}
	ev_t *e = &g_ev[g_nev++];
	e->t = t;
	e->src = (uint8_t)src;
	e->id = id;
	e->k = (uint16_t)k;
	e->step = (uint8_t)step;
}

static int ev_cmp(const void *x, const void *y)
{
	const ev_t *a = x, *b = y;
	if (a->t != b->t) return a->t < b->t ? -1 : 1;
	if (a->src != b->src) return a->src < b->src ? -1 : 1;
	if (a->id != b->id) return a->id < b->id ? -1 : 1;
	if (a->k != b->k) return a->k < b->k ? -1 : 1;
	return a->step < b->step ? -1 : a->step > b->step;
}

/* ------------------------------------------------------------- pcap */

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 255; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = (v >> 16) & 255; p[2] = (v >> 8) & 255; p[3] = v & 255; }



static void mac_of(uint32_t ip, uint8_t *m)
{
	m[0] = 0x02; m[1] = 0x53;  /* locally administered */
	put32(m + 2, ip);
}

static uint16_t g_ipid;

static void write_packet(FILE *f, uint64_t t_us, uint32_t sip, uint16_t sport,
			 uint32_t dip, uint16_t dport, const char *payload, size_t plen)
{
	static uint8_t pkt[2048];
	size_t udplen = 8 + plen, iplen = 20 + udplen, caplen = 14 + iplen;
	if (caplen > 1514) {
		fprintf(stderr, "gencalls: packet of %zu bytes exceeds the MTU\n", caplen);
		exit(2);
	}
	uint8_t *eth = pkt, *ip = pkt + 14, *udp = ip + 20;
	mac_of(dip, eth);
	mac_of(sip, eth + 6);
	put16(eth + 12, 0x0800);
	ip[0] = 0x45; ip[1] = 0x00;
	put16(ip + 2, (uint16_t)iplen);
	put16(ip + 4, g_ipid++);
	put16(ip + 6, 0x4000);     /* DF */
	ip[8] = 64; ip[9] = 17;
	put16(ip + 10, 0);
	put32(ip + 12, sip);
	put32(ip + 16, dip);
	put16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, (uint16_t)udplen);
	put16(udp + 6, 0);
	memcpy(udp + 8, payload, plen);
	uint32_t sum = csum_add(0, ip + 12, 8);  /* pseudo header: addresses */
	sum += 17 + (uint32_t)udplen;
	sum = csum_add(sum, udp, udplen);
	uint16_t ck = csum_fold(sum);
	put16(udp + 6, ck ? ck : 0xffff);

	uint64_t abs_us = BASE_EPOCH * 1000000ULL + t_us;
	uint32_t rec[4] = { (uint32_t)(abs_us / 1000000), (uint32_t)(abs_us % 1000000),
			    (uint32_t)caplen, (uint32_t)caplen };
	if (fwrite(rec, sizeof rec, 1, f) != 1 || fwrite(pkt, caplen, 1, f) != 1) {
		perror("gencalls: write");
		exit(2);
	}
}

/* ------------------------------------------------------------- main */

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: gencalls -n CALLS [--seed S] [-o FILE] [options]\n"
		"  -n, --calls N     number of calls (default 1000)\n"
		"  -s, --seed S      seed (default 1); same options -> same bytes\n"
		"  -o, --output F    pcap to write (default stdout)\n"
		"      --rate R      mean call arrivals per second (default 3)\n"
		"      --phones N    endpoints taking part in calls (default 5000)\n"
		"      --users N     phones that REGISTER (default 1000)\n"
		"      --trunks N    gateways kept alive with OPTIONS (default 8)\n"
		"  -q, --quiet       no summary on stderr\n");
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
		{ "phones", required_argument, 0, 'P' },
		{ "users", required_argument, 0, 'U' },
		{ "trunks", required_argument, 0, 'K' },
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
		case 'P': g_phones = (uint32_t)parse_ul(optarg, "phone count"); break;
		case 'U': g_users = (uint32_t)parse_ul(optarg, "user count"); break;
		case 'K': g_trunks = (uint32_t)parse_ul(optarg, "trunk count"); break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc || g_rate <= 0 || g_phones < 2 || g_phones > 51200 ||
	    g_users > g_phones || g_trunks > 250) {
		usage(stderr);
		return 1;
	}

	/* calls: Poisson arrivals */
	rng_t arr;
	rng_init(&arr, g_seed, D_ARRIVAL, 0, 0);
	uint64_t t = 0, t_end = 0;
	call_t c;
	for (uint32_t i = 0; i < g_calls; i++) {
		t += (uint64_t)(rng_exp(&arr, 1.0 / g_rate) * 1e6) + 1;
		call_build(i, &c);
		for (int s = 0; s < c.nsteps; s++)
			ev_push(t + (uint64_t)c.st[s].off, SRC_CALL, i, 0, s);
	}
	t_end = t;

	/* registrations until the last call starts */
	for (uint32_t u = 0; u < g_users; u++) {
		rng_t r;
		rng_init(&r, g_seed, D_REGPHASE, u, 0);
		uint64_t phase = rng_range(&r, 0, 3600ULL * 1000000ULL - 1);
		for (uint32_t k = 0; phase + k * REG_PERIOD_US < t_end && k < 65535; k++) {
			uint64_t t0 = phase + k * REG_PERIOD_US + rng_range(&r, 0, 999999);
			uint64_t t1 = t0 + (uint64_t)(int64_t)rng_range(&r, (uint64_t)MS(5), (uint64_t)MS(40));
			uint64_t t2 = t1 + (uint64_t)(int64_t)rng_range(&r, (uint64_t)MS(10), (uint64_t)MS(100));
			uint64_t t3 = t2 + (uint64_t)(int64_t)rng_range(&r, (uint64_t)MS(5), (uint64_t)MS(40));
			ev_push(t0, SRC_REG, u, k, 0);
			ev_push(t1, SRC_REG, u, k, 1);
			ev_push(t2, SRC_REG, u, k, 2);
			ev_push(t3, SRC_REG, u, k, 3);
		}
	}
	/* OPTIONS keepalives */
	for (uint32_t g = 0; g < g_trunks; g++) {
		rng_t r;
		rng_init(&r, g_seed, D_OPTPHASE, g, 0);
		uint64_t phase = rng_range(&r, 0, OPT_PERIOD_US - 1);
		for (uint32_t k = 0; phase + k * OPT_PERIOD_US < t_end && k < 65535; k++) {
			uint64_t t0 = phase + k * OPT_PERIOD_US;
			ev_push(t0, SRC_OPT, g, k, 0);
			ev_push(t0 + (uint64_t)(int64_t)rng_range(&r, (uint64_t)MS(1), (uint64_t)MS(30)), SRC_OPT, g, k, 1);
		}
	}

	qsort(g_ev, g_nev, sizeof *g_ev, ev_cmp);

	FILE *f = stdout;
	if (outpath && strcmp(outpath, "-") != 0) {
		f = fopen(outpath, "wb");
		if (!f) {
			fprintf(stderr, "gencalls: %s: %s\n", outpath, strerror(errno));
			return 2;
		}
	}
	static char iobuf[1 << 20];
	setvbuf(f, iobuf, _IOFBF, sizeof iobuf);
	uint32_t gh[6] = { 0xa1b2c3d4u, 2u | (4u << 16), 0, 0, 65535, 1 };
	if (fwrite(gh, sizeof gh, 1, f) != 1) {
		perror("gencalls: write");
		return 2;
	}

	char msgbuf[1500];
	uint64_t last = 0, bytes = 0;
	long cur = 0, maxconc = 0;
	unsigned long nmsg[3] = { 0, 0, 0 };
	for (size_t i = 0; i < g_nev; i++) {
		const ev_t *e = &g_ev[i];
		sbuf_t out = { msgbuf, 0, sizeof msgbuf };
		uint32_t sip, dip;
		uint16_t sport, dport;
		switch (e->src) {
		case SRC_CALL:
			call_build(e->id, &c);
			call_render(&c, &c.st[e->step], &out, &sip, &sport, &dip, &dport);
			if (e->step == 0)
				cur++;
			if (e->step == c.nsteps - 1)
				cur--;
			if (cur > maxconc)
				maxconc = cur;
			break;
		case SRC_REG:
			reg_render(e->id, e->k, e->step, &out, &sip, &sport, &dip, &dport);
			break;
		default:
			opt_render(e->id, e->k, e->step, &out, &sip, &sport, &dip, &dport);
			break;
		}
		nmsg[e->src]++;
		/* strictly increasing timestamps */
		uint64_t ts = e->t;
		if (i > 0 && ts <= last)
			ts = last + 1;
		last = ts;
		write_packet(f, ts, sip, sport, dip, dport, out.p, out.len);
		bytes += 16 + 42 + out.len;
	}
	if (fflush(f) != 0 || (f != stdout && fclose(f) != 0)) {
		perror("gencalls: write");
		return 2;
	}
	if (!quiet)
		fprintf(stderr,
			"gencalls: seed %" PRIu64 ", %u calls, %lu call packets, %lu REGISTER-flow packets, "
			"%lu OPTIONS packets, %zu packets, %" PRIu64 " bytes, %.0f s of traffic, "
			"up to %ld calls at once\n",
			g_seed, g_calls, nmsg[0], nmsg[1], nmsg[2], g_nev, bytes + 24,
			last / 1e6, maxconc);
	free(g_ev);
	return 0;
}
