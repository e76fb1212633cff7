/*
 * stats_report.c - --report stats. The text form follows the layout of
 * tshark's -z sip,stat (so the numbers can be read side by side) and adds
 * a summary by response class and the registry name of every code.
 * JSON: one object with the SPEC keys; CSV: one row per counter
 * (section,name,value), since the object is not flat.
 */
#include "stats_report.h"

#include <inttypes.h>
#include <string.h>

#include "jsonw.h"
#include "sipcodes.h"

static const char *code_name(int code)
{
	const char *n = ss_sipcode_name(code);
	return n ? n : "(unregistered)";
}

static void class_totals(const struct ss_stats *s, uint64_t cls[6])
{
	memset(cls, 0, 6 * sizeof cls[0]);
	for (int i = 0; i < 600; i++)
		cls[i / 100] += s->code[i];
}

void render_stats_text(FILE *out, const struct stats_view *v)
{
	const struct ss_stats *s = v->st;
	uint64_t cls[6];
	fprintf(out, "SIP messages: %" PRIu64 " (resent %" PRIu64
		", malformed %" PRIu64 ")\n\n", s->messages, s->resent,
		s->malformed);
	fputs("Requests:\n", out);
	for (int m = 1; m < SIP_M__COUNT; m++)
		if (m != SIP_M_EXTENSION && s->method[m])
			fprintf(out, "  %-12s %8" PRIu64 "\n",
				sip_method_name((enum sip_method)m), s->method[m]);
	for (size_t i = 0; i < s->next; i++)
		fprintf(out, "  %-12s %8" PRIu64 "  (extension)\n",
			s->ext[i].name, s->ext[i].n);
	if (s->ext_other)
		fprintf(out, "  %-12s %8" PRIu64 "\n", "(other ext.)", s->ext_other);
	fputs("\nResponses:\n", out);
	for (int c = 0; c < 600; c++)
		if (s->code[c])
			fprintf(out, "  %d %-36s %8" PRIu64 "\n", c + 100,
				code_name(c + 100), s->code[c]);
	if (s->code_other)
		fprintf(out, "  %-40s %8" PRIu64 "\n", "(code outside 100-699)",
			s->code_other);
	class_totals(s, cls);
	fputs("\nResponses by class:", out);
	for (int k = 0; k < 6; k++)
		fprintf(out, " %dxx %" PRIu64 "%s", k + 1, cls[k], k < 5 ? "," : "\n");
	if (s->setup_n)
		fprintf(out, "\nSetup time (INVITE to 200): min %.0f ms, avg %.0f ms, "
			"max %.0f ms over %" PRIu64 " calls\n", s->setup_min,
			s->setup_sum / (double)s->setup_n, s->setup_max, s->setup_n);
	else
		fputs("\nSetup time (INVITE to 200): no answered calls\n", out);
	if (v->nlosses) {
		fputs("\nNot decoded (see stderr for the reasons):\n", out);
		for (size_t i = 0; i < v->nlosses; i++)
			fprintf(out, "  %-26s %8" PRIu64 "\n", v->losses[i].name,
				v->losses[i].n);
	}
	if (v->nstates) {
		fputs("\nCalls by state:\n", out);
		for (size_t i = 0; i < v->nstates; i++)
			fprintf(out, "  %-12s %8" PRIu64 "\n", v->states[i].state,
				v->states[i].n);
	}
}

static void json_count(FILE *out, const char *key, uint64_t n, bool *first)
{
	json_key(out, key, first);
	fprintf(out, "%" PRIu64, n);
}

