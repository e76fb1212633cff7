/*
 * pipeline.h - from captured frames to SIP messages.
 *
 * Owns the packet decoder, the TCP reassembler (SIP over TCP is framed on
 * the reassembled stream, RFC 3261 section 18.3) and the SIP header
 * scratch array. Each SIP
 * message found is handed to on_sip together with where it came from; the
 * message's slices point into packet memory and are valid only during the
 * call. The pipeline knows nothing of how messages are shown.
 */
#ifndef SS_PIPELINE_H
#define SS_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "packet.h"
#include "sip.h"
#include "tcp.h"

/* One SIP message as the layers above see it. */
struct ss_sip_event {
	const struct ss_pktinfo *pi;
	const char *transport;	/* "UDP", "TCP", "SCTP" */
	const struct sip_msg *msg;
	size_t trailing;	/* datagram bytes after the message, ignored
				 * as RFC 3261 18.3 says */
};

typedef void (*ss_sip_cb)(void *user, const struct ss_sip_event *ev);

struct ss_pipeline_stats {
	uint64_t sip_messages;
	uint64_t sip_malformed;		/* kept, flagged with a reason */
	uint64_t sip_unparseable;	/* looked like SIP, start line broken */
	uint64_t tcp_not_sip;		/* TCP flow directions ignored: their
					 * first bytes are not SIP */
	uint64_t tcp_incomplete;	/* SIP messages still incomplete when
					 * their stream ended or input did */
	uint64_t tcp_incomplete_bytes;
	uint64_t tcp_resync_bytes;	/* skipped after a gap or a mid-stream
					 * join, looking for a start line */
	uint64_t tcp_oversized;		/* emitted early, flagged: absurd
					 * Content-Length or endless header */
	uint64_t header_overflow;	/* more headers than SS_MAX_HEADERS */
};

/* Headers per message we accept before flagging; the scratch array grows
 * to this on demand so the common case stays small. */
#define SS_MAX_HEADERS 4096

struct ss_pipeline {
	struct ss_decoder dec;
	struct ss_tcp *tcp;		/* owned */
	ss_sip_cb on_sip;
	void *user;
	struct sip_header *hdrs;	/* owned scratch */
	size_t hdr_cap;
	struct ss_pipeline_stats st;
	/* UDP ports whose payloads are shown as SIP even when they do not
	 * look like it (--sip-port), so a broken device is still visible. */
	uint16_t sip_ports[32];
	size_t nsip_ports;
};

/* The bytes of a message as it was sent: start line through the end of
 * its body (trailing datagram bytes past Content-Length excluded). */
ss_str ss_sip_text(const struct sip_msg *m);

/* Limits of SIP framing on a stream: a Content-Length above
 * SS_SIP_MAX_BODY, or a header block longer than SS_SIP_MAX_HEAD, is not
 * waited for: what arrived is emitted flagged malformed and the stream
 * resynchronises at the next start line. */
#define SS_SIP_MAX_BODY ((size_t)1 << 20)
#define SS_SIP_MAX_HEAD ((size_t)64 << 10)
/* A start line is waited for up to this long; an unclassified flow (joined
 * mid-stream) gives up looking for SIP after SS_SIP_RESYNC_BUDGET bytes. */
#define SS_SIP_LINE_MAX ((size_t)8 << 10)
#define SS_SIP_RESYNC_BUDGET ((size_t)64 << 10)

/* tcp may be NULL for the reassembler's defaults. */
void ss_pipeline_init(struct ss_pipeline *pl, ss_sip_cb cb, void *user);
void ss_pipeline_init_tcp(struct ss_pipeline *pl, ss_sip_cb cb, void *user,
			  const struct ss_tcp_limits *tcp);
/* End of input: TCP streams still open are drained (messages held behind
 * a hole are delivered, incomplete ones counted in tcp_incomplete). Call
 * before ss_pipeline_free; the pipeline stays usable. */
void ss_pipeline_finish(struct ss_pipeline *pl);
/* Free everything, without delivering anything more. */
void ss_pipeline_free(struct ss_pipeline *pl);

/* Decode one frame and deliver every SIP message in it. */
void ss_pipeline_frame(struct ss_pipeline *pl, const struct ss_frame *f,
		       uint64_t frame_no);

/* Parse one transport payload as SIP (used by the decoder callback and by
 * the fuzz targets). A TCP payload given here is taken as a whole stream
 * of its own (no reassembly): the messages it holds are delivered. */
void ss_pipeline_payload(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			 const uint8_t *payload, size_t len);

#endif
