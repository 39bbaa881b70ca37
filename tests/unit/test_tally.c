/* test_tally.c — the engine's tallied plain rates (etl/compute/engine.c: source_feed,
 * tally) against feed_year, the general path every record takes while a value is traced.
 *
 * The same generated records go to two engines on the same plan, one of them tracing a
 * value, and the two must give the same result rows, field by field.  The plan is the
 * yuyao plan plus rules made to reach every part of the tallies: vocabulary conditions on
 * enum, yes/no and region columns (codes absent, present, out of the vocabulary), other
 * conditions as class dims (text words, numbers), a dim widened by a later rule, signed
 * sums with a scale, counts, towns and no towns in one tally, two tallies (two scopes) on
 * one source, and rules left to feed_year because their classes would pass 64. */
#include "zf_test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zf_engine.h"
#include "zf_pipeline.h"
#include "zf_run.h"
#include "zf_value.h"

enum { RECORDS = 6000, EXTRA_MAX = 16 };

static zf_defs *defs;

static void load_defs(void)
{
    zf_error err;
    zf_error_clear(&err);
    zf_defs_free(defs);
    defs = NULL;
    assert_int_equal(zf_defs_load(&defs, ZF_TEMPLATES, "yuyao", &err), ZF_OK);
}

/* ---- extra rules ------------------------------------------------------------- */

static size_t source_of(const char *id)
{
    int s = zf_sources_find(&defs->sources, id);
    assert_true(s >= 0);
    return (size_t)s;
}

static size_t column_of(size_t source, const char *name)
{
    const zf_source *src = &defs->sources.sources[source];
    for (size_t c = 0; c < src->n_columns; c++)
        if (strcmp(src->columns[c].name, name) == 0)
            return c;
    fail_msg("no column %s", name);
    return 0;
}

static zf_cond codes_cond(size_t column, zf_cond_op op, const int64_t *codes, size_t n)
{
    zf_cond c = {.column = column, .op = op, .n_codes = n, .has_code_bits = true};
    c.codes = zf_arena_calloc(&defs->arena, n, sizeof *c.codes);
    for (size_t i = 0; i < n; i++) {
        c.codes[i] = codes[i];
        c.code_bits |= UINT64_C(1) << codes[i];
    }
    return c;
}

static zf_cond words_cond(size_t column, const char *w1, const char *w2)
{
    zf_cond c = {.column = column, .op = ZF_OP_IN, .n_words = 2};
    c.words = zf_arena_calloc(&defs->arena, 2, sizeof *c.words);
    c.words[0] = w1;
    c.words[1] = w2;
    return c;
}

static zf_cond number_cond(size_t column, zf_cond_op op, int64_t number)
{
    return (zf_cond){.column = column, .op = op, .number = number};
}

static zf_cond *conds(const zf_cond *c, size_t n)
{
    zf_cond *out = zf_arena_calloc(&defs->arena, n ? n : 1, sizeof *out);
    memcpy(out, c, n * sizeof *c);
    return out;
}

/* columns[i] < 0: subtracted column -columns[i] - 1 */
static zf_sum sum_of(const int *columns, size_t n, int64_t scale)
{
    zf_sum s = {.n_terms = n, .scale = scale};
    s.columns = zf_arena_calloc(&defs->arena, n ? n : 1, sizeof *s.columns);
    s.signs = zf_arena_calloc(&defs->arena, n ? n : 1, sizeof *s.signs);
    for (size_t i = 0; i < n; i++) {
        s.signs[i] = columns[i] < 0 ? -1 : 1;
        s.columns[i] = (size_t)(columns[i] < 0 ? -columns[i] - 1 : columns[i]);
    }
    return s;
}

typedef struct extra {
    zf_rule rules[EXTRA_MAX];
    size_t n;
} extra;

static zf_rule *new_rule(extra *x, size_t source, zf_scope_kind scope, size_t scope_column)
{
    zf_rule *r = &x->rules[x->n++];
    *r = (zf_rule){.kind = ZF_RULE_RATE, .value_kind = ZF_VALUE_RATE};
    r->sel.source = source;
    r->sel.scope = (zf_scope){scope, scope_column, 0};
    r->num_sum.scale = r->den_sum.scale = 1;
    return r;
}

