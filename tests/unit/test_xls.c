/* test_xls.c — the legacy .xls reader on workbooks xlwt wrote (tests/unit/make_xlwt.py, run
 * without a shell): types, Excel's 15 digits, both date systems, row numbers, the header
 * found below a formatting-only row, formula results and error cells, an Excel 95 workbook in
 * GBK (tests/unit/make_biff5.py); and the files county systems name .xls that are not:
 * truncated workbooks, renamed CSV, tab-separated text, HTML tables, Excel 2003 XML and
 * renamed .xlsx. */
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "zf_test_reader.h"
#include "zf_value.h"

/* tests/unit/SCRIPT OUT [ARG] with Debian's python3 (xlwt, PyGObject's libgsf). */
static void make_with(const fixture *f, const char *script, const char *name, const char *arg, char *p,
                      size_t size)
{
    extern char **environ;
    char prog[512];
    snprintf(prog, sizeof prog, "%s/tests/unit/%s", ZF_SOURCE_DIR, script);
    path_in(f, name, p, size);
    char *argv[] = { "/usr/bin/python3", prog, p, (char *)arg, NULL };
    pid_t pid;
    int status = -1;
    assert_int_equal(posix_spawn(&pid, argv[0], NULL, NULL, argv, environ), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void make_xlwt(const fixture *f, const char *name, const char *system, char *p, size_t size)
{
    make_with(f, "make_xlwt.py", name, system, p, size);
}

static void test_xls_written_by_xlwt(void **state)
{
    char p[256];
    make_xlwt(*state, "xlwt.xls", "1900", p, sizeof p);
    /* reordered, one missing, the header's spaces (ASCII and U+3000) trimmed */
    const char *cols[] = { "救助金额", "姓名", "发放日期", "缺列", "是否低保", "人数", "备注", "登记时间",
                           "合计", "核对" };
    zf_reader *r = open_ok(p, cols, 10, NULL);
    assert_int_equal(zf_reader_format(r), ZF_FORMAT_XLS);
    assert_int_equal(zf_reader_serial_dates(r), ZF_SERIAL_1900);
    assert_string_equal(zf_reader_encoding(r), "");
    assert_true(zf_reader_has_column(r, 1));
    assert_false(zf_reader_has_column(r, 3));
    assert_true(zf_reader_has_column(r, 7));
    zf_cell c[10];

    assert_int_equal(next_ok(r, c), 3);   /* row 1 is formatting only, row 2 the header */
    assert_cell(&c[0], "9477.87");         /* the double 9477.8700000000008, as Excel shows it */
    assert_true(c[0].numeric);
    int64_t fen = 0;
    assert_int_equal(zf_parse_amount(c[0].ptr, c[0].len, &fen), ZF_REASON_NONE);
    assert_int_equal(fen, 947787);
    assert_cell(&c[1], "张三");
    assert_false(c[1].numeric);
    assert_cell(&c[2], "2024-03-05");      /* a date-formatted cell */
    assert_false(c[2].numeric);
    assert_int_equal(c[3].len, 0);
    assert_false(c[3].numeric);
    assert_cell(&c[4], "true");            /* a BOOLERR boolean, as the XLSX reader gives it */
    assert_false(c[4].numeric);
    bool yes = false;
    assert_int_equal(zf_parse_yesno(c[4].ptr, c[4].len, &yes), ZF_REASON_NONE);
    assert_true(yes);
    assert_cell(&c[5], "12");
    assert_true(c[5].numeric);
    assert_int_equal(c[6].len, 0);         /* written as "": a blank cell */
    assert_false(c[6].numeric);
    assert_cell(&c[7], "2024-03-05 13:30:00");
    int32_t days = 0;
    assert_int_equal(zf_parse_date(c[7].ptr, c[7].len, ZF_SERIAL_NONE, 2100, &days), ZF_REASON_NONE);
    assert_int_equal(days, zf_days_from_civil(2024, 3, 5));
    assert_cell(&c[8], "9489.87");         /* =B3+C3: the saved result, which FreeXL skips */
    assert_true(c[8].numeric);
    assert_cell(&c[9], "#N/A");            /* an error cell, which FreeXL reads as 1 */
    assert_false(c[9].numeric);

    assert_int_equal(next_ok(r, c), 4);
    assert_cell(&c[0], "0.3");             /* 0.30000000000000004 */
    assert_cell(&c[1], "李四");
    assert_cell(&c[2], "45000");           /* a plain number: an Excel serial date */
    assert_true(c[2].numeric);
    assert_int_equal(zf_parse_date(c[2].ptr, c[2].len, zf_reader_serial_dates(r), 2100, &days),
                     ZF_REASON_NONE);
    assert_int_equal(days, zf_days_from_civil(2023, 3, 15));
    assert_cell(&c[4], "false");
    assert_int_equal(zf_parse_yesno(c[4].ptr, c[4].len, &yes), ZF_REASON_NONE);
    assert_false(yes);
    assert_cell(&c[5], "123456789012");    /* a double without ".0" */
    assert_cell(&c[6], "说明");             /* trimmed */
    assert_int_equal(c[7].len, 0);
    assert_cell(&c[8], "低保户");            /* a text result, from the STRING record */
    assert_false(c[8].numeric);

    assert_int_equal(next_ok(r, c), 6);    /* row 5 was never written */
    assert_cell(&c[0], "-1234.5");
    assert_cell(&c[1], "王五");
    assert_cell(&c[2], "2024/03/05");      /* text that looks like a date stays text */
    assert_false(c[2].numeric);
    assert_int_equal(c[5].len, 0);
    assert_cell(&c[8], "true");            /* =1=1 */

    assert_int_equal(next_ok(r, c), 7);    /* far away in a column nobody wants, and =1/0 */
    for (size_t i = 0; i < 8; i++)
        assert_int_equal(c[i].len, 0);
    assert_cell(&c[8], "#DIV/0!");
    assert_int_equal(next_ok(r, c), 8);    /* a row of formulas only is a record */
    assert_cell(&c[8], "3");
    assert_true(c[8].numeric);
    assert_end(r, c);                      /* row 9's formula has an empty result */                      /* the second sheet is not read */
    assert_end(r, c);
    assert_true(zf_reader_bytes(r) > 0);
    zf_reader_free(r);
}

/* The 1904 system: FreeXL turns date-formatted cells into the right text; a plain number in
 * a date column is a 1904 serial, as in an XLSX saved that way. */
static void test_xls_date1904(void **state)
{
    char p[256];
    make_xlwt(*state, "xlwt1904.xls", "1904", p, sizeof p);
    const char *cols[] = { "发放日期" };
    zf_reader *r = open_ok(p, cols, 1, NULL);
    assert_int_equal(zf_reader_serial_dates(r), ZF_SERIAL_1904);
    zf_cell c[1];
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "2024-03-05");
    assert_int_equal(next_ok(r, c), 4);
    assert_cell(&c[0], "45000");
    int32_t days = 0;
    assert_int_equal(zf_parse_date(c[0].ptr, c[0].len, zf_reader_serial_dates(r), 2100, &days),
                     ZF_REASON_NONE);
    assert_int_equal(days, zf_days_from_civil(1904, 1, 1) + 45000);
    zf_reader_free(r);
}

/* xlwt's shared-string table over an SST and a CONTINUE record: every string whole, the
 * one split between them too. */
static void test_xls_sst_continue(void **state)
{
    char p[256];
    make_xlwt(*state, "sst.xls", "sst", p, sizeof p);
    const char *cols[] = { "c0", "c1", "c2", "c3" };
    zf_reader *r = open_ok(p, cols, 4, NULL);
    zf_cell c[4];
    for (int i = 0; i < 600; i += 4) {
        assert_int_equal(next_ok(r, c), 2 + i / 4);
        for (int j = 0; j < 4; j++) {
            char want[64];
            int n = snprintf(want, sizeof want, "name%04d", i + j);
            for (int k = 0; k < (i + j) % 3; k++)
                n += snprintf(want + n, sizeof want - (size_t)n, "低保户");
            assert_cell(&c[j], want);
        }
    }
    assert_end(r, c);
    zf_reader_free(r);
}

/* Excel 95 (BIFF5, the "Book" stream): text in code page 936, a date format, an RK, a
 * MULRK, a formula's text result and a boolean; before issue 23 the formula cell read empty
 * and the boolean 1. */
static void test_xls_biff5(void **state)
{
    char p[256];
    make_with(*state, "make_biff5.py", "biff5.xls", NULL, p, sizeof p);
    const char *cols[] = { "姓名", "救助金额", "发放日期", "人数", "合计", "核对" };
    zf_reader *r = open_ok(p, cols, 6, NULL);
    assert_int_equal(zf_reader_format(r), ZF_FORMAT_XLS);
    zf_cell c[6];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "张三");
    assert_cell(&c[1], "9477.87");
    assert_true(c[1].numeric);
    assert_cell(&c[2], "2024-03-05");
    assert_false(c[2].numeric);
    assert_cell(&c[3], "12");
    assert_true(c[3].numeric);
    assert_cell(&c[4], "低保户");
    assert_cell(&c[5], "true");
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "李四");
    assert_cell(&c[1], "300");
    assert_cell(&c[2], "2023-03-15");
    assert_end(r, c);
    zf_reader_free(r);
}

