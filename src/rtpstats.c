/*
 * rtpstats.c - per-stream RTP analysis (see rtpstats.h for what is
 * computed and how it follows Wireshark 4.0's rtppacket_analyse).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rtp.h"
#include "rtpstats.h"
#include "xalloc.h"

_Static_assert(sizeof(struct ss_rtpstats) <= 256,
	       "per-stream RTP stats should stay small");

#define NS_PER_MS 1000000.0

void ss_rtpstats_init(struct ss_rtpstats *s)
{
	*s = (struct ss_rtpstats){ 0 };
	s->min_delta_ns = -1;
	s->min_jitter_ms = -1;
}

void ss_rtpstats_free(struct ss_rtpstats *s)
{
	free(s->dtmf);
	s->dtmf = NULL;
}

static bool is_cn(const struct ss_rtp_sample *p)
{
	return p->pt == 13 || p->pt == 19 || p->kind == SS_RTP_CN;
}

static void first_packet(struct ss_rtpstats *s, const struct ss_rtp_sample *p)
{
	s->first_ns = s->last_ns = s->ref_ns = p->ts_ns;
	s->ws_seq = s->ws_start_seq = s->ws_stop_seq = p->seq;
	s->first_rtp_ts = s->last_rtp_ts = s->fwd_rtp_ts = p->rtp_ts;
	s->pt = s->first_pt = s->reg_pt = p->pt;
	s->have_reg_pt = true;
	s->prev_cn = is_cn(p);
	s->ext_max = s->ext_min = p->seq;
	s->win[0] = 1;
	s->packets = 1;
}

/* ---- Wireshark's sequence bookkeeping ------------------------------- */

/* Wireshark's "in time sequence": the timestamp is less than half the
 * 32-bit range ahead of the first packet's (exactly its two cases). */
static bool in_time_sequence(uint32_t first, uint32_t ts)
{
	uint32_t d = ts - first;
	return d < 0x80000000u || (ts < first && d == 0x80000000u);
}

/* Cycle counting and sequence errors; returns true on a wrong sequence. */
static bool ws_seq_check(struct ss_rtpstats *s, uint16_t seq, bool in_seq)
{
	if (seq < s->ws_start_seq && in_seq && !s->ws_under) {
		s->ws_cycles++;
		s->ws_under = true;
	} else if (seq == 0 && s->ws_stop_seq == 65535 && in_seq &&
		   !s->ws_under) {
		s->ws_cycles++;
		s->ws_under = true;
	} else if (seq > s->ws_start_seq && in_seq && s->ws_under) {
		s->ws_under = false;
	}
	int last = s->ws_seq, cur = seq;
	if (in_seq && (last + 1 == cur || (last == 65535 && cur == 0))) {
		s->ws_seq = seq;
		return false;
	}
	/* a forward jump, or a huge backward one taken as a lost wrap */
	if (in_seq && (last + 1 < cur || last - cur > 0xFF00)) {
		s->ws_seq = seq;
		s->seq_errors++;
		return true;
	}
	if (last + 1 > cur) {	/* late or duplicate */
		s->seq_errors++;
		return true;
	}
	return false;
}

/* ticks * 10^6 / khz, the nominal time of a timestamp difference. The
 * usual clocks get a constant divisor (a multiply or a shift, the same
 * result) instead of a 64-bit division on every packet. */
static uint64_t ticks_to_ns(uint32_t ticks, uint32_t khz)
{
	uint64_t t = (uint64_t)ticks * 1000000u;
	switch (khz) {
	case 8: return t / 8;
	case 16: return t / 16;
	case 48: return t / 48;
	case 90: return t / 90;
	default: return t / khz;
	}
}

/* Delta and jitter for an in-time-sequence packet; returns the jitter
 * this packet produced (0 when the clock is unknown). */
static double ws_timing(struct ss_rtpstats *s, const struct ss_rtp_sample *p,
			uint32_t clock)
{
	uint32_t khz = clock / 1000;	/* Wireshark's integer division */
	if (khz == 0) {
		s->delta_ns = p->ts_ns - s->ref_ns;
		return 0;
	}
	s->clock_hz = clock;
	int64_t nominal = (int64_t)ticks_to_ns((uint32_t)(p->rtp_ts -
			s->first_rtp_ts), khz);
	int64_t expected = s->ref_ns + (nominal - s->last_nominal_ns);
	int64_t d = p->ts_ns - expected;
	double diff_ms = (double)(d < 0 ? -d : d) / NS_PER_MS;
	s->jitter_ms = (15 * s->jitter_ms + diff_ms) / 16;
	s->delta_ns = p->ts_ns - s->ref_ns;
	s->last_nominal_ns = nominal;
	return s->jitter_ms;
}

