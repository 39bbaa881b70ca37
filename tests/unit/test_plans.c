/* test_plans.c — the features of the other plans (other-plans.md): aggregate submissions
 * with corrections, roll-up over a region tree, interpolated targets, lower-is-better,
 * per-10,000 factors, ranges, series targets and growth — on the hand-made plan
 * tests/fixtures/plans/templates/plans/tp.json and its data directory
 * tests/fixtures/plans/data/.  The tree is
 *
 *     省 → 甲市 (→ 甲一县, 甲二县), 乙市, 丙市
 *
 * Every expected number is worked out by hand in the comments from the fixture rows.
 * Unless a test says otherwise the run is as of 2025-12-31 (2021–2025 closed, R = Y-12-31).
 * 填报日期 is declared a reporting date: a report counts when filed by the as-of date.
 * The last test loads the five real plan definitions. */
#include "zf_test.h"
#include "zf_test_run.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zf_engine.h"
#include "zf_evaluate.h"
#include "zf_ingest.h"
#include "zf_pipeline.h"
#include "zf_run.h"
#include "zf_value.h"

#define TP_TEMPLATES ZF_FIXTURE("plans/templates")
#define TP_DATA ZF_FIXTURE("plans/data")

static zf_defs *defs;

static int load_defs(void **state)
{
    (void)state;
    zf_error err;
    zf_error_clear(&err);
    if (zf_defs_load(&defs, TP_TEMPLATES, "tp", &err) != ZF_OK) {
        char buf[1600];
        fprintf(stderr, "cannot load the tp templates: %s\n", zf_error_format(&err, buf, sizeof buf));
        return -1;
    }
    return 0;
}

static int free_defs(void **state)
{
    (void)state;
    zf_defs_free(defs);
    defs = NULL;
    return 0;
}

static zf_run *run_as_of(int y, int m, int d)
{
    return zf_test_run(defs, TP_DATA, zf_days_from_civil(y, m, d));
}

static const zf_result *row(const zf_run *run, int number, int year, const char *region)
{
    int reg = zf_region_find(&defs->regions, region, strlen(region));
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (defs->plan.indicators[r->indicator].number == number && defs->plan.years[r->year] == year &&
            r->region == reg)
            return r;
    }
    fail_msg("no row for indicator %d, %d, %s", number, year, region);
    return NULL;
}

/* The results.csv texts of a row: numerator, denominator, value, target, status. */
typedef struct texts {
    char num[64], den[64], value[96], target[256], status[32];
} texts;

static texts text_of(const zf_result *r)
{
    texts t;
    memset(&t, 0, sizeof t);
    if (r->has_num)
        zf_decimal_text(r->num, r->num_scale, t.num, sizeof t.num);
    if (r->has_den)
        zf_decimal_text(r->den, r->den_scale, t.den, sizeof t.den);
    zf_result_value_text(r, t.value, sizeof t.value);
    snprintf(t.target, sizeof t.target, "%s", r->target && r->target->cell ? r->target->cell : "");
    snprintf(t.status, sizeof t.status, "%s", zf_outcome_label(r->outcome));
    return t;
}

static void expect(const zf_run *run, int number, int year, const char *region, const char *num, const char *den,
                   const char *value, const char *target, const char *status)
{
    texts t = text_of(row(run, number, year, region));
    if (strcmp(t.num, num) || strcmp(t.den, den) || strcmp(t.value, value) || strcmp(t.target, target) ||
        strcmp(t.status, status))
        fail_msg("indicator %d %d %s: got [%s|%s|%s|%s|%s], wanted [%s|%s|%s|%s|%s]", number, year, region, t.num,
                 t.den, t.value, t.target, t.status, num, den, value, target, status);
}

/* ---- roll-up -------------------------------------------------------------- */

