/*
 * protos_run.c - run the PROTOS c07-sip INVITE cases through sip_parse.
 *   protos_run DIR
 *
 * DIR holds the extracted cases (0000000 .. 0004526). Each file is a
 * PROTOS template (PROTOS_README.txt in the corpus): "<decimal length> "
 * and that many bytes of INVITE, then the same again for the teardown
 * request. The placeholders (<To>, <From>, <From-Address>, <From-IP>,
 * <Local-Port>, <Call-ID>, <CSeq>, <Branch-ID>, <Content-Length>,
 * <Teardown-Method>: all that occur in the 4527 files) are replaced by
 * plausible values into a heap buffer of exactly the right size, and each
 * message is parsed with datagram framing and, INVITE and teardown back
 * to back, with stream framing, every input ending at a guard page.
 *
 * The cases are meant to break parsers, so the only hard requirements are
 * no crash (ASan/UBSan abort the run), all 4527 cases run, and the valid
 * baseline 0000000 parses as an INVITE without a flag. Exit 0 then, 1
 * otherwise.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "sip.h"

#define PROTOS_CASES 4527

struct var {
	const char *name;
	const char *val;
};

/* Replace every placeholder of vars in t[0..n); writes to out when not
 * NULL and returns the length of the result either way. */
static size_t subst(const char *t, size_t n, const struct var *vars,
		    size_t nvars, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		size_t k = nvars;
		if (t[i] == '<')
			for (k = 0; k < nvars; k++) {
				size_t l = strlen(vars[k].name);
				if (l <= n - i && memcmp(t + i, vars[k].name, l) == 0)
					break;
			}
		if (k < nvars) {
			size_t l = strlen(vars[k].val);
			if (out)
				memcpy(out + o, vars[k].val, l);
			o += l;
			i += strlen(vars[k].name);
		} else {
			if (out)
				out[o] = t[i];
			o++;
			i++;
		}
	}
	return o;
}

static char *subst_alloc(const char *t, size_t n, const struct var *vars,
			 size_t nvars, size_t *outlen)
{
	*outlen = subst(t, n, vars, nvars, NULL);
	char *out = malloc(*outlen ? *outlen : 1);
	if (!out) {
		perror("protos_run: malloc");
		exit(1);
	}
	subst(t, n, vars, nvars, out);
	return out;
}

/* Bytes after the first blank line (CRLF CRLF), 0 without one. */
static size_t body_len(const char *p, size_t n)
{
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(p + i, "\r\n\r\n", 4) == 0)
			return n - i - 4;
	return 0;
}

/* One "<len> <bytes>" part at *off; a broken prefix takes the rest. */
static void next_part(const char *f, size_t n, size_t *off, const char **p,
		      size_t *len)
{
	size_t i = *off, v = 0;
	while (i < n && f[i] >= '0' && f[i] <= '9' && v < n)
		v = v * 10 + (size_t)(f[i++] - '0');
	if (i == *off || i >= n || f[i] != ' ') {
		*p = f + *off;
		*len = n - *off;
		*off = n;
		return;
	}
	i++;
	*p = f + i;
	*len = v <= n - i ? v : n - i;
	*off = i + *len;
}

/* The wire form of one template: placeholders filled, Content-Length
 * set to the body that follows the blank line. */
static char *instantiate(const char *t, size_t n, const char *name,
			 size_t *outlen)
{
	const struct var vars[] = {
		{ "<To>", "bob@192.0.2.2" },
		{ "<From>", "alice@192.0.2.1" },
		{ "<From-Address>", "192.0.2.1" },
		{ "<From-IP>", "192.0.2.1" },
		{ "<Local-Port>", "5060" },
		{ "<Call-ID>", name },
		{ "<CSeq>", "1" },
		{ "<Branch-ID>", name },
		{ "<Teardown-Method>", "CANCEL" },
	};
	size_t l1;
	char *a = subst_alloc(t, n, vars, sizeof vars / sizeof vars[0], &l1);
	char cl[32];
	snprintf(cl, sizeof cl, "%zu", body_len(a, l1));
	const struct var clv[] = { { "<Content-Length>", cl } };
	char *b = subst_alloc(a, l1, clv, 1, outlen);
	free(a);
	return b;
}

struct tally {
	unsigned long parsed, flagged, rejected;
};

struct reasons {
	const char *why[128];
	unsigned long n[128];
	size_t count;
};

static void note_reason(struct reasons *r, const char *why)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->count; i++)
		if (strcmp(r->why[i], why) == 0) {
			r->n[i]++;
			return;
		}
	if (r->count < 128) {
		r->why[r->count] = why;
		r->n[r->count++] = 1;
	}
}

