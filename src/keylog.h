/*
 * keylog.h - TLS secrets for decryption: the NSS key log format that
 * SSLKEYLOGFILE (and openssl -keylogfile) writes, plus an optional RSA
 * private key for the old TLS_RSA key exchange.
 *
 * Key log format (NSS "Key Log Format", also draft-ietf-tls-keylogfile):
 * one secret per line, "<LABEL> <client random, 64 hex> <secret hex>";
 * '#' comments and blank lines are skipped. Labels kept:
 *   CLIENT_RANDOM                       TLS 1.2 master secret (48 bytes)
 *   CLIENT_HANDSHAKE_TRAFFIC_SECRET     TLS 1.3 (RFC 8446 7.1)
 *   SERVER_HANDSHAKE_TRAFFIC_SECRET
 *   CLIENT_TRAFFIC_SECRET_0
 *   SERVER_TRAFFIC_SECRET_0
 * Labels accepted and ignored: EXPORTER_SECRET, EARLY_EXPORTER_SECRET,
 * CLIENT_EARLY_TRAFFIC_SECRET (0-RTT data is not decrypted), RSA,
 * CLIENT/SERVER_TRAFFIC_SECRET_N (openssl logs the secrets after a
 * KeyUpdate; tls.c derives them itself, RFC 8446 7.2), ECH_SECRET,
 * ECH_CONFIG. Any other label is an error.
 * Secrets are never printed by this module or its callers.
 */
#ifndef SS_KEYLOG_H
#define SS_KEYLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SS_KEYLOG_RANDOM_LEN 32
#define SS_KEYLOG_SECRET_MAX 48	/* SHA-384 output, TLS 1.2 master secret */

enum ss_keylog_kind {
	SS_KL_MASTER,		/* CLIENT_RANDOM */
	SS_KL_CLIENT_HS,	/* CLIENT_HANDSHAKE_TRAFFIC_SECRET */
	SS_KL_SERVER_HS,	/* SERVER_HANDSHAKE_TRAFFIC_SECRET */
	SS_KL_CLIENT_AP,	/* CLIENT_TRAFFIC_SECRET_0 */
	SS_KL_SERVER_AP,	/* SERVER_TRAFFIC_SECRET_0 */
	SS_KL_NKINDS
};

/* The secrets of one connection, found by its ClientHello.random. */
struct ss_keylog_entry {
	uint8_t client_random[SS_KEYLOG_RANDOM_LEN];
	uint8_t len[SS_KL_NKINDS];	/* 0: this secret is not known */
	uint8_t secret[SS_KL_NKINDS][SS_KEYLOG_SECRET_MAX];
};

struct ss_keylog;

/* An empty key log (owned by the caller; ss_keylog_free). */
/* Whether TLS can be decrypted here: loads the crypto library, which
 * is not loaded before (dissectors/tls_gt.h). Call before loading keys;
 * false, with why in err, if it cannot be. */
bool ss_keylog_crypto(char *err, size_t errlen);
/* The crypto library let go at the end, after the last key log and TLS
 * state are freed. */
void ss_keylog_crypto_end(void);
struct ss_keylog *ss_keylog_new(void);
/* Frees the key log, its entries (wiped first) and the RSA key. NULL is fine. */
void ss_keylog_free(struct ss_keylog *kl);

/* Add the lines of text[0..len) (need not be NUL-terminated). A later line
 * for the same client random and label replaces the earlier secret.
 * Returns 0, or -1 on the first malformed line (unknown label, bad hex,
 * wrong length, missing field) with its 1-based number in *bad_line;
 * the lines before it stay added. */
int ss_keylog_parse(struct ss_keylog *kl, const char *text, size_t len,
		    size_t *bad_line);

/* ss_keylog_parse() on a whole file. Returns 0; -1 with *bad_line set for
 * a malformed line; -2 when the file cannot be read (*bad_line = 0). */
int ss_keylog_load(struct ss_keylog *kl, const char *path, size_t *bad_line);

/* The entry for this client random, or NULL. Valid until the key log is
 * changed or freed. */
const struct ss_keylog_entry *
ss_keylog_find(const struct ss_keylog *kl,
	       const uint8_t client_random[SS_KEYLOG_RANDOM_LEN]);

/* Number of distinct client randoms. */
size_t ss_keylog_count(const struct ss_keylog *kl);

/* Load an RSA private key (PEM or DER, PKCS#1 or unencrypted PKCS#8) for
 * TLS_RSA key exchange (--rsa-key). Returns 0, or -1 when the file cannot
 * be read or is not an RSA private key. */
int ss_keylog_load_rsa_key(struct ss_keylog *kl, const char *path);
int ss_keylog_set_rsa_key(struct ss_keylog *kl, const void *data, size_t len);
bool ss_keylog_has_rsa_key(const struct ss_keylog *kl);

/* Decrypt an RSA-encrypted premaster secret (RFC 5246 7.4.7.1) with the
 * loaded key into pms[48]. Returns 0, or -1 when no key is loaded, the
 * decryption fails or the result is not 48 bytes. */
int ss_keylog_rsa_decrypt(const struct ss_keylog *kl, const uint8_t *enc,
			  size_t enc_len, uint8_t pms[48]);

#endif
