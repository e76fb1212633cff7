/*
 * test_registration.c - unit tests for registrations per address of
 * record (src/registration.c) and the REGISTER calls of the correlation
 * core (src/transaction.c).
 *
 * A named table of REGISTER exchanges: each step is a REGISTER (from the
 * UA, 10.0.0.1:5060 unless the step says otherwise) or a response from the
 * registrar, built as text, parsed with sip_parse and fed to ss_corr_add.
 * Expected fields are strings; NULL means "not checked".
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
#include "registration.h"
#include "sip.h"

#define CRLF "\r\n"
#define T0 (INT64_C(1700000000) * 1000000000)

struct rstep {
	int t_ms;
	const char *line;	/* "REGISTER" or "200 OK" */
	int cseq;
	const char *branch;
	const char *extra;	/* header lines (Contact, Expires, auth, ...) */
	const char *via_params;	/* appended to the top Via (received, rport) */
	const char *to;		/* To URI; NULL = sip:alice@example.com */
	const char *after;	/* REGISTER call state right after; NULL = no check */
};

static size_t build(const struct rstep *s, char *buf, size_t cap)
{
	bool req = strcmp(s->line, "REGISTER") == 0;
	const char *to = s->to ? s->to : "<sip:alice@example.com>";
	char start[96];
	if (req)
		snprintf(start, sizeof start, "REGISTER sip:example.com SIP/2.0");
	else
		snprintf(start, sizeof start, "SIP/2.0 %s", s->line);
	return (size_t)snprintf(buf, cap,
		"%s" CRLF "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=%s%s" CRLF
		"From: %s;tag=ua1" CRLF "To: %s%s" CRLF "Call-ID: reg-1@ua" CRLF
		"CSeq: %d REGISTER" CRLF "User-Agent: Phone/2.1" CRLF "%s"
		"Content-Length: 0" CRLF CRLF,
		start, s->branch, s->via_params ? s->via_params : "", to, to,
		req ? "" : ";tag=reg", s->cseq, s->extra ? s->extra : "");
}

static struct ss_call *feed(struct ss_corr *corr, const struct rstep *s, uint64_t idx)
{
	static char buf[2048];
	struct sip_header hdrs[64];
	struct sip_msg m;
	size_t len = build(s, buf, sizeof buf);
	assert_true(len < sizeof buf);
	assert_true(sip_parse(buf, len, SIP_FRAME_DATAGRAM, &m, hdrs, 64) > 0);
	bool req = m.is_request;
	struct ss_pktinfo pi;
	memset(&pi, 0, sizeof pi);
	pi.ts_ns = T0 + (int64_t)s->t_ms * 1000000;
	pi.frame = idx + 1;
	pi.l4 = SS_L4_UDP;
	/* the UA behind a NAT: the registrar sees 203.0.113.5:40000 */
	struct ss_addr ua = { 4, 40000, { 203, 0, 113, 5 } };
	struct ss_addr reg = { 4, 5060, { 198, 51, 100, 1 } };
	pi.src = req ? ua : reg;
	pi.dst = req ? reg : ua;
	struct ss_sip_event ev = { &pi, "UDP", &m, 0 };
	return ss_corr_add(corr, &ev, idx);
}

struct rcase {
	const char *name;
	const struct rstep *steps;
	size_t n;
	const char *aor, *state, *attempts, *challenges, *successes, *failures,
		*last_code, *expires, *contacts, *source, *nat, *ua,
		*since_success_ms, *call_state, *call_retrans, *last_attempt_ms;
	int now_ms;		/* for since_success_ms */
};

#define RSTEPS(...) (const struct rstep[]){ __VA_ARGS__ }, \
	sizeof((const struct rstep[]){ __VA_ARGS__ }) / sizeof(struct rstep)

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

