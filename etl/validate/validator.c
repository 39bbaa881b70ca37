/* validator.c — whole records of one source: columns in order, record checks, then the key.
 *
 * zf_validator_new compiles each column into a plan: its kind, and for enums and regions a
 * small hash table of the words, so that a cell costs a switch on a byte and the parse of
 * its own type.  Amounts, dates and citizen IDs try their fast path first and fall back to
 * the general parser (zf_value.h), which stays the definition of every verdict. */
#include "zf_validate.h"

#include <stdlib.h>
#include <string.h>

#include "zf_keyset.h"
#include "zf_swar.h"

#define KEY_SEP '\x1F'

/* ---- word tables (enum vocabularies, region names) ---------------------- */

/* A word, by its length and two words of its bytes that together cover all of it when it
 * has at most 16 bytes (see word_key); longer ones are compared in full as well. */
typedef struct word_slot {
    uint64_t a, b;
    size_t len;            /* 0 = empty slot */
    int64_t value;         /* vocabulary or region index */
    const char *text;
} word_slot;

typedef struct word_table {
    word_slot *slots;
    size_t mask;           /* slots - 1, a power of two minus one */
} word_table;

static void word_key(const char *s, size_t len, uint64_t *a, uint64_t *b)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len >= 8) {            /* first and last 8 bytes, overlapping below 16 */
        *a = zf_load64(p);
        *b = zf_load64(p + len - 8);
    } else if (len >= 4) {     /* first and last 4 bytes */
        *a = (uint64_t)zf_load32(p + len - 4) << 32 | zf_load32(p);
        *b = 0;
    } else {                   /* first, middle and last byte */
        *a = (uint64_t)p[0] | (uint64_t)p[len / 2] << 8 | (uint64_t)p[len - 1] << 16;
        *b = 0;
    }
}

static size_t word_home(uint64_t a, uint64_t b, size_t len, size_t mask)
{
    const uint64_t h = (a ^ (b * UINT64_C(0x9E3779B97F4A7C15)) ^ len) * UINT64_C(0xBF58476D1CE4E5B9);
    return (size_t)(h >> 40) & mask;
}

/* The value of word s/len, or -1. */
static int64_t word_find(const word_table *t, const char *s, size_t len)
{
    uint64_t a, b;
    word_key(s, len, &a, &b);
    for (size_t i = word_home(a, b, len, t->mask);; i = (i + 1) & t->mask) {
        const word_slot *w = &t->slots[i];
        if (w->len == 0)
            return -1;
        if (w->len == len && w->a == a && w->b == b && (len <= 16 || memcmp(w->text, s, len) == 0))
            return w->value;
    }
}

/* A table of the n words at words, stride bytes apart (an array of strings, or the name
 * field of an array of structs); a word given twice keeps its first value, as the scans it replaces
 * (first vocabulary entry, first region in pre-order) did.  Empty words are left out: an
 * empty cell never reaches the table. */
static zf_status word_table_init(word_table *t, const char *const *words, size_t stride, size_t n)
{
    size_t cap = 8;
    while (cap < 2 * n)
        cap *= 2;
    t->slots = calloc(cap, sizeof *t->slots);
    t->mask = cap - 1;
    if (!t->slots)
        return ZF_ERR_NOMEM;
    for (size_t k = 0; k < n; k++) {
        const char *w = *(const char *const *)(const void *)((const char *)words + k * stride);
        const size_t len = strlen(w);
        if (len == 0 || word_find(t, w, len) >= 0)
            continue;
        uint64_t a, b;
        word_key(w, len, &a, &b);
        size_t i = word_home(a, b, len, t->mask);
        while (t->slots[i].len)
            i = (i + 1) & t->mask;
        t->slots[i] = (word_slot){a, b, len, (int64_t)k, w};
    }
    return ZF_OK;
}

/* ---- column plans ------------------------------------------------------- */

