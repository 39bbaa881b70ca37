/* test_rules.c — the 27 computation rules (口径) of the Yuyao plan and its policy
 * linkage rules, each on a tiny hand-made data directory under tests/fixtures/rules/.
 *
 * Every expected numerator, denominator, value and status below was worked out by hand
 * from the fixture rows (the arithmetic is in the comments) — never copied from the
 * program's output.  The pipeline is driven through the library: real templates,
 * ingest → engine → evaluate, then the rows of run->results are read back as the
 * results.csv texts (numerator, denominator, value, target, status).
 *
 * Unless a test says otherwise the run's as-of date is 2025-12-31, so the years
 * 2023, 2024 and 2025 are computed and all three are closed (R = Y-12-31). */
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

#define FIX(name) ZF_FIXTURE("rules/" name)

static zf_defs *defs;

static int load_defs(void **state)
{
    (void)state;
    zf_error err;
    zf_error_clear(&err);
    if (zf_defs_load(&defs, ZF_TEMPLATES, "yuyao", &err) != ZF_OK) {
        char buf[1600];
        fprintf(stderr, "cannot load the yuyao templates: %s\n", zf_error_format(&err, buf, sizeof buf));
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

/* ---- running a fixture ---------------------------------------------------- */

/* The whole computation on one data directory, as of y-m-d. */
static zf_run *run_fixture(const char *dir, int y, int m, int d)
{
    return zf_test_run(defs, dir, zf_days_from_civil(y, m, d));
}

static int year_index(int year)
{
    for (size_t i = 0; i < defs->plan.n_years; i++)
        if (defs->plan.years[i] == year)
            return (int)i;
    return -1;
}

static int indicator_index(int number)
{
    for (size_t i = 0; i < defs->plan.n_indicators; i++)
        if (defs->plan.indicators[i].number == number)
            return (int)i;
    return -1;
}

static int part_index(int ind, const char *part)
{
    const zf_indicator *in = &defs->plan.indicators[ind];
    if (!part || !*part)
        return 0;
    for (size_t k = 0; k < in->n_parts; k++)
        if (strcmp(in->parts[k].name, part) == 0)
            return (int)k;
    return -1;
}

static const zf_result *find_row(const zf_run *run, int number, const char *part, int year,
                                 const char *region)
{
    int ind = indicator_index(number), y = year_index(year);
    int k = ind < 0 ? -1 : part_index(ind, part);
    int reg = zf_region_find(&defs->regions, region, strlen(region));
    if (ind < 0 || y < 0 || k < 0 || reg < 0)
        return NULL;
    const zf_result *found = NULL;
    int n = 0;
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == (size_t)ind && r->part == (size_t)k && r->year == (size_t)y && r->region == reg) {
            found = r;
            n++;
        }
    }
    if (n > 1) {
        fprintf(stderr, "indicator %d %s %d %s: %d rows (expected one)\n", number, part, year, region, n);
        return NULL;
    }
    return found;
}

/* The results.csv texts of one row. */
typedef struct row_text {
    char num[64], den[64], value[96], target[64], status[32];
} row_text;

static void row_texts(const zf_result *r, row_text *t)
{
    snprintf(t->num, sizeof t->num, "%s", "");
    snprintf(t->den, sizeof t->den, "%s", "");
    if (r->has_num)
        zf_decimal_text(r->num, r->num_scale, t->num, sizeof t->num);
    if (r->has_den)
        zf_decimal_text(r->den, r->den_scale, t->den, sizeof t->den);
    zf_result_value_text(r, t->value, sizeof t->value);
    snprintf(t->target, sizeof t->target, "%s", r->target && r->target->cell ? r->target->cell : "");
    snprintf(t->status, sizeof t->status, "%s", zf_outcome_label(r->outcome));
}

/* (indicator, part, year, region) → numerator, denominator, value, target, status, as
 * results.csv writes them.  Prints every difference, returns whether the row matched. */
static bool row_is(const zf_run *run, int number, const char *part, int year, const char *region,
                   const char *num, const char *den, const char *value, const char *target,
                   const char *status)
{
    const zf_result *r = find_row(run, number, part, year, region);
    if (!r) {
        fprintf(stderr, "  no row for indicator %d part '%s' year %d region %s\n", number, part, year, region);
        return false;
    }
    row_text t;
    row_texts(r, &t);
    const char *want[5] = {num, den, value, target, status};
    const char *got[5] = {t.num, t.den, t.value, t.target, t.status};
    static const char *names[5] = {"numerator", "denominator", "value", "target", "status"};
    bool ok = true;
    for (int i = 0; i < 5; i++)
        if (strcmp(want[i], got[i]) != 0) {
            fprintf(stderr, "  indicator %d%s%s %d %s: %s is '%s', expected '%s'\n", number, *part ? " " : "",
                    part, year, region, names[i], got[i], want[i]);
            ok = false;
        }
    return ok;
}

#define ROW(run, number, part, year, region, num, den, value, target, status) \
    assert_true(row_is(run, number, part, year, region, num, den, value, target, status))

static bool provisional_is(const zf_run *run, int number, const char *part, int year, const char *region,
                           zf_outcome want)
{
    const zf_result *r = find_row(run, number, part, year, region);
    if (!r)
        return false;
    if (r->provisional != want) {
        fprintf(stderr, "  indicator %d %d %s: provisional '%s', expected '%s'\n", number, year, region,
                zf_outcome_label(r->provisional), zf_outcome_label(want));
        return false;
    }
    return true;
}

#define PROVISIONAL(run, number, part, year, region, want) \
    assert_true(provisional_is(run, number, part, year, region, want))

static zf_nodata_reason nodata_of(const zf_run *run, int number, int year)
{
    const zf_result *r = find_row(run, number, "", year, "余姚市");
    assert_non_null(r);
    return r->nodata;
}

/* Rows of an indicator and year: 1 for the city only, 22 with the 21 towns. */
static size_t rows_of(const zf_run *run, int number, int year)
{
    int ind = indicator_index(number), y = year_index(year);
    size_t n = 0;
    for (size_t i = 0; i < run->n_results; i++)
        if (run->results[i].indicator == (size_t)ind && run->results[i].year == (size_t)y &&
            run->results[i].part == 0)
            n++;
    return n;
}

static const zf_input_file *file_of(const zf_run *run, const char *stem)
{
    int s = zf_sources_find(&defs->sources, stem);
    for (size_t i = 0; s >= 0 && i < run->n_files; i++)
        if (run->files[i].source == (size_t)s)
            return &run->files[i];
    return NULL;
}

/* Every file of the fixture was read without a reject (a typo in a fixture would
 * otherwise silently drop the row the arithmetic counts on). */
static void assert_no_rejects(const zf_run *run)
{
    for (size_t i = 0; i < run->n_files; i++) {
        const zf_input_file *q = &run->files[i];
        if (strcmp(q->status, "missing") == 0)
            continue;
        if (q->rows_rejected || strcmp(q->status, "ok") != 0)
            fprintf(stderr, "  %s: status %s, %lld rejected (%s)\n", q->name, q->status,
                    (long long)q->rows_rejected, q->message ? q->message : "");
        assert_int_equal(q->rows_rejected, 0);
        assert_string_equal(q->status, "ok");
    }
}

/* A zero rate: zf_frac_sig writes 0 with sig − 1 = 9 decimals (0.000000000), while
 * 0.5 has 10 (0.5000000000); both are 10 significant-digit forms, so 0 is accepted as the
 * library writes it. */
#define ZERO "0.000000000"

#define CITY "余姚市"
#define FS "凤山街道"   /* region 1 */
#define LJ "兰江街道"   /* region 2 */
#define LZ "梨洲街道"   /* region 3: a town without records in every fixture */
#define LT "鹿亭乡"     /* region 21 */

/* ---- 1, 6: milestones ---------------------------------------------------- */

/* milestones.csv:
 *   1/2024 未实现 2024-06-30, then 实现 2024-12-20   → the later report corrects: 实现
 *   1/2025 实现 2025-03-01, then 未实现 2026-01-15   → the correction is after R: 实现
 *   1/2023 no row                                     → 无数据
 *   6/2023 达成 2023-12-31 (filed on R itself)        → 达成 达标
 *   6/2024 未达成                                     → 未达标
 *   6/2025 实现 (not the target's word 达成)          → 未达标 */
