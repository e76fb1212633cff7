/*
 * match.h - the -m/--match REGEX matcher (PCRE2, libpcre2-8).
 *
 * A pattern is compiled once (JIT-compiled when the library supports it)
 * and then run over many SIP messages. Subjects are unterminated slices of
 * packet bytes: they may hold NULs and invalid UTF-8, so the pattern works
 * on bytes (UTF mode is refused, even as "(*UTF)" inside the pattern);
 * caseless matching folds ASCII letters only.
 *
 * Multi-line by design: a SIP message is a block of CRLF-terminated lines,
 * so "^" and "$" match at the start and end of every line, "$" matches
 * before a CR LF, and "." never crosses a line end. "-m '^User-Agent: .*X'"
 * therefore does what it says.
 *
 * Every run is bounded (SS_MATCH_LIMIT, SS_MATCH_DEPTH_LIMIT,
 * SS_MATCH_HEAP_LIMIT_KIB) so a pathological pattern such as "(a+)+$" on a
 * hostile packet cannot hang the program: a run that hits a limit counts
 * as no match, and ss_match_limit_hits() tells the caller to warn.
 *
 * --invert is NOT handled here, on purpose: "a match selects the whole
 * dialog", so inversion belongs to the dialog, not to one message. Inverting
 * per message would select nearly every dialog (any message that does not
 * match would do). The caller computes, per dialog,
 *	selected = (some message matched) != invert
 * ss_match_text() reports the raw, uninverted result.
 *
 * A struct ss_match owns a match-data block reused by every call, so one
 * instance must not be used from two threads at once.
 */
#ifndef SS_MATCH_H
#define SS_MATCH_H

#include <stdbool.h>
#include <stddef.h>

/* Resource limits for one run (see pcre2_set_match_limit(3) etc.). */
#define SS_MATCH_LIMIT 1000000u
#define SS_MATCH_DEPTH_LIMIT 100000u
#define SS_MATCH_HEAP_LIMIT_KIB 16384u

/* Compile flags. */
enum {
	SS_MATCH_ICASE = 1u << 0,	/* -I: ASCII case-insensitive */
};

struct ss_match;

/* Compile pattern (NUL-terminated) with SS_MATCH_* flags. Returns a new
 * matcher owned by the caller (free with ss_match_free), or NULL with a
 * message in err (always NUL-terminated when errlen > 0), e.g.
 *	bad regex 'x(': missing closing parenthesis at offset 2
 * Allocation failure is fatal (xalloc policy). */
struct ss_match *ss_match_new(const char *pattern, unsigned flags,
			      char *err, size_t errlen);

/* Does the pattern match anywhere in the n bytes at p? p need not be
 * NUL-terminated and may be NULL when n is 0. A run that hits a resource
 * limit returns false and increments the limit-hit counter. */
bool ss_match_text(struct ss_match *m, const char *p, size_t n);

/* Number of runs abandoned at a resource limit (or on any other PCRE2
 * run-time error) since ss_match_new. Non-zero means some results are
 * "no match" only because the search was cut short: warn the user. */
unsigned long ss_match_limit_hits(const struct ss_match *m);

/* True when the pattern was JIT-compiled (informational, for -v). */
bool ss_match_is_jit(const struct ss_match *m);

/* Free m and everything it owns; NULL is fine. */
void ss_match_free(struct ss_match *m);

#endif
