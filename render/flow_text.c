/*
 * flow_text.c - --report flow -T text: the ladder laid out by ladder.c,
 * drawn with box drawing characters or ASCII (see flow.h).
 *
 * Each line is composed on a canvas of lad->width display cells and then
 * written with trailing blanks trimmed, so no line can be wider than the
 * width whatever the labels hold. Text from the wire is sanitized glyph
 * by glyph on its way onto the canvas.
 */
#include "flow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* ------------------------------------------------------------- glyphs */

struct glyphs {
	const char *life, *body, *retrans, *media, *right, *left;
	const char *start_r, *start_l, *loop_top, *loop_bot, *loop_head;
	const char *ell;
	int ell_w;
};

static const struct glyphs uni = {
	.life = "\u2502", .body = "\u2500", .retrans = "\u254C", .media = "\u2550",
	.right = "\u25BA", .left = "\u25C4",
	.start_r = "\u251C", .start_l = "\u2524",
	.loop_top = "\u2510", .loop_bot = "\u2518", .loop_head = "\u25C4",
	.ell = "\u2026", .ell_w = 1,
};

static const struct glyphs asc = {
	.life = "|", .body = "-", .retrans = ".", .media = "=",
	.right = ">", .left = "<",
	.start_r = "|", .start_l = "|",
	.loop_top = "+", .loop_bot = "+", .loop_head = "<",
	.ell = "...", .ell_w = 3,
};

/* ------------------------------------------------------ UTF-8 -> cells */

/* Decode one UTF-8 sequence (RFC 3629: no overlongs, no surrogates, at
 * most U+10FFFF). Returns its length, or 0 if invalid (consume 1 byte). */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
	unsigned c = s[0];
	size_t n;
	uint32_t min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2, min = 0x80, *cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3, min = 0x800, *cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4, min = 0x10000, *cp = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)	/* also stops at the NUL */
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return n;
}

struct range {
	uint32_t lo, hi;
};

static bool in_ranges(uint32_t cp, const struct range *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= r[i].lo && cp <= r[i].hi)
			return true;
	return false;
}

/* Characters that would let a label steer the terminal or reorder the
 * line: C0/C1 controls, DEL, zero-width and bidi formatting. */
static const struct range unsafe[] = {
	{ 0x00, 0x1F }, { 0x7F, 0x9F }, { 0x200B, 0x200F }, { 0x2028, 0x202E },
	{ 0x2060, 0x206F }, { 0xFEFF, 0xFEFF },
};
static const struct range combining[] = {
	{ 0x0300, 0x036F }, { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF },
	{ 0x20D0, 0x20FF }, { 0xFE20, 0xFE2F },
};
/* East Asian Wide and Fullwidth blocks, and the common emoji. */
static const struct range wide[] = {
	{ 0x1100, 0x115F }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF },
	{ 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF },
	{ 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF }, { 0xFE30, 0xFE4F },
	{ 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F },
	{ 0x1F900, 0x1F9FF }, { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD },
};
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The next glyph of s as it will be shown: its bytes in out (NUL
 * terminated, out holds 5), its display cells (0 for a combining mark)
 * and the input bytes it consumes. */
