/* workbook.c — the Excel workbook of one plan year: entry point, formats, the sheet
 * builder (page setup, column widths that fit Chinese text) and the first sheet, 总览.
 * 按责任单位 is in workbook_units.c, the other sheets in workbook_sheets.c and
 * workbook_quality.c, the targets, gaps and 同比 cells in workbook_measures.c; the check
 * that the file written reads back is in workbook_verify.c. */
#include "zf_workbook.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "workbook_internal.h"
#include "zf_frac.h"
#include "zf_calendar.h"
#include "zf_record.h"

/* ---- formats --------------------------------------------------------------- */

static lxw_format *new_fmt(lxw_workbook *wb, bool border)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, WB_FONT);
    format_set_font_charset(f, 134);   /* GB2312: Excel then picks a Chinese face */
    format_set_font_size(f, 10.5);     /* 五号, the size of Chinese office documents */
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (border) {
        format_set_border(f, LXW_BORDER_THIN);
        format_set_border_color(f, 0xA6A6A6);
    }
    return f;
}

static lxw_format *num_fmt(lxw_workbook *wb, const char *num)
{
    lxw_format *f = new_fmt(wb, true);
    format_set_num_format(f, num);
    format_set_align(f, LXW_ALIGN_RIGHT);
    return f;
}

/* Conditional-format fills: Excel's own "good / bad / neutral" pairs, so the colours
 * read as they do in any other office workbook. */
static lxw_format *cf_fmt(lxw_workbook *wb, lxw_color_t bg, lxw_color_t fg)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_bg_color(f, bg);
    format_set_font_color(f, fg);
    return f;
}

static void make_formats(wb_ctx *c)
{
    lxw_workbook *wb = c->wb;
    wb_fmt *f = &c->f;
    f->title = new_fmt(wb, false);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    f->label = new_fmt(wb, false);
    format_set_bold(f->label);
    f->note = new_fmt(wb, false);
    f->text = new_fmt(wb, true);
    f->wrap = new_fmt(wb, true);
    format_set_text_wrap(f->wrap);
    f->center = new_fmt(wb, true);
    format_set_align(f->center, LXW_ALIGN_CENTER);
    f->head = new_fmt(wb, true);
    format_set_bold(f->head);
    format_set_bg_color(f->head, 0xDDEBF7);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_text_wrap(f->head);
    f->group = new_fmt(wb, true);
    format_set_bold(f->group);
    format_set_bg_color(f->group, 0xF2F2F2);
    f->pct = num_fmt(wb, "0.0%");
    f->pct2 = num_fmt(wb, "0.00%");
    f->amount = num_fmt(wb, "#,##0.00");
    f->count = num_fmt(wb, "#,##0");
    f->year = num_fmt(wb, "0");
    format_set_align(f->year, LXW_ALIGN_CENTER);
    f->seq = num_fmt(wb, "0");
    format_set_align(f->seq, LXW_ALIGN_CENTER);
    f->met = cf_fmt(wb, 0xC6EFCE, 0x006100);
    f->not_met = cf_fmt(wb, 0xFFC7CE, 0x9C0006);
    f->no_data = cf_fmt(wb, 0xD9D9D9, 0x404040);
    f->progress = cf_fmt(wb, 0xFFEB9C, 0x9C5700);
}

/* ---- widths ----------------------------------------------------------------- */

/* Width of text in Excel column units: a CJK character (three or four UTF-8 bytes) is
 * about 2.1 digits wide, anything else about 1.1.  Multi-line text counts its widest line. */
static double text_width(const char *s)
{
    double line = 0, best = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; ) {
        if (*p == '\n') { best = line > best ? line : best; line = 0; p++; continue; }
        size_t n = *p < 0x80 ? 1 : *p < 0xE0 ? 2 : *p < 0xF0 ? 3 : 4;
        line += n >= 3 ? 2.1 : 1.1;
        for (size_t i = 0; i < n && *p; i++) p++;
    }
    return line > best ? line : best;
}

static void grow(wb_sheet *s, lxw_col_t col, double w)
{
    if (col < WB_MAX_COLS && w > s->width[col]) s->width[col] = w;
}

static void note_err(wb_sheet *s, lxw_error e)
{
    if (e != LXW_NO_ERROR && s->c->lerr == LXW_NO_ERROR) s->c->lerr = e;
}

/* Neither LibreOffice nor every Excel grows a row for wrapped text on load, so a row
 * with a wrapped cell gets its height set: 15 points a line. */
static void flush_lines(wb_sheet *s)
{
    if (s->lines > 1) note_err(s, worksheet_set_row(s->ws, s->line_row, 15.0 * s->lines, NULL));
    s->lines = 0;
}

