/*
 * sip_frame.h - what the two halves of sip_parse() share: sip.c (the
 * general start line and header-line readers, framing, the reference
 * parser) and sip_dgram.c (the datagram path, which takes shortcuts for
 * the usual lines and falls back to sip.c's readers for anything else).
 * The small helpers both run per line or per message are static inline
 * here; sip_hdr.c takes the header-name shortcut from here too. Not an
 * API: only dissectors/sip*.c include it.
 */
#ifndef SS_SIP_FRAME_H
#define SS_SIP_FRAME_H

#include "sip_int.h"

#include <string.h>

/* WSP = SP / HTAB (RFC 3261 25.1); is_lws() (sip_int.h) also takes CR
 * and LF. */
static inline bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* Methods are case-sensitive (RFC 3261 7.1): "invite" is an extension.
 * An empty slice or one with non-token characters is no method at all
 * and maps to SIP_M_NONE. */
/* The method names by length, compared with constant-size memcmp()s the
 * compiler turns into a load or two; a known name is letters only, so
 * also a token. SIP_M_NONE when not one of them. */
static inline enum sip_method known_method(const char *p, size_t n)
{
#define IS(lit) (memcmp(p, lit, sizeof lit - 1) == 0)
	switch (n) {
	case 3:
		if (IS("ACK")) return SIP_M_ACK;
		if (IS("BYE")) return SIP_M_BYE;
		break;
	case 4: if (IS("INFO")) return SIP_M_INFO; break;
	case 5:
		if (IS("PRACK")) return SIP_M_PRACK;
		if (IS("REFER")) return SIP_M_REFER;
		break;
	case 6:
		if (IS("INVITE")) return SIP_M_INVITE;
		if (IS("CANCEL")) return SIP_M_CANCEL;
		if (IS("NOTIFY")) return SIP_M_NOTIFY;
		if (IS("UPDATE")) return SIP_M_UPDATE;
		break;
	case 7:
		if (IS("OPTIONS")) return SIP_M_OPTIONS;
		if (IS("PUBLISH")) return SIP_M_PUBLISH;
		if (IS("MESSAGE")) return SIP_M_MESSAGE;
		break;
	case 8: if (IS("REGISTER")) return SIP_M_REGISTER; break;
	case 9: if (IS("SUBSCRIBE")) return SIP_M_SUBSCRIBE; break;
	default: break;
	}
#undef IS
	return SIP_M_NONE;
}

/* Where the first SP is among p[0..16) (16 when none): the end of a known
 * method, the longest of which (SUBSCRIBE) has 9 letters. */
static inline size_t method_sp(const char *p)
{
#if defined(__SSE2__)
	unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
		_mm_loadu_si128((const void *)p), _mm_set1_epi8(' ')));
	return mask ? (size_t)__builtin_ctz(mask) : 16;
#else
	size_t i = 0;
	while (i < 16 && p[i] != ' ')
		i++;
	return i;
#endif
}

/* Where the colon is when it is among the first 16 bytes of l (where the
 * names sip_hdr_common() knows end); l.len otherwise. */
static inline size_t early_colon(ss_str l)
{
#if defined(__SSE2__)
	if (l.len >= 16) {
		__m128i x = _mm_loadu_si128((const void *)l.p);
		unsigned mask = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(x, _mm_set1_epi8(':')));
		return mask ? (size_t)__builtin_ctz(mask) : l.len;
	}
#endif
	const char *c = memchr(l.p, ':', l.len < 16 ? l.len : 16);
	return c ? (size_t)(c - l.p) : l.len;
}

/* early_colon() for a line with 16 bytes readable from its start up to
 * end (the end of its buffer): where the first colon of those 16 bytes
 * is, 16 when there is none. A result at or past l.len means no colon
 * early in the line, as l.len does from early_colon(). */
static inline size_t early_colon_in(ss_str l, const char *end)
{
#if defined(__SSE2__)
	if (end - l.p >= 16) {
		__m128i x = _mm_loadu_si128((const void *)l.p);
		return (size_t)__builtin_ctz((unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(x, _mm_set1_epi8(':'))) | 1u << 16);
	}
#else
	(void)end;
#endif
	return early_colon(l);
}

/* A header value without LWS at either end needs no trimming, which is
 * most of them; ss_str_trim() for the rest. */
static inline ss_str trim_value(ss_str v)
{
	if (v.len && v.p[0] != ' ' && v.p[0] != '\t' && v.p[0] != '\r' &&
	    v.p[0] != '\n') {
		char c = v.p[v.len - 1];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return v;
	}
	return ss_str_trim(v);
}

/* Folded little loads for common_name(): with lit a lower-case literal
 * and n a constant, the literal's side folds to a constant. */
static inline uint16_t fold2(const char *p)
{
	uint16_t w;
	memcpy(&w, p, 2);
	return (uint16_t)(w | 0x2020u);
}

static inline uint32_t fold4(const char *p)
{
	uint32_t w;
	memcpy(&w, p, 4);
	return w | 0x20202020u;
}

static inline uint64_t fold8(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w | UINT64_C(0x2020202020202020);
}

/* A case-insensitive match of p[0..n) against lit, a lower-case name of
 * letters and '-', for 2 <= n <= 16, by two overlapping loads a side:
 * x | 32 equals a letter's lower case exactly when x is that letter in
 * either case, and the only other byte that ORs to '-' is CR, which no
 * header name (nor any split line) holds. */