/* sip_parse with a small array first, a big one when asked to. */
static long parse(const char *p, size_t n, enum sip_framing fr,
		  struct sip_msg *m)
{
	static struct sip_header big[4096];
	struct sip_header small[64];
	long r = sip_parse(p, n, fr, m, small, 64);
	if (r == SIP_PARSE_TOO_MANY)
		r = sip_parse(p, n, fr, m, big, 4096);
	return r;
}

static void count(struct tally *t, struct reasons *rs, long r,
		  const struct sip_msg *m)
{
	if (r <= 0) {
		t->rejected++;
		note_reason(rs, r == SIP_PARSE_PARTIAL ? "(partial)" :
			    m->malformed ? m->malformed : "(no reason)");
	} else if (m->malformed) {
		t->flagged++;
		note_reason(rs, m->malformed);
	} else {
		t->parsed++;
	}
}

struct run {
	struct tally dgram, teardown, stream;
	struct reasons why;
	unsigned long cases;
	bool baseline_ok;
	bool verbose;		/* PROTOS_VERBOSE set: one line per case */
};

/* Stream framing: INVITE and teardown in one buffer, parsed in turn. */
static void run_stream(struct run *run, const char *inv, size_t li,
		       const char *td, size_t lt)
{
	char *both = malloc(li + lt + 1);
	if (!both)
		exit(1);
	memcpy(both, inv, li);
	memcpy(both + li, td, lt);
	struct guard g;
	const char *p = guard_copy(&g, both, li + lt);
	size_t off = 0;
	while (off < li + lt) {
		struct sip_msg m;
		long r = parse(p + off, li + lt - off, SIP_FRAME_STREAM, &m);
		count(&run->stream, NULL, r, &m);
		if (r <= 0)
			break;
		off += (size_t)r;
	}
	guard_release(&g);
	free(both);
}

static void run_case(struct run *run, const char *dir, const char *name)
{
	char path[4096];
	size_t n, off = 0, lt, li, tl;
	const char *tp;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	char *f = guard_slurp(path, &n);
	if (!f) {
		fprintf(stderr, "protos_run: %s: cannot read\n", path);
		return;
	}
	next_part(f, n, &off, &tp, &tl);
	char *inv = instantiate(tp, tl, name, &li);
	next_part(f, n, &off, &tp, &tl);
	char *td = instantiate(tp, tl, name, &lt);

	struct guard g;
	struct sip_msg m;
	const char *p = guard_copy(&g, inv, li);
	long r = parse(p, li, SIP_FRAME_DATAGRAM, &m);
	count(&run->dgram, &run->why, r, &m);
	if (run->verbose)
		printf("%s %ld %s\n", name, r, m.malformed ? m.malformed : "-");
	if (strcmp(name, "0000000") == 0)
		run->baseline_ok = r == (long)li && !m.malformed &&
				   m.method == SIP_M_INVITE && m.body.len > 0;
	(void)sip_looks_like((const uint8_t *)p, li);
	guard_release(&g);

	p = guard_copy(&g, td, lt);
	count(&run->teardown, NULL, parse(p, lt, SIP_FRAME_DATAGRAM, &m), &m);
	guard_release(&g);

	run_stream(run, inv, li, td, lt);
	run->cases++;
	free(inv);
	free(td);
	free(f);
}

static void report(const struct run *run)
{
	printf("protos: %lu cases, %lu parsed, %lu flagged malformed, "
	       "%lu rejected, 0 crashes\n", run->cases, run->dgram.parsed,
	       run->dgram.flagged, run->dgram.rejected);
	printf("protos: teardowns: %lu parsed, %lu flagged, %lu rejected; "
	       "stream framing: %lu parsed, %lu flagged, %lu rejected\n",
	       run->teardown.parsed, run->teardown.flagged,
	       run->teardown.rejected, run->stream.parsed,
	       run->stream.flagged, run->stream.rejected);
	for (size_t i = 0; i < run->why.count; i++)
		printf("  %6lu  %s\n", run->why.n[i], run->why.why[i]);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: protos_run DIR\n");
		return 1;
	}
	DIR *d = opendir(argv[1]);
	if (!d) {
		perror(argv[1]);
		return 1;
	}
	static struct run run;
	run.verbose = getenv("PROTOS_VERBOSE") != NULL;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			run_case(&run, argv[1], e->d_name);
	closedir(d);
	report(&run);
	if (!run.baseline_ok) {
		fprintf(stderr, "protos: baseline 0000000 is not a valid INVITE\n");
		return 1;
	}
	if (run.cases < PROTOS_CASES) {
		fprintf(stderr, "protos: only %lu of %d cases ran\n", run.cases,
			PROTOS_CASES);
		return 1;
	}
	return 0;
}
