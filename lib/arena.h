/*
 * arena.h - memory handed out in big blocks and freed all at once.
 *
 * The archive keeps the facts of 150,000 messages for the whole run:
 * one malloc() per string would cost more in bookkeeping than the
 * strings themselves.  An arena carves small pieces out of large chunks
 * and frees the chunks together in arena_release(); pieces are never
 * freed one by one.
 *
 * arena_adopt() hands the arena a block malloc()ed elsewhere, and
 * arena_adopt_map() a mapping (the index file, whose strings are used in
 * place), so that they are freed with the rest.
 *
 * A pool (struct arena_pool) keeps one copy of each distinct string in
 * an arena: mail repeats Message-IDs (References), names, addresses,
 * paths and subjects ("Re: ...") endlessly, and one copy is enough.
 *
 *   struct arena a = ARENA_INIT;
 *   char *s = arena_strdup(&a, "text");
 *   arena_release(&a);
 */
#ifndef BPFDIGEST_ARENA_H
#define BPFDIGEST_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *chunks;	/* newest first */
	char *next, *end;		/* free room in the newest chunk */
	size_t allocated;		/* bytes in chunks, for statistics */
};

#define ARENA_INIT { NULL, NULL, NULL, 0 }

/* size bytes, aligned for any type; never NULL. */
void *arena_alloc(struct arena *a, size_t size);
/* Like arena_alloc(), zeroed. */
void *arena_calloc(struct arena *a, size_t nmemb, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t len);
/* Take ownership of block (from malloc()); it is freed by arena_release(). */
void arena_adopt(struct arena *a, void *block, size_t size);
/* Take ownership of a mapping (from mmap()); arena_release() unmaps it. */
void arena_adopt_map(struct arena *a, void *map, size_t size);
void arena_release(struct arena *a);

struct arena_pool {
	struct arena *arena;	/* where the strings go; not owned */
	const char **slots;	/* open addressing, NULL when empty */
	size_t size, nr;
};

#define ARENA_POOL_INIT(a) { (a), NULL, 0, 0 }

/* The pool's copy of the len bytes at s (plus a NUL), made on first sight. */
const char *arena_pool_intern(struct arena_pool *p, const char *s, size_t len);
/* Free the pool's table; its strings stay in the arena. */
void arena_pool_release(struct arena_pool *p);

#endif
