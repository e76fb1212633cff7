/*
 * media.h - media of the calls: what each SDP asked for (offer/answer,
 * RFC 3264, as compact struct ss_sdp_entry records per call), the binding
 * of the advertised addresses to their call, and the RTP/RTCP streams
 * (streams.h) bound to calls through those addresses, or kept as orphans
 * when no SDP explains them.
 *
 * Binding: an RTP packet belongs to the call whose SDP asked for media at
 * its destination address:port (the receiver's SDP defines its payload
 * types, RFC 3264 5.1); failing that, to the call whose SDP advertised its
 * source (symmetric RTP, RFC 4961: a side sends from where it receives).
 * Both are kept on the stream (to_side, from_side), which is how NAT
 * (the source differs from the SDP) and misdirected media are found.
 * A binding lives while its call does, and SS_MEDIA_BIND_GRACE_NS after
 * the call ended; a newer SDP for the same address:port takes it over.
 *
 * Memory: a call with SDP costs one struct ss_call_media (48 bytes plus
 * 48 per SDP media line, typically 2-4 lines) while it is held; bindings
 * (about 80 bytes each, two to four per call) only while the call is in
 * progress or within the grace time. Streams: see streams.h.
 *
 * Ownership: the caller owns struct ss_media; every call it refers to
 * must be reported with ss_media_evict() before the correlator frees it
 * (ss_corr_on_evict does that).
 */
#ifndef SS_MEDIA_H
#define SS_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diagnose.h"
#include "dialog.h"
#include "pipeline.h"

#define SS_MEDIA_BIND_GRACE_NS (60 * INT64_C(1000000000))

struct ss_media;
struct ss_stream;

/* What one call's media looks like (owned by the media context). */
struct ss_call_media {
	const struct ss_call *call;
	int8_t offer_side;	/* side of the latest offer; -1 none */
	uint8_t pad_[3];
	uint32_t nsdp, cap_sdp;
	uint32_t nstreams, cap_streams;
	struct ss_stream **streams;	/* in first-packet order */
	struct ss_sdp_entry *sdp;	/* in message order */
};

struct ss_media_stats {
	uint64_t sdp_bodies;	/* SDP bodies parsed */
	uint64_t sdp_bad;	/* ... with a malformed reason */
	uint64_t sdp_not_sdp;	/* said application/sdp but were not */
	uint64_t bindings;	/* addresses bound (ever) */
	uint64_t rtp_packets;	/* RTP packets analysed (bound or orphan) */
	uint64_t rtcp_packets;
	uint64_t rtcp_malformed;	/* ... flagged (rtcp.h reasons) */
	uint64_t unknown_udp;	/* UDP payloads neither SIP nor media */
};

struct ss_media *ss_media_new(void);
/* corr: the calls whose media records are freed with the context. */
void ss_media_free(struct ss_media *m, const struct ss_corr *corr);

/* A SIP message c went to (after ss_corr_add); only messages carrying
 * SDP (and not retransmissions or copies) do anything. */
void ss_media_sip(struct ss_media *m, struct ss_call *c, const struct ss_sip_event *ev);
/* A UDP payload that is not SIP. Returns the call it is media of (RTP
 * or RTCP), or NULL (an orphan stream, or not media). */
const struct ss_call *ss_media_udp(struct ss_media *m, const struct ss_pktinfo *pi,
				   const uint8_t *p, size_t len);
/* The correlator is about to free c. */
void ss_media_evict(struct ss_media *m, const struct ss_call *c);

const struct ss_call_media *ss_media_of(const struct ss_media *m,
					const struct ss_call *c);
const struct ss_media_stats *ss_media_stats(const struct ss_media *m);
/* Every stream, bound or not, in first-packet order. */
struct ss_streams *ss_media_streams(const struct ss_media *m);
/* The call a stream belongs to, or NULL for an orphan. */
const struct ss_call *ss_media_stream_call(const struct ss_media *m,
					   const struct ss_stream *s);
/* RTCP reports about a stream's SSRC on its flow (or NULL). */
struct rtcp_summary;
const struct rtcp_summary *ss_media_rtcp(const struct ss_media *m,
					 const struct ss_stream *s);

/* Fill the diagnosis views of c's streams into out[0..cap); returns how
 * many there are (may exceed cap). */
size_t ss_media_views(const struct ss_media *m, const struct ss_call *c,
		      struct ss_stream_view *out, size_t cap);

#endif