static void count_lines(wb_sheet *s, lxw_row_t row, lxw_col_t col, double w)
{
    if (row != s->line_row) flush_lines(s);
    s->line_row = row;
    /* The column is set to cap + 2 wide (see wb_sheet_close). */
    if (col >= WB_MAX_COLS || w <= s->cap[col] + 2) return;
    int lines = (int)ceil(w / (s->cap[col] + 2));
    if (lines > s->lines) s->lines = lines;
}

/* ---- sheet builder ---------------------------------------------------------- */

zf_status wb_sheet_open(wb_ctx *c, wb_sheet *s, const char *name, lxw_row_t header_row,
                        lxw_col_t freeze_cols, zf_error *err)
{
    memset(s, 0, sizeof *s);
    s->c = c;
    s->name = name;
    for (size_t i = 0; i < WB_MAX_COLS; i++) s->cap[i] = 60;
    s->repeat_cols = 1;
    s->ws = workbook_add_worksheet(c->wb, name);
    if (!s->ws) return zf_error_set(err, ZF_ERR_INTERNAL, NULL, 0, 0, "cannot add sheet %s", name);
    worksheet_set_paper(s->ws, 9);              /* A4 */
    worksheet_set_landscape(s->ws);
    worksheet_set_margins(s->ws, WB_MARGIN, WB_MARGIN, 0.6, 0.6);
    wb_sheet_footer(s);
    if (header_row == WB_NO_HEADER) return ZF_OK;
    note_err(s, worksheet_repeat_rows(s->ws, header_row, header_row));
    worksheet_freeze_panes(s->ws, header_row + 1, freeze_cols);
    return ZF_OK;
}

const char *wb_office(const wb_ctx *c)
{
    return c->plan->office ? c->plan->office : "";
}

/* '&' starts a code in a header or footer: a literal one is doubled. */
static size_t footer_text(char *out, size_t size, const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p && n + 2 < size; p++) {
        if (*p == '&') out[n++] = '&';
        out[n++] = *p;
    }
    out[n] = '\0';
    return n;
}

void wb_sheet_footer(wb_sheet *s)
{
    char office[160], footer[256];
    footer_text(office, sizeof office, wb_office(s->c));
    snprintf(footer, sizeof footer, "&L制表单位：%s&C&P / &N&R制表日期：%s", office[0] ? office : "　　　　　　",
             s->c->run->as_of_text);
    note_err(s, worksheet_set_footer(s->ws, footer));
}

/* Pixels of a column w units wide, to know where a printed page ends: Excel lays a unit out
 * 7 px wide, LibreOffice about 9 (measured on its PDFs of these sheets); the wider, so that
 * what was planned for one page is not shrunk or spilled over in either. */
static double column_px(double w)
{
    return w * 9 + 5;
}

/* A sheet that fits one page width at 77 % or more (10.5 pt printed at 8 pt or more) is
 * fitted to it; a wider one (the 21 towns came out at about 4 pt, 总览 at 5) is printed at
 * 77 % over several pages wide, its first columns repeated on each, the breaks between
 * whole columns. */
static void print_setup(wb_sheet *s, const double *set)
{
    double page = (WB_PAGE_INCHES - 2 * WB_MARGIN) * 96 * 0.95;   /* 5 % for the printer's own */
    double total = 0, fixed = 0, used = 0;
    for (lxw_col_t col = 0; col < WB_MAX_COLS; col++) total += set[col] > 0 ? column_px(set[col]) : 0;
    if (total * WB_MIN_SCALE <= page) {
        worksheet_fit_to_pages(s->ws, 1, 0);   /* one page wide, as many tall as needed */
        return;
    }
    page /= WB_MIN_SCALE;   /* the page as wide as the sheet's columns printed at that scale */
    lxw_col_t repeat = s->repeat_cols;
    for (lxw_col_t col = 0; col < repeat; col++) fixed += column_px(set[col]);
    if (fixed > page / 2) { repeat = 0; fixed = 0; }   /* repeated columns that crowd out the rest */
    lxw_col_t breaks[WB_MAX_COLS + 1];
    size_t n = 0;
    for (lxw_col_t col = repeat; col < WB_MAX_COLS; col++) {
        double w = column_px(set[col]);
        if (set[col] <= 0) continue;
        if (used > 0 && fixed + used + w > page) { breaks[n++] = col; used = 0; }
        used += w;
    }
    breaks[n] = 0;
    worksheet_set_print_scale(s->ws, (uint16_t)(WB_MIN_SCALE * 100 + 0.5));
    if (repeat) note_err(s, worksheet_repeat_columns(s->ws, 0, repeat - 1));
    if (n) note_err(s, worksheet_set_v_pagebreaks(s->ws, breaks));
}

