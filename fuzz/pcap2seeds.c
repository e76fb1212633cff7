/*
 * pcap2seeds.c - turn capture files into fuzz_packet seeds: one file per
 * frame, prefixed with the link-type selector byte and a split byte of
 * 255 (the whole frame first, nothing second).
 *   pcap2seeds OUTDIR FILE...
 */
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4,
	DLT_IPV6, DLT_NULL, DLT_LOOP,
};

int main(int argc, char **argv)
{
	unsigned long n = 0;
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
		while (sel >= 0 && pcap_next_ex(p, &h, &d) == 1 && n < 20000) {
			char path[4096];
			snprintf(path, sizeof path, "%s/f%06lu", argv[1], n++);
			FILE *o = fopen(path, "wb");
			if (!o)
				break;
			fputc(sel, o);
			fputc(255, o);
			fwrite(d, 1, h->caplen, o);
			fclose(o);
		}
		pcap_close(p);
	}
	printf("%lu seeds\n", n);
	return 0;
}
