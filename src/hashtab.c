/*
 * hashtab.c - the hashing, the open-addressing table and the block
 * allocator the correlation context uses for calls, endpoints, interned
 * strings and registrations (declared in dialog.h, internal section).
 *
 * Open addressing with linear probing over (hash, value) slots, grown at
 * half load, with backward-shift deletion (no tombstones, so eviction
 * under --limit never degrades probing). Why not chaining: one contiguous
 * array, no node allocation per call, and the stored 64-bit hash means a
 * probe touches the call only on a real match.
 */
#include "dialog.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SS_SLAB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SS_SLAB_ASAN 1
#endif
#if defined(SS_SLAB_ASAN)
#include <sanitizer/asan_interface.h>
#define slab_poison(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define slab_unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define slab_poison(p, n) ((void)(p), (void)(n))
#define slab_unpoison(p, n) ((void)(p), (void)(n))
#endif

/* ---- hashing ---------------------------------------------------------- */

uint64_t ss_hmix(uint64_t h)
{
	return ss_hash_final(h);
}

uint64_t ss_hash_str(const char *p, size_t n)
{
	return ss_hash_fast(SS_HASH_SEED, p, n);
}

/* ---- open addressing table -------------------------------------------- */


void ss_ptab_init(struct ss_ptab *t)
{
	t->cap = 64;
	t->n = 0;
	t->s = xcalloc(t->cap, sizeof *t->s);
}

void ss_ptab_insert(struct ss_ptab *t, uint64_t h, uintptr_t v)
{
	size_t mask = t->cap - 1, i = h & mask;
	while (t->s[i].v)
		i = (i + 1) & mask;
	t->s[i].h = h;
	t->s[i].v = v;
	t->n++;
}

void ss_ptab_grow(struct ss_ptab *t)
{
	struct ss_slot *old = t->s;
	size_t ocap = t->cap;
	t->cap *= 2;
	t->s = xcalloc(t->cap, sizeof *t->s);
	t->n = 0;
	for (size_t i = 0; i < ocap; i++)
		if (old[i].v)
			ss_ptab_insert(t, old[i].h, old[i].v);
	free(old);
}

/* Map key (hash h) to v, replacing the value of an equal key. */
void ss_ptab_set(struct ss_ptab *t, uint64_t h, ss_ptab_eq eq, const void *key,
		     uintptr_t v)
{
	struct ss_slot *s = ss_ptab_find(t, h, eq, key);
	if (s) {
		s->v = v;
		return;
	}
	if ((t->n + 1) * 2 > t->cap)
		ss_ptab_grow(t);
	ss_ptab_insert(t, h, v);
}

/* Remove the slot holding exactly (h, v), if any: backward-shift deletion
 * keeps every other key reachable from its home slot. */
void ss_ptab_del(struct ss_ptab *t, uint64_t h, uintptr_t v)
{
	size_t mask = t->cap - 1, i = h & mask;
	while (t->s[i].v && !(t->s[i].h == h && t->s[i].v == v))
		i = (i + 1) & mask;
	if (!t->s[i].v)
		return;
	t->n--;
	for (size_t j = i;;) {
		t->s[i].v = 0;
		for (;;) {
			j = (j + 1) & mask;
			if (!t->s[j].v)
				return;
			size_t k = t->s[j].h & mask;
			bool stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
			if (!stays)
				break;
		}
		t->s[i] = t->s[j];
		i = j;
	}
}


/* ---- block allocator --------------------------------------------------- */

/*
 * Why not malloc: a call is 3-6 small blocks (the call with its strings,
 * message records, a fork, transactions) that live until the end or until
 * --limit evicts the call. malloc spends ~150-250 instructions on each
 * allocation and free, adds an 8-byte header and 16-byte rounding to each
 * block, and at the end frees them one by one; here a block costs a free
 * list pop or a pointer bump, has no header (the caller says the size
 * again when it frees), and the end is one free per region. Regions grow
 * from 64 KB to 2 MB. Not asked to be huge pages (MADV_HUGEPAGE): on a
 * 100k-call capture that cut page faults from 32k to 12k but not the
 * system time, which went from a steady 0.12 s to anywhere in 0.04-0.22 s
 * (the kernel zeroes, and at times compacts, 2 MB at each fault).
 *
 * Freed blocks go to the free list of their 8-byte size class. A request
 * takes a block of its class, else splits the smallest larger free block
 * (the rest goes back to its own class), else carves the region. Blocks
 * are never merged again; but every free byte serves the next request
 * that fits, so memory stays near the live total under --limit too, and
 * the arrays a long dialog outgrows (transaction rings, records) are
 * reused by the calls that follow.
 */
#define SLAB_REGION_MAX (2u << 20)
#define SLAB_REGION_MIN (64u << 10)

void ss_slab_init(struct ss_slab *s)
{
	memset(s, 0, sizeof *s);
}

/* Blocks are multiples of 8 bytes (a free one holds the list link);
 * sizes past the classes go to malloc, rounded the same way. */
