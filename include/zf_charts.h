/* zf_charts.h — report: the run's charts, drawn by gnuplot (PNG via pngcairo, SVG).
 *
 * gnuplot is started with posix_spawn and gets its script on a pipe; data-derived text
 * only ever appears inside single-quoted gnuplot strings and the numbers are formatted
 * here, so neither a hostile indicator name nor the locale can change what is drawn.
 * The same run gives byte-identical files. */
#ifndef ZF_CHARTS_H
#define ZF_CHARTS_H

#include <stddef.h>

#include "zf_arena.h"
#include "zf_error.h"
#include "zf_run.h"

typedef enum zf_chart_kind {
    ZF_CHART_TREND,      /* actual vs target over the computed years, top region */
    ZF_CHART_TOWNS,      /* per town, horizontal bars: the latest computed year in which
                            some town has a value (the title names the year) */
    ZF_CHART_SCORECARD   /* outcomes per responsible unit, latest year */
} zf_chart_kind;

typedef struct zf_chart {
    zf_chart_kind kind;
    size_t indicator;    /* index into plan.indicators (TREND, TOWNS) */
    size_t part;         /* index into the indicator's parts (TREND, TOWNS) */
    char png[64];        /* file names relative to the charts directory: */
    char svg[64];        /*   "trend-7-1.png", "towns-8.svg", "scorecard.svg" */
    const char *title;   /* Chinese, as drawn on the chart */
    const char *alt;     /* what the chart says, in words, for <img alt> */
    int width, height;   /* pixels of the PNG (the SVG has the same size) */
} zf_chart;

/* Filled by zf_charts_write, in page order (scorecard first, then by indicator, part). */
typedef struct zf_chart_list {
    zf_arena arena;      /* titles and alt texts */
    zf_chart *items;
    size_t n, cap;
} zf_chart_list;

void zf_chart_list_init(zf_chart_list *list);
void zf_chart_list_free(zf_chart_list *list);

/* Write every chart of run into dir (which must exist) and list them in out (initialised
 * by the caller).  gnuplot_path NULL looks for "gnuplot" in PATH.  If gnuplot cannot be
 * started, returns ZF_ERR_EXTERNAL with "gnuplot not found: charts skipped" and out is
 * empty, so the caller can publish everything else; a gnuplot failure is also
 * ZF_ERR_EXTERNAL, with gnuplot's first error line in the message. */
ZF_MUST_CHECK zf_status zf_charts_write(const zf_run *run, const char *dir, const char *gnuplot_path,
                          zf_chart_list *out, zf_error *err);

/* The plan-year index the scorecard, the town charts and the page report on: the last
 * computed year.  SIZE_MAX when nothing was computed. */
size_t zf_charts_latest_year(const zf_run *run);

#endif
