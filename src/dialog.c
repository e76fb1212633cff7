/*
 * dialog.c - the correlation context: calls by Call-ID, endpoints,
 * interned strings, linked legs, --limit eviction, accessors and the
 * summary. Transactions, retransmissions and the state machine are in
 * transaction.c; registrations in registration.c; linking legs in
 * links.c; reading message records in msgrec.c.
 *
 * Lookup tables: hashtab.c.
 *
 * Memory per dialog: dialog.h.
 */
#include "dialog.h"

#include <stdlib.h>
#include <string.h>

#include "registration.h"
#include "sdp.h"
#include "xalloc.h"

/* ---- the context ------------------------------------------------------ */

/* An interned string: reference-counted so evicted calls give theirs back. */
struct istr {
	uint64_t h;
	uint32_t refs;
	uint32_t len;
	char s[];
};

/* User-Agents and reason phrases repeat from call to call: a small cache
 * of the last ones interned answers most without hashing. */
#define ICACHE 64

struct ss_corr {
	size_t limit;
	unsigned keep;		/* SS_KEEP_* */
	struct ss_ptab calls;	/* hash(Call-ID) -> newest struct ss_call */
	struct ss_ptab xids;	/* hash(X-Call-ID) -> newest call naming it */
	struct ss_ptab pairs;	/* hash(From user, To user) -> newest INVITE */
	struct ss_ptab strs;	/* hash -> struct istr */
	struct istr *icache[ICACHE];	/* recently interned (icache_at) */
	struct ss_ptab eptab;	/* endpoint key -> id + 1 (endpoint_id) */
	unsigned ep_shift;	/* 64 - log2(eptab.cap) */
	struct ss_addr *eps;
	size_t neps, cap_eps;
	struct ss_call *head, *tail;
	struct ss_call *fin_head, *fin_tail;
	size_t ncalls;
	uint32_t next_id;
	struct ss_regs *regs;
	struct ss_corr_summary st;	/* message counters, evicted states
					 * and setup times */
	double evicted_setup_sum;
	/* What the summary would count by walking the calls, kept as they
	 * change: held calls by state, and setup times of all calls, held
	 * and evicted (exact while no call's setup time changes, which
	 * setup_redo flags: the summary then walks). */
	size_t nheld[SS_CS__COUNT];
	uint64_t setup_n;
	int64_t setup_sum, setup_min, setup_max;
	bool setup_redo;
	struct ss_slab slab;	/* the calls' blocks (hashtab.c) */
	ss_evict_cb on_evict;
	void *evict_user;
};

struct ss_corr *ss_corr_new(size_t limit)
{
	struct ss_corr *c = xcalloc(1, sizeof *c);
	c->limit = limit;
	c->keep = SS_KEEP_ALL;
	ss_ptab_init(&c->calls);
	ss_ptab_init(&c->xids);
	ss_ptab_init(&c->pairs);
	ss_ptab_init(&c->strs);
	ss_ptab_init(&c->eptab);
	c->ep_shift = 64;
	for (size_t n = c->eptab.cap; n > 1; n >>= 1)
		c->ep_shift--;
	c->regs = ss_regs_new();
	ss_slab_init(&c->slab);
	return c;
}

struct ss_slab *ss_corr_slab(struct ss_corr *corr)
{
	return &corr->slab;
}

static void call_free(struct ss_corr *corr, struct ss_call *c)
{
	struct ss_slab *sl = &corr->slab;
	ss_corr_unintern(corr, c->user_agent);
	ss_corr_unintern(corr, c->reason);
	ss_txn_free(corr, c);	/* the forks too */
	ss_slab_free(sl, c->links, c->cap_links * sizeof *c->links);
	ss_slab_free(sl, c->recs, c->cap_recs * sizeof *c->recs);
	if (c->x_) {
		ss_slab_free(sl, c->x_->eps, c->x_->cap_eps * sizeof *c->x_->eps);
		ss_slab_free(sl, c->x_->wide, c->x_->cap_wide * sizeof *c->x_->wide);
		ss_slab_free(sl, c->x_, sizeof *c->x_);
	}
	ss_slab_free(sl, c, c->block_size_);	/* the strings with it */
}

struct ss_call_x *ss_call_x(struct ss_corr *corr, struct ss_call *c)
{
	if (!c->x_)
		c->x_ = ss_slab_zalloc(&corr->slab, sizeof *c->x_);
	return c->x_;
}

static struct ss_call *older_of(const struct ss_call *c)
{
	return c->x_ ? c->x_->older : NULL;
}

static struct ss_call *newer_of(const struct ss_call *c)
{
	return c->x_ ? c->x_->newer : NULL;
}

void ss_corr_free(struct ss_corr *corr)
{
	if (!corr)
		return;
	ss_slab_release(&corr->slab);	/* every call's blocks */
	for (size_t i = 0; i < corr->strs.cap; i++)
		free((void *)corr->strs.s[i].v);
	free(corr->calls.s);
	free(corr->xids.s);
	free(corr->pairs.s);
	free(corr->strs.s);
	free(corr->eptab.s);
	free(corr->eps);
	ss_regs_free(corr->regs);
	free(corr);
}