/* Indicator 1 (rate, sum of components), 2024:
 *   甲一县 30/40, 甲二县 10/60 → 甲市 (no own report) = 40/100 = 0.4
 *   乙市 45/50 = 0.9 (a second row with the same key, 99/100, is a duplicate and rejected)
 *   丙市 5/50 = 0.1
 *   省 = (40 + 45 + 5) / (100 + 50 + 50) = 90/200 = 0.45
 * The mean of the cities' rates would be (0.4 + 0.9 + 0.1)/3 = 0.4667 and the mean of the
 * leaves (0.75 + 0.1667 + 0.9 + 0.1)/4 = 0.479: neither is what is reported.
 * Target 2024: interpolated between 50% (2022) and 80% (2025): 50 + 30 × 2/3 = 70%, exact,
 * so no ≈; 0.45 < 0.7 → 未达标. */
static void test_rate_rollup_is_sum_of_components(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2025, 12, 31);
    expect(run, 1, 2024, "甲市", "40", "100", "0.4000000000", "70%（插值）", "未达标");
    expect(run, 1, 2024, "省", "90", "200", "0.4500000000", "70%（插值）", "未达标");
    expect(run, 1, 2024, "甲一县", "30", "40", "0.7500000000", "70%（插值）", "达标");
    expect(run, 1, 2024, "乙市", "45", "50", "0.9000000000", "70%（插值）", "达标");
    zf_run_free(run);
}

/* 2023: 甲市 reports its own 50/100 although its counties say 1/10 and 1/10: the own report
 * wins (0.5, not 2/20 = 0.1).  省 = (50 + 10 + 20)/(100 + 100 + 100) = 80/300 = 0.2666666667.
 * Target 2023 = 50 + 30/3 = 60%. */
static void test_own_report_wins_over_rollup(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2025, 12, 31);
    expect(run, 1, 2023, "甲市", "50", "100", "0.5000000000", "60%（插值）", "未达标");
    expect(run, 1, 2023, "省", "80", "300", "0.2666666667", "60%（插值）", "未达标");
    /* 2022: nobody reported — a parent without children's numbers has none either */
    expect(run, 1, 2022, "省", "", "", "", "50%", "无数据");
    zf_run_free(run);
}

/* Every region of the tree has a row, top first, in pre-order. */
static void test_rows_in_tree_order(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2025, 12, 31);
    static const char *const order[] = {"省", "甲市", "甲一县", "甲二县", "乙市", "丙市"};
    size_t k = 0;
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (defs->plan.indicators[r->indicator].number != 1 || defs->plan.years[r->year] != 2024)
            continue;
        assert_true(k < 6);
        assert_string_equal(defs->regions.regions[r->region].name, order[k]);
        k++;
    }
    assert_int_equal(k, 6);
    /* 8 indicators × 5 years × 6 regions */
    assert_int_equal(run->n_results, 8 * 5 * 6);
    zf_run_free(run);
}

/* ---- min roll-up, corrections ------------------------------------------- */

/* Indicator 2 (amount, min over children), 2024:
 *   甲一县 12000, 甲二县 11500 → 甲市 = 11500 (the lowest county)
 *   乙市 11000 on 2024-06-01, corrected to 12500 on 2024-12-01 → 12500
 *   丙市 11800 on 2024-12-01, corrected to 9000 on 2025-01-15: 填报日期 is a reporting date
 *        (the source says so), and the correction filed in January after the year is known
 *        as of 2025-12-31 → 9000
 *   省 = min(11500, 12500, 9000) = 9000 (had R = 2024-12-31 bounded the 填报日期: 11800 and
 *        11500; had the first report of 乙市 counted: 11000 would not be the minimum either).
 * Target 2024: 11000 + (13000 − 11000) × 2/3 = 37000/3 = 12333.33…, shown ≈12333.33（插值）. */
static void test_min_rollup_and_corrections(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2025, 12, 31);
    expect(run, 2, 2024, "甲市", "", "", "11500.00", "≈12333.33（插值）", "未达标");
    expect(run, 2, 2024, "乙市", "", "", "12500.00", "≈12333.33（插值）", "达标");
    expect(run, 2, 2024, "丙市", "", "", "9000.00", "≈12333.33（插值）", "未达标");
    expect(run, 2, 2024, "省", "", "", "9000.00", "≈12333.33（插值）", "未达标");
    zf_run_free(run);
}