/* The file on which tests/fuzz/fuzz_xls found FreeXL writing under a stack buffer in its
 * iconv call (ASan: stack-buffer-underflow; this test failed under make sanitize then): a
 * BIFF8 workbook with mutated bytes, its directory broken: now one clear error. */
static void test_xls_freexl_underflow(void **state)
{
    (void)state;
    const char *cols[] = { "姓名", "救助金额" };
    zf_error err;
    assert_int_equal(open_status(ZF_SOURCE_DIR "/tests/fixtures/xls/freexl-iconv-underflow.xls", cols, 2, NULL, &err),
                     ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "not a readable .xls workbook: its OLE2 container cannot be read"));
}

static size_t slurp(const char *path, char *data, size_t cap)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t n = fread(data, 1, cap, fp);
    fclose(fp);
    return n;
}

static void test_xls_truncated(void **state)
{
    char p[256], q[256];
    make_xlwt(*state, "full.xls", "1900", p, sizeof p);
    static char data[1 << 20];
    size_t n = slurp(p, data, sizeof data);
    assert_true(n > 4096);
    const char *cols[] = { "姓名" };
    zf_error err;
    static const size_t cuts[] = { 8, 512, 1536, 3000 };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        const char *cut = write_bytes(*state, "cut.xls", data, i == 3 ? n / 2 : cuts[i], q, sizeof q);
        assert_int_equal(open_status(cut, cols, 1, NULL, &err), ZF_ERR_FORMAT);
        assert_non_null(strstr(err.message, "not a readable .xls workbook"));
        assert_string_equal(err.file, cut);
    }
}