/* ---- interned strings ------------------------------------------------- */

static bool istr_eq(uintptr_t v, const void *key)
{
	const struct istr *i = (const struct istr *)v;
	const ss_str *s = key;
	return i->len == s->len && memcmp(i->s, s->p, s->len) == 0;
}

static size_t icache_at(const char *p, size_t n)
{
	uint32_t k = (uint32_t)n << 24 ^ (uint32_t)(unsigned char)p[0] << 16 ^
		     (uint32_t)(unsigned char)p[n / 2] << 8 ^ (unsigned char)p[n - 1];
	return (k * UINT32_C(0x9e3779b1)) >> 26;	/* ICACHE = 2^6 */
}

/* Out of line: the cached case then needs no registers saved. */
__attribute__((noinline))
static const char *intern_new(struct ss_corr *corr, ss_str s, size_t at)
{
	uint64_t h = ss_hash_fast(SS_HASH_SEED, s.p, s.len);
	struct ss_slot *sl = ss_ptab_find(&corr->strs, h, istr_eq, &s);
	struct istr *i;
	if (sl) {
		i = (struct istr *)sl->v;
		i->refs++;
	} else {
		i = xmalloc(sizeof *i + s.len + 1);
		i->h = h;
		i->refs = 1;
		i->len = (uint32_t)s.len;
		memcpy(i->s, s.p, s.len);
		i->s[s.len] = '\0';
		ss_ptab_set(&corr->strs, h, istr_eq, &s, (uintptr_t)i);
	}
	corr->icache[at] = i;
	return i->s;
}

/* A shared copy of s (NULL for an empty s); give it back with
 * ss_corr_unintern. */
const char *ss_corr_intern(struct ss_corr *corr, ss_str s)
{
	if (!s.len)
		return NULL;
	size_t at = icache_at(s.p, s.len);
	struct istr *i = corr->icache[at];
	if (i && istr_eq((uintptr_t)i, &s)) {
		i->refs++;
		return i->s;
	}
	return intern_new(corr, s, at);
}

void ss_corr_unintern(struct ss_corr *corr, const char *s)
{
	if (!s)
		return;
	struct istr *i = (struct istr *)(void *)(s - offsetof(struct istr, s));
	if (--i->refs)
		return;
	size_t at = icache_at(i->s, i->len);
	if (corr->icache[at] == i)
		corr->icache[at] = NULL;
	ss_ptab_del(&corr->strs, i->h, (uintptr_t)i);
	free(i);
}

/* ---- endpoints -------------------------------------------------------- */

static bool addr_eq(const struct ss_addr *a, const struct ss_addr *b)
{
	if (a->family != b->family || a->port != b->port)
		return false;
	return a->family == 6 ? memcmp(a->ip, b->ip, 16) == 0
			      : memcmp(a->ip, b->ip, 4) == 0;
}

/*
 * The endpoint table keeps (key, id + 1) slots. An IPv4 endpoint's key is
 * the address itself (family, port, ip packed in 56 bits), so a key match
 * is an address match; an IPv6 one's is a hash with the top bit set,
 * confirmed against eps. Slots are placed by the top bits of key * K
 * (Fibonacci hashing): one multiply, and the packed fields all reach the
 * top bits, where a table of a few endpoints looks.
 */
static size_t ep_home(const struct ss_corr *corr, uint64_t k)
{
	return (size_t)((k * SS_HASH_K) >> corr->ep_shift);
}

static void ep_place(struct ss_corr *corr, uint64_t k, uintptr_t v)
{
	struct ss_ptab *t = &corr->eptab;
	size_t mask = t->cap - 1, i = ep_home(corr, k);
	while (t->s[i].v)
		i = (i + 1) & mask;
	t->s[i].h = k;
	t->s[i].v = v;
	t->n++;
}

static uint64_t ep_key4(const struct ss_addr *a)
{
	uint32_t ip4;
	memcpy(&ip4, a->ip, 4);
	return (uint64_t)a->family << 48 | (uint64_t)a->port << 32 | ip4;
}

/* An IPv6 endpoint, or a new one (endpoint_id): out of line, both are
 * rare. */
