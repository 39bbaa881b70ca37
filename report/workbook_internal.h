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

typedef struct wb_fmt {
    lxw_format *title, *label, *note, *text, *wrap, *center, *head, *group;
    lxw_format *pct, *pct2, *amount, *count, *year, *seq;
    lxw_format *met, *not_met, *no_data, *progress;   /* conditional-format fills */
    /* made when first needed: the decimals a value needs beside its target (zf_display.h) */
    lxw_format *pct_at[ZF_DISPLAY_MAX_PLACES + 1], *amount_at[ZF_DISPLAY_MAX_PLACES + 1];
} wb_fmt;

typedef struct wb_ctx {
    const zf_run *run;
    const zf_defs *defs;
    const zf_plan *plan;
    size_t year;             /* plan year index of this workbook */
    lxw_workbook *wb;
    wb_fmt f;
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
} wb_sheet;

/* ---- sheet builder (workbook.c) ------------------------------------------- */

zf_status wb_sheet_open(wb_ctx *c, wb_sheet *s, const char *name, lxw_row_t header_row,
                        lxw_col_t freeze_cols, zf_error *err);
zf_status wb_sheet_close(wb_sheet *s, zf_error *err);
void wb_text(wb_sheet *s, lxw_row_t row, lxw_col_t col, const char *text, lxw_format *fmt);
void wb_num(wb_sheet *s, lxw_row_t row, lxw_col_t col, double v, lxw_format *fmt);
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
const char *wb_status(const zf_result *r);
const char *wb_provisional(const zf_result *r);
/* Why a row has no value (or how an open year is judged); "" when there is nothing to say. */
const char *wb_explain(const wb_ctx *c, const zf_result *r, char *buf, size_t size);
int wb_plan_year(const wb_ctx *c, size_t year_index);
/* The outcome of a whole indicator: met only when every part is met. */
zf_outcome wb_indicator_outcome(const wb_ctx *c, size_t ind, size_t year);
const char *wb_source_title(const wb_ctx *c, size_t source);

/* ---- the sheets ------------------------------------------------------------ */

zf_status wb_overview(wb_ctx *c, zf_error *err);
zf_status wb_units(wb_ctx *c, zf_error *err);
zf_status wb_trend(wb_ctx *c, zf_error *err);
zf_status wb_towns(wb_ctx *c, zf_error *err);
zf_status wb_quality(wb_ctx *c, zf_error *err);
zf_status wb_skipped(wb_ctx *c, zf_error *err);
zf_status wb_policies(wb_ctx *c, zf_error *err);
zf_status wb_notes(wb_ctx *c, zf_error *err);

/* every part of the workbook at path parses and agrees with the others (workbook_verify.c) */
zf_status wb_verify(const char *path, zf_error *err);

#endif