zf_status wb_sheet_close(wb_sheet *s, zf_error *err)
{
    flush_lines(s);
    double set[WB_MAX_COLS] = {0};
    for (lxw_col_t col = 0; col < WB_MAX_COLS; col++) {
        if (s->width[col] <= 0) continue;
        double w = s->width[col] < s->cap[col] ? s->width[col] : s->cap[col];
        set[col] = w + 2;
        note_err(s, worksheet_set_column(s->ws, col, col, w + 2, NULL));
    }
    print_setup(s, set);
    if (s->c->lerr != LXW_NO_ERROR)
        return zf_error_set(err, ZF_ERR_INTERNAL, NULL, 0, 0, "workbook sheet %s: %s", s->name,
                            lxw_strerror(s->c->lerr));
    return ZF_OK;
}

void wb_text(wb_sheet *s, lxw_row_t row, lxw_col_t col, const char *text, lxw_format *fmt)
{
    if (!text) text = "";
    if (text[0])
        note_err(s, worksheet_write_string(s->ws, row, col, text, fmt));
    else
        note_err(s, worksheet_write_blank(s->ws, row, col, fmt));
    double w = text_width(text);
    grow(s, col, w);
    count_lines(s, row, col, w);
}

void wb_num(wb_sheet *s, lxw_row_t row, lxw_col_t col, double v, lxw_format *fmt)
{
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%.2f", v);
    note_err(s, worksheet_write_number(s->ws, row, col, v, fmt));
    grow(s, col, n * 1.3);   /* digits plus thousands separators */
}

void wb_num_wide(wb_sheet *s, lxw_row_t row, lxw_col_t col, double v, lxw_format *fmt, double width)
{
    wb_num(s, row, col, v, fmt);
    grow(s, col, width);
}

void wb_int(wb_sheet *s, lxw_row_t row, lxw_col_t col, int64_t v)
{
    wb_num(s, row, col, (double)v, s->c->f.count);
}

void wb_seq(wb_sheet *s, lxw_row_t row, lxw_col_t col, int number)
{
    note_err(s, worksheet_write_number(s->ws, row, col, number, s->c->f.seq));
    grow(s, col, 4);
}

void wb_header(wb_sheet *s, lxw_row_t row, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) wb_text(s, row, (lxw_col_t)i, names[i], s->c->f.head);
}

/* A line of text across the sheet that must not widen the first column. */
void wb_title(wb_sheet *s, lxw_row_t row, const char *text, lxw_col_t last_col)
{
    lxw_format *f = row == 0 ? s->c->f.title : s->c->f.note;
    if (last_col == 0)
        note_err(s, worksheet_write_string(s->ws, row, 0, text, f));
    else
        note_err(s, worksheet_merge_range(s->ws, row, 0, row, last_col, text, f));
}

/* One column at a time: libxlsxwriter 1.1.5 anchors the SEARCH() of a text rule at the
 * range's last column, so in Excel every cell of a wider range would test that column. */
void wb_text_cf(wb_sheet *s, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1, lxw_col_t c1,
                const char *const *words, lxw_format *const *fmts, size_t n)
{
    if (r1 < r0 || c1 < c0) return;
    if (c1 > c0) {
        for (lxw_col_t col = c0; col <= c1; col++) wb_text_cf(s, r0, col, r1, col, words, fmts, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        lxw_conditional_format cf;
        memset(&cf, 0, sizeof cf);
        cf.type = LXW_CONDITIONAL_TYPE_TEXT;
        cf.criteria = LXW_CONDITIONAL_CRITERIA_TEXT_CONTAINING;
        cf.value_string = (char *)words[i];
        cf.format = fmts[i];
        cf.stop_if_true = LXW_TRUE;
        note_err(s, worksheet_conditional_format_range(s->ws, r0, c0, r1, c1, &cf));
    }
}

void wb_status_cf(wb_sheet *s, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1, lxw_col_t c1)
{
    const wb_fmt *f = &s->c->f;
    const char *const words[] = {"未达标", "达标", "无数据", "进行中"};
    lxw_format *const fmts[] = {f->not_met, f->met, f->no_data, f->progress};
    wb_text_cf(s, r0, c0, r1, c1, words, fmts, 4);
}

/* ---- lookups and cells ------------------------------------------------------ */

const zf_result *wb_find(const zf_run *run, size_t ind, size_t part, size_t year, int region)
{
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == ind && r->part == part && r->year == year && r->region == region)
            return r;
    }
    return NULL;
}

