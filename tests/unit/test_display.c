/* test_display.c — the shared display rule (zf_display.h, issue 16 finding 1): a value
 * is never shown rounded onto or across its target.  Every case is a row a reader saw:
 * Yuyao 17 丈亭镇 0.09994 against 10% was shown 10.0% beside 未达标; Dazhou 3 达川区
 * 1.2953 against 1.3 was 1.30. */
#include "zf_test.h"

#include <string.h>

#include "zf_display.h"
#include "zf_run.h"

static zf_result row(zf_value_kind kind, zf_frac v, const zf_target *t)
{
    zf_result r;
    memset(&r, 0, sizeof r);
    r.kind = kind;
    r.has_value = true;
    r.value = v;
    r.target = t;
    return r;
}

static const char *shown(zf_result r)
{
    static char buf[64];
    return zf_result_value_display(&r, buf, sizeof buf);
}

static void test_rate_just_under_target(void **state)
{
    (void)state;
    zf_target ten = {.cell = "10%", .op = ZF_TARGET_GE, .percent = true, .num = 10, .den = 100};
    /* 9994/100000 = 9.994%: 10.0% reads as met; 9.99% is already below 10%, and enough */
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){9994, 100000}, &ten)), "9.99%");
    /* 9.9996%: rounds to 10.0% and to 10.00%, 10.000%; 9.9996% is the first below */
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){99996, 1000000}, &ten)), "9.9996%");
    /* just over (10.0004%): shown above the target, not on it */
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){100004, 1000000}, &ten)), "10.0004%");
    /* exactly on target, and far from it: the usual one decimal */
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){1, 10}, &ten)), "10.0%");
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){8312345, 10000000}, &ten)), "83.1%");
    /* no target (a town row of a count has none; a rate without one): unchanged */
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){99996, 1000000}, NULL)), "10.0%");
}

static void test_rate_against_full(void **state)
{
    (void)state;
    zf_target all = {.cell = "100%", .op = ZF_TARGET_GE, .percent = true, .num = 100, .den = 100};
    /* 872/872 is on target: 100.0% */
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){872, 872}, &all)), "100.0%");
    /* 9994/10000 = 99.94% was 99.9% (fine) but 99996/100000 was 100.0% beside 未达标 */
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){9994, 10000}, &all)), "99.9%");
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){99996, 100000}, &all)), "99.996%");
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){871, 872}, &all)), "99.9%");
}

static void test_lower_is_better(void **state)
{
    (void)state;
    /* ﹤0.9%: 0.008999999333 was shown 0.90% beside 达标 */
    zf_target lt = {.cell = "﹤0.9%", .op = ZF_TARGET_LT, .percent = true, .num = 9, .den = 1000};
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){13499999, 1500000000}, &lt)), "0.8999999%");
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){135, 15000}, &lt)), "0.90%");
    assert_string_equal(shown(row(ZF_VALUE_RATE, (zf_frac){85, 10000}, &lt)), "0.85%");
}

static void test_amount_and_range(void **state)
{
    (void)state;
    /* Dazhou 3: a ratio with two decimals against 1.3 */
    zf_target t = {.cell = "1.3", .op = ZF_TARGET_GE, .num = 13, .den = 10};
    assert_string_equal(shown(row(ZF_VALUE_AMOUNT, (zf_frac){12953, 10000}, &t)), "1.295");
    assert_string_equal(shown(row(ZF_VALUE_AMOUNT, (zf_frac){1300, 1000}, &t)), "1.30");
    assert_string_equal(shown(row(ZF_VALUE_AMOUNT, (zf_frac){1234567, 100}, &t)), "12,345.67");
    /* a range 1～6: 6.001 must not read 6.00 */
    zf_target range = {.cell = "1～6", .op = ZF_TARGET_GE, .num = 1, .den = 1, .has_upper = true,
                       .upper_num = 6, .upper_den = 1};
    assert_string_equal(shown(row(ZF_VALUE_AMOUNT, (zf_frac){6001, 1000}, &range)), "6.001");
    assert_string_equal(shown(row(ZF_VALUE_AMOUNT, (zf_frac){3, 1}, &range)), "3.00");
    /* a huge amount a hair under its target: as many digits as an int64 holds, no overflow */
    zf_target big = {.cell = "2000000000", .op = ZF_TARGET_GE, .num = 2000000000, .den = 1};
    assert_string_equal(shown(row(ZF_VALUE_AMOUNT, (zf_frac){199999999999999LL, 100000}, &big)),
                        "1,999,999,999.99999");
    /* beyond what an int64 holds with all the digits the rule asks for, the digits give way,
       never the number (it read 92,233,720.36854775807 when the int64 overflowed) */
    zf_target huge = {.cell = "9000000000000", .op = ZF_TARGET_GE, .num = 9000000000000LL, .den = 1};
    const char *h = shown(row(ZF_VALUE_AMOUNT, (zf_frac){(zf_i128)9000000000000LL * 1000000000 - 1, 1000000000},
                              &huge));
    assert_true(strncmp(h, "8,999,999,999,999.99", 20) == 0 || strncmp(h, "9,000,000,000,000.", 18) == 0);
}

