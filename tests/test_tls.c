/*
 * test_tls.c - NSS key log parsing (src/keylog.c) and TLS decryption
 * (dissectors/tls.c, tls_crypto.c).
 *
 * Oracles, none computed by the code under test:
 *   - TLS 1.2 PRF: the P_SHA256 / P_SHA384 "test label" vectors posted to
 *     the IETF TLS list (msg03416), also used by gnutls's own tests;
 *   - HKDF-Expand-Label: RFC 8448 section 3 (Simple 1-RTT Handshake),
 *     traffic secrets -> keys and IVs, and Derive-Secret(early, "derived");
 *   - every connection of every samples/tls-*.pcap, made by
 *     samples/make-tls.sh with openssl s_server/s_client and checked there
 *     with tshark: the plaintext must hold the INVITE (client to server) and
 *     the 200 OK (server to client); fed per segment and byte by byte; with
 *     the RSA key instead of the key log where there is one; with an empty
 *     key log (all records counted as without keys); with one bit flipped
 *     (one decryption failure). -resume captures: the second connection is
 *     resumed; -keyupdate: the ACK after the KeyUpdates is decrypted.
 * Every TCP payload and key log text is handed over from a guard_copy(),
 * so an over-read faults at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <glob.h>
#include <gnutls/crypto.h>
#include <pcap/pcap.h>

#include "guard.h"
#include "keylog.h"
#include "tls.h"

#define CR64 "0102030405060708091011121314151617181920212223242526272829303132"
#define MS96 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" \
	     "202122232425262728292a2b2c2d2e2f"
#define S64 "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = strlen(s) / 2;
	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		char b[3] = { s[2 * i], s[2 * i + 1], 0 };
		out[i] = (uint8_t)strtoul(b, NULL, 16);
	}
	return n;
}

/* ---- key log ------------------------------------------------------------- */

struct kl_case {
	const char *name;
	const char *text;
	int rc;			/* ss_keylog_parse result */
	size_t bad_line;
	size_t count;		/* entries after parsing */
	int kind;		/* a kind that must be present for CR64 (-1: none) */
	size_t len;		/* ... with this length */
};

static const struct kl_case kl_cases[] = {
	{ "empty", "", 0, 0, 0, -1, 0 },
	{ "comments and blanks", "# SSL/TLS secrets log file\n\n   \n#x y z\n", 0, 0, 0, -1, 0 },
	{ "tls12 master", "CLIENT_RANDOM " CR64 " " MS96 "\n", 0, 0, 1, SS_KL_MASTER, 48 },
	{ "crlf, no final newline", "# c\r\nCLIENT_RANDOM " CR64 " " MS96, 0, 0, 1, SS_KL_MASTER, 48 },
	{ "tabs and upper-case hex", "CLIENT_RANDOM\t" CR64 "\t" "AABBCCDDEEFF00112233445566778899"
	  "AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899\n", 0, 0, 1, SS_KL_MASTER, 48 },
	{ "tls13 four secrets, one entry",
	  "SERVER_HANDSHAKE_TRAFFIC_SECRET " CR64 " " S64 "\n"
	  "CLIENT_HANDSHAKE_TRAFFIC_SECRET " CR64 " " S64 "\n"
	  "EXPORTER_SECRET " CR64 " " S64 "\n"
	  "SERVER_TRAFFIC_SECRET_0 " CR64 " " S64 "\n"
	  "CLIENT_TRAFFIC_SECRET_0 " CR64 " " S64 "\n", 0, 0, 1, SS_KL_CLIENT_AP, 32 },
	{ "tls13 sha384 secret", "CLIENT_TRAFFIC_SECRET_0 " CR64 " " MS96 "\n", 0, 0, 1, SS_KL_CLIENT_AP, 48 },
	{ "ignored labels only", "EARLY_EXPORTER_SECRET " CR64 " " S64 "\n"
	  "CLIENT_EARLY_TRAFFIC_SECRET " CR64 " " S64 "\n"
	  "CLIENT_TRAFFIC_SECRET_N " CR64 " " S64 "\n"
	  "ECH_CONFIG " CR64 " " MS96 MS96 S64 "\n", 0, 0, 0, -1, 0 },
	{ "ignored label, bad random", "SERVER_TRAFFIC_SECRET_N 01 " S64 "\n", -1, 1, 0, -1, 0 },
	{ "two connections", "CLIENT_RANDOM " CR64 " " MS96 "\n"
	  "CLIENT_RANDOM " S64 " " MS96 "\n", 0, 0, 2, SS_KL_MASTER, 48 },
	{ "unknown label", "# ok\nCLIENT_RANDOMX " CR64 " " MS96 "\n", -1, 2, 0, -1, 0 },
	{ "short client random", "\n\nCLIENT_RANDOM 0102 " MS96 "\n", -1, 3, 0, -1, 0 },
	{ "bad hex", "CLIENT_RANDOM " CR64 " zz" MS96 "\n", -1, 1, 0, -1, 0 },
	{ "odd secret length", "CLIENT_RANDOM " CR64 " " MS96 "0\n", -1, 1, 0, -1, 0 },
	{ "master not 48 bytes", "CLIENT_RANDOM " CR64 " " S64 "\n", -1, 1, 0, -1, 0 },
	{ "missing secret", "CLIENT_RANDOM " CR64 "\n", -1, 1, 0, -1, 0 },
	{ "extra field", "CLIENT_RANDOM " CR64 " " MS96 " x\n", -1, 1, 0, -1, 0 },
	{ "secret too long", "CLIENT_TRAFFIC_SECRET_0 " CR64 " " MS96 S64 "\n", -1, 1, 0, -1, 0 },
	{ "good then bad", "CLIENT_RANDOM " CR64 " " MS96 "\nfoo bar\n", -1, 2, 1, SS_KL_MASTER, 48 },
};

