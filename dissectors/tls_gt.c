/*
 * tls_gt.c - gnutls loaded on first use (tls_gt.h).
 */
#define _DEFAULT_SOURCE		/* explicit_bzero */
#include "tls_gt.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GT_FUNCS(X) \
	X(hmac_init) \
	X(hmac) \
	X(hmac_deinit) \
	X(hmac_get_len) \
	X(hmac_fast) \
	X(hash_init) \
	X(hash) \
	X(hash_output) \
	X(hash_deinit) \
	X(hkdf_expand) \
	X(cipher_init) \
	X(cipher_set_iv) \
	X(cipher_decrypt2) \
	X(cipher_deinit) \
	X(aead_cipher_init) \
	X(aead_cipher_decrypt) \
	X(aead_cipher_deinit) \
	X(privkey_init) \
	X(privkey_deinit) \
	X(privkey_import_x509_raw) \
	X(privkey_get_pk_algorithm) \
	X(privkey_decrypt_data2)

/* The library's entry points. Process-wide, like the dynamic linker's own
 * tables that linking would have used: written once, by the first
 * gt_load() (the key log's, before any packet), read-only after. */
static struct {
	bool tried, ok;
	void *h;
	char why[200];
#define GT_PTR(n) __typeof__(gnutls_##n) *n;
	GT_FUNCS(GT_PTR)
#undef GT_PTR
} gt;

/* The runtime library of the gnutls the build was made with; the
 * development link as a last resort. SIPSCOPE_GNUTLS names another file
 * instead (a gnutls installed elsewhere; the tests use it to check the
 * message when none can be loaded). */
static const char *const names[] = { "libgnutls.so.30", "libgnutls.so" };

static bool gt_open(void)
{
	void *h = NULL;
	const char *only = getenv("SIPSCOPE_GNUTLS");
	if (only && *only)
		h = dlopen(only, RTLD_NOW | RTLD_LOCAL);
	else
		for (size_t i = 0; !h && i < sizeof names / sizeof names[0]; i++)
			h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(gt.why, sizeof gt.why, "cannot load %s (%s)",
			 only && *only ? only : names[0], e ? e : "unknown error");
		return false;
	}
#define GT_SYM(n) \
	*(void **)&gt.n = dlsym(h, "gnutls_" #n); \
	if (!gt.n) { \
		dlclose(h); \
		memset(&gt, 0, sizeof gt); \
		snprintf(gt.why, sizeof gt.why, "%s has no gnutls_%s", \
			 names[0], #n); \
		return false; \
	}
	GT_FUNCS(GT_SYM)
#undef GT_SYM
	gt.h = h;	/* open until gt_unload() */
	return true;
}

bool gt_load(char *err, size_t errlen)
{
	if (!gt.tried) {
		gt.ok = gt_open();
		gt.tried = true;
	}
	if (!gt.ok && err && errlen)
		snprintf(err, errlen, "TLS decryption: %s", gt.why);
	return gt.ok;
}

void gt_unload(void)
{
	if (gt.h)
		dlclose(gt.h);
	memset(&gt, 0, sizeof gt);
}

void gt_wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}

int gt_memcmp(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char d = 0;
	for (size_t i = 0; i < n; i++)
		d |= (unsigned char)(x[i] ^ y[i]);
	return d != 0;
}

int gt_hmac_init(gnutls_hmac_hd_t *dig, gnutls_mac_algorithm_t alg, const void *key, size_t keylen)
{
	return gt_load(NULL, 0) ? gt.hmac_init(dig, alg, key, keylen) : GNUTLS_E_INTERNAL_ERROR;
}

int gt_hmac(gnutls_hmac_hd_t h, const void *text, size_t len)
{
	return gt_load(NULL, 0) ? gt.hmac(h, text, len) : GNUTLS_E_INTERNAL_ERROR;
}

void gt_hmac_deinit(gnutls_hmac_hd_t h, void *digest)
{
	if (gt.hmac_deinit)
		gt.hmac_deinit(h, digest);
}

unsigned gt_hmac_get_len(gnutls_mac_algorithm_t alg)
{
	return gt_load(NULL, 0) ? gt.hmac_get_len(alg) : 0;
}

int gt_hmac_fast(gnutls_mac_algorithm_t alg, const void *key, size_t keylen, const void *text, size_t len, void *digest)
{
	return gt_load(NULL, 0) ? gt.hmac_fast(alg, key, keylen, text, len, digest) : GNUTLS_E_INTERNAL_ERROR;
}

