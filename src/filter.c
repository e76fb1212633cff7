/*
 * filter.c - see filter.h for the language.
 *
 * A hand-written recursive-descent parser over the expression string, so
 * each error can name the exact column. "and"/"or" chains become one n-ary
 * node rather than a left-deep tree: evaluation recursion depth is then
 * bounded by the nesting of "(" and "not", which the parser caps at
 * MAX_DEPTH, however many terms an expression has.
 */
#include "filter.h"

#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "xalloc.h"

#define MAX_DEPTH 64
#define SHOW_MAX 24	/* bytes of an offending token quoted in a message */

/* ------------------------------------------------------------ fields */

static const struct field_info {
	const char *name;
	const char *alias;
	bool numeric;
	bool icase;	/* = != ~ !~ ignore ASCII case */
} fields[SS_FF_COUNT] = {
	[SS_FF_METHOD] = { "method", NULL, false, true },
	[SS_FF_STATE] = { "state", NULL, false, true },
	[SS_FF_CODE] = { "code", "final_code", true, false },
	[SS_FF_FROM] = { "from", NULL, false, false },
	[SS_FF_TO] = { "to", NULL, false, false },
	[SS_FF_FROM_USER] = { "from_user", NULL, false, false },
	[SS_FF_TO_USER] = { "to_user", NULL, false, false },
	[SS_FF_CALLID] = { "callid", "call_id", false, false },
	[SS_FF_DURATION] = { "duration", NULL, true, false },
	[SS_FF_SETUP] = { "setup", "setup_ms", true, false },
	[SS_FF_PDD] = { "pdd", "pdd_ms", true, false },
	[SS_FF_MSGS] = { "msgs", NULL, true, false },
	[SS_FF_RETRANS] = { "retrans", NULL, true, false },
	[SS_FF_TRANSPORT] = { "transport", NULL, false, true },
	[SS_FF_SRC] = { "src", NULL, false, false },
	[SS_FF_DST] = { "dst", NULL, false, false },
	[SS_FF_UA] = { "ua", "user_agent", false, false },
	[SS_FF_REASON] = { "reason", NULL, false, false },
	[SS_FF_X_CALLID] = { "x_callid", NULL, false, false },
};

const char *ss_filter_field_name(enum ss_filter_field f)
{
	return (unsigned)f < SS_FF_COUNT ? fields[f].name : "?";
}

bool ss_filter_field_is_numeric(enum ss_filter_field f)
{
	return (unsigned)f < SS_FF_COUNT && fields[f].numeric;
}

static bool word_ieq(const char *w, size_t n, const char *lit)
{
	return lit && ss_str_ieq(ss_str_make(w, n), lit);
}

static int field_lookup(const char *w, size_t n)
{
	for (int i = 0; i < SS_FF_COUNT; i++)
		if (word_ieq(w, n, fields[i].name) ||
		    word_ieq(w, n, fields[i].alias))
			return i;
	return -1;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Levenshtein distance, ASCII case-insensitive; words of up to 31 bytes
 * (longer ones get no suggestion: SIZE_MAX). */
static size_t edit_distance(const char *a, size_t na, const char *b)
{
	size_t nb = strlen(b), row[32];
	if (na >= 32 || nb >= 32)
		return SIZE_MAX;
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];
			size_t sub = diag + (lower(a[i - 1]) != b[j - 1]);
			size_t best = up + 1 < row[j - 1] + 1 ? up + 1
							       : row[j - 1] + 1;
			row[j] = sub < best ? sub : best;
			diag = up;
		}
	}
	return row[nb];
}

static const char *suggest_field(const char *w, size_t n)
{
	const char *best = NULL;
	size_t bestd = 3;	/* suggest only within two edits */
	for (int i = 0; i < SS_FF_COUNT; i++) {
		size_t d = edit_distance(w, n, fields[i].name);
		if (d < bestd && d < n) {
			best = fields[i].name;
			bestd = d;
		}
	}
	return best;
}

/* ------------------------------------------------------------ values */

/* A decimal number, "[+-]digits[.digits]", independent of the locale
 * (the program may have called setlocale for the terminal). */
