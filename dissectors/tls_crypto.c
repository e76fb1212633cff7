/*
 * tls_crypto.c - TLS cipher suites, key derivation and record protection
 * for tls.c, on gnutls's crypto primitives only (no TLS library state).
 *
 *   TLS 1.2 PRF                 RFC 5246 5 (P_SHA256, P_SHA384)
 *   master secret, key block    RFC 5246 8.1, 6.3; RFC 7627 4 (EMS)
 *   AES-GCM records             RFC 5288 3, RFC 5246 6.2.3.3
 *   CHACHA20-POLY1305 records   RFC 7905 2
 *   CBC records                 RFC 5246 6.2.3.2 (MAC-then-encrypt),
 *                               RFC 7366 3 (encrypt-then-MAC)
 *   TLS 1.3 keys and records    RFC 8446 7.1, 7.2, 7.3, 5.2, 5.3
 */
#include "tls.h"
#include "tls_int.h"

#include <string.h>

#define GCM  TK_GCM
#define CHA  TK_CHACHA
#define CBC  TK_CBC
#define A128G GNUTLS_CIPHER_AES_128_GCM
#define A256G GNUTLS_CIPHER_AES_256_GCM
#define C20P GNUTLS_CIPHER_CHACHA20_POLY1305
#define A128C GNUTLS_CIPHER_AES_128_CBC
#define A256C GNUTLS_CIPHER_AES_256_CBC
#define NOMAC GNUTLS_MAC_NULL
#define S1 GNUTLS_MAC_SHA1
#define S256 GNUTLS_MAC_SHA256
#define S384 GNUTLS_MAC_SHA384

