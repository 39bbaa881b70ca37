/* test_validate.c — record validation: column order, record checks, keys. */
#include "zf_test.h"

#include <stdio.h>
#include <string.h>

#include "zf_validate.h"

#define MAX_YEAR 2026

/* ---- hand-built definitions (independent of the definitions loader) ----- */

static const char *kinds[] = {"低保", "低保边缘", "特困", "支出型困难"};
static zf_region regions[] = {
    {"余姚市", -1, 0}, {"凤山街道", 0, 1}, {"兰江街道", 0, 1}, {"鹿亭乡", 0, 1},
};
static const zf_region_tree tree = {"yuyao", regions, 4, "乡镇街道"};

/* relief_households */
static zf_column hh_cols[] = {
    {.name = "户编号", .type = ZF_COL_TEXT, .required = true, .personal = true},
    {.name = "户主身份证号", .type = ZF_COL_CITIZEN_ID, .required = true, .personal = true},
    {.name = "纳入日期", .type = ZF_COL_DATE, .required = true},
    {.name = "乡镇街道", .type = ZF_COL_REGION, .required = true},
    {.name = "救助类别", .type = ZF_COL_ENUM, .required = true, .vocab = kinds, .n_vocab = 4},
    {.name = "家庭人口", .type = ZF_COL_INTEGER, .required = true, .has_min = true, .min = 1},
    {.name = "退出日期", .type = ZF_COL_DATE, .required = false},
};
static size_t hh_key[] = {0};
static const zf_source households = {
    .id = "relief_households", .columns = hh_cols, .n_columns = 7, .key = hh_key, .n_key = 1,
};

/* medical_settlements, reduced to the amounts */
static zf_column med_cols[] = {
    {.name = "结算编号", .type = ZF_COL_TEXT, .required = true},
    {.name = "结算日期", .type = ZF_COL_DATE, .required = true},
    {.name = "医疗总费用", .type = ZF_COL_AMOUNT, .required = true},
    {.name = "政策范围内费用", .type = ZF_COL_AMOUNT, .required = true},
    {.name = "基本医保支付", .type = ZF_COL_AMOUNT, .required = true},
    {.name = "大病保险支付", .type = ZF_COL_AMOUNT, .required = true},
    {.name = "医疗救助支付", .type = ZF_COL_AMOUNT, .required = true},
};
static size_t med_key[] = {0};
static size_t in_policy[] = {3}, total[] = {2}, paid[] = {4, 5, 6};
static zf_record_check med_checks[] = {
    {.left = in_policy, .n_left = 1, .right = total, .n_right = 1},
    {.left = paid, .n_left = 3, .right = total, .n_right = 1},
};
static const zf_source settlements = {
    .id = "medical_settlements", .columns = med_cols, .n_columns = 7, .key = med_key, .n_key = 1,
    .checks = med_checks, .n_checks = 2,
};

/* assistance_standards: a two-column key with a date in it */
static const char *std_kinds[] = {"最低生活保障", "低保边缘", "特困供养", "困难退役军人生活援助"};
static zf_column std_cols[] = {
    {.name = "标准类别", .type = ZF_COL_ENUM, .required = true, .vocab = std_kinds, .n_vocab = 4},
    {.name = "月标准(元)", .type = ZF_COL_AMOUNT, .required = true},
    {.name = "执行日期", .type = ZF_COL_DATE, .required = true},
};
static size_t std_key[] = {0, 2};
static const zf_source standards = {
    .id = "assistance_standards", .columns = std_cols, .n_columns = 3, .key = std_key, .n_key = 2,
};

/* ---- helpers ------------------------------------------------------------ */

#define NCOL 8

typedef struct row {
    zf_cell cells[NCOL];
    bool present[NCOL];
} row;

static row make_row(size_t n, const char *const *texts)
{
    row r;
    memset(&r, 0, sizeof r);
    for (size_t i = 0; i < n; i++) {
        r.cells[i].ptr = texts[i];
        r.cells[i].len = strlen(texts[i]);
        r.present[i] = true;
    }
    return r;
}

