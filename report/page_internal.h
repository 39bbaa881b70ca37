/* page_internal.h — what the parts of index.html share, and nothing outside report/page*.c
 * uses: escaping, the status classes, the order that puts laggards first, and the years the
 * page reports on.  page.c assembles the page; page_head.c owns its head, style sheet and
 * header; page_summary.c the headline, the table by unit and the town matrix; page_svg.c
 * the charts, embedded. */
#ifndef ZF_PAGE_INTERNAL_H
#define ZF_PAGE_INTERNAL_H

#include <stddef.h>
#include <stdio.h>

#include "zf_charts.h"
#include "zf_error.h"
#include "zf_run.h"

/* s HTML-escaped (& < > " '), for text and attribute values alike. */
void zf_page_html(FILE *f, const char *s);
/* prefix + name as a relative URL: ASCII other than [A-Za-z0-9._~/-] percent-encoded. */
void zf_page_url(FILE *f, const char *prefix, const char *name);

/* "met", "notmet", "progress", "nodata": the colour of a status. */
const char *zf_page_outcome_class(zf_outcome o);
/* The class of a verdict as the reader should take it: a 进行中 row foreseen to fail is
 * coloured as behind ("behind"), one foreseen to pass as on track ("ontrack"). */
const char *zf_page_status_class(zf_outcome o, zf_outcome provisional);
/* The sort key of a status, ascending = laggards first: 未达标, 预计未达标, 无数据 because
 * of bad or missing input, 进行中 not foreseen, 无数据 not yet due, 预计达标, 达标, not
 * judged.  The two provisional outcomes are never equal. */
int zf_page_status_rank(zf_outcome o, zf_outcome provisional, zf_nodata_reason why);

/* The row of an indicator's part at the plan's top region, or NULL. */
const zf_result *zf_page_top_result(const zf_run *run, size_t ind, size_t part, size_t year);
/* An indicator's verdict at the top region and, when 进行中, its provisional one (the
 * combination of its parts, as results carry it on part 0). */
zf_outcome zf_page_indicator(const zf_run *run, size_t ind, size_t year, zf_outcome *provisional);

/* The years the page reports on: latest is the last computed one; closed the last computed
 * one that is over (SIZE_MAX when none), which is latest itself once its year has ended. */
typedef struct zf_page_years {
    size_t latest, closed;
} zf_page_years;
zf_page_years zf_page_years_of(const zf_run *run);

void zf_page_write_head(FILE *f, const zf_run *run);
void zf_page_write_header(FILE *f, const zf_run *run, const zf_page_years *y);

void zf_page_write_summary(FILE *f, const zf_run *run, const zf_page_years *y);
void zf_page_write_units(FILE *f, const zf_run *run, const zf_page_years *y);
void zf_page_write_towns(FILE *f, const zf_run *run, const zf_page_years *y);

/* The charts section with every chart's SVG read from dir/charts and embedded (ids
 * scoped per chart), so that the page alone, forwarded, keeps its charts.  charts NULL
 * or empty: the section says none were drawn.  A chart file that cannot be read or is
 * not one the writer would produce is named in its place; it never fails the page. */
void zf_page_write_charts(FILE *f, const char *dir, const zf_chart_list *charts);

#endif
