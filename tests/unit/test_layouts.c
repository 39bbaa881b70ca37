/* test_layouts.c — sheets as people make them: a title block and a 填报单位 line above the
 * header, blank rows, a 合计 row and 制表人 lines under the records (CSV and XLSX, written
 * here and by openpyxl); the header fixed by header_row; and the row kinds and 合计 sums of
 * zf_rowkind.h. */
#include "zf_test_zip.h"
#include <spawn.h>
#include <sys/wait.h>

#include "zf_test_reader.h"
#include "zf_rowkind.h"

static const char *const cols[] = {"姓名", "身份证号", "救助金额", "人数"};

static void assert_label(zf_reader *r, const char *want)
{
    const char *p;
    size_t len;
    if (!want) {
        assert_false(zf_reader_row_label(r, &p, &len));
        return;
    }
    assert_true(zf_reader_row_label(r, &p, &len));
    char got[256];
    snprintf(got, sizeof got, "%.*s", (int)len, p);
    assert_string_equal(got, want);
}

/* As Excel saves a sheet with a merged title, a 填报单位 line and a blank row as CSV. */
static const char titled_csv[] =
    "\xEF\xBB\xBF" "余姚市2024年临时救助台账,,,,\r\n"
    "填报单位：余姚市民政局,,,填报日期：2025-01-05,\r\n"
    ",,,,\r\n"
    "序号,姓名,身份证号,救助金额,人数\r\n"
    "1,张三,330281199001010011,1200.50,3\r\n"
    "2,\"李四\",330281199001010011,800,1\r\n"
    ",,,,\r\n"
    "合 计,,,2000.50,4\r\n"
    "\"制表人：王五  联系电话：13812345678\",,,,\r\n";

static void test_csv_title_block(void **state)
{
    char p[256];
    write_text(*state, "titled.csv", titled_csv, p, sizeof p);
    for (int simd = 0; simd < 2; simd++) {
        setenv("ZF_NO_SIMD", simd ? "0" : "1", 1);
        zf_reader *r = open_ok(p, cols, 4, NULL);
        zf_cell c[4];
        assert_int_equal(zf_reader_header_line(r), 4);
        for (size_t i = 0; i < 4; i++)
            assert_true(zf_reader_has_column(r, i));
        assert_int_equal(next_ok(r, c), 5);
        assert_cell(&c[0], "张三");
        assert_cell(&c[2], "1200.50");
        assert_label(r, "1");
        assert_int_equal(next_ok(r, c), 6);
        assert_cell(&c[0], "李四");
        assert_int_equal(next_ok(r, c), 7);   /* commas only: the label tells it is blank */
        assert_label(r, NULL);
        assert_int_equal(next_ok(r, c), 8);
        assert_label(r, "合 计");
        assert_cell(&c[2], "2000.50");
        assert_int_equal(next_ok(r, c), 9);
        assert_label(r, "制表人：王五  联系电话：13812345678");
        assert_end(r, c);
        zf_reader_free(r);
    }
    unsetenv("ZF_NO_SIMD");
}

/* No row names half the columns: the first row is the header, as before (and the file
 * lacks its columns), read again from the start. */
static void test_csv_no_header_found(void **state)
{
    char p[256];
    write_text(*state, "other.csv", "编号,名称\n1,甲\n2,乙\n", p, sizeof p);
    zf_reader *r = open_ok(p, cols, 4, NULL);
    zf_cell c[4];
    assert_int_equal(zf_reader_header_line(r), 1);
    assert_false(zf_reader_has_column(r, 0));
    assert_int_equal(next_ok(r, c), 2);
    assert_label(r, "1");
    assert_int_equal(next_ok(r, c), 3);
    assert_end(r, c);
    zf_reader_free(r);

    /* a header naming one of four columns is taken only when fixed by header_row */
    write_text(*state, "fixed.csv", "说明,,\n姓名,编号,x\n张三,1,2\n", p, sizeof p);
    zf_reader_opts o = { ZF_FORMAT_AUTO, NULL, cols, 4, false, 2 };
    zf_error err;
    assert_int_equal(zf_reader_open(&r, p, &o, &err), ZF_OK);
    assert_int_equal(zf_reader_header_line(r), 2);
    assert_true(zf_reader_has_column(r, 0));
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "张三");
    zf_reader_free(r);
}

#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"
#define NUM(ref, v) "<c r=\"" ref "\"><v>" v "</v></c>"

