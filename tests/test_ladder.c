/* test_ladder.c - the call-flow ladder's layout model and text renderer. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "flow.h"
#include "ladder.h"

#define T0 1714557600000000000LL	/* 2024-05-01T10:00:00Z */
#define MS 1000000LL
#define MAXC 12
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char A[] = "10.0.0.1:5060", B[] = "10.0.0.2:5060";

/* The basic call: INVITE, 100, 180, 200 (SDP), ACK, BYE, 200. */
static const struct ss_ladder_event basic[] = {
	{ T0 + 123456000, A, B, "INVITE", NULL, SS_LADDER_SDP, 1 },
	{ T0 + 143456000, B, A, "100 Trying", NULL, 0, 2 },
	{ T0 + 263456000, B, A, "180 Ringing", NULL, 0, 3 },
	{ T0 + 2263456000, B, A, "200 OK", "SDP PCMU/8000", SS_LADDER_SDP, 4 },
	{ T0 + 2283456000, A, B, "ACK", NULL, 0, 5 },
	{ T0 + 12283456000, A, B, "BYE", NULL, 0, 6 },
	{ T0 + 12303456000, B, A, "200 OK", NULL, 0, 7 },
};

static const struct ss_ladder_event proxy[] = {
	{ T0, "10.0.0.1:5060", "10.0.0.9:5060", "INVITE", NULL, SS_LADDER_SDP, 1 },
	{ T0 + 5 * MS, "10.0.0.9:5060", "10.0.0.2:5060", "INVITE", NULL, SS_LADDER_SDP, 2 },
	{ T0 + 9 * MS, "10.0.0.2:5060", "10.0.0.1:5060", "RTP PCMU", NULL, SS_LADDER_MEDIA, 3 },
};

static const struct ss_ladder_event ports[] = {
	{ T0, "10.0.0.1:5060", "10.0.0.2:5060", "INVITE", NULL, 0, 1 },
	{ T0 + MS, "10.0.0.2:5080", "10.0.0.1:5060", "100 Trying", NULL, 0, 2 },
	{ T0 + 2 * MS, "[2001:db8::1]:5060", "10.0.0.2:5080", "OPTIONS", NULL, 0, 3 },
	{ T0 + 3 * MS, "[2001:db8::1]:5062", "10.0.0.1:5070", "MESSAGE", NULL, 0, 4 },
};

static const struct ss_ladder_event self[] = {
	{ T0, "10.0.0.1:5060", "10.0.0.1:5062", "OPTIONS", NULL, 0, 1 },
	{ T0 + MS, "10.0.0.1:5062", "10.0.0.2:5060", "INVITE", NULL, 0, 2 },
	{ T0 + 2 * MS, "10.0.0.2:5060", "10.0.0.2:5099", "NOTIFY", NULL, 0, 3 },
};

static const struct ss_ladder_event ten[] = {
	{ T0, "10.0.0.1:1", "10.0.0.2:2", "INVITE", NULL, 0, 1 },
	{ T0, "10.0.0.3:3", "10.0.0.4:4", "INVITE", NULL, 0, 2 },
	{ T0, "10.0.0.5:5", "10.0.0.6:6", "INVITE", NULL, 0, 3 },
	{ T0, "10.0.0.7:7", "10.0.0.8:8", "INVITE", NULL, 0, 4 },
	{ T0, "10.0.0.9:9", "10.0.0.10:10", "INVITE", NULL, SS_LADDER_RETRANS, 5 },
};

static const struct ss_ladder_event longlab[] = {
	{ T0, A, B, "488 Not Acceptable Here because the offered codecs are all refused",
	  NULL, 0, 1 },
	{ T0 + 1000000000LL * 1000000000LL, B, A, "ACK", NULL, 0, 2 },
};

/* ------------------------------------------------------------ layouts */

