#include "zf_evaluate.h"

#include <string.h>

#include "zf_targets.h"   /* other plans: ranges, levels, series targets */

static bool numeric_met(zf_frac v, const zf_target *t, zf_frac target)
{
    int c = zf_frac_cmp(v, target);
    switch (t->op) {
    case ZF_TARGET_GE:
        return c >= 0;
    case ZF_TARGET_GT:
        return c > 0;
    case ZF_TARGET_LT:
        return c < 0;
    case ZF_TARGET_LE:
        return c <= 0;
    case ZF_TARGET_WORD:
        return false;
    }
    return false;
}

static bool met(const zf_result *r, const zf_target *t, zf_frac target, zf_frac scale)
{
    if (t->op == ZF_TARGET_WORD)
        return r->kind == ZF_VALUE_WORD && r->word && strcmp(r->word, t->word) == 0;
    if (r->kind == ZF_VALUE_WORD)
        return false;
    /* other plans: a range "1～6" or "=50%" also has an upper bound */
    return numeric_met(r->value, t, target) && zf_target_upper_ok(r->value, t, scale);
}

zf_outcome zf_judge(const zf_result *r, const zf_target *t, bool open, int elapsed, int length,
                    zf_outcome *provisional)
{
    *provisional = ZF_OUTCOME_NONE;
    if (!t || !t->cell)
        return ZF_OUTCOME_NONE;
    if (!r->has_value)
        return ZF_OUTCOME_NO_DATA;
    zf_frac target = {t->num, t->den ? t->den : 1};
    zf_frac scale = {1, 1};
    if (!open)
        return met(r, t, target, scale) ? ZF_OUTCOME_MET : ZF_OUTCOME_NOT_MET;
    /* A count grows through the year: compare it with the share of the target that
       is due by R.  Rates and amounts are judged against the target itself. */
    if (r->kind == ZF_VALUE_COUNT && t->op != ZF_TARGET_WORD) {
        target = (zf_frac){target.n * elapsed, target.d * length};
        scale = (zf_frac){elapsed, length};
    }
    *provisional = met(r, t, target, scale) ? ZF_OUTCOME_MET : ZF_OUTCOME_NOT_MET;
    return ZF_OUTCOME_IN_PROGRESS;
}

static const zf_result *find_result(const zf_run *run, size_t indicator, size_t year, int region)
{
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == indicator && r->part == 0 && r->year == year && r->region == region)
            return r;
    }
    return NULL;
}

static int indicator_index(const zf_plan *p, int number)
{
    for (size_t i = 0; i < p->n_indicators; i++)
        if (p->indicators[i].number == number)
            return (int)i;
    return -1;
}

/* Operand `which` (0 a, 1 b, 2 cap) of policy k in a year and region: an indicator's
 * value there, or (region 0 only) the standard its latest rule read. */
static bool operand(const zf_run *run, const zf_engine *e, size_t k, int which, size_t year, int region,
                    zf_frac *out)
{
    const zf_policy_rule *pr = &run->defs->plan.policies[k];
    int number = which == 0 ? pr->a_indicator : which == 1 ? pr->b_indicator : pr->cap_indicator;
    if (!number)
        return region == 0 && zf_engine_policy_value(e, k, which, year, out);
    int ind = indicator_index(&run->defs->plan, number);
    const zf_result *r = ind < 0 ? NULL : find_result(run, (size_t)ind, year, region);
    if (!r || !r->has_value || r->kind == ZF_VALUE_WORD)
        return false;
    *out = r->value;
    return true;
}

/* The index into run->years of the plan year before run year y, if this run computed it. */
static bool previous_year(const zf_run *run, size_t y, size_t *out)
{
    const zf_plan *p = &run->defs->plan;
    for (size_t prev = 0; prev < run->n_years; prev++)
        if (p->years[run->years[prev]] == p->years[run->years[y]] - 1) {
            *out = run->years[prev];
            return true;
        }
    return false;
}

/* v(Y)/v(Y-1) - 1 of operand `which` in a region, when both years have a (nonzero) value. */
static bool growth_of(const zf_run *run, const zf_engine *e, size_t k, int which, size_t y, int region, zf_frac *out)
{
    size_t prev;
    zf_frac now, before;
    if (!previous_year(run, y, &prev) || !operand(run, e, k, which, run->years[y], region, &now) ||
        !operand(run, e, k, which, prev, region, &before) || before.n == 0)
        return false;
    /* now/before - 1 = (now.n·before.d − before.n·now.d) / (now.d·before.n); amounts in fen
       and standards of a few 10,000 yuan keep these products far inside 128 bits */
    zf_frac g = {now.n * before.d - before.n * now.d, now.d * before.n};
    if (g.d < 0)
        g = (zf_frac){-g.n, -g.d};
    *out = zf_frac_reduce(g);
    return true;
}

