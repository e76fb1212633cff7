/*
 * rtcpstats.h - what RTCP says about each RTP source (SSRC), summarised
 * for the reports (SPEC.md, the "rtcp" object of a stream: sender
 * reports, fraction_lost, cumulative_lost, jitter_ms, rtt_ms).
 *
 * One struct rtcp_summary per SSRC and RTCP flow gathers
 *  - what the source said about itself: its sender reports;
 *  - what receivers said about it: report blocks whose SSRC is this
 *    source (fraction lost, cumulative lost, jitter), the round-trip time
 *    derived from their LSR/DLSR, and XR VoIP metrics about it;
 *  - its BYE.
 * A compound packet touches several summaries (an SR updates its sender's
 * and, through its report blocks, the peers'), so the update takes the
 * whole parsed compound. The summary can be embedded anywhere (the lead's
 * stream object, say) with the rtcp_summary_* functions, or kept in the
 * bounded table below keyed by (flow key, SSRC).
 *
 * Round-trip time as a passive observer sees it (RFC 3550 6.4.1 computes
 * RTT = A - LSR - DLSR at the SR's sender, with A its arrival time in the
 * sender's clock; we do not have that clock). Each SR's middle 32 NTP bits
 * are kept with the capture time t0 at which we saw it, the last
 * RTCP_SR_HISTORY of them per SSRC. When a report block about that SSRC
 * arrives at capture time t1 with LSR naming one of them, we compute
 *     rtt = (t1 - t0) - DLSR
 * in the capture clock only, so no clock needs to agree with another. It
 * measures the round trip between the capture point and the *reporting*
 * end (the SR travels capture point -> reporter, the report travels back);
 * the leg between the SR's sender and the capture point is missing. It is
 * the full RTT when capturing on the SR sender's host, about half of it
 * when capturing midway; adding the figures of both directions of a call
 * (each side's SR answered by the other) gives the full RTT. Error besides
 * that: DLSR's 1/65536 s resolution, the reporter's own timer accuracy, and
 * the capture timestamp precision. A sample below -1 ms (clocks cannot
 * explain it; a wrong LSR match or captures merged out of order can) is
 * discarded and counted; one between -1 ms and 0 is taken as 0. XR RRT/DLRR (RFC 3611 4.4/4.5) are used the
 * same way for receivers that send no SR: the RRT's sender's summary gets
 * the RTT between the capture point and the DLRR's sender.
 */
#ifndef SS_RTCPSTATS_H
#define SS_RTCPSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "rtcp.h"

#define RTCP_SR_HISTORY 4	/* SRs (or XR RRTs) remembered for LSR matches */
#define RTCP_BYE_REASON_MAX 64	/* longer BYE reasons are clipped, and say so */

struct rtcp_sr_mark {
	uint32_t ntp_mid;	/* middle 32 bits of the NTP timestamp */
	int64_t ts_ns;		/* capture time at which we saw it */
};

/*
 * Memory: 304 bytes on LP64 (checked by a static assertion in
 * rtcpstats.c), of which the SR history is 64, the XR VoIP copy 32 and the BYE
 * reason 64.
 * Times are capture times in ns since the Unix epoch; 0 = never.
 */
struct rtcp_summary {
	uint64_t flow_key;	/* rtcp_flow_key() of the RTCP flow; 0 if unused */
	int64_t first_ts_ns, last_ts_ns;	/* RTCP that mentioned it */
	uint32_t ssrc;

	/* its own sender reports */
	uint32_t sender_reports;
	uint64_t last_sr_ntp;
	uint32_t last_sr_rtp_ts, last_sr_packets, last_sr_octets;
	uint8_t sr_next;			/* next slot of the ring */
	struct rtcp_sr_mark sr_hist[RTCP_SR_HISTORY];	/* ring */

	/* report blocks about it */
	uint8_t fraction_lost;		/* last, /256 */
	uint8_t max_fraction_lost;
	uint32_t report_blocks;
	uint32_t reporter_ssrc;		/* who sent the last one */
	int32_t cumulative_lost;	/* last; may be negative (duplicates) */
	uint32_t ext_highest_seq;
	uint32_t jitter;		/* last, RTP timestamp units */
	uint32_t max_jitter;

	/* round trip (see above) */
	uint32_t rtt_samples;
	uint32_t rtt_discarded;		/* below -1 ms: see above */
	int64_t rtt_last_ns, rtt_min_ns, rtt_max_ns;

	/* the last XR VoIP metrics block about it */
	int64_t voip_ts_ns;
	struct rtcp_xr_voip voip;
	bool has_voip;

