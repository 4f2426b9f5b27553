#include "arena.h"
#include "xalloc.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Big enough that chunk headers and malloc overhead do not matter. */
#define ARENA_CHUNK (1024 * 1024)
#define ARENA_ALIGN alignof(max_align_t)

struct arena_chunk {
	struct arena_chunk *next;
	void *block;		/* adopted block, or NULL when the data follows */
	alignas(max_align_t) char data[];
};

static struct arena_chunk *new_chunk(struct arena *a, size_t size)
{
	struct arena_chunk *c = xmalloc(sizeof(*c) + size);

	c->next = a->chunks;
	c->block = NULL;
	a->chunks = c;
	a->allocated += size;
	return c;
}

static void *alloc_aligned(struct arena *a, size_t size, size_t align)
{
	size_t pad = (size_t)(-(uintptr_t)a->next & (align - 1));
	size_t rounded = size ? size : 1;
	char *p;

	if (!a->next || (size_t)(a->end - a->next) < pad + rounded) {
		struct arena_chunk *c;

		/* A large piece gets a chunk of its own; the current one stays open. */
		if (rounded > ARENA_CHUNK / 4) {
			char *next = a->next, *end = a->end;

			c = new_chunk(a, rounded);
			a->next = next;
			a->end = end;
			return c->data;
		}
		c = new_chunk(a, ARENA_CHUNK);
		a->next = c->data;
		a->end = c->data + ARENA_CHUNK;
		pad = 0;
	}
	p = a->next + pad;
	a->next = p + rounded;
	return p;
}

void *arena_alloc(struct arena *a, size_t size)
{
	return alloc_aligned(a, size, ARENA_ALIGN);
}

void *arena_calloc(struct arena *a, size_t nmemb, size_t size)
{
	size_t n = st_mult(nmemb, size);

	return memset(arena_alloc(a, n), 0, n);
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
	/* Strings need no alignment: packing them saves 8 bytes each on average. */
	char *p = alloc_aligned(a, len + 1, 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_adopt(struct arena *a, void *block, size_t size)
{
	struct arena_chunk *c = xmalloc(sizeof(*c));

	c->next = a->chunks;
	c->block = block;
	a->chunks = c;
	a->allocated += size;
}

void arena_release(struct arena *a)
{
	while (a->chunks) {
		struct arena_chunk *c = a->chunks;

		a->chunks = c->next;
		free(c->block);
		free(c);
	}
	a->next = a->end = NULL;
	a->allocated = 0;
}