static void test_rule_01_06_milestones(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("milestones"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 1, "", 2023, CITY, "", "", "", "实现", "无数据");
    assert_int_equal(nodata_of(run, 1, 2023), ZF_NODATA_NO_REPORT);
    ROW(run, 1, "", 2024, CITY, "", "", "实现", "实现", "达标");
    ROW(run, 1, "", 2025, CITY, "", "", "实现", "实现", "达标");
    ROW(run, 6, "", 2023, CITY, "", "", "达成", "达成", "达标");
    ROW(run, 6, "", 2024, CITY, "", "", "未达成", "达成", "未达标");
    ROW(run, 6, "", 2025, CITY, "", "", "实现", "达成", "未达标");
    assert_int_equal(rows_of(run, 1, 2025), 1);   /* milestones have no towns */
    zf_run_free(run);
}

/* As of 2025-01-15 (R of 2025 = 2025-01-15): the 2024 report of 2024-12-20 is still the
 * latest for 2024; 2025 has no report yet (03-01 is after R) → 无数据, even in progress.
 * As of 2025-06-30: 2025 = 实现 (03-01), the year is open → 进行中, provisional 达标. */
static void test_rule_01_milestone_in_progress(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("milestones"), 2025, 1, 15);
    ROW(run, 1, "", 2024, CITY, "", "", "实现", "实现", "达标");
    ROW(run, 1, "", 2025, CITY, "", "", "", "实现", "无数据");
    zf_run_free(run);
    run = run_fixture(FIX("milestones"), 2025, 6, 30);
    ROW(run, 1, "", 2025, CITY, "", "", "实现", "实现", "进行中");
    PROVISIONAL(run, 1, "", 2025, CITY, ZF_OUTCOME_MET);
    ROW(run, 6, "", 2025, CITY, "", "", "实现", "达成", "进行中");
    PROVISIONAL(run, 6, "", 2025, CITY, ZF_OUTCOME_NOT_MET);
    zf_run_free(run);
}

/* A latest rule whose date column is declared a reporting date counts what was filed by
 * the as-of date, not by R.  Yuyao keeps 填报日期 of milestones an event date (the spec
 * reads it "on or before R"), so the test declares it for the run and puts it back:
 *   1/2025 实现 2025-03-01, corrected to 未实现 on 2026-01-15 (after R = 2025-12-31)
 *   as of 2026-06-30: event date → 实现 (as before); reporting date → 未实现, the correction
 *   as of 2026-01-10: reporting date → 实现, the correction not filed yet */
static zf_column *milestone_date(void)
{
    zf_source *src = &defs->sources.sources[zf_sources_find(&defs->sources, "milestones")];
    return &src->columns[zf_source_column(src, "填报日期")];
}

/* the shared definitions get their event date back even when the test fails */
static int event_date_again(void **state)
{
    (void)state;
    milestone_date()->reporting_date = false;
    return 0;
}

static void test_rule_latest_by_reporting_date(void **state)
{
    (void)state;
    zf_column *col = milestone_date();
    assert_false(col->reporting_date);
    zf_run *run = run_fixture(FIX("milestones"), 2026, 6, 30);
    ROW(run, 1, "", 2025, CITY, "", "", "实现", "实现", "达标");
    zf_run_free(run);
    col->reporting_date = true;
    run = run_fixture(FIX("milestones"), 2026, 6, 30);
    ROW(run, 1, "", 2025, CITY, "", "", "未实现", "实现", "未达标");
    zf_run_free(run);
    run = run_fixture(FIX("milestones"), 2026, 1, 10);
    ROW(run, 1, "", 2025, CITY, "", "", "实现", "实现", "达标");
    zf_run_free(run);
}

/* ---- 2: joint service items (count, targets 16 17 18 >18 >18) -------------- */

/* joint_service_items.csv, as of 2027-12-31 (all five years closed):
 *   J01–J15 online 2023-03-01; J16 online 2023-12-31 (= R of 2023: counts)
 *   J17 2025-01-01, stopped 2026-12-31;  J18 2025-01-01;  J19 2026-02-01
 *   J20 2027-01-01, stopped 2027-12-31;  J21 online and stopped 2024-12-31
 *   J22 2027-06-01;  J23 2028-01-01 (after every R)
 * 2023: J01–J16 = 16                         ≥ 16  达标
 * 2024: 16 (J21 stopped on R: not active)    ≥ 17  未达标
 * 2025: 16 + J17 + J18 = 18                  ≥ 18  达标
 * 2026: 16 + J18 + J19 = 18 (J17 stops on R) > 18  未达标  (18 is not > 18)
 * 2027: 16 + J18 + J19 + J22 = 19 (J20 stops on R, J23 after R) > 18 达标 */
static void test_rule_02_count_targets(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("joint_items"), 2027, 12, 31);
    assert_no_rejects(run);
    ROW(run, 2, "", 2023, CITY, "", "", "16", "16", "达标");
    ROW(run, 2, "", 2024, CITY, "", "", "16", "17", "未达标");
    ROW(run, 2, "", 2025, CITY, "", "", "18", "18", "达标");
    ROW(run, 2, "", 2026, CITY, "", "", "18", ">18", "未达标");
    ROW(run, 2, "", 2027, CITY, "", "", "19", ">18", "达标");
    assert_int_equal(rows_of(run, 2, 2027), 1);
    zf_run_free(run);
}

/* As of 2026-06-30: R(2026) = 2026-06-30, J17 (stops 2026-12-31 > R) is still active:
 * 16 + J17 + J18 + J19 = 19, 进行中.  Pro rata: elapsed 181 of 365 days, due
 * 18 × 181/365 = 8.93; 19 > 8.93 → provisional 达标.  J23 (2028-01-01) is after the
 * as-of year + 1 = 2027 and is rejected as date_out_of_range. */
static void test_rule_02_in_progress(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("joint_items"), 2026, 6, 30);
    ROW(run, 2, "", 2025, CITY, "", "", "18", "18", "达标");
    ROW(run, 2, "", 2026, CITY, "", "", "19", ">18", "进行中");
    PROVISIONAL(run, 2, "", 2026, CITY, ZF_OUTCOME_MET);
    const zf_input_file *q = file_of(run, "joint_service_items");
    assert_non_null(q);
    assert_int_equal(q->rows_read, 23);
    assert_int_equal(q->rows_rejected, 1);
    assert_int_equal(q->reasons[ZF_REASON_DATE_OUT_OF_RANGE], 1);
    zf_run_free(run);
}

/* ---- 3, 4: verification requests ------------------------------------------ */

/* verification_requests.csv:
 *   个人所得税: V1 2025-01-10 fb 01-20 (num) | V2 2025-03-01 no feedback |
 *               V3 2025-12-20 fb 2026-01-05 (after R: not num) |
 *               V4 2024-12-31 fb 2025-01-02 (2024 request, feedback after R(2024)) |
 *               V5 2026-01-02 (after R: not in any year)
 *   银行存款:   V6 2025-02-01 fb 02-03 | V7 2025-05-05 fb 2025-12-31 (= R: counts)
 * 3/2025: 1/3 = 0.3333333333 未达标;  3/2024: 0/1 = 0 未达标;  3/2023: 0/0 无数据
 * 4/2025: 2/2 = 1 达标;  4/2024, 4/2023: 0/0 无数据 */
static void test_rule_03_04_verification(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("verification"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 3, "", 2025, CITY, "1", "3", "0.3333333333", "100%", "未达标");
    ROW(run, 3, "", 2024, CITY, "0", "1", ZERO, "100%", "未达标");
    ROW(run, 3, "", 2023, CITY, "0", "0", "", "100%", "无数据");
    assert_int_equal(nodata_of(run, 3, 2023), ZF_NODATA_ZERO_DENOMINATOR);
    ROW(run, 4, "", 2025, CITY, "2", "2", "1.000000000", "100%", "达标");
    ROW(run, 4, "", 2024, CITY, "0", "0", "", "100%", "无数据");
    assert_int_equal(rows_of(run, 3, 2025), 1);   /* no 乡镇街道 column: no towns */
    zf_run_free(run);
}

/* ---- 5, 18: standards, and the policy linkage rules ------------------------ */

