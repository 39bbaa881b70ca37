/* test_value_fast.c — the validator's fast paths give exactly what the general parsers
 * give, on every text they accept, and they do accept the common forms. */
#include "zf_test.h"

#include <stdio.h>
#include <string.h>

#include "zf_fast.h"
#include "zf_swar.h"
#include "zf_value.h"

#define MAX_YEAR 2026

/* A fixed-seed generator, so that a failure is reproducible. */
static uint64_t rng = 0x9E3779B97F4A7C15u;

static unsigned next_rand(unsigned bound)
{
    return (unsigned)(zf_test_random(&rng) % bound);
}

/* Random text of up to max bytes from pieces that matter to the parsers (digits most). */
static size_t random_text(char *buf, size_t max, const char *const *pieces, size_t n_pieces)
{
    size_t len = 0, want = next_rand((unsigned)max + 1);
    while (len < want) {
        const char *p = pieces[next_rand((unsigned)n_pieces)];
        size_t n = strlen(p);
        if (len + n > max)
            break;
        memcpy(buf + len, p, n);
        len += n;
    }
    return len;
}

/* ---- the word tricks ------------------------------------------------------ */

static void test_swar(void **state)
{
    (void)state;
    const char *t = "12345678";
    for (size_t n = 1; n <= 8; n++) {
        uint64_t w = zf_load_right(t, n);
        uint32_t want = 0;
        for (size_t i = 0; i < n; i++)
            want = want * 10 + (uint32_t)(t[i] - '0');
        assert_true(zf_all_digits8(w));
        assert_int_equal(zf_parse8(w), want);
    }
    assert_int_equal(zf_parse8(zf_load64("00000000")), 0);
    assert_int_equal(zf_parse8(zf_load64("99999999")), 99999999);
    assert_int_equal(zf_parse4("0420"), 420);
    /* any byte value at any place, the others digits: a borrow or carry must not hide it */
    for (int at = 0; at < 8; at++)
        for (int c = 0; c < 256; c++) {
            char b[8] = {'1', '2', '3', '4', '5', '6', '7', '9'};
            b[at] = (char)c;
            assert_int_equal(zf_all_digits8(zf_load64(b)), c >= '0' && c <= '9');
            assert_int_equal(zf_eq_bytes(zf_load64(b), ','), c == ',' ? UINT64_C(0x80) << (8 * at) : 0);
        }
    /* and random words against a byte loop */
    for (int k = 0; k < 200000; k++) {
        unsigned char b[8];
        bool digits = true;
        for (int i = 0; i < 8; i++) {
            b[i] = (unsigned char)(next_rand(4) ? '0' + next_rand(10) : next_rand(256));
            digits &= b[i] >= '0' && b[i] <= '9';
        }
        assert_int_equal(zf_all_digits8(zf_load64(b)), digits);
    }
}

/* ---- amounts ------------------------------------------------------------ */

/* When the fast path takes s, the general parser accepts it with the same value. */
static bool amount_agrees(const char *s, size_t len)
{
    int64_t fast = -1, general = -2;
    if (!zf_fp_amount(s, len, &fast))
        return false;
    zf_reason r = zf_parse_amount(s, len, &general);
    if (r != ZF_REASON_NONE || fast != general)
        fail_msg("amount \"%.*s\": fast %lld, general %s %lld", (int)len, s, (long long)fast,
                 zf_reason_code(r), (long long)general);
    return true;
}

static void assert_fast_amount(const char *s, int64_t want)
{
    int64_t v = -1;
    if (!zf_fp_amount(s, strlen(s), &v))
        fail_msg("amount \"%s\" not taken by the fast path", s);
    assert_int_equal(v, want);
    assert_true(amount_agrees(s, strlen(s)));
}

static void assert_slow_amount(const char *s)
{
    int64_t v = -1;
    if (zf_fp_amount(s, strlen(s), &v))
        fail_msg("amount \"%s\" taken by the fast path", s);
    assert_int_equal(v, -1);
}

