/*
 * test_sip_fast.c - sip_parse() (one pass, fast paths for the usual
 * shapes of From, To, Contact and Via) against sip_parse_ref() (the
 * straightforward parser): every field of struct sip_msg must come out the
 * same, slice for slice, on the RFC 4475/5118 torture messages, the UDP
 * payloads of the sample captures and the corpus captures, and mutations
 * of all of them (one byte replaced by a delimiter at every position,
 * truncation at every line end, seeded random damage): PROTOS-like inputs
 * aimed at the fast paths' edges.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "guard.h"
#include "packet.h"
#include "sip.h"
#include "sip_int.h"
#include "sip_same.h"

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

static unsigned long compared;

static struct sip_header ha[4096], hb[4096];

/* sip_looks_like() as it was before its shortcut for the usual start
 * lines: the oracle the shortcut must agree with on every input. */
static size_t ref_version_len(const uint8_t *p, size_t n)
{
	size_t i = 4, d;
	if (n < 4 || (p[0] | 32) != 's' || (p[1] | 32) != 'i' ||
	    (p[2] | 32) != 'p' || p[3] != '/')
		return 0;
	for (d = i; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		;
	if (i == d || i >= n || p[i] != '.')
		return 0;
	for (d = ++i; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		;
	return i == d ? 0 : i;
}

static bool ref_looks_like(const uint8_t *buf, size_t len)
{
	size_t i = 0, n, sp, m, v;
	while (i < len && (buf[i] == '\r' || buf[i] == '\n'))
		i++;
	if (i == len || !sip_token_char(buf[i]))
		return false;
	const uint8_t *p = buf + i;
	for (n = 0; i + n < len && p[n] != '\r' && p[n] != '\n'; n++)
		;
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	v = ref_version_len(p, n);
	if (v)
		return n >= v + 4 && p[v] == ' ' && p[v + 1] >= '0' &&
		       p[v + 1] <= '9' && p[v + 2] >= '0' && p[v + 2] <= '9' &&
		       p[v + 3] >= '0' && p[v + 3] <= '9';
	for (m = 0; m < n && sip_token_char(p[m]); m++)
		;
	if (m == 0 || m == n || p[m] != ' ')
		return false;
	for (sp = n; sp > m + 1 && p[sp - 1] != ' '; sp--)
		;
	return sp > m + 1 && ref_version_len(p + sp, n - sp) == n - sp;
}

static void same_looks(const char *in, size_t len)
{
	bool a = sip_looks_like((const uint8_t *)in, len);
	if (a != ref_looks_like((const uint8_t *)in, len))
		fail_msg("sip_looks_like %d, oracle %d on [%.*s]", a, !a,
			 (int)(len > 300 ? 300 : len), in);
}

/* Both parsers on the same bytes (placed against a guard page). */
static void diff_one(const char *data, size_t len)
{
	struct guard g;
	const char *in = guard_copy(&g, data, len);
	same_looks(in, len);
	compared += diff_parsers(in, len);
	guard_release(&g);
}

static const char delims[] = " \t\r\n\"<>;,:@[]?=\\/*%x";

/* The input, then each byte replaced by each delimiter (short inputs) or
 * every third (long ones), then every truncation at a line end. */
static void diff_mutations(const char *data, size_t len, unsigned *seed)
{
	diff_one(data, len);
	char *buf = malloc(len + 1);
	assert_non_null(buf);
	size_t step = len > 1500 ? 3 : 1;
	size_t upto = len > 4000 ? 4000 : len;
	for (size_t i = 0; i < upto; i += step) {
		for (const char *d = delims; *d; d++) {
			if (data[i] == *d)
				continue;
			memcpy(buf, data, len);
			buf[i] = *d;
			diff_one(buf, len);
		}
	}
	for (size_t i = 0; i < len; i++)
		if (data[i] == '\n')
			diff_one(data, i + 1);
	for (int r = 0; r < 200; r++) {
		memcpy(buf, data, len);
		int n = 1 + (int)(rand_r(seed) % 4);
		for (int k = 0; k < n; k++) {
			size_t at = (size_t)rand_r(seed) % len;
			int what = rand_r(seed) % 3;
			if (what == 0)
				buf[at] = delims[rand_r(seed) % (sizeof delims - 1)];
			else if (what == 1)
				buf[at] = (char)(rand_r(seed) & 0xff);
			else if (at + 1 < len)	/* duplicate a byte forward */
				buf[at + 1] = buf[at];
		}
		diff_one(buf, len);
	}
	free(buf);
}

/* ---- inputs ----------------------------------------------------------- */

static char corpus[4096];

static bool find_corpus(void)
{
	const char *env = getenv("SIPSCOPE_CORPUS");
	struct stat st;
	snprintf(corpus, sizeof corpus, "%s",
		 env && *env ? env : TOP_SRCDIR "/../shared/corpus");
	return stat(corpus, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *builtin[] = {
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds;rport\r\n"
	"Via: SIP/2.0/UDP 10.0.0.2;branch=z9hG4bK1, SIP/2.0/TCP h;branch=z9hG4bK2\r\n"
	"Max-Forwards: 70\r\n"
	"To: Bob <sip:bob@example.com>\r\n"
	"From: \"Alice A.\" <sip:alice:pw@example.com:5070;transport=udp>;tag=1928301774;x=y\r\n"
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Contact: <sip:alice@[2001:db8::1]:5060>, <sip:a2@h>\r\n"
	"User-Agent: x\r\nServer: y\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 4\r\n\r\nv=0\r\n",
	"SIP/2.0 200 OK\r\n"
	"v: SIP/2.0/UDP host.example.com:5060;received=10.1.1.1;rport=5061;branch=z9hG4bKx\r\n"
	"f: <sips:alice@example.com>;tag=88sja8x\r\n"
	"t: sip:bob@example.com;tag=a6c85cf\r\n"
	"i: 1234@x\r\nCSeq: 1 INVITE\r\n"
	"m: \"Bob\" <sip:bob@192.0.2.4;lr>;expires=60\r\n"
	"Server: srv\r\nUser-Agent: ua\r\nl: 0\r\n\r\n",
	"REGISTER sip:registrar.example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnashds7;received=[2001:db8::9]\r\n"
	"To: Bob <sip:bob@example.com?x=y>\r\n"
	"From: Bob <sip:bob@example.com>;tag=456248;tag=2\r\n"
	"Call-ID: 843817637684230@998sdasdh09\r\nCSeq: 1826 REGISTER\r\n"
	"Contact: *\r\nExpires: 7200\r\nContent-Length: 0\r\n\r\n",
	/* Request-URIs of the shapes sip_uri_fast() takes, and near them */
	"OPTIONS sips:u:pw@10.0.0.1:65535;transport=tls;lr SIP/2.0\r\n"
	"Via: SIP/2.0/TLS 10.0.0.2:5061;branch=z9hG4bKq\r\n"
	"To: <sip:10.0.0.1:5060>\r\nFrom: <sip:k@h>;tag=1\r\n"
	"Call-ID: q@h\r\nCSeq: 7 OPTIONS\r\nContent-Length: 0\r\n\r\n",
	"BYE sip:+1-555;x@h:0 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP h\r\nTo: <sip:a@h>;tag=2\r\nFrom: <sip:b@h>;tag=1\r\n"
	"Call-ID: b@h\r\nCSeq: 2 BYE\r\n\r\n",
	/* URIs of 16, 24, 64 and 71 bytes, many params, a password: sizes
	 * around the 16-byte blocks of scan_stop()/scan_stop_in() */
	"INVITE sip:u@host.example.com:5060;transport=udp;user=phone;lr;abcdefgh SIP/2.0\r\n"
	"Via: SIP/2.0/UDP h\r\n"
	"To: <sip:abc@host.com>\r\n"
	"From: \"A\" <sip:user:pass@very-long-host-name.subdomain.example.com:5060;maddr=x;lr>;tag=9\r\n"
	"Contact: <sips:a@b:1;c;d;e;f;g;h;i>\r\n"
	"Call-ID: d@h\r\nCSeq: 1 INVITE\r\n\r\n",
	"ACK sip:h:65536 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP h\r\nTo: <sip:a@h>;tag=2\r\nFrom: <sip:b@h>;tag=1\r\n"
	"Call-ID: c@h\r\nCSeq: 2 ACK\r\n\r\n",
	/* '[' and '\\' are no specials of the value scan: where a host or
	 * a parameter value starts, '[' takes the general parser; the
	 * shortcuts for ";tag=", ";branch=" and ";rport" (more value cases
	 * in test_sip_values.c) */
	"INVITE sip:[2001:db8::1]:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP [::2]:5060;branch=[z];rport=0001\r\n"
	"To: <sip:u@[::1]:5060>;x=[a;tag=b]\r\n"
	"From: \"A\\\"B\" <sip:a[b@h[1]>;tag=[t]\r\n"
	"Contact: Al  Sm\t <sip:c\\d@h;lr>;tag=x;p=x[y]\r\n"
	"Call-ID: e@h\r\nCSeq: 1 INVITE\r\n\r\n",
};

static void test_builtin(void **state)
{
	(void)state;
	unsigned seed = 1;
	for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
		diff_mutations(builtin[i], strlen(builtin[i]), &seed);
}

static void test_torture_files(void **state)
{
	(void)state;
	if (!find_corpus())
		skip();
	const char *dirs[] = { "torture/rfc4475", "torture/rfc5118" };
	unsigned seed = 2, files = 0;
	for (size_t d = 0; d < 2; d++) {
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", corpus, dirs[d]);
		DIR *dir = opendir(path);
		if (!dir)
			continue;
		struct dirent *e;
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char f[8192 + 256];
			snprintf(f, sizeof f, "%s/%s", path, e->d_name);
			size_t len;
			char *data = guard_slurp(f, &len);
			if (data && len)
				diff_mutations(data, len, &seed);
			free(data);
			files++;
		}
		closedir(dir);
	}
	assert_true(files > 0);
}

struct pl_state {
	unsigned seed;
	unsigned payloads;
	unsigned mutate;	/* how many payloads get the mutations */
};

static void on_payload(void *user, const struct ss_pktinfo *pi,
		       const uint8_t *payload, size_t len)
{
	struct pl_state *st = user;
	(void)pi;
	if (!len)
		return;
	st->payloads++;
	if (st->payloads <= st->mutate)
		diff_mutations((const char *)payload, len, &st->seed);
	else
		diff_one((const char *)payload, len);
}

static void captures_in(const char *dir, unsigned mutate, unsigned limit)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 5, ".pcap") != 0)
			continue;
		char f[8192];
		snprintf(f, sizeof f, "%s/%s", dir, e->d_name);
		char err[PCAP_ERRBUF_SIZE];
		pcap_t *p = pcap_open_offline(f, err);
		if (!p)
			continue;
		struct pl_state st = { .seed = 3, .mutate = mutate };
		struct ss_decoder dec;
		(void)ss_decoder_init(&dec, on_payload, &st, 0);
		struct pcap_pkthdr *h;
		const u_char *data;
		uint64_t frame = 0;
		while (st.payloads < limit && pcap_next_ex(p, &h, &data) == 1) {
			struct ss_pktinfo pi;
			memset(&pi, 0, sizeof pi);
			pi.frame = ++frame;
			ss_decode_frame(&dec, &pi, pcap_datalink(p), data, h->caplen);
		}
		ss_decoder_free(&dec);
		pcap_close(p);
	}
	closedir(d);
}

