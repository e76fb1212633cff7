/*
 * msgrec.c - reading a call's compact message records (struct
 * ss_msg_rec, dialog.h): the exact values of a wide record are in the
 * call's extension, in record order; dialog.c writes them (record()).
 */
#include "dialog.h"

static uint32_t ep_of(const struct ss_call *c, uint16_t n)
{
	return n == 0 ? c->src_ep : n == 1 ? c->dst_ep : c->x_->eps[n - 2];
}

static const struct ss_rec_wide *wide_of(const struct ss_call *c,
					 const struct ss_msg_rec *r)
{
	uint32_t rec = (uint32_t)(r - c->recs), lo = 0, hi = c->x_->nwide;
	while (lo + 1 < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (c->x_->wide[mid].rec <= rec)
			lo = mid;
		else
			hi = mid;
	}
	return &c->x_->wide[lo];
}

int64_t ss_msg_rec_ts(const struct ss_call *c, const struct ss_msg_rec *r)
{
	if (r->wide_)
		return wide_of(c, r)->ts_ns;
	return c->start_ts + (int64_t)r->ts_us * 1000;
}

uint32_t ss_msg_rec_src(const struct ss_call *c, const struct ss_msg_rec *r)
{
	return r->wide_ ? wide_of(c, r)->src : ep_of(c, r->src);
}

uint32_t ss_msg_rec_dst(const struct ss_call *c, const struct ss_msg_rec *r)
{
	return r->wide_ ? wide_of(c, r)->dst : ep_of(c, r->dst);
}

uint64_t ss_msg_rec_index(const struct ss_call *c, const struct ss_msg_rec *r)
{
	if (r->wide_)
		return wide_of(c, r)->index;
	return (uint64_t)r->index_hi << 32 | r->index_lo;
}

uint64_t ss_msg_rec_frame(const struct ss_call *c, const struct ss_msg_rec *r)
{
	if (r->wide_)
		return wide_of(c, r)->frame;
	return (uint64_t)r->frame_hi << 32 | r->frame_lo;
}
