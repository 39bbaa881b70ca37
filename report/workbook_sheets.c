/* workbook_sheets.c — the sheets of the workbook that look across years and towns:
 * 历年趋势 (the table), 趋势图 (its native line charts) and 乡镇街道 (values coloured by
 * status). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workbook_internal.h"

/* ---- 历年趋势 ------------------------------------------------------------------- */

enum { TR_HEADER = 2, TR_FIRST_YEAR_COL = 3 };
enum { CH_WIDTH = 480, CH_HEIGHT = 288, CH_ROWS = 16, CH_GAP = 16 };

/* Where one indicator's rows are, for its chart. */
typedef struct trend_rows {
    lxw_row_t target;
    lxw_row_t actual[8];  /* one per part (Yuyao has at most two) */
    size_t n_parts;
} trend_rows;

/* A no-value year is a blank cell, not "—": a line chart would plot text as zero. */
static void trend_value(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_result *r)
{
    if (r && r->has_value) wb_value(s, row, col, r);
    else wb_text(s, row, col, "", s->c->f.text);
}

static void trend_label(wb_sheet *s, lxw_row_t row, const char *what, const zf_indicator *in, size_t p)
{
    char buf[256];
    const char *pn = in->parts[p].name;
    if (in->n_parts > 1 && pn && pn[0]) snprintf(buf, sizeof buf, "%s：%s", what, pn);
    else snprintf(buf, sizeof buf, "%s", what);
    wb_text(s, row, 1, "", s->c->f.text);
    wb_text(s, row, 2, buf, s->c->f.text);
    wb_text(s, row, 0, "", s->c->f.text);
}

/* Target row, then an actual-value row and a status row per part. */
static lxw_row_t trend_indicator(wb_sheet *s, lxw_row_t row, size_t ind, trend_rows *tr)
{
    const wb_ctx *c = s->c;
    const zf_indicator *in = &c->plan->indicators[ind];
    wb_seq(s, row, 0, in->number);
    wb_text(s, row, 1, in->name, c->f.wrap);
    wb_text(s, row, 2, "目标", c->f.text);
    tr->target = row;
    /* the number with its direction, as 总览 shows it ("<0.9%", not "0.90%") */
    for (size_t y = 0; y < c->run->n_years; y++)
        wb_target_number(s, row, (lxw_col_t)(TR_FIRST_YEAR_COL + y), &in->targets[c->run->years[y]]);
    row++;
    tr->n_parts = in->n_parts < 8 ? in->n_parts : 8;
    for (size_t p = 0; p < tr->n_parts; p++) {
        trend_label(s, row, "实际值", in, p);
        trend_label(s, row + 1, "状态", in, p);
        tr->actual[p] = row;
        for (size_t y = 0; y < c->run->n_years; y++) {
            const zf_result *r = wb_find(c->run, ind, p, c->run->years[y], 0);
            lxw_col_t col = (lxw_col_t)(TR_FIRST_YEAR_COL + y);
            trend_value(s, row, col, r);
            wb_text(s, row + 1, col, wb_status(r), c->f.center);
        }
        wb_status_cf(s, row + 1, TR_FIRST_YEAR_COL, row + 1,
                     (lxw_col_t)(TR_FIRST_YEAR_COL + c->run->n_years - 1));
        row += 2;
    }
    return row;
}

static lxw_chart_series *add_series(const wb_ctx *c, lxw_chart *ch, const char *sheet, lxw_row_t row,
                                    const char *name, lxw_chart_line *line)
{
    lxw_col_t last = (lxw_col_t)(TR_FIRST_YEAR_COL + c->run->n_years - 1);
    lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
    if (!se) return NULL;
    chart_series_set_categories(se, sheet, TR_HEADER, TR_FIRST_YEAR_COL, TR_HEADER, last);
    chart_series_set_values(se, sheet, row, TR_FIRST_YEAR_COL, row, last);
    chart_series_set_name(se, name);
    chart_series_set_line(se, line);
    chart_series_set_marker_type(se, LXW_CHART_MARKER_CIRCLE);
    chart_series_set_marker_size(se, 5);
    return se;
}

static const char *axis_format(zf_value_kind kind)
{
    return kind == ZF_VALUE_RATE ? "0%" : kind == ZF_VALUE_AMOUNT ? "#,##0" : "0";
}

