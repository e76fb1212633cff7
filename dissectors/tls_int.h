/*
 * tls_int.h - internals shared by tls.c (records, handshake) and
 * tls_crypto.c (suites, key derivation, record protection). Not an API.
 */
#ifndef SS_TLS_INT_H
#define SS_TLS_INT_H

#include "tls_gt.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TLS_FRAG_MAX (16384 + 2048)	/* TLSCiphertext.length limit, RFC 5246 6.2.3 */
#define TLS_HDR 5

enum tls_kind { TK_GCM, TK_CHACHA, TK_CBC };

struct tls_suite {
	uint16_t id;
	const char *name;
	uint8_t kind;			/* enum tls_kind */
	bool tls13;
	bool rsa_kx;			/* TLS_RSA_*: premaster in ClientKeyExchange */
	gnutls_cipher_algorithm_t cipher;
	uint8_t key_len;
	gnutls_mac_algorithm_t mac;	/* CBC record MAC */
	uint8_t mac_len;
	gnutls_mac_algorithm_t prf;	/* PRF hash (1.2) / HKDF hash (1.3) */
};

/* The read state protecting one direction. Owns its gnutls handles. */
struct tls_cipher {
	const struct tls_suite *suite;	/* NULL: no keys */
	bool etm;			/* CBC encrypt-then-MAC (RFC 7366) */
	uint64_t seq;			/* record sequence number */
	uint8_t key[32], iv[12], mac_key[48];
	uint8_t secret[48];		/* 1.3 traffic secret, for KeyUpdate */
	size_t secret_len;
	gnutls_aead_cipher_hd_t aead;
	gnutls_cipher_hd_t cbc;
};

const struct tls_suite *tls_suite_find(uint16_t id);

/* TLS 1.2: both directions' keys from the master secret (RFC 5246 6.3). */
int tls_keys12(struct tls_cipher *client, struct tls_cipher *server,
	       const struct tls_suite *s, const uint8_t master[48],
	       const uint8_t cr[32], const uint8_t sr[32], bool etm);
/* TLS 1.3: one direction's keys from a traffic secret (RFC 8446 7.3). */
int tls_keys13(struct tls_cipher *c, const struct tls_suite *s,
	       const uint8_t *secret, size_t len);
/* TLS 1.3 KeyUpdate: the next traffic secret and its keys (RFC 8446 7.2). */
int tls_key_update(struct tls_cipher *c);
/* Drop keys and handles, wipe the secrets. */
void tls_cipher_clear(struct tls_cipher *c);

/* Decrypt one record's fragment (hdr: the 5 received header bytes) into
 * out[TLS_FRAG_MAX]. *type is the content type (1.3: the inner type).
 * Returns 0, or -1 when authentication fails. The sequence number
 * advances either way. */
int tls_decrypt(struct tls_cipher *c, uint16_t version, const uint8_t *hdr,
		const uint8_t *frag, size_t len, uint8_t *out, size_t *outlen,
		uint8_t *type);

/* Master secret from a premaster secret: RFC 5246 8.1, or with the
 * session hash when extended_master_secret was negotiated (RFC 7627 4). */
int tls_master12(const struct tls_suite *s, const uint8_t *pms, size_t pmslen,
		 const uint8_t cr[32], const uint8_t sr[32],
		 const uint8_t *session_hash, size_t hlen, uint8_t master[48]);

#endif
