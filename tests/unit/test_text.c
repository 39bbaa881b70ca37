/* test_text.c — output text (zf_text.h): cuts between UTF-8 characters, escaping of bytes
 * that are no UTF-8 or are controls, formula starts, and identifiers masked inside free
 * text (zf_mask_identifiers of zf_value.h). */
#include "zf_test.h"

#include <stdlib.h>
#include <string.h>

#include "zf_error.h"
#include "zf_text.h"
#include "zf_value.h"

/* ---- cuts --------------------------------------------------------------- */

static void test_cut_each_width(void **state)
{
    (void)state;
    /* a (1 byte), é (2), 凤 (3), 😀 (4): boundaries at 0 1 3 6 10 */
    const char *s = "a\xC3\xA9\xE5\x87\xA4\xF0\x9F\x98\x80";
    size_t len = strlen(s);
    const size_t want[11] = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10};
    for (size_t max = 0; max <= len; max++)
        assert_int_equal(zf_utf8_cut(s, len, max), want[max]);
    assert_int_equal(zf_utf8_cut(s, len, 99), len);
}

static void test_cut_finding_4(void **state)
{
    (void)state;
    /* 'a' then 100 凤: 255 bytes end inside the 85th 凤, which is left out whole */
    char s[302];
    s[0] = 'a';
    for (int k = 0; k < 100; k++)
        memcpy(s + 1 + 3 * k, "\xE5\x87\xA4", 3);
    s[301] = '\0';
    assert_int_equal(zf_utf8_cut(s, 301, 255), 253);
    assert_true(zf_text_is_safe(s, zf_utf8_cut(s, 301, 255)));
    assert_false(zf_text_is_safe(s, 255));
    /* zf_text_safe into a 256-byte buffer cuts there too */
    char buf[256];
    assert_int_equal(zf_text_safe(s, 301, buf, sizeof buf), 253);
    assert_int_equal(strlen(buf), 253);
    assert_memory_equal(buf + 250, "\xE5\x87\xA4", 3);
}

static void test_cut_not_utf8(void **state)
{
    (void)state;
    /* four continuation bytes in a row start no character: any cut will do */
    const char s[] = "\x80\x80\x80\x80\x80";
    assert_int_equal(zf_utf8_cut(s, 5, 4), 4);
}

static void test_complete(void **state)
{
    (void)state;
    assert_int_equal(zf_utf8_complete("ab", 2), 2);
    assert_int_equal(zf_utf8_complete("a\xE5\x87\xA4", 4), 4);
    assert_int_equal(zf_utf8_complete("a\xE5\x87", 3), 1);
    assert_int_equal(zf_utf8_complete("a\xE5", 2), 1);
    assert_int_equal(zf_utf8_complete("a\xF0\x9F\x98", 4), 1);
    assert_int_equal(zf_utf8_complete("a\xC3", 2), 1);
    assert_int_equal(zf_utf8_complete("", 0), 0);
}

/* ---- escaping ----------------------------------------------------------- */

