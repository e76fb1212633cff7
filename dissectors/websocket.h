/*
 * websocket.h - WebSocket framing (RFC 6455) for SIP over WebSocket
 * (RFC 7118).
 *
 * Three layers, each usable alone:
 *  - ws_frame_header / ws_unmask: one frame header read through a bounded
 *    cursor, and unmasking into caller memory (never in place: the input
 *    is packet or reassembly memory and stays read-only);
 *  - ws_walk / ws_gather: one "unit" at the start of a buffer, either a
 *    control frame alone or a whole data message (first frame through the
 *    FIN frame, control frames interleaved between its fragments counted
 *    and skipped, RFC 6455 section 5.4), then its payload unmasked and
 *    joined into one buffer;
 *  - ws_consume: a whole direction of a byte stream, in the reassembler's
 *    chunk contract (tcp.h: bytes in order, return bytes consumed, the
 *    rest is offered again with more). TCP feeds it directly; a TLS layer
 *    feeds it decrypted plaintext the same way, as ss_tcp_chunk values
 *    with a state word per direction.
 *
 * Bytes never wait here: an incomplete unit is left unconsumed in the
 * caller's buffer (bounded by its own per-flow cap) and walked again when
 * more arrive; the unmask buffer is one per context, grown to the largest
 * message seen and never past max_msg.
 */
#ifndef SS_WEBSOCKET_H
#define SS_WEBSOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "packet.h"
#include "tcp.h"

/* Opcodes (RFC 6455 section 5.2, 11.8). */
#define WS_OP_CONT 0x0
#define WS_OP_TEXT 0x1
#define WS_OP_BINARY 0x2
#define WS_OP_CLOSE 0x8
#define WS_OP_PING 0x9
#define WS_OP_PONG 0xA

/* Return codes besides a positive byte count. */
#define WS_PARSE_BAD (-1)	/* framing is lost: why says how */
#define WS_PARSE_PARTIAL (-2)	/* need more bytes */
#define WS_PARSE_SKIP (-3)	/* a well-framed unit not delivered: skip
				 * m->skip bytes (why says why) */

#define WS_MAX_MESSAGE ((size_t)1 << 20)	/* default message cap */
#define WS_MAX_FRAGMENTS 1024	/* frames per unit, control ones included:
				 * bounds the work of walking it again */
#define WS_MAX_HANDSHAKE ((size_t)16 << 10)	/* HTTP head of the upgrade */

struct ws_frame {
	bool fin;
	uint8_t rsv;		/* RSV1..RSV3 as bits 2..0 */
	uint8_t opcode;
	bool masked;
	uint8_t key[4];
	uint64_t len;		/* payload length as announced */
	size_t head;		/* header bytes: 2 to 14 */
	const char *why;	/* WS_PARSE_BAD: a short static reason */
};

/* Read the frame header at buf[0..len). Returns its size (2..14), or
 * WS_PARSE_PARTIAL when it is cut short, or WS_PARSE_BAD for a reserved
 * opcode, a fragmented or longer-than-125-bytes control frame (5.5) or a
 * 64-bit length with its top bit set (5.2). The payload need not be
 * there; RSV bits are reported, not judged (extensions define them). */
long ws_frame_header(const uint8_t *buf, size_t len, struct ws_frame *f);

/* dst[i] = src[i] ^ key[(off + i) % 4] for n bytes: off is the position
 * of src in the frame's payload. A NULL key (unmasked frame) copies. */
void ws_unmask(uint8_t *dst, const uint8_t *src, size_t n,
	       const uint8_t *key, uint64_t off);

/* One unit as ws_walk found it. */
struct ws_unit {
	uint8_t opcode;		/* TEXT/BINARY for a message, else the
				 * control opcode */
	size_t payload;		/* message payload bytes, all fragments */
	unsigned frames;	/* data frames of the message (1 + cont.) */
	unsigned control;	/* control frames inside it (or 1) */
	unsigned closes;	/* close frames among them */
	uint64_t skip;		/* WS_PARSE_SKIP: bytes to skip from buf
				 * (may exceed len) */
	bool discard;		/* WS_PARSE_SKIP: continuation frames up to
				 * the next FIN belong to the skipped unit */
	bool too_big;		/* WS_PARSE_SKIP: over a limit (else the
				 * unit breaks a rule of 5.4, or uses RSV) */
	const char *why;	/* BAD or SKIP: a short static reason */
};

/* Find the unit at buf[0..len): returns its size, WS_PARSE_PARTIAL,
 * WS_PARSE_BAD (framing lost), or WS_PARSE_SKIP for a unit that cannot be
 * delivered though its frames are sound: a message over max payload bytes
 * or WS_MAX_FRAGMENTS frames, RSV bits set (an extension such as
 * permessage-deflate, RFC 7692, that we cannot undo), a continuation
 * without a first frame, a message cut by a new one (5.4). */
long ws_walk(const uint8_t *buf, size_t len, size_t max, struct ws_unit *u);

/* Unmask and join the data payloads of the unit buf[0..size) (as
 * returned by ws_walk) into out, which has room for u->payload bytes. */
void ws_gather(const uint8_t *buf, size_t size, uint8_t *out);

