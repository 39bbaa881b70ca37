/* test_xls_biff.c — the BIFF decoder (etl/extract/xls_biff.c, xls_sst.c) on workbook streams
 * built here record by record, for what xlwt never writes: a shared string split across
 * CONTINUE records with its 8-/16-bit flag changing, rich-text runs split too, RK numbers of
 * each kind, MULRK, cells out of order or written twice, FreeXL's date texts, BIFF5 text in
 * GBK, charts inside the sheet; and broken streams: a record longer than what is left, a
 * string cut short, a shared string that is not there, a sheet that is not where the
 * globals say. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../etl/extract/xls_internal.h"

typedef struct bk {
    unsigned char b[16384];
    size_t n;
    size_t sheet_ptr;   /* where BOUNDSHEET's offset field is, to patch */
} bk;

static void rec(bk *k, unsigned type, const void *data, size_t len)
{
    assert_true(k->n + 4 + len <= sizeof k->b);
    k->b[k->n++] = (unsigned char)type;
    k->b[k->n++] = (unsigned char)(type >> 8);
    k->b[k->n++] = (unsigned char)len;
    k->b[k->n++] = (unsigned char)(len >> 8);
    memcpy(k->b + k->n, data, len);
    k->n += len;
}

static void le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
    le16(p, v & 0xFFFF);
    le16(p + 2, v >> 16);
}

static void bof(bk *k, unsigned version, unsigned kind)
{
    unsigned char d[16] = { 0 };
    le16(d, version);
    le16(d + 2, kind);
    rec(k, ZF_BIFF_BOF, d, version == ZF_BIFF8 ? 16 : 8);
}

static void boundsheet(bk *k)
{
    unsigned char d[12] = { 0, 0, 0, 0, 0, 0, 3, 0, 'S', 'h', 't', 0 };
    k->sheet_ptr = k->n + 4;
    rec(k, ZF_BIFF_BOUNDSHEET, d, 11);
}

static void eof(bk *k)
{
    rec(k, ZF_BIFF_EOF, "", 0);
}

/* The sheet's BOF goes here: patch BOUNDSHEET and write it. */
static void sheet(bk *k, unsigned version)
{
    le32(k->b + k->sheet_ptr, (uint32_t)k->n);
    bof(k, version, 0x0010);
}

static void xf(bk *k, unsigned fmt)
{
    unsigned char d[20] = { 0 };
    le16(d + 2, fmt);
    rec(k, ZF_BIFF_XF, d, 20);
}

static void number(bk *k, unsigned row, unsigned col, unsigned xfi, double v)
{
    unsigned char d[14];
    le16(d, row);
    le16(d + 2, col);
    le16(d + 4, xfi);
    memcpy(d + 6, &v, 8);
    rec(k, ZF_BIFF_NUMBER, d, 14);
}

static void rk(bk *k, unsigned row, unsigned col, uint32_t v)
{
    unsigned char d[10];
    le16(d, row);
    le16(d + 2, col);
    le16(d + 4, 0);
    le32(d + 6, v);
    rec(k, ZF_BIFF_RK, d, 10);
}

static void label_sst(bk *k, unsigned row, unsigned col, uint32_t i)
{
    unsigned char d[10];
    le16(d, row);
    le16(d + 2, col);
    le16(d + 4, 0);
    le32(d + 6, i);
    rec(k, ZF_BIFF_LABELSST, d, 10);
}

static zf_status decode(const bk *k, zf_xls_sheet *sh, zf_error *err)
{
    return zf_rd_xls_decode(k->b, k->n, "t.xls", sh, err);
}

static const zf_xls_cell *cell(const zf_xls_sheet *sh, unsigned row, unsigned col)
{
    for (size_t i = 0; i < sh->n; i++)
        if (sh->cells[i].row == row && sh->cells[i].col == col)
            return &sh->cells[i];
    return NULL;
}

static void assert_text(const zf_xls_sheet *sh, unsigned row, unsigned col, const char *want)
{
    const zf_xls_cell *c = cell(sh, row, col);
    assert_non_null(c);
    assert_int_equal(c->kind, ZF_XLS_TEXT);
    if (c->v.s.len != strlen(want) || memcmp(sh->text.p + c->v.s.off, want, c->v.s.len) != 0)
        fail_msg("(%u,%u): \"%.*s\", want \"%s\"", row, col, (int)c->v.s.len, sh->text.p + c->v.s.off, want);
}

