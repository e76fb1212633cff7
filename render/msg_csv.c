/* msg_csv.c - --report messages -T csv: the scalar JSON keys as RFC 4180
 * columns (the message text is left out: it is not a scalar column). */
#include "render.h"

#include <string.h>

#include "jsonw.h"

void render_msg_csv_header(FILE *out)
{
	fputs("time,frame,src,dst,transport,call_id,method,code,cseq,"
	      "cseq_method,size,malformed\r\n", out);
}

static void slice(FILE *out, ss_str s)
{
	if (s.p)
		csv_field(out, s.p, s.len);
}

void render_msg_csv(FILE *out, const struct ss_sip_event *ev)
{
	struct msg_row r;
	msg_row_fill(&r, ev);
	fprintf(out, "%s,%llu,%s,%s,%s,", r.time,
		(unsigned long long)ev->pi->frame, r.src, r.dst, r.transport);
	slice(out, r.call_id);
	fputc(',', out);
	slice(out, r.method);
	fputc(',', out);
	if (r.code)
		fprintf(out, "%d", r.code);
	fputc(',', out);
	if (r.has_cseq) {
		fprintf(out, "%lu,", (unsigned long)r.cseq);
		slice(out, r.cseq_method);
	} else {
		fputc(',', out);
	}
	fprintf(out, ",%zu,", r.size);
	if (r.malformed)
		csv_field(out, r.malformed, strlen(r.malformed));
	else
		fputs("false", out);
	fputs("\r\n", out);
}