static size_t next_glyph(const char *s, bool ascii, char *out, int *cells)
{
	uint32_t cp;
	size_t n = utf8_decode((const unsigned char *)s, &cp);
	*cells = 1;
	if (n == 0 || in_ranges(cp, unsafe, NELEM(unsafe))) {
		memcpy(out, "?", 2);
		return n ? n : 1;
	}
	if (in_ranges(cp, combining, NELEM(combining)))
		*cells = 0;
	else if (in_ranges(cp, wide, NELEM(wide)))
		*cells = 2;
	if (ascii && n > 1) {
		memcpy(out, *cells ? "?" : "", *cells ? 2 : 1);
		*cells = *cells ? 1 : 0;	/* marks vanish, the rest is '?' */
		return n;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return n;
}

static int text_cells(const char *s, bool ascii)
{
	char g[5];
	int cells, total = 0;
	while (*s) {
		s += next_glyph(s, ascii, g, &cells);
		total += cells;
	}
	return total;
}

/* ------------------------------------------------------------- canvas */

/* A cell holds one glyph (plus combining marks if they fit); the cell
 * after a wide glyph is a continuation and holds "". */
struct cell {
	char s[12];
	bool wide;
};

struct canvas {
	struct cell *c;
	int w;
	bool ascii;
	const struct glyphs *g;
};

static void canvas_clear(struct canvas *cv)
{
	for (int i = 0; i < cv->w; i++) {
		memcpy(cv->c[i].s, " ", 2);
		cv->c[i].wide = false;
	}
}

/* Put a glyph of 1 or 2 cells at x, clipped to the canvas; a wide glyph
 * that is partly overwritten becomes blanks rather than half a glyph. */
static void canvas_set(struct canvas *cv, int x, const char *glyph, int cells)
{
	if (x < 0 || x + cells > cv->w)
		return;
	for (int i = x; i < x + cells; i++) {
		if (cv->c[i].s[0] == '\0' && i > 0) {
			memcpy(cv->c[i - 1].s, " ", 2);
			cv->c[i - 1].wide = false;
		}
		if (cv->c[i].wide && i + 1 < cv->w)
			memcpy(cv->c[i + 1].s, " ", 2);
		cv->c[i].wide = false;
	}
	snprintf(cv->c[x].s, sizeof cv->c[x].s, "%s", glyph);
	cv->c[x].wide = cells == 2;
	if (cells == 2)
		cv->c[x + 1].s[0] = '\0';
}

/* Append a combining mark to the glyph left of x, if it has room. */
static void canvas_mark(struct canvas *cv, int x, const char *mark)
{
	if (x <= 0 || x > cv->w)
		return;
	struct cell *c = &cv->c[x - 1];
	if (c->s[0] == '\0' && x >= 2)
		c = &cv->c[x - 2];
	size_t have = strlen(c->s), add = strlen(mark);
	if (have && have + add < sizeof c->s)
		memcpy(c->s + have, mark, add + 1);
}

/* Write s from x using at most max cells, sanitized; returns the next x.
 * skip > 0 drops glyphs worth that many cells first (for a suffix). */
static int put_run(struct canvas *cv, int x, int max, const char *s, int skip)
{
	char g[5];
	int cells, used = 0;
	while (*s) {
		size_t n = next_glyph(s, cv->ascii, g, &cells);
		if (skip > 0) {
			skip -= cells;
			s += n;
			continue;
		}
		if (used + cells > max)
			break;
		if (cells == 0)
			canvas_mark(cv, x + used, g);
		else
			canvas_set(cv, x + used, g, cells);
		used += cells;
		s += n;
	}
	return x + used;
}

enum cut { CUT_END, CUT_MIDDLE };

/* The cells s takes once fitted to max. */
static int fitted_cells(const char *s, int max, bool ascii)
{
	int total = text_cells(s, ascii);
	return total < max ? total : max;
}

/* Write s at x in at most max cells; if it is wider, cut it at the end
 * or in the middle and mark the cut with the ellipsis. */
static void put_fit(struct canvas *cv, int x, int max, const char *s,
		    enum cut cut)
{
	int total = text_cells(s, cv->ascii);
	const struct glyphs *g = cv->g;
	if (max <= 0)
		return;
	if (total <= max || max <= g->ell_w) {
		put_run(cv, x, max, s, 0);
		return;
	}
	int keep = max - g->ell_w;
	int head = cut == CUT_MIDDLE ? (keep + 1) / 2 : keep;
	int tail = keep - head;
	int end = put_run(cv, x, head, s, 0);
	end = put_run(cv, end, g->ell_w, g->ell, 0);
	if (tail > 0)
		put_run(cv, end, tail, s, total - tail);
}

/* Centre s in the room [x, x + w). */
static void put_centred(struct canvas *cv, int x, int w, const char *s,
			enum cut cut)
{
	int used = fitted_cells(s, w, cv->ascii);
	put_fit(cv, x + (w - used) / 2, w, s, cut);
}

static void canvas_print(const struct canvas *cv, FILE *out)
{
	int last = cv->w - 1;
	while (last >= 0 && strcmp(cv->c[last].s, " ") == 0)
		last--;
	for (int i = 0; i <= last; i++)
		fputs(cv->c[i].s, out);
	fputc('\n', out);
}

static void print_text_line(struct canvas *cv, FILE *out, const char *s)
{
	canvas_clear(cv);
	put_fit(cv, 0, cv->w, s, CUT_END);
	canvas_print(cv, out);
}

/* ------------------------------------------------------------- ladder */

static void draw_lifelines(struct canvas *cv, const struct ss_ladder *lad)
{
	for (size_t i = 0; i < lad->ncols; i++)
		canvas_set(cv, lad->cols[i].x, cv->g->life, 1);
}

static void draw_header(struct canvas *cv, const struct ss_ladder *lad, FILE *out)
{
	char date[32];
	canvas_clear(cv);
	if (lad->date[0]) {
		snprintf(date, sizeof date, "%s UTC", lad->date);
		put_fit(cv, 0, lad->gutter - 1, date, CUT_END);
	}
	for (size_t i = 0; i < lad->ncols; i++) {
		const struct ss_ladder_column *c = &lad->cols[i];
		put_centred(cv, c->name_x, c->name_w, c->name, CUT_MIDDLE);
	}
	canvas_print(cv, out);
}

static const char *body_of(const struct glyphs *g, unsigned flags)
{
	if (flags & SS_LADDER_RETRANS)
		return g->retrans;
	return flags & SS_LADDER_MEDIA ? g->media : g->body;
}

/* The label line: time in the gutter, lifelines, the label over the
 * arrow's span, or the loop's top and the label beside it. */
static void draw_label_line(struct canvas *cv, const struct ss_ladder *lad,
			    const struct ss_ladder_row *r, FILE *out)
{
	const struct glyphs *g = cv->g;
	canvas_clear(cv);
	put_fit(cv, 0, lad->gutter - 1, r->time, CUT_END);
	draw_lifelines(cv, lad);
	if (r->from == r->to) {
		int x = lad->cols[r->from].x;
		canvas_set(cv, x, g->start_r, 1);
		canvas_set(cv, x + 1, body_of(g, r->flags), 1);
		canvas_set(cv, x + 2, body_of(g, r->flags), 1);
		canvas_set(cv, x + 3, g->loop_top, 1);
		put_fit(cv, r->text_x, r->text_w, r->text, CUT_END);
	} else {
		put_centred(cv, r->text_x, r->text_w, r->text, CUT_END);
	}
	canvas_print(cv, out);
}

static void draw_arrow(struct canvas *cv, int xf, int xt, unsigned flags)
{
	const struct glyphs *g = cv->g;
	const char *body = body_of(g, flags);
	if (xf < xt) {
		canvas_set(cv, xf, g->start_r, 1);
		for (int x = xf + 1; x < xt - 1; x++)
			canvas_set(cv, x, body, 1);
		canvas_set(cv, xt - 1, g->right, 1);
	} else {
		canvas_set(cv, xt + 1, g->left, 1);
		for (int x = xt + 2; x < xf; x++)
			canvas_set(cv, x, body, 1);
		canvas_set(cv, xf, g->start_l, 1);
	}
}

/* The arrow line: delta right-aligned in the gutter, lifelines, arrow. */
static void draw_arrow_line(struct canvas *cv, const struct ss_ladder *lad,
			    const struct ss_ladder_row *r, FILE *out)
{
	const struct glyphs *g = cv->g;
	int dw = (int)strlen(r->delta);
	canvas_clear(cv);
	put_fit(cv, lad->gutter - 1 - dw, dw, r->delta, CUT_END);
	draw_lifelines(cv, lad);
	int xf = lad->cols[r->from].x, xt = lad->cols[r->to].x;
	if (r->from == r->to) {
		canvas_set(cv, xf + 1, g->loop_head, 1);
		canvas_set(cv, xf + 2, body_of(g, r->flags), 1);
		canvas_set(cv, xf + 3, g->loop_bot, 1);
	} else {
		draw_arrow(cv, xf, xt, r->flags);
	}
	canvas_print(cv, out);
}

static void draw_ladder(struct canvas *cv, const struct ss_ladder *lad, FILE *out)
{
	draw_header(cv, lad, out);
	for (size_t i = 0; i < lad->nrows; i++) {
		draw_label_line(cv, lad, &lad->rows[i], out);
		draw_arrow_line(cv, lad, &lad->rows[i], out);
	}
}

/* --------------------------------------------------------------- list */

/* Too many columns for the width: a legend and one line per message. */
static void draw_list(struct canvas *cv, const struct ss_ladder *lad, FILE *out)
{
	char buf[128];
	snprintf(buf, sizeof buf, "(%zu endpoints need %d columns, width is %d:"
		 " listed, not drawn)", lad->ncols, lad->needed, lad->width);
	print_text_line(cv, out, buf);
	for (size_t i = 0; i < lad->ncols; i++) {
		int n = snprintf(buf, sizeof buf, "[%zu] ", i + 1);
		canvas_clear(cv);
		put_fit(cv, 0, cv->w, buf, CUT_END);
		put_fit(cv, n, cv->w - n, lad->cols[i].name, CUT_MIDDLE);
		canvas_print(cv, out);
	}
	int dw = 0;
	for (size_t i = 0; i < lad->nrows; i++)
		if ((int)strlen(lad->rows[i].delta) > dw)
			dw = (int)strlen(lad->rows[i].delta);
	for (size_t i = 0; i < lad->nrows; i++) {
		const struct ss_ladder_row *r = &lad->rows[i];
		int n = snprintf(buf, sizeof buf, "%-15s %*s [%zu]->[%zu] ",
				 r->time, dw, r->delta,
				 r->from + 1, r->to + 1);
		canvas_clear(cv);
		put_fit(cv, 0, cv->w, buf, CUT_END);
		if (n > 0 && n < cv->w)
			put_fit(cv, n, cv->w - n, r->text, CUT_END);
		canvas_print(cv, out);
	}
}

/* ---------------------------------------------------------------- API */

void render_flow_text(FILE *out, const struct ss_ladder *lad,
		      const char *title, bool ascii)
{
	struct canvas cv = {
		.c = xcalloc((size_t)lad->width, sizeof *cv.c),
		.w = lad->width, .ascii = ascii, .g = ascii ? &asc : &uni,
	};
	if (title)
		print_text_line(&cv, out, title);
	if (lad->nrows == 0)
		print_text_line(&cv, out, "(no messages)");
	else if (lad->too_narrow)
		draw_list(&cv, lad, out);
	else
		draw_ladder(&cv, lad, out);
	free(cv.c);
}
