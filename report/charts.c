/* charts.c — the run's charts as a whole: the list the page shows, the numbers of the run
 * as every chart draws them (rates in percent, targets, axes with our own tic labels), the
 * frame each script opens and closes with, and the order in which they are made.
 *
 * zf_charts_write builds every chart's script first (the kinds live in chart_trend.c,
 * chart_towns.c and chart_scorecard.c), then has them drawn by a few long-lived gnuplot
 * processes (gnuplot.c), PNG and SVG from one script, then writes each SVG's title
 * (gnuplot's svg terminal calls every file "Gnuplot" and takes no other title).
 * Numbers are formatted here and in gnuplot.c, not by printf's locale-dependent %f, so the
 * bytes of a chart depend on the run alone. */
#include "charts_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the list ------------------------------------------------------------------- */

void zf_chart_list_init(zf_chart_list *list)
{
    zf_arena_init(&list->arena, 16 * 1024);
    list->items = NULL;
    list->n = list->cap = 0;
}

void zf_chart_list_free(zf_chart_list *list)
{
    zf_arena_free(&list->arena);
    free(list->items);
    list->items = NULL;
    list->n = list->cap = 0;
}

zf_chart *zf_chart_add(zf_chart_list *list)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 32;
        zf_chart *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return NULL;
        list->items = items;
        list->cap = cap;
    }
    zf_chart *c = &list->items[list->n++];
    memset(c, 0, sizeof *c);
    return c;
}

size_t zf_charts_latest_year(const zf_run *run)
{
    return run->n_years ? run->years[run->n_years - 1] : SIZE_MAX;
}

/* ---- text built in memory --------------------------------------------------------- */

bool zf_chart_text_open(zf_chart_text *t)
{
    t->buf = NULL;
    t->len = 0;
    t->f = open_memstream(&t->buf, &t->len);
    return t->f != NULL;
}

const char *zf_chart_text_close(zf_chart_text *t, zf_arena *a)
{
    bool bad = !t->f || ferror(t->f) != 0;
    if (t->f && fclose(t->f) != 0)
        bad = true;
    const char *out = bad || !t->buf ? NULL : zf_arena_strdup(a, t->buf);
    free(t->buf);
    t->f = NULL;
    t->buf = NULL;
    return out;
}

/* ---- numbers of the run --------------------------------------------------------- */

bool zf_chart_numeric(zf_value_kind k)
{
    return k == ZF_VALUE_RATE || k == ZF_VALUE_AMOUNT || k == ZF_VALUE_COUNT;
}

double zf_chart_y(zf_frac v, zf_value_kind k)
{
    double y = zf_frac_to_double(v);
    return k == ZF_VALUE_RATE ? y * 100.0 : y;
}

bool zf_chart_result_y(const zf_result *r, double *y)
{
    if (!r || !r->has_value || !zf_chart_numeric(r->kind))
        return false;
    *y = zf_chart_y(r->value, r->kind);
    return true;
}

static double target_number(int64_t num, int64_t den, zf_value_kind k)
{
    zf_frac f = {den < 0 ? -num : num, den < 0 ? -den : den};
    return zf_chart_y(f, k);
}

bool zf_chart_target_y(const zf_target *t, zf_value_kind k, double *y, double *hi)
{
    if (!t || !t->cell || t->op == ZF_TARGET_WORD || t->den == 0)
        return false;
    *y = target_number(t->num, t->den, k);
    *hi = t->has_upper && t->upper_den ? target_number(t->upper_num, t->upper_den, k) : *y;
    return true;
}

const char *zf_chart_target_label(const zf_target *t, char *buf, size_t size)
{
    /* a plan that writes its sign, or a range, already says which way; an unsigned cell
     * ("82%", Zhejiang's lower-is-better "0.9%") does not */
    static const char *const sign[] = {[ZF_TARGET_GE] = "≥", [ZF_TARGET_GT] = ">", [ZF_TARGET_LT] = "<",
                                       [ZF_TARGET_LE] = "≤", [ZF_TARGET_WORD] = ""};
    const char *s = t->explicit_op || t->has_upper || t->series ? "" : sign[t->op];
    snprintf(buf, size, "%s%s", s, t->cell ? t->cell : "");
    return buf;
}

const zf_result *zf_chart_find_result(const zf_run *run, size_t ind, size_t part, size_t year,
                                      int region)
{
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == ind && r->part == part && r->year == year && r->region == region)
            return r;
    }
    return NULL;
}

const zf_target *zf_chart_year_target(const zf_run *run, const zf_result *r, size_t ind, size_t year)
{
    if (r && r->target)
        return r->target;
    const zf_indicator *in = &run->defs->plan.indicators[ind];
    return in->targets ? &in->targets[year] : NULL;
}

