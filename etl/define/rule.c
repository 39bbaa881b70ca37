/* rule.c — one indicator rule (口径) from JSON.  Columns are named by their header
 * text and resolved here to indexes of the source, and condition words to codes, so a
 * typo in a plan stops the load instead of silently counting nothing. */
#include "define_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define T(x) (1u << (x))
#define NUMERIC_TYPES (T(ZF_COL_INTEGER) | T(ZF_COL_AMOUNT) | T(ZF_COL_DECIMAL))

static const char *const rule_kinds[ZF_RULE_KIND_COUNT] = {
    "rate", "ratio", "count", "latest", "growth", "coverage", "submitted", "sum"};
static const char *const value_kinds[] = {"rate", "amount", "count", "word"};

const char *zf_rule_kind_name(zf_rule_kind k)
{
    return (unsigned)k < ZF_RULE_KIND_COUNT ? rule_kinds[k] : "unknown";
}
static const char *const scope_kinds[] = {
    "all", "in_year", "year_column", "active_at_r", "during_year", "on_or_before_r", "since_plan_start"};

static const char *const rule_keys[] = {
    "kind", "value", "source", "scope", "where", "numerator_where", "numerator_exists", "numerator_sum",
    "numerator_scale", "denominator", "denominator_sum", "denominator_scale", "distinct", "date_column",
    "value_column", "factor", "comment",
    "report", "rollup", "growth", "indicator", "plan", "columns"};   /* submitted (submitted.c) */
static const char *const sel_keys[] = {"source", "scope", "where", "comment"};
static const char *const exists_keys[] = {"source", "scope", "where", "comment", "key", "source_key"};
static const char *const scope_keys[] = {"kind", "column", "start", "end", "comment"};
static const char *const cond_keys[] = {"column", "in", "not_in", "eq", "gt", "present_le_r", "eq_year",
                                        "eq_prev_year", "comment"};

/* Look a member up among fixed words; *out is left alone when the member is absent. */
static ZF_MUST_CHECK zf_status word_member(zf_dctx *c, const cJSON *o, const char *key, bool required,
                                           const char *const *words, size_t n, int *out)
{
    const char *w = NULL;
    zf_status st = zf_dj_string(c, o, key, required, &w);
    if (st || !w)
        return st;
    int k = zf_def_lookup(words, n, w);
    if (k < 0) {
        char buf[200];
        return zf_dctx_fail(c, key, "unknown %s \"%s\" (expected one of %s)", key, w,
                            zf_def_join(words, n, buf, sizeof buf));
    }
    *out = k;
    return ZF_OK;
}

static const zf_source *source_at(zf_dctx *c, size_t i)
{
    return &c->sources->sources[i];
}

