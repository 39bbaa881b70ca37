/* workbook_units.c — the 按责任单位 sheet: a count per responsible unit of its indicators'
 * verdicts, then one flat table of every (unit, indicator) with the target, the value, the
 * gap, last year's value and 同比, under one header with an autofilter, so a unit's
 * scorecard is a filter on its name rather than a block one cannot sort. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workbook_internal.h"

enum { UN_UNIT, UN_NO, UN_NAME, UN_TARGET, UN_TNUM, UN_VALUE, UN_STATUS, UN_GAP, UN_RATE, UN_LAST, UN_YOY,
       UN_PROV, UN_COLS };
enum { UN_SUMMARY = 2 };   /* the header row of the count per unit */

static bool unit_has(const zf_indicator *in, const char *unit)
{
    for (size_t u = 0; u < in->n_units; u++)
        if (strcmp(in->units[u], unit) == 0) return true;
    return false;
}

/* The plan's units in order of first appearance; *n of them. */
static const char **plan_units(const zf_plan *plan, size_t *n)
{
    size_t cap = 0;
    for (size_t i = 0; i < plan->n_indicators; i++) cap += plan->indicators[i].n_units;
    const char **units = calloc(cap ? cap : 1, sizeof *units);
    *n = 0;
    for (size_t i = 0; units && i < plan->n_indicators; i++)
        for (size_t u = 0; u < plan->indicators[i].n_units; u++) {
            const char *name = plan->indicators[i].units[u];
            size_t k = 0;
            while (k < *n && strcmp(units[k], name) != 0) k++;
            if (k == *n) units[(*n)++] = name;
        }
    return units;
}

static void unit_row(wb_sheet *s, lxw_row_t row, const char *unit, size_t ind, size_t part)
{
    const wb_ctx *c = s->c;
    const zf_indicator *in = &c->plan->indicators[ind];
    const zf_result *r = wb_find(c->run, ind, part, c->year, 0);
    const zf_target *t = wb_row_target(c, ind, r);
    char buf[512];
    wb_text(s, row, UN_UNIT, unit, c->f.text);
    /* a part keeps its indicator's number, so that a filter or a sort keeps it beside it */
    wb_seq(s, row, UN_NO, in->number);
    if (in->n_parts > 1) snprintf(buf, sizeof buf, "└ 分项：%s", in->parts[part].name);
    else snprintf(buf, sizeof buf, "%s", in->name);
    wb_text(s, row, UN_NAME, buf, c->f.wrap);
    wb_text(s, row, UN_TARGET, in->targets[c->year].cell, c->f.center);
    wb_target_number(s, row, UN_TNUM, t);
    wb_value(s, row, UN_VALUE, r);
    wb_text(s, row, UN_STATUS, wb_status(r), c->f.center);
    wb_gap(s, row, UN_GAP, r, t);
    wb_completion(s, row, UN_RATE, r, t);
    wb_last_value(s, row, UN_LAST, ind, part, 0);
    wb_yoy(s, row, UN_YOY, ind, part, 0);
    wb_text(s, row, UN_PROV, wb_provisional(r), c->f.center);
}

/* A multi-part indicator's one verdict, above its parts. */
static void unit_combined(wb_sheet *s, lxw_row_t row, const char *unit, size_t ind)
{
    const wb_ctx *c = s->c;
    const zf_indicator *in = &c->plan->indicators[ind];
    const zf_result *r = wb_find(c->run, ind, 0, c->year, 0);
    wb_text(s, row, UN_UNIT, unit, c->f.text);
    wb_seq(s, row, UN_NO, in->number);
    wb_text(s, row, UN_NAME, in->name, c->f.wrap);
    wb_text(s, row, UN_TARGET, in->targets[c->year].cell, c->f.center);
    wb_target_number(s, row, UN_TNUM, wb_row_target(c, ind, r));
    wb_text(s, row, UN_VALUE, "见分项", c->f.center);
    wb_text(s, row, UN_STATUS, zf_outcome_label(wb_indicator_outcome(c, ind, c->year)), c->f.center);
    for (lxw_col_t col = UN_GAP; col <= UN_YOY; col++) wb_text(s, row, col, "", c->f.text);
    wb_text(s, row, UN_PROV, wb_combined_provisional(r), c->f.center);
}

