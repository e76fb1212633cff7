/*
 * test_dialog.c - unit tests for the correlation core (src/dialog.c,
 * src/transaction.c): calls, transactions, retransmissions, states,
 * timings, forks, links and --limit.
 *
 * Every case is a row of a named table: a sequence of steps, each a SIP
 * message built as text from a few fields, parsed with sip_parse like the
 * pipeline does, wrapped in an ss_sip_event with made-up addresses and
 * times, and fed to ss_corr_add. Expected values are strings; NULL means
 * "not checked". A step may also name the state its call must be in
 * right after it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dialog.h"
#include "sip.h"

/* ---- building messages ------------------------------------------------ */

/* Endpoints: A = 10.0.0.1:5060 (caller), B = 10.0.0.2:5060 (callee),
 * C = 10.0.0.3:5060 (a B2BUA's far side, for linked legs). A2B_X and
 * B2A_X are the same texts as A2B and B2A sent from 10.0.0.9: the message
 * seen again at a second capture point. */
enum { A2B, B2A, A2C, C2A, A2B_X, B2A_X };

struct step {
	int t_ms;		/* time since the case's epoch */
	int dir;		/* A2B, B2A, ... */
	const char *line;	/* "INVITE" (request) or "180 Ringing" */
	const char *cseq;	/* "1 INVITE" */
	const char *branch;	/* top Via branch; "" = none (RFC 2543) */
	const char *totag;	/* To tag; NULL = none */
	const char *extra;	/* more header lines, each ending CRLF */
	const char *callid;	/* NULL = "call-1@a" */
	const char *after;	/* state expected right after; NULL = no check */
	bool sdp;		/* add an SDP body */
	bool raw;		/* line is the whole message text */
};

#define CRLF "\r\n"
#define SDP "v=0" CRLF "o=- 1 1 IN IP4 10.0.0.1" CRLF "s=-" CRLF \
	"c=IN IP4 10.0.0.1" CRLF "t=0 0" CRLF "m=audio 4000 RTP/AVP 0" CRLF

static const char *const hosts[] = { "10.0.0.1", "10.0.0.2", "10.0.0.3" };

static void dir_hosts(int dir, int *src, int *dst)
{
	static const int s[] = { 0, 1, 0, 2, 0, 1 }, d[] = { 1, 0, 2, 0, 1, 0 };
	*src = s[dir];
	*dst = d[dir];
}

/* Write the text of step s into buf. A request from the callee side (or a
 * response going to it) swaps From and To, as the callee's requests do
 * (RFC 3261 12.2.1.1). */
static size_t build(const struct step *s, char *buf, size_t cap)
{
	if (s->raw)
		return (size_t)snprintf(buf, cap, "%s", s->line);
	bool req = !(s->line[0] >= '1' && s->line[0] <= '6');
	int src, dst;
	dir_hosts(s->dir, &src, &dst);
	bool callee_side = req ? (src != 0) : (dst != 0);
	int uac = req ? src : dst;	/* who wrote the top Via */
	char from[128], to[128], via[160];
	const char *tt = s->totag;
	snprintf(from, sizeof from, "<sip:%s@example.com>;tag=%s",
		 callee_side ? "bob" : "alice", callee_side ? (tt ? tt : "") : "fromA");
	snprintf(to, sizeof to, "<sip:%s@example.com>%s%s", callee_side ? "alice" : "bob",
		 callee_side ? ";tag=fromA" : (tt ? ";tag=" : ""),
		 callee_side ? "" : (tt ? tt : ""));
	snprintf(via, sizeof via, "SIP/2.0/UDP %s:5060%s%s", hosts[uac],
		 s->branch && *s->branch ? ";branch=" : "",
		 s->branch && *s->branch ? s->branch : "");
	const char *body = s->sdp ? SDP : "";
	char start[128];
	if (req)
		snprintf(start, sizeof start, "%s sip:%s@example.com SIP/2.0", s->line,
			 callee_side ? "alice" : "bob");
	else
		snprintf(start, sizeof start, "SIP/2.0 %s", s->line);
	return (size_t)snprintf(buf, cap,
		"%s" CRLF "Via: %s" CRLF "From: %s" CRLF "To: %s" CRLF
		"Call-ID: %s" CRLF "CSeq: %s" CRLF "%s%s"
		"Content-Length: %zu" CRLF CRLF "%s",
		start, via, from, to, s->callid ? s->callid : "call-1@a", s->cseq,
		s->extra ? s->extra : "",
		s->sdp ? "Content-Type: application/sdp" CRLF : "", strlen(body), body);
}

#define T0 (INT64_C(1700000000) * 1000000000)

/* Parse the step and feed it; returns the call it went to. */
static struct ss_call *feed(struct ss_corr *corr, const struct step *s, uint64_t idx)
{
	static char buf[4096];
	struct sip_header hdrs[64];
	struct sip_msg m;
	size_t len = build(s, buf, sizeof buf);
	assert_true(len < sizeof buf);
	long r = sip_parse(buf, len, SIP_FRAME_DATAGRAM, &m, hdrs, 64);
	assert_true(r > 0);
	struct ss_pktinfo pi;
	memset(&pi, 0, sizeof pi);
	int src, dst;
	dir_hosts(s->dir, &src, &dst);
	pi.ts_ns = T0 + (int64_t)s->t_ms * 1000000;
	pi.frame = idx + 1;
	pi.src.family = pi.dst.family = 4;
	pi.src.port = pi.dst.port = 5060;
	memcpy(pi.src.ip, (uint8_t[]){ 10, 0, 0, (uint8_t)(s->dir >= A2B_X ? 9 : src + 1) }, 4);
	memcpy(pi.dst.ip, (uint8_t[]){ 10, 0, 0, (uint8_t)(dst + 1) }, 4);
	pi.l4 = SS_L4_UDP;
	struct ss_sip_event ev = { &pi, "UDP", &m, 0 };
	return ss_corr_add(corr, &ev, idx);
}