static void test_keylog_cases(void **state)
{
	(void)state;
	uint8_t cr[32];
	unhex(CR64, cr, sizeof cr);
	for (size_t i = 0; i < sizeof kl_cases / sizeof kl_cases[0]; i++) {
		const struct kl_case *k = &kl_cases[i];
		struct guard g = { 0 };
		struct ss_keylog *kl = ss_keylog_new();
		size_t bad = 99, len = strlen(k->text);
		const char *p = guard_copy(&g, k->text, len);
		int rc = ss_keylog_parse(kl, p, len, &bad);
		if (rc != k->rc || bad != k->bad_line || ss_keylog_count(kl) != k->count)
			fail_msg("%s: rc %d line %zu count %zu", k->name, rc, bad,
				 ss_keylog_count(kl));
		const struct ss_keylog_entry *e = ss_keylog_find(kl, cr);
		if (k->kind >= 0 && (!e || e->len[k->kind] != k->len))
			fail_msg("%s: secret missing", k->name);
		guard_release(&g);
		ss_keylog_free(kl);
	}
}

static void test_keylog_values(void **state)
{
	(void)state;
	uint8_t cr[32], ms[48], other[32];
	const char *text = "CLIENT_RANDOM " CR64 " " MS96 "\n";
	struct ss_keylog *kl = ss_keylog_new();
	size_t bad;
	unhex(CR64, cr, sizeof cr);
	unhex(MS96, ms, sizeof ms);
	memset(other, 0x55, sizeof other);
	assert_int_equal(ss_keylog_parse(kl, text, strlen(text), &bad), 0);
	const struct ss_keylog_entry *e = ss_keylog_find(kl, cr);
	assert_non_null(e);
	assert_memory_equal(e->secret[SS_KL_MASTER], ms, 48);
	assert_int_equal(e->len[SS_KL_CLIENT_HS], 0);
	assert_null(ss_keylog_find(kl, other));
	/* many entries: the table grows and every one is still found */
	for (unsigned i = 0; i < 300; i++) {
		char line[256];
		int n = snprintf(line, sizeof line, "CLIENT_RANDOM %08x%s %s\n",
				 i, CR64 + 8, MS96);
		assert_int_equal(ss_keylog_parse(kl, line, (size_t)n, &bad), 0);
	}
	assert_int_equal(ss_keylog_count(kl), 301);
	for (unsigned i = 0; i < 300; i++) {
		uint8_t r[32];
		memcpy(r, cr, 32);
		r[0] = (uint8_t)(i >> 24), r[1] = (uint8_t)(i >> 16);
		r[2] = (uint8_t)(i >> 8), r[3] = (uint8_t)i;
		assert_non_null(ss_keylog_find(kl, r));
	}
	assert_int_equal(ss_keylog_load(kl, "/nonexistent/keys", &bad), -2);
	assert_int_equal(ss_keylog_load_rsa_key(kl, "/nonexistent/key"), -1);
	assert_int_equal(ss_keylog_set_rsa_key(kl, "not a key", 9), -1);
	assert_false(ss_keylog_has_rsa_key(kl));
	ss_keylog_free(kl);
}