static zf_verdict check_row(zf_validator *v, const zf_source *src, row *r, bool xlsx, zf_value *values)
{
    zf_verdict verdict = {ZF_REASON_COUNT, 999};
    assert_int_equal(zf_validator_check(v, r->cells, r->present, xlsx, values, &verdict), ZF_OK);
    (void)src;
    return verdict;
}

static zf_verdict check_texts(zf_validator *v, const zf_source *src, const char *const *texts)
{
    row r = make_row(src->n_columns, texts);
    zf_value values[NCOL];
    return check_row(v, src, &r, false, values);
}

#define assert_verdict(vd, want_reason, want_column)                                  \
    do {                                                                                \
        zf_verdict vd_ = (vd);                                                          \
        if (vd_.reason != (want_reason) || vd_.column != (size_t)(want_column))         \
            fail_msg("got %s at column %zu, want %s at column %zu",                     \
                     zf_reason_code(vd_.reason), vd_.column, zf_reason_code(want_reason), \
                     (size_t)(want_column));                                            \
    } while (0)

static zf_validator *new_validator(const zf_source *src)
{
    zf_validator *v = NULL;
    zf_error err;
    assert_int_equal(zf_validator_new(&v, src, &tree, MAX_YEAR, &err), ZF_OK);
    assert_non_null(v);
    return v;
}

/* ---- tests -------------------------------------------------------------- */

static void test_accepts_and_fills_values(void **state)
{
    (void)state;
    zf_validator *v = new_validator(&households);
    const char *t[] = {" H001 ", "11010519491231002X", "2024/3/5", "鹿亭乡", "特困", "1,2", ""};
    /* "1,2" is not an integer: the first failing column is 家庭人口 */
    assert_verdict(check_texts(v, &households, t), ZF_REASON_BAD_INTEGER, 5);

    t[5] = "３";
    row r = make_row(7, t);
    zf_value values[NCOL];
    assert_verdict(check_row(v, &households, &r, false, values), ZF_REASON_NONE, 0);
    assert_int_equal(values[0].len, 4);
    assert_memory_equal(values[0].s, "H001", 4);
    assert_int_equal(values[2].i, zf_days_from_civil(2024, 3, 5));
    assert_int_equal(values[3].i, 3);
    assert_int_equal(values[4].i, 2);
    assert_int_equal(values[5].i, 3);
    assert_false(values[6].present);
    assert_true(values[5].present);
    assert_int_equal(zf_validator_key_count(v), 1);
    assert_true(zf_validator_has_key(v, "H001", 4));
    assert_false(zf_validator_has_key(v, " H001 ", 6));
    assert_false(zf_validator_has_key(v, "H002", 4));
    zf_validator_free(v);
}

static void test_first_failing_column_wins(void **state)
{
    (void)state;
    zf_validator *v = new_validator(&households);
    /* Bad date in column 3 (index 2) and bad enum in column 5 (index 4): bad_date. */
    const char *t[] = {"H001", "11010519491231002X", "2024-02-30", "凤山街道", "五保", "3", ""};
    assert_verdict(check_texts(v, &households, t), ZF_REASON_BAD_DATE, 2);
    t[2] = "2024-02-29";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_UNKNOWN_ENUM, 4);
    t[4] = "低保";
    t[1] = "11010519491231002Y";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_BAD_ID, 1);
    t[1] = "110105194912310021";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_BAD_ID_CHECKSUM, 1);
    t[1] = "11010519491231002x";
    t[3] = "凤山";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_UNKNOWN_REGION, 3);
    t[3] = "余姚市";   /* the root is a region of the tree too */
    t[5] = "0";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_OUT_OF_RANGE, 5);
    t[5] = "2";
    t[6] = "1999-12-31";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_DATE_OUT_OF_RANGE, 6);
    t[0] = "\xE3\x80\x80";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_MISSING_REQUIRED, 0);
    assert_int_equal(zf_validator_key_count(v), 0);
    t[0] = "H001";
    t[6] = "2025-01-01";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_NONE, 0);
    assert_int_equal(zf_validator_key_count(v), 1);
    zf_validator_free(v);
}