static void test_fast_amount_forms(void **state)
{
    (void)state;
    assert_fast_amount("0", 0);
    assert_fast_amount("0.5", 50);
    assert_fast_amount("0.05", 5);
    assert_fast_amount("1474.15", 147415);
    assert_fast_amount("1,474.15", 147415);
    assert_fast_amount("99,999.99", 9999999);
    assert_fast_amount("123,456.7", 12345670);
    assert_fast_amount("00012.00", 1200);
    assert_fast_amount("001,234", 123400);
    assert_fast_amount("99999999.99", INT64_C(9999999999));
    assert_fast_amount("7", 700);
    /* everything else goes to the general parser, whatever it makes of it */
    const char *slow[] = {"", ".", ".5", "5.", "1.234", "1.2.3", "-1", "-0.00", "+1", "1,23", "1,2345",
                          ",123", "1234,567", "１２", "1２.5", "1.５", "12 3", "1e5", "0x10", "1,234.",
                          "1,,234", "1,234,5678", "12345678901234567", "1,234,567,890,123.45",
                          "999999999999999.9", "1,234,567.89", "123456789", "99999999999999.99",
                          ",123.45", "1,23.45", "12,34.56", "1.2.34", "1,234.5.6"};
    for (size_t i = 0; i < sizeof slow / sizeof *slow; i++)
        assert_slow_amount(slow[i]);
    /* a NUL byte is not a digit */
    int64_t v = -1;
    assert_false(zf_fp_amount("1\0", 2, &v) || zf_fp_amount("1.\0", 3, &v));
    assert_false(zf_fp_amount("1,\0" "00", 5, &v) || zf_fp_amount("1\0.00", 5, &v));
    assert_int_equal(v, -1);
}

static void test_fast_amount_agrees(void **state)
{
    (void)state;
    static const char *const pieces[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "9",
                                         "5", ",", ".", "-", " ", "\xEF\xBC\x91", "a", "00"};
    char buf[24];
    long taken = 0;
    for (int k = 0; k < 400000; k++) {
        size_t len = random_text(buf, k % 2 ? 10 : 14, pieces, sizeof pieces / sizeof *pieces);
        taken += amount_agrees(buf, len);
    }
    assert_true(taken > 20000);
    /* numbers with several proper commas */
    for (int64_t v = 1; v < INT64_C(100000000000000); v = v * 7 + 3) {
        int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
        char with[32];
        size_t o = 0;
        for (int i = 0; i < n; i++) {
            if (i && (n - i) % 3 == 0)
                with[o++] = ',';
            with[o++] = buf[i];
        }
        memcpy(with + o, ".25", 3);
        amount_agrees(with, o + 3);
        amount_agrees(with, o);
    }
    /* every value of up to 6 digits in its usual spellings */
    for (int64_t v = 0; v < 1000000; v += 1 + (v > 20000) * 37) {
        const long long u = (long long)v;
        const char *fmt[] = {"%lld", "%lld.%02lld", "%lld.%lld", "%lld,%03lld.%02lld", "%lld,%03lld"};
        for (size_t f = 0; f < 5; f++) {
            if (f >= 3 && u < 1000)
                continue;
            int n = f < 3 ? snprintf(buf, sizeof buf, fmt[f], u, u % 100, u % 10)
                          : snprintf(buf, sizeof buf, fmt[f], u / 1000, u % 1000, u % 100);
            if (!amount_agrees(buf, (size_t)n))
                fail_msg("\"%s\" not taken by the fast path", buf);
        }
    }
}

/* ---- dates -------------------------------------------------------------- */

