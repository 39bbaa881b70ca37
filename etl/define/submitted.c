/* submitted.c — the "submitted" rule of the other plans: an indicator whose values are
 * the regions' own aggregate reports (source indicator_submissions, other-plans.md),
 * rolled up over the region tree by the indicator's own rule.
 *
 *   {"kind": "submitted", "source": "indicator_submissions", "value": "rate",
 *    "report": "components", "factor": 10000, "rollup": "sum"}
 *
 * The columns are found by their header names (计划, 指标编号, 年度, 分子, 分母, 数值,
 * 填报日期; the region is the source's region column), which "columns" may rename.
 * Whether 填报日期 counts up to the as-of date or up to R is the column's date_kind
 * (sources.c), not the rule's: it is what the date means, the same for every rule. */
#include "define_internal.h"

#include <string.h>

#define T(x) (1u << (x))
#define NUMBERS (T(ZF_COL_DECIMAL) | T(ZF_COL_TEXT_OR_DECIMAL) | T(ZF_COL_AMOUNT) | T(ZF_COL_INTEGER))

typedef struct role {
    const char *key;        /* member of "columns" */
    const char *header;     /* default header text */
    unsigned types;
    size_t offset;          /* into zf_submitted */
} role;

static const role roles[] = {
    {"plan", "计划", T(ZF_COL_TEXT), offsetof(zf_submitted, plan_col)},
    {"indicator", "指标编号", T(ZF_COL_INTEGER), offsetof(zf_submitted, indicator_col)},
    {"year", "年度", T(ZF_COL_INTEGER), offsetof(zf_submitted, year_col)},
    {"numerator", "分子", NUMBERS, offsetof(zf_submitted, num_col)},
    {"denominator", "分母", NUMBERS, offsetof(zf_submitted, den_col)},
    {"value", "数值", NUMBERS | T(ZF_COL_TEXT), offsetof(zf_submitted, value_col)},
    {"date", "填报日期", T(ZF_COL_DATE), offsetof(zf_submitted, date_col)},
};
#define N_ROLES (sizeof roles / sizeof roles[0])

static ZF_MUST_CHECK zf_status resolve_columns(zf_dctx *c, const cJSON *o, const zf_source *src, zf_submitted *s)
{
    const cJSON *cols = cJSON_GetObjectItemCaseSensitive(o, "columns");
    if (cols && !cJSON_IsObject(cols))
        return zf_dctx_fail(c, "columns", "expected an object {\"numerator\": \"分子\", ...}");
    size_t mark = zf_dctx_push(c, ".columns");
    const char *keys[N_ROLES + 1];
    for (size_t i = 0; i < N_ROLES; i++)
        keys[i] = roles[i].key;
    keys[N_ROLES] = "comment";
    zf_status st = cols ? zf_dj_known(c, cols, keys, N_ROLES + 1) : ZF_OK;
    for (size_t i = 0; i < N_ROLES && !st; i++) {
        const char *name = roles[i].header;
        if (cols && (st = zf_dj_string(c, cols, roles[i].key, false, &name)))
            break;
        int k = zf_source_column(src, name);
        if (k < 0)
            st = zf_dctx_fail(c, roles[i].key, "source %s has no column \"%s\" (a submitted rule needs the columns of "
                                               "indicator_submissions: 计划, 指标编号, 地区, 年度, 分子, 分母, 数值, 填报日期)",
                              src->id, name);
        else if (!(roles[i].types & T(src->columns[k].type)))
            st = zf_dctx_fail(c, roles[i].key, "column \"%s\" of %s is %s, which cannot be used as the %s", name,
                              src->id, zf_coltype_name(src->columns[k].type), roles[i].key);
        else
            *(size_t *)((char *)s + roles[i].offset) = (size_t)k;
    }
    if (!st)
        zf_dctx_pop(c, mark);
    return st;
}

zf_status zf_submitted_parse(zf_dctx *c, const cJSON *o, zf_rule *r)
{
    static const char *const rollups[] = {"sum", "min", "max", "none"};
    static const char *const reports[] = {"components", "value"};
    if (cJSON_GetObjectItemCaseSensitive(o, "scope") || cJSON_GetObjectItemCaseSensitive(o, "where"))
        return zf_dctx_fail(c, cJSON_GetObjectItemCaseSensitive(o, "scope") ? "scope" : "where",
                            "not used by a submitted rule (its records are chosen by 计划, 指标编号, 地区 and 年度)");
    const zf_source *src = &c->sources->sources[r->sel.source];
    if (!r->by_region)
        return zf_dctx_fail(c, "source", "a submitted rule needs a source with a region column (地区)");
    zf_submitted *s = zf_arena_calloc(c->arena, 1, sizeof *s);
    if (!s)
        return zf_dctx_nomem(c);
    r->submitted = s;
    zf_status st = resolve_columns(c, o, src, s);
    if (st)
        return st;
    const char *w = NULL;
    if ((st = zf_dj_string(c, o, "rollup", true, &w)))
        return st;
    int k = zf_def_lookup(rollups, 4, w);
    if (k < 0)
        return zf_dctx_fail(c, "rollup", "unknown rollup \"%s\" (expected sum, min, max or none)", w);
    s->rollup = (zf_rollup)k;
    if ((st = zf_dj_int(c, o, "factor", false, &r->factor)))
        return st;
    if (r->factor < 1)
        return zf_dctx_fail(c, "factor", "expected a positive integer (10000 for \"per 10,000\")");
    w = NULL;
    if ((st = zf_dj_string(c, o, "report", false, &w)))
        return st;
    if (w && (k = zf_def_lookup(reports, 2, w)) < 0)
        return zf_dctx_fail(c, "report", "unknown report \"%s\" (expected components or value)", w);
    s->components = w ? k == 0 : (r->value_kind == ZF_VALUE_RATE || r->factor != 1);
    if ((st = zf_dj_bool(c, o, "growth", &s->growth)))
        return st;
    int64_t n = 0;
    if ((st = zf_dj_int(c, o, "indicator", false, &n)))
        return st;
    if (n < 0 || n > 100000)
        return zf_dctx_fail(c, "indicator", "expected an indicator number");
    s->indicator = (int)n;
    if ((st = zf_dj_string(c, o, "plan", false, &s->plan_id)))
        return st;
    /* combinations that have no meaning */
    if (r->value_kind == ZF_VALUE_WORD && (s->components || s->rollup != ZF_ROLLUP_NONE || s->growth || r->factor != 1))
        return zf_dctx_fail(c, "value", "a milestone word is reported as 数值 and never rolled up "
                                        "(expected report value, rollup none, no growth, no factor)");
    if (s->growth && r->value_kind != ZF_VALUE_RATE)
        return zf_dctx_fail(c, "growth", "growth is a rate (expected \"value\": \"rate\")");
    if (!s->components && r->factor != 1)
        return zf_dctx_fail(c, "factor", "a factor multiplies Σ分子/Σ分母 (expected \"report\": \"components\")");
    return ZF_OK;
}
