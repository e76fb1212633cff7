/*
 * streams.h - the RTP stream table: one entry per (source address,
 * destination address, SSRC), with its analysis (rtpstats.h).
 *
 * The table knows nothing of SIP. Whoever does (the call binder) feeds
 * the packets it expects with ss_streams_rtp(), giving the payload-type
 * map from the SDP and an opaque owner cookie; UDP payloads nobody
 * explained go to ss_streams_udp_unknown(), which confirms a flow as RTP
 * only after SS_HEUR_CONFIRM packets with one SSRC and sequence numbers
 * moving forward, then replays the packets it held back into the new
 * (orphan, owner 0) stream, so none is missing from its counts. An SSRC
 * change on a flow is a new stream.
 *
 * Bounds: at most max_streams streams (further ones are refused and
 * counted); the heuristic holds at most SS_HEUR_SLOTS candidate flows in
 * sets of SS_HEUR_WAYS (in a full set the newest flow with the least
 * progress is evicted, counted). Memory per stream on LP64: 352 bytes (struct ss_stream, 256
 * of them its ss_rtpstats) plus a pointer and at most two 4-byte hash
 * slots (load <= 1/2), so ~370 bytes; 1560 more with a DTMF log. The
 * candidate table is SS_HEUR_SLOTS x 208 bytes (208 KiB), allocated on
 * the first unknown UDP payload.
 */
#ifndef SS_STREAMS_H
#define SS_STREAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "rtp.h"
#include "rtpstats.h"

/* What the SDP says of one payload type (RFC 4566 a=rtpmap). */
struct ss_pt_entry {
	bool known;
	uint8_t kind;		/* enum ss_rtp_kind */
	uint8_t codec;		/* enum ss_codec */
	uint32_t clock_hz;	/* 0: from the name (Wireshark's table) */
	ss_str name;		/* encoding name; points into the caller's SDP */
};

/* Payload-type map of one media description; owned by the caller, who
 * keeps it alive while streams refer to it (ss_stream_bind). */
struct ss_pt_map {
	struct ss_pt_entry pt[128];
};

void ss_pt_map_init(struct ss_pt_map *m);
/* Describe pt with its rtpmap encoding name and clock; kind and codec
 * follow from the name ("telephone-event" -> DTMF, "CN" -> CN, video
 * codec names -> video). */
void ss_pt_map_set(struct ss_pt_map *m, uint8_t pt, ss_str name,
		   uint32_t clock_hz);

/* Clock and kind the analysis uses for pt, as Wireshark 4.0 decides:
 * static PTs (< 96) from the RFC 3551 table whatever the SDP says,
 * dynamic ones from the map's clock, else from the encoding name, else 0
 * (unknown: no jitter). map may be NULL. */
void ss_pt_resolve(const struct ss_pt_map *map, uint8_t pt,
		   uint32_t *clock_hz, uint8_t *kind);
/* The RFC 3551 clock of a static payload type, 0 when it has none. */
uint32_t ss_rtp_static_clock(uint8_t pt);

enum {
	SS_STREAM_HEURISTIC = 1u << 0,	/* found by ss_streams_udp_unknown */
	SS_STREAM_BOUND = 1u << 1,	/* an owner was set at some point */
};

struct ss_stream {
	struct ss_addr src, dst;
	uint32_t ssrc;
	uint32_t flags;
	uint32_t index;		/* position in first-seen order */
	uint8_t first_pt, last_pt;
	uint8_t codec;		/* enum ss_codec, from the first audio PT */
	uint64_t first_frame, last_frame;
	uint64_t payload_bytes;
	uintptr_t owner;	/* caller's cookie, 0 = orphan */
	const struct ss_pt_map *map;	/* NULL: static table only */
	struct ss_rtpstats st;	/* first/last time live in here */
};

#define SS_HEUR_CONFIRM 3	/* packets that make a flow RTP */
#define SS_HEUR_KEEP 4		/* packets held per candidate flow */
#define SS_HEUR_SLOTS 1024	/* candidate flows held at once */
#define SS_HEUR_WAYS 8		/* per hash set */

