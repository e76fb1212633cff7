/* match.c - see match.h. */
#include "match.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "xalloc.h"

struct ss_match {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	unsigned long limit_hits;
	bool jit;
};

/* PCRE2 allocates through its own malloc hook; a NULL from it is an
 * allocation failure, which the project policy makes fatal. */
static void *must(void *p, const char *what)
{
	if (!p) {
		fprintf(stderr, "sipscope: out of memory (%s)\n", what);
		abort();
	}
	return p;
}

/* Byte semantics (NEVER_UTF also rejects "(*UTF)" in the pattern, since
 * packet bytes are not guaranteed UTF-8); multi-line with CR, LF or CRLF
 * as line ends, see match.h. */
static uint32_t compile_options(unsigned flags)
{
	uint32_t o = PCRE2_NEVER_UTF | PCRE2_NEVER_UCP | PCRE2_MULTILINE;
	if (flags & SS_MATCH_ICASE)
		o |= PCRE2_CASELESS;
	return o;
}

static pcre2_code *compile(const char *pattern, unsigned flags, char *err,
			   size_t errlen)
{
	pcre2_compile_context *cc =
		must(pcre2_compile_context_create(NULL), "regex context");
	pcre2_set_newline(cc, PCRE2_NEWLINE_ANYCRLF);
	int ec;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern,
					 PCRE2_ZERO_TERMINATED,
					 compile_options(flags), &ec, &off, cc);
	pcre2_compile_context_free(cc);
	if (!code && errlen > 0) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(ec, msg, sizeof msg) < 0)
			snprintf((char *)msg, sizeof msg, "error %d", ec);
		snprintf(err, errlen, "bad regex '%s': %s at offset %zu",
			 pattern, (const char *)msg, (size_t)off);
	}
	return code;
}

struct ss_match *ss_match_new(const char *pattern, unsigned flags,
			      char *err, size_t errlen)
{
	pcre2_code *code = compile(pattern, flags, err, errlen);
	if (!code)
		return NULL;
	struct ss_match *m = xcalloc(1, sizeof *m);
	m->code = code;
	/* JIT is an optimisation only: on a platform or build without it,
	 * pcre2_match() silently uses the interpreter. */
	m->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
	m->md = must(pcre2_match_data_create_from_pattern(code, NULL),
		     "regex match data");
	m->mctx = must(pcre2_match_context_create(NULL), "regex context");
	pcre2_set_match_limit(m->mctx, SS_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, SS_MATCH_DEPTH_LIMIT);
	pcre2_set_heap_limit(m->mctx, SS_MATCH_HEAP_LIMIT_KIB);
	return m;
}

bool ss_match_text(struct ss_match *m, const char *p, size_t n)
{
	/* Older PCRE2 rejects a NULL subject even with length 0. */
	if (!p)
		p = "";
	int rc = pcre2_match(m->code, (PCRE2_SPTR)p, n, 0, 0, m->md,
			     m->mctx);
	if (rc >= 0)
		return true;
	if (rc != PCRE2_ERROR_NOMATCH)
		m->limit_hits++;	/* MATCHLIMIT, DEPTHLIMIT, HEAPLIMIT,
					 * JIT_STACKLIMIT, ... */
	return false;
}

unsigned long ss_match_limit_hits(const struct ss_match *m)
{
	return m->limit_hits;
}

bool ss_match_is_jit(const struct ss_match *m)
{
	return m->jit;
}

void ss_match_free(struct ss_match *m)
{
	if (!m)
		return;
	pcre2_match_context_free(m->mctx);
	pcre2_match_data_free(m->md);
	pcre2_code_free(m->code);
	free(m);
}