static void test_xlsx_title_block(void **state)
{
    char p[256];
    path_in(*state, "titled.xlsx", p, sizeof p);
    zipFile z = zipOpen(p, APPEND_STATUS_CREATE);
    assert_non_null(z);
    zip_add(z, "xl/worksheets/sheet1.xml",
        "<worksheet><sheetData>"
        "<row r=\"1\">" IS("A1", "余姚市2024年临时救助台账") "</row>"
        "<row r=\"2\">" IS("A2", "填报单位：") IS("B2", "余姚市民政局") IS("D2", "填报日期：2025-01-05") "</row>"
        "<row r=\"3\"><c r=\"A3\" s=\"1\"/></row>"
        "<row r=\"4\">" IS("A4", "序号") IS("B4", "姓名") IS("C4", "身份证号") IS("D4", "救助金额") IS("E4", "人数") "</row>"
        "<row r=\"5\">" NUM("A5", "1") IS("B5", "张三") IS("C5", "330281199001010011") NUM("D5", "1200.5") NUM("E5", "3") "</row>"
        "<row r=\"7\">" IS("A7", "合计") NUM("D7", "1200.5") NUM("E7", "3") "</row>"
        "<row r=\"9\">" IS("B9", "审核人：赵六") "</row>"
        "</sheetData></worksheet>");
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
    zf_reader *r = open_ok(p, cols, 4, NULL);
    zf_cell c[4];
    assert_int_equal(zf_reader_header_line(r), 4);
    assert_int_equal(next_ok(r, c), 5);
    assert_cell(&c[2], "1200.5");
    assert_label(r, "1");
    assert_int_equal(next_ok(r, c), 7);
    assert_label(r, "合计");
    assert_cell(&c[3], "3");
    assert_int_equal(next_ok(r, c), 9);   /* the label stands in a column nobody reads */
    assert_label(r, "审核人：赵六");
    assert_end(r, c);
    zf_reader_free(r);

    /* no row names half the columns: the sheet is read again with its first row the header */
    path_in(*state, "other.xlsx", p, sizeof p);
    z = zipOpen(p, APPEND_STATUS_CREATE);
    zip_add(z, "xl/worksheets/sheet1.xml",
        "<worksheet><sheetData><row r=\"1\">" IS("A1", "编号") IS("B1", "姓名") "</row>"
        "<row r=\"2\">" IS("A2", "1") IS("B2", "甲") "</row>"
        "<row r=\"3\">" IS("A3", "2") IS("B3", "乙") "</row></sheetData></worksheet>");
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
    r = open_ok(p, cols, 4, NULL);
    assert_int_equal(zf_reader_header_line(r), 1);
    assert_true(zf_reader_has_column(r, 0));
    assert_false(zf_reader_has_column(r, 1));
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "甲");
    assert_int_equal(next_ok(r, c), 3);
    assert_end(r, c);
    zf_reader_free(r);
}

/* A workbook openpyxl writes as an office would lay it out: a merged title over the
 * columns, a 填报单位 line, the header on row 4, a 合计 and a 制表人 row. */
static void test_xlsx_title_block_by_openpyxl(void **state)
{
    char p[256];
    path_in(*state, "openpyxl-titled.xlsx", p, sizeof p);
    char *argv[] = { "/usr/bin/python3", ZF_SOURCE_DIR "/tests/unit/make_layouts.py", p, NULL };
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, argv[0], NULL, NULL, argv, NULL), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    zf_reader *r = open_ok(p, cols, 4, NULL);
    zf_cell c[4];
    assert_int_equal(zf_reader_header_line(r), 4);
    assert_int_equal(next_ok(r, c), 5);
    assert_cell(&c[0], "张三");
    assert_cell(&c[2], "9477.87");
    assert_int_equal(next_ok(r, c), 6);
    assert_int_equal(next_ok(r, c), 7);
    assert_label(r, "合计");
    assert_cell(&c[2], "10278.37");
    assert_int_equal(next_ok(r, c), 9);
    assert_label(r, "制表人：王五");
    assert_end(r, c);
    zf_reader_free(r);
}

/* 救助金额 merged over 本月 and 累计: the columns are 救助金额/本月 and 救助金额/累计. */
static const char *const split[] = {"姓名", "身份证号", "救助金额/本月", "救助金额/累计"};