const char *wb_indicator_label(const zf_indicator *ind, size_t part, char *buf, size_t size)
{
    const char *pn = part < ind->n_parts ? ind->parts[part].name : "";
    if (ind->n_parts > 1 && pn && pn[0])
        snprintf(buf, size, "%s（%s）", ind->name, pn);
    else
        snprintf(buf, size, "%s", ind->name);
    return buf;
}

/* Values under 1% (disaster losses against GDP) get two decimals, else 0.85% would
 * read as 0.9% and look like it missed a "below 0.9%" target; so do rates just under
 * 100%, else 99.96% would show as 100.0% beside 未达标.  (Targets: a value has its own
 * rule, value_fmt.) */
static lxw_format *pct_fmt(const wb_ctx *c, double v)
{
    bool small = v != 0 && fabs(v) < 0.01, near_one = v >= 0.9995 && v < 1;
    return small || near_one ? c->f.pct2 : c->f.pct;
}

/* "0.000%" / "#,##0.000" for p decimals, made once per workbook. */
lxw_format *wb_places_fmt(wb_ctx *c, bool pct, int p)
{
    if (p < 0) p = 0;
    if (p > ZF_DISPLAY_MAX_PLACES) p = ZF_DISPLAY_MAX_PLACES;
    lxw_format **slot = pct ? &c->f.pct_at[p] : &c->f.amount_at[p];
    if (!*slot) {
        char num[40];
        snprintf(num, sizeof num, "%s%s%.*s%s", pct ? "0" : "#,##0", p ? "." : "", p, "0000000000",
                 pct ? "%" : "");
        *slot = num_fmt(c->wb, num);
    }
    return *slot;
}

lxw_format *wb_numfmt(wb_ctx *c, const char *num)
{
    for (size_t i = 0; i < c->n_numfmt; i++)
        if (strcmp(c->numfmt[i].num, num) == 0) return c->numfmt[i].f;
    if (c->n_numfmt == WB_MAX_NUMFMTS || strlen(num) >= sizeof c->numfmt[0].num)
        return c->f.text;   /* cannot happen with the formats made here; the number still shows */
    wb_numfmt_slot *slot = &c->numfmt[c->n_numfmt++];
    snprintf(slot->num, sizeof slot->num, "%s", num);
    slot->f = num_fmt(c->wb, num);
    return slot->f;
}

/* The shown digits are those of every other writer: never rounded onto or across the
 * target (9.994% against 10%, not 10.0%). */
static lxw_format *value_fmt(wb_ctx *c, const zf_result *r)
{
    return wb_places_fmt(c, r->kind == ZF_VALUE_RATE, zf_result_places(r));
}

void wb_value(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_result *r)
{
    const wb_fmt *f = &s->c->f;
    if (!r || !r->has_value) { wb_text(s, row, col, WB_DASH, f->center); return; }
    double v = r->kind == ZF_VALUE_WORD ? 0 : zf_frac_to_double(r->value);
    switch (r->kind) {
    case ZF_VALUE_RATE:   wb_num(s, row, col, v, value_fmt(s->c, r)); break;
    case ZF_VALUE_AMOUNT: wb_num(s, row, col, v, value_fmt(s->c, r)); break;
    case ZF_VALUE_COUNT:  wb_num(s, row, col, v, f->count); break;
    case ZF_VALUE_WORD:   wb_text(s, row, col, r->word, f->center); break;
    }
}

void wb_target_value(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_target *t,
                     zf_value_kind kind)
{
    const wb_fmt *f = &s->c->f;
    if (!t || !t->cell) { wb_text(s, row, col, "", f->text); return; }
    if (t->op == ZF_TARGET_WORD) { wb_text(s, row, col, t->word ? t->word : t->cell, f->center); return; }
    double v = t->den ? (double)t->num / (double)t->den : 0;
    if (t->percent)
        wb_num(s, row, col, v, pct_fmt(s->c, v));
    else
        wb_num(s, row, col, v, kind == ZF_VALUE_AMOUNT ? f->amount : f->count);
}

/* A part row says its own verdict (幸福清单送达率 872/872 is 达标 even when 7 is not):
 * the indicator's combination has a row of its own above the parts. */
const char *wb_status(const zf_result *r)
{
    return r ? zf_outcome_label(zf_result_own_outcome(r)) : zf_outcome_label(ZF_OUTCOME_NO_DATA);
}

const char *wb_provisional(const zf_result *r)
{
    return r ? zf_provisional_label(zf_result_own_outcome(r), zf_result_own_provisional(r)) : "";
}