static const struct layout_case {
	const char *name;
	const struct ss_ladder_event *ev;
	size_t n;
	bool merge;
	int width;
	bool too_narrow;
	int gutter, slot, needed;
	size_t ncols;
	const char *names[MAXC];
	int x[MAXC];
	int name_w;
	struct { size_t from, to; int text_x, text_w; } rows[8];
} layouts[] = {
	{ "2 endpoints, 80", basic, NELEM(basic), false, 80, false, 16, 32, 80,
	  2, { A, B }, { 32, 64 }, 31,
	  { { 0, 1, 34, 29 }, { 1, 0, 34, 29 } } },
	{ "2 endpoints, 60", basic, NELEM(basic), false, 60, false, 16, 22, 60,
	  2, { A, B }, { 27, 49 }, 21, { { 0, 1, 29, 19 }, { 1, 0, 29, 19 } } },
	{ "2 endpoints, 120", basic, NELEM(basic), false, 120, false, 16, 52, 120,
	  2, { A, B }, { 42, 94 }, 51, { { 0, 1, 44, 49 } } },
	{ "width 0 is 80", basic, NELEM(basic), false, 0, false, 16, 32, 80,
	  2, { A, B }, { 32, 64 }, 31, { { 0, 1, 34, 29 } } },
	{ "3 endpoints with a proxy", proxy, NELEM(proxy), false, 80, false, 16, 21, 79,
	  3, { "10.0.0.1:5060", "10.0.0.9:5060", "10.0.0.2:5060" }, { 26, 47, 68 }, 19,
	  { { 0, 1, 28, 18 }, { 1, 2, 49, 18 }, { 2, 0, 28, 39 } } },
	{ "ports kept apart", ports, NELEM(ports), false, 120, false, 16, 17, 118,
	  6, { "10.0.0.1:5060", "10.0.0.2:5060", "10.0.0.2:5080", "[2001:db8::1]:5060",
	       "[2001:db8::1]:5062", "10.0.0.1:5070" }, { 24, 41, 58, 75, 92, 109 }, 15,
	  { { 0, 1, 26, 14 }, { 2, 0, 26, 31 } } },
	{ "merge-hosts merges ports", ports, NELEM(ports), true, 80, false, 16, 21, 79,
	  3, { "10.0.0.1", "10.0.0.2", "2001:db8::1" }, { 26, 47, 68 }, 19,
	  { { 0, 1, 28, 18 }, { 1, 0, 28, 18 }, { 2, 1, 49, 18 }, { 2, 0, 28, 39 } } },
	{ "self arrows when merged", self, NELEM(self), true, 80, false, 16, 32, 80,
	  2, { "10.0.0.1", "10.0.0.2" }, { 32, 64 }, 31,
	  { { 0, 0, 37, 26 }, { 0, 1, 34, 29 }, { 1, 1, 69, 11 } } },
	{ "10 endpoints too many for 80", ten, NELEM(ten), false, 80, true, 16, 14, 156,
	  10, { "10.0.0.1:1", "10.0.0.2:2", "10.0.0.3:3" }, { 23, 37, 51 }, 13,
	  { { 0, 1, 25, 11 }, { 2, 3, 53, 11 } } },
	{ "10 endpoints fit 156", ten, NELEM(ten), false, 156, false, 16, 14, 156,
	  10, { "10.0.0.1:1" }, { 23, 37, 51, 65, 79, 93, 107, 121, 135, 149 }, 13,
	  { { 0, 1, 25, 11 }, { 2, 3, 53, 11 }, { 4, 5, 81, 11 }, { 6, 7, 109, 11 },
	    { 8, 9, 137, 11 } } },
	{ "long label, wide gutter", longlab, NELEM(longlab), false, 80, false, 17, 31, 79,
	  2, { A, B }, { 32, 63 }, 29, { { 0, 1, 34, 28 } } },
};

static void check_layout(const struct layout_case *c)
{
	struct ss_ladder_opts o = { c->merge, c->width };
	struct ss_ladder *lad = ss_ladder_build(c->ev, c->n, &o);
	if (lad->ncols != c->ncols || lad->too_narrow != c->too_narrow ||
	    lad->gutter != c->gutter || lad->slot != c->slot || lad->needed != c->needed)
		fail_msg("%s: ncols %zu narrow %d gutter %d slot %d needed %d", c->name,
			 lad->ncols, lad->too_narrow, lad->gutter, lad->slot, lad->needed);
	assert_int_equal(lad->nrows, c->n);
	for (size_t i = 0; i < MAXC && i < lad->ncols; i++) {
		if (c->names[i] && strcmp(lad->cols[i].name, c->names[i]) != 0)
			fail_msg("%s: col %zu is %s", c->name, i, lad->cols[i].name);
		if (c->x[i] && lad->cols[i].x != c->x[i])
			fail_msg("%s: col %zu x %d", c->name, i, lad->cols[i].x);
		assert_int_equal(lad->cols[i].name_w, c->name_w);
		assert_int_equal(lad->cols[i].name_x, lad->cols[i].x - c->name_w / 2);
	}
	for (size_t i = 0; i < NELEM(c->rows) && c->rows[i].text_w; i++) {
		const struct ss_ladder_row *r = &lad->rows[i];
		if (r->from != c->rows[i].from || r->to != c->rows[i].to ||
		    r->text_x != c->rows[i].text_x || r->text_w != c->rows[i].text_w)
			fail_msg("%s: row %zu %zu->%zu text %d+%d", c->name, i, r->from,
				 r->to, r->text_x, r->text_w);
	}
	ss_ladder_free(lad);
}

