/*
 * transaction.c - transactions and retransmissions (RFC 3261 section 17),
 * tshark's resend count, and the call state machine.
 *
 * Transactions. All messages of a transaction share the Call-ID, so each
 * call keeps its own transactions: a ring of the last SS_TXN_RING, found
 * by a 64-bit hash of their key (the strings are not kept; a false match
 * needs a 64-bit collision inside one call). Keys:
 *  - top Via branch starting with the magic cookie z9hG4bK (17.2.3): hash
 *    of branch + sent-by + CSeq method, ACK and CANCEL counted as INVITE
 *    so both land in the INVITE transaction they belong to (17.1.1.3,
 *    9.1). Responses carry the same Via and CSeq, so they use the key too.
 *  - RFC 2543 style (no cookie): requests by CSeq number + method + From
 *    tag + Request-URI + top Via (sent-by and branch), responses, which
 *    have no Request-URI, by CSeq number + method + From tag + top Via.
 *  - The ACK for a 2xx has a branch of its own (17.1.1.3 / 13.2.2.4): it
 *    goes to the INVITE transaction with its CSeq number.
 * Only the last SS_TXN_RING transactions are searched: a retransmission
 * comes within 64*T1 = 32 s, and no Call-ID starts that many transactions
 * in 32 s. Where the first request and response came from is kept as a
 * call endpoint number (ss_call_ep); a call with more than 4096
 * endpoints gives the later ones a shared number, so there a copy from
 * one of them can count as a retransmission.
 *
 * Retransmission (SS_MF_RETRANS) = the same request again in its
 * transaction (INVITE, CANCEL, non-2xx ACK, or a non-INVITE request), the
 * same 2xx ACK again (same branch), or the same response again: same
 * code, CSeq method and To tag as one already seen in the transaction
 * (provisional ones too: a UAS answers each INVITE retransmission with its
 * 100 again), sent from the same address as the first. Retransmissions
 * count in msgs and retrans and are ignored for states and timings.
 * The same message again from another address is a copy (SS_MF_COPY): a
 * capture taken at several points (both sides of an SBC or NAT that keeps
 * the Via, a mirror port); copies count in msgs and copies, not in
 * retrans, and are ignored for states and timings too.
 *
 * tshark's count (SS_MF_RESENT; sip.resend, -z sip,stat "resent"): state
 * per Call-ID and direction (src ip:port -> dst ip:port), only for UDP,
 * remembering only the last CSeq number seen in that direction. A request
 * is resent when the last message in its direction was a request with the
 * same CSeq number and method, and it is neither ACK nor CANCEL; a final
 * response is resent when the last one in its direction was a final
 * response with the same CSeq number, method and code. Provisional
 * responses are never resent. Where the two differ: tshark ignores TCP
 * (a UAS retransmits 2xx over TCP too, 13.3.1.4), repeated 1xx, repeated
 * CANCELs and ACKs, and a response whose method differs from the first
 * one of its CSeq in that direction (the 200 to a CANCEL after 100
 * Trying); it counts a message captured twice in the same direction
 * (same addresses) as resent, as we count it as retrans; a copy seen with
 * other addresses is neither for tshark, a copy for us.
 */
#include "dialog.h"

#include <stdlib.h>
#include <string.h>

#include "registration.h"
#include "xalloc.h"

#define SS_TXN_RING 64
#define SS_TXN_SEEN 6
#define SS_TXN_SEEN_IN 3	/* in the transaction; the other
				 * SS_TXN_SEEN_X in the call's extension */
#define SS_TXN_SEEN_X (SS_TXN_SEEN - SS_TXN_SEEN_IN)
#define SS_DIRS_MAX 32

/* Transaction flags */
#define T_REQ	 0x01	/* its request was seen */
#define T_ACK	 0x02	/* an ACK with its branch (non-2xx ACK) */
#define T_CANCEL 0x04	/* a CANCEL with its branch */
#define T_KEY	 0x08	/* requests match it: (rkey, ukey) */

/*
 * 40 bytes. Requests and responses share the key of the branch (RFC 3261
 * style), so one 64-bit rkey serves both; an RFC 2543 request key adds the
 * Request-URI, kept as a 32-bit ukey next to it.
 */
