/*
 * dialog.h - the correlation core: SIP messages grouped into calls
 * (dialogs keyed by Call-ID, RFC 3261 section 12), transactions
 * (section 17), retransmissions, call states and timings, linked B2BUA
 * legs; registrations are kept per address of record (registration.h).
 *
 * Ownership: the caller owns the struct ss_corr (ss_corr_new/ss_corr_free)
 * and feeds it every SIP message once, in capture order, with
 * ss_corr_add(). The context owns every call, every string a call points
 * to, and the registrations. Nothing here keeps a pointer into packet
 * memory: what is kept is copied, and per message only a compact record
 * (struct ss_msg_rec) with the message's global index, so the text can be
 * read again from the capture when it is shown.
 *
 * Pointers to calls stay valid until the call is evicted (--limit, see
 * ss_corr_new) or the context is freed.
 *
 * Memory per dialog, x86-64, a typical 7-message call (INVITE, 100,
 * 180, 200, ACK, BYE, 200) with a 40-byte Call-ID, URIs of ~30 bytes,
 * in blocks of the context's slab (hashtab.c: no per-block header):
 *   one block: struct ss_call (two resend
 *     directions inline) 328, strings ~130,
 *     transactions 2 x 40 (INVITE, BYE)             ~ 540
 *   message records: 7 x 24 (recs_first; none when
 *     the context does not keep them, ss_corr_keep)  168
 *   one fork: 16 + its tag, one block               ~ 40
 *   Call-ID table slot (16 bytes at 1/4..1/2 load)  32..64
 *   total                                          ~ 0.80 KB
 * Rarely needed parts (3xx follow-ups, a third direction or endpoint,
 * records whose time or endpoints do not fit, more response
 * fingerprints, the --limit lists) live in struct ss_call_x, allocated
 * on first use. Measured (RSS difference, 1k vs 100k generated calls,
 * -O2, --report stats, divided by 99000 calls although REGISTER and
 * OPTIONS add ~19% more dialogs): 917 bytes per call (942 with malloc
 * blocks); 996 with 32-byte records; 1188 with 40-byte records, 64-byte
 * transactions in a block of their own and a 376-byte call. Session 5,
 * the same measure: 913 bytes with records and links kept, 707 without
 * them (ss_corr_keep, what --report stats asks for); the media layer
 * adds ~180 bytes per call with SDP (media.h). User-Agent
 * and reason strings are interned and shared;
 * endpoints are shared; the From/To pair table holds only calls in
 * CALL_SETUP.
 */
#ifndef SS_DIALOG_H
#define SS_DIALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "packet.h"
#include "pipeline.h"
#include "sip.h"

struct ss_regs;		/* registration.h */
struct ss_call_media;	/* media.h */

/* SPEC.md "state": the first eight are INVITE dialogs, the rest the
 * others. The edge cases are tabled in transaction.c. */
enum ss_call_state {
	SS_CS_CALL_SETUP = 0,
	SS_CS_IN_CALL,
	SS_CS_COMPLETED,
	SS_CS_CANCELLED,
	SS_CS_REJECTED,
	SS_CS_BUSY,
	SS_CS_DIVERTED,
	SS_CS_FAILED,
	SS_CS_REGISTERED,
	SS_CS_UNREGISTERED,
	SS_CS_AUTH_FAILED,
	SS_CS_PENDING,
	SS_CS_OK,
	SS_CS__COUNT
};

/* "CALL_SETUP", ... exactly as SPEC.md spells them. */
const char *ss_call_state_name(enum ss_call_state s);
/* A final state: the call can be evicted under --limit. IN_CALL,
 * CALL_SETUP and PENDING are not final; REGISTERED is (a refresh of the
 * binding reopens it). */
bool ss_call_state_final(enum ss_call_state s);

/* Flags of one message record. */
#define SS_MF_REQUEST	0x01
#define SS_MF_RETRANS	0x02	/* same request / same response again in
				 * its transaction: see transaction.c */
