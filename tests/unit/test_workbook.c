/* test_workbook.c — the Excel workbook: written, byte-reproducible, and read back with
 * openpyxl (tests/unit/read_xlsx.py) to check the cells a reader sees.
 *
 * The run is built by hand (a small plan of five indicators: a milestone, an amount,
 * a two-part rate, a rate of sums and a count, over a city and three towns), so the
 * test depends on neither the templates nor the compute stage.
 * Set ZF_TEST_KEEP=DIR to keep the workbooks for a look. */
#include "zf_calendar.h"
#include "zf_test.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "zf_workbook.h"

extern char **environ;

/* ---- the hand-made run -------------------------------------------------------- */

typedef struct fixture {
    zf_defs defs;
    zf_run run;
    char dir[64];
} fixture;

static const char *const TOWNS[] = {"余姚市", "阳明街道", "梨洲街道", "陆埠镇"};

static zf_target target_pct(zf_arena *a, int pct)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d%%", pct);
    return (zf_target){.cell = zf_arena_strdup(a, buf), .op = ZF_TARGET_GE, .percent = true,
                       .num = pct, .den = 100};
}

static zf_target target_num(zf_arena *a, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return (zf_target){.cell = zf_arena_strdup(a, buf), .op = ZF_TARGET_GE, .num = v, .den = 1};
}

static zf_indicator *add_indicator(fixture *fx, size_t i, int number, const char *cat, const char *name,
                                   zf_value_kind kind, size_t n_parts)
{
    zf_arena *a = &fx->defs.arena;
    zf_indicator *in = &fx->defs.plan.indicators[i];
    in->number = number;
    in->category = cat;
    in->name = name;
    in->definition = "口径：按方案定义计算（测试用）。";
    in->units = zf_arena_calloc(a, 2, sizeof *in->units);
    in->units[0] = "市民政局";
    in->n_units = 1;
    in->parts = zf_arena_calloc(a, n_parts, sizeof *in->parts);
    in->n_parts = n_parts;
    for (size_t p = 0; p < n_parts; p++) {
        in->parts[p].name = "";
        in->parts[p].rule.value_kind = kind;
        in->parts[p].rule.sel.source = i;
    }
    in->targets = zf_arena_calloc(a, 3, sizeof *in->targets);
    return in;
}

static void build_plan(fixture *fx)
{
    zf_arena *a = &fx->defs.arena;
    zf_plan *plan = &fx->defs.plan;
    static int years[] = {2023, 2024, 2025};
    plan->id = "yuyao";
    plan->title = "余姚市“弱有众扶”五年指标";
    plan->years = years;
    plan->n_years = 3;
    plan->indicators = zf_arena_calloc(a, 5, sizeof *plan->indicators);
    plan->n_indicators = 5;
    zf_indicator *in = add_indicator(fx, 0, 1, "众扶平台", "余姚市社会救助服务联合体实现实体化运作", ZF_VALUE_WORD, 1);
    for (int y = 0; y < 3; y++) in->targets[y] = (zf_target){.cell = "实现", .op = ZF_TARGET_WORD, .word = "实现"};
    in = add_indicator(fx, 1, 5, "8大类社会救助", "最低生活保障年人均标准(元)", ZF_VALUE_AMOUNT, 1);
    in->units[1] = "市财政局";
    in->n_units = 2;
    for (int y = 0; y < 3; y++) in->targets[y] = target_num(a, 14700 + 700 * y);
    in = add_indicator(fx, 2, 7, "8大类社会救助", "救助家庭探访关爱率、幸福清单送达率", ZF_VALUE_RATE, 2);
    in->parts[0].name = "探访关爱率";
    in->parts[1].name = "幸福清单送达率";
    for (int y = 0; y < 3; y++) in->targets[y] = target_pct(a, 100);
    in = add_indicator(fx, 3, 9, "8大类社会救助", "困难群众医疗费用综合保障率", ZF_VALUE_RATE, 1);
    in->units[0] = "市医疗保障局";
    for (int y = 0; y < 3; y++) in->targets[y] = target_pct(a, 82 + y);
    in = add_indicator(fx, 4, 20, "X项社会力量参与", "实施“善居工程”户数", ZF_VALUE_COUNT, 1);
    for (int y = 0; y < 3; y++) in->targets[y] = target_num(a, 60);
    for (size_t i = 2; i < 5; i++)
        for (size_t p = 0; p < plan->indicators[i].n_parts; p++) plan->indicators[i].parts[p].rule.by_region = true;
}

