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

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

static unsigned long compared;

static void same_str(const char *what, ss_str a, ss_str b, const char *in,
		     size_t len)
{
	if (a.p == b.p && a.len == b.len)
		return;
	fail_msg("%s differs: fast \"%.*s\" (%p+%zu), ref \"%.*s\" (%p+%zu) "
		 "on [%.*s]", what, (int)a.len, a.p ? a.p : "", (const void *)a.p,
		 a.len, (int)b.len, b.p ? b.p : "", (const void *)b.p, b.len,
		 (int)(len > 300 ? 300 : len), in);
}

#define S(f) same_str(#f, a->f, b->f, in, len)
#define I(f) do { if (a->f != b->f) \
	fail_msg("%s differs: fast %lld, ref %lld on [%.*s]", #f, \
		 (long long)a->f, (long long)b->f, (int)(len > 300 ? 300 : len), in); \
	} while (0)
#define P(f) do { if ((a->f == NULL) != (b->f == NULL) || \
		      (a->f && strcmp(a->f, b->f) != 0)) \
	fail_msg("%s differs: fast \"%s\", ref \"%s\" on [%.*s]", #f, \
		 a->f ? a->f : "(null)", b->f ? b->f : "(null)", \
		 (int)(len > 300 ? 300 : len), in); \
	} while (0)

static void same_na(const char *what, const struct sip_nameaddr *a,
		    const struct sip_nameaddr *b, const char *in, size_t len)
{
	(void)what;
	S(display); S(uri); S(scheme); S(user); S(host); S(tag);
	S(params); S(headers);
	I(port); I(present);
	P(malformed);
}

static void same_msg(const struct sip_msg *a, const struct sip_msg *b,
		     const char *in, size_t len)
{
	I(is_request); I(method); S(method_str); S(uri);
	same_na("ruri", &a->ruri, &b->ruri, in, len);
	S(version); I(status); S(reason_phrase);
	I(nhdrs);
	for (size_t i = 0; i < a->nhdrs; i++) {
		S(hdrs[i].name); S(hdrs[i].value); I(hdrs[i].id);
	}
	S(call_id); S(x_call_id); I(cseq); I(cseq_present); I(cseq_method);
	S(cseq_method_str);
	same_na("from", &a->from, &b->from, in, len);
	same_na("to", &a->to, &b->to, in, len);
	same_na("contact", &a->contact, &b->contact, in, len);
	S(via.protocol); S(via.transport); S(via.host); S(via.branch);
	S(via.received); I(via.port); I(via.rport); I(via.present);
	P(via.malformed);
	I(via_count); I(expires); I(max_forwards); I(content_length);
	I(content_length_bad); S(content_type); S(reason); S(user_agent);
	S(event); S(refer_to); S(head); S(body); I(size); I(skipped);
	P(malformed);
}

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
	for (size_t cap = 8; cap <= 4096; cap *= 8) {
		for (int fr = 0; fr < 2; fr++) {
			struct sip_msg a, b;
			enum sip_framing f = fr ? SIP_FRAME_STREAM : SIP_FRAME_DATAGRAM;
			long ra = sip_parse(in, len, f, &a, ha, cap);
			long rb = sip_parse_ref(in, len, f, &b, hb, cap);
			if (ra != rb)
				fail_msg("return differs: fast %ld, ref %ld on [%.*s]",
					 ra, rb, (int)(len > 300 ? 300 : len), in);
			if (ra == SIP_PARSE_PARTIAL || ra == SIP_PARSE_TOO_MANY)
				continue;
			/* the header arrays differ; compare through a */
			b.hdrs = hb;
			if (ra == SIP_PARSE_MALFORMED) {
				const struct sip_msg *pa = &a, *pb = &b;
				if ((pa->malformed == NULL) != (pb->malformed == NULL) ||
				    (pa->malformed && strcmp(pa->malformed, pb->malformed)))
					fail_msg("malformed differs on [%.*s]",
						 (int)(len > 300 ? 300 : len), in);
				continue;
			}
			same_msg(&a, &b, in, len);
			/* sip_read_nameaddr() against the general parser on
			 * every name-addr value, each comma-separated part of
			 * Contact too */
			for (size_t i = 0; i < a.nhdrs; i++) {
				enum sip_hdr_id id = a.hdrs[i].id;
				if (id != SIP_H_FROM && id != SIP_H_TO &&
				    id != SIP_H_CONTACT && id != SIP_H_REFER_TO)
					continue;
				ss_str v = a.hdrs[i].value;
				for (size_t k = 0, s0 = 0; k <= v.len; k++) {
					if (k < v.len && v.p[k] != ',')
						continue;
					ss_str parts[2] = { v, ss_str_make(v.p + s0, k - s0) };
					for (int w = 0; w < 2; w++) {
						struct sip_nameaddr x, y;
						bool rx = sip_read_nameaddr(parts[w], &x);
						bool ry = sip_parse_nameaddr(parts[w], &y);
						if (rx != ry)
							fail_msg("sip_read_nameaddr returns %d on [%.*s]",
								 rx, (int)parts[w].len, parts[w].p);
						same_na("read", &x, &y, in, len);
					}
					s0 = k + 1;
				}
			}
			compared++;
		}
	}
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