const char *wb_combined_provisional(const zf_result *r)
{
    return r ? zf_provisional_label(r->outcome, r->provisional) : "";
}

int wb_plan_year(const wb_ctx *c, size_t year_index)
{
    return year_index < c->plan->n_years ? c->plan->years[year_index] : 0;
}

const char *wb_source_title(const wb_ctx *c, size_t source)
{
    if (source >= c->defs->sources.n_sources) return "";
    const zf_source *src = &c->defs->sources.sources[source];
    return src->title && src->title[0] ? src->title : src->id;
}

static bool rule_uses(const zf_rule *rule, size_t source)
{
    return rule->sel.source == source || (rule->kind == ZF_RULE_RATIO && rule->den_sel.source == source)
        || (rule->has_exists && rule->exists.source == source);
}

/* The first input of the rule whose file is missing (or failed to read), to name it. */
static const zf_input_file *bad_input(const wb_ctx *c, const zf_result *r, bool missing)
{
    const zf_indicator *ind = &c->plan->indicators[r->indicator];
    if (r->part >= ind->n_parts) return NULL;
    for (size_t i = 0; i < c->run->n_files; i++) {
        const zf_input_file *f = &c->run->files[i];
        bool is_missing = f->status && strcmp(f->status, "missing") == 0;
        bool failed = f->status && (strcmp(f->status, "error") == 0 || strcmp(f->status, "missing_column") == 0);
        if (rule_uses(&ind->parts[r->part].rule, f->source) && (missing ? is_missing : failed)) return f;
    }
    return NULL;
}

static const char *explain_open(const wb_ctx *c, const zf_result *r, char *buf, size_t size)
{
    char day[16];
    zf_date_format(zf_run_reference(c->run, r->year), day);
    snprintf(buf, size, "截至%s；按%s预判", day, r->kind == ZF_VALUE_COUNT ? "时间进度折算目标" : "全年目标");
    return buf;
}

/* What kind of report is missing follows from the rule. */
static const char *no_report(const wb_ctx *c, const zf_result *r)
{
    const zf_indicator *ind = &c->plan->indicators[r->indicator];
    const zf_rule *rule = r->part < ind->n_parts ? &ind->parts[r->part].rule : NULL;
    if (rule && rule->value_kind == ZF_VALUE_WORD) return "本年度无里程碑填报";
    if (rule && rule->kind == ZF_RULE_LATEST) return "截至参考日无执行中的标准";
    if (rule && rule->kind == ZF_RULE_RATIO) return "缺少本年度分母数据（如地区生产总值）";
    if (rule && rule->kind == ZF_RULE_GROWTH) return "缺少本年度或上年度数据，无法计算增长";
    return "本年度无填报记录";
}

const char *wb_explain(const wb_ctx *c, const zf_result *r, char *buf, size_t size)
{
    const zf_input_file *f;
    buf[0] = '\0';
    if (!r) return "无计算结果";
    switch (r->nodata) {
    case ZF_NODATA_SOURCE_MISSING:
        f = bad_input(c, r, true);
        snprintf(buf, size, "未提供数据文件%s%s", f ? "：" : "", f ? wb_source_title(c, f->source) : "");
        return buf;
    case ZF_NODATA_SOURCE_FAILED:
        f = bad_input(c, r, false);
        snprintf(buf, size, "数据文件无法读取%s%s", f ? "：" : "", f ? f->name : "");
        return buf;
    case ZF_NODATA_ZERO_DENOMINATOR: return "分母为0：本年度无符合口径的记录";
    case ZF_NODATA_NO_REPORT: return no_report(c, r);
    case ZF_NODATA_OVERFLOW: return "无法计算：记录的金额合计超出可计算范围，数据异常，请核查源数据";
    case ZF_NODATA_NOT_DUE: return "年度数据，本年度尚未到报送期（不影响本次运行的完整性）";
    case ZF_NODATA_NONE: break;
    }
    if (r->outcome == ZF_OUTCOME_IN_PROGRESS) return explain_open(c, r, buf, size);
    return buf;
}

zf_outcome wb_indicator_outcome(const wb_ctx *c, size_t ind, size_t year)
{
    return zf_run_indicator_outcome(c->run, ind, year, 0);
}

/* ---- 总览 --------------------------------------------------------------------- */

enum { OV_HEADER = 6, OV_COLS = 16 };
enum { OV_NO, OV_CAT, OV_NAME, OV_UNIT, OV_TARGET, OV_TNUM, OV_VALUE, OV_STATUS, OV_GAP, OV_RATE, OV_LAST,
       OV_YOY, OV_NUM, OV_DEN, OV_PROV, OV_NOTE };

