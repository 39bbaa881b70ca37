/* test_reader.c — the extract layer: CSV (quoting, CRLF, BOM, GB18030, buffer
 * boundaries), XLSX (shared and inline strings, numbers, truncated files), JSON and
 * JSON Lines, and files that are not what they claim. */
#include <iconv.h>
#include <minizip/zip.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "zf_test.h"
#include "zf_reader.h"
#include "zf_value.h"
#include "../../etl/extract/reader_internal.h"

typedef struct fixture {
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/zf_reader_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

static const char *path_in(const fixture *f, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", f->dir, name);
    return buf;
}

static const char *write_bytes(const fixture *f, const char *name, const char *data, size_t len,
                               char *buf, size_t size)
{
    path_in(f, name, buf, size);
    FILE *fp = fopen(buf, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    return buf;
}

static const char *write_text(const fixture *f, const char *name, const char *text, char *buf, size_t size)
{
    return write_bytes(f, name, text, strlen(text), buf, size);
}

static zf_reader *open_ok(const char *path, const char *const *cols, size_t n, const char *enc)
{
    zf_reader_opts o = { ZF_FORMAT_AUTO, enc, cols, n, false };
    zf_reader *r = NULL;
    zf_error err;
    zf_error_clear(&err);
    zf_status st = zf_reader_open(&r, path, &o, &err);
    if (st != ZF_OK)
        fprintf(stderr, "open %s: %s (line %ld)\n", path, err.message, err.line);
    assert_int_equal(st, ZF_OK);
    assert_non_null(r);
    return r;
}

static zf_status open_status(const char *path, const char *const *cols, size_t n, const char *enc,
                             zf_error *err)
{
    zf_reader_opts o = { ZF_FORMAT_AUTO, enc, cols, n, false };
    zf_reader *r = NULL;
    zf_error_clear(err);
    zf_status st = zf_reader_open(&r, path, &o, err);
    if (st == ZF_OK) {
        assert_non_null(r);
        zf_reader_free(r);
    } else {
        assert_null(r);
    }
    return st;
}

/* Read one record: asserts that there is one. */
static long next_ok(zf_reader *r, zf_cell *cells)
{
    long line = -1;
    bool more = false;
    zf_error err;
    zf_error_clear(&err);
    zf_status st = zf_reader_next(r, cells, &line, &more, &err);
    if (st != ZF_OK)
        fprintf(stderr, "next: %s (line %ld)\n", err.message, err.line);
    assert_int_equal(st, ZF_OK);
    assert_true(more);
    return line;
}

static void assert_end(zf_reader *r, zf_cell *cells)
{
    long line = -1;
    bool more = true;
    zf_error err;
    assert_int_equal(zf_reader_next(r, cells, &line, &more, &err), ZF_OK);
    assert_false(more);
}

static void assert_cell(const zf_cell *c, const char *want)
{
    char got[4096];
    size_t n = c->len < sizeof got - 1 ? c->len : sizeof got - 1;
    memcpy(got, c->ptr, n);
    got[n] = '\0';
    assert_string_equal(got, want);
    assert_int_equal(c->len, strlen(want));
}

/* ---- CSV ------------------------------------------------------------------- */

static void test_csv_quoted_commas_and_line_breaks(void **state)
{
    char p[256];
    const char *path = write_text(*state, "q.csv",
        "id,name,note\n"
        "1,\"Zhang, San\",\"he said \"\"hi\"\"\"\n"
        "2,\"two\nlines\",plain\n"
        "3,,\"\"\n", p, sizeof p);
    const char *cols[] = { "id", "name", "note" };
    zf_reader *r = open_ok(path, cols, 3, NULL);
    zf_cell c[3];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "1");
    assert_cell(&c[1], "Zhang, San");
    assert_cell(&c[2], "he said \"hi\"");
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[1], "two\nlines");
    assert_cell(&c[2], "plain");
    assert_int_equal(next_ok(r, c), 5);
    assert_cell(&c[0], "3");
    assert_int_equal(c[1].len, 0);
    assert_int_equal(c[2].len, 0);
    assert_false(c[0].numeric);
    assert_end(r, c);
    assert_string_equal(zf_reader_encoding(r), "utf-8");
    zf_reader_free(r);
}

static void test_csv_crlf_with_quoted_breaks(void **state)
{
    char p[256];
    const char *path = write_text(*state, "crlf.csv",
        "\"a\r\nhead\",b\r\n"            /* header over lines 1-2 */
        "x1,\"one\r\ntwo\r\nthree\"\r\n" /* lines 3-5 */
        "x2,y2\r\n"                      /* line 6 */
        "\r\n"                           /* line 7: empty, not a record */
        "x3,\"y3\"\r\n"                  /* line 8 */
        "x4,y4\r\n\r\n\r\n", p, sizeof p); /* line 9, blank lines at the end */
    const char *cols[] = { "b", "a\r\nhead" };
    zf_reader *r = open_ok(path, cols, 2, "utf-8");
    assert_true(zf_reader_has_column(r, 0));
    assert_true(zf_reader_has_column(r, 1));
    zf_cell c[2];
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "one\r\ntwo\r\nthree");
    assert_cell(&c[1], "x1");
    assert_int_equal(next_ok(r, c), 6);
    assert_cell(&c[0], "y2");
    assert_int_equal(next_ok(r, c), 8);
    assert_cell(&c[0], "y3");
    assert_int_equal(next_ok(r, c), 9);
    assert_cell(&c[0], "y4");
    assert_cell(&c[1], "x4");
    assert_end(r, c);
    zf_reader_free(r);
}

