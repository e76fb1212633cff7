/*
 * rtpstats.h - per-stream RTP analysis: Wireshark-compatible delta and
 * jitter, RFC 3550 loss accounting, burst loss, RFC 4733 DTMF events and
 * an E-model (ITU-T G.107) MOS estimate.
 *
 * Fed one packet at a time in capture order; no allocation per packet
 * (a stream that carries telephone-events allocates its DTMF log once).
 *
 * Delta and jitter reproduce Wireshark 4.0's RTP stream analysis
 * (ui/tap-rtp-analysis.c, rtppacket_analyse), as `tshark -z rtp,streams`
 * prints it:
 *  - the first packet only initialises; deltas and jitter start with the
 *    second;
 *  - a packet is "in time sequence" when its RTP timestamp is less than
 *    2^31 ahead of the *first* packet's (modulo 2^32); others get the
 *    wrong-timestamp flag and do not move the reference arrival time;
 *  - nominal time = (ts - first_ts) mod 2^32 divided by (clock / 1000)
 *    in *integer* division (so 44100 Hz counts as 44 kHz, as Wireshark
 *    does); D = arrival - (ref_arrival + nominal - last_nominal),
 *    J += (|D| - J) / 16;
 *  - delta = arrival - ref_arrival (the last in-time-sequence packet);
 *  - packets with the marker bit, comfort noise (PT 13/19 or kind CN),
 *    the packet right after comfort noise and wrong-timestamp packets
 *    are not "regular": they are kept out of min/max/mean delta and
 *    jitter;
 *  - telephone-event and an unknown clock (0) give no jitter at all:
 *    then min jitter stays -1, mean and max 0, as tshark prints; the
 *    last nominal time is not advanced by such packets (Wireshark's
 *    jitter spike after a DTMF burst is reproduced on purpose);
 *  - means are Wireshark's running means, divided by the packet count
 *    so far (including non-regular packets): mean = (mean*(n-1) + x)/n;
 *  - "problem" is set once any packet had a wrong timestamp or a
 *    sequence error (Wireshark's "Problems?" column);
 *  - Wireshark's expected = last_seq + 65536*cycles - first_seq + 1 and
 *    lost = expected - packets (negative with duplicates) are kept as
 *    ws_expected/ws_lost.
 *
 * Loss as SPEC defines it is separate and never negative: sequence
 * numbers are extended (RFC 3550 A.1, half-range rule), a 128-packet
 * window of received bits tells duplicates from late packets, expected =
 * highest - lowest extended sequence + 1 and lost = expected - distinct
 * packets. Bursts are runs of missing sequence numbers, measured when
 * they leave the window, so a reordered packet fills its gap instead of
 * being counted as a loss. A packet more than 128 behind is counted as
 * out of order (and as received; its gap may already be in the burst
 * statistics).
 *
 * Times are int64 nanoseconds; only the jitter filter and the running
 * means use doubles, as Wireshark does, so the figures agree to well
 * under 0.001 ms.
 *
 * Memory: sizeof(struct ss_rtpstats) is 256 bytes on LP64 (a static
 * assertion in rtpstats.c keeps it there); a stream that carries
 * telephone-events adds one ss_dtmf_log of 1560 bytes (64 events of 24
 * bytes and the counters).
 */
#ifndef SS_RTPSTATS_H
#define SS_RTPSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"

/* What a payload type carries, as the SDP (or the static table) says. */
enum ss_rtp_kind {
	SS_RTP_AUDIO = 0,
	SS_RTP_VIDEO,
	SS_RTP_DTMF,		/* RFC 4733 telephone-event */
	SS_RTP_CN,		/* RFC 3389 comfort noise */
	SS_RTP_OTHER,
};

/* One packet as the analysis needs it. payload may be empty (replayed
 * heuristic packets keep only its first 4 bytes: enough for an event). */
