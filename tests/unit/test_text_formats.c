/* test_text_formats.c — text files that are not comma-separated UTF-8: Excel's "Unicode
 * text" save (UTF-16LE with a byte order mark, tab-separated, CRLF), UTF-16BE, UTF-16
 * without a mark, and tab-separated UTF-8 and GB18030; the encoding and the separator
 * are detected, never declared.  Files are made the way Excel writes them: the UTF-8
 * text converted by iconv, the mark put in front. */
#include <iconv.h>

#include "zf_test_reader.h"

/* utf8 in the encoding `code` (iconv's name), with the byte order mark `bom` (may be ""),
 * into a new buffer; its length in *len. */
static char *encode(const char *utf8, size_t n, const char *code, const char *bom, size_t *len)
{
    const size_t cap = n * 4 + 16, b = strlen(bom);
    char *out = malloc(cap);
    assert_non_null(out);
    memcpy(out, bom, b);
    iconv_t cd = iconv_open(code, "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *in = (char *)utf8, *o = out + b;
    size_t il = n, ol = cap - b;
    assert_int_not_equal(iconv(cd, &in, &il, &o, &ol), (size_t)-1);
    iconv_close(cd);
    *len = (size_t)(o - out);
    return out;
}

/* What Excel's "Unicode text" holds: tabs between fields, CRLF, a field with a tab, a line
 * break and quotes quoted, a number as displayed (with its thousands comma, unquoted). */
static const char excel_text[] =
    "户编号\t乡镇街道\t救助类别\t金额\r\n"                       /* line 1 */
    "H001\t凤山街道\t低保\t1,234.50\r\n"                          /* line 2 */
    "H002\t\"鹿亭乡\t东岙村\r\n3组\"\t\"特困 \"\"集中\"\"\"\t800\r\n" /* lines 3-4 */
    "H003\t梨洲街道\t\t\r\n";                                     /* line 5 */

static void check_excel_text(const char *path, const char *encoding, uint64_t size)
{
    const char *cols[] = { "乡镇街道", "金额", "户编号", "救助类别" };
    zf_reader *r = open_ok(path, cols, 4, NULL);
    assert_string_equal(zf_reader_encoding(r), encoding);
    zf_cell c[4];
    assert_int_equal(next_ok(r, c), 2);
    assert_cell(&c[0], "凤山街道");
    assert_cell(&c[1], "1,234.50");
    assert_cell(&c[2], "H001");
    assert_cell(&c[3], "低保");
    assert_int_equal(next_ok(r, c), 3);
    assert_cell(&c[0], "鹿亭乡\t东岙村\r\n3组");
    assert_cell(&c[1], "800");
    assert_cell(&c[2], "H002");
    assert_cell(&c[3], "特困 \"集中\"");
    assert_int_equal(next_ok(r, c), 5);
    assert_cell(&c[0], "梨洲街道");
    assert_int_equal(c[1].len, 0);
    assert_cell(&c[2], "H003");
    assert_int_equal(c[3].len, 0);
    assert_end(r, c);
    assert_int_equal(zf_reader_bytes(r), size);
    zf_reader_free(r);
}

/* Each file read by both scanners: the AVX2 index and the portable parser. */
static void check_both_ways(const char *path, const char *encoding, uint64_t size)
{
    unsetenv("ZF_NO_SIMD");
    check_excel_text(path, encoding, size);
    setenv("ZF_NO_SIMD", "1", 1);
    check_excel_text(path, encoding, size);
    unsetenv("ZF_NO_SIMD");
}

static void test_utf16le_bom_tabs(void **state)
{
    char p[256];
    size_t n;
    char *t = encode(excel_text, sizeof excel_text - 1, "UTF-16LE", "\xFF\xFE", &n);
    const char *path = write_bytes(*state, "medical_settlements.2024.txt", t, n, p, sizeof p);
    check_both_ways(path, "utf-16le", n);
    free(t);
}

static void test_utf16be_bom_tabs(void **state)
{
    char p[256];
    size_t n;
    char *t = encode(excel_text, sizeof excel_text - 1, "UTF-16BE", "\xFE\xFF", &n);
    const char *path = write_bytes(*state, "be.txt", t, n, p, sizeof p);
    check_both_ways(path, "utf-16be", n);
    free(t);
}

/* Without the mark, the NUL bytes of every other position tell (it used to be refused as
 * binary data: issue 23, finding 12). */
static void test_utf16_without_bom(void **state)
{
    char p[256];
    size_t n;
    char *t = encode(excel_text, sizeof excel_text - 1, "UTF-16LE", "", &n);
    const char *path = write_bytes(*state, "nobom.tsv", t, n, p, sizeof p);
    check_both_ways(path, "utf-16le", n);
    free(t);
    t = encode(excel_text, sizeof excel_text - 1, "UTF-16BE", "", &n);
    path = write_bytes(*state, "nobom-be.tsv", t, n, p, sizeof p);
    check_both_ways(path, "utf-16be", n);
    free(t);
    /* binary data with NUL bytes everywhere is still binary */
    static const char bin[] = "\0\0\0\x01\0\0\0\x02\x7F\0\0\0";
    const char *cols[] = { "a" };
    zf_error err;
    path = write_bytes(*state, "bin.csv", bin, sizeof bin - 1, p, sizeof p);
    assert_int_equal(open_status(path, cols, 1, NULL, &err), ZF_ERR_FORMAT);
    assert_non_null(strstr(err.message, "NUL bytes"));
}

static void test_tsv_utf8_and_gb18030(void **state)
{
    char p[256];
    const char *path = write_text(*state, "u8.tsv", excel_text, p, sizeof p);
    check_both_ways(path, "utf-8", sizeof excel_text - 1);
    size_t n;
    char *t = encode(excel_text, sizeof excel_text - 1, "GB18030", "", &n);
    path = write_bytes(*state, "gb.txt", t, n, p, sizeof p);
    check_both_ways(path, "gb18030", n);
    free(t);
}

/* More than one raw chunk (64 KiB) of UTF-16 with characters outside the BMP (a name with
 * 𠮷 needs a surrogate pair): a chunk end falls between the two halves of a pair. */
static void test_utf16_pair_split_across_chunks(void **state)
{
    const size_t rows = 12000, cap = rows * 64 + 64;
    char *utf8 = malloc(cap);
    assert_non_null(utf8);
    size_t n = (size_t)sprintf(utf8, "姓名\t编号\r\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t)sprintf(utf8 + n, "%.*s吉%zu\t%zu\r\n", (int)(4 * (i % 3 + 1)), "𠮷𠮷𠮷", i, i * 7);
    size_t len;
    char *t = encode(utf8, n, "UTF-16LE", "\xFF\xFE", &len);
    assert_true(len > 4 * 65536);
    /* the reader reads after the mark, 64 KiB at a time: some chunk must end in a pair */
    bool split = false;
    for (size_t end = 2 + 65536; end < len; end += 65536) {
        const unsigned unit = (unsigned char)t[end - 2] | (unsigned)(unsigned char)t[end - 1] << 8;
        split |= unit >= 0xD800 && unit < 0xDC00;
    }
    assert_true(split);
    char p[256];
    const char *path = write_bytes(*state, "big.txt", t, len, p, sizeof p);
    const char *cols[] = { "编号", "姓名" };
    for (int simd = 0; simd < 2; simd++) {
        if (simd)
            unsetenv("ZF_NO_SIMD");
        else
            setenv("ZF_NO_SIMD", "1", 1);
        zf_reader *r = open_ok(path, cols, 2, NULL);
        assert_string_equal(zf_reader_encoding(r), "utf-16le");
        zf_cell c[2];
        char want[64];
        for (size_t i = 0; i < rows; i++) {
            assert_int_equal(next_ok(r, c), (long)i + 2);
            snprintf(want, sizeof want, "%zu", i * 7);
            assert_cell(&c[0], want);
            snprintf(want, sizeof want, "%.*s吉%zu", (int)(4 * (i % 3 + 1)), "𠮷𠮷𠮷", i);
            assert_cell(&c[1], want);
        }
        assert_end(r, c);
        assert_int_equal(zf_reader_bytes(r), len);
        zf_reader_free(r);
    }
    unsetenv("ZF_NO_SIMD");
    free(t);
    free(utf8);
}

/* Reading stops at bytes that are not UTF-16 with the line they are on. */
static void expect_encoding_error(const char *path, long want_line, long good_records)
{
    const char *cols[] = { "a", "b" };
    zf_reader *r = open_ok(path, cols, 2, NULL);
    assert_string_equal(zf_reader_encoding(r), "utf-16le");
    zf_cell c[2];
    for (long i = 0; i < good_records; i++)
        next_ok(r, c);
    long line = 0;
    bool more = true;
    zf_error err;
    zf_error_clear(&err);
    assert_int_equal(zf_reader_next(r, c, &line, &more, &err), ZF_ERR_ENCODING);
    assert_false(more);
    assert_int_equal(err.line, want_line);
    assert_non_null(strstr(err.message, "UTF-16LE"));
    assert_non_null(strstr(err.file, "bad"));
    zf_reader_free(r);
}

static void test_utf16_lone_surrogate_and_odd_length(void **state)
{
    static const char text[] = "a\tb\r\n1\t2\r\n3\t4\r\n5\tX\r\n6\t7\r\n";
    char p[256];
    size_t n;
    char *t = encode(text, sizeof text - 1, "UTF-16LE", "\xFF\xFE", &n);
    /* the X on line 4 becomes a high surrogate that no low one follows */
    char *x = memchr(t, 'X', n);
    assert_non_null(x);
    x[0] = 0x3D, x[1] = (char)0xD8;
    const char *path = write_bytes(*state, "bad-surrogate.txt", t, n, p, sizeof p);
    expect_encoding_error(path, 4, 2);
    x[0] = 0x00, x[1] = (char)0xDC;   /* a low surrogate alone */
    path = write_bytes(*state, "bad-low.txt", t, n, p, sizeof p);
    expect_encoding_error(path, 4, 2);
    /* an odd byte count: the final line break has lost its second byte, so the record
     * of line 5 never ends */
    free(t);
    t = encode(text, sizeof text - 1, "UTF-16LE", "\xFF\xFE", &n);
    path = write_bytes(*state, "bad-odd.txt", t, n - 1, p, sizeof p);
    expect_encoding_error(path, 5, 3);
    free(t);
}

/* The separator: the one that gives the same field count to most of the first records. */
static void test_separator_choice(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        char want;
    } cases[] = {
        { "a,b,c\n1,2,3\n", ',' },
        { "a\tb\tc\n1\t2\t3\n", '\t' },
        { "a\tb\n", '\t' },                                   /* the header alone */
        { "a,b\n", ',' },
        { "", ',' },
        { "only\n", ',' },
        /* a tab inside quotes does not count, nor does a comma in a displayed number */
        { "id,note\n1,\"x\ty\"\n2,\"p\tq\tr\"\n", ',' },
        { "id\tamount\tname\n1\t1,234.50\tZhang\n2\t800\tLi\n3\t2,000\t\"Wang, Er\"\n", '\t' },
        /* a title block above the header */
        { "2024年低保名册\n\n户编号\t姓名\t金额\nH1\t张三\t100\nH2\t李四\t200\n", '\t' },
        { "余姚市救助汇总,,\n户编号,姓名,金额\nH1,张三,100\n", ',' },
        /* both consistent over as many records: the one that gives more fields */
        { "a\tb,c,d\n1\t2,3,4\n5\t6,7,8\n", ',' },
        { "a,b\tc\td\n1,2\t3\t4\n", '\t' },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *s = cases[i].text;
        if (zf_rd_csv_separator(s, strlen(s), true) != cases[i].want)
            fail_msg("case %zu: \"%s\"", i, s);
    }
    /* not at the end of the data: the last line, cut, is left out */
    const char *cut = "a\tb\tc\n1\t2\t3\n4,5,6,7,8";
    assert_int_equal(zf_rd_csv_separator(cut, strlen(cut), false), '\t');
}

static void test_utf16_sniff(void **state)
{
    (void)state;
    size_t bom = 9;
    assert_string_equal(zf_rd_utf16_sniff((const unsigned char *)"\xFF\xFE" "a\0", 4, &bom), "utf-16le");
    assert_int_equal(bom, 2);
    assert_string_equal(zf_rd_utf16_sniff((const unsigned char *)"\xFE\xFF\0a", 4, &bom), "utf-16be");
    assert_int_equal(bom, 2);
    assert_null(zf_rd_utf16_sniff((const unsigned char *)"\xFF\xFE\0\0", 4, &bom));   /* UTF-32LE */
    assert_null(zf_rd_utf16_sniff((const unsigned char *)"a,b\n1,2\n", 8, &bom));
    assert_int_equal(bom, 0);
    assert_string_equal(zf_rd_utf16_sniff((const unsigned char *)"a\0\t\0b\0\n\0", 8, &bom), "utf-16le");
    assert_string_equal(zf_rd_utf16_sniff((const unsigned char *)"\0a\0\t\0b\0\n", 8, &bom), "utf-16be");
    assert_int_equal(bom, 0);
    /* NULs on both sides, or no line break: not text */
    assert_null(zf_rd_utf16_sniff((const unsigned char *)"a\0\0b\n\0\0c", 8, &bom));
    assert_null(zf_rd_utf16_sniff((const unsigned char *)"a\0b\0c\0d\0", 8, &bom));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_utf16le_bom_tabs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16be_bom_tabs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16_without_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tsv_utf8_and_gb18030, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16_pair_split_across_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf16_lone_surrogate_and_odd_length, setup, teardown),
        cmocka_unit_test(test_separator_choice),
        cmocka_unit_test(test_utf16_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