/* ---- the one-pass scan of the fast paths (vscan, sip_int.h) ---------- */

/* One page between two unreadable ones, reused for many short inputs:
 * an input placed at the page's start faults on a load that reaches back
 * before it, at the page's end on one that runs past it. */
struct fence {
	char *map;
	size_t pg;
};

static void fence_init(struct fence *f)
{
	f->pg = (size_t)sysconf(_SC_PAGESIZE);
	f->map = mmap(NULL, 3 * f->pg, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(f->map != MAP_FAILED);
	assert_int_equal(mprotect(f->map, f->pg, PROT_NONE), 0);
	assert_int_equal(mprotect(f->map + 2 * f->pg, f->pg, PROT_NONE), 0);
}

static const char *fence_put(struct fence *f, int at_end, const char *data,
			     size_t len)
{
	assert_true(len <= f->pg);
	char *p = f->map + f->pg + (at_end ? f->pg - len : 0);
	memcpy(p, data, len);
	return p;
}

static void fence_free(struct fence *f)
{
	munmap(f->map, 3 * f->pg);
}

static bool naive_special(unsigned char c)
{
	return c <= '"' || c >= 0x7f || strchr(",:;<=>?@[\\", c) != NULL;
}

static void check_window(const char *p, size_t n, size_t base)
{
	if (base >= n)
		return;
	uint64_t want = 0;
	for (size_t i = base; i < n && i < base + 64; i++)
		if (naive_special((unsigned char)p[i]))
			want |= UINT64_C(1) << (i - base);
	uint64_t got = sip_special_window(p, n, base);
	if (got != want)
		fail_msg("window n %zu base %zu: %016llx, want %016llx", n, base,
			 (unsigned long long)got, (unsigned long long)want);
}

/* sip_special_window() and vscan_next() against a byte loop, the window
 * from the bases around block edges and around the byte under test. */
static void check_scan(const char *p, size_t n, size_t at)
{
	static const size_t bases[] = { 0, 1, 2, 15, 16, 17, 31, 48, 63, 64, 65, 77 };
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
		check_window(p, n, bases[i]);
	for (size_t b = at > 17 ? at - 17 : 0; b <= at + 1; b++)
		check_window(p, n, b);
	struct vscan s;
	vscan_init(&s, ss_str_make(p, n));
	size_t k = vscan_next(&s);
	for (size_t i = 0; i < n; i++) {
		if (!naive_special((unsigned char)p[i]))
			continue;
		if (k != i)
			fail_msg("vscan n %zu: %zu, want %zu", n, k, i);
		k = vscan_next(&s);
	}
	if (k != n || vscan_next(&s) != n)
		fail_msg("vscan n %zu: %zu at the end", n, k);
}

/* Every length to 80 and those around block edges to 140 (windows of
 * 64, blocks of 16 and their tails),
 * the byte under test in every position (every byte value near the
 * block edges of the first 80, the edges of the special set elsewhere),
 * the input ending at an unreadable page and starting right after one. */
static void test_special_scan(void **state)
{
	(void)state;
	static const char fill[] = "abcXYZ09.-_~+%*'`#$&()/]^{|}";
	static const unsigned char near[] = { 0x00, 0x20, 0x21, 0x22, 0x23, 0x2c,
		0x39, 0x3a, 0x40, 0x41, 0x5a, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x80,
		0xff };
	struct fence fc;
	fence_init(&fc);
	char buf[160];
	for (size_t n = 0; n <= 140; n++) {
		if (n > 80 && n % 16 > 1 && n % 16 < 15)
			continue;	/* past two windows' first block: edges */
		for (size_t k = 0; k < n; k++)
			buf[k] = fill[(k * 7 + n) % (sizeof fill - 1)];
		for (size_t at = 0; at <= n; at++) {
			bool edge = at < 80 && (at % 16 < 2 || at % 16 > 13 ||
						at + 2 > n);
			size_t nc = edge ? 256 : sizeof near;
			for (size_t ci = 0; ci < nc; ci++) {
				char t[160];
				memcpy(t, buf, n);
				if (at < n)
					t[at] = (char)(edge ? ci : near[ci]);
				if (at + 5 < n)	/* a second special after it */
					t[at + 5] = '@';
				check_scan(fence_put(&fc, 1, t, n), n, at);
				check_scan(fence_put(&fc, 0, t, n), n, at);
				if (at == n)
					break;
			}
		}
	}
	fence_free(&fc);
}

static struct fence pair_fence;

/* sip_read_nameaddr() (nameaddr_fast() first) against
 * sip_parse_nameaddr() on one value, copied against both guards. */
static void na_pair(const char *val, size_t len)
{
	for (int side = 0; side < 2; side++) {
		const char *p = fence_put(&pair_fence, side, val, len);
		struct sip_nameaddr x, y;
		ss_str v = ss_str_make(p, len);
		bool rx = sip_read_nameaddr(v, &x);
		bool ry = sip_parse_nameaddr(v, &y);
		if (rx != ry)
			fail_msg("sip_read_nameaddr returns %d on [%.*s]", rx,
				 (int)len, p);
		same_na("na", &x, &y, p, len);
	}
}

/* sip_uri_fast() against sip_parse_uri(): when the fast path takes a URI
 * the general parser must find nothing wrong, no headers, and split it
 * the same. */
static void uri_pair(const char *val, size_t len)
{
	for (int side = 0; side < 2; side++) {
		const char *p = fence_put(&pair_fence, side, val, len);
		struct sip_nameaddr x, y;
		memset(&x, 0, sizeof x);
		memset(&y, 0, sizeof y);
		ss_str u = ss_str_make(p, len);
		if (sip_uri_fast(u, &x)) {
			const char *why = sip_parse_uri(u, &y);
			bool ws = false;
			for (size_t i = 0; i < len; i++)
				ws |= p[i] == ' ' || p[i] == '\t';
			if (why || y.headers.len || ws || (len && p[0] == '<'))
				fail_msg("sip_uri_fast takes [%.*s]", (int)len, p);
			same_na("uri", &x, &y, p, len);
		}
	}
}

static const char pokes[] = "\"\\<>;@:=,[]? \t!\x7f\x80\x01";

/* Each shape (its "%s" replaced by a filler of n bytes) for n from 0 to
 * 70, as it is and with each poke byte at each position: the specials
 * land on every side of every block edge. */
static void sweep(const char *shape, void (*pair)(const char *, size_t),
		  bool sparse)
{
	char val[256];
	const char *hole = strstr(shape, "%s");
	assert_non_null(hole);
	size_t pre = (size_t)(hole - shape), post = strlen(hole + 2);
	for (size_t n = 0; n <= 70; n++) {
		memcpy(val, shape, pre);
		for (size_t i = 0; i < n; i++)
			val[pre + i] = "abcdefghij0123456789"[i % 20];
		memcpy(val + pre + n, hole + 2, post);
		int len = (int)(pre + n + post);
		pair(val, (size_t)len);
		for (int at = 0; at < len; at++) {
			/* whole messages cost more: pokes at the block
			 * edges and the ends of the filler only */
			if (sparse && at % 16 > 1 && at % 16 < 15 &&
			    (size_t)at + 1 != pre && (size_t)at != pre + n)
				continue;
			for (const char *c = pokes; *c; c++) {
				char t[256];
				memcpy(t, val, (size_t)len);
				t[at] = *c;
				pair(t, (size_t)len);
			}
		}
	}
}

/* Each shape with its "%s" replaced by 0 to 12 digits of a few runs
 * (ports, rport: the SWAR digit parse of up to 8, leading zeros, values
 * around 65535), and each digit in turn replaced by a non-digit. */
static void digit_sweep(const char *shape, void (*pair)(const char *, size_t))
{
	static const char *runs[] = { "0000000000000", "6553565536999",
				      "1234567890123", "9999999999999",
				      "0006553600000" };
	static const char nondig[] = "/:a \x80";
	const char *hole = strstr(shape, "%s");
	assert_non_null(hole);
	size_t pre = (size_t)(hole - shape), post = strlen(hole + 2);
	char val[256];
	for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
		for (size_t n = 0; n <= 12; n++) {
			memcpy(val, shape, pre);
			memcpy(val + pre, runs[r], n);
			memcpy(val + pre + n, hole + 2, post);
			pair(val, pre + n + post);
			for (size_t at = pre; at < pre + n; at++) {
				for (const char *c = nondig; *c; c++) {
					char t[256];
					memcpy(t, val, pre + n + post);
					t[at] = *c;
					pair(t, pre + n + post);
				}
			}
		}
	}
}

