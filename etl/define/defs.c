/* defs.c — zf_defs_load: reads a plan, the source set and region tree it names, and
 * checks every cross-reference while the three files are at hand. */
#include "define_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zf_fs.h"
#include "zf_sha256.h"

/* the largest definition file read (the Yuyao plan is 60 KB) */
#define ZF_DEFINITION_MAX (16u << 20)

/* ---- path-aware errors -------------------------------------------------- */

size_t zf_dctx_push(zf_dctx *c, const char *fmt, ...)
{
    size_t old = c->path_len;
    if (old >= sizeof c->path - 1)
        return old;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->path + old, sizeof c->path - old, fmt, ap);
    va_end(ap);
    if (n > 0)
        c->path_len = old + (size_t)n < sizeof c->path ? old + (size_t)n : sizeof c->path - 1;
    return old;
}

void zf_dctx_pop(zf_dctx *c, size_t len)
{
    c->path_len = len;
    c->path[len] = '\0';
}

zf_status zf_dctx_fail(zf_dctx *c, const char *key, const char *fmt, ...)
{
    char what[640], where[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "%s%s%s", c->path, key && c->path_len ? "." : "", key ? key : "");
    if (c->indicator)
        return zf_error_set(c->err, ZF_ERR_DEFINITION, c->file, 0, 0, "indicator %d: %s: %s",
                            c->indicator, where[0] ? where : "(top level)", what);
    return zf_error_set(c->err, ZF_ERR_DEFINITION, c->file, 0, 0, "%s: %s",
                        where[0] ? where : "(top level)", what);
}

zf_status zf_dctx_nomem(zf_dctx *c)
{
    return zf_error_set(c->err, ZF_ERR_NOMEM, c->file, 0, 0, "out of memory while loading definitions");
}

/* ---- typed JSON members ------------------------------------------------- */

static const cJSON *member(zf_dctx *c, const cJSON *obj, const char *key, bool required, zf_status *st)
{
    *st = ZF_OK;
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if ((!it || cJSON_IsNull(it)) && required)
        *st = zf_dctx_fail(c, key, "missing (required)");
    return it && !cJSON_IsNull(it) ? it : NULL;
}

zf_status zf_dj_string(zf_dctx *c, const cJSON *obj, const char *key, bool required, const char **out)
{
    zf_status st;
    const cJSON *it = member(c, obj, key, required, &st);
    if (!it)
        return st;
    if (!cJSON_IsString(it))
        return zf_dctx_fail(c, key, "expected a string");
    char *s = zf_arena_strdup(c->arena, it->valuestring);
    if (!s)
        return zf_dctx_nomem(c);
    *out = s;
    return ZF_OK;
}

zf_status zf_dj_int(zf_dctx *c, const cJSON *obj, const char *key, bool required, int64_t *out)
{
    zf_status st;
    const cJSON *it = member(c, obj, key, required, &st);
    if (!it)
        return st;
    /* cJSON keeps numbers as double; integers up to 2^53 are exact there. */
    double d = cJSON_IsNumber(it) ? it->valuedouble : 0.5;
    if (!cJSON_IsNumber(it) || d != (double)(int64_t)d || d > 9007199254740992.0 || d < -9007199254740992.0)
        return zf_dctx_fail(c, key, "expected an integer");
    *out = (int64_t)d;
    return ZF_OK;
}

zf_status zf_dj_bool(zf_dctx *c, const cJSON *obj, const char *key, bool *out)
{
    zf_status st;
    const cJSON *it = member(c, obj, key, false, &st);
    if (!it)
        return st;
    if (!cJSON_IsBool(it))
        return zf_dctx_fail(c, key, "expected true or false");
    *out = cJSON_IsTrue(it);
    return ZF_OK;
}

zf_status zf_dj_array(zf_dctx *c, const cJSON *obj, const char *key, bool required, const cJSON **out)
{
    zf_status st;
    const cJSON *it = member(c, obj, key, required, &st);
    *out = NULL;
    if (!it)
        return st;
    if (!cJSON_IsArray(it))
        return zf_dctx_fail(c, key, "expected an array");
    *out = it;
    return ZF_OK;
}

zf_status zf_dj_strings(zf_dctx *c, const cJSON *obj, const char *key, bool required,
                        const char ***out, size_t *n)
{
    const cJSON *arr;
    zf_status st = zf_dj_array(c, obj, key, required, &arr);
    if (st || !arr)
        return st;
    size_t cnt = (size_t)cJSON_GetArraySize(arr), i = 0;
    const char **v = zf_arena_calloc(c->arena, cnt ? cnt : 1, sizeof *v);
    if (!v)
        return zf_dctx_nomem(c);
    const cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it)) {
            size_t mark = zf_dctx_push(c, "%s%s[%zu]", c->path_len ? "." : "", key, i);
            st = zf_dctx_fail(c, NULL, "expected a string");
            zf_dctx_pop(c, mark);
            return st;
        }
        if (!(v[i++] = zf_arena_strdup(c->arena, it->valuestring)))
            return zf_dctx_nomem(c);
    }
    *out = v;
    *n = cnt;
    return ZF_OK;
}