struct ss_txn {
	uint64_t rkey;		/* responses; 0: none matches */
	uint32_t ukey;		/* with T_KEY: the Request-URI part of the
				 * request key (RFC 2543); 0 otherwise */
	uint32_t ack_fp;	/* the 2xx ACK seen for it; 0 none */
	uint32_t cseq;
	uint16_t req_src, rsp_src;	/* call endpoints (ss_call_ep) of the
					 * first request and first response */
	uint32_t seen[SS_TXN_SEEN_IN];	/* responses seen: fingerprints */
	uint8_t method;		/* INVITE for ACK/CANCEL */
	uint8_t flags;
	uint8_t nseen;		/* valid entries of seen (SS_TXN_SEEN) */
	uint8_t seen_next;	/* the slot written next (oldest) */
};
_Static_assert(sizeof(struct ss_txn) == 40, "transaction size");

/* tshark's per-direction resend state. */
enum { D_NONE, D_REQ, D_PROV, D_FINAL };
/* struct ss_dirstate is in dialog.h. */

const char *ss_call_state_name(enum ss_call_state s)
{
	static const char *const n[SS_CS__COUNT] = {
		"CALL_SETUP", "IN_CALL", "COMPLETED", "CANCELLED", "REJECTED",
		"BUSY", "DIVERTED", "FAILED", "REGISTERED", "UNREGISTERED",
		"AUTH_FAILED", "PENDING", "OK",
	};
	return (unsigned)s < SS_CS__COUNT ? n[s] : "?";
}

bool ss_call_state_final(enum ss_call_state s)
{
	return s != SS_CS_CALL_SETUP && s != SS_CS_IN_CALL && s != SS_CS_PENDING;
}

/* An INVITE call starts with room for 2 (INVITE, BYE), others with 1,
 * in the call's own block. */
static unsigned txn_first(enum sip_method m)
{
	return m == SIP_M_INVITE ? 2u : 1u;
}

size_t ss_txn_inline_size(enum sip_method m)
{
	return txn_first(m) * sizeof(struct ss_txn);
}

void ss_txn_inline(struct ss_call *c, void *room)
{
	c->txns = room;
	c->cap_txn = (uint8_t)txn_first(c->method);
	c->txn_inline_ = true;
}

/* Room for ndirs directions in the extension (dir_get): 4, 8, 16, 32. */
static unsigned dirs_cap(unsigned ndirs)
{
	unsigned cap = 4;
	while (cap < ndirs)
		cap *= 2;
	return cap;
}

static size_t seen_x_size(const struct ss_call *c)
{
	return (size_t)c->cap_txn * SS_TXN_SEEN_X * sizeof(uint32_t);
}

/* with room for one fork, its tag is in the same block */
static size_t fork1_size(const struct ss_fork *f)
{
	return sizeof *f + strlen(f->to_tag) + 1;
}

void ss_txn_free(struct ss_corr *corr, struct ss_call *c)
{
	struct ss_slab *sl = ss_corr_slab(corr);
	if (!c->txn_inline_)
		ss_slab_free(sl, c->txns, c->cap_txn * sizeof *c->txns);
	if (c->x_) {
		if (c->x_->dirs)
			ss_slab_free(sl, c->x_->dirs,
				     dirs_cap(c->ndirs) * sizeof *c->x_->dirs);
		ss_slab_free(sl, c->x_->seen_x, seen_x_size(c));
	}
	if (c->nforks_cap == 1) {
		ss_slab_free(sl, c->forks, fork1_size(c->forks));
		return;
	}
	for (unsigned i = 0; i < c->nforks; i++)
		ss_slab_free(sl, c->forks[i].to_tag, strlen(c->forks[i].to_tag) + 1);
	ss_slab_free(sl, c->forks, c->nforks_cap * sizeof *c->forks);
}

/* ---- keys ------------------------------------------------------------- */

static uint8_t method_class(enum sip_method m)
{
	return (uint8_t)(m == SIP_M_ACK || m == SIP_M_CANCEL ? SIP_M_INVITE : m);
}

/* The length goes into the hash: no separator needed between fields. */
static uint64_t h_str(uint64_t h, ss_str s)
{
	return ss_hash_more(h, s.p, s.len);
}

static uint32_t fold32(uint64_t h)
{
	uint32_t v = (uint32_t)(h ^ h >> 32);
	return v ? v : 1;
}

static bool rfc3261_branch(const struct sip_msg *m)
{
	return m->via.branch.len > 7 && memcmp(m->via.branch.p, "z9hG4bK", 7) == 0;
}

