/*
 * tcp.h - TCP stream reassembly (RFC 9293) with bounded memory.
 *
 * The reassembler turns the segments of each direction of each connection
 * into the byte stream the receiving application read, and hands that
 * stream to one consumer callback. It knows nothing of what the bytes mean:
 * the consumer says how many bytes it used (whole messages), and the rest
 * stays buffered until the next segment of that direction arrives.
 *
 * A direction ("flow") is keyed by (family, source address and port,
 * destination address and port); the two directions of a connection are
 * independent flows, except that a RST ends both.
 *
 * What the stream looks like to the consumer:
 *  - every byte at most once, in sequence order: retransmissions and
 *    overlaps are trimmed (first copy wins) and counted;
 *  - sequence numbers compare modulo 2^32 (RFC 9293 section 3.4);
 *  - a segment ahead of a hole is held (out of order) until the hole
 *    fills; when the hole cannot fill (too much held, the flow idle, its
 *    end, a jump too far ahead) the hole is declared lost, counted, and the
 *    data after it is delivered with after_gap set;
 *  - a flow first seen without its SYN starts at the first segment seen,
 *    with after_gap set too: the consumer does not know where it is.
 *
 * Time is capture time (pi->ts_ns), never the wall clock. Expiry is lazy:
 * each segment first expires the flows idle for longer than idle_ns.
 *
 * Memory: each flow costs its struct (sizeof(struct ss_tcp_flow), about
 * 160 bytes on LP64) plus one hash-bucket pointer, plus its buffers. The
 * in-order buffer exists only while the consumer leaves bytes unconsumed
 * (the common case, a segment holding whole messages, is delivered in
 * place without copying); it doubles from 2 KiB as needed and is freed as
 * soon as it is empty. Each out-of-order segment costs its bytes plus a
 * 16-byte header. A flow never holds more than flow_cap bytes (in-order
 * plus out-of-order), and the whole table never more than mem_cap bytes of
 * structs and buffers: past that the oldest flows are evicted (flushed to
 * the consumer first), and a flow that alone is too big has bytes dropped
 * and declared lost. Every such drop is counted, never silent.
 */
#ifndef SS_TCP_H
#define SS_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

#define SS_TCP_DEFAULT_MAX_FLOWS 65536
#define SS_TCP_DEFAULT_FLOW_CAP ((size_t)2 << 20)	/* 2 MiB */
#define SS_TCP_DEFAULT_MEM_CAP ((size_t)64 << 20)	/* 64 MiB */
#define SS_TCP_DEFAULT_MAX_OOO 256	/* segments held per flow */
/* A connection silent for this long is forgotten; SIP over TCP sends
 * keep-alives far more often (RFC 5626 section 4.4.1 suggests ~2 min
 * for CRLF keep-alives, but a hole or a half message never waits that
 * long in practice). */
#define SS_TCP_DEFAULT_IDLE_NS ((int64_t)120 * 1000000000)

struct ss_tcp_limits {
	size_t max_flows;	/* flows tracked at once */
	size_t flow_cap;	/* bytes held per flow (in order + out of order) */
	size_t mem_cap;		/* structs and buffers of all flows */
	size_t max_ooo;		/* out-of-order segments held per flow */
	int64_t idle_ns;	/* capture-time idle timeout */
};

struct ss_tcp_stats {
	uint64_t segments;	/* segments offered, empty ones included */
	uint64_t bytes;		/* payload bytes offered */
	uint64_t delivered;	/* bytes delivered in order to the consumer */
	uint64_t flows;		/* flows created */
	uint64_t midstream;	/* flows first seen without a SYN */
	uint64_t out_of_order;	/* segments that arrived ahead of a hole */
	uint64_t retrans_bytes;	/* bytes seen before (retransmission or
				 * overlap), trimmed so none is delivered
				 * twice */
	uint64_t gaps;		/* holes declared lost */
	uint64_t lost_bytes;	/* bytes in those holes (as far as known) */
	uint64_t resets;	/* RST segments that ended a connection */
	uint64_t flows_evicted;	/* ended early: flow table or memory full */
	uint64_t flows_timed_out;	/* ended by the idle timeout */
	/* (both count open flows only: a closed or declined one that goes
	 * loses nothing) */
	uint64_t cap_dropped;	/* bytes discarded at the per-flow or
				 * memory cap */
	uint64_t abandoned_bytes;	/* bytes the consumer still held
					 * when their flow ended or jumped */
	uint64_t ignored_flows;	/* flows the consumer declined */
};

/*
 * What the consumer sees of one flow. buf[0..len) are the in-order bytes
 * not consumed yet; they belong to the reassembler and stay valid only
 * during the call.
 *  after_gap  in/out. True when bytes before buf were lost or the flow was
 *             joined mid-stream, so buf[0] need not start a message. It
 *             stays true on every call until the consumer clears it (it
 *             found a message boundary); the consumer may also set it when
 *             it loses framing by itself.
 *  final      in. Nothing more will follow these bytes (FIN, RST, timeout,
 *             eviction, a gap, a cap, or ss_tcp_finish): whatever the
 *             consumer leaves is discarded (counted as abandoned_bytes).
 *  ignore     out. Set to decline the flow for good (not the consumer's
 *             protocol): its bytes are then counted and dropped at once,
 *             never buffered.
 *  state      in/out. A word the consumer keeps per flow; 0 on a new flow.
 */
struct ss_tcp_chunk {
	const uint8_t *buf;
	size_t len;
	bool after_gap;
	bool final;
	bool ignore;
	uint64_t *state;
};

/* Return how many bytes of c->buf were consumed (0..c->len). pi is the
 * segment that made the bytes available (for a flow ended by a timeout,
 * an eviction or ss_tcp_finish: a copy describing its last segment, with
 * no frame data). The callback must not call back into the reassembler. */
typedef size_t (*ss_tcp_consume_cb)(void *user, const struct ss_pktinfo *pi,
				    struct ss_tcp_chunk *c);

struct ss_tcp;

/* Create a reassembler. lim may be NULL for the defaults, and any zero
 * field of it takes its default. The caller owns the result and frees it
 * with ss_tcp_free. Never returns NULL (see xalloc.h). */
struct ss_tcp *ss_tcp_new(const struct ss_tcp_limits *lim,
			  ss_tcp_consume_cb cb, void *user);

/* Free every flow and buffer without calling the consumer (call
 * ss_tcp_finish first to hear about buffered bytes). NULL is a no-op. */
void ss_tcp_free(struct ss_tcp *t);

/* Offer one segment: pi describes it (addresses, ports, tcp_seq,
 * tcp_flags, ts_ns); payload[0..len) need only live during the call. May
 * call the consumer several times, for this flow and for flows it expires
 * or evicts. */
void ss_tcp_segment(struct ss_tcp *t, const struct ss_pktinfo *pi,
		    const uint8_t *payload, size_t len);

/* End of input: every flow is drained (held data past holes delivered
 * with after_gap, then a final call) and freed. The table stays usable. */
void ss_tcp_finish(struct ss_tcp *t);

const struct ss_tcp_stats *ss_tcp_stats(const struct ss_tcp *t);
/* The limits in force (defaults filled in). */
const struct ss_tcp_limits *ss_tcp_get_limits(const struct ss_tcp *t);
/* Flows tracked and bytes accounted against mem_cap (tests, -v). */
size_t ss_tcp_flow_count(const struct ss_tcp *t);
size_t ss_tcp_mem_used(const struct ss_tcp *t);
/* The size the memory accounting charges for one flow's struct. */
size_t ss_tcp_flow_cost(void);

#endif