/* Min/max/mean of delta and jitter over "regular" packets. */
static void ws_regular(struct ss_rtpstats *s, bool clocked, double jit)
{
	double n = s->packets;	/* packets before this one = deltas so far */
	if (s->delta_ns > s->max_delta_ns)
		s->max_delta_ns = s->delta_ns;
	if (s->min_delta_ns < 0 || s->delta_ns < s->min_delta_ns)
		s->min_delta_ns = s->delta_ns;
	s->mean_delta_ms = (s->mean_delta_ms * (n - 1) +
			    (double)s->delta_ns / NS_PER_MS) / n;
	if (!clocked)
		return;
	if (s->jitter_ms > s->max_jitter_ms)
		s->max_jitter_ms = s->jitter_ms;
	s->mean_jitter_ms = (s->mean_jitter_ms * (n - 1) + jit) / n;
	if (s->min_jitter_ms == -1 || s->jitter_ms < s->min_jitter_ms)
		s->min_jitter_ms = s->jitter_ms;
}

/* ---- RFC 3550 loss accounting with a 128-packet window --------------- */

static unsigned burst_bucket(uint32_t run)
{
	if (run <= 4)
		return run - 1;
	if (run <= 8)
		return 4;
	if (run <= 16)
		return 5;
	return run <= 64 ? 6 : 7;
}

uint32_t ss_burst_bucket_min(unsigned i)
{
	static const uint32_t lo[SS_BURST_BUCKETS] = { 1, 2, 3, 4, 5, 9, 17, 65 };
	return i < SS_BURST_BUCKETS ? lo[i] : 0;
}

struct burst_acc {
	uint32_t run, bursts, lost, max;
	uint32_t hist[SS_BURST_BUCKETS];
};

static void burst_close(struct burst_acc *b)
{
	if (b->run == 0)
		return;
	b->bursts++;
	b->lost += b->run;
	b->hist[burst_bucket(b->run)]++;
	if (b->run > b->max)
		b->max = b->run;
	b->run = 0;
}

/* Feed the window slot for extended sequence ext: received or not. Slots
 * before the lowest packet seen were never expected. */
static void burst_slot(struct burst_acc *b, bool got, int64_t ext,
		       int64_t ext_min)
{
	if (ext < ext_min)
		return;
	if (got)
		burst_close(b);
	else
		b->run++;
}

static void acc_load(struct burst_acc *b, const struct ss_rtpstats *s)
{
	b->run = s->run;
	b->bursts = s->bursts;
	b->lost = s->burst_lost;
	b->max = s->max_burst;
	memcpy(b->hist, s->burst_hist, sizeof b->hist);
}

static void acc_store(struct ss_rtpstats *s, const struct burst_acc *b)
{
	s->run = b->run;
	s->bursts = b->bursts;
	s->burst_lost = b->lost;
	s->max_burst = b->max;
	memcpy(s->burst_hist, b->hist, sizeof b->hist);
}

static bool win_bit(const uint64_t w[2], unsigned i)
{
	return (w[i >> 6] >> (i & 63)) & 1;
}

/* win_advance by one place, the case of nearly every packet, when the
 * leaving slot does not end a burst (then only the run can change and
 * the accumulator's round trip is not needed). Returns false, having
 * changed nothing, when it does end one. */
static bool win_step(struct ss_rtpstats *s)
{
	if (s->ext_max - 127 >= s->ext_min) {
		if (!win_bit(s->win, 127))
			s->run++;
		else if (s->run)
			return false;
	}
	s->win[1] = s->win[1] << 1 | s->win[0] >> 63;
	s->win[0] <<= 1;
	s->ext_max++;
	return true;
}

/* Move the window k places forward: the oldest k slots leave it and are
 * accounted as received or lost. */