/* What county systems name .xls without being one: each is one clear error saying what the
 * file is and what to do with it. */
static void test_xls_impostors(void **state)
{
    static const struct { const char *name, *data, *says; } cases[] = {
        { "csv.xls", "姓名,救助金额\n张三,9477.87\n", "plain text (CSV?)" },
        { "ascii.xls", "name,amount\r\nA,1\r\n", "rename it .csv" },
        { "tsv.xls", "姓名\t救助金额\n张三\t9477.87\n", "tab-separated text" },
        { "html.xls",
          "\xEF\xBB\xBF\r\n<html xmlns:x=\"urn:schemas-microsoft-com:office:excel\"><head><meta "
          "charset=\"utf-8\"></head><body><TABLE><tr><td>姓名</td></tr></TABLE></body></html>",
          "an HTML table saved with an .xls name" },
        { "table.xls", "<table border=1><tr><th>姓名</th></tr></table>", "an HTML table" },
        { "xml2003.xls",
          "<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">"
          "</Workbook>",
          "Excel 2003 XML spreadsheet" },
        { "empty.xls", "", "the file is empty" },
        { "utf16.xls", "\xFF\xFE\x53\x59\x09\x00", "UTF-16 text" },
    };
    const char *cols[] = { "姓名" };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char q[256];
        size_t len = strlen(cases[i].data);
        if (strcmp(cases[i].name, "utf16.xls") == 0)
            len = 6;
        const char *path = len == strlen(cases[i].data) ? write_text(*state, cases[i].name, cases[i].data, q, sizeof q)
                                                        : write_bytes(*state, cases[i].name, cases[i].data, len, q, sizeof q);
        zf_error err;
        assert_int_equal(open_status(path, cols, 1, NULL, &err), ZF_ERR_FORMAT);
        if (!strstr(err.message, cases[i].says))
            fail_msg("%s: %s", cases[i].name, err.message);
        assert_non_null(strstr(err.message, "not an .xls workbook"));
    }
    /* NUL bytes that are no workbook */
    char q[256];
    const char *bin = write_bytes(*state, "bin.xls", "\x01\x02\x00\x04zzzz", 8, q, sizeof q);
    zf_error err;
    assert_int_equal(open_status(bin, cols, 1, NULL, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "neither an .xls (OLE2) nor an .xlsx (ZIP)"));
}

/* An .xlsx renamed .xls (ZIP magic) is read as the XLSX it is. */
static void test_xls_renamed_xlsx(void **state)
{
    char p[256];
    path_in(*state, "really.xls", p, sizeof p);
    lxw_workbook *wb = workbook_new(p);
    assert_non_null(wb);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "表");
    worksheet_write_string(ws, 0, 0, "姓名", NULL);
    worksheet_write_string(ws, 0, 1, "救助金额", NULL);
    worksheet_write_string(ws, 1, 0, "张三", NULL);
    worksheet_write_number(ws, 1, 1, 9477.87, NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
    const char *cols[] = { "救助金额", "姓名" };
    zf_reader *r = open_ok(p, cols, 2, NULL);
    assert_int_equal(zf_reader_format(r), ZF_FORMAT_XLSX);
    zf_cell c[2];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "9477.87");
    assert_true(c[0].numeric);
    assert_cell(&c[1], "张三");
    assert_end(r, c);
    zf_reader_free(r);
}

/* A FIFO named .xls must not hang the run. */
static void test_xls_not_regular(void **state)
{
    char p[256];
    path_in(*state, "fifo.xls", p, sizeof p);
    assert_int_equal(mkfifo(p, 0600), 0);
    const char *cols[] = { "姓名" };
    zf_error err;
    assert_int_not_equal(open_status(p, cols, 1, NULL, &err), ZF_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_xls_written_by_xlwt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xls_date1904, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xls_sst_continue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xls_biff5, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xls_freexl_underflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xls_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xls_impostors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xls_renamed_xlsx, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xls_not_regular, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