/* The response key of m; never 0. The request key is (this, ukey_of). */
static inline uint64_t txn_key(const struct sip_msg *m)
{
	uint64_t cls = method_class(m->cseq_method);
	/* top Via sent-by with the branch (RFC 3261 18.2.1) */
	uint64_t h = SS_HASH_SEED ^ (uint64_t)(uint32_t)m->via.port << 8 ^ cls;
	if (rfc3261_branch(m)) {
		/* all such branches start with the cookie: hashing the rest
		 * keeps them apart as well, and a 23-byte branch (the usual
		 * 16 random bytes) takes one multiply instead of two */
		h = ss_hash_more(ss_hash_seed(h), m->via.branch.p + 7, m->via.branch.len - 7);
		h = h_str(h, m->via.host);
		if (m->cseq_method == SIP_M_EXTENSION)
			h = h_str(h, m->cseq_method_str);
	} else {
		h ^= (uint64_t)m->cseq << 32 ^ UINT64_C(0x2543) << 48;
		h = h_str(ss_hash_seed(h), m->from.tag);
		h = h_str(h, m->via.host);
		h = h_str(h, m->via.branch);
	}
	/* keys are compared, never placed: no finaliser */
	return h ? h : 1;
}

/* The Request-URI part of an RFC 2543 request key; 0 with a branch. */
static uint32_t ukey_of(const struct sip_msg *m)
{
	return rfc3261_branch(m) ? 0 : fold32(h_str(ss_hash_seed(SS_HASH_SEED), m->uri));
}

/* A response as one fingerprint: code, CSeq method, To tag. */
static uint32_t resp_fp(const struct sip_msg *m)
{
	uint64_t h = SS_HASH_SEED ^ (uint64_t)(uint32_t)m->status << 8 ^
		     (uint8_t)m->cseq_method;
	return fold32(h_str(ss_hash_seed(h), m->to.tag));
}

/* ---- the ring --------------------------------------------------------- */

static struct ss_txn *txn_at(struct ss_call *c, unsigned back)
{
	/* cap_txn is a power of two (txn_first, doubled) */
	unsigned i = (unsigned)(c->txn_head + c->cap_txn - 1 - back) & (c->cap_txn - 1u);
	return &c->txns[i];
}

/* Newest first: the one a message matches is almost always the last.
 * Requests: with T_KEY and ukey; responses: rkey alone. */
static inline struct ss_txn *txn_find(struct ss_call *c, uint64_t rkey, bool req,
				      uint32_t ukey)
{
	for (unsigned b = 0; b < c->ntxn; b++) {
		struct ss_txn *t = txn_at(c, b);
		if (t->rkey == rkey &&
		    (!req || ((t->flags & T_KEY) && t->ukey == ukey)))
			return t;
	}
	return NULL;
}

/* Fingerprint k (0 .. SS_TXN_SEEN-1) of t. */
static uint32_t *seen_at(struct ss_corr *corr, struct ss_call *c, struct ss_txn *t,
			 unsigned k)
{
	if (k < SS_TXN_SEEN_IN)
		return &t->seen[k];
	struct ss_call_x *x = ss_call_x(corr, c);
	if (!x->seen_x)
		x->seen_x = ss_slab_zalloc(ss_corr_slab(corr), seen_x_size(c));
	return &x->seen_x[(size_t)(t - c->txns) * SS_TXN_SEEN_X + k - SS_TXN_SEEN_IN];
}

static struct ss_txn *txn_find_invite(struct ss_call *c, uint32_t cseq)
{
	for (unsigned b = 0; b < c->ntxn; b++) {
		struct ss_txn *t = txn_at(c, b);
		if (t->method == SIP_M_INVITE && t->cseq == cseq)
			return t;
	}
	return NULL;
}