struct ss_streams_counters {
	uint64_t rtp_packets;	/* packets accounted to a stream */
	uint64_t not_rtp;	/* payloads that did not parse as RTP */
	uint64_t refused_streams;	/* new streams beyond max_streams */
	uint64_t refused_packets;	/* their packets */
	uint64_t heur_confirmed;	/* flows the heuristic made streams */
	uint64_t heur_restarts;	/* candidates reset by an inconsistent pkt */
	uint64_t heur_evicted;	/* candidates pushed out by a collision */
};

struct ss_cand;
struct ss_streams;

/* Called once for each new stream, before its first packet is accounted
 * (for a heuristic stream: before the held packets are replayed), so the
 * caller can ss_stream_bind() it to an owner and a map it expected. */
typedef void (*ss_stream_new_cb)(void *user, struct ss_stream *s);

struct ss_streams {
	struct ss_stream **v;	/* first-seen order; entries never move */
	size_t n, cap, max;
	uint32_t *slot;		/* open addressing: index + 1, 0 = empty */
	size_t nslot;
	struct ss_cand *cand;	/* SS_HEUR_SLOTS, NULL until needed */
	const struct ss_pt_map *default_map;	/* for orphan streams */
	ss_stream_new_cb on_new;
	void *on_new_user;
	struct ss_streams_counters c;
};

/* max_streams 0 picks 65536. */
void ss_streams_init(struct ss_streams *t, size_t max_streams);
void ss_streams_free(struct ss_streams *t);

/* The map orphan (heuristic) streams use when they have none, e.g. the
 * clocks given on the command line for dynamic PTs; NULL = none. The
 * map must outlive the table or be reset. */
void ss_streams_set_default_map(struct ss_streams *t,
				const struct ss_pt_map *map);

/* Install the new-stream callback (NULL to remove). */
void ss_streams_on_new(struct ss_streams *t, ss_stream_new_cb cb,
		       void *user);

/* A packet the caller knows is RTP (its SDP said so). RTCP multiplexed
 * on the same port (RFC 5761) is told apart and refused. Parses p[0..len),
 * finds or creates the stream of (pi->src, pi->dst, SSRC) and accounts
 * the packet. A new stream gets map and owner; an existing one keeps
 * its own (change them with ss_stream_bind). Returns the stream, or
 * NULL when the bytes are not RTP or the table is full. */
struct ss_stream *ss_streams_rtp(struct ss_streams *t,
				 const struct ss_pktinfo *pi,
				 const uint8_t *p, size_t len,
				 const struct ss_pt_map *map, uintptr_t owner);

/* ss_streams_rtp for a caller that remembers, per flow, the stream the
 * flow's last packet went to: *hint (NULL or a stream of this table whose
 * src and dst are pi's) is used when its SSRC is the packet's, which skips
 * the hash lookup; *hint is set to the stream returned. */
struct ss_stream *ss_streams_rtp_hint(struct ss_streams *t,
				      const struct ss_pktinfo *pi,
				      const uint8_t *p, size_t len,
				      const struct ss_pt_map *map,
				      uintptr_t owner, struct ss_stream **hint);

/* A UDP payload nobody explained: accounted to its stream if the flow
 * is already known, otherwise held by the heuristic until it is
 * confirmed (then the stream is created, the held packets replayed and
 * the stream returned) or rejected. NULL while held or when not RTP. */
struct ss_stream *ss_streams_udp_unknown(struct ss_streams *t,
					 const struct ss_pktinfo *pi,
					 const uint8_t *p, size_t len);

/* Set or change a stream's owner and payload-type map (binding to a
 * call can come after its first packets; packets already accounted are
 * not re-analysed). */
void ss_stream_bind(struct ss_stream *s, uintptr_t owner,
		    const struct ss_pt_map *map);

struct ss_stream *ss_streams_find(const struct ss_streams *t,
				  const struct ss_addr *src,
				  const struct ss_addr *dst, uint32_t ssrc);

static inline size_t ss_streams_count(const struct ss_streams *t)
{
	return t->n;
}

/* Stream i in first-seen order (i < ss_streams_count). */
static inline struct ss_stream *ss_streams_at(const struct ss_streams *t,
					      size_t i)
{
	return i < t->n ? t->v[i] : NULL;
}

/* The stream's summary with its codec for the MOS. */
void ss_stream_summary(const struct ss_stream *s, struct ss_rtp_summary *o);

#endif
