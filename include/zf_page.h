/* zf_page.h — report: index.html, one self-contained page (inline CSS, JS and SVG charts,
 * no external assets) that says how the plan is doing (the closed year's result, the
 * running year's forecast, by unit and by town), shows the charts and links the
 * downloads.  Works from file://, from any static server and forwarded alone. */
#ifndef ZF_PAGE_H
#define ZF_PAGE_H

#include <stddef.h>

#include "zf_charts.h"
#include "zf_error.h"
#include "zf_run.h"

/* Directory of the charts relative to the page: zf_charts_write is given <out>/charts. */
#define ZF_PAGE_CHARTS_DIR "charts"

/* Write dir/index.html.  charts may be NULL or empty (charts skipped: the page says so);
 * otherwise each chart's SVG is read from dir/charts, where zf_charts_write must have
 * written it first, and embedded in the page.
 * downloads are file names relative to dir (workbooks, results.csv, quality.csv,
 * rejects.csv, manifest.json), listed in the order given. */
ZF_MUST_CHECK zf_status zf_page_write(const zf_run *run, const char *dir, const zf_chart_list *charts,
                        const char *const *downloads, size_t n_downloads, zf_error *err);

#endif