#define SS_MF_SDP	0x04	/* application/sdp, or multipart with one */
#define SS_MF_MALFORMED	0x08	/* the parser flagged it (sip_msg.malformed) */
#define SS_MF_RESENT	0x10	/* what tshark calls sip.resend */
#define SS_MF_IN_DIALOG	0x20	/* request with a To tag */
#define SS_MF_COPY	0x40	/* the same message again from another
				 * address: a capture taken at two points */

/*
 * One message of a call: 24 bytes. The text is not kept; index is the
 * global message index the caller gave ss_corr_add (the position of the
 * message in the input), which is how the text is found again. The time
 * and the endpoints are relative to the call: read them with
 * ss_msg_rec_ts(), ss_msg_rec_src() and ss_msg_rec_dst(), and the index
 * and frame number with ss_msg_rec_index() and ss_msg_rec_frame(). 24
 * rather than 32 bytes (a call holds 7 or more) because index and frame
 * are kept in 40 bits each, with 4-byte alignment; beyond 2^40, or when
 * time or endpoints do not fit, the record is wide and the call's
 * extension has the exact values.
 */
struct ss_msg_rec {
	uint32_t index_lo;	/* index = index_hi << 32 | index_lo */
	uint32_t ts_us;		/* microseconds since the call's start_ts */
	uint32_t frame_lo;	/* frame = frame_hi << 32 | frame_lo */
	uint16_t src, dst;	/* call endpoints: 0 = the call's src_ep,
				 * 1 = its dst_ep, more in the extension */
	uint16_t code;		/* status code; 0 for a request */
	uint8_t method;		/* enum sip_method: the request's, or the
				 * CSeq method of a response */
	uint8_t flags;		/* SS_MF_* */
	uint8_t index_hi, frame_hi;
	uint8_t source;		/* input index (inputs past 255 share the
				 * last value) */
	uint8_t wide_;		/* something did not fit: the exact
				 * values are in the call's extension */
};

struct ss_call;
/* Message index (the caller's msg_index) and frame number of a record of
 * call c. */
uint64_t ss_msg_rec_index(const struct ss_call *c, const struct ss_msg_rec *r);
uint64_t ss_msg_rec_frame(const struct ss_call *c, const struct ss_msg_rec *r);
/* Time (ns since the epoch) and endpoint ids (ss_corr_endpoint) of a
 * record of call c. */
int64_t ss_msg_rec_ts(const struct ss_call *c, const struct ss_msg_rec *r);
uint32_t ss_msg_rec_src(const struct ss_call *c, const struct ss_msg_rec *r);
uint32_t ss_msg_rec_dst(const struct ss_call *c, const struct ss_msg_rec *r);

/* A fork: one To tag seen on responses to the initial INVITE (RFC 3261
 * 12.1, 13.2.2.4: each tag is an early dialog of its own). */
struct ss_fork {
	char *to_tag;		/* owned, NUL-terminated */
	uint16_t first_code;	/* first code seen for the tag */
	uint16_t code;		/* final code for the tag; 0 while none */
};

/* Linked legs: a B2BUA's other side of the same call. */
enum ss_link_kind {
	SS_LINK_XCALLID = 1,	/* X-Call-ID / X-CID names the other Call-ID */
	SS_LINK_PAIR,		/* heuristic: same From and To user, INVITEs
				 * within SS_LINK_PAIR_WINDOW_NS */
	SS_LINK_REDIRECT,	/* follow-up INVITE after a 3xx, same Call-ID */
};
#define SS_LINK_PAIR_WINDOW_NS (2 * INT64_C(1000000000))

struct ss_link {
	struct ss_call *call;
	uint8_t kind;		/* enum ss_link_kind */
};

/* Call flags (struct ss_call.flags). */
#define SS_CF_PARTIAL	  0x0001	/* first message seen was not the
					 * initial request (capture joined) */
#define SS_CF_ANSWERED	  0x0002	/* a 2xx answered the initial INVITE */
#define SS_CF_NO_ACK	  0x0004	/* a 2xx to an INVITE still waits for
					 * its ACK (read by the diagnosis) */