/* Chart k of the 趋势图 sheet s, of the rows tr of the 历年趋势 sheet named data. */
static ZF_MUST_CHECK zf_status trend_chart(wb_sheet *s, const char *data, const trend_rows *tr, size_t ind, size_t k,
                             lxw_row_t top, zf_error *err)
{
    const wb_ctx *c = s->c;
    const zf_indicator *in = &c->plan->indicators[ind];
    lxw_chart *ch = workbook_add_chart(c->wb, LXW_CHART_LINE);
    if (!ch) return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "cannot add chart");
    lxw_chart_font title_font = {.name = WB_FONT, .size = 10, .bold = LXW_TRUE};
    lxw_chart_font font = {.name = WB_FONT, .size = 9};
    chart_title_set_name(ch, in->name);
    chart_title_set_name_font(ch, &title_font);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_legend_set_font(ch, &font);
    chart_axis_set_num_font(ch->x_axis, &font);
    chart_axis_set_num_font(ch->y_axis, &font);
    chart_axis_set_num_format(ch->y_axis, axis_format(in->parts[0].rule.value_kind));
    /* Target dashed red (grey vanished on a 100% gridline), actual values solid. */
    lxw_chart_line dashed = {.color = 0xC00000, .width = 1.75, .dash_type = LXW_CHART_LINE_DASH_DASH};
    static const lxw_color_t colours[] = {0x1F4E79, 0x70AD47, 0x7030A0, 0xBF9000};
    add_series(c, ch, data, tr->target, "目标", &dashed);
    /* The year still open is a figure to date, not a result: its marker is hollow and
     * labelled 暂定, as the gnuplot trend charts mark it. */
    size_t ny = c->run->n_years;
    bool open = ny && ny <= 32 && zf_run_year_open(c->run, c->run->years[ny - 1]);
    lxw_chart_point plain = {0}, provisional_pt[4];
    lxw_chart_point *points[33];
    lxw_chart_data_label hidden = {.hide = LXW_TRUE}, provisional_label = {.value = "暂定", .font = &font};
    lxw_chart_data_label *labels[33];
    lxw_chart_line provisional_line[4];
    lxw_chart_fill hollow = {.color = 0xFFFFFF};
    for (size_t p = 0; p < tr->n_parts; p++) {
        char name[256];
        const char *pn = in->parts[p].name;
        snprintf(name, sizeof name, "%s", in->n_parts > 1 && pn && pn[0] ? pn : "实际值");
        lxw_chart_line solid = {.color = colours[p % 4], .width = 2.25};
        lxw_chart_series *se = add_series(c, ch, data, tr->actual[p], name, &solid);
        if (!se || !open)
            continue;
        provisional_line[p % 4] = (lxw_chart_line){.color = colours[p % 4], .width = 1.5};
        provisional_pt[p % 4] = (lxw_chart_point){.line = &provisional_line[p % 4], .fill = &hollow};
        for (size_t y = 0; y < ny; y++) {
            points[y] = y + 1 == ny ? &provisional_pt[p % 4] : &plain;
            labels[y] = y + 1 == ny ? &provisional_label : &hidden;
        }
        points[ny] = NULL;
        labels[ny] = NULL;
        if (chart_series_set_points(se, points) != LXW_NO_ERROR ||
            chart_series_set_labels_custom(se, labels) != LXW_NO_ERROR)
            return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "chart of indicator %d: provisional point",
                                in->number);
        chart_series_set_labels(se);
        chart_series_set_labels_position(se, LXW_CHART_LABEL_POSITION_ABOVE);
    }
    lxw_chart_options opt = {.x_offset = (int32_t)(k % 2) * (CH_WIDTH + CH_GAP), .y_offset = 4,
                             .x_scale = 1, .y_scale = 1};
    lxw_error e = worksheet_insert_chart_opt(s->ws, top + (lxw_row_t)(k / 2) * CH_ROWS, 0, ch, &opt);
    if (e != LXW_NO_ERROR)
        return zf_error_set(err, ZF_ERR_INTERNAL, NULL, 0, 0, "chart of indicator %d: %s", in->number,
                            lxw_strerror(e));
    return ZF_OK;
}

/* Printed, two rows of charts fill an A4 landscape page; break the pages between chart
 * rows so no chart is cut in two. */
static ZF_MUST_CHECK zf_status chart_breaks(wb_sheet *s, lxw_row_t top, size_t n_charts, zf_error *err)
{
    size_t pages = (n_charts + 3) / 4;
    if (pages <= 1) return ZF_OK;
    if (pages > 1000) pages = 1000;     /* Excel's limit of manual page breaks */
    lxw_row_t *breaks = calloc(pages + 1, sizeof *breaks);
    if (!breaks) return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "page breaks");
    /* between pages, not before the first: the title alone made a page of its own */
    for (size_t i = 1; i < pages; i++) breaks[i - 1] = top + (lxw_row_t)(i * 2 * CH_ROWS);
    lxw_error e = worksheet_set_h_pagebreaks(s->ws, breaks);
    free(breaks);
    if (e != LXW_NO_ERROR)
        return zf_error_set(err, ZF_ERR_INTERNAL, NULL, 0, 0, "page breaks: %s", lxw_strerror(e));
    return ZF_OK;
}

