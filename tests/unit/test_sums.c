/* test_sums.c — sums past int64 (hardening issue 23, finding 8): a figure whose records add
 * up to more than a result can hold is reported as out of range (无数据, ZF_NODATA_OVERFLOW,
 * the run incomplete), never wrapped into a plausible value and a wrong status.  Both ways
 * the engine sums are covered: the tallies of plain rates (a normal run) and record by
 * record (what a trace forces), and the exact fractions' arithmetic in frac.c.
 *
 * The data are written at test time into a temporary directory: N copies of a settlement of
 * 999999999999999.99 yuan (10^17 − 1 fen, the largest amount the parser accepts) beside two
 * ordinary ones.  92 of them still fit in int64 (92 × (10^17 − 1) < 2^63 − 1); 200 do not. */
#include "zf_calendar.h"
#include "zf_test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zf_engine.h"
#include "zf_evaluate.h"
#include "zf_frac.h"
#include "zf_fs.h"
#include "zf_ingest.h"
#include "zf_pipeline.h"
#include "zf_run.h"

static zf_defs *defs;

static int load_defs(void **state)
{
    (void)state;
    zf_error err;
    zf_error_clear(&err);
    return zf_defs_load(&defs, ZF_TEMPLATES, "yuyao", &err) == ZF_OK ? 0 : -1;
}

static int free_defs(void **state)
{
    (void)state;
    zf_defs_free(defs);
    return 0;
}

#define MAX_AMOUNT "999999999999999.99"

/* medical_settlements.csv: M1, M2 of the rules fixture (凤山街道, 2025) and n rows of
 * MAX_AMOUNT in 大隐镇 (低保, 住院: in both indicators 9 and 10).  Returns the directory. */
static char *write_medical(int n)
{
    char *dir = strdup("/tmp/zf-sums.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/medical_settlements.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("结算编号,身份证号,乡镇街道,人员类别,就诊类型,结算日期,医疗总费用,政策范围内费用,基本医保支付,"
          "大病保险支付,医疗救助支付\n"
          "M1,330281197101111015,凤山街道,低保,住院,2025-03-01,10000.00,8000.00,5000.00,1000.00,1500.00\n"
          "M2,330281197202121028,凤山街道,特困,门诊慢特病,2025-04-01,2000.00,1800.00,1200.00,0.00,400.00\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "X%04d,330281197101111015,大隐镇,低保,住院,2025-03-01," MAX_AMOUNT "," MAX_AMOUNT "," MAX_AMOUNT
                ",0,0\n", i);
    assert_int_equal(fclose(f), 0);
    return dir;
}

/* low_income_farmers.csv: F1 in 2024 and 2025 (凤山街道), and n households of MAX_AMOUNT in
 * 大隐镇 in 2025. */
static char *write_farmers(int n)
{
    char *dir = strdup("/tmp/zf-sums.XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/low_income_farmers.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("户编号,乡镇街道,年度,家庭人口,家庭可支配收入(元)\n"
          "F1,凤山街道,2024,2,20000.00\nF1,凤山街道,2025,2,22000.00\n", f);
    for (int i = 0; i < n; i++)
        fprintf(f, "X%04d,大隐镇,2025,1," MAX_AMOUNT "\n", i);
    assert_int_equal(fclose(f), 0);
    return dir;
}

static void remove_dir(char *dir)
{
    zf_error err;
    zf_error_clear(&err);
    assert_int_equal(zf_rm_rf(dir, &err), ZF_OK);
    free(dir);
}

static void no_trace(void *ctx, const zf_trace_row *row)
{
    (void)ctx;
    (void)row;
}

static int indicator_index(int number)
{
    for (size_t i = 0; i < defs->plan.n_indicators; i++)
        if (defs->plan.indicators[i].number == number)
            return (int)i;
    fail_msg("no indicator %d", number);
    return -1;
}

static int year_index(int year)
{
    for (size_t i = 0; i < defs->plan.n_years; i++)
        if (defs->plan.years[i] == year)
            return (int)i;
    fail_msg("no year %d", year);
    return -1;
}

/* The computation as of 2025-12-31; traced_ind > 0: with a trace of that indicator's city
 * value in 2025, which feeds every rule record by record instead of through the tallies. */