static void test_csv_bom(void **state)
{
    char p[256];
    const char *path = write_text(*state, "bom.csv", "\xEF\xBB\xBF身份证号,金额\n330281,12.5\n", p, sizeof p);
    const char *cols[] = { "身份证号", "金额" };
    zf_reader *r = open_ok(path, cols, 2, "auto");
    assert_string_equal(zf_reader_encoding(r), "utf-8-bom");
    assert_true(zf_reader_has_column(r, 0));
    zf_cell c[2];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "330281");
    assert_cell(&c[1], "12.5");
    assert_end(r, c);
    zf_reader_free(r);
}

static size_t to_gb18030(const char *utf8, char *out, size_t size)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *in = (char *)utf8, *o = out;
    size_t il = strlen(utf8), ol = size;
    assert_int_not_equal(iconv(cd, &in, &il, &o, &ol), (size_t)-1);
    iconv_close(cd);
    return size - ol;
}

static void test_csv_gb18030(void **state)
{
    char p[256], gb[512];
    size_t n = to_gb18030("户编号,乡镇街道,救助类别\nH001,凤山街道,低保\nH002,\"鹿亭乡\",特困\n", gb, sizeof gb);
    const char *path = write_bytes(*state, "gb.csv", gb, n, p, sizeof p);
    const char *cols[] = { "乡镇街道", "救助类别", "户编号" };
    const char *encs[] = { NULL, "gb18030", "GBK" };
    for (size_t e = 0; e < 3; e++) {
        zf_reader *r = open_ok(path, cols, 3, encs[e]);
        assert_string_equal(zf_reader_encoding(r), "gb18030");
        zf_cell c[3];
        assert_int_equal(next_ok(r, c), 2);
        assert_cell(&c[0], "凤山街道");
        assert_cell(&c[1], "低保");
        assert_cell(&c[2], "H001");
        assert_int_equal(next_ok(r, c), 3);
        assert_cell(&c[0], "鹿亭乡");
        assert_cell(&c[1], "特困");
        assert_end(r, c);
        zf_reader_free(r);
    }
    /* Declared UTF-8 but GB18030 bytes: an encoding error on the header line. */
    zf_error err;
    assert_int_equal(open_status(path, cols, 3, "utf-8", &err), ZF_ERR_ENCODING);
    assert_int_equal(err.line, 1);
}

static void test_csv_gb18030_split_across_chunks(void **state)
{
    /* Many two-byte characters so that iconv's input chunks end inside one. */
    size_t rows = 20000;
    char *utf8 = malloc(rows * 40 + 64), *gb = malloc(rows * 40 + 64);
    assert_non_null(utf8);
    assert_non_null(gb);
    size_t n = (size_t)sprintf(utf8, "名称,值\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t)sprintf(utf8 + n, "残疾人之家%zu,余姚%zu\n", i, i * 7);
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    char *in = utf8, *o = gb;
    size_t il = n, ol = rows * 40 + 64;
    assert_int_not_equal(iconv(cd, &in, &il, &o, &ol), (size_t)-1);
    iconv_close(cd);
    char p[256];
    const char *path = write_bytes(*state, "gbbig.csv", gb, (size_t)(o - gb), p, sizeof p);
    const char *cols[] = { "值", "名称" };
    zf_reader *r = open_ok(path, cols, 2, NULL);
    assert_string_equal(zf_reader_encoding(r), "gb18030");
    zf_cell c[2];
    char want[64];
    for (size_t i = 0; i < rows; i++) {
        assert_int_equal(next_ok(r, c), (long)i + 2);
        snprintf(want, sizeof want, "余姚%zu", i * 7);
        assert_cell(&c[0], want);
        snprintf(want, sizeof want, "残疾人之家%zu", i);
        assert_cell(&c[1], want);
    }
    assert_end(r, c);
    assert_int_equal(zf_reader_bytes(r), (uint64_t)(o - gb));
    zf_reader_free(r);
    free(utf8);
    free(gb);
}

static void test_csv_columns_reordered_extra_missing(void **state)
{
    char p[256];
    const char *path = write_text(*state, "cols.csv",
        "extra1,年度,户编号,extra2\n"
        "zz,2024,H9,yy\n"
        "zz,2025\n", p, sizeof p);
    const char *cols[] = { "户编号", "不存在", "年度" };
    zf_reader *r = open_ok(path, cols, 3, NULL);
    assert_true(zf_reader_has_column(r, 0));
    assert_false(zf_reader_has_column(r, 1));
    assert_true(zf_reader_has_column(r, 2));
    assert_false(zf_reader_has_column(r, 3));
    zf_cell c[3];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "H9");
    assert_int_equal(c[1].len, 0);
    assert_cell(&c[2], "2024");
    /* A short record: the cells it lacks are empty. */
    assert_int_equal(next_ok(r, c), 3);
    assert_int_equal(c[0].len, 0);
    assert_cell(&c[2], "2025");
    assert_end(r, c);
    zf_reader_free(r);
}

static void test_csv_trimming(void **state)
{
    char p[256];
    const char *path = write_text(*state, "trim.csv",
        "\xE3\x80\x80 姓名\t, 金额 \xE3\x80\x80\n"
        "\xE3\x80\x80张三\xE3\x80\x80 ,\" 12 \"\n", p, sizeof p);
    const char *cols[] = { "金额", " 姓名\xE3\x80\x80" };
    zf_reader *r = open_ok(path, cols, 2, NULL);
    assert_true(zf_reader_has_column(r, 0));
    assert_true(zf_reader_has_column(r, 1));
    zf_cell c[2];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "12");
    assert_cell(&c[1], "张三");
    assert_end(r, c);
    zf_reader_free(r);
}