static void test_captures(void **state)
{
	(void)state;
	captures_in(TOP_SRCDIR "/samples", 3, 2000);
	if (find_corpus()) {
		char f[8192];
		snprintf(f, sizeof f, "%s/captures", corpus);
		captures_in(f, 1, 300);
	}
	assert_true(compared > 0);
}

/* ---- line splitting and start lines ---------------------------------- */

/*
 * The datagram path splits lines from a bit per CR and LF over 64-byte
 * blocks (the last one read backwards from the end) and takes the usual
 * start lines by a shortcut. These put every line end at every offset of
 * a block, so CRLFs split across blocks, lone CRs, bare LFs and folded
 * lines meet each edge, and each input is parsed twice: ending at a
 * guard page, and starting right after one (a load that reaches back
 * before the datagram faults there).
 */
static const void *guard_copy_front(struct guard *g, const void *data,
				    size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (len + page - 1) / page * page;
	g->maplen = page + (body ? body : page);
	g->map = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(g->map != MAP_FAILED);
	assert_int_equal(mprotect(g->map, page, PROT_NONE), 0);
	unsigned char *dst = (unsigned char *)g->map + page;
	if (len)
		memcpy(dst, data, len);
	return dst;
}

static void diff_both_ends(const char *data, size_t len)
{
	diff_one(data, len);
	struct guard g;
	const char *in = guard_copy_front(&g, data, len);
	struct sip_msg a, b;
	long ra = sip_parse(in, len, SIP_FRAME_DATAGRAM, &a, ha, 64);
	long rb = sip_parse_ref(in, len, SIP_FRAME_DATAGRAM, &b, hb, 64);
	if (ra != rb)
		fail_msg("front guard: return %ld, ref %ld", ra, rb);
	same_looks(in, len);
	guard_release(&g);
}