struct ss_rtp_sample {
	int64_t ts_ns;		/* arrival time */
	uint32_t rtp_ts;
	uint16_t seq;
	uint8_t pt;
	bool marker;
	uint8_t kind;		/* enum ss_rtp_kind of this PT */
	uint32_t clock_hz;	/* 0 = unknown: no jitter (as Wireshark) */
	uint32_t payload_len;
	ss_str payload;
};

/* Burst-loss histogram buckets: runs of 1, 2, 3, 4, 5-8, 9-16, 17-64,
 * 65 and more lost packets. */
#define SS_BURST_BUCKETS 8

#define SS_DTMF_KEEP 64

struct ss_dtmf_event {
	int64_t start_ns;	/* arrival of the event's first packet */
	uint32_t rtp_ts;	/* event timestamp (identifies the event) */
	uint16_t duration;	/* latest duration, in timestamp units */
	uint8_t event;		/* RFC 4733 event code */
	uint8_t volume;
	bool ended;		/* an end packet was seen */
};

struct ss_dtmf_log {
	uint32_t events;	/* distinct events seen */
	uint32_t dropped;	/* events beyond SS_DTMF_KEEP, not kept */
	uint32_t end_retrans;	/* repeated end packets (counted once) */
	uint32_t clock_hz;	/* event clock, for durations; 8000 default */
	uint32_t cur_ts;	/* timestamp of the latest event */
	bool have_cur, cur_ended;
	uint8_t kept;
	struct ss_dtmf_event ev[SS_DTMF_KEEP];
};

struct ss_rtpstats {
	/* ---- the Wireshark mirror ---- */
	int64_t first_ns, last_ns;
	int64_t ref_ns;		/* arrival of the last in-time-sequence pkt */
	int64_t last_nominal_ns;
	int64_t delta_ns;	/* latest delta */
	int64_t min_delta_ns, max_delta_ns;	/* min < 0: none yet */
	double mean_delta_ms;
	double jitter_ms, min_jitter_ms, mean_jitter_ms, max_jitter_ms;
	uint32_t packets;	/* every packet fed (Wireshark's total_nr) */
	uint32_t first_rtp_ts, last_rtp_ts;
	uint32_t ws_cycles;
	uint32_t seq_errors;	/* Wireshark's "sequence" errors */
	uint16_t ws_seq, ws_start_seq, ws_stop_seq;
	uint8_t pt, first_pt, reg_pt;
	bool ws_under, prev_cn, problem, have_reg_pt;
	uint32_t clock_hz;	/* last non-zero clock used */

	/* ---- RFC 3550 loss accounting ---- */
	int64_t ext_max, ext_min;	/* extended sequence numbers */
	uint64_t win[2];	/* bit i: ext_max - i received (i < 128) */
	uint32_t dups, out_of_order, too_late;
	uint32_t run;		/* missing run being aged out of the window */
	uint32_t bursts, burst_lost, max_burst;
	uint32_t burst_hist[SS_BURST_BUCKETS];
	uint32_t fwd_rtp_ts;	/* timestamp of the newest packet */

	/* ---- other counters ---- */
	uint32_t markers, pt_changes, seq_wraps, ts_wraps;

	struct ss_dtmf_log *dtmf;	/* NULL until a telephone-event */
};

/* Start a stream's statistics (no allocation). */
void ss_rtpstats_init(struct ss_rtpstats *s);
/* Free what the stats own (the DTMF log); s can be initialised again. */
void ss_rtpstats_free(struct ss_rtpstats *s);

/* Account one packet; cheap, allocation-free except the first DTMF
 * event of the stream. */
void ss_rtpstats_add(struct ss_rtpstats *s, const struct ss_rtp_sample *p);

/* Codecs the E-model knows (ITU-T G.113 Appendix I values, see
 * rtpstats.c for the table and which values are assumptions). */