/* ---- expectations ----------------------------------------------------- */

struct expect {
	const char *state, *code, *method, *pdd, *setup, *dur, *msgs, *retrans,
		*resent, *forks, *links, *reason, *ua, *xcid, *from_user,
		*to_user, *glare, *reinvites, *challenges, *call_id, *sdp_msgs,
		*copies;
	uint32_t flags_set, flags_clear;
};

struct dcase {
	const char *name;
	const struct step *steps;
	size_t n;
	size_t limit;
	int expire_ms;		/* ss_corr_expire at this time; 0 = none */
	const char *ncalls, *evicted, *no_call_id, *messages, *resent_total;
	struct expect exp[4];	/* calls in start order */
};

#define STEPS(...) (const struct step[]){ __VA_ARGS__ }, \
	sizeof((const struct step[]){ __VA_ARGS__ }) / sizeof(struct step)

static void chk(const char *cname, const char *field, const char *got, const char *want)
{
	if (want && strcmp(got ? got : "(null)", want) != 0)
		fail_msg("%s: %s is \"%s\", expected \"%s\"", cname, field,
			 got ? got : "(null)", want);
}

static void chki(const char *cname, const char *field, long long got, const char *want)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", got);
	chk(cname, field, b, want);
}

static void fmt_forks(const struct ss_call *c, char *out, size_t cap)
{
	size_t w = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < c->nforks && w < cap; i++)
		w += (size_t)snprintf(out + w, cap - w, "%s%s:%u/%u", i ? "," : "",
				      c->forks[i].to_tag, c->forks[i].first_code,
				      c->forks[i].code);
}

static void fmt_links(const struct ss_call *c, char *out, size_t cap)
{
	size_t w = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < c->nlinks && w < cap; i++)
		w += (size_t)snprintf(out + w, cap - w, "%s%u/%u", i ? "," : "",
				      c->links[i].call->id, c->links[i].kind);
}

/* Without SS_KEEP_RECS a call has no records, and without SS_KEEP_LINKS
 * only the link a redirect's follow-up always gets: check that, and the
 * expectations that do not come from them. */
static void check_lean(const char *name, const struct ss_call *c)
{
	if (c->nrecs)
		fail_msg("%s: %u records kept without SS_KEEP_RECS", name, c->nrecs);
	for (unsigned i = 0; i < c->nlinks; i++)
		if (c->links[i].kind != SS_LINK_REDIRECT)
			fail_msg("%s: link of kind %u kept without SS_KEEP_LINKS",
				 name, c->links[i].kind);
}

static void check_call(const char *name, const struct ss_call *c, const struct expect *e,
		       unsigned keep)
{
	char b[256];
	chk(name, "state", ss_call_state_name(c->state), e->state);
	chki(name, "final_code", c->final_code, e->code);
	chk(name, "method", c->method_name, e->method);
	chki(name, "pdd_ms", c->pdd_ms, e->pdd);
	chki(name, "setup_ms", c->setup_ms, e->setup);
	chki(name, "duration_ms", c->duration_ms, e->dur);
	chki(name, "msgs", c->msgs, e->msgs);
	chki(name, "retrans", c->retrans, e->retrans);
	chki(name, "resent", c->resent, e->resent);
	chki(name, "copies", c->copies, e->copies);
	fmt_forks(c, b, sizeof b);
	chk(name, "forks", b, e->forks);
	chk(name, "reason", c->reason, e->reason);
	chk(name, "user_agent", c->user_agent, e->ua);
	chk(name, "x_call_id", c->x_call_id, e->xcid);
	chk(name, "from_user", c->from_user, e->from_user);
	chk(name, "to_user", c->to_user, e->to_user);
	chki(name, "glare", c->glare, e->glare);
	chki(name, "reinvites", c->reinvites, e->reinvites);
	chki(name, "challenges", c->challenges, e->challenges);
	chk(name, "call_id", c->call_id, e->call_id);
	if ((c->flags & e->flags_set) != e->flags_set)
		fail_msg("%s: flags 0x%x lack 0x%x", name, c->flags, e->flags_set);
	if (c->flags & e->flags_clear)
		fail_msg("%s: flags 0x%x have 0x%x", name, c->flags,
			 c->flags & e->flags_clear);
	if (keep != SS_KEEP_ALL) {
		check_lean(name, c);
		return;
	}
	fmt_links(c, b, sizeof b);
	chk(name, "links", b, e->links);
	unsigned sdp = 0;
	for (uint32_t i = 0; i < c->nrecs; i++)
		sdp += (c->recs[i].flags & SS_MF_SDP) != 0;
	chki(name, "sdp msgs", sdp, e->sdp_msgs);
	/* the records agree with the counters */
	uint32_t rt = 0;
	for (uint32_t i = 0; i < c->nrecs; i++)
		rt += (c->recs[i].flags & SS_MF_RETRANS) != 0;
	assert_int_equal(c->nrecs, c->msgs);
	assert_int_equal(rt, c->retrans);
}