static bool date_agrees(const char *s, size_t len, int max_year)
{
    int32_t fast = -1, general = -2;
    zf_reason rf = ZF_REASON_COUNT;
    if (!zf_fp_date(s, len, max_year, &rf, &fast))
        return false;
    for (int xlsx = 0; xlsx < 2; xlsx++) {
        zf_reason rg = zf_parse_date(s, len, xlsx, max_year, &general);
        if (rf != rg || (rf != ZF_REASON_BAD_DATE && fast != general))
            fail_msg("date \"%.*s\": fast %s %d, general %s %d", (int)len, s, zf_reason_code(rf),
                     fast, zf_reason_code(rg), general);
    }
    return true;
}

static void test_fast_date_calendar(void **state)
{
    (void)state;
    static const char *const fmt[] = {"%04d-%02d-%02d", "%04d/%d/%d", "%04d%02d%02d", "%04d-%d-%d",
                                      "%04d/%02d/%02d", "%04d-%02d-%02d 07:51:46",
                                      "%04d-%02d-%02dT23:59:59", "%04d/%d/%d 00:00:00"};
    char buf[40];
    long taken = 0;
    for (int y = 1998; y <= 2101; y++)
        for (int m = 0; m <= 13; m++)
            for (int d = 0; d <= 32; d++)
                for (size_t f = 0; f < sizeof fmt / sizeof *fmt; f++) {
                    int n = snprintf(buf, sizeof buf, fmt[f], y, m, d);
                    bool fast = date_agrees(buf, (size_t)n, MAX_YEAR);
                    date_agrees(buf, (size_t)n, 2099);
                    taken += fast;
                    /* within 2000-2099, every calendar-shaped text is taken */
                    if (!fast && y >= 2000 && y <= 2099)
                        fail_msg("\"%s\" not taken by the fast path", buf);
                }
    assert_true(taken > 100 * 14 * 33 * 7);
}

static void test_fast_date_edges(void **state)
{
    (void)state;
    int32_t days = 0;
    zf_reason r;
    assert_true(zf_fp_date("2024/2/29", 9, MAX_YEAR, &r, &days));
    assert_int_equal(r, ZF_REASON_NONE);
    assert_int_equal(days, zf_days_from_civil(2024, 2, 29));
    assert_true(zf_fp_date("2023/2/29", 9, MAX_YEAR, &r, &days));
    assert_int_equal(r, ZF_REASON_BAD_DATE);
    assert_true(zf_fp_date("2000-02-29", 10, MAX_YEAR, &r, &days));
    assert_int_equal(r, ZF_REASON_NONE);
    assert_int_equal(days, 11016);
    assert_true(zf_fp_date("20270101", 8, MAX_YEAR, &r, &days));
    assert_int_equal(r, ZF_REASON_DATE_OUT_OF_RANGE);
    assert_int_equal(days, zf_days_from_civil(2027, 1, 1));
    assert_true(zf_fp_date("2026-12-31 23:59:59", 19, MAX_YEAR, &r, &days));
    assert_int_equal(r, ZF_REASON_NONE);
    /* other years, times and forms go the general way */
    const char *slow[] = {"1999-12-31", "2100-02-29", "1900-02-29", "2024-03-05 24:00:00", "2024-03-05 7:05",
                          "2024-03-05 07:05", "2024-03-05 07:05:09.5", "2024-03-05 07:60:00", "2024年3月5日",
                          "2024-3/5", "2024-03-05x", "2024-003-05", "2024-03-005", "45352", "２０２４-03-05",
                          "2024-03-05 ", "2024.03.05", "202403051", "2024030"};
    for (size_t i = 0; i < sizeof slow / sizeof *slow; i++)
        if (zf_fp_date(slow[i], strlen(slow[i]), MAX_YEAR, &r, &days))
            fail_msg("\"%s\" taken by the fast path", slow[i]);
}

