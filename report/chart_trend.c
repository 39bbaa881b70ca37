/* chart_trend.c — the trend chart of a numeric indicator (part): the top region's value in
 * every computed year against that year's target, the open year's point marked 进行中, and
 * its alt text saying the same in words. */
#include "charts_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct trend_pt {
    int year;
    bool has, open;
    double y;
    const char *text;      /* value as displayed, for the alt text */
    bool has_t, range;     /* range: a band from t to t_hi ("1～6"), not a line */
    double t, t_hi;
    zf_target_op op;
    const char *t_cell;    /* the target with its direction, for the alt text */
} trend_pt;

static void trend_block(FILE *f, const char *name, const trend_pt *p, size_t n, int which)
{
    fprintf(f, "$%s << EOD\n", name);
    for (size_t i = 0; i < n; i++) {
        bool want = which == 0 ? p[i].has : which == 1 ? p[i].has && !p[i].open
                  : which == 2 ? p[i].has && p[i].open : which == 3 ? p[i].has_t && !p[i].range
                  : p[i].range;
        if (!want) {
            if (which == 0)
                fputc('\n', f); /* a year without a value breaks the line */
            continue;
        }
        fprintf(f, "%d ", p[i].year);
        zf_gp_num(f, which >= 3 ? p[i].t : p[i].y);
        if (which == 4) {
            fputc(' ', f);
            zf_gp_num(f, p[i].t_hi);
        }
        fputc('\n', f);
    }
    fputs("EOD\n", f);
}

static zf_chart_axis trend_axis(const trend_pt *p, size_t n, zf_value_kind k)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (p[i].has) {
            lo = fmin(lo, p[i].y);
            hi = fmax(hi, p[i].y);
        }
        if (p[i].has_t) {
            lo = fmin(lo, p[i].t);
            hi = fmax(hi, p[i].t_hi);
        }
    }
    if (lo > hi)
        lo = hi = 0;
    double pad = (hi - lo) * 0.2;
    bool nonneg = lo >= 0;
    lo -= pad;
    hi += pad;
    if (nonneg && lo < 0)
        lo = 0;
    return zf_chart_nice_axis(lo, hi, k == ZF_VALUE_COUNT);
}

static void trend_plot(FILE *f, const trend_pt *p, size_t n)
{
    bool any = false, closed = false, open = false, tgt = false, band = false;
    zf_target_op op = ZF_TARGET_GE;
    for (size_t i = 0; i < n; i++) {
        any |= p[i].has;
        closed |= p[i].has && !p[i].open;
        open |= p[i].has && p[i].open;
        band |= p[i].range;
        if (p[i].has_t && !p[i].range && !tgt)
            op = p[i].op;
        tgt |= p[i].has_t && !p[i].range;
        if (p[i].has && p[i].open) {
            fputs("set label '进行中' at ", f);
            fprintf(f, "%d,", p[i].year);
            zf_gp_num(f, p[i].y);
            fputs(" center offset 0,1.5 noenhanced tc ", f);
            zf_gp_rgb(f, ZF_C_PROGRESS);
            fputc('\n', f);
        }
    }
    if (!any && !tgt && !band)
        fputs("set label '无数据' at graph 0.5, graph 0.5 center noenhanced tc rgb '#757575'\n", f);
    fputs("plot NaN notitle", f);
    if (band) {   /* behind everything: the values are read against it */
        fputs(", $band using 1:2:3 with filledcurves fs transparent solid 0.15 noborder lc ", f);
        zf_gp_rgb(f, ZF_C_TARGET);
        fputs(" title '目标区间'", f);
    }
    if (any) {
        fputs(", $actual using 1:2 with lines lw 2.5 lc ", f);
        zf_gp_rgb(f, ZF_C_ACTUAL);
        fputs(" title '实际值'", f);
    }
    if (closed) {
        fputs(", $closed using 1:2 with points pt 7 ps 1.3 lc ", f);
        zf_gp_rgb(f, ZF_C_ACTUAL);
        fputs(" notitle", f);
    }
    if (open) {
        fputs(", $open using 1:2 with points pt 7 ps 1.6 lc rgb '#ffffff' notitle", f);
        fputs(", $open using 1:2 with points pt 6 ps 1.6 lw 2 lc ", f);
        zf_gp_rgb(f, ZF_C_PROGRESS);
        fputs(" title '进行中（暂定值）'", f);
    }
    if (tgt) {
        fputs(", $target using 1:2 with linespoints dt 2 lw 2 pt 2 ps 1.1 lc ", f);
        zf_gp_rgb(f, ZF_C_TARGET);
        /* which way the target points: ≥ for most, ≤ for a lower-is-better rate */
        static const char *const way[] = {[ZF_TARGET_GE] = "≥", [ZF_TARGET_GT] = ">",
                                          [ZF_TARGET_LT] = "<", [ZF_TARGET_LE] = "≤", [ZF_TARGET_WORD] = ""};
        fprintf(f, " title '目标值（%s）'", way[op]);
    }
    fputc('\n', f);
}

