/* test_tally.c — the engine's tallied plain rates (etl/compute/tallies.c: source_feed,
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
#include "zf_keyset.h"
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

/* ---- exists joins ------------------------------------------------------------- */

/* The join plan (tests/fixtures/join: 探访 and 送达 share one register, 低保送达 has its
 * own) on generated households and visits, against counts made here.  Hundreds of matching
 * visits in shuffled order go through each register's ring of queued hits (HITS_QUEUED,
 * 16), which wraps many times, with the keys and the jobs of a register interleaved; every
 * seventh household has a key that does not pack (marked at once, not queued), and visits
 * of keys not in the register must be the orphans. */
enum { HOUSEHOLDS = 70, VISITS_MAX = 4096, JOIN_YEARS = 3 };

typedef struct visit {
    int household;      /* < 0: a key not in the register */
    int64_t kind;       /* 0 探访关爱, 1 幸福清单送达 */
    int year;           /* 2019: in no year of the run */
} visit;

static int household_key(int i, char *buf)
{
    if (i < 0)
        return snprintf(buf, 32, "HH9%07d", -i);
    return i % 7 == 3 ? snprintf(buf, 32, "户%04d", i) : snprintf(buf, 32, "HH%08d", 1000 + 3 * i);
}

/* Whether household i is in the population of part k in year y (the plan's rules:
 * active at R, and 低保 for part 1); households with i % 5 == 1 leave on 2024-06-30. */
static bool in_population(int i, size_t k, int y)
{
    return (i % 5 != 1 || y < 2024) && (k != 1 || i % 4 == 0);
}

static void feed_households(zf_engine *e, size_t s)
{
    const size_t key = column_of(s, "户编号"), town = column_of(s, "乡镇街道"),
                 kind = column_of(s, "救助类别"), from = column_of(s, "纳入日期"), to = column_of(s, "退出日期");
    zf_value v[16] = {{0}};
    char buf[32];
    for (int i = 0; i < HOUSEHOLDS; i++) {
        v[key] = (zf_value){.present = true, .s = buf, .len = (size_t)household_key(i, buf)};
        v[town] = (zf_value){.present = true, .i = 1 + i % 3};
        v[kind] = (zf_value){.present = true, .i = i % 4};
        v[from] = (zf_value){.present = true, .i = zf_days_from_civil(2020, 1, 1)};
        v[to] = (zf_value){.present = i % 5 == 1, .i = zf_days_from_civil(2024, 6, 30)};
        bool orphan;
        assert_int_equal(zf_engine_feed_at(e, s, v, "households", i + 2, &orphan), ZF_OK);
        assert_false(orphan);
    }
}

/* The visits, none or one of each kind per household and year (two for every sixth
 * household), some dated in no year of the run and some of unknown households, in random
 * order.  Mostly one: a hit lost in the ring changes a count. */
static size_t make_visits(visit *out, uint64_t *rng)
{
    size_t n = 0;
    for (int i = -6; i < HOUSEHOLDS; i++)
        for (int y = 2022; y <= 2025; y++)
            for (int64_t kind = 0; kind < 2; kind++)
                for (uint64_t c = zf_test_random(rng) % 2 * (i % 6 == 0 ? 2 : 1); c > 0; c--)
                    out[n++] = (visit){i, kind, y == 2022 ? 2019 : y};
    for (size_t k = n; k > 1; k--) {
        const size_t m = (size_t)(zf_test_random(rng) % k);
        const visit t = out[k - 1];
        out[k - 1] = out[m];
        out[m] = t;
    }
    return n;
}