typedef enum plan_kind {
    PLAN_TEXT,             /* nothing to check */
    PLAN_AMOUNT,
    PLAN_DATE,
    PLAN_CITIZEN_ID,
    PLAN_ENUM,
    PLAN_REGION,
    PLAN_GENERAL           /* zf_value_parse: integers, yes/no, credit codes, decimals */
} plan_kind;

typedef struct col_plan {
    unsigned char kind;    /* plan_kind */
    bool required;
    const word_table *words;   /* PLAN_ENUM, PLAN_REGION */
    const zf_column *col;
} col_plan;

struct zf_validator {
    const zf_source *src;
    zf_value_ctx ctx;
    col_plan *plans;       /* one per column */
    word_table *vocabs;    /* one per column, used by enum columns only */
    word_table regions;    /* region name → index in the tree (the first in pre-order) */
    zf_keyset keys;        /* canonical keys of accepted records (exact, typical keys packed) */
    char *key;             /* the key being built, reused from record to record */
    size_t key_cap;
};

static plan_kind kind_of(zf_coltype type)
{
    switch (type) {
    case ZF_COL_TEXT: return PLAN_TEXT;
    case ZF_COL_AMOUNT: return PLAN_AMOUNT;
    case ZF_COL_DATE: return PLAN_DATE;
    case ZF_COL_CITIZEN_ID: return PLAN_CITIZEN_ID;
    case ZF_COL_ENUM: return PLAN_ENUM;
    case ZF_COL_REGION: return PLAN_REGION;
    default: return PLAN_GENERAL;
    }
}

