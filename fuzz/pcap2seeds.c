/*
 * pcap2seeds.c - turn capture files into fuzz_packet seeds: one file per
 * frame, prefixed with the link-type selector byte and a split byte of
 * 255 (the whole frame first, nothing second).
 *   pcap2seeds [-s SIPDIR] OUTDIR FILE...
 * With -s, the SIP text of those frames also goes to SIPDIR as fuzz_sip
 * seeds: from the start of the line holding the first "SIP/2.0" (found
 * by walking back over printable bytes) to the end of the frame.
 *
 * Every capture gets its share: frames that mention SIP/2.0 are kept up to
 * PER_FILE_SIP a file, any other frame (RTP, TCP acks, ...) up to
 * PER_FILE_OTHER, so a long RTP call early in the list cannot use up the
 * global MAX_SEEDS and crowd out the small SIP-rich captures after it.
 */
#define _GNU_SOURCE	/* memmem */
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

static void write_seed(const char *dir, char kind, unsigned long n,
		       int sel, const u_char *d, size_t len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%c%06lu", dir, kind, n);
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
static void write_sip_seed(const char *dir, unsigned long n,
			   const u_char *d, size_t len, const u_char *sip)
{
	const u_char *s = sip;
	while (s > d && s[-1] >= 0x20 && s[-1] < 0x7F)
		s--;
	write_seed(dir, 's', n, -1, s, len - (size_t)(s - d));
}

int main(int argc, char **argv)
{
	unsigned long n = 0;
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
		while (sel >= 0 && pcap_next_ex(p, &h, &d) == 1 && n < MAX_SEEDS) {
			const u_char *sip = memmem(d, h->caplen, "SIP/2.0", 7);
			if (sip) {
				if (nsip++ >= PER_FILE_SIP)
					continue;
				if (sipdir)
					write_sip_seed(sipdir, n, d, h->caplen, sip);
			} else if (nother++ >= PER_FILE_OTHER) {
				continue;
			}
			write_seed(argv[1], 'f', n++, sel, d, h->caplen);
		}
		pcap_close(p);
	}
	printf("%lu seeds\n", n);
	return 0;
}