static void assert_number(const zf_xls_sheet *sh, unsigned row, unsigned col, double want)
{
    const zf_xls_cell *c = cell(sh, row, col);
    assert_non_null(c);
    assert_int_equal(c->kind, ZF_XLS_NUM);
    if (c->v.num != want)
        fail_msg("(%u,%u): %.17g, want %.17g", row, col, c->v.num, want);
}

/* The SST: "ab" then, in the CONTINUE, flags 0x01 and "中文" as 16-bit; the next string
 * "xyz" starts that same CONTINUE's rest; a rich string whose runs are split by the next
 * CONTINUE; then a 16-bit string that goes on as 8-bit ("低" then flags 0x00 and "ok"). */
static void test_sst_continue(void **state)
{
    (void)state;
    bk k = { .n = 0 };
    bof(&k, ZF_BIFF8, 0x0005);
    unsigned char sst[] = { 4, 0, 0, 0, 4, 0, 0, 0,  4, 0, 0x00, 'a', 'b' };
    rec(&k, ZF_BIFF_SST, sst, sizeof sst);
    unsigned char c1[] = { 0x01, 0x2d, 0x4e, 0x87, 0x65,                       /* 中文 */
                           3, 0, 0x00, 'x', 'y', 'z',
                           2, 0, 0x08, 1, 0, 'R', 'S', 0xAA, 0xBB };          /* 2 of the run's 4 bytes */
    rec(&k, ZF_BIFF_CONTINUE, c1, sizeof c1);
    unsigned char c2[] = { 0xCC, 0xDD,                                         /* the run's rest: no flags byte */
                           3, 0, 0x01, 0x4e, 0x4f };                           /* 低 */
    rec(&k, ZF_BIFF_CONTINUE, c2, sizeof c2);
    unsigned char c3[] = { 0x00, 'o', 'k' };
    rec(&k, ZF_BIFF_CONTINUE, c3, sizeof c3);
    boundsheet(&k);
    eof(&k);
    sheet(&k, ZF_BIFF8);
    for (unsigned i = 0; i < 4; i++)
        label_sst(&k, 0, i, i);
    eof(&k);

    zf_xls_sheet sh;
    zf_error err;
    assert_int_equal(decode(&k, &sh, &err), ZF_OK);
    assert_int_equal(sh.n, 4);
    assert_text(&sh, 0, 0, "ab中文");
    assert_text(&sh, 0, 1, "xyz");
    assert_text(&sh, 0, 2, "RS");
    assert_text(&sh, 0, 3, "低ok");
    assert_int_equal(sh.rows, 1);
    assert_int_equal(sh.cols, 4);
    zf_rd_xls_sheet_free(&sh);
}

/* RK: an integer, an integer in hundredths, a double's high word, that in hundredths, a
 * negative integer; MULRK: three of them in one record. */
static void test_rk_mulrk(void **state)
{
    (void)state;
    bk k = { .n = 0 };
    bof(&k, ZF_BIFF8, 0x0005);
    boundsheet(&k);
    eof(&k);
    sheet(&k, ZF_BIFF8);
    rk(&k, 0, 0, 12u << 2 | 2);
    rk(&k, 0, 1, 12345u << 2 | 3);
    rk(&k, 0, 2, 0x3FE00000u);                 /* 0.5 */
    rk(&k, 0, 3, 0x40934800u | 1);             /* 1234.0 / 100 */
    rk(&k, 0, 4, (uint32_t)-5 << 2 | 2);
    unsigned char m[6 + 3 * 6];
    le16(m, 1);
    le16(m + 2, 2);                            /* columns 2, 3, 4 */
    for (unsigned i = 0; i < 3; i++) {
        le16(m + 4 + 6 * i, 0);
        le32(m + 6 + 6 * i, (100u + i) << 2 | 2);
    }
    le16(m + 4 + 18, 4);
    rec(&k, ZF_BIFF_MULRK, m, sizeof m);
    eof(&k);

    zf_xls_sheet sh;
    zf_error err;
    assert_int_equal(decode(&k, &sh, &err), ZF_OK);
    assert_number(&sh, 0, 0, 12);
    assert_number(&sh, 0, 1, 123.45);
    assert_number(&sh, 0, 2, 0.5);
    assert_number(&sh, 0, 3, 12.34);
    assert_number(&sh, 0, 4, -5);
    assert_int_equal(sh.n, 8);
    assert_number(&sh, 1, 2, 100);
    assert_number(&sh, 1, 3, 101);
    assert_number(&sh, 1, 4, 102);
    assert_null(cell(&sh, 1, 5));
    assert_int_equal(sh.rows, 2);
    assert_int_equal(sh.cols, 5);
    size_t first;
    assert_int_equal(zf_rd_xls_row(&sh, 1, &first), 3);
    assert_int_equal(first, 5);
    assert_int_equal(zf_rd_xls_row(&sh, 7, &first), 0);
    zf_rd_xls_sheet_free(&sh);
}