	/* its BYE */
	bool bye;
	bool bye_reason_clipped;
	uint8_t bye_reason_len;		/* 0 = no reason */
	int64_t bye_ts_ns;
	char bye_reason[RTCP_BYE_REASON_MAX];	/* not NUL-terminated */
};

/* A symmetric key of an RTCP flow: the same for a->b and b->a, so an SR
 * and the RR answering it land in the same summary. Never 0. */
uint64_t rtcp_flow_key(const struct ss_addr *a, const struct ss_addr *b);

/* ---- one summary ---------------------------------------------------- */

void rtcp_summary_init(struct rtcp_summary *s, uint64_t flow_key,
		       uint32_t ssrc);
/* An SR sent by s's source (k->pt == RTCP_SR, k->ssrc == s->ssrc). */
void rtcp_summary_sr(struct rtcp_summary *s, const struct rtcp_pkt *k,
		     int64_t ts_ns);
/* A report block about s's source (rb->ssrc == s->ssrc) sent by reporter;
 * computes an RTT sample when LSR names an SR in s's history. */
void rtcp_summary_block(struct rtcp_summary *s, uint32_t reporter,
			const struct rtcp_rblock *rb, int64_t ts_ns);
/* An XR RRT block sent by s's source: remembered like an SR. */
void rtcp_summary_rrt(struct rtcp_summary *s, uint64_t ntp, int64_t ts_ns);
/* An XR DLRR sub-block answering s's source's RRT. */
void rtcp_summary_dlrr(struct rtcp_summary *s, const struct rtcp_xr_dlrr *d,
		       int64_t ts_ns);
void rtcp_summary_voip(struct rtcp_summary *s, const struct rtcp_xr_voip *v,
		       int64_t ts_ns);
/* A BYE naming s's source; reason may be empty (copied, clipped to
 * RTCP_BYE_REASON_MAX bytes with bye_reason_clipped set). */
void rtcp_summary_bye(struct rtcp_summary *s, ss_str reason, int64_t ts_ns);

/* Derived values. Each returns false when the value is absent (no report
 * block, no RTT sample, clock rate 0 = unknown). */
bool rtcp_summary_jitter_ms(const struct rtcp_summary *s, uint32_t clock_rate,
			    double *ms);
bool rtcp_summary_max_jitter_ms(const struct rtcp_summary *s,
				uint32_t clock_rate, double *ms);
bool rtcp_summary_rtt_ms(const struct rtcp_summary *s, double *ms);
bool rtcp_summary_fraction_lost_pct(const struct rtcp_summary *s, double *pct);

/* ---- a table of summaries -------------------------------------------- */

struct rtcp_table;

/* A table holding at most max_entries summaries (0 = 65536). Memory: the
 * slots are summaries and the table doubles when half full, so between
 * 2 and 4 slots per SSRC: 608 to 1216 bytes each, about 80 MB at the
 * default limit of 65536 SSRCs. */
struct rtcp_table *rtcp_table_new(size_t max_entries);
void rtcp_table_free(struct rtcp_table *t);

/* Apply every packet of a parsed compound (even one flagged malformed:
 * its packets parsed whole) seen at capture time ts_ns on the flow. New
 * SSRCs past max_entries are not tracked and are counted (rtcp_table_full).
 * Slices of c are not kept. */
void rtcp_table_update(struct rtcp_table *t, uint64_t flow_key,
		       const struct rtcp_compound *c, int64_t ts_ns);

/* The summary of ssrc on that flow, or NULL. Valid until the next update. */
const struct rtcp_summary *rtcp_table_find(const struct rtcp_table *t,
					   uint64_t flow_key, uint32_t ssrc);
/* The summary of ssrc on whatever flow, for a caller that does not know
 * the RTCP addresses (no a=rtcp, a NAT between): NULL when none, and
 * *matches (may be NULL) says how many flows hold that SSRC, so an
 * ambiguous answer can be refused. Scans the whole table: O(slots). */
const struct rtcp_summary *rtcp_table_find_ssrc(const struct rtcp_table *t,
						uint32_t ssrc, size_t *matches);
/* Iterate: start with *iter = 0; NULL at the end. Order is unspecified. */
const struct rtcp_summary *rtcp_table_next(const struct rtcp_table *t,
					   size_t *iter);
size_t rtcp_table_count(const struct rtcp_table *t);
/* How many times a new SSRC could not be tracked because the table was full. */
uint64_t rtcp_table_full(const struct rtcp_table *t);

#endif