static inline bool name_is(const char *p, size_t n, const char *lit)
{
	if (n >= 8)
		return fold8(p) == fold8(lit) && fold8(p + n - 8) == fold8(lit + n - 8);
	if (n >= 4)
		return fold4(p) == fold4(lit) && fold4(p + n - 4) == fold4(lit + n - 4);
	return fold2(p) == fold2(lit) && fold2(p + n - 2) == fold2(lit + n - 2);
}

/* sip_hdr_common() (see sip_int.h), inline for the datagram path's
 * line loop where its SSE2 name table cannot serve (no SSE2, or fewer
 * than 16 bytes left in the datagram): there the call cost as much as
 * the compare. */
static inline enum sip_hdr_id common_name(const char *p, size_t n)
{
	switch (n) {
	case 2: if (name_is(p, 2, "to")) return SIP_H_TO; break;
	case 3: if (name_is(p, 3, "via")) return SIP_H_VIA; break;
	case 4:
		if (name_is(p, 4, "from")) return SIP_H_FROM;
		if (name_is(p, 4, "cseq")) return SIP_H_CSEQ;
		break;
	case 5: if (name_is(p, 5, "allow")) return SIP_H_ALLOW; break;
	case 6:
		if (name_is(p, 6, "server")) return SIP_H_SERVER;
		if (name_is(p, 6, "accept")) return SIP_H_ACCEPT;
		break;
	case 7:
		if (name_is(p, 7, "call-id")) return SIP_H_CALL_ID;
		if (name_is(p, 7, "contact")) return SIP_H_CONTACT;
		if (name_is(p, 7, "expires")) return SIP_H_EXPIRES;
		if (name_is(p, 7, "require")) return SIP_H_REQUIRE;
		break;
	case 9: if (name_is(p, 9, "supported")) return SIP_H_SUPPORTED; break;
	case 10: if (name_is(p, 10, "user-agent")) return SIP_H_USER_AGENT; break;
	case 12:
		if (name_is(p, 12, "max-forwards")) return SIP_H_MAX_FORWARDS;
		if (name_is(p, 12, "content-type")) return SIP_H_CONTENT_TYPE;
		break;
	case 13: if (name_is(p, 13, "authorization")) return SIP_H_AUTHORIZATION; break;
	case 14: if (name_is(p, 14, "content-length")) return SIP_H_CONTENT_LENGTH; break;
	case 15: if (name_is(p, 15, "session-expires")) return SIP_H_SESSION_EXPIRES; break;
	default: break;
	}
	return SIP_H__COUNT;
}

/* ---- sip.c's readers, for sip_dgram.c ---------------------------------- */

/* The start line: 0, or SIP_PARSE_MALFORMED with m->malformed set. fast:
 * the datagram path's shortcuts of sip_apply.c may be taken (the
 * reference parser passes false). */
long sip_start_line(struct sip_msg *m, ss_str l, bool fast);
/* A header line that is not "Known-Name: value": name, value and id of
 * *h, m flagged when the line breaks RFC 3261 7.3.1. */
void sip_header_line_general(struct sip_msg *m, struct sip_header *h,
			     ss_str l);
/* A continuation line (RFC 3261 7.3.1): the last header's value grows to
 * cover it; flagged when there is no header yet. */
void sip_fold_line(struct sip_msg *m, ss_str l);
/* Body and size once the header block is read (RFC 3261 18.3): the
 * message's size, or SIP_PARSE_PARTIAL. body_off counts from buf. */
long sip_frame_body(struct sip_msg *m, const char *buf, size_t len,
		    size_t body_off, enum sip_framing fr);

/* The header ids sip_msg_apply_fast() (sip_apply.c) has work for, with
 * the function there that does it: the one list from which sip_apply.c
 * builds its table by id and the datagram path the mask of ids it calls
 * sip_msg_apply_fast() for (any other id would return at once). All of
 * them below 64. */
#define SIP_FAST_APPLIED(X) \
	X(SIP_H_VIA, fast_via) X(SIP_H_FROM, fast_from) X(SIP_H_TO, fast_to) \
	X(SIP_H_CALL_ID, fast_call_id) X(SIP_H_CSEQ, fast_cseq) \
	X(SIP_H_CONTACT, fast_contact) \
	X(SIP_H_CONTENT_LENGTH, fast_content_length) \
	X(SIP_H_CONTENT_TYPE, fast_content_type) X(SIP_H_EXPIRES, fast_expires) \
	X(SIP_H_MAX_FORWARDS, fast_max_forwards) X(SIP_H_DATE, fast_general) \
	X(SIP_H_REASON, fast_general) X(SIP_H_X_CALL_ID, fast_general) \
	X(SIP_H_X_CID, fast_general) X(SIP_H_EVENT, fast_general) \
	X(SIP_H_REFER_TO, fast_general)
#define SIP_FAST_BIT_(id, fn) | UINT64_C(1) << (id)
#define SIP_FAST_APPLIED_IDS (UINT64_C(0) SIP_FAST_APPLIED(SIP_FAST_BIT_))

/* sip_dgram.c: a datagram whose first skip bytes were keep-alive CRLFs,
 * m as sip_parse() initialised it; sip_parse()'s result. */
long sip_parse_datagram(const char *buf, size_t len, size_t skip,
			struct sip_msg *m, size_t cap);

#endif