static void test_csv_two_row_header(void **state)
{
    char p[256];
    write_text(*state, "two.csv",
        "余姚市临时救助发放表,,,,,\n"
        "序号,姓名,身份证号,救助金额,,人数\n"
        ",,,本月,累计,\n"
        "1,张三,330281199001010011,100.00,1200.00,3\n"
        "合计,,,100.00,1200.00,3\n", p, sizeof p);
    for (int simd = 0; simd < 2; simd++) {
        setenv("ZF_NO_SIMD", simd ? "0" : "1", 1);
        zf_reader *r = open_ok(p, split, 4, NULL);
        zf_cell c[4];
        assert_int_equal(zf_reader_header_line(r), 3);
        for (size_t i = 0; i < 4; i++)
            assert_true(zf_reader_has_column(r, i));
        assert_int_equal(next_ok(r, c), 4);
        assert_cell(&c[0], "张三");
        assert_cell(&c[2], "100.00");
        assert_cell(&c[3], "1200.00");
        assert_int_equal(next_ok(r, c), 5);
        assert_label(r, "合计");
        assert_end(r, c);
        zf_reader_free(r);
    }
    unsetenv("ZF_NO_SIMD");

    /* the upper row alone names none of the columns */
    const char *const sub[] = {"救助金额/本月", "救助金额/累计", "人数/本月"};
    write_text(*state, "sub.csv", "编号,救助金额,,人数\n,本月,累计,本月\nA1,5,60,2\n", p, sizeof p);
    zf_reader *r = open_ok(p, sub, 3, NULL);
    zf_cell c[4];
    assert_int_equal(zf_reader_header_line(r), 2);
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "5");
    assert_cell(&c[1], "60");
    assert_cell(&c[2], "2");
    zf_reader_free(r);

    /* a one-row header under a source that names split columns: the row after it is the
     * first record, read again */
    const char *const one[] = {"姓名", "救助金额/本月"};
    write_text(*state, "one.csv", "姓名,救助金额/本月\n张三,5\n李四,6\n", p, sizeof p);
    r = open_ok(p, one, 2, NULL);
    assert_int_equal(zf_reader_header_line(r), 1);
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "张三");
    assert_cell(&c[1], "5");
    assert_int_equal(next_ok(r, c), 3);
    assert_end(r, c);
    zf_reader_free(r);
}

static void test_xlsx_two_row_header(void **state)
{
    char p[256];
    path_in(*state, "two.xlsx", p, sizeof p);
    zipFile z = zipOpen(p, APPEND_STATUS_CREATE);
    assert_non_null(z);
    zip_add(z, "xl/worksheets/sheet1.xml",
        "<worksheet><sheetData>"
        "<row r=\"1\">" IS("A1", "余姚市临时救助发放表") "</row>"
        "<row r=\"3\">" IS("A3", "序号") IS("B3", "姓名") IS("C3", "身份证号") IS("D3", "救助金额") "</row>"
        "<row r=\"4\">" IS("D4", "本月") IS("E4", "累计") "</row>"
        "<row r=\"5\">" NUM("A5", "1") IS("B5", "张三") IS("C5", "330281199001010011") NUM("D5", "100") NUM("E5", "1200") "</row>"
        "</sheetData><mergeCells count=\"2\"><mergeCell ref=\"D3:E3\"/><mergeCell ref=\"A1:E1\"/></mergeCells></worksheet>");
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
    zf_reader *r = open_ok(p, split, 4, NULL);
    zf_cell c[4];
    assert_int_equal(zf_reader_header_line(r), 4);
    assert_int_equal(next_ok(r, c), 5);
    assert_cell(&c[0], "张三");
    assert_cell(&c[2], "100");
    assert_cell(&c[3], "1200");
    assert_end(r, c);
    zf_reader_free(r);

    /* one header row, then a record: the record is not lost while the lower half is sought */
    path_in(*state, "one.xlsx", p, sizeof p);
    z = zipOpen(p, APPEND_STATUS_CREATE);
    zip_add(z, "xl/worksheets/sheet1.xml",
        "<worksheet><sheetData>"
        "<row r=\"1\">" IS("A1", "姓名") IS("B1", "救助金额/本月") "</row>"
        "<row r=\"2\">" IS("A2", "张三") NUM("B2", "5") "</row>"
        "<row r=\"3\">" IS("A3", "李四") NUM("B3", "6") "</row>"
        "</sheetData></worksheet>");
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
    const char *const one[] = {"姓名", "救助金额/本月"};
    r = open_ok(p, one, 2, NULL);
    assert_int_equal(zf_reader_header_line(r), 1);
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "张三");
    assert_cell(&c[1], "5");
    assert_true(c[1].numeric);
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "李四");
    assert_end(r, c);
    zf_reader_free(r);
}