static void run_case(const struct rcase *k)
{
	struct ss_corr *corr = ss_corr_new(0);
	for (size_t i = 0; i < k->n; i++) {
		struct ss_call *c = feed(corr, &k->steps[i], i);
		if (k->steps[i].after) {
			char what[48];
			snprintf(what, sizeof what, "call state after step %zu", i + 1);
			chk(k->name, what, ss_call_state_name(c->state), k->steps[i].after);
		}
	}
	const struct ss_regs *r = ss_corr_regs(corr);
	assert_int_equal(ss_regs_count(r), 1);
	const struct ss_reg *g = ss_regs_at(r, 0);
	assert_ptr_equal(ss_regs_find(r, g->aor), g);
	chk(k->name, "aor", g->aor, k->aor);
	chk(k->name, "state", ss_call_state_name(g->state), k->state);
	chki(k->name, "attempts", g->attempts, k->attempts);
	chki(k->name, "challenges", g->challenges, k->challenges);
	chki(k->name, "successes", g->successes, k->successes);
	chki(k->name, "failures", g->failures, k->failures);
	chki(k->name, "last_code", g->last_code, k->last_code);
	char cb[256] = "";
	size_t w = 0;
	for (size_t i = 0; i < g->ncontacts && w < sizeof cb; i++)
		w += (size_t)snprintf(cb + w, sizeof cb - w, "%s%s=%lld", i ? "," : "",
				      g->contacts[i].uri,
				      (long long)g->contacts[i].expires_s);
	chk(k->name, "contacts", cb, k->contacts);
	chki(k->name, "expires_s", g->expires_s, k->expires);
	chk(k->name, "source", g->source, k->source);
	chk(k->name, "nat", g->nat ? "yes" : "no", k->nat);
	chk(k->name, "user_agent", g->user_agent, k->ua);
	chki(k->name, "since_success_ms",
	     ss_reg_since_success_ms(g, T0 + (int64_t)k->now_ms * 1000000),
	     k->since_success_ms);
	chki(k->name, "last_attempt_ms",
	     g->last_attempt < 0 ? -1 : (g->last_attempt - T0) / 1000000,
	     k->last_attempt_ms);
	const struct ss_call *c = ss_corr_first(corr);
	assert_non_null(c);
	assert_int_equal(c->method, SIP_M_REGISTER);
	chk(k->name, "call state", ss_call_state_name(c->state), k->call_state);
	chki(k->name, "call retrans", c->retrans, k->call_retrans);
	ss_corr_free(corr);
}

#define CONTACT "Contact: <sip:alice@192.168.1.10:5060>" CRLF
#define AUTHZ "Authorization: Digest username=\"alice\", nonce=\"n1\"" CRLF
#define CHAL "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"n1\"" CRLF
#define STALE "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"n2\", stale=true" CRLF

