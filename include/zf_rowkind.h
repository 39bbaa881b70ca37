/* zf_rowkind.h — rows of a departmental sheet that are not records.
 *
 * People make exports with a title block above the header (found by the readers, see
 * zf_reader_header_line), blank rows, and under the records a 合计/小计/总计 row and note
 * rows (制表人, 审核人, 说明…).  Such a row fails validation like a broken record would; its
 * label (the first non-empty cell in any column, zf_reader_row_label) tells them apart, and
 * it is then counted as what it is, not as a rejected record.  A 合计 row's sums are
 * compared with the sums of the file's accepted records above it. */
#ifndef ZF_ROWKIND_H
#define ZF_ROWKIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zf_record.h"
#include "zf_defs.h"
#include "zf_reader.h"
#include "zf_value.h"


/* What a row that failed validation is, by its label (has_label false: nothing in the row). */
zf_row_kind zf_row_kind_of(bool has_label, const char *label, size_t len);

/* The running sums of a file's accepted records in its amount, integer and decimal columns. */
typedef struct zf_totals {
    const zf_source *src;
    size_t *cols;          /* the summed columns */
    size_t n_cols;
    int64_t *sum;          /* per source column (unused for other types) */
    bool *overflow;        /* a sum that left int64: not compared */
    int64_t records;       /* records added since the last 小计 (subtotals compare those) */
    int64_t *part;         /* the sums since the last 小计 */
} zf_totals;

ZF_MUST_CHECK zf_status zf_totals_init(zf_totals *t, const zf_source *src);
void zf_totals_free(zf_totals *t);
void zf_totals_add(zf_totals *t, const zf_value *values);

/* Compare a total row's cells (the source's columns) with the sums so far, as a sentence
 * for people into buf: "救助金额 12345.67 = 记录之和; 人数 12 ≠ 记录之和 11 (差 1)", or "" when
 * the row carries no number in a summed column.  A 小计 row (subtotal) compares the records
 * since the previous 小计 and starts a new part.  Returns whether every number matched. */
bool zf_totals_check(zf_totals *t, const zf_cell *cells, const bool *present, bool subtotal,
                     const zf_value_ctx *ctx, char *buf, size_t size);

#endif