#define SS_CF_CANCEL	  0x0008	/* a CANCEL was seen */
#define SS_CF_CHALLENGED  0x0010	/* a 401/407 was answered with a new
					 * request carrying credentials */
#define SS_CF_GLARE	  0x0020	/* a 491 answered a re-INVITE/UPDATE */
#define SS_CF_BYE_CALLEE  0x0040	/* the callee sent the BYE */
#define SS_CF_TIMEOUT	  0x0080	/* no final response (ss_corr_expire) */
#define SS_CF_RECS_CAPPED 0x0100	/* more than SS_CALL_MAX_RECS messages:
					 * the later ones are counted in msgs
					 * but have no record */
#define SS_CF_FORKS_CAPPED 0x0200	/* more To tags than SS_CALL_MAX_FORKS */
#define SS_CF_UNREGISTER  0x0400	/* REGISTER removing bindings */
#define SS_CF_REFER	  0x0800	/* a REFER inside the dialog */
#define SS_CF_EARLY_BYE	  0x1000	/* BYE on an early dialog (15) */
#define SS_CF_CREDS_	  0x8000	/* internal: the latest initial
					 * request carried credentials */

#define SS_CALL_MAX_RECS 100000
#define SS_CALL_MAX_FORKS 64

struct ss_txn;		/* transaction.c */

/* tshark's resend state for one direction (src, dst) of a call; see
 * transaction.c. Here rather than there because a call holds its first
 * two directions inline (struct ss_call.dir_inline). */
struct ss_dirstate {
	uint32_t src, dst, cseq;
	uint16_t code;
	uint8_t method, state;
};

/*
 * One call (one dialog, or the early dialogs of one INVITE, or a
 * non-INVITE request and its answers) as the reports show it. Strings are
 * NUL-terminated and owned by the context; NULL when absent. Times are ns
 * since the epoch; durations are -1 when absent.
 */
struct ss_call_x;	/* rarely needed parts (dialog.c) */

struct ss_call {
	/* the first 64 bytes hold what the walks over all calls read
	 * (ss_corr_expire, ss_corr_summary): one cache line per call */
	uint32_t id;		/* 1, 2, ... in start order; never reused */
	uint32_t flags;		/* SS_CF_* */
	enum ss_call_state state;
	enum sip_method method;	/* of the initial request */
	struct ss_call *next;	/* start order (prev: ss_call_x); context
				 * bookkeeping (dialog.c) */
	int64_t last_ts;	/* last message that is no retrans */
	int64_t setup_ms;
	const char *method_name;	/* as written (extension methods too) */
	const char *call_id;
	const char *from, *to;		/* URIs of the initial request */
	const char *from_user, *to_user;
	const char *from_tag;
	const char *x_call_id;		/* X-Call-ID or X-CID */
	const char *user_agent;		/* interned: shared between calls */
	const char *reason;		/* interned: Reason header or phrase */
	const char *transport;		/* static: "UDP", "TCP", "SCTP" */
	uint32_t call_id_len;
	uint32_t src_ep, dst_ep;	/* of the initial request */
	int final_code;			/* 0 while none */
	uint32_t init_cseq;		/* CSeq of the initial request (of
					 * the latest attempt: 401/407) */
	uint32_t ack_cseq;		/* CSeq of the 2xx awaiting its ACK */
	uint32_t msgs, retrans, resent, copies;
	uint32_t nrecs, cap_recs;

	int64_t start_ts, end_ts;	/* first message; final event or last
					 * message */
	int64_t invite_ts;		/* first initial request; -1 if unseen */
	int64_t answer_ts;		/* 2xx to the initial INVITE; -1 */
	int64_t pdd_ms, duration_ms;	/* setup_ms: above */