static void units_joined(const zf_indicator *ind, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t u = 0; u < ind->n_units && used < size; u++) {
        int n = snprintf(buf + used, size - used, "%s%s", u ? "、" : "", ind->units[u]);
        if (n < 0) break;
        used += (size_t)n;
    }
}

void wb_decimal(wb_sheet *s, lxw_row_t row, lxw_col_t col, bool has, int64_t v, int scale)
{
    if (!has) { wb_text(s, row, col, "", s->c->f.text); return; }
    if (scale <= 0) { wb_int(s, row, col, v); return; }
    /* one division of exact integers: the double nearest the decimal (9865315.13), where
       dividing by 10 twice left 9865315.129999999 in the formula bar */
    int64_t p = 1;
    for (int i = 0; i < scale && i < 18; i++) p *= 10;
    wb_num(s, row, col, zf_frac_to_double((zf_frac){v, p}), scale == 2 ? s->c->f.amount : wb_places_fmt(s->c, false, scale));
}

/* The combined row of a multi-part indicator: its one verdict, shown once, above the
 * parts that make it (each with its own). */
static void overview_combined(wb_sheet *s, lxw_row_t row, size_t ind)
{
    const wb_ctx *c = s->c;
    const zf_indicator *in = &c->plan->indicators[ind];
    const zf_result *r = wb_find(c->run, ind, 0, c->year, 0);
    char buf[1024];
    wb_seq(s, row, OV_NO, in->number);
    wb_text(s, row, OV_CAT, in->category, c->f.wrap);
    wb_text(s, row, OV_NAME, in->name, c->f.wrap);
    units_joined(in, buf, sizeof buf);
    wb_text(s, row, OV_UNIT, buf, c->f.wrap);
    wb_text(s, row, OV_TARGET, in->targets[c->year].cell, c->f.center);
    wb_target_number(s, row, OV_TNUM, wb_row_target(c, ind, r));
    wb_text(s, row, OV_VALUE, "见分项", c->f.center);
    wb_text(s, row, OV_STATUS, zf_outcome_label(wb_indicator_outcome(c, ind, c->year)), c->f.center);
    for (lxw_col_t col = OV_GAP; col <= OV_DEN; col++) wb_text(s, row, col, "", c->f.text);
    wb_text(s, row, OV_PROV, wb_combined_provisional(r), c->f.center);
    snprintf(buf, sizeof buf, "%zu个分项均达标，该指标方为达标", in->n_parts);
    wb_text(s, row, OV_NOTE, buf, c->f.wrap);
}

/* A row of one indicator, or of one part under its combined row (序号 left empty, so
 * that the sheet counts each indicator once). */
static void overview_row(wb_sheet *s, lxw_row_t row, size_t ind, size_t part)
{
    const wb_ctx *c = s->c;
    const zf_indicator *in = &c->plan->indicators[ind];
    const zf_result *r = wb_find(c->run, ind, part, c->year, 0);
    const zf_target *t = &in->targets[c->year];
    bool is_part = in->n_parts > 1;
    char buf[1024];
    if (is_part) {
        wb_text(s, row, OV_NO, "", c->f.center);
        wb_text(s, row, OV_CAT, "", c->f.wrap);
        snprintf(buf, sizeof buf, "└ 分项：%s", in->parts[part].name);
        wb_text(s, row, OV_NAME, buf, c->f.wrap);
        wb_text(s, row, OV_UNIT, "", c->f.wrap);
    } else {
        wb_seq(s, row, OV_NO, in->number);
        wb_text(s, row, OV_CAT, in->category, c->f.wrap);
        wb_text(s, row, OV_NAME, in->name, c->f.wrap);
        units_joined(in, buf, sizeof buf);
        wb_text(s, row, OV_UNIT, buf, c->f.wrap);
    }
    const zf_target *tn = wb_row_target(c, ind, r);
    wb_text(s, row, OV_TARGET, t->cell, c->f.center);
    wb_target_number(s, row, OV_TNUM, tn);
    wb_value(s, row, OV_VALUE, r);
    wb_text(s, row, OV_STATUS, wb_status(r), c->f.center);
    wb_gap(s, row, OV_GAP, r, tn);
    wb_completion(s, row, OV_RATE, r, tn);
    wb_last_value(s, row, OV_LAST, ind, part, 0);
    wb_yoy(s, row, OV_YOY, ind, part, 0);
    wb_decimal(s, row, OV_NUM, r && r->has_num, r ? r->num : 0, r ? r->num_scale : 0);
    wb_decimal(s, row, OV_DEN, r && r->has_den, r ? r->den : 0, r ? r->den_scale : 0);
    wb_text(s, row, OV_PROV, wb_provisional(r), c->f.center);
    wb_text(s, row, OV_NOTE, wb_explain(c, r, buf, sizeof buf), c->f.wrap);
}