/* The column called name in source src, of one of the types in mask. */
static ZF_MUST_CHECK zf_status column_named(zf_dctx *c, const char *key, size_t src, const char *name,
                                            unsigned mask, size_t *out)
{
    const zf_source *s = source_at(c, src);
    int k = zf_source_column(s, name);
    if (k < 0) {
        char cols[400];
        size_t used = 0;
        cols[0] = '\0';
        for (size_t i = 0; i < s->n_columns && used < sizeof cols; i++) {
            int w = snprintf(cols + used, sizeof cols - used, "%s%s", i ? ", " : "", s->columns[i].name);
            used += w > 0 ? (size_t)w : 0;
        }
        return zf_dctx_fail(c, key, "unknown column \"%s\" in source %s (expected one of %s)", name, s->id, cols);
    }
    zf_coltype t = s->columns[k].type;
    if (!(mask & T(t)))
        return zf_dctx_fail(c, key, "column \"%s\" of %s is %s, which cannot be used here", name, s->id,
                            zf_coltype_name(t));
    *out = (size_t)k;
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status column_member(zf_dctx *c, const cJSON *o, const char *key, bool required,
                                             size_t src, unsigned mask, size_t *out)
{
    const char *name = NULL;
    zf_status st = zf_dj_string(c, o, key, required, &name);
    if (st || !name)
        return st;
    return column_named(c, key, src, name, mask, out);
}

static ZF_MUST_CHECK zf_status source_member(zf_dctx *c, const cJSON *o, size_t *out)
{
    const char *id = NULL;
    zf_status st = zf_dj_string(c, o, "source", true, &id);
    if (st)
        return st;
    int k = zf_sources_find(c->sources, id);
    if (k < 0)
        return zf_dctx_fail(c, "source", "unknown source \"%s\" (not in source set %s)", id, c->sources->id);
    *out = (size_t)k;
    return ZF_OK;
}

/* ---- conditions ------------------------------------------------------------ */

static ZF_MUST_CHECK zf_status word_code(zf_dctx *c, const zf_column *col, const char *w, int64_t *code)
{
    int k = -1;
    if (col->type == ZF_COL_ENUM) {
        if ((k = zf_def_lookup(col->vocab, col->n_vocab, w)) < 0) {
            char buf[300];
            return zf_dctx_fail(c, NULL, "word \"%s\" is not in the vocabulary of %s (expected one of %s)", w,
                                col->name, zf_def_join(col->vocab, col->n_vocab, buf, sizeof buf));
        }
    } else if (col->type == ZF_COL_YESNO) {
        k = strcmp(w, "是") == 0 ? 1 : strcmp(w, "否") == 0 ? 0 : -1;
        if (k < 0)
            return zf_dctx_fail(c, NULL, "word \"%s\" for yes/no column %s (expected 是 or 否)", w, col->name);
    } else if (col->type == ZF_COL_REGION) {
        if ((k = zf_region_find(c->regions, w, strlen(w))) < 0)
            return zf_dctx_fail(c, NULL, "\"%s\" is not a region of tree %s", w, c->regions->id);
    }
    *code = k;
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status cond_words(zf_dctx *c, const cJSON *o, const char *key, const zf_column *col, zf_cond *cd)
{
    zf_status st = zf_dj_strings(c, o, key, true, &cd->words, &cd->n_words);
    if (st)
        return st;
    if (cd->n_words == 0)
        return zf_dctx_fail(c, key, "needs at least one word");
    if (col->type == ZF_COL_TEXT)
        return ZF_OK;   /* text compares the words themselves */
    if (!(cd->codes = zf_arena_calloc(c->arena, cd->n_words, sizeof *cd->codes)))
        return zf_dctx_nomem(c);
    cd->n_codes = cd->n_words;
    for (size_t i = 0; i < cd->n_words; i++) {
        size_t mark = zf_dctx_push(c, ".%s[%zu]", key, i);
        if ((st = word_code(c, col, cd->words[i], &cd->codes[i])))
            return st;
        zf_dctx_pop(c, mark);
    }
    cd->has_code_bits = true;
    for (size_t i = 0; i < cd->n_codes; i++) {
        cd->has_code_bits &= cd->codes[i] >= 0 && cd->codes[i] < 64;
        if (cd->has_code_bits)
            cd->code_bits |= UINT64_C(1) << cd->codes[i];
    }
    return ZF_OK;
}

/* A number in the column's own unit: hundredths for amounts, millionths for decimals. */
static ZF_MUST_CHECK zf_status cond_number(zf_dctx *c, const cJSON *o, const char *key, const zf_column *col, zf_cond *cd)
{
    int64_t num, den, unit = col->type == ZF_COL_AMOUNT ? 100 : col->type == ZF_COL_DECIMAL ? 1000000 : 1;
    zf_status st = zf_dj_fraction(c, cJSON_GetObjectItemCaseSensitive(o, key), key, &num, &den);
    if (st)
        return st;
    if (num > INT64_MAX / unit || (num * unit) % den != 0)
        return zf_dctx_fail(c, key, "more decimals than column %s (%s) holds", col->name, zf_coltype_name(col->type));
    cd->number = num * unit / den;
    return ZF_OK;
}

typedef struct op_info {
    const char *key;
    zf_cond_op op;
    unsigned types;
} op_info;

static const op_info ops[] = {
    {"in", ZF_OP_IN, T(ZF_COL_ENUM) | T(ZF_COL_YESNO) | T(ZF_COL_REGION) | T(ZF_COL_TEXT)},
    {"not_in", ZF_OP_NOT_IN, T(ZF_COL_ENUM) | T(ZF_COL_YESNO) | T(ZF_COL_REGION) | T(ZF_COL_TEXT)},
    {"eq", ZF_OP_EQ_NUM, NUMERIC_TYPES},
    {"gt", ZF_OP_GT_NUM, NUMERIC_TYPES},
    {"present_le_r", ZF_OP_PRESENT_LE_R, T(ZF_COL_DATE)},
    {"eq_year", ZF_OP_EQ_YEAR, T(ZF_COL_INTEGER)},
    {"eq_prev_year", ZF_OP_EQ_PREV_YEAR, T(ZF_COL_INTEGER)},
};
#define N_OPS (sizeof ops / sizeof ops[0])

static ZF_MUST_CHECK zf_status parse_cond(zf_dctx *c, const cJSON *o, size_t src, zf_cond *cd)
{
    if (!cJSON_IsObject(o))
        return zf_dctx_fail(c, NULL, "expected a condition {\"column\": ..., \"in\": [...]}");
    const op_info *op = NULL;
    zf_status st = zf_dj_known(c, o, cond_keys, sizeof cond_keys / sizeof cond_keys[0]);
    if (st)
        return st;
    for (size_t i = 0; i < N_OPS; i++)
        if (cJSON_GetObjectItemCaseSensitive(o, ops[i].key)) {
            if (op)
                return zf_dctx_fail(c, NULL, "both \"%s\" and \"%s\" (expected one operator)", op->key, ops[i].key);
            op = &ops[i];
        }
    if (!op)
        return zf_dctx_fail(c, NULL, "no operator (expected one of in, not_in, eq, gt, present_le_r, eq_year, "
                                     "eq_prev_year)");
    cd->op = op->op;
    st = column_member(c, o, "column", true, src, op->types, &cd->column);
    if (st)
        return st;
    const zf_column *col = &source_at(c, src)->columns[cd->column];
    if (op->op == ZF_OP_IN || op->op == ZF_OP_NOT_IN)
        return cond_words(c, o, op->key, col, cd);
    if (op->op == ZF_OP_EQ_NUM || op->op == ZF_OP_GT_NUM)
        return cond_number(c, o, op->key, col, cd);
    if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, op->key)))
        return zf_dctx_fail(c, op->key, "expected true");
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status parse_conds(zf_dctx *c, const cJSON *o, const char *key, size_t src, zf_cond **out, size_t *n)
{
    const cJSON *arr, *it;
    zf_status st = zf_dj_array(c, o, key, false, &arr);
    if (st || !arr)
        return st;
    *n = (size_t)cJSON_GetArraySize(arr);
    if (!(*out = zf_arena_calloc(c->arena, *n ? *n : 1, sizeof **out)))
        return zf_dctx_nomem(c);
    size_t i = 0;
    cJSON_ArrayForEach(it, arr) {
        size_t mark = zf_dctx_push(c, ".%s[%zu]", key, i);
        if ((st = parse_cond(c, it, src, &(*out)[i++])))
            return st;
        zf_dctx_pop(c, mark);
    }
    return ZF_OK;
}

