/* workbook_internal.h — what the sheet writers of the workbook share: the formats, the
 * sheet builder that tracks column widths, and the lookups into the run.  Not public. */
#ifndef ZF_WORKBOOK_INTERNAL_H
#define ZF_WORKBOOK_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <xlsxwriter.h>

#include "zf_display.h"
#include "zf_error.h"
#include "zf_run.h"

#define WB_MAX_COLS 64
/* The font every cell uses: Excel on a Chinese Windows has it, LibreOffice maps it to a
 * CJK font through fontconfig; Calibri (the library default) has no Chinese glyphs. */
#define WB_FONT "等线"
#define WB_DASH "—"
/* A4 landscape: the paper's width and the left and right margins, in inches. */
#define WB_PAGE_INCHES 11.69
#define WB_MARGIN 0.4
/* The least a sheet is shrunk to fit one page width: 10.5 pt text prints at 8 pt. */
#define WB_MIN_SCALE 0.77

typedef struct wb_fmt {
    lxw_format *title, *label, *note, *text, *wrap, *center, *head, *group;
    lxw_format *pct, *pct2, *amount, *count, *year, *seq;
    lxw_format *met, *not_met, *no_data, *progress;   /* conditional-format fills */
    /* made when first needed: the decimals a value needs beside its target (zf_display.h) */
    lxw_format *pct_at[ZF_DISPLAY_MAX_PLACES + 1], *amount_at[ZF_DISPLAY_MAX_PLACES + 1];
} wb_fmt;

/* Number formats made when first asked for by their text (targets with their direction,
 * signed gaps): a workbook uses a few dozen. */
#define WB_MAX_NUMFMTS 128
typedef struct wb_numfmt_slot {
    char num[192];
    lxw_format *f;
} wb_numfmt_slot;

typedef struct wb_ctx {
    const zf_run *run;
    const zf_defs *defs;
    const zf_plan *plan;
    size_t year;             /* plan year index of this workbook */
    lxw_workbook *wb;
    wb_fmt f;
    wb_numfmt_slot numfmt[WB_MAX_NUMFMTS];
    size_t n_numfmt;
    lxw_error lerr;          /* first libxlsxwriter error; checked once per sheet so the
                                writers need not test every cell */
} wb_ctx;

typedef struct wb_sheet {
    wb_ctx *c;
    lxw_worksheet *ws;
    const char *name;
    double width[WB_MAX_COLS];
    double cap[WB_MAX_COLS];  /* widest a column may get; longer text wraps */
    lxw_row_t line_row;       /* the row whose wrapped lines are being counted */
    int lines;                /* most lines a cell of line_row wraps to */
    /* the columns repeated on each page when the sheet is printed over several pages
       wide (1 unless the sheet says) */
    lxw_col_t repeat_cols;
} wb_sheet;

/* ---- sheet builder (workbook.c) ------------------------------------------- */

/* header_row: the row every printed page repeats and the panes freeze below; WB_NO_HEADER
 * for a sheet without a table (charts). */
#define WB_NO_HEADER ((lxw_row_t)-1)
ZF_MUST_CHECK zf_status wb_sheet_open(wb_ctx *c, wb_sheet *s, const char *name, lxw_row_t header_row,
                        lxw_col_t freeze_cols, zf_error *err);
ZF_MUST_CHECK zf_status wb_sheet_close(wb_sheet *s, zf_error *err);
/* 制表单位 left, the page number in the middle, 制表日期 right, on every printed page. */
void wb_sheet_footer(wb_sheet *s);
/* The office that made the table (the plan's "office"), "" when the plan does not say. */
const char *wb_office(const wb_ctx *c);
void wb_text(wb_sheet *s, lxw_row_t row, lxw_col_t col, const char *text, lxw_format *fmt);
void wb_num(wb_sheet *s, lxw_row_t row, lxw_col_t col, double v, lxw_format *fmt);
/* The same for a number whose format adds text ("+2.5个百分点"): width in column units. */
void wb_num_wide(wb_sheet *s, lxw_row_t row, lxw_col_t col, double v, lxw_format *fmt, double width);
void wb_int(wb_sheet *s, lxw_row_t row, lxw_col_t col, int64_t v);
/* An indicator's number (序号), centred. */
void wb_seq(wb_sheet *s, lxw_row_t row, lxw_col_t col, int number);
void wb_header(wb_sheet *s, lxw_row_t row, const char *const *names, size_t n);
void wb_title(wb_sheet *s, lxw_row_t row, const char *text, lxw_col_t last_col);
void wb_status_cf(wb_sheet *s, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1, lxw_col_t c1);
/* Text rules in priority order: the first word that matches a cell decides its fill
 * (so "未达标" is listed before "达标", which it contains). */