static void build_defs(fixture *fx)
{
    zf_arena *a = &fx->defs.arena;
    static const char *const ids[] = {"milestones", "assistance_standards", "relief_households",
                                      "medical_settlements", "shanju_households"};
    static const char *const titles[] = {"里程碑填报", "救助标准", "救助家庭名册", "医疗费用结算明细", "善居工程"};
    fx->defs.sources.sources = zf_arena_calloc(a, 5, sizeof(zf_source));
    fx->defs.sources.n_sources = 5;
    for (size_t i = 0; i < 5; i++) {
        fx->defs.sources.sources[i].id = ids[i];
        fx->defs.sources.sources[i].title = titles[i];
    }
    fx->defs.regions.regions = zf_arena_calloc(a, 4, sizeof(zf_region));
    fx->defs.regions.n_regions = 4;
    fx->defs.regions.sublevel = "乡镇街道";
    for (int i = 0; i < 4; i++)
        fx->defs.regions.regions[i] = (zf_region){.name = TOWNS[i], .parent = i ? 0 : -1, .depth = i ? 1 : 0};
    memset(fx->defs.plan_sha256, 'a', 64);
    build_plan(fx);
}

/* A rate num/den (counts), judged against the indicator's target of year y. */
static void rate(zf_result *r, int64_t num, int64_t den, int scale)
{
    r->has_num = r->has_den = true;
    r->num = num;
    r->den = den;
    r->num_scale = r->den_scale = scale;
    r->has_value = den != 0;
    r->value = (zf_frac){num, den ? den : 1};
    if (!den) r->nodata = ZF_NODATA_ZERO_DENOMINATOR;
}

/* The value of one row: fixed numbers, so the test can name the cells it expects. */
static void fill_value(zf_result *r, size_t ind, size_t part, int region)
{
    static const int64_t med_num[3][4] = {{80, 8, 7, 9}, {8312345, 850, 790, 0}, {86, 9, 8, 9}};
    /* 陆埠镇 has no relief households: no value for either part */
    static const int64_t households[4] = {1000, 300, 340, 0};
    static const int64_t visits[4] = {950, 300, 330, 0};
    switch (ind) {
    case 0: r->word = "实现"; r->has_value = r->year < 2; break;
    case 1: r->value = (zf_frac){(14700 + 900 * (int64_t)r->year) * 100, 100}; r->has_value = true; break;
    case 2: rate(r, part == 0 ? visits[region] : households[region], households[region], 0); break;
    case 3:
        if (r->year == 1) rate(r, med_num[1][region], region ? 1000 : 10000000, 2);
        else rate(r, med_num[r->year][region], region ? 10 : 100, 2);
        break;
    case 4: r->value = (zf_frac){region ? 20 - region : 62, 1}; r->has_value = true; break;
    }
    if (ind == 0 && !r->has_value) r->nodata = ZF_NODATA_NO_REPORT;
}

static zf_outcome judge(const zf_result *r, bool open)
{
    if (!r->has_value) return ZF_OUTCOME_NO_DATA;
    if (!r->target) return ZF_OUTCOME_NONE;
    bool met = r->kind == ZF_VALUE_WORD ? strcmp(r->word, r->target->word) == 0
             : zf_frac_cmp(r->value, (zf_frac){r->target->num, r->target->den}) >= 0;
    if (open) return ZF_OUTCOME_IN_PROGRESS;
    return met ? ZF_OUTCOME_MET : ZF_OUTCOME_NOT_MET;
}

static void add_result(fixture *fx, size_t ind, size_t part, size_t year, int region)
{
    const zf_indicator *in = &fx->defs.plan.indicators[ind];
    zf_result *r = &fx->run.results[fx->run.n_results++];
    r->indicator = ind;
    r->part = part;
    r->year = year;
    r->region = region;
    r->kind = in->parts[part].rule.value_kind;
    r->target = (r->kind == ZF_VALUE_COUNT && region) ? NULL : &in->targets[year];
    fill_value(r, ind, part, region);
    r->outcome = judge(r, year == 2);
    if (r->outcome == ZF_OUTCOME_IN_PROGRESS) r->provisional = ZF_OUTCOME_MET;
}

static void build_results(fixture *fx)
{
    fx->run.results = zf_arena_calloc(&fx->run.arena, 128, sizeof(zf_result));
    for (size_t i = 0; i < 5; i++)
        for (size_t p = 0; p < fx->defs.plan.indicators[i].n_parts; p++)
            for (size_t y = 0; y < 3; y++)
                for (int g = 0; g < (i >= 2 ? 4 : 1); g++) add_result(fx, i, p, y, g);
}