/* ---- selections ------------------------------------------------------------ */

static ZF_MUST_CHECK zf_status parse_scope(zf_dctx *c, const cJSON *o, size_t src, zf_scope *sc)
{
    const cJSON *so = cJSON_GetObjectItemCaseSensitive(o, "scope");
    sc->kind = ZF_SCOPE_ALL;
    if (!so)
        return ZF_OK;
    if (!cJSON_IsObject(so))
        return zf_dctx_fail(c, "scope", "expected an object {\"kind\": ..., \"column\": ...}");
    size_t mark = zf_dctx_push(c, ".scope");
    int k = 0;
    zf_status st = zf_dj_known(c, so, scope_keys, sizeof scope_keys / sizeof scope_keys[0]);
    if (!st)
        st = word_member(c, so, "kind", true, scope_kinds, sizeof scope_kinds / sizeof scope_kinds[0], &k);
    sc->kind = (zf_scope_kind)k;
    bool span = sc->kind == ZF_SCOPE_ACTIVE_AT_R || sc->kind == ZF_SCOPE_DURING_YEAR;
    unsigned type = sc->kind == ZF_SCOPE_YEAR_COL ? T(ZF_COL_INTEGER) : T(ZF_COL_DATE);
    if (!st && span)
        st = column_member(c, so, "start", true, src, type, &sc->column);
    if (!st && span)
        st = column_member(c, so, "end", true, src, type, &sc->end_column);
    if (!st && !span && sc->kind != ZF_SCOPE_ALL)
        st = column_member(c, so, "column", true, src, type, &sc->column);
    if (!st)
        zf_dctx_pop(c, mark);
    return st;
}

