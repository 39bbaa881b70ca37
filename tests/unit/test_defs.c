/* test_defs.c — the definition loader against the real Yuyao templates and a set of
 * small broken template directories, one per kind of mistake. */
#include "zf_test.h"

#include <stdio.h>
#include <string.h>

#include "zf_defs.h"

/* ---- the published table, transcribed from seed 000_cb1bb75db41ca738.txt ----------
 * Names are as the spec writes them (indicators-yuyao.md shortens 3 and 4 and uses
 * ASCII quotes); the seed splits some units across lines ("市民\n政局" is 市民政局) and
 * cuts 17's unit to "市农业农村", which the spec completes as 市农业农村局. */
typedef struct expect {
    int number;
    const char *category;
    const char *name;
    const char *units[2];
    const char *targets[5];
} expect;

#define P100 {"100%", "100%", "100%", "100%", "100%"}
static const expect table[27] = {
    {1, "众扶平台", "余姚市社会救助服务联合体实现实体化运作", {"市民政局"}, {"实现", "实现", "实现", "实现", "实现"}},
    {2, "众扶平台", "救助\"一件事\"惠民联办事项", {"市民政局"}, {"16", "17", "18", ">18", ">18"}},
    {3, "众扶平台", "个人所得税信息查询率", {"市税务局"}, P100},
    {4, "众扶平台", "银行存款信息查询率", {"人行余姚支行"}, P100},
    {5, "8大类社会救助", "最低生活保障年人均标准(元)", {"市民政局", "市财政局"}, {"14700", "15400", "16000", "16500", "17000"}},
    {6, "8大类社会救助", "余姚救助站建设标准达到三级及以上", {"市民政局"}, {"达成", "达成", "达成", "达成", "达成"}},
    {7, "8大类社会救助", "救助家庭探访关爱率、幸福清单送达率", {"市民政局"}, P100},
    {8, "8大类社会救助", "有就业意愿和就业能力的救助对象就业帮扶率", {"市人社局"}, P100},
    {9, "8大类社会救助", "困难群众医疗费用综合保障率", {"市医疗保障局"}, {"82%", "83%", "85%", "87%", "90%"}},
    {10, "8大类社会救助", "重点救助对象门诊慢特病和住院费用救助比例", {"市医疗保障局"}, {"66%", "68%", "70%", "70%", "70%"}},
    {11, "8大类社会救助", "全流程网上疾病应急救助申请办理比例", {"市卫健局"}, {"10%", "40%", "80%", "85%", "90%"}},
    {12, "8大类社会救助", "学生资助政策落实率", {"市教育局"}, P100},
    {13, "8大类社会救助", "低保低收入住房困难家庭依申请住房保障率", {"市住建局"}, P100},
    {14, "8大类社会救助", "农村困难家庭危房改造救助率", {"市住建局"}, P100},
    {15, "8大类社会救助", "因灾直接经济损失占全省GDP比例", {"市应急管理局"}, {"﹤0.9%", "﹤0.9%", "﹤0.9%", "﹤0.9%", "﹤0.9%"}},
    {16, "8大类社会救助", "避灾安置场所规范化建设率", {"市应急管理局"}, {"74%", "82%", "90%", "95%", "100%"}},
    {17, "8大类社会救助", "低收入农户可支配收入增长率", {"市农业农村局"}, {"12%", "10%", "10%", "10%", "10%"}},
    {18, "8大类社会救助", "困难退役军人生活援助标准(低保金+生活补助)", {"市退役军人事务局"}, {"16170", "16940", "17600", "18150", "18700"}},
    {19, "X项社会力量参与", "慈善组织累计数量", {"市民政局"}, {"18", "24", "30", "35", "40"}},
    {20, "X项社会力量参与", "实施\"善居工程\"户数", {"市民政局"}, {"60", "60", "60", "60", "60"}},
    {21, "X项社会力量参与", "在档困难职工帮扶资金覆盖率", {"市总工会"}, P100},
    {22, "X项社会力量参与", "在档困难职工家庭高校毕业生就业完成率", {"市总工会"}, {"80%", "82%", "85%", "87%", "90%"}},
    {23, "X项社会力量参与", "残疾人之家覆盖率", {"市残联"}, P100},
    {24, "X项社会力量参与", "有就业意愿应届高校残疾人毕业生就业率", {"市残联"}, P100},
    {25, "X项社会力量参与", "人道公益项目数量", {"市红十字会"}, {"3", "3", "3", "3", "3"}},
    {26, "X项社会力量参与", "辖内商业补充医疗保险参保人数占基本医保参保人数的比例", {"宁波银保监局"}, {"50%", "50%", "50%", "50%", "50%"}},
    {27, "X项社会力量参与", "符合条件的救助对象优惠电价政策享受率", {"市电力公司"}, P100},
};