static void build_quality(fixture *fx)
{
    zf_arena *a = &fx->run.arena;
    static const char *const names[] = {"milestones.csv", "assistance_standards.xlsx", "relief_households.csv",
                                        "medical_settlements.csv", ""};
    static const char *const status[] = {"ok", "ok", "rejects", "rejects", "missing"};
    fx->run.files = zf_arena_calloc(a, 5, sizeof(zf_input_file));
    fx->run.n_files = 5;
    for (size_t i = 0; i < 5; i++) {
        zf_input_file *f = &fx->run.files[i];
        f->source = i;
        f->name = names[i];
        f->format = i == 1 ? "xlsx" : i == 4 ? "" : "csv";
        f->encoding = i == 3 ? "gb18030" : i == 4 ? "" : "utf-8";
        memset(f->sha256, i == 4 ? 0 : '0' + (int)i, i == 4 ? 1 : 64);
        f->size = 1000 * (i + 1);
        f->rows_read = i == 4 ? 0 : 100 * (int64_t)(i + 1);
        f->rows_rejected = i == 2 ? 3 : i == 3 ? 12 : 0;
        f->rows_accepted = f->rows_read - f->rows_rejected;
        f->status = status[i];
    }
    fx->run.files[2].reasons[ZF_REASON_BAD_DATE] = 3;
    fx->run.files[3].reasons[ZF_REASON_MISSING_REQUIRED] = 2;
    fx->run.files[3].reasons[ZF_REASON_BAD_AMOUNT] = 6;
    fx->run.files[3].reasons[ZF_REASON_BAD_ID] = 3;
    fx->run.files[3].reasons[ZF_REASON_DUPLICATE_KEY] = 1;
    fx->run.rejects = zf_arena_calloc(a, 3, sizeof(zf_reject));
    fx->run.n_rejects = 3;
    fx->run.rejects[0] = (zf_reject){2, "relief_households.csv", 17, "纳入日期", "2024-13-01", ZF_REASON_BAD_DATE};
    fx->run.rejects[1] = (zf_reject){3, "medical_settlements.csv", 5, "身份证号", "330281********123X", ZF_REASON_BAD_ID};
    fx->run.rejects[2] = (zf_reject){3, "medical_settlements.csv", 9, "医疗总费用", "abc", ZF_REASON_BAD_AMOUNT};
}

static void build_policies(fixture *fx)
{
    zf_arena *a = &fx->run.arena;
    zf_plan *plan = &fx->defs.plan;
    plan->policies = zf_arena_calloc(&fx->defs.arena, 1, sizeof(zf_policy_rule));
    plan->n_policies = 1;
    plan->policies[0] = (zf_policy_rule){.id = "dibao_not_lower", .title = "低保标准不低于上年",
                                         .kind = ZF_POLICY_NOT_LOWER, .a_indicator = 5};
    fx->run.policies = zf_arena_calloc(a, 2, sizeof(zf_policy_result));
    fx->run.n_policies = 2;
    fx->run.policies[0] = (zf_policy_result){0, 1, true, true, {1560000, 100}, {1470000, 100}, ZF_POLICY_PASS, 0, 1, 0};
    fx->run.policies[1] = (zf_policy_result){0, 2, true, false, {1650000, 100}, {0, 1}, ZF_POLICY_NO_DATA, 0, 0, 0};
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx) return -1;
    zf_arena_init(&fx->defs.arena, 1 << 16);
    zf_arena_init(&fx->run.arena, 1 << 16);
    build_defs(fx);
    fx->run.defs = &fx->defs;
    fx->run.as_of = zf_days_from_civil(2025, 6, 30);
    snprintf(fx->run.as_of_text, sizeof fx->run.as_of_text, "2025-06-30");
    snprintf(fx->run.run_id, sizeof fx->run.run_id, "0123456789abcdef");
    fx->run.version = "0.1.0";
    fx->run.years = zf_arena_calloc(&fx->run.arena, 3, sizeof(size_t));
    for (size_t y = 0; y < 3; y++) fx->run.years[y] = y;
    fx->run.n_years = 3;
    fx->run.incomplete = true;
    build_results(fx);
    build_quality(fx);
    build_policies(fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/zf_workbook_XXXXXX");
    if (!mkdtemp(fx->dir)) return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char cmd[128];
    static const char *const files[] = {"a.xlsx", "b.xlsx", "open.xlsx"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(cmd, sizeof cmd, "%s/%s", fx->dir, files[i]);
        remove(cmd);
    }
    rmdir(fx->dir);
    zf_arena_free(&fx->run.arena);
    zf_arena_free(&fx->defs.arena);
    free(fx);
    return 0;
}