	uint16_t reinvites, glare;	/* re-INVITEs; 491s in the dialog */
	uint16_t challenges;		/* 401/407 answers */
	uint8_t auth_run;	/* challenges in a row (registration.h) */
	uint8_t nforks;
	/* the small counts together: no padding between them (memory per
	 * dialog, see dialog.c) */
	uint8_t nlinks, cap_links, nforks_cap;
	uint8_t ntxn, cap_txn, txn_head;	/* transactions (transaction.c) */
	uint8_t ndirs;
	bool in_fin_;				/* context bookkeeping */
	bool txn_inline_;	/* txns is the room behind the strings */
	uint32_t block_size_;	/* of the call's block (dialog.c) */

	struct ss_msg_rec *recs;	/* owned, recs[0..nrecs) */
	struct ss_fork *forks;		/* owned, forks[0..nforks) */
	struct ss_link *links;		/* owned, links[0..nlinks) */
	/* transactions: a ring of the last cap_txn (transaction.c) */
	struct ss_txn *txns;
	/* the first two directions (caller to callee and back); from a
	 * third one on, all are in the extension (transaction.c) */
	struct ss_dirstate dir_inline[2];

	/* context bookkeeping (dialog.c) */
	struct ss_call_x *x_;	/* NULL until needed; the strings are
				 * allocated with the call, behind it */
	struct ss_call_media *media;	/* owned by the media layer (media.h);
					 * NULL for a call without SDP */
};

/* Duration in seconds (SPEC duration_s); -1 when absent. */
static inline double ss_call_duration_s(const struct ss_call *c)
{
	return c->duration_ms < 0 ? -1.0 : (double)c->duration_ms / 1000.0;
}

/* Counters for --report stats and the losses report. */
struct ss_corr_summary {
	uint64_t messages;		/* given to ss_corr_add */
	uint64_t retrans;		/* SS_MF_RETRANS */
	uint64_t copies;		/* SS_MF_COPY */
	uint64_t resent;		/* SS_MF_RESENT: tshark's count */
	uint64_t no_call_id;		/* counted aside, in no call */
	/* per method and code: struct ss_stats (stats.h) counts them */
	uint64_t calls[SS_CS__COUNT];	/* held and evicted ones */
	uint64_t calls_total;
	uint64_t evicted;
	uint64_t setup_n;		/* calls with a setup_ms */
	int64_t setup_min_ms, setup_max_ms;	/* -1 when setup_n == 0 */
	double setup_avg_ms;
};

/*
 * A new, empty context. limit > 0 bounds the calls held: once more are
 * held, the ones that reached a final state longest ago are freed
 * (evicted) and counted, so the caller can say how many. Calls not yet
 * finished are never evicted, so more than limit may be held while that
 * many are in progress. limit 0 = no limit. Never returns NULL.
 */
struct ss_corr *ss_corr_new(size_t limit);
/* Free the context, its calls, strings and registrations. */
void ss_corr_free(struct ss_corr *corr);

/*
 * What a context keeps besides calls, their states, timings and counts:
 * SS_KEEP_RECS, each call's message records (recs: 24 bytes and a store
 * per message, read by ladders, message selection, media and diagnosis);
 * SS_KEEP_LINKS, the B2BUA leg links found by X-Call-ID and the From/To
 * pair heuristic (links; a redirect's follow-up call is linked either
 * way). A new context keeps both. A caller whose output reads neither
 * (--report stats, registrations) says so before the first message:
 * a fifth less memory per dialog and ~6% less CPU on a signalling capture
 * (doc/signalling-cpu.md, round 5). Without them nrecs and nlinks stay 0;
 * states, counts, timings and summaries are the same.
 */
#define SS_KEEP_RECS	0x1u
#define SS_KEEP_LINKS	0x2u
#define SS_KEEP_ALL	(SS_KEEP_RECS | SS_KEEP_LINKS)
void ss_corr_keep(struct ss_corr *corr, unsigned what);
/* Called with each call --limit evicts, just before it is freed, so a
 * layer that points at calls (media.h) can let go of it. */
typedef void (*ss_evict_cb)(void *user, struct ss_call *c);
void ss_corr_on_evict(struct ss_corr *corr, ss_evict_cb cb, void *user);

