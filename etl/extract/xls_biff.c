/* xls_biff.c — the records of a BIFF5/BIFF8 workbook stream, decoded into the cells of its
 * first worksheet.
 *
 * The stream is the workbook's globals (BOF … EOF: code page, date system, number formats
 * and the cell formats (XF) that point at them, the shared strings, the sheets' offsets)
 * and then one BOF … EOF block per sheet.  Only the first BOUNDSHEET's block is read, the
 * sheet FreeXL read as sheet 0; charts embedded in it are blocks of their own and skipped.
 * Its value records (NUMBER, RK, MULRK, LABELSST, LABEL, RSTRING, BOOLERR, FORMULA and the
 * STRING after it) become cells; BLANK and MULBLANK, formatting without a value, do not.
 * A number is a date when its XF's format is one, by FreeXL's rule (the built-in formats
 * 14–22 and 45–47, or a format string holding y and m, or m and d), so the text of a date
 * cell is what it was.  A formula cell is the result Excel saved with it: nothing is
 * calculated, and a date-formatted result stays a serial number, as in an XLSX.
 *
 * Every field is read only after the record is known to hold it; a record too short for
 * its fields is skipped as the other readers skip what they do not know, except where the
 * cell would then read wrong (a string cut short, a shared string that is not there): that
 * is an error naming the row and column. */
#include "xls_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct book {
    zf_xls_stream s;
    const char *path;
    unsigned version;           /* ZF_BIFF5 or ZF_BIFF8 */
    iconv_t cv;                 /* BIFF5 text: the code page to UTF-8 */
    unsigned codepage;
    uint16_t *xf_fmt;           /* XF index -> number format index */
    size_t n_xf, cap_xf;
    unsigned char *fmt_kind;    /* number format index -> a date kind, or 0 (65536 entries) */
    zf_xls_sst sst;
    zf_xls_sheet *sh;
    uint32_t dim_rows, dim_cols;
    bool sorted;
    size_t pending;             /* the formula cell waiting for its STRING record, or SIZE_MAX */
} book;

static unsigned u16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)u16(p) | (uint32_t)u16(p + 2) << 16;
}

zf_xls_next zf_rd_xls_next(zf_xls_stream *s, zf_xls_rec *r)
{
    size_t left = s->n - s->pos;
    if (left == 0)
        return ZF_XLS_END;
    if (left < 4)
        return ZF_XLS_BROKEN;
    const unsigned char *h = s->p + s->pos;
    r->type = u16(h);
    r->len = u16(h + 2);
    if (r->type == 0 && r->len == 0)
        return ZF_XLS_END;   /* zero padding after the last EOF, as some writers leave it */
    if (r->len > left - 4)
        return ZF_XLS_BROKEN;
    r->data = h + 4;
    r->at = s->pos;
    s->pos += 4 + (size_t)r->len;
    return ZF_XLS_RECORD;
}