zf_status zf_dj_known(zf_dctx *c, const cJSON *obj, const char *const *keys, size_t n)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, obj) {
        if (it->string && zf_def_lookup(keys, n, it->string) < 0) {
            char buf[600];
            return zf_dctx_fail(c, it->string, "unknown member \"%s\" (expected one of %s)", it->string,
                                zf_def_join(keys, n, buf, sizeof buf));
        }
    }
    return ZF_OK;
}

int zf_def_lookup(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

const char *zf_def_join(const char *const *names, size_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        int k = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", names[i]);
        if (k < 0)
            break;
        used += (size_t)k;
    }
    return buf;
}

bool zf_def_decimal(const char *s, size_t len, int64_t *num, int64_t *den)
{
    int64_t n = 0, d = 1;
    size_t digits = 0, frac = 0;
    bool dot = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            if (dot || digits == 0)
                return false;
            dot = true;
        } else if (s[i] >= '0' && s[i] <= '9') {
            /* 15 significant digits keep num/den far from int64 overflow downstream */
            if (++digits > 15)
                return false;
            n = n * 10 + (s[i] - '0');
            if (dot) {
                d *= 10;
                frac++;
            }
        } else {
            return false;
        }
    }
    if (digits == 0 || (dot && frac == 0))
        return false;
    *num = n;
    *den = d;
    return true;
}

zf_status zf_dj_fraction(zf_dctx *c, const cJSON *item, const char *key, int64_t *num, int64_t *den)
{
    if (cJSON_IsString(item)) {
        if (!zf_def_decimal(item->valuestring, strlen(item->valuestring), num, den))
            return zf_dctx_fail(c, key, "\"%s\" is not a decimal number (expected e.g. \"1.7\")",
                                item->valuestring);
        return ZF_OK;
    }
    double d = cJSON_IsNumber(item) ? item->valuedouble : -1;
    if (d < 0 || d != (double)(int64_t)d || d > 1e15)
        return zf_dctx_fail(c, key, "expected a non-negative integer or a decimal string such as \"1.7\"");
    *num = (int64_t)d;
    *den = 1;
    return ZF_OK;
}

/* ---- files -------------------------------------------------------------- */

typedef struct def_file {
    char path[512];
    char *bytes;
    size_t len;
    cJSON *json;
} def_file;

static bool safe_id(const char *id)
{
    if (!id || !id[0] || strlen(id) > 100 || id[0] == '.')
        return false;
    for (const char *p = id; *p; p++)
        if (*p == '/' || *p == '\\')
            return false;
    return true;
}

static ZF_MUST_CHECK zf_status read_all(def_file *f, zf_error *err)
{
    zf_status st = ZF_OK;
    size_t cap = 8192;
    FILE *fp = zf_fopen_regular(f->path, err);
    if (!fp)
        return ZF_ERR_IO;
    f->bytes = malloc(cap);
    while (f->bytes) {
        f->len += fread(f->bytes + f->len, 1, cap - f->len, fp);
        if (f->len < cap)
            break;
        if (cap >= ZF_DEFINITION_MAX) {   /* no plan is this big: a wrong file */
            fclose(fp);
            return zf_error_set(err, ZF_ERR_DEFINITION, f->path, 0, 0,
                                "larger than %u MiB: not a definition file", ZF_DEFINITION_MAX >> 20);
        }
        char *nb = realloc(f->bytes, cap *= 2);
        if (!nb)
            free(f->bytes);
        f->bytes = nb;
    }
    if (!f->bytes)
        st = zf_error_set(err, ZF_ERR_NOMEM, f->path, 0, 0, "out of memory reading the file");
    else if (ferror(fp))
        st = zf_error_set(err, ZF_ERR_IO, f->path, 0, 0, "cannot read definition file: %s", strerror(errno));
    fclose(fp);
    return st;
}