static zf_run *run_dir(const char *dir, int traced_ind)
{
    zf_error err;
    zf_error_clear(&err);
    zf_run *run = NULL;
    zf_engine *eng = NULL;
    zf_status st = zf_run_new(&run, defs, zf_days_from_civil(2025, 12, 31), NULL, 0, &err);
    if (st == ZF_OK)
        st = zf_engine_new(&eng, run, &err);
    if (st == ZF_OK && traced_ind > 0)
        st = zf_engine_trace(eng, (size_t)indicator_index(traced_ind), 0, (size_t)year_index(2025), 0,
                             no_trace, NULL);
    if (st == ZF_OK) {
        zf_ingest_opts io;
        memset(&io, 0, sizeof io);
        io.data_dir = dir;
        io.engine = eng;
        st = zf_ingest(run, &io, &err);
    }
    if (st == ZF_OK)
        st = zf_engine_finish(eng, run, &err);
    if (st == ZF_OK)
        st = zf_evaluate(run, eng, &err);
    zf_engine_free(eng);
    assert_int_equal(st, ZF_OK);
    for (size_t i = 0; i < run->n_files; i++)
        assert_int_equal(run->files[i].rows_rejected, 0);
    return run;
}

static const zf_result *row(const zf_run *run, int number, const char *region)
{
    const size_t ind = (size_t)indicator_index(number), y = (size_t)year_index(2025);
    const int reg = zf_region_find(&defs->regions, region, strlen(region));
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == ind && r->part == 0 && r->year == y && r->region == reg)
            return r;
    }
    fail_msg("no row %d %s", number, region);
    return NULL;
}

/* "numerator|denominator|value|status" as results.csv writes them */
static const char *texts(const zf_result *r, char *buf, size_t size)
{
    char num[64] = "", den[64] = "", value[96];
    if (r->has_num)
        zf_decimal_text(r->num, r->num_scale, num, sizeof num);
    if (r->has_den)
        zf_decimal_text(r->den, r->den_scale, den, sizeof den);
    zf_result_value_text(r, value, sizeof value);
    snprintf(buf, size, "%s|%s|%s|%s", num, den, value, zf_outcome_label(r->outcome));
    return buf;
}

#define ROW_IS(run, number, region, want)                                    \
    do {                                                                     \
        char got_[256];                                                      \
        assert_string_equal(texts(row(run, number, region), got_, sizeof got_), want); \
    } while (0)

/* 200 × (10^17 − 1) fen ≈ 2 × 10^19 > 2^63: indicator 9's numerator and denominator in
 * 大隐镇 and the city are out of range.  Before the fix they wrapped to 15532559267452836.34 /
 * 15532559268087964.66 = 1.000000000 (达标).  Indicator 10 subtracts the same columns
 * (政策范围内 − 基本医保 − 大病 = 0 for these rows): its figure is in range, and exact. */
static void check_200(const zf_run *run)
{
    const zf_result *city = row(run, 9, "余姚市"), *town = row(run, 9, "大隐镇");
    assert_int_equal(city->nodata, ZF_NODATA_OVERFLOW);
    assert_int_equal(town->nodata, ZF_NODATA_OVERFLOW);
    ROW_IS(run, 9, "余姚市", "|||无数据");
    ROW_IS(run, 9, "大隐镇", "|||无数据");
    /* 凤山街道: (5000 + 1000 + 1500 + 1200 + 0 + 400) / (10000 + 2000) = 9100 / 12000 < 85% */
    ROW_IS(run, 9, "凤山街道", "9100.00|12000.00|0.7583333333|未达标");
    /* 10: (1500 + 400) / ((8000 − 5000 − 1000) + (1800 − 1200 − 0)) = 1900 / 2600 ≥ 70% */
    ROW_IS(run, 10, "余姚市", "1900.00|2600.00|0.7307692308|达标");
    assert_true(run->incomplete);
}

static void test_overflow_tallied(void **state)
{
    (void)state;
    char *dir = write_medical(200);
    zf_run *run = run_dir(dir, 0);
    check_200(run);
    zf_run_free(run);
    remove_dir(dir);
}

static void test_overflow_record_by_record(void **state)
{
    (void)state;
    char *dir = write_medical(200);
    zf_run *run = run_dir(dir, 9);
    check_200(run);
    zf_run_free(run);
    remove_dir(dir);
}

/* 92 of them fit: 92 × 99999999999999999 = 9199999999999999908 fen, exact, and the city's
 * 9199999999999999908 + 910000 = 9200000000000909908 over ... + 1200000 still below 2^63 − 1. */
