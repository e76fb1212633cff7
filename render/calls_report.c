/*
 * calls_report.c - the call list (see calls_report.h). JSON carries every
 * SPEC key (absent values null); CSV the scalar ones in the same order;
 * text is a fixed-width table for a terminal, where long URIs are cut
 * with "~" (the JSON and CSV forms always carry them whole).
 */
#include "calls_report.h"

#include <inttypes.h>
#include <string.h>

#include "jsonw.h"
#include "timefmt.h"

struct call_cols {
	char start[SS_TIME_BUFLEN], end[SS_TIME_BUFLEN];
	char src[64], dst[64];
};

static void cols_fill(struct call_cols *k, const struct ss_corr *corr,
		      const struct ss_call *c)
{
	ss_time_rfc3339(c->start_ts, k->start, sizeof k->start);
	ss_time_rfc3339(c->end_ts, k->end, sizeof k->end);
	ss_addr_format(ss_corr_endpoint(corr, c->src_ep), true, k->src, sizeof k->src);
	ss_addr_format(ss_corr_endpoint(corr, c->dst_ep), true, k->dst, sizeof k->dst);
}

/* A row of the table is built here and written with one fwrite: at 100k
 * calls, a dozen fprintf calls per row were a fifth of the report's CPU.
 * The helpers print what the printf formats they replace printed (the
 * golden tests and the 100k capture compare the bytes); put() never
 * writes past the buffer whatever a cell holds. */
struct row {
	char b[320];
	size_t n;
};

static void put(struct row *r, const char *s, size_t n)
{
	if (n > sizeof r->b - r->n)
		n = sizeof r->b - r->n;
	memcpy(r->b + r->n, s, n);
	r->n += n;
}

static void spaces(struct row *r, size_t n)
{
	while (n-- && r->n < sizeof r->b)
		r->b[r->n++] = ' ';
}

/* "%-*s" and "%*s": s in at least w columns, never cut. */
static void left(struct row *r, const char *s, size_t n, size_t w)
{
	put(r, s, n);
	spaces(r, n < w ? w - n : 0);
}

static void right(struct row *r, const char *s, size_t n, size_t w)
{
	spaces(r, n < w ? w - n : 0);
	put(r, s, n);
}