static void test_absent_columns(void **state)
{
    (void)state;
    zf_validator *v = new_validator(&households);
    const char *t[] = {"H001", "11010519491231002X", "2024-03-05", "凤山街道", "低保", "3", "2024-06-01"};
    zf_value values[NCOL];
    row r = make_row(7, t);
    r.present[6] = false;   /* optional column missing from the header: fine, and empty */
    assert_verdict(check_row(v, &households, &r, false, values), ZF_REASON_NONE, 0);
    assert_false(values[6].present);

    r = make_row(7, t);
    r.cells[0].ptr = "H002";
    r.cells[0].len = 4;
    r.present[3] = false;   /* required column missing from the header */
    assert_verdict(check_row(v, &households, &r, false, values), ZF_REASON_MISSING_REQUIRED, 3);

    /* present == NULL: every column is in the header. */
    r = make_row(7, t);
    r.cells[0].ptr = "H003";
    r.cells[0].len = 4;
    zf_verdict vd = {ZF_REASON_COUNT, 99};
    assert_int_equal(zf_validator_check(v, r.cells, NULL, false, values, &vd), ZF_OK);
    assert_verdict(vd, ZF_REASON_NONE, 0);
    assert_int_equal(values[6].i, zf_days_from_civil(2024, 6, 1));
    assert_int_equal(zf_validator_key_count(v), 2);
    zf_validator_free(v);
}

static void test_xlsx_serials(void **state)
{
    (void)state;
    zf_validator *v = new_validator(&households);
    const char *t[] = {"H001", "11010519491231002X", "45352", "凤山街道", "低保", "3", ""};
    zf_value values[NCOL];
    row r = make_row(7, t);
    r.cells[2].numeric = true;
    assert_verdict(check_row(v, &households, &r, false, values), ZF_REASON_BAD_DATE, 2);
    r.cells[2].numeric = false;
    assert_verdict(check_row(v, &households, &r, true, values), ZF_REASON_BAD_DATE, 2);
    r.cells[2].numeric = true;
    assert_verdict(check_row(v, &households, &r, true, values), ZF_REASON_NONE, 0);
    assert_int_equal(values[2].i, zf_days_from_civil(2024, 3, 1));
    zf_validator_free(v);
}