static void test_largest_sums_exact(void **state)
{
    (void)state;
    char *dir = write_medical(92);
    for (int traced = 0; traced <= 9; traced += 9) {
        zf_run *run = run_dir(dir, traced);
        ROW_IS(run, 9, "大隐镇", "91999999999999999.08|91999999999999999.08|1.000000000|达标");
        ROW_IS(run, 9, "余姚市", "92000000000009099.08|92000000000011999.08|1.000000000|达标");
        assert_int_equal(row(run, 9, "余姚市")->nodata, ZF_NODATA_NONE);
        zf_run_free(run);
    }
    remove_dir(dir);
}

/* Growth (17): 2025's income in 大隐镇 and the city is past range; 凤山街道 is 22000/2 over
 * 20000/2 − 1 = 0.1 (target 10%: 达标). */
static void test_overflow_growth(void **state)
{
    (void)state;
    char *dir = write_farmers(200);
    for (int traced = 0; traced <= 17; traced += 17) {
        zf_run *run = run_dir(dir, traced);
        assert_int_equal(row(run, 17, "余姚市")->nodata, ZF_NODATA_OVERFLOW);
        ROW_IS(run, 17, "余姚市", "|||无数据");
        ROW_IS(run, 17, "凤山街道", "||0.1000000000|达标");
        zf_run_free(run);
    }
    remove_dir(dir);
}

/* ---- frac.c: operands near 2^127 ------------------------------------------ */

static void test_frac_cmp_large(void **state)
{
    (void)state;
    const zf_i128 big = (zf_i128)1 << 120;
    /* (2^120 + 1) / 2^120 against 1000001/1000000: the cross products are past 2^127 */
    zf_frac a = {big + 1, big}, b = {1000001, 1000000};
    assert_int_equal(zf_frac_cmp(a, b), -1);
    assert_int_equal(zf_frac_cmp(b, a), 1);
    zf_frac c = {-(big + 1), big}, d = {-1, 1};
    assert_int_equal(zf_frac_cmp(c, d), -1);
    assert_int_equal(zf_frac_cmp(d, c), 1);
    assert_int_equal(zf_frac_cmp((zf_frac){3 * big, 3 * 1000000}, (zf_frac){big, 1000000}), 0);
    assert_int_equal(zf_frac_cmp((zf_frac){big, 3}, (zf_frac){big - 1, 3}), 1);
    /* products that wrap: 2^126 × 2 and −2^126 × 7 (before: the wrong sign) */
    const zf_i128 huge = (zf_i128)1 << 126;
    assert_int_equal(zf_frac_cmp((zf_frac){huge, 1}, (zf_frac){3, 2}), 1);
    assert_int_equal(zf_frac_cmp((zf_frac){-huge, 3}, (zf_frac){-1, 7}), -1);
}

static void test_frac_text_large(void **state)
{
    (void)state;
    char buf[96];
    const zf_i128 big = (zf_i128)1 << 120;   /* 1329227995784915872903807060280344576 */
    /* 1 / 3 with both parts scaled by 2^120 / 3: n × 10^10 would be past 2^127 */
    const zf_i128 third = big / 3 * 3;
    assert_string_equal(zf_frac_sig((zf_frac){third / 3, third}, 10, buf, sizeof buf), "0.3333333333");
    assert_string_equal(zf_frac_sig((zf_frac){-(third / 3), third}, 10, buf, sizeof buf), "-0.3333333333");
    /* 2^120 / 7 = 189889713683559410414829580040049225.14…, to 2 places */
    assert_string_equal(zf_frac_fixed((zf_frac){big, 7}, 2, buf, sizeof buf),
                        "189889713683559410414829580040049225.14");
    /* a tiny value over a denominator near 2^127: 1 / 2^126 to 10 significant digits */
    assert_string_equal(zf_frac_sig((zf_frac){1, (zf_i128)1 << 126}, 10, buf, sizeof buf),
                        "0.00000000000000000000000000000000000001175494351");
    assert_string_equal(zf_decimal_grouped(INT64_MIN, 2, buf, sizeof buf), "-92,233,720,368,547,758.08");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overflow_tallied),
        cmocka_unit_test(test_overflow_record_by_record),
        cmocka_unit_test(test_largest_sums_exact),
        cmocka_unit_test(test_overflow_growth),
        cmocka_unit_test(test_frac_cmp_large),
        cmocka_unit_test(test_frac_text_large),
    };
    return cmocka_run_group_tests(tests, load_defs, free_defs);
}
