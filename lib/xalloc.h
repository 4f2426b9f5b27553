/*
 * xalloc.h - allocation that cannot fail.
 *
 * Every x*() function dies with "fatal: out of memory" instead of
 * returning NULL, so callers never check.  ALLOC_GROW() grows an array
 * geometrically: ALLOC_GROW(items, nr + 1, alloc) makes room for one more.
 */
#ifndef BPFDIGEST_XALLOC_H
#define BPFDIGEST_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
/* A NUL-terminated copy of the first len bytes of s. */
char *xstrndup(const char *s, size_t len);
/* xstrdup(), but NULL stays NULL. */
char *xstrdup_or_null(const char *s);

/* n * size, dying on overflow. */
size_t st_mult(size_t n, size_t size);

#define ALLOC_ARRAY(x, n) ((x) = xmalloc(st_mult(sizeof(*(x)), (n))))
#define CALLOC_ARRAY(x, n) ((x) = xcalloc((n), sizeof(*(x))))
#define REALLOC_ARRAY(x, n) ((x) = xrealloc((x), st_mult(sizeof(*(x)), (n))))

#define ALLOC_GROW(x, nr, alloc)                                          \
	do {                                                              \
		if ((nr) > (alloc)) {                                     \
			(alloc) = (alloc) < 8 ? 8 : (alloc) * 2;          \
			if ((alloc) < (nr))                               \
				(alloc) = (nr);                           \
			REALLOC_ARRAY(x, alloc);                          \
		}                                                         \
	} while (0)

/* qsort() an array of n elements; an empty (possibly NULL) array is left alone. */
#define QSORT(base, n, cmp)                                              \
	do {                                                             \
		if (n)                                                   \
			qsort((base), (n), sizeof(*(base)), (cmp));      \
	} while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define FREE_AND_NULL(p)           \
	do {                       \
		free(p);           \
		(p) = NULL;        \
	} while (0)

#endif