static bool parse_number(const char *t, double *out)
{
	const char *p = t;
	bool neg = *p == '-';
	double v = 0, scale = 0.1;
	int digits = 0;
	if (*p == '+' || *p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		v = v * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, digits++, scale /= 10)
			v += (*p - '0') * scale;
	if (*p != '\0' || digits == 0 || !(v <= DBL_MAX))
		return false;
	*out = neg ? -v : v;
	return true;
}

/* The decimal text a ~ on a numeric field sees: "486", "-3", "12.5",
 * "0.125" (at most three decimals, '.' whatever the locale). */
static size_t format_number(double v, char *buf, size_t cap)
{
	double a = v < 0 ? -v : v;
	if (!(a < 1e15)) {
		int n = snprintf(buf, cap, "%.0f", v);
		return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
	}
	unsigned long long milli = (unsigned long long)(a * 1000.0 + 0.5);
	int n = snprintf(buf, cap, "%s%llu.%03u", v < 0 && milli ? "-" : "",
			 milli / 1000, (unsigned)(milli % 1000));
	size_t len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
	while (len > 0 && buf[len - 1] == '0')	/* there is always a '.' */
		len--;
	if (len > 0 && buf[len - 1] == '.')
		len--;
	buf[len] = '\0';
	return len;
}

/* ------------------------------------------------------------ tree */

enum node_kind { N_TERM, N_AND, N_OR, N_NOT };
/* The ordering operators OP_LT..OP_GE are contiguous. */
enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_RE, OP_NRE };

static const char *const op_names[] = {
	[OP_EQ] = "=", [OP_NE] = "!=", [OP_LT] = "<", [OP_LE] = "<=",
	[OP_GT] = ">", [OP_GE] = ">=", [OP_RE] = "~", [OP_NRE] = "!~",
};

struct node {
	enum node_kind kind;
	size_t nkids;		/* N_AND, N_OR: >= 2; N_NOT: 1 */
	struct node **kids;
	enum ss_filter_field field;	/* N_TERM from here on */
	enum op op;
	char *text;		/* the VALUE, unescaped, NUL-terminated */
	double num;		/* numeric fields, ordering operators */
	struct ss_match *re;	/* ~ and !~ */
};

struct ss_filter {
	struct node *root;
};

static struct node *node_new(enum node_kind kind)
{
	struct node *n = xcalloc(1, sizeof *n);
	n->kind = kind;
	return n;
}

static void node_add(struct node *n, struct node *kid)
{
	n->kids = xreallocarray(n->kids, n->nkids + 1, sizeof *n->kids);
	n->kids[n->nkids++] = kid;
}

static void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->text);
	ss_match_free(n->re);
	free(n);
}

/* ------------------------------------------------------------ lexing */