/* One line per unit: its indicators counted once each (parts nested), by verdict. */
static void units_summary(wb_sheet *s, const char **units, size_t n)
{
    static const char *const head[] = {"责任单位", "指标数", "达标", "未达标", "无数据", "进行中"};
    const wb_ctx *c = s->c;
    for (size_t k = 0; k < 6; k++) wb_text(s, UN_SUMMARY, (lxw_col_t)k, head[k], c->f.head);
    for (size_t u = 0; u < n; u++) {
        int64_t count[ZF_OUTCOME_COUNT] = {0}, total = 0;
        for (size_t i = 0; i < c->plan->n_indicators; i++) {
            if (!unit_has(&c->plan->indicators[i], units[u])) continue;
            count[wb_indicator_outcome(c, i, c->year)]++;
            total++;
        }
        lxw_row_t row = (lxw_row_t)(UN_SUMMARY + 1 + u);
        wb_text(s, row, 0, units[u], c->f.text);
        wb_int(s, row, 1, total);
        wb_int(s, row, 2, count[ZF_OUTCOME_MET]);
        wb_int(s, row, 3, count[ZF_OUTCOME_NOT_MET]);
        wb_int(s, row, 4, count[ZF_OUTCOME_NO_DATA]);
        wb_int(s, row, 5, count[ZF_OUTCOME_IN_PROGRESS]);
    }
}

zf_status wb_units(wb_ctx *c, zf_error *err)
{
    size_t n = 0;
    const char **units = plan_units(c->plan, &n);
    if (!units) return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "unit sheet");
    /* the table's header is what every printed page repeats and the panes freeze */
    lxw_row_t header = (lxw_row_t)(UN_SUMMARY + n + 3);
    wb_sheet s;
    zf_status st = wb_sheet_open(c, &s, "按责任单位", header, UN_NAME + 1, err);
    if (st != ZF_OK) { free(units); return st; }
    s.repeat_cols = UN_NAME + 1;
    s.cap[UN_UNIT] = 14;
    s.cap[UN_NAME] = 34;
    for (lxw_col_t col = UN_TARGET; col <= UN_YOY; col++) s.cap[col] = 12;
    char buf[256], last[64];
    snprintf(buf, sizeof buf, "%d年度 各责任单位指标完成情况（一项指标有几个责任单位的，在每个单位下各列一次）",
             wb_plan_year(c, c->year));
    wb_title(&s, 0, buf, 0);
    units_summary(&s, units, n);
    wb_title(&s, header - 1, "各责任单位的指标明细（筛选“责任单位”列即得一个单位的指标）", 0);
    const char *const head[UN_COLS] = {"责任单位", "序号", "指标", "目标（原文）", "目标值", "实际值", "状态",
                                       "差距（实际−目标）", "完成率", wb_last_header(c, last, sizeof last), "同比",
                                       "预判"};
    wb_header(&s, header, head, UN_COLS);
    lxw_row_t row = header + 1;
    for (size_t u = 0; u < n; u++)
        for (size_t i = 0; i < c->plan->n_indicators; i++) {
            const zf_indicator *in = &c->plan->indicators[i];
            if (!unit_has(in, units[u])) continue;
            if (in->n_parts > 1) unit_combined(&s, row++, units[u], i);
            for (size_t p = 0; p < in->n_parts; p++) unit_row(&s, row++, units[u], i, p);
        }
    free(units);
    if (row > header + 1) {
        wb_status_cf(&s, header + 1, UN_STATUS, row - 1, UN_STATUS);
        wb_status_cf(&s, header + 1, UN_PROV, row - 1, UN_PROV);
    }
    lxw_error e = worksheet_autofilter(s.ws, header, 0, row > header + 1 ? row - 1 : header, UN_COLS - 1);
    if (e != LXW_NO_ERROR && c->lerr == LXW_NO_ERROR) c->lerr = e;
    return wb_sheet_close(&s, err);
}