static void win_advance(struct ss_rtpstats *s, uint32_t k)
{
	if (k == 1 && win_step(s))
		return;
	struct burst_acc b;
	acc_load(&b, s);
	unsigned out = k < 128 ? k : 128;
	for (unsigned i = 0; i < out; i++)
		burst_slot(&b, win_bit(s->win, 127 - i), s->ext_max - 127 + i,
			   s->ext_min);
	if (k > 128)	/* slots that never entered the window: all lost */
		b.run += k - 128;
	acc_store(s, &b);
	if (k >= 128) {
		s->win[0] = s->win[1] = 0;
	} else if (k >= 64) {
		s->win[1] = s->win[0] << (k - 64);
		s->win[0] = 0;
	} else if (k > 0) {
		s->win[1] = s->win[1] << k | s->win[0] >> (64 - k);
		s->win[0] <<= k;
	}
	s->ext_max += k;
}

static void loss_account(struct ss_rtpstats *s, const struct ss_rtp_sample *p)
{
	uint16_t d = (uint16_t)(p->seq - (uint16_t)s->ext_max);
	if (d == 0) {
		s->dups++;
		return;
	}
	if (d < 0x8000) {
		int64_t old = s->ext_max;
		win_advance(s, d);
		s->win[0] |= 1;
		if ((s->ext_max >> 16) != (old >> 16))
			s->seq_wraps++;
		if (p->rtp_ts < s->fwd_rtp_ts &&
		    (int32_t)(p->rtp_ts - s->fwd_rtp_ts) > 0)
			s->ts_wraps++;
		s->fwd_rtp_ts = p->rtp_ts;
		return;
	}
	unsigned back = 0x10000u - d;
	int64_t ext = s->ext_max - back;
	if (back >= 128) {
		s->out_of_order++;
		s->too_late++;
	} else if (win_bit(s->win, back)) {
		s->dups++;
		return;
	} else {
		s->win[back >> 6] |= (uint64_t)1 << (back & 63);
		s->out_of_order++;
	}
	if (ext < s->ext_min)
		s->ext_min = ext;
}

/* ---- RFC 4733 events ------------------------------------------------- */

static void dtmf_add(struct ss_rtpstats *s, const struct ss_rtp_sample *p)
{
	struct ss_rtp_event e;
	if (!ss_rtp_event_parse(p->payload, &e))
		return;
	struct ss_dtmf_log *l = s->dtmf;
	if (!l) {
		l = s->dtmf = xcalloc(1, sizeof *l);
		l->clock_hz = p->clock_hz ? p->clock_hz : 8000;
	}
	if (l->have_cur && p->rtp_ts != l->cur_ts &&
	    (int32_t)(p->rtp_ts - l->cur_ts) < 0)
		return;	/* a late packet of an earlier event */
	if (!l->have_cur || p->rtp_ts != l->cur_ts) {
		l->have_cur = true;
		l->cur_ts = p->rtp_ts;
		l->cur_ended = false;
		l->events++;
		if (l->kept < SS_DTMF_KEEP)
			l->ev[l->kept++] = (struct ss_dtmf_event){
				.start_ns = p->ts_ns, .rtp_ts = p->rtp_ts,
				.event = e.event };
		else
			l->dropped++;
	}
	if (e.end && l->cur_ended) {
		l->end_retrans++;
		return;
	}
	l->cur_ended = l->cur_ended || e.end;
	if (l->events > l->kept)
		return;	/* the current event was not kept */
	struct ss_dtmf_event *ev = &l->ev[l->kept - 1];
	if (e.duration > ev->duration)
		ev->duration = e.duration;
	ev->volume = e.volume;
	ev->ended = ev->ended || e.end;
}

/* ---- the packet entry point ----------------------------------------- */

void ss_rtpstats_add(struct ss_rtpstats *s, const struct ss_rtp_sample *p)
{
	if (p->kind == SS_RTP_DTMF)
		dtmf_add(s, p);
	if (p->marker)
		s->markers++;
	if (s->packets == 0) {
		first_packet(s, p);
		return;
	}
	loss_account(s, p);
	bool in_seq = in_time_sequence(s->first_rtp_ts, p->rtp_ts);
	bool wrong_seq = ws_seq_check(s, p->seq, in_seq);
	bool cn = is_cn(p), follow_cn = s->prev_cn;
	s->pt = p->pt;
	s->prev_cn = cn;
	uint32_t clock = p->kind == SS_RTP_DTMF ? 0 : p->clock_hz;
	double jit = 0;
	if (in_seq)
		jit = ws_timing(s, p, clock);
	if (!p->marker && !cn && in_seq && !follow_cn)
		ws_regular(s, clock / 1000 != 0, jit);
	if (!cn) {
		if (s->have_reg_pt && p->pt != s->reg_pt)
			s->pt_changes++;
		s->reg_pt = p->pt;
		s->have_reg_pt = true;
	}
	if (!in_seq || wrong_seq)
		s->problem = true;
	if (in_seq)
		s->ref_ns = p->ts_ns;
	s->last_rtp_ts = p->rtp_ts;
	s->ws_stop_seq = p->seq;
	s->last_ns = p->ts_ns;
	s->packets++;
}