static struct ss_txn *txn_new(struct ss_corr *corr, struct ss_call *c,
			      const struct sip_msg *m)
{
	if (c->ntxn == c->cap_txn && c->cap_txn < SS_TXN_RING) {
		/* grow: unroll the ring into order first */
		struct ss_slab *sl = ss_corr_slab(corr);
		unsigned ncap = c->cap_txn ? c->cap_txn * 2u : txn_first(c->method);
		struct ss_txn *n = ss_slab_alloc(sl, ncap * sizeof *n);
		uint32_t *sx = c->x_ ? c->x_->seen_x : NULL, *nsx = NULL;
		if (sx)
			nsx = ss_slab_zalloc(sl, (size_t)ncap * SS_TXN_SEEN_X * sizeof *nsx);
		for (unsigned i = 0; i < c->ntxn; i++) {
			struct ss_txn *o = txn_at(c, c->ntxn - 1 - i);
			n[i] = *o;
			if (sx)
				memcpy(&nsx[(size_t)i * SS_TXN_SEEN_X],
				       &sx[(size_t)(o - c->txns) * SS_TXN_SEEN_X],
				       SS_TXN_SEEN_X * sizeof *nsx);
		}
		if (!c->txn_inline_)
			ss_slab_free(sl, c->txns, c->cap_txn * sizeof *c->txns);
		if (sx)
			ss_slab_free(sl, sx, seen_x_size(c));
		c->txn_inline_ = false;
		c->txns = n;
		if (sx)
			c->x_->seen_x = nsx;
		c->cap_txn = (uint8_t)ncap;
		c->txn_head = c->ntxn;
	}
	struct ss_txn *t = &c->txns[c->txn_head];
	c->txn_head = (uint8_t)((c->txn_head + 1) & (c->cap_txn - 1u));
	if (c->ntxn < c->cap_txn)
		c->ntxn++;
	memset(t, 0, sizeof *t);
	t->cseq = m->cseq;
	t->method = method_class(m->is_request ? m->method : m->cseq_method);
	return t;
}

/* Set flag f on t; true when it was set already (a retransmission). */
static bool txn_flag(struct ss_txn *t, uint8_t f)
{
	bool had = t->flags & f;
	t->flags |= f;
	return had;
}

/* A message seen again: a retransmission when it comes from where the
 * first one came from, else a copy seen at another capture point. */
static int again(uint16_t first_src, uint16_t src)
{
	return first_src == src ? 1 : 2;
}

static int txn_request(struct ss_corr *corr, struct ss_call *c, const struct sip_msg *m,
		       uint64_t rkey, uint16_t src)
{
	uint32_t ukey = ukey_of(m);
	struct ss_txn *t = txn_find(c, rkey, true, ukey);
	if (m->method == SIP_M_ACK && !(t && t->method == SIP_M_INVITE)) {
		/* the ACK for a 2xx: its own branch, the INVITE's CSeq */
		uint32_t fp = fold32(rkey ^ (uint64_t)ukey << 17);
		t = txn_find_invite(c, m->cseq);
		if (!t)
			t = txn_new(corr, c, m);	/* no key: nothing else matches */
		if (t->ack_fp == fp)
			return 1;
		if (!t->ack_fp)
			t->ack_fp = fp;
		return 0;
	}
	if (!t) {
		t = txn_new(corr, c, m);
		t->rkey = rkey;
		t->ukey = ukey;
		t->flags = T_KEY;
		t->req_src = src;
	}
	uint8_t f = m->method == SIP_M_ACK ? T_ACK : m->method == SIP_M_CANCEL ? T_CANCEL : T_REQ;
	if (!(t->flags & (T_REQ | T_ACK | T_CANCEL)))
		t->req_src = src;
	return txn_flag(t, f) ? again(t->req_src, src) : 0;
}

static int txn_response(struct ss_corr *corr, struct ss_call *c, const struct sip_msg *m,
			uint64_t rkey, uint16_t src)
{
	struct ss_txn *t = txn_find(c, rkey, false, 0);
	if (!t) {	/* its request was not captured */
		t = txn_new(corr, c, m);
		t->rkey = rkey;
		if (rfc3261_branch(m))
			t->flags = T_KEY;	/* ukey 0 */
	}
	if (!t->nseen)
		t->rsp_src = src;
	uint32_t fp = resp_fp(m);
	for (unsigned i = 0; i < t->nseen; i++)
		if (*seen_at(corr, c, t, i) == fp)
			return again(t->rsp_src, src);
	*seen_at(corr, c, t, t->seen_next) = fp;
	t->seen_next = (uint8_t)((t->seen_next + 1) % SS_TXN_SEEN);
	if (t->nseen < SS_TXN_SEEN)
		t->nseen++;
	return 0;
}

/* ---- tshark's resend rule --------------------------------------------- */