/* As of 2024-12-10 (2024 still open, R = 2024-12-10) 乙市's correction of 2024-12-01 is
 * known: 12500.  As of 2024-11-30 it is not filed yet: the first report, 11000, counts and
 * the province's minimum is 11000. */
static void test_correction_only_when_filed_by_r(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2024, 12, 10);
    expect(run, 2, 2024, "乙市", "", "", "12500.00", "≈12333.33（插值）", "进行中");
    zf_run_free(run);
    run = run_as_of(2024, 11, 30);
    /* the other reports of 2024 are dated 2024-12-01 too: only 乙市's first one is known */
    expect(run, 2, 2024, "乙市", "", "", "11000.00", "≈12333.33（插值）", "进行中");
    expect(run, 2, 2024, "省", "", "", "", "≈12333.33（插值）", "无数据");
    zf_run_free(run);
}

/* ---- reports filed after the year ends -------------------------------------- */

/* Indicator 2, 2023: every report is filed in 2024, after the year's R = 2023-12-31.
 *   甲一县 10000, 甲二县 10500 (2024-01-15) → 甲市 = 10000
 *   乙市 9800 (2024-01-15), corrected to 10200 on 2024-04-20
 *   丙市 10800 (2024-01-15), corrected to 9000 on 2024-09-01
 * Target 2023: 11000 + 2000/3 = 35000/3, shown ≈11666.67（插值）.
 * As of 2024-06-30 the January reports and 乙市's April correction are known, 丙市's
 * September one is not: 乙市 10200, 丙市 10800, 省 = min(10000, 10200, 10800) = 10000. */
static void test_report_filed_after_year_end_counts_by_as_of(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2024, 6, 30);
    expect(run, 2, 2023, "甲一县", "", "", "10000.00", "≈11666.67（插值）", "未达标");
    expect(run, 2, 2023, "甲市", "", "", "10000.00", "≈11666.67（插值）", "未达标");
    expect(run, 2, 2023, "乙市", "", "", "10200.00", "≈11666.67（插值）", "未达标");
    expect(run, 2, 2023, "丙市", "", "", "10800.00", "≈11666.67（插值）", "未达标");
    expect(run, 2, 2023, "省", "", "", "10000.00", "≈11666.67（插值）", "未达标");
    zf_run_free(run);
}

/* As of 2024-01-10 nothing for 2023 has been filed yet: the closed year is 无数据 at every
 * level, although its R (2023-12-31) is long past. */
static void test_report_filed_after_as_of_is_not_known(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2024, 1, 10);
    expect(run, 2, 2023, "甲一县", "", "", "", "≈11666.67（插值）", "无数据");
    expect(run, 2, 2023, "乙市", "", "", "", "≈11666.67（插值）", "无数据");
    expect(run, 2, 2023, "省", "", "", "", "≈11666.67（插值）", "无数据");
    zf_run_free(run);
}

/* A correction filed after a published run changes the next run: as of 2024-03-01 乙市's
 * January report (9800) is the minimum; as of 2024-10-01 both corrections are known and
 * 丙市's 9000 is. */
static void test_later_correction_wins_in_the_next_run(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2024, 3, 1);
    expect(run, 2, 2023, "乙市", "", "", "9800.00", "≈11666.67（插值）", "未达标");
    expect(run, 2, 2023, "省", "", "", "9800.00", "≈11666.67（插值）", "未达标");
    zf_run_free(run);
    run = run_as_of(2024, 10, 1);
    expect(run, 2, 2023, "乙市", "", "", "10200.00", "≈11666.67（插值）", "未达标");
    expect(run, 2, 2023, "丙市", "", "", "9000.00", "≈11666.67（插值）", "未达标");
    expect(run, 2, 2023, "省", "", "", "9000.00", "≈11666.67（插值）", "未达标");
    zf_run_free(run);
}

/* The run lists the reports a correction superseded: region, year, the superseded 填报日期
 * and the one that counts.  As of 2024-06-30 that is 乙市 2023 only (丙市's September
 * correction is not known, so its January report supersedes nothing yet); 2024 is open and
 * 乙市's 2024-12-01 correction not filed. */
