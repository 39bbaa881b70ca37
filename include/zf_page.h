/* zf_page.h — report: index.html, one self-contained page (inline CSS and JS, no external
 * assets) that summarises the run and links its charts and downloads.  Works from file://
 * and from any static server. */
#ifndef ZF_PAGE_H
#define ZF_PAGE_H

#include <stddef.h>

#include "zf_charts.h"
#include "zf_error.h"
#include "zf_run.h"

/* Directory of the charts relative to the page: zf_charts_write is given <out>/charts. */
#define ZF_PAGE_CHARTS_DIR "charts"

/* Write dir/index.html.  charts may be NULL or empty (charts skipped: the page says so).
 * downloads are file names relative to dir (workbooks, results.csv, quality.csv,
 * rejects.csv, manifest.json), listed in the order given. */
zf_status zf_page_write(const zf_run *run, const char *dir, const zf_chart_list *charts,
                        const char *const *downloads, size_t n_downloads, zf_error *err);

#endif
