/*
 * render.h - renderers. Each reads the model the core hands it and writes
 * one output format; none of them parses packets.
 */
#ifndef SS_RENDER_H
#define SS_RENDER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pipeline.h"
#include "timefmt.h"

/* The columns of one message, formatted once and shared by the text, JSON
 * and CSV message reports. */
struct msg_row {
	char time[SS_TIME_BUFLEN];
	char src[64];
	char dst[64];
	const char *transport;
	ss_str call_id;		/* p == NULL when absent */
	ss_str method;		/* requests only */
	int code;		/* responses only, else 0 */
	bool has_cseq;
	uint32_t cseq;
	ss_str cseq_method;
	size_t size;
	ss_str text;		/* the whole message, start line to body end */
	const char *malformed;
	size_t trailing;
};

void msg_row_fill(struct msg_row *r, const struct ss_sip_event *ev);

/* --report messages, one function per format; index is 1-based. */
void render_msg_text(FILE *out, const struct ss_sip_event *ev, uint64_t index);
void render_msg_json(FILE *out, const struct ss_sip_event *ev);
void render_msg_csv_header(FILE *out);
void render_msg_csv(FILE *out, const struct ss_sip_event *ev);

#endif