static void trend_head(wb_sheet *s)
{
    const wb_ctx *c = s->c;
    char buf[256];
    int y0 = wb_plan_year(c, c->run->n_years ? c->run->years[0] : 0);
    int y1 = wb_plan_year(c, c->run->n_years ? c->run->years[c->run->n_years - 1] : 0);
    snprintf(buf, sizeof buf, "历年目标与实际值（%d—%d年，截至%s）；图见“趋势图”表",
             y0, y1, c->run->as_of_text);
    wb_title(s, 0, buf, 0);
    static const char *const head[] = {"序号", "指标", "项目"};
    wb_header(s, TR_HEADER, head, 3);
    for (size_t y = 0; y < c->run->n_years; y++) {
        /* Years are numbers in a header cell, the category axis of every chart. */
        lxw_col_t col = (lxw_col_t)(TR_FIRST_YEAR_COL + y);
        worksheet_write_number(s->ws, TR_HEADER, col, wb_plan_year(c, c->run->years[y]), c->f.head);
        if (s->width[col] < 12) s->width[col] = 12;
    }
}

/* The charts on a sheet of their own (趋势图): below the table, every printed page of them
 * repeated the table's header above charts. */
static ZF_MUST_CHECK zf_status trend_charts(wb_ctx *c, const trend_rows *rows, zf_error *err)
{
    wb_sheet s;
    zf_status st = wb_sheet_open(c, &s, "趋势图", WB_NO_HEADER, 0, err);
    if (st != ZF_OK) return st;
    size_t ny = c->run->n_years;
    wb_title(&s, 0, ny && zf_run_year_open(c->run, c->run->years[ny - 1])
                        ? "历年目标与实际值图（数据见“历年趋势”表）：虚线为目标，实线为实际值；"
                          "标“暂定”的点为本年截至统计日期的数值，不是全年结果"
                        : "历年目标与实际值图（数据见“历年趋势”表）：虚线为目标，实线为实际值", 0);
    size_t k = 0;
    for (size_t i = 0; st == ZF_OK && c->run->n_years > 0 && i < c->plan->n_indicators; i++) {
        if (c->plan->indicators[i].parts[0].rule.value_kind == ZF_VALUE_WORD) continue;
        st = trend_chart(&s, "历年趋势", &rows[i], i, k++, 1, err);
    }
    if (st == ZF_OK) st = chart_breaks(&s, 1, k, err);
    if (st != ZF_OK) return st;
    return wb_sheet_close(&s, err);
}

zf_status wb_trend(wb_ctx *c, zf_error *err)
{
    wb_sheet s;
    zf_status st = wb_sheet_open(c, &s, "历年趋势", TR_HEADER, TR_FIRST_YEAR_COL, err);
    if (st != ZF_OK) return st;
    s.repeat_cols = TR_FIRST_YEAR_COL;
    s.cap[1] = 34;
    trend_head(&s);
    size_t n = c->plan->n_indicators;
    trend_rows *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows) return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "trend sheet");
    lxw_row_t row = TR_HEADER + 1;
    for (size_t i = 0; i < n; i++) row = trend_indicator(&s, row, i, &rows[i]);
    st = wb_sheet_close(&s, err);
    if (st == ZF_OK) st = trend_charts(c, rows, err);
    free(rows);
    return st;
}

/* ---- 乡镇街道 ------------------------------------------------------------------- */

enum { TW_HEADER = 3, TW_FIRST = 3 };   /* column of 全市; the towns follow */

static bool by_region(const zf_indicator *in)
{
    for (size_t p = 0; p < in->n_parts; p++)
        if (in->parts[p].rule.by_region) return true;
    return false;
}

static void towns_header(wb_sheet *s, lxw_row_t row)
{
    const wb_ctx *c = s->c;
    static const char *const head[] = {"序号", "指标", "目标", "全市"};
    wb_header(s, row, head, 4);
    lxw_col_t col = TW_FIRST + 1;
    for (size_t i = 0; i < c->defs->regions.n_regions; i++)
        if (c->defs->regions.regions[i].parent == 0)
            wb_text(s, row, col++, c->defs->regions.regions[i].name, c->f.head);
}