/* ---- key derivation -------------------------------------------------- */

static void test_prf_vectors(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int mac;
		const char *secret, *seed, *out;
	} v[] = {
		{ "P_SHA256", GNUTLS_MAC_SHA256, "9bbe436ba940f017b17652849a71db35",
		  "a0ba9f936cda311827a6f796ffd5198c",
		  "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
		  "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
		  "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
		  "87347b66" },
		{ "P_SHA384", GNUTLS_MAC_SHA384, "b80b733d6ceefcdc71566ea48e5567df",
		  "cd665cf6a8447dd6ff8b27555edb7465",
		  "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
		  "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
		  "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
		  "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"
		  "91c8f3a26854308d5eaa3be85e0990703d73e56f" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t secret[16], seed[16], want[160], got[160];
		size_t sl = unhex(v[i].secret, secret, sizeof secret);
		size_t dl = unhex(v[i].seed, seed, sizeof seed);
		size_t n = unhex(v[i].out, want, sizeof want);
		assert_int_equal(ss_tls_prf(v[i].mac, secret, sl, "test label",
					    seed, dl, got, n), 0);
		if (memcmp(got, want, n) != 0)
			fail_msg("%s differs", v[i].name);
		/* a shorter request is a prefix (P_hash is a stream) */
		assert_int_equal(ss_tls_prf(v[i].mac, secret, sl, "test label",
					    seed, dl, got, 33), 0);
		assert_memory_equal(got, want, 33);
	}
}

static void test_hkdf_label_rfc8448(void **state)
{
	(void)state;
	static const struct {
		const char *name, *secret, *label, *ctx, *out;
	} v[] = {
		{ "server hs key", "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38",
		  "key", "", "3fce516009c21727d0f2e4e86ee403bc" },
		{ "server hs iv", "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38",
		  "iv", "", "5d313eb2671276ee13000b30" },
		{ "client hs key", "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21",
		  "key", "", "dbfaa693d1762c5b666af5d950258d01" },
		{ "client hs iv", "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21",
		  "iv", "", "5bd3c71b836e0b76bb73265f" },
		{ "server ap key", "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643",
		  "key", "", "9f02283b6c9c07efc26bb9f2ac92e356" },
		{ "server ap iv", "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643",
		  "iv", "", "cf782b88dd83549aadf1e984" },
		{ "client ap key", "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5",
		  "key", "", "17422dda596ed5d9acd890e3c63f5051" },
		{ "client ap iv", "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5",
		  "iv", "", "5b78923dee08579033e523d9" },
		{ "derived (context)", "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a",
		  "derived", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		  "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		uint8_t secret[32], ctx[32], want[32], got[32];
		size_t sl = unhex(v[i].secret, secret, sizeof secret);
		size_t cl = unhex(v[i].ctx, ctx, sizeof ctx);
		size_t n = unhex(v[i].out, want, sizeof want);
		assert_int_equal(ss_tls_hkdf_expand_label(GNUTLS_MAC_SHA256, secret, sl,
							  v[i].label, ctx, cl, got, n), 0);
		if (memcmp(got, want, n) != 0)
			fail_msg("%s differs", v[i].name);
	}
}

static void test_looks_like(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		uint8_t b[6];
		size_t n;
		bool want;
	} v[] = {
		{ "tls1.0 ClientHello", { 22, 3, 1, 0, 200, 1 }, 6, true },
		{ "tls1.2 record header only", { 22, 3, 3, 0x10, 0, 0 }, 5, true },
		{ "too short", { 22, 3, 1, 0 }, 4, false },
		{ "not handshake", { 23, 3, 3, 0, 20, 1 }, 6, false },
		{ "ssl3", { 22, 3, 0, 0, 20, 1 }, 6, false },
		{ "version 3.5", { 22, 3, 5, 0, 20, 1 }, 6, false },
		{ "not ClientHello", { 22, 3, 3, 0, 20, 2 }, 6, false },
		{ "too long", { 22, 3, 3, 0x48, 1, 1 }, 6, false },
		{ "SIP", { 'I', 'N', 'V', 'I', 'T', 'E' }, 6, false },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct guard g = { 0 };
		const uint8_t *p = guard_copy(&g, v[i].b, v[i].n);
		if (ss_tls_looks_like(p, v[i].n) != v[i].want)
			fail_msg("%s", v[i].name);
		guard_release(&g);
	}
}