/* The value of column k of record i in the boundary test: some quoted, some long. */
static void boundary_value(size_t i, int k, char *out, size_t size)
{
    if (k == 0)
        snprintf(out, size, "R%06zu", i);
    else if (k == 1 && i % 7 == 0)
        snprintf(out, size, "multi\nline \"%zu\", with comma", i);
    else if (k == 1)
        snprintf(out, size, "%.*s%zu", (int)(i % 97), "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", i);
    else
        snprintf(out, size, "%zu.%02zu", i * 3, i % 100);
}

static void test_csv_buffer_boundaries(void **state)
{
    size_t rows = 30000;    /* ~2.5 MB: the 256 KiB buffer slides many times */
    char p[256], v[3][256];
    path_in(*state, "big.csv", p, sizeof p);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    fputs("k,text,amount\r\n", fp);
    for (size_t i = 0; i < rows; i++) {
        for (int k = 0; k < 3; k++)
            boundary_value(i, k, v[k], sizeof v[k]);
        if (i % 7 == 0)
            fprintf(fp, "%s,\"multi\nline \"\"%zu\"\", with comma\",%s\r\n", v[0], i, v[2]);
        else
            fprintf(fp, "%s,%s,%s\r\n", v[0], v[1], v[2]);
    }
    /* One record far larger than the buffer: the buffer has to grow. */
    size_t huge = 600 * 1024;
    fputs("HUGE,\"", fp);
    for (size_t i = 0; i < huge; i++)
        fputc(i % 1000 == 999 ? '\n' : 'a' + (int)(i % 26), fp);
    fputs("\",1\r\nLAST,end,2", fp);    /* no line break after the last record */
    fclose(fp);

    const char *cols[] = { "amount", "k", "text" };
    zf_reader *r = open_ok(p, cols, 3, NULL);
    zf_cell c[3];
    long line = 2;
    for (size_t i = 0; i < rows; i++) {
        for (int k = 0; k < 3; k++)
            boundary_value(i, k, v[k], sizeof v[k]);
        assert_int_equal(next_ok(r, c), line);
        assert_cell(&c[1], v[0]);
        assert_cell(&c[2], v[1]);
        assert_cell(&c[0], v[2]);
        line += i % 7 == 0 ? 2 : 1;
    }
    assert_int_equal(next_ok(r, c), line);
    assert_cell(&c[1], "HUGE");
    assert_int_equal(c[2].len, huge);
    assert_int_equal(c[2].ptr[0], 'a');
    assert_int_equal(c[2].ptr[999], '\n');
    assert_int_equal(c[2].ptr[huge - 1], 'a' + (int)((huge - 1) % 26));
    assert_int_equal(next_ok(r, c), line + (long)(huge / 1000) + 1);
    assert_cell(&c[1], "LAST");
    assert_cell(&c[0], "2");
    assert_end(r, c);
    zf_reader_free(r);
}

static void test_csv_invalid_utf8_after_first_mib(void **state)
{
    char p[256];
    path_in(*state, "late.csv", p, sizeof p);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    fputs("a,b\n", fp);
    size_t rows = 80000;    /* 80000 × 16 bytes > 1 MiB of valid UTF-8 first */
    for (size_t i = 0; i < rows; i++)
        fprintf(fp, "%08zu,abcdef\n", i);
    fputs("bad,\xFF\xFE\n", fp);
    fclose(fp);
    const char *cols[] = { "a", "b" };
    zf_reader *r = open_ok(p, cols, 2, NULL);
    assert_string_equal(zf_reader_encoding(r), "utf-8");
    zf_cell c[2];
    for (size_t i = 0; i < rows; i++)
        assert_int_equal(next_ok(r, c), (long)i + 2);
    long line = 0;
    bool more = true;
    zf_error err;
    assert_int_equal(zf_reader_next(r, c, &line, &more, &err), ZF_ERR_ENCODING);
    assert_false(more);
    assert_int_equal(err.line, (long)rows + 2);
    assert_non_null(strstr(err.file, "late.csv"));
    /* The reader stays failed rather than going on past the bad bytes. */
    assert_int_equal(zf_reader_next(r, c, &line, &more, &err), ZF_ERR_ENCODING);
    zf_reader_free(r);
}

/* The first MiB is checked while sniffing and not again: the check resumes at the last
 * whole character before the MiB's end (here the end cuts 明 after its second byte). */
static void test_csv_sniffed_mib_not_checked_twice(void **state)
{
    char p[256];
    path_in(*state, "cjk.csv", p, sizeof p);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    fputs("id,名称,x\n", fp);   /* 13 bytes: rows of 21 put 1 MiB at byte 12 of a row */
    size_t rows = 60000;
    for (size_t i = 0; i < rows; i++)
        fprintf(fp, "%07zu,阳明街道\n", i);
    fputs("bad,\xE6\x98\n", fp);   /* 明 cut short */
    fclose(fp);
    const char *cols[] = { "名称", "id" };
    zf_reader *r = open_ok(p, cols, 2, NULL);
    assert_string_equal(zf_reader_encoding(r), "utf-8");
    zf_cell c[2];
    char want[16];
    for (size_t i = 0; i < rows; i++) {
        assert_int_equal(next_ok(r, c), (long)i + 2);
        assert_cell(&c[0], "阳明街道");
        snprintf(want, sizeof want, "%07zu", i);
        assert_cell(&c[1], want);
    }
    long line = 0;
    bool more = true;
    zf_error err;
    assert_int_equal(zf_reader_next(r, c, &line, &more, &err), ZF_ERR_ENCODING);
    assert_int_equal(err.line, (long)rows + 2);
    zf_reader_free(r);
}