static void test_join_ring_wraps(void **state)
{
    (void)state;
    zf_error err;
    zf_error_clear(&err);
    zf_defs_free(defs);
    defs = NULL;
    assert_int_equal(zf_defs_load(&defs, ZF_FIXTURE("join/templates"), "join", &err), ZF_OK);
    zf_run *run = NULL;
    zf_engine *e = NULL;
    assert_int_equal(zf_run_new(&run, defs, zf_days_from_civil(2025, 12, 31), NULL, 0, &err), ZF_OK);
    assert_int_equal(run->n_years, JOIN_YEARS);
    assert_int_equal(zf_engine_new(&e, run, &err), ZF_OK);
    char buf[32];
    assert_false(zf_key_pack(buf, (size_t)household_key(3, buf), &(uint64_t){0}));
    assert_true(zf_key_pack(buf, (size_t)household_key(4, buf), &(uint64_t){0}));
    feed_households(e, source_of("relief_households"));

    static visit visits[VISITS_MAX];
    uint64_t rng = 0x853c49e6748fea9bu;
    const size_t n = make_visits(visits, &rng), s = source_of("care_visits");
    const size_t key = column_of(s, "户编号"), kind = column_of(s, "类型"), date = column_of(s, "日期");
    bool seen[JOIN_YEARS][2][HOUSEHOLDS] = {{{false}}};
    long orphans = 0, expected_orphans = 0, hits = 0;
    zf_value v[8] = {{0}};
    for (size_t k = 0; k < n; k++) {
        const visit *x = &visits[k];
        v[key] = (zf_value){.present = true, .s = buf, .len = (size_t)household_key(x->household, buf)};
        v[kind] = (zf_value){.present = true, .i = x->kind};
        v[date] = (zf_value){.present = true, .i = zf_days_from_civil(x->year, 1 + (int)(k % 12), 1 + (int)(k % 28))};
        bool orphan;
        assert_int_equal(zf_engine_feed_at(e, s, v, "visits", (long)k + 2, &orphan), ZF_OK);
        orphans += orphan;
        expected_orphans += x->household < 0;
        if (x->household >= 0 && x->year >= 2023) {
            seen[x->year - 2023][x->kind][x->household] = true;
            hits++;
        }
    }
    assert_true(hits > 10 * 16);
    assert_int_equal(orphans, expected_orphans);
    assert_true(expected_orphans > 0);
    assert_int_equal(zf_engine_finish(e, run, &err), ZF_OK);
    zf_engine_free(e);

    const int64_t part_kind[3] = {0, 1, 1};   /* 探访, 低保送达, 送达 */
    size_t checked = 0;
    for (size_t r = 0; r < run->n_results; r++) {
        const zf_result *res = &run->results[r];
        if (res->region != 0)
            continue;
        const int y = defs->plan.years[res->year];
        int64_t den = 0, num = 0;
        for (int i = 0; i < HOUSEHOLDS; i++) {
            if (!in_population(i, res->part, y))
                continue;
            den++;
            num += seen[y - 2023][part_kind[res->part]][i];
        }
        assert_true(num > 0 && num < den);
        assert_int_equal(res->records, den);
        assert_int_equal(res->den, den);
        assert_int_equal(res->num, num);
        checked++;
    }
    assert_int_equal(checked, 3 * JOIN_YEARS);
    zf_run_free(run);
    zf_defs_free(defs);
    defs = NULL;
}

/* An engine failure used to reach the user as "path:line: out of memory": the message now
 * names the indicator, its rule kind and the source being read. */
static void test_failure_names_the_rule(void **state)
{
    (void)state;
    load_defs();
    zf_error err;
    zf_run *run = NULL;
    zf_engine *e = NULL;
    assert_int_equal(zf_run_new(&run, defs, zf_days_from_civil(2025, 6, 30), NULL, 0, &err), ZF_OK);
    assert_int_equal(zf_engine_new(&e, run, &err), ZF_OK);
    size_t ind = SIZE_MAX;
    for (size_t i = 0; i < defs->plan.n_indicators && ind == SIZE_MAX; i++)
        if (defs->plan.indicators[i].parts[0].rule.kind == ZF_RULE_LATEST)
            ind = i;
    assert_true(ind != SIZE_MAX);
    const zf_indicator *in = &defs->plan.indicators[ind];
    size_t s = in->parts[0].rule.sel.source;
    assert_true(zf_engine_testing_fail(e, ind, 0));
    zf_value values[64] = {0};
    uint64_t rng = 7;
    for (size_t c = 0; c < defs->sources.sources[s].n_columns; c++)
        random_value(&defs->sources.sources[s].columns[c], &rng, &values[c]);
    bool orphan;
    zf_status st = zf_engine_feed_at(e, s, values, "x.csv", 2, &orphan);
    assert_int_equal(st, ZF_ERR_NOMEM);
    char buf[1024], want[512];
    zf_engine_failure(e, s, st, buf, sizeof buf);
    snprintf(want, sizeof want, "while computing indicator %d (%s, a latest rule) from %s: ", in->number, in->name,
             defs->sources.sources[s].id);
    assert_memory_equal(buf, want, strlen(want));
    assert_non_null(strstr(buf, zf_strerror(ZF_ERR_NOMEM)));
    zf_engine_free(e);
    zf_run_free(run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tallies_match_feed_year),
        cmocka_unit_test(test_too_many_cells),
        cmocka_unit_test(test_join_ring_wraps),
        cmocka_unit_test(test_failure_names_the_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