/* ---- E-model --------------------------------------------------------- */

/* Ie and Bpl per codec. G.113 Appendix I (11/2007) gives G.711 (Bpl 4.3
 * without PLC, 25.1 with), G.729A+VAD (Ie 11, Bpl 19.0), G.723.1 6.3k
 * (Ie 15, Bpl 16.1), GSM-EFR (Ie 5, Bpl 10.0), GSM-FR (Ie 20) and G.729
 * (Ie 10). Assumed, documented here: G.729/GSM-FR Bpl as their nearest
 * relatives; iLBC Ie 11 Bpl 32 (designed for loss); AMR 12.2 as EFR;
 * wideband codecs (AMR-WB, G.722, Opus) put on the narrowband scale as
 * transparent (Ie 0) with G.711+PLC's Bpl, AMR-WB with EFR's. Unknown
 * codecs are scored as G.711 with PLC. The last column is the codec's
 * algorithmic delay in ms (frame + look-ahead) used for T. */
static const struct {
	const char *name;
	double ie, bpl, algo_ms;
} codecs[SS_CODEC__COUNT] = {
	[SS_CODEC_UNKNOWN] = { "unknown", 0, 25.1, 0 },
	[SS_CODEC_G711] = { "G.711", 0, 25.1, 0 },
	[SS_CODEC_G711_NOPLC] = { "G.711 (no PLC)", 0, 4.3, 0 },
	[SS_CODEC_G729] = { "G.729", 10, 19.0, 15 },
	[SS_CODEC_G729A] = { "G.729A", 11, 19.0, 15 },
	[SS_CODEC_G723] = { "G.723.1", 15, 16.1, 37.5 },
	[SS_CODEC_GSM_FR] = { "GSM-FR", 20, 10.0, 20 },
	[SS_CODEC_GSM_EFR] = { "GSM-EFR", 5, 10.0, 20 },
	[SS_CODEC_ILBC] = { "iLBC", 11, 32.0, 25 },
	[SS_CODEC_AMR] = { "AMR", 5, 10.0, 25 },
	[SS_CODEC_AMR_WB] = { "AMR-WB", 0, 10.0, 25 },
	[SS_CODEC_G722] = { "G.722", 0, 25.1, 0 },
	[SS_CODEC_OPUS] = { "Opus", 0, 25.1, 26.5 },
};

const char *ss_codec_name(enum ss_codec c)
{
	return (unsigned)c < SS_CODEC__COUNT ? codecs[c].name : "unknown";
}

