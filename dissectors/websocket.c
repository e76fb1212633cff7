/*
 * websocket.c - WebSocket framing (RFC 6455) for SIP over WebSocket
 * (RFC 7118): frame headers, message reassembly over continuation frames,
 * the HTTP upgrade handshake, and the stream consumer. See websocket.h.
 *
 *   0                   1                   2                   3
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |        ... 64-bit length continued  |  Masking-key (0 or 4)   |
 *  +-------------------------------------+-------------------------+
 *                                          (RFC 6455 section 5.2)
 */
#include "websocket.h"

#include <stdlib.h>
#include <string.h>

#include "sip.h"
#include "xalloc.h"

/* ---- frames ------------------------------------------------------------ */

static bool op_reserved(uint8_t op)
{
	return (op >= 0x3 && op <= 0x7) || op >= 0xB;
}

static long frame_bad(struct ws_frame *f, const char *why)
{
	f->why = why;
	return WS_PARSE_BAD;
}

/* The payload length: 7 bits, or 126 + 16 bits, or 127 + 64 bits. */
static bool read_len(struct cursor *c, uint8_t len7, uint64_t *out)
{
	uint16_t v16;
	uint32_t hi, lo;
	if (len7 < 126) {
		*out = len7;
		return true;
	}
	if (len7 == 126) {
		if (!cur_be16(c, &v16))
			return false;
		*out = v16;
		return true;
	}
	if (!cur_be32(c, &hi) || !cur_be32(c, &lo))
		return false;
	*out = (uint64_t)hi << 32 | lo;
	return true;
}

long ws_frame_header(const uint8_t *buf, size_t len, struct ws_frame *f)
{
	struct cursor c = cur_make(buf, len);
	struct cursor key;
	uint8_t b0, b1;
	memset(f, 0, sizeof *f);
	if (!cur_u8(&c, &b0))
		return WS_PARSE_PARTIAL;
	f->fin = b0 & 0x80;
	f->rsv = (uint8_t)((b0 >> 4) & 0x7);
	f->opcode = b0 & 0x0F;
	if (op_reserved(f->opcode))
		return frame_bad(f, "reserved WebSocket opcode");
	if (f->opcode >= WS_OP_CLOSE && !f->fin)
		return frame_bad(f, "fragmented WebSocket control frame");
	if (!cur_u8(&c, &b1))
		return WS_PARSE_PARTIAL;
	f->masked = b1 & 0x80;
	if (!read_len(&c, b1 & 0x7F, &f->len))
		return WS_PARSE_PARTIAL;
	if (f->len >> 63)
		return frame_bad(f, "WebSocket payload length above 2^63");
	if (f->opcode >= WS_OP_CLOSE && f->len > 125)
		return frame_bad(f, "WebSocket control frame over 125 bytes");
	if (f->masked) {
		if (!cur_sub(&c, 4, &key))
			return WS_PARSE_PARTIAL;
		memcpy(f->key, key.p, 4);
	}
	f->head = (size_t)(c.p - buf);
	return (long)f->head;
}

