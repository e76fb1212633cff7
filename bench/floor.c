/*
 * floor - the cheapest possible reader of a capture: libpcap opens the file
 * and pcap_next_ex() walks every record; nothing is decoded.  It only adds up
 * the captured bytes (and prints the totals) so the loop cannot be optimised
 * away.  Its CPU time and peak RSS are the floor the other tools are compared
 * with.
 *
 * Build: cc -std=c11 -O2 -Wall -Wextra -o floor floor.c -lpcap
 * Usage: floor FILE
 */
/* libpcap's headers use u_char/u_int, hidden by -std=c11 without this */
#define _DEFAULT_SOURCE
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "Usage: floor FILE\n");
		return 1;
	}
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(argv[1], err);
	if (!p) {
		fprintf(stderr, "floor: %s\n", err);
		return 2;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t packets = 0, bytes = 0;
	int rc;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		packets++;
		bytes += h->caplen;
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "floor: %s\n", pcap_geterr(p));
		pcap_close(p);
		return 2;
	}
	pcap_close(p);
	printf("%" PRIu64 " packets, %" PRIu64 " bytes\n", packets, bytes);
	return 0;
}