enum ss_codec ss_codec_from_name(ss_str n)
{
	static const struct {
		const char *sdp;
		enum ss_codec c;
	} names[] = {
		{ "PCMU", SS_CODEC_G711 }, { "PCMA", SS_CODEC_G711 },
		{ "G729", SS_CODEC_G729 }, { "G729A", SS_CODEC_G729A },
		{ "G729B", SS_CODEC_G729 }, { "G723", SS_CODEC_G723 },
		{ "GSM", SS_CODEC_GSM_FR }, { "GSM-EFR", SS_CODEC_GSM_EFR },
		{ "iLBC", SS_CODEC_ILBC }, { "AMR", SS_CODEC_AMR },
		{ "AMR-WB", SS_CODEC_AMR_WB }, { "G722", SS_CODEC_G722 },
		{ "opus", SS_CODEC_OPUS },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (ss_str_ieq(n, names[i].sdp))
			return names[i].c;
	return SS_CODEC_UNKNOWN;
}

enum ss_codec ss_codec_from_pt(uint8_t pt)
{
	switch (pt) {
	case 0: case 8: return SS_CODEC_G711;
	case 3: return SS_CODEC_GSM_FR;
	case 4: return SS_CODEC_G723;
	case 9: return SS_CODEC_G722;
	case 18: return SS_CODEC_G729;
	default: return SS_CODEC_UNKNOWN;
	}
}

void ss_emodel(enum ss_codec codec, double loss_pct, double burst_r,
	       double delay_ms, struct ss_mos *m)
{
	if ((unsigned)codec >= SS_CODEC__COUNT)
		codec = SS_CODEC_UNKNOWN;
	double ie = codecs[codec].ie, bpl = codecs[codec].bpl;
	if (burst_r < 1)
		burst_r = 1;
	if (loss_pct < 0)
		loss_pct = 0;
	double ie_eff = ie + (95 - ie) * loss_pct / (loss_pct / burst_r + bpl);
	double t = delay_ms < 0 ? 0 : delay_ms;
	double id = 0.024 * t + (t > 177.3 ? 0.11 * (t - 177.3) : 0);
	double r = 93.2 - id - ie_eff;
	double mos;
	if (r <= 0)
		mos = 1;
	else if (r >= 100)
		mos = 4.5;
	else
		mos = 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
	if (mos < 1)
		mos = 1;
	*m = (struct ss_mos){ .r = r < 0 ? 0 : r, .mos = mos, .ie_eff = ie_eff,
			      .id = id, .delay_ms = t, .burst_r = burst_r };
}

/* ---- summary --------------------------------------------------------- */

/* The bursts still inside the window, on a copy of the accumulator. */
static void burst_finish(const struct ss_rtpstats *s, struct burst_acc *b)
{
	acc_load(b, s);
	for (unsigned i = 0; i < 128; i++)
		burst_slot(b, win_bit(s->win, 127 - i), s->ext_max - 127 + i,
			   s->ext_min);
	burst_close(b);
}

static void loss_summary(const struct ss_rtpstats *s, struct ss_rtp_summary *o)
{
	uint32_t distinct = s->packets - s->dups;
	int64_t expected = s->packets ? s->ext_max - s->ext_min + 1 : 0;
	o->expected = (uint32_t)expected;
	o->lost = expected > distinct ? (uint32_t)(expected - distinct) : 0;
	o->lost_pct = expected ? 100.0 * o->lost / (double)expected : 0;
	o->ws_expected = s->packets ? (int64_t)s->ws_stop_seq +
		(int64_t)s->ws_cycles * 65536 - s->ws_start_seq + 1 : 0;
	o->ws_lost = o->ws_expected - s->packets;
	o->ws_lost_pct = o->ws_expected ?
		(double)(o->ws_lost * 100) / (double)o->ws_expected : 0;
	struct burst_acc b;
	burst_finish(s, &b);
	o->bursts = b.bursts;
	o->max_burst_loss = b.max;
	memcpy(o->burst_hist, b.hist, sizeof b.hist);
}

static double burst_ratio(const struct ss_rtp_summary *o)
{
	if (o->bursts == 0 || o->lost == 0 || o->packets == 0)
		return 1;
	double mean_burst = (double)o->lost / o->bursts;
	double p = (double)o->bursts / (double)(o->packets - o->dups);
	double q = 1 / mean_burst;
	return 1 / (p + q);
}

void ss_rtpstats_summary(const struct ss_rtpstats *s, enum ss_codec codec,
			 struct ss_rtp_summary *o)
{
	*o = (struct ss_rtp_summary){ 0 };
	o->packets = s->packets;
	o->dups = s->dups;
	o->out_of_order = s->out_of_order;
	o->too_late = s->too_late;
	o->seq_errors = s->seq_errors;
	loss_summary(s, o);
	o->min_delta_ms = s->min_delta_ns < 0 ? -1 :
		(double)s->min_delta_ns / NS_PER_MS;
	o->mean_delta_ms = s->mean_delta_ms;
	o->max_delta_ms = (double)s->max_delta_ns / NS_PER_MS;
	o->has_jitter = s->min_jitter_ms != -1;
	o->min_jitter_ms = s->min_jitter_ms;
	o->mean_jitter_ms = s->mean_jitter_ms;
	o->max_jitter_ms = s->max_jitter_ms;
	o->markers = s->markers;
	o->pt_changes = s->pt_changes;
	o->seq_wraps = s->seq_wraps;
	o->ts_wraps = s->ts_wraps;
	o->first_ns = s->first_ns;
	o->last_ns = s->last_ns;
	o->clock_hz = s->clock_hz;
	o->problem = s->problem;
	if ((unsigned)codec >= SS_CODEC__COUNT)
		codec = SS_CODEC_UNKNOWN;
	double pkt_ms = s->mean_delta_ms > 0 ? s->mean_delta_ms : 20;
	double delay = pkt_ms + 2 * s->mean_jitter_ms + codecs[codec].algo_ms;
	ss_emodel(codec, o->lost_pct, burst_ratio(o), delay, &o->mos);
}
