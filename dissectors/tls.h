/*
 * tls.h - decrypt SIP over TLS from the in-order bytes of one TCP
 * connection, with secrets from an NSS key log (src/keylog.h).
 *
 * The caller (TCP reassembly) owns the framing of TCP: it hands each
 * direction's bytes, in order, to ss_tls_feed(); this module frames TLS
 * records (RFC 5246 6.2, RFC 8446 5.1), buffering a partial record (at most
 * one record, 5 + 2^14 + 2048 bytes, per direction), follows the handshake
 * (RFC 5246 7.4, RFC 8446 4) and hands the decrypted application_data of
 * each direction to a callback, in order.
 *
 * Supported: TLS 1.2 (ECDHE, DHE and RSA key exchange) with AES-128/256-GCM,
 * CHACHA20-POLY1305 (RFC 7905) and AES-128/256-CBC with HMAC-SHA1/256/384
 * (MAC-then-encrypt, and encrypt-then-MAC, RFC 7366); TLS 1.3 with
 * TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 and
 * TLS_CHACHA20_POLY1305_SHA256, KeyUpdate included (RFC 8446 7.2).
 * Session resumption works whenever the key log has the secrets of the
 * resumed connection (openssl and NSS log them per connection). TLS_RSA key
 * exchange works with an RSA key loaded into the key log, for full
 * handshakes (extended master secret, RFC 7627, included).
 *
 * Nothing is ever silently dropped: every record that could not be
 * decrypted is counted in struct ss_tls_stats under its reason.
 */
#ifndef SS_TLS_H
#define SS_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keylog.h"

enum { SS_TLS_C2S = 0, SS_TLS_S2C = 1 };	/* direction: from the client / server */

struct ss_tls_stats {
	uint64_t records;	/* records framed, both directions */
	uint64_t decrypted;	/* records decrypted and authenticated */
	uint64_t no_keys;	/* encrypted records without keys (not in the key log,
				 * TLS_RSA without --rsa-key, resumed TLS_RSA, 0-RTT) */
	uint64_t bad_decrypt;	/* authentication failed: bad tag, MAC or padding */
	uint64_t unsupported;	/* encrypted records of an unsupported suite/version */
	uint64_t key_updates;	/* TLS 1.3 KeyUpdate messages followed */
	uint64_t malformed;	/* handshake messages that did not parse */
	uint64_t app_bytes[2];	/* plaintext application_data per direction */
	uint16_t version;	/* negotiated: 0x0303 TLS 1.2, 0x0304 TLS 1.3; 0 unknown */
	uint16_t suite;		/* negotiated cipher suite id; 0 unknown */
	bool suite_supported;	/* false: see unsupported */
	bool resumed;		/* 1.2 abbreviated handshake (session id/ticket),
				 * 1.3 ServerHello with pre_shared_key */
	bool etm;		/* encrypt_then_mac negotiated (RFC 7366) */
	bool ems;		/* extended_master_secret negotiated (RFC 7627) */
	bool rsa_kx;		/* TLS_RSA key exchange */
	bool rsa_no_key;	/* ... and no usable RSA key (and not in the key log) */
	bool lost;		/* a direction lost record framing (gap/garbage) */
};

/* Plaintext of one direction: application_data only, in stream order.
 * p is valid only during the call. */
typedef void (*ss_tls_plain_cb)(void *user, int dir, const uint8_t *p, size_t n);

struct ss_tls;

/* A connection's state. kl is borrowed (it must outlive the state) and may
 * hold no entry for this connection: its records are then counted as
 * no_keys. Owned by the caller: ss_tls_free(). */
struct ss_tls *ss_tls_new(const struct ss_keylog *kl);
/* Frees all buffers and wipes the keys. NULL is fine. */
void ss_tls_free(struct ss_tls *t);

/* Feed the next n in-order bytes of direction dir (SS_TLS_C2S/S2C). Every
 * complete record is handled now (plaintext goes to cb(user, ...)); a partial
 * record is kept until the rest arrives. Returns 0, or -1 when this direction
 * is not (or no longer) a TLS record stream: a bad record header, or an
 * earlier gap. After -1 the direction ignores further bytes. */
int ss_tls_feed(struct ss_tls *t, int dir, const uint8_t *p, size_t n,
		ss_tls_plain_cb cb, void *user);

/* Bytes of dir were lost: record framing and sequence numbers are gone, so
 * the direction stops (stats.lost). */
void ss_tls_gap(struct ss_tls *t, int dir);

const struct ss_tls_stats *ss_tls_stats(const struct ss_tls *t);

/* Cheap detection of the first bytes of a client's stream: a handshake
 * record (type 22) with version 0x0301..0x0304 and a sane length. Needs at
 * least 5 bytes. */
bool ss_tls_looks_like(const uint8_t *p, size_t n);

/* IANA name of a cipher suite this module knows ("TLS_..."), or NULL. */
const char *ss_tls_suite_name(uint16_t suite);

/* Exposed for the tests. gnutls MAC ids: GNUTLS_MAC_SHA256 / SHA384.
 * TLS 1.2 PRF (RFC 5246 5): P_hash(secret, label + seed) into out[outlen]. */
int ss_tls_prf(int mac, const uint8_t *secret, size_t slen, const char *label,
	       const uint8_t *seed, size_t seedlen, uint8_t *out, size_t outlen);
/* HKDF-Expand-Label (RFC 8446 7.1); label without the "tls13 " prefix. */
int ss_tls_hkdf_expand_label(int mac, const uint8_t *secret, size_t slen,
			     const char *label, const uint8_t *ctx, size_t ctxlen,
			     uint8_t *out, size_t outlen);

#endif
