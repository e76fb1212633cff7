/*
 * keylog.c - the NSS key log (see keylog.h) in a small open-addressing
 * table keyed by the client random, and the optional RSA private key.
 *
 * The client random is 32 bytes chosen at random by the client
 * (RFC 5246 7.4.1.2, RFC 8446 4.1.2), so its first bytes are a good hash.
 */
#include "keylog.h"

#include "tls_gt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define KEYLOG_FILE_MAX ((size_t)256 << 20)	/* refuse absurd files */

struct ss_keylog {
	struct ss_keylog_entry *v;	/* owned, n used of cap */
	size_t n, cap;
	uint32_t *slot;			/* owned; index + 1, 0 = empty */
	size_t nslot;			/* power of two, > 2 * n */
	gnutls_privkey_t rsa;		/* owned, NULL when not loaded */
};

struct ss_keylog *ss_keylog_new(void)
{
	return xcalloc(1, sizeof(struct ss_keylog));
}

void ss_keylog_free(struct ss_keylog *kl)
{
	if (!kl)
		return;
	if (kl->v)
		gt_wipe(kl->v, kl->cap * sizeof kl->v[0]);
	free(kl->v);
	free(kl->slot);
	if (kl->rsa)
		gt_privkey_deinit(kl->rsa);
	free(kl);
}

size_t ss_keylog_count(const struct ss_keylog *kl)
{
	return kl->n;
}

static size_t hash_random(const uint8_t *cr)
{
	return (size_t)cr[0] << 24 | (size_t)cr[1] << 16 |
	       (size_t)cr[2] << 8 | cr[3];
}

/* The slot holding cr, or the empty slot where it would go. */
static size_t find_slot(const struct ss_keylog *kl, const uint8_t *cr)
{
	size_t mask = kl->nslot - 1, i = hash_random(cr) & mask;
	while (kl->slot[i] != 0 &&
	       memcmp(kl->v[kl->slot[i] - 1].client_random, cr,
		      SS_KEYLOG_RANDOM_LEN) != 0)
		i = (i + 1) & mask;
	return i;
}

static void rehash(struct ss_keylog *kl)
{
	free(kl->slot);
	kl->nslot = kl->nslot ? kl->nslot * 2 : 64;
	kl->slot = xcalloc(kl->nslot, sizeof kl->slot[0]);
	for (size_t k = 0; k < kl->n; k++)
		kl->slot[find_slot(kl, kl->v[k].client_random)] = (uint32_t)(k + 1);
}

const struct ss_keylog_entry *
ss_keylog_find(const struct ss_keylog *kl,
	       const uint8_t client_random[SS_KEYLOG_RANDOM_LEN])
{
	if (kl->n == 0)
		return NULL;
	size_t i = find_slot(kl, client_random);
	return kl->slot[i] ? &kl->v[kl->slot[i] - 1] : NULL;
}