static void test_layouts(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(layouts); i++)
		check_layout(&layouts[i]);
}

/* --------------------------------------------------------------- rows */

static const struct row_case {
	const char *name;
	struct ss_ladder_event ev;
	const char *text;
} row_cases[] = {
	{ "plain", { T0, A, B, "BYE", NULL, 0, 9 }, "BYE" },
	{ "SDP flag", { T0, A, B, "INVITE", NULL, SS_LADDER_SDP, 9 }, "INVITE (SDP)" },
	{ "detail wins over the flag",
	  { T0, A, B, "200 OK", "SDP PCMU/8000", SS_LADDER_SDP, 9 }, "200 OK (SDP PCMU/8000)" },
	{ "retransmission", { T0, A, B, "INVITE", NULL, SS_LADDER_SDP | SS_LADDER_RETRANS, 9 },
	  "INVITE (SDP) (retrans)" },
	{ "malformed", { T0, A, B, "INVITE", NULL, SS_LADDER_MALFORMED, 9 },
	  "INVITE (malformed)" },
	{ "NULL label and endpoints", { T0, NULL, NULL, NULL, NULL, 0, 9 }, "" },
};

static void test_row_text(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(row_cases); i++) {
		struct ss_ladder *lad = ss_ladder_build(&row_cases[i].ev, 1, NULL);
		if (strcmp(lad->rows[0].text, row_cases[i].text) != 0)
			fail_msg("%s: got '%s'", row_cases[i].name, lad->rows[0].text);
		assert_int_equal(lad->rows[0].ref, 9);
		assert_int_equal(lad->rows[0].flags, row_cases[i].ev.flags);
		ss_ladder_free(lad);
	}
}

static void test_times(void **state)
{
	(void)state;
	static const struct ss_ladder_event ev[] = {
		{ T0 + 123456789, A, B, "INVITE", NULL, 0, 1 },
		{ T0 + 243456789, B, A, "100", NULL, 0, 2 },
		{ T0 + 238456789, B, A, "180", NULL, 0, 3 },	/* out of order */
		{ T0 + 3600238456789, B, A, "200", NULL, 0, 4 },
	};
	static const char *want_time[] = { "10:00:00.123456", "10:00:00.243456",
					   "10:00:00.238456", "11:00:00.238456" };
	static const char *want_delta[] = { "", "+0.120s", "-0.005s", "+3600.000s" };
	struct ss_ladder *lad = ss_ladder_build(ev, NELEM(ev), NULL);
	assert_string_equal(lad->date, "2024-05-01");
	for (size_t i = 0; i < NELEM(ev); i++) {
		assert_string_equal(lad->rows[i].time, want_time[i]);
		assert_string_equal(lad->rows[i].delta, want_delta[i]);
		assert_true(lad->rows[i].ts_ns == ev[i].ts_ns);
	}
	ss_ladder_free(lad);
}

static void test_empty_and_clamp(void **state)
{
	(void)state;
	struct ss_ladder_opts o = { false, 100000 };
	struct ss_ladder *lad = ss_ladder_build(NULL, 0, &o);
	assert_int_equal(lad->ncols, 0);
	assert_int_equal(lad->nrows, 0);
	assert_int_equal(lad->width, SS_LADDER_MAX_WIDTH);
	assert_false(lad->too_narrow);
	assert_string_equal(lad->date, "");
	ss_ladder_free(lad);
	o.width = -3;
	lad = ss_ladder_build(basic, 1, &o);
	assert_int_equal(lad->width, 80);
	ss_ladder_free(lad);
	ss_ladder_free(NULL);
}

/* Many endpoints: the column map grows and still finds every key. */
static void test_many_columns(void **state)
{
	(void)state;
	enum { N = 300 };
	static char names[N][24];
	static struct ss_ladder_event ev[2 * N];
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof names[i], "10.0.%d.%d:5060", i / 256, i % 256);
		ev[i] = (struct ss_ladder_event){ T0, names[i], names[0], "X", NULL, 0, 0 };
		ev[N + i] = (struct ss_ladder_event){ T0, names[N - 1 - i], names[i], "Y",
						      NULL, 0, 0 };
	}
	struct ss_ladder *lad = ss_ladder_build(ev, 2 * N, NULL);
	assert_int_equal(lad->ncols, N);
	assert_true(lad->too_narrow);
	for (int i = 0; i < N; i++) {
		assert_string_equal(lad->cols[i].key, names[i]);
		assert_int_equal(lad->rows[N + i].from, N - 1 - i);
		assert_int_equal(lad->rows[N + i].to, i);
	}
	ss_ladder_free(lad);
}

