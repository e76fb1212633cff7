/*
 * hashtab.c - the hashing and the open-addressing table the correlation
 * context uses for calls, endpoints, interned strings and registrations
 * (declared in dialog.h, internal section).
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

/* ---- hashing ---------------------------------------------------------- */

/* FNV-1a, then a murmur3 finaliser so the low bits (the table index) mix
 * every input byte. Not for adversarial input sets; probing stays linear
 * and bounded by the half load either way. */
uint64_t ss_hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

uint64_t ss_hmix(uint64_t h)
{
	return ss_hash_final(h);
}

uint64_t ss_hash_str(const char *p, size_t n)
{
	return ss_hmix(ss_hash_bytes(SS_HASH_SEED, p, n));
}

/* ---- open addressing table -------------------------------------------- */


void ss_ptab_init(struct ss_ptab *t)
{
	t->cap = 64;
	t->n = 0;
	t->s = xcalloc(t->cap, sizeof *t->s);
}

struct ss_slot *ss_ptab_find(const struct ss_ptab *t, uint64_t h, ss_ptab_eq eq,
			      const void *key)
{
	size_t mask = t->cap - 1;
	for (size_t i = h & mask; t->s[i].v; i = (i + 1) & mask)
		if (t->s[i].h == h && eq(t->s[i].v, key))
			return &t->s[i];
	return NULL;
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