static void run_case(const struct dcase *k, unsigned keep)
{
	struct ss_corr *corr = ss_corr_new(k->limit);
	ss_corr_keep(corr, keep);
	for (size_t i = 0; i < k->n; i++) {
		struct ss_call *c = feed(corr, &k->steps[i], i);
		if (k->steps[i].after) {
			char what[64];
			snprintf(what, sizeof what, "state after step %zu", i + 1);
			assert_non_null(c);
			chk(k->name, what, ss_call_state_name(c->state), k->steps[i].after);
		}
	}
	if (k->expire_ms)
		ss_corr_expire(corr, T0 + (int64_t)k->expire_ms * 1000000);
	struct ss_corr_summary sm;
	ss_corr_summary(corr, &sm);
	chki(k->name, "calls", (long long)ss_corr_count(corr), k->ncalls);
	chki(k->name, "evicted", (long long)ss_corr_evicted(corr), k->evicted);
	chki(k->name, "no_call_id", (long long)sm.no_call_id, k->no_call_id);
	chki(k->name, "messages", (long long)sm.messages, k->messages);
	chki(k->name, "resent", (long long)sm.resent, k->resent_total);
	const struct ss_call *c = ss_corr_first(corr);
	for (size_t i = 0; i < 4 && c; i++, c = c->next) {
		char nm[160];
		snprintf(nm, sizeof nm, "%s (call %zu%s)", k->name, i + 1,
			 keep == SS_KEEP_ALL ? "" : ", lean");
		check_call(nm, c, &k->exp[i], keep);
	}
	ss_corr_free(corr);
}

/* ---- the cases -------------------------------------------------------- */

#define INV(t, br) { t, A2B, "INVITE", "1 INVITE", br, NULL, NULL, NULL, NULL, true, false }
#define RSP(t, line, br, tag) { t, B2A, line, "1 INVITE", br, tag, NULL, NULL, NULL, false, false }
#define ACK(t, br, tag) { t, A2B, "ACK", "1 ACK", br, tag, NULL, NULL, NULL, false, false }
#define BYE(t) { t, A2B, "BYE", "2 BYE", "z9hG4bKbye", "b1", NULL, NULL, NULL, false, false }
#define BYE200(t) { t, B2A, "200 OK", "2 BYE", "z9hG4bKbye", "b1", NULL, NULL, NULL, false, false }

/* A one-shot INVITE rejected with `line`. */
#define REJECT_CASE(nm, line, st, cd) { \
	.name = nm, STEPS(INV(0, "z9hG4bK1"), RSP(10, "100 Trying", "z9hG4bK1", NULL), \
		RSP(300, line, "z9hG4bK1", "b1"), ACK(310, "z9hG4bK1", "b1")), \
	.ncalls = "1", .exp = { { .state = st, .code = cd, .setup = "-1", \
		.dur = "-1", .msgs = "4", .retrans = "0", \
		.forks = "b1:" cd "/" cd } } }