static uint32_t ep_more(struct ss_corr *corr, const struct ss_addr *a)
{
	struct ss_ptab *t = &corr->eptab;
	size_t mask = t->cap - 1;
	uint64_t k = ep_key4(a);
	if (a->family == 6) {
		k = ss_hash_fast(a->port, a->ip, 16) | UINT64_C(1) << 63;
		for (size_t i = ep_home(corr, k); t->s[i].v; i = (i + 1) & mask)
			if (t->s[i].h == k && addr_eq(&corr->eps[t->s[i].v - 1], a))
				return (uint32_t)(t->s[i].v - 1);
	}
	if (corr->neps == corr->cap_eps) {
		corr->cap_eps = corr->cap_eps ? corr->cap_eps * 2 : 64;
		corr->eps = xreallocarray(corr->eps, corr->cap_eps, sizeof *corr->eps);
	}
	struct ss_addr *e = &corr->eps[corr->neps];
	memset(e, 0, sizeof *e);
	e->family = a->family;
	e->port = a->port;
	memcpy(e->ip, a->ip, a->family == 6 ? 16 : 4);
	if ((t->n + 1) * 2 > t->cap) {
		struct ss_slot *old = t->s;
		size_t ocap = t->cap;
		t->cap *= 2;
		corr->ep_shift--;
		t->s = xcalloc(t->cap, sizeof *t->s);
		t->n = 0;
		for (size_t i = 0; i < ocap; i++)
			if (old[i].v)
				ep_place(corr, old[i].h, old[i].v);
		free(old);
	}
	ep_place(corr, k, (uintptr_t)++corr->neps);
	return (uint32_t)(corr->neps - 1);
}

/* The id of an address (ip and port), interned for the whole run: ids in
 * message records must stay valid, and distinct endpoints are few. Inline:
 * it runs twice per message. */
static inline uint32_t endpoint_id(struct ss_corr *corr, const struct ss_addr *a)
{
	if (a->family == 6)
		return ep_more(corr, a);
	uint64_t k = ep_key4(a);
	const struct ss_ptab *t = &corr->eptab;
	size_t mask = t->cap - 1;
	for (size_t i = ep_home(corr, k); t->s[i].v; i = (i + 1) & mask)
		if (t->s[i].h == k)
			return (uint32_t)(t->s[i].v - 1);
	return ep_more(corr, a);
}

const struct ss_addr *ss_corr_endpoint(const struct ss_corr *corr, uint32_t id)
{
	static const struct ss_addr none;	/* read-only */
	return id < corr->neps ? &corr->eps[id] : &none;
}

size_t ss_corr_endpoints(const struct ss_corr *corr)
{
	return corr->neps;
}

/* ---- call lookup ------------------------------------------------------ */

static bool call_eq(uintptr_t v, const void *key)
{
	const struct ss_call *c = (const struct ss_call *)v;
	const ss_str *s = key;
	/* RFC 3261 20.8: Call-IDs compare byte for byte. */
	return c->call_id_len == s->len && memcmp(c->call_id, s->p, s->len) == 0;
}

/* Call-IDs (and X-Call-IDs, looked up among them) hash with this. */
static uint64_t cid_hash(const char *p, size_t n)
{
	/* no finaliser: the last 128-bit product, its halves folded, already
	 * carries every input bit into the low bits the table places by */
	return ss_hash_more(ss_hash_seed(SS_HASH_SEED), p, n);
}

static struct ss_call *call_find_h(const struct ss_corr *corr, ss_str id, uint64_t h)
{
	struct ss_slot *s = ss_ptab_find(&corr->calls, h, call_eq, &id);
	return s ? (struct ss_call *)s->v : NULL;
}

void ss_corr_prefetch(const struct ss_corr *corr, const char *call_id, size_t len)
{
	const struct ss_ptab *t = &corr->calls;
	const struct ss_slot *s = &t->s[cid_hash(call_id, len) & (t->cap - 1)];
#if defined(__GNUC__)
	__builtin_prefetch(s);
#else
	(void)s;
#endif
}

static struct ss_call *call_find(const struct ss_corr *corr, ss_str id)
{
	return call_find_h(corr, id, cid_hash(id.p, id.len));
}

const struct ss_call *ss_corr_find(const struct ss_corr *corr, const char *call_id,
				   size_t len)
{
	return call_find(corr, ss_str_make(call_id, len));
}

static bool xid_eq(uintptr_t v, const void *key)
{
	const struct ss_call *c = (const struct ss_call *)v;
	const ss_str *s = key;
	return c->x_call_id && strlen(c->x_call_id) == s->len &&
	       memcmp(c->x_call_id, s->p, s->len) == 0;
}

static uint64_t pair_hash(const struct ss_call *c)
{
	/* call_strings() writes from_user, to_user and from_tag one after
	 * the other: their lengths need no strlen */
	size_t nf = (size_t)(c->to_user - c->from_user) - 1;
	size_t nt = (size_t)(c->from_tag - c->to_user) - 1;
	uint64_t h = ss_hash_more(ss_hash_seed(SS_HASH_SEED), c->from_user, nf);
	return ss_hash_more(h, c->to_user, nt);	/* no finaliser: cid_hash() */
}

static bool pair_eq(uintptr_t v, const void *key)
{
	const struct ss_call *a = (const struct ss_call *)v, *b = key;
	return strcmp(a->from_user, b->from_user) == 0 &&
	       strcmp(a->to_user, b->to_user) == 0;
}

/* ---- finished FIFO (the --limit eviction order) ----------------------- */

