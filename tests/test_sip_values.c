/*
 * test_sip_values.c - the header-value fast paths of sip_apply.c
 * (sip_special_window(), name-addr, URI, Via, ports and the numeric
 * headers) against the general parsers, at the edges a one-pass SSE2
 * scan has: values of every length around the 16-byte blocks, each
 * special byte at each position, inputs against a page that cannot be
 * read on either side. Split from test_sip_fast.c, which compares whole
 * messages from the corpus, the samples and mutations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "guard.h"
#include "sip.h"
#include "sip_int.h"
#include "sip_same.h"

static unsigned long compared;

/* Both parsers on the same bytes, placed against a guard page. */
static void diff_one(const char *data, size_t len)
{
	struct guard g;
	const char *in = guard_copy(&g, data, len);
	compared += diff_parsers(in, len);
	guard_release(&g);
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
	return c <= '"' || c >= 0x7f || strchr(",:;<=>?@", c) != NULL;
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

/* vscan_next() from `from` on against a byte loop. */
static void check_specials(struct vscan *s, const char *p, size_t n,
			   size_t from)
{
	size_t k = vscan_next(s);
	for (size_t i = from; i < n; i++) {
		if (!naive_special((unsigned char)p[i]))
			continue;
		if (k != i)
			fail_msg("vscan n %zu from %zu: %zu, want %zu", n, from,
				 k, i);
		k = vscan_next(s);
	}
	if (k != n || vscan_next(s) != n)
		fail_msg("vscan n %zu from %zu: %zu at the end", n, from, k);
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
	check_specials(&s, p, n, 0);
	/* from 8 (via_fast() past "SIP/2.0/"), when those 8 hold none */
	size_t pre = 0;
	while (pre < 8 && pre < n && !naive_special((unsigned char)p[pre]))
		pre++;
	if (pre == 8 && n > 8) {
		vscan_init_at(&s, ss_str_make(p, n), 8);
		check_specials(&s, p, n, 8);
	}
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
		/* '[' where a host or a parameter value starts; quoted-pairs
		 * and token display names read before the scan */
		{ "Via", "SIP/2.0/UDP [2001:db8::2]:5060;branch=z9hG4bKb" },
		{ "Via", "SIP/2.0/UDP h;branch=z9;received=[2001:db8::3]" },
		{ "Via", "SIP/2.0/UDP h[1]:5060;branch=[z;rport];rport=[1]" },
		{ "To", "<sip:u@[::1]:5060>;x=[a;tag=b]" },
		{ "From", "\"A\\\"B\" <sip:a[b@h[1]>;tag=[t]" },
		{ "Contact", "Alice  Smith\t <sip:c\\d@h;lr>;p=x[y]" },
		{ "To", "\"\" <sip:a@h>;tag=[2" }, { "From", "\"x\\\" <sip:b@h>;tag=1" },
		{ "Contact", "x\\y <sip:a@h>" }, { "Contact", "<sip:c@h>;tag=[t]" },
		/* the first ";tag=", ";branch=", ";rport" read by a word */
		{ "Via", "SIP/2.0/UDP h:5060;branch=;rport=1" },
		{ "Via", "SIP/2.0/UDP h:5060;branch=a;branch=b" },
		{ "Via", "SIP/2.0/UDP h;branch=[z9];rport" },
		{ "Via", "SIP/2.0/UDP h;branch=z9;received=1.2.3.4;rport=5060;branch=z2" },
		{ "Via", "SIP/2.0/UDP h:1;branch=z9hG4bK1;rport=" },
		{ "Via", "SIP/2.0/UDP h:1;branch=z9hG4bK2;rport=;x" },
		{ "Via", "SIP/2.0/UDP h:1;branch=z9hG4bK1;rport=70000" },
		{ "Via", "SIP/2.0/UDP h:1;branch=z9hG4bK1;rportx" },
		{ "Via", "SIP/2.0/UDP h:1;branch=z9hG4bK1;RPORT=7;rport" },
		{ "Via", "SIP/2.0/UDP h:1;rport=5060;branch=z9hG4bK1" },
		{ "Via", "SIP/2.0/TCP  h:1;rport" }, { "Via", "SIP/2.0/WSS h.invalid;branch=z" },
		{ "Via", "SIP/2.0/TLS\th:1" },
		{ "To", "<sip:a@h>;tag=x;tag=y" }, { "From", "<sip:b@h>;tag=;x=1" },
		{ "To", "<sip:a@h>;TAG=x" }, { "From", "<sip:b@h>;tag=1;" },
		{ "To", "<sip:a@h>;tag=x;y" }, { "From", "<sip:b@h>;tag=1 ;x" },
		/* ports: 9 digits and more, empty, near the bound */
		{ "Via", "SIP/2.0/UDP h:000000065535;branch=z9hG4bK1;rport=000000001" },
		{ "Via", "SIP/2.0/UDP h:;branch=z9hG4bK1" }, { "Via", "SIP/2.0/UDP h:1x" },
		{ "To", "<sip:a@h:99999999999>;tag=x" }, { "From", "<sip:b@h:>;tag=1" },
		{ "Contact", "<sip:c@h:65536>" }, { "Contact", "<sip:c@h:6553>" },
		{ "From", "<sip:b@h:00000000000000000000065535>;tag=1" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		msg_with(cases[i][0], cases[i][1]);
	static const char *shapes[][2] = {
		{ "Via", "SIP/2.0/UDP %s:5060;branch=z9hG4bK1;rport" },
		{ "Via", "SIP/2.0/TCP h;branch=%s" },
		{ "Call-ID", "%s@h" },
		{ "Contact", "<sip:%s@h>" },
		{ "From", "\"%s\" <sip:a@b>;tag=1" },
		{ "To", "<sip:a@b>;tag=%s" },
		{ "To", "%s <sip:a@b>" },
		{ "Via", "SIP/2.0/UDP h:5060;branch=%s;rport" },
		{ "Call-ID", "%s" },
	};
	for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
		sweep_hdr = shapes[i][0];
		sweep(shapes[i][1], msg_pair, true);
	}
	sweep_hdr = "Via";
	digit_sweep("SIP/2.0/UDP h:%s", msg_pair);
	digit_sweep("SIP/2.0/UDP 10.0.0.1;rport=%s", msg_pair);
	digit_sweep("SIP/2.0/UDP h;rport=%s;branch=z9", msg_pair);
	digit_sweep("SIP/2.0/UDP h;branch=z9hG4bK1;rport=%s", msg_pair);
	sweep_hdr = "Contact";
	digit_sweep("<sip:a@10.0.0.1:%s>", msg_pair);
	/* most of these messages parse: the comparisons really ran */
	assert_true(compared > 1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_special_scan),
		cmocka_unit_test(test_nameaddr_edges),
		cmocka_unit_test(test_uri_edges),
		cmocka_unit_test(test_message_edges),
	};
	/* SIPSCOPE_TEST_FILTER: run only the tests whose names match */
	const char *only = getenv("SIPSCOPE_TEST_FILTER");
	if (only && *only)
		cmocka_set_test_filter(only);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
