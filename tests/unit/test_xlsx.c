/* test_xlsx.c — the XLSX reader: workbooks written by libxlsxwriter and openpyxl, shared,
 * inline and rich strings, Excel's 17-digit numbers and both date systems, truncated and
 * corrupt files, and the bounds that stop a zip bomb or a runaway cell. */
#include "zf_test_zip.h"
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "zf_test_reader.h"
#include "zf_value.h"

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

/* A sheet whose XML is head, then rep n times, then tail, streamed into the zip. */
static void write_repeated_sheet(void *dir, const char *name, const char *head, const char *rep, size_t n,
                                 const char *tail, char *p, size_t cap)
{
    path_in(dir, name, p, cap);
    zipFile z = zipOpen(p, APPEND_STATUS_CREATE);
    assert_non_null(z);
    zip_fileinfo zi;
    memset(&zi, 0, sizeof zi);
    assert_int_equal(zipOpenNewFileInZip(z, "xl/worksheets/sheet1.xml", &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 1),
                     ZIP_OK);
    assert_int_equal(zipWriteInFileInZip(z, head, (unsigned)strlen(head)), ZIP_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(zipWriteInFileInZip(z, rep, (unsigned)strlen(rep)), ZIP_OK);
    assert_int_equal(zipWriteInFileInZip(z, tail, (unsigned)strlen(tail)), ZIP_OK);
    assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
    assert_int_equal(zipClose(z, NULL), ZIP_OK);
}

static const char sheet_head[] =
    "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>结算编号</t></is></c></row>";

/* A 70 MB sheet that deflates to a few hundred KB: refused before a row is read. */
static void test_xlsx_zip_bomb(void **state)
{
    static char rep[64 * 1024];
    for (size_t i = 0; i + 1 < sizeof rep; i += 8)
        memcpy(rep + i, "<row/>  ", 8);
    rep[sizeof rep - 1] = '\0';
    char p[256];
    write_repeated_sheet(*state, "bomb.xlsx", sheet_head, rep, 1100, "</sheetData></worksheet>", p, sizeof p);
    const char *cols[] = { "结算编号" };
    zf_error err;
    assert_int_equal(open_status(p, cols, 1, NULL, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "would inflate"));
    assert_non_null(strstr(err.message, "sheet1.xml"));
}

/* Excel has no row after 1048576 and no cell over 32767 characters: a sheet that does is
 * corrupt or hostile, and is stopped there, not read to the end of memory. */
static void test_xlsx_bounds(void **state)
{
    char p[256];
    const char *cols[] = { "结算编号" };
    zf_error err;
    long line = 0;
    bool more = true;
    zf_cell c[1];
    write_one_sheet(*state, "rows.xlsx", "",
        "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>结算编号</t></is></c></row>"
        "<row r=\"1048576\"><c t=\"inlineStr\"><is><t>S1</t></is></c></row>"
        "<row r=\"1048577\"><c t=\"inlineStr\"><is><t>S2</t></is></c></row></sheetData></worksheet>",
        p, sizeof p);
    zf_reader *r = open_ok(p, cols, 1, NULL);
    assert_int_equal(next_ok(r, c), 1048576);
    assert_cell(&c[0], "S1");
    assert_int_equal(zf_reader_next(r, c, &line, &more, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "1048576"));
    zf_reader_free(r);

    static char big[140 * 1024];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    write_repeated_sheet(*state, "cell.xlsx", sheet_head, "<row r=\"2\"><c t=\"inlineStr\"><is><t>S", 1,
                         big, p, sizeof p);
    r = open_ok(p, cols, 1, NULL);
    assert_int_equal(zf_reader_next(r, c, &line, &more, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "32767 characters"));
    assert_int_equal(err.line, 2);
    zf_reader_free(r);

    /* the same in the shared strings */
    path_in(*state, "ss.xlsx", p, sizeof p);
    zipFile z = zipOpen(p, APPEND_STATUS_CREATE);
    zip_add(z, "xl/worksheets/sheet1.xml", sheet_head);
    zip_fileinfo zi;
    memset(&zi, 0, sizeof zi);
    assert_int_equal(zipOpenNewFileInZip(z, "xl/sharedStrings.xml", &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 1), ZIP_OK);
    const char *sst = "<sst><si><t>";
    zipWriteInFileInZip(z, sst, (unsigned)strlen(sst));
    zipWriteInFileInZip(z, big, (unsigned)strlen(big));
    zipCloseFileInZip(z);
    zipClose(z, NULL);
    assert_int_equal(open_status(p, cols, 1, NULL, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "shared string longer"));
}

/* A formula's saved value is the cell's value; a formula saved without one (written by a
 * program that does not calculate) comes out as the formula, so that the column's own check
 * rejects it and rejects.csv shows why. */
static void test_xlsx_formulas(void **state)
{
    char p[256];
    write_one_sheet(*state, "f.xlsx", "",
        "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>救助金额</t></is></c>"
        "<c t=\"inlineStr\"><is><t>名称</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\"><f>B5*2</f><v>9477.8700000000008</v></c>"
        "<c r=\"B2\" t=\"str\"><f>CONCAT(\"a\",\"b\")</f><v>ab</v></c></row>"
        "<row r=\"3\"><c r=\"A3\"><f>SUM(A1:A2)</f></c><c r=\"B3\" t=\"str\"><f>X1</f><v></v></c></row>"
        "<row r=\"4\"><c r=\"A4\"><f t=\"shared\" si=\"0\"/></c></row>"
        "</sheetData></worksheet>", p, sizeof p);
    const char *cols[] = { "救助金额", "名称" };
    zf_reader *r = open_ok(p, cols, 2, NULL);
    zf_cell c[2];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "9477.87");
    assert_cell(&c[1], "ab");
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "=SUM(A1:A2)");
    assert_false(c[0].numeric);
    assert_cell(&c[1], "");   /* a saved empty value is a value */
    assert_int_equal(next_ok(r, c), 4);
    assert_cell(&c[0], "=");
    int64_t fen;
    assert_int_equal(zf_parse_amount(c[0].ptr, c[0].len, &fen), ZF_REASON_BAD_AMOUNT);
    assert_end(r, c);
    zf_reader_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_xlsx_written_by_libxlsxwriter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_inline_and_rich_strings, setup, teardown),
        cmocka_unit_test(test_excel_digits),
        cmocka_unit_test_setup_teardown(test_xlsx_seventeen_digit_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_date1904, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_written_by_openpyxl, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_truncated_and_corrupt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_zip_bomb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_formulas, setup, teardown),
        cmocka_unit_test_setup_teardown(test_xlsx_bounds, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
