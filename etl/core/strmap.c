#include "zf_strmap.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a, then a final mix so that keys differing only in their last bytes
 * still spread over the low bits used for the slot. */
uint64_t zf_hash_bytes(const void *p, size_t len)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

zf_status zf_strmap_init(zf_strmap *m, size_t expected)
{
    size_t cap = 64;
    while (cap < expected * 2)
        cap <<= 1;
    zf_arena_init(&m->keys, 256 * 1024);
    m->slots = calloc(cap, sizeof *m->slots);
    m->cap = cap;
    m->count = 0;
    return m->slots ? ZF_OK : ZF_ERR_NOMEM;
}

void zf_strmap_free(zf_strmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->count = 0;
    zf_arena_free(&m->keys);
}

static zf_strmap_entry *find_slot(zf_strmap_entry *slots, size_t cap, const char *key, size_t len,
                                  uint64_t h)
{
    size_t i = h & (cap - 1);
    for (;;) {
        zf_strmap_entry *e = &slots[i];
        if (!e->key || (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0))
            return e;
        i = (i + 1) & (cap - 1);
    }
}

zf_strmap_entry *zf_strmap_get(const zf_strmap *m, const char *key, size_t len)
{
    zf_strmap_entry *e = find_slot(m->slots, m->cap, key, len, zf_hash_bytes(key, len));
    return e->key ? e : NULL;
}

static bool grow(zf_strmap *m)
{
    size_t cap = m->cap * 2;
    zf_strmap_entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < m->cap; i++) {
        zf_strmap_entry *e = &m->slots[i];
        if (e->key)
            *find_slot(slots, cap, e->key, e->len, e->hash) = *e;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return true;
}

zf_strmap_entry *zf_strmap_put(zf_strmap *m, const char *key, size_t len, bool *added)
{
    if ((m->count + 1) * 4 > m->cap * 3 && !grow(m))
        return NULL;
    uint64_t h = zf_hash_bytes(key, len);
    zf_strmap_entry *e = find_slot(m->slots, m->cap, key, len, h);
    *added = !e->key;
    if (*added) {
        char *copy = zf_arena_strndup(&m->keys, key, len);
        if (!copy)
            return NULL;
        e->key = copy;
        e->len = len;
        e->hash = h;
        e->value = NULL;
        m->count++;
    }
    return e;
}