/* IANA TLS Cipher Suites registry. */
static const struct tls_suite suites[] = {
	{ 0x1301, "TLS_AES_128_GCM_SHA256", GCM, true, false, A128G, 16, NOMAC, 0, S256 },
	{ 0x1302, "TLS_AES_256_GCM_SHA384", GCM, true, false, A256G, 32, NOMAC, 0, S384 },
	{ 0x1303, "TLS_CHACHA20_POLY1305_SHA256", CHA, true, false, C20P, 32, NOMAC, 0, S256 },
	{ 0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", GCM, false, false, A128G, 16, NOMAC, 0, S256 },
	{ 0xC030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", GCM, false, false, A256G, 32, NOMAC, 0, S384 },
	{ 0xC02B, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", GCM, false, false, A128G, 16, NOMAC, 0, S256 },
	{ 0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", GCM, false, false, A256G, 32, NOMAC, 0, S384 },
	{ 0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", GCM, false, false, A128G, 16, NOMAC, 0, S256 },
	{ 0x009F, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", GCM, false, false, A256G, 32, NOMAC, 0, S384 },
	{ 0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256", GCM, false, true, A128G, 16, NOMAC, 0, S256 },
	{ 0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384", GCM, false, true, A256G, 32, NOMAC, 0, S384 },
	{ 0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", CHA, false, false, C20P, 32, NOMAC, 0, S256 },
	{ 0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", CHA, false, false, C20P, 32, NOMAC, 0, S256 },
	{ 0xCCAA, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256", CHA, false, false, C20P, 32, NOMAC, 0, S256 },
	{ 0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", CBC, false, false, A128C, 16, S1, 20, S256 },
	{ 0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", CBC, false, false, A256C, 32, S1, 20, S256 },
	{ 0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", CBC, false, false, A128C, 16, S1, 20, S256 },
	{ 0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", CBC, false, false, A256C, 32, S1, 20, S256 },
	{ 0xC027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", CBC, false, false, A128C, 16, S256, 32, S256 },
	{ 0xC028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", CBC, false, false, A256C, 32, S384, 48, S384 },
	{ 0xC023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", CBC, false, false, A128C, 16, S256, 32, S256 },
	{ 0xC024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", CBC, false, false, A256C, 32, S384, 48, S384 },
	{ 0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", CBC, false, false, A128C, 16, S1, 20, S256 },
	{ 0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", CBC, false, false, A256C, 32, S1, 20, S256 },
	{ 0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", CBC, false, false, A128C, 16, S256, 32, S256 },
	{ 0x006B, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", CBC, false, false, A256C, 32, S256, 32, S256 },
	{ 0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", CBC, false, true, A128C, 16, S1, 20, S256 },
	{ 0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA", CBC, false, true, A256C, 32, S1, 20, S256 },
	{ 0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256", CBC, false, true, A128C, 16, S256, 32, S256 },
	{ 0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", CBC, false, true, A256C, 32, S256, 32, S256 },
};

const struct tls_suite *tls_suite_find(uint16_t id)
{
	for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++)
		if (suites[i].id == id)
			return &suites[i];
	return NULL;
}

const char *ss_tls_suite_name(uint16_t id)
{
	const struct tls_suite *s = tls_suite_find(id);
	return s ? s->name : NULL;
}

/* ---- key derivation ------------------------------------------------- */

/* P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed)
 * + ..., A(0) = seed, A(i) = HMAC(secret, A(i-1)) (RFC 5246 5). */
static int p_hash(gnutls_mac_algorithm_t mac, const uint8_t *secret, size_t slen,
		  const uint8_t *seed, size_t seedlen, uint8_t *out, size_t outlen)
{
	uint8_t a[64], blk[64];
	size_t hlen = gt_hmac_get_len(mac);
	if (hlen == 0 || hlen > sizeof a ||
	    gt_hmac_fast(mac, secret, slen, seed, seedlen, a) < 0)
		return -1;
	while (outlen > 0) {
		gnutls_hmac_hd_t h;
		if (gt_hmac_init(&h, mac, secret, slen) < 0)
			return -1;
		if (gt_hmac(h, a, hlen) < 0 || gt_hmac(h, seed, seedlen) < 0) {
			gt_hmac_deinit(h, NULL);
			return -1;
		}
		gt_hmac_deinit(h, blk);
		size_t n = outlen < hlen ? outlen : hlen;
		memcpy(out, blk, n);
		out += n;
		outlen -= n;
		if (gt_hmac_fast(mac, secret, slen, a, hlen, blk) < 0)
			return -1;
		memcpy(a, blk, hlen);
	}
	gt_wipe(blk, sizeof blk);
	return 0;
}

int ss_tls_prf(int mac, const uint8_t *secret, size_t slen, const char *label,
	       const uint8_t *seed, size_t seedlen, uint8_t *out, size_t outlen)
{
	uint8_t ls[160];
	size_t llen = strlen(label);
	if (llen + seedlen > sizeof ls)
		return -1;
	memcpy(ls, label, llen);
	if (seedlen)
		memcpy(ls + llen, seed, seedlen);
	return p_hash((gnutls_mac_algorithm_t)mac, secret, slen, ls,
		      llen + seedlen, out, outlen);
}

int ss_tls_hkdf_expand_label(int mac, const uint8_t *secret, size_t slen,
			     const char *label, const uint8_t *ctx, size_t ctxlen,
			     uint8_t *out, size_t outlen)
{
	/* struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } */
	uint8_t info[2 + 1 + 255 + 1 + 255];
	size_t llen = strlen(label), n = 0;
	if (6 + llen > 255 || ctxlen > 255 || outlen > 0xffff)
		return -1;
	info[n++] = (uint8_t)(outlen >> 8);
	info[n++] = (uint8_t)outlen;
	info[n++] = (uint8_t)(6 + llen);
	memcpy(info + n, "tls13 ", 6);
	memcpy(info + n + 6, label, llen);
	n += 6 + llen;
	info[n++] = (uint8_t)ctxlen;
	if (ctxlen)
		memcpy(info + n, ctx, ctxlen);
	n += ctxlen;
	gnutls_datum_t k = { (unsigned char *)(uintptr_t)secret, (unsigned)slen };
	gnutls_datum_t i = { info, (unsigned)n };
	return gt_hkdf_expand((gnutls_mac_algorithm_t)mac, &k, &i, out, outlen) < 0 ? -1 : 0;
}

void tls_cipher_clear(struct tls_cipher *c)
{
	if (c->aead)
		gt_aead_cipher_deinit(c->aead);
	if (c->cbc)
		gt_cipher_deinit(c->cbc);
	gt_wipe(c, sizeof *c);
}

/* Open the gnutls handle for c->key (and the CBC IV placeholder). */
static int cipher_open(struct tls_cipher *c)
{
	const struct tls_suite *s = c->suite;
	gnutls_datum_t k = { c->key, s->key_len };
	if (s->kind == TK_CBC) {
		uint8_t zero[16] = { 0 };
		gnutls_datum_t iv = { zero, sizeof zero };
		return gt_cipher_init(&c->cbc, s->cipher, &k, &iv) < 0 ? -1 : 0;
	}
	return gt_aead_cipher_init(&c->aead, s->cipher, &k) < 0 ? -1 : 0;
}

int tls_master12(const struct tls_suite *s, const uint8_t *pms, size_t pmslen,
		 const uint8_t cr[32], const uint8_t sr[32],
		 const uint8_t *session_hash, size_t hlen, uint8_t master[48])
{
	uint8_t seed[64];
	if (session_hash)
		return ss_tls_prf(s->prf, pms, pmslen, "extended master secret",
				  session_hash, hlen, master, 48);
	memcpy(seed, cr, 32);
	memcpy(seed + 32, sr, 32);
	return ss_tls_prf(s->prf, pms, pmslen, "master secret", seed, 64, master, 48);
}

int tls_keys12(struct tls_cipher *client, struct tls_cipher *server,
	       const struct tls_suite *s, const uint8_t master[48],
	       const uint8_t cr[32], const uint8_t sr[32], bool etm)
{
	/* key_block = client MAC, server MAC, client key, server key,
	 * client IV, server IV; the seed is server_random + client_random. */
	uint8_t seed[64], kb[2 * (48 + 32 + 12)];
	size_t ivlen = s->kind == TK_GCM ? 4 : s->kind == TK_CHACHA ? 12 : 0;
	size_t m = s->mac_len, k = s->key_len, n = 2 * (m + k + ivlen);
	memcpy(seed, sr, 32);
	memcpy(seed + 32, cr, 32);
	if (ss_tls_prf(s->prf, master, 48, "key expansion", seed, 64, kb, n) < 0)
		return -1;
	tls_cipher_clear(client);
	tls_cipher_clear(server);
	struct tls_cipher *dir[2] = { client, server };
	for (size_t d = 0; d < 2; d++) {
		dir[d]->suite = s;
		dir[d]->etm = etm;
		memcpy(dir[d]->mac_key, kb + d * m, m);
		memcpy(dir[d]->key, kb + 2 * m + d * k, k);
		memcpy(dir[d]->iv, kb + 2 * m + 2 * k + d * ivlen, ivlen);
	}
	gt_wipe(kb, sizeof kb);
	if (cipher_open(client) < 0 || cipher_open(server) < 0) {
		tls_cipher_clear(client);
		tls_cipher_clear(server);
		return -1;
	}
	return 0;
}

int tls_keys13(struct tls_cipher *c, const struct tls_suite *s,
	       const uint8_t *secret, size_t len)
{
	tls_cipher_clear(c);
	if (len > sizeof c->secret || len != gt_hmac_get_len(s->prf))
		return -1;
	c->suite = s;
	memcpy(c->secret, secret, len);
	c->secret_len = len;
	if (ss_tls_hkdf_expand_label(s->prf, secret, len, "key", NULL, 0,
				     c->key, s->key_len) < 0 ||
	    ss_tls_hkdf_expand_label(s->prf, secret, len, "iv", NULL, 0,
				     c->iv, 12) < 0 ||
	    cipher_open(c) < 0) {
		tls_cipher_clear(c);
		return -1;
	}
	return 0;
}

int tls_key_update(struct tls_cipher *c)
{
	uint8_t next[48];
	const struct tls_suite *s = c->suite;
	size_t len = c->secret_len;
	if (!s || !s->tls13 ||
	    ss_tls_hkdf_expand_label(s->prf, c->secret, len, "traffic upd",
				     NULL, 0, next, len) < 0)
		return -1;
	int rc = tls_keys13(c, s, next, len);
	gt_wipe(next, sizeof next);
	return rc;
}

/* ---- record protection ---------------------------------------------- */

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* seq_num + type + version + length: the AEAD additional data and the
 * start of the CBC MAC input (RFC 5246 6.2.3.1, 6.2.3.3). */
static void pseudo_header(uint8_t out[13], uint64_t seq, uint8_t type,
			  uint16_t version, size_t len)
{
	put_be64(out, seq);
	out[8] = type;
	out[9] = (uint8_t)(version >> 8);
	out[10] = (uint8_t)version;
	out[11] = (uint8_t)(len >> 8);
	out[12] = (uint8_t)len;
}

/* iv XOR the 64-bit sequence number, left-padded (RFC 7905 2, RFC 8446 5.3). */
static void xor_nonce(uint8_t nonce[12], const uint8_t iv[12], uint64_t seq)
{
	memcpy(nonce, iv, 12);
	for (int i = 11; i >= 4; i--, seq >>= 8)
		nonce[i] ^= (uint8_t)seq;
}

static int aead_open(struct tls_cipher *c, const uint8_t *nonce, size_t nlen,
		     const uint8_t *aad, size_t aadlen, const uint8_t *ct,
		     size_t len, uint8_t *out, size_t *outlen)
{
	*outlen = TLS_FRAG_MAX;
	return gt_aead_cipher_decrypt(c->aead, nonce, nlen, aad, aadlen, 16,
					  ct, len, out, outlen) < 0 ? -1 : 0;
}

static int decrypt_aead12(struct tls_cipher *c, uint16_t version, uint8_t type,
			  const uint8_t *frag, size_t len, uint8_t *out,
			  size_t *outlen)
{
	uint8_t nonce[12], aad[13];
	if (c->suite->kind == TK_GCM) {
		/* GCMNonce = salt (client/server_write_IV) + explicit nonce */
		if (len < 8 + 16)
			return -1;
		memcpy(nonce, c->iv, 4);
		memcpy(nonce + 4, frag, 8);
		frag += 8;
		len -= 8;
	} else {
		if (len < 16)
			return -1;
		xor_nonce(nonce, c->iv, c->seq);
	}
	pseudo_header(aad, c->seq, type, version, len - 16);
	return aead_open(c, nonce, 12, aad, sizeof aad, frag, len, out, outlen);
}

static int mac_check(struct tls_cipher *c, uint8_t type, uint16_t version,
		     const uint8_t *data, size_t len, const uint8_t *want)
{
	uint8_t hdr[13], got[64];
	gnutls_hmac_hd_t h;
	pseudo_header(hdr, c->seq, type, version, len);
	if (gt_hmac_init(&h, c->suite->mac, c->mac_key, c->suite->mac_len) < 0)
		return -1;
	if (gt_hmac(h, hdr, sizeof hdr) < 0 || gt_hmac(h, data, len) < 0) {
		gt_hmac_deinit(h, NULL);
		return -1;
	}
	gt_hmac_deinit(h, got);
	return gt_memcmp(got, want, c->suite->mac_len) == 0 ? 0 : -1;
}

/* CBC-decrypt frag = IV(16) || ciphertext into out; strip and check the
 * padding; *outlen = what precedes the padding. */
static int cbc_open(struct tls_cipher *c, const uint8_t *frag, size_t len,
		    uint8_t *out, size_t *outlen)
{
	if (len < 32 || len % 16 != 0)
		return -1;
	gt_cipher_set_iv(c->cbc, (void *)(uintptr_t)frag, 16);
	if (gt_cipher_decrypt2(c->cbc, frag + 16, len - 16, out, len - 16) < 0)
		return -1;
	size_t m = len - 16, pad = out[m - 1];
	if (pad + 1 > m)
		return -1;
	for (size_t i = m - 1 - pad; i < m - 1; i++)
		if (out[i] != pad)
			return -1;
	*outlen = m - 1 - pad;
	return 0;
}

static int decrypt_cbc12(struct tls_cipher *c, uint16_t version, uint8_t type,
			 const uint8_t *frag, size_t len, uint8_t *out,
			 size_t *outlen)
{
	size_t ml = c->suite->mac_len;
	if (c->etm) {
		/* RFC 7366 3: MAC(seq + header + IV + ciphertext) follows */
		if (len < ml + 32 ||
		    mac_check(c, type, version, frag, len - ml, frag + len - ml) < 0)
			return -1;
		return cbc_open(c, frag, len - ml, out, outlen);
	}
	size_t m;
	if (cbc_open(c, frag, len, out, &m) < 0 || m < ml)
		return -1;
	*outlen = m - ml;
	return mac_check(c, type, version, out, m - ml, out + m - ml);
}

/* RFC 8446 5.2: strip the zero padding; the last non-zero byte is the type. */
static int decrypt13(struct tls_cipher *c, const uint8_t *hdr,
		     const uint8_t *frag, size_t len, uint8_t *out,
		     size_t *outlen, uint8_t *type)
{
	uint8_t nonce[12];
	size_t n;
	xor_nonce(nonce, c->iv, c->seq);
	if (len < 17 || aead_open(c, nonce, 12, hdr, TLS_HDR, frag, len, out, &n) < 0)
		return -1;
	while (n > 0 && out[n - 1] == 0)
		n--;
	if (n == 0)
		return -1;	/* all padding: unexpected_message */
	*type = out[n - 1];
	*outlen = n - 1;
	return 0;
}

int tls_decrypt(struct tls_cipher *c, uint16_t version, const uint8_t *hdr,
		const uint8_t *frag, size_t len, uint8_t *out, size_t *outlen,
		uint8_t *type)
{
	int rc;
	*type = hdr[0];
	if (c->suite->tls13)
		rc = decrypt13(c, hdr, frag, len, out, outlen, type);
	else if (c->suite->kind == TK_CBC)
		rc = decrypt_cbc12(c, version, hdr[0], frag, len, out, outlen);
	else
		rc = decrypt_aead12(c, version, hdr[0], frag, len, out, outlen);
	c->seq++;
	return rc;
}