int zf_chart_outcome_rgb(zf_outcome o)
{
    switch (o) {
    case ZF_OUTCOME_MET: return ZF_C_MET;
    case ZF_OUTCOME_NOT_MET: return ZF_C_NOT_MET;
    case ZF_OUTCOME_IN_PROGRESS: return ZF_C_PROGRESS;
    case ZF_OUTCOME_NO_DATA: return ZF_C_NO_DATA;
    default: return ZF_C_NEUTRAL;
    }
}

/* ---- axes ----------------------------------------------------------------------- */

zf_chart_axis zf_chart_nice_axis(double lo, double hi, bool integral)
{
    zf_chart_axis a;
    if (!(hi > lo)) {
        double pad = fabs(hi) > 0 ? fabs(hi) * 0.1 : 1.0;
        lo -= pad;
        hi += pad;
    }
    double raw = (hi - lo) / 5.0;
    double mag = pow(10.0, floor(log10(raw)));
    double norm = raw / mag;
    a.step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    if (integral && a.step < 1)
        a.step = 1;
    a.lo = floor(lo / a.step + 1e-9) * a.step;
    a.hi = ceil(hi / a.step - 1e-9) * a.step;
    a.places = a.step >= 1 ? 0 : (int)ceil(-log10(a.step) - 1e-9);
    if (a.places > 6)
        a.places = 6;
    return a;
}

void zf_chart_tics(FILE *f, const char *which, zf_chart_axis a, zf_value_kind k)
{
    fprintf(f, "set %srange [", which);
    zf_gp_num(f, a.lo);
    fputc(':', f);
    zf_gp_num(f, a.hi);
    fprintf(f, "]\nset %stics (", which);
    int n = (int)llround((a.hi - a.lo) / a.step);
    for (int i = 0; i <= n && i <= 50; i++) {
        double v = a.lo + a.step * i;
        char b[64], label[72];
        zf_gp_fmt_num(v, a.places, k != ZF_VALUE_RATE, b, sizeof b);
        snprintf(label, sizeof label, "%s%s", b, k == ZF_VALUE_RATE ? "%" : "");
        if (i)
            fputs(", ", f);
        zf_gp_quote(f, label, true);
        fputc(' ', f);
        zf_gp_num(f, v);
    }
    fputs(")\n", f);
}

/* ---- one chart: names, title and the frame around its commands ---------------------- */

const char *zf_chart_title(zf_arena *a, const zf_indicator *in, size_t part, const char *suffix)
{
    const char *pn = in->n_parts > 1 ? in->parts[part].name : "";
    size_t n = strlen(in->name) + strlen(pn) + strlen(suffix) + 48;
    char *t = zf_arena_alloc(a, n);
    if (t)
        snprintf(t, n, "%d. %s%s%s%s%s", in->number, in->name, *pn ? "（" : "", pn, *pn ? "）" : "",
                 suffix);
    return t;
}

void zf_chart_names(zf_chart *c, const char *kind, const zf_indicator *in, size_t part)
{
    if (in->n_parts > 1) {
        snprintf(c->png, sizeof c->png, "%s-%d-%zu.png", kind, in->number, part + 1);
        snprintf(c->svg, sizeof c->svg, "%s-%d-%zu.svg", kind, in->number, part + 1);
    } else {
        snprintf(c->png, sizeof c->png, "%s-%d.png", kind, in->number);
        snprintf(c->svg, sizeof c->svg, "%s-%d.svg", kind, in->number);
    }
}

bool zf_chart_begin(zf_chart_text *s, const zf_chart_ctx *cx, const zf_chart *c)
{
    if (!zf_chart_text_open(s))
        return false;
    FILE *f = s->f;
    fputs("set encoding utf8\n", f);
    fprintf(f, "set terminal pngcairo size %d,%d font '" ZF_CHART_FONT ",13' noenhanced background '#ffffff'\n",
            c->width, c->height);
    fputs("set output ", f);
    zf_gp_path(f, cx->dir, c->png);
    fputs("\nset title ", f);
    zf_gp_quote(f, c->title, false);
    fputs(" noenhanced font '" ZF_CHART_FONT ",15'\n", f);
    fputs("set border 3 lc rgb '#555555'\nset tics nomirror\n", f);
    fputs("set key noenhanced\n", f);
    return true;
}