static struct ss_dirstate *dir_get(struct ss_corr *corr, struct ss_call *c,
				   uint32_t src, uint32_t dst, bool *fresh)
{
	/* two inline; from a third on, all in the extension */
	struct ss_dirstate *d = c->ndirs <= 2 ? c->dir_inline : c->x_->dirs;
	for (unsigned i = 0; i < c->ndirs; i++)
		if (d[i].src == src && d[i].dst == dst)
			return &d[i];
	*fresh = true;
	if (c->ndirs == SS_DIRS_MAX)	/* reuse the oldest direction */
		return &d[0];
	unsigned cap = c->ndirs;
	if (cap == 2) {
		struct ss_call_x *x = ss_call_x(corr, c);
		x->dirs = ss_slab_alloc(ss_corr_slab(corr), 4 * sizeof *x->dirs);
		memcpy(x->dirs, c->dir_inline, 2 * sizeof *x->dirs);
		d = x->dirs;
	} else if (cap >= 4 && !(cap & (cap - 1))) {	/* 4, 8, 16: grow */
		c->x_->dirs = ss_slab_realloc(ss_corr_slab(corr), c->x_->dirs,
					      cap * sizeof *d, cap * 2 * sizeof *d);
		d = c->x_->dirs;
	}
	return &d[c->ndirs++];
}

static bool tshark_resent(struct ss_corr *corr, struct ss_call *c,
			  const struct sip_msg *m, uint32_t src, uint32_t dst)
{
	bool fresh = false;
	struct ss_dirstate *d = dir_get(corr, c, src, dst, &fresh);
	uint8_t meth = (uint8_t)m->cseq_method;
	uint32_t prev = fresh ? 0 : d->cseq;
	if (fresh || d->cseq != m->cseq)
		*d = (struct ss_dirstate){ src, dst, m->cseq, 0, meth, D_NONE };
	bool same = m->cseq == prev && meth == d->method;
	bool r = false;
	if (m->is_request) {
		r = same && d->state == D_REQ && meth != SIP_M_ACK &&
		    meth != SIP_M_CANCEL;
		d->state = D_REQ;
	} else if (m->status >= 200) {
		r = same && d->state == D_FINAL && d->code == m->status;
		d->state = D_FINAL;
		d->code = (uint16_t)m->status;
	} else {
		d->state = D_PROV;
	}
	return r;
}

uint8_t ss_txn_account(struct ss_corr *corr, struct ss_call *c, const struct sip_msg *m,
		       uint32_t src, uint32_t dst, uint16_t lsrc, bool udp)
{
	uint64_t rkey = txn_key(m);
	int r = m->is_request ? txn_request(corr, c, m, rkey, lsrc)
			      : txn_response(corr, c, m, rkey, lsrc);
	uint8_t f = r == 1 ? SS_MF_RETRANS : r == 2 ? SS_MF_COPY : 0;
	if (udp && m->cseq_present && tshark_resent(corr, c, m, src, dst))
		f |= SS_MF_RESENT;
	return f;
}

/* ---- call states ------------------------------------------------------ */

