/* targets.c — row-dependent targets of the other plans (zf_targets.h). */
#include "zf_targets.h"

#include <stdio.h>
#include <string.h>

bool zf_target_upper_ok(zf_frac v, const zf_target *t, zf_frac scale)
{
    if (!t || !t->has_upper)
        return true;
    zf_frac upper = {(zf_i128)t->upper_num * scale.n, (zf_i128)(t->upper_den ? t->upper_den : 1) * scale.d};
    return zf_frac_cmp(v, upper) <= 0;
}

static const zf_result *find_row(const zf_run *run, int number, size_t year, int region)
{
    const zf_plan *p = &run->defs->plan;
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *q = &run->results[i];
        if (q->part == 0 && q->year == year && q->region == region && p->indicators[q->indicator].number == number)
            return q;
    }
    return NULL;
}

/* The series value as the reader knows it: 61.23% for a rate, 612.35, 8000. */
static void series_text(const zf_result *q, zf_frac v, char *buf, size_t size)
{
    char num[64];
    if (q->kind == ZF_VALUE_RATE) {
        zf_frac_fixed((zf_frac){v.n * 100, v.d}, 2, num, sizeof num);
        snprintf(buf, size, "%s%%", num);
    } else {
        zf_frac_fixed(v, q->kind == ZF_VALUE_COUNT ? 0 : 2, buf, size);
    }
}

static const zf_target *series_target(zf_run *run, const zf_result *r, const zf_target *dflt, bool *unresolved)
{
    const zf_indicator *ind = &run->defs->plan.indicators[r->indicator];
    const zf_target_series *s = &ind->series;
    const zf_result *q = find_row(run, s->indicator, r->year, s->region >= 0 ? s->region : r->region);
    zf_target *t = zf_arena_calloc(&run->arena, 1, sizeof *t);
    if (!t) {
        *unresolved = true;
        return dflt;
    }
    *t = *dflt;
    char cell[512], num[80];
    zf_frac v = {0, 1};
    bool ok = q && q->has_value && q->kind != ZF_VALUE_WORD;
    if (ok) {
        v = zf_frac_reduce((zf_frac){q->value.n * s->factor_num, q->value.d * s->factor_den});
        ok = v.n >= 0 && v.n <= INT64_MAX && v.d <= INT64_MAX;
    }
    if (ok) {
        t->num = (int64_t)v.n;
        t->den = (int64_t)v.d;
        t->percent = q->kind == ZF_VALUE_RATE;
        series_text(q, v, num, sizeof num);
    } else {
        *unresolved = true;
        snprintf(num, sizeof num, "无数据");
    }
    snprintf(cell, sizeof cell, "%s（%s）", dflt->cell, num);
    t->cell = zf_arena_strdup(&run->arena, cell);
    if (!t->cell) {
        *unresolved = true;
        return dflt;
    }
    return t;
}

const zf_target *zf_targets_row(zf_run *run, const zf_result *r, const zf_target *dflt, bool *unresolved)
{
    const zf_indicator *ind = &run->defs->plan.indicators[r->indicator];
    *unresolved = false;
    if (ind->levels && !(ind->levels & (1u << run->defs->regions.regions[r->region].depth)))
        return NULL;   /* judged only at the levels that own the indicator */
    if (dflt && dflt->cell && dflt->series)
        return series_target(run, r, dflt, unresolved);
    return dflt;
}