/* Kept only under --limit (nothing else reads it). */
static void fin_unlink(struct ss_corr *corr, struct ss_call *c)
{
	if (!c->in_fin_)
		return;
	struct ss_call_x *x = c->x_;
	if (x->fin_prev)
		x->fin_prev->x_->fin_next = x->fin_next;
	else
		corr->fin_head = x->fin_next;
	if (x->fin_next)
		x->fin_next->x_->fin_prev = x->fin_prev;
	else
		corr->fin_tail = x->fin_prev;
	x->fin_next = x->fin_prev = NULL;
	c->in_fin_ = false;
}

void ss_corr_state(struct ss_corr *corr, struct ss_call *c, enum ss_call_state s)
{
	/* the pair heuristic only looks for calls still in CALL_SETUP: drop
	 * the others from its table so it stays as small as the calls
	 * being set up */
	if (c->state == SS_CS_CALL_SETUP && s != SS_CS_CALL_SETUP &&
	    (corr->keep & SS_KEEP_LINKS) && c->method == SIP_M_INVITE &&
	    *c->from_user && *c->to_user)
		ss_ptab_del(&corr->pairs, pair_hash(c), (uintptr_t)c);
	corr->nheld[c->state]--;
	corr->nheld[s]++;
	c->state = s;
	if (!corr->limit)
		return;
	bool fin = ss_call_state_final(s);
	if (fin && !c->in_fin_) {
		ss_call_x(corr, c)->fin_prev = corr->fin_tail;
		if (corr->fin_tail)
			corr->fin_tail->x_->fin_next = c;
		else
			corr->fin_head = c;
		corr->fin_tail = c;
		c->in_fin_ = true;
	} else if (!fin) {
		fin_unlink(corr, c);
	}
}

/* ---- links (linking itself: links.c) ---------------------------------- */

/*
 * B2BUA legs (SPEC --legs): a call whose X-Call-ID / X-CID names another
 * call's Call-ID is linked to it, whichever is seen first. Heuristic for
 * B2BUAs that add no such header (used only when the call has no header
 * link): two INVITE calls with the same From user
 * and To user, the second starting within SS_LINK_PAIR_WINDOW_NS of the
 * first while the first is still in CALL_SETUP (the B leg is created while
 * the A leg rings). Number rewriting defeats it; a redial within 2 s of a
 * call still ringing would be linked wrongly, which is rare and harmless
 * (links only draw legs together).
 */
static void link_new_call(struct ss_corr *corr, struct ss_call *c, uint64_t h_id)
{
	if (!(corr->keep & SS_KEEP_LINKS))
		return;
	ss_str id = ss_str_make(c->call_id, c->call_id_len);
	if (c->x_call_id) {
		ss_str x = ss_str_make(c->x_call_id, strlen(c->x_call_id));
		uint64_t hx = cid_hash(x.p, x.len);
		struct ss_call *o = call_find_h(corr, x, hx);
		if (o)
			ss_link_calls(corr, c, o, SS_LINK_XCALLID);
		ss_ptab_set(&corr->xids, hx, xid_eq, &x, (uintptr_t)c);
	}
	struct ss_slot *s = corr->xids.n ? ss_ptab_find(&corr->xids, h_id, xid_eq, &id) : NULL;
	if (s)
		ss_link_calls(corr, c, (struct ss_call *)s->v, SS_LINK_XCALLID);
	if (c->method != SIP_M_INVITE || (c->flags & SS_CF_PARTIAL) ||
	    !*c->from_user || !*c->to_user)
		return;
	uint64_t h = pair_hash(c);
	s = ss_ptab_find(&corr->pairs, h, pair_eq, c);
	if (s && !c->nlinks) {	/* a header link is better evidence */
		struct ss_call *o = (struct ss_call *)s->v;
		if (o->state == SS_CS_CALL_SETUP && older_of(o) != c && older_of(c) != o &&
		    c->start_ts - o->start_ts <= SS_LINK_PAIR_WINDOW_NS)
			ss_link_calls(corr, c, o, SS_LINK_PAIR);
	}
	if (s) {	/* the newest call of the pair replaces the older */
		s->v = (uintptr_t)c;
		return;
	}
	if ((corr->pairs.n + 1) * 2 > corr->pairs.cap)
		ss_ptab_grow(&corr->pairs);
	ss_ptab_insert(&corr->pairs, h, (uintptr_t)c);
}

/* ---- creating a call -------------------------------------------------- */

/* The method of the dialog a message belongs to, when the initial request
 * was not captured: requests that only live inside an INVITE dialog
 * (RFC 3261 13-15, RFC 3262, RFC 3311) imply one. */
static enum sip_method dialog_method(const struct sip_msg *m, bool *partial)
{
	bool to_tag = m->to.tag.len > 0;
	*partial = !m->is_request || to_tag || m->method == SIP_M_ACK ||
		   m->method == SIP_M_CANCEL || m->method == SIP_M_BYE;
	enum sip_method x = m->is_request ? m->method : m->cseq_method;
	if (!*partial)
		return x;
	switch (x) {
	case SIP_M_ACK: case SIP_M_BYE: case SIP_M_CANCEL: case SIP_M_PRACK:
	case SIP_M_UPDATE: case SIP_M_INFO:
		return SIP_M_INVITE;
	default:
		return x;
	}
}