/* assistance_standards.csv (月标准, 执行日期):
 *   最低生活保障 1225.00 2023-01-01 | 1280.00 2024-07-01 | 1340.00 2025-01-01 | 1400.00 2026-01-01
 *   特困供养     2082.50 2023-01-01 | 2176.00 2024-07-01 | 2270.00 2025-01-01
 *   低保边缘     2450.00 2023-01-01 | 2680.00 2025-01-01
 *   困难退役军人生活援助 1347.50 2023-01-01 | 1408.00 2024-07-01
 * 5:  2023 1225×12 = 14700.00 ≥ 14700 达标 (equal);  2024 1280×12 = 15360.00 < 15400 未达标;
 *     2025 1340×12 = 16080.00 ≥ 16000 达标 (the 2026-01-01 row is after R)
 * 18: 2023 1347.50×12 = 16170.00 ≥ 16170 达标;  2024 1408×12 = 16896.00 < 16940 未达标;
 *     2025 still 16896.00 < 17600 未达标 */
static void test_rule_05_18_standards(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("standards"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 5, "", 2023, CITY, "", "", "14700.00", "14700", "达标");
    ROW(run, 5, "", 2024, CITY, "", "", "15360.00", "15400", "未达标");
    ROW(run, 5, "", 2025, CITY, "", "", "16080.00", "16000", "达标");
    ROW(run, 18, "", 2023, CITY, "", "", "16170.00", "16170", "达标");
    ROW(run, 18, "", 2024, CITY, "", "", "16896.00", "16940", "未达标");
    ROW(run, 18, "", 2025, CITY, "", "", "16896.00", "17600", "未达标");
    zf_run_free(run);
}

/* As of 2025-06-30 the 2026-01-01 row is accepted (2026 ≤ as-of year + 1) but after R.
 * 2025 is open: 5 = 16080.00 ≥ 16000 → 进行中, provisional 达标; 18 = 16896.00 < 17600 →
 * provisional 未达标 (amounts are judged against the target itself, not pro rata). */
static void test_rule_05_in_progress(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("standards"), 2025, 6, 30);
    ROW(run, 5, "", 2025, CITY, "", "", "16080.00", "16000", "进行中");
    PROVISIONAL(run, 5, "", 2025, CITY, ZF_OUTCOME_MET);
    ROW(run, 18, "", 2025, CITY, "", "", "16896.00", "17600", "进行中");
    PROVISIONAL(run, 18, "", 2025, CITY, ZF_OUTCOME_NOT_MET);
    zf_run_free(run);
}

static const zf_policy_result *policy(const zf_run *run, const char *id, int year)
{
    int y = year_index(year);
    for (size_t i = 0; i < run->n_policies; i++) {
        const zf_policy_result *p = &run->policies[i];
        if (p->year == (size_t)y && strcmp(defs->plan.policies[p->rule].id, id) == 0)
            return p;
    }
    return NULL;
}

/* verdict, and the two compared values as 2-decimal texts ("" when absent) */
static bool policy_is(const zf_run *run, const char *id, int year, zf_policy_verdict verdict,
                      const char *a, const char *b)
{
    const zf_policy_result *p = policy(run, id, year);
    if (!p) {
        fprintf(stderr, "  no policy result %s %d\n", id, year);
        return false;
    }
    char ta[64] = "", tb[64] = "";
    if (p->has_a)
        zf_frac_fixed(p->a, 2, ta, sizeof ta);
    if (p->has_b)
        zf_frac_fixed(p->b, 2, tb, sizeof tb);
    static const char *v[] = {"PASS", "FAIL", "NO_DATA"};
    bool ok = p->verdict == verdict && strcmp(ta, a) == 0 && strcmp(tb, b) == 0;
    if (!ok)
        fprintf(stderr, "  policy %s %d: %s a=%s b=%s, expected %s a=%s b=%s\n", id, year, v[p->verdict], ta,
                tb, v[verdict], a, b);
    return ok;
}

#define POLICY(run, id, year, verdict, a, b) assert_true(policy_is(run, id, year, verdict, a, b))

/* Same fixture.  Annual standards (× 12) in effect at R:
 *            低保       特困       低保边缘   退役军人
 *   2023   14700.00  24990.00  29400.00  16170.00
 *   2024   15360.00  26112.00  29400.00  16896.00
 *   2025   16080.00  27240.00  32160.00  16896.00
 * tekun_1_7 (特困 = 1.7 × 低保): 2023 1.7×14700 = 24990 PASS; 2024 1.7×15360 = 26112 PASS;
 *   2025 1.7×16080 = 27336 ≠ 27240 FAIL
 * tekun_1_3 (特困 ≥ 1.3 × 低保): 2025 1.3×16080 = 20904 ≤ 27240 PASS
 * dibao_edge_2 (低保边缘 = 2 × 低保): 2023 29400 = 29400 PASS; 2024 29400 ≠ 30720 FAIL;
 *   2025 32160 = 32160 PASS
 * veterans_1_1 (18 = 1.1 × 5): 2023 1.1×14700 = 16170 PASS; 2024 1.1×15360 = 16896 PASS;
 *   2025 1.1×16080 = 17688 ≠ 16896 FAIL
 * dibao_not_lower (5 of Y ≥ 5 of Y−1): 2023 no 2022 → NO_DATA; 2024 15360 ≥ 14700 PASS;
 *   2025 16080 ≥ 15360 PASS */
static void test_policies(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("standards"), 2025, 12, 31);
    assert_int_equal(run->n_policies, 5 * 3);
    POLICY(run, "tekun_1_7", 2023, ZF_POLICY_PASS, "24990.00", "24990.00");
    POLICY(run, "tekun_1_7", 2024, ZF_POLICY_PASS, "26112.00", "26112.00");
    POLICY(run, "tekun_1_7", 2025, ZF_POLICY_FAIL, "27240.00", "27336.00");
    POLICY(run, "tekun_1_3", 2025, ZF_POLICY_PASS, "27240.00", "20904.00");
    POLICY(run, "dibao_edge_2", 2023, ZF_POLICY_PASS, "29400.00", "29400.00");
    POLICY(run, "dibao_edge_2", 2024, ZF_POLICY_FAIL, "29400.00", "30720.00");
    POLICY(run, "dibao_edge_2", 2025, ZF_POLICY_PASS, "32160.00", "32160.00");
    POLICY(run, "veterans_1_1", 2023, ZF_POLICY_PASS, "16170.00", "16170.00");
    POLICY(run, "veterans_1_1", 2024, ZF_POLICY_PASS, "16896.00", "16896.00");
    POLICY(run, "veterans_1_1", 2025, ZF_POLICY_FAIL, "16896.00", "17688.00");
    POLICY(run, "dibao_not_lower", 2023, ZF_POLICY_NO_DATA, "14700.00", "");
    POLICY(run, "dibao_not_lower", 2024, ZF_POLICY_PASS, "15360.00", "14700.00");
    POLICY(run, "dibao_not_lower", 2025, ZF_POLICY_PASS, "16080.00", "15360.00");
    zf_run_free(run);
}

/* standards_lowered/assistance_standards.csv:
 *   最低生活保障 1200.00 2022-07-01 | 1300.00 2023-12-31 | 1250.00 2024-01-01
 *   困难退役军人生活援助 1430.00 2024-01-01;  no 特困供养, no 低保边缘
 * 5: 2023 1300×12 = 15600.00 (the 2023-12-31 row is in effect on R) ≥ 14700 达标;
 *    2024 1250×12 = 15000.00 < 15400 未达标;  2025 15000.00 < 16000 未达标
 * 18: 2023 no row on or before R → 无数据;  2024 1430×12 = 17160.00 ≥ 16940 达标
 * dibao_not_lower: 2024 15000 < 15600 FAIL; 2025 15000 ≥ 15000 PASS (equal is not lower)
 * veterans_1_1: 2023 NO_DATA (18 missing; b = 1.1×15600 = 17160.00); 2024 1.1×15000 = 16500 ≠ 17160 FAIL
 * tekun_1_7, dibao_edge_2: the 特困 / 低保边缘 standard is missing → NO_DATA */
