/* workbook_measures.c — the cells a reader of the workbook calculates with beside a value:
 * the target as a number that shows its direction, 差距 (actual − target in the
 * indicator's unit), 完成率, last year's value and 同比.  Every one is computed from the
 * exact fractions and turned into a double only for the cell; their digits follow the
 * display rule (zf_display.h), so a gap is never shown as 0 beside 未达标. */
#include <stdio.h>
#include <string.h>

#include "workbook_internal.h"
#include "zf_frac.h"

/* "+12.3个百分点" without its decimals: sign, three digits, point and 个百分点, in column units. */
#define PP_WIDTH 13.0

static bool lower_better(const zf_target *t)
{
    return t->op == ZF_TARGET_LE || t->op == ZF_TARGET_LT;
}

/* A target that is one number (not a word, not a range). */
static bool numeric(const zf_target *t)
{
    return t && t->cell && t->op != ZF_TARGET_WORD && !t->has_upper && t->den > 0;
}

static zf_frac target_frac(const zf_target *t)
{
    return (zf_frac){t->num, t->den};
}

/* "0.00" with p decimals, or "#,##0.00" grouped. */
static void digits(char *buf, size_t size, bool grouped, int p)
{
    snprintf(buf, size, "%s%s%.*s", grouped ? "#,##0" : "0", p > 0 ? "." : "", p, "0000000000");
}

const zf_target *wb_row_target(const wb_ctx *c, size_t ind, const zf_result *r)
{
    if (r && r->target) return r->target;
    return r ? NULL : &c->plan->indicators[ind].targets[c->year];
}

void wb_target_number(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_target *t)
{
    const wb_fmt *f = &s->c->f;
    if (!t || !t->cell) { wb_text(s, row, col, "", f->text); return; }
    if (!numeric(t)) {
        char buf[256];
        wb_text(s, row, col, zf_target_label(t, buf, sizeof buf), f->center);
        return;
    }
    /* the sign is part of the format, so the cell stays a number one can subtract from */
    char d[32], num[96];
    digits(d, sizeof d, !t->percent, zf_target_places(t));
    snprintf(num, sizeof num, "\"%s\"%s%s", zf_target_sign(t), d, t->percent ? "%" : "");
    wb_num(s, row, col, zf_frac_to_double(target_frac(t)), wb_numfmt(s->c, num));
}

/* Judged short of the target: what the red of a gap means. */
static bool short_of(const zf_result *r)
{
    zf_outcome o = zf_result_own_outcome(r);
    return o == ZF_OUTCOME_NOT_MET || (o == ZF_OUTCOME_IN_PROGRESS && zf_result_own_provisional(r) == ZF_OUTCOME_NOT_MET);
}

/* A signed number format: positive;negative;zero, the short side red when red. */
static lxw_format *signed_fmt(wb_ctx *c, const char *d, const char *unit, bool short_negative, bool red)
{
    char num[256];
    const char *pos_red = red && !short_negative ? "[Red]" : "", *neg_red = red && short_negative ? "[Red]" : "";
    snprintf(num, sizeof num, "%s+%s%s;%s-%s%s;%s%s", pos_red, d, unit, neg_red, d, unit, d, unit);
    return wb_numfmt(c, num);
}

void wb_gap(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_result *r, const zf_target *t)
{
    if (!r || !r->has_value || r->kind == ZF_VALUE_WORD || !numeric(t)) {
        wb_text(s, row, col, "", s->c->f.text);
        return;
    }
    bool rate = r->kind == ZF_VALUE_RATE;
    zf_frac v = r->value, g = target_frac(t);
    /* v − g, in percentage points for a rate: a rate's unit is the percent */
    zf_frac gap = {v.n * g.d - g.n * v.d, v.d * g.d};
    if (rate) gap.n *= 100;
    int p = zf_result_places(r), tp = zf_target_places(t);
    if (r->kind == ZF_VALUE_COUNT) p = 0;
    if (tp > p) p = tp;
    char d[32];
    digits(d, sizeof d, !rate, p);
    lxw_format *fmt = signed_fmt(s->c, d, rate ? "\"个百分点\"" : "", !lower_better(t), short_of(r));
    double x = zf_frac_to_double(zf_frac_reduce(gap));
    wb_num_wide(s, row, col, x, fmt, rate ? PP_WIDTH + p : 0);
}