static const struct dcase cases[] = {
	{ .name = "basic call",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(10, "100 Trying", "z9hG4bK1", NULL),
		RSP(100, "180 Ringing", "z9hG4bK1", "b1"),
		{ 2000, B2A, "200 OK", "1 INVITE", "z9hG4bK1", "b1",
		  "Server: PBX 1.0" CRLF, NULL, "IN_CALL", true, false },
		ACK(2010, "z9hG4bK2", "b1"),
		BYE(62010), BYE200(62020)),
	  .ncalls = "1", .messages = "7", .resent_total = "0",
	  .exp = { { .state = "COMPLETED", .code = "200", .method = "INVITE",
		     .pdd = "100", .setup = "2000", .dur = "60010", .msgs = "7",
		     .retrans = "0", .resent = "0", .forks = "b1:180/200",
		     .links = "", .reason = "OK", .ua = "PBX 1.0",
		     .from_user = "alice", .to_user = "bob", .call_id = "call-1@a",
		     .sdp_msgs = "2", .flags_set = SS_CF_ANSWERED,
		     .flags_clear = SS_CF_NO_ACK | SS_CF_PARTIAL | SS_CF_BYE_CALLEE } } },

	REJECT_CASE("busy 486", "486 Busy Here", "BUSY", "486"),
	REJECT_CASE("busy 600", "600 Busy Everywhere", "BUSY", "600"),
	REJECT_CASE("decline 603 is a rejection", "603 Decline", "REJECTED", "603"),
	REJECT_CASE("reject 404", "404 Not Found", "REJECTED", "404"),
	REJECT_CASE("reject 480", "480 Temporarily Unavailable", "REJECTED", "480"),
	REJECT_CASE("failure 503", "503 Service Unavailable", "FAILED", "503"),
	REJECT_CASE("failure 408", "408 Request Timeout", "FAILED", "408"),
	REJECT_CASE("487 without a captured CANCEL", "487 Request Terminated",
		    "CANCELLED", "487"),

	{ .name = "cancel: CANCEL, 200, 487, ACK",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(10, "100 Trying", "z9hG4bK1", NULL),
		RSP(100, "180 Ringing", "z9hG4bK1", "b1"),
		{ 3000, A2B, "CANCEL", "1 CANCEL", "z9hG4bK1", NULL, NULL, NULL,
		  "CALL_SETUP", false, false },
		{ 3010, B2A, "200 OK", "1 CANCEL", "z9hG4bK1", "b1", NULL, NULL,
		  "CALL_SETUP", false, false },
		RSP(3020, "487 Request Terminated", "z9hG4bK1", "b1"),
		ACK(3030, "z9hG4bK1", "b1")),
	  .ncalls = "1", .resent_total = "0",
	  .exp = { { .state = "CANCELLED", .code = "487", .pdd = "100",
		     .setup = "-1", .dur = "-1", .msgs = "7", .retrans = "0",
		     .forks = "b1:180/487", .reason = "Request Terminated",
		     .flags_set = SS_CF_CANCEL } } },

	{ .name = "CANCEL racing 200: the 2xx wins, BYE completes",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(100, "180 Ringing", "z9hG4bK1", "b1"),
		{ 3000, A2B, "CANCEL", "1 CANCEL", "z9hG4bK1", NULL, NULL, NULL,
		  NULL, false, false },
		{ 3001, B2A, "200 OK", "1 INVITE", "z9hG4bK1", "b1", NULL, NULL,
		  "IN_CALL", false, false },
		{ 3010, B2A, "200 OK", "1 CANCEL", "z9hG4bK1", "b1", NULL, NULL,
		  "IN_CALL", false, false },
		ACK(3020, "z9hG4bK2", "b1"),
		BYE(5001), BYE200(5010)),
	  .ncalls = "1",
	  .exp = { { .state = "COMPLETED", .code = "200", .setup = "3001",
		     .dur = "2000", .msgs = "8", .retrans = "0",
		     .flags_set = SS_CF_CANCEL | SS_CF_ANSWERED,
		     .flags_clear = SS_CF_NO_ACK } } },

	{ .name = "CANCEL without any final: CANCELLED after Timer B",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(100, "180 Ringing", "z9hG4bK1", "b1"),
		{ 3000, A2B, "CANCEL", "1 CANCEL", "z9hG4bK1", NULL, NULL, NULL,
		  "CALL_SETUP", false, false }),
	  .expire_ms = 3000 + 33000, .ncalls = "1",
	  .exp = { { .state = "CANCELLED", .code = "0",
		     .flags_set = SS_CF_CANCEL | SS_CF_TIMEOUT } } },

	/* Timer B runs from the first INVITE (17.1.1.2), not from its
	 * retransmissions */
	{ .name = "no final response: still CALL_SETUP before Timer B",
	  STEPS(INV(0, "z9hG4bK1"), INV(500, "z9hG4bK1"), INV(1500, "z9hG4bK1")),
	  .expire_ms = 31999, .ncalls = "1",
	  .exp = { { .state = "CALL_SETUP", .retrans = "2", .resent = "2" } } },
	{ .name = "no final response: FAILED after Timer B",
	  STEPS(INV(0, "z9hG4bK1"), INV(500, "z9hG4bK1"), INV(1500, "z9hG4bK1")),
	  .expire_ms = 32000, .ncalls = "1",
	  .exp = { { .state = "FAILED", .flags_set = SS_CF_TIMEOUT } } },

	{ .name = "3xx: DIVERTED, the new INVITE is a linked follow-up call",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(10, "100 Trying", "z9hG4bK1", NULL),
		RSP(20, "302 Moved Temporarily", "z9hG4bK1", "r1"),
		ACK(30, "z9hG4bK1", "r1"),
		{ 40, A2B, "INVITE", "2 INVITE", "z9hG4bK5", NULL, NULL, NULL,
		  "CALL_SETUP", false, false },
		{ 50, B2A, "180 Ringing", "2 INVITE", "z9hG4bK5", "b1", NULL, NULL,
		  NULL, false, false },
		{ 1040, B2A, "200 OK", "2 INVITE", "z9hG4bK5", "b1", NULL, NULL,
		  NULL, false, false },
		{ 1050, A2B, "ACK", "2 ACK", "z9hG4bK9", "b1", NULL, NULL, NULL,
		  false, false },
		/* the 302 again, late: goes to the first call */
		RSP(1060, "302 Moved Temporarily", "z9hG4bK1", "r1"),
		{ 2040, A2B, "BYE", "3 BYE", "z9hG4bKb", "b1", NULL, NULL, NULL,
		  false, false }),
	  .ncalls = "2",
	  .exp = { { .state = "DIVERTED", .code = "302", .msgs = "5",
		     .retrans = "1", .links = "2/3", .forks = "r1:302/302" },
		   { .state = "COMPLETED", .code = "200", .pdd = "10",
		     .setup = "1000", .dur = "1000", .msgs = "5", .links = "1/3",
		     .call_id = "call-1@a" } } },

	{ .name = "407 then INVITE with credentials: one call",
	  STEPS(INV(0, "z9hG4bK1"),
		{ 20, B2A, "407 Proxy Authentication Required", "1 INVITE",
		  "z9hG4bK1", "p1", "Proxy-Authenticate: Digest realm=\"x\", nonce=\"n\"" CRLF,
		  NULL, "REJECTED", false, false },
		ACK(30, "z9hG4bK1", "p1"),
		{ 40, A2B, "INVITE", "2 INVITE", "z9hG4bK3", NULL,
		  "Proxy-Authorization: Digest username=\"alice\"" CRLF, NULL,
		  "CALL_SETUP", false, false },
		{ 140, B2A, "180 Ringing", "2 INVITE", "z9hG4bK3", "b1", NULL, NULL,
		  NULL, false, false },
		{ 1040, B2A, "200 OK", "2 INVITE", "z9hG4bK3", "b1", NULL, NULL,
		  "IN_CALL", false, false },
		{ 1050, A2B, "ACK", "2 ACK", "z9hG4bK4", "b1", NULL, NULL, NULL,
		  false, false }),
	  .ncalls = "1",
	  .exp = { { .state = "IN_CALL", .code = "200", .pdd = "140",
		     .setup = "1040", .dur = "10", .challenges = "1", .msgs = "7",
		     .forks = "p1:407/407,b1:180/200",
		     .flags_set = SS_CF_CHALLENGED | SS_CF_ANSWERED,
		     .flags_clear = SS_CF_NO_ACK } } },

	{ .name = "INVITE retransmitted 3x: counted, pdd and setup unaffected",
	  STEPS(INV(0, "z9hG4bK1"), INV(500, "z9hG4bK1"), INV(1500, "z9hG4bK1"),
		INV(3500, "z9hG4bK1"),
		RSP(3510, "100 Trying", "z9hG4bK1", NULL),
		RSP(3600, "180 Ringing", "z9hG4bK1", "b1"),
		RSP(5000, "200 OK", "z9hG4bK1", "b1"),
		ACK(5010, "z9hG4bK2", "b1")),
	  .ncalls = "1", .resent_total = "3",
	  .exp = { { .state = "IN_CALL", .pdd = "3600", .setup = "5000",
		     .msgs = "8", .retrans = "3", .resent = "3", .sdp_msgs = "4" } } },

	{ .name = "200 OK retransmitted until the ACK: setup counted once",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(100, "180 Ringing", "z9hG4bK1", "b1"),
		RSP(1000, "200 OK", "z9hG4bK1", "b1"),
		RSP(1500, "200 OK", "z9hG4bK1", "b1"),
		RSP(2500, "200 OK", "z9hG4bK1", "b1"),
		ACK(2510, "z9hG4bK2", "b1"),
		ACK(2520, "z9hG4bK2", "b1"),
		BYE(11000), BYE200(11010)),
	  .ncalls = "1", .resent_total = "2",
	  .exp = { { .state = "COMPLETED", .setup = "1000", .dur = "10000",
		     .msgs = "9", .retrans = "3", .resent = "2",
		     .flags_clear = SS_CF_NO_ACK } } },

	{ .name = "the same messages seen at a second capture point are copies",
	  STEPS(INV(0, "z9hG4bK1"),
		{ 1, A2B_X, "INVITE", "1 INVITE", "z9hG4bK1", NULL, NULL, NULL, NULL,
		  true, false },
		RSP(100, "180 Ringing", "z9hG4bK1", "b1"),
		{ 101, B2A_X, "180 Ringing", "1 INVITE", "z9hG4bK1", "b1", NULL, NULL,
		  NULL, false, false },
		RSP(1000, "200 OK", "z9hG4bK1", "b1"),
		{ 1001, B2A_X, "200 OK", "1 INVITE", "z9hG4bK1", "b1", NULL, NULL,
		  NULL, false, false },
		RSP(1500, "200 OK", "z9hG4bK1", "b1")),
	  .ncalls = "1",
	  .exp = { { .state = "IN_CALL", .pdd = "100", .setup = "1000",
		     .msgs = "7", .retrans = "1", .copies = "3", .resent = "1" } } },

	{ .name = "forked early dialogs: two 180s, one 200",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(10, "100 Trying", "z9hG4bK1", NULL),
		RSP(200, "180 Ringing", "z9hG4bK1", "f1"),
		RSP(300, "180 Ringing", "z9hG4bK1", "f2"),
		RSP(310, "183 Session Progress", "z9hG4bK1", "f2"),
		RSP(2000, "200 OK", "z9hG4bK1", "f2"),
		ACK(2010, "z9hG4bK2", "f2"),
		/* the other fork's late rejection does not end the call */
		RSP(2100, "486 Busy Here", "z9hG4bK1", "f1")),
	  .ncalls = "1",
	  .exp = { { .state = "IN_CALL", .code = "200", .pdd = "200",
		     .setup = "2000", .forks = "f1:180/486,f2:180/200",
		     .retrans = "0" } } },

	{ .name = "re-INVITE answered 491 (glare): state unchanged",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(1000, "200 OK", "z9hG4bK1", "b1"),
		ACK(1010, "z9hG4bK2", "b1"),
		{ 5000, A2B, "INVITE", "2 INVITE", "z9hG4bK3", "b1", NULL, NULL,
		  NULL, true, false },
		{ 5001, B2A, "INVITE", "7 INVITE", "z9hG4bKbb", "b1", NULL, NULL,
		  NULL, true, false },
		{ 5010, B2A, "491 Request Pending", "2 INVITE", "z9hG4bK3", "b1",
		  NULL, NULL, "IN_CALL", false, false },
		{ 5020, A2B, "ACK", "2 ACK", "z9hG4bK3", "b1", NULL, NULL, NULL,
		  false, false },
		{ 5030, A2B, "491 Request Pending", "7 INVITE", "z9hG4bKbb", "b1",
		  NULL, NULL, "IN_CALL", false, false },
		{ 7000, A2B, "UPDATE", "3 UPDATE", "z9hG4bK6", "b1", NULL, NULL,
		  NULL, false, false },
		{ 7010, B2A, "200 OK", "3 UPDATE", "z9hG4bK6", "b1", NULL, NULL,
		  NULL, false, false },
		{ 8000, A2B, "REFER", "4 REFER", "z9hG4bK7", "b1",
		  "Refer-To: <sip:carol@example.com>" CRLF, NULL, "IN_CALL", false, false },
		{ 9000, A2B, "BYE", "5 BYE", "z9hG4bK8", "b1", NULL, NULL,
		  "COMPLETED", false, false }),
	  .ncalls = "1",
	  .exp = { { .state = "COMPLETED", .code = "200", .glare = "2",
		     .reinvites = "2", .dur = "8000", .retrans = "0",
		     .flags_set = SS_CF_GLARE | SS_CF_REFER,
		     .flags_clear = SS_CF_NO_ACK } } },

	{ .name = "missing ACK: IN_CALL, flagged",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(1000, "200 OK", "z9hG4bK1", "b1"),
		RSP(1500, "200 OK", "z9hG4bK1", "b1"),
		RSP(2500, "200 OK", "z9hG4bK1", "b1"),
		RSP(4500, "200 OK", "z9hG4bK1", "b1")),
	  .ncalls = "1",
	  .exp = { { .state = "IN_CALL", .setup = "1000", .dur = "0",
		     .retrans = "3", .flags_set = SS_CF_NO_ACK } } },

	{ .name = "RFC 2543: no branch, matched by CSeq/From tag/R-URI/Via",
	  STEPS(INV(0, ""), INV(500, ""),
		RSP(510, "100 Trying", "", NULL),
		RSP(600, "180 Ringing", "", "b1"),
		RSP(1000, "200 OK", "", "b1"),
		RSP(1500, "200 OK", "", "b1"),
		ACK(1510, "", "b1"),
		{ 3000, A2B, "BYE", "2 BYE", "", "b1", NULL, NULL, NULL, false, false },
		{ 3500, A2B, "BYE", "2 BYE", "", "b1", NULL, NULL, NULL, false, false },
		{ 3510, B2A, "200 OK", "2 BYE", "", "b1", NULL, NULL, NULL, false, false }),
	  .ncalls = "1",
	  .exp = { { .state = "COMPLETED", .pdd = "600", .setup = "1000",
		     .dur = "2000", .msgs = "10", .retrans = "3", .resent = "3" } } },

	{ .name = "BYE from the callee",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(1000, "200 OK", "z9hG4bK1", "b1"),
		ACK(1010, "z9hG4bK2", "b1"),
		{ 4000, B2A, "BYE", "9 BYE", "z9hG4bKx", "b1",
		  "Reason: Q.850;cause=16;text=\"Normal call clearing\"" CRLF,
		  NULL, "COMPLETED", false, false },
		{ 4010, A2B, "200 OK", "9 BYE", "z9hG4bKx", "b1", NULL, NULL,
		  NULL, false, false }),
	  .ncalls = "1",
	  .exp = { { .state = "COMPLETED", .dur = "3000",
		     .reason = "Q.850;cause=16;text=\"Normal call clearing\"",
		     .flags_set = SS_CF_BYE_CALLEE } } },

	{ .name = "BYE on the early dialog: CANCELLED",
	  STEPS(INV(0, "z9hG4bK1"),
		RSP(100, "180 Ringing", "z9hG4bK1", "b1"),
		BYE(2000)),
	  .ncalls = "1",
	  .exp = { { .state = "CANCELLED", .flags_set = SS_CF_EARLY_BYE } } },

	{ .name = "capture joined mid-call: BYE first",
	  STEPS(BYE(0), BYE200(10)),
	  .ncalls = "1",
	  .exp = { { .state = "COMPLETED", .method = "INVITE", .dur = "-1",
		     .flags_set = SS_CF_PARTIAL } } },

	{ .name = "X-Call-ID links the B leg to the A leg",
	  STEPS(INV(0, "z9hG4bK1"),
		{ 50, A2C, "INVITE", "1 INVITE", "z9hG4bKc", NULL,
		  "X-Call-ID: call-1@a" CRLF, "leg-b@c", NULL, false, false },
		/* a third call naming the A leg with X-CID */
		{ 60, A2C, "INVITE", "1 INVITE", "z9hG4bKd", NULL,
		  "X-CID: call-1@a" CRLF, "leg-c@c", NULL, false, false }),
	  .ncalls = "3",
	  .exp = { { .links = "2/1,3/1" },
		   { .links = "1/1", .xcid = "call-1@a" },
		   { .links = "1/1", .xcid = "call-1@a" } } },

	{ .name = "X-Call-ID seen before the call it names",
	  STEPS({ 0, A2C, "INVITE", "1 INVITE", "z9hG4bKc", NULL,
		  "X-Call-ID: call-1@a" CRLF, "leg-b@c", NULL, false, false },
		INV(10, "z9hG4bK1")),
	  .ncalls = "2",
	  .exp = { { .links = "2/1" }, { .links = "1/1" } } },

	{ .name = "same From/To users within 2 s: linked by heuristic",
	  STEPS(INV(0, "z9hG4bK1"),
		{ 800, A2C, "INVITE", "1 INVITE", "z9hG4bKc", NULL, NULL,
		  "other@c", NULL, false, false },
		/* 3 s later: too late to be the same call */
		{ 3800, A2C, "INVITE", "1 INVITE", "z9hG4bKe", NULL, NULL,
		  "third@c", NULL, false, false }),
	  .ncalls = "3",
	  .exp = { { .links = "2/2" }, { .links = "1/2" }, { .links = "" } } },

	{ .name = "--limit 2: the oldest finished calls are evicted",
	  STEPS({ 0, A2B, "INVITE", "1 INVITE", "z9hG4bK1", NULL, NULL, "c1", NULL, false, false },
		{ 10, B2A, "486 Busy Here", "1 INVITE", "z9hG4bK1", "t", NULL, "c1", "BUSY", false, false },
		{ 20, A2B, "INVITE", "1 INVITE", "z9hG4bK1", NULL, NULL, "c2", NULL, false, false },
		{ 30, A2B, "INVITE", "1 INVITE", "z9hG4bK1", NULL, NULL, "c3", NULL, false, false },
		{ 40, B2A, "404 Not Found", "1 INVITE", "z9hG4bK1", "t", NULL, "c3", NULL, false, false },
		{ 50, A2B, "INVITE", "1 INVITE", "z9hG4bK1", NULL, NULL, "c4", NULL, false, false },
		{ 60, B2A, "603 Decline", "1 INVITE", "z9hG4bK1", "t", NULL, "c4", NULL, false, false },
		{ 70, A2B, "INVITE", "1 INVITE", "z9hG4bK1", NULL, NULL, "c5", NULL, false, false }),
	  .limit = 2, .ncalls = "2", .evicted = "3",
	  /* c2 is unfinished: never evicted, though the oldest */
	  .exp = { { .call_id = "c2", .state = "CALL_SETUP" },
		   { .call_id = "c5", .state = "CALL_SETUP" } } },

	{ .name = "--limit 1: the call just answered is not evicted under the caller",
	  STEPS({ 0, A2B, "INVITE", "1 INVITE", "z9hG4bK1", NULL, NULL, "c1", NULL, false, false },
		{ 20, A2B, "INVITE", "1 INVITE", "z9hG4bK1", NULL, NULL, "c2", NULL, false, false },
		{ 30, B2A, "486 Busy Here", "1 INVITE", "z9hG4bK1", "t", NULL, "c2", "BUSY", false, false }),
	  .limit = 1, .ncalls = "2", .evicted = "0",
	  .exp = { { .call_id = "c1" }, { .call_id = "c2", .state = "BUSY" } } },

	{ .name = "a message without Call-ID is counted aside",
	  STEPS({ 0, A2B, "OPTIONS sip:b@example.com SIP/2.0" CRLF
		  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKo" CRLF
		  "From: <sip:a@example.com>;tag=x" CRLF "To: <sip:b@example.com>" CRLF
		  "CSeq: 1 OPTIONS" CRLF "Content-Length: 0" CRLF CRLF,
		  NULL, NULL, NULL, NULL, NULL, NULL, false, true },
		{ 10, A2B, "SIP/2.0 200 OK" CRLF "CSeq: 1 OPTIONS" CRLF CRLF,
		  NULL, NULL, NULL, NULL, NULL, NULL, false, true },
		INV(20, "z9hG4bK1")),
	  .ncalls = "1", .no_call_id = "2" /* the response has none either */,
	  .messages = "3" },

	{ .name = "OPTIONS answered 200: OK",
	  STEPS({ 0, A2B, "OPTIONS", "1 OPTIONS", "z9hG4bKo", NULL, NULL, NULL,
		  "PENDING", false, false },
		{ 5, B2A, "200 OK", "1 OPTIONS", "z9hG4bKo", "o1", NULL, NULL,
		  "OK", false, false }),
	  .ncalls = "1", .exp = { { .method = "OPTIONS", .state = "OK", .code = "200" } } },

	{ .name = "MESSAGE answered 404: FAILED; 401 keeps PENDING",
	  STEPS({ 0, A2B, "MESSAGE", "1 MESSAGE", "z9hG4bKm", NULL, NULL, NULL,
		  "PENDING", false, false },
		{ 5, B2A, "401 Unauthorized", "1 MESSAGE", "z9hG4bKm", "m1", NULL,
		  NULL, "PENDING", false, false },
		{ 10, A2B, "MESSAGE", "2 MESSAGE", "z9hG4bKn", NULL,
		  "Authorization: Digest username=\"a\"" CRLF, NULL, "PENDING", false, false },
		{ 15, B2A, "404 Not Found", "2 MESSAGE", "z9hG4bKn", "m1", NULL,
		  NULL, "FAILED", false, false }),
	  .ncalls = "1",
	  .exp = { { .method = "MESSAGE", .code = "404", .challenges = "1",
		     .flags_set = SS_CF_CHALLENGED } } },

	{ .name = "extension method keeps its name",
	  STEPS({ 0, A2B, "FOO", "1 FOO", "z9hG4bKf", NULL, NULL, NULL,
		  "PENDING", false, false },
		{ 5, B2A, "501 Not Implemented", "1 FOO", "z9hG4bKf", "x", NULL,
		  NULL, "FAILED", false, false }),
	  .ncalls = "1", .exp = { { .method = "FOO", .code = "501" } } },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i], SS_KEEP_ALL);
}