/* ---- captures -------------------------------------------------------- */

#define STREAM_MAX 65536

/* The TCP payload of one connection, per direction, in order. */
struct conn {
	uint8_t *data[2];
	size_t len[2];
	struct { int dir; size_t len; } *seg;	/* segments in capture order */
	size_t nseg;
};

static void conn_free(struct conn *c)
{
	for (int d = 0; d < 2; d++)
		free(c->data[d]);
	free(c->seg);
}

/* Which connection of the capture is read: the idx-th SYN (0-based). */
struct pick {
	int idx, syns;
	uint16_t client_port;	/* 0 until the idx-th SYN is seen */
	uint32_t next[2];
};

static void conn_append(struct conn *c, int d, const uint8_t *p, size_t k)
{
	assert_true(c->len[d] + k <= STREAM_MAX);
	memcpy(c->data[d] + c->len[d], p, k);
	c->len[d] += k;
	c->seg = realloc(c->seg, (c->nseg + 1) * sizeof c->seg[0]);
	assert_non_null(c->seg);
	c->seg[c->nseg].dir = d;
	c->seg[c->nseg++].len = k;
}

/* Ethernet + IPv4 + TCP; the client is whoever sent the SYN. Loopback-ish
 * captures are in order; retransmissions (seq below next) are dropped. */
static void conn_add(struct conn *c, const uint8_t *f, size_t n, struct pick *pk)
{
	if (n < 14 + 20 || f[12] != 0x08 || f[13] != 0x00 || f[14 + 9] != 6)
		return;
	size_t ihl = (size_t)(f[14] & 15) * 4, tcp = 14 + ihl;
	size_t ipend = 14 + ((size_t)f[16] << 8 | f[17]);
	assert_true(ipend <= n && tcp + 20 <= ipend);
	size_t doff = (size_t)(f[tcp + 12] >> 4) * 4, pl = tcp + doff;
	uint16_t sport = (uint16_t)(f[tcp] << 8 | f[tcp + 1]);
	uint16_t dport = (uint16_t)(f[tcp + 2] << 8 | f[tcp + 3]);
	uint32_t seq = (uint32_t)f[tcp + 4] << 24 | (uint32_t)f[tcp + 5] << 16 |
		       (uint32_t)f[tcp + 6] << 8 | f[tcp + 7];
	uint8_t flags = f[tcp + 13];
	if ((flags & 0x12) == 0x02 && pk->syns++ == pk->idx)
		pk->client_port = sport;
	if (pk->client_port == 0 ||
	    (sport != pk->client_port && dport != pk->client_port))
		return;
	int d = sport == pk->client_port ? 0 : 1;
	if (flags & 0x02) {
		pk->next[d] = seq + 1;
		return;
	}
	if (pl >= ipend || seq != pk->next[d])
		return;
	conn_append(c, d, f + pl, ipend - pl);
	pk->next[d] = seq + (uint32_t)(ipend - pl);
}

/* Read connection idx of a capture; false when there is no such one. */
static bool conn_read(const char *path, int idx, struct conn *c)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *f;
	struct pick pk = { .idx = idx };
	if (!pc)
		fail_msg("%s: %s", path, err);
	assert_int_equal(pcap_datalink(pc), DLT_EN10MB);
	memset(c, 0, sizeof *c);
	for (int d = 0; d < 2; d++)
		c->data[d] = malloc(STREAM_MAX);
	while (pcap_next_ex(pc, &h, &f) == 1)
		conn_add(c, f, h->caplen, &pk);
	pcap_close(pc);
	if (pk.client_port == 0) {
		conn_free(c);
		return false;
	}
	assert_true(c->len[0] > 0 && c->len[1] > 0);
	return true;
}

struct plain {
	char text[2][8192];
	size_t len[2];
};

static void on_plain(void *user, int dir, const uint8_t *p, size_t n)
{
	struct plain *pl = user;
	assert_true(dir == 0 || dir == 1);
	assert_true(pl->len[dir] + n < sizeof pl->text[dir]);
	memcpy(pl->text[dir] + pl->len[dir], p, n);
	pl->len[dir] += n;
	pl->text[dir][pl->len[dir]] = '\0';
}

enum feed_mode { FEED_SEGMENTS, FEED_BYTES };

