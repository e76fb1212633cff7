/*
 * flow.h - call-flow renderers. Each draws a struct ss_ladder (ladder.h)
 * laid out by the core; none of them decides where columns or labels go.
 */
#ifndef SS_FLOW_H
#define SS_FLOW_H

#include <stdbool.h>
#include <stdio.h>

#include "ladder.h"

/* --report flow -T text: draw lad to out, never wider than lad->width
 * display cells per line (the time/delta gutter included).
 *
 * title, if not NULL, is a one-line summary printed first (fitted to the
 * width), e.g. "Call-ID abc@host  INVITE  COMPLETED". ascii selects the
 * ASCII-only glyphs; otherwise box drawing characters are written as
 * UTF-8. Labels, names and the title are sanitized: control and bidi
 * formatting characters and invalid UTF-8 become '?', and with ascii every
 * non-ASCII character does too. Text is cut to the room the layout gives,
 * with "..." (ascii) or "…"; endpoint names are cut in the middle so the
 * port stays visible.
 *
 * When lad->too_narrow, a one-line note says so and the messages are
 * listed one per line, the endpoints numbered in a legend, instead of
 * drawing a ladder that would overlap or overflow. */
void render_flow_text(FILE *out, const struct ss_ladder *lad,
		      const char *title, bool ascii);

#endif
