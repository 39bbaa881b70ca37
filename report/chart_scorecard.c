/* chart_scorecard.c — the scorecard: per responsible unit, how many of its indicators were
 * met, not met, without data, in progress or without a target in the judged year, as one
 * stacked bar each, and its alt text. */
#include "charts_internal.h"

#include <stdlib.h>
#include <string.h>

/* The last slot, an indicator without a target this year (Dazhou), keeps the bars adding
 * up to the page's count; it gets a key entry only when some unit has one. */
#define N_SCORE 5
#define SCORE_UNTARGETED 4
static const zf_outcome score_outcomes[N_SCORE] = {ZF_OUTCOME_MET, ZF_OUTCOME_NOT_MET,
                                                   ZF_OUTCOME_NO_DATA, ZF_OUTCOME_IN_PROGRESS,
                                                   ZF_OUTCOME_NONE};
static const char *const score_names[N_SCORE] = {"达标", "未达标", "无数据", "进行中", "未设目标"};

/* Not judged is no status: a muted blue-grey, apart from 无数据's grey and from every
 * status colour (the neutral blue read like one more category). */
static int score_rgb(int slot)
{
    return slot == SCORE_UNTARGETED ? 0x90A4AE : zf_chart_outcome_rgb(score_outcomes[slot]);
}

typedef struct unit_score {
    const char *unit;
    int count[N_SCORE];
    int total;
} unit_score;

static int score_slot(zf_outcome o)
{
    for (int i = 0; i < N_SCORE; i++)
        if (score_outcomes[i] == o)
            return i;
    return -1;
}

static size_t unit_index(unit_score *u, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(u[i].unit, name) == 0)
            return i;
    u[*n].unit = name;
    return (*n)++;
}

/* Every indicator counts once for each of its responsible units, in plan order, by its
 * combined verdict (parts nested, as the page and the workbook count them). */
static size_t score_units(const zf_run *run, size_t year, unit_score *u)
{
    const zf_plan *plan = &run->defs->plan;
    size_t n = 0;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        int slot = score_slot(zf_run_indicator_outcome(run, i, year, 0));
        for (size_t k = 0; k < plan->indicators[i].n_units; k++) {
            size_t x = unit_index(u, &n, plan->indicators[i].units[k]);
            if (slot >= 0) {
                u[x].count[slot]++;
                u[x].total++;
            }
        }
    }
    return n;
}

static void score_segments(FILE *f, const unit_score *u, size_t n)
{
    for (int s = 0; s < N_SCORE; s++) {
        fprintf(f, "$s%d << EOD\n", s);
        for (size_t i = 0; i < n; i++) {
            int x0 = 0, c = u[i].count[s];
            for (int k = 0; k < s; k++)
                x0 += u[i].count[k];
            if (!c)
                continue;
            /* box centre and half width; the count is printed in the middle of the box */
            zf_gp_num(f, x0 + c / 2.0);
            fprintf(f, " %zu ", n - i);
            zf_gp_num(f, c / 2.0);
            fprintf(f, " %d\n", c);
        }
        fputs("EOD\n", f);
    }
}

static void score_plot(FILE *f, const unit_score *u, size_t n)
{
    int max = 1;
    fputs("set ytics scale 0 (", f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        zf_gp_quote(f, u[i].unit, true);
        fprintf(f, " %zu", n - i);
        max = u[i].total > max ? u[i].total : max;
    }
    fprintf(f, ")\nset yrange [0.4:%zu.6]\n", n);
    zf_chart_tics(f, "x", zf_chart_nice_axis(0, max, true), ZF_VALUE_COUNT);
    fputs("set grid xtics lc rgb '#e0e0e0'\nset key bmargin center horizontal reverse Left samplen 2 width 2\nplot NaN notitle", f);
    bool untargeted = false;
    for (size_t i = 0; i < n; i++)
        untargeted = untargeted || u[i].count[SCORE_UNTARGETED] > 0;
    for (int s = 0; s < N_SCORE; s++) {
        if (s == SCORE_UNTARGETED && !untargeted)
            continue;
        fprintf(f, ", $s%d using 1:2:3:(0.32) with boxxyerror fs solid 0.9 noborder lc ", s);
        zf_gp_rgb(f, score_rgb(s));
        fprintf(f, " notitle, $s%d using 1:2:4 with labels tc rgb '#ffffff' notitle", s);
        fputs(", NaN with boxes fs solid 0.9 noborder lc ", f);
        zf_gp_rgb(f, score_rgb(s));
        fprintf(f, " title '%s'", score_names[s]);
    }
    fputc('\n', f);
}

