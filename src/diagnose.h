/*
 * diagnose.h - why a call has one-way audio (or none, or bad audio):
 * the expected media, derived from the offer/answer exchange and its
 * direction attributes (RFC 3264 sections 5.1 and 6.1), compared with the
 * streams that were actually observed, plus the SIP-level problems.
 *
 * The analysis works on views (struct ss_diag_input), not on the media
 * tables, so it can be tested on hand-made calls: media.c fills the views
 * from what it recorded. It knows nothing of how problems are printed.
 *
 * Rules, in the order they are applied (thresholds in struct
 * ss_diag_thresholds; the man page lists them too):
 *   - A direction caller->callee is *expected* when the latest SDP of the
 *     caller lets it send (sendrecv/sendonly) and the latest SDP of the
 *     callee lets it receive (sendrecv/recvonly) on a non-zero address and
 *     port; the same the other way.
 *   - HOLD: any SDP after the first answer with sendonly, recvonly,
 *     inactive or an all-zero address; a direction that was switched off
 *     by it is never reported missing (no ONE_WAY_AUDIO on hold).
 *   - NO_MEDIA: the call was answered (for media_wait_ms at least),
 *     media was expected in some direction, and no RTP at all was seen.
 *   - ONE_WAY_AUDIO: the call was answered, RTP flowed in one direction,
 *     none in the other although it was expected the whole time; RTP
 *     sent from a public address to a private SDP address of a side that
 *     signals from a public one (its NAT) counts as none: it cannot
 *     arrive.
 *   - SDP_PRIVATE_ADDRESS: an SDP names a private (RFC 1918, RFC 6598,
 *     ULA) address while the message carrying it came from a public one.
 *   - NAT_ADDRESS_MISMATCH: RTP sent by a side arrives from another
 *     address or port than that side's SDP announced (latching needed).
 *   - MEDIA_TO_WRONG_ADDRESS: RTP from a side's announced address goes to
 *     an address:port the other side's SDP did not ask for.
 *   - ZERO_ADDRESS: c=0.0.0.0 (or ::) or port 0 on an audio stream.
 *   - CODEC_MISMATCH: RTP carries a payload type the receiver's SDP does
 *     not list.
 *   - LATE_MEDIA: expected RTP started more than late_ms after the answer.
 *   - HIGH_LOSS, HIGH_JITTER, LOW_MOS: per stream, against thresholds.
 *   - NO_ACK, AUTH_LOOP, SLOW_SETUP, RETRANSMISSIONS: from the dialog.
 */
#ifndef SS_DIAGNOSE_H
#define SS_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dialog.h"
#include "packet.h"

enum ss_diag_code {
	SS_DG_ONE_WAY_AUDIO = 0,
	SS_DG_NO_MEDIA,
	SS_DG_SDP_PRIVATE_ADDRESS,
	SS_DG_NAT_ADDRESS_MISMATCH,
	SS_DG_MEDIA_TO_WRONG_ADDRESS,
	SS_DG_HOLD,
	SS_DG_ZERO_ADDRESS,
	SS_DG_CODEC_MISMATCH,
	SS_DG_HIGH_LOSS,
	SS_DG_HIGH_JITTER,
	SS_DG_LOW_MOS,
	SS_DG_LATE_MEDIA,
	SS_DG_NO_ACK,
	SS_DG_AUTH_LOOP,
	SS_DG_SLOW_SETUP,
	SS_DG_RETRANSMISSIONS,
	SS_DG__COUNT
};

enum ss_severity { SS_SEV_INFO = 0, SS_SEV_WARNING, SS_SEV_ERROR };

/* Exactly as SPEC.md spells them. */
const char *ss_diag_code_name(enum ss_diag_code c);
const char *ss_severity_name(enum ss_severity s);

/* Media direction of an SDP stream (RFC 3264 section 5.1 / 6.1). */
enum ss_dir { SS_DIR_SENDRECV = 0, SS_DIR_SENDONLY, SS_DIR_RECVONLY,
	      SS_DIR_INACTIVE };
const char *ss_dir_name(enum ss_dir d);

/* One media line of one SDP as the media layer keeps it (48 bytes):
 * enough to say who should send what where, and to quote it. */