/* Headers as people type them: full-width brackets, Alt+Enter inside the cell, spaces. */
static void test_header_spellings(void **state)
{
    char p[256];
    const char *const want[] = {"帮扶资金(元)", "人数", "救助金额/本月"};
    write_text(*state, "spelt.csv", "\"帮扶资金\n（元）\",人 数,救助金额／本月\n12.50,3,5\n", p, sizeof p);
    zf_reader *r = open_ok(p, want, 3, NULL);
    zf_cell c[3];
    for (size_t i = 0; i < 3; i++)
        assert_true(zf_reader_has_column(r, i));
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "12.50");
    assert_cell(&c[2], "5");
    zf_reader_free(r);
}

static void test_row_kinds(void **state)
{
    (void)state;
    assert_int_equal(zf_row_kind_of(false, "", 0), ZF_ROW_BLANK);
    const char *const totals[] = {"合计", "合 计", "合　计", "小计", "总计：", "共计"};
    for (size_t i = 0; i < sizeof totals / sizeof *totals; i++)
        assert_int_equal(zf_row_kind_of(true, totals[i], strlen(totals[i])), ZF_ROW_TOTAL);
    const char *const notes[] = {"制表人：王五", "审核人", "填表说明：1.", "备注", "注：本表", "单位负责人：",
                                 "联系电话 0574-1234"};
    for (size_t i = 0; i < sizeof notes / sizeof *notes; i++)
        assert_int_equal(zf_row_kind_of(true, notes[i], strlen(notes[i])), ZF_ROW_NOTE);
    const char *const records[] = {"1", "张三", "HH10000001", "凤山街道", "注意"};
    for (size_t i = 0; i < sizeof records / sizeof *records; i++)
        assert_int_equal(zf_row_kind_of(true, records[i], strlen(records[i])), ZF_ROW_RECORD);
}

static void test_totals(void **state)
{
    (void)state;
    zf_column columns[3] = {{.name = "姓名", .type = ZF_COL_TEXT},
                            {.name = "救助金额", .type = ZF_COL_AMOUNT},
                            {.name = "人数", .type = ZF_COL_INTEGER}};
    zf_source src = {.id = "t", .columns = columns, .n_columns = 3};
    zf_totals t;
    assert_int_equal(zf_totals_init(&t, &src), ZF_OK);
    zf_value v[3] = {{.present = true}, {.present = true, .i = 120050}, {.present = true, .i = 3}};
    zf_totals_add(&t, v);
    v[1].i = 80000;
    v[2].i = 1;
    zf_totals_add(&t, v);
    zf_value_ctx ctx = {NULL, 2100, ZF_SERIAL_NONE};
    char buf[512];
    zf_cell row[3] = {{"", 0, false}, {"2000.50", 7, false}, {"4", 1, false}};
    assert_true(zf_totals_check(&t, row, NULL, true, &ctx, buf, sizeof buf));
    assert_string_equal(buf, "救助金额 2000.50 = 本段记录之和 2000.50；人数 4 = 本段记录之和 4");
    /* after the 小计 a new part starts; the 合计 compares everything */
    v[1].i = 100;
    v[2].i = 2;
    zf_totals_add(&t, v);
    zf_cell total[3] = {{"", 0, false}, {"2001.51", 7, false}, {"", 0, false}};
    assert_false(zf_totals_check(&t, total, NULL, false, &ctx, buf, sizeof buf));
    assert_string_equal(buf, "救助金额 2001.51 ≠ 记录之和 2001.50（差 0.01）");
    zf_cell none[3] = {{"合计", 6, false}, {"", 0, false}, {"", 0, false}};
    assert_true(zf_totals_check(&t, none, NULL, false, &ctx, buf, sizeof buf));
    assert_string_equal(buf, "");
    /* the label in a summed column is the label; anything else that is no number is said */
    zf_cell label[3] = {{"", 0, false}, {"—", 3, false}, {"合计", 6, false}};
    assert_false(zf_totals_check(&t, label, NULL, false, &ctx, buf, sizeof buf));
    assert_string_equal(buf, "救助金额 '—' 不是数值，未核对");
    zf_cell phone[3] = {{"", 0, false}, {"电话13812345678", 17, false}, {"", 0, false}};
    zf_totals_check(&t, phone, NULL, false, &ctx, buf, sizeof buf);
    assert_null(strstr(buf, "13812345678"));
    zf_totals_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_csv_title_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_no_header_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_title_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_title_block_by_openpyxl, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_two_row_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_two_row_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_spellings, setup, teardown),
        cmocka_unit_test(test_row_kinds),
        cmocka_unit_test(test_totals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
