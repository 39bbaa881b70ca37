/* zf_strmap.h — open-addressing hash map from byte strings to a pointer-sized slot,
 * keys copied into an arena.  Used for unique keys, distinct counts and joins; it grows
 * by doubling, so memory follows the number of keys. */
#ifndef ZF_STRMAP_H
#define ZF_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zf_arena.h"
#include "zf_error.h"

typedef struct zf_strmap_entry {
    const char *key;
    size_t len;
    uint64_t hash;
    void *value;
} zf_strmap_entry;

typedef struct zf_strmap {
    zf_arena keys;
    zf_strmap_entry *slots;
    size_t cap, count;
} zf_strmap;

ZF_MUST_CHECK zf_status zf_strmap_init(zf_strmap *m, size_t expected);
void zf_strmap_free(zf_strmap *m);

/* The entry for key, or NULL. */
zf_strmap_entry *zf_strmap_get(const zf_strmap *m, const char *key, size_t len);

/* Find or insert key; *added tells which.  The entry's value starts NULL.
 * Returns NULL only when out of memory. Entries move when the map grows: do not keep
 * the pointer across another insert. */
zf_strmap_entry *zf_strmap_put(zf_strmap *m, const char *key, size_t len, bool *added);

uint64_t zf_hash_bytes(const void *p, size_t len);

#endif