static size_t date_text(const zf_xls_sheet *sh, unsigned row, unsigned col, char *out)
{
    const zf_xls_cell *c = cell(sh, row, col);
    assert_non_null(c);
    return zf_rd_xls_date_text(c, sh->date1904, out, 40);
}

/* Dates as FreeXL showed them: a built-in date format, a custom date-time one, a time; the
 * 1904 system; 1900's leap day that Excel keeps; a formula's date result stays a number. */
static void check_dates(bool mac)
{
    bk k = { .n = 0 };
    bof(&k, ZF_BIFF8, 0x0005);
    if (mac)
        rec(&k, ZF_BIFF_DATEMODE, "\x01\x00", 2);
    unsigned char fmt[] = { 164, 0, 16, 0, 0, 'y', 'y', 'y', 'y', '-', 'm', 'm', '-', 'd', 'd', ' ', 'h', 'h', ':',
                            'm', 'm' };
    rec(&k, ZF_BIFF_FORMAT, fmt, sizeof fmt);
    unsigned char money[] = { 165, 0, 5, 0, 0, '0', '.', '0', '0', '%' };
    rec(&k, ZF_BIFF_FORMAT, money, sizeof money);
    xf(&k, 0);
    xf(&k, 14);
    xf(&k, 164);
    xf(&k, 21);
    xf(&k, 165);
    boundsheet(&k);
    eof(&k);
    sheet(&k, ZF_BIFF8);
    number(&k, 0, 0, 1, 45000);
    number(&k, 0, 1, 2, 45356.5625);
    number(&k, 0, 2, 3, 0.5625);
    number(&k, 0, 3, 1, 60);
    number(&k, 0, 4, 4, 0.25);      /* a percent format: a number */
    number(&k, 0, 5, 9, 45000);     /* an XF that is not there: a number */
    number(&k, 0, 6, 1, 1e300);     /* no date: a number */
    unsigned char f[20] = { 0, 0, 7, 0, 1, 0 };
    double v = 45000;
    memcpy(f + 6, &v, 8);
    rec(&k, ZF_BIFF_FORMULA, f, sizeof f);
    eof(&k);

    zf_xls_sheet sh;
    zf_error err;
    char t[40];
    assert_int_equal(decode(&k, &sh, &err), ZF_OK);
    assert_int_equal(sh.date1904, mac);
    assert_int_equal(cell(&sh, 0, 0)->kind, ZF_XLS_DATE);
    date_text(&sh, 0, 0, t);
    assert_string_equal(t, mac ? "2027-03-16" : "2023-03-15");
    assert_int_equal(cell(&sh, 0, 1)->kind, ZF_XLS_DATETIME);
    date_text(&sh, 0, 1, t);
    assert_string_equal(t, mac ? "2028-03-06 13:30:00" : "2024-03-05 13:30:00");
    assert_int_equal(cell(&sh, 0, 2)->kind, ZF_XLS_TIME);
    assert_int_equal(date_text(&sh, 0, 2, t), 8);
    assert_string_equal(t, "13:30:00");
    date_text(&sh, 0, 3, t);
    assert_string_equal(t, mac ? "1904-03-01" : "1900-02-29");
    assert_number(&sh, 0, 4, 0.25);
    assert_number(&sh, 0, 5, 45000);
    assert_number(&sh, 0, 6, 1e300);
    assert_number(&sh, 0, 7, 45000);
    zf_rd_xls_sheet_free(&sh);
}

static void test_dates(void **state)
{
    (void)state;
    check_dates(false);
    check_dates(true);
}