enum ss_codec {
	SS_CODEC_UNKNOWN = 0,	/* treated as G.711 with PLC */
	SS_CODEC_G711,		/* PCMU/PCMA, with packet loss concealment */
	SS_CODEC_G711_NOPLC,
	SS_CODEC_G729,
	SS_CODEC_G729A,
	SS_CODEC_G723,
	SS_CODEC_GSM_FR,
	SS_CODEC_GSM_EFR,
	SS_CODEC_ILBC,
	SS_CODEC_AMR,
	SS_CODEC_AMR_WB,
	SS_CODEC_G722,
	SS_CODEC_OPUS,
	SS_CODEC__COUNT
};

/* Codec of an SDP encoding name ("PCMU", "G729", "opus", ...; case
 * insensitive) or SS_CODEC_UNKNOWN. */
enum ss_codec ss_codec_from_name(ss_str name);
/* Codec of a static payload type (RFC 3551) or SS_CODEC_UNKNOWN. */
enum ss_codec ss_codec_from_pt(uint8_t pt);
const char *ss_codec_name(enum ss_codec c);

/*
 * E-model, simplified (ITU-T G.107 with its defaults, A = 0):
 *   R = 93.2 - Id - Ie_eff
 *   Ie_eff = Ie + (95 - Ie) * Ppl / (Ppl / BurstR + Bpl)     (G.107 7.2)
 *   Id = 0.024 T + 0.11 (T - 177.3) H(T - 177.3)  (Cole & Rosenbluth's
 *        fit of G.107's Idd/Idte/Idle for default echo loss; H = step)
 *   MOS = 1 + 0.035 R + R (R - 60) (100 - R) 7e-6, 1 below R 0 and 4.5
 *        above R 100                                          (G.107 B)
 * 93.2 is G.107's R with every parameter at its default (R0 - Is).
 * Ppl is the loss in percent; BurstR = 1 / (p + q) with p = bursts /
 * received packets (chance a loss starts) and q = 1 / mean burst length
 * (chance it ends), 1 for random loss or none (G.107 Annex: 2-state
 * Markov). The one-way delay T cannot be seen from one capture point, so
 * it is assumed: T = packetization (mean delta, 20 ms when unknown) +
 * a jitter buffer of 2 x mean jitter + the codec's algorithmic delay.
 * Network delay is taken as 0: the score is the best the stream could
 * give with what was observed.
 */
struct ss_mos {
	double r;
	double mos;
	double ie_eff;
	double id;
	double delay_ms;
	double burst_r;
};
void ss_emodel(enum ss_codec codec, double loss_pct, double burst_r,
	       double delay_ms, struct ss_mos *out);

/* Everything a report needs, computed without changing the stats (so a
 * live view can ask at any time). */
struct ss_rtp_summary {
	uint32_t packets, expected, lost, dups, out_of_order, seq_errors;
	uint32_t too_late;	/* of out_of_order: older than the window */
	double lost_pct;
	int64_t ws_expected, ws_lost;	/* Wireshark's (may be negative) */
	double ws_lost_pct;
	double min_delta_ms, mean_delta_ms, max_delta_ms;  /* min -1: none */
	bool has_jitter;	/* false: unknown clock or only events */
	double min_jitter_ms, mean_jitter_ms, max_jitter_ms; /* min -1 */
	uint32_t bursts, max_burst_loss;
	uint32_t burst_hist[SS_BURST_BUCKETS];
	uint32_t markers, pt_changes, seq_wraps, ts_wraps;
	int64_t first_ns, last_ns;
	uint32_t clock_hz;
	bool problem;
	struct ss_mos mos;
};
void ss_rtpstats_summary(const struct ss_rtpstats *s, enum ss_codec codec,
			 struct ss_rtp_summary *out);

/* Lower bound of histogram bucket i (1, 2, 3, 4, 5, 9, 17, 65). */
uint32_t ss_burst_bucket_min(unsigned i);

#endif
