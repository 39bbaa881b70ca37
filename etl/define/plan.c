/* plan.c — a plan: years, indicators with their published targets and rules, and the
 * policy linkage rules checked beside them. */
#include "define_internal.h"

#include <stdio.h>
#include <string.h>

static ZF_MUST_CHECK zf_status parse_years(zf_dctx *c, const cJSON *o, zf_plan *p)
{
    const cJSON *arr, *it;
    zf_status st = zf_dj_array(c, o, "years", true, &arr);
    if (st)
        return st;
    p->n_years = (size_t)cJSON_GetArraySize(arr);
    if (p->n_years == 0)
        return zf_dctx_fail(c, "years", "a plan needs at least one year");
    if (!(p->years = zf_arena_calloc(c->arena, p->n_years, sizeof *p->years)))
        return zf_dctx_nomem(c);
    size_t i = 0;
    cJSON_ArrayForEach(it, arr) {
        double d = cJSON_IsNumber(it) ? it->valuedouble : 0;
        char sub[32];
        snprintf(sub, sizeof sub, "years[%zu]", i);
        if (d < 2000 || d > 2100 || d != (double)(int)d)
            return zf_dctx_fail(c, sub, "expected a year between 2000 and 2100");
        p->years[i] = (int)d;
        if (i && p->years[i] != p->years[i - 1] + 1)
            return zf_dctx_fail(c, sub, "%d does not follow %d (expected consecutive years)", p->years[i],
                                p->years[i - 1]);
        i++;
    }
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status parse_targets(zf_dctx *c, const cJSON *o, const zf_plan *p, zf_indicator *ind)
{
    const cJSON *arr, *it;
    zf_status st = zf_dj_array(c, o, "targets", true, &arr);
    if (st)
        return st;
    size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
    if (n != p->n_years)
        return zf_dctx_fail(c, "targets", "%zu targets for %zu plan years (expected one per year %d..%d, null "
                                          "where none is published)",
                            n, p->n_years, p->years[0], p->years[p->n_years - 1]);
    if (!(ind->targets = zf_arena_calloc(c->arena, n, sizeof *ind->targets)))
        return zf_dctx_nomem(c);
    cJSON_ArrayForEach(it, arr) {
        char sub[32];
        snprintf(sub, sizeof sub, "targets[%zu]", i);
        zf_target *t = &ind->targets[i++];
        if (cJSON_IsNull(it))
            continue;
        if (!cJSON_IsString(it))
            return zf_dctx_fail(c, sub, "expected the published cell as a string (e.g. \"82%%\") or null");
        const char *cell = zf_arena_strdup(c->arena, it->valuestring);
        if (!cell)
            return zf_dctx_nomem(c);
        if (ind->has_series) {   /* other plans: the wording of a series target, resolved per row */
            *t = (zf_target){.cell = cell, .op = ind->series.op, .den = 1, .series = true};
            continue;
        }
        zf_error te = {0};
        if (zf_target_parse(t, cell, &te))
            return zf_dctx_fail(c, sub, "%s", te.message);
        zf_indicator_target_adjust(ind, t);   /* other plans: direction */
    }
    return ZF_OK;
}

/* "rule" (one part) or "parts": [{"name": ..., "rule": ...}] (several, all must be met). */
static ZF_MUST_CHECK zf_status parse_parts(zf_dctx *c, const cJSON *o, zf_indicator *ind)
{
    const cJSON *rule = cJSON_GetObjectItemCaseSensitive(o, "rule"), *parts, *it;
    zf_status st = zf_dj_array(c, o, "parts", !rule, &parts);
    if (st)
        return st;
    if (rule && parts)
        return zf_dctx_fail(c, "parts", "both rule and parts (expected one of them)");
    ind->n_parts = parts ? (size_t)cJSON_GetArraySize(parts) : 1;
    if (ind->n_parts == 0)
        return zf_dctx_fail(c, "parts", "needs at least one part");
    if (!(ind->parts = zf_arena_calloc(c->arena, ind->n_parts, sizeof *ind->parts)))
        return zf_dctx_nomem(c);
    if (rule) {
        ind->parts[0].name = "";
        size_t mark = zf_dctx_push(c, ".rule");
        if (!(st = zf_rule_parse(c, rule, &ind->parts[0].rule)))
            zf_dctx_pop(c, mark);
        return st;
    }
    size_t i = 0;
    cJSON_ArrayForEach(it, parts) {
        zf_part *pt = &ind->parts[i];
        size_t mark = zf_dctx_push(c, ".parts[%zu]", i++);
        st = zf_dj_string(c, it, "name", true, &pt->name);
        if (!st) {
            size_t m2 = zf_dctx_push(c, ".rule");
            if (!(st = zf_rule_parse(c, cJSON_GetObjectItemCaseSensitive(it, "rule"), &pt->rule)))
                zf_dctx_pop(c, m2);
        }
        if (st)
            return st;
        zf_dctx_pop(c, mark);
    }
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status parse_indicator(zf_dctx *c, const cJSON *o, const zf_plan *p, const char **cats, size_t n_cats,
                                               zf_indicator *ind)
{
    static const char *const keys[] = {"number", "category", "name", "gloss", "definition", "units",
                                       "targets", "rule", "parts", "comment",
                                       /* other plans (etl/define/extras.c) */
                                       "baseline", "direction", "levels", "interpolate", "target_series"};
    int64_t num = 0;
    if (!cJSON_IsObject(o))
        return zf_dctx_fail(c, NULL, "expected an indicator object");
    zf_status st = zf_dj_int(c, o, "number", true, &num);
    if (st)
        return st;
    if (num < 1 || num > 100000)
        return zf_dctx_fail(c, "number", "expected a positive indicator number");
    ind->number = c->indicator = (int)num;
    if ((st = zf_dj_known(c, o, keys, sizeof keys / sizeof keys[0])))
        return st;
    for (size_t i = 0; i < p->n_indicators; i++)
        if (p->indicators[i].number == ind->number)
            return zf_dctx_fail(c, "number", "number %d is used twice", ind->number);
    if (!(st = zf_dj_string(c, o, "category", true, &ind->category)) && cats &&
        zf_def_lookup(cats, n_cats, ind->category) < 0)
        st = zf_dctx_fail(c, "category", "\"%s\" is not one of the plan's categories", ind->category);
    if (!st)
        st = zf_dj_string(c, o, "name", true, &ind->name);
    ind->gloss = ind->definition = "";
    if (!st)
        st = zf_dj_string(c, o, "gloss", false, &ind->gloss);
    if (!st)
        st = zf_dj_string(c, o, "definition", false, &ind->definition);
    if (!st)
        st = zf_dj_strings(c, o, "units", true, &ind->units, &ind->n_units);
    if (!st && ind->n_units == 0)
        st = zf_dctx_fail(c, "units", "an indicator needs at least one responsible unit");
    if (!st)
        st = zf_indicator_extras_parse(c, o, p, ind);
    if (!st)
        st = parse_targets(c, o, p, ind);
    if (!st)
        st = parse_parts(c, o, ind);
    if (!st)
        st = zf_indicator_extras_finish(c, p, ind);
    return st;
}

static ZF_MUST_CHECK zf_status parse_indicators(zf_dctx *c, const cJSON *o, zf_plan *p)
{
    const cJSON *arr, *it;
    const char **cats = NULL;
    size_t n_cats = 0;
    zf_status st = zf_dj_strings(c, o, "categories", false, &cats, &n_cats);
    if (!st)
        st = zf_dj_array(c, o, "indicators", true, &arr);
    if (st)
        return st;
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (!(p->indicators = zf_arena_calloc(c->arena, n ? n : 1, sizeof *p->indicators)))
        return zf_dctx_nomem(c);
    p->n_indicators = 0;
    cJSON_ArrayForEach(it, arr) {
        size_t mark = zf_dctx_push(c, "indicators[%zu]", p->n_indicators);
        if ((st = parse_indicator(c, it, p, cats, n_cats, &p->indicators[p->n_indicators])))
            return st;
        p->n_indicators++;
        c->indicator = 0;
        zf_dctx_pop(c, mark);
    }
    return ZF_OK;
}

/* ---- policy linkage rules -------------------------------------------------- */

static bool has_indicator(const zf_plan *p, int64_t n)
{
    for (size_t i = 0; i < p->n_indicators; i++)
        if (p->indicators[i].number == n)
            return true;
    return false;
}

/* {"indicator": 5} or {"rule": {a latest rule}}. */
static ZF_MUST_CHECK zf_status parse_operand(zf_dctx *c, const cJSON *o, const char *key, const zf_plan *p, int *ind,
                                             zf_rule *rule)
{
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsObject(op))
        return zf_dctx_fail(c, key, "expected {\"indicator\": N} or {\"rule\": {...}}");
    size_t mark = zf_dctx_push(c, ".%s", key);
    int64_t n = 0;
    const cJSON *ro = cJSON_GetObjectItemCaseSensitive(op, "rule");
    zf_status st = ro ? ZF_OK : zf_dj_int(c, op, "indicator", true, &n);
    if (!st && !ro && !has_indicator(p, n))
        st = zf_dctx_fail(c, "indicator", "no indicator %lld in this plan", (long long)n);
    *ind = (int)n;
    if (!st && ro) {
        size_t m2 = zf_dctx_push(c, ".rule");
        if (!(st = zf_rule_parse(c, ro, rule)) && rule->kind != ZF_RULE_LATEST)
            st = zf_dctx_fail(c, "kind", "a policy standard must be a latest rule");
        if (!st)
            zf_dctx_pop(c, m2);
    }
    if (!st)
        zf_dctx_pop(c, mark);
    return st;
}

/* A ratio rule compares a with factor × b, capped by `cap` when given (min(2 × 低保, 最低工资)). */
static ZF_MUST_CHECK zf_status parse_policy(zf_dctx *c, const cJSON *o, const zf_plan *p, zf_policy_rule *pr)
{
    static const char *const kinds[] = {"ratio_eq", "ratio_ge", "ratio_le", "not_lower", "growth_ge"};
    static const char *const keys[] = {"id", "title", "kind", "a", "b", "factor", "cap", "per_region", "comment"};
    const char *kind = NULL;
    zf_status st = zf_dj_known(c, o, keys, sizeof keys / sizeof keys[0]);
    if (!st)
        st = zf_dj_string(c, o, "id", true, &pr->id);
    if (!st)
        st = zf_dj_string(c, o, "title", true, &pr->title);
    if (!st)
        st = zf_dj_string(c, o, "kind", true, &kind);
    if (st)
        return st;
    int k = zf_def_lookup(kinds, sizeof kinds / sizeof kinds[0], kind);
    if (k < 0)
        return zf_dctx_fail(c, "kind", "unknown policy kind \"%s\" (expected ratio_eq, ratio_ge, ratio_le, "
                                       "not_lower or growth_ge)", kind);
    pr->kind = (zf_policy_kind)k;
    pr->factor_num = pr->factor_den = 1;
    if ((st = zf_dj_bool(c, o, "per_region", &pr->per_region)))
        return st;
    if ((st = parse_operand(c, o, "a", p, &pr->a_indicator, &pr->a_rule)))
        return st;
    /* a standard read by a latest rule is the county's own: only indicators have a value
       per region of the tree */
    if (pr->per_region && !pr->a_indicator)
        return zf_dctx_fail(c, "a", "a per_region rule compares indicators (a latest rule has no region rows)");
    if (pr->kind == ZF_POLICY_NOT_LOWER) {
        if (cJSON_GetObjectItemCaseSensitive(o, "cap"))
            return zf_dctx_fail(c, "cap", "not used by not_lower");
        return pr->a_indicator ? ZF_OK : zf_dctx_fail(c, "a", "not_lower compares an indicator with its previous year");
    }
    if ((st = parse_operand(c, o, "b", p, &pr->b_indicator, &pr->b_rule)))
        return st;
    if (pr->kind == ZF_POLICY_GROWTH_GE && cJSON_GetObjectItemCaseSensitive(o, "cap"))
        return zf_dctx_fail(c, "cap", "not used by growth_ge");
    if (pr->per_region && !pr->b_indicator)
        return zf_dctx_fail(c, "b", "a per_region rule compares indicators (a latest rule has no region rows)");
    if (cJSON_GetObjectItemCaseSensitive(o, "cap")) {
        pr->has_cap = true;
        if ((st = parse_operand(c, o, "cap", p, &pr->cap_indicator, &pr->cap_rule)))
            return st;
        if (pr->per_region && !pr->cap_indicator)
            return zf_dctx_fail(c, "cap", "a per_region rule compares indicators (a latest rule has no region rows)");
    }
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "factor");
    if (!f)
        return zf_dctx_fail(c, "factor", "missing (required for a ratio rule, e.g. \"1.7\")");
    return zf_dj_fraction(c, f, "factor", &pr->factor_num, &pr->factor_den);
}