/* Rows of the year that are 无数据 only because their annual figure is not due yet. */
static int not_due_count(const wb_ctx *c)
{
    int n = 0;
    for (size_t i = 0; i < c->plan->n_indicators; i++) {
        const zf_result *r = wb_find(c->run, i, 0, c->year, 0);
        n += r && r->outcome == ZF_OUTCOME_NO_DATA && r->nodata == ZF_NODATA_NOT_DUE;
    }
    return n;
}

static void overview_summary(wb_sheet *s, lxw_row_t row)
{
    const wb_ctx *c = s->c;
    size_t n[ZF_OUTCOME_COUNT];
    size_t total = zf_run_tally(c->run, c->year, n);
    char day[16], buf[768], due[160] = "";
    zf_date_format(zf_run_reference(c->run, c->year), day);
    int late = not_due_count(c);
    /* the two kinds of 无数据 ask for different things: nothing, or fixing an input */
    if (late)
        snprintf(due, sizeof due, "（其中%d项为年度数据，尚未到报送期，属正常）", late);
    char none[96] = "";
    if (n[ZF_OUTCOME_NONE])
        snprintf(none, sizeof none, "，本年度未设目标%zu项", n[ZF_OUTCOME_NONE]);
    /* every indicator once (parts nested), so the numbers add up to the total */
    snprintf(buf, sizeof buf, "共%zu项指标（统计至%s）：达标%zu项，未达标%zu项，无数据%zu项%s，进行中%zu项%s%s",
             total, day, n[ZF_OUTCOME_MET], n[ZF_OUTCOME_NOT_MET],
             n[ZF_OUTCOME_NO_DATA], due, n[ZF_OUTCOME_IN_PROGRESS], none,
             c->run->incomplete ? "。本次运行不完整：有数据源缺失或无法读取，或有指标因输入缺失、有误而无数据，见“数据质量”" : "");
    wb_title(s, row, buf, OV_COLS - 1);
}

static void overview_block(wb_sheet *s)
{
    const wb_ctx *c = s->c;
    char buf[512];
    snprintf(buf, sizeof buf, "%s — %d年度指标报告", c->plan->title, wb_plan_year(c, c->year));
    wb_title(s, 0, buf, OV_COLS - 1);
    const char *labels[] = {"年度", "截至日期", "运行编号"};
    snprintf(buf, sizeof buf, "%d", wb_plan_year(c, c->year));
    const char *values[] = {buf, c->run->as_of_text, c->run->run_id};
    for (int i = 0; i < 3; i++) {
        note_err(s, worksheet_write_string(s->ws, (lxw_row_t)(1 + i), OV_CAT, labels[i], c->f.label));
        note_err(s, worksheet_write_string(s->ws, (lxw_row_t)(1 + i), OV_NAME, values[i], c->f.note));
    }
    /* who made the table and when, as a forwarded or printed table is signed; 制表日期 is
       the as-of date: the same run gives the same bytes on whatever day it is repeated */
    const char *who[][2] = {{"制表单位", wb_office(c)}, {"制表日期", c->run->as_of_text}};
    for (int i = 0; i < 2; i++) {
        note_err(s, worksheet_write_string(s->ws, (lxw_row_t)(1 + i), OV_UNIT, who[i][0], c->f.label));
        if (who[i][1][0])
            note_err(s, worksheet_write_string(s->ws, (lxw_row_t)(1 + i), OV_TARGET, who[i][1], c->f.note));
    }
    overview_summary(s, 4);
}