/* results.csv: the machine text follows the rule too (it is what auditors open). */
static void test_results_text(void **state)
{
    (void)state;
    char buf[64];
    zf_target t = {.cell = "1.3", .op = ZF_TARGET_GE, .num = 13, .den = 10};
    zf_result r = row(ZF_VALUE_AMOUNT, (zf_frac){41132, 31700}, &t);   /* Dazhou 3 达州高新区 2023 */
    assert_string_equal(zf_result_value_text(&r, buf, sizeof buf), "1.298");
    r = row(ZF_VALUE_AMOUNT, (zf_frac){1602000, 100}, NULL);
    assert_string_equal(zf_result_value_text(&r, buf, sizeof buf), "16020.00");
    zf_target all = {.cell = "100%", .op = ZF_TARGET_GE, .percent = true, .num = 100, .den = 100};
    r = row(ZF_VALUE_RATE, (zf_frac){99999999999LL, 100000000000LL}, &all);
    assert_string_equal(zf_result_value_text(&r, buf, sizeof buf), "0.99999999999");
    r = row(ZF_VALUE_RATE, (zf_frac){8312345, 10000000}, &all);
    assert_string_equal(zf_result_value_text(&r, buf, sizeof buf), "0.8312345000");
}

static void test_places(void **state)
{
    (void)state;
    /* in the unit shown (× 100 for a rate already) */
    assert_int_equal(zf_display_places((zf_frac){9994, 1000}, (zf_frac){10, 1}, 1), 2);
    assert_int_equal(zf_display_places((zf_frac){10, 1}, (zf_frac){10, 1}, 1), 1);
    assert_int_equal(zf_display_places((zf_frac){-1, 3}, (zf_frac){0, 1}, 0), 1);   /* -0.3, not -0 */
    /* beyond ZF_DISPLAY_MAX_PLACES a difference is not shown at all */
    assert_int_equal(zf_display_places((zf_frac){100000000000000LL - 1, 10000000000000LL}, (zf_frac){10, 1}, 1),
                     ZF_DISPLAY_MAX_PLACES);
}

/* Issue 16 finding 9: the direction is part of every target shown ("0.92% 未达标" beside
 * "0.9%" looked wrong; Yuyao 15 read "﹤0.9%" on one sheet and "0.90%" on another). */
static void test_target_label(void **state)
{
    (void)state;
    char buf[64];
    zf_target ge = {.cell = "82%", .op = ZF_TARGET_GE, .percent = true, .num = 82, .den = 100};
    zf_target lt = {.cell = "﹤0.9%", .op = ZF_TARGET_LT, .percent = true, .num = 9, .den = 1000, .explicit_op = true};
    zf_target le = {.cell = "0.9%", .op = ZF_TARGET_LE, .percent = true, .num = 9, .den = 1000};
    zf_target gt = {.cell = ">18", .op = ZF_TARGET_GT, .num = 18, .den = 1, .explicit_op = true};
    zf_target word = {.cell = "实现", .op = ZF_TARGET_WORD, .word = "实现"};
    zf_target range = {.cell = "1～6", .op = ZF_TARGET_GE, .num = 1, .den = 1, .has_upper = true, .upper_num = 6, .upper_den = 1};
    zf_target interp = {.cell = "≈12333.33（插值）", .op = ZF_TARGET_GE, .num = 37000, .den = 3, .interpolated = true};
    assert_string_equal(zf_target_label(&ge, buf, sizeof buf), "≥82%");
    assert_string_equal(zf_target_label(&lt, buf, sizeof buf), "<0.9%");
    assert_string_equal(zf_target_label(&le, buf, sizeof buf), "≤0.9%");
    assert_string_equal(zf_target_label(&gt, buf, sizeof buf), ">18");
    assert_string_equal(zf_target_label(&word, buf, sizeof buf), "实现");
    assert_string_equal(zf_target_label(&range, buf, sizeof buf), "1～6");
    assert_string_equal(zf_target_label(&interp, buf, sizeof buf), "≥12333.33（插值）");
    assert_string_equal(zf_target_label(NULL, buf, sizeof buf), "");
    assert_int_equal(zf_target_places(&ge), 0);
    assert_int_equal(zf_target_places(&le), 1);
    assert_string_equal(zf_target_sign(&range), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_just_under_target),
        cmocka_unit_test(test_rate_against_full),
        cmocka_unit_test(test_lower_is_better),
        cmocka_unit_test(test_target_label),
        cmocka_unit_test(test_amount_and_range),
        cmocka_unit_test(test_results_text),
        cmocka_unit_test(test_places),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