#define SS_SDP_KEEP_PT 7
#define SS_SE_OFFER	0x01	/* in an offer (else an answer) */
#define SS_SE_SESSION_C	0x02	/* the c= line was at session level */
#define SS_SE_CRYPTO	0x04	/* a=crypto: SRTP, not decrypted */
#define SS_SE_ICE	0x08	/* ICE candidates */
#define SS_SE_RTCP_MUX	0x10
#define SS_SE_MORE_PT	0x20	/* more formats than SS_SDP_KEEP_PT */
#define SS_SE_NOT_RTP	0x40	/* udptl (T.38), TCP, ...: no RTP expected */
struct ss_sdp_entry {
	struct ss_addr addr;	/* c= address and m= port; family 0: no c= */
	uint16_t rtcp_port;	/* a=rtcp or port + 1 */
	uint8_t side;		/* 0: sent by the caller, 1: by the callee */
	uint8_t dir;		/* enum ss_dir, effective */
	uint8_t mtype;		/* enum ss_mtype */
	uint8_t flags;		/* SS_SE_* */
	uint8_t npt;
	uint8_t m_index;	/* position of the m= line */
	uint8_t fork;		/* the early dialog (To tag) it belongs to:
				 * index in ss_call.forks + 1; 0 none */
	uint8_t pt[SS_SDP_KEEP_PT];	/* formats, in m= order */
	uint32_t rec;		/* record (message) number in the call */
	int64_t ts_ns;		/* time of the message */
};

enum ss_mtype { SS_MT_AUDIO = 0, SS_MT_VIDEO, SS_MT_IMAGE, SS_MT_OTHER };

/* One observed RTP stream of a call, as the diagnosis needs it. */
struct ss_stream_view {
	struct ss_addr src, dst;
	uint32_t ssrc;
	int8_t from_side, to_side;	/* 0 caller, 1 callee, -1 unknown */
	uint8_t pt_first, pt_last;
	bool pt_unlisted;	/* a payload type the receiver's SDP lacks */
	uint8_t pt_unlisted_value;
	bool dtmf_or_cn;	/* an RFC 4733 / comfort-noise-only stream */
	uint64_t packets;
	int64_t lost;
	double lost_pct;
	double max_jitter_ms, mean_jitter_ms;
	double mos;		/* < 0: not computed */
	int64_t first_ns, last_ns;
	const char *codec;	/* may be NULL */
	int16_t m_index;	/* m= line it was bound through; -1 unknown */
};

struct ss_diag_thresholds {
	double loss_pct;	/* HIGH_LOSS above this percentage (2) */
	double jitter_ms;	/* HIGH_JITTER: max jitter above (30 ms) */
	double mos;		/* LOW_MOS below (3.6) */
	int64_t late_ms;	/* LATE_MEDIA: first RTP after the answer (2000) */
	int64_t pdd_ms;		/* SLOW_SETUP: INVITE to first 18x/2xx (5000) */
	uint32_t retrans;	/* RETRANSMISSIONS: at least this many (3) */
	uint64_t min_packets;	/* quality checks need this many packets (50) */
	int64_t media_wait_ms;	/* NO_MEDIA / ONE_WAY_AUDIO only for calls
				 * answered at least this long (1000) */
};

void ss_diag_thresholds_default(struct ss_diag_thresholds *t);
/* "loss=5", "jitter=30", "mos=3.6", "late=2000", "pdd=5000",
 * "retrans=3", "packets=50", "wait=1000"; false with a message in err. */
bool ss_diag_threshold_set(struct ss_diag_thresholds *t, const char *spec,
			   char *err, size_t errlen);

/* One evidence item: key and its value, formatted. A list is several
 * items with the same key in a row (rendered as a JSON array). */
enum ss_ev_kind { SS_EV_STR, SS_EV_NUM, SS_EV_LIST };
struct ss_diag_ev {
	const char *key;	/* static */
	char *val;		/* owned */
	uint8_t kind;		/* enum ss_ev_kind */
};

#define SS_DIAG_MAX_EV 16
struct ss_problem {
	const struct ss_call *call;
	uint8_t code;		/* enum ss_diag_code */
	uint8_t severity;	/* enum ss_severity */
	bool bare;		/* made for codes_only: no text below */
	char *summary;		/* owned: one sentence; NULL when bare */
	struct ss_diag_ev ev[SS_DIAG_MAX_EV];
	size_t nev;
};

struct ss_problems {
	struct ss_problem *v;
	size_t n, cap;
	/* set by the caller: the codes only (the call list's column), no
	 * summary or evidence, whose formatting costs more than finding
	 * the problems */
	bool codes_only;
};

struct ss_diag_input {
	const struct ss_corr *corr;
	const struct ss_call *call;
	const struct ss_sdp_entry *sdp;	/* in message order */
	size_t nsdp;
	const struct ss_stream_view *st;
	size_t nst;
	bool capture_has_rtp;	/* any RTP at all in the input (a capture
				 * filtered to signalling has none) */
};

/* Append the problems of one call to out (grouped as the rules above
 * are listed). */
void ss_diagnose(const struct ss_diag_input *in,
		 const struct ss_diag_thresholds *t, struct ss_problems *out);
void ss_problems_free(struct ss_problems *p);

#endif
