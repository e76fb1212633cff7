/*
 * tls.c - TLS record layer and handshake tracking for decryption (see tls.h).
 *
 *   records              RFC 5246 6.2, RFC 8446 5.1
 *   handshake messages   RFC 5246 7.4, RFC 8446 4 (ClientHello 4.1.2,
 *                        ServerHello 4.1.3, HelloRetryRequest 4.1.4,
 *                        Finished 4.4.4, KeyUpdate 4.6.3)
 *   extensions           supported_versions (RFC 8446 4.2.1), key_share
 *                        (4.2.8), pre_shared_key (4.2.11),
 *                        encrypt_then_mac (RFC 7366),
 *                        extended_master_secret (RFC 7627)
 *
 * Keys: TLS 1.2 from the key log's CLIENT_RANDOM master secret (or the RSA
 * premaster in ClientKeyExchange), switched on per direction by that
 * direction's ChangeCipherSpec; TLS 1.3 from the handshake traffic secrets
 * right after ServerHello, then from the application traffic secrets after
 * each direction's Finished.
 */
#include "tls.h"
#include "tls_int.h"

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "xalloc.h"

#define HS_MAX (64 * 1024)	/* largest handshake message kept; bigger are skipped */

enum {
	CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APP = 23, CT_HEARTBEAT = 24
};
enum {
	HS_CLIENT_HELLO = 1, HS_SERVER_HELLO = 2, HS_CKE = 16, HS_FINISHED = 20,
	HS_KEY_UPDATE = 24
};
enum {
	EXT_ETM = 22, EXT_EMS = 23, EXT_PSK = 41, EXT_SUPPORTED_VERSIONS = 43,
	EXT_KEY_SHARE = 51
};

/* One direction of the connection. */
struct tls_dir {
	uint8_t *rec;		/* owned: a partial record, TLS_HDR + TLS_FRAG_MAX */
	size_t rec_n;
	uint8_t *plain;		/* owned: the last decrypted fragment, TLS_FRAG_MAX */
	uint8_t *hs;		/* owned: the handshake message being reassembled */
	size_t hs_n, hs_cap;
	size_t hs_skip;		/* body bytes of an oversized message still to skip */
	struct tls_cipher rd;	/* keys protecting this direction (owned handles) */
	bool encrypted;		/* its records are protected from now on */
	bool ccs;		/* TLS 1.2 ChangeCipherSpec seen */
	bool dead;
};

struct ss_tls {
	const struct ss_keylog *kl;	/* borrowed */
	struct tls_dir d[2];
	uint8_t cr[32], sr[32];
	bool have_cr, have_sh;
	bool key_share;			/* ServerHello carried key_share */
	const struct tls_suite *suite;	/* NULL until a supported suite is chosen */
	gnutls_hash_hd_t th[2];		/* TLS 1.2 transcript SHA-256, SHA-384
					 * (owned; only with an RSA key, for EMS) */
	struct ss_tls_stats st;
};

static const uint8_t hrr_random[32] = {	/* SHA-256("HelloRetryRequest") */
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02,
	0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E,
	0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C
};

struct ss_tls *ss_tls_new(const struct ss_keylog *kl)
{
	struct ss_tls *t = xcalloc(1, sizeof *t);
	t->kl = kl;
	if (ss_keylog_has_rsa_key(kl) &&
	    (gt_hash_init(&t->th[0], GNUTLS_DIG_SHA256) < 0 ||
	     gt_hash_init(&t->th[1], GNUTLS_DIG_SHA384) < 0)) {
		/* without a transcript only non-EMS TLS_RSA can be decrypted */
		if (t->th[0])
			gt_hash_deinit(t->th[0], NULL);
		t->th[0] = t->th[1] = NULL;
	}
	return t;
}

static void transcript_end(struct ss_tls *t)
{
	for (int i = 0; i < 2; i++) {
		if (t->th[i])
			gt_hash_deinit(t->th[i], NULL);
		t->th[i] = NULL;
	}
}

