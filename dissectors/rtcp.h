/*
 * rtcp.h - RTCP compound packets: RFC 3550 section 6 (SR, RR, SDES, BYE,
 * APP), RFC 3611 (XR: receiver reference time, DLRR, VoIP metrics),
 * RFC 4585 (RTPFB/PSFB, recognised and skipped), RFC 5506 (reduced-size
 * RTCP, accepted and flagged) and RFC 5761 section 4 (telling RTCP from
 * RTP on a multiplexed port).
 *
 * The parser follows picohttpparser's contract: input is (buf, len), the
 * output is a caller-owned struct with fixed capacities, text and opaque
 * data are slices into the input, nothing is allocated. Every read is
 * bounded by the input; a length field never moves a read past it.
 *
 * A datagram holds the whole compound packet, so there is no "wait for
 * more bytes": a length that points past the end is malformed. What parsed
 * before the damage stays in the struct (npkts counts the packets that
 * parsed whole). When a capacity below is reached the excess items are
 * counted in `dropped` and not stored; that is not malformed.
 *
 * Memory: struct rtcp_compound is about 7.9 KiB on LP64 (see the capacities); it
 * is meant to live on the stack or in a per-thread scratch area, one per
 * packet being parsed, never one per stream.
 */
#ifndef SS_RTCP_H
#define SS_RTCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

/* Packet types (RFC 3550 section 12.1, RFC 3611, RFC 4585). */
enum rtcp_pt {
	RTCP_SR = 200,
	RTCP_RR = 201,
	RTCP_SDES = 202,
	RTCP_BYE = 203,
	RTCP_APP = 204,
	RTCP_RTPFB = 205,
	RTCP_PSFB = 206,
	RTCP_XR = 207,
};

/* SDES item types (RFC 3550 section 6.5). */
enum rtcp_sdes_type {
	RTCP_SDES_END = 0,
	RTCP_SDES_CNAME = 1,
	RTCP_SDES_NAME = 2,
	RTCP_SDES_EMAIL = 3,
	RTCP_SDES_PHONE = 4,
	RTCP_SDES_LOC = 5,
	RTCP_SDES_TOOL = 6,
	RTCP_SDES_NOTE = 7,
	RTCP_SDES_PRIV = 8,
};

/* XR block types handled (RFC 3611 section 4). */
enum rtcp_xr_bt {
	RTCP_XR_RRT = 4,	/* receiver reference time */
	RTCP_XR_DLRR = 5,
	RTCP_XR_VOIP = 7,	/* VoIP metrics */
};

/* Capacities of struct rtcp_compound. 31 report blocks is the most one
 * SR/RR can carry (5-bit count); two full packets fit. */
#define RTCP_MAX_PKTS 16
#define RTCP_MAX_RBLOCKS 64
#define RTCP_MAX_CHUNKS 32
#define RTCP_MAX_ITEMS 64
#define RTCP_MAX_BYE_SSRCS 32
#define RTCP_MAX_XR_BLOCKS 16
#define RTCP_MAX_DLRR 16

/* A reception report block (RFC 3550 section 6.4.1). */
struct rtcp_rblock {
	uint32_t ssrc;		/* the source this block reports on */
	uint8_t fraction_lost;	/* fixed point, /256 */
	int32_t cum_lost;	/* signed 24-bit, sign-extended */
	uint32_t ext_seq;	/* extended highest sequence number */
	uint32_t jitter;	/* interarrival jitter, RTP timestamp units */
	uint32_t lsr;		/* middle 32 bits of the last SR's NTP time */
	uint32_t dlsr;		/* delay since that SR, 1/65536 s */
};

/* One SDES item; text is the raw value (for PRIV: prefix length, prefix
 * and value, as on the wire). */
struct rtcp_sdes_item {
	uint8_t type;		/* enum rtcp_sdes_type, never END */
	ss_str text;
};

struct rtcp_sdes_chunk {
	uint32_t ssrc;		/* SSRC or CSRC the items describe */
	ss_str cname;		/* empty when the chunk has none */
	uint16_t item_first;	/* index into rtcp_compound.items */
	uint16_t item_count;	/* stored items (see dropped) */
};

/* XR VoIP metrics (RFC 3611 section 4.7), values as on the wire: 127 (or
 * 0 for the metrics where the RFC says so) means "unavailable". Helpers
 * below convert the scaled ones. */
struct rtcp_xr_voip {
	uint32_t ssrc;		/* source being reported on */
	uint8_t loss_rate, discard_rate;	/* fraction, /256 */
	uint8_t burst_density, gap_density;	/* fraction, /256 */
	uint16_t burst_duration, gap_duration;	/* ms */
	uint16_t round_trip_delay, end_system_delay;	/* ms */
	int8_t signal_level, noise_level;	/* dBm; 127 = unavailable */
	uint8_t rerl;		/* residual echo return loss, dB */
	uint8_t gmin;
	uint8_t r_factor, ext_r_factor;	/* 0..100; 127 = unavailable */
	uint8_t mos_lq, mos_cq;	/* MOS x 10; 127 = unavailable */
	uint8_t rx_config;	/* PLC, JBA, JB rate bits */
	uint16_t jb_nominal, jb_max, jb_abs_max;	/* ms */
};