/* Feed one chunk from a guard_copy(). */
static void feed(struct ss_tls *t, int d, const uint8_t *p, size_t n,
		 struct plain *pl)
{
	struct guard g = { 0 };
	const uint8_t *q = guard_copy(&g, p, n);
	assert_int_equal(ss_tls_feed(t, d, q, n, on_plain, pl), 0);
	guard_release(&g);
}

/* Replay the connection's segments in capture order, each whole or
 * byte by byte. */
static void replay(struct ss_tls *t, const struct conn *c, enum feed_mode m,
		   struct plain *pl)
{
	size_t off[2] = { 0, 0 };
	for (size_t i = 0; i < c->nseg; i++) {
		int d = c->seg[i].dir;
		size_t k = c->seg[i].len;
		if (m == FEED_BYTES)
			for (size_t j = 0; j < k; j++)
				feed(t, d, c->data[d] + off[d] + j, 1, pl);
		else
			feed(t, d, c->data[d] + off[d], k, pl);
		off[d] += k;
	}
}

static struct ss_keylog *load_keys(const char *pcap, bool keylog, bool rsa)
{
	char path[4096];
	size_t bad, n = strlen(pcap) - strlen(".pcap");
	struct ss_keylog *kl = ss_keylog_new();
	if (keylog) {
		snprintf(path, sizeof path, "%.*s.keys", (int)n, pcap);
		assert_int_equal(ss_keylog_load(kl, path, &bad), 0);
	}
	if (rsa) {
		snprintf(path, sizeof path, "%.*s.key.pem", (int)n, pcap);
		assert_int_equal(ss_keylog_load_rsa_key(kl, path), 0);
	}
	return kl;
}

static bool has_rsa_key_file(const char *pcap)
{
	char path[4096];
	size_t n = strlen(pcap) - strlen(".pcap");
	snprintf(path, sizeof path, "%.*s.key.pem", (int)n, pcap);
	FILE *f = fopen(path, "r");
	if (f)
		fclose(f);
	return f != NULL;
}

/* Decrypt one connection; expect the INVITE and the 200 OK, nothing lost. */
static void expect_sip(const char *pcap, int idx, const struct conn *c,
		       bool keylog, bool rsa, enum feed_mode m)
{
	struct plain *pl = calloc(1, sizeof *pl);
	struct ss_keylog *kl = load_keys(pcap, keylog, rsa);
	struct ss_tls *t = ss_tls_new(kl);
	replay(t, c, m, pl);
	const struct ss_tls_stats *st = ss_tls_stats(t);
	if (st->decrypted < 2 || st->no_keys || st->bad_decrypt || st->unsupported ||
	    st->malformed || st->lost || !st->suite_supported ||
	    !strstr(pl->text[0], "INVITE sip:") || !strstr(pl->text[1], "SIP/2.0 200"))
		fail_msg("%s #%d (keylog %d rsa %d mode %d): decrypted %llu no_keys %llu "
			 "bad %llu unsupported %llu malformed %llu suite %04x", pcap, idx,
			 keylog, rsa, (int)m, (unsigned long long)st->decrypted,
			 (unsigned long long)st->no_keys, (unsigned long long)st->bad_decrypt,
			 (unsigned long long)st->unsupported,
			 (unsigned long long)st->malformed, st->suite);
	if (strstr(pcap, "-keyupdate") &&
	    (st->key_updates < 1 || !strstr(pl->text[0], "ACK sip:")))
		fail_msg("%s: key updates %llu, ACK under the new keys missing", pcap,
			 (unsigned long long)st->key_updates);
	if (strstr(pcap, "-resume") && st->resumed != (idx == 1))
		fail_msg("%s #%d: resumed %d", pcap, idx, st->resumed);
	if (m == FEED_SEGMENTS)
		print_message("%-44s #%d %s %s %s%s%s%s: %llu records decrypted, SIP found\n",
			      strrchr(pcap, '/') + 1, idx,
			      st->version == 0x0304 ? "TLS1.3" : "TLS1.2",
			      ss_tls_suite_name(st->suite), rsa ? " rsa-key" : "",
			      st->resumed ? " resumed" : "", st->etm ? " etm" : "",
			      st->ems ? " ems" : "", (unsigned long long)st->decrypted);
	if (m == FEED_SEGMENTS && st->key_updates)
		print_message("    %llu KeyUpdate(s) followed\n",
			      (unsigned long long)st->key_updates);
	ss_tls_free(t);
	ss_keylog_free(kl);
	free(pl);
}

