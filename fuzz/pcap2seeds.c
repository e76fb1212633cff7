/*
 * pcap2seeds.c - turn capture files into fuzz_packet seeds (see the input
 * format at the top of fuzz_packet.c):
 *  - one file per frame (f*), prefixed with the link-type selector byte
 *    and a split byte of 255 (the whole frame first, nothing second);
 *  - runs of up to GROUP consecutive frames (g*) in the framed format, so
 *    that IP fragments meet their siblings and TCP segments the rest of
 *    their connection within one input. Only runs with SIP in them.
 *   pcap2seeds [-s SIPDIR] OUTDIR FILE...
 * With -s, the SIP text of those frames also goes to SIPDIR as fuzz_sip
 * seeds: from the start of the line holding the first "SIP/2.0" (found
 * by walking back over printable bytes) to the end of the frame.
 *
 * Every capture gets its share: frames that mention SIP/2.0 are kept up to
 * PER_FILE_SIP a file, any other frame (RTP, TCP acks, ...) up to
 * PER_FILE_OTHER, runs up to PER_FILE_GROUPS, so a long RTP call early in
 * the list cannot use up the global MAX_SEEDS and crowd out the small
 * SIP-rich captures after it.
 */
#define _GNU_SOURCE	/* memmem */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4,
	DLT_IPV6, DLT_NULL, DLT_LOOP,
};

#define MAX_SEEDS 20000
#define PER_FILE_SIP 1000
#define PER_FILE_OTHER 200
#define PER_FILE_GROUPS 100
#define GROUP 16
#define GROUP_BYTES 65535	/* a 2-byte length each */
#define MODE_FRAMED 0x40	/* fuzz_packet.c */

static unsigned long nseeds;

static void write_seed(const char *dir, char kind, int sel,
		       const u_char *d, size_t len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%c%06lu", dir, kind, nseeds++);
	FILE *o = fopen(path, "wb");
	if (!o)
		return;
	if (sel >= 0) {
		fputc(sel, o);
		fputc(255, o);
	}
	fwrite(d, 1, len, o);
	fclose(o);
}

/* The SIP text of a frame: back from "SIP/2.0" over the request line
 * (printable bytes) to where the transport payload must start. */
static void write_sip_seed(const char *dir, const u_char *d, size_t len,
			   const u_char *sip)
{
	const u_char *s = sip;
	while (s > d && s[-1] >= 0x20 && s[-1] < 0x7F)
		s--;
	write_seed(dir, 's', -1, s, len - (size_t)(s - d));
}

/* A run of consecutive frames in fuzz_packet's framed format. */
struct group {
	u_char buf[1 + 2 * GROUP + GROUP_BYTES];
	size_t len;
	unsigned frames, written;
	bool sip;
};

static void group_flush(struct group *g, const char *dir)
{
	if (g->frames > 1 && g->sip && g->written < PER_FILE_GROUPS &&
	    nseeds < MAX_SEEDS) {
		write_seed(dir, 'g', -1, g->buf, g->len);
		g->written++;
	}
	g->len = 1;
	g->frames = 0;
	g->sip = false;
}

static void group_add(struct group *g, const char *dir, const u_char *d,
		      size_t len, bool sip)
{
	if (len > GROUP_BYTES)
		len = GROUP_BYTES;
	if (g->frames == GROUP || g->len + 2 + len > sizeof g->buf)
		group_flush(g, dir);
	g->buf[g->len++] = (u_char)(len >> 8 & 0xFF);
	g->buf[g->len++] = (u_char)(len & 0xFF);
	memcpy(g->buf + g->len, d, len);
	g->len += len;
	g->frames++;
	g->sip = g->sip || sip;
}

int main(int argc, char **argv)
{
	static struct group g;
	const char *sipdir = NULL;
	if (argc > 2 && strcmp(argv[1], "-s") == 0) {
		sipdir = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: pcap2seeds [-s SIPDIR] OUTDIR FILE...\n");
		return 2;
	}
	for (int a = 2; a < argc; a++) {
		char err[PCAP_ERRBUF_SIZE];
		pcap_t *p = pcap_open_offline(argv[a], err);
		if (!p)
			continue;
		int sel = -1;
		for (size_t i = 0; i < sizeof dlts / sizeof dlts[0]; i++)
			if (dlts[i] == pcap_datalink(p))
				sel = (int)i;
		struct pcap_pkthdr *h;
		const u_char *d;
		unsigned long nsip = 0, nother = 0;
		g.buf[0] = (u_char)(sel | MODE_FRAMED);
		g.len = 1;
		g.frames = g.written = 0;
		g.sip = false;
		while (sel >= 0 && pcap_next_ex(p, &h, &d) == 1 &&
		       nseeds < MAX_SEEDS) {
			const u_char *sip = memmem(d, h->caplen, "SIP/2.0", 7);
			group_add(&g, argv[1], d, h->caplen, sip != NULL);
			if (sip) {
				if (nsip++ >= PER_FILE_SIP)
					continue;
				if (sipdir)
					write_sip_seed(sipdir, d, h->caplen, sip);
			} else if (nother++ >= PER_FILE_OTHER) {
				continue;
			}
			write_seed(argv[1], 'f', sel, d, h->caplen);
		}
		if (sel >= 0)
			group_flush(&g, argv[1]);
		pcap_close(p);
	}
	printf("%lu seeds\n", nseeds);
	return 0;
}
