/* zf_arena.h — region allocator.  A run, a file and a row each get an arena that is
 * reset as a whole when its cycle ends, so nothing is freed one object at a time and
 * memory follows the number of groups, not the number of records. */
#ifndef ZF_ARENA_H
#define ZF_ARENA_H

#include <stddef.h>

typedef struct zf_arena_block zf_arena_block;

typedef struct zf_arena {
    zf_arena_block *head;
    size_t block_size;
    size_t total;       /* bytes handed out since the last reset, for reporting */
} zf_arena;

void  zf_arena_init(zf_arena *a, size_t block_size);
/* NULL only when out of memory. Memory is aligned for any type. */
void *zf_arena_alloc(zf_arena *a, size_t size);
void *zf_arena_calloc(zf_arena *a, size_t n, size_t size);
char *zf_arena_strndup(zf_arena *a, const char *s, size_t len);
char *zf_arena_strdup(zf_arena *a, const char *s);
/* Keep the first block, drop the others: the arena is ready for the next cycle. */
void  zf_arena_reset(zf_arena *a);
void  zf_arena_free(zf_arena *a);

#endif
