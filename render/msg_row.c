/* msg_row.c - one message's report columns (see render.h). */
#include "render.h"

#include <string.h>

void msg_row_fill(struct msg_row *r, const struct ss_sip_event *ev)
{
	const struct sip_msg *m = ev->msg;
	memset(r, 0, sizeof *r);
	ss_time_rfc3339(ev->pi->ts_ns, r->time, sizeof r->time);
	ss_addr_format(&ev->pi->src, true, r->src, sizeof r->src);
	ss_addr_format(&ev->pi->dst, true, r->dst, sizeof r->dst);
	r->transport = ev->transport;
	r->call_id = m->call_id;
	if (m->is_request)
		r->method = m->method_str;
	else
		r->code = m->status;
	r->has_cseq = m->cseq_present;
	r->cseq = m->cseq;
	r->cseq_method = m->cseq_method_str;
	r->text = ss_sip_text(m);
	r->size = r->text.len;
	r->malformed = m->malformed;
	r->trailing = ev->trailing;
}
