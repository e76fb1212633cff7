/*
 * ipfrag.h - IPv4 (RFC 791 section 3.2) and IPv6 (RFC 8200 section 4.5)
 * fragment reassembly with bounded memory.
 *
 * A table holds partial datagrams keyed by (family, source, destination,
 * identification, protocol). It knows nothing of frames or callbacks: the
 * IP dissector offers it fragment payloads and gets back a whole datagram
 * payload when the last hole is filled. Time is capture time, never the
 * wall clock, so reading the same file twice gives the same result.
 *
 * Overlap policy (the evasion problem of RFC 1858 and Ptacek/Newsham):
 *  - A fragment whose bytes are all present already and identical is a
 *    duplicate and is ignored; the datagram survives (RFC 8200 section 4.5
 *    allows this for IPv6, and IPv4 has no reason to be stricter).
 *  - IPv6: any other overlap discards the whole datagram (RFC 5722
 *    section 4, as amended by erratum 3089).
 *  - IPv4: an overlap whose shared bytes are identical is accepted (routers
 *    may refragment, RFC 791); one whose bytes differ discards the whole
 *    datagram, so we never show a payload the receiver may not have seen.
 *  - Two "last" fragments with different ends, or data past the end that
 *    a last fragment announced, count as a conflict too.
 * Every discard for a conflict counts ip_frag_overlaps.
 */
#ifndef SS_IPFRAG_H
#define SS_IPFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define SS_FRAG_DEFAULT_CAP ((size_t)8 << 20)	/* 8 MiB */
#define SS_FRAG_TIMEOUT_NS ((int64_t)30 * 1000000000)	/* RFC 791: 15 s min */
#define SS_FRAG_MAX_DATAGRAM 65535u

struct ss_frag_key {
	uint8_t family;		/* 4 or 6 */
	uint8_t proto;		/* IPv4 protocol / IPv6 fragment next header */
	uint32_t id;		/* 16 bits for IPv4, 32 for IPv6 */
	uint8_t src[16], dst[16];	/* IPv4 in the first 4 bytes, rest 0 */
};

/* Create an empty table that never holds more than mem_cap bytes of
 * fragment data and bookkeeping (0 means SS_FRAG_DEFAULT_CAP). The caller
 * owns the table and releases it with ss_frag_free. Never returns NULL
 * (allocation failure is fatal, see xalloc.h). */
struct ss_frag_table *ss_frag_new(size_t mem_cap);

/* Free the table and every partial datagram still in it. NULL is a no-op. */
void ss_frag_free(struct ss_frag_table *t);

/* Offer one fragment: data[0..len) sits at byte offset 'offset' of the
 * datagram payload, and 'more' is the MF / M flag. The bytes are copied;
 * data need only live during the call. now_ns is the capture time, used to
 * expire datagrams older than SS_FRAG_TIMEOUT_NS (checked lazily, on every
 * call, oldest first).
 *
 * Counts into st: ip_fragments for each call, malformed for a rejected
 * fragment (empty, a non-last one whose length is not a multiple of 8, or
 * one reaching past 65535 bytes), ip_frag_overlaps, ip_frag_timeouts,
 * ip_frag_dropped (evicted to stay under the cap) and ip_reassembled.
 *
 * Returns NULL while the datagram is incomplete or was discarded. When this
 * fragment completes it, returns the whole payload (*out_len bytes) and
 * removes the datagram from the table: the buffer then belongs to the
 * caller, who must free() it. */
uint8_t *ss_frag_add(struct ss_frag_table *t, struct ss_decode_stats *st,
		     int64_t now_ns, const struct ss_frag_key *k,
		     uint32_t offset, bool more, const uint8_t *data,
		     size_t len, size_t *out_len);

/* Partial datagrams held and bytes accounted against the cap (for tests
 * and -v statistics). */
size_t ss_frag_pending(const struct ss_frag_table *t);
size_t ss_frag_mem_used(const struct ss_frag_table *t);

#endif