/*
 * INVITE dialogs (SPEC states), the edge cases decided:
 *
 *  event (not a retransmission)            state          notes
 *  --------------------------------------  -------------  ------------------
 *  initial INVITE                          CALL_SETUP     invite_ts
 *  18x to it (first)                       CALL_SETUP     pdd_ms
 *  1xx/2xx/final with a new To tag         -              a fork (13.2.2.4)
 *  2xx to it                               IN_CALL        setup_ms, answer;
 *                                                         NO_ACK until ACK
 *  2xx crossing a CANCEL (9.1)             IN_CALL        the 2xx wins; BYE
 *                                                         ends it COMPLETED
 *  487                                     CANCELLED      with or without a
 *                                                         captured CANCEL
 *  CANCEL, then no final within Timer B    CANCELLED      ss_corr_expire
 *  BYE before any 2xx (early dialog, 15)   CANCELLED      SS_CF_EARLY_BYE
 *  3xx                                     DIVERTED       a new INVITE on
 *                                                         the Call-ID is a
 *                                                         follow-up call
 *  486, 600                                BUSY
 *  408, 5xx                                FAILED         network/server
 *  no final response within Timer B        FAILED         SS_CF_TIMEOUT
 *  401, 407, 422, 494                      REJECTED       until the UAC
 *                                                         retries with a new
 *                                                         CSeq on the same
 *                                                         Call-ID: back to
 *                                                         CALL_SETUP, the
 *                                                         challenge does not
 *                                                         end the call
 *  other 4xx, 6xx (603 Decline included)   REJECTED       603 is a refusal,
 *                                                         not busy
 *  final >= 300 after a fork's 2xx         IN_CALL        that fork failed
 *  BYE (either side) in IN_CALL            COMPLETED      duration_ms;
 *                                                         SS_CF_BYE_CALLEE
 *  re-INVITE / UPDATE answered 491 (glare) unchanged      glare counted
 *  2xx to a re-INVITE                      unchanged      NO_ACK until ACK
 *  2xx never ACKed                         IN_CALL        SS_CF_NO_ACK stays
 *  PRACK, UPDATE, INFO, REFER, NOTIFY,     unchanged      REFER flagged
 *  OPTIONS inside the dialog
 *
 * Timings from the first initial INVITE of the call (what the caller
 * waits for, challenge round trips included): pdd_ms to the first 18x,
 * setup_ms to the 2xx, duration_ms from the 2xx to the BYE, or to the
 * last message while the call is still IN_CALL.
 *
 * Other dialogs: PENDING until a final answer to the latest initial
 * request; 2xx -> OK; 401/407 stay PENDING (challenge); other >= 300 ->
 * FAILED; no answer within Timer F -> FAILED. REGISTER follows
 * ss_reg_outcome (registration.h).
 */

static int64_t ms_since(int64_t from, int64_t to)
{
	return from < 0 ? -1 : (to - from) / 1000000;
}

static void set_reason(struct ss_corr *corr, struct ss_call *c, const struct sip_msg *m)
{
	ss_str r = m->reason.len ? m->reason : m->reason_phrase;
	if (!r.len)
		return;
	ss_corr_unintern(corr, c->reason);
	c->reason = ss_corr_intern(corr, r);
}

static enum ss_call_state invite_final_state(int code)
{
	if (code < 400)
		return SS_CS_DIVERTED;
	if (code == 486 || code == 600)
		return SS_CS_BUSY;
	if (code == 487)
		return SS_CS_CANCELLED;
	if (code == 408 || (code >= 500 && code < 600))
		return SS_CS_FAILED;
	return SS_CS_REJECTED;
}

/* Codes after which the UAC retries inside the same call: 401/407 (RFC
 * 3261 22.2), 422 (RFC 4028 6), 494 (RFC 3329 2). */
static bool retry_code(int code)
{
	return code == 401 || code == 407 || code == 422 || code == 494;
}

bool ss_call_is_followup(const struct ss_call *c, const struct sip_msg *m)
{
	if (c->method != SIP_M_INVITE || !m->is_request || m->method != SIP_M_INVITE ||
	    m->to.tag.len || !m->cseq_present || m->cseq <= c->init_cseq)
		return false;
	switch (c->state) {
	case SS_CS_REJECTED:
		return !retry_code(c->final_code);
	case SS_CS_DIVERTED: case SS_CS_BUSY: case SS_CS_FAILED:
	case SS_CS_CANCELLED: case SS_CS_COMPLETED:
		return true;
	default:
		return false;
	}
}