static void test_policies_lowered_and_missing(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("standards_lowered"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 5, "", 2023, CITY, "", "", "15600.00", "14700", "达标");
    ROW(run, 5, "", 2024, CITY, "", "", "15000.00", "15400", "未达标");
    ROW(run, 18, "", 2023, CITY, "", "", "", "16170", "无数据");
    assert_int_equal(nodata_of(run, 18, 2023), ZF_NODATA_NO_REPORT);
    ROW(run, 18, "", 2024, CITY, "", "", "17160.00", "16940", "达标");
    POLICY(run, "dibao_not_lower", 2024, ZF_POLICY_FAIL, "15000.00", "15600.00");
    POLICY(run, "dibao_not_lower", 2025, ZF_POLICY_PASS, "15000.00", "15000.00");
    POLICY(run, "veterans_1_1", 2023, ZF_POLICY_NO_DATA, "", "17160.00");
    POLICY(run, "veterans_1_1", 2024, ZF_POLICY_FAIL, "17160.00", "16500.00");
    POLICY(run, "tekun_1_7", 2024, ZF_POLICY_NO_DATA, "", "25500.00");
    POLICY(run, "dibao_edge_2", 2025, ZF_POLICY_NO_DATA, "", "30000.00");
    zf_run_free(run);
}

/* ---- 7: care visits over the household register ---------------------------- */

/* relief_households.csv (纳入, 退出):
 *   H01 凤山 2023-05-01 –          H02 凤山 2024-01-01 – 2025-12-31 (exit = R(2025))
 *   H03 兰江 2025-03-01 – 2026-02-01  H04 兰江 2026-01-10 – (after R)
 *   H05 凤山 2022-01-01 – 2024-06-30
 * active at R: 2023 {H01, H05};  2024 {H01, H02};  2025 {H01 (凤山), H03 (兰江)}
 * care_visits.csv:
 *   C01 H01 探访 2025-02-01 | C02 H01 幸福 2025-02-01 | C03 H03 探访 2025-12-31 (= R) |
 *   C04 H03 幸福 2026-01-01 (after R) | C05 H99 探访 (not in the register: orphan) |
 *   C06 H02 探访 2024-08-01 | C07 H05 探访 2024-03-01 (H05 not active at R(2024)) |
 *   C08 H01 探访 2023-09-09 | C09 H05 幸福 2023-10-10 | C10 H01 探访 2025-06-01 (2nd visit)
 * 探访关爱率: 2025 {H01, H03} 2/2 = 1 达标 (凤山 1/1, 兰江 1/1);  2024 {H02} 1/2 = 0.5;
 *             2023 {H01} 1/2 = 0.5
 * 幸福清单送达率: 2025 {H01} 1/2 = 0.5 (凤山 1/1 达标, 兰江 0/1 = 0 未达标);
 *             2024 0/2 = 0;  2023 {H05} 1/2 = 0.5
 * 梨洲街道 has no household: 0/0, empty value, 无数据.  One orphan (C05), counted nowhere. */
static void test_rule_07_care_visits(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("care"), 2025, 12, 31);
    assert_no_rejects(run);
    const char *V = "探访关爱率", *H = "幸福清单送达率";
    /* both parts must be met, and each part row carries the indicator's verdict: the city
       and 兰江 meet 探访关爱率 but miss 幸福清单送达率, so both of their rows are 未达标 */
    ROW(run, 7, V, 2025, CITY, "2", "2", "1.000000000", "100%", "未达标");
    ROW(run, 7, V, 2025, FS, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 7, V, 2025, LJ, "1", "1", "1.000000000", "100%", "未达标");
    ROW(run, 7, V, 2025, LZ, "0", "0", "", "100%", "无数据");
    ROW(run, 7, V, 2024, CITY, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 7, V, 2024, FS, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 7, V, 2024, LJ, "0", "0", "", "100%", "无数据");
    ROW(run, 7, V, 2023, CITY, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 7, H, 2025, CITY, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 7, H, 2025, FS, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 7, H, 2025, LJ, "0", "1", ZERO, "100%", "未达标");
    ROW(run, 7, H, 2024, CITY, "0", "2", ZERO, "100%", "未达标");
    ROW(run, 7, H, 2023, CITY, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 7, H, 2023, FS, "1", "2", "0.5000000000", "100%", "未达标");
    /* the orphan visit is reported, on its file */
    assert_int_equal(run->orphans_total, 1);
    const zf_input_file *q = file_of(run, "care_visits");
    assert_non_null(q);
    assert_int_equal(q->orphans, 1);
    assert_int_equal(q->rows_accepted, 10);
    const zf_input_file *h = file_of(run, "relief_households");
    assert_non_null(h);
    assert_int_equal(h->orphans, 0);
    /* 22 rows per part and year: the city and every one of the 21 towns */
    assert_int_equal(rows_of(run, 7, 2025), 22);
    zf_run_free(run);
}

/* Exists joins whose registers are the same source but not the same population
 * (tests/fixtures/join: the plan of test 7 with a third part).  The engine shares one
 * register between parts with the same population (探访, 送达) and keeps another for 低保送达,
 * whose population is only the 低保 households (H01, H03): were its register shared with
 * the others, H05 (支出型困难) would count in 2023 and its 幸福 visit C09 with it.
 * 低保送达 on the care fixture:
 *   2025 pop {H01 凤山, H03 兰江}, 幸福 C02 H01 → 1/2 = 0.5 (凤山 1/1, 兰江 0/1)
 *   2024 pop {H01}, no 幸福 of H01 in 2024 → 0/1;  2023 pop {H01} (not H05) → 0/1
 * 探访 and 送达 are 探访关爱率 and 幸福清单送达率 of test 7. */
static void test_rule_07_joins_with_two_populations(void **state)
{
    (void)state;   /* last in the list: a failed assertion leaves defs set to the join plan */
    zf_defs *yuyao = defs;
    zf_error err;
    zf_error_clear(&err);
    assert_int_equal(zf_defs_load(&defs, ZF_FIXTURE("join/templates"), "join", &err), ZF_OK);
    zf_run *run = run_fixture(FIX("care"), 2025, 12, 31);
    assert_no_rejects(run);
    const char *V = "探访", *D = "低保送达", *H = "送达";
    ROW(run, 7, D, 2025, CITY, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 7, D, 2025, FS, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 7, D, 2025, LJ, "0", "1", ZERO, "100%", "未达标");
    ROW(run, 7, D, 2024, CITY, "0", "1", ZERO, "100%", "未达标");
    ROW(run, 7, D, 2023, CITY, "0", "1", ZERO, "100%", "未达标");
    ROW(run, 7, V, 2025, CITY, "2", "2", "1.000000000", "100%", "未达标");
    ROW(run, 7, V, 2024, CITY, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 7, V, 2023, CITY, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 7, H, 2025, CITY, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 7, H, 2025, LJ, "0", "1", ZERO, "100%", "未达标");
    ROW(run, 7, H, 2024, CITY, "0", "2", ZERO, "100%", "未达标");
    ROW(run, 7, H, 2023, CITY, "1", "2", "0.5000000000", "100%", "未达标");
    assert_int_equal(run->orphans_total, 1);
    zf_run_free(run);
    zf_defs_free(defs);
    defs = yuyao;
}

/* ---- 8: employment help --------------------------------------------------- */

/* employment_assistance.csv (年度, 意愿, 能力, 帮扶日期):
 *   P1 凤山 2025 是 是 2025-04-01 (num) | P2 凤山 2025 是 是 – | P3 兰江 2025 是 否 (out) |
 *   P4 兰江 2025 Y 1 2026-01-10 (yes/yes in other words; helped after R) |
 *   P5 兰江 2025 是 是 2025-12-31 (= R: num) | P1 凤山 2024 是 是 2024-02-02
 * 2025: den P1 P2 P4 P5 = 4, num P1 P5 = 2 → 0.5 未达标; 凤山 1/2; 兰江 1/2 (P4, P5)
 * 2024: 1/1 = 1 达标 (凤山 1/1, 兰江 0/0 无数据);  2023: 0/0 无数据 */
static void test_rule_08_employment(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("employment"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 8, "", 2025, CITY, "2", "4", "0.5000000000", "100%", "未达标");
    ROW(run, 8, "", 2025, FS, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 8, "", 2025, LJ, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 8, "", 2024, CITY, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 8, "", 2024, LJ, "0", "0", "", "100%", "无数据");
    ROW(run, 8, "", 2023, CITY, "0", "0", "", "100%", "无数据");
    zf_run_free(run);
}

