/*
 * hep.h - HEP, the Homer Encapsulation Protocol: a capture agent's copy of
 * a packet (addresses, ports, time, payload) sent to a collector.
 *
 * HEPv3 (sipcapture.org "HEP3 Network Protocol Specification"): "HEP3",
 * a 16-bit total length, then chunks of vendor id, type id and length
 * (each 16 bits, the length counting the 6-byte chunk header) in any
 * order. HEPv2 (and v1): a fixed header of version, header length, family,
 * protocol and ports, the addresses, then (v2) seconds, microseconds and a
 * 16-bit capture id in the sender's byte order (little-endian in practice),
 * padded to 12 bytes as the C struct every sender copies out.
 *
 * The parser never reads outside its input; the payload it reports points
 * into the input, or, for a compressed payload (chunk 0x10), into a buffer
 * it allocated (released by ss_hep_release). The encoder writes HEPv3 only
 * and never a compressed chunk (collectors do not decode it).
 */
#ifndef SS_HEP_H
#define SS_HEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "packet.h"

#define SS_HEP_MAX_INFLATE ((size_t)64 << 10)	/* cap of chunk 0x10 output */

/* HEPv3 chunk types of the generic vendor (0x0000). */
enum ss_hep_chunk {
	HEP_CH_FAMILY = 0x01,		/* uint8: 2 = IPv4, 10 = IPv6 */
	HEP_CH_IP_PROTO = 0x02,		/* uint8: 17 = UDP, 6 = TCP, ... */
	HEP_CH_SRC4 = 0x03,
	HEP_CH_DST4 = 0x04,
	HEP_CH_SRC6 = 0x05,
	HEP_CH_DST6 = 0x06,
	HEP_CH_SPORT = 0x07,
	HEP_CH_DPORT = 0x08,
	HEP_CH_TS_SEC = 0x09,
	HEP_CH_TS_USEC = 0x0a,
	HEP_CH_PROTO_TYPE = 0x0b,	/* uint8: 1 = SIP, 5 = RTCP, 100 = log */
	HEP_CH_CAPTURE_ID = 0x0c,	/* uint32, opaque (byte order varies) */
	HEP_CH_AUTH_KEY = 0x0e,
	HEP_CH_PAYLOAD = 0x0f,
	HEP_CH_PAYLOAD_Z = 0x10,	/* zlib-compressed payload */
	HEP_CH_CORRELATION = 0x11,
};

#define SS_HEP_PROTO_SIP 1

enum ss_hep_rc {
	SS_HEP_OK = 0,
	SS_HEP_NOT_HEP,		/* no HEP3 magic nor a v1/v2 header */
	SS_HEP_TRUNCATED,	/* a length points past the input */
	SS_HEP_MALFORMED,	/* lengths or values contradict each other */
};

/* One decoded HEP packet. Slices point into the parsed input (payload
 * into `inflated` when it was compressed). */
struct ss_hep {
	uint8_t version;	/* 1, 2 or 3 */
	uint8_t ip_proto;	/* enum ss_l4 value */
	struct ss_addr src, dst;	/* family 4 or 6, ports set */
	uint32_t ts_sec, ts_usec;
	uint8_t proto_type;	/* SS_HEP_PROTO_SIP, ...; 0 when absent */
	uint32_t capture_id;	/* as the 4 bytes read big-endian */
	bool has_auth;
	ss_str auth_key;
	ss_str correlation;
	const uint8_t *payload;
	size_t payload_len;
	bool compressed;	/* payload came from chunk 0x10 */
	uint32_t unknown_chunks;	/* skipped: other vendors or types */
	uint8_t *inflated;	/* owned; NULL unless compressed */
};

/* Cheap test for the UDP table: "HEP3", or a v1/v2 header whose version,
 * header length and family agree. */
bool ss_hep_looks_like(const uint8_t *p, size_t len);

/* Parse one HEP packet of exactly len bytes (HEPv3: its total length may
 * be shorter than len; the rest is ignored). On SS_HEP_OK the caller must
 * call ss_hep_release(h). On any other result nothing is owned. *why is
 * set to a short reason when not OK (may be NULL). */
enum ss_hep_rc ss_hep_parse(const uint8_t *p, size_t len, struct ss_hep *h,
			    const char **why);
void ss_hep_release(struct ss_hep *h);

/* Does the packet carry this auth key (chunk 0x0e)? Exact match. */
bool ss_hep_auth_ok(const struct ss_hep *h, const char *key);

/* Encode h as HEPv3 into out[0..cap): family, protocol, addresses, ports,
 * time, proto type, capture id, the auth key when has_auth, the payload
 * (chunk 0x0f, never 0x10) and the correlation id when non-empty. Returns
 * the packet length, or 0 when it does not fit in cap or in HEPv3's 16-bit
 * total length. */
size_t ss_hep_encode(const struct ss_hep *h, uint8_t *out, size_t cap);

/* The UDP table's entry point (and the listener's): decode a HEP packet
 * and hand its SIP payload to d->on_payload with a fresh ss_pktinfo
 * carrying the inner addresses, ports, transport and time (the outer
 * frame's number, source and frame bytes kept). When auth is non-NULL a
 * packet without that key is dropped and counted in hep_auth_failed.
 * Returns false when the packet was not delivered. */
bool ss_decode_hep_auth(struct ss_decoder *d, struct ss_pktinfo *pi,
			const uint8_t *p, size_t len, const char *auth);
void ss_decode_hep(struct ss_decoder *d, struct ss_pktinfo *pi,
		   const uint8_t *p, size_t len, unsigned depth);

#endif
