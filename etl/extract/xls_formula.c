/* xls_formula.c — the cells of an .xls sheet that FreeXL leaves out or reads wrong, from the
 * BIFF8 records themselves.
 *
 * FreeXL skips FORMULA records, so without this a column of =SUM() totals or =VLOOKUP()
 * names reads empty; and it reads a BOOLERR record's error (#N/A) as the number 1.  Excel
 * saves each formula's last result in its record (a double, or a flag for text, boolean,
 * error or empty, the text in the STRING record after it), so no formula is evaluated here.
 * libgsf opens the OLE2 container; only the globals' first BOUNDSHEET (the sheet FreeXL
 * reads as sheet 0) and that sheet's FORMULA, STRING and BOOLERR records are decoded.  The
 * results are kept sorted by cell, for xls.c to look up as it reads each row. */
#include <stdbool.h>

#include "xls_internal.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-input.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    BIFF_FORMULA = 0x0006, BIFF_EOF = 0x000A, BIFF_CONTINUE = 0x003C, BIFF_BOUNDSHEET = 0x0085,
    BIFF_BOOLERR = 0x0205, BIFF_STRING = 0x0207, BIFF_BOF = 0x0809,
    BIFF_MAX_RECORD = 8224,           /* BIFF8's longest record */
    BIFF8_VERSION = 0x0600,
};

typedef struct rec {
    GsfInput *in;
    unsigned type, len;
    unsigned char data[BIFF_MAX_RECORD];
} rec;

static unsigned u16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)u16(p) | (uint32_t)u16(p + 2) << 16;
}

/* The next record; false at the end of the stream or on a broken one (*broken). */
static bool next_record(rec *r, bool *broken)
{
    unsigned char h[4];
    *broken = false;
    if (gsf_input_remaining(r->in) < 4 || !gsf_input_read(r->in, 4, h))
        return false;
    r->type = u16(h);
    r->len = u16(h + 2);
    if (r->len > BIFF_MAX_RECORD || (r->len && !gsf_input_read(r->in, r->len, r->data))) {
        *broken = true;
        return false;
    }
    return true;
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * size);
    if (!np)
        return false;
    *p = np;
    *cap = nc;
    return true;
}

static bool put_text(zf_xls_extra *x, const char *s, size_t n)
{
    if (!grow((void **)&x->text, &x->text_cap, x->text_len + n + 1, 1))
        return false;
    memcpy(x->text + x->text_len, s, n);
    x->text_len += n;
    return true;
}

/* One code point as UTF-8 (lone surrogates become U+FFFD: the text stays valid). */
static bool put_utf8(zf_xls_extra *x, uint32_t c)
{
    char b[4];
    size_t n;
    if (c >= 0xD800 && c <= 0xDFFF)
        c = 0xFFFD;
    if (c < 0x80) {
        b[0] = (char)c;
        n = 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | c >> 6);
        b[1] = (char)(0x80 | (c & 0x3F));
        n = 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xE0 | c >> 12);
        b[1] = (char)(0x80 | (c >> 6 & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | c >> 18);
        b[1] = (char)(0x80 | (c >> 12 & 0x3F));
        b[2] = (char)(0x80 | (c >> 6 & 0x3F));
        b[3] = (char)(0x80 | (c & 0x3F));
        n = 4;
    }
    return put_text(x, b, n);
}

