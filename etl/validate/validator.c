/* validator.c — whole records of one source: columns in order, record checks, then the key.
 *
 * zf_validator_new compiles each column into a plan: its kind, and for enums and regions a
 * small hash table of the words, so that a cell costs a switch on a byte and the parse of
 * its own type.  Amounts, dates and citizen IDs try their fast path (zf_fast.h, inlined)
 * first and fall back to the general parser of zf_value.h, which stays the definition of
 * every verdict. */
#include "zf_validate.h"

#include <stdlib.h>
#include <string.h>

#include "zf_fast.h"
#include "zf_keyset.h"
#include "zf_text.h"

#define KEY_SEP '\x1F'
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* Amounts are 0 to 10^17 - 1 hundredths, so up to 92 of them add up without reaching
 * INT64_MAX: where a check has only amount columns, a plain sum is the saturating one. */
#define PLAIN_SUM_MAX 92

/* ---- word tables (enum vocabularies, region names) ---------------------- */

/* A word, by its length and four 4-byte windows of it that together cover it when it has
 * 4 to 16 bytes (first, middle and last byte below 4); longer ones are also compared in
 * full.  Equal length and windows then mean equal words: the look-up is exact. */
typedef struct word_slot {
    uint64_t a, b;
    uint64_t len;          /* 0 = empty slot; LONG_WORD set above 16 bytes */
    int64_t value;         /* vocabulary or region index */
    const char *text;
} word_slot;

/* In a slot's length: the word is longer than its windows, so no hit at its home slot
 * without the full compare of word_probe. */
#define LONG_WORD (UINT64_C(1) << 63)

typedef struct word_table {
    word_slot *slots;
    size_t mask;           /* slots - 1, a power of two minus one */
    uint64_t mult;         /* the hash multiplier that gives every word its own slot */
} word_table;

/* The windows start at 0, min(4, len-4), max(len-8, 0) and len-4: chosen without a branch
 * on the length, which varies from cell to cell (低保 and 低保边缘 in one column). */
static ALWAYS_INLINE void word_key(const char *s, size_t len, uint64_t *a, uint64_t *b)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len >= 4) {
        const size_t o1 = len < 8 ? len - 4 : 4, o2 = len < 8 ? 0 : len - 8;
        *a = (uint64_t)zf_load32(p + o1) << 32 | zf_load32(p);
        *b = (uint64_t)zf_load32(p + len - 4) << 32 | zf_load32(p + o2);
    } else {
        *a = (uint64_t)p[0] | (uint64_t)p[len / 2] << 8 | (uint64_t)p[len - 1] << 16;
        *b = 0;
    }
}

/* The length is left out: windows that differ only in it are rare, and the compare has it. */
static ALWAYS_INLINE size_t word_home(const word_table *t, uint64_t a, uint64_t b)
{
    return (size_t)(((a + (b << 1)) * t->mult) >> 40) & t->mask;
}

/* Past the home slot: further probes, and words longer than 16 bytes compared in full. */
static __attribute__((noinline)) int64_t word_probe(const word_table *t, const char *s, size_t len,
                                                      uint64_t a, uint64_t b, size_t i)
{
    for (;; i = (i + 1) & t->mask) {
        const word_slot *w = &t->slots[i];
        if (w->len == 0)
            return -1;
        if ((w->len & ~LONG_WORD) == len && w->a == a && w->b == b &&
            (len <= 16 || memcmp(w->text, s, len) == 0))
            return w->value;
    }
}

/* Whether word s/len (len > 0) is in the table; *value is its value, or -1.  Every word of
 * the table has its home slot (word_table_init), so a word of up to 16 bytes is found with
 * one compare, and the hit needs no test of the value. */
static ALWAYS_INLINE bool word_find(const word_table *t, const char *s, size_t len, int64_t *value)
{
    uint64_t a, b;
    word_key(s, len, &a, &b);
    const size_t i = word_home(t, a, b);
    const word_slot *w = &t->slots[i];
    if (((w->len ^ len) | (w->a ^ a) | (w->b ^ b)) == 0) {
        *value = w->value;
        return true;
    }
    *value = word_probe(t, s, len, a, b, i);
    return *value >= 0;
}