struct rtcp_xr_dlrr {
	uint32_t ssrc;		/* receiver whose RRT block this answers */
	uint32_t lrr;		/* middle 32 bits of that RRT's NTP time */
	uint32_t dlrr;		/* delay since it, 1/65536 s */
};

struct rtcp_xr_block {
	uint8_t bt;		/* block type; only enum rtcp_xr_bt are decoded */
	uint8_t type_specific;
	uint16_t length;	/* block length field: 32-bit words after the header */
	uint64_t rrt_ntp;	/* RTCP_XR_RRT: the NTP timestamp */
	uint16_t dlrr_first, dlrr_count;	/* RTCP_XR_DLRR: into dlrr[] */
	struct rtcp_xr_voip voip;	/* RTCP_XR_VOIP */
};

/* One packet of the compound. Fields not of its type stay zero. */
struct rtcp_pkt {
	uint8_t pt;		/* packet type (enum rtcp_pt or another 192..223) */
	uint8_t count;		/* RC, SC or subtype/FMT (the 5-bit field) */
	bool padding;		/* P bit */
	uint8_t pad_len;	/* padding octets (last packet only) */
	uint16_t length;	/* length field: 32-bit words minus one */
	size_t offset;		/* where it starts in the input */
	uint32_t ssrc;		/* sender SSRC: SR, RR, APP, XR, RTPFB/PSFB;
				 * the first chunk's or SSRC of SDES and BYE */
	/* SR sender info */
	uint64_t ntp;		/* NTP timestamp, seconds << 32 | fraction */
	uint32_t rtp_ts, packet_count, octet_count;
	/* SR/RR report blocks, SDES chunks, BYE SSRCs, XR blocks */
	uint16_t rb_first, rb_count;
	uint16_t chunk_first, chunk_count;
	uint16_t bye_first, bye_count;
	uint16_t xr_first, xr_count;
	ss_str bye_reason;	/* empty when absent */
	bool has_reason;
	ss_str app_name;	/* APP: 4 octets, ASCII by convention */
	ss_str app_data;	/* APP: the rest */
	uint32_t media_ssrc;	/* RTPFB/PSFB */
	ss_str profile_ext;	/* SR/RR: profile-specific extension octets */
};

struct rtcp_compound {
	uint16_t npkts;		/* packets stored (parsed whole) */
	bool reduced_size;	/* RFC 5506: first packet not SR/RR */
	const char *malformed;	/* NULL or why; static text */
	size_t malformed_at;	/* offset of the offending packet */
	uint32_t dropped;	/* items past a capacity, not stored */
	uint8_t trailing;	/* 1..3 zero octets after the last packet */
	uint16_t nrb, nchunks, nitems, nbye, nxr, ndlrr;
	struct rtcp_pkt pkts[RTCP_MAX_PKTS];
	struct rtcp_rblock rb[RTCP_MAX_RBLOCKS];
	struct rtcp_sdes_chunk chunks[RTCP_MAX_CHUNKS];
	struct rtcp_sdes_item items[RTCP_MAX_ITEMS];
	uint32_t bye_ssrc[RTCP_MAX_BYE_SSRCS];
	struct rtcp_xr_block xr[RTCP_MAX_XR_BLOCKS];
	struct rtcp_xr_dlrr dlrr[RTCP_MAX_DLRR];
};

enum rtcp_rc {
	RTCP_OK = 0,
	RTCP_MALFORMED,		/* c->malformed says why */
};

/* Parse the compound packet p[0..len) into *c (fully overwritten).
 * Checks (RFC 3550 appendix A.2): version 2 in every packet, packet types
 * in 192..223, the first packet SR or RR (otherwise accepted as reduced
 * size and flagged), the P bit only on the last packet with a padding
 * count that fits, every length field inside the input and the lengths
 * adding up to len exactly (but for 1..3 zero octets at the end, which
 * some stacks add: counted in trailing), and each packet's content consistent with its
 * count and length. Returns RTCP_OK or RTCP_MALFORMED; never reads outside
 * p[0..len). */
enum rtcp_rc rtcp_parse(const uint8_t *p, size_t len, struct rtcp_compound *c);

/* Heuristic for UDP flows nobody announced: version 2, every packet header
 * of the chain with a type in 192..223, the first SR, RR or (reduced size)
 * a type of enum rtcp_pt, and the lengths adding up to len (1..3 zero
 * octets at the end tolerated, as rtcp_parse does). Cheap:
 * reads the 4-byte headers only. */
bool rtcp_looks_like(const uint8_t *p, size_t len);

/* RFC 5761 section 4: on a port shared by RTP and RTCP, a packet whose
 * second octet is 192..223 is RTCP (RTP payload types 64..95 are not used
 * there for this reason). Needs at least 2 octets and version 2. */
bool rtcp_mux_is_rtcp(const uint8_t *p, size_t len);

/* Name of a packet type ("SR", "RR", ..., "RTPFB"), or NULL when unknown. */
const char *rtcp_pt_name(uint8_t pt);

/* XR VoIP helpers: false when the field says "unavailable" (127). */
bool rtcp_voip_mos(uint8_t raw, double *out);	/* raw / 10 */
bool rtcp_voip_r(uint8_t raw, unsigned *out);	/* 0..100 */

/* The middle 32 bits of a 64-bit NTP timestamp, as LSR/LRR carry it. */
static inline uint32_t rtcp_ntp_mid(uint64_t ntp)
{
	return (uint32_t)(ntp >> 16);
}

#endif