/*
 * Account one SIP message (in capture order). msg_index identifies it
 * globally (the caller's counter). Copies what it keeps; ev and its
 * slices need not outlive the call. Returns the call the message went to
 * (valid until the next ss_corr_add may evict it), or NULL for a message
 * without Call-ID (counted in summary.no_call_id).
 */
struct ss_call *ss_corr_add(struct ss_corr *corr, const struct ss_sip_event *ev,
			    uint64_t msg_index);

/*
 * Time passes without messages (end of input, or a live tick): a call
 * still waiting for a final response whose last message is more than
 * SS_TIMER_B_NS old at now_ns is settled: CANCELLED if a CANCEL was sent,
 * else FAILED with SS_CF_TIMEOUT (RFC 3261 17.1.1.2 Timer B, 17.1.2.2
 * Timer F). O(calls); call it at the end or once a second, not per message.
 */
#define SS_TIMER_B_NS (32 * INT64_C(1000000000))
void ss_corr_expire(struct ss_corr *corr, int64_t now_ns);

/* Calls held, in start order: first, then ->next until NULL. */
const struct ss_call *ss_corr_first(const struct ss_corr *corr);
size_t ss_corr_count(const struct ss_corr *corr);
/* The newest call with this Call-ID (older ones: ->older), or NULL. */
/* A message with this Call-ID is about to be added: start fetching the
 * table slot ss_corr_add will read first (a prefetch; nothing changes).
 * Meant for sip_parse_hinted()'s hint: the parse of the rest of the
 * message then hides the cache miss the lookup would wait for. */
void ss_corr_prefetch(const struct ss_corr *corr, const char *call_id, size_t len);
const struct ss_call *ss_corr_find(const struct ss_corr *corr, const char *call_id,
				   size_t len);
/* Address of an endpoint id from a record or call; never NULL for an id
 * the context handed out. */
const struct ss_addr *ss_corr_endpoint(const struct ss_corr *corr, uint32_t id);
size_t ss_corr_endpoints(const struct ss_corr *corr);
uint64_t ss_corr_evicted(const struct ss_corr *corr);
void ss_corr_summary(const struct ss_corr *corr, struct ss_corr_summary *out);
/* The registrations (owned by the context). */
const struct ss_regs *ss_corr_regs(const struct ss_corr *corr);

/*
 * Internal to dialog.c and transaction.c; not for other callers.
 */
#define SS_HASH_SEED UINT64_C(0xcbf29ce484222325)
uint64_t ss_hash_str(const char *p, size_t n);	/* mixed, for tables */
/* Open addressing table of (hash, value) slots, value 0 = empty (see
 * dialog.c for why); also used by registration.c. */
struct ss_slot {
	uint64_t h;
	uintptr_t v;
};
struct ss_ptab {
	struct ss_slot *s;
	size_t cap, n;		/* cap is a power of two */
};
typedef bool (*ss_ptab_eq)(uintptr_t v, const void *key);
void ss_ptab_init(struct ss_ptab *t);
/* The slot of key (hash h), or NULL. Inline, so that eq is too: the
 * correlator looks a Call-ID up per message. */
static inline struct ss_slot *ss_ptab_find(const struct ss_ptab *t, uint64_t h,
					   ss_ptab_eq eq, const void *key)
{
	size_t mask = t->cap - 1;
	for (size_t i = h & mask; t->s[i].v; i = (i + 1) & mask)
		if (t->s[i].h == h && eq(t->s[i].v, key))
			return &t->s[i];
	return NULL;
}
void ss_ptab_set(struct ss_ptab *t, uint64_t h, ss_ptab_eq eq, const void *key,
		 uintptr_t v);
void ss_ptab_del(struct ss_ptab *t, uint64_t h, uintptr_t v);
/* Insert without a lookup, and double the table (hashtab.c). */
void ss_ptab_insert(struct ss_ptab *t, uint64_t h, uintptr_t v);
void ss_ptab_grow(struct ss_ptab *t);
/*
 * The blocks of the calls (hashtab.c): 8-byte size classes up to
 * SS_SLAB_CLASSES * 8 bytes with a free list each, carved from large
 * regions; larger blocks come from malloc. The caller gives the size
 * again to ss_slab_free and ss_slab_realloc (blocks have no header).
 * ss_slab_release frees every block: they need not be freed one by one
 * first.
 */
