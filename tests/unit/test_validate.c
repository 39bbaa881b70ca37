/* test_validate.c — record validation: column order, record checks, keys. */
#include "zf_test.h"

#include <stdio.h>
#include <string.h>

#include "zf_strmap.h"
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

#define NCOL 12

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


/* ---- the validator against the general parsers ---------------------------- */

/* A source with every kind of column, a few record checks and a key; the validator's plans
 * and fast paths must give exactly what zf_value_parse column by column, saturating sums and
 * a set of canonical key texts give (the definition of the verdicts). */
static const char *mixed_kinds[] = {"低保", "低保边缘", "特困", "支出型困难", "其他", "〇号", "尾空格 ",
                                    "低保", "\xE3\x80\x80" "前空格"};
static zf_region mixed_regions[] = {
    {"余姚市", -1, 0}, {"凤山街道", 0, 1}, {"梁弄镇", 0, 1}, {"鹿亭乡", 0, 1}, {"梁弄镇", 0, 1},
    {"四明山镇某某某某社区", 0, 1},
};
static const zf_region_tree mixed_tree = {"mixed", mixed_regions, 6, "乡镇街道"};
static zf_column mixed_cols[] = {
    {.name = "编号", .type = ZF_COL_TEXT, .required = true},
    {.name = "身份证号", .type = ZF_COL_CITIZEN_ID, .required = true},
    {.name = "乡镇街道", .type = ZF_COL_REGION, .required = true},
    {.name = "类别", .type = ZF_COL_ENUM, .required = true, .vocab = mixed_kinds, .n_vocab = 9},
    {.name = "日期", .type = ZF_COL_DATE, .required = true},
    {.name = "总额", .type = ZF_COL_AMOUNT, .required = true},
    {.name = "甲", .type = ZF_COL_AMOUNT, .required = false},
    {.name = "乙", .type = ZF_COL_AMOUNT, .required = false},
    {.name = "人口", .type = ZF_COL_INTEGER, .has_min = true, .min = 1, .has_max = true, .max = 30},
    {.name = "是否", .type = ZF_COL_YESNO},
    {.name = "备注日期", .type = ZF_COL_DATE},
};
#define MIXED_N 11
static size_t mixed_key1[] = {0}, mixed_key2[] = {0, 4}, mixed_key3[] = {5};
static size_t part[] = {6}, parts[] = {6, 7}, whole[] = {5};
static zf_record_check mixed_checks[] = {
    {.left = part, .n_left = 1, .right = whole, .n_right = 1},
    {.left = parts, .n_left = 2, .right = whole, .n_right = 1},
};

static uint64_t mix_rng = 0x243F6A8885A308D3u;

static unsigned mix_rand(unsigned bound)
{
    return (unsigned)(zf_test_random(&mix_rng) % bound);
}

/* Mostly (15 in 16) one of the first `good` texts of the pool, which are valid. */
static const char *pick(const char *const *pool, size_t n, size_t good)
{
    return pool[mix_rand(16) ? mix_rand((unsigned)good) : mix_rand((unsigned)n)];
}

#define PICK(pool, good) pick(pool, sizeof pool / sizeof *pool, good)