static bool add(zf_xls_extra *x, unsigned row, unsigned col, bool number, double num, const char *s)
{
    if (!grow((void **)&x->cells, &x->cap, x->n + 1, sizeof *x->cells))
        return false;
    zf_xls_cell *c = &x->cells[x->n++];
    *c = (zf_xls_cell){ (uint32_t)row, (uint16_t)col, number, num, x->text_len, 0 };
    if (s) {
        c->len = strlen(s);
        return put_text(x, s, c->len);
    }
    return true;
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

/* The STRING record after a formula with a text result: a BIFF8 unicode string, its
 * characters going on in CONTINUE records (each starting with its own flags byte). */
static zf_status read_string(rec *r, zf_xls_extra *x, zf_xls_cell *c, size_t *cell_index, const char *path,
                             zf_error *err)
{
    if (r->len < 3)
        return zf_error_set(err, ZF_ERR_FORMAT, path, (long)c->row + 1, (long)c->col + 1,
                            "a formula's text result is cut short: the .xls file is corrupt");
    size_t left = u16(r->data), pos = 3;
    unsigned flags = r->data[2];
    if (flags & 0x08)
        pos += 2;   /* rich text: the run count; the runs follow the characters */
    if (flags & 0x04)
        pos += 4;   /* phonetic data: its size; it follows the runs */
    if (left > 32767)
        return zf_error_set(err, ZF_ERR_FORMAT, path, (long)c->row + 1, (long)c->col + 1,
                            "a formula's text result longer than Excel's 32767 characters: the "
                            ".xls file is corrupt");
    size_t off = x->text_len;
    while (left) {
        size_t width = flags & 0x01 ? 2 : 1;
        while (left && pos + width <= r->len) {
            uint32_t ch = width == 2 ? u16(r->data + pos) : r->data[pos];
            pos += width;
            left--;
            if (width == 2 && ch >= 0xD800 && ch < 0xDC00 && left && pos + 2 <= r->len &&
                u16(r->data + pos) >= 0xDC00 && u16(r->data + pos) <= 0xDFFF) {
                ch = 0x10000 + ((ch - 0xD800) << 10) + (u16(r->data + pos) - 0xDC00);
                pos += 2;
                left--;
            }
            if (!put_utf8(x, ch))
                return zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory");
        }
        if (!left)
            break;
        bool broken;
        if (!next_record(r, &broken) || r->type != BIFF_CONTINUE || r->len < 1)
            return zf_error_set(err, ZF_ERR_FORMAT, path, (long)c->row + 1, (long)c->col + 1,
                                "a formula's text result is cut short: the .xls file is corrupt");
        flags = r->data[0];
        pos = 1;
    }
    c = &x->cells[*cell_index];   /* put_text may have moved nothing, but keep to indexes */
    c->off = off;
    c->len = x->text_len - off;
    *cell_index = SIZE_MAX;
    return ZF_OK;
}

/* A FORMULA record's saved result. */
static bool formula(rec *r, zf_xls_extra *x, size_t *pending)
{
    unsigned row = u16(r->data), col = u16(r->data + 2);
    const unsigned char *res = r->data + 6;
    *pending = SIZE_MAX;
    if (u16(res + 6) != 0xFFFF) {
        double d;
        memcpy(&d, res, sizeof d);   /* IEEE 754 little-endian, as the x86 and ARM hosts are */
        return add(x, row, col, true, d, NULL);
    }
    switch (res[0]) {
    case 0:
        *pending = x->n;
        return add(x, row, col, false, 0, "");
    case 1:
        return add(x, row, col, false, 0, res[2] ? "true" : "false");
    case 2:
        return add(x, row, col, false, 0, error_text(res[2]));
    default:
        return add(x, row, col, false, 0, "");
    }
}

static int by_cell(const void *a, const void *b)
{
    const zf_xls_cell *p = a, *q = b;
    if (p->row != q->row)
        return p->row < q->row ? -1 : 1;
    return (p->col > q->col) - (p->col < q->col);
}

static zf_status broken_error(const char *path, zf_error *err)
{
    return zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0,
                        "a BIFF record runs past the end of the workbook stream: the .xls file is "
                        "truncated or corrupt");
}