/* ---- 9, 10: medical settlements ------------------------------------------- */

/* medical_settlements.csv (类别, 就诊, 日期, 总费用, 政策内, 基本, 大病, 救助):
 *   M1 凤山 低保 住院 2025-03-01 10000 8000 5000 1000 1500
 *   M2 凤山 特困 门诊慢特病 2025-04-01 2000 1800 1200 0 400
 *   M3 兰江 低保边缘 普通门诊 2025-05-01 500 400 300 0 50
 *   M4 兰江 其他 住院 2025-06-01 9000 8000 6000 500 0      (其他: not in 9 or 10)
 *   M5 兰江 特困 住院 2026-01-02 …                          (after R)
 *   M6 兰江 低保 普通门诊 2025-07-01 300 300 200 0 50      (9 only: 普通门诊)
 *   M7 凤山 低保 住院 2024-12-31 1000 1000 600 100 300
 * 9/2025: num = 7500 + 1600 + 350 + 250 = 9700.00, den = 10000 + 2000 + 500 + 300 = 12800.00
 *         → 9700/12800 = 0.7578125 < 85% 未达标
 *         凤山 (M1 M2) 9100.00/12000.00 = 0.758333… → 0.7583333333;  兰江 (M3 M6) 600.00/800.00 = 0.75
 * 10/2025: M1 M2 only: num 1500 + 400 = 1900.00; den (8000−5000−1000) + (1800−1200−0) = 2600.00
 *         → 0.730769230769… → 0.7307692308 ≥ 70% 达标;  兰江 has no 低保/特困 慢特病/住院 row: 无数据
 * 9/2024 (M7, on R): 1000.00/1000.00 = 1 达标;  10/2024: 300.00/(1000−600−100 = 300.00) = 1 达标
 * 9/2023: 0.00/0.00 无数据 */
static void test_rule_09_10_medical(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("medical"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 9, "", 2025, CITY, "9700.00", "12800.00", "0.7578125000", "85%", "未达标");
    ROW(run, 9, "", 2025, FS, "9100.00", "12000.00", "0.7583333333", "85%", "未达标");
    ROW(run, 9, "", 2025, LJ, "600.00", "800.00", "0.7500000000", "85%", "未达标");
    ROW(run, 9, "", 2025, LZ, "0.00", "0.00", "", "85%", "无数据");
    ROW(run, 9, "", 2024, CITY, "1000.00", "1000.00", "1.000000000", "83%", "达标");
    ROW(run, 9, "", 2023, CITY, "0.00", "0.00", "", "82%", "无数据");
    ROW(run, 10, "", 2025, CITY, "1900.00", "2600.00", "0.7307692308", "70%", "达标");
    ROW(run, 10, "", 2025, FS, "1900.00", "2600.00", "0.7307692308", "70%", "达标");
    ROW(run, 10, "", 2025, LJ, "0.00", "0.00", "", "70%", "无数据");
    ROW(run, 10, "", 2024, CITY, "300.00", "300.00", "1.000000000", "68%", "达标");
    zf_run_free(run);
}

/* ---- 11: emergency aid applications ---------------------------------------- */

/* E1 2025 全流程网上 | E2 部分网上 | E3 线下 | E4 全流程网上 | E5 2025-12-31 全流程网上 |
 * E6 2026-01-01 (after R) | E7 2024 全流程网上 | E8 2024 线下 | E9 2023 线下
 * 2025: 3/5 = 0.6 < 80% 未达标;  2024: 1/2 = 0.5 ≥ 40% 达标;  2023: 0/1 = 0 < 10% 未达标 */
static void test_rule_11_emergency_aid(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("emergency"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 11, "", 2025, CITY, "3", "5", "0.6000000000", "80%", "未达标");
    ROW(run, 11, "", 2024, CITY, "1", "2", "0.5000000000", "40%", "达标");
    ROW(run, 11, "", 2023, CITY, "0", "1", ZERO, "10%", "未达标");
    zf_run_free(run);
}

/* ---- 12: student aid ------------------------------------------------------- */

/* S1 凤山 2025 是 1000.00 | S2 凤山 2025 是 0.00 | S3 兰江 2025 否 500.00 (out) |
 * S4 兰江 2025 是 0.01 | S1 凤山 2024 是 800.00
 * 2025: 2/3 = 0.6666666667 未达标; 凤山 1/2 = 0.5; 兰江 1/1 = 1 达标;  2024: 1/1 达标 */
static void test_rule_12_student_aid(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("student"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 12, "", 2025, CITY, "2", "3", "0.6666666667", "100%", "未达标");
    ROW(run, 12, "", 2025, FS, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 12, "", 2025, LJ, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 12, "", 2024, CITY, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 12, "", 2023, CITY, "0", "0", "", "100%", "无数据");
    zf_run_free(run);
}

/* ---- 13: housing applications ---------------------------------------------- */

/* A1 凤山 低保 符合 保障 2025-03-01 (num) | A2 凤山 低保边缘 符合 – | A3 兰江 低收入 符合
 * 保障 2026-01-15 (after R) | A4 兰江 其他 (out) | A5 审核中 (out) | A6 不符合 (out) |
 * A7 兰江 低收入 符合 保障 2025-12-31 (= R: num)
 * 2025: 2/4 = 0.5 未达标; 凤山 1/2; 兰江 1/2 (A3, A7) */
static void test_rule_13_housing(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("housing"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 13, "", 2025, CITY, "2", "4", "0.5000000000", "100%", "未达标");
    ROW(run, 13, "", 2025, FS, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 13, "", 2025, LJ, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 13, "", 2024, CITY, "0", "0", "", "100%", "无数据");
    zf_run_free(run);
}

/* ---- 14: dilapidated houses ------------------------------------------------ */

/* D1 凤山 认定 2025-01-01 改造 2025-06-01 | D2 凤山 2025-02-01 – | D3 兰江 2024-11-01
 * 改造 2025-01-01 | D4 兰江 2025-12-31 改造 2025-12-31
 * 2025: {D1, D2, D4} 2/3 = 0.6666666667 未达标; 凤山 1/2; 兰江 1/1 达标
 * 2024: {D3} renovated after R(2024): 0/1 = 0 未达标 (兰江 0/1, 凤山 0/0 无数据) */
static void test_rule_14_dilapidated(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("dilapidated"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 14, "", 2025, CITY, "2", "3", "0.6666666667", "100%", "未达标");
    ROW(run, 14, "", 2025, FS, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 14, "", 2025, LJ, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 14, "", 2024, CITY, "0", "1", ZERO, "100%", "未达标");
    ROW(run, 14, "", 2024, LJ, "0", "1", ZERO, "100%", "未达标");
    ROW(run, 14, "", 2024, FS, "0", "0", "", "100%", "无数据");
    zf_run_free(run);
}

/* ---- 15: disaster losses over GDP ------------------------------------------ */

/* disaster_losses.csv (万元): L1 2025-08-01 90000.00 | L2 2025-09-01 44999.99 |
 *   L3 2024-07-01 135000.00 | L4 2023-01-20 100.00 | L5 2026-01-02 999.00 (after R)
 * gdp.csv (亿元): 2024 1500.00, 2025 1500.00; no 2023 → ×10000 = 15000000.00 万元
 * 2025: 134999.99 / 15000000.00 = 0.0089999993333… → 0.008999999333 < 0.9% 达标
 * 2024: 135000.00 / 15000000.00 = 0.009 exactly = 0.9%: not < 0.9% → 未达标
 * 2023: GDP missing → 无数据, but the loss sum 100.00 is still the numerator */
static void test_rule_15_disaster_gdp(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("disaster"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 15, "", 2025, CITY, "134999.99", "15000000.00", "0.008999999333", "﹤0.9%", "达标");
    ROW(run, 15, "", 2024, CITY, "135000.00", "15000000.00", "0.009000000000", "﹤0.9%", "未达标");
    ROW(run, 15, "", 2023, CITY, "100.00", "", "", "﹤0.9%", "无数据");
    assert_int_equal(nodata_of(run, 15, 2023), ZF_NODATA_NO_REPORT);
    zf_run_free(run);
}