struct parser {
	const char *s;
	size_t pos;
	int depth;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static struct node *fail(struct parser *ps, const char *fmt, ...)
{
	if (ps->errlen > 0) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	return NULL;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static bool is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static char peek(const struct parser *ps)
{
	return ps->s[ps->pos];
}

static size_t column(const struct parser *ps)
{
	return ps->pos + 1;
}

static void skip_space(struct parser *ps)
{
	while (is_space(peek(ps)))
		ps->pos++;
}

static size_t word_len(const struct parser *ps)
{
	size_t n = 0;
	while (is_word(ps->s[ps->pos + n]))
		n++;
	return n;
}

/* Consume keyword kw (and, or, not) when it is the next whole word. */
static bool keyword(struct parser *ps, const char *kw)
{
	size_t n = word_len(ps);
	if (n == 0 || !word_ieq(ps->s + ps->pos, n, kw))
		return false;
	ps->pos += n;
	return true;
}

static bool is_keyword(const char *w, size_t n)
{
	return word_ieq(w, n, "and") || word_ieq(w, n, "or") ||
	       word_ieq(w, n, "not");
}

/* Length of the token to quote in a message about what was found. */
static int shown_len(const struct parser *ps)
{
	const char *p = ps->s + ps->pos;
	size_t n = 1;
	if (*p != '(' && *p != ')')
		while (p[n] && !is_space(p[n]) && p[n] != '(' && p[n] != ')')
			n++;
	return n > SHOW_MAX ? SHOW_MAX : (int)n;
}

static bool parse_op(struct parser *ps, enum op *op)
{
	static const struct { const char *text; enum op op; } ops[] = {
		{ "==", OP_EQ }, { "!=", OP_NE }, { "!~", OP_NRE },
		{ "<=", OP_LE }, { ">=", OP_GE }, { "=", OP_EQ },
		{ "<", OP_LT }, { ">", OP_GT }, { "~", OP_RE },
	};
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t n = strlen(ops[i].text);
		if (strncmp(ps->s + ps->pos, ops[i].text, n) == 0) {
			ps->pos += n;
			*op = ops[i].op;
			return true;
		}
	}
	return false;
}

/* A double-quoted string; ps->pos is on the opening quote. */
static char *parse_quoted(struct parser *ps)
{
	size_t start = ps->pos++, n = 0;
	char *out = xmalloc(strlen(ps->s + ps->pos) + 1);
	for (;;) {
		char c = peek(ps);
		if (c == '\0') {
			free(out);
			ps->pos = start;
			fail(ps, "unterminated string starting at column %zu",
			     column(ps));
			return NULL;
		}
		ps->pos++;
		if (c == '"')
			break;
		if (c == '\\' && (peek(ps) == '"' || peek(ps) == '\\'))
			c = ps->s[ps->pos++];
		out[n++] = c;
	}
	out[n] = '\0';
	return out;
}

/* VALUE after operator opname: a quoted string or a bare word running to
 * the next space, "(" or ")". Returns a new string or NULL (error set). */
static char *parse_value(struct parser *ps, const char *opname)
{
	char c = peek(ps);
	if (c == '"')
		return parse_quoted(ps);
	size_t start = ps->pos, n = 0;
	while (ps->s[start + n] && !is_space(ps->s[start + n]) &&
	       ps->s[start + n] != '(' && ps->s[start + n] != ')')
		n++;
	if (n == 0 || is_keyword(ps->s + start, n)) {
		fail(ps, "expected a value after '%s' at column %zu%s", opname,
		     column(ps), c == '(' ? "; quote a value that contains "
			     "'(', ')' or spaces" : n ? "; quote a keyword "
			     "used as a value" : "");
		return NULL;
	}
	ps->pos += n;
	if (peek(ps) == '(') {
		fail(ps, "unexpected '(' after the value '%.*s' at column %zu; "
		     "quote a value that contains '(', ')' or spaces",
		     n > SHOW_MAX ? SHOW_MAX : (int)n, ps->s + start,
		     column(ps));
		return NULL;
	}
	return xmemdup(ps->s + start, n);
}

/* ------------------------------------------------------------ parsing */

static struct node *parse_chain(struct parser *ps, enum node_kind kind,
				const char *after);

/* ", found 'xyz'" naming the token at the cursor, or "" at the end. */
static const char *found(const struct parser *ps, char *buf, size_t cap)
{
	if (peek(ps) == '\0')
		return "";
	snprintf(buf, cap, ", found '%.*s'", shown_len(ps), ps->s + ps->pos);
	return buf;
}

static struct node *fail_no_term(struct parser *ps, const char *after)
{
	char what[SHOW_MAX + 16];
	if (peek(ps) == '\0' && !after)
		return fail(ps, "empty filter expression");
	if (after)
		return fail(ps, "expected a term after %s at column %zu%s",
			    after, column(ps), found(ps, what, sizeof what));
	return fail(ps, "expected a field name at column %zu%s", column(ps),
		    found(ps, what, sizeof what));
}

static struct node *fail_unknown_field(struct parser *ps, size_t n)
{
	char list[256];
	size_t len = 0;
	for (int i = 0; i < SS_FF_COUNT && len < sizeof list; i++) {
		int k = snprintf(list + len, sizeof list - len, "%s%s",
				 i ? ", " : "", fields[i].name);
		len += k > 0 ? (size_t)k : 0;
	}
	const char *hint = suggest_field(ps->s + ps->pos, n);
	return fail(ps, "unknown field '%.*s' at column %zu%s%s%s (fields: %s)",
		    n > SHOW_MAX ? SHOW_MAX : (int)n, ps->s + ps->pos,
		    column(ps), hint ? "; did you mean '" : "", hint ? hint : "",
		    hint ? "'?" : "", list);
}

/* Check the VALUE of a finished term and precompute what evaluation
 * needs (the number or the compiled regex). */
static bool finish_term(struct parser *ps, struct node *t, size_t vcol)
{
	const struct field_info *fi = &fields[t->field];
	if (t->op == OP_RE || t->op == OP_NRE) {
		char msg[512];
		t->re = ss_match_new(t->text, fi->icase ? SS_MATCH_ICASE : 0,
				     msg, sizeof msg);
		if (!t->re)
			fail(ps, "%s (value at column %zu)", msg, vcol);
		return t->re != NULL;
	}
	if (fi->numeric && !parse_number(t->text, &t->num)) {
		fail(ps, "'%.*s' is not a number (field '%s' is numeric) at "
		     "column %zu", SHOW_MAX, t->text, fi->name, vcol);
		return false;
	}
	return true;
}

/* term := FIELD OP VALUE */
static struct node *parse_term(struct parser *ps, const char *after)
{
	size_t n = word_len(ps);
	if (n == 0 || is_keyword(ps->s + ps->pos, n))
		return fail_no_term(ps, after);
	int f = field_lookup(ps->s + ps->pos, n);
	if (f < 0)
		return fail_unknown_field(ps, n);
	ps->pos += n;
	skip_space(ps);
	enum op op;
	size_t opcol = column(ps);
	char what[SHOW_MAX + 16];
	if (!parse_op(ps, &op))
		return fail(ps, "expected an operator (= != < <= > >= ~ !~) "
			    "after '%s' at column %zu%s", fields[f].name,
			    column(ps), found(ps, what, sizeof what));
	if (op >= OP_LT && op <= OP_GE && !fields[f].numeric)
		return fail(ps, "operator '%s' needs a numeric field, and '%s' "
			    "is a string field (use =, !=, ~ or !~) at column "
			    "%zu", op_names[op], fields[f].name, opcol);
	skip_space(ps);
	size_t vcol = column(ps);
	char *text = parse_value(ps, op_names[op]);
	if (!text)
		return NULL;
	struct node *t = node_new(N_TERM);
	t->field = (enum ss_filter_field)f;
	t->op = op;
	t->text = text;
	if (!finish_term(ps, t, vcol)) {
		node_free(t);
		return NULL;
	}
	return t;
}

/* unary := "not" unary | "(" expr ")" | term */
static struct node *parse_unary(struct parser *ps, const char *after)
{
	skip_space(ps);
	size_t col = column(ps);
	if (ps->depth >= MAX_DEPTH)
		return fail(ps, "expression nested too deeply at column %zu "
			    "(limit %d)", col, MAX_DEPTH);
	if (keyword(ps, "not")) {
		ps->depth++;
		struct node *kid = parse_unary(ps, "'not'");
		ps->depth--;
		if (!kid)
			return NULL;
		struct node *n = node_new(N_NOT);
		node_add(n, kid);
		return n;
	}
	if (peek(ps) != '(')
		return parse_term(ps, after);
	ps->pos++;
	ps->depth++;
	struct node *n = parse_chain(ps, N_OR, "'('");
	ps->depth--;
	if (!n)
		return NULL;
	skip_space(ps);
	if (peek(ps) == ')') {
		ps->pos++;
		return n;
	}
	node_free(n);
	if (peek(ps) == '\0')
		return fail(ps, "missing ')' to close the '(' at column %zu",
			    col);
	return fail(ps, "unexpected '%.*s' at column %zu; expected 'and', 'or' "
		    "or ')'", shown_len(ps), ps->s + ps->pos, column(ps));
}

/* and := unary { "and" unary }; or := and { "or" and } */
static struct node *parse_chain(struct parser *ps, enum node_kind kind,
				const char *after)
{
	const char *kw = kind == N_OR ? "or" : "and";
	struct node *n = kind == N_OR ? parse_chain(ps, N_AND, after)
				      : parse_unary(ps, after);
	struct node *chain = NULL;
	for (;;) {
		if (!n) {
			node_free(chain);
			return NULL;
		}
		skip_space(ps);
		if (!keyword(ps, kw))
			break;
		if (!chain) {
			chain = node_new(kind);
			node_add(chain, n);
		}
		n = kind == N_OR ? parse_chain(ps, N_AND, "'or'")
				 : parse_unary(ps, "'and'");
		if (n)
			node_add(chain, n);
	}
	return chain ? chain : n;
}

struct ss_filter *ss_filter_compile(const char *expr, char *err,
				    size_t errlen)
{
	struct parser ps = { .s = expr, .err = err, .errlen = errlen };
	if (errlen > 0)
		err[0] = '\0';
	struct node *root = parse_chain(&ps, N_OR, NULL);
	if (!root)
		return NULL;
	if (peek(&ps) != '\0') {
		if (peek(&ps) == ')')
			fail(&ps, "unbalanced ')' at column %zu", column(&ps));
		else
			fail(&ps, "unexpected '%.*s' at column %zu; expected "
			     "'and', 'or' or the end of the expression",
			     shown_len(&ps), ps.s + ps.pos, column(&ps));
		node_free(root);
		return NULL;
	}
	struct ss_filter *f = xcalloc(1, sizeof *f);
	f->root = root;
	return f;
}

/* ------------------------------------------------------------ evaluation */

static bool compare_num(enum op op, double a, double b)
{
	switch (op) {
	case OP_EQ: case OP_NE: return a == b;
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	case OP_GE: return a >= b;
	default: return false;
	}
}

static bool equal_str(const struct node *t, ss_str v)
{
	if (fields[t->field].icase)
		return ss_str_ieq(v, t->text);
	size_t n = strlen(t->text);
	return v.len == n && (n == 0 || memcmp(v.p, t->text, n) == 0);
}

/* The term's relation without the negation of != and !~: 1 holds,
 * 0 does not, -1 the field is absent. */
static int test_term(const struct node *t,
		     const struct ss_filter_subject *s)
{
	bool regex = t->op == OP_RE || t->op == OP_NRE;
	if (fields[t->field].numeric) {
		double v;
		if (!s->get_num || !s->get_num(s->obj, t->field, &v) || v != v)
			return -1;
		if (!regex)
			return compare_num(t->op, v, t->num);
		char buf[64];
		size_t n = format_number(v, buf, sizeof buf);
		return ss_match_text(t->re, buf, n);
	}
	ss_str v = SS_STR_NULL;
	if (!s->get_str || !s->get_str(s->obj, t->field, &v))
		return -1;
	return regex ? ss_match_text(t->re, v.p, v.len) : equal_str(t, v);
}

static bool eval(const struct node *n, const struct ss_filter_subject *s)
{
	switch (n->kind) {
	case N_AND:
		for (size_t i = 0; i < n->nkids; i++)
			if (!eval(n->kids[i], s))
				return false;
		return true;
	case N_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (eval(n->kids[i], s))
				return true;
		return false;
	case N_NOT:
		return !eval(n->kids[0], s);
	case N_TERM:
		break;
	}
	bool negated = n->op == OP_NE || n->op == OP_NRE;
	int r = test_term(n, s);
	return r < 0 ? negated : (r > 0) != negated;
}

bool ss_filter_match(const struct ss_filter *f,
		     const struct ss_filter_subject *subj)
{
	return eval(f->root, subj);
}

static unsigned long limit_hits(const struct node *n)
{
	unsigned long sum = n->re ? ss_match_limit_hits(n->re) : 0;
	for (size_t i = 0; i < n->nkids; i++)
		sum += limit_hits(n->kids[i]);
	return sum;
}

unsigned long ss_filter_limit_hits(const struct ss_filter *f)
{
	return limit_hits(f->root);
}

void ss_filter_free(struct ss_filter *f)
{
	if (!f)
		return;
	node_free(f->root);
	free(f);
}
