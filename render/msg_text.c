/*
 * msg_text.c - --report messages -T text: a header line per message, then
 * the message as sent. Line ends become LF; other control bytes are shown
 * as \xNN so a hostile message cannot drive the user's terminal.
 */
#include "render.h"

static void put_text(FILE *out, ss_str t)
{
	const unsigned char *p = (const unsigned char *)t.p;
	bool at_bol = true;
	for (size_t i = 0; i < t.len; i++) {
		unsigned c = p[i];
		if (c == '\r' && i + 1 < t.len && p[i + 1] == '\n')
			continue;
		if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F)) {
			fputc((int)c, out);
			at_bol = c == '\n';
		} else {
			fprintf(out, "\\x%02X", c);
			at_bol = false;
		}
	}
	if (!at_bol)
		fputc('\n', out);
}

void render_msg_text(FILE *out, const struct ss_sip_event *ev, uint64_t index)
{
	struct msg_row r;
	msg_row_fill(&r, ev);
	fprintf(out, "#%llu %s %s %s -> %s %zu bytes", (unsigned long long)index,
		r.time, r.transport, r.src, r.dst, r.size);
	if (ev->pi->reassembled)
		fputs(" (IP-reassembled)", out);
	if (r.trailing)
		fprintf(out, " (+%zu bytes after Content-Length ignored)", r.trailing);
	if (r.malformed)
		fprintf(out, " MALFORMED: %s", r.malformed);
	fputc('\n', out);
	put_text(out, r.text);
	fputc('\n', out);
}
