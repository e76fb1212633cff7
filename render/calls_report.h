/*
 * calls_report.h - --report calls (the call list) and --report
 * registrations, in text, json and csv. Both read the correlation model;
 * `selected` says which calls the user's selection kept (NULL = all).
 */
#ifndef SS_CALLS_REPORT_H
#define SS_CALLS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "dialog.h"
#include "registration.h"

typedef bool (*calls_pick)(void *user, const struct ss_call *c);

/* The media columns, drawn by whoever holds the media model (NULL, or
 * NULL members: the call list without them). */
struct calls_media {
	void *user;
	void (*streams_json)(void *user, FILE *out, const struct ss_call *c);
	void (*problems_json)(void *user, FILE *out, const struct ss_call *c);
	/* the text list's last columns: " RTP PROBLEMS" values */
	void (*text)(void *user, FILE *out, const struct ss_call *c);
};

void render_calls_text(FILE *out, const struct ss_corr *corr, calls_pick pick,
		       void *user, const struct calls_media *cm);
void render_calls_json(FILE *out, const struct ss_corr *corr, calls_pick pick,
		       void *user, const struct calls_media *cm);
void render_calls_csv(FILE *out, const struct ss_corr *corr, calls_pick pick,
		      void *user);

/* now_ns: the end of the capture, for "time since the last success". */
void render_regs_text(FILE *out, const struct ss_regs *r, int64_t now_ns);
void render_regs_json(FILE *out, const struct ss_regs *r, int64_t now_ns);
void render_regs_csv(FILE *out, const struct ss_regs *r, int64_t now_ns);

#endif
