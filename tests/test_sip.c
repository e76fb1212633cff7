/*
 * test_sip.c - unit tests for the SIP parser (dissectors/sip.c, sip_hdr.c).
 *
 * Every case is a row in a named table and every table has one runner
 * loop. Each input is copied with guard_copy() so its last byte is the
 * last readable one before a PROT_NONE page: a read past the input faults
 * at once, with or without ASan. Expected fields are strings; NULL means
 * "not checked", and numbers are compared in their decimal form.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "guard.h"
#include "sip.h"

#include "sip_msgs.h"

/* ---- the generic message case ----------------------------------------- */

struct mcase {
	const char *name;
	const char *in;
	size_t len;			/* 0: strlen(in) */
	enum sip_framing fr;		/* default: datagram */
	long ret;			/* 0: the whole input */
	const char *why;		/* NULL: no flag expected */
	const char *method, *mid, *uri, *ruri_user, *ruri_host, *ruri_port,
		*ruri_params, *version, *status, *phrase;
	const char *call_id, *xcid, *cseq;
	const char *from_disp, *from_uri, *from_user, *from_host, *from_port,
		*from_tag, *from_params, *to_disp, *to_uri, *to_tag, *contact,
		*contact_disp;
	const char *via_proto, *via_tr, *via_host, *via_port, *via_branch,
		*via_recv, *via_rport, *via_count;
	const char *expires, *maxfwd, *clen, *ctype, *body, *reason, *ua,
		*event, *refer_to, *nhdrs, *skipped, *size;
};

static const char *const mids[SIP_M__COUNT] = {
	"NONE", "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS",
	"PRACK", "SUBSCRIBE", "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE",
	"UPDATE", "EXTENSION",
};

static void chk(const struct mcase *c, const char *field, ss_str got,
		const char *want)
{
	if (!want)
		return;
	if (got.len == strlen(want) &&
	    (got.len == 0 || memcmp(got.p, want, got.len) == 0))
		return;
	fail_msg("%s: %s is \"%.*s\", expected \"%s\"", c->name, field,
		 (int)got.len, got.p ? got.p : "", want);
}

static void chki(const struct mcase *c, const char *field, long long got,
		 const char *want)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", got);
	chk(c, field, ss_str_make(b, strlen(b)), want);
}

static void chk_start(const struct mcase *c, const struct sip_msg *m)
{
	chk(c, "method", m->method_str, c->method);
	chk(c, "method id", ss_str_make(mids[m->method],
					strlen(mids[m->method])), c->mid);
	chk(c, "uri", m->uri, c->uri);
	chk(c, "ruri.user", m->ruri.user, c->ruri_user);
	chk(c, "ruri.host", m->ruri.host, c->ruri_host);
	chki(c, "ruri.port", m->ruri.port, c->ruri_port);
	chk(c, "ruri.params", m->ruri.params, c->ruri_params);
	chk(c, "version", m->version, c->version);
	chki(c, "status", m->status, c->status);
	chk(c, "reason phrase", m->reason_phrase, c->phrase);
}

static void chk_addr(const struct mcase *c, const struct sip_msg *m)
{
	char cseq[64];
	snprintf(cseq, sizeof cseq, "%u %.*s", m->cseq,
		 (int)m->cseq_method_str.len,
		 m->cseq_method_str.p ? m->cseq_method_str.p : "");
	chk(c, "Call-ID", m->call_id, c->call_id);
	chk(c, "X-Call-ID", m->x_call_id, c->xcid);
	chk(c, "CSeq", ss_str_make(cseq, strlen(cseq)), c->cseq);
	chk(c, "From display", m->from.display, c->from_disp);
	chk(c, "From uri", m->from.uri, c->from_uri);
	chk(c, "From user", m->from.user, c->from_user);
	chk(c, "From host", m->from.host, c->from_host);
	chki(c, "From port", m->from.port, c->from_port);
	chk(c, "From tag", m->from.tag, c->from_tag);
	chk(c, "From uri params", m->from.params, c->from_params);
	chk(c, "To display", m->to.display, c->to_disp);
	chk(c, "To uri", m->to.uri, c->to_uri);
	chk(c, "To tag", m->to.tag, c->to_tag);
	chk(c, "Contact", m->contact.uri, c->contact);
	chk(c, "Contact display", m->contact.display, c->contact_disp);
}

static void chk_via(const struct mcase *c, const struct sip_msg *m)
{
	chk(c, "Via protocol", m->via.protocol, c->via_proto);
	chk(c, "Via transport", m->via.transport, c->via_tr);
	chk(c, "Via host", m->via.host, c->via_host);
	chki(c, "Via port", m->via.port, c->via_port);
	chk(c, "Via branch", m->via.branch, c->via_branch);
	chk(c, "Via received", m->via.received, c->via_recv);
	chki(c, "Via rport", m->via.rport, c->via_rport);
	chki(c, "Via count", m->via_count, c->via_count);
}

static void chk_rest(const struct mcase *c, const struct sip_msg *m)
{
	chki(c, "Expires", m->expires, c->expires);
	chki(c, "Max-Forwards", m->max_forwards, c->maxfwd);
	chki(c, "Content-Length", m->content_length, c->clen);
	chk(c, "Content-Type", m->content_type, c->ctype);
	chk(c, "body", m->body, c->body);
	chk(c, "Reason", m->reason, c->reason);
	chk(c, "User-Agent", m->user_agent, c->ua);
	chk(c, "Event", m->event, c->event);
	chk(c, "Refer-To", m->refer_to, c->refer_to);
	chki(c, "nhdrs", (long long)m->nhdrs, c->nhdrs);
	chki(c, "skipped", (long long)m->skipped, c->skipped);
	chki(c, "size", (long long)m->size, c->size);
}

static void run_mcase(const struct mcase *c)
{
	size_t len = c->len ? c->len : strlen(c->in);
	struct guard g;
	const char *buf = guard_copy(&g, c->in, len);
	struct sip_header hdrs[32];
	struct sip_msg m;
	long r = sip_parse(buf, len, c->fr, &m, hdrs, 32);
	long want = c->ret ? c->ret : (long)len;
	if (r != want)
		fail_msg("%s: returned %ld, expected %ld (flag: %s)", c->name, r,
			 want, m.malformed ? m.malformed : "none");
	if (r > 0 || r == SIP_PARSE_MALFORMED) {
		if ((c->why == NULL) != (m.malformed == NULL) ||
		    (c->why && strcmp(c->why, m.malformed) != 0))
			fail_msg("%s: flagged \"%s\", expected \"%s\"", c->name,
				 m.malformed ? m.malformed : "(nothing)",
				 c->why ? c->why : "(nothing)");
	}
	if (r > 0) {
		assert_int_equal(m.size, (size_t)r);
		chk_start(c, &m);
		chk_addr(c, &m);
		chk_via(c, &m);
		chk_rest(c, &m);
	}
	guard_release(&g);
}

#define RUN_TABLE(t) do { \
	for (size_t i_ = 0; i_ < sizeof(t) / sizeof((t)[0]); i_++) \
		run_mcase(&(t)[i_]); \
} while (0)

/* ---- requests: every method ------------------------------------------- */

#define MROW(M) { .name = "method " M, .in = REQ(M, ""), .method = M, \
		  .mid = M, .cseq = "1 " M, .version = "SIP/2.0" }