static void test_csv_binary_and_unterminated(void **state)
{
    char p[256];
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xff" "a";
    const char *path = write_bytes(*state, "pic.csv", png, sizeof png - 1, p, sizeof p);
    const char *cols[] = { "a" };
    zf_error err;
    assert_int_equal(open_status(path, cols, 1, NULL, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "PNG"));
    assert_int_equal(open_status(path, cols, 1, "utf-8", &err), ZF_ERR_FORMAT);

    path = write_text(*state, "open.csv", "a,b\n1,\"never closed\n2,3\n", p, sizeof p);
    zf_reader *r = open_ok(path, cols, 1, NULL);
    zf_cell c[1];
    long line = 0;
    bool more = true;
    assert_int_equal(zf_reader_next(r, c, &line, &more, &err), ZF_ERR_FORMAT);
    assert_int_equal(err.line, 2);
    zf_reader_free(r);

    assert_int_equal(open_status("/nonexistent/x.csv", cols, 1, NULL, &err), ZF_ERR_IO);
    assert_int_equal(open_status(path, cols, 1, "latin-1", &err), ZF_ERR_DEFINITION);
}

static void test_csv_empty_and_header_only(void **state)
{
    char p[256];
    const char *cols[] = { "a" };
    zf_cell c[1];
    zf_error err;
    /* an empty export is an error, as in every format (it used to open with no columns) */
    assert_int_equal(open_status(write_text(*state, "empty.csv", "", p, sizeof p), cols, 1, NULL, &err),
                     ZF_ERR_FORMAT);
    assert_string_equal(err.message, "the file is empty: expected a header row");
    zf_reader *r = open_ok(write_text(*state, "hdr.csv", "a\r\n", p, sizeof p), cols, 1, NULL);
    assert_true(zf_reader_has_column(r, 0));
    assert_end(r, c);
    zf_reader_free(r);
}

/* ---- XLSX ------------------------------------------------------------------ */

static void write_workbook(const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "结算");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    worksheet_write_string(ws, 0, 0, "结算编号", NULL);
    worksheet_write_string(ws, 0, 1, " 结算日期\xE3\x80\x80", NULL);
    worksheet_write_string(ws, 0, 2, "备注", NULL);
    worksheet_write_string(ws, 0, 3, "医疗总费用", NULL);
    worksheet_write_string(ws, 1, 0, "S001", NULL);
    worksheet_write_number(ws, 1, 1, 45352, date);
    worksheet_write_string(ws, 1, 2, "ignored", NULL);
    worksheet_write_number(ws, 1, 3, 1234.5, NULL);
    worksheet_write_string(ws, 2, 0, "S002", NULL);
    worksheet_write_string(ws, 2, 1, "2024-03-05", NULL);
    /* row 3 (0-based 2) has no amount: a missing cell */
    worksheet_write_string(ws, 4, 0, "\xE3\x80\x80S001 ", NULL);   /* shared string reused */
    worksheet_write_boolean(ws, 4, 2, 1, NULL);
    worksheet_write_number(ws, 4, 3, 0.001, NULL);
    worksheet_write_string(ws, 30, 27, "far away", NULL);        /* AB31 */
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void test_xlsx_written_by_libxlsxwriter(void **state)
{
    char p[256];
    path_in(*state, "w.xlsx", p, sizeof p);
    write_workbook(p);
    const char *cols[] = { "医疗总费用", "结算编号", "结算日期", "缺列" };
    zf_reader *r = open_ok(p, cols, 4, NULL);
    assert_int_equal(zf_reader_format(r), ZF_FORMAT_XLSX);
    assert_string_equal(zf_reader_encoding(r), "");
    assert_true(zf_reader_has_column(r, 0));
    assert_true(zf_reader_has_column(r, 2));
    assert_false(zf_reader_has_column(r, 3));
    zf_cell c[4];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "1234.5");
    assert_true(c[0].numeric);
    assert_cell(&c[1], "S001");
    assert_false(c[1].numeric);
    assert_cell(&c[2], "45352");
    assert_true(c[2].numeric);
    assert_int_equal(c[3].len, 0);
    assert_int_equal(next_ok(r, c), 3);
    assert_int_equal(c[0].len, 0);
    assert_false(c[0].numeric);
    assert_cell(&c[2], "2024-03-05");
    assert_false(c[2].numeric);
    assert_int_equal(next_ok(r, c), 5);   /* row 4 does not exist */
    assert_cell(&c[1], "S001");
    assert_cell(&c[0], "0.001");
    assert_true(c[0].numeric);
    assert_int_equal(c[2].len, 0);
    /* A row with a value only in a column nobody asked for is still a record. */
    assert_int_equal(next_ok(r, c), 31);
    assert_int_equal(c[1].len, 0);
    assert_end(r, c);
    assert_true(zf_reader_bytes(r) > 0);
    zf_reader_free(r);
}

static void zip_add(zipFile z, const char *name, const char *text)
{
    zip_fileinfo zi;
    memset(&zi, 0, sizeof zi);
    assert_int_equal(zipOpenNewFileInZip(z, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6), ZIP_OK);
    assert_int_equal(zipWriteInFileInZip(z, text, (unsigned)strlen(text)), ZIP_OK);
    assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
}