/* Cells out of order and one written twice (the last write holds); a chart block inside the
 * sheet is skipped; BOOLERR, formula results with a STRING that goes on in a CONTINUE. */
static void test_order_chart_formula(void **state)
{
    (void)state;
    bk k = { .n = 0 };
    bof(&k, ZF_BIFF8, 0x0005);
    boundsheet(&k);
    eof(&k);
    sheet(&k, ZF_BIFF8);
    number(&k, 2, 0, 0, 1);
    number(&k, 0, 1, 0, 2);
    number(&k, 2, 0, 0, 3);
    bof(&k, ZF_BIFF8, 0x0020);      /* an embedded chart: its records are not the sheet's */
    number(&k, 5, 5, 0, 99);
    eof(&k);
    unsigned char b[8] = { 1, 0, 0, 0, 0, 0, 0x2A, 1 };
    rec(&k, ZF_BIFF_BOOLERR, b, 8);
    unsigned char f[20] = { 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };
    rec(&k, ZF_BIFF_FORMULA, f, sizeof f);
    unsigned char s[] = { 3, 0, 0x00, 'a' };
    rec(&k, ZF_BIFF_STRING, s, sizeof s);
    unsigned char c[] = { 0x01, 0x4e, 0x4f, 0x37, 0x62 };   /* 低户 as 16-bit */
    rec(&k, ZF_BIFF_CONTINUE, c, sizeof c);
    unsigned char t[20] = { 1, 0, 2, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0xFF, 0xFF };
    rec(&k, ZF_BIFF_FORMULA, t, sizeof t);
    eof(&k);

    zf_xls_sheet sh;
    zf_error err;
    assert_int_equal(decode(&k, &sh, &err), ZF_OK);
    assert_int_equal(sh.n, 5);
    assert_number(&sh, 0, 1, 2);
    assert_number(&sh, 2, 0, 3);
    assert_null(cell(&sh, 5, 5));
    assert_text(&sh, 1, 0, "#N/A");
    assert_text(&sh, 1, 1, "a低户");
    assert_text(&sh, 1, 2, "true");
    for (size_t i = 1; i < sh.n; i++)
        assert_true(sh.cells[i - 1].row < sh.cells[i].row ||
                    (sh.cells[i - 1].row == sh.cells[i].row && sh.cells[i - 1].col < sh.cells[i].col));
    assert_int_equal(sh.rows, 3);
    zf_rd_xls_sheet_free(&sh);
}

/* Excel 95: text in the workbook's code page (here GBK), a LABEL and a STRING result. */
static void test_biff5_gbk(void **state)
{
    (void)state;
    bk k = { .n = 0 };
    bof(&k, ZF_BIFF5, 0x0005);
    rec(&k, ZF_BIFF_CODEPAGE, "\xA8\x03", 2);   /* 936 */
    boundsheet(&k);
    eof(&k);
    sheet(&k, ZF_BIFF5);
    unsigned char l[] = { 0, 0, 0, 0, 0, 0, 4, 0, 0xD5, 0xC5, 0xC8, 0xFD };
    rec(&k, ZF_BIFF_LABEL, l, sizeof l);
    unsigned char f[20] = { 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF };
    rec(&k, ZF_BIFF_FORMULA, f, sizeof f);
    unsigned char s[] = { 3, 0, 'a', 0xB5, 0xCD };   /* a低 */
    rec(&k, ZF_BIFF_STRING, s, sizeof s);
    unsigned char bad[] = { 1, 0, 0, 0, 0, 0, 2, 0, 0xFF, 'x' };   /* a byte GBK has no character for */
    rec(&k, ZF_BIFF_LABEL, bad, sizeof bad);
    eof(&k);

    zf_xls_sheet sh;
    zf_error err;
    assert_int_equal(decode(&k, &sh, &err), ZF_OK);
    assert_text(&sh, 0, 0, "张三");
    assert_text(&sh, 0, 1, "a低");
    assert_text(&sh, 1, 0, "\xEF\xBF\xBDx");
    zf_rd_xls_sheet_free(&sh);
}

static bk good_start(void)
{
    bk k = { .n = 0 };
    bof(&k, ZF_BIFF8, 0x0005);
    boundsheet(&k);
    eof(&k);
    sheet(&k, ZF_BIFF8);
    return k;
}