static zf_status compile_plans(zf_validator *v, const zf_source *src, const zf_region_tree *t)
{
    const size_t n_regions = t ? t->n_regions : 0;
    zf_status st = word_table_init(&v->regions, n_regions ? &t->regions[0].name : NULL,
                                   sizeof(zf_region), n_regions);
    v->plans = calloc(src->n_columns ? src->n_columns : 1, sizeof *v->plans);
    v->vocabs = calloc(src->n_columns ? src->n_columns : 1, sizeof *v->vocabs);
    if (st != ZF_OK || !v->plans || !v->vocabs)
        return ZF_ERR_NOMEM;
    for (size_t c = 0; c < src->n_columns && st == ZF_OK; c++) {
        const zf_column *col = &src->columns[c];
        col_plan *pl = &v->plans[c];
        pl->kind = (unsigned char)kind_of(col->type);
        pl->required = col->required;
        pl->col = col;
        if (pl->kind == PLAN_REGION)
            pl->words = &v->regions;
        else if (pl->kind == PLAN_ENUM) {
            st = word_table_init(&v->vocabs[c], col->vocab, sizeof *col->vocab, col->n_vocab);
            pl->words = &v->vocabs[c];
        }
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
    if ((st = compile_plans(v, src, regions)) != ZF_OK || (st = zf_keyset_init(&v->keys)) != ZF_OK) {
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
    for (size_t c = 0; v->vocabs && c < v->src->n_columns; c++)
        free(v->vocabs[c].slots);
    free(v->vocabs);
    free(v->plans);
    free(v->regions.slots);
    if (v->keys.slots)
        zf_keyset_free(&v->keys);
    free(v->key);
    free(v);
}

/* Cells from the readers are trimmed already (zf_cell); a caller's own cells may not be,
 * and two byte tests say which. */
static bool maybe_untrimmed(const char *s, size_t len)
{
    const unsigned char f = (unsigned char)s[0], l = (unsigned char)s[len - 1];
    return f <= ' ' || f == 0xE3 || l <= ' ' || l == 0x80;
}

static zf_reason check_date(const zf_validator *v, const zf_cell *cell, const char *s, size_t len,
                            zf_value *out)
{
    int32_t days = 0;
    zf_reason r;
    if (!zf_fast_date(s, len, v->ctx.max_year, &r, &days))
        r = zf_parse_date(s, len, cell->numeric && v->ctx.xlsx, v->ctx.max_year, &days);
    out->i = days;
    return r;
}

static zf_reason check_typed(const zf_validator *v, const col_plan *pl, const zf_cell *cell,
                             const char *s, size_t len, zf_value *out)
{
    zf_reason r;
    switch (pl->kind) {
    case PLAN_AMOUNT:
        return zf_fast_amount(s, len, &out->i) ? ZF_REASON_NONE : zf_parse_amount(s, len, &out->i);
    case PLAN_DATE:
        return check_date(v, cell, s, len, out);
    case PLAN_CITIZEN_ID:
        if (!zf_fast_citizen_id(s, len, v->ctx.max_year, &r))
            r = zf_check_citizen_id_until(s, len, v->ctx.max_year);
        return r;
    case PLAN_ENUM:
    case PLAN_REGION: {
        const int64_t k = word_find(pl->words, s, len);
        if (k < 0)
            return pl->kind == PLAN_ENUM ? ZF_REASON_UNKNOWN_ENUM : ZF_REASON_UNKNOWN_REGION;
        out->i = k;
        return ZF_REASON_NONE;
    }
    default:
        return ZF_REASON_NONE;
    }
}

static zf_reason check_cell(const zf_validator *v, const col_plan *pl, const zf_cell *cell,
                            bool present, zf_value *out)
{
    static const zf_cell absent = {NULL, 0, false};
    if (pl->kind == PLAN_GENERAL)
        return zf_value_parse(pl->col, present ? cell : &absent, &v->ctx, out);
    const char *s = cell->ptr;
    size_t len = present ? cell->len : 0;
    if (len && maybe_untrimmed(s, len))
        zf_trim(&s, &len);
    out->present = len != 0;
    out->numeric = false;
    out->i = 0;
    out->s = len ? s : "";
    out->len = len;
    if (len == 0)
        return pl->required ? ZF_REASON_MISSING_REQUIRED : ZF_REASON_NONE;
    return pl->kind == PLAN_TEXT ? ZF_REASON_NONE : check_typed(v, pl, cell, s, len, out);
}

/* Saturating, so that no sum of amounts can wrap into a false "consistent".  An absent
 * value counts as nothing. */
static int64_t sum_columns(const zf_value *values, const size_t *cols, size_t n)
{
    int64_t s = 0;
    for (size_t k = 0; k < n; k++) {
        const zf_value *x = &values[cols[k]];
        const int64_t b = x->present ? x->i : 0;
        if (__builtin_add_overflow(s, b, &s))
            s = b > 0 ? INT64_MAX : INT64_MIN;
    }
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

/* The record's key: with one key column its canonical text where it is (the cell, or tmp
 * of 32 bytes), with several the texts joined in v->key. */
static zf_status record_key(zf_validator *v, const zf_value *values, char *tmp, const char **key,
                            size_t *len)
{
    if (v->src->n_key == 1) {
        const size_t c = v->src->key[0];
        *key = zf_value_canonical(&v->src->columns[c], &values[c], tmp, len);
        return ZF_OK;
    }
    zf_status st = build_key(v, values, len);
    *key = v->key;   /* after build_key, which may move it */
    return st;
}

zf_status zf_validator_check(zf_validator *v, const zf_cell *cells, const bool *present, bool xlsx,
                             zf_value *values, zf_verdict *verdict)
{
    const zf_source *src = v->src;
    v->ctx.xlsx = xlsx;
    verdict->reason = ZF_REASON_NONE;
    verdict->column = 0;

    for (size_t c = 0; c < src->n_columns; c++) {
        zf_reason r = check_cell(v, &v->plans[c], &cells[c], !present || present[c], &values[c]);
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

    char tmp[32];
    const char *key;
    size_t len;
    bool added;
    if (record_key(v, values, tmp, &key, &len) != ZF_OK || zf_keyset_add(&v->keys, key, len, &added) != ZF_OK)
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