/* ---------------------------------------------------------- rendering */

static char *render(const struct ss_ladder_event *ev, size_t n, bool merge,
		    int width, const char *title, bool ascii)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	struct ss_ladder_opts o = { merge, width };
	struct ss_ladder *lad = ss_ladder_build(ev, n, &o);
	render_flow_text(f, lad, title, ascii);
	ss_ladder_free(lad);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/* Display cells of one line: code points, CJK counted twice (the only
 * wide characters these tests use). */
static int line_cells(const char *s, size_t len)
{
	int cells = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) == 0x80)
			continue;
		cells += c == 0xE6 || c == 0xE8 ? 2 : 1;	/* U+6xxx, U+8xxx */
	}
	return cells;
}

/* Every line fits the width; ASCII output is ASCII; no control bytes. */
static void check_lines(const char *name, const char *out, int width, bool ascii)
{
	for (const char *p = out; *p;) {
		const char *nl = strchr(p, '\n');
		assert_non_null(nl);
		if (line_cells(p, (size_t)(nl - p)) > width)
			fail_msg("%s: line wider than %d: %.*s", name, width, (int)(nl - p), p);
		for (const char *q = p; q < nl; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7F ||
			    (ascii && (unsigned char)*q >= 0x80))
				fail_msg("%s: byte 0x%02X in %.*s", name, (unsigned char)*q,
					 (int)(nl - p), p);
		p = nl + 1;
	}
}

static const char golden_unicode[] =
"Call-ID abc@host  INVITE  COMPLETED\n"
"2024-05-01 UTC            10.0.0.1:5060                   10.0.0.2:5060\n"
"10:00:00.123456                 │         INVITE (SDP)          │\n"
"                                ├──────────────────────────────►│\n"
"10:00:00.143456                 │          100 Trying           │\n"
"        +0.020s                 │◄──────────────────────────────┤\n"
"10:00:00.263456                 │          180 Ringing          │\n"
"        +0.120s                 │◄──────────────────────────────┤\n"
"10:00:02.263456                 │    200 OK (SDP PCMU/8000)     │\n"
"        +2.000s                 │◄──────────────────────────────┤\n"
"10:00:02.283456                 │              ACK              │\n"
"        +0.020s                 ├──────────────────────────────►│\n"
"10:00:12.283456                 │              BYE              │\n"
"       +10.000s                 ├──────────────────────────────►│\n"
"10:00:12.303456                 │            200 OK             │\n"
"        +0.020s                 │◄──────────────────────────────┤\n";

static const char golden_ascii[] =
"Call-ID abc@host  INVITE  COMPLETED\n"
"2024-05-01 UTC            10.0.0.1:5060                   10.0.0.2:5060\n"
"10:00:00.123456                 |         INVITE (SDP)          |\n"
"                                |------------------------------>|\n"
"10:00:00.143456                 |          100 Trying           |\n"
"        +0.020s                 |<------------------------------|\n"
"10:00:00.263456                 |          180 Ringing          |\n"
"        +0.120s                 |<------------------------------|\n"
"10:00:02.263456                 |    200 OK (SDP PCMU/8000)     |\n"
"        +2.000s                 |<------------------------------|\n"
"10:00:02.283456                 |              ACK              |\n"
"        +0.020s                 |------------------------------>|\n"
"10:00:12.283456                 |              BYE              |\n"
"       +10.000s                 |------------------------------>|\n"
"10:00:12.303456                 |            200 OK             |\n"
"        +0.020s                 |<------------------------------|\n";

static void test_golden(void **state)
{
	(void)state;
	static const char title[] = "Call-ID abc@host  INVITE  COMPLETED";
	char *u = render(basic, NELEM(basic), false, 80, title, false);
	char *a = render(basic, NELEM(basic), false, 80, title, true);
	check_lines("unicode", u, 80, false);
	check_lines("ascii", a, 80, true);
	if (strcmp(u, golden_unicode) != 0)
		fail_msg("unicode ladder:\n%s", u);
	if (strcmp(a, golden_ascii) != 0)
		fail_msg("ascii ladder:\n%s", a);
	free(u);
	free(a);
}

/* Rendered output of the layout cases: each line fits, and some lines
 * hold what they must. */