/* One cell of column c into buf: mostly common forms, some rare, bad or wrapped in space. */
static const char *mixed_text(size_t c, char *buf, size_t size)
{
    static const char *ids[] = {"11010519491231002X", "11010519491231002x", "330281198001011231",
                                "330281200002290000", "330281190002290000", "33028120270101123X",
                                "11010519491231002", "1101051949123100２X", "110105194912310021"};
    static const char *regions[] = {"鹿亭乡", "凤山街道", "梁弄镇", "余姚市", "凤山", "四明山镇某某某某社区", "四明山镇某某某某社"};
    static const char *kinds[] = {"低保", "低保边缘", "特困", "支出型困难", "其他", "〇号", "尾空格 ", "尾空格",
                                  "前空格", "低保户"};
    static const char *dates[] = {"2024-03-05", "2023/1/5", "2023/12/31", "20240229", "20230229", "2024-02-30",
                                  "2026-12-31 07:51:46", "2024-03-05T23:59:59", "1999-12-31", "2027-01-01",
                                  "2024年3月5日", "45352", "2024-3-5 7:05", "2024-13-01", "2100-02-28", "abc"};
    static const char *amounts[] = {"0", "0.5", "12.34", "1474.15", "1,474.15", "99,999.99", "123456.7",
                                    "00012.00", "1.234", "-1", "-0.00", "１２.5", "1,23", "99999999999999999",
                                    "1,234,567.89", ".5", "5."};
    static const char *integers[] = {"1", "3", "30", "31", "0", "2.5", "１"};
    static const char *yesno[] = {"是", "否", "Y", "no", "maybe"};
    static const char *wraps[] = {" ", "\t", "\xE3\x80\x80", "  "};
    const char *t;
    switch (c) {
    case 0: snprintf(buf, size, mix_rand(10) ? "JS2024%08u" : "户-%u", mix_rand(20000)); t = buf; break;
    case 1: t = PICK(ids, 5); break;
    case 2: t = PICK(regions, 4); break;
    case 3: t = PICK(kinds, 6); break;
    case 4: case 10: t = PICK(dates, 8); break;
    case 8: t = PICK(integers, 3); break;
    case 9: t = PICK(yesno, 4); break;
    case 5: t = PICK(amounts, 8); break;
    default: t = PICK(amounts, 3); break;   /* small parts of the total */
    }
    if (mix_rand(40) == 0)
        t = mix_rand(2) ? "" : PICK(wraps, 4);   /* empty, or only white space */
    else if (mix_rand(30) == 0) {   /* white space around it (t may be buf: copied first) */
        const char *pre = mix_rand(2) ? PICK(wraps, 4) : "", *post = mix_rand(2) ? PICK(wraps, 4) : "";
        char tmp[128];
        const size_t a = strlen(pre), b = strlen(t), c = strlen(post);
        assert_true(a + b + c < size && b < sizeof tmp);
        memcpy(tmp, t, b);
        memcpy(buf, pre, a);
        memcpy(buf + a, tmp, b);
        memcpy(buf + a + b, post, c + 1);
        t = buf;
    }
    return t;
}

/* The verdict by the general parsers; keys: canonical key texts of accepted records. */
static zf_verdict reference(const zf_source *src, const zf_cell *cells, const bool *present, bool xlsx,
                            zf_value *vals, zf_strmap *keys)
{
    static const zf_cell absent = {NULL, 0, false};
    zf_value_ctx ctx = {&mixed_tree, MAX_YEAR, xlsx};
    for (size_t c = 0; c < src->n_columns; c++) {
        zf_reason r = zf_value_parse(&src->columns[c], present[c] ? &cells[c] : &absent, &ctx, &vals[c]);
        if (r != ZF_REASON_NONE)
            return (zf_verdict){r, c};
    }
    for (size_t k = 0; k < src->n_checks; k++) {
        int64_t side[2] = {0, 0};
        for (int r = 0; r < 2; r++)
            for (size_t i = 0; i < (r ? src->checks[k].n_right : src->checks[k].n_left); i++) {
                const zf_value *x = &vals[r ? src->checks[k].right[i] : src->checks[k].left[i]];
                if (x->present && __builtin_add_overflow(side[r], x->i, &side[r]))
                    side[r] = x->i > 0 ? INT64_MAX : INT64_MIN;
            }
        if (side[0] > side[1])
            return (zf_verdict){ZF_REASON_INCONSISTENT_AMOUNTS, src->checks[k].left[0]};
    }
    char key[512], tmp[32];
    size_t n = 0, len;
    for (size_t k = 0; k < src->n_key; k++) {
        const char *p = zf_value_canonical(&src->columns[src->key[k]], &vals[src->key[k]], tmp, &len);
        if (k)
            key[n++] = '\x1F';
        memcpy(key + n, p, len);
        n += len;
    }
    bool added;
    assert_non_null(zf_strmap_put(keys, key, n, &added));
    return (zf_verdict){added ? ZF_REASON_NONE : ZF_REASON_DUPLICATE_KEY, added ? 0 : src->key[0]};
}

static void assert_same_values(const zf_value *a, const zf_value *b, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        if (a[c].present != b[c].present || a[c].numeric != b[c].numeric || a[c].i != b[c].i ||
            a[c].len != b[c].len || memcmp(a[c].s, b[c].s, a[c].len) != 0)
            fail_msg("column %zu: %d %lld \"%.*s\", reference %d %lld \"%.*s\"", c, a[c].present,
                     (long long)a[c].i, (int)a[c].len, a[c].s, b[c].present, (long long)b[c].i,
                     (int)b[c].len, b[c].s);
    }
}

