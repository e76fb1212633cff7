/* msg_json.c - --report messages -T json: one NDJSON object per message
 * with the SPEC keys plus frame, cseq_method, vlan (outermost first),
 * tunnelled, ip_reassembled and the full text. */
#include "render.h"

#include <string.h>

#include "jsonw.h"

void render_msg_json(FILE *out, const struct ss_sip_event *ev)
{
	struct msg_row r;
	bool first = true;
	msg_row_fill(&r, ev);
	fputc('{', out);
	json_key(out, "time", &first);
	json_str(out, r.time, strlen(r.time));
	json_key(out, "frame", &first);
	fprintf(out, "%llu", (unsigned long long)ev->pi->frame);
	json_key(out, "src", &first);
	json_str(out, r.src, strlen(r.src));
	json_key(out, "dst", &first);
	json_str(out, r.dst, strlen(r.dst));
	json_key(out, "transport", &first);
	json_str(out, r.transport, strlen(r.transport));
	json_key(out, "call_id", &first);
	json_slice_or_null(out, r.call_id);
	json_key(out, "method", &first);
	json_slice_or_null(out, r.method);
	json_key(out, "code", &first);
	if (r.code)
		fprintf(out, "%d", r.code);
	else
		fputs("null", out);
	json_key(out, "cseq", &first);
	if (r.has_cseq)
		fprintf(out, "%lu", (unsigned long)r.cseq);
	else
		fputs("null", out);
	json_key(out, "cseq_method", &first);
	json_slice_or_null(out, r.has_cseq ? r.cseq_method : SS_STR_NULL);
	json_key(out, "size", &first);
	fprintf(out, "%zu", r.size);
	json_key(out, "malformed", &first);
	if (r.malformed)
		json_str(out, r.malformed, strlen(r.malformed));
	else
		fputs("false", out);
	json_key(out, "vlan", &first);
	if (ev->pi->vlan_depth == 0) {
		fputs("null", out);
	} else {
		fputc('[', out);
		for (unsigned i = 0; i < ev->pi->vlan_depth && i < 2; i++)
			fprintf(out, "%s%u", i ? "," : "", ev->pi->vlan[i]);
		fputc(']', out);
	}
	json_key(out, "tunnelled", &first);
	fputs(ev->pi->tunnel_depth ? "true" : "false", out);
	json_key(out, "ip_reassembled", &first);
	fputs(ev->pi->reassembled ? "true" : "false", out);
	json_key(out, "text", &first);
	json_str(out, r.text.p, r.text.len);
	fputs("}\n", out);
}