/* One region: a and what a is compared with (factor × b, capped; or last year's a).
 * Returns false when an operand has no value. */
static bool region_pair(const zf_run *run, const zf_engine *e, size_t k, size_t y, int region, zf_frac *a,
                        zf_frac *b, bool *has_a, bool *has_b)
{
    const zf_policy_rule *pr = &run->defs->plan.policies[k];
    size_t year = run->years[y], prev;
    if (pr->kind == ZF_POLICY_GROWTH_GE) {   /* the two growths, b's × factor */
        *has_a = growth_of(run, e, k, 0, y, region, a);
        *has_b = growth_of(run, e, k, 1, y, region, b);
        if (*has_b)
            *b = zf_frac_reduce((zf_frac){b->n * pr->factor_num, b->d * (pr->factor_den ? pr->factor_den : 1)});
        return *has_a && *has_b;
    }
    *has_a = operand(run, e, k, 0, year, region, a);
    if (pr->kind == ZF_POLICY_NOT_LOWER) {
        *has_b = previous_year(run, y, &prev) && operand(run, e, k, 0, prev, region, b);
        return *has_a && *has_b;
    }
    *has_b = operand(run, e, k, 1, year, region, b);
    if (*has_b)
        *b = (zf_frac){b->n * pr->factor_num, b->d * (pr->factor_den ? pr->factor_den : 1)};
    if (*has_b && pr->has_cap) {
        zf_frac cap;
        if (!operand(run, e, k, 2, year, region, &cap))
            *has_b = false;          /* the cap unknown: so is what a must equal */
        else if (zf_frac_cmp(cap, *b) < 0)
            *b = cap;
    }
    return *has_a && *has_b;
}

static bool pair_ok(zf_policy_kind kind, zf_frac a, zf_frac b)
{
    int c = zf_frac_cmp(a, b);
    return kind == ZF_POLICY_RATIO_EQ ? c == 0 : kind == ZF_POLICY_RATIO_LE ? c <= 0
                                                                             : c >= 0; /* the ≥ kinds */
}

/* A per_region rule holds in a year when it holds in every region where both sides have
 * values; the first region (in the tree's order) where it fails is the one shown. */
static void check_policy(zf_run *run, const zf_engine *e, size_t k, size_t y, zf_policy_result *out)
{
    const zf_policy_rule *pr = &run->defs->plan.policies[k];
    memset(out, 0, sizeof *out);
    out->rule = k;
    out->year = run->years[y];
    out->verdict = ZF_POLICY_NO_DATA;
    size_t n_regions = pr->per_region ? run->defs->regions.n_regions : 1;
    bool shown = false;
    for (size_t r = 0; r < n_regions; r++) {
        zf_frac a = {0, 1}, b = {0, 1};
        bool has_a, has_b;
        bool both = region_pair(run, e, k, y, (int)r, &a, &b, &has_a, &has_b);
        if (r == 0 || (both && !shown)) {   /* the top region's values, even one-sided */
            out->a = a; out->b = b; out->has_a = has_a; out->has_b = has_b; out->region = (int)r;
            shown = both;
        }
        if (!both)
            continue;
        out->n_checked++;
        if (!pair_ok(pr->kind, a, b) && out->n_failed++ == 0) {
            out->a = a; out->b = b; out->has_a = out->has_b = true; out->region = (int)r;
            shown = true;
        }
    }
    if (out->n_checked)
        out->verdict = out->n_failed ? ZF_POLICY_FAIL : ZF_POLICY_PASS;
}

/* Several parts, one verdict: the indicator is met only when every part is (Yuyao 7),
 * not met as soon as one part is not, and without data otherwise.  Every part row carries
 * the indicator's verdict, since that is what the plan judges (results.csv); its own
 * verdict is kept in part_outcome for the views that show the parts. */
static zf_outcome worst(zf_outcome a, zf_outcome b)
{
    static const int rank[ZF_OUTCOME_COUNT] = {
        [ZF_OUTCOME_NONE] = 0, [ZF_OUTCOME_MET] = 1, [ZF_OUTCOME_IN_PROGRESS] = 2,
        [ZF_OUTCOME_NO_DATA] = 3, [ZF_OUTCOME_NOT_MET] = 4};
    return rank[b] > rank[a] ? b : a;
}