/* The decimal digits of v, at the end of d[24]: their start. */
static const char *digits(uint64_t v, char d[24], size_t *n)
{
	size_t i = 24;
	do
		d[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	*n = 24 - i;
	return d + i;
}

/* "%*s" of the number, or of "-" when absent. */
static void rnum(struct row *r, int64_t v, bool absent, size_t w)
{
	char d[24];
	size_t n = 1;
	const char *p = absent || v < 0 ? "-" : digits((uint64_t)v, d, &n);
	right(r, p, n, w);
}

/* Exactly w columns: s padded, or cut with '~' when longer; NULL is
 * "-" (an empty string stays blank, as it always printed). */
static void cell(struct row *r, const char *s, size_t w)
{
	if (!s)
		s = "-";
	size_t n = strlen(s);
	if (n <= w)
		left(r, s, n, w);
	else {
		put(r, s, w - 1);
		put(r, "~", 1);
	}
}

/* Whole milliseconds as " %9.3f" of ms / 1000.0 printed them (exact:
 * three decimals of a whole number of milliseconds), or " %9s" of "-". */
static void secs(struct row *r, int64_t ms)
{
	put(r, " ", 1);
	if (ms < 0) {
		right(r, "-", 1, 9);
		return;
	}
	char d[24], t[32];
	size_t n;
	const char *p = digits((uint64_t)(ms / 1000), d, &n);
	memcpy(t, p, n);
	t[n] = '.';
	t[n + 1] = (char)('0' + ms % 1000 / 100);
	t[n + 2] = (char)('0' + ms % 100 / 10);
	t[n + 3] = (char)('0' + ms % 10);
	right(r, t, n + 4, 9);
}

void render_calls_text(FILE *out, const struct ss_corr *corr, calls_pick pick,
		       void *user, const struct calls_media *cm)
{
	bool media = cm && cm->text;
	fprintf(out, "%-5s %-27s %-9s %-22s %-22s %5s %4s %-12s %4s %7s %7s %9s%s\n",
		"ID", "START (UTC)", "METHOD", "FROM", "TO", "MSGS", "RTX",
		"STATE", "CODE", "PDD_MS", "SETUP", "DUR_S",
		media ? "  RTP PROBLEMS" : "");
	for (const struct ss_call *c = ss_corr_first(corr); c; c = c->next) {
		if (pick && !pick(user, c))
			continue;
		struct row r = { .n = 0 };
		char start[SS_TIME_BUFLEN], d[24];
		size_t n;
		/* the table shows the start time only: not cols_fill() */
		ss_time_rfc3339(c->start_ts, start, sizeof start);
		const char *id = digits(c->id, d, &n);
		left(&r, id, n, 5);
		put(&r, " ", 1);
		left(&r, start, strlen(start), 27);
		put(&r, " ", 1);
		cell(&r, c->method_name, 9);
		put(&r, " ", 1);
		cell(&r, c->from_user ? c->from_user : c->from, 22);
		put(&r, " ", 1);
		cell(&r, c->to_user ? c->to_user : c->to, 22);
		put(&r, " ", 1);
		rnum(&r, c->msgs, false, 5);
		put(&r, " ", 1);
		rnum(&r, c->retrans, false, 4);
		put(&r, " ", 1);
		const char *st = ss_call_state_name(c->state);
		left(&r, st, strlen(st), 12);
		put(&r, " ", 1);
		rnum(&r, c->final_code, !c->final_code, 4);
		rnum(&r, c->pdd_ms, c->pdd_ms < 0, 8);
		rnum(&r, c->setup_ms, c->setup_ms < 0, 8);
		secs(&r, c->duration_ms);
		fwrite(r.b, 1, r.n, out);
		if (media)
			cm->text(cm->user, out, c);
		fputc('\n', out);
	}
}

static void jstr(FILE *out, const char *key, const char *v, bool *first)
{
	json_key(out, key, first);
	if (v)
		json_str(out, v, strlen(v));
	else
		fputs("null", out);
}

static void jint(FILE *out, const char *key, int64_t v, bool absent, bool *first)
{
	json_key(out, key, first);
	if (absent)
		fputs("null", out);
	else
		fprintf(out, "%" PRId64, v);
}

static void json_links(FILE *out, const struct ss_call *c, bool *first)
{
	static const char *const kind[] = { "", "x-call-id", "pair", "redirect" };
	json_key(out, "linked", first);
	fputc('[', out);
	for (unsigned i = 0; i < c->nlinks; i++) {
		const struct ss_call *o = c->links[i].call;
		bool f = true;
		fputs(i ? ",{" : "{", out);
		json_key(out, "call_id", &f);
		json_str(out, o->call_id, o->call_id_len);
		jstr(out, "kind", c->links[i].kind < 4 ? kind[c->links[i].kind] : "", &f);
		fputc('}', out);
	}
	fputc(']', out);
}

static void json_forks(FILE *out, const struct ss_call *c, bool *first)
{
	json_key(out, "forks", first);
	fputc('[', out);
	for (unsigned i = 0; i < c->nforks; i++) {
		bool f = true;
		fputs(i ? ",{" : "{", out);
		jstr(out, "to_tag", c->forks[i].to_tag, &f);
		jint(out, "first_code", c->forks[i].first_code, false, &f);
		jint(out, "final_code", c->forks[i].code, c->forks[i].code == 0, &f);
		fputc('}', out);
	}
	fputc(']', out);
}

static void json_call(FILE *out, const struct ss_corr *corr, const struct ss_call *c,
		      const struct calls_media *cm)
{
	struct call_cols k;
	bool first = true;
	cols_fill(&k, corr, c);
	fputc('{', out);
	json_key(out, "call_id", &first);
	json_str(out, c->call_id, c->call_id_len);
	jstr(out, "method", c->method_name, &first);
	jstr(out, "from", c->from, &first);
	jstr(out, "to", c->to, &first);
	jstr(out, "from_user", c->from_user, &first);
	jstr(out, "to_user", c->to_user, &first);
	jstr(out, "state", ss_call_state_name(c->state), &first);
	jint(out, "final_code", c->final_code, c->final_code == 0, &first);
	jstr(out, "reason", c->reason, &first);
	jint(out, "msgs", c->msgs, false, &first);
	jint(out, "retrans", c->retrans, false, &first);
	jstr(out, "transport", c->transport, &first);
	jstr(out, "src", k.src, &first);
	jstr(out, "dst", k.dst, &first);
	jstr(out, "start_time", k.start, &first);
	jstr(out, "end_time", k.end, &first);
	jint(out, "pdd_ms", c->pdd_ms, c->pdd_ms < 0, &first);
	jint(out, "setup_ms", c->setup_ms, c->setup_ms < 0, &first);
	json_key(out, "duration_s", &first);
	if (c->duration_ms < 0)
		fputs("null", out);
	else
		fprintf(out, "%.3f", ss_call_duration_s(c));
	jstr(out, "user_agent", c->user_agent, &first);
	jstr(out, "x_call_id", c->x_call_id, &first);
	json_key(out, "streams", &first);
	if (cm && cm->streams_json)
		cm->streams_json(cm->user, out, c);
	else
		fputs("[]", out);
	json_key(out, "problems", &first);
	if (cm && cm->problems_json)
		cm->problems_json(cm->user, out, c);
	else
		fputs("[]", out);
	jint(out, "id", c->id, false, &first);
	jstr(out, "from_tag", c->from_tag, &first);
	json_forks(out, c, &first);
	json_links(out, c, &first);
	json_key(out, "partial", &first);
	fputs(c->flags & SS_CF_PARTIAL ? "true" : "false", out);
	fputs("}\n", out);
}

void render_calls_json(FILE *out, const struct ss_corr *corr, calls_pick pick,
		       void *user, const struct calls_media *cm)
{
	for (const struct ss_call *c = ss_corr_first(corr); c; c = c->next)
		if (!pick || pick(user, c))
			json_call(out, corr, c, cm);
}

static void cstr(FILE *out, const char *s, bool last)
{
	if (s)
		csv_field(out, s, strlen(s));
	fputs(last ? "\r\n" : ",", out);
}

static void cint(FILE *out, int64_t v, bool absent)
{
	if (!absent)
		fprintf(out, "%" PRId64, v);
	fputc(',', out);
}

void render_calls_csv(FILE *out, const struct ss_corr *corr, calls_pick pick,
		      void *user)
{
	fputs("call_id,method,from,to,from_user,to_user,state,final_code,reason,"
	      "msgs,retrans,transport,src,dst,start_time,end_time,pdd_ms,"
	      "setup_ms,duration_s,user_agent,x_call_id,id\r\n", out);
	for (const struct ss_call *c = ss_corr_first(corr); c; c = c->next) {
		if (pick && !pick(user, c))
			continue;
		struct call_cols k;
		cols_fill(&k, corr, c);
		csv_field(out, c->call_id, c->call_id_len);
		fputc(',', out);
		cstr(out, c->method_name, false);
		cstr(out, c->from, false);
		cstr(out, c->to, false);
		cstr(out, c->from_user, false);
		cstr(out, c->to_user, false);
		cstr(out, ss_call_state_name(c->state), false);
		cint(out, c->final_code, c->final_code == 0);
		cstr(out, c->reason, false);
		cint(out, c->msgs, false);
		cint(out, c->retrans, false);
		cstr(out, c->transport, false);
		cstr(out, k.src, false);
		cstr(out, k.dst, false);
		cstr(out, k.start, false);
		cstr(out, k.end, false);
		cint(out, c->pdd_ms, c->pdd_ms < 0);
		cint(out, c->setup_ms, c->setup_ms < 0);
		if (c->duration_ms >= 0)
			fprintf(out, "%.3f", ss_call_duration_s(c));
		fputc(',', out);
		cstr(out, c->user_agent, false);
		cstr(out, c->x_call_id, false);
		fprintf(out, "%" PRIu32 "\r\n", c->id);
	}
}