static ZF_MUST_CHECK zf_status parse_policies(zf_dctx *c, const cJSON *o, zf_plan *p)
{
    const cJSON *arr, *it;
    zf_status st = zf_dj_array(c, o, "policies", false, &arr);
    if (st || !arr)
        return st;
    p->n_policies = (size_t)cJSON_GetArraySize(arr);
    if (!(p->policies = zf_arena_calloc(c->arena, p->n_policies ? p->n_policies : 1, sizeof *p->policies)))
        return zf_dctx_nomem(c);
    size_t i = 0;
    cJSON_ArrayForEach(it, arr) {
        size_t mark = zf_dctx_push(c, "policies[%zu]", i);
        if ((st = parse_policy(c, it, p, &p->policies[i++])))
            return st;
        zf_dctx_pop(c, mark);
    }
    return ZF_OK;
}

zf_status zf_plan_parse(zf_dctx *c, const cJSON *root, zf_plan *p)
{
    static const char *const keys[] = {"id", "title", "sources", "regions", "years", "categories",
                                       "indicators", "policies", "comment", "office",
                                       "baseline_year", "interpolate"};   /* other plans */
    zf_status st = zf_dj_known(c, root, keys, sizeof keys / sizeof keys[0]);
    if (!st)
        st = zf_dj_string(c, root, "id", true, &p->id);
    if (!st)
        st = zf_dj_string(c, root, "title", true, &p->title);
    if (!st)
        st = zf_dj_string(c, root, "office", false, &p->office);
    if (st)
        return st;
    p->region_tree_id = c->regions->id;
    p->source_set_id = c->sources->id;
    if (!(st = parse_years(c, root, p)) && !(st = zf_plan_extras_parse(c, root, p)))
        st = parse_indicators(c, root, p);
    if (!st)
        st = parse_policies(c, root, p);
    if (!st)
        st = zf_plan_extras_finish(c, p);   /* other plans */
    return st;
}