/* Line and column (in characters) of byte offset off, both 1-based. */
static void position(const char *s, size_t off, long *line, long *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (s[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

static ZF_MUST_CHECK zf_status load_file(def_file *f, const char *dir, const char *kind, const char *id, zf_error *err)
{
    if (!safe_id(id))
        return zf_error_set(err, ZF_ERR_DEFINITION, dir, 0, 0,
                            "\"%s\" is not a usable %s id (expected a file stem without '/' or a leading '.')",
                            id ? id : "", kind);
    snprintf(f->path, sizeof f->path, "%s/%s/%s.json", dir, kind, id);
    zf_status st = read_all(f, err);
    if (st)
        return st;
    const char *end = NULL;
    f->json = cJSON_ParseWithLengthOpts(f->bytes, f->len, &end, 0);
    if (!f->json) {
        long line, col;
        size_t off = end && end >= f->bytes && end <= f->bytes + f->len ? (size_t)(end - f->bytes) : 0;
        /* cJSON sometimes stops one past the offending token; an error is never in
         * white space, so step back to the token it follows. */
        while (off > 0 && (off >= f->len || strchr(" \t\r\n", f->bytes[off])))
            off--;
        position(f->bytes, off, &line, &col);
        return zf_error_set(err, ZF_ERR_DEFINITION, f->path, line, col,
                            "malformed JSON at line %ld, column %ld (expected valid JSON: "
                            "check commas, quotes and brackets)", line, col);
    }
    if (!cJSON_IsObject(f->json))
        return zf_error_set(err, ZF_ERR_DEFINITION, f->path, 1, 1, "expected a JSON object at the top level");
    return ZF_OK;
}

static void file_free(def_file *f)
{
    cJSON_Delete(f->json);
    free(f->bytes);
}

static ZF_MUST_CHECK zf_status hash_files(zf_defs *d, def_file *files, size_t n, zf_error *err)
{
    zf_sha256 *h = NULL;
    zf_status st = zf_sha256_new(&h);
    if (st)
        return zf_error_set(err, st, NULL, 0, 0, "cannot start SHA-256 of the definitions");
    for (size_t i = 0; i < n; i++) {
        zf_sha256_update(h, files[i].bytes, files[i].len);
        if (i < 3 && (st = zf_sha256_buffer(files[i].bytes, files[i].len, d->def_sha256[i])) != ZF_OK) {
            char unused[65];
            zf_sha256_final(h, unused);   /* frees the context */
            return zf_error_set(err, st, files[i].path, 0, 0, "cannot compute the SHA-256 of this file");
        }
    }
    zf_sha256_final(h, d->plan_sha256);
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status names_of(def_file *plan, const char **src, const char **reg, zf_error *err)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(plan->json, "sources");
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(plan->json, "regions");
    if (!cJSON_IsString(s))
        return zf_error_set(err, ZF_ERR_DEFINITION, plan->path, 0, 0,
                            "sources: missing or not a string (expected the source set's id, e.g. \"yuyao\")");
    if (!cJSON_IsString(r))
        return zf_error_set(err, ZF_ERR_DEFINITION, plan->path, 0, 0,
                            "regions: missing or not a string (expected the region tree's id, e.g. \"yuyao\")");
    *src = s->valuestring;
    *reg = r->valuestring;
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status parse_all(zf_defs *d, def_file f[3], const char *plan_id, const char *src_id, const char *reg_id,
                                         zf_error *err)
{
    zf_dctx c = {.arena = &d->arena, .err = err};
    c.file = f[2].path;
    zf_status st = zf_regions_parse(&c, f[2].json, reg_id, &d->regions);
    if (st)
        return st;
    c.regions = &d->regions;
    c.file = f[1].path;
    if ((st = zf_sources_parse(&c, f[1].json, src_id, &d->sources)))
        return st;
    c.sources = &d->sources;
    c.file = f[0].path;
    if ((st = zf_plan_parse(&c, f[0].json, &d->plan)))
        return st;
    if (strcmp(d->plan.id, plan_id) != 0)
        return zf_dctx_fail(&c, "id", "plan id \"%s\" does not match the file name (expected \"%s\")",
                            d->plan.id, plan_id);
    return ZF_OK;
}

zf_status zf_defs_load(zf_defs **out, const char *templates_dir, const char *plan_id, zf_error *err)
{
    *out = NULL;
    def_file f[3] = {0};   /* plan, sources, regions: the order they are hashed in */
    const char *src_id = NULL, *reg_id = NULL;
    zf_defs *d = calloc(1, sizeof *d);
    if (!d)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    zf_arena_init(&d->arena, 64 * 1024);
    zf_status st = load_file(&f[0], templates_dir, "plans", plan_id, err);
    if (!st)
        st = names_of(&f[0], &src_id, &reg_id, err);
    if (!st)
        st = load_file(&f[1], templates_dir, "sources", src_id, err);
    if (!st)
        st = load_file(&f[2], templates_dir, "regions", reg_id, err);
    if (!st)
        st = parse_all(d, f, plan_id, src_id, reg_id, err);
    if (!st)
        st = hash_files(d, f, 3, err);
    if (st)
        goto cleanup;
    snprintf(d->def_files[0], sizeof d->def_files[0], "plans/%s.json", plan_id);
    snprintf(d->def_files[1], sizeof d->def_files[1], "sources/%s.json", src_id);
    snprintf(d->def_files[2], sizeof d->def_files[2], "regions/%s.json", reg_id);
    *out = d;
    d = NULL;
cleanup:
    for (int i = 0; i < 3; i++)
        file_free(&f[i]);
    zf_defs_free(d);
    return st;
}

void zf_defs_free(zf_defs *defs)
{
    if (!defs)
        return;
    zf_arena_free(&defs->arena);
    free(defs);
}
