/* spool.c - see spool.h. A FIFO of heap entries with a running byte
 * count; entries are few enough (one per message) that a ring of
 * pointers growing by doubling is all the structure needed. */
#include "spool.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct entry {
	uint64_t index;
	struct ss_pktinfo pi;
	const char *transport;	/* static string from the pipeline */
	const char *malformed;	/* static reason, or NULL */
	size_t trailing;
	size_t text_len, frame_len;
	unsigned char data[];	/* text, then frame */
};

struct ss_spool {
	struct entry **ring;
	size_t cap, head, n;	/* ring capacity, oldest slot, entries */
	size_t bytes, cap_bytes;
	bool keep_frames;
	uint64_t evicted;
};

struct ss_spool *ss_spool_new(size_t cap_bytes, bool keep_frames)
{
	struct ss_spool *s = xcalloc(1, sizeof *s);
	s->cap_bytes = cap_bytes;
	s->keep_frames = keep_frames;
	return s;
}

static size_t entry_size(const struct entry *e)
{
	return sizeof *e + e->text_len + e->frame_len + sizeof(void *);
}

static void drop_oldest(struct ss_spool *s)
{
	struct entry *e = s->ring[s->head];
	s->bytes -= entry_size(e);
	free(e);
	s->head = (s->head + 1) % s->cap;
	s->n--;
	s->evicted++;
}

void ss_spool_free(struct ss_spool *s)
{
	if (!s)
		return;
	while (s->n)
		drop_oldest(s);
	free(s->ring);
	free(s);
}

static void push(struct ss_spool *s, struct entry *e)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 1024;
		struct entry **r = xcalloc(ncap, sizeof *r);
		for (size_t i = 0; i < s->n; i++)
			r[i] = s->ring[(s->head + i) % s->cap];
		free(s->ring);
		s->ring = r;
		s->cap = ncap;
		s->head = 0;
	}
	s->ring[(s->head + s->n) % s->cap] = e;
	s->n++;
	s->bytes += entry_size(e);
	while (s->bytes > s->cap_bytes && s->n > 1)
		drop_oldest(s);
}

void ss_spool_add(struct ss_spool *s, uint64_t index, const struct ss_sip_event *ev)
{
	ss_str t = ss_sip_text(ev->msg);
	size_t flen = s->keep_frames && ev->pi->frame_data ? ev->pi->frame_caplen : 0;
	struct entry *e = xmalloc(sizeof *e + t.len + flen);
	e->index = index;
	e->pi = *ev->pi;
	e->pi.frame_data = NULL;
	e->transport = ev->transport;
	e->malformed = ev->msg->malformed;
	e->trailing = ev->trailing;
	e->text_len = t.len;
	e->frame_len = flen;
	if (t.len)
		memcpy(e->data, t.p, t.len);
	if (flen)
		memcpy(e->data + t.len, ev->pi->frame_data, flen);
	push(s, e);
}

/* Parse the copy again; the flag the first parse gave wins, because the
 * copy lacks what followed the message in its datagram. */
static void reparse(const struct entry *e, struct sip_msg *m, struct sip_header *h,
		    size_t cap)
{
	const char *p = (const char *)e->data;
	long rc = sip_parse(p, e->text_len, SIP_FRAME_DATAGRAM, m, h, cap);
	if (rc <= 0) {
		memset(m, 0, sizeof *m);
		m->head = ss_str_make(p, e->text_len);
		m->size = e->text_len;
		m->expires = m->content_length = -1;
		m->max_forwards = -1;
	}
	m->malformed = e->malformed;
}

uint64_t ss_spool_replay(struct ss_spool *s, uint64_t first_index, uint64_t last_index,
			 ss_spool_want want, ss_spool_cb cb, void *user)
{
	static const size_t cap = 4096;
	struct sip_header *h = xcalloc(cap, sizeof *h);
	uint64_t oldest = s->n ? s->ring[s->head]->index : last_index + 1;
	uint64_t lost = 0;
	for (uint64_t i = first_index; i < oldest && i <= last_index; i++)
		lost += want(user, i);
	for (size_t k = 0; k < s->n; k++) {
		const struct entry *e = s->ring[(s->head + k) % s->cap];
		if (!want(user, e->index))
			continue;
		struct sip_msg m;
		reparse(e, &m, h, cap);
		struct ss_sip_event ev = { .pi = &e->pi, .transport = e->transport,
					   .msg = &m, .trailing = e->trailing };
		cb(user, e->index, &ev, e->frame_len ? e->data + e->text_len : NULL,
		   e->frame_len, e->pi.dlt);
	}
	free(h);
	return lost;
}

uint64_t ss_spool_evicted(const struct ss_spool *s)
{
	return s->evicted;
}