/* A context that keeps neither records nor links (ss_corr_keep, what
 * --report stats asks for) reaches the same states, timings, counts and
 * summaries on every case, also under --limit. */
static void test_cases_lean(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i], 0);
}

/* ---- properties not expressed as a sequence --------------------------- */

/* Many calls: the Call-ID table grows and every call stays findable;
 * eviction under a limit keeps memory bounded and the table consistent. */
static void test_many_calls_and_limit(void **state)
{
	(void)state;
	for (size_t limit = 0; limit <= 100; limit += 100) {
		struct ss_corr *corr = ss_corr_new(limit);
		char id[32];
		for (int i = 0; i < 3000; i++) {
			snprintf(id, sizeof id, "bulk-%d", i);
			struct step s1 = { i, A2B, "INVITE", "1 INVITE", "z9hG4bK1", NULL,
					   NULL, id, NULL, false, false };
			struct step s2 = { i, B2A, "486 Busy Here", "1 INVITE",
					   "z9hG4bK1", "t", NULL, id, NULL, false, false };
			feed(corr, &s1, (uint64_t)i * 2);
			feed(corr, &s2, (uint64_t)i * 2 + 1);
		}
		size_t held = ss_corr_count(corr);
		if (limit) {
			assert_int_equal(held, limit);
			assert_int_equal(ss_corr_evicted(corr), 3000 - limit);
			assert_null(ss_corr_find(corr, "bulk-0", 6));
			assert_non_null(ss_corr_find(corr, "bulk-2999", 9));
		} else {
			assert_int_equal(held, 3000);
			for (int i = 0; i < 3000; i += 7) {
				snprintf(id, sizeof id, "bulk-%d", i);
				const struct ss_call *c = ss_corr_find(corr, id, strlen(id));
				assert_non_null(c);
				assert_string_equal(c->call_id, id);
			}
		}
		struct ss_corr_summary sm;
		ss_corr_summary(corr, &sm);
		assert_int_equal(sm.calls[SS_CS_BUSY], 3000);
		assert_int_equal(sm.calls_total, 3000);
		/* start order */
		uint32_t last = 0;
		for (const struct ss_call *c = ss_corr_first(corr); c; c = c->next) {
			assert_true(c->id > last);
			last = c->id;
		}
		ss_corr_free(corr);
	}
}

