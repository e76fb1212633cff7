/*
 * sip.h - zero-copy SIP message parser (RFC 3261 section 7 and 25).
 *
 * Contract modelled on picohttpparser: input is (buf, len); every output is
 * a slice into buf; the caller owns the header array and passes its
 * capacity; nothing is allocated and buf needs no NUL terminator. A message
 * that parses but breaks the grammar is still returned whole, with
 * msg->malformed set to a short static reason: sipscope shows bad messages,
 * it never drops or clips them.
 */
#ifndef SS_SIP_H
#define SS_SIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

enum sip_method {
	SIP_M_NONE = 0,		/* a response */
	SIP_M_INVITE,
	SIP_M_ACK,
	SIP_M_BYE,
	SIP_M_CANCEL,
	SIP_M_REGISTER,
	SIP_M_OPTIONS,
	SIP_M_PRACK,
	SIP_M_SUBSCRIBE,
	SIP_M_NOTIFY,
	SIP_M_PUBLISH,
	SIP_M_INFO,
	SIP_M_REFER,
	SIP_M_MESSAGE,
	SIP_M_UPDATE,
	SIP_M_EXTENSION,	/* a valid token we do not know */
	SIP_M__COUNT
};

/* Canonical name of a known method; "" for NONE/EXTENSION. */
const char *sip_method_name(enum sip_method m);
/* Map a method token (case-sensitive, RFC 3261 7.1) to its enum. */
enum sip_method sip_method_from(ss_str tok);

enum sip_hdr_id {
	SIP_H_OTHER = 0,
	SIP_H_VIA, SIP_H_FROM, SIP_H_TO, SIP_H_CALL_ID, SIP_H_CSEQ,
	SIP_H_CONTACT, SIP_H_CONTENT_LENGTH, SIP_H_CONTENT_TYPE,
	SIP_H_CONTENT_ENCODING, SIP_H_EXPIRES, SIP_H_MAX_FORWARDS,
	SIP_H_REASON, SIP_H_USER_AGENT, SIP_H_SERVER, SIP_H_X_CALL_ID,
	SIP_H_X_CID, SIP_H_ROUTE, SIP_H_RECORD_ROUTE, SIP_H_EVENT,
	SIP_H_REFER_TO, SIP_H_REFERRED_BY, SIP_H_AUTHORIZATION,
	SIP_H_PROXY_AUTHORIZATION, SIP_H_WWW_AUTHENTICATE,
	SIP_H_PROXY_AUTHENTICATE, SIP_H_SUBJECT, SIP_H_SUPPORTED,
	SIP_H_ALLOW_EVENTS, SIP_H_SESSION_EXPIRES, SIP_H_ACCEPT,
	SIP_H_REQUIRE, SIP_H_DATE,
	/* added after the first cut; appended so earlier values keep theirs */
	SIP_H_IDENTITY, SIP_H_ACCEPT_CONTACT, SIP_H_REJECT_CONTACT,
	SIP_H_REQUEST_DISPOSITION, SIP_H_IDENTITY_INFO, SIP_H_ALLOW,
	SIP_H_PROXY_REQUIRE, SIP_H_UNSUPPORTED, SIP_H_RETRY_AFTER,
	SIP_H_WARNING, SIP_H_RSEQ, SIP_H_RACK, SIP_H_PATH,
	SIP_H_SUBSCRIPTION_STATE, SIP_H_MIN_EXPIRES,
	SIP_H_P_ASSERTED_IDENTITY, SIP_H_P_PREFERRED_IDENTITY,
	SIP_H_PRIVACY, SIP_H_DIVERSION, SIP_H_REPLACES,
	SIP_H_CONTENT_DISPOSITION, SIP_H_AUTHENTICATION_INFO,
	SIP_H_ACCEPT_ENCODING, SIP_H_ACCEPT_LANGUAGE,
	SIP_H_CONTENT_LANGUAGE, SIP_H_ALERT_INFO, SIP_H_CALL_INFO,
	SIP_H_ERROR_INFO, SIP_H_IN_REPLY_TO, SIP_H_MIME_VERSION,
	SIP_H_MIN_SE, SIP_H_ORGANIZATION, SIP_H_PRIORITY, SIP_H_REPLY_TO,
	SIP_H_TIMESTAMP,
	SIP_H__COUNT
};

/* Resolve a header name, long or compact form (i f t m v l c k s e o u r
 * b x y a), case-insensitively. */
enum sip_hdr_id sip_hdr_lookup(ss_str name);
/* The same for a name of token characters only (faster). */
enum sip_hdr_id sip_hdr_lookup_token(ss_str name);

struct sip_header {
	ss_str name;		/* as written */
	ss_str value;		/* trimmed; may contain folded CRLF+WSP */
	enum sip_hdr_id id;
};