#define SS_SLAB_CLASSES 128
struct ss_slab {
	void *free[SS_SLAB_CLASSES];	/* [k - 1]: free blocks of 8k bytes */
	uint64_t nonempty[SS_SLAB_CLASSES / 64];	/* bit k - 1: free[k - 1] */
	char *cur, *end;		/* the region being carved */
	char **regions;
	size_t nregions, cap_regions;
	struct slab_big *big;		/* blocks from malloc, linked */
};
void ss_slab_init(struct ss_slab *s);
/* Never NULL; 8-byte aligned; contents undefined (zalloc: zeroed). */
void *ss_slab_alloc(struct ss_slab *s, size_t n);
void *ss_slab_zalloc(struct ss_slab *s, size_t n);
/* p may be NULL. */
void ss_slab_free(struct ss_slab *s, void *p, size_t n);
/* Like realloc, p may be NULL (old is then ignored). */
void *ss_slab_realloc(struct ss_slab *s, void *p, size_t old, size_t n);
void ss_slab_release(struct ss_slab *s);
/* The context's allocator (dialog.c). */
struct ss_slab *ss_corr_slab(struct ss_corr *corr);

/* The murmur3 finaliser the table hashes end with. */
uint64_t ss_hmix(uint64_t h);

#define SS_HASH_K UINT64_C(0x9e3779b97f4a7c15)
/* Every byte has its top bit set: xored with text (bytes below 0x80) it
 * can never give a zero multiplier in ss_hash_more. */
#define SS_HASH_K2 UINT64_C(0x9eb7f9b9ffcafc95)	/* SS_HASH_K | 0x80.. */

/* Each step (xor, multiply by an odd constant, xor shift) is a
 * bijection of the state. */
static inline uint64_t ss_hash_word(uint64_t h, uint64_t w)
{
	h = (h ^ w) * SS_HASH_K;
	return h ^ h >> 29;
}

/* The seed scrambled first, so that a difference in it (seeds carry
 * small fields: codes, ports) cannot cancel one in the data. */
static inline uint64_t ss_hash_seed(uint64_t seed)
{
	uint64_t h = seed * SS_HASH_K;
	h ^= h >> 29;
	h *= SS_HASH_K;
	return h ^ h >> 32;
}

/* The 128-bit product of a and b, halves folded (wyhash's "mum"): one
 * multiply mixes 16 bytes, the high half carrying what the low one
 * cannot. */
static inline uint64_t ss_hash_mum(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__)
	unsigned __int128 r = (unsigned __int128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
	uint64_t lo = (mid << 32) | (uint32_t)ll;
	uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
	return lo ^ hi;
#endif
}

/* Absorb the bytes 16 at a time (the last block overlaps the one before)
 * and n with the last block: for each n, one input per block sequence,
 * so fields hashed one after the other need no separator. Calls-IDs,
 * branches and tags are 16-64 bytes: 1-4 multiplies. */
static inline uint64_t ss_hash_more(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t lo = 0, hi = 0;
	if (n > 16) {
		const unsigned char *last = b + n - 16;
		for (; b < last; b += 16) {
			memcpy(&lo, b, 8);
			memcpy(&hi, b + 8, 8);
			h = ss_hash_mum(lo ^ h, hi ^ SS_HASH_K2);
		}
		memcpy(&lo, last, 8);
		memcpy(&hi, last + 8, 8);
	} else if (n >= 8) {
		memcpy(&lo, b, 8);
		memcpy(&hi, b + n - 8, 8);
	} else if (n >= 4) {
		uint32_t x, y;
		memcpy(&x, b, 4);
		memcpy(&y, b + n - 4, 4);
		lo = x;
		hi = y;
	} else if (n) {
		lo = (uint64_t)b[0] | (uint64_t)b[n / 2] << 8 | (uint64_t)b[n - 1] << 16;
	}
	return ss_hash_mum(lo ^ h, hi ^ SS_HASH_K2 ^ n);
}