static void test_summary_setup(void **state)
{
	(void)state;
	struct ss_corr *corr = ss_corr_new(0);
	int setup[] = { 100, 300, 200 };
	for (int i = 0; i < 3; i++) {
		char id[16];
		snprintf(id, sizeof id, "s%d", i);
		struct step a = { i * 1000, A2B, "INVITE", "1 INVITE", "z9hG4bK1", NULL,
				  NULL, id, NULL, false, false };
		struct step b = { i * 1000 + setup[i], B2A, "200 OK", "1 INVITE",
				  "z9hG4bK1", "t", NULL, id, NULL, false, false };
		feed(corr, &a, 0);
		feed(corr, &b, 0);
	}
	struct ss_corr_summary sm;
	ss_corr_summary(corr, &sm);
	assert_int_equal(sm.setup_n, 3);
	assert_int_equal(sm.setup_min_ms, 100);
	assert_int_equal(sm.setup_max_ms, 300);
	assert_true(sm.setup_avg_ms > 199.9 && sm.setup_avg_ms < 200.1);
	assert_int_equal(sm.calls[SS_CS_IN_CALL], 3);
	assert_int_equal(sm.messages, 6);
	ss_corr_free(corr);
}

/* Index and frame are kept in 40 bits; past that the record is wide and
 * the exact values still come back. feed() makes frame = index + 1. */