static const struct mcase t_methods[] = {
	MROW("INVITE"), MROW("ACK"), MROW("BYE"), MROW("CANCEL"),
	MROW("REGISTER"), MROW("OPTIONS"), MROW("PRACK"), MROW("SUBSCRIBE"),
	MROW("NOTIFY"), MROW("PUBLISH"), MROW("INFO"), MROW("REFER"),
	MROW("MESSAGE"), MROW("UPDATE"),
	{ .name = "extension method", .in = REQ("FOOBAR", ""),
	  .method = "FOOBAR", .mid = "EXTENSION", .cseq = "1 FOOBAR" },
	/* methods are case-sensitive (RFC 3261 7.1) */
	{ .name = "lower-case invite is an extension", .in = REQ("invite", ""),
	  .method = "invite", .mid = "EXTENSION" },
	{ .name = "request-uri parts",
	  .in = "INVITE sip:bob:pw@[2001:db8::1]:5070;transport=tcp SIP/2.0" CRLF
		BASE "CSeq: 1 INVITE" CRLF "Content-Length: 0" CRLF CRLF,
	  .uri = "sip:bob:pw@[2001:db8::1]:5070;transport=tcp",
	  .ruri_user = "bob", .ruri_host = "[2001:db8::1]",
	  .ruri_port = "5070", .ruri_params = "transport=tcp" },
	{ .name = "tel request-uri",
	  .in = "INVITE tel:+15551234;phone-context=x SIP/2.0" CRLF BASE
		"CSeq: 1 INVITE" CRLF "Content-Length: 0" CRLF CRLF,
	  .ruri_user = "+15551234", .ruri_host = "" },
	{ .name = "version is case-insensitive",
	  .in = "OPTIONS sip:x@y sip/2.0" CRLF BASE "CSeq: 2 OPTIONS" CRLF
		"l: 0" CRLF CRLF, .version = "sip/2.0", .mid = "OPTIONS" },
};

/* ---- responses -------------------------------------------------------- */

static const struct mcase t_responses[] = {
	{ .name = "200 OK", .in = RESP("SIP/2.0 200 OK", "Server: pbx/1.0" CRLF),
	  .status = "200", .phrase = "OK", .mid = "NONE", .method = "",
	  .cseq = "1 INVITE", .ua = "pbx/1.0" },
	{ .name = "empty reason phrase", .in = RESP("SIP/2.0 100 ", ""),
	  .status = "100", .phrase = "" },
	{ .name = "no SP before empty phrase", .in = RESP("SIP/2.0 180", ""),
	  .status = "180", .phrase = "" },
	{ .name = "phrase with spaces",
	  .in = RESP("SIP/2.0 486 Busy Here", "Reason: Q.850;cause=17" CRLF),
	  .status = "486", .phrase = "Busy Here",
	  .reason = "Q.850;cause=17" },
	{ .name = "699 is in range", .in = RESP("SIP/2.0 699 Later", ""),
	  .status = "699" },
	{ .name = "response User-Agent when no Server",
	  .in = RESP("SIP/2.0 200 OK", "User-Agent: phone" CRLF), .ua = "phone" },
	{ .name = "response prefers Server",
	  .in = RESP("SIP/2.0 200 OK", "User-Agent: phone" CRLF "Server: sbc" CRLF),
	  .ua = "sbc" },
	{ .name = "request uses User-Agent, not Server",
	  .in = INV("Server: sbc" CRLF "User-Agent: phone" CRLF), .ua = "phone" },
	{ .name = "response CSeq method differs from nothing",
	  .in = "SIP/2.0 200 OK" CRLF BASE "CSeq: 7 BYE" CRLF "l: 0" CRLF CRLF,
	  .cseq = "7 BYE" },
};

/* ---- header fields: compact forms, folding, repetition ---------------- */

static const struct mcase t_headers[] = {
	{ .name = "compact forms",
	  .in = "INVITE sip:bob@example.com SIP/2.0" CRLF
		"v: SIP/2.0/TCP h.example.com;branch=z9hG4bKc" CRLF
		"f: <sip:a@example.com>;tag=ft" CRLF
		"t: <sip:b@example.com>;tag=tt" CRLF
		"i: compact@id" CRLF "CSeq: 3 INVITE" CRLF
		"m: <sip:a@10.0.0.1>" CRLF "c: application/sdp" CRLF
		"o: presence" CRLF "r: <sip:c@example.com>" CRLF
		"l: 5" CRLF CRLF "v=0" CRLF,
	  .via_tr = "TCP", .via_branch = "z9hG4bKc", .from_tag = "ft",
	  .to_tag = "tt", .call_id = "compact@id", .contact = "sip:a@10.0.0.1",
	  .ctype = "application/sdp", .event = "presence",
	  .refer_to = "<sip:c@example.com>", .clen = "5", .body = "v=0\r\n" },
	{ .name = "upper-case compact and mixed-case names",
	  .in = "OPTIONS sip:x@y SIP/2.0" CRLF
		"V: SIP/2.0/UDP h;branch=z9hG4bKu" CRLF
		"F: sip:a@b;tag=1" CRLF "T: sip:c@d" CRLF "I: up" CRLF
		"cSEQ: 4 OPTIONS" CRLF "mAX-fORWARDS: 0069" CRLF
		"EXPIRES: 60" CRLF "L: 0" CRLF CRLF,
	  .call_id = "up", .cseq = "4 OPTIONS", .maxfwd = "69", .expires = "60",
	  .from_tag = "1", .via_branch = "z9hG4bKu" },
	{ .name = "folding joins continuation lines",
	  .in = "INVITE sip:bob@example.com SIP/2.0" CRLF VIA FROM TO
		"Call-ID:" CRLF " folded@id" CRLF
		"CSeq: 0009" CRLF "\t INVITE" CRLF
		"Subject: one" CRLF " two" CRLF "Content-Length: 0" CRLF CRLF,
	  .call_id = "folded@id", .cseq = "9 INVITE", .nhdrs = "7" },
	{ .name = "space before colon",
	  .in = "INVITE sip:bob@example.com SIP/2.0" CRLF VIA FROM TO
		"Call-ID   : sp@id" CRLF "CSeq : 1 INVITE" CRLF
		"Content-Length   : 0" CRLF CRLF,
	  .call_id = "sp@id", .clen = "0" },
	{ .name = "repeated and comma-joined Via",
	  .in = "SIP/2.0 200 OK" CRLF
		"Via: SIP/2.0/UDP a.example.com;branch=z9hG4bKa, "
		"SIP/2.0/UDP b.example.com;x=\"q,uo\";branch=z9hG4bKb" CRLF
		"Via: SIP/2.0/TCP c.example.com;branch=z9hG4bKc" CRLF
		"v: SIP/2.0/UDP d, SIP/2.0/UDP e" CRLF
		FROM TO CID "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
	  .via_count = "5", .via_host = "a.example.com",
	  .via_branch = "z9hG4bKa" },
	{ .name = "Contact list: first value, commas in quotes and <>",
	  .in = INV("Contact: \"Doe, J\" <sip:j@h;a=1,2>;q=0.5, <sip:k@h>" CRLF
		    "Contact: <sip:l@h>" CRLF),
	  .contact = "sip:j@h;a=1,2", .contact_disp = "Doe, J" },
	{ .name = "Contact star", .in = REQ("REGISTER", "Contact: *" CRLF
					  "Expires: 0" CRLF),
	  .contact = "*", .expires = "0" },
	{ .name = "X-Call-ID", .in = INV("X-Call-ID: leg-a@x" CRLF),
	  .xcid = "leg-a@x" },
	{ .name = "X-CID", .in = INV("X-CID: leg-b" CRLF), .xcid = "leg-b" },
	{ .name = "misc single fields",
	  .in = INV("Max-Forwards: 70" CRLF "Expires: 4294967295" CRLF
		    "Reason: SIP;cause=200;text=\"x\"" CRLF "Event: refer" CRLF
		    "Refer-To: <sip:z@example.com>" CRLF
		    "User-Agent: softphone 1.0" CRLF
		    "Date: Sat, 13 Nov 2010 23:29:00 GMT" CRLF),
	  .maxfwd = "70", .expires = "4294967295",
	  .reason = "SIP;cause=200;text=\"x\"", .event = "refer",
	  .refer_to = "<sip:z@example.com>", .ua = "softphone 1.0" },
	{ .name = "absent values", .in = INV(""), .maxfwd = "-1",
	  .expires = "-1", .xcid = "", .ua = "", .via_rport = "-1" },
	{ .name = "bare LF line ends",
	  .in = "BYE sip:b@example.com SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bKl\n"
		"From: <sip:a@e>;tag=1\nTo: <sip:b@e>;tag=2\nCall-ID: lf\n"
		"CSeq: 2 BYE\nContent-Length: 2\n\nok",
	  .mid = "BYE", .to_tag = "2", .body = "ok", .call_id = "lf" },
	{ .name = "NUL and UTF-8 in header values are bytes",
	  .in = INV("Subject: a\0b \xc3\xa9" CRLF),
	  .len = sizeof(INV("Subject: a\0b \xc3\xa9" CRLF)) - 1,
	  .call_id = "c1@example.com" },
	{ .name = "CSeq 2^32-1", .in = RL("INVITE") BASE
		"CSeq: 4294967295 INVITE" CRLF "l: 0" CRLF CRLF,
	  .cseq = "4294967295 INVITE" },
};