static void by_region(zf_rule *r, const char *column)
{
    r->by_region = true;
    r->region_column = column_of(r->sel.source, column);
}

/* Rules on medical_settlements: after indicators 9 and 10 its class has 7 × 5 = 35 slots. */
static void medical_rules(extra *x)
{
    const size_t s = source_of("medical_settlements");
    const size_t kind = column_of(s, "人员类别"), visit = column_of(s, "就诊类型");
    const int64_t edge[] = {2}, ordinary[] = {0};
    zf_rule *r = new_rule(x, s, ZF_SCOPE_IN_YEAR, column_of(s, "结算日期"));
    const zf_cond w[] = {codes_cond(kind, ZF_OP_IN, edge, 1)};
    const zf_cond nw[] = {codes_cond(visit, ZF_OP_NOT_IN, ordinary, 1)};
    r->sel.where = conds(w, 1);
    r->sel.n_where = 1;
    r->num_where = conds(nw, 1);
    r->n_num_where = 1;
    const int num[] = {(int)column_of(s, "医疗救助支付"), (int)column_of(s, "大病保险支付"),
                       -(int)column_of(s, "医疗总费用") - 1};
    r->num_sum = sum_of(num, 3, 100);
    const int den[] = {(int)column_of(s, "政策范围内费用")};
    r->den_sum = sum_of(den, 1, 1);

    /* a number condition would double the 35 classes: left to feed_year */
    r = new_rule(x, s, ZF_SCOPE_IN_YEAR, column_of(s, "结算日期"));
    by_region(r, "乡镇街道");
    const zf_cond w2[] = {number_cond(column_of(s, "医疗总费用"), ZF_OP_GT_NUM, 500000)};
    r->sel.where = conds(w2, 1);
    r->sel.n_where = 1;
}

/* Rules on student_aid: after indicator 12 its class has 4 (认定困难) × 2 (资助金额 > 0) slots. */
static void student_rules(extra *x)
{
    const size_t s = source_of("student_aid");
    const size_t year = column_of(s, "学年"), hard = column_of(s, "认定困难"), amount = column_of(s, "资助金额");
    const int64_t towns[] = {1, 3}, no[] = {0}, yes[] = {1};
    zf_rule *r = new_rule(x, s, ZF_SCOPE_YEAR_COL, year);   /* region codes: 6 slots, 48 classes */
    by_region(r, "乡镇街道");
    const zf_cond w[] = {codes_cond(column_of(s, "乡镇街道"), ZF_OP_IN, towns, 2)};
    const zf_cond nw[] = {codes_cond(hard, ZF_OP_IN, no, 1)};
    r->sel.where = conds(w, 1);
    r->sel.n_where = 1;
    r->num_where = conds(nw, 1);
    r->n_num_where = 1;
    const int num[] = {(int)amount};
    r->num_sum = sum_of(num, 1, 10);

    r = new_rule(x, s, ZF_SCOPE_YEAR_COL, amount);   /* another scope: a second tally */
    const zf_cond w2[] = {codes_cond(hard, ZF_OP_NOT_IN, yes, 1)};
    r->sel.where = conds(w2, 1);
    r->sel.n_where = 1;
    const int den[] = {(int)amount, -(int)year - 1};
    r->den_sum = sum_of(den, 2, 1);

    r = new_rule(x, s, ZF_SCOPE_YEAR_COL, year);   /* the first tally, without towns */
    const int num3[] = {-(int)amount - 1};
    r->num_sum = sum_of(num3, 1, 1);

    r = new_rule(x, s, ZF_SCOPE_YEAR_COL, amount);   /* towns join the second tally */
    by_region(r, "乡镇街道");
    r->den_sum = sum_of(num, 1, 1);

    r = new_rule(x, s, ZF_SCOPE_YEAR_COL, year);   /* another town column: a third tally */
    r->by_region = true;
    r->region_column = hard;

    r = new_rule(x, s, ZF_SCOPE_YEAR_COL, year);   /* 96 classes: left to feed_year */
    const zf_cond w4[] = {number_cond(amount, ZF_OP_EQ_NUM, 0)};
    r->sel.where = conds(w4, 1);
    r->sel.n_where = 1;
}

