/* test_policies.c — the commitments the plan texts state beside their tables (issue 22):
 * policy linkage rules judged in every region of the tree
 * ("per_region") and a factor capped by another series ("cap"), as the Dazhou and
 * Zhejiang plans state them (issue 22): 特困 ≥ 1.3 × 低保 in every city and county, 农村
 * 低保 ≥ 75% of 城市, 低保边缘 = 2 × 低保 but at most the minimum wage, 市县财政投入只增不减.
 * The plan is tests/fixtures/plans/templates/plans/tpol.json over the tree of test_plans.c
 *
 *     省 → 甲市 (→ 甲一县, 甲二县), 乙市, 丙市
 *
 * and its data tests/fixtures/plans/policies/ (every report is a 数值 filed in January
 * after its year).  Indicators 1 and 2 roll up by their lowest child (min), 6 by the sum,
 * 3, 4 and 5 not at all.  Every expected value below is worked out by hand from the rows.
 * The last tests run the real plans' new entries (Dazhou, Zhejiang, Chun'an, yuyao-text) on
 * small hand-made data under tests/fixtures/plans/real/.
 * The run is as of 2026-06-30: 2023–2025 closed, the 2025 reports filed in January 2026
 * known. */
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
#include "zf_display.h"

static zf_defs *defs;