/* The gdp source is missing altogether: every year 无数据, loss sums still shown. */
static void test_rule_15_gdp_source_missing(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("disaster_nogdp"), 2025, 12, 31);
    ROW(run, 15, "", 2025, CITY, "134999.99", "", "", "﹤0.9%", "无数据");
    ROW(run, 15, "", 2024, CITY, "135000.00", "", "", "﹤0.9%", "无数据");
    assert_int_equal(nodata_of(run, 15, 2025), ZF_NODATA_SOURCE_MISSING);
    assert_true(run->incomplete);
    zf_run_free(run);
}

/* Mid-year (R = 2026-06-30) the 2026 GDP is not published: an annual figure not yet due,
 * which must not make the run incomplete; a missing gdp file is missing input whatever the
 * year (issue 16, finding 2). */
static void test_rule_15_open_year_not_due(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("disaster"), 2026, 6, 30);
    assert_int_equal(nodata_of(run, 15, 2026), ZF_NODATA_NOT_DUE);
    assert_int_equal(nodata_of(run, 15, 2023), ZF_NODATA_NO_REPORT);   /* a closed year: missing */
    zf_run_free(run);
    run = run_fixture(FIX("disaster_nogdp"), 2026, 6, 30);
    assert_int_equal(nodata_of(run, 15, 2026), ZF_NODATA_SOURCE_MISSING);
    zf_run_free(run);
}

/* ---- 16: shelters ---------------------------------------------------------- */

/* shelters.csv (建成, 验收, 撤销):
 *   SH1 凤山 2020-01-01 2023-05-01 – | SH2 凤山 2022-01-01 – – |
 *   SH3 兰江 2023-06-01 2025-12-31 – | SH4 兰江 2021-01-01 2022-01-01 2025-12-31 (撤销 = R(2025)) |
 *   SH5 兰江 2026-01-01 (after R)
 * 2023: active {SH1..SH4}, accepted {SH1, SH4} → 2/4 = 0.5 < 74% 未达标
 *       凤山 {SH1, SH2} 1/2;  兰江 {SH3, SH4} 1/2
 * 2024: same 2/4 = 0.5 < 82% 未达标
 * 2025: active {SH1, SH2, SH3}, accepted {SH1, SH3 (on R)} → 2/3 = 0.6666666667 < 90% 未达标
 *       凤山 1/2 = 0.5;  兰江 {SH3} 1/1 = 1 达标 */
static void test_rule_16_shelters(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("shelters"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 16, "", 2023, CITY, "2", "4", "0.5000000000", "74%", "未达标");
    ROW(run, 16, "", 2023, FS, "1", "2", "0.5000000000", "74%", "未达标");
    ROW(run, 16, "", 2023, LJ, "1", "2", "0.5000000000", "74%", "未达标");
    ROW(run, 16, "", 2024, CITY, "2", "4", "0.5000000000", "82%", "未达标");
    ROW(run, 16, "", 2025, CITY, "2", "3", "0.6666666667", "90%", "未达标");
    ROW(run, 16, "", 2025, FS, "1", "2", "0.5000000000", "90%", "未达标");
    ROW(run, 16, "", 2025, LJ, "1", "1", "1.000000000", "90%", "达标");
    ROW(run, 16, "", 2025, LZ, "0", "0", "", "90%", "无数据");
    zf_run_free(run);
}

/* ---- 17: growth of per-capita income --------------------------------------- */

/* low_income_farmers.csv (年度, 人口, 收入):
 *   F1 凤山: 2023 2 20000 | 2024 2 22000 | 2025 2 26000
 *   F2 兰江: 2023 3 40000 | 2024 2 30000 | 2025 3 48000
 *   F3 梨洲:                2024 1 10000 | 2025 1  9000
 * city pc: 2023 60000/5 = 12000;  2024 62000/5 = 12400;  2025 83000/6 = 13833.33…
 * 2023: no 2022 rows → 无数据
 * 2024: 12400/12000 − 1 = 1/30 = 0.0333… → 0.03333333333 < 10% 未达标
 * 2025: (83000/6)/(62000/5) − 1 = 415000/372000 − 1 = 43/372 = 0.115591397849… → 0.1155913978 达标
 * 凤山: 2024 11000/10000 − 1 = 0.1 ≥ 10% 达标 (equal);  2025 13000/11000 − 1 = 2/11 → 0.1818181818
 * 兰江: 2024 15000/(40000/3) − 1 = 0.125;  2025 16000/15000 − 1 = 1/15 → 0.06666666667 未达标
 * 梨洲: 2024 no 2023 row → 无数据;  2025 9000/10000 − 1 = −0.1 未达标
 * numerator and denominator are empty for growth. */
static void test_rule_17_growth(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("farmers"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 17, "", 2023, CITY, "", "", "", "12%", "无数据");
    ROW(run, 17, "", 2024, CITY, "", "", "0.03333333333", "10%", "未达标");
    ROW(run, 17, "", 2025, CITY, "", "", "0.1155913978", "10%", "达标");
    ROW(run, 17, "", 2024, FS, "", "", "0.1000000000", "10%", "达标");
    ROW(run, 17, "", 2025, FS, "", "", "0.1818181818", "10%", "达标");
    ROW(run, 17, "", 2024, LJ, "", "", "0.1250000000", "10%", "达标");
    ROW(run, 17, "", 2025, LJ, "", "", "0.06666666667", "10%", "未达标");
    ROW(run, 17, "", 2024, LZ, "", "", "", "10%", "无数据");
    ROW(run, 17, "", 2025, LZ, "", "", "-0.1000000000", "10%", "未达标");
    ROW(run, 17, "", 2025, LT, "", "", "", "10%", "无数据");
    zf_run_free(run);
}

/* The farmers' 2026 income is reported after the year: 无数据 mid-year is not due; 2023
 * (no 2022 rows to grow from, a closed year) stays a gap in the input. */
static void test_rule_17_open_year_not_due(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("farmers"), 2026, 6, 30);
    ROW(run, 17, "", 2026, CITY, "", "", "", "10%", "无数据");
    assert_int_equal(nodata_of(run, 17, 2026), ZF_NODATA_NOT_DUE);
    assert_int_equal(nodata_of(run, 17, 2023), ZF_NODATA_NO_REPORT);
    zf_run_free(run);
}

/* ---- 19: charities --------------------------------------------------------- */

/* charities.csv (认定, 注销):
 *   C1 2020-01-01 – | C2 2023-12-31 – (on R) | C3 2022-01-01 2023-12-31 (cancelled on R(2023)) |
 *   C4 2024-01-01 2025-06-30 | C5 2026-01-05 (after R)
 * 2023: {C1, C2} = 2 < 18;  2024: {C1, C2, C4} = 3 < 24;  2025: {C1, C2} = 2 < 30 */
static void test_rule_19_charities(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("charities"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 19, "", 2023, CITY, "", "", "2", "18", "未达标");
    ROW(run, 19, "", 2024, CITY, "", "", "3", "24", "未达标");
    ROW(run, 19, "", 2025, CITY, "", "", "2", "30", "未达标");
    zf_run_free(run);
}

/* ---- 20: 善居 households (count per town, in progress) ---------------------- */

/* shanju_households.csv: K1 凤山 2025-01-01 | K2 凤山 2025-06-30 | K3 兰江 2025-07-01 |
 * K4 兰江 2024-12-31.  As of 2025-06-30 (R(2025) = 2025-06-30, elapsed 181 of 365 days):
 * 2025: {K1, K2} = 2 (K3 after R), 进行中; due 60 × 181/365 = 29.75 → provisional 未达标
 *       凤山 2, 兰江 0, 梨洲 0: a town row of a count has no target and no status
 * 2024: {K4} = 1 < 60 未达标; 兰江 1, 凤山 0 */
static void test_rule_20_shanju(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("shanju"), 2025, 6, 30);
    assert_no_rejects(run);
    ROW(run, 20, "", 2025, CITY, "", "", "2", "60", "进行中");
    PROVISIONAL(run, 20, "", 2025, CITY, ZF_OUTCOME_NOT_MET);
    ROW(run, 20, "", 2025, FS, "", "", "2", "", "");
    ROW(run, 20, "", 2025, LJ, "", "", "0", "", "");
    ROW(run, 20, "", 2025, LZ, "", "", "0", "", "");
    ROW(run, 20, "", 2024, CITY, "", "", "1", "60", "未达标");
    ROW(run, 20, "", 2024, LJ, "", "", "1", "", "");
    ROW(run, 20, "", 2024, FS, "", "", "0", "", "");
    assert_int_equal(rows_of(run, 20, 2025), 22);
    zf_run_free(run);
}

