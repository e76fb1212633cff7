/*
 * media_int.h - internals of the media context shared by media.c (SDP and
 * bindings) and media_rtp.c (packets and streams). Not for other callers.
 */
#ifndef SS_MEDIA_INT_H
#define SS_MEDIA_INT_H

#include "media.h"

/* SDP media lines kept per call: a call re-negotiating forever cannot
 * grow without bound. */
#define SS_MEDIA_MAX_SDP 256
#define SS_MEDIA_MAX_CODECS 256
#define SS_BIND_MAX_PT 8
/* Streams per call kept in its list (all are in the stream table). */
#define SS_MEDIA_MAX_CALL_STREAMS 1024

/* Sweep bindings this often (capture time): from the SIP path too, or a
 * capture without media would keep every binding. */
#define SWEEP_NS (10 * INT64_C(1000000000))

/* Distinct payload-type maps kept (codec configurations, not calls). */
#define SS_MEDIA_MAX_MAPS 4096

/* One address:port an SDP asked media to be sent to (64 bytes; only while
 * its call is held and not long over). */
struct ss_binding {
	struct ss_addr addr;
	struct ss_call *call;	/* NULL: free */
	const struct ss_pt_map *map;	/* interned; NULL: static types only */
	uint32_t entry;		/* the SDP entry (struct ss_call_media.sdp) */
	uint32_t next_free;	/* free list, index + 1 */
	uint8_t side;		/* who advertised it: 0 caller, 1 callee */
	bool rtcp;
};

/* How a stream found its call. */
enum ss_bound_by { SS_BOUND_NONE = 0, SS_BOUND_DST, SS_BOUND_SRC };

/* What the media layer knows of a stream besides its analysis (by
 * stream index; 12 bytes). */
struct ss_stream_x {
	int8_t to_side, from_side;	/* -1: not an SDP address */
	uint8_t bound_by;		/* enum ss_bound_by */
	bool seen, srtp, evicted;
	uint32_t entry;			/* SDP entry it was bound through */
};

struct sdp_desc;
struct ss_streams;

/* An RTCP flow as first seen (for listing RTCP no RTP stream explains). */
struct ss_rtcp_flow {
	uint64_t key;		/* rtcp_flow_key() */
	struct ss_addr src, dst;
	uint64_t packets;
};
#define SS_MEDIA_MAX_RTCP_FLOWS 65536

struct rtcp_table;
struct rtcp_compound;
struct ss_pt_map;
struct ss_stream;
struct sdp_media;

/* The media path's memo of one UDP flow (source, destination): the
 * bindings its packets were routed by, valid while the binding table is
 * at generation gen, and the stream its last RTP packet went to. RTP
 * flows send ~50 packets a second for minutes, so the next packet of a
 * flow finds both here instead of two binding lookups and a stream hash
 * lookup. Direct-mapped: a collision only costs the lookups. */
#define SS_FLOW_MEMO_BITS 12
struct ss_flow_memo {
	struct ss_addr src, dst;
	uint64_t gen;			/* 0: empty */
	struct ss_binding *to, *from;	/* valid while gen is current */
	struct ss_stream *stream;	/* last RTP stream of the flow, or NULL */
};

struct ss_media {
	struct ss_media_stats st;
	struct sdp_desc *scratch;	/* owned: ~11 KB parse target */
	struct rtcp_compound *rtcp_scratch;	/* owned */
	struct ss_ptab bindtab;		/* addr -> binding index + 1 */
	struct ss_binding *binds;
	size_t nbinds, cap_binds, nbinds_live;
	uint32_t free_bind;
	uint64_t bind_gen;		/* bumped by every binding change */
	struct ss_flow_memo *memo;	/* 1 << SS_FLOW_MEMO_BITS, lazily */
	int64_t last_sweep;
	struct ss_ptab maptab;		/* -> struct ss_media_map (owned) */
	const char *codecs[SS_MEDIA_MAX_CODECS];	/* owned */
	size_t ncodecs;
	struct ss_streams *streams;	/* owned */
	struct ss_stream_x *sx;		/* by stream index */
	size_t cap_sx;
	struct rtcp_table *rtcp;	/* owned */
	struct ss_ptab flowtab;		/* RTCP flow key -> index + 1 */
	struct ss_rtcp_flow *flows;
	size_t nflows, cap_flows;
};

const char *ss_media_codec_name(struct ss_media *m, ss_str name);
const struct ss_pt_map *ss_media_map(struct ss_media *m, const struct sdp_media *md);
struct ss_binding *ss_media_bound(const struct ss_media *m, const struct ss_addr *a);
void ss_media_unbind(struct ss_media *m, uint32_t i);
void ss_media_sweep(struct ss_media *m, int64_t now);
void ss_call_media_free(struct ss_call_media *cm);
const struct ss_stream_x *ss_media_stream_x(const struct ss_media *m,
					    const struct ss_stream *s);
/* The RTCP flow of a summary's flow key, or NULL. */
const struct ss_rtcp_flow *ss_media_rtcp_flow(const struct ss_media *m, uint64_t key);

#endif