static void test_superseded_reports_listed(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2024, 6, 30);
    assert_int_equal(run->n_superseded, 1);
    const zf_superseded_report *r = &run->superseded[0];
    assert_int_equal(defs->plan.indicators[r->indicator].number, 2);
    assert_int_equal(r->year, 2023);
    assert_string_equal(defs->regions.regions[r->region].name, "乙市");
    assert_int_equal(r->date, zf_days_from_civil(2024, 1, 15));
    assert_int_equal(r->by_date, zf_days_from_civil(2024, 4, 20));
    zf_run_free(run);
    /* as of 2025-12-31: 乙市 and 丙市 in 2023 and in 2024, in results order (year, then tree) */
    run = run_as_of(2025, 12, 31);
    assert_int_equal(run->n_superseded, 4);
    static const struct { int year; const char *region; int m0, d0, m1, d1; } want[] = {
        {2023, "乙市", 1, 15, 4, 20}, {2023, "丙市", 1, 15, 9, 1},
        {2024, "乙市", 6, 1, 12, 1}, {2024, "丙市", 12, 1, 1, 15}};
    for (size_t i = 0; i < 4; i++) {
        r = &run->superseded[i];
        assert_int_equal(r->year, want[i].year);
        assert_string_equal(defs->regions.regions[r->region].name, want[i].region);
        assert_int_equal(r->date, zf_days_from_civil(2024, want[i].m0, want[i].d0));
        assert_int_equal(r->by_date, zf_days_from_civil(want[i].year == 2024 && want[i].m1 == 1 ? 2025 : 2024,
                                                        want[i].m1, want[i].d1));
    }
    zf_run_free(run);
}

/* The interpolated target itself: exact fraction, marked. */
static void test_interpolated_target_exact(void **state)
{
    (void)state;
    const zf_indicator *in = &defs->plan.indicators[1];
    const zf_target *t2024 = &in->targets[3], *t2022 = &in->targets[1], *t2021 = &in->targets[0];
    assert_true(t2024->interpolated);
    assert_int_equal(t2024->num, 37000);   /* (11000·3 + 2000·2)/3 */
    assert_int_equal(t2024->den, 3);
    assert_int_equal(t2024->op, ZF_TARGET_GE);
    assert_string_equal(t2024->cell, "≈12333.33（插值）");
    assert_false(t2022->interpolated);
    assert_string_equal(t2022->cell, "11000");
    /* 2021: between the baseline 9600 (2020) and 11000 (2022): 10300, exact */
    assert_true(t2021->interpolated);
    assert_int_equal(t2021->num, 10300);
    assert_int_equal(t2021->den, 1);
    assert_string_equal(t2021->cell, "10300（插值）");
    /* a value of exactly 37000/3 meets it; one millionth less does not */
    zf_result r = {.has_value = true, .kind = ZF_VALUE_AMOUNT, .value = {37000, 3}};
    zf_outcome prov;
    assert_int_equal(zf_judge(&r, t2024, false, 365, 365, &prov), ZF_OUTCOME_MET);
    r.value = (zf_frac){37000000000 - 3, 3000000};
    assert_int_equal(zf_judge(&r, t2024, false, 365, 365, &prov), ZF_OUTCOME_NOT_MET);
}

/* ---- direction, factor, range, series, growth ------------------------------ */

/* Indicator 3, lower is better, target "0.9%" (no sign): 2024 9/1000 = 0.9% exactly → 达标
 * (≤); 2023 10/1000 = 1% → 未达标.  Only the top level is judged (levels [0]): 甲市 has no
 * target and no status. */
static void test_lower_is_better_met_at_target(void **state)
{
    (void)state;
    assert_int_equal(defs->plan.indicators[2].targets[0].op, ZF_TARGET_LE);
    zf_run *run = run_as_of(2025, 12, 31);
    expect(run, 3, 2024, "省", "9", "1000", "0.009000000000", "0.9%", "达标");
    expect(run, 3, 2023, "省", "10", "1000", "0.01000000000", "0.9%", "未达标");
    expect(run, 3, 2024, "甲市", "", "", "", "", "");
    zf_run_free(run);
}