/* ---- 21, 22: trade-union sources ------------------------------------------ */

/* union_hardship_workers.csv: W1 2025 3000.00 | W2 2025 0.00 | W3 2025 0.01 | W1 2024 2000.00
 * 21/2025: 2/3 = 0.6666666667 未达标;  2024: 1/1 达标;  2023: 无数据 */
static void test_rule_21_union_workers(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("union_workers"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 21, "", 2025, CITY, "2", "3", "0.6666666667", "100%", "未达标");
    ROW(run, 21, "", 2024, CITY, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 21, "", 2023, CITY, "0", "0", "", "100%", "无数据");
    zf_run_free(run);
}

/* union_family_graduates.csv: five of 2023 (4 已就业, 1 未就业), one of 2025 (未就业)
 * 2023: 4/5 = 0.8 ≥ 80% 达标 (equal);  2024: 0/0 无数据;  2025: 0/1 = 0 < 85% 未达标 */
static void test_rule_22_union_graduates(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("union_graduates"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 22, "", 2023, CITY, "4", "5", "0.8000000000", "80%", "达标");
    ROW(run, 22, "", 2024, CITY, "0", "0", "", "82%", "无数据");
    ROW(run, 22, "", 2025, CITY, "0", "1", ZERO, "85%", "未达标");
    zf_run_free(run);
}

/* ---- 23: coverage of the 21 towns ----------------------------------------- */

/* disability_homes.csv: 凤山 2022-01-01 | 凤山 (2nd) 2024-01-01 | 兰江 2025-12-31 | 鹿亭乡 2026-01-01
 * 2023: {凤山} 1/21 = 0.047619047619… → 0.04761904762 未达标
 * 2025: {凤山, 兰江 (built on R)} 2/21 = 0.095238095238… → 0.09523809524 (鹿亭乡 after R)
 * A town row covers 1 town: 凤山 1/1 = 1 达标; a town without a home is 0/1 = 0 未达标
 * (its denominator, the town itself, is never 0). */
static void test_rule_23_coverage(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("disability_homes"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 23, "", 2023, CITY, "1", "21", "0.04761904762", "100%", "未达标");
    ROW(run, 23, "", 2024, CITY, "1", "21", "0.04761904762", "100%", "未达标");
    ROW(run, 23, "", 2025, CITY, "2", "21", "0.09523809524", "100%", "未达标");
    ROW(run, 23, "", 2025, FS, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 23, "", 2025, LJ, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 23, "", 2024, LJ, "0", "1", ZERO, "100%", "未达标");
    ROW(run, 23, "", 2025, LT, "0", "1", ZERO, "100%", "未达标");
    assert_int_equal(rows_of(run, 23, 2025), 22);
    zf_run_free(run);
}

/* disability_homes_full: one home per town, built 2023-12-31, except 鹿亭乡 2024-01-01
 * 2023: 20/21 = 0.952380952380… → 0.9523809524 未达标;  2024, 2025: 21/21 = 1 达标 */
static void test_rule_23_full_coverage(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("disability_homes_full"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 23, "", 2023, CITY, "20", "21", "0.9523809524", "100%", "未达标");
    ROW(run, 23, "", 2023, LT, "0", "1", ZERO, "100%", "未达标");
    ROW(run, 23, "", 2024, CITY, "21", "21", "1.000000000", "100%", "达标");
    ROW(run, 23, "", 2025, CITY, "21", "21", "1.000000000", "100%", "达标");
    zf_run_free(run);
}

/* ---- 24: disabled graduates ------------------------------------------------ */

/* D1 2025 是 已就业 | D2 2025 否 (out) | D3 2025 是 未就业 | D4 2024 是 已就业 |
 * D5 2023 否 已就业 (out)
 * 2025: 1/2 = 0.5 未达标;  2024: 1/1 达标;  2023: 0/0 无数据 */
static void test_rule_24_disabled_graduates(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("disabled_graduates"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 24, "", 2025, CITY, "1", "2", "0.5000000000", "100%", "未达标");
    ROW(run, 24, "", 2024, CITY, "1", "1", "1.000000000", "100%", "达标");
    ROW(run, 24, "", 2023, CITY, "0", "0", "", "100%", "无数据");
    zf_run_free(run);
}

/* ---- 25: red cross projects (active during Y) ----------------------------- */

/* red_cross_projects.csv (立项, 结项):
 *   R1 2022-01-01 2024-12-31 | R2 2023-03-01 2025-01-01 | R3 2025-06-30 – | R4 2025-07-01 – |
 *   R5 2021-01-01 2022-12-31 | R6 2024-12-31 2024-12-31
 * As of 2025-06-30:
 * 2023: {R1, R2} = 2 < 3 未达标 (R5 ended before 2023-01-01)
 * 2024: {R1, R2, R6} = 3 ≥ 3 达标
 * 2025: {R2 (ends on Y-01-01), R3 (starts on R)} = 2, 进行中 (R4 after R, R1 R6 ended 2024);
 *       due 3 × 181/365 = 1.49 → 2 ≥ 1.49 provisional 达标 */
static void test_rule_25_red_cross(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("red_cross"), 2025, 6, 30);
    assert_no_rejects(run);
    ROW(run, 25, "", 2023, CITY, "", "", "2", "3", "未达标");
    ROW(run, 25, "", 2024, CITY, "", "", "3", "3", "达标");
    ROW(run, 25, "", 2025, CITY, "", "", "2", "3", "进行中");
    PROVISIONAL(run, 25, "", 2025, CITY, ZF_OUTCOME_MET);
    zf_run_free(run);
}

/* ---- 26: insurance enrolment totals ---------------------------------------- */

/* insurance_enrollment.csv: 2023 400000/800000 = 0.5 ≥ 50% 达标 (equal);
 * 2024 399999/800000 = 0.49999875 → 0.4999987500 未达标;  2025 no row → 无数据.
 * No region breakdown. */
static void test_rule_26_insurance(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("insurance"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 26, "", 2023, CITY, "400000", "800000", "0.5000000000", "50%", "达标");
    ROW(run, 26, "", 2024, CITY, "399999", "800000", "0.4999987500", "50%", "未达标");
    const zf_result *r = find_row(run, 26, "", 2025, CITY);
    assert_non_null(r);
    assert_false(r->has_value);
    assert_int_equal(r->outcome, ZF_OUTCOME_NO_DATA);
    assert_int_equal(rows_of(run, 26, 2025), 1);
    zf_run_free(run);
}

/* ---- 27: electricity discounts --------------------------------------------- */

/* E1 2025 是 是 | E2 2025 是 否 | E3 2025 否 是 (out) | E4 2025 是 是 | E1 2024 是 是
 * 2025: 2/3 = 0.6666666667 未达标;  2024: 1/1 达标 */
static void test_rule_27_electricity(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("electricity"), 2025, 12, 31);
    assert_no_rejects(run);
    ROW(run, 27, "", 2025, CITY, "2", "3", "0.6666666667", "100%", "未达标");
    ROW(run, 27, "", 2024, CITY, "1", "1", "1.000000000", "100%", "达标");
    zf_run_free(run);
}

/* ---- missing sources ------------------------------------------------------- */

/* The milestones fixture holds only milestones.csv: every other indicator is 无数据
 * because its source is missing — a count too (no 0 for a source nobody delivered),
 * and its town rows carry no value either. */
static void test_missing_sources(void **state)
{
    (void)state;
    zf_run *run = run_fixture(FIX("milestones"), 2025, 12, 31);
    for (int number = 2; number <= 27; number++) {
        if (number == 6)
            continue;
        const zf_result *r = find_row(run, number, "", 2025, CITY);
        assert_non_null(r);
        if (r->has_value || r->outcome != ZF_OUTCOME_NO_DATA || r->nodata != ZF_NODATA_SOURCE_MISSING)
            fprintf(stderr, "  indicator %d: has_value %d outcome %s nodata %d\n", number, r->has_value,
                    zf_outcome_label(r->outcome), (int)r->nodata);
        assert_false(r->has_value);
        assert_int_equal(r->outcome, ZF_OUTCOME_NO_DATA);
        assert_int_equal(r->nodata, ZF_NODATA_SOURCE_MISSING);
    }
    ROW(run, 9, "", 2025, CITY, "", "", "", "85%", "无数据");
    ROW(run, 2, "", 2025, CITY, "", "", "", "18", "无数据");
    const zf_result *town = find_row(run, 20, "", 2025, FS);
    assert_non_null(town);
    assert_false(town->has_value);
    assert_true(run->incomplete);
    /* the care fixture has the register and the visits but no verification requests */
    zf_run_free(run);
    run = run_fixture(FIX("care"), 2025, 12, 31);
    ROW(run, 3, "", 2025, CITY, "", "", "", "100%", "无数据");
    zf_run_free(run);
}