/* The entry for cr, created empty when new. */
static struct ss_keylog_entry *entry_get(struct ss_keylog *kl, const uint8_t *cr)
{
	if (2 * (kl->n + 1) >= kl->nslot)
		rehash(kl);
	size_t i = find_slot(kl, cr);
	if (kl->slot[i])
		return &kl->v[kl->slot[i] - 1];
	if (kl->n == kl->cap) {
		size_t ncap = kl->cap ? kl->cap * 2 : 16;
		struct ss_keylog_entry *nv = xcalloc(ncap, sizeof *nv);
		if (kl->n) {
			memcpy(nv, kl->v, kl->n * sizeof *nv);
			gt_wipe(kl->v, kl->n * sizeof *nv);
		}
		free(kl->v);
		kl->v = nv;
		kl->cap = ncap;
	}
	struct ss_keylog_entry *e = &kl->v[kl->n];
	memset(e, 0, sizeof *e);
	memcpy(e->client_random, cr, SS_KEYLOG_RANDOM_LEN);
	kl->slot[i] = (uint32_t)(++kl->n);
	return e;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode exactly 2*n hex digits into out[n]. */
static bool unhex(const char *s, size_t slen, uint8_t *out, size_t n)
{
	if (slen != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* Split the next space/tab-separated field off [*p, end). */
static bool next_field(const char **p, const char *end, const char **f,
		       size_t *flen)
{
	const char *s = *p;
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	const char *e = s;
	while (e < end && *e != ' ' && *e != '\t')
		e++;
	*f = s;
	*flen = (size_t)(e - s);
	*p = e;
	return e > s;
}

/* Map a label to its kind; SS_KL_NKINDS for the ignored labels, -1 for an
 * unknown one. */
static int label_kind(const char *f, size_t n)
{
	static const struct { const char *name; int kind; } labels[] = {
		{ "CLIENT_RANDOM", SS_KL_MASTER },
		{ "CLIENT_HANDSHAKE_TRAFFIC_SECRET", SS_KL_CLIENT_HS },
		{ "SERVER_HANDSHAKE_TRAFFIC_SECRET", SS_KL_SERVER_HS },
		{ "CLIENT_TRAFFIC_SECRET_0", SS_KL_CLIENT_AP },
		{ "SERVER_TRAFFIC_SECRET_0", SS_KL_SERVER_AP },
		{ "EXPORTER_SECRET", SS_KL_NKINDS },
		{ "EARLY_EXPORTER_SECRET", SS_KL_NKINDS },
		{ "CLIENT_EARLY_TRAFFIC_SECRET", SS_KL_NKINDS },
		/* secrets after a KeyUpdate (openssl); derived here instead */
		{ "CLIENT_TRAFFIC_SECRET_N", SS_KL_NKINDS },
		{ "SERVER_TRAFFIC_SECRET_N", SS_KL_NKINDS },
		{ "ECH_SECRET", SS_KL_NKINDS },
		{ "ECH_CONFIG", SS_KL_NKINDS },
	};
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strlen(labels[i].name) == n && memcmp(labels[i].name, f, n) == 0)
			return labels[i].kind;
	return -1;
}

/* One line without its newline. 0 ok (or skipped), -1 malformed. */
static int parse_line(struct ss_keylog *kl, const char *p, const char *end)
{
	const char *lab, *crh, *sech, *extra;
	size_t llen, crlen, seclen, xlen;
	if (!next_field(&p, end, &lab, &llen) || lab[0] == '#')
		return 0;	/* blank or comment */
	if (!next_field(&p, end, &crh, &crlen) ||
	    !next_field(&p, end, &sech, &seclen) ||
	    next_field(&p, end, &extra, &xlen))
		return -1;
	int kind = label_kind(lab, llen);
	if (kind < 0)
		return llen == 3 && memcmp(lab, "RSA", 3) == 0 ? 0 : -1;
	uint8_t cr[SS_KEYLOG_RANDOM_LEN], sec[SS_KEYLOG_SECRET_MAX];
	size_t n = seclen / 2;
	if (!unhex(crh, crlen, cr, sizeof cr))
		return -1;
	if (kind == SS_KL_NKINDS)
		return 0;	/* ignored: its value may be longer than a secret */
	if (n == 0 || n > sizeof sec || !unhex(sech, seclen, sec, n) ||
	    (kind == SS_KL_MASTER && n != 48))
		return -1;
	struct ss_keylog_entry *e = entry_get(kl, cr);
	memcpy(e->secret[kind], sec, n);
	e->len[kind] = (uint8_t)n;
	gt_wipe(sec, sizeof sec);
	return 0;
}

int ss_keylog_parse(struct ss_keylog *kl, const char *text, size_t len,
		    size_t *bad_line)
{
	const char *p = text, *end = text + len;
	size_t line = 0;
	*bad_line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		line++;
		if (le > p && le[-1] == '\r')
			le--;
		if (parse_line(kl, p, le) < 0) {
			*bad_line = line;
			return -1;
		}
		p = nl ? nl + 1 : end;
	}
	return 0;
}

/* Read a whole file into xmalloc'd memory; NULL on failure. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0, got;
	char *buf = xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (cap >= KEYLOG_FILE_MAX)
				break;
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	bool bad = ferror(f) || n == cap;
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

bool ss_keylog_crypto(char *err, size_t errlen)
{
	return gt_load(err, errlen);
}

void ss_keylog_crypto_end(void)
{
	gt_unload();
}

int ss_keylog_load(struct ss_keylog *kl, const char *path, size_t *bad_line)
{
	size_t len;
	char *text = slurp(path, &len);
	*bad_line = 0;
	if (!text)
		return -2;
	int rc = ss_keylog_parse(kl, text, len, bad_line);
	free(text);
	return rc;
}

int ss_keylog_set_rsa_key(struct ss_keylog *kl, const void *data, size_t len)
{
	gnutls_privkey_t key;
	gnutls_datum_t d = { (unsigned char *)(uintptr_t)data, (unsigned)len };
	if (len > 1u << 20 || gt_privkey_init(&key) < 0)
		return -1;
	if ((gt_privkey_import_x509_raw(key, &d, GNUTLS_X509_FMT_PEM, NULL, 0) < 0 &&
	     gt_privkey_import_x509_raw(key, &d, GNUTLS_X509_FMT_DER, NULL, 0) < 0) ||
	    gt_privkey_get_pk_algorithm(key, NULL) != GNUTLS_PK_RSA) {
		gt_privkey_deinit(key);
		return -1;
	}
	if (kl->rsa)
		gt_privkey_deinit(kl->rsa);
	kl->rsa = key;
	return 0;
}

int ss_keylog_load_rsa_key(struct ss_keylog *kl, const char *path)
{
	size_t len;
	char *data = slurp(path, &len);
	if (!data)
		return -1;
	int rc = ss_keylog_set_rsa_key(kl, data, len);
	gt_wipe(data, len);
	free(data);
	return rc;
}

bool ss_keylog_has_rsa_key(const struct ss_keylog *kl)
{
	return kl->rsa != NULL;
}

int ss_keylog_rsa_decrypt(const struct ss_keylog *kl, const uint8_t *enc,
			  size_t enc_len, uint8_t pms[48])
{
	gnutls_datum_t c = { (unsigned char *)(uintptr_t)enc, (unsigned)enc_len };
	if (!kl->rsa || enc_len == 0 || enc_len > 4096)
		return -1;
	return gt_privkey_decrypt_data2(kl->rsa, 0, &c, pms, 48) < 0 ? -1 : 0;
}
