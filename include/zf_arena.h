/* zf_arena.h — region allocator.  What lives as long as something else lives in its
 * arena and goes with it: the definitions, the run, a reader, a source job while its
 * thread reads (adopted by the run after the join, so no thread allocates from an arena
 * another thread uses), and a rejected row's scratch (reset per row).  Nothing is freed
 * one object at a time, and memory follows the number of groups, not of records. */
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
/* Everything allocated in from now lives as long as into; from is left empty. */
void  zf_arena_adopt(zf_arena *into, zf_arena *from);
void  zf_arena_free(zf_arena *a);

#endif