static void test_nameaddr_edges(void **state)
{
	(void)state;
	static const char *shapes[] = {
		"<sip:%s@h>",
		"<sip:u@%s>;tag=1",
		"\"%s\" <sip:u@example.com>;tag=abc",
		"Bob %s <sip:u@h:5060>",
		"<sips:u:pw@h;lr;%s>;tag=t;x",
		"<sip:u@h>;tag=%s",
		"<sip:u@h>;x=%s;tag=y",
		"<sip:10.0.0.1:%s>",
		"\"A\"  <sip:%s>;TAG=x",
	};
	fence_init(&pair_fence);
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		sweep(shapes[i], na_pair, false);
	static const char *vals[] = {
		"<sip:u@[2001:db8::1]>", "<sip:u@[2001:db8::1]:5060>;tag=1",
		"<sip:u@h:0>", "<sip:u@h:65535>", "<sip:u@h:65536>",
		"<sip:u@h:>", "<sip:u@h:00005060>", "<sip:u@h:99999999999999999999>",
		"<sip:u@h>;tag=", "<sip:u@h>;tag", "<sip:u@h>;tag=a;tag=b",
		"<sip:u@h>;TAG=a", "<sip:u@h>;Tag=a;x", "<sip:u@h>;x;y;z",
		"<sip:u@h>;", "<sip:u@h>;;tag=1", "<sip:u@h>;=1", "<sip:u@h> ;tag=1",
		"<sip:u@h>x", "<sip:u@h>;tag=a,<sip:v@h>", "\"a,b\" <sip:u@h>",
		"\"a\\\"b\" <sip:u@h>", "\"\" <sip:u@h>", "\"a\"<sip:u@h>",
		"\"a\"\t<sip:u@h>", "a\tb <sip:u@h>", "a\"b <sip:u@h>",
		"<SIP:u@h>", "<sip:u@h@i>", "<sip:@h>", "<sip:u@>", "<sip:>",
		"<sip:u:p:q@h>", "<sip:h;x=a@b>", "<sip:u@h?x=y>", "<sip:u@h;x=[a]>",
		"<sip:u@h>;x=[a;tag=b]", "<sip:u@h>;x=\"a;b\"", "<tel:+1555>",
		"sip:u@h;tag=1", "*", "<sip:u@h", "<sip:u@h>>", "<<sip:u@h>",
		"<sip:u@h;lr>", "<sip:u@h;lr=>", "<sip:u@h;a:b=c>",
	};
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
		na_pair(vals[i], strlen(vals[i]));
	digit_sweep("<sip:u@example.com:%s>;tag=1", na_pair);
	digit_sweep("<sip:h:%s>", na_pair);
	digit_sweep("<sip:%s>", na_pair);
	fence_free(&pair_fence);
}

