/*
 * pcapmap.c - classic pcap records from a read-only mapping (pcapmap.h).
 *
 * File header (24 bytes): magic, version 2.4, thiszone, sigfigs, snaplen,
 * linktype; each record: ts_sec, ts_usec (ts_nsec with the nanosecond
 * magic), caplen, len, then caplen bytes (pcap-savefile(5)). libpcap has
 * already checked the file header when this runs; only the magic and the
 * version are read again here.
 */
#include "pcapmap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "xalloc.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define FILE_HDR 24u
#define REC_HDR 16u
#define DROP_STEP ((size_t)256 << 10)

/* One per file source: 48 bytes besides the mapping itself. */
struct ss_pcapmap {
	const uint8_t *base;
	size_t size;
	size_t off;		/* the next record */
	size_t dropped;		/* pages before this are unmapped again */
	uint32_t caplim;	/* the smaller of snaplen and maxcap */
	uint32_t fraclim;	/* 10^9 (nanosecond timestamps) or 10^6 */
	uint32_t fracmul;	/* 1 (nanosecond timestamps) or 1000 */
	bool swap;		/* written in the other byte order */
};

struct ss_pcapmap *ss_pcapmap_open(int fd, uint32_t snaplen, uint32_t maxcap)
{
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)FILE_HDR || (uint64_t)st.st_size > SIZE_MAX)
		return NULL;
	size_t size = (size_t)st.st_size;
	void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	struct ss_pcapmap t = { .base = p, .size = size, .off = FILE_HDR,
				.caplim = snaplen < maxcap ? snaplen : maxcap };
	uint32_t magic;
	memcpy(&magic, t.base, 4);
	if (magic == __builtin_bswap32(PCAP_MAGIC_US) ||
	    magic == __builtin_bswap32(PCAP_MAGIC_NS)) {
		t.swap = true;
		magic = __builtin_bswap32(magic);
	}
	uint16_t major, minor;
	memcpy(&major, t.base + 4, 2);
	memcpy(&minor, t.base + 6, 2);
	if (t.swap) {
		major = __builtin_bswap16(major);
		minor = __builtin_bswap16(minor);
	}
	if ((magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS) ||
	    major != 2 || minor != 4) {
		munmap(p, size);
		return NULL;
	}
	t.fraclim = magic == PCAP_MAGIC_NS ? 1000000000u : 1000000u;
	t.fracmul = magic == PCAP_MAGIC_NS ? 1u : 1000u;
	/* Read once front to back: let the kernel read ahead and drop
	 * pages behind. Advice only; failure changes nothing. */
	(void)madvise(p, size, MADV_SEQUENTIAL);
	struct ss_pcapmap *m = xmalloc(sizeof *m);
	*m = t;
	return m;
}

/* Pages read stay in the process's resident set until unmapped: drop
 * those behind the record about to be read (the frame handed out before
 * it is no longer in use, see capture.h), in steps, so that the resident
 * set (what peak RSS, and the memory a dialog costs, are measured by)
 * does not grow with the file. They stay in the page cache. */
static void drop_behind(struct ss_pcapmap *m)
{
	size_t to = m->off & ~(size_t)(DROP_STEP - 1);
	if (to > m->dropped) {
		(void)madvise((void *)(m->base + m->dropped), to - m->dropped,
			      MADV_DONTNEED);
		m->dropped = to;
	}
}

bool ss_pcapmap_next(struct ss_pcapmap *m, struct ss_pcapmap_rec *r)
{
	if (m->off - m->dropped >= 2 * DROP_STEP)
		drop_behind(m);
	size_t off = m->off, left = m->size - off;
	if (left < REC_HDR)
		return false;
	uint32_t h[4];	/* ts_sec, ts_usec or ts_nsec, caplen, len */
	memcpy(h, m->base + off, sizeof h);
	if (m->swap)
		for (int i = 0; i < 4; i++)
			h[i] = __builtin_bswap32(h[i]);
	/* Anything libpcap might adjust, refuse or report (negative or
	 * unnormalised times, oversized or truncated records) is left to
	 * libpcap. */
	if (h[0] > INT32_MAX || h[1] >= m->fraclim || h[2] > h[3] ||
	    h[2] > m->caplim || left - REC_HDR < h[2])
		return false;
	r->ts_sec = h[0];
	r->ts_ns = (int64_t)h[1] * m->fracmul;
	r->caplen = h[2];
	r->len = h[3];
	r->data = m->base + off + REC_HDR;
	m->off = off + REC_HDR + h[2];
	return true;
}

uint64_t ss_pcapmap_offset(const struct ss_pcapmap *m)
{
	return m->off;
}

void ss_pcapmap_close(struct ss_pcapmap *m)
{
	if (!m)
		return;
	munmap((void *)m->base, m->size);
	free(m);
}
