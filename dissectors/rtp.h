/*
 * rtp.h - RTP fixed header (RFC 3550 section 5.1), header extensions
 * (RFC 3550 section 5.3.1, RFC 8285) and the RFC 4733 telephone-event
 * payload.
 *
 * Parsing is bounded and zero-copy: the parsed header points into the
 * caller's buffer (payload, CSRC list and extension slices) and is valid
 * as long as that buffer. Nothing here allocates or keeps state.
 */
#ifndef SS_RTP_H
#define SS_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

#define SS_RTP_HDR_LEN 12	/* fixed header, RFC 3550 section 5.1 */

/* RFC 8285 section 4.2/4.3: the "defined by profile" value of the
 * one-byte form, and the two-byte form's value with its low 4 bits
 * ("appbits") masked off. */
#define SS_RTP_EXT_ONE_BYTE 0xBEDEu
#define SS_RTP_EXT_TWO_BYTE 0x1000u
#define SS_RTP_EXT_TWO_BYTE_MASK 0xFFF0u

struct ss_rtp {
	bool padding;		/* P bit; pad_len says how much */
	bool extension;		/* X bit; ext_* below */
	bool marker;
	uint8_t csrc_count;	/* CC, 0..15 */
	uint8_t pt;		/* 7-bit payload type */
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	const uint8_t *csrc;	/* csrc_count big-endian words, unaligned */
	uint16_t ext_profile;	/* "defined by profile" (0xBEDE, 0x100x..) */
	ss_str ext;		/* extension data after its 4-byte header */
	uint8_t pad_len;	/* padding bytes removed from the end */
	ss_str payload;		/* between headers and padding; may be empty */
};

enum ss_rtp_status {
	SS_RTP_OK = 0,
	SS_RTP_TRUNCATED,	/* fewer bytes than the header announces */
	SS_RTP_BAD_VERSION,	/* V != 2 */
	SS_RTP_BAD_PADDING,	/* padding count 0 or larger than the room */
};

/* Parse one RTP packet of len bytes at p (a whole UDP payload). On
 * SS_RTP_OK *out is filled; on error *out is unspecified. Never reads
 * outside p[0..len). */
enum ss_rtp_status ss_rtp_parse(const uint8_t *p, size_t len,
				struct ss_rtp *out);

/* CSRC i (0-based, < csrc_count) of a parsed packet. */
uint32_t ss_rtp_csrc(const struct ss_rtp *r, unsigned i);

/* Is a packet with this second byte RTCP rather than RTP? RFC 5761
 * section 4: with rtcp-mux, RTCP packet types 192..223 (marker bit set,
 * PT 64..95) must not be used as RTP payload types; the RTCP types in
 * use (SR 200 .. 207) are a subset. */
bool ss_rtp_byte1_is_rtcp(uint8_t byte1);

/* Cheap test for "could be RTP" on a UDP payload nobody claimed: version
 * 2, not RTCP by the RFC 5761 rule, a header that fits with its CSRCs and
 * extension, valid padding. One packet proves little; the stream table
 * confirms a flow only after several consistent packets. */
bool ss_rtp_looks_like(const uint8_t *p, size_t len);

/* RFC 8285 elements of the extension block, one at a time. *off starts
 * at 0. Returns true with id/data filled, false at the end or on a
 * malformed element (the rest is then ignored). Padding bytes (id 0)
 * are skipped. */
bool ss_rtp_ext_next(const struct ss_rtp *r, size_t *off, uint8_t *id,
		     ss_str *data);

/* RFC 4733 section 2.3 telephone-event payload. */
struct ss_rtp_event {
	uint8_t event;		/* 0-9, 10 '*', 11 '#', 12-15 A-D, 16 flash */
	bool end;		/* E bit */
	uint8_t volume;		/* 0..63, -dBm0 */
	uint16_t duration;	/* in timestamp units */
};

/* Parse the first (4-byte) event block; false when shorter than 4
 * bytes. Redundant blocks (RFC 4733 section 2.5.1.3) are ignored. */
bool ss_rtp_event_parse(ss_str payload, struct ss_rtp_event *ev);

/* The DTMF character of an event code ('0'..'9', '*', '#', 'A'..'D',
 * '!' for flash), or '?' for other events. */
char ss_rtp_event_char(uint8_t event);

#endif
