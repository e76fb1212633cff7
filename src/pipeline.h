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
#include "websocket.h"

/* One SIP message as the layers above see it. */
struct ss_sip_event {
	const struct ss_pktinfo *pi;
	const char *transport;	/* "UDP", "TCP", "TLS", "SCTP", "WS", "WSS" */
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
	uint64_t ws_not_sip;		/* WebSocket messages that are not SIP
					 * (keep-alive CRLFs not counted) */
};

/* SIP over TLS (dissectors/tls.h): TCP connections whose client starts
 * with a TLS ClientHello are decrypted with the key log (--keylog), and
 * their plaintext framed like SIP over TCP (named "TLS", or "WSS" over
 * WebSocket). Nothing is skipped silently: every record that could not be
 * decrypted is counted here under its reason. */
#define SS_TLS_MAX_CONNS 16384	/* connections decrypted at once */
#define SS_TLS_PLAIN_CAP ((size_t)2 << 20)	/* plaintext held per direction */
#define SS_TLS_MAX_SUITES 8	/* unsupported suites remembered by id */

struct ss_pipeline_tls_stats {
	uint64_t connections;	/* TLS connections seen (ended ones) */
	uint64_t records;	/* TLS records framed */
	uint64_t decrypted;	/* ... decrypted and authenticated */
	uint64_t no_keys;	/* ... encrypted, no secrets for them */
	uint64_t no_keys_conns;	/* connections with such records */
	uint64_t bad_decrypt;	/* ... failed authentication */
	uint64_t unsupported;	/* ... of an unsupported suite or version */
	uint64_t key_updates;	/* TLS 1.3 KeyUpdates followed */
	uint64_t malformed;	/* handshake messages that did not parse */
	uint64_t resumed;	/* resumed sessions */
	uint64_t rsa_no_key;	/* TLS_RSA connections without --rsa-key */
	uint64_t lost;		/* connections that lost record framing */
	uint64_t plain_bytes;	/* application plaintext, both directions */
	uint64_t overflow_bytes;	/* plaintext dropped at SS_TLS_PLAIN_CAP */
	uint64_t unframed_bytes;	/* TLS stream bytes after framing was lost */
	uint64_t untracked;	/* connections past SS_TLS_MAX_CONNS */
	uint64_t untracked_bytes;	/* ... their bytes, not decrypted */
	uint16_t suites[SS_TLS_MAX_SUITES];	/* unsupported: suite ids */
	uint16_t suite_versions[SS_TLS_MAX_SUITES];	/* ... and versions */
	size_t nsuites;
};

struct ss_keylog;
struct tls_conn;

/* Headers per message we accept before flagging; the scratch array grows
 * to this on demand so the common case stays small. */
#define SS_MAX_HEADERS 4096

struct ss_pipeline {
	struct ss_decoder dec;
	struct ss_tcp *tcp;		/* owned */
	ss_sip_cb on_sip;
	void *user;
	/* UDP payloads that are not SIP (RTP, RTCP, ...) go here with the
	 * same user pointer; NULL drops them. Set it after init. */
	ss_payload_cb on_udp;
	struct sip_header *hdrs;	/* owned scratch */
	size_t hdr_cap;
	struct ss_pipeline_stats st;
	struct ws_ctx ws;		/* SIP over WebSocket: counters in ws.st */
	/* UDP ports whose payloads are shown as SIP even when they do not
	 * look like it (--sip-port), so a broken device is still visible. */
	uint16_t sip_ports[32];
	size_t nsip_ports;
	/* SIP over TLS: the key log is borrowed (set it after init; NULL
	 * means no keys: TLS is still found and counted). */
	const struct ss_keylog *keylog;
	struct ss_keylog *no_keys;	/* owned: the empty key log */
	struct tls_conn **tls_tab;	/* owned: connections by 4-tuple */
	size_t tls_nconns;
	struct ss_pipeline_tls_stats tls;
	/* Given to the SIP parser of datagrams (sip_parse_hinted): set
	 * hint.call_id and hint.user after init to learn a message's
	 * Call-ID before it is emitted (ss_corr_prefetch). */
	struct sip_parse_hint hint;
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

/*
 * The consumer of one direction of a byte stream, in the reassembler's
 * contract (tcp.h: in-order bytes, returns bytes consumed, the rest is
 * offered again with more; *c->state 0 on a new direction). TCP calls it
 * for every flow; a TLS layer feeds it each direction's plaintext the
 * same way, with SS_FLOW_TLS set in the state word before the first
 * call, so messages are named "WSS" (and not "WS") when they turn out to
 * be SIP over WebSocket. It frames SIP by Content-Length, or WebSocket
 * (RFC 7118) after an HTTP upgrade, see pipeline.c.
 */
#define SS_FLOW_TLS 4u
size_t ss_pipeline_stream(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			  struct ss_tcp_chunk *c);

/* Parse one transport payload as SIP (used by the decoder callback and by
 * the fuzz targets). A TCP payload given here is taken as a whole stream
 * of its own (no reassembly): the messages it holds are delivered. */
void ss_pipeline_payload(struct ss_pipeline *pl, const struct ss_pktinfo *pi,
			 const uint8_t *payload, size_t len);

#endif
