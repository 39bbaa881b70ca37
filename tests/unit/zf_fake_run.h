/* zf_fake_run.h — a small hand-built plan and run for the report tests (charts, page):
 * a region tree of 余姚市 and three towns, plan years 2021–2025 computed up to an as-of
 * date in 2025 (so 2025 is 进行中), and four indicators:
 *   7  a two-part rate computed per town (one town without data in the latest year),
 *   3  a count computed per town (town rows without a target),
 *   12 an amount (top region only),
 *   27 a milestone (a word).
 * Everything lives in the run's arena; fake_run_free releases it. */
#ifndef ZF_FAKE_RUN_H
#define ZF_FAKE_RUN_H

#include <stdlib.h>
#include <string.h>

#include "zf_run.h"

typedef struct zf_fake {
    zf_defs defs;
    zf_run run;
} zf_fake;

#define FAKE_YEARS 5
#define FAKE_TOWNS 3

static const char **fake_strs(zf_arena *a, const char *const *s, size_t n)
{
    const char **out = zf_arena_calloc(a, n, sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = zf_arena_strdup(a, s[i]);
    return out;
}

static zf_target *fake_targets(zf_arena *a, const char *const *cells, zf_target_op op, bool pct,
                               const int64_t *num, int64_t den)
{
    zf_target *t = zf_arena_calloc(a, FAKE_YEARS, sizeof *t);
    for (size_t y = 0; y < FAKE_YEARS; y++) {
        t[y].cell = cells[y];
        t[y].op = op;
        t[y].percent = pct;
        t[y].num = num ? num[y] : 0;
        t[y].den = den;
        t[y].word = op == ZF_TARGET_WORD ? cells[y] : NULL;
    }
    return t;
}

static void fake_plan(zf_fake *f, const char *rate_name)
{
    zf_arena *a = &f->defs.arena;
    zf_plan *p = &f->defs.plan;
    static const int years[FAKE_YEARS] = {2021, 2022, 2023, 2024, 2025};
    p->id = "fake";
    p->title = "余姚市“弱有众扶”测试计划";
    p->years = zf_arena_calloc(a, FAKE_YEARS, sizeof *p->years);
    memcpy(p->years, years, sizeof years);
    p->n_years = FAKE_YEARS;
    p->n_indicators = 4;
    p->indicators = zf_arena_calloc(a, 4, sizeof *p->indicators);
    zf_indicator *in = p->indicators;
    static const char *const pct[] = {"80%", "82%", "84%", "86%", "88%"};
    static const int64_t pctn[] = {80, 82, 84, 86, 88};
    static const char *const gt[] = {">18", ">18", ">18", ">18", ">18"};
    static const int64_t gtn[] = {18, 18, 18, 18, 18};
    static const char *const amt[] = {"1000", "1100", "1200", "1300", "1400"};
    static const int64_t amtn[] = {1000, 1100, 1200, 1300, 1400};
    static const char *const word[] = {"实现", "实现", "实现", "实现", "实现"};
    static const char *const u1[] = {"民政局"}, *const u2[] = {"民政局", "残联"};
    static const char *const u3[] = {"医保局"}, *const u4[] = {"乡村振兴局"};
    in[0] = (zf_indicator){.number = 7, .category = "社会救助", .name = zf_arena_strdup(a, rate_name),
                           .units = fake_strs(a, u1, 1), .n_units = 1, .n_parts = 2,
                           .targets = fake_targets(a, pct, ZF_TARGET_GE, true, pctn, 100)};
    in[0].parts = zf_arena_calloc(a, 2, sizeof(zf_part));
    in[0].parts[0] = (zf_part){.name = "探访关爱率", .rule = {.kind = ZF_RULE_RATE,
                               .value_kind = ZF_VALUE_RATE, .by_region = true}};
    in[0].parts[1] = (zf_part){.name = "幸福清单送达率", .rule = {.kind = ZF_RULE_RATE,
                               .value_kind = ZF_VALUE_RATE, .by_region = true}};
    in[1] = (zf_indicator){.number = 3, .category = "社会救助", .name = "困难群众帮扶人数",
                           .units = fake_strs(a, u2, 2), .n_units = 2, .n_parts = 1,
                           .targets = fake_targets(a, gt, ZF_TARGET_GT, false, gtn, 1)};
    in[1].parts = zf_arena_calloc(a, 1, sizeof(zf_part));
    in[1].parts[0] = (zf_part){.name = "", .rule = {.kind = ZF_RULE_COUNT,
                               .value_kind = ZF_VALUE_COUNT, .by_region = true}};
    in[2] = (zf_indicator){.number = 12, .category = "医疗救助", .name = "人均救助金额",
                           .units = fake_strs(a, u3, 1), .n_units = 1, .n_parts = 1,
                           .targets = fake_targets(a, amt, ZF_TARGET_GE, false, amtn, 1)};
    in[2].parts = zf_arena_calloc(a, 1, sizeof(zf_part));
    in[2].parts[0] = (zf_part){.name = "", .rule = {.kind = ZF_RULE_LATEST, .value_kind = ZF_VALUE_AMOUNT}};
    in[3] = (zf_indicator){.number = 27, .category = "机制建设", .name = "救助服务联合体建设",
                           .units = fake_strs(a, u4, 1), .n_units = 1, .n_parts = 1,
                           .targets = fake_targets(a, word, ZF_TARGET_WORD, false, NULL, 1)};
    in[3].parts = zf_arena_calloc(a, 1, sizeof(zf_part));
    in[3].parts[0] = (zf_part){.name = "", .rule = {.kind = ZF_RULE_LATEST, .value_kind = ZF_VALUE_WORD}};
}

static void fake_regions_sources(zf_fake *f)
{
    zf_arena *a = &f->defs.arena;
    static const char *const names[] = {"余姚市", "梨洲街道", "凤山街道", "陆埠镇"};
    f->defs.regions.id = "fake";
    f->defs.regions.n_regions = 1 + FAKE_TOWNS;
    f->defs.regions.sublevel = "乡镇街道";
    f->defs.regions.regions = zf_arena_calloc(a, 1 + FAKE_TOWNS, sizeof(zf_region));
    for (int i = 0; i <= FAKE_TOWNS; i++)
        f->defs.regions.regions[i] = (zf_region){names[i], i ? 0 : -1, i ? 1 : 0};
    f->defs.sources.id = "fake";
    f->defs.sources.n_sources = 3;
    f->defs.sources.sources = zf_arena_calloc(a, 3, sizeof(zf_source));
    f->defs.sources.sources[0] = (zf_source){.id = "visits", .title = "探访关爱记录", .unit = "民政局"};
    f->defs.sources.sources[1] = (zf_source){.id = "aid", .title = "救助金发放明细", .unit = "医保局"};
    f->defs.sources.sources[2] = (zf_source){.id = "milestones", .title = "工作进展", .unit = "乡村振兴局"};
}

/* The outcome of value v (in target units ×1000) against a ">= t" target. */
static zf_outcome fake_outcome(bool open, bool has, int64_t v, int64_t t)
{
    if (open)
        return ZF_OUTCOME_IN_PROGRESS;
    if (!has)
        return ZF_OUTCOME_NO_DATA;
    return v >= t ? ZF_OUTCOME_MET : ZF_OUTCOME_NOT_MET;
}

static zf_result *fake_add(zf_fake *f, size_t ind, size_t part, size_t year, int region)
{
    zf_result *r = &f->run.results[f->run.n_results++];
    memset(r, 0, sizeof *r);
    r->indicator = ind;
    r->part = part;
    r->year = year;
    r->region = region;
    r->kind = f->defs.plan.indicators[ind].parts[part].rule.value_kind;
    return r;
}

static void fake_rate_rows(zf_fake *f)
{
    static const int64_t top[2][FAKE_YEARS] = {{781, 815, 852, 874, 833}, {650, 790, 845, 880, 910}};
    for (size_t p = 0; p < 2; p++)
        for (size_t y = 0; y < FAKE_YEARS; y++)
            for (int reg = 0; reg <= FAKE_TOWNS; reg++) {
                zf_result *r = fake_add(f, 0, p, y, reg);
                int64_t v = top[p][y] + (reg ? (reg - 2) * 40 : 0);
                bool has = !(reg == 3 && y == FAKE_YEARS - 1);
                r->target = &f->defs.plan.indicators[0].targets[y];
                r->has_num = r->has_den = has;
                r->num = v, r->den = 1000;
                r->has_value = has;
                r->value = (zf_frac){v, 1000};
                r->outcome = fake_outcome(y == FAKE_YEARS - 1, has, v, r->target->num * 10);
                r->provisional = has && v >= r->target->num * 10 ? ZF_OUTCOME_MET : ZF_OUTCOME_NOT_MET;
                r->nodata = has ? ZF_NODATA_NONE : ZF_NODATA_ZERO_DENOMINATOR;
                r->records = has ? 1000 : 0;
            }
}

static void fake_other_rows(zf_fake *f)
{
    static const int64_t count[FAKE_YEARS] = {15, 17, 19, 20, 12};
    static const int64_t fen[FAKE_YEARS] = {95050, 112000, 118525, 134000, 70000};
    static const char *const words[FAKE_YEARS] = {"未实现", "未实现", "实现", "实现", "实现"};
    /* in results.csv order: indicator, part, year, region */
    for (size_t y = 0; y < FAKE_YEARS; y++)
        for (int reg = 0; reg <= FAKE_TOWNS; reg++) {
            zf_result *r = fake_add(f, 1, 0, y, reg);
            int64_t v = reg ? count[y] / 3 + reg - 1 : count[y];
            r->has_value = true;
            r->value = (zf_frac){v, 1};
            r->target = reg ? NULL : &f->defs.plan.indicators[1].targets[y];
            r->outcome = reg ? ZF_OUTCOME_NONE : fake_outcome(y == FAKE_YEARS - 1, true, v, 19);
        }
    for (size_t y = 0; y < FAKE_YEARS; y++) {
        zf_result *r = fake_add(f, 2, 0, y, 0);
        r->has_value = y != 2; /* 2023: no report */
        r->value = (zf_frac){fen[y], 100};
        r->target = &f->defs.plan.indicators[2].targets[y];
        r->outcome = fake_outcome(y == FAKE_YEARS - 1, r->has_value, fen[y], r->target->num * 100);
        r->nodata = r->has_value ? ZF_NODATA_NONE : ZF_NODATA_NO_REPORT;
    }
    for (size_t y = 0; y < FAKE_YEARS; y++) {
        zf_result *r = fake_add(f, 3, 0, y, 0);
        r->has_value = true;
        r->word = words[y];
        r->target = &f->defs.plan.indicators[3].targets[y];
        r->outcome = y == FAKE_YEARS - 1 ? ZF_OUTCOME_IN_PROGRESS
                   : strcmp(words[y], "实现") == 0 ? ZF_OUTCOME_MET : ZF_OUTCOME_NOT_MET;
    }
}

static void fake_files(zf_fake *f)
{
    zf_run *run = &f->run;
    run->n_files = 3;
    run->files = zf_arena_calloc(&run->arena, 3, sizeof *run->files);
    run->files[0] = (zf_input_file){.source = 0, .name = "visits.csv", .format = "csv",
                                    .encoding = "utf-8", .rows_read = 1200, .rows_accepted = 1180,
                                    .rows_rejected = 20, .status = "rejects", .message = ""};
    run->files[1] = (zf_input_file){.source = 1, .name = "aid.xlsx", .format = "xlsx", .encoding = "",
                                    .rows_read = 300, .rows_accepted = 300, .status = "ok", .message = ""};
    run->files[2] = (zf_input_file){.source = 2, .name = "", .format = "", .encoding = "",
                                    .status = "missing", .message = "no file"};
}

/* rate_name: indicator 7's name, so a test can make it hostile. */
static zf_fake *fake_run_new(const char *rate_name)
{
    zf_fake *f = calloc(1, sizeof *f);
    zf_arena_init(&f->defs.arena, 0);
    zf_arena_init(&f->run.arena, 0);
    fake_plan(f, rate_name);
    fake_regions_sources(f);
    zf_run *run = &f->run;
    run->defs = &f->defs;
    memcpy(run->as_of_text, "2025-06-30", 11);
    memcpy(run->run_id, "0123456789abcdef", 17);
    run->version = "0.1.0";
    run->n_years = FAKE_YEARS;
    run->years = zf_arena_calloc(&run->arena, FAKE_YEARS, sizeof *run->years);
    for (size_t y = 0; y < FAKE_YEARS; y++)
        run->years[y] = y;
    run->results = zf_arena_calloc(&run->arena, 200, sizeof *run->results);
    fake_rate_rows(f);
    fake_other_rows(f);
    fake_files(f);
    run->incomplete = true;
    return f;
}

static void fake_run_free(zf_fake *f)
{
    if (!f)
        return;
    zf_arena_free(&f->run.arena);
    zf_arena_free(&f->defs.arena);
    free(f);
}

#endif
