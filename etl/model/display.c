/* display.c — the shown digits of a value beside its target (zf_display.h).  It owns
 * nothing but the rule; zf_result_value_display (run.c) and the workbook's number formats
 * ask it for the number of decimals. */
#include "zf_display.h"

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