/* "source", "scope" and "where" of o. */
static ZF_MUST_CHECK zf_status parse_selection(zf_dctx *c, const cJSON *o, zf_selection *sel)
{
    zf_status st = source_member(c, o, &sel->source);
    if (!st)
        st = parse_scope(c, o, sel->source, &sel->scope);
    if (!st)
        st = parse_conds(c, o, "where", sel->source, &sel->where, &sel->n_where);
    return st;
}

static ZF_MUST_CHECK zf_status sub_selection(zf_dctx *c, const cJSON *o, const char *key, const cJSON **out, zf_selection *sel)
{
    *out = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!*out)
        return ZF_OK;
    if (!cJSON_IsObject(*out))
        return zf_dctx_fail(c, key, "expected an object {\"source\": ..., \"scope\": ..., \"where\": [...]}");
    size_t mark = zf_dctx_push(c, ".%s", key);
    zf_status st = strcmp(key, "numerator_exists") == 0 ? zf_dj_known(c, *out, exists_keys, 6)
                                                         : zf_dj_known(c, *out, sel_keys, 4);
    if (!st)
        st = parse_selection(c, *out, sel);
    if (!st)
        zf_dctx_pop(c, mark);
    return st;
}

/* ---- sums ------------------------------------------------------------------ */

/* ["a", "-b"]: columns with a sign; a leading '-' subtracts the column. */
static ZF_MUST_CHECK zf_status parse_sum(zf_dctx *c, const cJSON *o, const char *key, const char *scale_key,
                                         size_t src, zf_sum *sum)
{
    const char **terms = NULL;
    size_t n = 0;
    sum->scale = 1;
    zf_status st = zf_dj_strings(c, o, key, false, &terms, &n);
    if (!st)
        st = zf_dj_int(c, o, scale_key, false, &sum->scale);
    if (st)
        return st;
    for (int64_t s = sum->scale; s != 1; s /= 10)
        if (s <= 0 || s % 10 != 0)
            return zf_dctx_fail(c, scale_key, "%lld is not a power of ten (expected 1, 10, 100, ...)",
                                (long long)sum->scale);
    sum->columns = zf_arena_calloc(c->arena, n ? n : 1, sizeof *sum->columns);
    sum->signs = zf_arena_calloc(c->arena, n ? n : 1, sizeof *sum->signs);
    if (!sum->columns || !sum->signs)
        return zf_dctx_nomem(c);
    for (size_t i = 0; i < n; i++) {
        const char *name = terms[i];
        sum->signs[i] = name[0] == '-' ? -1 : 1;
        name += name[0] == '-' || name[0] == '+';
        char sub[64];
        snprintf(sub, sizeof sub, "%s[%zu]", key, i);
        if ((st = column_named(c, sub, src, name, NUMERIC_TYPES, &sum->columns[i])))
            return st;
    }
    sum->n_terms = n;
    return ZF_OK;
}