static void word_put(word_table *t, const char *w, size_t len, int64_t value)
{
    uint64_t a, b;
    word_key(w, len, &a, &b);
    size_t i = word_home(t, a, b);
    while (t->slots[i].len)
        i = (i + 1) & t->mask;
    t->slots[i] = (word_slot){a, b, len | (len > 16 ? LONG_WORD : 0), value, w};
}

/* The word k of an array of strings or of the name field of an array of structs. */
static const char *word_at(const char *const *words, size_t stride, size_t k)
{
    return *(const char *const *)(const void *)((const char *)words + k * stride);
}

/* Whether every distinct word gets a slot of its own, so that a hit costs one probe.
 * owner[] (one per slot) says which word has a slot as its home so far. */
static bool word_spread(const word_table *t, const char *const *words, size_t stride, size_t n,
                        size_t *owner)
{
    for (size_t i = 0; i <= t->mask; i++)
        owner[i] = SIZE_MAX;
    for (size_t k = 0; k < n; k++) {
        const char *w = word_at(words, stride, k);
        uint64_t a, b;
        if (!*w)
            continue;
        word_key(w, strlen(w), &a, &b);
        size_t *o = &owner[word_home(t, a, b)];
        if (*o != SIZE_MAX && strcmp(word_at(words, stride, *o), w) != 0)
            return false;
        *o = k;
    }
    return true;
}

/* A multiplier that spreads the words, if one of a few hundred does (with slots for four
 * times as many words, a vocabulary or a county's towns take a few tries); else the
 * default one, and linear probing finds every word anyway. */
static ZF_MUST_CHECK zf_status spread_words(word_table *t, const char *const *words, size_t stride, size_t n)
{
    size_t *owner = malloc((t->mask + 1) * sizeof *owner);
    if (!owner)
        return ZF_ERR_NOMEM;
    const uint64_t first = t->mult;
    bool spread = false;
    for (unsigned k = 0; k < 512 && !(spread = word_spread(t, words, stride, n, owner)); k++)
        t->mult = (t->mult + UINT64_C(0x9E3779B97F4A7C16)) | 1;
    if (!spread)
        t->mult = first;
    free(owner);
    return ZF_OK;
}

/* Whether trimming leaves w as it is.  A word that trimming would change can never equal
 * a trimmed cell, so the tables leave it out; then a cell found in a table as it comes is
 * trimmed already (check_cell looks up cells before trimming them). */
static bool is_trimmed(const char *w, size_t len)
{
    const char *t = w;
    size_t n = len;
    zf_trim(&t, &n);
    return n == len;
}

/* A table of the n words at words, stride bytes apart.  A word given twice keeps its first
 * value, as the scans it replaces (first vocabulary entry, first region in pre-order) did;
 * empty words are left out (an empty cell never reaches the table). */
static ZF_MUST_CHECK zf_status word_table_init(word_table *t, const char *const *words, size_t stride, size_t n)
{
    size_t cap = 8;
    while (cap < 4 * n)
        cap *= 2;
    t->slots = calloc(cap, sizeof *t->slots);
    t->mask = cap - 1;
    t->mult = UINT64_C(0xBF58476D1CE4E5B9);
    if (!t->slots || spread_words(t, words, stride, n) != ZF_OK)
        return ZF_ERR_NOMEM;
    for (size_t k = 0; k < n; k++) {
        const char *w = word_at(words, stride, k);
        const size_t len = strlen(w);
        int64_t found;
        if (len && is_trimmed(w, len) && !word_find(t, w, len, &found))
            word_put(t, w, len, (int64_t)k);
    }
    return ZF_OK;
}

/* ---- column plans ------------------------------------------------------- */

/* How a column is checked: a switch on one byte per cell, whose cases are inlined. */
typedef enum plan_kind {
    PLAN_TEXT,             /* nothing to check beyond presence */
    PLAN_AMOUNT,
    PLAN_DATE,
    PLAN_CITIZEN_ID,
    PLAN_ENUM,
    PLAN_REGION,
    PLAN_GENERAL,          /* zf_value_parse: integers, yes/no, credit codes, decimals */
    PLAN_END               /* after the last column */
} plan_kind;