static char *slab_strdup(struct ss_slab *sl, const char *p, size_t n)
{
	char *s = ss_slab_alloc(sl, n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static void fork_note(struct ss_corr *corr, struct ss_call *c, ss_str tag, int code)
{
	struct ss_fork *f = NULL;
	for (unsigned i = 0; i < c->nforks && !f; i++)
		if (strlen(c->forks[i].to_tag) == tag.len &&
		    memcmp(c->forks[i].to_tag, tag.p, tag.len) == 0)
			f = &c->forks[i];
	if (!f) {
		if (c->nforks == SS_CALL_MAX_FORKS) {
			c->flags |= SS_CF_FORKS_CAPPED;
			return;
		}
		struct ss_slab *sl = ss_corr_slab(corr);
		char *dup;
		if (!c->nforks_cap) {
			/* the usual single fork: its tag in the same block */
			c->forks = ss_slab_alloc(sl, sizeof *c->forks + tag.len + 1);
			c->nforks_cap = 1;
			dup = (char *)(c->forks + 1);
			memcpy(dup, tag.p, tag.len);
			dup[tag.len] = '\0';
		} else {
			if (c->nforks == c->nforks_cap) {
				struct ss_fork *n = ss_slab_alloc(sl, c->nforks_cap * 2u *
								      sizeof *n);
				memcpy(n, c->forks, c->nforks * sizeof *n);
				if (c->nforks_cap == 1)	/* the tag moves out */
					n[0].to_tag = slab_strdup(sl, n[0].to_tag,
								  strlen(n[0].to_tag));
				ss_slab_free(sl, c->forks, c->nforks_cap == 1
							       ? fork1_size(c->forks)
							       : c->nforks_cap * sizeof *n);
				c->forks = n;
				c->nforks_cap = (uint8_t)(c->nforks_cap * 2);
			}
			dup = slab_strdup(sl, tag.p, tag.len);
		}
		f = &c->forks[c->nforks++];
		f->to_tag = dup;
		f->first_code = (uint16_t)code;
		f->code = 0;
	}
	if (code >= 200 && !f->code)
		f->code = (uint16_t)code;
}

static void invite_initial_response(struct ss_corr *corr, struct ss_call *c,
				    const struct sip_msg *m, int64_t ts)
{
	int code = m->status;
	if (code > 100 && m->to.tag.len)
		fork_note(corr, c, m->to.tag, code);
	if (code < 200) {
		if (code >= 180 && code <= 189 && c->pdd_ms < 0)
			c->pdd_ms = ms_since(c->invite_ts, ts);
		return;
	}
	if (code < 300) {
		c->flags |= SS_CF_NO_ACK;
		c->ack_cseq = m->cseq;
		if (c->state == SS_CS_IN_CALL || c->state == SS_CS_COMPLETED)
			return;		/* another fork answered too */
		c->flags |= SS_CF_ANSWERED;
		c->answer_ts = ts;
		ss_corr_setup(corr, c, ms_since(c->invite_ts, ts));
		c->duration_ms = 0;
		c->final_code = code;
		set_reason(corr, c, m);
		ss_corr_state(corr, c, SS_CS_IN_CALL);
		return;
	}
	if (c->state != SS_CS_CALL_SETUP)
		return;
	if (code == 401 || code == 407)
		c->challenges++;
	c->final_code = code;
	c->end_ts = ts;
	set_reason(corr, c, m);
	ss_corr_state(corr, c, invite_final_state(code));
}

/* The message's tag equals the call's (either may be absent: a request
 * without a From tag is RFC 2543 style). */
static bool same_tag(ss_str tag, const char *call_tag)
{
	size_t n = call_tag ? strlen(call_tag) : 0;
	return tag.len == n && (n == 0 || memcmp(tag.p, call_tag, n) == 0);
}

static void invite_request(struct ss_corr *corr, struct ss_call *c,
			   const struct sip_msg *m, int64_t ts)
{
	switch (m->method) {
	case SIP_M_INVITE:
		if (m->to.tag.len) {
			c->reinvites++;
		} else if (c->invite_ts < 0) {
			c->invite_ts = ts;
			c->init_cseq = m->cseq;
		} else if (m->cseq > c->init_cseq) {
			/* a new attempt: credentials after 401/407, or a
			 * retry after 422/494 (follow-ups went elsewhere) */
			c->init_cseq = m->cseq;
			if (ss_sip_has_creds(m))
				c->flags |= SS_CF_CHALLENGED;
			if (c->state == SS_CS_REJECTED) {
				c->final_code = 0;
				ss_corr_unintern(corr, c->reason);
				c->reason = NULL;
				ss_corr_state(corr, c, SS_CS_CALL_SETUP);
			}
		}
		break;
	case SIP_M_ACK:
		if ((c->flags & SS_CF_NO_ACK) && m->cseq == c->ack_cseq)
			c->flags &= ~(uint32_t)SS_CF_NO_ACK;
		break;
	case SIP_M_CANCEL:
		c->flags |= SS_CF_CANCEL;
		if (m->reason.len)
			set_reason(corr, c, m);
		break;
	case SIP_M_BYE:
		if (c->state != SS_CS_IN_CALL && c->state != SS_CS_CALL_SETUP)
			break;
		if (!same_tag(m->from.tag, c->from_tag))
			c->flags |= SS_CF_BYE_CALLEE;
		if (m->reason.len)
			set_reason(corr, c, m);
		c->end_ts = ts;
		if (c->state == SS_CS_CALL_SETUP) {
			c->flags |= SS_CF_EARLY_BYE;
			ss_corr_state(corr, c, SS_CS_CANCELLED);
			break;
		}
		c->duration_ms = ms_since(c->answer_ts, ts);
		ss_corr_state(corr, c, SS_CS_COMPLETED);
		break;
	case SIP_M_REFER:
		c->flags |= SS_CF_REFER;
		break;
	default:
		break;
	}
}

static void invite_apply(struct ss_corr *corr, struct ss_call *c,
			 const struct sip_msg *m, int64_t ts)
{
	if (m->is_request) {
		invite_request(corr, c, m, ts);
	} else if (m->cseq_method == SIP_M_INVITE && m->cseq == c->init_cseq) {
		invite_initial_response(corr, c, m, ts);
	} else if (m->cseq_method == SIP_M_INVITE && m->cseq > c->init_cseq) {
		if (m->status == 491) {		/* RFC 3261 14.1 glare */
			c->glare++;
			c->flags |= SS_CF_GLARE;
		} else if (m->status >= 200 && m->status < 300) {
			c->flags |= SS_CF_NO_ACK;
			c->ack_cseq = m->cseq;
		}
	} else if (m->cseq_method == SIP_M_UPDATE && m->status == 491) {
		c->glare++;		/* RFC 3311 5.2 */
		c->flags |= SS_CF_GLARE;
	}
	if (c->state == SS_CS_IN_CALL && c->answer_ts >= 0)
		c->duration_ms = ms_since(c->answer_ts, ts);
	if (c->state == SS_CS_IN_CALL || c->state == SS_CS_CALL_SETUP)
		c->end_ts = ts;
}

static void register_apply(struct ss_corr *corr, struct ss_call *c,
			   const struct sip_msg *m, int64_t ts)
{
	if (m->is_request) {
		if (m->method != SIP_M_REGISTER)
			return;
		c->init_cseq = m->cseq;
		c->flags &= ~(uint32_t)(SS_CF_UNREGISTER | SS_CF_CREDS_);
		const struct ss_regs *regs = ss_corr_regs(corr);
		if (ss_regs_msg_unregister(regs, m))
			c->flags |= SS_CF_UNREGISTER;
		if (ss_regs_msg_creds(regs, m))
			c->flags |= SS_CF_CREDS_ | SS_CF_CHALLENGED;
		if (c->state != SS_CS_REGISTERED)
			ss_corr_state(corr, c, SS_CS_PENDING);
		return;
	}
	if (m->cseq_method != SIP_M_REGISTER || m->status < 200)
		return;
	if (m->status == 401 || m->status == 407)
		c->challenges++;
	c->final_code = m->status;
	c->end_ts = ts;
	set_reason(corr, c, m);
	ss_corr_state(corr, c, ss_reg_outcome(&c->auth_run, m->status,
					      c->flags & SS_CF_CREDS_,
					      ss_regs_msg_stale(ss_corr_regs(corr), m),
					      c->flags & SS_CF_UNREGISTER, c->state));
}

static void other_apply(struct ss_corr *corr, struct ss_call *c,
			const struct sip_msg *m, int64_t ts)
{
	if (m->is_request) {
		if (m->method == c->method && !m->to.tag.len && m->cseq > c->init_cseq) {
			c->init_cseq = m->cseq;	/* a new attempt */
			if (ss_sip_has_creds(m))
				c->flags |= SS_CF_CHALLENGED;
			ss_corr_state(corr, c, SS_CS_PENDING);
		}
		return;
	}
	if (m->cseq_method != c->method || m->cseq != c->init_cseq || m->status < 200)
		return;
	c->final_code = m->status;
	c->end_ts = ts;
	set_reason(corr, c, m);
	if (m->status == 401 || m->status == 407) {
		c->challenges++;
		return;
	}
	ss_corr_state(corr, c, m->status < 300 ? SS_CS_OK : SS_CS_FAILED);
}

void ss_call_apply(struct ss_corr *corr, struct ss_call *c,
		   const struct sip_msg *m, int64_t ts)
{
	if (!c->user_agent && m->user_agent.len)
		c->user_agent = ss_corr_intern(corr, m->user_agent);
	if (c->method == SIP_M_INVITE)
		invite_apply(corr, c, m, ts);
	else if (c->method == SIP_M_REGISTER)
		register_apply(corr, c, m, ts);
	else
		other_apply(corr, c, m, ts);
}