/* ---- judging (zf_judge) ---------------------------------------------------- */

static zf_result count_result(int64_t n)
{
    zf_result r;
    memset(&r, 0, sizeof r);
    r.kind = ZF_VALUE_COUNT;
    r.has_value = true;
    r.value = (zf_frac){n, 1};
    return r;
}

static zf_result rate_result(int64_t n, int64_t d)
{
    zf_result r;
    memset(&r, 0, sizeof r);
    r.kind = ZF_VALUE_RATE;
    r.has_value = true;
    r.value = (zf_frac){n, d};
    return r;
}

static zf_outcome judge(zf_result r, const char *cell, bool open, int elapsed, int length, zf_outcome *prov)
{
    zf_target t;
    zf_error err;
    zf_error_clear(&err);
    assert_int_equal(zf_target_parse(&t, cell, &err), ZF_OK);
    zf_outcome dummy;
    return zf_judge(&r, &t, open, elapsed, length, prov ? prov : &dummy);
}

/* Targets and the pro-rata judgement of the current year:
 *   count target 60, as of 2026-06-30: elapsed 181 of 365 → due 60×181/365 = 29.75:
 *     29 → 未达标, 30 → 达标
 *   count target 3 at 181/365: due 1.49: 1 → 未达标, 2 → 达标
 *   >18 closed: 18 → 未达标, 19 → 达标
 *   ﹤0.9% / <0.9%: 9/1000 → 未达标, 8999/1000000 → 达标
 *   100%: 1 → 达标, 99/100 → 未达标;  82%: 82/100 → 达标 (floor, equal)
 *   rates in an open year are judged against the target itself: 0.5 vs 40% → 达标 */
static void test_judge_targets(void **state)
{
    (void)state;
    int elapsed = zf_days_from_civil(2026, 6, 30) - zf_days_from_civil(2026, 1, 1) + 1;
    assert_int_equal(elapsed, 181);
    zf_outcome prov;
    assert_int_equal(judge(count_result(29), "60", true, 181, 365, &prov), ZF_OUTCOME_IN_PROGRESS);
    assert_int_equal(prov, ZF_OUTCOME_NOT_MET);
    assert_int_equal(judge(count_result(30), "60", true, 181, 365, &prov), ZF_OUTCOME_IN_PROGRESS);
    assert_int_equal(prov, ZF_OUTCOME_MET);
    judge(count_result(1), "3", true, 181, 365, &prov);
    assert_int_equal(prov, ZF_OUTCOME_NOT_MET);
    judge(count_result(2), "3", true, 181, 365, &prov);
    assert_int_equal(prov, ZF_OUTCOME_MET);
    assert_int_equal(judge(count_result(18), ">18", false, 365, 365, NULL), ZF_OUTCOME_NOT_MET);
    assert_int_equal(judge(count_result(19), ">18", false, 365, 365, NULL), ZF_OUTCOME_MET);
    assert_int_equal(judge(rate_result(9, 1000), "﹤0.9%", false, 365, 365, NULL), ZF_OUTCOME_NOT_MET);
    assert_int_equal(judge(rate_result(8999, 1000000), "﹤0.9%", false, 365, 365, NULL), ZF_OUTCOME_MET);
    assert_int_equal(judge(rate_result(9, 1000), "<0.9%", false, 365, 365, NULL), ZF_OUTCOME_NOT_MET);
    assert_int_equal(judge(rate_result(1, 1), "100%", false, 365, 365, NULL), ZF_OUTCOME_MET);
    assert_int_equal(judge(rate_result(99, 100), "100%", false, 365, 365, NULL), ZF_OUTCOME_NOT_MET);
    assert_int_equal(judge(rate_result(82, 100), "82%", false, 365, 365, NULL), ZF_OUTCOME_MET);
    assert_int_equal(judge(rate_result(1, 2), "40%", true, 181, 365, &prov), ZF_OUTCOME_IN_PROGRESS);
    assert_int_equal(prov, ZF_OUTCOME_MET);
    judge(rate_result(1, 2), "80%", true, 181, 365, &prov);
    assert_int_equal(prov, ZF_OUTCOME_NOT_MET);   /* not pro rata: 0.5 < 80% */
    zf_result none;
    memset(&none, 0, sizeof none);
    none.kind = ZF_VALUE_RATE;
    assert_int_equal(judge(none, "100%", false, 365, 365, NULL), ZF_OUTCOME_NO_DATA);
    assert_int_equal(judge(none, "100%", true, 181, 365, &prov), ZF_OUTCOME_NO_DATA);
}

/* 实现 / 达成: met only by exactly that word. */
static void test_judge_words(void **state)
{
    (void)state;
    zf_result r;
    memset(&r, 0, sizeof r);
    r.kind = ZF_VALUE_WORD;
    r.has_value = true;
    r.word = "实现";
    assert_int_equal(judge(r, "实现", false, 365, 365, NULL), ZF_OUTCOME_MET);
    assert_int_equal(judge(r, "达成", false, 365, 365, NULL), ZF_OUTCOME_NOT_MET);
    r.word = "未实现";
    assert_int_equal(judge(r, "实现", false, 365, 365, NULL), ZF_OUTCOME_NOT_MET);
    r.word = "达成";
    assert_int_equal(judge(r, "达成", false, 365, 365, NULL), ZF_OUTCOME_MET);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_01_06_milestones),
        cmocka_unit_test(test_rule_01_milestone_in_progress),
        cmocka_unit_test_teardown(test_rule_latest_by_reporting_date, event_date_again),
        cmocka_unit_test(test_rule_02_count_targets),
        cmocka_unit_test(test_rule_02_in_progress),
        cmocka_unit_test(test_rule_03_04_verification),
        cmocka_unit_test(test_rule_05_18_standards),
        cmocka_unit_test(test_rule_05_in_progress),
        cmocka_unit_test(test_policies),
        cmocka_unit_test(test_policies_lowered_and_missing),
        cmocka_unit_test(test_rule_07_care_visits),
        cmocka_unit_test(test_rule_08_employment),
        cmocka_unit_test(test_rule_09_10_medical),
        cmocka_unit_test(test_rule_11_emergency_aid),
        cmocka_unit_test(test_rule_12_student_aid),
        cmocka_unit_test(test_rule_13_housing),
        cmocka_unit_test(test_rule_14_dilapidated),
        cmocka_unit_test(test_rule_15_disaster_gdp),
        cmocka_unit_test(test_rule_15_gdp_source_missing),
        cmocka_unit_test(test_rule_15_open_year_not_due),
        cmocka_unit_test(test_rule_16_shelters),
        cmocka_unit_test(test_rule_17_growth),
        cmocka_unit_test(test_rule_17_open_year_not_due),
        cmocka_unit_test(test_rule_19_charities),
        cmocka_unit_test(test_rule_20_shanju),
        cmocka_unit_test(test_rule_21_union_workers),
        cmocka_unit_test(test_rule_22_union_graduates),
        cmocka_unit_test(test_rule_23_coverage),
        cmocka_unit_test(test_rule_23_full_coverage),
        cmocka_unit_test(test_rule_24_disabled_graduates),
        cmocka_unit_test(test_rule_25_red_cross),
        cmocka_unit_test(test_rule_26_insurance),
        cmocka_unit_test(test_rule_27_electricity),
        cmocka_unit_test(test_missing_sources),
        cmocka_unit_test(test_judge_targets),
        cmocka_unit_test(test_judge_words),
        cmocka_unit_test(test_rule_07_joins_with_two_populations),
    };
    return cmocka_run_group_tests(tests, load_defs, free_defs);
}
