#include "strmap.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A slot whose key is TOMBSTONE held an entry that was removed. */
static const char tombstone[1];
#define TOMBSTONE tombstone

uint32_t strhash(const char *s)
{
	/* FNV-1a, 32 bits. */
	uint32_t h = 2166136261u;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

static struct strmap_entry *find_slot(const struct strmap *map,
				      const char *key, uint32_t hash,
				      struct strmap_entry **free_slot)
{
	size_t mask = map->size - 1;
	size_t i = hash & mask;

	if (free_slot)
		*free_slot = NULL;
	for (;;) {
		struct strmap_entry *e = &map->table[i];

		if (!e->key) {
			if (free_slot && !*free_slot)
				*free_slot = e;
			return NULL;
		}
		if (e->key == TOMBSTONE) {
			if (free_slot && !*free_slot)
				*free_slot = e;
		} else if (e->hash == hash && !strcmp(e->key, key)) {
			return e;
		}
		i = (i + 1) & mask;
	}
}

static void rehash(struct strmap *map, size_t size)
{
	struct strmap_entry *old = map->table;
	size_t old_size = map->size, i;

	CALLOC_ARRAY(map->table, size);
	map->size = size;
	map->used = map->nr;
	for (i = 0; i < old_size; i++) {
		struct strmap_entry *e = &old[i], *slot;

		if (!e->key || e->key == TOMBSTONE)
			continue;
		find_slot(map, e->key, e->hash, &slot);
		*slot = *e;
	}
	free(old);
}

void *strmap_get(const struct strmap *map, const char *key)
{
	struct strmap_entry *e;

	if (!map->size)
		return NULL;
	e = find_slot(map, key, strhash(key), NULL);
	return e ? e->value : NULL;
}

void *strmap_put(struct strmap *map, const char *key, void *value)
{
	uint32_t hash = strhash(key);
	struct strmap_entry *e, *slot;

	/* Keep the load (tombstones included) under 3/4. */
	if ((map->used + 1) * 4 >= map->size * 3)
		rehash(map, map->size ? (map->nr * 2 >= map->size ? map->size * 2 : map->size) : 16);
	e = find_slot(map, key, hash, &slot);
	if (e) {
		void *old = e->value;

		e->value = value;
		return old;
	}
	if (!slot->key)
		map->used++;
	slot->key = map->dup_keys ? xstrdup(key) : key;
	slot->hash = hash;
	slot->value = value;
	map->nr++;
	return NULL;
}

void *strmap_remove(struct strmap *map, const char *key)
{
	struct strmap_entry *e;
	void *old;

	if (!map->size)
		return NULL;
	e = find_slot(map, key, strhash(key), NULL);
	if (!e)
		return NULL;
	old = e->value;
	if (map->dup_keys)
		free((char *)e->key);
	e->key = TOMBSTONE;
	e->value = NULL;
	map->nr--;
	return old;
}

void strmap_clear(struct strmap *map)
{
	size_t i;

	if (map->dup_keys)
		for (i = 0; i < map->size; i++)
			if (map->table[i].key && map->table[i].key != TOMBSTONE)
				free((char *)map->table[i].key);
	free(map->table);
	map->table = NULL;
	map->size = map->nr = map->used = 0;
}

int strmap_next(const struct strmap *map, size_t *iter, const char **key,
		void **value)
{
	while (*iter < map->size) {
		struct strmap_entry *e = &map->table[(*iter)++];

		if (e->key && e->key != TOMBSTONE) {
			if (key)
				*key = e->key;
			if (value)
				*value = e->value;
			return 1;
		}
	}
	return 0;
}

void strmap_clear_values(struct strmap *map, void (*free_value)(void *value))
{
	size_t i = 0;
	void *value;

	while (strmap_next(map, &i, NULL, &value))
		(free_value ? free_value : free)(value);
	strmap_clear(map);
}

void strmap_list_add(struct strmap *map, const char *key, void *item)
{
	struct strmap_list *list = strmap_get(map, key);

	if (!list) {
		list = xcalloc(1, sizeof(*list));
		strmap_put(map, key, list);
	}
	if (list->nr && list->items[list->nr - 1] == item)
		return;
	ALLOC_GROW(list->items, list->nr + 1, list->alloc);
	list->items[list->nr++] = item;
}

void strmap_list_free(void *value)
{
	struct strmap_list *list = value;

	if (list)
		free(list->items);
	free(list);
}