/* "实际值：2021年 80.0%、2022年 83.1%（进行中）；目标值：2021年 82%、…" */
static const char *trend_alt(zf_arena *a, const char *title, const trend_pt *p, size_t n)
{
    zf_chart_text text;
    if (!zf_chart_text_open(&text))
        return NULL;
    FILE *f = text.f;
    fprintf(f, "%s，历年实际值与目标值。实际值：", title);
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].has)
            continue;
        fprintf(f, "%s%d年 %s%s", first ? "" : "、", p[i].year, p[i].text, p[i].open ? "（进行中）" : "");
        first = false;
    }
    fputs(first ? "无数据" : "", f);
    fputs("；目标值：", f);
    first = true;
    for (size_t i = 0; i < n; i++) {
        if (!p[i].has_t)
            continue;
        fprintf(f, "%s%d年 %s", first ? "" : "、", p[i].year, p[i].t_cell);
        first = false;
    }
    fputs(first ? "无。" : "。", f);
    return zf_chart_text_close(&text, a);
}

static ZF_MUST_CHECK zf_status trend_points(zf_chart_ctx *cx, size_t ind, size_t part, trend_pt *p, zf_error *err)
{
    const zf_run *run = cx->run;
    zf_value_kind k = run->defs->plan.indicators[ind].parts[part].rule.value_kind;
    for (size_t j = 0; j < run->n_years; j++) {
        size_t y = run->years[j];
        const zf_result *r = zf_chart_find_result(run, ind, part, y, 0);
        const zf_target *t = zf_chart_year_target(run, r, ind, y);
        p[j].year = run->defs->plan.years[y];
        p[j].has = zf_chart_result_y(r, &p[j].y);
        p[j].open = r && r->outcome == ZF_OUTCOME_IN_PROGRESS;
        p[j].has_t = zf_chart_target_y(t, k, &p[j].t, &p[j].t_hi);
        p[j].range = p[j].has_t && p[j].t_hi > p[j].t;
        p[j].op = p[j].has_t ? t->op : ZF_TARGET_GE;
        p[j].t_cell = "";
        if (p[j].has_t) {
            char b[160];
            p[j].t_cell = zf_arena_strdup(&cx->list->arena, zf_chart_target_label(t, b, sizeof b));
            if (!p[j].t_cell)
                return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (chart text)");
        }
        if (p[j].has) {
            char b[96];
            p[j].text = zf_arena_strdup(&cx->list->arena, zf_result_value_display(r, b, sizeof b));
            if (!p[j].text)
                return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (chart text)");
        }
    }
    return ZF_OK;
}

zf_status zf_chart_trend(zf_chart_ctx *cx, size_t ind, size_t part, zf_error *err)
{
    const zf_run *run = cx->run;
    const zf_indicator *in = &run->defs->plan.indicators[ind];
    zf_value_kind k = in->parts[part].rule.value_kind;
    trend_pt *p = calloc(run->n_years, sizeof *p);
    zf_chart_text s = {0};
    zf_status st = ZF_OK;
    zf_chart *c = zf_chart_add(cx->list);
    if (!p || !c) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (trend chart)");
        goto cleanup;
    }
    c->kind = ZF_CHART_TREND;
    c->indicator = ind;
    c->part = part;
    c->width = ZF_CHART_W;
    c->height = 480;
    zf_chart_names(c, "trend", in, part);
    c->title = zf_chart_title(&cx->list->arena, in, part, "");
    if ((st = trend_points(cx, ind, part, p, err)) != ZF_OK)
        goto cleanup;
    c->alt = c->title ? trend_alt(&cx->list->arena, c->title, p, run->n_years) : NULL;
    if (!c->title || !c->alt || !zf_chart_begin(&s, cx, c)) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (trend chart)");
        goto cleanup;
    }
    FILE *f = s.f;
    trend_block(f, "actual", p, run->n_years, 0);
    trend_block(f, "closed", p, run->n_years, 1);
    trend_block(f, "open", p, run->n_years, 2);
    trend_block(f, "target", p, run->n_years, 3);
    trend_block(f, "band", p, run->n_years, 4);
    fprintf(f, "set xrange [%d.5:%d.5]\nset xtics (", p[0].year - 1, p[run->n_years - 1].year);
    for (size_t j = 0; j < run->n_years; j++)
        fprintf(f, "%s'%d' %d", j ? ", " : "", p[j].year, p[j].year);
    fputs(")\n", f);
    zf_chart_tics(f, "y", trend_axis(p, run->n_years, k), k);
    fputs("set grid ytics lc rgb '#e0e0e0'\nset key bmargin center horizontal reverse Left samplen 2 width 2\n", f);
    trend_plot(f, p, run->n_years);
    st = zf_chart_finish(cx, c, &s, err);
cleanup:
    if (s.f)
        fclose(s.f);
    free(s.buf);
    free(p);
    return st;
}