static size_t build(char *buf, size_t cap, const char *first, size_t pad,
		    const char *eol, const char *rest)
{
	char fill[300];
	assert_true(pad < sizeof fill);
	memset(fill, 'a', pad);
	fill[pad] = 0;
	int n = snprintf(buf, cap, "%sX-Pad: %s%s%s", first, fill, eol, rest);
	assert_true(n > 0 && (size_t)n < cap);
	return (size_t)n;
}

static void test_line_ends(void **state)
{
	(void)state;
	static const char *firsts[] = {
		"SIP/2.0 200 OK\r\n", "\r\n\r\nSIP/2.0 180 Ringing\r\n",
		"INVITE sip:bob@example.com SIP/2.0\r\n", "\nBYE sip:a@b SIP/2.0\n",
	};
	static const char *eols[] = { "\r\n", "\n", "\r", "\r\r\n", "\n\r\n",
				      "\r\n \r\n", "\r\n\tfolded\r\n" };
	static const char *rests[] = {
		"Call-ID: c@h\r\nCSeq: 1 INVITE\r\nContent-Length: 2\r\n\r\nab",
		"Call-ID: c@h\r\n\r\n",
		"Call-ID: c@h\r\n",	/* no blank line */
		"Call-ID: c@h\r",	/* a CR as the last byte */
		"Call-ID: c@h\r\n\r",
		"\r\n",
		"",
	};
	char buf[1024];
	for (size_t f = 0; f < sizeof firsts / sizeof *firsts; f++)
		for (size_t e = 0; e < sizeof eols / sizeof *eols; e++)
			for (size_t r = 0; r < sizeof rests / sizeof *rests; r++)
				for (size_t pad = 0; pad < 140; pad++)
					diff_both_ends(buf, build(buf, sizeof buf,
						firsts[f], pad, eols[e], rests[r]));
}