/* A unit's bar counts each indicator it shares with another unit, so the bars add up to
 * more than the plan's total; the chart says so. */
#define SHARED_NOTE "多单位共同负责的指标在每个单位各计一次，各单位合计多于指标总数"

static const char *score_alt(zf_arena *a, const char *title, const char *note, const unit_score *u,
                             size_t n)
{
    zf_chart_text text;
    if (!zf_chart_text_open(&text))
        return NULL;
    FILE *f = text.f;
    fprintf(f, "%s%s%s：", title, *note ? "，" : "", note);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s%s", i ? "；" : "", u[i].unit);
        for (int s = 0; s < N_SCORE; s++)
            if (s != SCORE_UNTARGETED || u[i].count[s])
                fprintf(f, " %s%d", score_names[s], u[i].count[s]);
    }
    fputs("。", f);
    return zf_chart_text_close(&text, a);
}

zf_status zf_chart_scorecard(zf_chart_ctx *cx, size_t year, zf_error *err)
{
    const zf_run *run = cx->run;
    const zf_plan *plan = &run->defs->plan;
    size_t cap = 1;
    for (size_t i = 0; i < plan->n_indicators; i++)
        cap += plan->indicators[i].n_units;
    unit_score *u = calloc(cap, sizeof *u);
    char title[192];
    zf_chart_text s = {0};
    size_t n = u ? score_units(run, year, u) : 0;
    zf_status st = ZF_OK;
    if (u && n == 0)
        goto cleanup;
    zf_chart *c = u ? zf_chart_add(cx->list) : NULL;
    if (!c) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (scorecard)");
        goto cleanup;
    }
    c->kind = ZF_CHART_SCORECARD;
    c->width = ZF_CHART_W;
    c->height = 160 + 34 * (int)n;
    snprintf(c->png, sizeof c->png, "scorecard.png");
    snprintf(c->svg, sizeof c->svg, "scorecard.svg");
    /* the total is the page's and the workbook's; a shared indicator shows in each unit's bar */
    bool shared = cap > plan->n_indicators + 1;
    snprintf(title, sizeof title, "各责任单位指标完成情况（%d年，共%zu项）", plan->years[year],
             plan->n_indicators);
    c->title = zf_arena_strdup(&cx->list->arena, title);
    c->alt = score_alt(&cx->list->arena, title, shared ? SHARED_NOTE : "", u, n);
    if (!c->title || !c->alt || !zf_chart_begin(&s, cx, c)) {
        st = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory (scorecard)");
        goto cleanup;
    }
    FILE *f = s.f;
    if (shared) {
        /* under the title, not in it: at 15 pt the whole sentence ran off the chart's right edge */
        fputs("set tmargin 5\nset title offset 0,1\nset label 1 ", f);
        zf_gp_quote(f, SHARED_NOTE, false);
        fputs(" at graph 0.5, graph 1 offset 0,0.9 center noenhanced font '" ZF_CHART_FONT ",11' tc rgb '#555555'\n", f);
    }
    score_segments(f, u, n);
    score_plot(f, u, n);
    st = zf_chart_finish(cx, c, &s, err);
cleanup:
    if (s.f)
        fclose(s.f);
    free(s.buf);
    free(u);
    return st;
}