/* ---- name-addr -------------------------------------------------------- */

#define WITH_FROM(f) RL("INVITE") VIA "From: " f CRLF TO CID \
	"CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF

static const struct mcase t_nameaddr[] = {
	{ .name = "quoted display with escapes",
	  .in = WITH_FROM("\"J Rosenberg \\\\\\\"\"   <sip:j@example.com>;tag=x"),
	  .from_disp = "J Rosenberg \\\\\\\"", .from_uri = "sip:j@example.com",
	  .from_tag = "x" },
	{ .name = "token display",
	  .in = WITH_FROM("Alice Smith <sip:alice@example.com:5062>;tag=t1"),
	  .from_disp = "Alice Smith", .from_user = "alice",
	  .from_host = "example.com", .from_port = "5062", .from_tag = "t1" },
	{ .name = "no display", .in = WITH_FROM("<sip:a@b>;tag=t2"),
	  .from_disp = "", .from_uri = "sip:a@b", .from_tag = "t2" },
	{ .name = "no LWS before <", .in = WITH_FROM("caller<sip:c@e>;tag=3"),
	  .from_disp = "caller", .from_uri = "sip:c@e", .from_tag = "3" },
	{ .name = "addr-spec: params are header params (20.10)",
	  .in = WITH_FROM("sip:a@example.com;user=phone;tag=9"),
	  .from_uri = "sip:a@example.com", .from_tag = "9",
	  .from_params = "" },
	{ .name = "URI params inside <> are not header params",
	  .in = WITH_FROM("<sip:a@example.com;user=phone;tag=no>;tag=yes"),
	  .from_uri = "sip:a@example.com;user=phone;tag=no",
	  .from_params = "user=phone;tag=no", .from_tag = "yes" },
	{ .name = "LWS around ; and =",
	  .in = WITH_FROM("<sip:a@b>" CRLF "  ;" CRLF "  tag = 98asjd8"),
	  .from_tag = "98asjd8" },
	{ .name = "quoted header param value",
	  .in = WITH_FROM("<sip:a@b>;x=\"a;b\";tag=q"), .from_tag = "q" },
	{ .name = "addr-spec with LWS before ;",
	  .in = WITH_FROM("sip:v@example.com ;   tag    = 1918"),
	  .from_uri = "sip:v@example.com", .from_tag = "1918" },
	{ .name = "unknown scheme is opaque",
	  .in = WITH_FROM("<http://www.example.com>;tag=h"),
	  .from_uri = "http://www.example.com", .from_host = "",
	  .from_tag = "h" },
	{ .name = "quoted display with UTF-8",
	  .in = WITH_FROM("\"\xd0\x98\xd0\xb2\" <sip:i@e>;tag=u"),
	  .from_disp = "\xd0\x98\xd0\xb2", .from_tag = "u" },
};

/* ---- Via -------------------------------------------------------------- */

#define WITH_VIA(v) RL("INVITE") "Via: " v CRLF FROM TO CID \
	"CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF

static const struct mcase t_via[] = {
	{ .name = "Via basic", .in = WITH_VIA("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK77"),
	  .via_proto = "SIP/2.0/UDP", .via_tr = "UDP", .via_host = "192.0.2.1",
	  .via_port = "5060", .via_branch = "z9hG4bK77", .via_rport = "-1",
	  .via_count = "1" },
	{ .name = "Via IPv6 with port",
	  .in = WITH_VIA("SIP/2.0/TCP [2001:db8::9:1]:6050;branch=z9hG4bKv6"),
	  .via_host = "[2001:db8::9:1]", .via_port = "6050", .via_tr = "TCP" },
	{ .name = "Via received with []",
	  .in = WITH_VIA("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKr"),
	  .via_recv = "[2001:db8::9:255]", .via_branch = "z9hG4bKr" },
	{ .name = "Via received without [] (RFC 5118 4.5)",
	  .in = WITH_VIA("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKs"),
	  .via_recv = "2001:db8::9:255", .via_branch = "z9hG4bKs" },
	{ .name = "Via rport without value",
	  .in = WITH_VIA("SIP/2.0/UDP h;rport;branch=z9hG4bKp"),
	  .via_rport = "0", .via_branch = "z9hG4bKp" },
	{ .name = "Via rport with value and received",
	  .in = WITH_VIA("SIP/2.0/UDP 10.0.0.1:5060;received=198.51.100.7;rport=61000;branch=z9hG4bKq"),
	  .via_rport = "61000", .via_recv = "198.51.100.7",
	  .via_host = "10.0.0.1" },
	{ .name = "Via with folded LWS in protocol",
	  .in = WITH_VIA("SIP  /   2.0" CRLF " /UDP" CRLF "    192.0.2.2;branch=390skdjuw"),
	  .via_tr = "UDP", .via_host = "192.0.2.2", .via_branch = "390skdjuw" },
	{ .name = "Via sent-by with LWS around :",
	  .in = WITH_VIA("SIP/2.0/TLS host.example.com : 5061 ; branch = z9hG4bKw"),
	  .via_tr = "TLS", .via_host = "host.example.com", .via_port = "5061",
	  .via_branch = "z9hG4bKw" },
	{ .name = "Via IPv4-mapped IPv6",
	  .in = WITH_VIA("SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbh19"),
	  .via_host = "[::ffff:192.0.2.10]", .via_port = "19823" },
};

/* ---- framing ---------------------------------------------------------- */