/* A record check that adds amounts only: the columns added, then those subtracted, in one
 * array. */
typedef struct sum_plan {
    const size_t *add, *sub, *end;
} sum_plan;

struct zf_validator {
    const zf_source *src;
    zf_value_ctx ctx;
    bool key_is_text;      /* one key column whose canonical text is its trimmed text */
    unsigned char *kind;   /* per column: its plan_kind, then PLAN_END */
    bool *required;        /* per column: an empty cell is missing_required (general
                              columns say so themselves: false for them) */
    const word_table **words;     /* per column: its vocabulary or the regions */
    sum_plan *sums;        /* per check when all add amounts only (see PLAIN_SUM_MAX), else NULL */
    size_t *terms;         /* the columns of the sum plans */
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

/* Types whose canonical key text (zf_value_canonical) is the trimmed text itself. */
static bool canonical_is_text(zf_coltype type)
{
    return type == ZF_COL_TEXT || type == ZF_COL_ENUM || type == ZF_COL_REGION ||
           type == ZF_COL_CREDIT_CODE;
}

static bool amounts_only(const zf_source *src, const size_t *cols, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (src->columns[cols[k]].type != ZF_COL_AMOUNT)
            return false;
    return n <= PLAIN_SUM_MAX;
}

static bool checks_add_amounts(const zf_source *src)
{
    for (size_t k = 0; k < src->n_checks; k++)
        if (!amounts_only(src, src->checks[k].left, src->checks[k].n_left) ||
            !amounts_only(src, src->checks[k].right, src->checks[k].n_right))
            return false;
    return true;
}

/* The checks as sum plans, when they add amounts only; else v->sums stays NULL and the
 * checks saturate. */
static ZF_MUST_CHECK zf_status compile_sums(zf_validator *v, const zf_source *src)
{
    size_t n = 0;
    if (!src->n_checks || !checks_add_amounts(src))
        return ZF_OK;
    for (size_t k = 0; k < src->n_checks; k++)
        n += src->checks[k].n_left + src->checks[k].n_right;
    v->sums = malloc(src->n_checks * sizeof *v->sums);
    v->terms = malloc((n ? n : 1) * sizeof *v->terms);
    if (!v->sums || !v->terms)
        return ZF_ERR_NOMEM;
    size_t *t = v->terms;
    for (size_t k = 0; k < src->n_checks; k++) {
        const zf_record_check *chk = &src->checks[k];
        v->sums[k].add = t;
        memcpy(t, chk->left, chk->n_left * sizeof *t);
        v->sums[k].sub = t += chk->n_left;
        memcpy(t, chk->right, chk->n_right * sizeof *t);
        v->sums[k].end = t += chk->n_right;
    }
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status alloc_plans(zf_validator *v, size_t n)
{
    v->required = calloc(n, sizeof *v->required);
    v->kind = calloc(n + 1, sizeof *v->kind);
    v->words = calloc(n, sizeof *v->words);
    v->vocabs = calloc(n, sizeof *v->vocabs);
    return v->required && v->kind && v->words && v->vocabs ? ZF_OK : ZF_ERR_NOMEM;
}

static ZF_MUST_CHECK zf_status compile_plans(zf_validator *v, const zf_source *src, const zf_region_tree *t)
{
    const size_t n_regions = t ? t->n_regions : 0;
    zf_status st = word_table_init(&v->regions, n_regions ? &t->regions[0].name : NULL,
                                   sizeof(zf_region), n_regions);
    if (st != ZF_OK || (st = alloc_plans(v, src->n_columns ? src->n_columns : 1)) != ZF_OK)
        return st;
    for (size_t c = 0; c < src->n_columns && st == ZF_OK; c++) {
        const zf_column *col = &src->columns[c];
        const plan_kind kind = kind_of(col->type);
        v->required[c] = col->required && kind != PLAN_GENERAL;
        v->kind[c] = (unsigned char)kind;
        if (kind == PLAN_REGION)
            v->words[c] = &v->regions;
        else if (kind == PLAN_ENUM) {
            st = word_table_init(&v->vocabs[c], col->vocab, sizeof *col->vocab, col->n_vocab);
            v->words[c] = &v->vocabs[c];
        }
    }
    v->kind[src->n_columns] = PLAN_END;
    v->key_is_text = src->n_key == 1 && canonical_is_text(src->columns[src->key[0]].type);
    return st == ZF_OK ? compile_sums(v, src) : st;
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
    free(v->required);
    free(v->kind);
    free(v->words);
    free(v->sums);
    free(v->terms);
    free(v->regions.slots);
    if (v->keys.slots)
        zf_keyset_free(&v->keys);
    free(v->key);
    free(v);
}

/* ---- cells -------------------------------------------------------------- */

/* Cells from the readers are trimmed already (zf_cell); a caller's own cells may not be,
 * so a text cell is tested with zf_may_trim (zf_text.h) and trimmed only when it could need it. */
/* Out of line: taken only by untrimmed cells, and keeps s and len out of memory. */
static __attribute__((noinline)) size_t trimmed(const char **s, size_t len)
{
    zf_trim(s, &len);
    return len;
}

/* The value of a cell as for text: absent when empty. */
static ALWAYS_INLINE void fill(zf_value *out, const char *s, size_t len)
{
    out->present = len != 0;
    out->numeric = false;
    out->i = 0;
    out->s = len ? s : "";
    out->len = len;
}

/* present = true and numeric = false as one store of the eight bytes before i (the two
 * flags and padding): the two flag stores were one 16-bit store of a constant loaded from
 * memory. */
_Static_assert(offsetof(zf_value, present) == 0 && offsetof(zf_value, numeric) == 1 &&
               offsetof(zf_value, i) == 8, "zf_value starts with its two flags, then i at 8");
static ALWAYS_INLINE void set_present(zf_value *out)
{
    static const unsigned char flags[8] = {1, 0, 0, 0, 0, 0, 0, 0};
    memcpy(out, flags, sizeof flags);
}

/* An empty cell (or one of white space only): absent, and refused if required. */
static ALWAYS_INLINE zf_reason empty_cell(const zf_validator *v, size_t c, zf_value *out)
{
    fill(out, "", 0);
    return v->required[c] ? ZF_REASON_MISSING_REQUIRED : ZF_REASON_NONE;
}

static ALWAYS_INLINE bool find_word(const word_table *t, zf_value *out)
{
    return word_find(t, out->s, out->len, &out->i);
}

/* A typed cell that its fast path did not take: empty, or trimmed (it may only have needed
 * that) and then through the general parser of its kind. */
static __attribute__((noinline)) zf_reason check_slow(const zf_validator *v, size_t c, const zf_cell *cell,
                                                      zf_value *out)
{
    const char *s = out->s;   /* NULL for an absent cell (then len is 0) */
    const size_t len = out->len ? trimmed(&s, out->len) : 0;
    if (len == 0)
        return empty_cell(v, c, out);
    fill(out, s, len);
    int32_t days = 0;
    zf_reason r = ZF_REASON_NONE;
    switch (v->kind[c]) {
    case PLAN_AMOUNT:
        return zf_fp_amount(s, len, &out->i) ? ZF_REASON_NONE : zf_parse_amount_cell(s, len, cell->numeric, &out->i);
    case PLAN_DATE:
        if (!zf_fp_date(s, len, v->ctx.max_year, &r, &days))
            r = zf_parse_date(s, len, cell->numeric ? v->ctx.serials : ZF_SERIAL_NONE, v->ctx.max_year,
                              &days);
        out->i = days;
        return r;
    case PLAN_CITIZEN_ID:
        return zf_check_citizen_id_until(s, len, v->ctx.max_year);
    case PLAN_ENUM:
        return find_word(v->words[c], out) ? ZF_REASON_NONE : (out->i = 0, ZF_REASON_UNKNOWN_ENUM);
    case PLAN_REGION:
        return find_word(v->words[c], out) ? ZF_REASON_NONE : (out->i = 0, ZF_REASON_UNKNOWN_REGION);
    default:
        return ZF_REASON_NONE;
    }
}

/* The fast path of a typed cell, on the cell as it comes: what a fast path takes has no
 * white space at its ends (digits and punctuation, or a word of a table, see is_trimmed),
 * so only the cells it refuses need trimming.  False: check_slow decides. */
static ALWAYS_INLINE bool check_fast(const zf_validator *v, size_t c, plan_kind kind, zf_value *out,
                                     zf_reason *r)
{
    int32_t days;
    *r = ZF_REASON_NONE;
    switch (kind) {
    case PLAN_AMOUNT:
        return zf_fp_amount(out->s, out->len, &out->i);
    case PLAN_DATE:
        if (!zf_fp_date(out->s, out->len, v->ctx.max_year, r, &days))
            return false;
        out->i = *r == ZF_REASON_BAD_DATE ? 0 : days;
        return true;
    case PLAN_CITIZEN_ID:
        return zf_fp_citizen_id(out->s, out->len, v->ctx.max_year, r);
    default:   /* PLAN_ENUM, PLAN_REGION */
        return find_word(v->words[c], out);
    }
}

/* Kinds whose fast path reads a byte of any cell, even an empty one. */
static ALWAYS_INLINE bool reads_any(plan_kind kind)
{
    return kind == PLAN_TEXT || kind == PLAN_ENUM || kind == PLAN_REGION;
}

/* One cell of a column other than PLAN_GENERAL: filled as for text, then parsed as its
 * kind when not empty.  An empty amount, date or citizen ID is not tested for first: its
 * fast path refuses it by length, and check_slow finds it empty. */
static ALWAYS_INLINE zf_reason check_cell(const zf_validator *v, size_t c, plan_kind kind,
                                          const zf_cell *cell, bool present, zf_value *out)
{
    const char *s = cell->ptr;
    size_t len = present ? cell->len : 0;
    if (reads_any(kind) && len == 0)
        return empty_cell(v, c, out);
    if (kind == PLAN_TEXT && zf_may_trim(s, len) && (len = trimmed(&s, len)) == 0)
        return empty_cell(v, c, out);
    set_present(out);
    out->s = s;
    out->len = len;
    if (kind == PLAN_TEXT) {
        out->i = 0;
        return ZF_REASON_NONE;
    }
    zf_reason r;
    if (!check_fast(v, c, kind, out, &r))
        return check_slow(v, c, cell, out);
    return r;
}

/* A column of PLAN_GENERAL (cell NULL: absent), out of line: no source column for the
 * record loop to keep at hand. */
static __attribute__((noinline)) zf_reason check_general(const zf_validator *v, size_t c, const zf_cell *cell,
                                                         zf_value *out)
{
    static const zf_cell absent = {NULL, 0, false};
    return zf_value_parse(&v->src->columns[c], cell ? cell : &absent, &v->ctx, out);
}

/* ---- records ------------------------------------------------------------ */

/* Saturating, so that no sum can wrap into a false "consistent".  An absent value counts as
 * nothing: its i is 0. */
static int64_t sum_saturating(const zf_value *values, const size_t *cols, size_t n)
{
    int64_t s = 0;
    for (size_t k = 0; k < n; k++) {
        const int64_t b = values[cols[k]].i;
        if (__builtin_add_overflow(s, b, &s))
            s = b > 0 ? INT64_MAX : INT64_MIN;
    }
    return s;
}

/* The first record check that fails (sum of left > sum of right), or -1.  With sum plans,
 * left minus right in one plain sum: amounts are below 10^17, so at most 92 of them on
 * either side keep every partial sum within int64_t. */
static ALWAYS_INLINE ptrdiff_t failed_check(const zf_validator *v, const zf_value *values)
{
    const zf_record_check *chk = v->src->checks;
    const size_t n = v->src->n_checks;
    if (v->sums) {
        for (const sum_plan *p = v->sums, *end = p + n; p < end; p++) {
            int64_t d = 0;
            for (const size_t *t = p->add; t < p->sub; t++)
                d += values[*t].i;
            for (const size_t *t = p->sub; t < p->end; t++)
                d -= values[*t].i;
            if (d > 0)
                return p - v->sums;
        }
        return -1;
    }
    for (size_t k = 0; k < n; k++)
        if (sum_saturating(values, chk[k].left, chk[k].n_left) >
            sum_saturating(values, chk[k].right, chk[k].n_right))
            return (ptrdiff_t)k;
    return -1;
}

static ZF_MUST_CHECK zf_status key_reserve(zf_validator *v, size_t need)
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
static ZF_MUST_CHECK zf_status build_key(zf_validator *v, const zf_value *values, size_t *len)
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

/* Remember the key of an accepted record: one text-like key column as it is (its canonical
 * text is its trimmed text, even when absent: ""), one other column in its canonical form
 * (32 bytes of tmp at most), several joined in v->key.  *added is false for a duplicate. */
static ZF_MUST_CHECK zf_status add_key(zf_validator *v, const zf_value *values, bool *added)
{
    const zf_source *src = v->src;
    if (v->key_is_text)
        return zf_keyset_add(&v->keys, values[src->key[0]].s, values[src->key[0]].len, added);
    char tmp[32];
    size_t len;
    const char *key = tmp;
    if (src->n_key == 1)
        key = zf_value_canonical(&src->columns[src->key[0]], &values[src->key[0]], tmp, &len);
    else if (build_key(v, values, &len) == ZF_OK)
        key = v->key;
    else
        return ZF_ERR_NOMEM;
    return zf_keyset_add(&v->keys, key, len, added);
}

/* The columns in order, a switch on each one's kind that ends at the PLAN_END after the last;
 * false (and the verdict set) at the first that fails.  in == NULL: all columns are
 * present. */
static ALWAYS_INLINE bool columns_pass(const zf_validator *v, const zf_cell *cells, const bool *in,
                                       zf_value *values, zf_verdict *verdict)
{
    const unsigned char *const kind = v->kind;
    for (size_t c = 0;; c++) {
        zf_reason r;
        switch (kind[c]) {
#define CELL(k) case k: r = check_cell(v, c, k, &cells[c], !in || in[c], &values[c]); break
        CELL(PLAN_TEXT);
        CELL(PLAN_AMOUNT);
        CELL(PLAN_DATE);
        CELL(PLAN_CITIZEN_ID);
        CELL(PLAN_ENUM);
        CELL(PLAN_REGION);
#undef CELL
        case PLAN_GENERAL:
            r = check_general(v, c, !in || in[c] ? &cells[c] : NULL, &values[c]);
            break;
        case PLAN_END:
            return true;
        default:
            __builtin_unreachable();
        }
        if (r != ZF_REASON_NONE) {
            verdict->reason = r;
            verdict->column = c;
            return false;
        }
    }
}

/* Whether all n flags are true, eight at a time (a file normally has every column). */
static bool all_true(const bool *p, size_t n)
{
    if (!p)
        return true;
    if (n < 8) {
        for (size_t i = 0; i < n; i++)
            if (!p[i])
                return false;
        return true;
    }
    uint64_t all = ZF_BYTES(1);
    for (size_t i = 0; i + 8 < n; i += 8)
        all &= zf_load64(p + i);
    all &= zf_load64(p + n - 8);
    return all == ZF_BYTES(1);
}

zf_status zf_validator_check(zf_validator *v, const zf_cell *cells, const bool *present,
                             zf_serial_dates serials, zf_value *values, zf_verdict *verdict)
{
    const zf_source *src = v->src;
    v->ctx.serials = serials;
    verdict->reason = ZF_REASON_NONE;
    verdict->column = 0;
    if (!(all_true(present, src->n_columns) ? columns_pass(v, cells, NULL, values, verdict)
                                             : columns_pass(v, cells, present, values, verdict)))
        return ZF_OK;
    const ptrdiff_t bad = failed_check(v, values);
    if (bad >= 0) {
        verdict->reason = ZF_REASON_INCONSISTENT_AMOUNTS;
        verdict->column = src->checks[bad].n_left ? src->checks[bad].left[0] : 0;
        return ZF_OK;
    }
    bool added = true;
    if (src->n_key && add_key(v, values, &added) != ZF_OK)
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