static void test_xlsx_inline_and_rich_strings(void **state)
{
    char p[256];
    path_in(*state, "inline.xlsx", p, sizeof p);
    zipFile z = zipOpen(p, APPEND_STATUS_CREATE);
    assert_non_null(z);
    zip_add(z, "xl/workbook.xml",
        "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
        "<sheet name=\"数据\" sheetId=\"3\" r:id=\"rId7\"/><sheet name=\"other\" sheetId=\"1\" r:id=\"rId1\"/>"
        "</sheets></workbook>");
    zip_add(z, "xl/_rels/workbook.xml.rels",
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"ws\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId7\" Type=\"ws\" Target=\"worksheets/data.xml\"/></Relationships>");
    zip_add(z, "xl/sharedStrings.xml",
        "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<si><t>名称</t></si>"
        "<si><r><rPr><b/></rPr><t>余姚</t></r><r><t xml:space=\"preserve\">残疾人之家</t></r>"
        "<rPh sb=\"0\" eb=\"1\"><t>yuyao</t></rPh></si></sst>");
    zip_add(z, "xl/worksheets/sheet1.xml",
        "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>wrong sheet</t></is></c></row>"
        "</sheetData></worksheet>");
    zip_add(z, "xl/worksheets/data.xml",
        "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:sheetData>"
        "<x:row r=\"1\"><x:c r=\"A1\" t=\"s\"><x:v>0</x:v></x:c><x:c t=\"inlineStr\"><x:is><x:t>乡镇街道</x:t></x:is></x:c>"
        "<x:c r=\"C1\" t=\"inlineStr\"><x:is><x:t>数值</x:t></x:is></x:c><x:c r=\"D1\" t=\"str\"><x:f>\"公式\"</x:f><x:v>公式</x:v></x:c></x:row>"
        "<x:row r=\"2\" spans=\"1:4\"><x:c r=\"A2\" t=\"s\"><x:v>1</x:v></x:c>"
        "<x:c r=\"B2\" t=\"inlineStr\"><x:is><x:r><x:t>凤山</x:t></x:r><x:r><x:t>街道</x:t></x:r></x:is></x:c>"
        "<x:c r=\"C2\"><x:v>1.2E-3</x:v></x:c><x:c r=\"D2\" t=\"str\"><x:f>1&amp;2</x:f><x:v>12</x:v></x:c></x:row>"
        "<x:row r=\"3\" ht=\"20\"/>"
        "<x:row r=\"4\"><x:c r=\"C4\" t=\"b\"><x:v>0</x:v></x:c><x:c r=\"D4\" t=\"e\"><x:v>#N/A</x:v></x:c></x:row>"
        "</x:sheetData></x:worksheet>");
    assert_int_equal(zipClose(z, NULL), ZIP_OK);

    const char *cols[] = { "名称", "乡镇街道", "数值", "公式" };
    zf_reader *r = open_ok(p, cols, 4, NULL);
    for (size_t i = 0; i < 4; i++)
        assert_true(zf_reader_has_column(r, i));
    zf_cell c[4];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "余姚残疾人之家");
    assert_cell(&c[1], "凤山街道");
    assert_cell(&c[2], "1.2E-3");
    assert_true(c[2].numeric);
    assert_cell(&c[3], "12");
    assert_false(c[3].numeric);
    assert_int_equal(next_ok(r, c), 4);   /* row 3 holds no value */
    assert_int_equal(c[0].len, 0);
    assert_cell(&c[2], "false");
    assert_false(c[2].numeric);
    assert_cell(&c[3], "#N/A");
    assert_end(r, c);
    zf_reader_free(r);
}

/* A workbook of one sheet, as a spreadsheet program writes it: pr is the workbookPr element
 * (may be ""), sheet the worksheet's XML.  The path is left in p. */
static void write_one_sheet(void *dir, const char *name, const char *pr, const char *sheet, char *p,
                            size_t cap)
{
    char wb[512];
    snprintf(wb, sizeof wb,
        "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">%s"
        "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>", pr);
    path_in(dir, name, p, cap);
    zipFile z = zipOpen(p, APPEND_STATUS_CREATE);
    assert_non_null(z);
    zip_add(z, "xl/workbook.xml", wb);
    zip_add(z, "xl/_rels/workbook.xml.rels",
        "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"ws\" Target=\"worksheets/sheet1.xml\"/></Relationships>");
    zip_add(z, "xl/worksheets/sheet1.xml", sheet);
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
}

/* Excel stores 9477.87 as 9477.8700000000008 (17 digits) or 9477.870000000001; it shows and
 * works with 15 significant digits, and so must the type rules. */
static void test_excel_digits(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } cases[] = {
        { "9477.8700000000008", "9477.87" },
        { "9477.870000000001", "9477.87" },
        { "0.30000000000000004", "0.3" },
        { "-1234.5600000000002", "-1234.56" },
        { "9.9999999999999996", "10" },
        { "0.99999999999999999", "1" },
        { ".99999999999999999", "1" },
        { "99999999999999999", "100000000000000000" },
        { "45292.000000000007", "45292" },
        { "9.4778700000000008E3", "9.47787E3" },
        { "0.85000000000000009", "0.85" },
        { "1.2345678901234567", "1.23456789012346" },
        { "0.000012345678901234567", "0.0000123456789012346" },
    };
    char out[96];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = zf_rd_excel_digits(cases[i].in, strlen(cases[i].in), out, sizeof out);
        assert_int_not_equal(n, 0);
        out[n] = '\0';
        assert_string_equal(out, cases[i].out);
    }
    /* 15 digits or fewer, and anything that is not a plain decimal, stay as written. */
    static const char *kept[] = { "12.345", "9477.87", "1.2E-3", "123456789012345", "abc",
                                  "1.5E", "--1", "12.3.4", "", "1e400x" };
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        assert_int_equal(zf_rd_excel_digits(kept[i], strlen(kept[i]), out, sizeof out), 0);
}