/* One grid row: the values, or (status) the status words, of region 0 and every town. */
static void towns_row(wb_sheet *s, lxw_row_t row, size_t ind, size_t part, bool status)
{
    const wb_ctx *c = s->c;
    const zf_indicator *in = &c->plan->indicators[ind];
    char buf[512];
    wb_seq(s, row, 0, in->number);
    wb_text(s, row, 1, wb_indicator_label(in, part, buf, sizeof buf), c->f.wrap);
    wb_target_number(s, row, 2, &in->targets[c->year]);
    lxw_col_t col = TW_FIRST;
    for (size_t i = 0; i < c->defs->regions.n_regions; i++) {
        if (i != 0 && c->defs->regions.regions[i].parent != 0) continue;
        const zf_result *r = wb_find(c->run, ind, part, c->year, (int)i);
        if (status) wb_text(s, row, col++, r ? zf_outcome_label(zf_result_own_outcome(r)) : "", c->f.center);
        else wb_value(s, row, col++, r);
    }
}

static lxw_row_t towns_grid(wb_sheet *s, lxw_row_t row, bool status)
{
    const wb_ctx *c = s->c;
    for (size_t i = 0; i < c->plan->n_indicators; i++) {
        if (!by_region(&c->plan->indicators[i])) continue;
        for (size_t p = 0; p < c->plan->indicators[i].n_parts; p++) towns_row(s, row++, i, p, status);
    }
    return row;
}

static size_t town_count(const wb_ctx *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->defs->regions.n_regions; i++) n += c->defs->regions.regions[i].parent == 0;
    return n;
}

/* Colour each value by the status word in the same place of the status grid below:
 * exact comparisons, relative to the top-left cell, so one rule covers the grid. */
static void towns_value_cf(wb_sheet *s, lxw_row_t v0, lxw_row_t v1, lxw_row_t s0, lxw_col_t last)
{
    const wb_fmt *f = &s->c->f;
    const char *const words[] = {"未达标", "达标", "无数据", "进行中"};
    lxw_format *const fmts[] = {f->not_met, f->met, f->no_data, f->progress};
    char cell[32], formula[96];
    lxw_rowcol_to_cell(cell, s0, TW_FIRST);
    for (size_t i = 0; i < 4 && v1 >= v0; i++) {
        lxw_conditional_format cf;
        memset(&cf, 0, sizeof cf);
        snprintf(formula, sizeof formula, "=%s=\"%s\"", cell, words[i]);
        cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
        cf.value_string = formula;
        cf.format = fmts[i];
        lxw_error e = worksheet_conditional_format_range(s->ws, v0, TW_FIRST, v1, last, &cf);
        if (e != LXW_NO_ERROR && s->c->lerr == LXW_NO_ERROR) s->c->lerr = e;
    }
}

zf_status wb_towns(wb_ctx *c, zf_error *err)
{
    wb_sheet s;
    const zf_region_tree *t = &c->run->defs->regions;
    const char *level = t->sublevel ? t->sublevel : "下级地区";
    zf_status st = wb_sheet_open(c, &s, level, TW_HEADER, TW_FIRST, err);
    if (st != ZF_OK) return st;
    /* 21 towns on one A4 width came out at about 4 pt: printed over several pages wide, each
       with the indicator and its target (issue 16, finding 7) */
    s.repeat_cols = TW_FIRST;
    s.cap[1] = 24;
    char buf[512];
    snprintf(buf, sizeof buf, "%d年度 分%s指标（颜色为该%s的达标状态；计数类指标的目标属%s，%s不作判断）",
             wb_plan_year(c, c->year), level, level, t->regions[0].name, level);
    wb_title(&s, 0, buf, 0);
    lxw_col_t last = (lxw_col_t)(TW_FIRST + town_count(c));
    towns_header(&s, TW_HEADER);
    lxw_row_t v0 = TW_HEADER + 1, v1 = towns_grid(&s, v0, false);
    if (v1 == v0) {
        snprintf(buf, sizeof buf, "本方案没有分%s计算的指标", level);
        wb_title(&s, v0, buf, 0);
        return wb_sheet_close(&s, err);
    }
    wb_title(&s, v1 + 1, "达标状态", 0);
    /* printed, the status grid starts a page of its own, under the same towns as the values */
    lxw_row_t breaks[] = {v1 + 1, 0};
    lxw_error pe = worksheet_set_h_pagebreaks(s.ws, breaks);
    if (pe != LXW_NO_ERROR && c->lerr == LXW_NO_ERROR) c->lerr = pe;
    towns_header(&s, v1 + 2);
    lxw_row_t s0 = v1 + 3, s1 = towns_grid(&s, s0, true);
    wb_status_cf(&s, s0, TW_FIRST, s1 - 1, last);
    towns_value_cf(&s, v0, v1 - 1, s0, last);
    lxw_error e = worksheet_autofilter(s.ws, TW_HEADER, 0, v1 - 1, last);
    if (e != LXW_NO_ERROR && c->lerr == LXW_NO_ERROR) c->lerr = e;
    return wb_sheet_close(&s, err);
}