/* The HTTP/1.1 upgrade handshake (RFC 6455 section 4, RFC 7118 5.1). */
struct ws_handshake {
	bool request;		/* "GET ... HTTP/1.1"; else "HTTP/1.1 101" */
	bool upgrade;		/* Upgrade: websocket (case-insensitive) */
	bool protocol;		/* Sec-WebSocket-Protocol present */
	bool sip;		/* ... and it lists "sip" */
	ss_str uri;		/* request-target of a request */
	const char *why;	/* WS_PARSE_BAD: why it is no upgrade */
};

/* Could buf start an upgrade handshake: 1 (starts "GET " or
 * "HTTP/1.1 101 "), 0 (no), WS_PARSE_PARTIAL (too short to say). */
int ws_handshake_start(const uint8_t *buf, size_t len);

/* Parse the head at buf: returns its size through the blank line when it
 * is a WebSocket upgrade (request or 101 response carrying Upgrade:
 * websocket), WS_PARSE_PARTIAL while the blank line has not arrived (up
 * to WS_MAX_HANDSHAKE bytes), WS_PARSE_BAD otherwise (hs->why). */
long ws_handshake_parse(const uint8_t *buf, size_t len,
			struct ws_handshake *hs);

/* Does buf start a text or binary frame whose payload (unmasked) starts
 * with a SIP start line? 1 yes, 0 no, WS_PARSE_PARTIAL too short to say.
 * The mid-stream heuristic (see ws_consume). */
int ws_frame_carries_sip(const uint8_t *buf, size_t len, size_t max);

struct ws_stats {
	uint64_t handshakes;	/* directions upgraded by a handshake */
	uint64_t no_subprotocol;	/* ... without "Sec-WebSocket-Protocol:
					 * sip" (accepted, RFC 7118 5.1) */
	uint64_t midstream;	/* directions recognised without one */
	uint64_t frames;	/* every frame parsed, control ones too */
	uint64_t messages;	/* data messages delivered */
	uint64_t control;	/* ping, pong and close frames */
	uint64_t closes;	/* close frames (their direction ends) */
	uint64_t oversized;	/* messages over the cap, skipped */
	uint64_t unsupported;	/* skipped: extension (RSV) bits, broken
				 * fragment sequence */
	uint64_t bad;		/* malformed frames: framing lost */
	uint64_t resync_bytes;	/* skipped looking for a frame again */
	uint64_t incomplete;	/* units still incomplete at the end */
	uint64_t after_close;	/* bytes seen after a close frame */
};

/* One data message, valid only during the callback. */
struct ws_event {
	const struct ss_pktinfo *pi;	/* the segment that completed it */
	const uint64_t *state;	/* the direction's state word (the
				 * caller's low bits say e.g. WS vs WSS) */
	const uint8_t *payload;	/* unmasked, joined */
	size_t len;
	uint8_t opcode;		/* WS_OP_TEXT or WS_OP_BINARY */
};

typedef void (*ws_message_cb)(void *user, const struct ws_event *ev);

/* Shared by every direction of one capture: callback, limit, counters
 * and the unmask buffer (owned). */
struct ws_ctx {
	ws_message_cb on_msg;
	void *user;
	size_t max_msg;
	uint8_t *buf;
	size_t cap;
	struct ws_stats st;
};

/* max_msg 0 means WS_MAX_MESSAGE. ws_ctx_free releases the buffer. */
void ws_ctx_init(struct ws_ctx *w, size_t max_msg, ws_message_cb cb,
		 void *user);
void ws_ctx_free(struct ws_ctx *w);

/*
 * The state word of a direction (ss_tcp_chunk.state): bits 0..7 belong
 * to the caller and are never touched here; WS_ST_* bits and the skip
 * count above them are ours. A caller hands a direction over by setting
 * WS_ST_HEAD (an upgrade head comes first) or nothing (frames come
 * first: a handshake already passed, or a mid-stream join, in which case
 * c->after_gap is set and the first frame carrying a SIP start line is
 * searched for).
 */
#define WS_ST_HEAD ((uint64_t)1 << 8)	/* the HTTP head still to pass */
#define WS_ST_DISCARD ((uint64_t)1 << 9)	/* dropping continuations of
						 * a skipped message */
#define WS_ST_CLOSED ((uint64_t)1 << 10)	/* a close frame was seen */
#define WS_ST_SKIP_SHIFT 16	/* bytes left of a skipped frame */
#define WS_ST_SKIP_MAX (((uint64_t)1 << (64 - WS_ST_SKIP_SHIFT)) - 1)

/*
 * Consume one direction's bytes: the head (if WS_ST_HEAD), then frames;
 * each data message goes to on_msg. Returns the bytes consumed; an
 * incomplete unit stays unconsumed. A head that is not an upgrade sets
 * c->ignore. After a malformed frame (or with after_gap set on entry),
 * framing is found again at the next frame that carries a SIP start line
 * (ws_frame_carries_sip), clearing c->after_gap. After a close frame the
 * direction's bytes are counted (after_close) and dropped.
 */
size_t ws_consume(struct ws_ctx *w, const struct ss_pktinfo *pi,
		  struct ss_tcp_chunk *c);

#endif
