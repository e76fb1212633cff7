/* guard.c - see guard.h. */
#include "guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

const void *guard_copy(struct guard *g, const void *data, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (len + page - 1) / page * page;
	if (body == 0)
		body = page;
	g->maplen = body + page;
	g->map = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->map == MAP_FAILED) {
		perror("guard_copy: mmap");
		abort();
	}
	unsigned char *base = g->map;
	if (mprotect(base + body, page, PROT_NONE) != 0) {
		perror("guard_copy: mprotect");
		abort();
	}
	unsigned char *dst = base + body - len;
	if (len)
		memcpy(dst, data, len);
	return dst;
}

void guard_release(struct guard *g)
{
	if (g->map && g->map != MAP_FAILED)
		munmap(g->map, g->maplen);
	g->map = NULL;
	g->maplen = 0;
}

void *guard_slurp(const char *path, size_t *len)
{
	*len = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	unsigned char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			unsigned char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		*len = n;
	return buf;
}