static void test_fast_date_agrees(void **state)
{
    (void)state;
    static const char *const pieces[] = {"0", "1", "2", "3", "5", "9", "20", "202", "2024", "-", "/",
                                         " ", "T", ":", ".", "12", "29", "31", "00", "\xE5\xB9\xB4"};
    char buf[32];
    long taken = 0;
    for (int k = 0; k < 600000; k++) {
        size_t len = random_text(buf, 22, pieces, sizeof pieces / sizeof *pieces);
        if (k % 2 && len >= 4)   /* half of them start like a date */
            memcpy(buf, "2024", 4);
        taken += date_agrees(buf, len, MAX_YEAR);
    }
    assert_true(taken > 1000);
}

/* ---- citizen IDs -------------------------------------------------------- */

static bool id_agrees(const char *s, size_t len, int max_year)
{
    zf_reason rf = ZF_REASON_COUNT;
    if (!zf_fp_citizen_id(s, len, max_year, &rf))
        return false;
    zf_reason rg = zf_check_citizen_id_until(s, len, max_year);
    if (rf != rg)
        fail_msg("ID \"%.*s\": fast %s, general %s", (int)len, s, zf_reason_code(rf), zf_reason_code(rg));
    return true;
}

static void test_fast_citizen_id(void **state)
{
    (void)state;
    static const char checks[] = "0123456789xXY";
    char id[19];
    long ok = 0, checksum = 0;
    for (int k = 0; k < 300000; k++) {
        for (int i = 0; i < 17; i++)
            id[i] = (char)('0' + next_rand(10));
        /* a birth date that is mostly real, sometimes not */
        int y = 1895 + (int)next_rand(140), m = (int)next_rand(14), d = (int)next_rand(33);
        snprintf(id + 6, 9, "%04d%02d%02d", y, m, d);
        id[14] = (char)('0' + next_rand(10));
        id[17] = checks[next_rand(sizeof checks - 1)];
        bool fast = id_agrees(id, 18, MAX_YEAR);
        id_agrees(id, 18, 9999);
        assert_int_equal(fast, id[17] != 'Y');
        zf_reason r = zf_check_citizen_id_until(id, 18, MAX_YEAR);
        ok += r == ZF_REASON_NONE;
        checksum += r == ZF_REASON_BAD_ID_CHECKSUM;
    }
    assert_true(ok > 5000 && checksum > 50000);
    /* known IDs, leap birthdays, lower-case x */
    zf_reason r;
    assert_true(zf_fp_citizen_id("11010519491231002X", 18, MAX_YEAR, &r));
    assert_int_equal(r, ZF_REASON_NONE);
    assert_true(zf_fp_citizen_id("11010519491231002x", 18, MAX_YEAR, &r));
    assert_int_equal(r, ZF_REASON_NONE);
    assert_true(zf_fp_citizen_id("110105194912310021", 18, MAX_YEAR, &r));
    assert_int_equal(r, ZF_REASON_BAD_ID_CHECKSUM);
    assert_true(zf_fp_citizen_id("330281202701011230", 18, MAX_YEAR, &r));
    assert_int_equal(r, ZF_REASON_BAD_ID);
    assert_true(id_agrees("330281200002290000", 18, MAX_YEAR));
    assert_true(id_agrees("330281190002290000", 18, MAX_YEAR));
    /* the rest is the general function's */
    const char *slow[] = {"11010519491231002Y", "1101051949123100２X", "11010519491231002", "1101051949123100211",
                          "A1010519491231002X", "110105194912310 2X", ""};
    for (size_t i = 0; i < sizeof slow / sizeof *slow; i++)
        assert_false(zf_fp_citizen_id(slow[i], strlen(slow[i]), MAX_YEAR, &r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_swar),
        cmocka_unit_test(test_fast_amount_forms),
        cmocka_unit_test(test_fast_amount_agrees),
        cmocka_unit_test(test_fast_date_calendar),
        cmocka_unit_test(test_fast_date_edges),
        cmocka_unit_test(test_fast_date_agrees),
        cmocka_unit_test(test_fast_citizen_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