static void test_uri_edges(void **state)
{
	(void)state;
	static const char *shapes[] = {
		"sip:%s@example.com", "sip:u@%s", "sips:u:pw@h:5061;%s",
		"sip:u@h;transport=udp;x=%s", "sip:h:%s", "sip:%s",
	};
	fence_init(&pair_fence);
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
		sweep(shapes[i], uri_pair, false);
	digit_sweep("sip:h:%s", uri_pair);
	digit_sweep("sip:u@host.example.com:%s;lr", uri_pair);
	fence_free(&pair_fence);
}

/* Whole messages: one header value replaced at a time in a request and
 * a response, both parsers over the result (diff_one()). */
static void msg_with(const char *hdr, const char *val)
{
	static const char *heads[] = {
		"INVITE sip:bob@example.com SIP/2.0\r\n",
		"SIP/2.0 200 OK\r\n",
	};
	static const char *base[][2] = {
		{ "Via", "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport" },
		{ "From", "\"A\" <sip:a@example.com>;tag=1" },
		{ "To", "<sip:b@example.com>" },
		{ "Call-ID", "abc@h" },
		{ "CSeq", "1 INVITE" },
		{ "Contact", "<sip:a@10.0.0.1:5060>" },
		{ "Max-Forwards", "70" },
		{ "Expires", "60" },
		{ "Content-Length", "0" },
	};
	for (int r = 0; r < 2; r++) {
		char msg[1024];
		size_t n = (size_t)snprintf(msg, sizeof msg, "%s", heads[r]);
		for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) {
			const char *v = strcmp(base[i][0], hdr) ? base[i][1] : val;
			n += (size_t)snprintf(msg + n, sizeof msg - n, "%s: %s\r\n",
					      base[i][0], v);
		}
		n += (size_t)snprintf(msg + n, sizeof msg - n, "\r\n");
		assert_true(n < sizeof msg);
		diff_one(msg, n);
	}
}