static char *put(char **w, ss_str s)
{
	char *r = *w;
	if (s.len)
		memcpy(r, s.p, s.len);
	r[s.len] = '\0';
	*w += s.len + 1;
	return r;
}

#define CALL_PARTS 8

/* The strings that name a call, from its first message (known: the
 * method's name when it has one); returns the bytes they take with
 * their NULs. */
static size_t call_parts(const struct sip_msg *m, const char *known,
			 ss_str parts[CALL_PARTS])
{
	ss_str mname = m->is_request ? m->method_str : m->cseq_method_str;
	parts[0] = m->call_id;
	parts[1] = m->from.uri;
	parts[2] = m->to.uri;
	parts[3] = m->from.user;
	parts[4] = m->to.user;
	parts[5] = m->from.tag;
	parts[6] = m->x_call_id;
	parts[7] = *known ? SS_STR_NULL : mname;
	size_t n = 0;
	for (size_t i = 0; i < CALL_PARTS; i++)
		n += parts[i].len + 1;
	return n;
}

/* Copy the identity of the call into the block allocated right
 * behind the struct (call_new): one malloc chunk for both saves a chunk
 * header and its rounding per call. */
static void call_strings(struct ss_call *c, const ss_str parts[CALL_PARTS],
			 const char *known)
{
	char *w = (char *)(c + 1);
	c->call_id = put(&w, parts[0]);
	c->call_id_len = (uint32_t)parts[0].len;
	c->from = put(&w, parts[1]);
	c->to = put(&w, parts[2]);
	c->from_user = put(&w, parts[3]);
	c->to_user = put(&w, parts[4]);
	c->from_tag = put(&w, parts[5]);
	c->x_call_id = parts[6].len ? put(&w, parts[6]) : NULL;
	c->method_name = *known ? known : put(&w, parts[7]);
}

static struct ss_call *call_new(struct ss_corr *corr, const struct ss_sip_event *ev)
{
	const struct sip_msg *m = ev->msg;
	uint32_t src = endpoint_id(corr, &ev->pi->src);
	uint32_t dst = endpoint_id(corr, &ev->pi->dst);
	bool partial;
	enum sip_method meth = dialog_method(m, &partial);
	ss_str parts[CALL_PARTS];
	const char *known = sip_method_name(meth);
	size_t n = (call_parts(m, known, parts) + 7) & ~(size_t)7;
	/* one block: the call, its strings, its first transactions */
	size_t size = sizeof(struct ss_call) + n + ss_txn_inline_size(meth);
	struct ss_call *c = ss_slab_alloc(&corr->slab, size);
	memset(c, 0, sizeof *c);	/* the strings and transactions are
					 * written before they are read */
	c->block_size_ = (uint32_t)size;
	c->id = ++corr->next_id;
	c->method = meth;
	if (partial)
		c->flags |= SS_CF_PARTIAL;
	call_strings(c, parts, known);
	ss_txn_inline(c, (char *)(c + 1) + n);
	c->transport = ev->transport;
	c->src_ep = src;
	c->dst_ep = dst;
	c->init_cseq = m->cseq;
	c->start_ts = c->end_ts = c->last_ts = ev->pi->ts_ns;
	c->invite_ts = partial ? -1 : ev->pi->ts_ns;
	c->answer_ts = -1;
	c->pdd_ms = c->setup_ms = c->duration_ms = -1;
	c->state = c->method == SIP_M_INVITE ? SS_CS_CALL_SETUP : SS_CS_PENDING;
	if (partial && c->method == SIP_M_INVITE && m->is_request)
		c->state = SS_CS_IN_CALL;	/* joined inside the dialog */
	corr->nheld[c->state]++;
	if (corr->limit)	/* only eviction unlinks */
		ss_call_x(corr, c)->prev = corr->tail;
	if (corr->tail)
		corr->tail->next = c;
	else
		corr->head = c;
	corr->tail = c;
	corr->ncalls++;
	return c;
}

/* Insert c as the newest call of its Call-ID (older: the one it follows). */
static void call_index(struct ss_corr *corr, struct ss_call *c, struct ss_call *older,
		       uint64_t h)
{
	ss_str id = ss_str_make(c->call_id, c->call_id_len);
	if (older) {
		ss_call_x(corr, older)->newer = c;
		ss_call_x(corr, c)->older = older;
		ss_link_calls(corr, c, older, SS_LINK_REDIRECT);
		ss_ptab_set(&corr->calls, h, call_eq, &id, (uintptr_t)c);
	} else {
		/* route() found none: no equal key to replace */
		if ((corr->calls.n + 1) * 2 > corr->calls.cap)
			ss_ptab_grow(&corr->calls);
		ss_ptab_insert(&corr->calls, h, (uintptr_t)c);
	}
	link_new_call(corr, c, h);
}

/* ---- eviction --------------------------------------------------------- */

