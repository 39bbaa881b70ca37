/* display.c — the shown digits of a value beside its target, and how a target itself is
 * shown with its direction (zf_display.h).  It owns nothing but the rules;
 * zf_result_value_display (run.c), the workbook's number formats and the other writers
 * ask it. */
#include "zf_display.h"

#include <stdio.h>

/* v rounded half away from zero to p decimals, as an exact fraction. */
static zf_frac rounded(zf_frac v, int p)
{
    zf_i128 scale = 1;
    for (int i = 0; i < p; i++)
        scale *= 10;
    zf_i128 n = v.n * scale, d = v.d;
    bool neg = n < 0;
    if (neg)
        n = -n;
    zf_i128 q = (2 * n + d) / (2 * d);   /* half away from zero */
    return (zf_frac){neg ? -q : q, scale};
}

static int sign(int c) { return c > 0 ? 1 : c < 0 ? -1 : 0; }

int zf_display_places(zf_frac v, zf_frac mark, int places)
{
    return zf_display_places_max(v, mark, places, ZF_DISPLAY_MAX_PLACES);
}

int zf_display_places_max(zf_frac v, zf_frac mark, int places, int max_places)
{
    if (v.d < 0) { v.n = -v.n; v.d = -v.d; }
    if (mark.d < 0) { mark.n = -mark.n; mark.d = -mark.d; }
    int side = sign(zf_frac_cmp(v, mark));
    if (side == 0)
        return places;
    /* keep the operands small enough for the products of zf_frac_cmp */
    v = zf_frac_reduce(v);
    mark = zf_frac_reduce(mark);
    int p = places;
    while (p < max_places && sign(zf_frac_cmp(rounded(v, p), mark)) != side)
        p++;
    return p;
}

int zf_result_places(const zf_result *r)
{
    if (!r || !r->has_value || r->kind == ZF_VALUE_WORD || r->kind == ZF_VALUE_COUNT)
        return 0;
    zf_frac v = r->value;
    zf_i128 unit = 1;
    int places = 2;
    if (r->kind == ZF_VALUE_RATE) {
        unit = 100;
        v.n *= 100;
        /* below 1% one decimal hides the difference that matters (﹤0.9%) */
        zf_frac one = {1, 1}, minus_one = {-1, 1};
        places = zf_frac_cmp(v, one) < 0 && zf_frac_cmp(v, minus_one) > 0 ? 2 : 1;
    }
    const zf_target *t = r->target;
    if (!t || !t->cell || t->op == ZF_TARGET_WORD)
        return places;
    /* a rate's target is a fraction too (82% = 82/100): both are shown × 100 */
    zf_frac mark = {(zf_i128)t->num * unit, t->den ? t->den : 1};
    places = zf_display_places(v, mark, places);
    if (t->has_upper) {
        zf_frac upper = {(zf_i128)t->upper_num * unit, t->upper_den ? t->upper_den : 1};
        int q = zf_display_places(v, upper, places);
        places = q > places ? q : places;
    }
    return places;
}

const char *zf_target_sign(const zf_target *t)
{
    if (!t || !t->cell || t->has_upper || t->series)
        return "";
    switch (t->op) {
    case ZF_TARGET_GE: return "≥";
    case ZF_TARGET_GT: return ">";
    case ZF_TARGET_LT: return "<";
    case ZF_TARGET_LE: return "≤";
    case ZF_TARGET_WORD: break;
    }
    return "";
}

static zf_frac target_shown(const zf_target *t)
{
    return (zf_frac){(zf_i128)t->num * (t->percent ? 100 : 1), t->den > 0 ? t->den : 1};
}

int zf_target_places(const zf_target *t)
{
    if (!t || !t->cell || t->op == ZF_TARGET_WORD)
        return 0;
    zf_frac v = target_shown(t);
    zf_i128 scale = 1;
    for (int k = 0; k <= 4; k++, scale *= 10)
        if ((v.n * scale) % v.d == 0)
            return k;
    return 2;   /* not a short decimal: the usual two, as the interpolated cell rounds it */
}

const char *zf_target_label(const zf_target *t, char *buf, size_t size)
{
    const char *sign = zf_target_sign(t);
    if (!t || !t->cell)
        snprintf(buf, size, "%s", "");
    else if (!sign[0])
        snprintf(buf, size, "%s", t->cell);
    else {
        char num[64];
        zf_frac_fixed(target_shown(t), zf_target_places(t), num, sizeof num);
        snprintf(buf, size, "%s%s%s%s", sign, num, t->percent ? "%" : "", t->interpolated ? "（插值）" : "");
    }
    return buf;
}
