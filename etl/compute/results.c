/* results.c — compute: result assembly.  At the end of the feeding (zf_engine_finish):
 * tallies flushed, joins settled, then each job's accumulators turned into result rows —
 * the fraction of a rate or ratio, growth, latest value, coverage, submitted values, or
 * the reason there is no data — and the superseded reports of other plans collected;
 * policy operands for zf_evaluate (zf_engine_policy_value). */

#include "engine_internal.h"

/* ---- results ------------------------------------------------------------ */

int zf_eng_sum_scale(const zf_engine *e, size_t source, const zf_sum *s)
{
    int scale = 0;
    for (size_t i = 0; i < s->n_terms; i++) {
        zf_coltype t = e->defs->sources.sources[source].columns[s->columns[i]].type;
        int sc = t == ZF_COL_AMOUNT ? 2 : (t == ZF_COL_DECIMAL || t == ZF_COL_TEXT_OR_DECIMAL) ? 6 : 0;
        if (sc > scale)
            scale = sc;
    }
    return scale;
}

/* 2^120: a growth fraction up to this, × 100 or × a target's denominator, stays within 128
 * bits.  Sums behind it of 10^15 or less in both years (10^13 yuan) are always below. */
#define GROWTH_BOUND ((zf_i128)1 << 120)

static zf_i128 pow10i(int n)
{
    zf_i128 p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

static zf_nodata_reason source_problem(const zf_engine *e, size_t source)
{
    switch (e->state[source]) {
    case ZF_SOURCE_MISSING:
        return ZF_NODATA_SOURCE_MISSING;
    case ZF_SOURCE_FAILED:
        return ZF_NODATA_SOURCE_FAILED;
    default:
        return ZF_NODATA_NONE;
    }
}

static zf_nodata_reason rule_problem(const zf_engine *e, const zf_rule *r)
{
    zf_nodata_reason why = source_problem(e, r->sel.source);
    if (!why && r->has_exists)
        why = source_problem(e, r->exists.source);
    return why;
}

/* A fraction of two scaled sums: (num / 10^ns) / (den / 10^ds). */
static void set_fraction(zf_result *res, int64_t num, int ns, int64_t den, int ds)
{
    if (den == 0) {
        res->nodata = ZF_NODATA_ZERO_DENOMINATOR;
        return;
    }
    res->has_value = true;
    res->value = (zf_frac){(zf_i128)num * pow10i(ds), (zf_i128)den * pow10i(ns)};
    if (res->value.d < 0) {
        res->value.n = -res->value.n;
        res->value.d = -res->value.d;
    }
}

static bool fits64(zf_i128 v)
{
    return v >= INT64_MIN && v <= INT64_MAX;
}

static void result_rate(const zf_engine *e, const job *j, const acc *a, zf_result *res)
{
    const zf_rule *r = j->rule;
    if (!fits64(a->num) || !fits64(a->den)) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    res->has_num = res->has_den = true;
    res->num = (int64_t)a->num;
    res->den = (int64_t)a->den;
    res->num_scale = zf_eng_sum_scale(e, r->sel.source, &r->num_sum);
    res->den_scale = zf_eng_sum_scale(e, r->sel.source, &r->den_sum);
    if (a->records == 0) {
        res->nodata = ZF_NODATA_ZERO_DENOMINATOR;
        return;
    }
    set_fraction(res, res->num, res->num_scale, res->den, res->den_scale);
}

static void result_ratio(const zf_engine *e, const job *j, const acc *a, zf_result *res)
{
    const zf_rule *r = j->rule;
    /* a sum over no record of a report that has both numbers (26) is no number at all;
       losses (15) are summed from their own records, and none means 0 */
    if (!fits64(a->num) || !fits64(a->den)) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    res->has_num = a->records > 0 || r->sel.source != r->den_sel.source;
    res->num = (int64_t)a->num;
    res->num_scale = zf_eng_sum_scale(e, r->sel.source, &r->num_sum);
    zf_nodata_reason why = source_problem(e, r->den_sel.source);
    if (why || a->den_records == 0) {
        res->nodata = why ? why : ZF_NODATA_NO_REPORT;
        return;
    }
    res->has_den = true;
    res->den = (int64_t)a->den;
    res->den_scale = zf_eng_sum_scale(e, r->den_sel.source, &r->den_sum);
    set_fraction(res, res->num, res->num_scale, res->den, res->den_scale);
}

/* Σ of the selected records' amounts; no record is a sum of 0 (nothing was donated) */
static void result_sum(const zf_engine *e, const job *j, const acc *a, zf_result *res)
{
    const zf_rule *r = j->rule;
    if (!fits64(a->num)) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    res->has_num = true;
    res->num = (int64_t)a->num;
    res->num_scale = zf_eng_sum_scale(e, r->sel.source, &r->num_sum);
    set_fraction(res, res->num, res->num_scale, 1, 0);
}

static void result_growth(const job *j, const acc *a, zf_result *res)
{
    (void)j;
    if (!a->records || !a->prev_records || a->den == 0 || a->prev_den == 0 || a->prev_num == 0) {
        res->nodata = ZF_NODATA_NO_REPORT;
        return;
    }
    /* pc(Y)/pc(Y-1) - 1 = (nY·dP - dY·nP) / (dY·nP); the scales of the sums cancel.  Sums
       that fit int64 make products that fit 128 bits; their difference may not, and the
       value must leave room for × 100 and a target's denominator (GROWTH_BOUND). */
    zf_i128 n, d, nd, dn;
    if (!fits64(a->num) || !fits64(a->den) || !fits64(a->prev_num) || !fits64(a->prev_den)) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    nd = a->num * a->prev_den;
    dn = a->den * a->prev_num;
    d = dn;
    if (__builtin_sub_overflow(nd, dn, &n)) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    zf_frac v = zf_frac_reduce((zf_frac){d < 0 ? -n : n, d < 0 ? -d : d});
    if (v.n > GROWTH_BOUND || v.n < -GROWTH_BOUND || v.d > GROWTH_BOUND) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    res->has_value = true;
    res->value = v;
}

static void result_latest(const job *j, const acc *a, zf_result *res)
{
    if (!a->has_best) {
        res->nodata = ZF_NODATA_NO_REPORT;
        return;
    }
    if (a->best_overflow) {
        res->nodata = ZF_NODATA_OVERFLOW;
        return;
    }
    res->has_value = true;
    if (j->rule->value_kind == ZF_VALUE_WORD)
        res->word = a->best_word;
    else
        res->value = (zf_frac){a->best_value, 100};
}

/* Coverage of the towns: the top row counts covered towns, a town row is 1 of 1. */
static void result_coverage(const zf_engine *e, const job *j, size_t y, int region, zf_result *res)
{
    const zf_region_tree *t = &e->defs->regions;
    int64_t covered = 0, towns = 0;
    for (size_t i = 1; i < t->n_regions; i++) {
        if (t->regions[i].parent != 0 || (region > 0 && (int)i != region))
            continue;
        towns++;
        covered += j->acc[y * j->n_regions + i].covered;
    }
    res->has_num = res->has_den = true;
    res->num = covered;
    res->den = towns;
    set_fraction(res, covered, 0, towns, 0);
}

static void compute_row(const zf_engine *e, const job *j, size_t y, int region, zf_result *res)
{
    const zf_rule *r = j->rule;
    const acc *a = &j->acc[y * j->n_regions + (size_t)region];
    res->kind = r->value_kind;
    res->records = a->records;
    res->nodata = rule_problem(e, r);
    if (!res->nodata && a->overflow)
        res->nodata = ZF_NODATA_OVERFLOW;
    if (res->nodata)
        return;
    switch (r->kind) {
    case ZF_RULE_RATE:
        result_rate(e, j, a, res);
        break;
    case ZF_RULE_RATIO:
        result_ratio(e, j, a, res);
        break;
    case ZF_RULE_GROWTH:
        result_growth(j, a, res);
        break;
    case ZF_RULE_SUM:
        result_sum(e, j, a, res);
        break;
    case ZF_RULE_COUNT:   /* records counted one by one: a->num fits */
        res->has_value = true;
        res->value = (zf_frac){a->num, 1};
        break;
    case ZF_RULE_LATEST:
        result_latest(j, a, res);
        break;
    case ZF_RULE_COVERAGE:
        result_coverage(e, j, y, region, res);
        break;
    case ZF_RULE_SUBMITTED:   /* other plans */
        zf_subm_result(j->subm, e->year[y], region, res);
        break;
    default:
        break;
    }
}

/* other plans: the reports behind a submitted value, for audit trace */
typedef struct subm_trace_ctx {
    const zf_engine *e;
    size_t source;
} subm_trace_ctx;

static void subm_trace_row(void *ctx, const char *file, long line, int region)
{
    const subm_trace_ctx *c = ctx;
    (void)region;
    zf_trace_row row = {ZF_TRACE_CHOSEN, c->source, file, line, NULL, NULL, 0, 0, 0, 0, 0};
    c->e->trace(c->e->trace_ctx, &row);
}

/* other plans: the reports each own report superseded, for the run summary */
typedef struct superseded_ctx {
    zf_superseded_report *out;   /* NULL: count only */
    size_t n;
    size_t indicator;
    int year, region;
} superseded_ctx;

static void superseded_one(void *ctx, int32_t date, int32_t by_date)
{
    superseded_ctx *c = ctx;
    if (c->out)
        c->out[c->n] = (zf_superseded_report){c->indicator, c->year, c->region, date, by_date};
    c->n++;
}

static void walk_superseded(const zf_engine *e, superseded_ctx *c)
{
    const zf_region_tree *t = &e->defs->regions;
    for (size_t i = 0; i < e->n_jobs; i++) {
        const job *j = &e->jobs[i];
        if (!j->subm || j->indicator == SIZE_MAX)
            continue;
        c->indicator = j->indicator;
        for (size_t y = 0; y < e->n_years; y++)
            for (size_t reg = 0; reg < t->n_regions; reg++) {
                c->year = e->year[y];
                c->region = (int)reg;
                zf_subm_superseded(j->subm, e->year[y], (int)reg, superseded_one, c);
            }
    }
}

static ZF_MUST_CHECK zf_status collect_superseded(const zf_engine *e, zf_run *run, zf_error *err)
{
    superseded_ctx c = {0};
    walk_superseded(e, &c);
    run->n_superseded = 0;
    if (!c.n)
        return ZF_OK;
    if (!(c.out = zf_arena_calloc(&run->arena, c.n, sizeof *c.out)))
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    c.n = 0;
    walk_superseded(e, &c);
    run->superseded = c.out;
    run->n_superseded = c.n;
    return ZF_OK;
}

zf_status zf_engine_finish(zf_engine *e, zf_run *run, zf_error *err)
{
    const zf_region_tree *t = &e->defs->regions;
    size_t n = 0;
    zf_eng_flush_tallies(e);
    for (size_t i = 0; i < e->n_regs; i++)
        zf_eng_mark_queued(&e->regs[i]);
    for (size_t i = 0; i < e->n_jobs; i++) {
        job *j = &e->jobs[i];
        if (j->rule->has_exists)
            zf_eng_settle_join(e, j);
        if (j->indicator != SIZE_MAX)
            n += e->n_years * (j->n_regions > 1 ? 1 + (size_t)(t->n_regions - 1) : 1);
    }
    run->results = zf_arena_calloc(&run->arena, n ? n : 1, sizeof *run->results);
    if (!run->results)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    run->n_results = 0;
    for (size_t i = 0; i < e->n_jobs; i++) {
        const job *j = &e->jobs[i];
        if (j->indicator == SIZE_MAX)
            continue;
        for (size_t y = 0; y < e->n_years; y++) {
            for (size_t reg = 0; reg < j->n_regions; reg++) {
                /* towns are the children of the top region; other plans (submitted rules):
                   every region of the tree, in pre-order */
                if (reg > 0 && t->regions[reg].parent != 0 && !j->subm)
                    continue;
                zf_result *res = &run->results[run->n_results++];
                res->indicator = j->indicator;
                res->part = j->part;
                res->year = run->years[y];
                res->region = (int)reg;
                compute_row(e, j, y, (int)reg, res);
                const acc *a = &j->acc[y * j->n_regions + reg];
                if (j->subm && traced(e, j, y, (int)reg) && (int)reg == e->trace_region) {
                    subm_trace_ctx tc = {e, j->rule->sel.source};   /* other plans */
                    zf_subm_sources(j->subm, e->year[y], (int)reg, subm_trace_row, &tc);
                }
                if (j->rule->kind == ZF_RULE_LATEST && a->has_best &&
                    traced(e, j, y, (int)reg) && (int)reg == e->trace_region) {
                    zf_trace_row row = {ZF_TRACE_CHOSEN, j->rule->sel.source, a->best_file, a->best_line,
                                        NULL, NULL, 0, a->best_value, 0, 2, 0};
                    e->trace(e->trace_ctx, &row);
                }
            }
        }
    }
    return collect_superseded(e, run, err);
}

bool zf_engine_policy_value(const zf_engine *e, size_t policy, int which, size_t year, zf_frac *out)
{
    for (size_t i = 0; i < e->n_jobs; i++) {
        const job *j = &e->jobs[i];
        if (j->indicator != SIZE_MAX || j->policy != policy || j->which != which)
            continue;
        for (size_t y = 0; y < e->n_years; y++) {
            if (e->run->years[y] != year)
                continue;
            const acc *a = &j->acc[y * j->n_regions];
            if (!a->has_best || a->best_overflow || source_problem(e, j->rule->sel.source))
                return false;
            *out = (zf_frac){a->best_value, 100};
            return true;
        }
    }
    return false;
}