static int setup_yuyao(void **state)
{
    zf_defs *d = NULL;
    zf_error err = {0};
    if (zf_defs_load(&d, ZF_TEMPLATES, "yuyao", &err) != ZF_OK) {
        char buf[1600];
        fprintf(stderr, "load failed: %s\n", zf_error_format(&err, buf, sizeof buf));
        return -1;
    }
    *state = d;
    return 0;
}

static int teardown_yuyao(void **state)
{
    zf_defs_free(*state);
    return 0;
}

static const zf_indicator *indicator(const zf_defs *d, int number)
{
    for (size_t i = 0; i < d->plan.n_indicators; i++)
        if (d->plan.indicators[i].number == number)
            return &d->plan.indicators[i];
    return NULL;
}

static const zf_source *source(const zf_defs *d, const char *id)
{
    int k = zf_sources_find(&d->sources, id);
    assert_true(k >= 0);
    return &d->sources.sources[k];
}

static const char *colname(const zf_defs *d, size_t src, size_t col)
{
    return d->sources.sources[src].columns[col].name;
}

/* ---- the Yuyao plan ---------------------------------------------------------- */

static void test_plan_header(void **state)
{
    const zf_defs *d = *state;
    assert_string_equal(d->plan.id, "yuyao");
    assert_string_equal(d->plan.source_set_id, "yuyao");
    assert_string_equal(d->plan.region_tree_id, "yuyao");
    assert_int_equal(d->plan.n_years, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(d->plan.years[i], 2023 + i);
    assert_int_equal(strlen(d->plan_sha256), 64);
    assert_int_equal(d->plan.n_indicators, 27);
    assert_int_equal(d->sources.n_sources, 25);
}

static void test_indicators_match_seed_table(void **state)
{
    const zf_defs *d = *state;
    for (size_t i = 0; i < 27; i++) {
        const expect *e = &table[i];
        const zf_indicator *ind = &d->plan.indicators[i];
        assert_int_equal(ind->number, e->number);
        assert_string_equal(ind->category, e->category);
        assert_string_equal(ind->name, e->name);
        size_t n_units = e->units[1] ? 2 : 1;
        assert_int_equal(ind->n_units, n_units);
        for (size_t u = 0; u < n_units; u++)
            assert_string_equal(ind->units[u], e->units[u]);
        for (size_t y = 0; y < 5; y++) {
            assert_non_null(ind->targets[y].cell);
            assert_string_equal(ind->targets[y].cell, e->targets[y]);
        }
        assert_true(ind->gloss[0] != '\0');
        assert_true(ind->definition[0] != '\0');
    }
}

static void test_targets_parsed(void **state)
{
    const zf_defs *d = *state;
    const zf_target *t9 = &indicator(d, 9)->targets[0];
    assert_int_equal(t9->op, ZF_TARGET_GE);
    assert_true(t9->percent);
    assert_int_equal(t9->num, 82);
    assert_int_equal(t9->den, 100);
    const zf_target *t15 = &indicator(d, 15)->targets[2];
    assert_int_equal(t15->op, ZF_TARGET_LT);
    assert_int_equal(t15->num, 9);
    assert_int_equal(t15->den, 1000);
    const zf_target *t2 = &indicator(d, 2)->targets[3];
    assert_int_equal(t2->op, ZF_TARGET_GT);
    assert_int_equal(t2->num, 18);
    assert_int_equal(t2->den, 1);
    assert_false(t2->percent);
    const zf_target *t6 = &indicator(d, 6)->targets[4];
    assert_int_equal(t6->op, ZF_TARGET_WORD);
    assert_string_equal(t6->word, "达成");
    assert_int_equal(indicator(d, 5)->targets[0].num, 14700);
}

static void test_town_breakdown_set(void **state)
{
    const zf_defs *d = *state;
    static const int expected[] = {7, 8, 9, 10, 12, 13, 14, 16, 17, 20, 23};
    size_t k = 0;
    for (size_t i = 0; i < d->plan.n_indicators; i++) {
        const zf_indicator *ind = &d->plan.indicators[i];
        bool by_region = ind->parts[0].rule.by_region;
        for (size_t p = 1; p < ind->n_parts; p++)
            assert_int_equal(ind->parts[p].rule.by_region, by_region);
        if (!by_region)
            continue;
        assert_true(k < sizeof expected / sizeof expected[0]);
        assert_int_equal(ind->number, expected[k++]);
        const zf_rule *r = &ind->parts[0].rule;
        assert_string_equal(colname(d, r->sel.source, r->region_column), "乡镇街道");
    }
    assert_int_equal(k, sizeof expected / sizeof expected[0]);
}

static void test_rule_rate_with_exists(void **state)
{
    const zf_defs *d = *state;
    const zf_indicator *ind = indicator(d, 7);
    assert_int_equal(ind->n_parts, 2);
    assert_string_equal(ind->parts[0].name, "探访关爱率");
    assert_string_equal(ind->parts[1].name, "幸福清单送达率");
    const zf_rule *r = &ind->parts[1].rule;
    int hh = zf_sources_find(&d->sources, "relief_households");
    int cv = zf_sources_find(&d->sources, "care_visits");
    assert_int_equal(r->kind, ZF_RULE_RATE);
    assert_int_equal(r->value_kind, ZF_VALUE_RATE);
    assert_int_equal(r->sel.source, hh);
    assert_int_equal(r->sel.scope.kind, ZF_SCOPE_ACTIVE_AT_R);
    assert_int_equal(r->sel.scope.column, 5);      /* 纳入日期 */
    assert_int_equal(r->sel.scope.end_column, 6);  /* 退出日期 */
    assert_true(r->has_exists);
    assert_int_equal(r->key_column, 0);
    assert_int_equal(r->exists.source, cv);
    assert_int_equal(r->exists_key, 1);
    assert_int_equal(r->exists.scope.kind, ZF_SCOPE_IN_YEAR);
    assert_int_equal(r->exists.scope.column, 3);   /* 日期 */
    assert_int_equal(r->exists.n_where, 1);
    assert_int_equal(r->exists.where[0].column, 2);
    assert_int_equal(r->exists.where[0].codes[0], 1);  /* 幸福清单送达 is word 1 of 类型 */
}

static void test_rule_signed_sums(void **state)
{
    const zf_defs *d = *state;
    const zf_rule *r = &indicator(d, 10)->parts[0].rule;
    const zf_source *ms = source(d, "medical_settlements");
    assert_int_equal(r->n_num_where, 0);
    assert_int_equal(r->sel.n_where, 2);
    assert_int_equal(r->sel.where[0].op, ZF_OP_IN);
    assert_int_equal(r->sel.where[0].n_codes, 2);
    assert_int_equal(r->sel.where[0].codes[0], 0);   /* 低保 */
    assert_int_equal(r->sel.where[0].codes[1], 1);   /* 特困 */
    assert_int_equal(r->sel.where[1].codes[0], 1);   /* 门诊慢特病 */
    assert_int_equal(r->sel.where[1].codes[1], 2);   /* 住院 */
    assert_int_equal(r->num_sum.n_terms, 1);
    assert_int_equal(r->num_sum.columns[0], zf_source_column(ms, "医疗救助支付"));
    assert_int_equal(r->den_sum.n_terms, 3);
    assert_int_equal(r->den_sum.columns[0], 7);
    assert_int_equal(r->den_sum.signs[0], 1);
    assert_int_equal(r->den_sum.columns[1], 8);
    assert_int_equal(r->den_sum.signs[1], -1);
    assert_int_equal(r->den_sum.columns[2], 9);
    assert_int_equal(r->den_sum.signs[2], -1);
    assert_int_equal(r->den_sum.scale, 1);

    const zf_rule *r9 = &indicator(d, 9)->parts[0].rule;
    assert_int_equal(r9->sel.where[0].op, ZF_OP_NOT_IN);
    assert_int_equal(r9->sel.where[0].codes[0], 4);  /* 其他 */
}

static void test_rule_ratio_two_sources(void **state)
{
    const zf_defs *d = *state;
    const zf_rule *r = &indicator(d, 15)->parts[0].rule;
    assert_int_equal(r->kind, ZF_RULE_RATIO);
    assert_int_equal(r->sel.source, zf_sources_find(&d->sources, "disaster_losses"));
    assert_int_equal(r->den_sel.source, zf_sources_find(&d->sources, "gdp"));
    assert_int_equal(r->den_sel.scope.kind, ZF_SCOPE_YEAR_COL);
    assert_int_equal(r->den_sel.scope.column, 0);
    assert_int_equal(r->num_sum.columns[0], 3);
    assert_int_equal(r->den_sum.columns[0], 1);
    assert_int_equal(r->den_sum.scale, 10000);
    assert_false(r->by_region);

    const zf_rule *r26 = &indicator(d, 26)->parts[0].rule;
    assert_int_equal(r26->den_sel.source, r26->sel.source);
    assert_int_equal(r26->num_sum.columns[0], 1);
    assert_int_equal(r26->den_sum.columns[0], 2);
}

static void test_rule_latest_milestone_growth_count(void **state)
{
    const zf_defs *d = *state;
    const zf_rule *r5 = &indicator(d, 5)->parts[0].rule;
    assert_int_equal(r5->kind, ZF_RULE_LATEST);
    assert_int_equal(r5->value_kind, ZF_VALUE_AMOUNT);
    assert_int_equal(r5->sel.scope.kind, ZF_SCOPE_ALL);
    assert_int_equal(r5->factor, 12);
    assert_int_equal(r5->value_column, 1);
    assert_int_equal(r5->date_column, 2);
    assert_int_equal(r5->sel.where[0].codes[0], 0);
    assert_int_equal(indicator(d, 18)->parts[0].rule.sel.where[0].codes[0], 3);

    const zf_rule *r6 = &indicator(d, 6)->parts[0].rule;
    assert_int_equal(r6->value_kind, ZF_VALUE_WORD);
    assert_int_equal(r6->sel.scope.kind, ZF_SCOPE_YEAR_COL);
    assert_int_equal(r6->sel.scope.column, 1);
    assert_int_equal(r6->sel.where[0].op, ZF_OP_EQ_NUM);
    assert_int_equal(r6->sel.where[0].number, 6);
    assert_int_equal(r6->date_column, 5);
    assert_int_equal(r6->value_column, 2);

    const zf_rule *r12 = &indicator(d, 12)->parts[0].rule;
    assert_int_equal(r12->num_where[0].op, ZF_OP_GT_NUM);
    assert_int_equal(r12->num_where[0].column, 5);
    assert_int_equal(r12->sel.where[0].codes[0], 1);   /* 认定困难 = 是 */

    const zf_rule *r17 = &indicator(d, 17)->parts[0].rule;
    assert_int_equal(r17->kind, ZF_RULE_GROWTH);
    assert_int_equal(r17->num_sum.columns[0], 4);
    assert_int_equal(r17->den_sum.columns[0], 3);

    const zf_rule *r20 = &indicator(d, 20)->parts[0].rule;
    assert_int_equal(r20->kind, ZF_RULE_COUNT);
    assert_int_equal(r20->value_kind, ZF_VALUE_COUNT);
    assert_true(r20->has_distinct);
    assert_int_equal(r20->distinct_column, 0);

    assert_int_equal(indicator(d, 23)->parts[0].rule.kind, ZF_RULE_COVERAGE);
    assert_int_equal(indicator(d, 23)->parts[0].rule.sel.scope.kind, ZF_SCOPE_ON_OR_BEFORE_R);
    assert_int_equal(indicator(d, 25)->parts[0].rule.sel.scope.kind, ZF_SCOPE_DURING_YEAR);
    const zf_rule *r16 = &indicator(d, 16)->parts[0].rule;
    assert_int_equal(r16->num_where[0].op, ZF_OP_PRESENT_LE_R);
    assert_int_equal(r16->num_where[0].column, 3);
}

static void test_policies(void **state)
{
    const zf_defs *d = *state;
    assert_int_equal(d->plan.n_policies, 5);
    const zf_policy_rule *p = &d->plan.policies[0];
    assert_int_equal(p->kind, ZF_POLICY_RATIO_EQ);
    assert_int_equal(p->factor_num, 17);
    assert_int_equal(p->factor_den, 10);
    assert_int_equal(p->a_indicator, 0);
    assert_int_equal(p->a_rule.kind, ZF_RULE_LATEST);
    assert_int_equal(p->a_rule.sel.where[0].codes[0], 2);   /* 特困供养 */
    assert_int_equal(p->b_rule.sel.where[0].codes[0], 0);   /* 最低生活保障 */
    assert_int_equal(d->plan.policies[1].kind, ZF_POLICY_RATIO_GE);
    assert_int_equal(d->plan.policies[1].factor_num, 13);
    assert_int_equal(d->plan.policies[2].factor_num, 2);
    assert_int_equal(d->plan.policies[2].factor_den, 1);
    assert_int_equal(d->plan.policies[3].a_indicator, 18);
    assert_int_equal(d->plan.policies[3].b_indicator, 5);
    assert_int_equal(d->plan.policies[3].factor_num, 11);
    assert_int_equal(d->plan.policies[4].kind, ZF_POLICY_NOT_LOWER);
    assert_int_equal(d->plan.policies[4].a_indicator, 5);
}

static void test_sources(void **state)
{
    const zf_defs *d = *state;
    const zf_source *rh = source(d, "relief_households");
    assert_string_equal(rh->title, "救助对象家庭名册");
    assert_string_equal(rh->unit, "市民政局");
    assert_int_equal(rh->kind, ZF_SOURCE_FILE);
    assert_string_equal(rh->encoding, "auto");
    assert_int_equal(rh->n_columns, 7);
    assert_true(rh->columns[0].personal);
    assert_true(rh->columns[1].personal);
    assert_int_equal(rh->columns[1].type, ZF_COL_CITIZEN_ID);
    assert_false(rh->columns[2].personal);
    assert_int_equal(rh->columns[3].type, ZF_COL_ENUM);
    assert_int_equal(rh->columns[3].n_vocab, 4);
    assert_string_equal(rh->columns[3].vocab[3], "支出型困难");
    assert_true(rh->columns[4].has_min);
    assert_false(rh->columns[4].has_max);
    assert_int_equal(rh->columns[4].min, 1);
    assert_true(rh->columns[5].required);
    assert_false(rh->columns[6].required);
    assert_int_equal(rh->n_key, 1);
    assert_int_equal(rh->key[0], 0);

    const zf_source *ms = source(d, "medical_settlements");
    assert_int_equal(ms->n_columns, 11);
    assert_int_equal(ms->n_checks, 2);
    assert_int_equal(ms->checks[0].n_left, 1);
    assert_int_equal(ms->checks[0].left[0], 7);
    assert_int_equal(ms->checks[0].right[0], 6);
    assert_int_equal(ms->checks[1].n_left, 3);
    assert_int_equal(ms->checks[1].left[2], 10);

    const zf_source *st = source(d, "assistance_standards");
    assert_int_equal(st->n_key, 2);
    assert_int_equal(st->key[1], 2);
    assert_int_equal(source(d, "charities")->columns[0].type, ZF_COL_CREDIT_CODE);
    assert_int_equal(zf_source_column(st, "月标准(元)"), 1);
    assert_int_equal(zf_source_column(st, "月标准"), -1);
    assert_int_equal(zf_sources_find(&d->sources, "nosuch"), -1);

    /* every personal column is an ID, a household number or a student number (it embeds the
       citizen ID), and every one of those is personal */
    for (size_t s = 0; s < d->sources.n_sources; s++)
        for (size_t c = 0; c < d->sources.sources[s].n_columns; c++) {
            const zf_column *col = &d->sources.sources[s].columns[c];
            bool want = col->type == ZF_COL_CITIZEN_ID || strcmp(col->name, "户编号") == 0 ||
                        strcmp(col->name, "学籍号") == 0;
            assert_int_equal(col->personal, want);
        }
}

static void test_regions_yuyao(void **state)
{
    const zf_defs *d = *state;
    const zf_region_tree *t = &d->regions;
    assert_int_equal(t->n_regions, 22);
    assert_string_equal(t->regions[0].name, "余姚市");
    assert_int_equal(t->regions[0].parent, -1);
    assert_int_equal(t->regions[0].depth, 0);
    assert_string_equal(t->regions[1].name, "凤山街道");
    assert_string_equal(t->regions[21].name, "鹿亭乡");
    for (size_t i = 1; i < 22; i++) {
        assert_int_equal(t->regions[i].parent, 0);
        assert_int_equal(t->regions[i].depth, 1);
    }
    assert_int_equal(zf_region_find(t, "三七市镇", strlen("三七市镇")), 14);
    const char *buf = "阳明街道,低塘";
    assert_int_equal(zf_region_find(t, buf, strlen("阳明街道")), 4);
    assert_int_equal(zf_region_find(t, "阳明", strlen("阳明")), -1);
    assert_int_equal(zf_region_find(t, "宁波市", strlen("宁波市")), -1);
}

static void test_sha_is_of_the_three_files(void **state)
{
    const zf_defs *d = *state;
    zf_defs *again = NULL;
    zf_error err = {0};
    assert_int_equal(zf_defs_load(&again, ZF_TEMPLATES, "yuyao", &err), ZF_OK);
    assert_string_equal(again->plan_sha256, d->plan_sha256);
    zf_defs_free(again);
    zf_defs *mini = NULL;
    assert_int_equal(zf_defs_load(&mini, ZF_FIXTURE("defs/good"), "mini", &err), ZF_OK);
    assert_string_not_equal(mini->plan_sha256, d->plan_sha256);
    zf_defs_free(mini);
}

/* ---- target cells ------------------------------------------------------------- */

static void check_target(const char *cell, zf_target_op op, bool percent, int64_t num, int64_t den)
{
    zf_target t;
    zf_error err = {0};
    assert_int_equal(zf_target_parse(&t, cell, &err), ZF_OK);
    assert_ptr_equal(t.cell, cell);
    assert_int_equal(t.op, op);
    assert_int_equal(t.percent, percent);
    assert_int_equal(t.num, num);
    assert_int_equal(t.den, den);
}

static void check_bad_target(const char *cell)
{
    zf_target t;
    zf_error err = {0};
    assert_int_equal(zf_target_parse(&t, cell, &err), ZF_ERR_DEFINITION);
    assert_non_null(strstr(err.message, "target"));
}

static void test_target_forms(void **state)
{
    (void)state;
    check_target("82%", ZF_TARGET_GE, true, 82, 100);
    check_target("82%\xC2\xA0\xC2\xA0", ZF_TARGET_GE, true, 82, 100);   /* as in the seed */
    check_target("100%", ZF_TARGET_GE, true, 100, 100);
    check_target("0.9%", ZF_TARGET_GE, true, 9, 1000);
    check_target("16", ZF_TARGET_GE, false, 16, 1);
    check_target("14700", ZF_TARGET_GE, false, 14700, 1);
    check_target(">18", ZF_TARGET_GT, false, 18, 1);
    check_target("＞18", ZF_TARGET_GT, false, 18, 1);
    check_target("﹤0.9%", ZF_TARGET_LT, true, 9, 1000);
    check_target("<0.9%", ZF_TARGET_LT, true, 9, 1000);
    check_target("＜1.25", ZF_TARGET_LT, false, 125, 100);
    check_target("<=5", ZF_TARGET_LE, false, 5, 1);
    check_target("≤5%", ZF_TARGET_LE, true, 5, 100);
    check_target(">=75%", ZF_TARGET_GE, true, 75, 100);
    check_target("≥ 1.3", ZF_TARGET_GE, false, 13, 10);
    check_target("50％", ZF_TARGET_GE, true, 50, 100);

    zf_target t;
    zf_error err = {0};
    assert_int_equal(zf_target_parse(&t, "实现", &err), ZF_OK);
    assert_int_equal(t.op, ZF_TARGET_WORD);
    assert_string_equal(t.word, "实现");
    assert_int_equal(zf_target_parse(&t, "达成", &err), ZF_OK);
    assert_int_equal(t.op, ZF_TARGET_WORD);
    assert_string_equal(t.word, "达成");

    check_bad_target("abc%");
    check_bad_target("");
    check_bad_target("   ");
    check_bad_target("1..2");
    check_bad_target(".5");
    check_bad_target("5.");
    check_bad_target("-3");
    check_bad_target(">");
    check_bad_target("%");
    check_bad_target("12a");
    check_bad_target("1234567890123456");
}

/* ---- region trees of any depth ---------------------------------------------- */

static void test_three_level_tree(void **state)
{
    (void)state;
    zf_defs *d = NULL;
    zf_error err = {0};
    assert_int_equal(zf_defs_load(&d, ZF_FIXTURE("defs/good"), "tree", &err), ZF_OK);
    const zf_region_tree *t = &d->regions;
    static const struct { const char *name; int parent, depth; } want[] = {
        {"浙江省", -1, 0}, {"杭州市", 0, 1}, {"淳安县", 1, 2}, {"建德市", 1, 2}, {"宁波市", 0, 1},
        {"余姚市", 4, 2}, {"凤山街道", 5, 3}, {"兰江街道", 5, 3}, {"慈溪市", 4, 2}, {"温州市", 0, 1},
    };
    assert_int_equal(t->n_regions, 10);
    for (size_t i = 0; i < 10; i++) {
        assert_string_equal(t->regions[i].name, want[i].name);
        assert_int_equal(t->regions[i].parent, want[i].parent);
        assert_int_equal(t->regions[i].depth, want[i].depth);
    }
    assert_int_equal(zf_region_find(t, "兰江街道", strlen("兰江街道")), 7);
    assert_string_equal(d->plan.region_tree_id, "province");
    /* the mini plan's where on 乡镇街道 resolves against this tree: 梨洲街道 is not in it */
    zf_defs_free(d);
}

static void test_mini_plan(void **state)
{
    (void)state;
    zf_defs *d = NULL;
    zf_error err = {0};
    assert_int_equal(zf_defs_load(&d, ZF_FIXTURE("defs/good"), "mini", &err), ZF_OK);
    assert_int_equal(d->regions.n_regions, 4);
    assert_null(d->plan.indicators[1].targets[1].cell);
    const zf_rule *r = &d->plan.indicators[1].parts[0].rule;
    assert_int_equal(r->sel.where[0].op, ZF_OP_NOT_IN);
    assert_int_equal(r->sel.where[0].codes[0], 3);   /* region index of 梨洲街道 */
    assert_true(r->by_region);
    assert_int_equal(r->region_column, 1);
    zf_defs_free(d);
}

/* ---- broken definitions --------------------------------------------------- */

static void expect_failure(const char *dir, const char *plan, zf_status code, const char *file_end,
                           const char *const *needles)
{
    zf_defs *d = (zf_defs *)1;
    zf_error err = {0};
    char buf[1600];
    assert_int_equal(zf_defs_load(&d, dir, plan, &err), code);
    assert_null(d);
    assert_int_equal(err.code, code);
    size_t fl = strlen(err.file), el = strlen(file_end);
    if (fl < el || strcmp(err.file + fl - el, file_end) != 0)
        fail_msg("error names file %s, expected one ending in %s", err.file, file_end);
    zf_error_format(&err, buf, sizeof buf);
    for (; *needles; needles++)
        if (!strstr(buf, *needles))
            fail_msg("message \"%s\" does not mention \"%s\"", buf, *needles);
}

#define NEEDLES(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_unknown_source(void **state)
{
    (void)state;
    expect_failure(ZF_FIXTURE("defs/unknown_source"), "mini", ZF_ERR_DEFINITION, "/plans/mini.json",
                   NEEDLES("indicator 2", "indicators[1].rule.source", "nosuch"));
}

static void test_unknown_column(void **state)
{
    (void)state;
    expect_failure(ZF_FIXTURE("defs/unknown_column"), "mini", ZF_ERR_DEFINITION, "/plans/mini.json",
                   NEEDLES("indicator 1", "indicators[0].rule.where[0].column", "不存在", "households"));
}

static void test_unknown_kind(void **state)
{
    (void)state;
    expect_failure(ZF_FIXTURE("defs/unknown_kind"), "mini", ZF_ERR_DEFINITION, "/plans/mini.json",
                   NEEDLES("indicator 2", "indicators[1].rule.kind", "median", "expected one of rate"));
}

static void test_bad_target_cell(void **state)
{
    (void)state;
    expect_failure(ZF_FIXTURE("defs/bad_target"), "mini", ZF_ERR_DEFINITION, "/plans/mini.json",
                   NEEDLES("indicator 2", "indicators[1].targets[0]", "abc%"));
}

static void test_wrong_number_of_targets(void **state)
{
    (void)state;
    expect_failure(ZF_FIXTURE("defs/target_count"), "mini", ZF_ERR_DEFINITION, "/plans/mini.json",
                   NEEDLES("indicator 2", "indicators[1].targets", "3 targets for 2 plan years"));
}

static void test_enum_word_not_in_vocabulary(void **state)
{
    (void)state;
    expect_failure(ZF_FIXTURE("defs/enum_word"), "mini", ZF_ERR_DEFINITION, "/plans/mini.json",
                   NEEDLES("indicator 1", "indicators[0].rule.where[0].in[1]", "低保户", "低保, 特困"));
}

static void test_malformed_json(void **state)
{
    (void)state;
    zf_defs *d = NULL;
    zf_error err = {0};
    assert_int_equal(zf_defs_load(&d, ZF_FIXTURE("defs/malformed_json"), "mini", &err), ZF_ERR_DEFINITION);
    assert_null(d);
    assert_non_null(strstr(err.file, "malformed_json/plans/mini.json"));
    /* the trailing comma of line 4 is found where the next key should start: line 5, column 1 */
    assert_int_equal(err.line, 5);
    assert_int_equal(err.column, 1);
    assert_non_null(strstr(err.message, "malformed JSON"));
}

static void test_missing_files(void **state)
{
    (void)state;
    expect_failure(ZF_FIXTURE("defs/missing_sources"), "mini", ZF_ERR_IO, "/sources/absent.json",
                   NEEDLES("cannot open"));
    expect_failure(ZF_FIXTURE("defs/good"), "nosuchplan", ZF_ERR_IO, "/plans/nosuchplan.json",
                   NEEDLES("cannot open"));
    expect_failure(ZF_FIXTURE("defs/good"), "../good/plans/mini", ZF_ERR_DEFINITION, "defs/good",
                   NEEDLES("not a usable plans id"));
}

static void test_bad_column_type(void **state)
{
    (void)state;
    expect_failure(ZF_FIXTURE("defs/bad_coltype"), "mini", ZF_ERR_DEFINITION, "/sources/mini.json",
                   NEEDLES("sources[1].columns[2].type", "datum", "expected one of text, date"));
}

/* A date column says whether it is an event date (the default) or a reporting date;
 * anything else, or the member on a column that is not a date, is a mistake. */
static void test_date_kind_checked(void **state)
{
    (void)state;
    expect_failure(ZF_FIXTURE("defs/date_kind_word"), "mini", ZF_ERR_DEFINITION, "/sources/mini.json",
                   NEEDLES("sources[0].columns[4].date_kind", "filed", "expected event or reporting"));
    expect_failure(ZF_FIXTURE("defs/date_kind_not_date"), "mini", ZF_ERR_DEFINITION, "/sources/mini.json",
                   NEEDLES("sources[0].columns[3].date_kind", "only a date column"));
    zf_defs *d = NULL;
    zf_error err = {0};
    assert_int_equal(zf_defs_load(&d, ZF_TEMPLATES, "zhejiang-14th", &err), ZF_OK);
    const zf_source *src = &d->sources.sources[0];
    assert_true(src->columns[zf_source_column(src, "填报日期")].reporting_date);
    zf_defs_free(d);
    assert_int_equal(zf_defs_load(&d, ZF_FIXTURE("defs/good"), "mini", &err), ZF_OK);
    assert_false(d->sources.sources[0].columns[4].reporting_date);   /* 纳入日期: an event */
    zf_defs_free(d);
}

static void test_misspelt_member(void **state)
{
    (void)state;
    expect_failure(ZF_FIXTURE("defs/misspelt_member"), "mini", ZF_ERR_DEFINITION, "/plans/mini.json",
                   NEEDLES("indicator 1", "indicators[0].rule.numerator_wher", "unknown member"));
}

static void test_coltype_names(void **state)
{
    (void)state;
    assert_string_equal(zf_coltype_name(ZF_COL_TEXT), "text");
    assert_string_equal(zf_coltype_name(ZF_COL_CITIZEN_ID), "citizen_id");
    assert_string_equal(zf_coltype_name(ZF_COL_TEXT_OR_DECIMAL), "text_or_decimal");
    assert_string_equal(zf_coltype_name(ZF_COLTYPE_COUNT), "unknown");
}

int main(void)
{
    const struct CMUnitTest yuyao[] = {
        cmocka_unit_test(test_plan_header),
        cmocka_unit_test(test_indicators_match_seed_table),
        cmocka_unit_test(test_targets_parsed),
        cmocka_unit_test(test_town_breakdown_set),
        cmocka_unit_test(test_rule_rate_with_exists),
        cmocka_unit_test(test_rule_signed_sums),
        cmocka_unit_test(test_rule_ratio_two_sources),
        cmocka_unit_test(test_rule_latest_milestone_growth_count),
        cmocka_unit_test(test_policies),
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_regions_yuyao),
        cmocka_unit_test(test_sha_is_of_the_three_files),
    };
    const struct CMUnitTest other[] = {
        cmocka_unit_test(test_target_forms),
        cmocka_unit_test(test_three_level_tree),
        cmocka_unit_test(test_mini_plan),
        cmocka_unit_test(test_unknown_source),
        cmocka_unit_test(test_unknown_column),
        cmocka_unit_test(test_unknown_kind),
        cmocka_unit_test(test_bad_target_cell),
        cmocka_unit_test(test_wrong_number_of_targets),
        cmocka_unit_test(test_enum_word_not_in_vocabulary),
        cmocka_unit_test(test_malformed_json),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_bad_column_type),
        cmocka_unit_test(test_date_kind_checked),
        cmocka_unit_test(test_misspelt_member),
        cmocka_unit_test(test_coltype_names),
    };
    int failed = cmocka_run_group_tests_name("yuyao templates", yuyao, setup_yuyao, teardown_yuyao);
    return failed + cmocka_run_group_tests_name("definitions", other, NULL, NULL);
}
