#include "zf_manifest.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zf_fs.h"
#include "zf_sha256.h"

zf_status zf_run_id_compute(zf_run *run, zf_error *err)
{
    zf_sha256 *h;
    if (zf_sha256_new(&h) != ZF_OK)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    /* every field ends with a newline so that no two different runs hash the same text */
    const char *parts[] = {"zhongfu\n", run->version, "\n", run->defs->plan_sha256, "\n",
                           run->as_of_text, "\n"};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        zf_sha256_update(h, parts[i], strlen(parts[i]));
    for (size_t y = 0; y < run->n_years; y++) {
        char buf[16];
        int n = snprintf(buf, sizeof buf, "%d\n", run->defs->plan.years[run->years[y]]);
        zf_sha256_update(h, buf, (size_t)n);
    }
    for (size_t i = 0; i < run->n_files; i++) {
        const zf_input_file *q = &run->files[i];
        const char *id = run->defs->sources.sources[q->source].id;
        zf_sha256_update(h, id, strlen(id));
        zf_sha256_update(h, "\t", 1);
        zf_sha256_update(h, q->name, strlen(q->name));
        zf_sha256_update(h, "\t", 1);
        zf_sha256_update(h, q->sha256, strlen(q->sha256));
        zf_sha256_update(h, "\n", 1);
    }
    char hex[65];
    zf_sha256_final(h, hex);
    memcpy(run->run_id, hex, 16);
    run->run_id[16] = '\0';
    return ZF_OK;
}

static cJSON *inputs_json(const zf_run *run)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < run->n_files; i++) {
        const zf_input_file *q = &run->files[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "source", run->defs->sources.sources[q->source].id);
        cJSON_AddStringToObject(o, "file", q->name);
        cJSON_AddStringToObject(o, "sha256", q->sha256);
        cJSON_AddNumberToObject(o, "size", (double)q->size);
        cJSON_AddStringToObject(o, "format", q->format);
        cJSON_AddStringToObject(o, "encoding", q->encoding);
        cJSON_AddNumberToObject(o, "rows_read", (double)q->rows_read);
        cJSON_AddNumberToObject(o, "rows_accepted", (double)q->rows_accepted);
        cJSON_AddNumberToObject(o, "rows_rejected", (double)q->rows_rejected);
        if (q->header_line)
            cJSON_AddNumberToObject(o, "header_row", (double)q->header_line);
        cJSON *skipped = cJSON_AddObjectToObject(o, "rows_skipped");   /* rows that are not records */
        for (int k = ZF_ROW_TITLE; k < ZF_ROW_KINDS; k++)
            cJSON_AddNumberToObject(skipped, zf_row_kind_code((zf_row_kind)k), (double)q->rows_skipped[k]);
        cJSON_AddStringToObject(o, "status", q->status);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

static ZF_MUST_CHECK zf_status outputs_json(const char *dir, cJSON *arr, zf_error *err)
{
    zf_arena a;
    zf_arena_init(&a, 16 * 1024);
    const char **names;
    size_t n;
    zf_status st = zf_list_files(dir, &a, &names, &n, err);
    for (size_t i = 0; st == ZF_OK && i < n; i++) {
        if (!strcmp(names[i], "manifest.json"))
            continue;
        char path[4096], hex[65];
        uint64_t size = 0;
        if ((st = zf_path_join(path, sizeof path, dir, names[i], err)) != ZF_OK ||
            (st = zf_sha256_file(path, hex, &size, err)) != ZF_OK)
            break;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", names[i]);
        cJSON_AddStringToObject(o, "sha256", hex);
        cJSON_AddNumberToObject(o, "size", (double)size);
        cJSON_AddItemToArray(arr, o);
    }
    zf_arena_free(&a);
    return st;
}

zf_status zf_manifest_write(const zf_run *run, const char *dir, zf_error *err)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    cJSON_AddStringToObject(root, "run_id", run->run_id);
    cJSON_AddStringToObject(root, "plan", run->defs->plan.id);
    cJSON_AddStringToObject(root, "as_of", run->as_of_text);
    cJSON *years = cJSON_AddArrayToObject(root, "years");
    for (size_t y = 0; y < run->n_years; y++)
        cJSON_AddItemToArray(years, cJSON_CreateNumber(run->defs->plan.years[run->years[y]]));
    cJSON_AddStringToObject(root, "software", "zhongfu");
    cJSON_AddStringToObject(root, "version", run->version);
    cJSON_AddStringToObject(root, "plan_sha256", run->defs->plan_sha256);
    cJSON_AddStringToObject(root, "status", run->incomplete ? "incomplete" : "complete");
    cJSON *opts = cJSON_AddObjectToObject(root, "options");
    cJSON_AddBoolToObject(opts, "charts", run->with_charts);
    cJSON_AddBoolToObject(opts, "workbooks", run->with_workbooks);
    cJSON *defs = cJSON_AddArrayToObject(root, "definitions");
    for (int i = 0; i < 3; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", run->defs->def_files[i]);
        cJSON_AddStringToObject(o, "sha256", run->defs->def_sha256[i]);
        cJSON_AddItemToArray(defs, o);
    }
    cJSON_AddItemToObject(root, "inputs", inputs_json(run));
    cJSON *outs = cJSON_AddArrayToObject(root, "outputs");
    zf_status st = outputs_json(dir, outs, err);
    char *text = st == ZF_OK ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (st != ZF_OK)
        return st;
    if (!text)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    /* Written aside and renamed: a half-written manifest.json is no zhongfu manifest, and the
     * staging directory holding one could be neither removed nor replaced by the next run.
     * Left behind by a crash, the part file is harmless: with the mark and no manifest, the
     * directory is still ours.  A failed flush is caught by ferror as a later one may work. */
    char path[4096], part[4096];
    if ((st = zf_path_join(path, sizeof path, dir, "manifest.json", err)) != ZF_OK ||
        (st = zf_path_join(part, sizeof part, dir, "manifest.json.part", err)) != ZF_OK) {
        free(text);
        return st;
    }
    FILE *f = fopen(part, "wb");
    if (!f) {
        free(text);
        return zf_error_set(err, ZF_ERR_IO, part, 0, 0, "cannot create: %s", strerror(errno));
    }
    fputs(text, f);
    fputc('\n', f);
    free(text);
    int e = ferror(f) ? (errno ? errno : EIO) : 0;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (e) {
        unlink(part);
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    if (rename(part, path) != 0) {
        e = errno;
        unlink(part);
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    return ZF_OK;
}