int gt_hash_init(gnutls_hash_hd_t *dig, gnutls_digest_algorithm_t alg)
{
	return gt_load(NULL, 0) ? gt.hash_init(dig, alg) : GNUTLS_E_INTERNAL_ERROR;
}

int gt_hash(gnutls_hash_hd_t h, const void *text, size_t len)
{
	return gt_load(NULL, 0) ? gt.hash(h, text, len) : GNUTLS_E_INTERNAL_ERROR;
}

void gt_hash_output(gnutls_hash_hd_t h, void *digest)
{
	if (gt.hash_output)
		gt.hash_output(h, digest);
}

void gt_hash_deinit(gnutls_hash_hd_t h, void *digest)
{
	if (gt.hash_deinit)
		gt.hash_deinit(h, digest);
}

int gt_hkdf_expand(gnutls_mac_algorithm_t mac, const gnutls_datum_t *key, const gnutls_datum_t *info, void *out, size_t len)
{
	return gt_load(NULL, 0) ? gt.hkdf_expand(mac, key, info, out, len) : GNUTLS_E_INTERNAL_ERROR;
}

int gt_cipher_init(gnutls_cipher_hd_t *h, gnutls_cipher_algorithm_t c, const gnutls_datum_t *key, const gnutls_datum_t *iv)
{
	return gt_load(NULL, 0) ? gt.cipher_init(h, c, key, iv) : GNUTLS_E_INTERNAL_ERROR;
}

void gt_cipher_set_iv(gnutls_cipher_hd_t h, void *iv, size_t len)
{
	if (gt.cipher_set_iv)
		gt.cipher_set_iv(h, iv, len);
}

int gt_cipher_decrypt2(gnutls_cipher_hd_t h, const void *ct, size_t ctlen, void *pt, size_t ptlen)
{
	return gt_load(NULL, 0) ? gt.cipher_decrypt2(h, ct, ctlen, pt, ptlen) : GNUTLS_E_INTERNAL_ERROR;
}

void gt_cipher_deinit(gnutls_cipher_hd_t h)
{
	if (gt.cipher_deinit)
		gt.cipher_deinit(h);
}

int gt_aead_cipher_init(gnutls_aead_cipher_hd_t *h, gnutls_cipher_algorithm_t c, const gnutls_datum_t *key)
{
	return gt_load(NULL, 0) ? gt.aead_cipher_init(h, c, key) : GNUTLS_E_INTERNAL_ERROR;
}

int gt_aead_cipher_decrypt(gnutls_aead_cipher_hd_t h, const void *nonce, size_t nlen, const void *auth, size_t alen, size_t tag, const void *ct, size_t ctlen, void *pt, size_t *ptlen)
{
	return gt_load(NULL, 0) ? gt.aead_cipher_decrypt(h, nonce, nlen, auth, alen, tag, ct, ctlen, pt, ptlen) : GNUTLS_E_INTERNAL_ERROR;
}

void gt_aead_cipher_deinit(gnutls_aead_cipher_hd_t h)
{
	if (gt.aead_cipher_deinit)
		gt.aead_cipher_deinit(h);
}

int gt_privkey_init(gnutls_privkey_t *key)
{
	return gt_load(NULL, 0) ? gt.privkey_init(key) : GNUTLS_E_INTERNAL_ERROR;
}

void gt_privkey_deinit(gnutls_privkey_t key)
{
	if (gt.privkey_deinit)
		gt.privkey_deinit(key);
}

int gt_privkey_import_x509_raw(gnutls_privkey_t key, const gnutls_datum_t *data, gnutls_x509_crt_fmt_t fmt, const char *password, unsigned flags)
{
	return gt_load(NULL, 0) ? gt.privkey_import_x509_raw(key, data, fmt, password, flags) : GNUTLS_E_INTERNAL_ERROR;
}

int gt_privkey_get_pk_algorithm(gnutls_privkey_t key, unsigned *bits)
{
	return gt_load(NULL, 0) ? gt.privkey_get_pk_algorithm(key, bits) : GNUTLS_E_INTERNAL_ERROR;
}

int gt_privkey_decrypt_data2(gnutls_privkey_t key, unsigned flags, const gnutls_datum_t *ct, unsigned char *pt, size_t ptlen)
{
	return gt_load(NULL, 0) ? gt.privkey_decrypt_data2(key, flags, ct, pt, ptlen) : GNUTLS_E_INTERNAL_ERROR;
}
