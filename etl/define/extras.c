/* extras.c — what the other plans add to a plan definition (docs/definitions.md,
 * "Other plans"): baselines with a baseline year, lower-is-better indicators, the tree
 * levels an indicator is judged at, targets that are another series, and straight-line
 * (interpolated) targets for the years between published points.  Yuyao uses none of
 * them, and a plan that does not either loads exactly as before. */
#include "define_internal.h"

#include <stdio.h>
#include <string.h>

#include "zf_frac.h"

/* ---- plan --------------------------------------------------------------- */

zf_status zf_plan_extras_parse(zf_dctx *c, const cJSON *root, zf_plan *p)
{
    int64_t by = 0;
    zf_status st = zf_dj_int(c, root, "baseline_year", false, &by);
    if (st)
        return st;
    if (by && (by < 1990 || by >= p->years[0]))
        return zf_dctx_fail(c, "baseline_year", "%lld is not a year before the plan's first year %d",
                            (long long)by, p->years[0]);
    p->baseline_year = (int)by;
    return zf_dj_bool(c, root, "interpolate", &p->interpolate);
}

/* ---- indicator members --------------------------------------------------- */

static ZF_MUST_CHECK zf_status parse_levels(zf_dctx *c, const cJSON *o, zf_indicator *ind)
{
    const cJSON *arr, *it;
    zf_status st = zf_dj_array(c, o, "levels", false, &arr);
    if (st || !arr)
        return st;
    size_t i = 0;
    cJSON_ArrayForEach(it, arr) {
        double d = cJSON_IsNumber(it) ? it->valuedouble : -1;
        char sub[32];
        snprintf(sub, sizeof sub, "levels[%zu]", i++);
        if (d < 0 || d > 31 || d != (double)(int)d)
            return zf_dctx_fail(c, sub, "expected a depth of the region tree (0 = the top region)");
        ind->levels |= 1u << (int)d;
    }
    if (!ind->levels)
        return zf_dctx_fail(c, "levels", "expected at least one depth (0 = the top region)");
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status parse_series(zf_dctx *c, const cJSON *o, zf_indicator *ind)
{
    static const char *const keys[] = {"indicator", "region", "op", "factor", "comment"};
    static const char *const ops[] = {">=", ">", "<", "<=", "≥", "≤"};
    static const zf_target_op op_of[] = {ZF_TARGET_GE, ZF_TARGET_GT, ZF_TARGET_LT, ZF_TARGET_LE,
                                         ZF_TARGET_GE, ZF_TARGET_LE};
    const cJSON *so = cJSON_GetObjectItemCaseSensitive(o, "target_series");
    if (!so)
        return ZF_OK;
    if (!cJSON_IsObject(so))
        return zf_dctx_fail(c, "target_series", "expected {\"indicator\": N, \"region\": ..., \"op\": \">=\"}");
    size_t mark = zf_dctx_push(c, ".target_series");
    zf_target_series *s = &ind->series;
    *s = (zf_target_series){.indicator = ind->number, .region = -1,
                            .op = ind->lower_is_better ? ZF_TARGET_LE : ZF_TARGET_GE,
                            .factor_num = 1, .factor_den = 1};
    int64_t n = ind->number;
    const char *region = NULL, *op = NULL;
    zf_status st = zf_dj_known(c, so, keys, sizeof keys / sizeof keys[0]);
    if (!st)
        st = zf_dj_int(c, so, "indicator", false, &n);
    if (!st)
        st = zf_dj_string(c, so, "region", false, &region);
    if (!st)
        st = zf_dj_string(c, so, "op", false, &op);
    if (st)
        return st;
    s->indicator = (int)n;
    if (region && (s->region = zf_region_find(c->regions, region, strlen(region))) < 0)
        return zf_dctx_fail(c, "region", "\"%s\" is not a region of tree %s", region, c->regions->id);
    if (op) {
        int k = zf_def_lookup(ops, 6, op);
        if (k < 0)
            return zf_dctx_fail(c, "op", "unknown comparison \"%s\" (expected >=, >, <=, <)", op);
        s->op = op_of[k];
    }
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(so, "factor");
    if (f && (st = zf_dj_fraction(c, f, "factor", &s->factor_num, &s->factor_den)))
        return st;
    if (s->factor_num == 0)
        return zf_dctx_fail(c, "factor", "expected a positive factor");
    ind->has_series = true;
    zf_dctx_pop(c, mark);
    return ZF_OK;
}

zf_status zf_indicator_extras_parse(zf_dctx *c, const cJSON *o, const zf_plan *p, zf_indicator *ind)
{
    const char *dir = NULL, *base = NULL;
    zf_status st = zf_dj_string(c, o, "direction", false, &dir);
    if (st)
        return st;
    if (dir && strcmp(dir, "higher") != 0 && strcmp(dir, "lower") != 0)
        return zf_dctx_fail(c, "direction", "unknown direction \"%s\" (expected higher or lower)", dir);
    ind->lower_is_better = dir && strcmp(dir, "lower") == 0;
    if ((st = parse_levels(c, o, ind)))
        return st;
    ind->interpolate = p->interpolate;
    if ((st = zf_dj_bool(c, o, "interpolate", &ind->interpolate)))
        return st;
    if ((st = zf_dj_string(c, o, "baseline", false, &base)))
        return st;
    if (base && !p->baseline_year)
        return zf_dctx_fail(c, "baseline", "a baseline needs the plan's baseline_year");
    if (base && strcmp(base, "*") != 0) {   /* "*": published as no baseline — not zero */
        zf_error te = {0};
        if (zf_target_parse(&ind->baseline, base, &te))
            return zf_dctx_fail(c, "baseline", "%s", te.message);
        if (ind->baseline.op == ZF_TARGET_WORD || ind->baseline.has_upper || ind->baseline.explicit_op)
            return zf_dctx_fail(c, "baseline", "\"%s\" is not a plain number (expected e.g. \"9600\", \"10%%\" or \"*\")",
                                base);
    }
    return parse_series(c, o, ind);
}

void zf_indicator_target_adjust(const zf_indicator *ind, zf_target *t)
{
    if (ind->lower_is_better && !t->explicit_op && t->op == ZF_TARGET_GE && !t->has_upper)
        t->op = ZF_TARGET_LE;
}

/* ---- interpolated targets ------------------------------------------------ */

static bool numeric_point(const zf_target *t)
{
    return t->cell && t->op != ZF_TARGET_WORD && !t->has_upper && !t->series && !t->interpolated;
}

static zf_i128 gcd128(zf_i128 a, zf_i128 b)
{
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    while (b) {
        zf_i128 t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

/* The cell text of an interpolated target: "≈12333.33（插值）", "30%（插值）", "≤0.95%（插值）".
 * The number is exact when it has at most 4 decimals, else rounded to 2 and marked ≈. */
static const char *interp_cell(zf_dctx *c, const zf_target *t)
{
    static const char *const sign[] = {[ZF_TARGET_GE] = "≥", [ZF_TARGET_GT] = ">", [ZF_TARGET_LT] = "<",
                                       [ZF_TARGET_LE] = "≤", [ZF_TARGET_WORD] = ""};
    zf_frac shown = {(zf_i128)t->num * (t->percent ? 100 : 1), t->den};
    char num[64];
    const char *approx = "≈";
    for (int k = 0; k <= 4; k++) {
        zf_i128 p = 1;
        for (int i = 0; i < k; i++)
            p *= 10;
        if ((shown.n * p) % shown.d == 0) {
            zf_frac_fixed(shown, k, num, sizeof num);
            approx = "";
            break;
        }
    }
    if (*approx)
        zf_frac_fixed(shown, 2, num, sizeof num);
    char buf[128];
    snprintf(buf, sizeof buf, "%s%s%s%s（插值）", t->explicit_op ? sign[t->op] : "", approx, num,
             t->percent ? "%" : "");
    return zf_arena_strdup(c->arena, buf);
}

/* v = v0 + (v1 - v0)·(Y - Y0)/(Y1 - Y0), exactly. */
static ZF_MUST_CHECK zf_status interpolate_year(zf_dctx *c, const zf_target *a, int ya, const zf_target *b, int yb, int y,
                                                zf_target *out)
{
    zf_i128 span = yb - ya, step = y - ya;
    zf_i128 n = (zf_i128)a->num * b->den * span + ((zf_i128)b->num * a->den - (zf_i128)a->num * b->den) * step;
    zf_i128 d = (zf_i128)a->den * b->den * span;
    zf_i128 g = gcd128(n, d);
    n /= g;
    d /= g;
    if (n > INT64_MAX / 100 || d > INT64_MAX / 100 || n < 0)
        return zf_dctx_fail(c, "targets", "the interpolated target of %d does not fit (expected smaller numbers)", y);
    *out = (zf_target){.op = b->op, .percent = b->percent, .num = (int64_t)n, .den = (int64_t)d,
                       .explicit_op = b->explicit_op, .interpolated = true};
    if (!(out->cell = interp_cell(c, out)))
        return zf_dctx_nomem(c);
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status interpolate(zf_dctx *c, const zf_plan *p, zf_indicator *ind)
{
    for (size_t i = 0; i < p->n_years; i++) {
        if (ind->targets[i].cell)
            continue;
        const zf_target *a = NULL, *b = NULL;
        int ya = 0, yb = 0;
        if (ind->baseline.cell && p->baseline_year) {
            a = &ind->baseline;
            ya = p->baseline_year;
        }
        for (size_t k = 0; k < i; k++)
            if (numeric_point(&ind->targets[k])) {
                a = &ind->targets[k];
                ya = p->years[k];
            }
        for (size_t k = p->n_years; k-- > i + 1;)
            if (numeric_point(&ind->targets[k])) {
                b = &ind->targets[k];
                yb = p->years[k];
            }
        if (!a || !b)
            continue;   /* before the first or after the last published point: no target */
        if (a->percent != b->percent) {
            char sub[40];
            snprintf(sub, sizeof sub, "%s", a == &ind->baseline ? "baseline" : "targets");
            return zf_dctx_fail(c, sub, "\"%s\" and \"%s\" are not both percentages (expected the same unit to "
                                        "interpolate between)", a->cell, b->cell);
        }
        zf_status st = interpolate_year(c, a, ya, b, yb, p->years[i], &ind->targets[i]);
        if (st)
            return st;
    }
    return ZF_OK;
}

zf_status zf_indicator_extras_finish(zf_dctx *c, const zf_plan *p, zf_indicator *ind)
{
    for (size_t k = 0; k < ind->n_parts; k++) {
        zf_submitted *s = ind->parts[k].rule.submitted;
        if (s && !s->plan_id)
            s->plan_id = p->id;
        if (s && !s->indicator)
            s->indicator = ind->number;
    }
    if (ind->baseline.cell && ind->baseline.percent != (ind->n_parts && ind->parts[0].rule.value_kind == ZF_VALUE_RATE)) {
        bool rate = ind->parts[0].rule.value_kind == ZF_VALUE_RATE;
        return zf_dctx_fail(c, "baseline", "\"%s\" %s a percentage but the indicator's value is %s",
                            ind->baseline.cell, ind->baseline.percent ? "is" : "is not",
                            rate ? "a rate (expected e.g. \"10%\")" : "not a rate (expected a plain number)");
    }
    return ind->interpolate ? interpolate(c, p, ind) : ZF_OK;
}

/* Once every indicator is known: a series target must name one of them. */
zf_status zf_plan_extras_finish(zf_dctx *c, const zf_plan *p)
{
    for (size_t i = 0; i < p->n_indicators; i++) {
        const zf_indicator *ind = &p->indicators[i];
        if (!ind->has_series)
            continue;
        bool found = false;
        for (size_t k = 0; k < p->n_indicators; k++)
            found |= p->indicators[k].number == ind->series.indicator;
        if (!found) {
            c->indicator = ind->number;
            size_t mark = zf_dctx_push(c, "indicators[%zu].target_series", i);
            zf_status st = zf_dctx_fail(c, "indicator", "no indicator %d in this plan", ind->series.indicator);
            zf_dctx_pop(c, mark);
            return st;
        }
    }
    return ZF_OK;
}