static const struct render_case {
	const char *name;
	const struct ss_ladder_event *ev;
	size_t n;
	bool merge;
	int width;
	bool ascii;
	const char *title;
	const char *want[4];	/* substrings that must appear */
} renders[] = {
	{ "60 cols", basic, NELEM(basic), false, 60, false, NULL,
	  { "│ 200 OK (SDP PCMU/8… │", "│◄───" } },
	{ "120 cols ascii", basic, NELEM(basic), false, 120, true, NULL,
	  { "200 OK (SDP PCMU/8000)", "|<---" } },
	{ "proxy, media arrow", proxy, NELEM(proxy), false, 80, false, NULL,
	  { "│◄══════", "══════════┤", "RTP PCMU" } },
	{ "proxy ascii crosses the middle lifeline", proxy, NELEM(proxy), false, 80, true,
	  NULL, { "|<========================================|" } },
	{ "self arrow", self, NELEM(self), true, 80, false, NULL,
	  { "├──┐ OPTIONS", "│◄─┘", "├──┐ NOTIFY", "10.0.0.1" } },
	{ "self arrow ascii", self, NELEM(self), true, 80, true, NULL,
	  { "|--+ OPTIONS", "|<-+" } },
	{ "too narrow lists", ten, NELEM(ten), false, 80, false, NULL,
	  { "(10 endpoints need 156 columns, width is 80: listed, not drawn)",
	    "[10] 10.0.0.10:10", "10:00:00.000000 +0.000s [9]->[10] INVITE (retrans)" } },
	{ "retransmission dotted", ten, NELEM(ten), false, 156, true, NULL,
	  { "| INVITE (... |", "|............>|" } },
	{ "retransmission dashed", ten, NELEM(ten), false, 156, false, NULL,
	  { "├╌╌╌╌╌╌╌╌╌╌╌╌►│" } },
	{ "long label cut", longlab, NELEM(longlab), false, 80, false, "x",
	  { "488 Not Acceptable Here bec…", "+1000000000.000s" } },
	{ "long label cut ascii", longlab, NELEM(longlab), false, 80, true, NULL,
	  { "488 Not Acceptable Here b..." } },
	{ "names cut in the middle", ports, NELEM(ports), false, 100, false, NULL,
	  { " [2001:…]:5060 [2001:…]:5062 " } },
	{ "tiny width", basic, NELEM(basic), false, 20, true,
	  "a title far longer than twenty cells", { "a title far longe...", "[1] 10.0.0.1:5060" } },
	{ "empty", basic, 0, false, 80, false, "t", { "t\n(no messages)\n" } },
};

static void test_renders(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(renders); i++) {
		const struct render_case *c = &renders[i];
		char *out = render(c->ev, c->n, c->merge, c->width, c->title, c->ascii);
		check_lines(c->name, out, c->width, c->ascii);
		for (size_t k = 0; k < NELEM(c->want) && c->want[k]; k++)
			if (!strstr(out, c->want[k]))
				fail_msg("%s: no '%s' in\n%s", c->name, c->want[k], out);
		free(out);
	}
}

/* Hostile and non-ASCII labels: sanitized, and fitted by display cells. */
static const struct text_case {
	const char *name;
	const char *label;
	bool ascii;
	const char *want;	/* the label line after the lifeline */
} texts[] = {
	{ "escape sequence", "486 \x1b[31mBusy", false, "486 ?[31mBusy" },
	{ "bidi override", "BYE \xe2\x80\xae" "evil", false, "BYE ?evil" },
	{ "invalid UTF-8", "A\xff\xc3(\xed\xa0\x80Z", false, "A??" "(???Z" },
	{ "accents kept", "486 Occup\xc3\xa9", false, "486 Occupé" },
	{ "accents in ascii", "486 Occup\xc3\xa9", true, "486 Occup?" },
	{ "combining mark", "Cafe\xcc\x81", false, "Cafe\xcc\x81" },
	{ "combining mark in ascii", "Cafe\xcc\x81", true, "Cafe" },
	{ "wide characters cut by cells",
	  "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5"
	  "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5", false,
	  "\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5\xe2\x80\xa6" },
};

static void test_sanitize(void **state)
{
	(void)state;
	for (size_t i = 0; i < NELEM(texts); i++) {
		struct ss_ladder_event ev = { T0, A, B, texts[i].label, NULL, 0, 1 };
		/* width 50: the label room is 11 cells */
		char *out = render(&ev, 1, false, 50, NULL, texts[i].ascii);
		check_lines(texts[i].name, out, 50, texts[i].ascii);
		if (!strstr(out, texts[i].want))
			fail_msg("%s: no '%s' in\n%s", texts[i].name, texts[i].want, out);
		free(out);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layouts),
		cmocka_unit_test(test_row_text),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_empty_and_clamp),
		cmocka_unit_test(test_many_columns),
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_renders),
		cmocka_unit_test(test_sanitize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