static void test_record_index_frame(void **state)
{
	(void)state;
	struct ss_corr *corr = ss_corr_new(0);
	static const uint64_t idx[] = {
		7, UINT32_MAX, (UINT64_C(1) << 40) - 2, UINT64_C(1) << 40,
		UINT64_C(0x123456789abcd), UINT64_MAX - 1,
	};
	struct ss_call *c = NULL;
	for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++) {
		struct step st = { (int)i * 10, A2B, "OPTIONS", "1 OPTIONS", "z9hG4bK1",
				   NULL, NULL, "wide-1", NULL, false, false };
		c = feed(corr, &st, idx[i]);
	}
	assert_non_null(c);
	assert_int_equal(c->nrecs, sizeof idx / sizeof idx[0]);
	for (uint32_t i = 0; i < c->nrecs; i++) {
		assert_int_equal(ss_msg_rec_index(c, &c->recs[i]), idx[i]);
		assert_int_equal(ss_msg_rec_frame(c, &c->recs[i]), idx[i] + 1);
		/* the first three fit in 40 bits, and so do their frames */
		assert_int_equal(c->recs[i].wide_, i >= 3);
	}
	ss_corr_free(corr);
}

static void test_record_layout(void **state)
{
	(void)state;
	/* the memory budget counts on these */
	assert_int_equal(sizeof(struct ss_msg_rec), 24);
	assert_string_equal(ss_call_state_name(SS_CS_CALL_SETUP), "CALL_SETUP");
	assert_string_equal(ss_call_state_name(SS_CS_OK), "OK");
	assert_false(ss_call_state_final(SS_CS_IN_CALL));
	assert_true(ss_call_state_final(SS_CS_REGISTERED));
}

