/*
 * pcapmap.h - the records of a classic pcap file read straight from a
 * read-only mapping (pcap-savefile(5)), for the common case only.
 *
 * libpcap copies every record out of a stdio buffer that read(2) filled:
 * two copies of the whole file and a call chain per packet. For a plain
 * file this reader hands out pointers into the mapping instead. It takes
 * only what libpcap would return unchanged: version 2.4, microsecond or
 * nanosecond magic in either byte order, records whose captured length
 * is within the file's snapshot length and the packet's length. At the
 * first record that is anything else (damaged, truncated, oversized, the
 * end of the file) it stops and says where, and the caller lets libpcap
 * read the rest of the file from that offset, so every odd case,
 * including the error messages for damaged files, stays libpcap's.
 */
#ifndef SS_PCAPMAP_H
#define SS_PCAPMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ss_pcapmap;

struct ss_pcapmap_rec {
	int64_t ts_sec;		/* as libpcap gives them with nanosecond */
	int64_t ts_ns;		/* precision: ts_ns is not normalised */
	uint32_t caplen;
	uint32_t len;
	const uint8_t *data;	/* valid until ss_pcapmap_close() */
};

/* Map the pcap file at fd (not taken over; it may be closed after) when
 * it is a regular file this reader takes; NULL otherwise (pcapng, a pipe,
 * another version, an empty file, mmap failing). snaplen and maxcap are
 * the snapshot length libpcap settled on and the largest captured length
 * it accepts for the link type. */
struct ss_pcapmap *ss_pcapmap_open(int fd, uint32_t snaplen, uint32_t maxcap);

/* The next record: true and *r filled, or false from the first record
 * this reader does not take on; ss_pcapmap_offset() then says where that
 * record starts (the end of the file included). */
bool ss_pcapmap_next(struct ss_pcapmap *m, struct ss_pcapmap_rec *r);
uint64_t ss_pcapmap_offset(const struct ss_pcapmap *m);

void ss_pcapmap_close(struct ss_pcapmap *m);

#endif
