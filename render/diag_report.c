/*
 * diag_report.c - --report diagnose in text, JSON (one object per
 * problem, SPEC keys) and CSV.
 */
#include "diag_report.h"

#include <string.h>

#include "jsonw.h"

static void call_id_json(FILE *out, const struct ss_call *c)
{
	json_str(out, c->call_id, c->call_id_len);
}

/* Items with the same key in a row are one JSON array. */
static void evidence_json(FILE *out, const struct ss_problem *p)
{
	bool first = true;
	fputc('{', out);
	for (size_t i = 0; i < p->nev; i++) {
		const struct ss_diag_ev *e = &p->ev[i];
		json_key(out, e->key, &first);
		if (e->kind == SS_EV_NUM) {
			fputs(e->val, out);
			continue;
		}
		if (e->kind == SS_EV_STR) {
			json_str(out, e->val, strlen(e->val));
			continue;
		}
		fputc('[', out);
		for (size_t k = i; k < p->nev && p->ev[k].kind == SS_EV_LIST &&
		     strcmp(p->ev[k].key, e->key) == 0; k++) {
			if (k > i)
				fputc(',', out);
			json_str(out, p->ev[k].val, strlen(p->ev[k].val));
			i = k;
		}
		fputc(']', out);
	}
	fputc('}', out);
}

void render_problem_json(FILE *out, const struct ss_problem *p)
{
	bool first = true;
	fputc('{', out);
	json_key(out, "call_id", &first);
	call_id_json(out, p->call);
	json_key(out, "code", &first);
	fprintf(out, "\"%s\"", ss_diag_code_name((enum ss_diag_code)p->code));
	json_key(out, "severity", &first);
	fprintf(out, "\"%s\"", ss_severity_name((enum ss_severity)p->severity));
	json_key(out, "summary", &first);
	json_str(out, p->summary, strlen(p->summary));
	json_key(out, "evidence", &first);
	evidence_json(out, p);
	fputs("}\n", out);
}

void render_problems_json(FILE *out, const struct ss_problems *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		render_problem_json(out, &ps->v[i]);
}

void render_problems_csv(FILE *out, const struct ss_problems *ps)
{
	fputs("call_id,code,severity,summary,evidence\r\n", out);
	for (size_t i = 0; i < ps->n; i++) {
		const struct ss_problem *p = &ps->v[i];
		char ev[2048];
		size_t len = 0;
		ev[0] = '\0';
		for (size_t k = 0; k < p->nev && len < sizeof ev; k++) {
			int n = snprintf(ev + len, sizeof ev - len, "%s%s=%s",
					 k ? "; " : "", p->ev[k].key, p->ev[k].val);
			if (n < 0)
				break;
			len += (size_t)n;
		}
		if (len >= sizeof ev)
			len = sizeof ev - 1;
		csv_field(out, p->call->call_id, p->call->call_id_len);
		fprintf(out, ",%s,%s,", ss_diag_code_name((enum ss_diag_code)p->code),
			ss_severity_name((enum ss_severity)p->severity));
		csv_field(out, p->summary, strlen(p->summary));
		fputc(',', out);
		csv_field(out, ev, len);
		fputs("\r\n", out);
	}
}

void render_problems_text(FILE *out, const struct ss_problems *ps, size_t ncalls)
{
	const struct ss_call *cur = NULL;
	size_t calls = 0;
	for (size_t i = 0; i < ps->n; i++) {
		const struct ss_problem *p = &ps->v[i];
		if (p->call != cur) {
			cur = p->call;
			calls++;
			fprintf(out, "%sCall-ID %.*s  %s  %s%s%.0d\n", i ? "\n" : "",
				(int)(cur->call_id_len > 300 ? 300 : cur->call_id_len),
				cur->call_id, cur->method_name ? cur->method_name : "?",
				ss_call_state_name(cur->state), cur->final_code ? " " : "",
				cur->final_code);
		}
		fprintf(out, "  %-7s %s: %s\n",
			ss_severity_name((enum ss_severity)p->severity),
			ss_diag_code_name((enum ss_diag_code)p->code), p->summary);
		for (size_t k = 0; k < p->nev; k++)
			fprintf(out, "          %s: %s\n", p->ev[k].key, p->ev[k].val);
	}
	if (ps->n)
		fputc('\n', out);
	fprintf(out, "%zu problems in %zu of %zu calls\n", ps->n, calls, ncalls);
}
