/*
 * sip_same.h - field-by-field comparison of two struct sip_msg results
 * for the parser tests (test_sip_fast.c and test_sip_values.c: the
 * fast path against the reference parser) and for fuzz/fuzz_sip.c, so the
 * list of fields compared is written once: every slice must be the same
 * pointer and length, every reason the same string. Failures go through
 * SAME_FAIL(format, ...), cmocka's SAME_FAIL() (include after <cmocka.h>)
 * unless the includer defines it; SAME_FIELDS_ONLY leaves out
 * diff_parsers() and its arrays.
 */
#ifndef SS_TEST_SIP_SAME_H
#define SS_TEST_SIP_SAME_H

#include <string.h>

#ifndef SAME_FAIL
#define SAME_FAIL fail_msg
#endif

#include "sip.h"

static void same_str(const char *what, ss_str a, ss_str b, const char *in,
		     size_t len)
{
	if (a.p == b.p && a.len == b.len)
		return;
	SAME_FAIL("%s differs: fast \"%.*s\" (%p+%zu), ref \"%.*s\" (%p+%zu) "
		 "on [%.*s]", what, (int)a.len, a.p ? a.p : "", (const void *)a.p,
		 a.len, (int)b.len, b.p ? b.p : "", (const void *)b.p, b.len,
		 (int)(len > 300 ? 300 : len), in);
}

#define S(f) same_str(#f, a->f, b->f, in, len)
#define I(f) do { if (a->f != b->f) \
	SAME_FAIL("%s differs: fast %lld, ref %lld on [%.*s]", #f, \
		 (long long)a->f, (long long)b->f, (int)(len > 300 ? 300 : len), in); \
	} while (0)
#define P(f) do { if ((a->f == NULL) != (b->f == NULL) || \
		      (a->f && strcmp(a->f, b->f) != 0)) \
	SAME_FAIL("%s differs: fast \"%s\", ref \"%s\" on [%.*s]", #f, \
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

#undef S
#undef I
#undef P

#ifndef SAME_FIELDS_ONLY
/* Both parsers on in[0..len) at three header-array sizes, as a
 * datagram and as a stream: the same return, and on success the same
 * fields; every name-addr value (each comma-separated part of Contact
 * too) through sip_read_nameaddr() and the general parser. Returns how
 * many results were compared field by field. */
static struct sip_header same_ha[4096], same_hb[4096];

static unsigned long diff_parsers(const char *in, size_t len)
{
	unsigned long n = 0;
	for (size_t cap = 8; cap <= 4096; cap *= 8) {
		for (int fr = 0; fr < 2; fr++) {
			struct sip_msg a, b;
			enum sip_framing f = fr ? SIP_FRAME_STREAM : SIP_FRAME_DATAGRAM;
			long ra = sip_parse(in, len, f, &a, same_ha, cap);
			long rb = sip_parse_ref(in, len, f, &b, same_hb, cap);
			if (ra != rb)
				SAME_FAIL("return differs: fast %ld, ref %ld on [%.*s]",
					 ra, rb, (int)(len > 300 ? 300 : len), in);
			if (ra == SIP_PARSE_PARTIAL || ra == SIP_PARSE_TOO_MANY)
				continue;
			/* the header arrays differ; compare through a */
			b.hdrs = same_hb;
			if (ra == SIP_PARSE_MALFORMED) {
				const struct sip_msg *pa = &a, *pb = &b;
				if ((pa->malformed == NULL) != (pb->malformed == NULL) ||
				    (pa->malformed && strcmp(pa->malformed, pb->malformed)))
					SAME_FAIL("malformed differs on [%.*s]",
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
							SAME_FAIL("sip_read_nameaddr returns %d on [%.*s]",
								 rx, (int)parts[w].len, parts[w].p);
						same_na("read", &x, &y, in, len);
					}
					s0 = k + 1;
				}
			}
			n++;
		}
	}
	return n;
}


#endif

#endif