static int load_defs(void **state)
{
    (void)state;
    zf_error err;
    zf_error_clear(&err);
    if (zf_defs_load(&defs, ZF_FIXTURE("plans/templates"), "tpol", &err) != ZF_OK) {
        char buf[1600];
        fprintf(stderr, "cannot load tpol: %s\n", zf_error_format(&err, buf, sizeof buf));
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

static zf_run *run_on(const zf_defs *d, const char *data_dir)
{
    return zf_test_run(d, data_dir, zf_days_from_civil(2026, 6, 30));
}

static zf_run *run_it(void) { return run_on(defs, ZF_FIXTURE("plans/policies")); }

/* The verdict of rule id in year, a and b as two-decimal texts ("" when absent), the
 * region they are of, and how many regions were judged and failed. */
static void expect(const zf_run *run, const char *id, int year, zf_policy_verdict verdict, const char *a,
                   const char *b, const char *region, size_t checked, size_t failed)
{
    const zf_defs *defs = run->defs;
    static const char *const v[] = {"PASS", "FAIL", "NO_DATA"};
    for (size_t i = 0; i < run->n_policies; i++) {
        const zf_policy_result *p = &run->policies[i];
        if (strcmp(defs->plan.policies[p->rule].id, id) != 0 || defs->plan.years[p->year] != year)
            continue;
        char ta[64] = "", tb[64] = "";
        if (p->has_a)
            zf_frac_fixed(p->a, 2, ta, sizeof ta);
        if (p->has_b)
            zf_frac_fixed(p->b, 2, tb, sizeof tb);
        const char *reg = defs->regions.regions[p->region].name;
        if (p->verdict != verdict || strcmp(ta, a) || strcmp(tb, b) || strcmp(reg, region) ||
            p->n_checked != checked || p->n_failed != failed)
            fail_msg("%s %d: got %s a=%s b=%s %s %zu/%zu, wanted %s a=%s b=%s %s %zu/%zu", id, year, v[p->verdict], ta,
                     tb, reg, p->n_failed, p->n_checked, v[verdict], a, b, region, failed, checked);
        return;
    }
    fail_msg("no verdict of %s in %d", id, year);
}

/* 2024, 低保 / 特困 and 1.3 × 低保:
 *   甲一县 10000 / 13000 ≥ 13000 (equal: met)   甲二县 11000 / 14000 < 14300 FAIL
 *   乙市   12500 / 17000 ≥ 16250                丙市   11800 / 15340 ≥ 15340 (equal)
 *   甲市 (min of its counties) 10000 / 13000 ≥ 13000;  省 (min of the cities) 10000 / 13000
 * Six regions judged, one fails: the rule fails, shown with 甲二县's values.  The same rule
 * on the top region alone passes (13000 ≥ 13000): the lowest 特困 and the lowest 低保 are
 * both 甲一县's, and hide 甲二县.
 * 2025: only 乙市 13000 / 16900 ≥ 16900 and 丙市 12000 / 16000 ≥ 15600 report; 甲市 and 省
 * cannot be rolled up without 甲市's counties.  Two judged, both pass; the top has no
 * value, so the first judged region (乙市) is shown.  The top-only rule has no data.
 * 2023: no reports → NO_DATA, nothing judged. */
static void test_every_region_must_meet_it(void **state)
{
    (void)state;
    zf_run *run = run_it();
    assert_int_equal(run->n_policies, 5 * 3);
    expect(run, "tekun_each", 2024, ZF_POLICY_FAIL, "14000.00", "14300.00", "甲二县", 6, 1);
    expect(run, "tekun_top", 2024, ZF_POLICY_PASS, "13000.00", "13000.00", "省", 1, 0);
    expect(run, "tekun_each", 2025, ZF_POLICY_PASS, "16900.00", "16900.00", "乙市", 2, 0);
    expect(run, "tekun_top", 2025, ZF_POLICY_NO_DATA, "", "", "省", 0, 0);
    expect(run, "tekun_each", 2023, ZF_POLICY_NO_DATA, "", "", "省", 0, 0);
    /* what the workbook and the terminal print: whose values, how many regions */
    char buf[512];
    for (size_t i = 0; i < run->n_policies; i++) {
        const zf_policy_result *p = &run->policies[i];
        const char *id = defs->plan.policies[p->rule].id;
        int y = defs->plan.years[p->year];
        zf_policy_label(run, p, buf, sizeof buf);
        if (strcmp(id, "tekun_each") == 0 && y == 2024)
            assert_string_equal(buf, "特困 ≥ 1.3 × 低保(每个地区)（甲二县；6个地区中1个不符合）");
        if (strcmp(id, "tekun_each") == 0 && y == 2025)
            assert_string_equal(buf, "特困 ≥ 1.3 × 低保(每个地区)（2个地区均符合，值为乙市）");
        if (strcmp(id, "tekun_each") == 0 && y == 2023)
            assert_string_equal(buf, "特困 ≥ 1.3 × 低保(每个地区)");
        if (strcmp(id, "tekun_top") == 0 && y == 2024)
            assert_string_equal(buf, "特困 ≥ 1.3 × 低保(仅省)");
    }
    zf_run_free(run);
}

/* 低保边缘 = min(2 × 低保, 最低工资), 2024:
 *   甲一县 2 × 10000 = 20000, wage 22000 → 20000; reported 22000 ≠ 20000 FAIL (the cap
 *          lowers the line, it never raises it)
 *   甲二县 reported 22000, no wage reported → the line is unknown, not judged
 *   乙市   2 × 12500 = 25000, wage 24000 → 24000 = 24000 (capped)
 *   丙市   2 × 11800 = 23600, wage 24000 → 23600 = 23600 (not capped)
 *   省, 甲市: 3 and 4 are not rolled up → not judged.   Three judged, one fails (甲一县).
 * 2025: 乙市 2 × 13000 = 26000, wage 25000 → 25000; reported 26000 ≠ 25000 FAIL — a plain
 *   "= 2 ×" would have passed it;  丙市 2 × 12000 = 24000 < 25000 → 24000 = 24000. */
static void test_cap(void **state)
{
    (void)state;
    zf_run *run = run_it();
    expect(run, "edge_cap", 2024, ZF_POLICY_FAIL, "22000.00", "20000.00", "甲一县", 3, 1);
    expect(run, "edge_cap", 2025, ZF_POLICY_FAIL, "26000.00", "25000.00", "乙市", 2, 1);
    expect(run, "edge_cap", 2023, ZF_POLICY_NO_DATA, "", "", "省", 0, 0);
    zf_run_free(run);
}

/* 农村低保 ≥ 0.75 × 低保, 2024: 乙市 9375 ≥ 0.75 × 12500 = 9375 (equal);  丙市 8000 <
 * 0.75 × 11800 = 8850 FAIL.  The top region shows its b alone (0.75 × 10000 = 7500), but
 * the failing region's values replace it. */
static void test_factor_below_one(void **state)
{
    (void)state;
    zf_run *run = run_it();
    expect(run, "rural_75", 2024, ZF_POLICY_FAIL, "8000.00", "8850.00", "丙市", 2, 1);
    zf_run_free(run);
}

/* 财政投入 (sum roll-up), 2023 → 2024:
 *   甲一县 100 → 120, 甲二县 200 → 180 (lowered), 乙市 300 → 350, 丙市 400 → 400 (equal is
 *   not lower); 甲市 300 → 300; 省 1000 → 1050.
 * The province alone would pass; every region judged: six, one fails (甲二县 180 < 200).
 * 2023 has no year before it in the plan: NO_DATA; 2025 has no reports: NO_DATA. */
static void test_not_lower_in_every_region(void **state)
{
    (void)state;
    zf_run *run = run_it();
    expect(run, "funds_each", 2024, ZF_POLICY_FAIL, "180.00", "200.00", "甲二县", 6, 1);
    expect(run, "funds_each", 2023, ZF_POLICY_NO_DATA, "1000.00", "", "省", 0, 0);
    expect(run, "funds_each", 2025, ZF_POLICY_NO_DATA, "", "1050.00", "省", 0, 0);
    zf_run_free(run);
}

/* The loader: a cap is read as an operand, per_region is kept, and rule ids are in order. */
static void test_definitions(void **state)
{
    (void)state;
    assert_int_equal(defs->plan.n_policies, 5);
    const zf_policy_rule *cap = &defs->plan.policies[2];
    assert_string_equal(cap->id, "edge_cap");
    assert_true(cap->has_cap && cap->per_region);
    assert_int_equal(cap->cap_indicator, 4);
    assert_int_equal(cap->factor_num, 2);
    assert_int_equal(cap->factor_den, 1);
    assert_false(defs->plan.policies[1].per_region);
    assert_false(defs->plan.policies[0].has_cap);
    assert_int_equal(defs->plan.policies[3].factor_num * 4, defs->plan.policies[3].factor_den * 3);
    /* mistakes stop the load with the member and why */
    static const struct { const char *plan, *says; } bad[] = {
        {"tpol-cap-not-lower", "policies[0].cap: not used by not_lower"},
        {"tpol-region-latest", "a per_region rule compares indicators"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        zf_defs *d = NULL;
        zf_error err;
        zf_error_clear(&err);
        char buf[1600];
        assert_int_equal(zf_defs_load(&d, ZF_FIXTURE("plans/templates"), bad[i].plan, &err), ZF_ERR_DEFINITION);
        assert_null(d);
        if (!strstr(zf_error_format(&err, buf, sizeof buf), bad[i].says))
            fail_msg("%s: %s (wanted %s)", bad[i].plan, buf, bad[i].says);
    }
}

/* ---- the real plans (templates/), each on a few hand-made reports ---------- */

static zf_defs *load_real(const char *plan)
{
    zf_defs *d = NULL;
    zf_error err;
    zf_error_clear(&err);
    char buf[1600];
    if (zf_defs_load(&d, ZF_TEMPLATES, plan, &err) != ZF_OK)
        fail_msg("%s: %s", plan, zf_error_format(&err, buf, sizeof buf));
    return d;
}

/* value, target and status texts of (indicator, year) in the top region */
static void expect_row(const zf_run *run, int number, int year, const char *value, const char *target,
                       const char *status)
{
    const zf_defs *d = run->defs;
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (d->plan.indicators[r->indicator].number != number || d->plan.years[r->year] != year || r->region != 0)
            continue;
        char v[96];
        zf_result_value_text(r, v, sizeof v);
        const char *t = r->target && r->target->cell ? r->target->cell : "";
        const char *st = zf_outcome_label(r->outcome);
        if (strcmp(v, value) || strcmp(t, target) || strcmp(st, status))
            fail_msg("indicator %d %d: got [%s|%s|%s], wanted [%s|%s|%s]", number, year, v, t, st, value, target,
                     status);
        return;
    }
    fail_msg("no row for indicator %d %d", number, year);
}

/* A growth_ge verdict with A and B as exact fractions (den 0: that side has no value). */
static void expect_growth(const zf_run *run, const char *id, int year, zf_policy_verdict verdict, int64_t an,
                          int64_t ad, int64_t bn, int64_t bd)
{
    for (size_t i = 0; i < run->n_policies; i++) {
        const zf_policy_result *p = &run->policies[i];
        if (strcmp(run->defs->plan.policies[p->rule].id, id) || run->defs->plan.years[p->year] != year)
            continue;
        assert_int_equal(p->verdict, verdict);
        assert_int_equal(p->has_a, ad != 0);
        assert_int_equal(p->has_b, bd != 0);
        if (ad)
            assert_int_equal(zf_frac_cmp(p->a, (zf_frac){an, ad}), 0);
        if (bd)
            assert_int_equal(zf_frac_cmp(p->b, (zf_frac){bn, bd}), 0);
        return;
    }
    fail_msg("no verdict of %s in %d", id, year);
}

/* Dazhou (tests/fixtures/plans/real/dazhou), 2024, 元/月:
 *            城市(16) 农村(17)  特困(18)  临时(19)   投入(20) 2023 → 2024
 *   达州市    700      525       910       4200      5000 → 5200
 *   通川区    680      500       900       4100      3000 → 2900
 * dz_rural_75: 达州市 525 ≥ 0.75 × 700 = 525 (equal);  通川区 500 < 0.75 × 680 = 510 FAIL
 * dz_tekun_1_3: 910 ≥ 1.3 × 700 = 910;  900 ≥ 1.3 × 680 = 884 → PASS, the top region shown
 * dz_temp_ge_1: 4200 ≥ 700, 4100 ≥ 680 → PASS
 * dz_temp_le_6: 4200 ≤ 6 × 700 = 4200;  4100 > 6 × 680 = 4080 FAIL
 * dz_funds_not_lower: 5200 ≥ 5000;  2900 < 3000 FAIL;  2023: no 2022 in the plan → NO_DATA
 * The seven other regions report nothing: not judged (2 of 10). */
static void test_dazhou(void **state)
{
    (void)state;
    zf_defs *d = load_real("dazhou");
    zf_run *run = run_on(d, ZF_FIXTURE("plans/real/dazhou"));
    expect(run, "dz_rural_75", 2024, ZF_POLICY_FAIL, "500.00", "510.00", "通川区", 2, 1);
    expect(run, "dz_tekun_1_3", 2024, ZF_POLICY_PASS, "910.00", "910.00", "达州市", 2, 0);
    expect(run, "dz_temp_ge_1", 2024, ZF_POLICY_PASS, "4200.00", "700.00", "达州市", 2, 0);
    expect(run, "dz_temp_le_6", 2024, ZF_POLICY_FAIL, "4100.00", "4080.00", "通川区", 2, 1);
    expect(run, "dz_funds_not_lower", 2024, ZF_POLICY_FAIL, "2900.00", "3000.00", "通川区", 2, 1);
    expect(run, "dz_funds_not_lower", 2023, ZF_POLICY_NO_DATA, "5000.00", "", "达州市", 0, 0);
    expect(run, "dz_rural_75", 2023, ZF_POLICY_NO_DATA, "", "", "达州市", 0, 0);
    expect_row(run, 16, 2024, "700.00", "", "");   /* a reference series: no target */
    /* 21 volunteer teams per community, 达州市's own report: 2024 4800/5000 = 0.96 < 1 未达标;
       2023 5200/5000 = 1.04 ≥ 1 达标 */
    expect_row(run, 21, 2024, "0.96", "1", "未达标");
    expect_row(run, 21, 2023, "1.04", "1", "达标");
    zf_run_free(run);
    zf_defs_free(d);
}

/* Zhejiang 14th (tests/fixtures/plans/real/zhejiang), 2024, 元/年, two cities that are
 * leaves of the tree; the province cannot be rolled up (nine cities missing): not judged.
 *            低保(1)  特困(9)  消费(10)  最低工资(11)  边缘(12)
 *   宁波市    12000    15600    31000     23000        23000
 *   温州市    11000    14000    28000     24000        22000
 * zj_tekun_1_3: 15600 ≥ 1.3 × 12000 = 15600;  14000 < 1.3 × 11000 = 14300 FAIL (温州市)
 * zj_tekun_half_consumption: 15600 ≥ 15500;  14000 ≥ 14000 → PASS, 宁波市 shown (the
 *   first judged: the province has no value)
 * zj_edge_2x_capped: 宁波市 min(2 × 12000, 23000) = 23000 = 23000 (capped);
 *   温州市 min(22000, 24000) = 22000 = 22000 → PASS
 * zj_dibao_not_lower (1 never lowered, 2023 → 2024): 宁波市 11500 → 12000;  温州市 11200 →
 *   11000 FAIL.  The province's own reports: 13 就业 72000 ≥ 70000 达标; 14 暖巢 2025
 *   65000/66000 = 0.98484… < 100% 未达标; 15 幸福清单 264000/264000 = 1 达标 (a household's
 *   four quarters); 16 探访 65000/66000 未达标; 17 一件事 14 items ≥ 14 达标. */
static void test_zhejiang(void **state)
{
    (void)state;
    zf_defs *d = load_real("zhejiang-14th");
    zf_run *run = run_on(d, ZF_FIXTURE("plans/real/zhejiang"));
    expect(run, "zj_tekun_1_3", 2024, ZF_POLICY_FAIL, "14000.00", "14300.00", "温州市", 2, 1);
    expect(run, "zj_tekun_half_consumption", 2024, ZF_POLICY_PASS, "15600.00", "15500.00", "宁波市", 2, 0);
    expect(run, "zj_edge_2x_capped", 2024, ZF_POLICY_PASS, "23000.00", "23000.00", "宁波市", 2, 0);
    expect(run, "zj_dibao_not_lower", 2024, ZF_POLICY_FAIL, "11000.00", "11200.00", "温州市", 2, 1);
    /* the province's own reports of the text's other targets */
    expect_row(run, 13, 2024, "72000", "70000", "达标");
    expect_row(run, 14, 2025, "0.9848484848", "100%", "未达标");
    expect_row(run, 14, 2024, "", "", "");   /* no target before 2025, no report */
    expect_row(run, 15, 2024, "1.000000000", "100%", "达标");
    expect_row(run, 16, 2024, "0.9848484848", "100%", "未达标");
    expect_row(run, 17, 2025, "14", "14", "达标");
    zf_run_free(run);
    zf_defs_free(d);
}

/* Chun'an (tests/fixtures/plans/real/chunan), 淳安县's own reports:
 * 14 reads indicator 1's report: 2025 14500 ≥ 杭州市平均 (15) 14123 → 达标; no target before 2025.
 * 16 特困供养 2025 1500 < 杭州市平均 (17) 1520 → 未达标; 2024 1450, but 17 has no 2024
 *    report → 无数据, the cell says so.
 * 11 425/425 = 1 ≥ 100% 达标;  12 23/23 达标;  13 400/425 = 16/17 = 0.9411764706 未达标. */
static void test_chunan(void **state)
{
    (void)state;
    zf_defs *d = load_real("chunan-14th");
    zf_run *run = run_on(d, ZF_FIXTURE("plans/real/chunan"));
    expect_row(run, 14, 2025, "14500.00", "不低于杭州市平均水平（14123.00）", "达标");
    expect_row(run, 14, 2024, "", "", "");
    expect_row(run, 16, 2025, "1500.00", "不低于杭州市平均水平（1520.00）", "未达标");
    expect_row(run, 16, 2024, "1450.00", "不低于杭州市平均水平（无数据）", "无数据");
    expect_row(run, 11, 2025, "1.000000000", "100%", "达标");
    expect_row(run, 12, 2025, "1.000000000", "100%", "达标");
    expect_row(run, 13, 2025, "0.9411764706", "100%", "未达标");
    zf_run_free(run);
    zf_defs_free(d);
}

/* Zhangjiagang (tests/fixtures/plans/real/zhangjiagang):
 * 4 安居工程 low-income over 低保 subsidy, "=100%": 2020 1500/1500 = 1 达标; 2021 1400/1500 =
 *   0.9333… 未达标 (an exact target: below is not met).
 * 5 towns with a full-time worker: 2020 张家港市's own report 7/8 = 0.875 未达标; 2021 no own
 *   report, the eight towns 1/1 each → rolled up 8/8 = 1 达标.
 * 6 villages with a 民政专干: 2020 180/180 = 1 达标. */
static void test_zhangjiagang(void **state)
{
    (void)state;
    zf_defs *d = load_real("zhangjiagang");
    zf_run *run = run_on(d, ZF_FIXTURE("plans/real/zhangjiagang"));
    expect_row(run, 4, 2020, "1.000000000", "=100%", "达标");
    expect_row(run, 4, 2021, "0.9333333333", "=100%", "未达标");
    expect_row(run, 5, 2020, "0.8750000000", "100%", "未达标");
    expect_row(run, 5, 2021, "1.000000000", "100%", "达标");
    expect_row(run, 6, 2020, "1.000000000", "100%", "达标");
    zf_run_free(run);
    zf_defs_free(d);
}

/* Yuyao's text targets (plan yuyao-text, tests/fixtures/plans/real/yuyao_text), as of
 * 2026-06-30 (2023–2025 closed, 2026 open; 2027 not computed).
 * 1 慈善信托规模, trusts in force at R (备案 ≤ R, 终止 empty or after R):
 *   T1 2022-05-01 3000000.00 | T2 2023-06-01 1000000.00, ends 2024-12-31 | T3 2025-01-01
 *   2500000.50 | T4 2027-01-01 (after every R)
 *   2023 T1 + T2 = 4000000.00;  2024 T2 ends on R, not in force: 3000000.00;
 *   2025 T1 + T3 = 5500000.50;  2026 the same.  The target (>1000万) is 2027's only.
 * 2 donations since 2023-01-01 up to R: D1 2022-12-31 is before the plan; D5 2026-07-01 is
 *   after R.  2023 100000000.00 ≥ 1亿 达标 (equal);  2024 + 60000000 = 160000000.00 < 2亿
 *   未达标;  2025 + 150000000 = 310000000.00 ≥ 3亿 达标;  2026 310000000.00 < 4亿, open: 进行中.
 * 3 善居 households completed since 2023: S1 (2022) not;  2023 {S2} 1;  2024 {S2, S3} 2;
 *   2025 {S2, S3, S4 on R} 3;  2026 3.
 * 4 低保 and 特困 households on the register at R (the relief fixture of test_rules.c):
 *   2023 {H01};  2024 {H01, H02} (H05 支出型 is not 低保/特困);  2025 {H01, H03} (H02 ends on
 *   R);  2026 {H01} (H03 left 2026-02-01, H04 is 低保边缘).  Enjoying the discount that year:
 *   2023 H01 (the power company's own 符合条件 says 否: the register decides) → 1/1 达标;
 *   2024 H02 (H01 否; H05 not in the population) → 1/2 未达标;  2025 H01 (H03 否) → 1/2;
 *   2026 H01 → 1/1, open: 进行中. */
static void test_yuyao_text(void **state)
{
    (void)state;
    zf_defs *d = load_real("yuyao-text");
    zf_run *run = run_on(d, ZF_FIXTURE("plans/real/yuyao_text"));
    expect_row(run, 1, 2023, "4000000.00", "", "");
    expect_row(run, 1, 2024, "3000000.00", "", "");
    expect_row(run, 1, 2025, "5500000.50", "", "");
    expect_row(run, 1, 2026, "5500000.50", "", "");
    expect_row(run, 2, 2023, "100000000.00", "≥100000000", "达标");
    expect_row(run, 2, 2024, "160000000.00", "≥200000000", "未达标");
    expect_row(run, 2, 2025, "310000000.00", "≥300000000", "达标");
    expect_row(run, 2, 2026, "310000000.00", "≥400000000", "进行中");
    expect_row(run, 3, 2023, "1", "", "");
    expect_row(run, 3, 2024, "2", "", "");
    expect_row(run, 3, 2025, "3", "", "");
    expect_row(run, 3, 2026, "3", "", "");
    expect_row(run, 4, 2023, "1.000000000", "100%", "达标");
    expect_row(run, 4, 2024, "0.5000000000", "100%", "未达标");
    expect_row(run, 4, 2025, "0.5000000000", "100%", "未达标");
    expect_row(run, 4, 2026, "1.000000000", "100%", "进行中");
    /* 5: the 低保 standard (the fixture of test_rules.c) × 12: 14700, 15360, 16080, 16800 (the
       2026-01-01 row is in force at R = 2026-06-30).  6: last year's income, filed by the as-of
       date: 2023 ← 2022's 65200, 2024 ← 68000, 2025 ← 71400; 2026 ← 2025's row was filed on
       2026-07-15, after the as-of date: no value. */
    expect_row(run, 5, 2026, "16800.00", "", "");
    expect_row(run, 6, 2023, "65200.00", "", "");
    expect_row(run, 6, 2025, "71400.00", "", "");
    expect_row(run, 6, 2026, "", "", "");
    /* growth_ge, exact fractions:
       2024 a = 15360/14700 − 1 = 660/14700 = 11/245 (4.49%) ≥ b = 68000/65200 − 1 = 7/163
            (4.29%) → PASS
       2025 a = 16080/15360 − 1 = 3/64 (4.69%) < b = 71400/68000 − 1 = 1/20 (5%) → FAIL
       2026 a = 16800/16080 − 1 = 3/67, b unknown (no 2026 income) → NO_DATA
       2023 no 2022 in the plan → NO_DATA, neither growth */
    expect_growth(run, "yt_dibao_growth_ge_income", 2024, ZF_POLICY_PASS, 11, 245, 7, 163);
    expect_growth(run, "yt_dibao_growth_ge_income", 2025, ZF_POLICY_FAIL, 3, 64, 1, 20);
    expect_growth(run, "yt_dibao_growth_ge_income", 2026, ZF_POLICY_NO_DATA, 3, 67, 0, 0);
    expect_growth(run, "yt_dibao_growth_ge_income", 2023, ZF_POLICY_NO_DATA, 0, 0, 0, 0);
    for (size_t i = 0; i < run->n_files; i++)
        assert_int_equal(run->files[i].rows_rejected, 0);
    zf_run_free(run);
    zf_defs_free(d);
}

/* The exports yuyao-text shares with the yuyao set are defined alike there: same columns,
 * types, required and personal flags, vocabularies and key — else one file would be read
 * two ways. */
static void test_yuyao_text_shares_definitions(void **state)
{
    (void)state;
    zf_defs *a = load_real("yuyao"), *b = load_real("yuyao-text");
    size_t shared = 0;
    for (size_t i = 0; i < b->sources.n_sources; i++) {
        const zf_source *t = &b->sources.sources[i];
        int k = zf_sources_find(&a->sources, t->id);
        if (k < 0)
            continue;
        const zf_source *s = &a->sources.sources[k];
        shared++;
        assert_string_equal(s->title, t->title);
        assert_int_equal(s->n_columns, t->n_columns);
        assert_int_equal(s->n_key, t->n_key);
        for (size_t c = 0; c < s->n_key; c++)
            assert_int_equal(s->key[c], t->key[c]);
        for (size_t c = 0; c < s->n_columns; c++) {
            assert_string_equal(s->columns[c].name, t->columns[c].name);
            assert_int_equal(s->columns[c].type, t->columns[c].type);
            assert_int_equal(s->columns[c].required, t->columns[c].required);
            assert_int_equal(s->columns[c].personal, t->columns[c].personal);
            assert_int_equal(s->columns[c].n_vocab, t->columns[c].n_vocab);
            for (size_t v = 0; v < s->columns[c].n_vocab; v++)
                assert_string_equal(s->columns[c].vocab[v], t->columns[c].vocab[v]);
        }
    }
    assert_int_equal(shared, 4);   /* relief_households, electricity_discounts, shanju, assistance_standards */
    zf_defs_free(a);
    zf_defs_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_definitions),
        cmocka_unit_test(test_every_region_must_meet_it),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_factor_below_one),
        cmocka_unit_test(test_not_lower_in_every_region),
        cmocka_unit_test(test_dazhou),
        cmocka_unit_test(test_zhejiang),
        cmocka_unit_test(test_chunan),
        cmocka_unit_test(test_zhangjiagang),
        cmocka_unit_test(test_yuyao_text),
        cmocka_unit_test(test_yuyao_text_shares_definitions),
    };
    return cmocka_run_group_tests(tests, load_defs, free_defs);
}