/* name-addr / addr-spec (RFC 3261 20.10, 25.1). */
struct sip_nameaddr {
	ss_str display;		/* without quotes; empty if absent */
	ss_str uri;		/* the URI inside <> or the bare addr-spec */
	ss_str scheme;		/* "sip", "sips", "tel", ... */
	ss_str user;		/* userinfo user part, before ':' or '@' */
	ss_str host;		/* hostport host (IPv6 keeps its brackets) */
	ss_str tag;		/* the tag= header parameter, if any */
	uint16_t port;		/* 0 when absent */
	bool present;
	ss_str params;		/* SIP URI: uri-parameters, without the first ';' */
	ss_str headers;		/* SIP URI: the part after '?', empty if none */
	const char *malformed;	/* NULL, or why the value breaks 20.10/25.1 */
};

/* The topmost Via (RFC 3261 20.42, RFC 3581 rport). */
struct sip_via {
	ss_str protocol;	/* "SIP/2.0/UDP" */
	ss_str transport;	/* "UDP", "TCP", ... */
	ss_str host;
	ss_str branch;
	ss_str received;
	uint16_t port;		/* 0 when absent */
	int32_t rport;		/* -1 absent, 0 present without value */
	bool present;
	const char *malformed;	/* NULL, or why the value breaks 20.42 */
};

struct sip_msg {
	/* start line */
	bool is_request;
	enum sip_method method;	/* SIP_M_NONE for responses */
	ss_str method_str;	/* the token as written */
	ss_str uri;
	struct sip_nameaddr ruri;	/* uri split into scheme/user/host/port
					 * (display and tag stay empty) */
	ss_str version;		/* "SIP/2.0" */
	int status;		/* responses: 100..699; 0 for requests */
	ss_str reason_phrase;

	struct sip_header *hdrs;	/* the caller's array */
	size_t nhdrs;

	/* key fields, resolved from the headers */
	ss_str call_id;
	ss_str x_call_id;	/* X-Call-ID or X-CID */
	uint32_t cseq;
	bool cseq_present;
	enum sip_method cseq_method;
	ss_str cseq_method_str;
	struct sip_nameaddr from, to, contact;
	struct sip_via via;	/* topmost */
	unsigned via_count;	/* Via values, counting comma-joined ones */
	int64_t expires;	/* -1 when absent */
	int max_forwards;	/* -1 when absent */
	int64_t content_length;	/* -1 when absent or unreadable; the
				 * first value when repeated */
	bool content_length_bad; /* present but unusable for framing
				 * (negative, non-numeric, repeated) */
	ss_str content_type;
	ss_str reason;		/* Reason header */
	ss_str user_agent;	/* User-Agent, or Server in a response */
	ss_str event;
	ss_str refer_to;

	ss_str head;		/* start line + headers + blank line */
	ss_str body;
	size_t size;		/* bytes of this message in buf, counting
				 * the skipped keep-alive CRLFs */
	size_t skipped;		/* leading CRLF keep-alive bytes */
	const char *malformed;	/* NULL, or a short static reason */
	/* the hint sip_parse_hinted() was given; NULL for none */
	const struct sip_parse_hint *hint;
};

/* Return codes besides a positive byte count. */
#define SIP_PARSE_MALFORMED  (-1)	/* not parseable as SIP at all */
#define SIP_PARSE_PARTIAL    (-2)	/* need more bytes (stream) */
#define SIP_PARSE_TOO_MANY   (-3)	/* header array too small */

enum sip_framing {
	SIP_FRAME_DATAGRAM,	/* UDP/SCTP: one message per buffer; bytes
				 * past Content-Length are ignored (18.3) */
	SIP_FRAME_STREAM,	/* TCP/TLS: Content-Length decides where the
				 * message ends; bytes not there yet mean
				 * partial; no Content-Length counts as 0
				 * and is flagged (see below) */
};

/*
 * Framing decisions (RFC 3261 18.3):
 * - DATAGRAM: the message ends at Content-Length when that is smaller than
 *   what the datagram holds (the rest is ignored, size says where it
 *   stopped); a larger Content-Length keeps the whole remaining body and
 *   flags "Content-Length exceeds datagram"; without a usable
 *   Content-Length the body is the rest of the datagram. A header block
 *   without its blank line is kept and flagged "header block not
 *   terminated". A datagram of nothing but CRLFs is a keep-alive: it
 *   returns SIP_PARSE_MALFORMED with malformed "keep-alive only" and
 *   skipped == len.
 * - STREAM: an incomplete header block or body is SIP_PARSE_PARTIAL (so is
 *   a buffer of nothing but CRLFs: they are counted with the next message).
 *   A missing Content-Length is taken as 0, which is what the sender must
 *   have meant if the stream is to stay framed, and the message is flagged
 *   "missing Content-Length on stream"; a negative or non-numeric one is
 *   taken as 0 too (flagged with its own reason); repeated values use the
 *   first. A first line that already shows it is not SIP (HTTP, RTSP,
 *   binary) is SIP_PARSE_MALFORMED at once, not PARTIAL, so a non-SIP flow
 *   is not buffered. On PARTIAL the fields of *msg are unspecified.
 *
 * Parse the message starting at buf. Returns the number of bytes the
 * message occupies (> 0), or one of the SIP_PARSE_* codes. Leading CRLFs
 * (keep-alives, RFC 5626 3.5.1) are skipped and counted in the return value.
 *
 * On success every field of *msg is set; when the message breaks the
 * grammar in a way we can still show (bad Content-Length, missing Call-ID,
 * CSeq method mismatch, ...) msg->malformed says why. With
 * SIP_PARSE_MALFORMED msg->malformed says why too. hdrs[0..cap) is caller
 * storage; SIP_PARSE_TOO_MANY means retry with a larger array.
 */