/* "not a readable .xls workbook: …" at (row, col), 1-based, 0 when not a cell's. */
static ZF_MUST_CHECK zf_status corrupt(const book *b, zf_error *err, long row, long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static ZF_MUST_CHECK zf_status corrupt(const book *b, zf_error *err, long row, long col, const char *fmt, ...)
{
    char why[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return zf_error_set(err, ZF_ERR_FORMAT, b->path, row, col, "not a readable .xls workbook: %s", why);
}

static ZF_MUST_CHECK zf_status nomem(const book *b, zf_error *err)
{
    return zf_error_set(err, ZF_ERR_NOMEM, b->path, 0, 0, "out of memory for the .xls sheet");
}

/* ---- number formats ------------------------------------------------------------------- */

/* FreeXL's reading of a format string: y, m and d with h a date-time, y and m or m and d a
 * date, h and m or m and s a time (letters inside quotes or brackets count too, so a
 * [DBNum1] number shown in Chinese numerals reads as a date, which is documented). */
static zf_xls_kind format_kind(const char *s, size_t n)
{
    unsigned y = 0, m = 0, d = 0, h = 0, sec = 0;
    for (size_t i = 0; i < n; i++)
        switch (s[i] | 0x20) {
        case 'y': y++; break;
        case 'm': m++; break;
        case 'd': d++; break;
        case 'h': h++; break;
        case 's': sec++; break;
        default: break;
        }
    if (y && m && d && h)
        return ZF_XLS_DATETIME;
    if ((y && m) || (m && d))
        return ZF_XLS_DATE;
    if ((h && m) || (m && sec))
        return ZF_XLS_TIME;
    return ZF_XLS_NUM;
}

static ZF_MUST_CHECK zf_status take_format(book *b, const zf_xls_rec *r, zf_error *err)
{
    if (r->len < 3)
        return ZF_OK;
    unsigned index = u16(r->data);
    zf_xls_text t = { NULL, 0, 0 };
    size_t len = 0;
    zf_xls_str st;
    if (b->version == ZF_BIFF8) {
        zf_xls_cur c = { &b->s, *r, 2 };
        st = zf_rd_xls_ustr(&c, &t, &len);
    } else {
        size_t n = r->data[2] < r->len - 3 ? r->data[2] : r->len - 3;
        st = zf_rd_xls_ansi(b->cv, r->data + 3, n, &t, &len);
    }
    zf_xls_kind k = st == ZF_XLS_STR_OK ? format_kind(t.p, len) : ZF_XLS_NUM;
    free(t.p);
    if (st == ZF_XLS_STR_NOMEM)
        return nomem(b, err);
    if (k == ZF_XLS_NUM)
        return ZF_OK;   /* a format that is not a date, or unreadable: its numbers stay numbers */
    if (!b->fmt_kind && !(b->fmt_kind = calloc(65536, 1)))
        return nomem(b, err);
    if (!b->fmt_kind[index])
        b->fmt_kind[index] = (unsigned char)k;   /* the first of two formats with one index, as FreeXL */
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status take_xf(book *b, const zf_xls_rec *r, zf_error *err)
{
    if (r->len < 4 || b->n_xf == 65536)
        return ZF_OK;   /* cells name at most 65536 XFs */
    if (b->n_xf == b->cap_xf) {
        size_t nc = b->cap_xf ? b->cap_xf * 2 : 64;
        uint16_t *p = realloc(b->xf_fmt, nc * sizeof *p);
        if (!p)
            return nomem(b, err);
        b->xf_fmt = p;
        b->cap_xf = nc;
    }
    b->xf_fmt[b->n_xf++] = (uint16_t)u16(r->data + 2);
    return ZF_OK;
}

/* What a number with cell format xf is: a plain number, or a date, date-time or time. */
static zf_xls_kind number_kind(const book *b, unsigned xf, double num)
{
    if (xf >= b->n_xf)
        return ZF_XLS_NUM;
    unsigned f = b->xf_fmt[xf];
    zf_xls_kind k = ZF_XLS_NUM;
    if (f >= 14 && f <= 17)
        k = ZF_XLS_DATE;
    else if ((f >= 18 && f <= 21) || (f >= 45 && f <= 47))
        k = ZF_XLS_TIME;
    else if (f == 22)
        k = ZF_XLS_DATETIME;
    else if (b->fmt_kind)
        k = (zf_xls_kind)b->fmt_kind[f];
    /* a serial before year 10000 and within int, where FreeXL's day count was defined */
    if (k != ZF_XLS_NUM && !(num > -2147483648.0 && num < 2958466.0))
        k = ZF_XLS_NUM;
    return k;
}

/* ---- cells ---------------------------------------------------------------------------- */

static ZF_MUST_CHECK zf_status add_cell(book *b, unsigned row, unsigned col, zf_xls_kind kind, double num, size_t off,
                          size_t len, zf_error *err)
{
    zf_xls_sheet *sh = b->sh;
    if (col >= ZF_XLS_MAX_COLS)
        return corrupt(b, err, (long)row + 1, (long)col + 1,
                       "a cell beyond the format's last column (256): the sheet is corrupt");
    if (sh->n == ZF_XLS_MAX_CELLS)
        return corrupt(b, err, (long)row + 1, (long)col + 1,
                       "more cell records than a sheet has cells (65536 rows of 256): the sheet is corrupt");
    if (sh->n == sh->cap) {
        size_t nc = sh->cap ? sh->cap * 2 : 256;
        zf_xls_cell *p = realloc(sh->cells, nc * sizeof *p);
        if (!p)
            return nomem(b, err);
        sh->cells = p;
        sh->cap = nc;
    }
    zf_xls_cell *c = &sh->cells[sh->n];
    *c = (zf_xls_cell){ .row = row, .seq = (uint32_t)sh->n, .col = (uint16_t)col, .kind = (uint8_t)kind };
    if (kind == ZF_XLS_TEXT) {
        c->v.s.off = (uint32_t)off;   /* below ZF_XLS_MAX_TEXT */
        c->v.s.len = (uint32_t)len;
    } else {
        c->v.num = num;
    }
    if (sh->n && (sh->cells[sh->n - 1].row > row ||
                  (sh->cells[sh->n - 1].row == row && sh->cells[sh->n - 1].col >= col)))
        b->sorted = false;
    sh->n++;
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status add_number(book *b, unsigned row, unsigned col, unsigned xf, double num, zf_error *err)
{
    return add_cell(b, row, col, number_kind(b, xf, num), num, 0, 0, err);
}

static ZF_MUST_CHECK zf_status add_text(book *b, unsigned row, unsigned col, const char *s, zf_error *err)
{
    size_t off = b->sh->text.len, n = strlen(s);
    zf_xls_str st = zf_rd_xls_put(&b->sh->text, s, n);
    if (st != ZF_XLS_STR_OK)
        return st == ZF_XLS_STR_NOMEM ? nomem(b, err)
                                      : corrupt(b, err, (long)row + 1, (long)col + 1, "more than 1 GiB of text");
    return add_cell(b, row, col, ZF_XLS_TEXT, 0, off, n, err);
}

/* A string decoded for the cell at (row, col), as an error when it could not be. */
static ZF_MUST_CHECK zf_status string_status(const book *b, zf_xls_str st, unsigned row, unsigned col, zf_error *err)
{
    switch (st) {
    case ZF_XLS_STR_OK:
        return ZF_OK;
    case ZF_XLS_STR_NOMEM:
        return nomem(b, err);
    case ZF_XLS_STR_LONG:
        return corrupt(b, err, (long)row + 1, (long)col + 1, "a text longer than Excel's 32767 characters");
    case ZF_XLS_STR_FULL:
        return corrupt(b, err, (long)row + 1, (long)col + 1, "more than 1 GiB of text");
    default:
        return corrupt(b, err, (long)row + 1, (long)col + 1,
                       "a text cell is cut short: the file is truncated or corrupt");
    }
}

/* A LABEL or RSTRING record's text: BIFF8 unicode, or BIFF5 code-page bytes. */
static ZF_MUST_CHECK zf_status label(book *b, const zf_xls_rec *r, zf_error *err)
{
    unsigned row = u16(r->data), col = u16(r->data + 2);
    size_t off = b->sh->text.len, len = 0;
    zf_xls_str st;
    if (b->version == ZF_BIFF8) {
        zf_xls_cur c = { &b->s, *r, 6 };
        st = zf_rd_xls_ustr(&c, &b->sh->text, &len);
    } else {
        size_t n = u16(r->data + 6);
        st = n <= r->len - 8 ? zf_rd_xls_ansi(b->cv, r->data + 8, n, &b->sh->text, &len) : ZF_XLS_STR_SHORT;
    }
    zf_status s = string_status(b, st, row, col, err);
    return s == ZF_OK ? add_cell(b, row, col, ZF_XLS_TEXT, 0, off, len, err) : s;
}

static ZF_MUST_CHECK zf_status label_sst(book *b, const zf_xls_rec *r, zf_error *err)
{
    unsigned row = u16(r->data), col = u16(r->data + 2);
    uint32_t i = u32(r->data + 6);
    if (i >= b->sst.n)
        return corrupt(b, err, (long)row + 1, (long)col + 1,
                       "a cell refers to shared string %lu, but the table has %zu",
                       (unsigned long)i + 1, b->sst.n);
    return add_cell(b, row, col, ZF_XLS_TEXT, 0, b->sst.off[i], b->sst.len[i], err);
}

/* An RK number: 30 bits of an integer or of a double's high word, maybe hundredths. */
static double rk_value(uint32_t v)
{
    uint32_t bits = v & ~3u;
    double d;
    if (v & 2) {
        int32_t i;
        memcpy(&i, &bits, sizeof i);
        d = i / 4;   /* exact: the two low bits are clear */
    } else {
        uint64_t w = (uint64_t)bits << 32;
        memcpy(&d, &w, sizeof d);   /* IEEE 754, as the x86 and ARM hosts are */
    }
    return v & 1 ? d / 100 : d;
}

static ZF_MUST_CHECK zf_status mulrk(book *b, const zf_xls_rec *r, zf_error *err)
{
    unsigned row = u16(r->data), col = u16(r->data + 2);
    size_t k = (r->len - 6) / 6;   /* (xf, rk) pairs between the first column and the last */
    zf_status st = ZF_OK;
    for (size_t i = 0; i < k && st == ZF_OK; i++) {
        const unsigned char *p = r->data + 4 + 6 * i;
        st = add_number(b, row, col + (unsigned)i, u16(p), rk_value(u32(p + 2)), err);
    }
    return st;
}

static const char *error_text(unsigned code)
{
    switch (code) {
    case 0x00: return "#NULL!";
    case 0x07: return "#DIV/0!";
    case 0x0F: return "#VALUE!";
    case 0x17: return "#REF!";
    case 0x1D: return "#NAME?";
    case 0x24: return "#NUM!";
    case 0x2A: return "#N/A";
    default: return "#ERROR!";
    }
}

/* A FORMULA record's saved result: a double, or (its last two bytes 0xFFFF) a flag for a
 * text (in the STRING record that follows), a boolean, an error or nothing. */
static ZF_MUST_CHECK zf_status formula(book *b, const zf_xls_rec *r, zf_error *err)
{
    unsigned row = u16(r->data), col = u16(r->data + 2);
    const unsigned char *res = r->data + 6;
    b->pending = SIZE_MAX;
    if (u16(res + 6) != 0xFFFF) {
        double d;
        memcpy(&d, res, sizeof d);
        return add_cell(b, row, col, ZF_XLS_NUM, d, 0, 0, err);
    }
    switch (res[0]) {
    case 0:
        b->pending = b->sh->n;
        return add_text(b, row, col, "", err);
    case 1:
        return add_text(b, row, col, res[2] ? "true" : "false", err);
    case 2:
        return add_text(b, row, col, error_text(res[2]), err);
    default:
        return add_text(b, row, col, "", err);
    }
}

static ZF_MUST_CHECK zf_status string_result(book *b, const zf_xls_rec *r, zf_error *err)
{
    zf_xls_cell *c = &b->sh->cells[b->pending];
    unsigned row = c->row, col = c->col;
    size_t off = b->sh->text.len, len = 0;
    zf_xls_str st;
    b->pending = SIZE_MAX;
    if (b->version == ZF_BIFF8) {
        zf_xls_cur cur = { &b->s, *r, 0 };
        st = zf_rd_xls_ustr(&cur, &b->sh->text, &len);
    } else {
        if (r->len < 2 || u16(r->data) > r->len - 2)
            st = ZF_XLS_STR_SHORT;
        else
            st = zf_rd_xls_ansi(b->cv, r->data + 2, u16(r->data), &b->sh->text, &len);
    }
    zf_status s = string_status(b, st, row, col, err);
    if (s == ZF_OK) {
        c->v.s.off = (uint32_t)off;
        c->v.s.len = (uint32_t)len;
    }
    return s;
}

static ZF_MUST_CHECK zf_status dimension(book *b, const zf_xls_rec *r, zf_error *err)
{
    uint32_t rows, cols;
    if (b->version == ZF_BIFF8 && r->len >= 14) {
        rows = u32(r->data + 4);
        cols = u16(r->data + 10);
    } else if (b->version == ZF_BIFF5 && r->len >= 10) {
        rows = u16(r->data + 2);
        cols = u16(r->data + 6);
    } else {
        return ZF_OK;
    }
    if (rows > ZF_XLS_MAX_ROWS)
        return corrupt(b, err, (long)ZF_XLS_MAX_ROWS + 1, 0,
                       "a row beyond the format's last row (65536): the sheet is corrupt");
    if (cols > ZF_XLS_MAX_COLS)
        return corrupt(b, err, 0, (long)ZF_XLS_MAX_COLS + 1,
                       "a column beyond the format's last column (256): the sheet is corrupt");
    b->dim_rows = rows;
    b->dim_cols = cols;
    return ZF_OK;
}

/* One record of the sheet's own block; records too short for their fields are skipped. */
static ZF_MUST_CHECK zf_status sheet_record(book *b, const zf_xls_rec *r, zf_error *err)
{
    const unsigned char *d = r->data;
    switch (r->type) {
    case ZF_BIFF_DIMENSION:
        return dimension(b, r, err);
    case ZF_BIFF_NUMBER:
        if (r->len < 14)
            return ZF_OK;
        double num;
        memcpy(&num, d + 6, sizeof num);
        return add_number(b, u16(d), u16(d + 2), u16(d + 4), num, err);
    case ZF_BIFF_RK:
        return r->len < 10 ? ZF_OK : add_number(b, u16(d), u16(d + 2), u16(d + 4), rk_value(u32(d + 6)), err);
    case ZF_BIFF_MULRK:
        return r->len < 6 ? ZF_OK : mulrk(b, r, err);
    case ZF_BIFF_LABELSST:
        return r->len < 10 ? ZF_OK : label_sst(b, r, err);
    case ZF_BIFF_LABEL:
    case ZF_BIFF_RSTRING:
        return r->len < 8 ? ZF_OK : label(b, r, err);
    case ZF_BIFF_BOOLERR:
        if (r->len < 8)
            return ZF_OK;
        return add_text(b, u16(d), u16(d + 2), d[7] ? error_text(d[6]) : d[6] ? "true" : "false", err);
    case ZF_BIFF_FORMULA:
        return r->len < 20 ? ZF_OK : formula(b, r, err);
    case ZF_BIFF_STRING:
        return b->pending == SIZE_MAX ? ZF_OK : string_result(b, r, err);
    default:
        return ZF_OK;   /* BLANK, MULBLANK, formatting, CONTINUE of what was read */
    }
}

static int by_cell(const void *pa, const void *pb)
{
    const zf_xls_cell *p = pa, *q = pb;
    if (p->row != q->row)
        return p->row < q->row ? -1 : 1;
    if (p->col != q->col)
        return p->col < q->col ? -1 : 1;
    return (p->seq > q->seq) - (p->seq < q->seq);
}

/* Cells in order, a cell written twice kept as last written; the sheet's span. */
static void finish(book *b)
{
    zf_xls_sheet *sh = b->sh;
    if (!b->sorted && sh->n) {
        qsort(sh->cells, sh->n, sizeof *sh->cells, by_cell);
        size_t m = 0;
        for (size_t i = 0; i < sh->n; i++) {
            if (m && sh->cells[m - 1].row == sh->cells[i].row && sh->cells[m - 1].col == sh->cells[i].col)
                m--;
            sh->cells[m++] = sh->cells[i];
        }
        sh->n = m;
    }
    sh->rows = b->dim_rows;
    sh->cols = (uint16_t)b->dim_cols;
    for (size_t i = 0; i < sh->n; i++) {
        if (sh->cells[i].row >= sh->rows)
            sh->rows = sh->cells[i].row + 1;
        if (sh->cells[i].col >= sh->cols)
            sh->cols = (uint16_t)(sh->cells[i].col + 1);
    }
}

static ZF_MUST_CHECK zf_status read_sheet(book *b, uint32_t at, zf_error *err)
{
    if (at >= b->s.n)
        return corrupt(b, err, 0, 0,
                       "its first worksheet is said to start at byte %lu, past the end of the workbook "
                       "stream (%zu bytes)",
                       (unsigned long)at, b->s.n);
    b->s.pos = at;
    int depth = 0;   /* charts embedded in the sheet are BOF … EOF blocks of their own */
    zf_xls_rec r;
    zf_xls_next nx;
    while ((nx = zf_rd_xls_next(&b->s, &r)) == ZF_XLS_RECORD) {
        if (depth == 0 && r.type != ZF_BIFF_BOF)
            return corrupt(b, err, 0, 0, "its first worksheet does not begin at byte %lu, where the "
                           "workbook says it does", (unsigned long)at);
        zf_status st = ZF_OK;
        if (r.type == ZF_BIFF_BOF)
            depth++;
        else if (r.type == ZF_BIFF_EOF && --depth == 0)
            return ZF_OK;
        else if (depth == 1)
            st = sheet_record(b, &r, err);
        if (st != ZF_OK)
            return st;
    }
    return corrupt(b, err, 0, 0,
                   nx == ZF_XLS_BROKEN ? "a record at byte %zu runs past the end of the workbook stream: the "
                                         "file is truncated or corrupt"
                                       : "the first worksheet's records stop at byte %zu, before its end (EOF): "
                                         "the file is truncated or corrupt",
                   b->s.pos);
}

/* ---- the globals ---------------------------------------------------------------------- */

static ZF_MUST_CHECK zf_status set_codepage(book *b, unsigned cp, zf_error *err)
{
    const char *name = zf_rd_xls_codepage(cp);
    if (!name)
        return corrupt(b, err, 0, 0, "its text is in code page %u, which zhongfu cannot convert", cp);
    if (b->cv != (iconv_t)-1)
        iconv_close(b->cv);
    b->cv = iconv_open("UTF-8", name);
    if (b->cv == (iconv_t)-1)
        return corrupt(b, err, 0, 0, "its text is in code page %u (%s), which this system's iconv cannot "
                       "convert", cp, name);
    b->codepage = cp;
    return ZF_OK;
}

/* The globals' records up to their EOF; *sheet: where the first worksheet's BOF is (0: none). */
static ZF_MUST_CHECK zf_status read_globals(book *b, uint32_t *sheet, zf_error *err)
{
    zf_xls_rec r;
    zf_xls_next nx = zf_rd_xls_next(&b->s, &r);
    if (nx != ZF_XLS_RECORD || r.type != ZF_BIFF_BOF || r.len < 2 ||
        (u16(r.data) != ZF_BIFF8 && u16(r.data) != ZF_BIFF5))
        return corrupt(b, err, 0, 0, "its workbook stream does not start as an Excel 95–2003 (BIFF5 or "
                       "BIFF8) workbook does");
    b->version = u16(r.data);
    /* BIFF5 text without a CODEPAGE record: Windows' Western code page, Excel's default */
    zf_status st = b->version == ZF_BIFF5 ? set_codepage(b, 1252, err) : ZF_OK;
    *sheet = 0;
    bool have_sheet = false, have_sst = false;
    while (st == ZF_OK && (nx = zf_rd_xls_next(&b->s, &r)) == ZF_XLS_RECORD && r.type != ZF_BIFF_EOF) {
        switch (r.type) {
        case ZF_BIFF_FILEPASS:
            return zf_error_set(err, ZF_ERR_FORMAT, b->path, 0, 0,
                                "the .xls workbook is password-protected: save it without a password");
        case ZF_BIFF_CODEPAGE:
            if (r.len >= 2 && b->version == ZF_BIFF5)   /* BIFF8 text is unicode whatever it says */
                st = set_codepage(b, u16(r.data), err);
            break;
        case ZF_BIFF_DATEMODE:
            if (r.len >= 2)
                b->sh->date1904 = u16(r.data) != 0;
            break;
        case ZF_BIFF_FORMAT:
            st = take_format(b, &r, err);
            break;
        case ZF_BIFF_XF:
            st = take_xf(b, &r, err);
            break;
        case ZF_BIFF_BOUNDSHEET:
            if (!have_sheet && r.len >= 4) {
                *sheet = u32(r.data);
                have_sheet = true;
            }
            break;
        case ZF_BIFF_SST:
            if (!have_sst && b->version == ZF_BIFF8) {
                have_sst = true;
                st = zf_rd_xls_sst_read(&b->s, &r, &b->sst, &b->sh->text, b->path, err);
            }
            break;
        default:
            break;
        }
    }
    if (st == ZF_OK && nx != ZF_XLS_RECORD)
        st = corrupt(b, err, 0, 0, "its global records stop at byte %zu, before their end (EOF): the file "
                     "is truncated or corrupt", b->s.pos);
    if (st == ZF_OK && !have_sheet)
        st = zf_error_set(err, ZF_ERR_FORMAT, b->path, 0, 0, "the .xls workbook has no worksheet");
    return st;
}

zf_status zf_rd_xls_decode(const unsigned char *data, size_t n, const char *path, zf_xls_sheet *sh,
                           zf_error *err)
{
    memset(sh, 0, sizeof *sh);
    book b = { .s = { data, n, 0 }, .path = path, .cv = (iconv_t)-1, .sh = sh, .sorted = true,
               .pending = SIZE_MAX };
    uint32_t at = 0;
    zf_status st = read_globals(&b, &at, err);
    if (st == ZF_OK)
        st = read_sheet(&b, at, err);
    if (st == ZF_OK)
        finish(&b);
    if (b.cv != (iconv_t)-1)
        iconv_close(b.cv);
    free(b.xf_fmt);
    free(b.fmt_kind);
    zf_rd_xls_sst_free(&b.sst);
    if (st != ZF_OK)
        zf_rd_xls_sheet_free(sh);
    return st;
}

size_t zf_rd_xls_row(const zf_xls_sheet *sh, uint32_t row, size_t *first)
{
    size_t lo = 0, hi = sh->n;
    while (lo < hi) {   /* the first cell at or after the row */
        size_t mid = lo + (hi - lo) / 2;
        if (sh->cells[mid].row < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    size_t end = lo;
    while (end < sh->n && sh->cells[end].row == row)
        end++;
    return end - lo;
}

/* FreeXL's calendar: day 0 is the 1900 system's 1 January 1900 and every fourth year is a
 * leap year (1900 too, as in Excel, and also 2100, unlike Excel). */
static void civil(long day, int *y, int *m, int *d)
{
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    *y = 1900 + (int)(day / 1461) * 4;
    day %= 1461;
    for (int k = 0; k < 3; k++) {
        int len = k == 0 ? 366 : 365;
        if (day < len)
            break;
        day -= len;
        ++*y;
    }
    *m = 0;
    for (;;) {
        int len = mdays[*m] + (*m == 1 && *y % 4 == 0);
        if (day < len)
            break;
        day -= len;
        ++*m;
    }
    ++*m;
    *d = (int)day + 1;
}

size_t zf_rd_xls_date_text(const zf_xls_cell *c, bool date1904, char *out, size_t cap)
{
    double fl = floor(c->v.num);
    int count = (int)fl;   /* number_kind keeps dates within int */
    long secs = lround((c->v.num - fl) * 86400.0);
    int h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), s = (int)(secs % 60);
    if (c->kind == ZF_XLS_TIME)
        return (size_t)snprintf(out, cap, "%02d:%02d:%02d", h, mi, s);
    /* serial 1 is the first day of the system (1904: 2 January 1904, in FreeXL's count) */
    long day = (date1904 ? 1462 : 0) + (count > 1 ? (long)count - 1 : 0);
    int y, m, d;
    civil(day, &y, &m, &d);
    if (c->kind == ZF_XLS_DATE)
        return (size_t)snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
    return (size_t)snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, h, mi, s);
}

void zf_rd_xls_sheet_free(zf_xls_sheet *sh)
{
    free(sh->cells);
    free(sh->text.p);
    memset(sh, 0, sizeof *sh);
}
