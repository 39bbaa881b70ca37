/* fuzz_xls_biff.c — the BIFF decoder alone (etl/extract/xls_biff.c, xls_sst.c): the input is
 * a workbook stream, as libgsf hands it over.  fuzz_xls goes through the OLE2 container and
 * the reader at a thousand files a second; this reaches the records much faster.  Every
 * decoded cell is checked: text inside the text pool, cells in order, one per cell, dates
 * that format. */
#include "fuzz.h"

#include "../../etl/extract/xls_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    zf_xls_sheet sh;
    zf_error err;
    if (zf_rd_xls_decode(data, n, "fuzz.xls", &sh, &err) != ZF_OK)
        return 0;
    for (size_t i = 0; i < sh.n; i++) {
        const zf_xls_cell *c = &sh.cells[i];
        if (i && (sh.cells[i - 1].row > c->row || (sh.cells[i - 1].row == c->row && sh.cells[i - 1].col >= c->col)))
            abort();
        if (c->row >= sh.rows || c->col >= sh.cols)
            abort();
        if (c->kind == ZF_XLS_TEXT && (c->v.s.off > sh.text.len || c->v.s.len > sh.text.len - c->v.s.off))
            abort();
        char t[40];
        if (c->kind >= ZF_XLS_DATE && zf_rd_xls_date_text(c, sh.date1904, t, sizeof t) >= sizeof t)
            abort();
    }
    zf_rd_xls_sheet_free(&sh);
    return 0;
}