static const struct rcase cases[] = {
	{ .name = "401 then 200: REGISTERED with one challenge",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT "Expires: 3600" CRLF, NULL, NULL, "PENDING" },
		 { 10, "401 Unauthorized", 1, "z9hG4bK1", CHAL, NULL, NULL, "PENDING" },
		 { 20, "REGISTER", 2, "z9hG4bK2", CONTACT AUTHZ "Expires: 3600" CRLF, NULL, NULL, "PENDING" },
		 { 30, "200 OK", 2, "z9hG4bK2",
		   "Contact: <sip:alice@192.168.1.10:5060>;expires=1800" CRLF, NULL, NULL,
		   "REGISTERED" }),
	  .aor = "sip:alice@example.com", .state = "REGISTERED", .attempts = "2",
	  .challenges = "1", .successes = "1", .failures = "0", .last_code = "200",
	  .expires = "1800", .contacts = "sip:alice@192.168.1.10:5060=1800",
	  .source = "203.0.113.5:40000", .nat = "no", .ua = "Phone/2.1",
	  .now_ms = 60030, .since_success_ms = "60000", .last_attempt_ms = "20",
	  .call_state = "REGISTERED", .call_retrans = "0" },

	{ .name = "401 repeated 3x without success: AUTH_FAILED",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT, NULL, NULL, NULL },
		 { 10, "401 Unauthorized", 1, "z9hG4bK1", CHAL, NULL, NULL, "PENDING" },
		 { 20, "REGISTER", 2, "z9hG4bK2", CONTACT, NULL, NULL, NULL },
		 { 30, "401 Unauthorized", 2, "z9hG4bK2", CHAL, NULL, NULL, "PENDING" },
		 { 40, "REGISTER", 3, "z9hG4bK3", CONTACT, NULL, NULL, NULL },
		 { 50, "401 Unauthorized", 3, "z9hG4bK3", CHAL, NULL, NULL, "AUTH_FAILED" }),
	  .state = "AUTH_FAILED", .attempts = "3", .challenges = "3",
	  .successes = "0", .last_code = "401", .expires = "-1", .contacts = "",
	  .since_success_ms = "-1", .call_state = "AUTH_FAILED" },

	{ .name = "credentials refused twice: AUTH_FAILED at the second",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT, NULL, NULL, NULL },
		 { 10, "401 Unauthorized", 1, "z9hG4bK1", CHAL, NULL, NULL, "PENDING" },
		 { 20, "REGISTER", 2, "z9hG4bK2", CONTACT AUTHZ, NULL, NULL, NULL },
		 { 30, "401 Unauthorized", 2, "z9hG4bK2", CHAL, NULL, NULL, "AUTH_FAILED" }),
	  .state = "AUTH_FAILED", .challenges = "2", .call_state = "AUTH_FAILED" },

	{ .name = "stale nonce: a second challenge is not a failure",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT, NULL, NULL, NULL },
		 { 10, "401 Unauthorized", 1, "z9hG4bK1", CHAL, NULL, NULL, NULL },
		 { 20, "REGISTER", 2, "z9hG4bK2", CONTACT AUTHZ, NULL, NULL, NULL },
		 { 30, "401 Unauthorized", 2, "z9hG4bK2", STALE, NULL, NULL, "PENDING" },
		 { 40, "REGISTER", 3, "z9hG4bK3", CONTACT AUTHZ, NULL, NULL, NULL },
		 { 50, "200 OK", 3, "z9hG4bK3", CONTACT "Expires: 600" CRLF, NULL, NULL,
		   "REGISTERED" }),
	  .state = "REGISTERED", .challenges = "2", .successes = "1", .expires = "600",
	  .call_state = "REGISTERED" },

	{ .name = "403: AUTH_FAILED, counted as a failure",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT AUTHZ, NULL, NULL, NULL },
		 { 10, "403 Forbidden", 1, "z9hG4bK1", NULL, NULL, NULL, "AUTH_FAILED" }),
	  .state = "AUTH_FAILED", .failures = "1", .last_code = "403",
	  .call_state = "AUTH_FAILED" },

	{ .name = "500: FAILED",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT, NULL, NULL, NULL },
		 { 10, "500 Server Internal Error", 1, "z9hG4bK1", NULL, NULL, NULL, "FAILED" }),
	  .state = "FAILED", .failures = "1", .last_code = "500", .call_state = "FAILED" },

	{ .name = "unregistration with Expires: 0",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT "Expires: 3600" CRLF, NULL, NULL, NULL },
		 { 10, "200 OK", 1, "z9hG4bK1", CONTACT "Expires: 3600" CRLF, NULL, NULL,
		   "REGISTERED" },
		 { 5000, "REGISTER", 2, "z9hG4bK2", CONTACT "Expires: 0" CRLF, NULL, NULL,
		   "REGISTERED" },
		 { 5010, "200 OK", 2, "z9hG4bK2", NULL, NULL, NULL, "UNREGISTERED" }),
	  .state = "UNREGISTERED", .successes = "2", .expires = "0", .contacts = "",
	  .call_state = "UNREGISTERED" },

	{ .name = "unregistration with Contact: *",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", "Contact: *" CRLF "Expires: 0" CRLF, NULL, NULL, NULL },
		 { 10, "200 OK", 1, "z9hG4bK1", NULL, NULL, NULL, "UNREGISTERED" }),
	  .state = "UNREGISTERED", .expires = "0" },

	{ .name = "unregistration with ;expires=0 on the contact",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1",
		   "Contact: <sip:alice@192.168.1.10:5060>;expires=0" CRLF, NULL, NULL, NULL },
		 { 10, "200 OK", 1, "z9hG4bK1", NULL, NULL, NULL, "UNREGISTERED" }),
	  .state = "UNREGISTERED" },

	{ .name = "NAT: Via received/rport in the 200 OK",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT, ";rport", NULL, NULL },
		 { 10, "200 OK", 1, "z9hG4bK1",
		   "Contact: <sip:alice@192.168.1.10:5060>;expires=60, "
		   "<sip:alice@10.9.9.9:5070>;expires=3000" CRLF,
		   ";received=203.0.113.5;rport=40000", NULL, NULL }),
	  .state = "REGISTERED", .source = "203.0.113.5:40000", .nat = "yes",
	  .expires = "60",
	  .contacts = "sip:alice@192.168.1.10:5060=60,sip:alice@10.9.9.9:5070=3000" },

	{ .name = "our binding listed second: its expiry is the one reported",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT, NULL, NULL, NULL },
		 { 10, "200 OK", 1, "z9hG4bK1",
		   "Contact: <sip:alice@10.9.9.9:5070>;expires=3000" CRLF
		   "Contact: <sip:alice@192.168.1.10:5060>;expires=120" CRLF, NULL, NULL, NULL }),
	  .expires = "120" },

	{ .name = "REGISTER retransmitted: one attempt, counted as retrans",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT, NULL, NULL, NULL },
		 { 500, "REGISTER", 1, "z9hG4bK1", CONTACT, NULL, NULL, NULL },
		 { 1500, "REGISTER", 1, "z9hG4bK1", CONTACT, NULL, NULL, NULL },
		 { 1600, "200 OK", 1, "z9hG4bK1", CONTACT "Expires: 60" CRLF, NULL, NULL, NULL },
		 { 1700, "200 OK", 1, "z9hG4bK1", CONTACT "Expires: 60" CRLF, NULL, NULL, NULL }),
	  .attempts = "1", .successes = "1", .last_attempt_ms = "0",
	  .call_retrans = "3", .state = "REGISTERED" },

	{ .name = "AoR normalised: scheme and host case, port and params dropped",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT, NULL,
		   "<SIP:alice@EXAMPLE.com:5060;transport=udp>", NULL },
		 { 10, "200 OK", 1, "z9hG4bK1", CONTACT, NULL,
		   "<sip:alice@example.COM>", NULL }),
	  .aor = "sip:alice@example.com", .attempts = "1", .successes = "1" },

	{ .name = "expires param: any case, only as a whole name after a ';'",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT, NULL, NULL, NULL },
		 { 10, "200 OK", 1, "z9hG4bK1",
		   "Contact: <sip:alice@192.168.1.10:5060>;expiresx=5;x-expires=6;EXPIRES=90"
		   CRLF "Contact: <sip:alice@10.9.9.9:5070>;expires" CRLF
		   "Expires: 33" CRLF, NULL, NULL, NULL }),
	  .expires = "90",
	  .contacts = "sip:alice@192.168.1.10:5060=90,sip:alice@10.9.9.9:5070=33" },

	{ .name = "a comma inside a quoted display name: one contact",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1",
		   "Contact: \"Smith, Alice\" <sip:alice@192.168.1.10:5060>" CRLF, NULL, NULL,
		   NULL },
		 { 10, "200 OK", 1, "z9hG4bK1",
		   "Contact: \"Smith, Alice\" <sip:alice@192.168.1.10:5060>;expires=45" CRLF,
		   NULL, NULL, NULL }),
	  .expires = "45", .contacts = "sip:alice@192.168.1.10:5060=45" },

	{ .name = "a bare addr-spec contact: the URI without its params",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1",
		   "Contact: sip:alice@192.168.1.10:5060;expires=70" CRLF, NULL, NULL, NULL },
		 { 10, "200 OK", 1, "z9hG4bK1",
		   "Contact: sip:alice@192.168.1.10:5060;expires=70" CRLF, NULL, NULL, NULL }),
	  .expires = "70", .contacts = "sip:alice@192.168.1.10:5060=70" },

	{ .name = "challenged refresh stays REGISTERED",
	  RSTEPS({ 0, "REGISTER", 1, "z9hG4bK1", CONTACT AUTHZ, NULL, NULL, NULL },
		 { 10, "200 OK", 1, "z9hG4bK1", CONTACT, NULL, NULL, "REGISTERED" },
		 { 60000, "REGISTER", 2, "z9hG4bK2", CONTACT, NULL, NULL, "REGISTERED" },
		 { 60010, "401 Unauthorized", 2, "z9hG4bK2", CHAL, NULL, NULL, "REGISTERED" }),
	  .state = "REGISTERED", .challenges = "1", .successes = "1" },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		run_case(&cases[i]);
}