zf_status wb_overview(wb_ctx *c, zf_error *err)
{
    char last[64];
    const char *const head[OV_COLS] = {"序号", "类别", "指标", "责任单位", "目标（原文）", "目标值", "实际值",
                                       "状态", "差距（实际−目标）", "完成率", wb_last_header(c, last, sizeof last),
                                       "同比", "分子", "分母", "预判", "说明"};
    wb_sheet s;
    zf_status st = wb_sheet_open(c, &s, "总览", OV_HEADER, OV_NAME + 1, err);
    if (st != ZF_OK) return st;
    s.repeat_cols = OV_NAME + 1;   /* printed over two pages wide, each says which indicator */
    s.cap[OV_CAT] = 8;
    s.cap[OV_NAME] = 22;
    s.cap[OV_UNIT] = 9;
    s.cap[OV_NOTE] = 18;
    for (lxw_col_t col = OV_TARGET; col <= OV_YOY; col++) s.cap[col] = 9;
    s.cap[OV_GAP] = s.cap[OV_YOY] = 13;   /* "+0.00个百分点" */
    overview_block(&s);
    wb_header(&s, OV_HEADER, head, OV_COLS);
    lxw_row_t row = OV_HEADER + 1;
    for (size_t i = 0; i < c->plan->n_indicators; i++) {
        if (c->plan->indicators[i].n_parts > 1) overview_combined(&s, row++, i);
        for (size_t p = 0; p < c->plan->indicators[i].n_parts; p++) overview_row(&s, row++, i, p);
    }
    wb_status_cf(&s, OV_HEADER + 1, OV_STATUS, row - 1, OV_STATUS);
    wb_status_cf(&s, OV_HEADER + 1, OV_PROV, row - 1, OV_PROV);
    note_err(&s, worksheet_autofilter(s.ws, OV_HEADER, 0, row - 1, OV_COLS - 1));
    return wb_sheet_close(&s, err);
}

/* ---- the workbook ------------------------------------------------------------------ */

/* The creation time is the as-of date at midnight UTC, never the clock: the same run
 * must give the same bytes. */
static time_t as_of_time(const zf_run *run)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y = 1970, m = 1, d = 1;
    if (sscanf(run->as_of_text, "%d-%d-%d", &y, &m, &d) != 3) { y = 1970; m = 1; d = 1; }
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    return timegm(&tm);
}

static ZF_MUST_CHECK zf_status set_properties(wb_ctx *c, zf_error *err)
{
    char title[512], comments[256];
    snprintf(title, sizeof title, "%s %d年度指标报告", c->plan->title, wb_plan_year(c, c->year));
    snprintf(comments, sizeof comments, "运行编号 %s，截至 %s，zhongfu %s", c->run->run_id,
             c->run->as_of_text, c->run->version ? c->run->version : "");
    lxw_doc_properties p;
    memset(&p, 0, sizeof p);
    p.title = title;
    p.subject = "弱有众扶五年指标年度监测";
    p.author = "zhongfu";
    p.company = (char *)wb_office(c);   /* was Yuyao's for every plan */
    p.comments = comments;
    p.created = as_of_time(c->run);
    lxw_error e = workbook_set_properties(c->wb, &p);
    if (e != LXW_NO_ERROR)
        return zf_error_set(err, ZF_ERR_INTERNAL, NULL, 0, 0, "workbook properties: %s", lxw_strerror(e));
    return ZF_OK;
}

typedef zf_status (*wb_sheet_fn)(wb_ctx *c, zf_error *err);

zf_status zf_workbook_write(const zf_run *run, size_t year_index, const char *path, zf_error *err)
{
    static const wb_sheet_fn sheets[] = {wb_overview, wb_units, wb_trend, wb_towns,
                                         wb_quality, wb_rejects, wb_skipped, wb_policies, wb_notes,
                                         wb_manifest};
    zf_status st = ZF_OK;
    wb_ctx c;
    memset(&c, 0, sizeof c);
    if (!run || !run->defs || !path || year_index >= run->defs->plan.n_years) {
        st = zf_error_set(err, ZF_ERR_USAGE, path ? path : "", 0, 0, "workbook: no run, path or such year");
        goto cleanup;
    }
    c.run = run;
    c.defs = run->defs;
    c.plan = &run->defs->plan;
    c.year = year_index;
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    c.wb = workbook_new_opt(path, &opt);
    if (!c.wb) {
        st = zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "cannot create workbook");
        goto cleanup;
    }
    make_formats(&c);
    st = set_properties(&c, err);
    for (size_t i = 0; st == ZF_OK && i < sizeof sheets / sizeof sheets[0]; i++) st = sheets[i](&c, err);
cleanup:
    if (c.wb) {
        /* Close even after an error: it frees the workbook; the half-made file goes. */
        errno = 0;   /* the library's own message gives the errno of a failed write; so does ours */
        lxw_error e = workbook_close(c.wb);
        int saved = errno;
        if (st == ZF_OK && e != LXW_NO_ERROR)
            st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write workbook: %s%s%s%s", lxw_strerror(e),
                              saved ? " (" : "", saved ? strerror(saved) : "", saved ? ")" : "");
        if (st == ZF_OK)
            st = wb_verify(path, err);   /* workbook_verify.c: libxlsxwriter drops write errors */
        if (st != ZF_OK) remove(path);
    }
    return st;
}
