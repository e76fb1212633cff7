/*
 * rtp_report.h - --report rtp: one row per RTP stream (SSRC and
 * direction), in text (like tshark's rtp,streams, plus Call-ID and MOS),
 * JSON (SPEC keys) and CSV (its scalar keys). The rows are filled by the
 * program from the media model; the renderer only formats.
 */
#ifndef SS_RTP_REPORT_H
#define SS_RTP_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bytes.h"
#include "packet.h"
#include "rtcpstats.h"
#include "rtpstats.h"

struct rtp_row {
	ss_str call_id;		/* p NULL: an orphan stream */
	const char *bound;	/* "sdp-destination", "sdp-source", "heuristic" */
	struct ss_addr src, dst;
	uint32_t ssrc;
	uint8_t pt;
	const char *codec;	/* NULL: unknown */
	uint32_t clock_rate;	/* 0: unknown */
	const struct ss_rtp_summary *s;
	const struct ss_dtmf_log *dtmf;	/* NULL: none */
	const struct rtcp_summary *rtcp;	/* reports about this SSRC;
						 * NULL: none seen */
	bool srtp;		/* the SDP asked for SRTP: payload encrypted */
	bool ssrc_changed;	/* an earlier stream of the same source and
				 * destination had another SSRC ... */
	uint32_t prev_ssrc;	/* ... this one */
};

void render_rtp_text_header(FILE *out);
void render_rtp_text(FILE *out, const struct rtp_row *r);
void render_rtp_text_footer(FILE *out, size_t n);
/* One JSON object (no newline), so the calls report can nest it. */
void render_rtp_json_obj(FILE *out, const struct rtp_row *r);
void render_rtp_json(FILE *out, const struct rtp_row *r);
/* RTCP about an SSRC no RTP stream carries (r->s unused, r->rtcp set). */
void render_rtcp_json(FILE *out, const struct rtp_row *r);
void render_rtcp_text_header(FILE *out);
void render_rtcp_text(FILE *out, const struct rtp_row *r);
void render_rtp_csv_header(FILE *out);
void render_rtp_csv(FILE *out, const struct rtp_row *r);

#endif
