/* charts_internal.h — what the chart files share, private to report/.
 *
 * report/gnuplot.c owns the gnuplot processes and the script text that no chart decides
 * (quoting, numbers, colours); report/charts.c owns the chart list, the numbers of the run
 * as a chart draws them (percent for rates, targets, axes), the frame every script opens
 * with, and the order in which charts are made and drawn; chart_trend.c, chart_towns.c and
 * chart_scorecard.c each build one kind of chart: its data blocks, its plot command and
 * the alt text that says the same in words.  A chart kind queues its script with
 * zf_chart_finish; nothing is drawn until every script is built. */
#ifndef ZF_CHARTS_INTERNAL_H
#define ZF_CHARTS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "zf_charts.h"

#define ZF_CHART_FONT "Noto Sans CJK SC"
#define ZF_CHART_W 800
#define ZF_C_ACTUAL 0x1f5fa8
#define ZF_C_TARGET 0xc0392b
#define ZF_C_MET 0x2e7d32
#define ZF_C_NOT_MET 0xc62828
#define ZF_C_NO_DATA 0x9e9e9e
#define ZF_C_PROGRESS 0xe08a00
#define ZF_C_NEUTRAL 0x1f5fa8

/* ---- gnuplot.c: the processes ------------------------------------------------------ */

/* One chart's script, drawn by whichever process is free; `what` names it in errors. */
typedef struct zf_gp_job {
    const char *script;
    size_t len;
    const char *what;
} zf_gp_job;

/* Draw every job with up to n_procs long-lived gnuplot processes (gp: a path or a name
 * looked up in PATH).  Each job starts from `reset session`, so its files do not depend on
 * which process drew it or after what.  The first failing job gives the error, naming it
 * with gnuplot's first error line; "gnuplot not found: charts skipped" when gp cannot be
 * started. */
ZF_MUST_CHECK zf_status zf_gp_run_jobs(const char *gp, const zf_gp_job *jobs, size_t n, size_t n_procs,
                         zf_error *err);

/* How many processes to draw n jobs with: $ZF_THREADS, else the online processors. */
size_t zf_gp_procs(size_t n);

/* Replace the <title> gnuplot writes into the SVG file at path ("Gnuplot") by title. */
ZF_MUST_CHECK zf_status zf_gp_svg_title(const char *path, const char *title, zf_error *err);

/* ---- gnuplot.c: script text -------------------------------------------------------- */

/* s as a single-quoted gnuplot string; tic: a tic label, where % must be doubled. */
void zf_gp_quote(FILE *f, const char *s, bool tic);
/* dir/name, quoted. */
void zf_gp_path(FILE *f, const char *dir, const char *name);
/* x with `places` decimals (0–9), optionally with thousands separators, whatever the locale. */
char *zf_gp_fmt_num(double x, int places, bool group, char *buf, size_t size);
/* A coordinate: six decimals. */
void zf_gp_num(FILE *f, double x);
void zf_gp_rgb(FILE *f, int rgb);

/* ---- charts.c: text built in memory ------------------------------------------------ */

typedef struct zf_chart_text {
    FILE *f;
    char *buf;
    size_t len;
} zf_chart_text;

bool zf_chart_text_open(zf_chart_text *t);
/* The text written to t->f, copied into a (NULL if anything failed); t is released. */
const char *zf_chart_text_close(zf_chart_text *t, zf_arena *a);

/* ---- charts.c: numbers of the run --------------------------------------------------- */

typedef struct zf_chart_axis {
    double lo, hi, step;
    int places;
} zf_chart_axis;

bool zf_chart_numeric(zf_value_kind k);
/* Rates are drawn in percent. */
double zf_chart_y(zf_frac v, zf_value_kind k);
bool zf_chart_result_y(const zf_result *r, double *y);
/* The target's number and its upper bound: hi = y except for a range ("1～6"). */
bool zf_chart_target_y(const zf_target *t, zf_value_kind k, double *y, double *hi);
/* The published cell with its direction: "≥82%", "≤0.9%", ">18", a range as written. */
const char *zf_chart_target_label(const zf_target *t, char *buf, size_t size);
const zf_result *zf_chart_find_result(const zf_run *run, size_t ind, size_t part, size_t year,
                                      int region);
/* The row's own target, else the indicator's for that year. */
const zf_target *zf_chart_year_target(const zf_run *run, const zf_result *r, size_t ind, size_t year);
int zf_chart_outcome_rgb(zf_outcome o);
/* Round [lo, hi] out to about five steps of 1, 2 or 5 × 10^k. */
zf_chart_axis zf_chart_nice_axis(double lo, double hi, bool integral);
/* `set xrange`/`set xtics (...)` (which = "x" or "y") with our own labels: "80%", "12,000". */
void zf_chart_tics(FILE *f, const char *which, zf_chart_axis a, zf_value_kind k);

/* ---- charts.c: one chart ------------------------------------------------------------ */

typedef struct zf_chart_ctx {
    const zf_run *run;
    const char *dir;
    zf_chart_list *list;
    zf_gp_job *jobs;      /* one per chart in list, in the same order */
    size_t n_jobs, cap_jobs;
} zf_chart_ctx;

/* A new entry at the end of the list (zeroed), NULL without memory. */
zf_chart *zf_chart_add(zf_chart_list *list);
/* "7. 困难群众探访关爱率（探访关爱率）" + suffix, in the list's arena. */
const char *zf_chart_title(zf_arena *a, const zf_indicator *in, size_t part, const char *suffix);
/* "trend-7-1.png"/".svg", "towns-8.png"/".svg". */
void zf_chart_names(zf_chart *c, const char *kind, const zf_indicator *in, size_t part);
/* The script of chart c so far (terminal, output, title, frame): the kind adds its data and
 * its plot command, then calls zf_chart_finish. */
bool zf_chart_begin(zf_chart_text *s, const zf_chart_ctx *cx, const zf_chart *c);
/* Close c's script (the SVG of the same plot) and queue it to be drawn. */
ZF_MUST_CHECK zf_status zf_chart_finish(zf_chart_ctx *cx, const zf_chart *c, zf_chart_text *s, zf_error *err);

/* ---- the chart kinds ---------------------------------------------------------------- */

ZF_MUST_CHECK zf_status zf_chart_trend(zf_chart_ctx *cx, size_t ind, size_t part, zf_error *err);
ZF_MUST_CHECK zf_status zf_chart_towns(zf_chart_ctx *cx, size_t ind, size_t part, size_t year, zf_error *err);
ZF_MUST_CHECK zf_status zf_chart_scorecard(zf_chart_ctx *cx, size_t year, zf_error *err);

#endif