/* Indicator 4, per 10,000 (factor 10000, sum), 2024:
 *   甲一县 8/5000, 甲二县 0/5000 → 甲市 8/10000 × 10000 = 8.00
 *   省 = (8 + 30 + 12)/(10000 + 20000 + 10000) × 10000 = 50/40000 × 10000 = 12.5 → "12.50" ≥ 12 */
static void test_per_ten_thousand(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2025, 12, 31);
    expect(run, 4, 2024, "省", "50", "40000", "12.50", "12", "达标");
    expect(run, 4, 2024, "甲市", "8", "10000", "8.00", "12", "未达标");
    expect(run, 4, 2024, "乙市", "30", "20000", "15.00", "12", "达标");
    zf_run_free(run);
}

/* Indicator 5, range "1～6": 2022 100/100 = 1 (the lower bound) → 达标; 2023 3 → 达标;
 * 2024 7 → above 6 → 未达标. */
static void test_range(void **state)
{
    (void)state;
    const zf_target *t = &defs->plan.indicators[4].targets[0];
    assert_true(t->has_upper);
    assert_int_equal(t->num, 1);
    assert_int_equal(t->upper_num, 6);
    zf_run *run = run_as_of(2025, 12, 31);
    expect(run, 5, 2022, "省", "100", "100", "1.00", "1～6", "达标");
    expect(run, 5, 2023, "省", "300", "100", "3.00", "1～6", "达标");
    expect(run, 5, 2024, "省", "700", "100", "7.00", "1～6", "未达标");
    zf_run_free(run);
}

/* Indicator 6 ≥ indicator 7 of 省, the same year:
 *   2024: 62000/100 = 620 ≥ 600 → 达标, target shown 不低于全省平均水平（600.00）
 *   2023: 58000/100 = 580 < 600 → 未达标
 *   2025: 650, but indicator 7 has no 2025 report → 无数据, the target says so. */
static void test_series_target(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2025, 12, 31);
    expect(run, 6, 2024, "省", "62000", "100", "620.00", "不低于全省平均水平（600.00）", "达标");
    expect(run, 6, 2023, "省", "58000", "100", "580.00", "不低于全省平均水平（600.00）", "未达标");
    expect(run, 6, 2025, "省", "65000", "100", "650.00", "不低于全省平均水平（无数据）", "无数据");
    /* the reference series itself has no target */
    expect(run, 7, 2024, "省", "", "", "600.00", "", "");
    zf_run_free(run);
}

/* Indicator 8, growth of a reported standard: 2021 864/800 − 1 = 0.08 → 达标 (≥ 8%);
 * 2022 900/864 − 1 = 36/864 = 0.04166… → 未达标; 2023 no report → 无数据. */
static void test_growth_of_submissions(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2025, 12, 31);
    expect(run, 8, 2021, "省", "", "", "0.08000000000", "8%", "达标");
    expect(run, 8, 2022, "省", "", "", "0.04166666667", "8%", "未达标");
    expect(run, 8, 2023, "省", "", "", "", "8%", "无数据");
    zf_run_free(run);
}

/* The rejected records: the duplicate key of 乙市 2024 (line 34) — and nothing else. */
static void test_duplicate_report_rejected(void **state)
{
    (void)state;
    zf_run *run = run_as_of(2025, 12, 31);
    assert_int_equal(run->n_files, 1);
    assert_int_equal(run->files[0].rows_read, 40);
    assert_int_equal(run->files[0].rows_rejected, 1);
    assert_int_equal(run->files[0].reasons[ZF_REASON_DUPLICATE_KEY], 1);
    zf_run_free(run);
}

/* ---- target cells and the real plans ---------------------------------------- */

