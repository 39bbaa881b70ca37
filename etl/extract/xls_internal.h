/* xls_internal.h — what xls.c takes from xls_formula.c: the cells of an .xls sheet that
 * FreeXL does not read right.  Private to etl/extract. */
#ifndef ZF_XLS_INTERNAL_H
#define ZF_XLS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zf_error.h"

typedef struct zf_xls_cell {
    uint32_t row;
    uint16_t col;
    bool number;            /* num holds it; else the text text[off .. off+len) */
    double num;
    size_t off, len;
} zf_xls_cell;

typedef struct zf_xls_extra {
    zf_xls_cell *cells;     /* sorted by row, then column */
    size_t n, cap;
    char *text;
    size_t text_len, text_cap;
} zf_xls_extra;

/* The first worksheet's formula results (number, text, "true"/"false", "#N/A"…, or empty
 * text) and BOOLERR cells ("true"/"false" or the error) of the BIFF8 workbook at path.  A
 * BIFF5 workbook gives none.  Errors are ZF_ERR_FORMAT (broken records) or ZF_ERR_NOMEM. */
zf_status zf_rd_xls_extra_read(const char *path, zf_xls_extra *x, zf_error *err);
/* The cell at (row, col), or NULL. */
const zf_xls_cell *zf_rd_xls_extra_find(const zf_xls_extra *x, unsigned row, unsigned col);
void zf_rd_xls_extra_free(zf_xls_extra *x);

#endif