/* Broken streams: each an error that says what, where it can, at which cell. */
static void test_broken(void **state)
{
    (void)state;
    zf_xls_sheet sh;
    zf_error err;

    /* a record whose length runs past the end of the stream */
    bk k = good_start();
    number(&k, 0, 0, 0, 1);
    size_t cut = k.n - 3;
    zf_xls_stream s = { k.b, cut, cut - 15 };
    zf_xls_rec r;
    assert_int_equal(zf_rd_xls_next(&s, &r), ZF_XLS_BROKEN);
    k.n = cut;
    assert_int_equal(decode(&k, &sh, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "not a readable .xls workbook: a record at byte"));
    assert_non_null(strstr(err.message, "runs past the end of the workbook stream"));

    /* the sheet stops before its EOF */
    k = good_start();
    number(&k, 0, 0, 0, 1);
    assert_int_equal(decode(&k, &sh, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "before its end (EOF)"));

    /* a LABEL that says 10 characters and has 3 */
    k = good_start();
    unsigned char l[] = { 4, 0, 2, 0, 0, 0, 10, 0, 0, 'a', 'b', 'c' };
    rec(&k, ZF_BIFF_LABEL, l, sizeof l);
    eof(&k);
    assert_int_equal(decode(&k, &sh, &err), ZF_ERR_FORMAT);
    assert_int_equal(err.line, 5);
    assert_int_equal(err.column, 3);
    assert_non_null(strstr(err.message, "a text cell is cut short"));

    /* a shared string that is not in the table */
    k = good_start();
    label_sst(&k, 1, 1, 0);
    eof(&k);
    assert_int_equal(decode(&k, &sh, &err), ZF_ERR_FORMAT);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 2);
    assert_non_null(strstr(err.message, "shared string 1, but the table has 0"));

    /* an SST whose second string is cut off by the end of its records */
    k = (bk){ .n = 0 };
    bof(&k, ZF_BIFF8, 0x0005);
    unsigned char sst[] = { 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 'a', 5, 0, 0, 'b' };
    rec(&k, ZF_BIFF_SST, sst, sizeof sst);
    boundsheet(&k);
    eof(&k);
    sheet(&k, ZF_BIFF8);
    eof(&k);
    assert_int_equal(decode(&k, &sh, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "shared string 2 of 2 is cut short"));

    /* a sheet offset past the stream, and one that points at no BOF */
    k = good_start();
    eof(&k);
    le32(k.b + k.sheet_ptr, 100000);
    assert_int_equal(decode(&k, &sh, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "past the end of the workbook stream"));
    le32(k.b + k.sheet_ptr, 0);
    k.b[0] = 0x0A;   /* byte 0 is now no BOF */
    assert_int_equal(decode(&k, &sh, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "does not start as an Excel 95–2003"));

    /* a password, and a cell past column 256 */
    k = (bk){ .n = 0 };
    bof(&k, ZF_BIFF8, 0x0005);
    rec(&k, ZF_BIFF_FILEPASS, "\0\0\0\0\0\0", 6);
    assert_int_equal(decode(&k, &sh, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "password-protected"));
    k = good_start();
    number(&k, 3, 300, 0, 1);
    eof(&k);
    assert_int_equal(decode(&k, &sh, &err), ZF_ERR_FORMAT);
    assert_int_equal(err.line, 4);
    assert_int_equal(err.column, 301);

    /* records too short for their fields are skipped, not read past */
    k = good_start();
    rec(&k, ZF_BIFF_NUMBER, "\0\0\0\0\0\0\0", 7);
    rec(&k, ZF_BIFF_RK, "\0\0", 2);
    rec(&k, ZF_BIFF_MULRK, "\0\0\0", 3);
    rec(&k, ZF_BIFF_FORMULA, "\0\0\0\0", 4);
    rec(&k, ZF_BIFF_DIMENSION, "\0", 1);
    eof(&k);
    assert_int_equal(decode(&k, &sh, &err), ZF_OK);
    assert_int_equal(sh.n, 0);
    zf_rd_xls_sheet_free(&sh);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sst_continue),
        cmocka_unit_test(test_rk_mulrk),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_order_chart_formula),
        cmocka_unit_test(test_biff5_gbk),
        cmocka_unit_test(test_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