/* The whole path: a number cell as Excel writes it is 947787 fen, and 12.345 is still refused. */
static void test_xlsx_seventeen_digit_numbers(void **state)
{
    char p[256];
    write_one_sheet(*state, "excel17.xlsx", "",
        "<worksheet><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>金额</t></is></c>"
        "<c r=\"B1\" t=\"inlineStr\"><is><t>文本</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>9477.8700000000008</v></c>"
        "<c r=\"B2\" t=\"inlineStr\"><is><t>9477.8700000000008</t></is></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"n\"><v>9477.870000000001</v></c></row>"
        "<row r=\"4\"><c r=\"A4\"><f>A2+A3</f><v>18955.740000000002</v></c></row>"
        "<row r=\"5\"><c r=\"A5\"><v>12.345</v></c></row>"
        "</sheetData></worksheet>", p, sizeof p);

    const char *cols[] = { "金额", "文本" };
    zf_reader *r = open_ok(p, cols, 2, NULL);
    zf_cell c[2];
    int64_t fen = 0;
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "9477.87");
    assert_int_equal(zf_parse_amount(c[0].ptr, c[0].len, &fen), ZF_REASON_NONE);
    assert_int_equal(fen, 947787);
    assert_cell(&c[1], "9477.8700000000008");   /* text the clerk typed is not a number cell */
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "9477.87");
    assert_int_equal(next_ok(r, c), 4);          /* a formula's cached value */
    assert_cell(&c[0], "18955.74");
    assert_int_equal(zf_parse_amount(c[0].ptr, c[0].len, &fen), ZF_REASON_NONE);
    assert_int_equal(fen, 1895574);
    assert_int_equal(next_ok(r, c), 5);
    assert_cell(&c[0], "12.345");
    assert_int_equal(zf_parse_amount(c[0].ptr, c[0].len, &fen), ZF_REASON_BAD_AMOUNT);
    assert_end(r, c);
    zf_reader_free(r);
}

/* The date system is the workbook's: date1904 in workbookPr, read before the sheet. */
static void test_xlsx_date1904(void **state)
{
    char p[256];
    for (int sys = 0; sys < 2; sys++) {
        write_one_sheet(*state, sys ? "d1904.xlsx" : "d1900.xlsx",
            sys ? "<workbookPr date1904=\"1\"/>" : "<workbookPr date1904=\"false\"/>",
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>日期</t></is></c></row>"
            "<row r=\"2\"><c r=\"A2\"><v>43830</v></c></row></sheetData></worksheet>", p, sizeof p);
        const char *cols[] = { "日期" };
        zf_reader *r = open_ok(p, cols, 1, NULL);
        zf_cell c[1];
        assert_int_equal(next_ok(r, c), 2);
        assert_true(c[0].numeric);
        zf_serial_dates want = sys ? ZF_SERIAL_1904 : ZF_SERIAL_1900;
        assert_int_equal(zf_reader_serial_dates(r), want);
        int32_t days = 0;
        zf_reason got = zf_parse_date(c[0].ptr, c[0].len, zf_reader_serial_dates(r), 2100, &days);
        assert_int_equal(got, ZF_REASON_NONE);
        assert_int_equal(days, sys ? zf_days_from_civil(2024, 1, 1) : zf_days_from_civil(2019, 12, 31));
        assert_end(r, c);
        zf_reader_free(r);
    }
}

/* A workbook written by openpyxl itself (tests/unit/make_openpyxl.py, run without a shell):
 * it stores 9477.87 as 9477.870000000001 and, with the Mac epoch, dates in the 1904 system. */
static void test_xlsx_written_by_openpyxl(void **state)
{
    extern char **environ;
    for (int sys = 0; sys < 2; sys++) {
        char p[256];
        path_in(*state, sys ? "openpyxl1904.xlsx" : "openpyxl1900.xlsx", p, sizeof p);
        char *argv[] = { "/usr/bin/python3", ZF_SOURCE_DIR "/tests/unit/make_openpyxl.py", p,
                         sys ? "1904" : "1900", NULL };
        pid_t pid;
        int status = -1;
        assert_int_equal(posix_spawn(&pid, argv[0], NULL, NULL, argv, environ), 0);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

        const char *cols[] = { "发放日期", "救助金额" };
        zf_reader *r = open_ok(p, cols, 2, NULL);
        assert_int_equal(zf_reader_serial_dates(r), sys ? ZF_SERIAL_1904 : ZF_SERIAL_1900);
        static const struct { int y, m, d; int64_t fen; zf_reason amount; } want[] = {
            { 2024, 3, 1, 947787, ZF_REASON_NONE },
            { 2025, 12, 31, 123456, ZF_REASON_NONE },
            { 2023, 1, 1, 0, ZF_REASON_BAD_AMOUNT },
        };
        zf_cell c[2];
        for (size_t i = 0; i < 3; i++) {
            assert_int_equal(next_ok(r, c), (int)i + 2);
            int32_t days = 0;
            int64_t fen = 0;
            assert_true(c[0].numeric);
            assert_int_equal(zf_parse_date(c[0].ptr, c[0].len, zf_reader_serial_dates(r), 2100, &days),
                             ZF_REASON_NONE);
            assert_int_equal(days, zf_days_from_civil(want[i].y, want[i].m, want[i].d));
            assert_int_equal(zf_parse_amount(c[1].ptr, c[1].len, &fen), want[i].amount);
            if (want[i].amount == ZF_REASON_NONE)
                assert_int_equal(fen, want[i].fen);
        }
        assert_end(r, c);
        zf_reader_free(r);
    }
}