zf_status zf_chart_finish(zf_chart_ctx *cx, const zf_chart *c, zf_chart_text *s, zf_error *err)
{
    FILE *f = s->f;
    fprintf(f, "\nset terminal svg size %d,%d font '" ZF_CHART_FONT ",13' noenhanced background '#ffffff'\n",
            c->width, c->height);
    fputs("set output ", f);
    zf_gp_path(f, cx->dir, c->svg);
    fputs("\nreplot\n", f);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad) {
        s->f = NULL;
        return zf_error_set(err, ZF_ERR_NOMEM, c->png, 0, 0, "cannot build the gnuplot script");
    }
    s->f = NULL;
    if (cx->n_jobs == cx->cap_jobs) {
        size_t cap = cx->cap_jobs ? cx->cap_jobs * 2 : 32;
        zf_gp_job *jobs = realloc(cx->jobs, cap * sizeof *jobs);
        if (!jobs)
            return zf_error_set(err, ZF_ERR_NOMEM, c->png, 0, 0, "out of memory (chart script)");
        cx->jobs = jobs;
        cx->cap_jobs = cap;
    }
    cx->jobs[cx->n_jobs++] = (zf_gp_job){s->buf, s->len, c->png};
    s->buf = NULL;   /* the job owns the script now */
    return ZF_OK;
}

/* ---- all charts ----------------------------------------------------------------- */

/* The year a town chart shows: the last closed year in which some town has a value (its
 * bars carry verdicts: who lagged), else the latest year with one (only the current year
 * computed, or an annual figure not in yet); SIZE_MAX when no town ever has a value. */
static size_t towns_year(const zf_run *run, size_t ind, size_t part)
{
    size_t open_year = SIZE_MAX;
    for (size_t j = run->n_years; j-- > 0;)
        for (size_t i = 0; i < run->n_results; i++) {
            const zf_result *r = &run->results[i];
            if (r->indicator != ind || r->part != part || r->year != run->years[j] ||
                r->region <= 0 || !r->has_value)
                continue;
            if (!zf_run_year_open(run, run->years[j]))
                return run->years[j];
            if (open_year == SIZE_MAX)
                open_year = run->years[j];
            break;
        }
    return open_year;
}

static ZF_MUST_CHECK zf_status indicator_charts(zf_chart_ctx *cx, size_t ind, zf_error *err)
{
    const zf_indicator *in = &cx->run->defs->plan.indicators[ind];
    zf_status st = ZF_OK;
    for (size_t p = 0; p < in->n_parts && st == ZF_OK; p++) {
        const zf_rule *rule = &in->parts[p].rule;
        if (!zf_chart_numeric(rule->value_kind))
            continue;
        st = zf_chart_trend(cx, ind, p, err);
        size_t year = rule->by_region ? towns_year(cx->run, ind, p) : SIZE_MAX;
        if (st == ZF_OK && year != SIZE_MAX)   /* no town chart of 无数据 only (issue 16) */
            st = zf_chart_towns(cx, ind, p, year, err);
    }
    return st;
}

/* Every script, in page order. */
static ZF_MUST_CHECK zf_status build_scripts(zf_chart_ctx *cx, zf_error *err)
{
    const zf_run *run = cx->run;
    size_t latest = zf_charts_latest_year(run);
    if (latest == SIZE_MAX)
        return ZF_OK; /* no year computed: nothing to draw */
    /* the scorecard judges: mid-year that is the last closed year, not a row of 进行中 */
    size_t judged = latest;
    for (size_t k = run->n_years; k-- > 0 && zf_run_year_open(run, judged);)
        if (!zf_run_year_open(run, run->years[k]))
            judged = run->years[k];
    zf_status st = zf_chart_scorecard(cx, judged, err);
    for (size_t i = 0; i < run->defs->plan.n_indicators && st == ZF_OK; i++)
        st = indicator_charts(cx, i, err);
    return st;
}

static ZF_MUST_CHECK zf_status write_svg_titles(const zf_chart_ctx *cx, zf_error *err)
{
    zf_status st = ZF_OK;
    for (size_t i = 0; i < cx->list->n && st == ZF_OK; i++) {
        const zf_chart *c = &cx->list->items[i];
        size_t n = strlen(cx->dir) + strlen(c->svg) + 2;
        char *path = malloc(n);
        if (!path)
            return zf_error_set(err, ZF_ERR_NOMEM, c->svg, 0, 0, "out of memory");
        snprintf(path, n, "%s/%s", cx->dir, c->svg);
        st = zf_gp_svg_title(path, c->title, err);
        free(path);
    }
    return st;
}

zf_status zf_charts_write(const zf_run *run, const char *dir, const char *gnuplot_path,
                          zf_chart_list *out, zf_error *err)
{
    zf_chart_ctx cx = {.run = run, .dir = dir, .list = out};
    zf_status st = build_scripts(&cx, err);
    if (st == ZF_OK)
        st = zf_gp_run_jobs(gnuplot_path ? gnuplot_path : "gnuplot", cx.jobs, cx.n_jobs,
                            zf_gp_procs(cx.n_jobs), err);
    if (st == ZF_OK)
        st = write_svg_titles(&cx, err);
    for (size_t i = 0; i < cx.n_jobs; i++)
        free((char *)cx.jobs[i].script);
    free(cx.jobs);
    if (st != ZF_OK)
        out->n = 0; /* a half-drawn set is not published: the page says charts were skipped */
    return st;
}