static void call_evict(struct ss_corr *corr, struct ss_call *c)
{
	uint64_t h = cid_hash(c->call_id, c->call_id_len);
	struct ss_call *older = older_of(c), *newer = newer_of(c);
	if (newer) {
		newer->x_->older = older;
	} else {
		ss_ptab_del(&corr->calls, h, (uintptr_t)c);
		if (older)	/* the older one takes its Call-ID back */
			ss_ptab_insert(&corr->calls, h, (uintptr_t)older);
	}
	if (older)
		older->x_->newer = newer;
	if (c->x_call_id)
		ss_ptab_del(&corr->xids, cid_hash(c->x_call_id, strlen(c->x_call_id)),
			 (uintptr_t)c);
	if (c->method == SIP_M_INVITE)
		ss_ptab_del(&corr->pairs, pair_hash(c), (uintptr_t)c);
	ss_unlink_all(c);
	fin_unlink(corr, c);
	struct ss_call *prev = c->x_->prev;	/* --limit: all have x_ */
	if (prev)
		prev->next = c->next;
	else
		corr->head = c->next;
	if (c->next)
		c->next->x_->prev = prev;
	else
		corr->tail = prev;
	corr->ncalls--;
	corr->nheld[c->state]--;
	corr->st.evicted++;
	corr->st.calls[c->state]++;
	if (c->setup_ms >= 0) {		/* the summary still counts it */
		if (!corr->st.setup_n || c->setup_ms < corr->st.setup_min_ms)
			corr->st.setup_min_ms = c->setup_ms;
		if (!corr->st.setup_n || c->setup_ms > corr->st.setup_max_ms)
			corr->st.setup_max_ms = c->setup_ms;
		corr->st.setup_n++;
		corr->evicted_setup_sum += (double)c->setup_ms;
	}
	if (corr->on_evict)
		corr->on_evict(corr->evict_user, c);
	call_free(corr, c);
}

void ss_corr_keep(struct ss_corr *corr, unsigned what)
{
	corr->keep = what & SS_KEEP_ALL;
}

void ss_corr_on_evict(struct ss_corr *corr, ss_evict_cb cb, void *user)
{
	corr->on_evict = cb;
	corr->evict_user = user;
}

/* --limit: free the calls that finished longest ago, never keep the call
 * the current message went to (its pointer is returned). */
static void enforce_limit(struct ss_corr *corr, const struct ss_call *keep)
{
	while (corr->limit && corr->ncalls > corr->limit) {
		struct ss_call *v = corr->fin_head;
		if (v == keep)
			v = v->x_->fin_next;
		if (!v)
			return;
		call_evict(corr, v);
	}
}

/* ---- messages --------------------------------------------------------- */

static bool has_sdp(const struct sip_msg *m)
{
	ss_str sdp;
	if (!m->body.len)
		return false;
	/* the usual spelling answers at once; sdp_in_body() decides the
	 * others (case, multipart) */
	if (m->content_type.len >= 15 && memcmp(m->content_type.p, "application/sdp", 15) == 0)
		return true;
	return sdp_in_body(m->content_type, m->body, &sdp);
}

/* ---- compact records -------------------------------------------------- */

/* Call endpoints past SS_CALL_EPS_MAX get none: their records are wide
 * and their transactions share one number (0xffff). */
#define SS_CALL_EPS_MAX 4096

static uint16_t call_ep_more(struct ss_corr *corr, struct ss_call *c, uint32_t ep)
{
	struct ss_call_x *x = c->x_;
	if (x)
		for (uint32_t i = 0; i < x->neps; i++)
			if (x->eps[i] == ep)
				return (uint16_t)(i + 2);
	x = ss_call_x(corr, c);
	if (x->neps == SS_CALL_EPS_MAX)
		return 0xffff;
	if (x->neps == x->cap_eps) {
		uint32_t cap = x->cap_eps ? x->cap_eps * 2 : 2;
		x->eps = ss_slab_realloc(&corr->slab, x->eps, x->cap_eps * sizeof *x->eps,
					 cap * sizeof *x->eps);
		x->cap_eps = cap;
	}
	x->eps[x->neps++] = ep;
	return (uint16_t)(x->neps + 1);
}

uint16_t ss_call_ep(struct ss_corr *corr, struct ss_call *c, uint32_t ep)
{
	return ep == c->src_ep ? 0 : ep == c->dst_ep ? 1 : call_ep_more(corr, c, ep);
}

/* Records to start with: a completed or cancelled call has 7 messages, a
 * registration 4 (with its challenge), OPTIONS and the like 2. */
static uint32_t recs_first(const struct ss_call *c)
{
	return c->method == SIP_M_INVITE ? 7 : c->method == SIP_M_REGISTER ? 4 : 2;
}