static void test_outcome_rule(void **state)
{
	(void)state;
	uint8_t run = 0;
	assert_int_equal(ss_reg_outcome(&run, 401, false, false, false, SS_CS_PENDING),
			 SS_CS_PENDING);
	assert_int_equal(ss_reg_outcome(&run, 407, false, false, false, SS_CS_PENDING),
			 SS_CS_PENDING);
	assert_int_equal(ss_reg_outcome(&run, 401, false, false, false, SS_CS_PENDING),
			 SS_CS_AUTH_FAILED);
	assert_int_equal(ss_reg_outcome(&run, 200, false, false, false, SS_CS_AUTH_FAILED),
			 SS_CS_REGISTERED);
	assert_int_equal(run, 0);
	assert_int_equal(ss_reg_outcome(&run, 200, false, false, true, SS_CS_REGISTERED),
			 SS_CS_UNREGISTERED);
	assert_int_equal(ss_reg_outcome(&run, 423, false, false, false, SS_CS_PENDING),
			 SS_CS_FAILED);
	assert_int_equal(ss_reg_outcome(&run, 403, false, false, false, SS_CS_REGISTERED),
			 SS_CS_AUTH_FAILED);
}

/* Many AoRs: the index grows and finds each. */
static void test_many_aors(void **state)
{
	(void)state;
	struct ss_corr *corr = ss_corr_new(0);
	char to[64], br[32];
	for (int i = 0; i < 500; i++) {
		snprintf(to, sizeof to, "<sip:user%d@example.com>", i);
		snprintf(br, sizeof br, "z9hG4bK%d", i);	/* not a retrans */
		struct rstep s = { i, "REGISTER", i + 1, br, CONTACT, NULL, to, NULL };
		feed(corr, &s, (uint64_t)i);
	}
	const struct ss_regs *r = ss_corr_regs(corr);
	assert_int_equal(ss_regs_count(r), 500);
	assert_non_null(ss_regs_find(r, "sip:user499@example.com"));
	assert_string_equal(ss_regs_at(r, 7)->aor, "sip:user7@example.com");
	assert_null(ss_regs_find(r, "sip:nobody@example.com"));
	assert_null(ss_regs_at(r, 500));
	ss_corr_free(corr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_outcome_rule),
		cmocka_unit_test(test_many_aors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