void wb_completion(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_result *r, const zf_target *t)
{
    if (!r || !r->has_value || r->kind == ZF_VALUE_WORD || !numeric(t) || t->num <= 0 ||
        (lower_better(t) && r->value.n <= 0) || r->value.n < 0) {
        wb_text(s, row, col, "", s->c->f.text);
        return;
    }
    zf_frac v = r->value, g = target_frac(t);
    zf_frac ratio = lower_better(t) ? (zf_frac){g.n * v.d, g.d * v.n} : (zf_frac){v.n * g.d, v.d * g.n};
    ratio = zf_frac_reduce(ratio);
    /* never shown as 100.0 % when it is not (99.96 % beside 未达标) */
    zf_frac shown = {ratio.n * 100, ratio.d}, hundred = {100, 1};
    int p = zf_display_places(shown, hundred, 1);
    wb_num(s, row, col, zf_frac_to_double(ratio), wb_places_fmt(s->c, true, p));
}

const zf_result *wb_last_year(const wb_ctx *c, const zf_result *r)
{
    if (!r || r->year == 0) return NULL;
    return wb_find(c->run, r->indicator, r->part, r->year - 1, r->region);
}

const char *wb_last_header(const wb_ctx *c, char *buf, size_t size)
{
    int y = wb_plan_year(c, c->year);
    if (c->year == 0 && c->plan->baseline_year)
        snprintf(buf, size, "%d年实际值（基期）", c->plan->baseline_year);
    else
        snprintf(buf, size, "%d年实际值", y - 1);
    return buf;
}

/* The plan's first year has no computed year before it: the published baseline stands in. */
static const zf_target *baseline(const wb_ctx *c, size_t ind, int region)
{
    const zf_target *b = &c->plan->indicators[ind].baseline;
    return c->year == 0 && region == 0 && b->cell && b->op != ZF_TARGET_WORD && b->den > 0 ? b : NULL;
}

void wb_last_value(wb_sheet *s, lxw_row_t row, lxw_col_t col, size_t ind, size_t part, int region)
{
    const wb_ctx *c = s->c;
    const zf_result *now = wb_find(c->run, ind, part, c->year, region);
    const zf_result *last = wb_last_year(c, now);
    const zf_target *b = baseline(c, ind, region);
    if (last) wb_value(s, row, col, last);
    else if (b) wb_target_value(s, row, col, b, c->plan->indicators[ind].parts[part].rule.value_kind);
    else wb_text(s, row, col, WB_DASH, c->f.center);
}

void wb_yoy(wb_sheet *s, lxw_row_t row, lxw_col_t col, size_t ind, size_t part, int region)
{
    wb_ctx *c = s->c;
    const zf_result *now = wb_find(c->run, ind, part, c->year, region);
    const zf_result *last = wb_last_year(c, now);
    const zf_target *b = baseline(c, ind, region);
    bool has_last = last ? last->has_value : b != NULL;
    zf_frac before = last ? last->value : b ? target_frac(b) : (zf_frac){0, 1};
    if (!now || !now->has_value || now->kind == ZF_VALUE_WORD || !has_last ||
        (last && last->kind == ZF_VALUE_WORD)) {
        wb_text(s, row, col, "", c->f.text);
        return;
    }
    zf_frac v = now->value;
    char d[32];
    if (now->kind == ZF_VALUE_RATE) {
        /* a rate moves in percentage points; a growth rate of a rate would be misread */
        zf_frac pp = {(v.n * before.d - before.n * v.d) * 100, v.d * before.d};
        digits(d, sizeof d, false, 1);
        wb_num_wide(s, row, col, zf_frac_to_double(zf_frac_reduce(pp)), signed_fmt(c, d, "\"个百分点\"", true, false),
                    PP_WIDTH + 1);
        return;
    }
    if (before.n <= 0) { wb_text(s, row, col, "", c->f.text); return; }
    zf_frac growth = {v.n * before.d - before.n * v.d, v.d * before.n};
    digits(d, sizeof d, false, 1);
    strcat(d, "%");
    wb_num(s, row, col, zf_frac_to_double(zf_frac_reduce(growth)), signed_fmt(c, d, "", true, false));
}
