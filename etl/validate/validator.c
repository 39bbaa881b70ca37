/* validator.c — whole records of one source: columns in order, record checks, then the key. */
#include "zf_validate.h"

#include <stdlib.h>
#include <string.h>

#include "zf_keyset.h"
#include "zf_strmap.h"

#define KEY_SEP '\x1F'

struct zf_validator {
    const zf_source *src;
    zf_value_ctx ctx;
    zf_strmap regions;     /* region name → index + 1: a hash per cell, not a scan of the tree */
    zf_keyset keys;        /* canonical keys of accepted records (exact, typical keys packed) */
    char *key;             /* the key being built, reused from record to record */
    size_t key_cap;
};

static zf_status index_regions(zf_validator *v, const zf_region_tree *t)
{
    zf_status st = zf_strmap_init(&v->regions, t ? t->n_regions : 0);
    for (size_t k = 0; st == ZF_OK && t && k < t->n_regions; k++) {
        bool added;
        zf_strmap_entry *e = zf_strmap_put(&v->regions, t->regions[k].name,
                                           strlen(t->regions[k].name), &added);
        if (!e)
            st = ZF_ERR_NOMEM;
        else if (added)   /* a name used twice in a tree: the first in pre-order wins */
            e->value = (void *)(uintptr_t)(k + 1);
    }
    return st;
}

zf_status zf_validator_new(zf_validator **out, const zf_source *src, const zf_region_tree *regions,
                           int max_year, zf_error *err)
{
    zf_status st = ZF_OK;
    *out = NULL;
    zf_validator *v = calloc(1, sizeof *v);
    if (!v)
        return zf_error_set(err, ZF_ERR_NOMEM, "", 0, 0, "out of memory for the validator of %s",
                            src->id ? src->id : "?");
    v->src = src;
    v->ctx.regions = regions;
    v->ctx.max_year = max_year;
    if ((st = index_regions(v, regions)) != ZF_OK || (st = zf_keyset_init(&v->keys)) != ZF_OK) {
        zf_error_set(err, st, "", 0, 0, "out of memory for the validator of %s",
                     src->id ? src->id : "?");
        goto cleanup;
    }
    *out = v;
    v = NULL;
cleanup:
    zf_validator_free(v);
    return st;
}

void zf_validator_free(zf_validator *v)
{
    if (!v)
        return;
    if (v->regions.slots)
        zf_strmap_free(&v->regions);
    if (v->keys.slots)
        zf_keyset_free(&v->keys);
    free(v->key);
    free(v);
}

static zf_reason check_region(const zf_validator *v, zf_value *out)
{
    const zf_strmap_entry *e = zf_strmap_get(&v->regions, out->s, out->len);
    if (!e)
        return ZF_REASON_UNKNOWN_REGION;
    out->i = (int64_t)((uintptr_t)e->value - 1);
    return ZF_REASON_NONE;
}

static zf_reason check_cell(const zf_validator *v, const zf_column *col, const zf_cell *cell,
                            bool present, zf_value *out)
{
    static const zf_cell absent = {NULL, 0, false};
    if (col->type != ZF_COL_REGION)
        return zf_value_parse(col, present ? cell : &absent, &v->ctx, out);
    /* Regions go through the name index instead of zf_value_parse's scan of the tree. */
    const char *s = present ? cell->ptr : NULL;
    size_t len = present ? cell->len : 0;
    if (len)
        zf_trim(&s, &len);
    out->present = len != 0;
    out->numeric = false;
    out->i = 0;
    out->s = len ? s : "";
    out->len = len;
    if (len == 0)
        return col->required ? ZF_REASON_MISSING_REQUIRED : ZF_REASON_NONE;
    return check_region(v, out);
}

/* Saturating, so that no sum of amounts can wrap into a false "consistent". */
static int64_t add_sat(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

static int64_t sum_columns(const zf_value *values, const size_t *cols, size_t n)
{
    int64_t s = 0;
    for (size_t k = 0; k < n; k++)
        if (values[cols[k]].present)
            s = add_sat(s, values[cols[k]].i);
    return s;
}

static zf_status key_reserve(zf_validator *v, size_t need)
{
    if (need <= v->key_cap)
        return ZF_OK;
    size_t cap = v->key_cap ? v->key_cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(v->key, cap);
    if (!p)
        return ZF_ERR_NOMEM;
    v->key = p;
    v->key_cap = cap;
    return ZF_OK;
}

/* The record's key in v->key, key columns joined by 0x1F. */
static zf_status build_key(zf_validator *v, const zf_value *values, size_t *len)
{
    size_t n = 0;
    for (size_t k = 0; k < v->src->n_key; k++) {
        const size_t c = v->src->key[k];
        char tmp[32];
        size_t plen;
        const char *p = zf_value_canonical(&v->src->columns[c], &values[c], tmp, &plen);
        if (key_reserve(v, n + plen + 1) != ZF_OK)
            return ZF_ERR_NOMEM;
        if (k > 0)
            v->key[n++] = KEY_SEP;
        memcpy(v->key + n, p, plen);
        n += plen;
    }
    *len = n;
    return ZF_OK;
}

zf_status zf_validator_check(zf_validator *v, const zf_cell *cells, const bool *present, bool xlsx,
                             zf_value *values, zf_verdict *verdict)
{
    const zf_source *src = v->src;
    v->ctx.xlsx = xlsx;
    verdict->reason = ZF_REASON_NONE;
    verdict->column = 0;

    for (size_t c = 0; c < src->n_columns; c++) {
        zf_reason r = check_cell(v, &src->columns[c], &cells[c], !present || present[c], &values[c]);
        if (r != ZF_REASON_NONE) {
            verdict->reason = r;
            verdict->column = c;
            return ZF_OK;
        }
    }
    for (size_t k = 0; k < src->n_checks; k++) {
        const zf_record_check *chk = &src->checks[k];
        if (sum_columns(values, chk->left, chk->n_left) > sum_columns(values, chk->right, chk->n_right)) {
            verdict->reason = ZF_REASON_INCONSISTENT_AMOUNTS;
            verdict->column = chk->n_left ? chk->left[0] : 0;
            return ZF_OK;
        }
    }
    if (src->n_key == 0)
        return ZF_OK;

    size_t len;
    bool added;
    if (build_key(v, values, &len) != ZF_OK || zf_keyset_add(&v->keys, v->key, len, &added) != ZF_OK)
        return ZF_ERR_NOMEM;
    if (!added) {
        verdict->reason = ZF_REASON_DUPLICATE_KEY;
        verdict->column = src->key[0];
    }
    return ZF_OK;
}

bool zf_validator_has_key(const zf_validator *v, const char *key, size_t len)
{
    return zf_keyset_has(&v->keys, key, len);
}

size_t zf_validator_key_count(const zf_validator *v)
{
    return v->keys.count;
}
