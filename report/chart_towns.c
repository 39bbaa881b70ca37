/* chart_towns.c — the town chart of an indicator (part) computed by region: one horizontal
 * bar per child of the tree's top, highest first, coloured by the row's own verdict, with
 * the target where it applies to every town, and its alt text. */
#include "charts_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct town_target {
    bool has, range;
    double lo, hi;
    char label[128];      /* "≥10%", "1～6" */
} town_target;

typedef struct town_bar {
    int region;
    const zf_result *r;
    bool has;
    double y;
} town_bar;

/* Highest value first, towns without a value last, ties in region-reference order. */
static int town_cmp(const void *a, const void *b)
{
    const town_bar *x = a, *y = b;
    if (x->has != y->has)
        return x->has ? -1 : 1;
    if (x->has) {
        int c = zf_frac_cmp(y->r->value, x->r->value);
        if (c)
            return c;
    }
    return (x->region > y->region) - (x->region < y->region);
}

static size_t town_bars(const zf_run *run, size_t ind, size_t part, size_t year, town_bar *out)
{
    size_t n = 0;
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator != ind || r->part != part || r->year != year || r->region <= 0)
            continue;
        if (run->defs->regions.regions[r->region].parent != 0)
            continue;   /* a deeper tree (province → cities → counties): the top's children only */
        out[n].region = r->region;
        out[n].r = r;
        out[n].has = zf_chart_result_y(r, &out[n].y);
        n++;
    }
    qsort(out, n, sizeof *out, town_cmp);
    return n;
}

static void town_labels(FILE *f, const zf_region_tree *t, const town_bar *b, size_t n)
{
    fputs("set ytics scale 0 (", f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        zf_gp_quote(f, t->regions[b[i].region].name, true);
        fprintf(f, " %zu", n - i);
    }
    fputs(")\n", f);
    for (size_t i = 0; i < n; i++) {
        char v[96];
        const char *text = b[i].has ? zf_result_value_display(b[i].r, v, sizeof v) : "无数据";
        fputs("set label ", f);
        zf_gp_quote(f, text, false);
        fputs(" at ", f);
        zf_gp_num(f, b[i].has ? b[i].y : 0);
        fprintf(f, ",%zu %s noenhanced front boxed tc %s", n - i,
                b[i].has && b[i].y < 0 ? "right offset -0.6,0" : "left offset 0.6,0",
                b[i].has ? "rgb '#333333'" : "rgb '#757575'");
        fputc('\n', f);
    }
}

static void town_block(FILE *f, const town_bar *b, size_t n)
{
    fputs("$bars << EOD\n", f);
    for (size_t i = 0; i < n; i++) {
        if (!b[i].has)
            continue;
        zf_gp_num(f, b[i].y / 2);
        fprintf(f, " %zu ", n - i);
        zf_gp_num(f, fabs(b[i].y) / 2);
        fprintf(f, " %d\n", zf_chart_outcome_rgb(zf_result_own_outcome(b[i].r)));   /* a part's own colour */
    }
    fputs("EOD\n", f);
}

static zf_chart_axis town_axis(const town_bar *b, size_t n, const town_target *tg, zf_value_kind k)
{
    double lo = 0, hi = 0;
    for (size_t i = 0; i < n; i++)
        if (b[i].has) {
            lo = fmin(lo, b[i].y);
            hi = fmax(hi, b[i].y);
        }
    if (tg->has) {
        lo = fmin(lo, tg->lo);
        hi = fmax(hi, tg->hi);
    }
    double room = (hi - lo) * 0.18; /* for the value labels beside the bars */
    /* a rate axis ends at 100%: the labels may run into the right margin */
    if (k == ZF_VALUE_RATE && hi <= 100 && hi + room > 100)
        room = 100 - hi;
    return zf_chart_nice_axis(lo < 0 ? lo - room : 0, hi + room, k == ZF_VALUE_COUNT);
}

/* The target as data: a vertical line at each bound (one for a plain target), and for a
 * range the band between them. */
static void target_blocks(FILE *f, const town_target *tg, size_t n)
{
    fputs("$target << EOD\n", f);
    for (int k = 0; k < (tg->range ? 2 : 1); k++) {
        double x = k ? tg->hi : tg->lo;
        zf_gp_num(f, x);
        fputs(" 0.4\n", f);
        zf_gp_num(f, x);
        fprintf(f, " %zu.6\n\n", n);
    }
    fputs("EOD\n", f);
    if (!tg->range)
        return;
    fputs("$band << EOD\n", f);
    zf_gp_num(f, (tg->lo + tg->hi) / 2);
    fputc(' ', f);
    zf_gp_num(f, (n + 1) / 2.0);
    fputc(' ', f);
    zf_gp_num(f, (tg->hi - tg->lo) / 2);
    fputc(' ', f);
    zf_gp_num(f, n / 2.0 + 0.1);
    fputs("\nEOD\n", f);
}

/* Band behind the bars, bars, then the target's lines on top of them (issue 16: a line
 * drawn behind was hidden by the very bars it judges). */