static void test_xlsx_truncated_and_corrupt(void **state)
{
    char p[256], q[256];
    path_in(*state, "full.xlsx", p, sizeof p);
    write_workbook(p);
    FILE *fp = fopen(p, "rb");
    assert_non_null(fp);
    static char data[1 << 20];
    size_t n = fread(data, 1, sizeof data, fp);
    fclose(fp);
    assert_true(n > 1000);
    const char *half = write_bytes(*state, "half.xlsx", data, n / 2, q, sizeof q);
    const char *cols[] = { "结算编号" };
    zf_error err;
    assert_int_equal(open_status(half, cols, 1, NULL, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "truncated"));

    /* A CSV renamed .xlsx, and a zip without any worksheet. */
    const char *fake = write_text(*state, "fake.xlsx", "a,b\n1,2\n", q, sizeof q);
    assert_int_equal(open_status(fake, cols, 1, NULL, &err), ZF_ERR_FORMAT);
    path_in(*state, "nosheet.xlsx", q, sizeof q);
    zipFile z = zipOpen(q, APPEND_STATUS_CREATE);
    zip_add(z, "hello.txt", "hi");
    zipClose(z, NULL);
    assert_int_equal(open_status(q, cols, 1, NULL, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "worksheet"));

    /* A sheet whose XML breaks off after the header: rows read, then an error. */
    path_in(*state, "badxml.xlsx", q, sizeof q);
    z = zipOpen(q, APPEND_STATUS_CREATE);
    zip_add(z, "xl/worksheets/sheet1.xml",
        "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>结算编号</t></is></c></row>"
        "<row r=\"2\"><c t=\"inlineStr\"><is><t>S1</t></is></c></row><row r=\"3\"><c t=\"inlineStr\"><is><t>S2");
    zipClose(z, NULL);
    zf_reader *r = open_ok(q, cols, 1, NULL);
    zf_cell c[1];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "S1");
    long line = 0;
    bool more = true;
    assert_int_equal(zf_reader_next(r, c, &line, &more, &err), ZF_ERR_FORMAT);
    assert_false(more);
    assert_int_equal(err.line, 3);
    zf_reader_free(r);
}

/* ---- JSON ------------------------------------------------------------------ */

static void test_json_array(void **state)
{
    char p[256];
    const char *path = write_text(*state, "a.json",
        "\xEF\xBB\xBF[\n"
        "  {\"申请编号\": \"A1\", \"金额\": 1234.5, \"是否\": true, \"其他\": {\"x\": [1, \"}\"]}},\n"
        "  {\"金额\": -0.5e+3, \"申请编号\": \"A\\u4e2d\\\"2\\n\", \"是否\": null},\n"
        "  {\" 申请编号\\u3000\": \"\\ud83d\\ude00\", \"申请编号\": \"second key ignored\"},\n"
        "  {}\n"
        "]\n", p, sizeof p);
    const char *cols[] = { "申请编号", "金额", "是否" };
    zf_reader *r = open_ok(path, cols, 3, NULL);
    assert_true(zf_reader_has_column(r, 2));
    assert_string_equal(zf_reader_encoding(r), "");
    zf_cell c[3];
    assert_int_equal(next_ok(r, c), 1);
    assert_cell(&c[0], "A1");
    assert_cell(&c[1], "1234.5");
    assert_false(c[1].numeric);
    assert_cell(&c[2], "true");
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "A中\"2");
    assert_cell(&c[1], "-0.5e+3");
    assert_int_equal(c[2].len, 0);
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "\xF0\x9F\x98\x80");
    assert_int_equal(c[1].len, 0);
    assert_int_equal(next_ok(r, c), 4);
    assert_int_equal(c[0].len, 0);
    assert_end(r, c);
    zf_reader_free(r);
}

static void test_json_lines(void **state)
{
    char p[256];
    const char *path = write_text(*state, "a.jsonl",
        "{\"年度\": 2024, \"人数\": \"12\"}\n"
        "\n"
        "   \r\n"
        "{\"人数\": null, \"年度\": 2025}\n"
        "{\"年度\": false}", p, sizeof p);
    const char *cols[] = { "年度", "人数" };
    zf_reader *r = open_ok(path, cols, 2, NULL);
    assert_int_equal(zf_reader_format(r), ZF_FORMAT_JSONL);
    zf_cell c[2];
    assert_int_equal(next_ok(r, c), 1);
    assert_cell(&c[0], "2024");
    assert_cell(&c[1], "12");
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "2025");
    assert_int_equal(c[1].len, 0);
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "false");
    assert_end(r, c);
    zf_reader_free(r);
}

