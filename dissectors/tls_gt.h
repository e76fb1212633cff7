/*
 * tls_gt.h - the gnutls functions TLS decryption uses, loaded with
 * dlopen(3) the first time one is needed instead of linked.
 *
 * Why: linking libgnutls makes every run load it and its nine
 * dependencies and run its initialisation, ~2.3 ms of CPU before the first
 * packet (measured: an empty program linked with sipscope's libraries
 * takes 3.75 ms, without gnutls 1.44 ms). Most runs decrypt nothing: a
 * whole 1k-call capture takes 11 ms. Only a key log or an RSA key
 * (keylog.h) asks for decryption; loading it then says whether it can be
 * done (gt_load) and the functions are there from then on. The library
 * is libgnutls.so.30, or the file the environment variable SIPSCOPE_GNUTLS
 * names.
 *
 * gt_NAME(...) is gnutls_NAME(...) with the same arguments and results.
 * Were the library not loadable, the functions returning a status return
 * GNUTLS_E_INTERNAL_ERROR (0 for gt_hmac_get_len) and the others do
 * nothing, so a path that got here without gt_load() fails the way a
 * gnutls error does, never by a crash.
 */
#ifndef SS_TLS_GT_H
#define SS_TLS_GT_H

#include <stdbool.h>
#include <stddef.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

/* Load the library once (later calls answer at once). false, with why in
 * err (when err is not NULL) if it cannot be. */
bool gt_load(char *err, size_t errlen);

/* Close the library at the end, once every handle it gave is released
 * (what is left is the dynamic loader's, which leak checkers would
 * report). A later gt_load() loads it again. */
void gt_unload(void);

/* Wipe n bytes of secret (never optimised away), and compare n bytes in
 * time independent of where they differ: what gnutls_memset and
 * gnutls_memcmp did, without the library. */
void gt_wipe(void *p, size_t n);
int gt_memcmp(const void *a, const void *b, size_t n);

int gt_hmac_init(gnutls_hmac_hd_t *dig, gnutls_mac_algorithm_t alg, const void *key, size_t keylen);
int gt_hmac(gnutls_hmac_hd_t h, const void *text, size_t len);
void gt_hmac_deinit(gnutls_hmac_hd_t h, void *digest);
unsigned gt_hmac_get_len(gnutls_mac_algorithm_t alg);
int gt_hmac_fast(gnutls_mac_algorithm_t alg, const void *key, size_t keylen, const void *text, size_t len, void *digest);
int gt_hash_init(gnutls_hash_hd_t *dig, gnutls_digest_algorithm_t alg);
int gt_hash(gnutls_hash_hd_t h, const void *text, size_t len);
void gt_hash_output(gnutls_hash_hd_t h, void *digest);
void gt_hash_deinit(gnutls_hash_hd_t h, void *digest);
int gt_hkdf_expand(gnutls_mac_algorithm_t mac, const gnutls_datum_t *key, const gnutls_datum_t *info, void *out, size_t len);
int gt_cipher_init(gnutls_cipher_hd_t *h, gnutls_cipher_algorithm_t c, const gnutls_datum_t *key, const gnutls_datum_t *iv);
void gt_cipher_set_iv(gnutls_cipher_hd_t h, void *iv, size_t len);
int gt_cipher_decrypt2(gnutls_cipher_hd_t h, const void *ct, size_t ctlen, void *pt, size_t ptlen);
void gt_cipher_deinit(gnutls_cipher_hd_t h);
int gt_aead_cipher_init(gnutls_aead_cipher_hd_t *h, gnutls_cipher_algorithm_t c, const gnutls_datum_t *key);
int gt_aead_cipher_decrypt(gnutls_aead_cipher_hd_t h, const void *nonce, size_t nlen, const void *auth, size_t alen, size_t tag, const void *ct, size_t ctlen, void *pt, size_t *ptlen);
void gt_aead_cipher_deinit(gnutls_aead_cipher_hd_t h);
int gt_privkey_init(gnutls_privkey_t *key);
void gt_privkey_deinit(gnutls_privkey_t key);
int gt_privkey_import_x509_raw(gnutls_privkey_t key, const gnutls_datum_t *data, gnutls_x509_crt_fmt_t fmt, const char *password, unsigned flags);
int gt_privkey_get_pk_algorithm(gnutls_privkey_t key, unsigned *bits);
int gt_privkey_decrypt_data2(gnutls_privkey_t key, unsigned flags, const gnutls_datum_t *ct, unsigned char *pt, size_t ptlen);

#endif