/* Where the first worksheet's BOF is: 0 when the workbook is not BIFF8. */
static zf_status first_sheet(rec *r, uint32_t *at, const char *path, zf_error *err)
{
    bool broken;
    *at = 0;
    if (!next_record(r, &broken) || r->type != BIFF_BOF || r->len < 2 || u16(r->data) != BIFF8_VERSION)
        return broken ? broken_error(path, err) : ZF_OK;
    while (next_record(r, &broken) && r->type != BIFF_EOF) {
        if (r->type == BIFF_BOUNDSHEET && r->len >= 4) {
            *at = u32(r->data);
            return ZF_OK;
        }
    }
    return broken ? broken_error(path, err) : ZF_OK;
}

static zf_status read_sheet(rec *r, zf_xls_extra *x, const char *path, zf_error *err)
{
    bool broken;
    int depth = 0;      /* charts embedded in the sheet are BOF … EOF blocks of their own */
    size_t pending = SIZE_MAX;
    while (next_record(r, &broken)) {
        bool ok = true;
        if (r->type == BIFF_BOF) {
            depth++;
        } else if (r->type == BIFF_EOF) {
            if (--depth <= 0)
                return ZF_OK;
        } else if (depth != 1) {
            continue;
        } else if (r->type == BIFF_FORMULA && r->len >= 20) {
            ok = formula(r, x, &pending);
        } else if (r->type == BIFF_STRING && pending != SIZE_MAX) {
            zf_status st = read_string(r, x, &x->cells[pending], &pending, path, err);
            if (st != ZF_OK)
                return st;
        } else if (r->type == BIFF_BOOLERR && r->len >= 8) {
            const char *t = r->data[7] ? error_text(r->data[6]) : r->data[6] ? "true" : "false";
            ok = add(x, u16(r->data), u16(r->data + 2), false, 0, t);
        }
        if (!ok)
            return zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    return broken || depth > 0 ? broken_error(path, err) : ZF_OK;
}

zf_status zf_rd_xls_extra_read(const char *path, zf_xls_extra *x, zf_error *err)
{
    memset(x, 0, sizeof *x);
    GError *gerr = NULL;
    GsfInput *file = gsf_input_stdio_new(path, &gerr);
    GsfInfile *ole = file ? gsf_infile_msole_new(file, &gerr) : NULL;
    GsfInput *book = ole ? gsf_infile_child_by_name(ole, "Workbook") : NULL;
    zf_status st = ZF_OK;
    if (!book) {
        /* FreeXL read this container, so a missing Workbook stream is a BIFF5 "Book" */
        if (!ole)
            st = zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0,
                              "its OLE2 container cannot be read (%s): the .xls file is corrupt",
                              gerr && gerr->message ? gerr->message : "unknown reason");
        goto done;
    }
    rec *r = malloc(sizeof *r);
    if (!r) {
        st = zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory");
        goto done;
    }
    r->in = book;
    uint32_t at = 0;
    st = first_sheet(r, &at, path, err);
    if (st == ZF_OK && at) {
        if (!gsf_input_seek(book, (gsf_off_t)at, G_SEEK_SET))   /* FALSE = it worked */
            st = read_sheet(r, x, path, err);
        else
            st = broken_error(path, err);
    }
    free(r);
    if (st == ZF_OK && x->n)
        qsort(x->cells, x->n, sizeof *x->cells, by_cell);
done:
    if (book)
        g_object_unref(book);
    if (ole)
        g_object_unref(ole);
    if (file)
        g_object_unref(file);
    if (gerr)
        g_error_free(gerr);
    return st;
}

const zf_xls_cell *zf_rd_xls_extra_find(const zf_xls_extra *x, unsigned row, unsigned col)
{
    if (!x->n)
        return NULL;
    zf_xls_cell key = { (uint32_t)row, (uint16_t)col, false, 0, 0, 0 };
    return bsearch(&key, x->cells, x->n, sizeof *x->cells, by_cell);
}

void zf_rd_xls_extra_free(zf_xls_extra *x)
{
    free(x->cells);
    free(x->text);
    memset(x, 0, sizeof *x);
}