static void test_json_invalid(void **state)
{
    char p[256];
    const char *cols[] = { "a" };
    zf_cell c[1];
    zf_error err;
    long line = 0;
    bool more = true;

    const char *path = write_text(*state, "bad.json", "[\n {\"a\": 1},\n {\"a\": 01}\n]", p, sizeof p);
    zf_reader *r = open_ok(path, cols, 1, NULL);
    assert_int_equal(next_ok(r, c), 1);
    assert_int_equal(zf_reader_next(r, c, &line, &more, &err), ZF_ERR_FORMAT);
    assert_false(more);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 9);   /* the '1' after a leading zero */
    assert_non_null(strstr(err.message, "element 2"));
    zf_reader_free(r);

    static const char *const broken[] = {
        "[{\"a\": 1} {\"a\": 2}]",      /* missing comma */
        "[{\"a\": 1},",                 /* ends early */
        "[{\"a\": \"open}]",            /* unclosed string */
        "[{\"a\": tru}]",
        "[{\"a\" 1}]",
        "[{\"a\": \"\\x\"}]",
        "[{\"a\": \"\\ud800\"}]",       /* lone surrogate */
        "[1, 2]",
        "[{\"a\": 1}] trailing",
    };
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        path = write_text(*state, "broken.json", broken[i], p, sizeof p);
        zf_status st = zf_reader_open(&r, path, &(zf_reader_opts){ ZF_FORMAT_AUTO, NULL, cols, 1, false }, &err);
        assert_int_equal(st, ZF_OK);
        zf_status last;
        do
            last = zf_reader_next(r, c, &line, &more, &err);
        while (last == ZF_OK && more);
        assert_int_equal(last, ZF_ERR_FORMAT);
        assert_true(err.line >= 1);
        zf_reader_free(r);
    }

    /* Not JSON at all: refused at open. */
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    path = write_bytes(*state, "pic.json", png, sizeof png - 1, p, sizeof p);
    assert_int_equal(open_status(path, cols, 1, NULL, &err), ZF_ERR_FORMAT);
    path = write_text(*state, "empty.json", "  \n", p, sizeof p);
    assert_int_equal(open_status(path, cols, 1, NULL, &err), ZF_ERR_FORMAT);
    path = write_bytes(*state, "latin.jsonl", "{\"a\": \"\xE9t\xE9\"}\n", 14, p, sizeof p);
    r = open_ok(path, cols, 1, NULL);
    assert_int_equal(zf_reader_next(r, c, &line, &more, &err), ZF_ERR_ENCODING);
    assert_int_equal(err.line, 1);
    zf_reader_free(r);
}

static void test_json_large_array_streams(void **state)
{
    char p[256];
    path_in(*state, "big.json", p, sizeof p);
    FILE *fp = fopen(p, "wb");
    assert_non_null(fp);
    size_t rows = 20000;
    fputs("[", fp);
    for (size_t i = 0; i < rows; i++)
        fprintf(fp, "%s\n{\"编号\": \"N%zu\", \"说明\": \"%.*s\\\"}\\\\\", \"值\": %zu}", i ? "," : "", i,
                (int)(i % 50), "{}[],:{{]]{}[],:{{]]{}[],:{{]]{}[],:{{]]{}[],:{{]]", i);
    fputs("]", fp);
    fclose(fp);
    const char *cols[] = { "值", "编号", "说明" };
    zf_reader *r = open_ok(p, cols, 3, NULL);
    zf_cell c[3];
    char want[64];
    for (size_t i = 0; i < rows; i++) {
        assert_int_equal(next_ok(r, c), (long)i + 1);
        snprintf(want, sizeof want, "N%zu", i);
        assert_cell(&c[1], want);
        snprintf(want, sizeof want, "%zu", i);
        assert_cell(&c[0], want);
        snprintf(want, sizeof want, "%.*s\"}\\", (int)(i % 50), "{}[],:{{]]{}[],:{{]]{}[],:{{]]{}[],:{{]]{}[],:{{]]");
        assert_cell(&c[2], want);
    }
    assert_end(r, c);
    zf_reader_free(r);
}

static void test_format_from_name(void **state)
{
    (void)state;
    assert_int_equal(zf_format_from_name("medical_settlements.2024-01.csv"), ZF_FORMAT_CSV);
    assert_int_equal(zf_format_from_name("a/B.XLSX"), ZF_FORMAT_XLSX);
    assert_int_equal(zf_format_from_name("x.json"), ZF_FORMAT_JSON);
    assert_int_equal(zf_format_from_name("x.jsonl"), ZF_FORMAT_JSONL);
    assert_int_equal(zf_format_from_name("x.ndjson"), ZF_FORMAT_JSONL);
    assert_int_equal(zf_format_from_name("x.xls"), ZF_FORMAT_AUTO);
    assert_int_equal(zf_format_from_name("dir.csv/noext"), ZF_FORMAT_AUTO);
    zf_error err;
    const char *cols[] = { "a" };
    assert_int_equal(open_status("/tmp/whatever.txt", cols, 1, NULL, &err), ZF_ERR_FORMAT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_quoted_commas_and_line_breaks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_crlf_with_quoted_breaks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_gb18030, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_gb18030_split_across_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_columns_reordered_extra_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_trimming, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_buffer_boundaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_invalid_utf8_after_first_mib, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_sniffed_mib_not_checked_twice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_binary_and_unterminated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_empty_and_header_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_written_by_libxlsxwriter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_inline_and_rich_strings, setup, teardown),
        cmocka_unit_test(test_excel_digits),
        cmocka_unit_test_setup_teardown(test_xlsx_seventeen_digit_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_date1904, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_written_by_openpyxl, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_truncated_and_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_array, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_large_array_streams, setup, teardown),
        cmocka_unit_test(test_format_from_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
