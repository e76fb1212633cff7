/*
 * fuzz_sip.c - libFuzzer target for the SIP parser alone: both framings,
 * a tiny and a roomy header array (so the TOO_MANY path is reached), and
 * every slice of the result read back so an out-of-bounds slice is caught.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static void touch(ss_str s)
{
	for (size_t i = 0; i < s.len; i++)
		sink += (unsigned char)s.p[i];
}

static void touch_msg(const struct sip_msg *m)
{
	touch(m->method_str);
	touch(m->uri);
	touch(m->reason_phrase);
	touch(m->call_id);
	touch(m->cseq_method_str);
	touch(m->from.uri);
	touch(m->from.tag);
	touch(m->to.tag);
	touch(m->via.branch);
	touch(m->via.host);
	touch(m->head);
	touch(m->body);
	for (size_t i = 0; i < m->nhdrs; i++) {
		touch(m->hdrs[i].name);
		touch(m->hdrs[i].value);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sip_header big[512];
	struct sip_header small[4];
	struct sip_msg m;
	const char *p = (const char *)data;

	(void)sip_looks_like(data, size);
	for (int fr = 0; fr < 2; fr++) {
		enum sip_framing f = fr ? SIP_FRAME_STREAM : SIP_FRAME_DATAGRAM;
		long rc = sip_parse(p, size, f, &m, big, 512);
		if (rc > 0) {
			if ((size_t)rc > size)
				__builtin_trap();
			touch_msg(&m);
		}
		rc = sip_parse(p, size, f, &m, small, 4);
		if (rc > 0)
			touch_msg(&m);
	}
	return 0;
}