void render_stats_json(FILE *out, const struct stats_view *v)
{
	const struct ss_stats *s = v->st;
	bool first = true, f2;
	char code[8];
	uint64_t cls[6];
	fputc('{', out);
	json_count(out, "messages", s->messages, &first);
	json_count(out, "resent", s->resent, &first);
	json_count(out, "malformed", s->malformed, &first);
	json_key(out, "requests", &first);
	fputc('{', out);
	f2 = true;
	for (int m = 1; m < SIP_M__COUNT; m++)
		if (m != SIP_M_EXTENSION && s->method[m])
			json_count(out, sip_method_name((enum sip_method)m),
				   s->method[m], &f2);
	for (size_t i = 0; i < s->next; i++)
		json_count(out, s->ext[i].name, s->ext[i].n, &f2);
	fputc('}', out);
	json_key(out, "responses", &first);
	fputc('{', out);
	f2 = true;
	for (int c = 0; c < 600; c++)
		if (s->code[c]) {
			snprintf(code, sizeof code, "%d", c + 100);
			json_count(out, code, s->code[c], &f2);
		}
	fputc('}', out);
	json_key(out, "response_classes", &first);
	fputc('{', out);
	f2 = true;
	class_totals(s, cls);
	for (int k = 0; k < 6; k++) {
		snprintf(code, sizeof code, "%dxx", k + 1);
		json_count(out, code, cls[k], &f2);
	}
	fputc('}', out);
	json_key(out, "setup_ms", &first);
	if (s->setup_n)
		fprintf(out, "{\"min\":%.3f,\"avg\":%.3f,\"max\":%.3f,\"n\":%" PRIu64 "}",
			s->setup_min, s->setup_sum / (double)s->setup_n,
			s->setup_max, s->setup_n);
	else
		fputs("{\"min\":null,\"avg\":null,\"max\":null,\"n\":0}", out);
	json_key(out, "calls", &first);
	fputc('{', out);
	f2 = true;
	for (size_t i = 0; i < v->nstates; i++)
		json_count(out, v->states[i].state, v->states[i].n, &f2);
	fputc('}', out);
	json_key(out, "losses", &first);
	fputc('{', out);
	f2 = true;
	for (size_t i = 0; i < v->nlosses; i++)
		json_count(out, v->losses[i].name, v->losses[i].n, &f2);
	fputs("}}\n", out);
}

void render_stats_csv(FILE *out, const struct stats_view *v)
{
	const struct ss_stats *s = v->st;
	uint64_t cls[6];
	fputs("section,name,value\r\n", out);
	fprintf(out, "total,messages,%" PRIu64 "\r\ntotal,resent,%" PRIu64
		"\r\ntotal,malformed,%" PRIu64 "\r\n", s->messages, s->resent,
		s->malformed);
	for (int m = 1; m < SIP_M__COUNT; m++)
		if (m != SIP_M_EXTENSION && s->method[m])
			fprintf(out, "request,%s,%" PRIu64 "\r\n",
				sip_method_name((enum sip_method)m), s->method[m]);
	for (size_t i = 0; i < s->next; i++) {
		fputs("request,", out);
		csv_field(out, s->ext[i].name, strlen(s->ext[i].name));
		fprintf(out, ",%" PRIu64 "\r\n", s->ext[i].n);
	}
	for (int c = 0; c < 600; c++)
		if (s->code[c])
			fprintf(out, "response,%d,%" PRIu64 "\r\n", c + 100, s->code[c]);
	class_totals(s, cls);
	for (int k = 0; k < 6; k++)
		fprintf(out, "response_class,%dxx,%" PRIu64 "\r\n", k + 1, cls[k]);
	if (s->setup_n)
		fprintf(out, "setup_ms,min,%.3f\r\nsetup_ms,avg,%.3f\r\nsetup_ms,max,%.3f\r\n",
			s->setup_min, s->setup_sum / (double)s->setup_n, s->setup_max);
	for (size_t i = 0; i < v->nstates; i++)
		fprintf(out, "calls,%s,%" PRIu64 "\r\n", v->states[i].state,
			v->states[i].n);
	for (size_t i = 0; i < v->nlosses; i++)
		fprintf(out, "losses,%s,%" PRIu64 "\r\n", v->losses[i].name,
			v->losses[i].n);
}