static void check_against_reference(const size_t *key, size_t n_key)
{
    const zf_source src = {.id = "mixed", .columns = mixed_cols, .n_columns = MIXED_N, .key = (size_t *)key,
                           .n_key = n_key, .checks = mixed_checks, .n_checks = 2};
    zf_validator *v = NULL;
    zf_error err;
    assert_int_equal(zf_validator_new(&v, &src, &mixed_tree, MAX_YEAR, &err), ZF_OK);
    zf_strmap keys;
    assert_int_equal(zf_strmap_init(&keys, 0), ZF_OK);
    static char text[MIXED_N][128];
    long accepted = 0, reasons[ZF_REASON_COUNT] = {0};
    for (int k = 0; k < 60000; k++) {
        zf_cell cells[MIXED_N];
        bool present[MIXED_N], xlsx = mix_rand(10) == 0;
        for (size_t c = 0; c < MIXED_N; c++) {
            const char *t = mixed_text(c, text[c], sizeof text[c]);
            cells[c] = (zf_cell){t, strlen(t), xlsx && mix_rand(2)};
            present[c] = mix_rand(200) != 0;
            if (!present[c] && mix_rand(2))   /* a column not in the header: its cell is ignored */
                cells[c] = (zf_cell){NULL, 0, false};
        }
        zf_value got[MIXED_N], want[MIXED_N];
        zf_verdict vd = {ZF_REASON_COUNT, 999};
        assert_int_equal(zf_validator_check(v, cells, present, xlsx, got, &vd), ZF_OK);
        zf_verdict ref = reference(&src, cells, present, xlsx, want, &keys);
        if (vd.reason != ref.reason || vd.column != ref.column)
            fail_msg("record %d: %s at %zu, reference %s at %zu", k, zf_reason_code(vd.reason), vd.column,
                     zf_reason_code(ref.reason), ref.column);
        reasons[vd.reason]++;
        if (vd.reason == ZF_REASON_NONE) {
            assert_same_values(got, want, MIXED_N);
            accepted++;
        }
    }
    /* the reasons that this source can give all occur; every key added is found by its
     * canonical text */
    static const zf_reason seen[] = {ZF_REASON_MISSING_REQUIRED, ZF_REASON_BAD_DATE, ZF_REASON_DATE_OUT_OF_RANGE,
                                     ZF_REASON_BAD_AMOUNT, ZF_REASON_NEGATIVE_AMOUNT, ZF_REASON_BAD_INTEGER,
                                     ZF_REASON_OUT_OF_RANGE, ZF_REASON_BAD_YES_NO, ZF_REASON_BAD_ID,
                                     ZF_REASON_BAD_ID_CHECKSUM, ZF_REASON_UNKNOWN_ENUM, ZF_REASON_UNKNOWN_REGION,
                                     ZF_REASON_INCONSISTENT_AMOUNTS, ZF_REASON_DUPLICATE_KEY};
    for (size_t i = 0; i < sizeof seen / sizeof *seen; i++)
        if (reasons[seen[i]] == 0)
            fail_msg("no record was %s", zf_reason_code(seen[i]));
    assert_true(accepted >= (n_key == 1 && key[0] == 5 ? 5 : 3000));   /* a few amounts only */
    assert_int_equal(zf_validator_key_count(v), keys.count);
    for (size_t i = 0; i < keys.cap; i++)
        if (keys.slots[i].key)
            assert_true(zf_validator_has_key(v, keys.slots[i].key, keys.slots[i].len));
    zf_strmap_free(&keys);
    zf_validator_free(v);
}

static void test_matches_general_parsers(void **state)
{
    (void)state;
    check_against_reference(mixed_key1, 1);   /* a text key */
    check_against_reference(mixed_key2, 2);   /* text and date, joined */
    check_against_reference(mixed_key3, 1);   /* an amount: its canonical number */
}

/* Cells that need trimming still give trimmed values, typed or not; a vocabulary word that
 * trimming would change matches nothing, as before. */