static void record(struct ss_corr *corr, struct ss_call *c,
		   const struct ss_sip_event *ev, uint64_t index,
		   uint32_t src, uint32_t dst, uint16_t lsrc, uint16_t ldst,
		   uint8_t flags)
{
	const struct sip_msg *m = ev->msg;
	if (!(corr->keep & SS_KEEP_RECS))
		return;
	if (c->nrecs == SS_CALL_MAX_RECS) {
		c->flags |= SS_CF_RECS_CAPPED;
		return;
	}
	if (c->nrecs == c->cap_recs) {
		/* an INVITE call starts with 7 (recs_first), then 10, 13
		 * (challenged and retransmitting calls), 19, 28, ... */
		uint32_t n = c->cap_recs;
		n = !n ? recs_first(c) : n < 13 ? n + 3 : n + n / 2;
		n = n > SS_CALL_MAX_RECS ? SS_CALL_MAX_RECS : n;
		c->recs = ss_slab_realloc(&corr->slab, c->recs,
					  c->cap_recs * sizeof *c->recs, n * sizeof *c->recs);
		c->cap_recs = n;
	}
	struct ss_msg_rec *r = &c->recs[c->nrecs++];
	int64_t ts = ev->pi->ts_ns, off = ts - c->start_ts;
	uint64_t frame = ev->pi->frame, us = (uint64_t)off / 1000;
	bool wide = off < 0 || us * 1000 != (uint64_t)off || us > UINT32_MAX ||
		    lsrc == 0xffff || ldst == 0xffff || (index | frame) >> 40;
	r->index_lo = (uint32_t)index;
	r->ts_us = wide ? 0 : (uint32_t)us;
	r->frame_lo = (uint32_t)frame;
	r->src = lsrc;
	r->dst = ldst;
	r->code = (uint16_t)m->status;
	r->method = (uint8_t)(m->is_request ? m->method : m->cseq_method);
	r->flags = flags;
	r->index_hi = (uint8_t)(index >> 32);
	r->frame_hi = (uint8_t)(frame >> 32);
	r->source = ev->pi->source > UINT8_MAX ? UINT8_MAX : (uint8_t)ev->pi->source;
	r->wide_ = wide;
	if (wide) {
		struct ss_call_x *x = ss_call_x(corr, c);
		if (x->nwide == x->cap_wide) {
			uint32_t cap = x->cap_wide ? x->cap_wide * 2 : 4;
			x->wide = ss_slab_realloc(&corr->slab, x->wide,
						  x->cap_wide * sizeof *x->wide,
						  cap * sizeof *x->wide);
			x->cap_wide = cap;
		}
		x->wide[x->nwide++] = (struct ss_rec_wide){ c->nrecs - 1, src, dst, ts,
							     index, frame };
	}
}

/* Which call of this Call-ID the message belongs to: a new INVITE after a
 * 3xx starts a follow-up call; late messages of the earlier attempt (lower
 * CSeq) still go to it. */
static struct ss_call *route(struct ss_corr *corr, const struct ss_sip_event *ev)
{
	const struct sip_msg *m = ev->msg;
	uint64_t h = cid_hash(m->call_id.p, m->call_id.len);
	struct ss_call *c = call_find_h(corr, m->call_id, h);
	if (!c) {
		c = call_new(corr, ev);
		call_index(corr, c, NULL, h);
		return c;
	}
	/* only an initial INVITE can start a follow-up: the rest skip the
	 * call */
	if (m->method == SIP_M_INVITE && m->is_request && ss_call_is_followup(c, m)) {
		struct ss_call *n = call_new(corr, ev);
		call_index(corr, n, c, h);
		return n;
	}
	while (m->cseq_present && older_of(c) && m->cseq < c->init_cseq)
		c = older_of(c);
	return c;
}

/* Endpoint id (ss_addr) is an IPv4 address equal to a: then it is the id
 * endpoint_id(a) would return. */
static inline bool ep_is(const struct ss_corr *corr, uint32_t id, const struct ss_addr *a)
{
	const struct ss_addr *e = &corr->eps[id];
	uint32_t x, y;
	memcpy(&x, e->ip, 4);
	memcpy(&y, a->ip, 4);
	return a->family == 4 && e->family == 4 && e->port == a->port && x == y;
}

/* The endpoint id of a and (*local) its call endpoint number in c: a
 * message nearly always goes between the call's first two endpoints,
 * which answer without a table lookup. */
static inline uint32_t msg_ep(struct ss_corr *corr, struct ss_call *c,
			      const struct ss_addr *a, uint16_t *local)
{
	if (ep_is(corr, c->src_ep, a)) {
		*local = 0;
		return c->src_ep;
	}
	if (ep_is(corr, c->dst_ep, a)) {
		*local = 1;
		return c->dst_ep;
	}
	uint32_t id = endpoint_id(corr, a);
	*local = ss_call_ep(corr, c, id);
	return id;
}