/* Without keys: every protected record is counted, nothing is delivered. */
static void expect_no_keys(const char *pcap, int idx, const struct conn *c)
{
	struct plain *pl = calloc(1, sizeof *pl);
	struct ss_keylog *kl = ss_keylog_new();
	struct ss_tls *t = ss_tls_new(kl);
	replay(t, c, FEED_SEGMENTS, pl);
	const struct ss_tls_stats *st = ss_tls_stats(t);
	if (st->no_keys < 2 || st->decrypted || pl->len[0] || pl->len[1] ||
	    st->bad_decrypt || !st->suite_supported)
		fail_msg("%s #%d without keys: no_keys %llu decrypted %llu", pcap, idx,
			 (unsigned long long)st->no_keys,
			 (unsigned long long)st->decrypted);
	assert_int_equal(st->rsa_no_key, st->rsa_kx);
	ss_tls_free(t);
	ss_keylog_free(kl);
	free(pl);
}

/* A flipped bit in the client's last record (close_notify or data) must
 * count as a decryption failure, not as plaintext. */
static void expect_bad_tag(const char *pcap, int idx, struct conn *c)
{
	struct plain *pl = calloc(1, sizeof *pl);
	struct ss_keylog *kl = load_keys(pcap, true, false);
	struct ss_tls *t = ss_tls_new(kl);
	c->data[0][c->len[0] - 1] ^= 0x01;
	replay(t, c, FEED_SEGMENTS, pl);
	c->data[0][c->len[0] - 1] ^= 0x01;
	if (ss_tls_stats(t)->bad_decrypt != 1)
		fail_msg("%s #%d: tampered record not detected", pcap, idx);
	ss_tls_free(t);
	ss_keylog_free(kl);
	free(pl);
}

static void test_samples(void **state)
{
	(void)state;
	glob_t gl;
	struct conn c;
	assert_int_equal(glob(TOP_SRCDIR "/samples/tls-*.pcap", 0, NULL, &gl), 0);
	assert_true(gl.gl_pathc >= 10);
	for (size_t i = 0; i < gl.gl_pathc; i++) {
		const char *p = gl.gl_pathv[i];
		int idx;
		for (idx = 0; conn_read(p, idx, &c); idx++) {
			expect_sip(p, idx, &c, true, false, FEED_SEGMENTS);
			expect_sip(p, idx, &c, true, false, FEED_BYTES);
			if (has_rsa_key_file(p))
				expect_sip(p, idx, &c, false, true, FEED_SEGMENTS);
			expect_no_keys(p, idx, &c);
			expect_bad_tag(p, idx, &c);
			conn_free(&c);
		}
		assert_true(idx > 0);
	}
	globfree(&gl);
}

static void test_not_tls(void **state)
{
	(void)state;
	static const char sip[] = "INVITE sip:bob@example.com SIP/2.0\r\n";
	struct ss_keylog *kl = ss_keylog_new();
	struct ss_tls *t = ss_tls_new(kl);
	struct guard g = { 0 };
	const uint8_t *p = guard_copy(&g, sip, sizeof sip - 1);
	assert_int_equal(ss_tls_feed(t, SS_TLS_C2S, p, sizeof sip - 1, on_plain, NULL), -1);
	assert_int_equal(ss_tls_feed(t, SS_TLS_C2S, p, 1, on_plain, NULL), -1);
	assert_true(ss_tls_stats(t)->lost);
	assert_int_equal(ss_tls_feed(t, 7, p, 1, on_plain, NULL), -1);
	/* a header split over two feeds is still judged */
	const uint8_t bad[] = { 22, 3, 3, 0x50, 0x00 };	/* length > 2^14 + 2048 */
	assert_int_equal(ss_tls_feed(t, SS_TLS_S2C, bad, 3, on_plain, NULL), 0);
	assert_int_equal(ss_tls_feed(t, SS_TLS_S2C, bad + 3, 2, on_plain, NULL), -1);
	guard_release(&g);
	ss_tls_gap(t, SS_TLS_S2C);
	ss_tls_free(t);
	ss_keylog_free(kl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keylog_cases),
		cmocka_unit_test(test_keylog_values),
		cmocka_unit_test(test_prf_vectors),
		cmocka_unit_test(test_hkdf_label_rfc8448),
		cmocka_unit_test(test_looks_like),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_not_tls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