/* Rules on emergency_aid_applications: indicator 11 names code 0 of 办理方式 (3 slots). */
static void emergency_rules(extra *x)
{
    const size_t s = source_of("emergency_aid_applications");
    const int64_t offline[] = {2};
    zf_rule *r = new_rule(x, s, ZF_SCOPE_IN_YEAR, column_of(s, "申请日期"));
    const zf_cond w[] = {words_cond(column_of(s, "申请编号"), "A1", "B2")};   /* text: a dim of its own */
    const zf_cond nw[] = {codes_cond(column_of(s, "办理方式"), ZF_OP_NOT_IN, offline, 1)};   /* widened to 5 */
    r->sel.where = conds(w, 1);
    r->sel.n_where = 1;
    r->num_where = conds(nw, 1);
    r->n_num_where = 1;
}

/* A rule on medical_settlements summing 80 terms. */
static void wide_rule(extra *x)
{
    const size_t s = source_of("medical_settlements");
    int terms[80];
    for (size_t i = 0; i < 80; i++)
        terms[i] = (int)column_of(s, i % 2 ? "医疗总费用" : "医疗救助支付");
    zf_rule *r = new_rule(x, s, ZF_SCOPE_IN_YEAR, column_of(s, "结算日期"));
    r->num_sum = sum_of(terms, 80, 1);
}

/* The yuyao plan with one more indicator per extra rule (the defs of each test are
 * loaded afresh). */
static void add_extra_rules(bool wide)
{
    static extra x;
    x.n = 0;
    load_defs();
    medical_rules(&x);
    student_rules(&x);
    emergency_rules(&x);
    if (wide)
        wide_rule(&x);
    zf_plan *p = &defs->plan;
    zf_indicator *in = zf_arena_calloc(&defs->arena, p->n_indicators + x.n, sizeof *in);
    memcpy(in, p->indicators, p->n_indicators * sizeof *in);
    for (size_t k = 0; k < x.n; k++) {
        zf_indicator *n = &in[p->n_indicators + k];
        n->number = 100 + (int)k;
        n->name = n->category = "extra";
        n->n_parts = 1;
        n->parts = zf_arena_calloc(&defs->arena, 1, sizeof *n->parts);
        n->parts[0].name = "";
        n->parts[0].rule = x.rules[k];
    }
    p->indicators = in;
    p->n_indicators += x.n;
}

/* ---- records ------------------------------------------------------------------ */

static const char *const words[] = {"A1", "B2", "C3", "D4", "330281199001011234"};

static int64_t number(uint64_t *rng)
{
    switch (zf_test_random(rng) % 4) {
    case 0:
        return 0;
    case 1:
        return 2022 + (int64_t)(zf_test_random(rng) % 7);   /* years, for year columns */
    default:
        return (int64_t)(zf_test_random(rng) % 1000000);
    }
}

/* Any value of the column's type, and some out of its range (enum codes past the
 * vocabulary, negative codes, towns past the tree): the tallies must agree on those too. */
static void random_value(const zf_column *col, uint64_t *rng, zf_value *v)
{
    const char *w = words[zf_test_random(rng) % (sizeof words / sizeof *words)];
    *v = (zf_value){.present = zf_test_random(rng) % 10 != 0, .s = w, .len = strlen(w)};
    const uint64_t r = zf_test_random(rng);
    switch (col->type) {
    case ZF_COL_ENUM:
        v->i = (int64_t)(r % (col->n_vocab + 3)) - 1;
        break;
    case ZF_COL_YESNO:
        v->i = (int64_t)(r % 4) - 1;
        break;
    case ZF_COL_REGION:
        v->i = (int64_t)(r % (defs->regions.n_regions + 2)) - 1;
        break;
    case ZF_COL_DATE:
        v->i = zf_days_from_civil(2022, 12, 1) + (int64_t)(r % (5 * 366));
        break;
    default:
        v->i = number(rng);
        break;
    }
}