static const struct mcase t_framing[] = {
	{ .name = "datagram: body cut to Content-Length",
	  .in = INVNC("Content-Length: 5" CRLF) BODY5 "TRAILING",
	  .ret = (long)sizeof(INVNC("Content-Length: 5" CRLF) BODY5) - 1,
	  .body = BODY5, .clen = "5" },
	{ .name = "datagram: Content-Length 0 then junk (dblreq)",
	  .in = INVNC("Content-Length: 0" CRLF) CRLF "INVITE sip:x SIP/2.0" CRLF,
	  .ret = (long)sizeof(INVNC("Content-Length: 0" CRLF)) - 1, .body = "" },
	{ .name = "datagram: no Content-Length, body is the rest",
	  .in = INVNC("") BODY5, .body = BODY5, .clen = "-1" },
	{ .name = "stream: exact Content-Length", .fr = SIP_FRAME_STREAM,
	  .in = INVNC("Content-Length: 5" CRLF) BODY5, .body = BODY5 },
	{ .name = "stream: next message not consumed", .fr = SIP_FRAME_STREAM,
	  .in = INVNC("Content-Length: 5" CRLF) BODY5 "OPTIONS sip:x SIP/2.0",
	  .ret = (long)sizeof(INVNC("Content-Length: 5" CRLF) BODY5) - 1,
	  .body = BODY5 },
	{ .name = "stream: body incomplete", .fr = SIP_FRAME_STREAM,
	  .in = INVNC("Content-Length: 6" CRLF) BODY5, .ret = SIP_PARSE_PARTIAL },
	{ .name = "stream: head incomplete", .fr = SIP_FRAME_STREAM,
	  .in = RL("INVITE") VIA, .ret = SIP_PARSE_PARTIAL },
	{ .name = "stream: start line incomplete", .fr = SIP_FRAME_STREAM,
	  .in = "INVITE sip:bo", .ret = SIP_PARSE_PARTIAL },
	{ .name = "stream: status line incomplete", .fr = SIP_FRAME_STREAM,
	  .in = "SIP/2.", .ret = SIP_PARSE_PARTIAL },
	{ .name = "keep-alive CRLFs are skipped and counted",
	  .in = CRLF CRLF INV(""), .skipped = "4", .mid = "INVITE" },
	{ .name = "stream: keep-alive then message", .fr = SIP_FRAME_STREAM,
	  .in = CRLF CRLF "\n" INV(""), .skipped = "5", .mid = "INVITE" },
	{ .name = "stream: keep-alive only waits", .fr = SIP_FRAME_STREAM,
	  .in = CRLF CRLF, .ret = SIP_PARSE_PARTIAL },
	{ .name = "stream: empty buffer waits", .fr = SIP_FRAME_STREAM,
	  .in = "", .ret = SIP_PARSE_PARTIAL },
};

/* ---- every malformed-input path, with its reason ---------------------- */

#define MAL(n, input, reason) { .name = n, .in = input, .why = reason }
#define REJ(n, input, reason) { .name = n, .in = input, .why = reason, \
				.ret = SIP_PARSE_MALFORMED }
#define SREJ(n, input, reason) { .name = n, .in = input, .why = reason, \
				 .ret = SIP_PARSE_MALFORMED, \
				 .fr = SIP_FRAME_STREAM }

