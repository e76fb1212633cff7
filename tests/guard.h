/*
 * guard.h - place test input so it ends exactly at an unreadable page.
 *
 * picohttpparser's trick: a parser that reads one byte past its input
 * faults at once, with or without AddressSanitizer.
 */
#ifndef SS_TEST_GUARD_H
#define SS_TEST_GUARD_H

#include <stddef.h>

struct guard {
	void *map;
	size_t maplen;
};

/* Copy len bytes of data so the copy's last byte is the last readable
 * byte before a PROT_NONE page. Returns the copy (valid until
 * guard_release); aborts the test on mmap failure. */
const void *guard_copy(struct guard *g, const void *data, size_t len);
void guard_release(struct guard *g);

/* Read a whole file into malloc'd memory (NULL and *len = 0 on failure). */
void *guard_slurp(const char *path, size_t *len);

#endif
