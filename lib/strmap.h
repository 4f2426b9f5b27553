/*
 * strmap.h - a hash map from NUL-terminated strings to pointers.
 *
 * Open addressing with linear probing.  By default the map does not own
 * its keys: the caller keeps each key alive while it is in the map (the
 * usual case, when the key is a field of the value).  Initialise with
 * STRMAP_INIT_DUP to have the map copy keys and free them itself.  The map
 * never owns values.
 *
 * Lookups of a missing key return NULL, so NULL cannot be stored.
 */
#ifndef BPFDIGEST_STRMAP_H
#define BPFDIGEST_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap_entry {
	const char *key;
	void *value;
	uint32_t hash;
};

struct strmap {
	struct strmap_entry *table;
	size_t size;		/* slots, a power of two or 0 */
	size_t nr;		/* live entries */
	size_t used;		/* live entries plus tombstones */
	int dup_keys;
};

#define STRMAP_INIT { NULL, 0, 0, 0, 0 }
#define STRMAP_INIT_DUP { NULL, 0, 0, 0, 1 }

uint32_t strhash(const char *s);

void *strmap_get(const struct strmap *map, const char *key);
/* Insert or replace; returns the old value or NULL. */
void *strmap_put(struct strmap *map, const char *key, void *value);
/* Remove; returns the removed value or NULL. */
void *strmap_remove(struct strmap *map, const char *key);
/* Free the table (and keys for a dup map); values are the caller's. */
void strmap_clear(struct strmap *map);
/* strmap_clear(), freeing every value first with free_value (NULL: free()). */
void strmap_clear_values(struct strmap *map, void (*free_value)(void *value));

/*
 * A multimap: a strmap whose values are lists of pointers, in the order
 * they were added.  strmap_list_add() skips an item equal to the last one
 * of its key, so adding while walking something sorted stays cheap.
 * strmap_list_free() frees one list; clear a multimap with
 * strmap_clear_values(map, strmap_list_free).  Items are the caller's.
 */
struct strmap_list {
	void **items;
	size_t nr, alloc;
};

void strmap_list_add(struct strmap *map, const char *key, void *item);
void strmap_list_free(void *list);

/*
 * Iterate:  size_t i = 0; const char *k; void *v;
 *           while (strmap_next(map, &i, &k, &v)) ...
 * The order is the table's, not insertion order.
 */
int strmap_next(const struct strmap *map, size_t *iter, const char **key,
		void **value);

#endif
