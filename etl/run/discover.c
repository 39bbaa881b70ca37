/* discover.c — which files of the data directory belong to which source: a source's stem
 * followed by a known extension (medical_settlements.csv, medical_settlements.2024-01.xlsx),
 * in byte order, dot files left out; and the run's list of inputs made from them. */
#include "zf_ingest.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ingest_internal.h"
#include "zf_text.h"

static bool known_extension(const char *name)
{
    return zf_format_from_name(name) != ZF_FORMAT_AUTO;
}

static bool belongs_to(const char *name, const char *stem)
{
    size_t n = strlen(stem);
    return strncmp(name, stem, n) == 0 && name[n] == '.' && known_extension(name);
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

zf_status zf_ingest_find_files(const char *dir, const char *stem, zf_arena *arena,
                               const char ***names, size_t *n, zf_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return zf_error_set(err, ZF_ERR_IO, dir, 0, 0, "cannot open the data directory: %s",
                            strerror(errno));
    size_t cap = 8, count = 0;
    const char **list = malloc(cap * sizeof *list);
    zf_status st = list ? ZF_OK : ZF_ERR_NOMEM;
    struct dirent *de;
    while (st == ZF_OK && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !belongs_to(de->d_name, stem))
            continue;
        if (count + 1 >= cap) {
            const char **grown = realloc(list, (cap *= 2) * sizeof *list);
            if (!grown) {
                st = ZF_ERR_NOMEM;
                break;
            }
            list = grown;
        }
        if (!(list[count++] = zf_arena_strdup(arena, de->d_name)))
            st = ZF_ERR_NOMEM;
    }
    closedir(d);
    if (st != ZF_OK) {
        free(list);
        return zf_error_set(err, st, dir, 0, 0, "out of memory");
    }
    qsort(list, count, sizeof *list, by_bytes);
    const char **out = zf_arena_calloc(arena, count + 1, sizeof *out);
    if (out)
        memcpy(out, list, count * sizeof *out);
    free(list);
    if (!out)
        return zf_error_set(err, ZF_ERR_NOMEM, dir, 0, 0, "out of memory");
    *names = out;
    *n = count;
    return ZF_OK;
}

zf_status zf_ing_plan_files(zf_run *run, const char *dir, source_files *sf, zf_error *err)
{
    const zf_source_set *set = &run->defs->sources;
    size_t total = 0;
    for (size_t s = 0; s < set->n_sources; s++) {
        if (set->sources[s].kind == ZF_SOURCE_POSTGRES) {   /* [warehouse] one input: the query */
            char name[300];
            snprintf(name, sizeof name, "postgres:%s", set->sources[s].id);
            sf[s].names = zf_arena_calloc(&run->arena, 2, sizeof *sf[s].names);
            if (!sf[s].names || !(sf[s].names[0] = zf_arena_strdup(&run->arena, name)))
                return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
            sf[s].n = 1;
            sf[s].first = total;
            total += 1;
            continue;
        }
        zf_status st = zf_ingest_find_files(dir, set->sources[s].id, &run->arena, &sf[s].names,
                                            &sf[s].n, err);
        if (st != ZF_OK)
            return st;
        sf[s].first = total;
        total += sf[s].n ? sf[s].n : 1;   /* a missing source still gets a row */
    }
    run->files = zf_arena_calloc(&run->arena, total ? total : 1, sizeof *run->files);
    if (!run->files)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    run->n_files = total;
    for (size_t s = 0; s < set->n_sources; s++) {
        for (size_t k = 0; k < (sf[s].n ? sf[s].n : 1); k++) {
            zf_input_file *q = &run->files[sf[s].first + k];
            q->source = s;
            q->name = q->path = sf[s].n ? sf[s].names[k] : "";
            /* a name in GBK bytes is opened as it is but shown escaped, the same everywhere */
            if (!zf_text_is_safe(q->name, strlen(q->name))) {
                char shown_name[4 * 256 + 1];
                zf_text_safe(q->path, strlen(q->path), shown_name, sizeof shown_name);
                if (!(q->name = zf_arena_strdup(&run->arena, shown_name)))
                    return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
            }
            q->status = sf[s].n ? "ok" : "missing";
            q->format = q->encoding = "";
            q->message = sf[s].n ? "" : "no file for this source in the data directory";
        }
    }
    return ZF_OK;
}
