/* test_reader.c — the extract layer: CSV (quoting, CRLF, BOM, GB18030, buffer
 * boundaries), JSON and JSON Lines, and files that are not what they claim.  XLSX is in
 * test_xlsx.c. */
#include <iconv.h>

#include "zf_test_reader.h"

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
        zf_status st = zf_reader_open(&r, path, &(zf_reader_opts){ ZF_FORMAT_AUTO, NULL, cols, 1, false, 0 }, &err);
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
    assert_int_equal(zf_format_from_name("x.xls"), ZF_FORMAT_XLS);
    assert_int_equal(zf_format_from_name("村/报表.XLS"), ZF_FORMAT_XLS);
    assert_int_equal(zf_format_from_name("x.xlsb"), ZF_FORMAT_AUTO);
    /* Excel's text saves: the CSV reader finds their encoding and separator */
    assert_int_equal(zf_format_from_name("medical_settlements.2024.txt"), ZF_FORMAT_CSV);
    assert_int_equal(zf_format_from_name("x.TSV"), ZF_FORMAT_CSV);
    assert_int_equal(zf_format_from_name("dir.csv/noext"), ZF_FORMAT_AUTO);
    zf_error err;
    const char *cols[] = { "a" };
    assert_int_equal(open_status("/tmp/whatever.dat", cols, 1, NULL, &err), ZF_ERR_FORMAT);
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
        cmocka_unit_test_setup_teardown(test_json_array, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_large_array_streams, setup, teardown),
        cmocka_unit_test(test_format_from_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