static size_t slab_round(size_t n)
{
	return !n ? 8 : n > SIZE_MAX - 7 ? n : (n + 7) & ~(size_t)7;
}

static unsigned ctz64(uint64_t m)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(m);
#else
	unsigned n = 0;
	while (!(m & 1)) {
		m >>= 1;
		n++;
	}
	return n;
#endif
}

/* Class k (1 ..): blocks of 8k bytes. */
static void push(struct ss_slab *s, void *p, size_t k)
{
	*(void **)p = s->free[k - 1];
	s->free[k - 1] = p;
	s->nonempty[(k - 1) >> 6] |= UINT64_C(1) << ((k - 1) & 63);
	slab_poison(p, k * 8);
}

static void *pop(struct ss_slab *s, size_t k)
{
	void **b = s->free[k - 1];
	slab_unpoison(b, k * 8);
	s->free[k - 1] = *b;
	if (!*b)
		s->nonempty[(k - 1) >> 6] &= ~(UINT64_C(1) << ((k - 1) & 63));
	return b;
}

/* The smallest class >= k with a free block; 0 when there is none. */
static size_t first_free(const struct ss_slab *s, size_t k)
{
	size_t w = (k - 1) >> 6;
	uint64_t m = s->nonempty[w] & (~UINT64_C(0) << ((k - 1) & 63));
	for (;;) {
		if (m)
			return w * 64 + ctz64(m) + 1;
		if (++w == sizeof s->nonempty / sizeof s->nonempty[0])
			return 0;
		m = s->nonempty[w];
	}
}

static void slab_region(struct ss_slab *s)
{
	size_t size = s->nregions < 5 ? SLAB_REGION_MIN << s->nregions : SLAB_REGION_MAX;
	char *r = xmalloc(size);
	if (s->nregions == s->cap_regions) {
		s->cap_regions = s->cap_regions ? s->cap_regions * 2 : 16;
		s->regions = xreallocarray(s->regions, s->cap_regions, sizeof *s->regions);
	}
	s->regions[s->nregions++] = r;
	s->cur = r;
	s->end = r + size;
	slab_poison(r, size);
}

/* A block past the classes: from malloc, with a header that links it
 * into the list release() frees. */
struct slab_big {
	struct slab_big *prev, *next;
};

static void *big_alloc(struct ss_slab *s, size_t n)
{
	if (n > SIZE_MAX - sizeof(struct slab_big) - 8)
		n = SIZE_MAX;	/* xmalloc fails loudly */
	else
		n = slab_round(n) + sizeof(struct slab_big);
	struct slab_big *b = xmalloc(n);
	b->prev = NULL;
	b->next = s->big;
	if (s->big)
		s->big->prev = b;
	s->big = b;
	return b + 1;
}

static void big_free(struct ss_slab *s, void *p)
{
	struct slab_big *b = (struct slab_big *)p - 1;
	if (b->prev)
		b->prev->next = b->next;
	else
		s->big = b->next;
	if (b->next)
		b->next->prev = b->prev;
	free(b);
}

void *ss_slab_alloc(struct ss_slab *s, size_t n)
{
	if (n > SS_SLAB_CLASSES * 8)
		return big_alloc(s, n);
	size_t k = slab_round(n) >> 3, j = first_free(s, k);
	if (j) {
		char *b = pop(s, j);
		if (j > k)
			push(s, b + k * 8, j - k);
		return b;
	}
	if ((size_t)(s->end - s->cur) < k * 8) {
		size_t left = (size_t)(s->end - s->cur) >> 3;
		if (left) {
			slab_unpoison(s->cur, left * 8);
			push(s, s->cur, left);
		}
		slab_region(s);
	}
	void *b = s->cur;
	s->cur += k * 8;
	slab_unpoison(b, k * 8);
	return b;
}

void *ss_slab_zalloc(struct ss_slab *s, size_t n)
{
	void *b = ss_slab_alloc(s, n);
	memset(b, 0, n);
	return b;
}

void ss_slab_free(struct ss_slab *s, void *p, size_t n)
{
	if (!p)
		return;
	size_t k = slab_round(n) >> 3;
	if (n > SS_SLAB_CLASSES * 8) {
		big_free(s, p);
		return;
	}
	push(s, p, k);
}

void *ss_slab_realloc(struct ss_slab *s, void *p, size_t old, size_t n)
{
	if (p && slab_round(old) == slab_round(n))
		return p;
	void *q = ss_slab_alloc(s, n);
	if (p) {
		memcpy(q, p, old < n ? old : n);
		ss_slab_free(s, p, old);
	}
	return q;
}

void ss_slab_release(struct ss_slab *s)
{
	for (size_t i = 0; i < s->nregions; i++)
		free(s->regions[i]);
	for (struct slab_big *b = s->big, *n; b; b = n) {
		n = b->next;
		free(b);
	}
	free(s->regions);
	memset(s, 0, sizeof *s);
}