static void combine_parts(zf_run *run)
{
    const zf_plan *p = &run->defs->plan;
    for (size_t i = 0; i < run->n_results; i++) {
        run->results[i].part_outcome = run->results[i].outcome;
        run->results[i].part_provisional = run->results[i].provisional;
    }
    for (size_t i = 0; i < run->n_results; i++) {
        zf_result *r = &run->results[i];
        if (r->part != 0 || p->indicators[r->indicator].n_parts < 2)
            continue;
        zf_outcome o = r->outcome, prov = r->provisional;
        for (size_t k = 0; k < run->n_results; k++) {
            const zf_result *q = &run->results[k];
            if (q->indicator == r->indicator && q->year == r->year && q->region == r->region) {
                o = worst(o, q->outcome);
                prov = worst(prov, q->provisional);
            }
        }
        for (size_t k = 0; k < run->n_results; k++) {
            zf_result *q = &run->results[k];
            if (q->indicator == r->indicator && q->year == r->year && q->region == r->region) {
                q->outcome = o;
                q->provisional = prov;
                q->combined = true;
            }
        }
    }
}

/* Whether a rule's figure for a year is one number published once the year is over (an
 * annual report row: GDP, a school year's aid, the farmers' yearly income) rather than
 * records that accrue through the year. */
static bool annual_figure(const zf_rule *rule)
{
    return rule->kind == ZF_RULE_GROWTH || rule->kind == ZF_RULE_SUBMITTED ||
           rule->sel.scope.kind == ZF_SCOPE_YEAR_COL ||
           (rule->kind == ZF_RULE_RATIO && rule->den_sel.scope.kind == ZF_SCOPE_YEAR_COL);
}

bool zf_nodata_not_due(const zf_rule *rule, zf_nodata_reason why, bool open)
{
    /* a missing or unreadable file is a problem whatever the year */
    if (!open || why == ZF_NODATA_SOURCE_MISSING || why == ZF_NODATA_SOURCE_FAILED || why == ZF_NODATA_OVERFLOW)
        return false;
    return annual_figure(rule);
}

zf_status zf_evaluate(zf_run *run, const zf_engine *engine, zf_error *err)
{
    const zf_plan *p = &run->defs->plan;
    for (size_t i = 0; i < run->n_results; i++) {
        zf_result *r = &run->results[i];
        const zf_indicator *ind = &p->indicators[r->indicator];
        int year = p->years[r->year];
        int32_t start = zf_days_from_civil(year, 1, 1);
        int length = zf_days_from_civil(year, 12, 31) - start + 1;
        int elapsed = zf_run_reference(run, r->year) - start + 1;
        /* a count's target belongs to the city: town rows of a count are not judged */
        r->target = (r->region != 0 && r->kind == ZF_VALUE_COUNT) ? NULL : &ind->targets[r->year];
        bool unresolved = false;   /* other plans: tree levels and series targets (targets.c) */
        r->target = zf_targets_row(run, r, r->target, &unresolved);
        r->outcome = zf_judge(r, r->target, zf_run_year_open(run, r->year), elapsed, length,
                              &r->provisional);
        if (unresolved && r->outcome != ZF_OUTCOME_NONE) {
            r->outcome = ZF_OUTCOME_NO_DATA;   /* the series to compare with has no value */
            r->provisional = ZF_OUTCOME_NONE;
        }
        if (r->outcome == ZF_OUTCOME_NO_DATA && r->part < ind->n_parts &&
            zf_nodata_not_due(&ind->parts[r->part].rule, r->nodata, zf_run_year_open(run, r->year)))
            r->nodata = ZF_NODATA_NOT_DUE;
        /* a town's sum past range is bad data too, even where the city's row has a value */
        if ((r->region == 0 || r->nodata == ZF_NODATA_OVERFLOW) && r->outcome == ZF_OUTCOME_NO_DATA &&
            r->nodata != ZF_NODATA_NOT_DUE)
            run->incomplete = true;
    }
    combine_parts(run);
    size_t n = p->n_policies * run->n_years;
    run->policies = zf_arena_calloc(&run->arena, n ? n : 1, sizeof *run->policies);
    if (!run->policies)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    run->n_policies = 0;
    for (size_t k = 0; k < p->n_policies; k++)
        for (size_t y = 0; y < run->n_years; y++)
            check_policy(run, engine, k, y, &run->policies[run->n_policies++]);
    return ZF_OK;
}