void ss_tls_free(struct ss_tls *t)
{
	if (!t)
		return;
	for (int i = 0; i < 2; i++) {
		struct tls_dir *d = &t->d[i];
		tls_cipher_clear(&d->rd);
		if (d->plain)
			gt_wipe(d->plain, TLS_FRAG_MAX);
		free(d->rec);
		free(d->plain);
		free(d->hs);
	}
	transcript_end(t);
	gt_wipe(t, sizeof *t);
	free(t);
}

const struct ss_tls_stats *ss_tls_stats(const struct ss_tls *t)
{
	return &t->st;
}

bool ss_tls_looks_like(const uint8_t *p, size_t n)
{
	if (n < TLS_HDR || p[0] != CT_HANDSHAKE || p[1] != 3 || p[2] < 1 || p[2] > 4)
		return false;
	size_t len = (size_t)p[3] << 8 | p[4];
	return len >= 4 && len <= TLS_FRAG_MAX && (n < 6 || p[5] == HS_CLIENT_HELLO);
}

void ss_tls_gap(struct ss_tls *t, int dir)
{
	if (dir != SS_TLS_C2S && dir != SS_TLS_S2C)
		return;
	t->d[dir].dead = true;
	t->st.lost = true;
}

/* ---- handshake messages ----------------------------------------------- */

/* Walk an extensions block, calling fn for each; false when malformed. */
static bool walk_extensions(struct ss_tls *t, struct cursor *c,
			    void (*fn)(struct ss_tls *, uint16_t, struct cursor *))
{
	uint16_t total, type, len;
	struct cursor all, ext;
	if (cur_left(c) == 0)
		return true;	/* TLS 1.2 allows no extensions at all */
	if (!cur_be16(c, &total) || !cur_sub(c, total, &all))
		return false;
	while (cur_left(&all) > 0) {
		if (!cur_be16(&all, &type) || !cur_be16(&all, &len) ||
		    !cur_sub(&all, len, &ext))
			return false;
		fn(t, type, &ext);
	}
	return true;
}

static void client_ext(struct ss_tls *t, uint16_t type, struct cursor *e)
{
	(void)t, (void)type, (void)e;	/* the ServerHello decides everything */
}

/* ClientHello: legacy_version, random, session_id, cipher_suites,
 * compression_methods, extensions (RFC 8446 4.1.2, RFC 5246 7.4.1.2). */
static bool client_hello(struct ss_tls *t, struct cursor *c)
{
	uint8_t sidlen, complen;
	uint16_t ver, cslen;
	if (!cur_be16(c, &ver) || cur_left(c) < 32)
		return false;
	memcpy(t->cr, c->p, 32);
	cur_skip(c, 32);
	if (!cur_u8(c, &sidlen) || sidlen > 32 || !cur_skip(c, sidlen) ||
	    !cur_be16(c, &cslen) || !cur_skip(c, cslen) ||
	    !cur_u8(c, &complen) || !cur_skip(c, complen))
		return false;
	t->have_cr = true;
	return walk_extensions(t, c, client_ext);
}

static void server_ext(struct ss_tls *t, uint16_t type, struct cursor *e)
{
	uint16_t v;
	if (type == EXT_SUPPORTED_VERSIONS && cur_be16(e, &v))
		t->st.version = v;
	else if (type == EXT_ETM)
		t->st.etm = true;
	else if (type == EXT_EMS)
		t->st.ems = true;
	else if (type == EXT_KEY_SHARE)
		t->key_share = true;
	else if (type == EXT_PSK)
		t->st.resumed = true;	/* TLS 1.3 resumption (RFC 8446 4.2.11) */
}

static bool server_hello_parse(struct ss_tls *t, struct cursor *c, bool *hrr)
{
	uint8_t sidlen, comp;
	uint16_t ver, suite;
	if (!cur_be16(c, &ver) || cur_left(c) < 32)
		return false;
	*hrr = memcmp(c->p, hrr_random, 32) == 0;
	memcpy(t->sr, c->p, 32);
	cur_skip(c, 32);
	if (!cur_u8(c, &sidlen) || sidlen > 32 || !cur_skip(c, sidlen) ||
	    !cur_be16(c, &suite) || !cur_u8(c, &comp))
		return false;
	t->st.version = ver;
	t->st.suite = suite;
	t->st.etm = t->st.ems = t->key_share = t->st.resumed = false;
	return walk_extensions(t, c, server_ext);
}