void wb_text_cf(wb_sheet *s, lxw_row_t r0, lxw_col_t c0, lxw_row_t r1, lxw_col_t c1,
                const char *const *words, lxw_format *const *fmts, size_t n);

/* ---- run lookups and cells (workbook.c) ---------------------------------- */

const zf_result *wb_find(const zf_run *run, size_t ind, size_t part, size_t year, int region);
/* "指标名" or "指标名（分项）" for a part of a multi-part indicator. */
const char *wb_indicator_label(const zf_indicator *ind, size_t part, char *buf, size_t size);
/* The result's value as a typed cell (percentage, amount, count, word, or "—"). */
void wb_value(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_result *r);
/* A target as a typed cell: its number (for charts) or its word; blank when none. */
void wb_target_value(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_target *t,
                     zf_value_kind kind);
/* "0.000%" / "#,##0.000": p decimals, for a value the display rule widened. */
lxw_format *wb_places_fmt(wb_ctx *c, bool pct, int p);
/* A bordered, right-aligned format with number format num, made once per workbook. */
lxw_format *wb_numfmt(wb_ctx *c, const char *num);
const char *wb_status(const zf_result *r);
const char *wb_provisional(const zf_result *r);
/* The provisional word of a multi-part indicator's combination (its first part's row). */
const char *wb_combined_provisional(const zf_result *r);
/* An exact decimal (v with scale implied decimals) as a number cell: counts as integers,
 * sums of amounts with their decimals; blank when !has. */
void wb_decimal(wb_sheet *s, lxw_row_t row, lxw_col_t col, bool has, int64_t v, int scale);

/* ---- the numbers a reader calculates with (workbook_measures.c) ----------- */

/* The target of a row as a number cell whose format shows its direction ("≥82%", "≤0.9%",
 * ">18"): the word or the range as text; blank without one. */
void wb_target_number(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_target *t);
/* 差距 = actual − target, in the indicator's unit (percentage points for a rate); the side
 * short of the target is red where the row is judged short.  Blank where it means nothing
 * (no value, a word, a range). */
void wb_gap(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_result *r, const zf_target *t);
/* 完成率 = actual / target (target / actual when lower is better): 100 % or more is met. */
void wb_completion(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_result *r, const zf_target *t);
/* The same row of the year before (NULL when that year is not computed). */
const zf_result *wb_last_year(const wb_ctx *c, const zf_result *r);
/* The value of the year before, or the plan's baseline in its first year; "—" when none. */
void wb_last_value(wb_sheet *s, lxw_row_t row, lxw_col_t col, size_t ind, size_t part, int region);
/* 同比: a rate's change in percentage points, an amount's or count's growth rate. */
void wb_yoy(wb_sheet *s, lxw_row_t row, lxw_col_t col, size_t ind, size_t part, int region);
/* "2025年实际值": the header of wb_last_value's column. */
const char *wb_last_header(const wb_ctx *c, char *buf, size_t size);
/* The target the row is judged against (a series target resolved), else the plan's. */
const zf_target *wb_row_target(const wb_ctx *c, size_t ind, const zf_result *r);
/* Why a row has no value (or how an open year is judged); "" when there is nothing to say. */
const char *wb_explain(const wb_ctx *c, const zf_result *r, char *buf, size_t size);
int wb_plan_year(const wb_ctx *c, size_t year_index);
/* The outcome of a whole indicator: met only when every part is met. */
zf_outcome wb_indicator_outcome(const wb_ctx *c, size_t ind, size_t year);
const char *wb_source_title(const wb_ctx *c, size_t source);

/* ---- the sheets ------------------------------------------------------------ */

ZF_MUST_CHECK zf_status wb_overview(wb_ctx *c, zf_error *err);
ZF_MUST_CHECK zf_status wb_units(wb_ctx *c, zf_error *err);            /* workbook_units.c */
ZF_MUST_CHECK zf_status wb_trend(wb_ctx *c, zf_error *err);
ZF_MUST_CHECK zf_status wb_towns(wb_ctx *c, zf_error *err);
ZF_MUST_CHECK zf_status wb_quality(wb_ctx *c, zf_error *err);
ZF_MUST_CHECK zf_status wb_rejects(wb_ctx *c, zf_error *err);
ZF_MUST_CHECK zf_status wb_skipped(wb_ctx *c, zf_error *err);
ZF_MUST_CHECK zf_status wb_policies(wb_ctx *c, zf_error *err);
ZF_MUST_CHECK zf_status wb_notes(wb_ctx *c, zf_error *err);
ZF_MUST_CHECK zf_status wb_manifest(wb_ctx *c, zf_error *err);

/* every part of the workbook at path parses and agrees with the others (workbook_verify.c) */
ZF_MUST_CHECK zf_status wb_verify(const char *path, zf_error *err);

#endif