static const char *sweep_hdr;

static void msg_pair(const char *val, size_t len)
{
	char v[256];
	memcpy(v, val, len);
	v[len] = '\0';
	/* a NUL or a line end would change the message's framing, not the
	 * value; the mutation tests cover those */
	if (strlen(v) != len || strpbrk(v, "\r\n"))
		return;
	msg_with(sweep_hdr, v);
}

static void test_message_edges(void **state)
{
	(void)state;
	static const char *cases[][2] = {
		{ "Via", "SIP/2.0/UDP h" },
		{ "Via", "SIP/2.0/UDP h:0" }, { "Via", "SIP/2.0/UDP h:65535" },
		{ "Via", "SIP/2.0/UDP h:65536" }, { "Via", "SIP/2.0/UDP h:" },
		{ "Via", "SIP/2.0/UDP h;branch=1, SIP/2.0/TCP i;branch=2" },
		{ "Via", "SIP/2.0/UDP h;branch=1,SIP/2.0/UDP i" },
		{ "Via", "SIP/2.0/UDP h;x=\"a,b\";branch=1" },
		{ "Via", "SIP/2.0/UDP h;x=\"a\";branch=1" },
		{ "Via", "SIP/2.0/UDP [2001:db8::1]:5060;branch=1" },
		{ "Via", "SIP/2.0/UDP h;received=2001:db8::1" },
		{ "Via", "SIP/2.0/UDP h;received=[2001:db8::1]" },
		{ "Via", "SIP/2.0/UDP h;rport=0" }, { "Via", "SIP/2.0/UDP h;rport=65536" },
		{ "Via", "SIP/2.0/UDP h;rport=" }, { "Via", "SIP/2.0/UDP h;rport;rport=7" },
		{ "Via", "SIP/2.0/UDP h;branch;branch=2" }, { "Via", "SIP/2.0/UDP h;;branch=1" },
		{ "Via", "SIP/2.0/UDP h;BRANCH=a;Received=1.2.3.4;RPORT=1" },
		{ "Via", "SIP/2.0/UDP h;=a" }, { "Via", "SIP/2.0/UDP h;x/y=1" },
		{ "Via", "SIP/2.0/UDP   h" }, { "Via", "SIP/2.0/UDP\th" },
		{ "Via", "SIP / 2.0 / UDP h" }, { "Via", "sip/2.0/udp h" },
		{ "Via", "SIP/2.0/U(P h" }, { "Via", "SIP/2.0/ h" }, { "Via", "SIP/2.0/UDP" },
		{ "Via", "SIP/2.0/ hh" }, { "Via", "SIP/2.0/UD h" }, { "Via", "SIP/2.0/UDPX h" },
		{ "Via", "SIP/2.0/udp h" }, { "Via", "SIP/2.0/TLS h" }, { "Via", "SIP/2.0/SCTP h" },
		{ "Via", "SIP/2.0/WS h" }, { "Via", "SIP/2.0/UD( h" }, { "Via", "SIP/2.0/UDP " },
		{ "Via", "SIP/2.0/UDP h <x>" }, { "Via", "SIP/2.0/UDP h;x=<a>" },
		{ "Via", "SIP/2.0/UDP h ;branch=1" }, { "Via", "SIP/2.0/UDP h: 5060" },
		{ "CSeq", "0 INVITE" }, { "CSeq", "00001 INVITE" },
		{ "CSeq", "4294967295 INVITE" }, { "CSeq", "4294967296 INVITE" },
		{ "CSeq", "999999999 INVITE" }, { "CSeq", "1000000000 INVITE" },
		{ "CSeq", "1 ACK" }, { "CSeq", "1 INVITEX" }, { "CSeq", "1  INVITE" },
		{ "CSeq", "1\tINVITE" }, { "CSeq", "1 " }, { "CSeq", "1" }, { "CSeq", "" },
		{ "CSeq", "INVITE" }, { "CSeq", "1 INV@TE" }, { "CSeq", "1 invite" },
		{ "CSeq", "-1 INVITE" }, { "CSeq", "1 FOO" }, { "CSeq", "1 I" },
		{ "Content-Length", "0" }, { "Content-Length", "000" },
		{ "Content-Length", "999999999" }, { "Content-Length", "1000000000" },
		{ "Content-Length", "4294967295" }, { "Content-Length", "4294967296" },
		{ "Content-Length", "" }, { "Content-Length", "-1" },
		{ "Content-Length", "1,1" }, { "Content-Length", "1 2" },
		{ "Max-Forwards", "0" }, { "Max-Forwards", "255" }, { "Max-Forwards", "256" },
		{ "Max-Forwards", "0255" }, { "Max-Forwards", "" }, { "Max-Forwards", "x" },
		{ "Max-Forwards", "99999999999999999999" },
		{ "Expires", "0" }, { "Expires", "4294967295" }, { "Expires", "4294967296" },
		{ "Expires", "000000000007" }, { "Expires", "" }, { "Expires", "1x" },
		{ "Call-ID", "@abc" }, { "Call-ID", "abc@" }, { "Call-ID", "@" },
		{ "Call-ID", "a b" }, { "Call-ID", "a\tb" }, { "Call-ID", "a\x7f" },
		{ "Call-ID", "0123456789abcde" }, { "Call-ID", "0123456789abcdef" },
		{ "Call-ID", "0123456789abcdef0" }, { "Call-ID", "0123456789abcdef0123456789abcd@" },
		{ "Call-ID", "\xc3\xa9t\xc3\xa9@h" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		msg_with(cases[i][0], cases[i][1]);
	static const char *shapes[][2] = {
		{ "Via", "SIP/2.0/UDP %s:5060;branch=z9hG4bK1;rport" },
		{ "Via", "SIP/2.0/TCP h;branch=%s" },
		{ "Call-ID", "%s@h" },
		{ "Contact", "<sip:%s@h>" },
		{ "From", "\"%s\" <sip:a@b>;tag=1" },
	};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		sweep_hdr = shapes[i][0];
		sweep(shapes[i][1], msg_pair, true);
	}
	sweep_hdr = "Via";
	digit_sweep("SIP/2.0/UDP h:%s", msg_pair);
	digit_sweep("SIP/2.0/UDP 10.0.0.1;rport=%s", msg_pair);
	digit_sweep("SIP/2.0/UDP h;rport=%s;branch=z9", msg_pair);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_stop),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_start_lines),
		cmocka_unit_test(test_special_scan),
		cmocka_unit_test(test_nameaddr_edges),
		cmocka_unit_test(test_uri_edges),
		cmocka_unit_test(test_message_edges),
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