/* ---- the rule ------------------------------------------------------------- */

static ZF_MUST_CHECK zf_status parse_exists(zf_dctx *c, const cJSON *o, zf_rule *r)
{
    const cJSON *eo;
    zf_status st = sub_selection(c, o, "numerator_exists", &eo, &r->exists);
    if (st || !eo)
        return st;
    r->has_exists = true;
    size_t mark = zf_dctx_push(c, ".numerator_exists");
    st = column_member(c, eo, "key", true, r->sel.source, ~0u, &r->key_column);
    if (!st)
        st = column_member(c, eo, "source_key", true, r->exists.source, ~0u, &r->exists_key);
    if (!st)
        zf_dctx_pop(c, mark);
    return st;
}

static ZF_MUST_CHECK zf_status parse_latest(zf_dctx *c, const cJSON *o, zf_rule *r)
{
    unsigned vt = r->value_kind == ZF_VALUE_WORD ? T(ZF_COL_ENUM) | T(ZF_COL_TEXT) | T(ZF_COL_TEXT_OR_DECIMAL)
                                                 : NUMERIC_TYPES;
    zf_status st = column_member(c, o, "date_column", true, r->sel.source, T(ZF_COL_DATE), &r->date_column);
    if (!st)
        st = column_member(c, o, "value_column", true, r->sel.source, vt, &r->value_column);
    if (!st)
        st = zf_dj_int(c, o, "factor", false, &r->factor);
    if (!st && r->factor < 1)
        st = zf_dctx_fail(c, "factor", "expected a positive integer");
    return st;
}