/* Sources with a LATEST rule read words of enum values by index: only valid records there. */
static bool fed(size_t s)
{
    const zf_plan *p = &defs->plan;
    for (size_t i = 0; i < p->n_indicators; i++)
        for (size_t k = 0; k < p->indicators[i].n_parts; k++)
            if (p->indicators[i].parts[k].rule.kind == ZF_RULE_LATEST &&
                p->indicators[i].parts[k].rule.sel.source == s)
                return false;
    for (size_t i = 0; i < p->n_policies; i++)
        if (p->policies[i].a_rule.sel.source == s || p->policies[i].b_rule.sel.source == s)
            return false;
    return true;
}

static void ignore_row(void *ctx, const zf_trace_row *row)
{
    (void)ctx;
    (void)row;
}

/* Feeds the same records to an engine (traced or not) and returns its run. */
static zf_run *run_engine(bool traced, int32_t as_of)
{
    zf_error err;
    zf_error_clear(&err);
    zf_run *run = NULL;
    zf_engine *e = NULL;
    assert_int_equal(zf_run_new(&run, defs, as_of, NULL, 0, &err), ZF_OK);
    assert_int_equal(zf_engine_new(&e, run, &err), ZF_OK);
    if (traced)
        assert_int_equal(zf_engine_trace(e, 0, 0, run->years[0], 0, ignore_row, NULL), ZF_OK);
    uint64_t rng = 0x9e3779b97f4a7c15u;
    zf_value values[64];
    for (size_t s = 0; s < defs->sources.n_sources; s++) {
        const zf_source *src = &defs->sources.sources[s];
        assert_true(src->n_columns <= 64);
        for (int n = 0; n < RECORDS && fed(s) && zf_engine_uses(e, s); n++) {
            for (size_t c = 0; c < src->n_columns; c++)
                random_value(&src->columns[c], &rng, &values[c]);
            bool orphan;
            assert_int_equal(zf_engine_feed_at(e, s, values, "generated", n + 2, &orphan), ZF_OK);
        }
    }
    assert_int_equal(zf_engine_finish(e, run, &err), ZF_OK);
    zf_engine_free(e);
    return run;
}

static void assert_same_rows(const zf_run *a, const zf_run *b)
{
    assert_int_equal(a->n_results, b->n_results);
    for (size_t i = 0; i < a->n_results; i++) {
        const zf_result *x = &a->results[i], *y = &b->results[i];
        assert_int_equal(x->indicator, y->indicator);
        assert_int_equal(x->part, y->part);
        assert_int_equal(x->year, y->year);
        assert_int_equal(x->region, y->region);
        assert_int_equal(x->records, y->records);
        assert_int_equal(x->nodata, y->nodata);
        assert_int_equal(x->has_num, y->has_num);
        assert_int_equal(x->has_den, y->has_den);
        assert_int_equal(x->num, y->num);
        assert_int_equal(x->den, y->den);
        assert_int_equal(x->num_scale, y->num_scale);
        assert_int_equal(x->den_scale, y->den_scale);
        assert_int_equal(x->has_value, y->has_value);
        assert_true(x->value.n == y->value.n && x->value.d == y->value.d);
        assert_true(x->word == y->word || (x->word && y->word && strcmp(x->word, y->word) == 0));
    }
}

static void assert_same_runs(void)
{
    const int32_t as_of[] = {zf_days_from_civil(2026, 6, 30), zf_days_from_civil(2025, 12, 31)};
    for (size_t k = 0; k < 2; k++) {
        zf_run *fast = run_engine(false, as_of[k]), *general = run_engine(true, as_of[k]);
        int64_t records = 0;
        for (size_t i = 0; i < fast->n_results; i++)
            records += fast->results[i].records;
        assert_true(records > RECORDS);   /* the generated records do land in the rows */
        assert_same_rows(fast, general);
        zf_run_free(fast);
        zf_run_free(general);
    }
}

static void test_tallies_match_feed_year(void **state)
{
    (void)state;
    add_extra_rules(false);
    assert_same_runs();
}

/* A sum of so many terms that the cells of medical_settlements would pass CELL_WORDS_MAX:
 * all the plains of the source are left to feed_year. */
static void test_too_many_cells(void **state)
{
    (void)state;
    add_extra_rules(true);
    assert_same_runs();
    zf_defs_free(defs);
    defs = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tallies_match_feed_year),
        cmocka_unit_test(test_too_many_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