static void assert_safe(const char *in, size_t len, const char *want)
{
    char buf[128];
    size_t n = zf_text_safe(in, len, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
    assert_true(zf_text_is_safe(buf, n));
}

static void test_safe(void **state)
{
    (void)state;
    assert_true(zf_text_is_safe("凤山街道 ok", strlen("凤山街道 ok")));
    assert_safe("凤山街道", strlen("凤山街道"), "凤山街道");
    /* GBK 年 (C4 EA) in a file name of finding 5 */
    assert_false(zf_text_is_safe("shelters.2026\xC4\xEA.csv", 19));
    assert_safe("shelters.2026\xC4\xEA.csv", 19, "shelters.2026\\xC4\\xEA.csv");
    /* controls of finding 7: ESC, BEL, TAB, DEL, NUL */
    assert_safe("a\x1B[31mb\x07", 8, "a\\x1B[31mb\\x07");
    assert_safe("\tx\x7F", 3, "\\x09x\\x7F");
    assert_safe("a\0b", 3, "a\\x00b");
    /* overlong, surrogate, above U+10FFFF, a lead byte cut by the end */
    assert_safe("\xC0\xAF", 2, "\\xC0\\xAF");
    assert_safe("\xED\xA0\x80", 3, "\\xED\\xA0\\x80");
    assert_safe("\xF4\x90\x80\x80", 4, "\\xF4\\x90\\x80\\x80");
    assert_safe("x\xE5\x87", 3, "x\\xE5\\x87");
}

static void test_safe_small_buffer(void **state)
{
    (void)state;
    char buf[6];
    /* an escape is never cut: "ab" fits, "\xC4" (4 bytes) would not with the NUL */
    assert_int_equal(zf_text_safe("ab\xC4\xEA", 4, buf, sizeof buf), 2);
    assert_string_equal(buf, "ab");
    assert_int_equal(zf_text_safe("a\xC4\xEA", 3, buf, sizeof buf), 5);
    assert_string_equal(buf, "a\\xC4");
    char *d = zf_text_safe_dup("\xFF\xFE");
    assert_non_null(d);
    assert_string_equal(d, "\\xFF\\xFE");
    free(d);
}

/* ---- formulas ----------------------------------------------------------- */

static bool formula(const char *s)
{
    return zf_text_formula_start(s, strlen(s));
}

static void test_formula_start(void **state)
{
    (void)state;
    assert_true(formula("=HYPERLINK(\"http://x\",\"y\")"));
    assert_true(formula("=cmd|' /C calc'!A0"));
    assert_true(formula("+1+1"));
    assert_true(formula("@SUM(A1)"));
    assert_true(formula("-2+3"));
    assert_true(formula("-"));
    assert_true(formula("\tx"));
    assert_true(formula("\r=1"));
    assert_true(formula("-1e"));
    /* numbers a spreadsheet reads as numbers are left alone */
    assert_false(formula("-12.5"));
    assert_false(formula("+3"));
    assert_false(formula("-0.25"));
    assert_false(formula("-1.5e3"));
    assert_false(formula("-.5"));
    assert_false(formula("12=3"));
    assert_false(formula("凤山"));
    assert_false(formula(""));
}

/* ---- identifiers in free text --------------------------------------------- */

static void assert_masked(const char *in, const char *want, size_t found)
{
    char buf[128];
    size_t n = strlen(in);
    memcpy(buf, in, n + 1);
    assert_int_equal(zf_mask_identifiers(buf, n), found);
    assert_string_equal(buf, want);
}

static void test_mask_identifiers(void **state)
{
    (void)state;
    /* 11010519491231002X: the check digit of GB 11643's example is X */
    assert_masked("11010519491231002X", "110105********002X", 1);
    assert_masked("11010519491231002x", "110105********002x", 1);
    assert_masked("凤山11010519491231002X街道", "凤山110105********002X街道", 1);
    /* a wrong check digit is no ID: left as it is */
    assert_masked("110105194912310021", "110105194912310021", 0);
    /* an old 15-digit ID with a valid birth date (49-12-31), and one without */
    assert_masked("110105491231002", "110105*****1002", 1);
    assert_masked("110105491331002", "110105491331002", 0);
    /* mobile numbers, also after 86 */
    assert_masked("13812345678", "1*********8", 1);
    assert_masked("tel 19912345678, 8613812345678", "tel 1*********8, 861*********8", 2);
    /* not a mobile: 12…, 10 or 12 digits, part of a longer number */
    assert_masked("12812345678", "12812345678", 0);
    assert_masked("1381234567", "1381234567", 0);
    assert_masked("138123456789", "138123456789", 0);
    assert_masked("2024-03-05 1200.50", "2024-03-05 1200.50", 0);
}

/* ---- messages ------------------------------------------------------------ */

static void test_error_message_cut(void **state)
{
    (void)state;
    /* 'a' and 400 凤 (1201 bytes) in a 1024-byte message: 340 凤 fit whole */
    char long_text[1202];
    long_text[0] = 'a';
    for (int k = 0; k < 400; k++)
        memcpy(long_text + 1 + 3 * k, "\xE5\x87\xA4", 3);
    long_text[1201] = '\0';
    zf_error err;
    zf_error_set(&err, ZF_ERR_VALUE, long_text, 0, 0, "%s", long_text);
    assert_int_equal(strlen(err.message), 1021);
    assert_true(zf_text_is_safe(err.message, strlen(err.message)));
    assert_int_equal(strlen(err.file), 511);   /* 'a' and 170 凤 */
    assert_true(zf_text_is_safe(err.file, strlen(err.file)));
    char buf[100];
    zf_error_format(&err, buf, sizeof buf);
    assert_int_equal(strlen(buf), 97);         /* 'a' and 32 凤 of the file name */
    assert_true(zf_text_is_safe(buf, strlen(buf)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cut_each_width),
        cmocka_unit_test(test_cut_finding_4),
        cmocka_unit_test(test_cut_not_utf8),
        cmocka_unit_test(test_complete),
        cmocka_unit_test(test_safe),
        cmocka_unit_test(test_safe_small_buffer),
        cmocka_unit_test(test_formula_start),
        cmocka_unit_test(test_mask_identifiers),
        cmocka_unit_test(test_error_message_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