/* The murmur3 finaliser: every input bit reaches the low bits. */
static inline uint64_t ss_hash_final(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	return h ^ h >> 33;
}

/* A fast hash of n bytes, mixed; for tables and keys:
 * ss_hash_final(ss_hash_more(ss_hash_seed(seed), p, n)). Several fields
 * go into one key with more ss_hash_more steps before the final one.
 * Inline, so that a constant seed costs nothing. */
static inline uint64_t ss_hash_fast(uint64_t seed, const void *p, size_t n)
{
	return ss_hash_final(ss_hash_more(ss_hash_seed(seed), p, n));
}

/* What few calls need, allocated on first use (ss_call_x). */
struct ss_rec_wide {
	uint32_t rec;		/* record number */
	uint32_t src, dst;	/* endpoint ids */
	int64_t ts_ns;
	uint64_t index, frame;
};
struct ss_call_x {
	struct ss_call *fin_next, *fin_prev;	/* finished FIFO (--limit) */
	struct ss_call *older, *newer;		/* same Call-ID (3xx follow-up) */
	struct ss_call *prev;		/* start order; kept under --limit */
	struct ss_dirstate *dirs;	/* all directions past two */
	uint32_t *eps;			/* call endpoints 2, 3, ... */
	uint32_t neps, cap_eps;
	struct ss_rec_wide *wide;	/* records with wide_ set, in order */
	uint32_t nwide, cap_wide;
	uint32_t *seen_x;		/* transactions: more fingerprints,
					 * [cap_txn][SS_TXN_SEEN_X] */
};
struct ss_call_x *ss_call_x(struct ss_corr *corr, struct ss_call *c);
/* The call endpoint number of endpoint id ep (0xffff: none fits). */
uint16_t ss_call_ep(struct ss_corr *corr, struct ss_call *c, uint32_t ep);
/* Find or create the transaction of m in c; returns SS_MF_RETRANS or
 * SS_MF_COPY (or neither), and SS_MF_RESENT, as transaction.c documents. */
uint8_t ss_txn_account(struct ss_corr *corr, struct ss_call *c, const struct sip_msg *m,
		       uint32_t src_ep, uint32_t dst_ep, uint16_t src_local, bool udp);
/* Apply a message that is neither a retransmission nor a copy to the
 * call's state. */
void ss_call_apply(struct ss_corr *corr, struct ss_call *c,
		   const struct sip_msg *m, int64_t ts);
/* The new INVITE m starts a follow-up call after c's 3xx (or another
 * final that ends c); false when it continues c (401/407/422/494). */
bool ss_call_is_followup(const struct ss_call *c, const struct sip_msg *m);
/* Free the transactions, resend directions and forks of c. */
void ss_txn_free(struct ss_corr *corr, struct ss_call *c);
/* The room call_new leaves behind the strings for the first transactions
 * of a call of method m, and handing it over to c. */
size_t ss_txn_inline_size(enum sip_method m);
void ss_txn_inline(struct ss_call *c, void *room);
/* Link a and b both ways (unless already), with kind (enum
 * ss_link_kind); take c out of its partners' links (links.c). */
void ss_link_calls(struct ss_corr *corr, struct ss_call *a, struct ss_call *b,
		   uint8_t kind);
void ss_unlink_all(struct ss_call *c);
/* Interned strings (dialog.c). */
const char *ss_corr_intern(struct ss_corr *corr, ss_str s);
void ss_corr_unintern(struct ss_corr *corr, const char *s);
/* The call's setup time is ms: keep the summary's count (dialog.c). */
void ss_corr_setup(struct ss_corr *corr, struct ss_call *c, int64_t ms);
/* The call changed state: keep the finished FIFO right (dialog.c). */
void ss_corr_state(struct ss_corr *corr, struct ss_call *c, enum ss_call_state s);

#endif