/* Every length of a message: header blocks of exactly 16, 32, 64 bytes
 * and every other, ending in every part of a line end. */
static void test_truncations(void **state)
{
	(void)state;
	static const char *msgs[] = {
		"SIP/2.0 200 OK\r\n\r\n",
		"SIP/2.0 200 OK\r\nCall-ID: 0123456\r\n\r\n",
		"SIP/2.0 200 OK\r\nCall-ID: 0123456789abcdef0123456789abc\r\n\r\n",
		"INVITE sip:bob@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds\r\n"
		"To: Bob <sip:bob@example.com>\r\n"
		"From: <sip:alice@example.com>;tag=1928301774\r\n"
		"Subject: folded\r\n over\r\n\tlines\r\n"
		"Call-ID: a84b4c76e66710@pc33.example.com\r\n"
		"CSeq: 314159 INVITE\r\nContent-Length: 4\r\n\r\nv=0\r\n",
		"SIP/2.0 100 Trying\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\n"
		"To: <sip:a@h>\rFrom: <sip:b@h>;tag=1\r\r\nCall-ID: x\n\n",
	};
	for (size_t i = 0; i < sizeof msgs / sizeof *msgs; i++) {
		size_t n = strlen(msgs[i]);
		for (size_t k = 1; k <= n; k++)
			diff_both_ends(msgs[i], k);
	}
}

/* More header lines than the caller's array holds (diff_one() tries
 * 8, 64, 512 and 4096 entries), with folding on either side of the
 * limit. */
static void test_too_many(void **state)
{
	(void)state;
	char buf[8192];
	for (size_t nh = 6; nh < 70; nh++) {
		size_t at = (size_t)snprintf(buf, sizeof buf,
					     "SIP/2.0 200 OK\r\n");
		for (size_t k = 0; k < nh; k++)
			at += (size_t)snprintf(buf + at, sizeof buf - at,
					       k % 5 == 4 ? " fold %zu\r\n" :
					       "X-H%zu: v\r\n", k);
		at += (size_t)snprintf(buf + at, sizeof buf - at, "\r\n");
		diff_both_ends(buf, at);
	}
}