/* A member given to a kind that ignores it is a mistake in the plan, not a no-op. */
static ZF_MUST_CHECK zf_status check_members(zf_dctx *c, const cJSON *o, const zf_rule *r)
{
    static const struct { const char *key; unsigned kinds; } only[] = {
        {"numerator_where", 1u << ZF_RULE_RATE},
        {"numerator_exists", 1u << ZF_RULE_RATE},
        {"numerator_sum", 1u << ZF_RULE_RATE | 1u << ZF_RULE_RATIO | 1u << ZF_RULE_GROWTH | 1u << ZF_RULE_SUM},
        {"numerator_scale", 1u << ZF_RULE_RATE | 1u << ZF_RULE_RATIO | 1u << ZF_RULE_GROWTH | 1u << ZF_RULE_SUM},
        {"denominator_sum", 1u << ZF_RULE_RATE | 1u << ZF_RULE_RATIO | 1u << ZF_RULE_GROWTH},
        {"denominator", 1u << ZF_RULE_RATIO},
        {"distinct", 1u << ZF_RULE_COUNT},
        {"date_column", 1u << ZF_RULE_LATEST},
        {"value_column", 1u << ZF_RULE_LATEST},
        {"factor", 1u << ZF_RULE_LATEST | 1u << ZF_RULE_SUBMITTED},
        {"report", 1u << ZF_RULE_SUBMITTED},
        {"rollup", 1u << ZF_RULE_SUBMITTED},
        {"growth", 1u << ZF_RULE_SUBMITTED},
        {"indicator", 1u << ZF_RULE_SUBMITTED},
        {"plan", 1u << ZF_RULE_SUBMITTED},
        {"columns", 1u << ZF_RULE_SUBMITTED},
    };
    for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
        if (cJSON_GetObjectItemCaseSensitive(o, only[i].key) && !(only[i].kinds & 1u << r->kind))
            return zf_dctx_fail(c, only[i].key, "not used by a %s rule", rule_kinds[r->kind]);
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status check_kind(zf_dctx *c, const cJSON *o, zf_rule *r)
{
    zf_status st = check_members(c, o, r);
    if (st)
        return st;
    bool has_num = r->n_num_where || r->has_exists || r->num_sum.n_terms;
    switch (r->kind) {
    case ZF_RULE_RATE:
        return has_num ? ZF_OK
                       : zf_dctx_fail(c, NULL, "a rate needs numerator_where, numerator_exists or numerator_sum");
    case ZF_RULE_RATIO:
    case ZF_RULE_GROWTH:
        if (!r->num_sum.n_terms || !r->den_sum.n_terms)
            return zf_dctx_fail(c, NULL, "a %s needs numerator_sum and denominator_sum", rule_kinds[r->kind]);
        return ZF_OK;
    case ZF_RULE_SUM:
        if (!r->num_sum.n_terms)
            return zf_dctx_fail(c, NULL, "a sum needs numerator_sum (the amount columns added up)");
        return r->value_kind == ZF_VALUE_AMOUNT ? ZF_OK : zf_dctx_fail(c, "value", "a sum is an amount");
    case ZF_RULE_COVERAGE:
        return r->by_region ? ZF_OK
                            : zf_dctx_fail(c, "source", "coverage needs a source with a region column");
    case ZF_RULE_LATEST:
        return parse_latest(c, o, r);
    case ZF_RULE_SUBMITTED:
        return zf_submitted_parse(c, o, r);
    default:
        return ZF_OK;
    }
}

static ZF_MUST_CHECK zf_status parse_kinds(zf_dctx *c, const cJSON *o, zf_rule *r)
{
    int k = 0;
    zf_status st = word_member(c, o, "kind", true, rule_kinds, ZF_RULE_KIND_COUNT, &k);
    if (st)
        return st;
    r->kind = (zf_rule_kind)k;
    int v = r->kind == ZF_RULE_COUNT ? ZF_VALUE_COUNT : r->kind == ZF_RULE_SUM ? ZF_VALUE_AMOUNT : ZF_VALUE_RATE;
    st = word_member(c, o, "value", r->kind == ZF_RULE_LATEST || r->kind == ZF_RULE_SUBMITTED, value_kinds, 4, &v);
    r->value_kind = (zf_value_kind)v;
    return st;
}

static void find_region_column(zf_dctx *c, zf_rule *r)
{
    const zf_source *s = source_at(c, r->sel.source);
    for (size_t i = 0; i < s->n_columns; i++)
        if (s->columns[i].type == ZF_COL_REGION) {
            r->by_region = true;
            r->region_column = i;
            return;
        }
}

zf_status zf_rule_parse(zf_dctx *c, const cJSON *o, zf_rule *r)
{
    memset(r, 0, sizeof *r);
    r->factor = 1;
    if (!cJSON_IsObject(o))
        return zf_dctx_fail(c, NULL, "expected a rule object {\"kind\": ..., \"source\": ...}");
    const cJSON *den = NULL;
    zf_status st = zf_dj_known(c, o, rule_keys, sizeof rule_keys / sizeof rule_keys[0]);
    if (!st)
        st = parse_kinds(c, o, r);
    if (!st)
        st = parse_selection(c, o, &r->sel);
    if (st)
        return st;
    find_region_column(c, r);
    r->den_sel = r->sel;
    st = parse_conds(c, o, "numerator_where", r->sel.source, &r->num_where, &r->n_num_where);
    if (!st)
        st = parse_exists(c, o, r);
    if (!st)
        st = sub_selection(c, o, "denominator", &den, &r->den_sel);
    if (!st)
        st = parse_sum(c, o, "numerator_sum", "numerator_scale", r->sel.source, &r->num_sum);
    if (!st)
        st = parse_sum(c, o, "denominator_sum", "denominator_scale", r->den_sel.source, &r->den_sum);
    if (!st && cJSON_GetObjectItemCaseSensitive(o, "distinct")) {
        r->has_distinct = true;
        st = column_member(c, o, "distinct", true, r->sel.source, ~0u, &r->distinct_column);
    }
    if (!st)
        st = check_kind(c, o, r);
    return st;
}