long sip_parse(const char *buf, size_t len, enum sip_framing framing,
	       struct sip_msg *msg, struct sip_header *hdrs, size_t cap);

/*
 * A datagram's Call-ID handed to the caller as soon as its header is
 * read, before the headers after it: a caller about to look the Call-ID
 * up (the correlator, see ss_corr_prefetch) starts fetching what the
 * lookup will read while the parse goes on, instead of waiting for it
 * afterwards. A hint only: call_id must not change what the caller
 * computes from the message, and must not keep the pointer. It may be
 * given a value the parse then flags, or not be called at all (stream
 * framings, unusual messages).
 */
struct sip_parse_hint {
	void (*call_id)(void *user, const char *p, size_t n);
	void *user;
};

/* sip_parse() with a hint (NULL: none); the results are sip_parse()'s. */
long sip_parse_hinted(const char *buf, size_t len, enum sip_framing framing,
		      struct sip_msg *msg, struct sip_header *hdrs, size_t cap,
		      const struct sip_parse_hint *hint);

/* The reference parser: the same contract and results as sip_parse(),
 * by the straightforward route (the header block found first, then split,
 * then every value read by the general parsers). sip_parse() takes
 * shortcuts for datagrams and the usual shapes of From, To, Contact and
 * Via; tests compare the two field by field. Slower; for tests. */
long sip_parse_ref(const char *buf, size_t len, enum sip_framing framing,
		   struct sip_msg *msg, struct sip_header *hdrs, size_t cap);

/* Cheap test used for port-independent detection: does buf start with a
 * SIP request line or status line? Rejects HTTP, SSDP (HTTPU) and RTSP on
 * any port. Reads at most the first line. */
bool sip_looks_like(const uint8_t *buf, size_t len);

/* Parse a name-addr or addr-spec value (From, To, Contact, Refer-To). */
bool sip_parse_nameaddr(ss_str value, struct sip_nameaddr *out);
/* The same result as sip_parse_nameaddr(), by sip_parse()'s fast path
 * when the value has the usual shape (tests/test_sip_fast.c compares
 * the two); for callers outside the parser that read a name-addr per
 * message, such as the registration code's Contact list. */
bool sip_read_nameaddr(ss_str value, struct sip_nameaddr *out);
/* Parse the first via-parm of a Via value. */
bool sip_parse_via(ss_str value, struct sip_via *out);
/* Find the first header with this id; NULL when absent. */
const struct sip_header *sip_find(const struct sip_msg *m, enum sip_hdr_id id);

/* Split a URI (no <>) into out->scheme/user/host/port/params/headers and
 * set out->uri. Only sip: and sips: are split past the scheme (tel: gets
 * its number in user); other schemes are opaque (RFC 4475 3.3.2). Returns
 * NULL, or a static reason the URI is malformed; what could be read is
 * still filled in. Touches no other field of *out. */
const char *sip_parse_uri(ss_str uri, struct sip_nameaddr *out);
/* RFC 3261 25.1 token character (method names, header names, params). */
bool sip_token_char(unsigned char c);
/* An IPv6 address in text form (RFC 4291 2.2), without brackets. */
bool sip_ipv6_valid(ss_str addr);

/*
 * Internal to sip.c and sip_hdr.c (the start line and framing live in one
 * file, the header fields in the other); not for other callers.
 * sip_msg_apply fills the key fields of m from m->hdrs[idx] (hdrs[0..idx)
 * already applied, values already trimmed); sip_msg_finish checks the
 * mandatory header fields (RFC 3261 8.1.1) once all are applied.
 */
void sip_msg_apply(struct sip_msg *m, size_t idx);
void sip_msg_finish(struct sip_msg *m);
/* The same, told whether a header with the same id came before (rep),
 * and, for finish, which ids were seen (a bit per id) and the first
 * User-Agent and Server; values of the usual shapes take a fast path. */
void sip_msg_apply_fast(struct sip_msg *m, size_t idx, bool rep);
void sip_msg_finish_fast(struct sip_msg *m, const uint64_t seen[2],
			 const struct sip_header *ua,
			 const struct sip_header *srv);

/* Record why a message breaks the grammar; the first reason found wins
 * (start line, then header fields in order, then framing, then missing
 * mandatory fields). */
static inline void sip_msg_flag(struct sip_msg *m, const char *why)
{
	if (!m->malformed && why)
		m->malformed = why;
}

#endif