/* Start lines at and around the shortcuts' edges. */
static void test_start_lines(void **state)
{
	(void)state;
#define L(x) { x, sizeof x - 1 }
	static const struct { const char *s; size_t n; } lines[] = {
		L("SIP/2.0 200 OK"), L("SIP/2.0 200"), L("SIP/2.0 200 "), L("SIP/2.0 099 x"),
		L("SIP/2.0 100 x"), L("SIP/2.0 699 x"), L("SIP/2.0 700 x"), L("SIP/2.0 2000 x"),
		L("SIP/2.0 20 x"), L("SIP/2.0 200x"), L("SIP/2.0  200 OK"), L("sip/2.0 200 OK"),
		L("SIP/2.1 200 OK"), L("SIP/2.0 200 O\x00K"), L("SIP/2.0 200 a long phrase with \x00 in it"),
		L("SIP/2.0 200 OK\t"), L("SIP/2.0\t200 OK"),
		L("INVITE sip:a@b SIP/2.0"), L("ACK sip:a SIP/2.0"), L("ACK sip:ab SIP/2.0"),
		L("ACK sip: SIP/2.0"), L("ACK  sip:a@b SIP/2.0"), L("ACK sip:a@b  SIP/2.0"),
		L("ACK sip:a@b SIP/2.0 "), L("ACK sip:a@b SIP/2.00"), L("ACK sip:a@b sip/2.0"),
		L("ACK sip:a@b SIP/2.1"), L("ACK sip:a@b\tSIP/2.0"), L("ACK\tsip:a@b SIP/2.0"),
		L("SUBSCRIBE sip:a@b SIP/2.0"), L("SUBSCRIBEX sip:a@b SIP/2.0"),
		L("invite sip:a@b SIP/2.0"), L("FOO sip:a@b SIP/2.0"), L("INVITE <sip:a@b> SIP/2.0"),
		L("INVITE sip:a b SIP/2.0"), L("INVITE tel:+123 SIP/2.0"), L("INVITE sip:a@b?x=y SIP/2.0"),
		L("INVITE sip:a@b\x00 SIP/2.0"), L("INVITE sip:@b SIP/2.0"), L("INVITE sip:a@[::1] SIP/2.0"),
		L("INVITE sip:a@b:99999 SIP/2.0"), L("INVITE SIP/2.0"), L("SIP/2.0 sip:a@b SIP/2.0"),
		L("OPTIONS sip:a@b SIP/2.0"), L("REGISTER sips:a@b:5061;x SIP/2.0"),
		L("INVITE sip:a@b HTTP/1.1"), L("GET / HTTP/1.1"), L("RTSP/1.0 200 OK"),
	};
#undef L
	char buf[512];
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		size_t ln = lines[i].n;
		for (int tail = 0; tail < 3; tail++) {
			static const char *tails[] = {
				"\r\nCall-ID: x\r\nCSeq: 1 ACK\r\n\r\n", "\n\n", "" };
			size_t tl = strlen(tails[tail]);
			assert_true(ln + tl < sizeof buf);
			memcpy(buf, lines[i].s, ln);
			memcpy(buf + ln, tails[tail], tl);
			diff_both_ends(buf, ln + tl);
		}
	}
}

/* scan_stop(), the fast paths' scanner (16 bytes a step with an
 * overlapping last block, bytes below 16), against the plain loop, on
 * every length around those steps, with the stop byte in every position
 * and the input ending at a guard page. */
static size_t naive_stop(const char *p, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)p[i];
		if (x < 0x21 || x >= 0x7f || strchr(set, p[i]))
			return i;
	}
	return n;
}

static void test_scan_stop(void **s)
{
	(void)s;
	static const char fill[] = "abcXYZ09.-_~+!%*'`";
	static const char stops[] = { '@', ':', ';', '?', '"', ' ', '\t', '\r',
				      '\n', 0, 0x7f, (char)0x80, (char)0xff, 0x1f };
	char buf[48];
	for (size_t n = 0; n <= 40; n++) {
		for (size_t k = 0; k < n; k++)
			buf[k] = fill[(k * 7 + n) % (sizeof fill - 1)];
		for (size_t at = 0; at <= n; at++) {
			for (size_t st = 0; st < sizeof stops; st++) {
				char t[48];
				memcpy(t, buf, n);
				if (at < n)
					t[at] = stops[st];
				if (at + 3 < n)	/* a second stop after it */
					t[at + 3] = '@';
				struct guard g;
				const char *p = guard_copy(&g, t, n);
				size_t want = naive_stop(p, n, "@:;?\"");
				size_t got = scan_stop(p, n, '@', ':', ';', '?', '"');
				if (got != want)
					fail_msg("n %zu, stop 0x%02x at %zu: %zu, want %zu",
						 n, (unsigned char)stops[st], at, got, want);
				guard_release(&g);
				if (at == n)
					break;
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_stop),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_start_lines),
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_torture_files),
		cmocka_unit_test(test_captures),
	};
	/* SIPSCOPE_TEST_FILTER: run only the tests whose names match */
	const char *only = getenv("SIPSCOPE_TEST_FILTER");
	if (only && *only)
		cmocka_set_test_filter(only);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