/* The call allocator (hashtab.c): a freed block serves its class again,
 * a larger free block is split for a smaller request, reallocation keeps
 * the contents, and release frees everything, blocks from malloc too
 * (LSan and valgrind check that). */
static void test_slab(void **state)
{
	(void)state;
	struct ss_slab sl;
	ss_slab_init(&sl);
	char *a = ss_slab_alloc(&sl, 100);
	memset(a, 'a', 100);
	ss_slab_free(&sl, a, 100);
	char *b = ss_slab_alloc(&sl, 97);	/* same 8-byte class */
	assert_ptr_equal(a, b);
	ss_slab_free(&sl, b, 97);
	char *c = ss_slab_alloc(&sl, 40);	/* split off the 104-byte block */
	char *d = ss_slab_alloc(&sl, 64);	/* and the rest serves this */
	assert_ptr_equal(c, a);
	assert_ptr_equal(d, a + 40);
	char *z = ss_slab_zalloc(&sl, 24);
	assert_int_equal(z[0] | z[23], 0);
	for (int i = 0; i < 24; i++)
		z[i] = (char)i;
	z = ss_slab_realloc(&sl, z, 24, 300);
	for (int i = 0; i < 24; i++)
		assert_int_equal(z[i], i);
	char *big = ss_slab_alloc(&sl, 5000);	/* past the classes */
	memset(big, 'b', 5000);
	big = ss_slab_realloc(&sl, big, 5000, 9000);
	assert_int_equal(big[4999], 'b');
	char *big2 = ss_slab_alloc(&sl, 1 << 20);
	ss_slab_free(&sl, big2, 1 << 20);
	for (int i = 0; i < 100000; i++)	/* several regions */
		(void)ss_slab_alloc(&sl, (size_t)(i % 200) + 1);
	ss_slab_release(&sl);
}

/* Interned strings (dialog.c) are shared while referenced, also through
 * the cache of recent ones, and a string given back by all its holders
 * is freed and leaves the cache (ASan sees a stale entry). */
static void test_intern(void **state)
{
	(void)state;
	struct ss_corr *corr = ss_corr_new(0);
	const char *a = ss_corr_intern(corr, ss_str_make("Busy Here", 9));
	const char *b = ss_corr_intern(corr, ss_str_make("Busy Here!", 9));
	assert_ptr_equal(a, b);
	assert_string_equal(a, "Busy Here");
	assert_null(ss_corr_intern(corr, ss_str_make("x", 0)));
	ss_corr_unintern(corr, a);
	ss_corr_unintern(corr, b);
	const char *c = ss_corr_intern(corr, ss_str_make("Busy Here", 9));
	assert_string_equal(c, "Busy Here");
	/* more strings than cache entries, each interned twice */
	char buf[32];
	const char *held[300];
	for (int r = 0; r < 2; r++)
		for (int i = 0; i < 300; i++) {
			int n = snprintf(buf, sizeof buf, "UA/%d.%d", i % 17, i);
			const char *s = ss_corr_intern(corr, ss_str_make(buf, (size_t)n));
			assert_string_equal(s, buf);
			if (r)
				assert_ptr_equal(s, held[i]);
			held[i] = s;
		}
	for (int i = 0; i < 300; i++) {
		ss_corr_unintern(corr, held[i]);
		ss_corr_unintern(corr, held[i]);
	}
	const char *d = ss_corr_intern(corr, ss_str_make("UA/0.0", 6));
	assert_string_equal(d, "UA/0.0");
	ss_corr_unintern(corr, d);
	ss_corr_unintern(corr, c);
	ss_corr_free(corr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_cases_lean),
		cmocka_unit_test(test_many_calls_and_limit),
		cmocka_unit_test(test_summary_setup),
		cmocka_unit_test(test_record_index_frame),
		cmocka_unit_test(test_record_layout),
		cmocka_unit_test(test_slab),
		cmocka_unit_test(test_intern),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
