/*
 * ladder.h - the call-flow ladder's layout, computed once.
 *
 * The text report, the TUI and the HTML/SVG report all draw the same
 * ladder (STYLE section 1), so everything a renderer must agree on lives
 * here: which endpoints become columns and in what order, where each
 * lifeline sits, how much room every label and name has, and the time and
 * delta strings of each row. Renderers only choose glyphs, truncate text
 * to the room given and escape it for their medium.
 *
 * The input is a plain array of events, not the dialog structs, so any
 * source (a dialog, a transaction, several linked legs) can be drawn.
 *
 * Geometry is in character cells. A line is `width` cells: a gutter of
 * `gutter` cells on the left (time on a row's label line, delta on its
 * arrow line), then one equal slot of `slot` cells per column with the
 * column's lifeline in the slot's middle. This layer does no I/O.
 */
#ifndef SS_LADDER_H
#define SS_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Event flags. */
#define SS_LADDER_RETRANS   0x1u	/* a retransmission of an earlier message */
#define SS_LADDER_SDP       0x2u	/* carries an SDP body */
#define SS_LADDER_MEDIA     0x4u	/* an RTP stream drawn as one arrow */
#define SS_LADDER_MALFORMED 0x8u	/* the message was flagged malformed */

#define SS_LADDER_DEFAULT_WIDTH 80
#define SS_LADDER_MAX_WIDTH 4096	/* larger --width values are clamped */
#define SS_LADDER_MIN_SLOT 14		/* fewest cells between two lifelines */

/* One message (or media stream) to draw. The strings are only read during
 * ss_ladder_build; the ladder keeps copies. */
struct ss_ladder_event {
	int64_t ts_ns;		/* ns since the Unix epoch */
	const char *src;	/* "ip:port" or "[v6]:port"; NULL is shown as "?" */
	const char *dst;
	const char *label;	/* "INVITE", "180 Ringing"; NULL means "" */
	const char *detail;	/* optional hint, e.g. "SDP PCMU/8000", or NULL */
	unsigned flags;		/* SS_LADDER_* */
	uint64_t ref;		/* the caller's message index, kept for UIs */
};

struct ss_ladder_opts {
	bool merge_hosts;	/* one column per host rather than per host:port */
	int width;		/* cells per line, gutter included; <= 0 means 80 */
};

struct ss_ladder_column {
	char *key;		/* "ip:port", or the host alone when merged */
	char *name;		/* display name: key without IPv6 brackets when merged */
	int x;			/* the lifeline's cell */
	/* The room for the name: name_w cells from name_x, symmetric about
	 * x, a blank cell left between neighbours' rooms. Centre a name of w
	 * cells at name_x + (name_w - w) / 2; cut it if w > name_w. */
	int name_x, name_w;
};

struct ss_ladder_row {
	size_t from, to;	/* column indexes; equal for a self arrow */
	/* The full label: the event's label, then " (detail)" or " (SDP)",
	 * " (retrans)", " (malformed)". Never pre-truncated: a renderer fits
	 * it into text_w cells starting at text_x (centred for an arrow
	 * between two columns, left-aligned beside a self arrow's loop). */
	char *text;
	int text_x, text_w;
	char time[16];		/* "HH:MM:SS.uuuuuu", UTC */
	char delta[24];		/* "+0.120s" from the previous row; "" on the first */
	unsigned flags;
	uint64_t ref;
	int64_t ts_ns;
};

struct ss_ladder {
	struct ss_ladder_column *cols;
	size_t ncols;
	struct ss_ladder_row *rows;
	size_t nrows;
	char date[16];		/* "YYYY-MM-DD" (UTC) of the first row, or "" */
	int width;		/* the requested width after defaults and clamping */
	int gutter;		/* cells of the time/delta gutter, separator included */
	int slot;		/* cells per column */
	/* Cells the layout actually spans: gutter + ncols * slot. It is at
	 * most width, unless too_narrow. */
	int needed;
	/* The columns do not fit width at SS_LADDER_MIN_SLOT cells each. The
	 * layout is still made, at the minimum slot and `needed` cells wide,
	 * for a renderer that can scroll sideways; one that cannot must say
	 * so and draw something else rather than overlap or overflow. */
	bool too_narrow;
};

/* Lay out n events (in the order they are to be drawn, normally time
 * order). Columns appear in order of first appearance, source before
 * destination. opts may be NULL for the defaults. Returns a ladder the
 * caller frees with ss_ladder_free; never NULL (allocation failure exits,
 * see xalloc.h). n == 0 gives a ladder with no columns and no rows. */
struct ss_ladder *ss_ladder_build(const struct ss_ladder_event *ev, size_t n,
				  const struct ss_ladder_opts *opts);

/* Free a ladder and every string it owns. NULL is a no-op. */
void ss_ladder_free(struct ss_ladder *lad);

#endif
