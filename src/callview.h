/*
 * callview.h - a call as the -f filter sees it (filter.h's getters over
 * struct ss_call). The view holds the formatted addresses the getters
 * hand out, so it must outlive the ss_filter_match() call.
 */
#ifndef SS_CALLVIEW_H
#define SS_CALLVIEW_H

#include "dialog.h"
#include "filter.h"

struct ss_callview {
	const struct ss_corr *corr;
	const struct ss_call *call;
	char src[64], dst[64];
};

/* Point *subj at a view of c (filled into *v). */
void ss_callview_init(struct ss_callview *v, struct ss_filter_subject *subj,
		      const struct ss_corr *corr, const struct ss_call *c);

#endif