/* TLS 1.3: one direction's keys from a key log secret, if it is there. */
static void keys13(struct ss_tls *t, int dir, int kind)
{
	const struct ss_keylog_entry *e = ss_keylog_find(t->kl, t->cr);
	tls_cipher_clear(&t->d[dir].rd);
	if (e && e->len[kind])
		tls_keys13(&t->d[dir].rd, t->suite, e->secret[kind], e->len[kind]);
}

/* TLS 1.2: both directions' keys from a master secret. */
static void keys12(struct ss_tls *t, const uint8_t master[48])
{
	tls_keys12(&t->d[SS_TLS_C2S].rd, &t->d[SS_TLS_S2C].rd, t->suite, master,
		   t->cr, t->sr, t->st.etm);
}

static void server_hello(struct ss_tls *t, struct cursor *c)
{
	bool hrr;
	if (!server_hello_parse(t, c, &hrr) || !t->have_cr) {
		t->st.malformed++;
		return;
	}
	if (hrr)
		return;	/* a second ClientHello and ServerHello follow */
	t->have_sh = true;
	t->suite = tls_suite_find(t->st.suite);
	bool v13 = t->st.version == 0x0304;
	if (t->suite && t->suite->tls13 != v13)
		t->suite = NULL;	/* a 1.3 suite in 1.2 or the reverse */
	if (t->st.version < 0x0303 || t->st.version > 0x0304)
		t->suite = NULL;	/* SSL 3.0 .. TLS 1.1: other PRF, not done */
	t->st.suite_supported = t->suite != NULL;
	if (!t->suite || v13 || !t->suite->rsa_kx)
		transcript_end(t);
	if (!t->suite)
		return;
	if (v13) {
		keys13(t, SS_TLS_C2S, SS_KL_CLIENT_HS);
		keys13(t, SS_TLS_S2C, SS_KL_SERVER_HS);
		t->d[SS_TLS_C2S].encrypted = t->d[SS_TLS_S2C].encrypted = true;
		return;
	}
	const struct ss_keylog_entry *e = ss_keylog_find(t->kl, t->cr);
	t->st.rsa_kx = t->suite->rsa_kx;
	if (e && e->len[SS_KL_MASTER] == 48)
		keys12(t, e->secret[SS_KL_MASTER]);
	else if (t->suite->rsa_kx && !ss_keylog_has_rsa_key(t->kl))
		t->st.rsa_no_key = true;
}

/* TLS_RSA ClientKeyExchange: EncryptedPreMasterSecret<0..2^16-1>
 * (RFC 5246 7.4.7.1); the transcript already holds this message. */
static void client_key_exchange(struct ss_tls *t, struct cursor *c)
{
	uint8_t pms[48], master[48], hash[48];
	uint16_t len;
	struct cursor enc;
	if (!t->suite || !t->suite->rsa_kx || t->d[SS_TLS_C2S].rd.suite)
		return;	/* not RSA, or the key log already had the master secret */
	if (!cur_be16(c, &len) || !cur_sub(c, len, &enc) ||
	    ss_keylog_rsa_decrypt(t->kl, enc.p, len, pms) < 0) {
		t->st.rsa_no_key = true;
		transcript_end(t);
		return;
	}
	int h = t->suite->prf == GNUTLS_MAC_SHA384;
	bool ok = !t->st.ems || t->th[h];
	if (ok && t->st.ems)
		gt_hash_output(t->th[h], hash);
	transcript_end(t);
	if (ok && tls_master12(t->suite, pms, 48, t->cr, t->sr,
			       t->st.ems ? hash : NULL, h ? 48 : 32, master) == 0)
		keys12(t, master);
	else
		t->st.rsa_no_key = true;
	gt_wipe(pms, sizeof pms);
	gt_wipe(master, sizeof master);
}

