/* callview.c - see callview.h; field meanings are filter.h's. */
#include "callview.h"

#include <string.h>

static bool str_or_absent(const char *s, ss_str *out)
{
	if (!s)
		return false;
	*out = ss_str_make(s, strlen(s));
	return true;
}

static bool get_str(const void *obj, enum ss_filter_field f, ss_str *out)
{
	const struct ss_callview *v = obj;
	const struct ss_call *c = v->call;
	switch (f) {
	case SS_FF_METHOD: return str_or_absent(c->method_name, out);
	case SS_FF_STATE: return str_or_absent(ss_call_state_name(c->state), out);
	case SS_FF_FROM: return str_or_absent(c->from, out);
	case SS_FF_TO: return str_or_absent(c->to, out);
	case SS_FF_FROM_USER: return str_or_absent(c->from_user, out);
	case SS_FF_TO_USER: return str_or_absent(c->to_user, out);
	case SS_FF_CALLID:
		*out = ss_str_make(c->call_id, c->call_id_len);
		return true;
	case SS_FF_TRANSPORT: return str_or_absent(c->transport, out);
	case SS_FF_SRC: return str_or_absent(v->src, out);
	case SS_FF_DST: return str_or_absent(v->dst, out);
	case SS_FF_UA: return str_or_absent(c->user_agent, out);
	case SS_FF_REASON: return str_or_absent(c->reason, out);
	case SS_FF_X_CALLID: return str_or_absent(c->x_call_id, out);
	default: return false;
	}
}

static bool get_num(const void *obj, enum ss_filter_field f, double *out)
{
	const struct ss_call *c = ((const struct ss_callview *)obj)->call;
	int64_t v;
	switch (f) {
	case SS_FF_CODE: v = c->final_code ? c->final_code : -1; break;
	case SS_FF_DURATION:
		if (c->duration_ms < 0)
			return false;
		*out = ss_call_duration_s(c);
		return true;
	case SS_FF_SETUP: v = c->setup_ms; break;
	case SS_FF_PDD: v = c->pdd_ms; break;
	case SS_FF_MSGS: *out = c->msgs; return true;
	case SS_FF_RETRANS: *out = c->retrans; return true;
	default: return false;
	}
	if (v < 0)
		return false;
	*out = (double)v;
	return true;
}

void ss_callview_init(struct ss_callview *v, struct ss_filter_subject *subj,
		      const struct ss_corr *corr, const struct ss_call *c)
{
	v->corr = corr;
	v->call = c;
	ss_addr_format(ss_corr_endpoint(corr, c->src_ep), true, v->src, sizeof v->src);
	ss_addr_format(ss_corr_endpoint(corr, c->dst_ep), true, v->dst, sizeof v->dst);
	subj->obj = v;
	subj->get_str = get_str;
	subj->get_num = get_num;
}
