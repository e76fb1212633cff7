/*
 * filter.h - the -f/--filter EXPR dialog filter language.
 *
 * An expression is compiled once into a small tree (regexes included) and
 * then evaluated against many dialogs. The filter knows nothing about the
 * dialog model: it reads attributes through a struct ss_filter_subject,
 * two getters the dialog layer implements.
 *
 * Grammar (keywords and field names are case-insensitive):
 *
 *	expr   := or
 *	or     := and { "or" and }
 *	and    := unary { "and" unary }
 *	unary  := "not" unary | "(" expr ")" | term
 *	term   := FIELD OP VALUE
 *	OP     := "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "~" | "!~"
 *	VALUE  := bare word | "double-quoted string"
 *
 * "and" binds tighter than "or": "a or b and c" is "a or (b and c)".
 * Spaces around operators are optional ("code>=400", "code >= 400"). A bare
 * VALUE runs to the next space, "(" or ")"; a value holding any of those
 * is quoted. Inside quotes \" is a quote, \\ a backslash, and any other
 * backslash is kept as is, so regexes need no double escaping ("\d+").
 *
 * Operators: on numeric fields = != < <= > >= compare numbers (VALUE must
 * be a decimal number, e.g. 30 or 1.5). On string fields only = and !=
 * compare, exactly, except method, state and transport which compare
 * ASCII case-insensitively. ~ and !~ are PCRE2 regex (un)matches, found
 * anywhere in the value (anchor with ^ and $), caseless on the
 * case-insensitive fields; on a numeric field they test its decimal text
 * (integers as digits, fractions with up to three decimals: "code~^4").
 *
 * A field the dialog does not have (no final response yet, no User-Agent,
 * ...) makes its term false, except != and !~ which are then true.
 *
 * Fields and what the getters must supply:
 *	method     string  initial request method (INVITE, REGISTER, ...)
 *	state      string  dialog state name (e.g. CALLING, REJECTED)
 *	code       number  final response code (alias final_code)
 *	from, to   string  From / To URI
 *	from_user, to_user  string  user part of the From / To URI
 *	callid     string  Call-ID (alias call_id)
 *	duration   number  call duration in seconds (fractions allowed)
 *	setup      number  setup time in ms (alias setup_ms)
 *	pdd        number  post-dial delay in ms (alias pdd_ms)
 *	msgs       number  number of SIP messages
 *	retrans    number  number of retransmissions
 *	transport  string  UDP, TCP, TLS, WS, WSS, ...
 *	src, dst   string  first message's source / destination "addr:port"
 *	ua         string  User-Agent (alias user_agent)
 *	reason     string  reason phrase of the final response
 *	x_callid   string  X-Call-ID / X-CID linking legs
 */
#ifndef SS_FILTER_H
#define SS_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "bytes.h"

enum ss_filter_field {
	SS_FF_METHOD,
	SS_FF_STATE,
	SS_FF_CODE,
	SS_FF_FROM,
	SS_FF_TO,
	SS_FF_FROM_USER,
	SS_FF_TO_USER,
	SS_FF_CALLID,
	SS_FF_DURATION,
	SS_FF_SETUP,
	SS_FF_PDD,
	SS_FF_MSGS,
	SS_FF_RETRANS,
	SS_FF_TRANSPORT,
	SS_FF_SRC,
	SS_FF_DST,
	SS_FF_UA,
	SS_FF_REASON,
	SS_FF_X_CALLID,
	SS_FF_COUNT
};

/* The thing being filtered, seen through two getters. Each returns false
 * when the attribute is absent; get_str is only asked for string fields
 * and get_num only for numeric ones (ss_filter_field_is_numeric). A NULL
 * getter means every such field is absent. get_str hands out a slice
 * (need not be NUL-terminated) that must stay valid until it returns to
 * ss_filter_match. */
struct ss_filter_subject {
	const void *obj;
	bool (*get_str)(const void *obj, enum ss_filter_field f, ss_str *out);
	bool (*get_num)(const void *obj, enum ss_filter_field f, double *out);
};

struct ss_filter;

/* Compile expr. Returns a filter owned by the caller (ss_filter_free), or
 * NULL with one precise message in err (NUL-terminated when errlen > 0),
 * giving the 1-based column of the problem, e.g.
 *	unknown field 'durtion' at column 1; did you mean 'duration'? (...)
 *	expected a value after '>=' at column 12
 * Allocation failure is fatal (xalloc policy). */
struct ss_filter *ss_filter_compile(const char *expr, char *err,
				    size_t errlen);

/* Evaluate f against subj. Pure apart from the regex scratch space and the
 * limit-hit counters, so one filter must not be used by two threads at
 * once. */
bool ss_filter_match(const struct ss_filter *f,
		     const struct ss_filter_subject *subj);

/* Regex runs cut short by a PCRE2 resource limit (counted as no match);
 * non-zero means the caller should warn. */
unsigned long ss_filter_limit_hits(const struct ss_filter *f);

/* Free f and its regexes; NULL is fine. */
void ss_filter_free(struct ss_filter *f);

/* Canonical lower-case name of a field ("duration"), for messages. */
const char *ss_filter_field_name(enum ss_filter_field f);
bool ss_filter_field_is_numeric(enum ss_filter_field f);

#endif
