/*
 * xalloc.h - the one allocation policy: allocation failure is fatal and
 * loud. Callers never check for NULL; sizes are checked for overflow.
 */
#ifndef SS_XALLOC_H
#define SS_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* realloc to nmemb*size, failing loudly on multiplication overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xmemdup(const void *p, size_t n);	/* adds a NUL after n bytes */

#endif
