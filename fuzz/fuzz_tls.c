/*
 * fuzz_tls.c - libFuzzer target for the TLS record layer and handshake
 * follower (dissectors/tls.h), as the pipeline drives it: the in-order
 * bytes of the two directions of one TCP connection, interleaved.
 *
 * Input: a sequence of chunks, each [flags][length, 2 bytes big-endian]
 * [bytes] (a short last chunk takes what is left). flags bit 0: the
 * direction (0 client, 1 server); bit 1: a TCP gap before the chunk
 * (ss_tls_gap). The key log is fixed and tiny: the secrets of two sample
 * connections (samples/tls-TLS_AES_128_GCM_SHA256 and
 * samples/tls-ECDHE-RSA-AES128-GCM-SHA256), so seeds made from those
 * captures (fuzz/seeds/tls-*) reach decryption, TLS 1.3 and TLS 1.2 both,
 * and mutations of them reach the failure paths (bad tags, key updates,
 * broken handshakes).
 *
 * Besides memory errors it checks the module's contract:
 *  - plaintext is handed out per direction, never empty, and its total
 *    equals stats.app_bytes;
 *  - decrypted, no_keys, bad_decrypt and unsupported never exceed records;
 *  - partial records are buffered: the same chunks fed again in pieces of
 *    1 to 7 bytes give the same plaintext and the same counters.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keylog.h"
#include "tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char keys[] =
	"# samples/tls-TLS_AES_128_GCM_SHA256.keys\n"
	"SERVER_HANDSHAKE_TRAFFIC_SECRET 70ef718090013e342db3c846d3d328cdeadb7000eba42ae783e7cc143083447a 370e8699411b36f2bec2442133b94e62fdd5daa4769bae659162469699e0dcd3\n"
	"EXPORTER_SECRET 70ef718090013e342db3c846d3d328cdeadb7000eba42ae783e7cc143083447a c00b805f46fc56abb46ad4c09f073c8ca4305f86ed812fc50481594ba92c5257\n"
	"SERVER_TRAFFIC_SECRET_0 70ef718090013e342db3c846d3d328cdeadb7000eba42ae783e7cc143083447a f41c58de4950bb862fd06ba849a39b6e73fc2bbba5df25187f80410cedd46e48\n"
	"CLIENT_HANDSHAKE_TRAFFIC_SECRET 70ef718090013e342db3c846d3d328cdeadb7000eba42ae783e7cc143083447a 693c85341d600e8ac3e5e63cdd1ea83b70103d0c525c8e3a55c6799b219151b4\n"
	"CLIENT_TRAFFIC_SECRET_0 70ef718090013e342db3c846d3d328cdeadb7000eba42ae783e7cc143083447a 6ef07267631f7e8833b3a9256fea5fc1286a347e6e0b9298ffa30206ecb3f05e\n"
	"# samples/tls-ECDHE-RSA-AES128-GCM-SHA256.keys\n"
	"CLIENT_RANDOM 7b879e92f1627cf8b8996b77e73618dfe265b586a48a3ca6d9268d83c05d4abe 1ae3c5793359960e90458c9ed699103e49dda3a794c45e4b18d5744069565df759db2aa1196b077034ddc069671f68ba\n"
	;

static struct ss_keylog *kl;

struct out {
	uint64_t n[2];		/* plaintext bytes per direction */
	uint64_t h[2];		/* and their FNV-1a hash */
};

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_tls: contract broken: %s\n", what);
	abort();
}

static void on_plain(void *user, int dir, const uint8_t *p, size_t n)
{
	struct out *o = user;
	if (dir != SS_TLS_C2S && dir != SS_TLS_S2C)
		fail("plaintext of no direction");
	if (n == 0 || !p)
		fail("empty plaintext");
	for (size_t i = 0; i < n; i++)
		o->h[dir] = (o->h[dir] ^ p[i]) * 1099511628211u;
	o->n[dir] += n;
}

/* Feed every chunk, each in pieces of at most `piece` bytes (0: whole). */
static void run(const uint8_t *data, size_t size, size_t piece,
		struct out *o, struct ss_tls_stats *st)
{
	struct ss_tls *t = ss_tls_new(kl);
	size_t i = 0, k = 0;
	memset(o, 0, sizeof *o);
	o->h[0] = o->h[1] = 14695981039346656037u;
	while (i < size) {
		uint8_t flags = data[i++];
		size_t len = 0;
		for (int b = 0; b < 2 && i < size; b++)
			len = len << 8 | data[i++];
		if (len > size - i)
			len = size - i;
		int dir = flags & 1;
		if (flags & 2)
			ss_tls_gap(t, dir);
		for (size_t off = 0; off < len;) {
			size_t n = piece ? 1 + (k++ % piece) : len;
			if (n > len - off)
				n = len - off;
			(void)ss_tls_feed(t, dir, data + i + off, n, on_plain, o);
			off += n;
		}
		i += len;
	}
	*st = *ss_tls_stats(t);
	ss_tls_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!kl) {
		size_t bad;
		kl = ss_keylog_new();
		if (ss_keylog_parse(kl, keys, sizeof keys - 1, &bad) != 0)
			fail("the fixed key log does not parse");
	}
	if (size > 1 << 20)
		return 0;
	struct out a, b;
	struct ss_tls_stats sa, sb;
	run(data, size, 0, &a, &sa);
	if (a.n[0] != sa.app_bytes[0] || a.n[1] != sa.app_bytes[1])
		fail("plaintext handed out differs from stats.app_bytes");
	if (sa.decrypted > sa.records || sa.no_keys > sa.records ||
	    sa.bad_decrypt > sa.records || sa.unsupported > sa.records)
		fail("more records counted under a reason than framed");
	run(data, size, 7, &b, &sb);
	if (memcmp(&a, &b, sizeof a) != 0)
		fail("plaintext depends on how the bytes are split");
	if (sa.records != sb.records || sa.decrypted != sb.decrypted ||
	    sa.no_keys != sb.no_keys || sa.bad_decrypt != sb.bad_decrypt ||
	    sa.unsupported != sb.unsupported || sa.key_updates != sb.key_updates ||
	    sa.version != sb.version || sa.suite != sb.suite)
		fail("counters depend on how the bytes are split");
	return 0;
}