/* ---- helpers ------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        buf = n > 0 ? malloc((size_t)n) : NULL;
        rewind(f);
        if (buf) *len = fread(buf, 1, (size_t)n, f);
    }
    fclose(f);
    return buf;
}

/* A copy of the workbook where ZF_TEST_KEEP says, to look at it by hand. */
static void keep(const char *path, const char *name)
{
    const char *dir = getenv("ZF_TEST_KEEP");
    size_t len = 0;
    char *buf = dir ? slurp(path, &len) : NULL;
    if (!buf) return;
    char out[512];
    snprintf(out, sizeof out, "%s/%s", dir, name);
    FILE *f = fopen(out, "wb");
    if (f) { fwrite(buf, 1, len, f); fclose(f); }
    free(buf);
}

/* The sheet as TSV, from read_xlsx.py run without a shell; opt is NULL, "--formats"
 * (value|number format) or "--cf" (the conditional formats). */
static char *read_sheet_opt(const char *path, const char *sheet, const char *opt)
{
    int fd[2];
    if (pipe(fd) != 0) return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    char *argv[] = {"/usr/bin/python3", ZF_SOURCE_DIR "/tests/unit/read_xlsx.py", (char *)path, (char *)sheet,
                    (char *)opt, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    size_t cap = 1 << 16, len = 0;
    char *out = rc == 0 ? malloc(cap) : NULL;
    ssize_t n;
    while (out && (n = read(fd[0], out + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) out = realloc(out, cap *= 2);
    }
    close(fd[0]);
    int status = 0;
    if (rc == 0) waitpid(pid, &status, 0);
    if (!out || !WIFEXITED(status) || WEXITSTATUS(status) != 0) { free(out); return NULL; }
    out[len] = '\0';
    return out;
}

static char *read_sheet(const char *path, const char *sheet)
{
    return read_sheet_opt(path, sheet, NULL);
}

/* Cell col of the nth (0-based) line whose first cell is key, copied into buf. */
static const char *cell(const char *tsv, const char *key, int nth, int col, char *buf, size_t size)
{
    for (const char *line = tsv; line && *line; ) {
        const char *end = strchr(line, '\n');
        size_t klen = strlen(key);
        if (strncmp(line, key, klen) == 0 && line[klen] == '\t' && nth-- == 0) {
            const char *p = line;
            for (int c = 0; c < col && p && p < end; c++) p = strchr(p, '\t') ? strchr(p, '\t') + 1 : NULL;
            if (!p || p > end) break;
            size_t n = strcspn(p, "\t\n");
            snprintf(buf, size, "%.*s", (int)n, p);
            return buf;
        }
        line = end ? end + 1 : NULL;
    }
    buf[0] = '\0';
    return buf;
}

/* Cell col of the line that contains text anywhere (a part row has no 序号 to key on). */
static const char *cell_of_line(const char *tsv, const char *text, int col, char *buf, size_t size)
{
    const char *hit = strstr(tsv, text);
    buf[0] = '\0';
    if (!hit) return buf;
    const char *line = hit;
    while (line > tsv && line[-1] != '\n') line--;
    const char *end = strchr(line, '\n');
    const char *p = line;
    for (int c = 0; c < col && p && p < end; c++) p = strchr(p, '\t') ? strchr(p, '\t') + 1 : NULL;
    if (!p || p > end) return buf;
    size_t n = strcspn(p, "\t\n");
    snprintf(buf, size, "%.*s", (int)n, p);
    return buf;
}

static void write_ok(fixture *fx, size_t year, const char *name, char *path, size_t size)
{
    zf_error err;
    zf_error_clear(&err);
    snprintf(path, size, "%s/%s", fx->dir, name);
    zf_status st = zf_workbook_write(&fx->run, year, path, &err);
    if (st != ZF_OK) fail_msg("zf_workbook_write: %s", err.message);
    keep(path, name);
}

/* ---- tests -------------------------------------------------------------------- */

static void test_written_and_reproducible(void **state)
{
    fixture *fx = *state;
    char a[128], b[128];
    write_ok(fx, 1, "a.xlsx", a, sizeof a);
    write_ok(fx, 1, "b.xlsx", b, sizeof b);
    size_t la = 0, lb = 0;
    char *da = slurp(a, &la), *db = slurp(b, &lb);
    assert_non_null(da);
    assert_non_null(db);
    assert_true(la > 5000);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    assert_memory_equal(da, "PK", 2);
    free(da);
    free(db);
}

static void test_overview_cells(void **state)
{
    fixture *fx = *state;
    char path[128], buf[256];
    write_ok(fx, 1, "a.xlsx", path, sizeof path);
    char *tsv = read_sheet(path, "总览");
    assert_non_null(tsv);
    assert_non_null(strstr(tsv, "2024"));
    assert_non_null(strstr(tsv, "0123456789abcdef"));
    /* 序号 9: 0.8312345 as a number, 达标 against 83% */
    assert_string_equal(cell(tsv, "9", 0, 4, buf, sizeof buf), "83%");
    assert_string_equal(cell(tsv, "9", 0, 5, buf, sizeof buf), "0.83");   /* the target as a number */
    assert_true(strncmp(cell(tsv, "9", 0, 6, buf, sizeof buf), "0.831", 5) == 0);
    assert_string_equal(cell(tsv, "9", 0, 7, buf, sizeof buf), "达标");
    assert_string_equal(cell(tsv, "9", 0, 12, buf, sizeof buf), "83123.45");
    /* 7 is one row with the combined verdict, shown once; its two parts are nested under
       it without a 序号, each with its own verdict: the first misses 100% */
    assert_string_equal(cell(tsv, "7", 0, 2, buf, sizeof buf), "救助家庭探访关爱率、幸福清单送达率");
    assert_string_equal(cell(tsv, "7", 0, 7, buf, sizeof buf), "未达标");
    assert_string_equal(cell(tsv, "7", 1, 7, buf, sizeof buf), "");   /* no second row 7 */
    assert_string_equal(cell_of_line(tsv, "└ 分项：探访关爱率", 0, buf, sizeof buf), "");
    assert_string_equal(cell_of_line(tsv, "└ 分项：探访关爱率", 7, buf, sizeof buf), "未达标");
    assert_string_equal(cell_of_line(tsv, "└ 分项：幸福清单送达率", 7, buf, sizeof buf), "达标");
    assert_true(strstr(tsv, "救助家庭探访关爱率、幸福清单送达率") < strstr(tsv, "└ 分项：探访关爱率"));
    /* the summary counts 5 indicators, which its numbers add up to */
    assert_non_null(strstr(tsv, "共5项指标"));
    assert_non_null(strstr(tsv, "达标4项，未达标1项，无数据0项，进行中0项"));
    /* a word, an amount, units joined, a count */
    assert_string_equal(cell(tsv, "1", 0, 6, buf, sizeof buf), "实现");
    assert_string_equal(cell(tsv, "5", 0, 3, buf, sizeof buf), "市民政局、市财政局");
    assert_string_equal(cell(tsv, "5", 0, 6, buf, sizeof buf), "15600");
    assert_string_equal(cell(tsv, "20", 0, 6, buf, sizeof buf), "62");
    free(tsv);
}

/* Typed cells with their number formats, and status colours as conditional formats. */
static void test_formats(void **state)
{
    fixture *fx = *state;
    char path[128], buf[256];
    write_ok(fx, 1, "a.xlsx", path, sizeof path);
    char *tsv = read_sheet_opt(path, "总览", "--formats");
    assert_non_null(tsv);
    assert_string_equal(cell(tsv, "9|0", 0, 6, buf, sizeof buf), "0.8312345|0.0%");
    assert_string_equal(cell(tsv, "5|0", 0, 6, buf, sizeof buf), "15600|#,##0.00");
    assert_string_equal(cell(tsv, "20|0", 0, 6, buf, sizeof buf), "62|#,##0");
    assert_null(strstr(tsv, "|="));   /* values only, no formulas */
    free(tsv);
    tsv = read_sheet_opt(path, "总览", "--cf");
    assert_non_null(tsv);
    /* 未达标 before 达标: the first rule that matches colours the cell */
    const char *not_met = strstr(tsv, "\tcontainsText\t未达标\t"), *met = strstr(tsv, "\tcontainsText\t达标\t");
    assert_non_null(not_met);
    assert_non_null(met);
    assert_true(not_met < met);
    assert_non_null(strstr(tsv, "H8:H14\tcontainsText\t进行中"));
    free(tsv);
    tsv = read_sheet_opt(path, "乡镇街道", "--cf");
    assert_non_null(tsv);
    assert_non_null(strstr(tsv, "\tcontainsText\t无数据\t"));
    assert_non_null(strstr(tsv, "\texpression\t"));
    free(tsv);
}

/* Issue 16 finding 1: 82.999% against 83% was formatted 0.0% (83.0%) beside 未达标; it
 * gets the decimals that keep it below the target.  Exactly on target keeps 0.0%. */
static void test_value_never_rounded_onto_target(void **state)
{
    fixture *fx = *state;
    char path[128], buf[256];
    for (size_t i = 0; i < fx->run.n_results; i++) {
        zf_result *r = &fx->run.results[i];
        if (r->indicator == 3 && r->year == 1 && r->region == 0) {
            r->value = (zf_frac){82999, 100000};
            r->outcome = ZF_OUTCOME_NOT_MET;
        }
        if (r->indicator == 3 && r->year == 1 && r->region == 1) r->value = (zf_frac){83, 100};
    }
    write_ok(fx, 1, "a.xlsx", path, sizeof path);
    char *tsv = read_sheet_opt(path, "总览", "--formats");
    assert_non_null(tsv);
    assert_string_equal(cell(tsv, "9|0", 0, 6, buf, sizeof buf), "0.82999|0.000%");
    /* and its gap keeps the digits that say it is short: -0.001 points, not -0.0 */
    assert_string_equal(cell(tsv, "9|0", 0, 8, buf, sizeof buf),
                        "-0.001|+0.000\"个百分点\";[Red]-0.000\"个百分点\";0.000\"个百分点\"");
    free(tsv);
    tsv = read_sheet_opt(path, "乡镇街道", "--formats");
    assert_non_null(tsv);
    assert_non_null(strstr(tsv, "0.82999|0.000%"));
    assert_non_null(strstr(tsv, "\t0.83|0.0%"));
    free(tsv);
}

/* Issue 16 finding 6: a workbook one can calculate with — the target a number, 差距 in
 * percentage points, 完成率, last year's value and 同比, from the exact fractions. */
static void test_measures(void **state)
{
    fixture *fx = *state;
    char path[128], buf[256];
    write_ok(fx, 1, "a.xlsx", path, sizeof path);
    char *tsv = read_sheet(path, "总览");
    assert_non_null(tsv);
    assert_non_null(strstr(tsv, "\t2023年实际值\t同比\t"));
    /* 9: 83.12345% against 83%: +0.12345 points, 1.0014873… of the target; 2023 was 80% */
    assert_string_equal(cell(tsv, "9", 0, 8, buf, sizeof buf), "0.12345");
    assert_true(strncmp(cell(tsv, "9", 0, 9, buf, sizeof buf), "1.001487", 8) == 0);
    assert_string_equal(cell(tsv, "9", 0, 10, buf, sizeof buf), "0.8");
    assert_string_equal(cell(tsv, "9", 0, 11, buf, sizeof buf), "3.12345");
    /* 5: 15600 against 15400 yuan: +200; growth 900/14700 */
    assert_string_equal(cell(tsv, "5", 0, 5, buf, sizeof buf), "15400");
    assert_string_equal(cell(tsv, "5", 0, 8, buf, sizeof buf), "200");
    assert_true(strncmp(cell(tsv, "5", 0, 11, buf, sizeof buf), "0.061224", 8) == 0);
    /* a milestone has no gap */
    assert_string_equal(cell(tsv, "1", 0, 8, buf, sizeof buf), "");
    free(tsv);
    tsv = read_sheet_opt(path, "总览", "--formats");
    assert_non_null(tsv);
    assert_string_equal(cell(tsv, "9|0", 0, 5, buf, sizeof buf), "0.83|\"≥\"0%");
    assert_string_equal(cell(tsv, "20|0", 0, 5, buf, sizeof buf), "60|\"≥\"#,##0");
    free(tsv);
    /* the trend shows each year's target the same way */
    tsv = read_sheet_opt(path, "历年趋势", "--formats");
    assert_non_null(tsv);
    assert_non_null(strstr(tsv, "0.83|\"≥\"0%"));
    free(tsv);
}

/* Lower is better: the target reads ≤, a positive gap is the shortfall (red), 完成率 is
 * target ÷ actual. */
static void test_lower_is_better(void **state)
{
    fixture *fx = *state;
    char path[128], buf[256];
    zf_indicator *in = &fx->defs.plan.indicators[3];
    for (int y = 0; y < 3; y++) in->targets[y].op = ZF_TARGET_LE;
    for (size_t i = 0; i < fx->run.n_results; i++) {
        zf_result *r = &fx->run.results[i];
        if (r->indicator == 3 && r->year == 1 && r->region == 0) r->outcome = ZF_OUTCOME_NOT_MET;
    }
    write_ok(fx, 1, "a.xlsx", path, sizeof path);
    char *tsv = read_sheet_opt(path, "总览", "--formats");
    assert_non_null(tsv);
    assert_string_equal(cell(tsv, "9|0", 0, 5, buf, sizeof buf), "0.83|\"≤\"0%");
    assert_string_equal(cell(tsv, "9|0", 0, 8, buf, sizeof buf),
                        "0.12345|[Red]+0.0\"个百分点\";-0.0\"个百分点\";0.0\"个百分点\"");
    assert_true(strncmp(cell(tsv, "9|0", 0, 9, buf, sizeof buf), "0.99851", 7) == 0);
    free(tsv);
}

/* Sums of amounts are the double nearest their decimal: 986531513 fen divided by 10 twice
 * was 9865315.129999999 in the formula bar. */
static void test_exact_amounts(void **state)
{
    fixture *fx = *state;
    char path[128], buf[256];
    for (size_t i = 0; i < fx->run.n_results; i++) {
        zf_result *r = &fx->run.results[i];
        if (r->indicator == 3 && r->year == 1 && r->region == 0) r->num = 986531513;
    }
    write_ok(fx, 1, "a.xlsx", path, sizeof path);
    char *tsv = read_sheet(path, "总览");
    assert_non_null(tsv);
    assert_string_equal(cell(tsv, "9", 0, 12, buf, sizeof buf), "9865315.13");
    free(tsv);
}

/* Autofilters, print titles and the 制表单位/制表日期 block (issue 16, findings 6 and 7). */
static void test_print_and_filters(void **state)
{
    fixture *fx = *state;
    char path[128];
    fx->defs.plan.office = "余姚市“弱有众扶”工作专班";
    write_ok(fx, 1, "a.xlsx", path, sizeof path);
    char *p = read_sheet_opt(path, "总览", "--print");
    assert_non_null(p);
    assert_non_null(strstr(p, "filter\tA7:P14\n"));
    assert_non_null(strstr(p, "rows\t$7:$7\n"));
    assert_non_null(strstr(p, "制表单位：余姚市“弱有众扶”工作专班"));
    assert_non_null(strstr(p, "制表日期：2025-06-30"));
    free(p);
    p = read_sheet_opt(path, "按责任单位", "--print");
    assert_non_null(p);
    assert_non_null(strstr(p, "filter\tA"));
    free(p);
    p = read_sheet_opt(path, "乡镇街道", "--print");
    assert_non_null(p);
    assert_non_null(strstr(p, "filter\tA4:G"));
    free(p);
    p = read_sheet_opt(path, "数据质量", "--print");
    assert_non_null(p);
    assert_non_null(strstr(p, "rows\t$3:$3\n"));
    free(p);
    p = read_sheet(path, "总览");
    assert_non_null(strstr(p, "制表单位\t余姚市“弱有众扶”工作专班"));
    free(p);
}

static void test_open_year(void **state)
{
    fixture *fx = *state;
    char path[128], buf[256];
    write_ok(fx, 2, "open.xlsx", path, sizeof path);
    char *tsv = read_sheet(path, "总览");
    assert_non_null(tsv);
    assert_string_equal(cell(tsv, "9", 0, 7, buf, sizeof buf), "进行中");
    assert_string_equal(cell(tsv, "9", 0, 14, buf, sizeof buf), "预计达标");
    /* no milestone report: a dash, 无数据 and the reason */
    assert_string_equal(cell(tsv, "1", 0, 6, buf, sizeof buf), "—");
    assert_string_equal(cell(tsv, "1", 0, 7, buf, sizeof buf), "无数据");
    assert_non_null(strstr(cell(tsv, "1", 0, 15, buf, sizeof buf), "无里程碑填报"));
    free(tsv);
}

static void test_towns_cells(void **state)
{
    fixture *fx = *state;
    char path[128], buf[256];
    write_ok(fx, 1, "a.xlsx", path, sizeof path);
    char *tsv = read_sheet(path, "乡镇街道");
    assert_non_null(tsv);
    assert_non_null(strstr(tsv, "阳明街道\t梨洲街道\t陆埠镇"));
    /* values grid first, then the status grid: 全市, 阳明街道 0.85, 梨洲街道 0.79, 陆埠镇 0 */
    assert_true(strncmp(cell(tsv, "9", 0, 3, buf, sizeof buf), "0.831", 5) == 0);
    assert_string_equal(cell(tsv, "9", 0, 4, buf, sizeof buf), "0.85");
    assert_string_equal(cell(tsv, "9", 1, 3, buf, sizeof buf), "达标");
    assert_string_equal(cell(tsv, "9", 1, 4, buf, sizeof buf), "达标");
    assert_string_equal(cell(tsv, "9", 1, 5, buf, sizeof buf), "未达标");
    /* a count's town rows carry no status */
    assert_string_equal(cell(tsv, "20", 0, 4, buf, sizeof buf), "19");
    assert_string_equal(cell(tsv, "20", 1, 4, buf, sizeof buf), "");
    free(tsv);
}

static void test_other_sheets(void **state)
{
    fixture *fx = *state;
    char path[128], buf[256];
    write_ok(fx, 1, "a.xlsx", path, sizeof path);
    char *tsv = read_sheet(path, "数据质量");
    assert_non_null(tsv);
    /* a clerk reads words, with the code rejects.csv uses beside them (issue 16, finding 5) */
    assert_string_equal(cell(tsv, "医疗费用结算明细", 0, 9, buf, sizeof buf),
                        "金额格式错误（bad_amount）6条；身份证号格式错误（bad_id）3条；必填项为空（missing_required）2条");
    free(tsv);
    /* the rejected records on a sheet of their own, the file table's header not above them */
    tsv = read_sheet(path, "拒绝记录");
    assert_non_null(tsv);
    assert_string_equal(cell(tsv, "医疗费用结算明细", 0, 4, buf, sizeof buf), "330281********123X");
    assert_string_equal(cell(tsv, "医疗费用结算明细", 0, 5, buf, sizeof buf), "身份证号格式错误（bad_id）");
    assert_null(strstr(tsv, "主要原因"));
    free(tsv);
    tsv = read_sheet(path, "政策联动");
    assert_non_null(tsv);
    assert_string_equal(cell(tsv, "低保标准不低于上年", 0, 4, buf, sizeof buf), "符合");
    free(tsv);
    const char *sheets[] = {"按责任单位", "历年趋势", "趋势图", "说明", "运行清单"};
    for (size_t i = 0; i < 5; i++) {
        tsv = read_sheet(path, sheets[i]);
        assert_non_null(tsv);
        free(tsv);
    }
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; p && (p = strstr(p, what)); p += strlen(what)) n++;
    return n;
}

/* Issue 16 finding 8: the Excel trend charts drew the open year's figure to date like a
 * result.  Its marker is hollow and labelled 暂定 (every other label hidden); once the
 * year is closed there is no such mark. */
static void test_trend_chart_provisional_point(void **state)
{
    fixture *fx = *state;
    char path[128];
    write_ok(fx, 1, "trend.xlsx", path, sizeof path);
    char *xml = read_sheet(path, "xl/charts/chart1.xml");
    assert_non_null(xml);
    size_t actual_series = count(xml, "<c:ser>") - 1;   /* the target is not marked */
    assert_true(actual_series >= 1);
    assert_int_equal(count(xml, "暂定"), actual_series);
    assert_int_equal(count(xml, "<c:dPt>"), actual_series);
    const char *pt = strstr(xml, "<c:dPt>");
    const char *end = pt ? strstr(pt, "</c:dPt>") : NULL;
    assert_non_null(end);
    const char *white = strstr(pt, "FFFFFF");   /* a hollow marker */
    assert_true(white && white < end);
    free(xml);
    char *tsv = read_sheet(path, "趋势图");
    assert_non_null(strstr(tsv, "标“暂定”的点为本年截至统计日期的数值"));
    free(tsv);

    int32_t as_of = fx->run.as_of;
    fx->run.as_of = zf_days_from_civil(2026, 1, 15);
    write_ok(fx, 1, "trend-closed.xlsx", path, sizeof path);
    fx->run.as_of = as_of;
    xml = read_sheet(path, "xl/charts/chart1.xml");
    assert_non_null(xml);
    assert_int_equal(count(xml, "暂定"), 0);
    assert_int_equal(count(xml, "<c:dPt>"), 0);
    free(xml);
}

/* A failed file's message longer than the reasons cell's buffer is cut between characters:
 * half a 凤 made sharedStrings.xml invalid UTF-8 and the workbook unreadable (issue 23). */
static void test_long_message_cut(void **state)
{
    fixture *fx = *state;
    char msg[1202], path[128];
    msg[0] = 'a';
    for (int k = 0; k < 400; k++) memcpy(msg + 1 + 3 * k, "\xE5\x87\xA4", 3);
    msg[1201] = '\0';
    fx->run.files[4].status = "error";
    fx->run.files[4].message = msg;
    write_ok(fx, 1, "long.xlsx", path, sizeof path);
    char *tsv = read_sheet(path, "数据质量");
    assert_non_null(tsv);   /* openpyxl reads it: the XML is UTF-8 */
    char want[1024 + 2];
    snprintf(want, sizeof want, "\t%.*s\n", 1021, msg);   /* 'a' and 340 凤 of 1023 bytes */
    assert_non_null(strstr(tsv, want));
    free(tsv);
}

static void test_bad_year(void **state)
{
    fixture *fx = *state;
    zf_error err;
    char path[128];
    snprintf(path, sizeof path, "%s/bad.xlsx", fx->dir);
    assert_int_equal(zf_workbook_write(&fx->run, 7, path, &err), ZF_ERR_USAGE);
    assert_int_equal(access(path, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_written_and_reproducible, setup, teardown),
        cmocka_unit_test_setup_teardown(test_overview_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_value_never_rounded_onto_target, setup, teardown),
        cmocka_unit_test_setup_teardown(test_measures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lower_is_better, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exact_amounts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_and_filters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_year, setup, teardown),
        cmocka_unit_test_setup_teardown(test_towns_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_sheets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trend_chart_provisional_point, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_message_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_year, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
