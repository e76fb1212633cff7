/*
 * pipeline.h - from captured frames to SIP messages.
 *
 * Owns the packet decoder and the SIP header scratch array. Each SIP
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
	uint64_t tcp_partial;		/* TCP segments holding an incomplete
					 * SIP message (no reassembly yet) */
	uint64_t header_overflow;	/* more headers than SS_MAX_HEADERS */
};

/* Headers per message we accept before flagging; the scratch array grows
 * to this on demand so the common case stays small. */
#define SS_MAX_HEADERS 4096

struct ss_pipeline {
	struct ss_decoder dec;
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

void ss_pipeline_init(struct ss_pipeline *pl, ss_sip_cb cb, void *user);
void ss_pipeline_free(struct ss_pipeline *pl);

/* Decode one frame and deliver every SIP message in it. */
void ss_pipeline_frame(struct ss_pipeline *pl, const struct ss_frame *f,
		       uint64_t frame_no);

/* Parse one transport payload as SIP (used by the decoder callback and by
 * the fuzz targets). */
void ss_pipeline_payload(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			 const uint8_t *payload, size_t len);

#endif