static void test_inconsistent_amounts(void **state)
{
    (void)state;
    zf_validator *v = new_validator(&settlements);
    /* 政策范围内费用 > 医疗总费用 */
    const char *t[] = {"S1", "2024-05-01", "100.00", "100.01", "0", "0", "0"};
    assert_verdict(check_texts(v, &settlements, t), ZF_REASON_INCONSISTENT_AMOUNTS, 3);
    /* payments sum to one fen more than the total */
    t[3] = "80";
    t[4] = "60";
    t[5] = "30";
    t[6] = "10.01";
    assert_verdict(check_texts(v, &settlements, t), ZF_REASON_INCONSISTENT_AMOUNTS, 4);
    /* column checks come first: a bad amount is reported, not the inconsistency */
    t[1] = "2024-13-01";
    assert_verdict(check_texts(v, &settlements, t), ZF_REASON_BAD_DATE, 1);
    t[1] = "2024-05-01";
    t[5] = "-30";
    assert_verdict(check_texts(v, &settlements, t), ZF_REASON_NEGATIVE_AMOUNT, 5);
    assert_int_equal(zf_validator_key_count(v), 0);
    /* exactly equal is consistent */
    t[5] = "30";
    t[6] = "10";
    assert_verdict(check_texts(v, &settlements, t), ZF_REASON_NONE, 0);
    assert_int_equal(zf_validator_key_count(v), 1);
    /* a duplicate that is also inconsistent is inconsistent_amounts */
    t[6] = "10.01";
    assert_verdict(check_texts(v, &settlements, t), ZF_REASON_INCONSISTENT_AMOUNTS, 4);
    t[6] = "10";
    assert_verdict(check_texts(v, &settlements, t), ZF_REASON_DUPLICATE_KEY, 0);
    zf_validator_free(v);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    zf_validator *v = new_validator(&households);
    const char *t[] = {"H001", "11010519491231002X", "2023-01-01", "凤山街道", "低保", "3", ""};
    /* A rejected record does not register its key... */
    t[4] = "低保户";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_UNKNOWN_ENUM, 4);
    assert_int_equal(zf_validator_key_count(v), 0);
    assert_false(zf_validator_has_key(v, "H001", 4));
    /* ...so the next good record with that key is the first, and accepted. */
    t[4] = "低保";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_NONE, 0);
    assert_true(zf_validator_has_key(v, "H001", 4));
    /* Later ones are duplicates, whatever else differs; the key is compared trimmed. */
    t[0] = "\xE3\x80\x80H001 ";
    t[4] = "特困";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_DUPLICATE_KEY, 0);
    t[0] = "H002";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_NONE, 0);
    t[0] = "h001";
    assert_verdict(check_texts(v, &households, t), ZF_REASON_NONE, 0);
    assert_int_equal(zf_validator_key_count(v), 3);
    zf_validator_free(v);
}

static void test_composite_canonical_key(void **state)
{
    (void)state;
    zf_validator *v = new_validator(&standards);
    const char *t[] = {"最低生活保障", "1,000", "2024-3-5"};
    assert_verdict(check_texts(v, &standards, t), ZF_REASON_NONE, 0);
    /* The same date written another way is the same key. */
    t[1] = "1200";
    t[2] = "20240305";
    assert_verdict(check_texts(v, &standards, t), ZF_REASON_DUPLICATE_KEY, 0);
    t[2] = "2024年3月5日";
    assert_verdict(check_texts(v, &standards, t), ZF_REASON_DUPLICATE_KEY, 0);
    t[2] = "2024-03-06";
    assert_verdict(check_texts(v, &standards, t), ZF_REASON_NONE, 0);
    t[0] = "特困供养";
    assert_verdict(check_texts(v, &standards, t), ZF_REASON_NONE, 0);
    assert_int_equal(zf_validator_key_count(v), 3);
    static const char k[] = "最低生活保障\x1F" "2024-03-05";
    assert_true(zf_validator_has_key(v, k, sizeof k - 1));
    static const char raw[] = "最低生活保障\x1F" "2024-3-5";
    assert_false(zf_validator_has_key(v, raw, sizeof raw - 1));
    zf_validator_free(v);
}

static void test_many_keys(void **state)
{
    (void)state;
    zf_validator *v = new_validator(&households);
    char id[16];
    const char *t[] = {id, "11010519491231002X", "2023-01-01", "兰江街道", "低保", "3", ""};
    for (int i = 0; i < 20000; i++) {
        snprintf(id, sizeof id, "H%06d", i);
        assert_verdict(check_texts(v, &households, t), ZF_REASON_NONE, 0);
    }
    for (int i = 0; i < 20000; i += 997) {
        snprintf(id, sizeof id, "H%06d", i);
        assert_verdict(check_texts(v, &households, t), ZF_REASON_DUPLICATE_KEY, 0);
        assert_true(zf_validator_has_key(v, id, strlen(id)));
    }
    assert_int_equal(zf_validator_key_count(v), 20000);
    zf_validator_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_and_fills_values),
        cmocka_unit_test(test_first_failing_column_wins),
        cmocka_unit_test(test_absent_columns),
        cmocka_unit_test(test_xlsx_serials),
        cmocka_unit_test(test_inconsistent_amounts),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_composite_canonical_key),
        cmocka_unit_test(test_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
