/*
 * callflow.h - the ladder of one call, or of a call and its linked legs
 * (--legs): the call's message records turned into ladder events and laid
 * out by ladder.c, so every renderer draws the same thing.
 */
#ifndef SS_CALLFLOW_H
#define SS_CALLFLOW_H

#include "dialog.h"
#include "ladder.h"

/* Lay out the messages of calls[0..n) merged in capture order, with the
 * media arrows media[0..nmedia) (sorted by time, SS_LADDER_MEDIA set)
 * placed among them by time. Returns a ladder the caller frees with
 * ss_ladder_free(). */
struct ss_ladder *ss_callflow_build(const struct ss_corr *corr,
				    const struct ss_call *const *calls, size_t n,
				    const struct ss_ladder_opts *opts,
				    const struct ss_ladder_event *media, size_t nmedia);

#endif