/* TLS 1.3 Finished: the sender switches to its application traffic keys. */
static void finished13(struct ss_tls *t, int dir)
{
	if (t->st.version != 0x0304 || !t->suite || !t->d[dir].encrypted)
		return;
	keys13(t, dir, dir == SS_TLS_C2S ? SS_KL_CLIENT_AP : SS_KL_SERVER_AP);
}

static void key_update(struct ss_tls *t, int dir)
{
	if (t->st.version != 0x0304)
		return;
	t->st.key_updates++;
	if (t->d[dir].rd.suite && tls_key_update(&t->d[dir].rd) < 0)
		tls_cipher_clear(&t->d[dir].rd);
}

static void handle_message(struct ss_tls *t, int dir, uint8_t type,
			   const uint8_t *body, size_t len)
{
	struct cursor c = cur_make(body, len);
	if (type == HS_CLIENT_HELLO && dir == SS_TLS_C2S) {
		if (!client_hello(t, &c))
			t->st.malformed++;
	} else if (type == HS_SERVER_HELLO && dir == SS_TLS_S2C) {
		server_hello(t, &c);
	} else if (type == HS_CKE && dir == SS_TLS_C2S) {
		client_key_exchange(t, &c);
	} else if (type == HS_FINISHED) {
		finished13(t, dir);
	} else if (type == HS_KEY_UPDATE) {
		key_update(t, dir);
	}
}

static void transcript_add(struct ss_tls *t, const uint8_t *p, size_t n)
{
	for (int i = 0; i < 2; i++)
		if (t->th[i])
			gt_hash(t->th[i], p, n);
}

/* Bytes of the current handshake message: the header, then header + body. */
static size_t hs_need(const struct tls_dir *d)
{
	if (d->hs_n < 4)
		return 4;
	return 4 + ((size_t)d->hs[1] << 16 | (size_t)d->hs[2] << 8 | d->hs[3]);
}

/* Reassemble handshake messages (they may span records and records may
 * hold several) from the plaintext of dir's handshake records. */
static void hs_feed(struct ss_tls *t, int dir, const uint8_t *p, size_t n,
		    bool plain)
{
	struct tls_dir *d = &t->d[dir];
	while (n > 0) {
		size_t k;
		if (d->hs_skip) {
			k = n < d->hs_skip ? n : d->hs_skip;
			if (plain)
				transcript_add(t, p, k);
			d->hs_skip -= k;
			p += k, n -= k;
			continue;
		}
		if (!d->hs) {
			d->hs_cap = 4096;
			d->hs = xmalloc(d->hs_cap);
		}
		size_t need = hs_need(d);
		if (need > HS_MAX) {	/* e.g. a huge certificate chain */
			if (plain)
				transcript_add(t, d->hs, d->hs_n);
			d->hs_skip = need - d->hs_n;
			d->hs_n = 0;
			continue;
		}
		if (need > d->hs_cap) {
			d->hs_cap = need;
			d->hs = xrealloc(d->hs, d->hs_cap);
		}
		k = need - d->hs_n < n ? need - d->hs_n : n;
		memcpy(d->hs + d->hs_n, p, k);
		d->hs_n += k;
		p += k, n -= k;
		if (d->hs_n < 4 || d->hs_n < hs_need(d))
			continue;	/* the header is in: need recomputed */
		if (plain)
			transcript_add(t, d->hs, need);
		d->hs_n = 0;
		handle_message(t, dir, d->hs[0], d->hs + 4, need - 4);
	}
}

/* ---- records ------------------------------------------------------------ */

static void change_cipher_spec(struct ss_tls *t, int dir)
{
	struct tls_dir *d = &t->d[dir];
	if (t->st.version == 0x0304 || d->ccs)
		return;	/* TLS 1.3 middlebox compatibility CCS (RFC 8446 D.4) */
	d->ccs = true;
	d->encrypted = true;
	d->rd.seq = 0;
	if (dir == SS_TLS_S2C && !t->d[SS_TLS_C2S].ccs)
		t->st.resumed = true;	/* abbreviated handshake: server goes first */
}