static void town_plot(FILE *f, const town_bar *b, size_t n, const town_target *tg)
{
    bool any = false, seen[ZF_OUTCOME_COUNT] = {false};
    for (size_t i = 0; i < n; i++)
        if (b[i].has) {
            any = true;
            seen[zf_result_own_outcome(b[i].r)] = true;
        }
    fputs("plot NaN notitle", f);
    if (tg->has && tg->range) {
        fputs(", $band using 1:2:3:4 with boxxyerror fs transparent solid 0.12 noborder lc ", f);
        zf_gp_rgb(f, ZF_C_TARGET);
        fputs(" notitle", f);
    }
    if (any)
        fputs(", $bars using 1:2:3:(0.32):4 with boxxyerror fs solid 0.85 noborder lc rgb variable notitle", f);
    static const zf_outcome keyed[] = {ZF_OUTCOME_MET, ZF_OUTCOME_NOT_MET, ZF_OUTCOME_IN_PROGRESS};
    static const char *const names[] = {"达标", "未达标", "进行中"};
    for (size_t i = 0; i < 3; i++)
        if (seen[keyed[i]]) {
            fputs(", NaN with boxes fs solid 0.85 noborder lc ", f);
            zf_gp_rgb(f, zf_chart_outcome_rgb(keyed[i]));
            fprintf(f, " title '%s'", names[i]);
        }
    if (tg->has) {
        char label[160];
        snprintf(label, sizeof label, "%s %s", tg->range ? "目标区间" : "目标", tg->label);
        fputs(", $target using 1:2 with lines dt 2 lw 2 lc ", f);
        zf_gp_rgb(f, ZF_C_TARGET);
        fputs(" title ", f);
        zf_gp_quote(f, label, false);
    }
    fputc('\n', f);
}

static const char *towns_alt(zf_arena *a, const zf_run *run, const char *title, const town_bar *b,
                             size_t n, const town_target *tg)
{
    zf_chart_text text;
    if (!zf_chart_text_open(&text))
        return NULL;
    FILE *f = text.f;
    fprintf(f, "%s，按数值从高到低：", title);
    for (size_t i = 0; i < n; i++) {
        char v[96];
        fprintf(f, "%s%s %s", i ? "、" : "", run->defs->regions.regions[b[i].region].name,
                b[i].has ? zf_result_value_display(b[i].r, v, sizeof v) : "无数据");
    }
    if (tg->has)
        fprintf(f, "；%s %s", tg->range ? "目标区间" : "目标", tg->label);
    fputs("。", f);
    return zf_chart_text_close(&text, a);
}

zf_status zf_chart_towns(zf_chart_ctx *cx, size_t ind, size_t part, size_t year, zf_error *err)
{
    const zf_run *run = cx->run;
    const zf_indicator *in = &run->defs->plan.indicators[ind];
    zf_value_kind k = in->parts[part].rule.value_kind;
    town_bar *b = calloc(run->n_results ? run->n_results : 1, sizeof *b);
    char suffix[96];
    zf_chart_text s = {0};
    size_t n = b ? town_bars(run, ind, part, year, b) : 0;
    zf_status st = ZF_OK;
    if (b && n == 0)
        goto cleanup; /* no town rows: nothing to draw */
    zf_chart *c = b ? zf_chart_add(cx->list) : NULL;
    if (!c) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (town chart)");
        goto cleanup;
    }
    c->kind = ZF_CHART_TOWNS;
    c->indicator = ind;
    c->part = part;
    c->width = ZF_CHART_W;
    c->height = 160 + 30 * (int)n;
    zf_chart_names(c, "towns", in, part);
    /* the plan's own name for the level: 乡镇街道, 设区市, 县(市、区) */
    snprintf(suffix, sizeof suffix, "：各%s%d年", run->defs->regions.sublevel ? run->defs->regions.sublevel
                                                  : "下级地区", run->defs->plan.years[year]);
    c->title = zf_chart_title(&cx->list->arena, in, part, suffix);
    /* A count's target is the city's total; only a rate's target applies to every town. */
    const zf_target *t = b[0].r->target;
    town_target tg = {0};
    tg.has = zf_chart_target_y(t, k, &tg.lo, &tg.hi);
    tg.range = tg.has && tg.hi > tg.lo;
    if (tg.has)
        zf_chart_target_label(t, tg.label, sizeof tg.label);
    c->alt = c->title ? towns_alt(&cx->list->arena, run, c->title, b, n, &tg) : NULL;
    if (!c->title || !c->alt || !zf_chart_begin(&s, cx, c)) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (town chart)");
        goto cleanup;
    }
    FILE *f = s.f;
    town_block(f, b, n);
    fprintf(f, "set yrange [0.4:%zu.6]\n", n);
    town_labels(f, &run->defs->regions, b, n);
    if (tg.has)
        target_blocks(f, &tg, n);
    zf_chart_tics(f, "x", town_axis(b, n, &tg, k), k);
    fputs("set grid xtics lc rgb '#e0e0e0'\nset key bmargin center horizontal reverse Left samplen 2 width 2\n", f);
    fputs("set rmargin 9\nset style textbox opaque noborder margins 1,1\n", f);
    town_plot(f, b, n, &tg);
    st = zf_chart_finish(cx, c, &s, err);
cleanup:
    if (s.f)
        fclose(s.f);
    free(s.buf);
    free(b);
    return st;
}
