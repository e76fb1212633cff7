/*
 * links.c - linked legs (struct ss_link, dialog.h): both calls of a pair
 * list each other. Which calls are linked is decided in dialog.c
 * (link_new_call, call_index).
 */
#include "dialog.h"

static bool linked(const struct ss_call *a, const struct ss_call *b)
{
	for (unsigned i = 0; i < a->nlinks; i++)
		if (a->links[i].call == b)
			return true;
	return false;
}

static void link_one(struct ss_corr *corr, struct ss_call *a, struct ss_call *b,
		     uint8_t kind)
{
	if (a->nlinks == a->cap_links) {
		if (a->cap_links >= 128)
			return;		/* a leg with 128 partners is noise */
		uint8_t cap = a->cap_links ? (uint8_t)(a->cap_links * 2) : 1;
		a->links = ss_slab_realloc(ss_corr_slab(corr), a->links,
					   a->cap_links * sizeof *a->links,
					   cap * sizeof *a->links);
		a->cap_links = cap;
	}
	a->links[a->nlinks].call = b;
	a->links[a->nlinks++].kind = kind;
}

void ss_link_calls(struct ss_corr *corr, struct ss_call *a, struct ss_call *b,
		   uint8_t kind)
{
	if (a == b || linked(a, b))
		return;
	link_one(corr, a, b, kind);
	link_one(corr, b, a, kind);
}

void ss_unlink_all(struct ss_call *c)
{
	for (unsigned i = 0; i < c->nlinks; i++) {
		struct ss_call *o = c->links[i].call;
		for (unsigned j = 0; j < o->nlinks; j++) {
			if (o->links[j].call == c) {
				o->links[j] = o->links[--o->nlinks];
				break;
			}
		}
	}
	c->nlinks = 0;
}