static void test_target_cells(void **state)
{
    (void)state;
    zf_target t;
    zf_error err;
    zf_error_clear(&err);
    assert_int_equal(zf_target_parse(&t, "=50%", &err), ZF_OK);
    assert_true(t.has_upper && t.percent && t.explicit_op);
    assert_int_equal(t.num * t.upper_den, t.upper_num * t.den);
    assert_int_equal(zf_target_parse(&t, "1%～6%", &err), ZF_OK);
    assert_true(t.has_upper && t.percent);
    assert_int_equal(t.upper_num, 6);
    assert_int_equal(t.upper_den, 100);
    assert_int_equal(zf_target_parse(&t, "1~6%", &err), ZF_OK);   /* % on one bound: both */
    assert_int_equal(t.den, 100);
    assert_int_equal(zf_target_parse(&t, "6～1", &err), ZF_ERR_DEFINITION);   /* low > high */
    assert_int_equal(zf_target_parse(&t, "82%", &err), ZF_OK);
    assert_false(t.has_upper || t.explicit_op);
    assert_int_equal(zf_target_parse(&t, "≥75%", &err), ZF_OK);
    assert_true(t.explicit_op);
}

static void test_real_plans_load(void **state)
{
    (void)state;
    static const struct { const char *id; size_t n; int first, last; size_t regions; } plans[] = {
        {"zhejiang-14th", 17, 2021, 2025, 35}, {"zhejiang-13th", 2, 2016, 2020, 35},
        {"chunan-14th", 17, 2021, 2025, 24}, {"dazhou", 21, 2023, 2025, 10},
        {"zhangjiagang", 6, 2019, 2021, 9}};
    for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++) {
        zf_defs *d = NULL;
        zf_error err;
        zf_error_clear(&err);
        char buf[1600];
        if (zf_defs_load(&d, ZF_TEMPLATES, plans[i].id, &err) != ZF_OK)
            fail_msg("%s: %s", plans[i].id, zf_error_format(&err, buf, sizeof buf));
        assert_int_equal(d->plan.n_indicators, plans[i].n);
        assert_int_equal(d->plan.years[0], plans[i].first);
        assert_int_equal(d->plan.years[d->plan.n_years - 1], plans[i].last);
        assert_int_equal(d->regions.n_regions, plans[i].regions);
        zf_defs_free(d);
    }
    /* Chun'an 2 has no baseline ("*"): no 2021 target; 2023 is interpolated 60% → 100% */
    zf_defs *d = NULL;
    zf_error err;
    zf_error_clear(&err);
    assert_int_equal(zf_defs_load(&d, ZF_TEMPLATES, "chunan-14th", &err), ZF_OK);
    assert_null(d->plan.indicators[1].targets[0].cell);
    assert_null(d->plan.indicators[1].baseline.cell);
    assert_string_equal(d->plan.indicators[1].targets[2].cell, "≈73.33%（插值）");
    assert_int_equal(d->plan.indicators[1].targets[2].num, 11);   /* 60 + 40/3 = 220/3 % = 11/15 */
    assert_int_equal(d->plan.indicators[1].targets[2].den, 15);
    zf_defs_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rate_rollup_is_sum_of_components),
        cmocka_unit_test(test_own_report_wins_over_rollup),
        cmocka_unit_test(test_rows_in_tree_order),
        cmocka_unit_test(test_min_rollup_and_corrections),
        cmocka_unit_test(test_correction_only_when_filed_by_r),
        cmocka_unit_test(test_report_filed_after_year_end_counts_by_as_of),
        cmocka_unit_test(test_report_filed_after_as_of_is_not_known),
        cmocka_unit_test(test_later_correction_wins_in_the_next_run),
        cmocka_unit_test(test_superseded_reports_listed),
        cmocka_unit_test(test_interpolated_target_exact),
        cmocka_unit_test(test_lower_is_better_met_at_target),
        cmocka_unit_test(test_per_ten_thousand),
        cmocka_unit_test(test_range),
        cmocka_unit_test(test_series_target),
        cmocka_unit_test(test_growth_of_submissions),
        cmocka_unit_test(test_duplicate_report_rejected),
        cmocka_unit_test(test_target_cells),
        cmocka_unit_test(test_real_plans_load),
    };
    return cmocka_run_group_tests(tests, load_defs, free_defs);
}
