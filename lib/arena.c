#include "arena.h"
#include "xalloc.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Big enough that chunk headers and malloc overhead do not matter. */
#define ARENA_CHUNK (1024 * 1024)
#define ARENA_ALIGN alignof(max_align_t)

struct arena_chunk {
	struct arena_chunk *next;
	void *block;		/* adopted block, or NULL when the data follows */
	size_t map_size;	/* non-zero: block is a mapping of this size */
	alignas(max_align_t) char data[];
};

static struct arena_chunk *new_chunk(struct arena *a, size_t size)
{
	struct arena_chunk *c = xmalloc(sizeof(*c) + size);

	c->next = a->chunks;
	c->block = NULL;
	c->map_size = 0;
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
	c->map_size = 0;
	a->chunks = c;
	a->allocated += size;
}

void arena_adopt_map(struct arena *a, void *map, size_t size)
{
	arena_adopt(a, map, size);
	a->chunks->map_size = size;
}

void arena_release(struct arena *a)
{
	while (a->chunks) {
		struct arena_chunk *c = a->chunks;

		a->chunks = c->next;
		if (c->map_size)
			munmap(c->block, c->map_size);
		else
			free(c->block);
		free(c);
	}
	a->next = a->end = NULL;
	a->allocated = 0;
}

/* FNV-1a over len bytes, as strhash() does for NUL-terminated strings. */
static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	while (len--) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static void pool_grow(struct arena_pool *p)
{
	const char **old = p->slots;
	size_t old_size = p->size, i;

	p->size = p->size ? 2 * p->size : 1024;
	CALLOC_ARRAY(p->slots, p->size);
	for (i = 0; i < old_size; i++)
		if (old[i]) {
			size_t j = hash_bytes(old[i], strlen(old[i])) & (p->size - 1);

			while (p->slots[j])
				j = (j + 1) & (p->size - 1);
			p->slots[j] = old[i];
		}
	free(old);
}

/* The slot of the len bytes at s: where they are, or where they would go. */
static size_t pool_find(struct arena_pool *p, const char *s, size_t len)
{
	size_t i;

	/* At most half full: probes stay short without storing hashes. */
	if (2 * (p->nr + 1) > p->size)
		pool_grow(p);
	i = hash_bytes(s, len) & (p->size - 1);
	for (; p->slots[i]; i = (i + 1) & (p->size - 1))
		if (!strncmp(p->slots[i], s, len) && !p->slots[i][len])
			break;
	return i;
}

const char *arena_pool_intern(struct arena_pool *p, const char *s, size_t len)
{
	size_t i = pool_find(p, s, len);

	if (!p->slots[i]) {
		p->nr++;
		p->slots[i] = arena_strndup(p->arena, s, len);
	}
	return p->slots[i];
}


void arena_pool_release(struct arena_pool *p)
{
	FREE_AND_NULL(p->slots);
	p->size = p->nr = 0;
}