void ws_unmask(uint8_t *dst, const uint8_t *src, size_t n,
	       const uint8_t *key, uint64_t off)
{
	if (!key) {
		if (n)
			memcpy(dst, src, n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] ^ key[(off + i) & 3];
}

/* ---- units: a control frame, or a message over its fragments ----------- */

static long unit_skip(struct ws_unit *u, uint64_t skip, bool discard,
		      const char *why)
{
	u->skip = skip;
	u->discard = discard;
	u->why = why;
	return WS_PARSE_SKIP;
}

/* Count the frame at `at` (header h) into the message; a skip when the
 * message outgrows its limits. Returns 0 to go on. */
static long count_frame(struct ws_unit *u, const struct ws_frame *f,
			uint64_t at, long h, size_t max)
{
	uint64_t end = at + (uint64_t)h + f->len;
	bool data = f->opcode < WS_OP_CLOSE;
	if (data) {
		u->frames++;
		if (f->len > max - u->payload) {
			u->too_big = true;
			return unit_skip(u, end, !f->fin,
					 "WebSocket message over the size cap");
		}
		u->payload += (size_t)f->len;
	} else {
		u->control++;
		u->closes += f->opcode == WS_OP_CLOSE;
	}
	if (u->frames + u->control > WS_MAX_FRAGMENTS) {
		u->too_big = true;
		return unit_skip(u, end, !(data && f->fin),
				 "WebSocket message in too many frames");
	}
	return 0;
}

/* Follow a message from its first frame f (header h at buf) through the
 * frame with FIN, across continuation and control frames. */
static long walk_message(const uint8_t *buf, size_t len, size_t max,
			 struct ws_unit *u, struct ws_frame *f, long h)
{
	uint64_t at = 0;
	for (;;) {
		long r = count_frame(u, f, at, h, max);
		if (r)
			return r;
		uint64_t end = at + (uint64_t)h + f->len;
		if (end > len)
			return WS_PARSE_PARTIAL;
		if (f->opcode < WS_OP_CLOSE && f->fin)
			return (long)end;
		at = end;
		h = ws_frame_header(buf + at, len - (size_t)at, f);
		if (h < 0) {
			u->why = f->why;
			return h;
		}
		if (f->opcode != WS_OP_CONT && f->opcode < WS_OP_CLOSE)
			return unit_skip(u, at, false,
					 "WebSocket message cut by a new one");
	}
}

long ws_walk(const uint8_t *buf, size_t len, size_t max, struct ws_unit *u)
{
	struct ws_frame f;
	memset(u, 0, sizeof *u);
	long h = ws_frame_header(buf, len, &f);
	if (h < 0) {
		u->why = f.why;
		return h;
	}
	u->opcode = f.opcode;
	uint64_t end = (uint64_t)h + f.len;
	if (f.opcode >= WS_OP_CLOSE) {
		u->control = 1;
		u->closes = f.opcode == WS_OP_CLOSE;
		return end > len ? WS_PARSE_PARTIAL : (long)end;
	}
	if (f.opcode == WS_OP_CONT) {
		u->frames = 1;
		return unit_skip(u, end, !f.fin,
				 "WebSocket continuation without a first frame");
	}
	if (f.rsv) {
		u->frames = 1;
		return unit_skip(u, end, !f.fin,
				 "WebSocket extension bits set (compressed?)");
	}
	return walk_message(buf, len, max, u, &f, h);
}

void ws_gather(const uint8_t *buf, size_t size, uint8_t *out)
{
	struct ws_frame f;
	size_t at = 0, o = 0;
	while (at < size) {
		long h = ws_frame_header(buf + at, size - at, &f);
		if (h < 0 || f.len > size - at - (size_t)h)
			return;		/* not a unit ws_walk returned */
		/* f.len 0: nothing to copy (out may be NULL when the
		 * whole unit is empty) */
		if (f.opcode < WS_OP_CLOSE && f.len) {
			ws_unmask(out + o, buf + at + h, (size_t)f.len,
				  f.masked ? f.key : NULL, 0);
			o += (size_t)f.len;
		}
		at += (size_t)h + (size_t)f.len;
	}
}

/* ---- the mid-stream heuristic ------------------------------------------ */

/* A text or binary frame with no RSV bit, of a plausible length, whose
 * first payload line (unmasked, at most 512 bytes) is a SIP request or
 * status line. A masked stream shows nothing readable, so the check is
 * made after unmasking; a SIP stream over plain TCP never has such a
 * binary header before its start lines. */
int ws_frame_carries_sip(const uint8_t *buf, size_t len, size_t max)
{
	struct ws_frame f;
	uint8_t line[512];
	if (len == 0)
		return WS_PARSE_PARTIAL;
	uint8_t op = buf[0] & 0x0F;
	if ((buf[0] & 0x70) || (op != WS_OP_TEXT && op != WS_OP_BINARY))
		return 0;
	long h = ws_frame_header(buf, len, &f);
	if (h < 0)
		return h == WS_PARSE_PARTIAL ? WS_PARSE_PARTIAL : 0;
	if (f.len < 12 || f.len > max)
		return 0;
	size_t want = f.len < sizeof line ? (size_t)f.len : sizeof line;
	size_t have = len - (size_t)h < want ? len - (size_t)h : want;
	ws_unmask(line, buf + h, have, f.masked ? f.key : NULL, 0);
	const uint8_t *nl = memchr(line, '\n', have);
	if (!nl)
		return have < want ? WS_PARSE_PARTIAL : 0;
	return sip_looks_like(line, (size_t)(nl - line) + 1);
}

/* ---- the HTTP/1.1 upgrade handshake (RFC 6455 4.1, 4.2.2) --------------- */

static int prefix(const uint8_t *buf, size_t len, const char *lit)
{
	size_t n = strlen(lit), m = len < n ? len : n;
	if (memcmp(buf, lit, m) != 0)
		return 0;
	return m < n ? WS_PARSE_PARTIAL : 1;
}

int ws_handshake_start(const uint8_t *buf, size_t len)
{
	int a = prefix(buf, len, "GET ");
	int b = prefix(buf, len, "HTTP/1.1 101");
	if (a == 1 || b == 1)
		return 1;
	return a || b ? WS_PARSE_PARTIAL : 0;
}

/* The line at *at in buf[0..len) without its CR LF; false when its LF
 * has not arrived. */
static bool next_line(const uint8_t *buf, size_t len, size_t *at,
		      ss_str *line)
{
	const uint8_t *nl = memchr(buf + *at, '\n', len - *at);
	if (!nl)
		return false;
	size_t n = (size_t)(nl - buf) - *at;
	if (n && nl[-1] == '\r')
		n--;
	*line = ss_str_make((const char *)buf + *at, n);
	*at = (size_t)(nl - buf) + 1;
	return true;
}

static bool start_line(ss_str l, struct ws_handshake *hs)
{
	static const char ver[] = " HTTP/1.1";
	const size_t vn = sizeof ver - 1;
	if (l.len > 4 + vn && memcmp(l.p, "GET ", 4) == 0 &&
	    memcmp(l.p + l.len - vn, ver, vn) == 0) {
		hs->request = true;
		hs->uri = ss_str_make(l.p + 4, l.len - 4 - vn);
		return true;
	}
	return l.len >= 12 && memcmp(l.p, "HTTP/1.1 101", 12) == 0 &&
	       (l.len == 12 || l.p[12] == ' ');
}

/* Does the comma-separated list hold tok (case-insensitively)? */
static bool list_has(ss_str v, const char *tok)
{
	while (v.len) {
		const char *comma = memchr(v.p, ',', v.len);
		size_t n = comma ? (size_t)(comma - v.p) : v.len;
		if (ss_str_ieq(ss_str_trim(ss_str_make(v.p, n)), tok))
			return true;
		v = comma ? ss_str_make(comma + 1, v.len - n - 1) : SS_STR_NULL;
	}
	return false;
}

static void header_line(ss_str l, struct ws_handshake *hs)
{
	const char *colon = memchr(l.p, ':', l.len);
	if (!colon)
		return;
	size_t n = (size_t)(colon - l.p);
	ss_str name = ss_str_trim(ss_str_make(l.p, n));
	ss_str value = ss_str_trim(ss_str_make(colon + 1, l.len - n - 1));
	if (ss_str_ieq(name, "Upgrade") && list_has(value, "websocket"))
		hs->upgrade = true;
	if (ss_str_ieq(name, "Sec-WebSocket-Protocol")) {
		hs->protocol = true;
		hs->sip = hs->sip || list_has(value, "sip");
	}
}

static long head_short(size_t len, struct ws_handshake *hs)
{
	if (len < WS_MAX_HANDSHAKE)
		return WS_PARSE_PARTIAL;
	hs->why = "HTTP head over 16 KiB";
	return WS_PARSE_BAD;
}

long ws_handshake_parse(const uint8_t *buf, size_t len,
			struct ws_handshake *hs)
{
	size_t lim = len < WS_MAX_HANDSHAKE ? len : WS_MAX_HANDSHAKE;
	size_t at = 0;
	ss_str line;
	memset(hs, 0, sizeof *hs);
	if (!next_line(buf, lim, &at, &line))
		return head_short(len, hs);
	if (!start_line(line, hs)) {
		hs->why = "not a GET request nor a 101 response";
		return WS_PARSE_BAD;
	}
	for (;;) {
		if (!next_line(buf, lim, &at, &line))
			return head_short(len, hs);
		if (line.len == 0)
			break;
		header_line(line, hs);
	}
	if (!hs->upgrade) {
		hs->why = "no Upgrade: websocket";
		return WS_PARSE_BAD;
	}
	return (long)at;
}

/* ---- the stream consumer ----------------------------------------------- */

void ws_ctx_init(struct ws_ctx *w, size_t max_msg, ws_message_cb cb,
		 void *user)
{
	memset(w, 0, sizeof *w);
	w->on_msg = cb;
	w->user = user;
	w->max_msg = max_msg ? max_msg : WS_MAX_MESSAGE;
}

void ws_ctx_free(struct ws_ctx *w)
{
	free(w->buf);
	w->buf = NULL;
	w->cap = 0;
}

static uint64_t skip_left(uint64_t s)
{
	return s >> WS_ST_SKIP_SHIFT;
}

static void set_skip(uint64_t *s, uint64_t n)
{
	*s = (*s & ~(WS_ST_SKIP_MAX << WS_ST_SKIP_SHIFT)) |
	     n << WS_ST_SKIP_SHIFT;
}

static void set_flag(uint64_t *s, uint64_t flag, bool on)
{
	*s = on ? *s | flag : *s & ~flag;
}

/* Pass the upgrade head. Returns its size, or 0 (wait, or declined). */
static size_t pass_head(struct ws_ctx *w, struct ss_tcp_chunk *c)
{
	struct ws_handshake hs;
	long r = ws_handshake_parse(c->buf, c->len, &hs);
	if (r == WS_PARSE_PARTIAL && !c->final)
		return 0;
	if (r < 0) {
		c->ignore = true;
		return 0;
	}
	w->st.handshakes++;
	if (!hs.sip)
		w->st.no_subprotocol++;
	*c->state &= ~WS_ST_HEAD;
	return (size_t)r;
}

/* Look for the next frame carrying a SIP start line (after a gap, a
 * malformed frame, or a mid-stream join). */
static bool resync(struct ws_ctx *w, struct ss_tcp_chunk *c, size_t off,
		   size_t *used)
{
	const uint8_t *p = c->buf + off;
	size_t n = c->len - off, i;
	bool found = false, wait = false;
	for (i = 0; i < n && !found && !wait; i++) {
		int k = ws_frame_carries_sip(p + i, n - i, w->max_msg);
		found = k == 1;
		wait = k == WS_PARSE_PARTIAL && !c->final;
	}
	if (found || wait)
		i--;
	w->st.resync_bytes += i;
	*used = i;
	if (found) {
		c->after_gap = false;
		*c->state &= ~WS_ST_DISCARD;
	}
	return found;
}

static void grow(struct ws_ctx *w, size_t need)
{
	if (need <= w->cap)
		return;
	size_t cap = w->cap ? w->cap : 4096;
	while (cap < need)
		cap *= 2;
	if (cap > w->max_msg)
		cap = w->max_msg;
	w->buf = xrealloc(w->buf, cap);
	w->cap = cap;
}

static void deliver(struct ws_ctx *w, const struct ss_pktinfo *pi,
		    struct ss_tcp_chunk *c, const uint8_t *p, size_t size,
		    const struct ws_unit *u)
{
	w->st.frames += u->frames + u->control;
	w->st.control += u->control;
	w->st.closes += u->closes;
	if (u->closes)
		*c->state |= WS_ST_CLOSED;
	if (u->opcode >= WS_OP_CLOSE)
		return;
	*c->state &= ~WS_ST_DISCARD;
	grow(w, u->payload ? u->payload : 1);	/* never a NULL payload */
	ws_gather(p, size, w->buf);
	w->st.messages++;
	struct ws_event ev = {
		.pi = pi, .state = c->state, .payload = w->buf,
		.len = u->payload, .opcode = u->opcode,
	};
	w->on_msg(w->user, &ev);
}

/* A unit that is not delivered: counted (unless it is the tail of one
 * already counted), skipped, possibly across later chunks. */
static size_t skip_unit(struct ws_ctx *w, struct ss_tcp_chunk *c,
			size_t n, const struct ws_unit *u)
{
	bool tail = (*c->state & WS_ST_DISCARD) && u->opcode == WS_OP_CONT;
	w->st.frames += u->frames + u->control;
	if (!tail && u->too_big)
		w->st.oversized++;
	else if (!tail)
		w->st.unsupported++;
	set_flag(c->state, WS_ST_DISCARD, u->discard);
	uint64_t k = u->skip < n ? u->skip : n;
	if (u->skip - k > WS_ST_SKIP_MAX) {
		c->after_gap = true;	/* cannot count that far: resync */
		return (size_t)k;
	}
	set_skip(c->state, u->skip - k);
	return (size_t)k;
}

/* One step at c->buf + off: false to stop (wait for more bytes). */
static bool step(struct ws_ctx *w, const struct ss_pktinfo *pi,
		 struct ss_tcp_chunk *c, size_t off, size_t *used)
{
	const uint8_t *p = c->buf + off;
	size_t n = c->len - off;
	uint64_t skip = skip_left(*c->state);
	struct ws_unit u;
	*used = 0;
	if (*c->state & WS_ST_CLOSED) {
		w->st.after_close += n;
		*used = n;
		return false;
	}
	if (skip) {
		*used = skip < n ? (size_t)skip : n;
		set_skip(c->state, skip - *used);
		return true;
	}
	if (c->after_gap)
		return resync(w, c, off, used);
	long r = ws_walk(p, n, w->max_msg, &u);
	if (r > 0) {
		deliver(w, pi, c, p, (size_t)r, &u);
		*used = (size_t)r;
		return true;
	}
	if (r == WS_PARSE_SKIP) {
		*used = skip_unit(w, c, n, &u);
		return true;
	}
	if (r == WS_PARSE_PARTIAL) {
		w->st.incomplete += c->final;
		return false;
	}
	w->st.bad++;
	c->after_gap = true;	/* past the bad frame's first byte, so the
				 * search cannot find the same frame again */
	*used = 1;
	return true;
}

size_t ws_consume(struct ws_ctx *w, const struct ss_pktinfo *pi,
		  struct ss_tcp_chunk *c)
{
	size_t off = 0, used;
	if (*c->state & WS_ST_HEAD) {
		off = pass_head(w, c);
		if (off == 0)
			return c->ignore ? c->len : 0;
	}
	while (off < c->len) {
		bool go = step(w, pi, c, off, &used);
		off += used;
		if (!go)
			break;
	}
	return off;
}