static void deliver(struct ss_tls *t, int dir, uint8_t type, const uint8_t *p,
		    size_t n, ss_tls_plain_cb cb, void *user)
{
	if (type == CT_APP) {
		t->st.app_bytes[dir] += n;
		if (n && cb)
			cb(user, dir, p, n);
	} else if (type == CT_HANDSHAKE) {
		hs_feed(t, dir, p, n, false);
	}	/* alerts and heartbeats carry nothing for us */
}

static void encrypted_record(struct ss_tls *t, int dir, const uint8_t *hdr,
			     const uint8_t *frag, size_t len, ss_tls_plain_cb cb,
			     void *user)
{
	struct tls_dir *d = &t->d[dir];
	uint8_t type;
	size_t n;
	if (t->st.version == 0x0304 && hdr[0] != CT_APP)
		return;	/* 1.3: only application_data records are protected */
	if (!t->suite) {
		t->st.unsupported++;
		return;
	}
	if (!d->rd.suite) {
		t->st.no_keys++;
		return;
	}
	if (!d->plain)
		d->plain = xmalloc(TLS_FRAG_MAX);
	uint16_t ver = (uint16_t)(hdr[1] << 8 | hdr[2]);
	if (tls_decrypt(&d->rd, ver, hdr, frag, len, d->plain, &n, &type) < 0) {
		t->st.bad_decrypt++;
		return;
	}
	t->st.decrypted++;
	deliver(t, dir, type, d->plain, n, cb, user);
}

static void record(struct ss_tls *t, int dir, const uint8_t *hdr,
		   const uint8_t *frag, size_t len, ss_tls_plain_cb cb, void *user)
{
	struct tls_dir *d = &t->d[dir];
	t->st.records++;
	if (hdr[0] == CT_CCS && (!d->ccs || t->st.version == 0x0304))
		change_cipher_spec(t, dir);
	else if (d->encrypted)
		encrypted_record(t, dir, hdr, frag, len, cb, user);
	else if (hdr[0] == CT_HANDSHAKE)
		hs_feed(t, dir, frag, len, true);
	else if (hdr[0] == CT_APP)
		t->st.malformed++;	/* application data before any keys */
}

/* A sane record header: known type, version 3.x, length within limits. */
static bool header_ok(const uint8_t *h, size_t *len)
{
	*len = (size_t)h[3] << 8 | h[4];
	return h[0] >= CT_CCS && h[0] <= CT_HEARTBEAT && h[1] == 3 && h[2] <= 4 &&
	       *len <= TLS_FRAG_MAX;
}

static int lose(struct ss_tls *t, struct tls_dir *d)
{
	d->dead = true;
	d->rec_n = 0;
	t->st.lost = true;
	return -1;
}

int ss_tls_feed(struct ss_tls *t, int dir, const uint8_t *p, size_t n,
		ss_tls_plain_cb cb, void *user)
{
	if (dir != SS_TLS_C2S && dir != SS_TLS_S2C)
		return -1;
	struct tls_dir *d = &t->d[dir];
	size_t flen = 0;
	if (d->dead)
		return -1;
	while (n > 0) {
		if (d->rec_n == 0 && n >= TLS_HDR) {	/* whole record in place? */
			if (!header_ok(p, &flen))
				return lose(t, d);
			if (n >= TLS_HDR + flen) {
				record(t, dir, p, p + TLS_HDR, flen, cb, user);
				p += TLS_HDR + flen, n -= TLS_HDR + flen;
				continue;
			}
		}
		if (!d->rec)
			d->rec = xmalloc(TLS_HDR + TLS_FRAG_MAX);
		size_t want = TLS_HDR;
		if (d->rec_n >= TLS_HDR) {
			header_ok(d->rec, &flen);
			want += flen;
		}
		size_t k = want - d->rec_n < n ? want - d->rec_n : n;
		memcpy(d->rec + d->rec_n, p, k);
		d->rec_n += k;
		p += k, n -= k;
		if (d->rec_n == TLS_HDR && !header_ok(d->rec, &flen))
			return lose(t, d);
		if (d->rec_n >= TLS_HDR && d->rec_n == TLS_HDR + flen) {
			d->rec_n = 0;
			record(t, dir, d->rec, d->rec + TLS_HDR, flen, cb, user);
		}
	}
	return 0;
}
