/*
 * regs_report.c - --report registrations: one row per address of record
 * (see calls_report.h). "source" is where the registrar saw the UA (Via
 * received/rport of its answer); nat says it differs from what the UA
 * wrote, the usual sign of a NAT between them.
 */
#include "calls_report.h"

#include <inttypes.h>
#include <string.h>

#include "jsonw.h"
#include "timefmt.h"

static void fmt_time(int64_t ns, char *b, size_t n)
{
	if (ns < 0)
		snprintf(b, n, "-");
	else
		ss_time_rfc3339(ns, b, n);
}

void render_regs_text(FILE *out, const struct ss_regs *r, int64_t now_ns)
{
	fprintf(out, "%-32s %-13s %4s %4s %4s %4s %4s %7s %-22s %-3s %s\n",
		"AOR", "STATE", "TRY", "AUTH", "OK", "FAIL", "CODE", "EXPIRES",
		"SOURCE", "NAT", "LAST OK");
	for (size_t i = 0; i < ss_regs_count(r); i++) {
		const struct ss_reg *g = ss_regs_at(r, i);
		char code[8] = "-", exp[24] = "-", since[32] = "never";
		if (g->last_code)
			snprintf(code, sizeof code, "%d", g->last_code);
		if (g->expires_s >= 0)
			snprintf(exp, sizeof exp, "%" PRId64, g->expires_s);
		int64_t ago = ss_reg_since_success_ms(g, now_ns);
		if (ago >= 0)
			snprintf(since, sizeof since, "%.1fs ago", (double)ago / 1000.0);
		fprintf(out, "%-32s %-13s %4" PRIu32 " %4" PRIu32 " %4" PRIu32
			" %4" PRIu32 " %4s %7s %-22s %-3s %s\n", g->aor,
			ss_call_state_name(g->state), g->attempts, g->challenges,
			g->successes, g->failures, code, exp, g->source,
			g->nat ? "yes" : "no", since);
		for (size_t k = 0; k < g->ncontacts; k++)
			fprintf(out, "    contact %s expires %" PRId64 "\n",
				g->contacts[k].uri, g->contacts[k].expires_s);
	}
}

static void jnum(FILE *out, const char *key, int64_t v, bool absent, bool *first)
{
	json_key(out, key, first);
	if (absent)
		fputs("null", out);
	else
		fprintf(out, "%" PRId64, v);
}

static void jstr(FILE *out, const char *key, const char *v, bool *first)
{
	json_key(out, key, first);
	if (v && *v)
		json_str(out, v, strlen(v));
	else
		fputs("null", out);
}

static void json_contacts(FILE *out, const struct ss_reg *g, bool *first)
{
	json_key(out, "contacts", first);
	fputc('[', out);
	for (size_t k = 0; k < g->ncontacts; k++) {
		bool f = true;
		fputs(k ? ",{" : "{", out);
		jstr(out, "uri", g->contacts[k].uri, &f);
		jnum(out, "expires_s", g->contacts[k].expires_s,
		     g->contacts[k].expires_s < 0, &f);
		fputc('}', out);
	}
	fputc(']', out);
}

void render_regs_json(FILE *out, const struct ss_regs *r, int64_t now_ns)
{
	for (size_t i = 0; i < ss_regs_count(r); i++) {
		const struct ss_reg *g = ss_regs_at(r, i);
		char la[SS_TIME_BUFLEN], ls[SS_TIME_BUFLEN];
		bool first = true;
		fmt_time(g->last_attempt, la, sizeof la);
		fmt_time(g->last_success, ls, sizeof ls);
		int64_t ago = ss_reg_since_success_ms(g, now_ns);
		fputc('{', out);
		jstr(out, "aor", g->aor, &first);
		json_contacts(out, g, &first);
		jstr(out, "user_agent", g->user_agent, &first);
		jstr(out, "source", g->source, &first);
		jnum(out, "attempts", g->attempts, false, &first);
		jnum(out, "challenges", g->challenges, false, &first);
		jnum(out, "successes", g->successes, false, &first);
		jnum(out, "failures", g->failures, false, &first);
		jnum(out, "last_code", g->last_code, g->last_code == 0, &first);
		jnum(out, "expires_s", g->expires_s, g->expires_s < 0, &first);
		jstr(out, "last_attempt", g->last_attempt < 0 ? NULL : la, &first);
		jstr(out, "last_success", g->last_success < 0 ? NULL : ls, &first);
		jstr(out, "state", ss_call_state_name(g->state), &first);
		jstr(out, "sent_by", g->sent_by, &first);
		json_key(out, "nat", &first);
		fputs(g->nat ? "true" : "false", out);
		jnum(out, "since_success_ms", ago, ago < 0, &first);
		fputs("}\n", out);
	}
}

static void cs(FILE *out, const char *s)
{
	if (s && *s)
		csv_field(out, s, strlen(s));
	fputc(',', out);
}

static void cn(FILE *out, int64_t v, bool absent)
{
	if (!absent)
		fprintf(out, "%" PRId64, v);
	fputc(',', out);
}

void render_regs_csv(FILE *out, const struct ss_regs *r, int64_t now_ns)
{
	fputs("aor,user_agent,source,attempts,challenges,successes,failures,"
	      "last_code,expires_s,last_attempt,last_success,state,sent_by,nat,"
	      "since_success_ms\r\n", out);
	for (size_t i = 0; i < ss_regs_count(r); i++) {
		const struct ss_reg *g = ss_regs_at(r, i);
		char la[SS_TIME_BUFLEN], ls[SS_TIME_BUFLEN];
		fmt_time(g->last_attempt, la, sizeof la);
		fmt_time(g->last_success, ls, sizeof ls);
		int64_t ago = ss_reg_since_success_ms(g, now_ns);
		cs(out, g->aor);
		cs(out, g->user_agent);
		cs(out, g->source);
		cn(out, g->attempts, false);
		cn(out, g->challenges, false);
		cn(out, g->successes, false);
		cn(out, g->failures, false);
		cn(out, g->last_code, g->last_code == 0);
		cn(out, g->expires_s, g->expires_s < 0);
		cs(out, g->last_attempt < 0 ? NULL : la);
		cs(out, g->last_success < 0 ? NULL : ls);
		cs(out, ss_call_state_name(g->state));
		cs(out, g->sent_by);
		fputs(g->nat ? "true," : "false,", out);
		if (ago >= 0)
			fprintf(out, "%" PRId64, ago);
		fputs("\r\n", out);
	}
}