static const struct mcase t_malformed[] = {
	/* not SIP at all: rejected */
	REJ("HTTP request", "GET / HTTP/1.1" CRLF "Host: x" CRLF CRLF,
	    "bad request line"),
	REJ("SSDP NOTIFY", "NOTIFY * HTTP/1.1" CRLF "Host: 239.255.255.250:1900"
	    CRLF CRLF, "bad request line"),
	REJ("RTSP request", "OPTIONS rtsp://x RTSP/1.0" CRLF "CSeq: 1" CRLF CRLF,
	    "bad request line"),
	REJ("HTTP response", "HTTP/1.1 200 OK" CRLF CRLF, "bad request line"),
	REJ("binary", "\x01\x02\x03 \xff" CRLF CRLF, "bad request line"),
	REJ("method without SP", "INVITE" CRLF CRLF, "bad request line"),
	REJ("status without code", "SIP/2.0 OK" CRLF CRLF, "bad status line"),
	REJ("status code glued to phrase", "SIP/2.0 200OK" CRLF CRLF,
	    "bad status line"),
	REJ("keep-alive only datagram", CRLF CRLF, "keep-alive only"),
	{ .name = "empty datagram", .in = "", .ret = SIP_PARSE_MALFORMED,
	  .why = "empty message" },
	SREJ("stream: HTTP line complete", "GET / HTTP/1.1" CRLF "Ho",
	     "bad request line"),
	SREJ("stream: binary start", "\x16\x03\x01\x02", "bad request line"),

	/* start line, kept and flagged */
	MAL("double SP after method", "INVITE  sip:b@e SIP/2.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
	    "extra whitespace in request line"),
	MAL("double SP before version", "INVITE sip:b@e  SIP/2.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
	    "extra whitespace in request line"),
	MAL("trailing SP", "INVITE sip:b@e SIP/2.0  " CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
	    "trailing whitespace in request line"),
	MAL("LWS inside Request-URI", "INVITE sip:b@e; lr SIP/2.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
	    "Request-URI contains whitespace"),
	MAL("<> around Request-URI", "INVITE <sip:b@e> SIP/2.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "Request-URI enclosed in <>"),
	MAL("SIP/7.0 request", "INVITE sip:b@e SIP/7.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "unsupported SIP version"),
	MAL("SIP/3.0 response", RESP("SIP/3.0 200 OK", ""),
	    "unsupported SIP version"),
	MAL("garbage version", "INVITE sip:b@e SIP/2....." CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "unsupported SIP version"),
	MAL("no version", "INVITE sip:b@e" CRLF BASE "CSeq: 1 INVITE" CRLF
	    "l: 0" CRLF CRLF, "missing SIP version"),
	MAL("headers in Request-URI", "INVITE sip:b@e?Route=x SIP/2.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "headers in Request-URI"),
	MAL("Request-URI without scheme", "INVITE bob SIP/2.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "URI without scheme"),
	MAL("Request-URI without host", "INVITE sip: SIP/2.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "URI without host"),
	MAL("Request-URI bad port", "INVITE sip:b@e:99999 SIP/2.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "bad port in URI"),
	MAL("IPv6 without []", "INVITE sip:2001:db8::10 SIP/2.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
	    "IPv6 address not enclosed in []"),
	MAL("IPv6 three colons", "INVITE sip:u@[2001:db8:::192.0.2.1] SIP/2.0"
	    CRLF BASE "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
	    "invalid IPv6 reference"),
	MAL("IPv6 unclosed [", "INVITE sip:u@[2001:db8::1 SIP/2.0" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "invalid IPv6 reference"),
	MAL("status code 4 digits", RESP("SIP/2.0 4294967301 big", ""),
	    "status code out of range"),
	MAL("status code 099", RESP("SIP/2.0 099 low", ""),
	    "status code out of range"),
	MAL("status code 700", RESP("SIP/2.0 700 high", ""),
	    "status code out of range"),
	MAL("double SP in status line", RESP("SIP/2.0  200 OK", ""),
	    "extra whitespace in status line"),

	/* header lines */
	MAL("header without colon", INV("Foobar roobar" CRLF),
	    "header without colon"),
	MAL("invalid header name", INV("Bad Name: x" CRLF),
	    "invalid header name"),
	MAL("continuation after start line", RL("INVITE") " folded" CRLF BASE
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
	    "continuation line after start line"),
	{ .name = "NUL in reason phrase (fuzzed capture frame 108)",
	  .in = RESP("SIP/2.0 401 Unauthori%s\0", ""),
	  .len = sizeof(RESP("SIP/2.0 401 Unauthori%s\0", "")) - 1,
	  .why = "NUL byte in start line" },
	MAL("bare CR ends a line (fuzzed capture frame 247)",
	    "CANCEL sip:b@example.com SIP/2.0\r" BASE "CSeq: 1 CANCEL" CRLF
	    "l: 0" CRLF CRLF, "bare CR line end"),
	MAL("datagram head without blank line", RL("INVITE") BASE
	    "CSeq: 1 INVITE" CRLF "l: 0", "header block not terminated"),

	/* Content-Length */
	MAL("negative Content-Length", INVNC("Content-Length: -999" CRLF),
	    "negative Content-Length"),
	MAL("non-numeric Content-Length", INVNC("Content-Length: abc" CRLF),
	    "non-numeric Content-Length"),
	MAL("Content-Length out of range",
	    INVNC("Content-Length: 99999999999" CRLF),
	    "Content-Length out of range"),
	MAL("Content-Length exceeds datagram",
	    INVNC("Content-Length: 9999" CRLF) "short body",
	    "Content-Length exceeds datagram"),
	MAL("two Content-Length headers",
	    INVNC("Content-Length: 13" CRLF "l: 5" CRLF) "body",
	    "multiple Content-Length values"),
	MAL("comma-joined Content-Length", INVNC("Content-Length: 1, 2" CRLF),
	    "multiple Content-Length values"),
	{ .name = "stream: missing Content-Length", .fr = SIP_FRAME_STREAM,
	  .in = INVNC("") "rest", .ret = (long)sizeof(INVNC("")) - 1,
	  .why = "missing Content-Length on stream", .body = "" },
	{ .name = "stream: negative Content-Length is 0", .fr = SIP_FRAME_STREAM,
	  .in = INVNC("l: -1" CRLF) "x", .ret = (long)sizeof(INVNC("l: -1" CRLF)) - 1,
	  .why = "negative Content-Length" },

	/* CSeq */
	MAL("CSeq too big", RL("INVITE") BASE "CSeq: 4294967296 INVITE" CRLF
	    "l: 0" CRLF CRLF, "CSeq number out of range"),
	MAL("CSeq not a number", RL("INVITE") BASE "CSeq: x INVITE" CRLF
	    "l: 0" CRLF CRLF, "non-numeric CSeq"),
	MAL("CSeq without method", RL("INVITE") BASE "CSeq: 1" CRLF
	    "l: 0" CRLF CRLF, "bad CSeq"),
	MAL("CSeq with trailing junk", RL("INVITE") BASE "CSeq: 1 INVITE x" CRLF
	    "l: 0" CRLF CRLF, "bad CSeq"),
	MAL("CSeq method mismatch", RL("OPTIONS") BASE "CSeq: 8 INVITE" CRLF
	    "l: 0" CRLF CRLF, "CSeq method does not match request method"),
	MAL("CSeq method case differs", RL("INVITE") BASE "CSeq: 8 invite" CRLF
	    "l: 0" CRLF CRLF, "CSeq method does not match request method"),

	/* mandatory fields */
	MAL("missing Call-ID", RL("INVITE") VIA FROM TO "CSeq: 1 INVITE" CRLF
	    "l: 0" CRLF CRLF, "missing Call-ID"),
	MAL("missing CSeq", RL("INVITE") BASE "l: 0" CRLF CRLF, "missing CSeq"),
	MAL("missing From", RL("INVITE") VIA TO CID "CSeq: 1 INVITE" CRLF
	    "l: 0" CRLF CRLF, "missing From"),
	MAL("missing To", RL("INVITE") VIA FROM CID "CSeq: 1 INVITE" CRLF
	    "l: 0" CRLF CRLF, "missing To"),
	MAL("missing Via", RL("INVITE") FROM TO CID "CSeq: 1 INVITE" CRLF
	    "l: 0" CRLF CRLF, "missing Via"),
	MAL("two To headers", INV("To: <sip:other@example.net>" CRLF),
	    "multiple values in single-value header"),
	MAL("two values in one To", RL("INVITE") VIA FROM CID
	    "To: <sip:a@b>, <sip:c@d>" CRLF "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
	    "multiple values in single-value header"),
	MAL("two Call-IDs", INV("Call-ID: other" CRLF),
	    "multiple values in single-value header"),

	/* Call-ID */
	MAL("empty Call-ID", RL("INVITE") VIA FROM TO "Call-ID:" CRLF
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "empty Call-ID"),
	MAL("Call-ID with space", RL("INVITE") VIA FROM TO "Call-ID: a b" CRLF
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "whitespace in Call-ID"),
	MAL("Call-ID @host", RL("INVITE") VIA FROM TO "Call-ID: @h" CRLF
	    "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF, "empty word in Call-ID"),

	/* name-addr */
	MAL("unterminated quoted display",
	    WITH_FROM("\"Mr. J. User <sip:j@example.com>"),
	    "unterminated quoted string"),
	MAL("unterminated quote in Contact list",
	    INV("Contact: \"x <sip:a@b>" CRLF), "unterminated quoted string"),
	MAL("quoted display without <>", WITH_FROM("\"Bob\" sip:b@e"),
	    "quoted display name without <URI>"),
	MAL("comma in token display", WITH_FROM("Bell, Alexander <sip:a@b>;tag=4"),
	    "non-token character in display name"),
	MAL("missing >", WITH_FROM("<sip:a@b;tag=1"), "missing > after URI"),
	MAL("spaces inside <>", WITH_FROM("< sip:a@b >;tag=1"),
	    "whitespace in addr-spec"),
	MAL("space in addr-spec", WITH_FROM("sip:a @b;tag=1"),
	    "whitespace in addr-spec"),
	MAL("addr-spec with ? headers",
	    INV("Contact: sip:u@e?Route=%3Csip:x%3E" CRLF),
	    "URI with headers not enclosed in <>"),
	MAL("empty header parameter", WITH_FROM("<sip:a@b>;;tag=1"),
	    "empty header parameter"),
	MAL("empty tag", WITH_FROM("<sip:a@b>;tag="), "empty tag parameter"),
	MAL("two tags", WITH_FROM("<sip:a@b>;tag=1;tag=2"),
	    "duplicate tag parameter"),
	MAL("text after >", WITH_FROM("<sip:a@b> junk"),
	    "unexpected text after URI"),
	MAL("empty From", WITH_FROM(""), "empty name-addr"),
	MAL("From URI without scheme", WITH_FROM("<alice>;tag=1"),
	    "URI without scheme"),

	/* Via */
	MAL("Via without transport", WITH_VIA("SIP/2.0 h;branch=z9hG4bK1"),
	    "bad Via protocol"),
	MAL("Via without sent-by", WITH_VIA("SIP/2.0/UDP"),
	    "missing Via sent-by"),
	MAL("Via empty parameter", WITH_VIA("SIP/2.0/UDP 192.0.2.15;;,;,,"),
	    "empty Via parameter"),
	MAL("Via bad port", WITH_VIA("SIP/2.0/UDP h:70000;branch=z9hG4bK1"),
	    "bad Via port"),
	MAL("Via IPv6 without []", WITH_VIA("SIP/2.0/UDP 2001:db8::1;branch=b"),
	    "IPv6 address not enclosed in []"),
	MAL("Via bad IPv6", WITH_VIA("SIP/2.0/UDP [2001:db8:::1];branch=b"),
	    "invalid IPv6 reference"),
	MAL("Via bad received IPv6",
	    WITH_VIA("SIP/2.0/UDP h;received=[1:2:3];branch=b"),
	    "invalid IPv6 reference"),
	MAL("Via bad rport", WITH_VIA("SIP/2.0/UDP h;rport=abc;branch=b"),
	    "bad rport"),
	MAL("Via junk after sent-by", WITH_VIA("SIP/2.0/UDP h junk"),
	    "unexpected text in Via"),
	MAL("Via unterminated quote", WITH_VIA("SIP/2.0/UDP h;x=\"abc, SIP/2.0/UDP i"),
	    "unterminated quoted string"),

	/* scalars */
	MAL("Max-Forwards 300", INV("Max-Forwards: 300" CRLF),
	    "Max-Forwards out of range"),
	MAL("Max-Forwards text", INV("Max-Forwards: many" CRLF),
	    "non-numeric Max-Forwards"),
	MAL("Expires 2^32", INV("Expires: 4294967296" CRLF),
	    "Expires out of range"),
	MAL("Expires text", INV("Expires: Thu, 01 Dec 1994 16:00:00 GMT" CRLF),
	    "non-numeric Expires"),
	MAL("Date with EST", INV("Date: Fri, 01 Jan 2010 16:00:00 EST" CRLF),
	    "Date not in GMT"),

	/* the first reason found wins */
	MAL("start line beats headers", "INVITE  sip:b@e SIP/2.0" CRLF VIA FROM
	    TO "CSeq: 1 INVITE" CRLF "l: 0" CRLF CRLF,
	    "extra whitespace in request line"),
	/* the splitting's reasons (lines, the unterminated block, a bare
	 * CR) come before the values', whichever header is first */
	MAL("value error, then a line without colon",
	    INV("Max-Forwards: 300" CRLF "Bogus line" CRLF), "header without colon"),
	MAL("line without colon, then a value error",
	    INV("Bogus line" CRLF "Max-Forwards: 300" CRLF), "header without colon"),
	MAL("value error, then an invalid name",
	    INV("Expires: soon" CRLF "Bad Name: v" CRLF), "invalid header name"),
	MAL("invalid name, then a value error",
	    INV("Bad Name: v" CRLF "Expires: soon" CRLF), "invalid header name"),
	MAL("value error, then a bare CR",
	    INV("Max-Forwards: 300" CRLF "X-A: a\rX-B: b" CRLF), "bare CR line end"),
	MAL("bare CR, then a value error",
	    INV("X-A: a\rX-B: b" CRLF "Max-Forwards: 300" CRLF), "bare CR line end"),
	MAL("value error in an unterminated block",
	    RL("INVITE") BASE "CSeq: 1 INVITE" CRLF "Max-Forwards: 300" CRLF,
	    "header block not terminated"),
	MAL("fold after the start line, then a value error",
	    RL("INVITE") " folded" CRLF BASE "CSeq: 1 INVITE" CRLF
	    "Max-Forwards: 300" CRLF "l: 0" CRLF CRLF,
	    "continuation line after start line"),
	MAL("value error, then a folded bad value",
	    INV("Max-Forwards: 300" CRLF "Expires: 1" CRLF " x" CRLF),
	    "Max-Forwards out of range"),
	MAL("value error beats Content-Length past the datagram",
	    INVNC("Max-Forwards: 300" CRLF "Content-Length: 99" CRLF),
	    "Max-Forwards out of range"),
};

static void test_methods(void **s) { (void)s; RUN_TABLE(t_methods); }
static void test_responses(void **s) { (void)s; RUN_TABLE(t_responses); }
static void test_headers(void **s) { (void)s; RUN_TABLE(t_headers); }
static void test_nameaddr(void **s) { (void)s; RUN_TABLE(t_nameaddr); }
static void test_via(void **s) { (void)s; RUN_TABLE(t_via); }
static void test_malformed(void **s) { (void)s; RUN_TABLE(t_malformed); }

static void test_framing(void **s) { (void)s; RUN_TABLE(t_framing); }

/* ---- sip_looks_like --------------------------------------------------- */

static const struct { const char *name, *in; bool want; } t_looks[] = {
	{ "INVITE", "INVITE sip:b@e SIP/2.0\r\nVia: x\r\n", true },
	{ "extension method", "FOO sip:b@e SIP/2.0\r\n", true },
	{ "response", "SIP/2.0 200 OK\r\n", true },
	{ "response, empty phrase", "SIP/2.0 100 \r\n", true },
	{ "SIP/7.0 still SIP-like", "OPTIONS sip:t@e SIP/7.0\r\n", true },
	{ "SIP/7.0 response", "SIP/7.0 200 OK\r\n", true },
	{ "4-digit status", "SIP/2.0 4294967301 x\r\n", true },
	{ "keep-alive prefix", "\r\n\r\nBYE sip:b@e SIP/2.0\r\n", true },
	{ "bare LF", "ACK sip:b@e SIP/2.0\n", true },
	{ "trailing SP", "OPTIONS sip:b@e SIP/2.0  \r\n", true },
	{ "no line end yet", "REGISTER sip:e SIP/2.0", true },
	{ "HTTP request", "GET / HTTP/1.1\r\nHost: x\r\n", false },
	{ "HTTP response", "HTTP/1.1 200 OK\r\n", false },
	{ "SSDP NOTIFY", "NOTIFY * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\n", false },
	{ "SSDP M-SEARCH", "M-SEARCH * HTTP/1.1\r\n", false },
	{ "RTSP request", "OPTIONS rtsp://x RTSP/1.0\r\n", false },
	{ "RTSP response", "RTSP/1.0 200 OK\r\n", false },
	{ "junk before method", "DB\x01REGISTER sip:e SIP/2.0\r\n", false },
	{ "binary", "\x80\x00\x12\x34\x56\x78", false },
	{ "empty", "", false }, { "CRLF only", "\r\n\r\n", false },
	{ "no version", "INVITE sip:alan@jasomi.com\r\n", false },
	{ "two-digit status", "SIP/2.0 20 OK\r\n", false },
	{ "version without minor", "INVITE sip:b@e SIP/2.\r\n", false },
	{ "method only", "INVITE\r\n", false },
	{ "SP first", " INVITE sip:b@e SIP/2.0\r\n", false },
	{ "truncated status", "SIP/2.0 2", false },
};

static void test_looks_like(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof t_looks / sizeof t_looks[0]; i++) {
		size_t len = strlen(t_looks[i].in);
		struct guard g;
		const uint8_t *p = guard_copy(&g, t_looks[i].in, len);
		if (sip_looks_like(p, len) != t_looks[i].want)
			fail_msg("looks_like %s: expected %d", t_looks[i].name,
				 t_looks[i].want);
		guard_release(&g);
	}
}

/* ---- header names ----------------------------------------------------- */

static const struct { const char *name; enum sip_hdr_id id; } t_hnames[] = {
	{ "i", SIP_H_CALL_ID }, { "f", SIP_H_FROM }, { "t", SIP_H_TO },
	{ "m", SIP_H_CONTACT }, { "v", SIP_H_VIA },
	{ "l", SIP_H_CONTENT_LENGTH }, { "c", SIP_H_CONTENT_TYPE },
	{ "k", SIP_H_SUPPORTED }, { "s", SIP_H_SUBJECT },
	{ "e", SIP_H_CONTENT_ENCODING }, { "o", SIP_H_EVENT },
	{ "u", SIP_H_ALLOW_EVENTS }, { "r", SIP_H_REFER_TO },
	{ "b", SIP_H_REFERRED_BY }, { "x", SIP_H_SESSION_EXPIRES },
	{ "y", SIP_H_IDENTITY }, { "a", SIP_H_ACCEPT_CONTACT },
	{ "I", SIP_H_CALL_ID }, { "V", SIP_H_VIA }, { "L", SIP_H_CONTENT_LENGTH },
	{ "z", SIP_H_OTHER }, { "", SIP_H_OTHER },
	{ "Via", SIP_H_VIA }, { "vIA", SIP_H_VIA }, { "From", SIP_H_FROM },
	{ "To", SIP_H_TO }, { "call-id", SIP_H_CALL_ID }, { "CSeq", SIP_H_CSEQ },
	{ "CSEQ", SIP_H_CSEQ }, { "Contact", SIP_H_CONTACT },
	{ "Content-Length", SIP_H_CONTENT_LENGTH },
	{ "Content-Type", SIP_H_CONTENT_TYPE }, { "Expires", SIP_H_EXPIRES },
	{ "Max-Forwards", SIP_H_MAX_FORWARDS }, { "Reason", SIP_H_REASON },
	{ "User-Agent", SIP_H_USER_AGENT }, { "Server", SIP_H_SERVER },
	{ "X-Call-ID", SIP_H_X_CALL_ID }, { "x-cid", SIP_H_X_CID },
	{ "Route", SIP_H_ROUTE }, { "Record-Route", SIP_H_RECORD_ROUTE },
	{ "Event", SIP_H_EVENT }, { "Refer-To", SIP_H_REFER_TO },
	{ "Referred-By", SIP_H_REFERRED_BY },
	{ "Authorization", SIP_H_AUTHORIZATION },
	{ "Proxy-Authorization", SIP_H_PROXY_AUTHORIZATION },
	{ "WWW-Authenticate", SIP_H_WWW_AUTHENTICATE },
	{ "Proxy-Authenticate", SIP_H_PROXY_AUTHENTICATE },
	{ "Session-Expires", SIP_H_SESSION_EXPIRES }, { "Date", SIP_H_DATE },
	{ "Identity", SIP_H_IDENTITY }, { "Accept-Contact", SIP_H_ACCEPT_CONTACT },
	{ "P-Asserted-Identity", SIP_H_P_ASSERTED_IDENTITY },
	{ "C%6Fntact", SIP_H_OTHER }, { "Contacts", SIP_H_OTHER },
	{ "NewFangledHeader", SIP_H_OTHER },
	/* the names common_name() takes before the table, and near misses
	 * in each of its load positions */
	{ "tO", SIP_H_TO }, { "Tp", SIP_H_OTHER }, { "VIA", SIP_H_VIA },
	{ "Vi_", SIP_H_OTHER }, { "fROM", SIP_H_FROM }, { "Frox", SIP_H_OTHER },
	{ "cseQ", SIP_H_CSEQ }, { "CSe", SIP_H_OTHER }, { "Allow", SIP_H_ALLOW },
	{ "Allo", SIP_H_OTHER }, { "Alloww", SIP_H_OTHER },
	{ "CALL-ID", SIP_H_CALL_ID }, { "Call_ID", SIP_H_OTHER },
	{ "Contacx", SIP_H_OTHER }, { "eXPIRES", SIP_H_EXPIRES },
	{ "Supported", SIP_H_SUPPORTED }, { "Supporte.", SIP_H_OTHER },
	{ "user-AGENT", SIP_H_USER_AGENT }, { "User_Agent", SIP_H_OTHER },
	{ "max-forwardS", SIP_H_MAX_FORWARDS }, { "Max-Forward5", SIP_H_OTHER },
	{ "CONTENT-type", SIP_H_CONTENT_TYPE }, { "Xontent-Type", SIP_H_OTHER },
	{ "content-LENGTH", SIP_H_CONTENT_LENGTH },
	{ "Content-Lengtx", SIP_H_OTHER }, { "Content-Lenxth", SIP_H_OTHER },
	{ "Session-Expires", SIP_H_SESSION_EXPIRES },
	{ "Session-Expire", SIP_H_OTHER }, { "Sessiom-Expires", SIP_H_OTHER },
	{ "SERVER", SIP_H_SERVER }, { "Servet", SIP_H_OTHER },
	{ "accepT", SIP_H_ACCEPT }, { "Bccept", SIP_H_OTHER },
	{ "REQUIRE", SIP_H_REQUIRE }, { "Requir-", SIP_H_OTHER },
	{ "AUTHORIZATION", SIP_H_AUTHORIZATION },
	{ "Authorizatiom", SIP_H_OTHER }, { "Authprization", SIP_H_OTHER },
};

/* Parameter names and URI schemes are case-insensitive (RFC 3261 19.1.4,
 * 20.42), and a one-letter change is another name: through the fast
 * paths (sip_parse) and the general parsers (sip_parse_ref) alike. */
static void test_param_names_case(void **s)
{
	(void)s;
	static const struct {
		const char *in, *tag, *branch, *rport, *recv, *scheme;
	} t[] = {
		{ "To: <SIP:b@x>;TaG=t9" CRLF "Via: SIP/2.0/UDP h;BRANCH=z9hG4bKx;RPort;ReCeIvEd=1.2.3.4" CRLF,
		  "t9", "z9hG4bKx", "0", "1.2.3.4", "SIP" },
		{ "To: <sips:b@x>;tah=t9" CRLF "Via: SIP/2.0/UDP h;branci=z9hG4bKx;rporu=5;receivee=1.2.3.4" CRLF,
		  "", "", "-1", "", "sips" },
		{ "To: <sip:b@x>;tags=t9" CRLF "Via: SIP/2.0/UDP h;brancH=b;rport=5;rEceived=9.9.9.9" CRLF,
		  "", "b", "5", "9.9.9.9", "sip" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char buf[512];
		int n = snprintf(buf, sizeof buf, RL("OPTIONS") "From: <sip:a@x>;tag=1" CRLF
				 "%sCall-ID: c" CRLF "CSeq: 1 OPTIONS" CRLF CRLF, t[i].in);
		assert_true(n > 0 && (size_t)n < sizeof buf);
		for (int ref = 0; ref < 2; ref++) {
			struct sip_header h[16];
			struct sip_msg m;
			struct guard g;
			const char *p = guard_copy(&g, buf, (size_t)n);
			long r = (ref ? sip_parse_ref : sip_parse)(p, (size_t)n,
								   SIP_FRAME_DATAGRAM, &m, h, 16);
			assert_true(r > 0);
			char rp[16];
			snprintf(rp, sizeof rp, "%d", (int)m.via.rport);
			if (!ss_str_eq(m.to.tag, t[i].tag) ||
			    !ss_str_eq(m.via.branch, t[i].branch) ||
			    strcmp(rp, t[i].rport) != 0 ||
			    !ss_str_eq(m.via.received, t[i].recv) ||
			    !ss_str_eq(m.to.scheme, t[i].scheme))
				fail_msg("case %zu (%s): parameters read wrong", i,
					 ref ? "reference" : "fast");
			guard_release(&g);
		}
	}
}

static void test_hdr_lookup(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof t_hnames / sizeof t_hnames[0]; i++) {
		size_t len = strlen(t_hnames[i].name);
		struct guard g;
		const char *p = guard_copy(&g, t_hnames[i].name, len);
		if (sip_hdr_lookup(ss_str_make(p, len)) != t_hnames[i].id)
			fail_msg("header name \"%s\": wrong id", t_hnames[i].name);
		/* the token path (what sip_parse hands over) agrees */
		bool tok = true;
		for (size_t k = 0; k < len; k++)
			tok &= strchr("%_.!*+`'~-", p[k]) || isalnum((unsigned char)p[k]);
		if (tok && sip_hdr_lookup_token(ss_str_make(p, len)) != t_hnames[i].id)
			fail_msg("header name \"%s\": wrong id (token path)",
				 t_hnames[i].name);
		guard_release(&g);
	}
}

/* ---- method table ----------------------------------------------------- */

static void test_method_table(void **s)
{
	(void)s;
	for (int m = SIP_M_INVITE; m < SIP_M_EXTENSION; m++) {
		const char *n = sip_method_name((enum sip_method)m);
		assert_string_equal(n, mids[m]);
		assert_int_equal(sip_method_from(ss_str_make(n, strlen(n))), m);
	}
	assert_string_equal(sip_method_name(SIP_M_NONE), "");
	assert_string_equal(sip_method_name(SIP_M_EXTENSION), "");
	assert_int_equal(sip_method_from(SS_STR_NULL), SIP_M_NONE);
	assert_int_equal(sip_method_from(ss_str_make("IN VITE", 7)), SIP_M_NONE);
	assert_int_equal(sip_method_from(ss_str_make("INVITEX", 7)),
			 SIP_M_EXTENSION);
}

/* ---- IPv6 text form --------------------------------------------------- */

static const struct { const char *a; bool ok; } t_ipv6[] = {
	{ "2001:db8::10", true }, { "::", true }, { "::1", true }, { "1::", true },
	{ "::ffff:192.0.2.10", true }, { "2001:db8::192.0.2.1", true },
	{ "1:2:3:4:5:6:7:8", true },
	{ "1:2:3:4:5:6:192.0.2.1", true }, { "2001:db8::10:5070", true },
	{ "2001:db8:::192.0.2.1", false }, { "1:2:3:4:5:6:7", false },
	{ "1:2:3:4:5:6:7:8:9", false }, { "1::2::3", false },
	{ "12345::", false }, { "g::", false }, { "", false }, { ":", false },
	{ "1:", false }, { ":1", false }, { "::1.2.3", false },
	{ "::1.2.3.256", false }, { "1:2:3:4:5:6:7::8", false },
};

static void test_ipv6(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof t_ipv6 / sizeof t_ipv6[0]; i++) {
		size_t len = strlen(t_ipv6[i].a);
		struct guard g;
		const char *p = guard_copy(&g, t_ipv6[i].a, len);
		if (sip_ipv6_valid(ss_str_make(p, len)) != t_ipv6[i].ok)
			fail_msg("ipv6 \"%s\": expected %d", t_ipv6[i].a,
				 t_ipv6[i].ok);
		guard_release(&g);
	}
}

/* ---- direct calls: return values of the value parsers ----------------- */

static const struct {
	const char *name, *in;
	bool via, ok;		/* sip_parse_via or sip_parse_nameaddr */
	const char *why;
} t_direct[] = {
	{ "name-addr plain", "\"A\" <sip:a@b>;tag=1", false, true, NULL },
	{ "name-addr star", "*", false, true, NULL },
	{ "name-addr empty", "  ", false, false, "empty name-addr" },
	{ "name-addr unterminated", "\"A <sip:a@b>", false, false,
	  "unterminated quoted string" },
	{ "name-addr no >", "A <sip:a@b", false, false, "missing > after URI" },
	{ "name-addr quoted, no <", "\"A\" sip:a@b", false, false,
	  "quoted display name without <URI>" },
	{ "name-addr flagged but kept", "A, B <sip:a@b>", false, true,
	  "non-token character in display name" },
	{ "via plain", "SIP/2.0/UDP h:1;branch=z9hG4bKx", true, true, NULL },
	{ "via second value ignored", "SIP/2.0/UDP h, SIP/2.0/UDP", true, true,
	  NULL },
	{ "via no protocol", "h;branch=x", true, false, "bad Via protocol" },
	{ "via no host", "SIP/2.0/UDP ;branch=x", true, false,
	  "missing Via sent-by" },
	{ "via empty", "", true, false, "bad Via protocol" },
};

static void test_value_parsers(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof t_direct / sizeof t_direct[0]; i++) {
		size_t len = strlen(t_direct[i].in);
		struct guard g;
		ss_str v = ss_str_make(guard_copy(&g, t_direct[i].in, len), len);
		struct sip_nameaddr na;
		struct sip_via via;
		bool ok = t_direct[i].via ? sip_parse_via(v, &via)
					  : sip_parse_nameaddr(v, &na);
		bool present = t_direct[i].via ? via.present : na.present;
		const char *why = t_direct[i].via ? via.malformed : na.malformed;
		if (ok != t_direct[i].ok || ok != present)
			fail_msg("%s: returned %d", t_direct[i].name, ok);
		if ((why == NULL) != (t_direct[i].why == NULL) ||
		    (why && strcmp(why, t_direct[i].why) != 0))
			fail_msg("%s: flagged %s", t_direct[i].name,
				 why ? why : "nothing");
		guard_release(&g);
	}
}

/* ---- a 4 KB Call-ID comes back whole (sngrep CVE-2024-3119) ----------- */

static void test_long_call_id(void **s)
{
	(void)s;
	static const char head[] = "INVITE sip:b@e SIP/2.0\r\n" VIA FROM TO
				   "CSeq: 1 INVITE\r\nCall-ID: ";
	static const char tail[] = "\r\nContent-Length: 0\r\n\r\n";
	size_t idlen = 4096, hl = sizeof head - 1, tl = sizeof tail - 1;
	char *in = malloc(hl + idlen + tl);
	assert_non_null(in);
	memcpy(in, head, hl);
	for (size_t i = 0; i < idlen; i++)
		in[hl + i] = "abcdefghij0123456789"[i % 20];
	memcpy(in + hl + idlen, tail, tl);
	struct guard g;
	const char *p = guard_copy(&g, in, hl + idlen + tl);
	struct sip_header hdrs[16];
	struct sip_msg m;
	assert_int_equal(sip_parse(p, hl + idlen + tl, SIP_FRAME_DATAGRAM, &m,
				   hdrs, 16), (long)(hl + idlen + tl));
	assert_null(m.malformed);
	assert_int_equal(m.call_id.len, idlen);
	assert_ptr_equal(m.call_id.p, p + hl);
	assert_memory_equal(m.call_id.p, in + hl, idlen);
	guard_release(&g);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods),
		cmocka_unit_test(test_responses),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_nameaddr),
		cmocka_unit_test(test_via),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_hdr_lookup),
		cmocka_unit_test(test_param_names_case),
		cmocka_unit_test(test_method_table),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_value_parsers),
		cmocka_unit_test(test_long_call_id),
	};
	return cmocka_run_group_tests_name("sip", tests, NULL, NULL);
}