static void test_untrimmed_typed_cells(void **state)
{
    (void)state;
    const zf_source src = {.id = "mixed", .columns = mixed_cols, .n_columns = MIXED_N, .key = mixed_key1,
                           .n_key = 1, .checks = mixed_checks, .n_checks = 2};
    zf_validator *v = NULL;
    zf_error err;
    assert_int_equal(zf_validator_new(&v, &src, &mixed_tree, MAX_YEAR, &err), ZF_OK);
    const char *t[MIXED_N] = {" JS1 ", "\t11010519491231002X ", "\xE3\x80\x80鹿亭乡", "特困 ", " 2024-03-05",
                              " 1,474.15\xE3\x80\x80", " ", "0.5 ", " 3", "是 ", "\xE3\x80\x80"};
    row r = make_row(MIXED_N, t);
    zf_value values[MIXED_N];
    zf_verdict vd = check_row(v, &src, &r, false, values);
    assert_verdict(vd, ZF_REASON_NONE, 0);
    assert_int_equal(values[0].len, 3);
    assert_int_equal(values[1].len, 18);
    assert_memory_equal(values[2].s, "鹿亭乡", values[2].len);
    assert_int_equal(values[2].i, 3);
    assert_int_equal(values[3].i, 2);
    assert_int_equal(values[4].i, zf_days_from_civil(2024, 3, 5));
    assert_int_equal(values[5].i, 147415);
    assert_memory_equal(values[5].s, "1,474.15", values[5].len);
    assert_false(values[6].present);
    assert_int_equal(values[7].i, 50);
    assert_false(values[10].present);
    t[0] = "JS2";
    t[3] = "尾空格 ";   /* trims to 尾空格, which is not the word "尾空格 " */
    assert_verdict(check_texts(v, &src, t), ZF_REASON_UNKNOWN_ENUM, 3);
    t[3] = "\xE3\x80\x80" "前空格";
    assert_verdict(check_texts(v, &src, t), ZF_REASON_UNKNOWN_ENUM, 3);
    t[3] = "〇号";     /* starts with E3 80 87, not U+3000: a word like any other */
    r = make_row(MIXED_N, t);
    assert_verdict(check_row(v, &src, &r, false, values), ZF_REASON_NONE, 0);
    assert_int_equal(values[3].i, 5);
    t[0] = "JS3";
    t[2] = "梁弄镇";   /* listed twice: the first in pre-order */
    r = make_row(MIXED_N, t);
    assert_verdict(check_row(v, &src, &r, false, values), ZF_REASON_NONE, 0);
    assert_int_equal(values[2].i, 2);
    zf_validator_free(v);
}

/* A tree too big for every name to get a slot of its own: names are still all found (by
 * probing), long ones compared in full, and unknown ones are not. */
static void test_many_regions(void **state)
{
    (void)state;
    enum { N = 1500 };
    static zf_region big[N];
    static char names[N][48];
    for (int k = 0; k < N; k++) {
        snprintf(names[k], sizeof names[k], k % 3 ? "镇%d" : "很长很长的街道名字%04d", k);
        big[k] = (zf_region){names[k], k ? 0 : -1, k ? 1 : 0};
    }
    const zf_region_tree tree_big = {"big", big, N, "乡镇街道"};
    static zf_column cols[] = {{.name = "乡镇街道", .type = ZF_COL_REGION, .required = true}};
    const zf_source src = {.id = "regions", .columns = cols, .n_columns = 1};
    zf_validator *v = NULL;
    zf_error err;
    assert_int_equal(zf_validator_new(&v, &src, &tree_big, MAX_YEAR, &err), ZF_OK);
    zf_value value;
    for (int k = 0; k < N; k++) {
        zf_cell cell = {names[k], strlen(names[k]), false};
        zf_verdict vd;
        assert_int_equal(zf_validator_check(v, &cell, NULL, false, &value, &vd), ZF_OK);
        assert_verdict(vd, ZF_REASON_NONE, 0);
        assert_int_equal(value.i, k);
    }
    const char *unknown[] = {"镇1500", "镇", "很长很长的街道名字0001", "很长很长的街道名字00000"};
    for (size_t k = 0; k < sizeof unknown / sizeof *unknown; k++) {
        zf_cell cell = {unknown[k], strlen(unknown[k]), false};
        zf_verdict vd;
        assert_int_equal(zf_validator_check(v, &cell, NULL, false, &value, &vd), ZF_OK);
        assert_verdict(vd, ZF_REASON_UNKNOWN_REGION, 0);
    }
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
        cmocka_unit_test(test_matches_general_parsers),
        cmocka_unit_test(test_untrimmed_typed_cells),
        cmocka_unit_test(test_many_regions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
