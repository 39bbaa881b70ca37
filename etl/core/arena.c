/* arena.c — the region allocator (zf_arena.h): blocks in a list, the current one first,
 * bump allocation within it; a large one-off allocation gets a block of its own. */
#include "zf_arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

struct zf_arena_block {
    zf_arena_block *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
};

void zf_arena_init(zf_arena *a, size_t block_size)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->total = 0;
}

void *zf_arena_alloc(zf_arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    zf_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t cap = size > a->block_size ? size : a->block_size;
        zf_arena_block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->size = cap;
        nb->used = 0;
        /* A big one-off allocation goes behind the current block so the
         * current block's free space is not wasted. */
        if (b && cap > a->block_size) {
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += size;
    a->total += size;
    return p;
}

void *zf_arena_calloc(zf_arena *a, size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size)
        return NULL;
    void *p = zf_arena_alloc(a, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *zf_arena_strndup(zf_arena *a, const char *s, size_t len)
{
    char *p = zf_arena_alloc(a, len + 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *zf_arena_strdup(zf_arena *a, const char *s)
{
    return zf_arena_strndup(a, s, strlen(s));
}

void zf_arena_reset(zf_arena *a)
{
    zf_arena_block *b = a->head;
    if (!b)
        return;
    /* keep the last block (the oldest, normal-sized one) */
    while (b->next) {
        zf_arena_block *next = b->next;
        free(b);
        b = next;
    }
    b->used = 0;
    a->head = b;
    a->total = 0;
}

void zf_arena_free(zf_arena *a)
{
    zf_arena_block *b = a->head;
    while (b) {
        zf_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

void zf_arena_adopt(zf_arena *into, zf_arena *from)
{
    if (!from->head)
        return;
    /* from's blocks go behind into's current one, which keeps serving allocations */
    zf_arena_block *last = from->head;
    while (last->next)
        last = last->next;
    if (into->head) {
        last->next = into->head->next;
        into->head->next = from->head;
    } else {
        into->head = from->head;
    }
    into->total += from->total;
    from->head = NULL;
    from->total = 0;
}