struct ss_call *ss_corr_add(struct ss_corr *corr, const struct ss_sip_event *ev,
			    uint64_t msg_index)
{
	const struct sip_msg *m = ev->msg;
	corr->st.messages++;
	if (!m->call_id.len) {
		/* Counted aside: without a Call-ID there is no dialog to put
		 * it in (RFC 3261 8.1.1.4 makes the header mandatory). */
		corr->st.no_call_id++;
		return NULL;
	}
	struct ss_call *c = route(corr, ev);
	uint16_t lsrc, ldst;
	uint32_t src = msg_ep(corr, c, &ev->pi->src, &lsrc);
	uint32_t dst = msg_ep(corr, c, &ev->pi->dst, &ldst);
	uint8_t fl = ss_txn_account(corr, c, m, src, dst, lsrc, ev->pi->l4 == SS_L4_UDP);
	bool retrans = fl & SS_MF_RETRANS, copy = fl & SS_MF_COPY;
	bool resent = fl & SS_MF_RESENT;
	fl |= (uint8_t)((m->is_request ? SS_MF_REQUEST : 0) |
			(has_sdp(m) ? SS_MF_SDP : 0) |
			(m->malformed ? SS_MF_MALFORMED : 0) |
			(m->is_request && m->to.tag.len ? SS_MF_IN_DIALOG : 0));
	record(corr, c, ev, msg_index, src, dst, lsrc, ldst, fl);
	c->msgs++;
	c->retrans += retrans;
	c->copies += copy;
	c->resent += resent;
	corr->st.retrans += retrans;
	corr->st.copies += copy;
	corr->st.resent += resent;
	if (m->method == SIP_M_REGISTER || (!m->is_request && m->cseq_method == SIP_M_REGISTER))
		ss_regs_add(corr->regs, ev, retrans || copy);
	if (!retrans && !copy) {
		c->last_ts = ev->pi->ts_ns;
		ss_call_apply(corr, c, m, ev->pi->ts_ns);
	}
	enforce_limit(corr, c);
	return c;
}

/* ---- accessors -------------------------------------------------------- */

const struct ss_call *ss_corr_first(const struct ss_corr *corr)
{
	return corr->head;
}

size_t ss_corr_count(const struct ss_corr *corr)
{
	return corr->ncalls;
}

uint64_t ss_corr_evicted(const struct ss_corr *corr)
{
	return corr->st.evicted;
}

const struct ss_regs *ss_corr_regs(const struct ss_corr *corr)
{
	return corr->regs;
}

void ss_corr_setup(struct ss_corr *corr, struct ss_call *c, int64_t ms)
{
	if (c->setup_ms >= 0)
		corr->setup_redo = true;
	c->setup_ms = ms;
	if (ms < 0)
		return;
	if (!corr->setup_n || ms < corr->setup_min)
		corr->setup_min = ms;
	if (!corr->setup_n || ms > corr->setup_max)
		corr->setup_max = ms;
	corr->setup_sum += ms;
	corr->setup_n++;
}

void ss_corr_expire(struct ss_corr *corr, int64_t now_ns)
{
	/* at the end of a capture, usually every call has finished */
	if (!corr->nheld[SS_CS_CALL_SETUP] && !corr->nheld[SS_CS_PENDING])
		return;
	for (struct ss_call *c = corr->head; c; c = c->next) {
		if (c->state != SS_CS_CALL_SETUP && c->state != SS_CS_PENDING)
			continue;
		if (now_ns - c->last_ts < SS_TIMER_B_NS)
			continue;
		c->flags |= SS_CF_TIMEOUT;
		c->end_ts = c->last_ts;
		ss_corr_state(corr, c, c->method == SIP_M_INVITE &&
			      (c->flags & SS_CF_CANCEL) ? SS_CS_CANCELLED
							: SS_CS_FAILED);
	}
}

/* The setup times by walking the held calls: after a call's setup time
 * changed (ss_corr_setup). */
static void summary_walk(const struct ss_corr *corr, struct ss_corr_summary *out)
{
	if (!out->setup_n)
		out->setup_min_ms = out->setup_max_ms = -1;
	double sum = corr->evicted_setup_sum;
	for (const struct ss_call *c = corr->head; c; c = c->next) {
		if (c->setup_ms < 0)
			continue;
		if (!out->setup_n || c->setup_ms < out->setup_min_ms)
			out->setup_min_ms = c->setup_ms;
		if (c->setup_ms > out->setup_max_ms)
			out->setup_max_ms = c->setup_ms;
		sum += (double)c->setup_ms;
		out->setup_n++;
	}
	out->setup_avg_ms = out->setup_n ? sum / (double)out->setup_n : -1.0;
}

void ss_corr_summary(const struct ss_corr *corr, struct ss_corr_summary *out)
{
	*out = corr->st;	/* messages, evicted and the evicted calls */
	for (int s = 0; s < SS_CS__COUNT; s++)
		out->calls[s] += corr->nheld[s];
	out->calls_total = corr->ncalls + corr->st.evicted;
	if (corr->setup_redo) {
		summary_walk(corr, out);
		return;
	}
	/* integral milliseconds: the double sum is exact in any order */
	out->setup_n = corr->setup_n;
	out->setup_min_ms = corr->setup_n ? corr->setup_min : -1;
	out->setup_max_ms = corr->setup_n ? corr->setup_max : -1;
	out->setup_avg_ms = corr->setup_n ? (double)corr->setup_sum / (double)corr->setup_n
					  : -1.0;
}
