/* sources.c — the 25 Yuyao sources: volumes, value distributions and the planned
 * outcomes of the 27 indicators.
 *
 * The targets are met or missed on purpose (see the tables near each source), so a
 * pipeline run over this data has 达标, 未达标, 进行中 and 无数据 cells, towns that
 * differ from the city, and policy-rule failures to report. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

#define NOEND INT32_MAX
#define ARRN(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- vocabularies and schemas (column order = sources.md) ---------------- */

static const char *const V_RELIEF[] = {"低保", "低保边缘", "特困", "支出型困难", NULL};
static const char *const V_VISIT[] = {"探访关爱", "幸福清单送达", NULL};
static const char *const V_QUERY[] = {"个人所得税", "银行存款", NULL};
static const char *const V_STD[] = {"最低生活保障", "低保边缘", "特困供养", "困难退役军人生活援助", NULL};
static const char *const V_MS[] = {"实现", "未实现", "达成", "未达成", NULL};
static const char *const V_PERSON[] = {"低保", "特困", "低保边缘", "支出型困难", "其他", NULL};
static const char *const V_CARE[] = {"普通门诊", "门诊慢特病", "住院", NULL};
static const char *const V_MODE[] = {"全流程网上", "部分网上", "线下", NULL};
static const char *const V_FAM[] = {"低保", "低保边缘", "低收入", "其他", NULL};
static const char *const V_AUDIT[] = {"符合", "不符合", "审核中", NULL};
static const char *const V_EMP[] = {"已就业", "未就业", NULL};

#define T(n) {n, SG_TEXT, true, NULL, false}
#define TO(n) {n, SG_TEXT, false, NULL, false}
#define D(n) {n, SG_DATE, true, NULL, false}
#define DO(n) {n, SG_DATE, false, NULL, false}
#define A(n) {n, SG_AMOUNT, true, NULL, false}
#define I(n) {n, SG_INT, true, NULL, false}
#define IP(n) {n, SG_INT, true, NULL, true}
#define YN(n) {n, SG_YESNO, true, NULL, false}
#define CID(n) {n, SG_CID, true, NULL, false}
#define REG(n) {n, SG_REGION, true, NULL, false}
#define EN(n, v) {n, SG_ENUM, true, v, false}

static const sg_col C_RELIEF[] = {T("户编号"), CID("户主身份证号"), REG("乡镇街道"), EN("救助类别", V_RELIEF),
                                  IP("家庭人口"), D("纳入日期"), DO("退出日期")};
static const sg_col C_VISIT[] = {T("记录编号"), T("户编号"), EN("类型", V_VISIT), D("日期")};
static const sg_col C_VERIF[] = {T("委托编号"), T("户编号"), EN("查询类别", V_QUERY), D("委托日期"),
                                 DO("反馈日期"), TO("反馈单位")};
static const sg_col C_STD[] = {EN("标准类别", V_STD), A("月标准(元)"), D("执行日期")};
static const sg_col C_MS[] = {I("指标编号"), I("年度"), EN("状态", V_MS), T("填报单位"), TO("佐证材料"),
                              D("填报日期")};
static const sg_col C_JOINT[] = {T("事项编码"), T("事项名称"), D("上线日期"), DO("停办日期")};
static const sg_col C_EMPL[] = {CID("身份证号"), REG("乡镇街道"), I("年度"), YN("就业意愿"), YN("就业能力"),
                                DO("帮扶日期")};
static const sg_col C_MED[] = {T("结算编号"), CID("身份证号"), REG("乡镇街道"), EN("人员类别", V_PERSON),
                               EN("就诊类型", V_CARE), D("结算日期"), A("医疗总费用"), A("政策范围内费用"),
                               A("基本医保支付"), A("大病保险支付"), A("医疗救助支付")};
static const sg_col C_EMERG[] = {T("申请编号"), D("申请日期"), EN("办理方式", V_MODE)};
static const sg_col C_STUDENT[] = {T("学籍号"), CID("身份证号"), REG("乡镇街道"), I("学年"), YN("认定困难"),
                                   A("资助金额")};
static const sg_col C_HOUSING[] = {T("申请编号"), T("户编号"), REG("乡镇街道"), EN("家庭类别", V_FAM),
                                   D("申请日期"), EN("审核结果", V_AUDIT), DO("保障日期")};
static const sg_col C_DILAP[] = {T("房屋编号"), T("户编号"), REG("乡镇街道"), D("认定日期"), DO("改造完成日期")};
static const sg_col C_DISASTER[] = {T("灾情编号"), T("灾种"), D("发生日期"), A("直接经济损失(万元)")};
static const sg_col C_GDP[] = {I("年度"), A("地区生产总值(亿元)")};
static const sg_col C_SHELTER[] = {T("场所编号"), REG("乡镇街道"), D("建成日期"), DO("规范化验收日期"), DO("撤销日期")};
static const sg_col C_FARM[] = {T("户编号"), REG("乡镇街道"), I("年度"), IP("家庭人口"), A("家庭可支配收入(元)")};
static const sg_col C_CHARITY[] = {{"统一社会信用代码", SG_CREDIT, true, NULL, false}, T("名称"), D("认定日期"),
                                   DO("注销日期")};
static const sg_col C_SHANJU[] = {T("户编号"), REG("乡镇街道"), D("竣工日期")};
static const sg_col C_UNION[] = {T("职工档案号"), I("年度"), A("帮扶资金(元)")};
static const sg_col C_UGRAD[] = {CID("身份证号"), I("毕业年度"), EN("就业状态", V_EMP)};
static const sg_col C_DHOME[] = {T("名称"), REG("乡镇街道"), D("建成日期")};
static const sg_col C_DGRAD[] = {CID("身份证号"), I("毕业年度"), YN("就业意愿"), EN("就业状态", V_EMP)};
static const sg_col C_REDX[] = {T("项目编号"), T("项目名称"), D("立项日期"), DO("结项日期")};
static const sg_col C_INS[] = {I("年度"), I("商业补充医疗保险参保人数"), I("基本医保参保人数")};
static const sg_col C_ELEC[] = {T("户编号"), T("用电户号"), I("年度"), YN("符合条件"), YN("享受优惠")};
/* the targets the Yuyao text states beside its table (plan yuyao-text, issue 22) */
static const sg_col C_TRUST[] = {T("备案编号"), T("信托名称"), T("受托人"), D("备案日期"), A("信托财产规模(元)"),
                                 DO("终止日期")};
static const sg_col C_DONATE[] = {T("捐赠编号"), T("捐赠方"), D("捐赠日期"), A("捐赠金额(元)"), T("接收单位")};
static const sg_col C_INCOME[] = {I("年度"), A("全市居民人均可支配收入(元)"), A("全市居民人均生活消费支出(元)"),
                                  D("发布日期")};

/* Bad-record reasons per source (every reason code appears in several sources). */
static const sg_reason B_RELIEF[] = {R_MISSING, R_BAD_DATE, R_DATE_RANGE, R_BAD_INT, R_OUT_OF_RANGE, R_BAD_ID,
                                     R_BAD_ID_SUM, R_UNKNOWN_ENUM, R_UNKNOWN_REGION, R_DUPLICATE};
static const sg_reason B_VISIT[] = {R_MISSING, R_BAD_DATE, R_DATE_RANGE, R_UNKNOWN_ENUM, R_DUPLICATE};
static const sg_reason B_VERIF[] = {R_MISSING, R_BAD_DATE, R_DATE_RANGE, R_UNKNOWN_ENUM, R_DUPLICATE};
static const sg_reason B_MS[] = {R_BAD_INT, R_UNKNOWN_ENUM, R_BAD_DATE};
static const sg_reason B_JOINT[] = {R_MISSING, R_BAD_DATE};
static const sg_reason B_EMPL[] = {R_BAD_ID, R_BAD_ID_SUM, R_UNKNOWN_REGION, R_BAD_INT, R_BAD_YESNO, R_BAD_DATE,
                                   R_DATE_RANGE, R_MISSING, R_DUPLICATE};
static const sg_reason B_MED[] = {R_MISSING, R_BAD_ID, R_BAD_ID_SUM, R_UNKNOWN_REGION, R_UNKNOWN_ENUM, R_BAD_DATE,
                                  R_DATE_RANGE, R_BAD_AMOUNT, R_NEG_AMOUNT, R_INCONSISTENT, R_INCONSISTENT,
                                  R_DUPLICATE};
static const sg_reason B_EMERG[] = {R_BAD_DATE, R_UNKNOWN_ENUM, R_MISSING, R_DUPLICATE};
static const sg_reason B_STUDENT[] = {R_BAD_ID, R_BAD_ID_SUM, R_BAD_INT, R_BAD_YESNO, R_BAD_AMOUNT, R_NEG_AMOUNT,
                                      R_UNKNOWN_REGION, R_MISSING, R_DUPLICATE};
static const sg_reason B_HOUSING[] = {R_UNKNOWN_ENUM, R_BAD_DATE, R_DATE_RANGE, R_UNKNOWN_REGION, R_MISSING,
                                      R_DUPLICATE};
static const sg_reason B_DILAP[] = {R_BAD_DATE, R_DATE_RANGE, R_UNKNOWN_REGION, R_MISSING, R_DUPLICATE};
static const sg_reason B_DISASTER[] = {R_BAD_AMOUNT, R_NEG_AMOUNT};
static const sg_reason B_SHELTER[] = {R_BAD_DATE, R_UNKNOWN_REGION};
static const sg_reason B_FARM[] = {R_OUT_OF_RANGE, R_BAD_INT, R_BAD_AMOUNT, R_NEG_AMOUNT, R_UNKNOWN_REGION,
                                   R_MISSING, R_DUPLICATE};
static const sg_reason B_CHARITY[] = {R_BAD_CREDIT, R_BAD_CREDIT, R_BAD_CREDIT, R_BAD_DATE, R_MISSING};
static const sg_reason B_SHANJU[] = {R_UNKNOWN_REGION, R_BAD_DATE};
static const sg_reason B_UNION[] = {R_BAD_AMOUNT, R_NEG_AMOUNT, R_BAD_INT, R_MISSING, R_DUPLICATE};
static const sg_reason B_UGRAD[] = {R_BAD_ID, R_BAD_ID_SUM, R_UNKNOWN_ENUM, R_BAD_INT};
static const sg_reason B_DHOME[] = {R_UNKNOWN_REGION};
static const sg_reason B_DGRAD[] = {R_BAD_YESNO, R_BAD_ID_SUM, R_UNKNOWN_ENUM};
static const sg_reason B_REDX[] = {R_BAD_DATE, R_MISSING};
static const sg_reason B_ELEC[] = {R_BAD_YESNO, R_BAD_INT, R_MISSING, R_DUPLICATE};

#define SRC(stem, c, b, share, minr) {stem, c, ARRN(c), b, ARRN(b), share, minr}
#define SRC0(stem, c) {stem, c, ARRN(c), NULL, 0, 0, 0}

static const sg_srcdef S_RELIEF = SRC("relief_households", C_RELIEF, B_RELIEF, 0.005, 2);
static const sg_srcdef S_VISIT = SRC("care_visits", C_VISIT, B_VISIT, 0.002, 3);
static const sg_srcdef S_VERIF = SRC("verification_requests", C_VERIF, B_VERIF, 0.004, 2);
static const sg_srcdef S_STD = SRC0("assistance_standards", C_STD);
static const sg_srcdef S_MS = SRC("milestones", C_MS, B_MS, 0.15, 1);
static const sg_srcdef S_JOINT = SRC("joint_service_items", C_JOINT, B_JOINT, 0.05, 1);
static const sg_srcdef S_EMPL = SRC("employment_assistance", C_EMPL, B_EMPL, 0.005, 2);
static const sg_srcdef S_MED = SRC("medical_settlements", C_MED, B_MED, 0.005, 3);
static const sg_srcdef S_EMERG = SRC("emergency_aid_applications", C_EMERG, B_EMERG, 0.01, 1);
static const sg_srcdef S_STUDENT = SRC("student_aid", C_STUDENT, B_STUDENT, 0.005, 2);
static const sg_srcdef S_HOUSING = SRC("housing_applications", C_HOUSING, B_HOUSING, 0.006, 2);
static const sg_srcdef S_DILAP = SRC("dilapidated_houses", C_DILAP, B_DILAP, 0.01, 1);
static const sg_srcdef S_DISASTER = SRC("disaster_losses", C_DISASTER, B_DISASTER, 0.02, 1);
static const sg_srcdef S_GDP = SRC0("gdp", C_GDP);
static const sg_srcdef S_SHELTER = SRC("shelters", C_SHELTER, B_SHELTER, 0.01, 1);
static const sg_srcdef S_FARM = SRC("low_income_farmers", C_FARM, B_FARM, 0.004, 2);
static const sg_srcdef S_CHARITY = SRC("charities", C_CHARITY, B_CHARITY, 0.02, 1);
static const sg_srcdef S_SHANJU = SRC("shanju_households", C_SHANJU, B_SHANJU, 0.005, 1);
static const sg_srcdef S_UNION = SRC("union_hardship_workers", C_UNION, B_UNION, 0.005, 1);
static const sg_srcdef S_UGRAD = SRC("union_family_graduates", C_UGRAD, B_UGRAD, 0.01, 1);
static const sg_srcdef S_DHOME = SRC("disability_homes", C_DHOME, B_DHOME, 0.0, 1);
static const sg_srcdef S_DGRAD = SRC("disabled_graduates", C_DGRAD, B_DGRAD, 0.02, 1);
static const sg_srcdef S_REDX = SRC("red_cross_projects", C_REDX, B_REDX, 0.0, 1);
static const sg_srcdef S_INS = SRC0("insurance_enrollment", C_INS);
static const sg_srcdef S_ELEC = SRC("electricity_discounts", C_ELEC, B_ELEC, 0.004, 2);
/* no bad records: the yuyao plan does not read these two, so its truth file stays its own */
static const sg_srcdef S_TRUST = SRC0("charity_trusts", C_TRUST);
static const sg_srcdef S_DONATE = SRC0("donations", C_DONATE);
static const sg_srcdef S_INCOME = SRC0("resident_income", C_INCOME);

/* ---- layouts ------------------------------------------------------------ */

static const sg_layout L_CSV = {F_CSV, E_UTF8, false, false, NULL, 0, NULL};
static const sg_layout L_CRLF = {F_CSV, E_UTF8, true, false, NULL, 0, NULL};
static const sg_layout L_CRLF_QALL = {F_CSV, E_UTF8, true, true, NULL, 0, NULL};
static const sg_layout L_GB = {F_CSV, E_GB18030, false, false, NULL, 0, NULL};
static const sg_layout L_JSON = {F_JSON, E_UTF8, false, false, NULL, 0, NULL};
static const sg_layout L_JSONL = {F_JSONL, E_UTF8, false, false, NULL, 0, NULL};
static const sg_layout L_XLSX = {F_XLSX, E_UTF8, false, false, NULL, 0, NULL};
/* reordered columns plus a column of the department's own */
static const int O_RELIEF[] = {0, 2, 1, 3, 4, 5, 6, 7};
static const sg_layout L_RELIEF = {F_CSV, E_UTF8_BOM, false, false, O_RELIEF, ARRN(O_RELIEF), "经办人"};
static const int O_FARM[] = {2, 0, 5, 1, 4, 3};
static const sg_layout L_FARM = {F_CSV, E_UTF8, false, false, O_FARM, ARRN(O_FARM), "村(社区)"};
static const int O_EMPL[] = {1, 0, 2, 3, 4, 5, 6};
static const sg_layout L_EMPL = {F_XLSX, E_UTF8, false, false, O_EMPL, ARRN(O_EMPL), "备注"};

/* ---- small helpers ------------------------------------------------------ */

/* Town sizes (relative), deliberately uneven: the urban streets are large. */
static const int town_w[SG_NTOWNS] = {140, 110, 90, 100, 50, 50, 60, 40, 30, 80, 60,
                                      40, 40, 30, 30, 20, 40, 30, 15, 10, 10};

/* the town of a hash value, weighted by town size (people keep their town) */
static int town_of(uint64_t h)
{
    int total = 0;
    for (int i = 0; i < SG_NTOWNS; i++)
        total += town_w[i];
    int x = (int)(h % (uint64_t)total);
    for (int i = 0; i < SG_NTOWNS; i++)
        if ((x -= town_w[i]) < 0)
            return i;
    return 0;
}

static int town_pick(sg_rng *r) { return town_of(sg_next(r)); }

/* rural towns (index >= 6) weigh 4x more, for dilapidated houses */
static int rural_town_pick(sg_rng *r)
{
    for (;;) {
        int t = town_pick(r);
        if (t >= 6 || sg_chance(r, 0.25))
            return t;
    }
}

static int64_t sc(const sg_gen *g, double base, int64_t min)
{
    int64_t n = (int64_t)(base * g->scale + 0.5);
    return n < min ? min : n;
}

static int32_t jan1(int y) { return sg_days(y, 1, 1); }
static int32_t dec31(int y) { return sg_days(y, 12, 31); }
static int32_t ref_day(const sg_gen *g, int y) { return dec31(y) < g->asof ? dec31(y) : g->asof; }
static int32_t rand_day(sg_rng *r, int32_t lo, int32_t hi) { return (int32_t)sg_range(r, lo, hi); }

/* A value form: mostly the file's own, now and then another accepted one. */
static int dform(sg_rng *r, int primary)
{
    return sg_chance(r, 0.04) ? (int)(sg_next(r) % SG_D_NFORMS) : primary;
}
static int aform(sg_rng *r, int primary)
{
    return sg_chance(r, 0.04) ? (int)(sg_next(r) % SG_A_NFORMS) : primary;
}

static void put_date(sg_rec *rec, int i, int32_t day, int form, sg_rng *r)
{
    char b[64];
    sg_fmt_date(b, day, form, r);
    sg_rec_str(rec, i, b);
}
static void put_amount(sg_rec *rec, int i, int64_t fen, int form)
{
    char b[64];
    sg_fmt_amount(b, fen, form);
    sg_rec_str(rec, i, b);
}
static void put_int(sg_rec *rec, int i, int64_t v, bool grouped)
{
    char b[64];
    sg_fmt_int(b, v, grouped);
    sg_rec_str(rec, i, b);
}
static void put_hh(sg_rec *rec, int i, uint32_t no)
{
    char b[16];
    snprintf(b, sizeof b, "HH%08u", (unsigned)no);
    sg_rec_str(rec, i, b);
}
/* XLSX: a numeric cell, with the same value as text for the other formats */
static void put_num(sg_rec *rec, int i, int64_t fen, bool integer)
{
    char b[64];
    if (integer)
        sg_fmt_int(b, fen, false);
    else
        sg_fmt_amount(b, fen, SG_A_PLAIN);
    sg_rec_str(rec, i, b);
    rec->f[i].kind = K_NUM;
    /* the one double: libxlsxwriter's number cells take one; nothing is summed from it */
    rec->f[i].num = integer ? (double)fen : (double)fen / 100.0;
}
static void put_serial(sg_rec *rec, int i, int32_t day)
{
    char b[64];
    sg_fmt_date(b, day, SG_D_ISO, NULL);
    sg_rec_str(rec, i, b);
    rec->f[i].kind = K_SERIAL;
    rec->f[i].num = (double)(day - sg_days(1899, 12, 30)); /* Excel serial date */
}

/* Surrounding blanks the pipeline must trim: ASCII spaces or U+3000. */
static void maybe_pad(sg_rec *rec, int i, sg_rng *r, double p)
{
    if (!rec->f[i].s[0] || rec->f[i].kind != K_TEXT || !sg_chance(r, p))
        return;
    char b[256];
    static const char *const pads[][2] = {{" ", ""}, {"", "  "}, {" ", " "},
                                          {"\xE3\x80\x80", ""}, {"", "\xE3\x80\x80"}};
    const char *const *pp = pads[sg_next(r) % 5];
    snprintf(b, sizeof b, "%s%s%s", pp[0], rec->f[i].s, pp[1]);
    sg_rec_str(rec, i, b);
}

/* ---- planned misses of the 100% indicators ------------------------------- */
/* Bit (Y-2022) set: in year Y some towns fall short of 100%. */
enum { M3, M4, M7A, M7B, M8, M12, M13, M14, M21, M24, M27, MN };
static const unsigned miss_years[MN] = {
    [M3] = 1u << 0 | 1u << 2, [M4] = 1u << 1 | 1u << 3, [M7A] = 1u << 3, [M7B] = 1u << 0 | 1u << 2,
    [M8] = 1u << 0 | 1u << 3, [M12] = 1u << 1, [M13] = 1u << 2, [M14] = 1u << 1 | 1u << 3,
    [M21] = 1u << 2, [M24] = 1u << 2, [M27] = 1u << 1};

static bool miss_year(int which, int y) { return y >= 2022 && y < 2032 && (miss_years[which] >> (y - 2022)) & 1u; }

/* In a miss year the shortfall sits in a few towns, one of them always. */
static bool town_miss(const sg_gen *g, int which, int y, int town)
{
    if (!miss_year(which, y))
        return false;
    uint64_t h = sg_hash(g->seed, (uint64_t)(which * 10000 + y));
    return town == (int)(h % SG_NTOWNS) || sg_hash(h, (uint64_t)town) % 100 < 15;
}

/* ---- a source in progress ----------------------------------------------- */

typedef struct job {
    sg_src *s;
    sg_rec *rec;
    sg_rng r;
} job;

static zf_status job_start(job *j, sg_gen *g, const sg_srcdef *def, const sg_layout *lay, const char *fname,
                           zf_error *err)
{
    j->s = calloc(1, sizeof *j->s);
    j->rec = calloc(1, sizeof *j->rec);
    if (!j->s || !j->rec)
        return zf_error_set(err, ZF_ERR_NOMEM, fname, 0, 0, "out of memory");
    sg_rng_seed(&j->r, g->seed, def->stem);
    return fname ? sg_src_open(j->s, g, def, lay, fname, err) : ZF_OK;
}

static zf_status job_end(job *j, zf_status st, zf_error *err)
{
    if (!st && j->s && j->s->def)
        st = sg_src_finish(j->s, err);
    if (j->s)
        sg_src_free(j->s);
    free(j->s);
    free(j->rec);
    j->s = NULL;
    j->rec = NULL;
    return st;
}

#define EMIT(j) sg_src_emit((j)->s, (j)->rec, err)

/* ===================================================================== */
/* relief_households — the register; kept in memory for the sources that refer to it */

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static zf_status gen_relief(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_RELIEF, &L_RELIEF, "relief_households.csv", err);
    size_t n = (size_t)sc(g, 14000, 50);
    int32_t *ins = st ? NULL : malloc(n * sizeof *ins);
    g->hh = st ? NULL : calloc(n, sizeof *g->hh);
    if (!st && (!ins || !g->hh))
        st = zf_error_set(err, ZF_ERR_NOMEM, "relief_households", 0, 0, "out of memory");
    if (!st) {
        int32_t lo = sg_days(2015, 1, 1);
        for (size_t i = 0; i < n; i++)
            ins[i] = rand_day(&j.r, lo, g->asof);
        qsort(ins, n, sizeof *ins, cmp_i32); /* 户编号 follow the date of inclusion */
        g->nhh = n;
    }
    static const char *const clerks[] = {"张丽", "王芳", "李强", "陈静", "杨洁", "徐敏", "孙伟", "朱红", ""};
    for (size_t i = 0; i < n && !st; i++) {
        sg_hh *h = &g->hh[i];
        h->no = 10000001u + (uint32_t)i;
        h->town = (uint8_t)town_pick(&j.r);
        int c = (int)sg_range(&j.r, 0, 99);
        h->cat = c < 55 ? 0 : c < 77 ? 1 : c < 88 ? 2 : 3;
        h->size = h->cat == 2 ? 1 : (uint8_t)(1 + sg_range(&j.r, 0, 2) + sg_range(&j.r, 0, 2));
        h->in = ins[i];
        int32_t out = h->in + rand_day(&j.r, 60, 16 * 365);
        if (sg_chance(&j.r, 0.10)) /* annual review: exit on 31 December */
            out = dec31(sg_year_of(out));
        h->out = out > g->asof ? NOEND : out;

        sg_rec *r = j.rec;
        sg_rec_clear(r);
        char id[19];
        put_hh(r, 0, h->no);
        sg_person_id(id, i, sg_days(1940, 1, 1), 20000, 11);
        sg_rec_str(r, 1, id);
        sg_rec_str(r, 2, sg_towns[h->town]);
        sg_rec_str(r, 3, V_RELIEF[h->cat]);
        put_int(r, 4, h->size, false);
        put_date(r, 5, h->in, dform(&j.r, SG_D_ISO), &j.r);
        if (h->out != NOEND)
            put_date(r, 6, h->out, dform(&j.r, SG_D_ISO), &j.r);
        sg_rec_str(r, 7, clerks[sg_next(&j.r) % ARRN(clerks)]);
        maybe_pad(r, 2, &j.r, 0.01);
        maybe_pad(r, 3, &j.r, 0.005);
        st = EMIT(&j);
    }
    free(ins);
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* care_visits — several visits per household and year, sorted by date per year */

typedef struct visit {
    int32_t day;
    uint32_t no;
    uint8_t type; /* 0 探访关爱, 1 幸福清单送达 */
    uint8_t orphan;
} visit;

static int cmp_visit(const void *a, const void *b)
{
    const visit *x = a, *y = b;
    if (x->day != y->day)
        return (x->day > y->day) - (x->day < y->day);
    if (x->no != y->no)
        return (x->no > y->no) - (x->no < y->no);
    return x->type - y->type;
}

static zf_status gen_visits(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_VISIT, &L_CSV, "care_visits.csv", err);
    size_t cap = g->nhh * 12 + 1024;
    visit *v = st ? NULL : malloc(cap * sizeof *v);
    if (!st && !v)
        st = zf_error_set(err, ZF_ERR_NOMEM, "care_visits", 0, 0, "out of memory");
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        size_t nv = 0;
        int32_t y0 = jan1(y), y1 = dec31(y);
        for (size_t i = 0; i < g->nhh; i++) {
            const sg_hh *h = &g->hh[i];
            if (h->in > y1 || h->out <= y0)
                continue;
            int32_t lo = h->in > y0 ? h->in : y0;
            int32_t hi = h->out != NOEND && h->out - 1 < y1 ? h->out - 1 : y1;
            if (hi < lo)
                hi = lo;
            int k[2] = {2 + (int)sg_range(&j.r, 0, 4), 1 + sg_chance(&j.r, 0.3)};
            if (town_miss(g, M7A, y, h->town) && sg_chance(&j.r, 0.08))
                k[0] = 0;
            if (town_miss(g, M7B, y, h->town) && sg_chance(&j.r, 0.08))
                k[1] = 0;
            for (int t = 0; t < 2; t++)
                for (int m = 0; m < k[t]; m++) {
                    int32_t d = rand_day(&j.r, lo, hi);
                    if (d > g->asof) /* the current year: not yet visited */
                        continue;
                    v[nv++] = (visit){d, h->no, (uint8_t)t, 0};
                }
        }
        /* visits to households the register does not hold (orphans, not rejects) */
        size_t norph = nv / 500 + 2;
        for (size_t i = 0; i < norph; i++) {
            int32_t d = rand_day(&j.r, y0, y1 < g->asof ? y1 : g->asof);
            v[nv++] = (visit){d, 80000000u + (uint32_t)sg_range(&j.r, 0, 9999999), (uint8_t)sg_range(&j.r, 0, 1), 1};
        }
        qsort(v, nv, sizeof *v, cmp_visit);
        int form = y <= 2023 ? SG_D_TIME : y == 2024 ? SG_D_SLASH : SG_D_ISO;
        for (size_t i = 0; i < nv && !st; i++) {
            sg_rec *r = j.rec;
            sg_rec_clear(r);
            char b[32];
            snprintf(b, sizeof b, "TF%04d%07zu", y, i + 1);
            sg_rec_str(r, 0, b);
            put_hh(r, 1, v[i].no);
            sg_rec_str(r, 2, V_VISIT[v[i].type]);
            put_date(r, 3, v[i].day, dform(&j.r, form), &j.r);
            maybe_pad(r, 2, &j.r, 0.003);
            st = v[i].orphan ? sg_src_orphan(j.s, r, 1, err) : EMIT(&j);
        }
    }
    free(v);
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* verification_requests — GB18030; tax and bank queries with their answers */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static zf_status gen_verif(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_VERIF, &L_GB, "verification_requests.csv", err);
    size_t per = (size_t)sc(g, 3200, 20);
    uint32_t *q = st ? NULL : malloc(2 * per * sizeof *q);
    if (!st && !q)
        st = zf_error_set(err, ZF_ERR_NOMEM, "verification_requests", 0, 0, "out of memory");
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        int32_t y0 = jan1(y), y1 = dec31(y);
        size_t nq = 0;
        for (size_t i = 0; i < 2 * per; i++) {
            int32_t d = rand_day(&j.r, y0, y1);
            if (d <= g->asof)
                q[nq++] = (uint32_t)(d - y0) << 1 | (uint32_t)(i & 1);
        }
        qsort(q, nq, sizeof *q, cmp_u32);
        int form = y <= 2023 ? SG_D_CN : SG_D_ISO;
        for (size_t i = 0; i < nq && !st; i++) {
            int cat = (int)(q[i] & 1);
            int32_t d = y0 + (int32_t)(q[i] >> 1);
            int32_t fb = d + rand_day(&j.r, 1, 12);
            /* December requests answered in January miss the year, except where the
             * plan wants the year met: then the office answered before 31 December */
            if (!miss_year(cat ? M4 : M3, y) && fb > y1)
                fb = y1 > d ? y1 : d;
            if (miss_year(cat ? M4 : M3, y) && sg_chance(&j.r, 0.004))
                fb = NOEND; /* never answered */
            if (fb > g->asof)
                fb = NOEND;
            sg_rec *r = j.rec;
            sg_rec_clear(r);
            char b[32];
            snprintf(b, sizeof b, "WT%04d%06zu", y, i + 1);
            sg_rec_str(r, 0, b);
            put_hh(r, 1, g->hh[sg_next(&j.r) % g->nhh].no);
            sg_rec_str(r, 2, V_QUERY[cat]);
            put_date(r, 3, d, dform(&j.r, form), &j.r);
            if (fb != NOEND) {
                put_date(r, 4, fb, dform(&j.r, form), &j.r);
                sg_rec_str(r, 5, cat ? "人行余姚支行" : "市税务局");
            }
            maybe_pad(r, 2, &j.r, 0.005);
            st = EMIT(&j);
        }
    }
    free(q);
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* assistance_standards — 低保 rising every year; 2024 narrowly below target (15360 <
 * 15400); 特困 = 1.7 x 低保 except 2025 (2260 instead of 2269.50); veterans = 1.1 x 低保 */

static zf_status gen_standards(sg_gen *g, zf_error *err)
{
    static const struct { int cat; int64_t fen; int y, m, d; } rows[] = {
        {0, 108000, 2021, 1, 1}, {1, 216000, 2021, 1, 1}, {2, 183600, 2021, 1, 1}, {3, 118800, 2021, 1, 1},
        {0, 114000, 2022, 1, 1}, {1, 228000, 2022, 1, 1}, {2, 193800, 2022, 1, 1}, {3, 125400, 2022, 1, 1},
        {0, 122500, 2023, 1, 1}, {1, 245000, 2023, 1, 1}, {2, 208250, 2023, 1, 1}, {3, 134750, 2023, 1, 1},
        {0, 128000, 2024, 7, 1}, {1, 256000, 2024, 7, 1}, {2, 217600, 2024, 7, 1}, {3, 140800, 2024, 7, 1},
        {0, 133500, 2025, 1, 1}, {1, 267000, 2025, 1, 1}, {2, 226000, 2025, 1, 1}, {3, 146850, 2025, 1, 1},
        {0, 137500, 2026, 1, 1}, {1, 275000, 2026, 1, 1}, {2, 233750, 2026, 1, 1}, {3, 151250, 2026, 1, 1},
    };
    job j = {0};
    zf_status st = job_start(&j, g, &S_STD, &L_CSV, "assistance_standards.csv", err);
    static const int forms[] = {SG_A_FIXED, SG_A_COMMA, SG_A_PLAIN, SG_A_FIXED};
    for (int i = 0; i < ARRN(rows) && !st; i++) {
        int32_t d = sg_days(rows[i].y, rows[i].m, rows[i].d);
        if (d > g->asof)
            continue;
        sg_rec_clear(j.rec);
        sg_rec_str(j.rec, 0, V_STD[rows[i].cat]);
        put_amount(j.rec, 1, rows[i].fen, forms[(i / 4) % 4]);
        put_date(j.rec, 2, d, i < 8 ? SG_D_CN : SG_D_ISO, &j.r);
        st = EMIT(&j);
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* milestones — CRLF, every field quoted; evidence text with commas, quotes and
 * line breaks.  2023 ind.1: 未实现 then corrected to 实现; 2023 ind.6 has a report
 * dated in 2024 (after R, so not counted); 2024 ind.6 未达成. */

static zf_status gen_milestones(sg_gen *g, zf_error *err)
{
    static const struct { int ind, year; const char *status; int y, m, d; const char *ev; } rows[] = {
        {1, 2022, "实现", 2022, 12, 20, "联合体已挂牌,配备专职人员8名"},
        {6, 2022, "未达成", 2022, 12, 28, "救助站等级评定尚未开展"},
        {1, 2023, "未实现", 2023, 6, 30, "场地改造中,预计年底前完成"},
        {6, 2023, "达成", 2023, 11, 30, "经宁波市民政局评定为三级救助站\n附件:评定通知、现场照片"},
        {1, 2023, "实现", 2023, 12, 18, "联合体实体化运作,详见\"联合体运行报告\",含:\n1. 人员名册\n2. 运行台账"},
        {6, 2023, "未达成", 2024, 1, 15, "复核意见:部分设施不达标(年度终了后补报)"},
        {1, 2024, "实现", 2024, 12, 16, "年度运行台账,服务对象3,215人次"},
        {6, 2024, "未达成", 2024, 12, 20, "等级复评未通过,整改中"},
        {1, 2025, "实现", 2025, 7, 1, ""},
        {6, 2025, "未达成", 2025, 6, 30, "整改进行中"},
        {1, 2025, "实现", 2025, 12, 22, "全年运行正常,见附件1、附件2"},
        {6, 2025, "达成", 2025, 12, 26, "复评通过,三级\n附件:复评结论"},
        {1, 2026, "实现", 2026, 6, 28, "上半年运行情况报告"},
        {6, 2026, "达成", 2026, 5, 20, "维持三级"},
    };
    job j = {0};
    zf_status st = job_start(&j, g, &S_MS, &L_CRLF_QALL, "milestones.csv", err);
    for (int i = 0; i < ARRN(rows) && !st; i++) {
        int32_t d = sg_days(rows[i].y, rows[i].m, rows[i].d);
        if (d > g->asof)
            continue;
        sg_rec_clear(j.rec);
        put_int(j.rec, 0, rows[i].ind, false);
        put_int(j.rec, 1, rows[i].year, false);
        sg_rec_str(j.rec, 2, rows[i].status);
        sg_rec_str(j.rec, 3, "市民政局");
        sg_rec_str(j.rec, 4, rows[i].ev);
        put_date(j.rec, 5, d, i % 3 == 0 ? SG_D_CN : SG_D_ISO, &j.r);
        st = EMIT(&j);
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* joint_service_items — CRLF, names with commas and line breaks.  Active at year end:
 * 2022 14, 2023 16 (met), 2024 16 (target 17: missed), 2025 19 (met; one item stopped
 * exactly on 2025-12-31 and is not counted), 2026 20 (>18). */

static zf_status gen_joint(sg_gen *g, zf_error *err)
{
    static const struct { const char *name; int y, m, d; int ey, em, ed; } items[] = {
        {"最低生活保障申请、审核,确认一件事", 2019, 3, 1, 0, 0, 0},
        {"特困人员救助供养\"一件事\"", 2019, 3, 1, 0, 0, 0},
        {"临时救助申请", 2019, 6, 15, 0, 0, 0},
        {"低保边缘家庭认定", 2019, 9, 1, 0, 0, 0},
        {"支出型困难家庭认定,救助", 2020, 1, 10, 0, 0, 0},
        {"困难群众医疗救助\n一站式结算", 2020, 4, 1, 0, 0, 0},
        {"困难学生资助", 2020, 8, 20, 0, 0, 0},
        {"残疾人两项补贴", 2020, 11, 1, 0, 0, 0},
        {"住房救助申请", 2021, 2, 1, 0, 0, 0},
        {"就业援助,公益性岗位安置", 2021, 5, 1, 0, 0, 0},
        {"困难职工帮扶", 2021, 7, 1, 0, 0, 0},
        {"优惠电价申请", 2021, 10, 8, 0, 0, 0},
        {"殡葬费用减免", 2022, 3, 1, 0, 0, 0},
        {"法律援助申请\n(困难群众)", 2022, 9, 1, 0, 0, 0},
        {"慈善救助对接", 2023, 4, 1, 0, 0, 0},
        {"困难退役军人帮扶援助", 2023, 10, 1, 2024, 9, 30},
        {"供暖,供水费用减免", 2025, 2, 15, 0, 0, 0},
        {"流浪乞讨人员救助", 2024, 5, 20, 0, 0, 0},
        {"疾病应急救助", 2025, 3, 1, 2025, 12, 31},
        {"困境儿童保障", 2025, 6, 1, 0, 0, 0},
        {"残疾人托养服务补贴", 2025, 9, 1, 0, 0, 0},
        {"电动自行车保险补助,意外伤害保险", 2026, 3, 1, 0, 0, 0},
    };
    job j = {0};
    zf_status st = job_start(&j, g, &S_JOINT, &L_CRLF, "joint_service_items.csv", err);
    for (int i = 0; i < ARRN(items) && !st; i++) {
        int32_t d = sg_days(items[i].y, items[i].m, items[i].d);
        if (d > g->asof)
            continue;
        sg_rec_clear(j.rec);
        char b[32];
        snprintf(b, sizeof b, "YJS-%03d", i + 1);
        sg_rec_str(j.rec, 0, b);
        sg_rec_str(j.rec, 1, items[i].name);
        put_date(j.rec, 2, d, i % 4 == 1 ? SG_D_SLASH : SG_D_ISO, &j.r);
        if (items[i].ey) {
            int32_t e = sg_days(items[i].ey, items[i].em, items[i].ed);
            if (e <= g->asof)
                put_date(j.rec, 3, e, SG_D_ISO, &j.r);
        }
        st = EMIT(&j);
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* employment_assistance — XLSX; dates as Excel serials or text, 年度 numeric */

static void put_xlsx_date(sg_rec *r, int i, int32_t d, sg_rng *rng)
{
    uint64_t k = sg_next(rng) % 10;
    if (k < 5)
        put_serial(r, i, d);
    else
        put_date(r, i, d, k < 8 ? SG_D_ISO : k < 9 ? SG_D_SLASH : SG_D_COMPACT, rng);
}

static const char *yesno_any(bool v, sg_rng *r)
{
    uint64_t k = sg_next(r) % 20;
    int form = k < 12 ? SG_YN_CN : k < 15 ? SG_YN_YN : k < 18 ? SG_YN_10 : SG_YN_TF;
    return sg_fmt_yesno(v, form, r);
}

static zf_status gen_employment(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_EMPL, &L_EMPL, "employment_assistance.xlsx", err);
    size_t pool = (size_t)sc(g, 3000, 30);
    static const char *const notes[] = {"", "", "", "公益性岗位", "技能培训", "推荐就业", "灵活就业"};
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        int32_t y0 = jan1(y), y1 = dec31(y);
        for (size_t p = 0; p < pool && !st; p++) {
            if (!sg_chance(&j.r, 0.5))
                continue;
            sg_rec *r = j.rec;
            sg_rec_clear(r);
            char id[19];
            sg_person_id(id, p, sg_days(1966, 1, 1), 13000, 23);
            int town = town_of(sg_hash(g->seed ^ 23, p));
            bool will = sg_chance(&j.r, 0.7), able = sg_chance(&j.r, 0.75);
            int32_t help = NOEND;
            if (will && able) {
                help = rand_day(&j.r, y0, y1);
                if (town_miss(g, M8, y, town) && sg_chance(&j.r, 0.06))
                    help = sg_chance(&j.r, 0.5) ? NOEND : y1 + rand_day(&j.r, 1, 40); /* too late */
            } else if (sg_chance(&j.r, 0.2)) {
                help = rand_day(&j.r, y0, y1);
            }
            if (help != NOEND && help > g->asof)
                help = NOEND;
            sg_rec_str(r, 0, id);
            sg_rec_str(r, 1, sg_towns[town]);
            put_num(r, 2, y, true);
            if (sg_chance(&j.r, 0.1))
                put_int(r, 2, y, false); /* some 年度 as text cells */
            sg_rec_str(r, 3, yesno_any(will, &j.r));
            sg_rec_str(r, 4, yesno_any(able, &j.r));
            if (help != NOEND)
                put_xlsx_date(r, 5, help, &j.r);
            sg_rec_str(r, 6, notes[sg_next(&j.r) % ARRN(notes)]);
            maybe_pad(r, 1, &j.r, 0.01);
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* medical_settlements — one file per year, each with its own date and amount forms.
 * Indicator 9 (coverage) and 10 (aid share) follow the per-year parameters below. */

typedef struct med_year { int year; int dform, aform; int policy_pm; int aid10_pm; } med_year;

static zf_status gen_medical(sg_gen *g, zf_error *err)
{
    /* policy_pm: policy-scope share of total cost (per mille), drives indicator 9;
     * aid10_pm: aid share of the remaining policy-scope cost of 低保/特困 chronic and
     * inpatient care, drives indicator 10 (targets 66/68/70/70%). */
    static const med_year yrs[] = {
        {2022, SG_D_TIME, SG_A_PLAIN, 905, 640}, {2023, SG_D_SLASH, SG_A_FIXED, 931, 675},
        {2024, SG_D_COMPACT, SG_A_COMMA, 912, 665}, {2025, SG_D_ISO, SG_A_FIXED, 955, 715},
        {2026, SG_D_ISO, SG_A_PLAIN, 972, 712}, {2027, SG_D_ISO, SG_A_PLAIN, 975, 712},
    };
    job j = {0};
    zf_status st = job_start(&j, g, &S_MED, NULL, NULL, err);
    uint64_t persons = (uint64_t)sc(g, 30000, 100);
    int64_t per_year = sc(g, 40000, 100);
    uint32_t *perday = calloc(367, sizeof *perday);
    if (!st && !perday)
        st = zf_error_set(err, ZF_ERR_NOMEM, "medical_settlements", 0, 0, "out of memory");
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        const med_year *P = &yrs[y - 2022 < ARRN(yrs) ? (y < 2022 ? 0 : y - 2022) : ARRN(yrs) - 1];
        int32_t y0 = jan1(y), y1 = dec31(y);
        char fname[64];
        snprintf(fname, sizeof fname, "medical_settlements.%d.csv", y);
        if ((st = sg_src_open(j.s, g, &S_MED, &L_CSV, fname, err)))
            break;
        /* counting sort by day: settlements come out in date order without a big array */
        memset(perday, 0, 367 * sizeof *perday);
        for (int64_t i = 0; i < per_year; i++)
            perday[sg_next(&j.r) % (uint64_t)(y1 - y0 + 1)]++;
        long seq = 0;
        for (int32_t d = y0; d <= y1 && d <= g->asof && !st; d++) {
            for (uint32_t k = 0; k < perday[d - y0] && !st; k++) {
                uint64_t p = sg_next(&j.r) % persons;
                uint64_t ph = sg_hash(g->seed ^ 0x3ED, p);
                int town = town_of(ph % 1000003);
                int pc = (int)(ph >> 20) % 100;
                int cat = pc < 38 ? 0 : pc < 46 ? 1 : pc < 66 ? 2 : pc < 74 ? 3 : 4;
                int kind = (int)sg_range(&j.r, 0, 99);
                kind = kind < 60 ? 0 : kind < 85 ? 1 : 2;
                double u = sg_u01(&j.r);
                int64_t total;
                if (kind == 0)
                    total = 3000 + (int64_t)(u * u * 60000);
                else if (kind == 1)
                    total = 15000 + (int64_t)(u * u * 300000);
                else
                    total = 200000 + (int64_t)(u * u * u * 6000000);
                /* towns differ a little around the year's parameters */
                int tn = (int)(sg_hash(g->seed ^ (uint64_t)y, (uint64_t)town) % 21) - 10;
                int64_t pol_pm = P->policy_pm + (kind == 2 ? -20 : 10) + tn;
                if (pol_pm > 1000)
                    pol_pm = 1000;
                int64_t policy = total * pol_pm / 1000;
                int64_t basic = policy * (kind == 0 ? 550 : kind == 1 ? 620 : 650) / 1000;
                int64_t major = kind == 2 && total > 2000000 ? (policy - basic) * 500 / 1000 : 0;
                int64_t rest = policy - basic - major;
                int64_t aid_pm;
                if (cat <= 1)
                    aid_pm = kind == 0 ? 450 : P->aid10_pm + tn;
                else if (cat == 2)
                    aid_pm = 520;
                else if (cat == 3)
                    aid_pm = 420;
                else
                    aid_pm = 0; /* 其他: no medical aid */
                int64_t aid = rest * aid_pm / 1000;

                sg_rec *r = j.rec;
                sg_rec_clear(r);
                char b[32], id[19];
                snprintf(b, sizeof b, "JS%04d%08ld", y, ++seq);
                sg_rec_str(r, 0, b);
                sg_person_id(id, p, sg_days(1935, 1, 1), 30000, 0x3ED);
                sg_rec_str(r, 1, id);
                sg_rec_str(r, 2, sg_towns[town]);
                sg_rec_str(r, 3, V_PERSON[cat]);
                sg_rec_str(r, 4, V_CARE[kind]);
                put_date(r, 5, d, dform(&j.r, P->dform), &j.r);
                int64_t am[5] = {total, policy, basic, major, aid};
                int af = aform(&j.r, P->aform);
                for (int a = 0; a < 5; a++)
                    put_amount(r, 6 + a, am[a], af);
                maybe_pad(r, 2, &j.r, 0.002);
                maybe_pad(r, 6, &j.r, 0.002);
                st = EMIT(&j);
            }
        }
        /* the top-up of bad records goes into the last file */
        if (!st && y < g->asof_year)
            st = sg_src_close_file(j.s, err);
    }
    free(perday);
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* emergency_aid_applications — share handled fully online: exact counts per year */

static zf_status gen_emergency(sg_gen *g, zf_error *err)
{
    static const int online_pm[] = {60, 118, 385, 832, 870, 900};
    job j = {0};
    zf_status st = job_start(&j, g, &S_EMERG, &L_CSV, "emergency_aid_applications.csv", err);
    int64_t n = sc(g, 300, 30);
    int32_t *days = st ? NULL : malloc((size_t)n * sizeof *days);
    uint8_t *mode = st ? NULL : malloc((size_t)n);
    if (!st && (!days || !mode))
        st = zf_error_set(err, ZF_ERR_NOMEM, "emergency_aid_applications", 0, 0, "out of memory");
    long seq = 0;
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        int32_t y0 = jan1(y), y1 = dec31(y);
        for (int64_t i = 0; i < n; i++)
            days[i] = rand_day(&j.r, y0, y1);
        qsort(days, (size_t)n, sizeof *days, cmp_i32);
        int64_t k = n * online_pm[(y - 2022) % ARRN(online_pm)] / 1000;
        for (int64_t i = 0; i < n; i++)
            mode[i] = i < k ? 0 : sg_chance(&j.r, 0.5) ? 1 : 2;
        for (int64_t i = n - 1; i > 0; i--) { /* shuffle the modes over the year */
            int64_t x = sg_range(&j.r, 0, i);
            uint8_t t = mode[i];
            mode[i] = mode[x];
            mode[x] = t;
        }
        for (int64_t i = 0; i < n && !st; i++) {
            if (days[i] > g->asof)
                continue;
            sg_rec_clear(j.rec);
            char b[32];
            snprintf(b, sizeof b, "JJ%d-%05ld", y, ++seq);
            sg_rec_str(j.rec, 0, b);
            put_date(j.rec, 1, days[i], dform(&j.r, SG_D_ISO), &j.r);
            sg_rec_str(j.rec, 2, V_MODE[mode[i]]);
            st = EMIT(&j);
        }
    }
    free(days);
    free(mode);
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* student_aid — XLSX, one workbook per school year; the school year starting in
 * September of the as-of year is not there yet (indicator 12: 无数据). */

static zf_status gen_student(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_STUDENT, NULL, NULL, err);
    int64_t n = sc(g, 2500, 25);
    int last = g->asof >= sg_days(g->asof_year, 9, 1) ? g->asof_year : g->asof_year - 1;
    for (int y = g->first_year; y <= last && !st; y++) {
        char fname[64];
        snprintf(fname, sizeof fname, "student_aid.%d.xlsx", y);
        if ((st = sg_src_open(j.s, g, &S_STUDENT, &L_XLSX, fname, err)))
            break;
        for (int64_t i = 0; i < n && !st; i++) {
            uint64_t p = (uint64_t)(y - 2015) * 1000000u + (uint64_t)i; /* a new set every year */
            sg_rec *r = j.rec;
            sg_rec_clear(r);
            char id[19], sid[24];
            sg_person_id(id, p, sg_days(2004, 1, 1), 5800, 0x57D);
            snprintf(sid, sizeof sid, "G%s", id);
            sg_rec_str(r, 0, sid);
            sg_rec_str(r, 1, id);
            int town = town_pick(&j.r);
            sg_rec_str(r, 2, sg_towns[town]);
            put_num(r, 3, y, true);
            bool hard = sg_chance(&j.r, 0.85);
            sg_rec_str(r, 4, yesno_any(hard, &j.r));
            int64_t fen = hard ? sg_range(&j.r, 10, 50) * 10000 : sg_chance(&j.r, 0.1) ? 50000 : 0;
            if (hard && town_miss(g, M12, y, town) && sg_chance(&j.r, 0.03))
                fen = 0;
            uint64_t k = sg_next(&j.r) % 10;
            if (k < 6)
                put_num(r, 5, fen, false);
            else
                put_amount(r, 5, fen, k < 8 ? SG_A_COMMA : k < 9 ? SG_A_PLAIN : SG_A_FULL);
            maybe_pad(r, 0, &j.r, 0.005);
            st = EMIT(&j);
        }
        if (!st && y < last)
            st = sg_src_close_file(j.s, err);
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* housing_applications — a JSON array; optional dates empty as null or "" */

static zf_status gen_housing(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_HOUSING, &L_JSON, "housing_applications.json", err);
    int64_t n = sc(g, 400, 20);
    int32_t *days = st ? NULL : malloc((size_t)n * sizeof *days);
    if (!st && !days)
        st = zf_error_set(err, ZF_ERR_NOMEM, "housing_applications", 0, 0, "out of memory");
    long seq = 0;
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        int32_t y0 = jan1(y), y1 = dec31(y);
        for (int64_t i = 0; i < n; i++)
            days[i] = rand_day(&j.r, y0, y1);
        qsort(days, (size_t)n, sizeof *days, cmp_i32);
        for (int64_t i = 0; i < n && !st; i++) {
            int32_t d = days[i];
            if (d > g->asof)
                continue;
            int c = (int)sg_range(&j.r, 0, 99);
            int fam = c < 35 ? 0 : c < 65 ? 1 : c < 85 ? 2 : 3;
            c = (int)sg_range(&j.r, 0, 99);
            int res = c < 70 ? 0 : c < 90 ? 1 : 2;
            const sg_hh *h = &g->hh[sg_next(&j.r) % g->nhh];
            int32_t grant = NOEND;
            if (res == 0) {
                grant = d + rand_day(&j.r, 15, 75);
                if (town_miss(g, M13, y, h->town) && sg_chance(&j.r, 0.08))
                    grant = sg_chance(&j.r, 0.5) ? NOEND : y1 + rand_day(&j.r, 1, 60);
                else if (grant > y1 && y1 >= d)
                    grant = y1; /* the office cleared its year-end backlog */
                if (grant != NOEND && grant > g->asof) {
                    grant = NOEND;
                    res = 2; /* still being processed at the as-of date */
                }
            }
            sg_rec *r = j.rec;
            sg_rec_clear(r);
            char b[32];
            snprintf(b, sizeof b, "ZF%d%05ld", y, ++seq);
            sg_rec_str(r, 0, b);
            put_hh(r, 1, h->no);
            sg_rec_str(r, 2, sg_towns[h->town]);
            sg_rec_str(r, 3, V_FAM[fam]);
            put_date(r, 4, d, dform(&j.r, y % 2 ? SG_D_ISO : SG_D_TIME), &j.r);
            sg_rec_str(r, 5, V_AUDIT[res]);
            if (grant != NOEND)
                put_date(r, 6, grant, dform(&j.r, SG_D_ISO), &j.r);
            else if (sg_chance(&j.r, 0.5))
                r->f[6].kind = K_NULL;
            maybe_pad(r, 3, &j.r, 0.01);
            st = EMIT(&j);
        }
    }
    free(days);
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* dilapidated_houses — JSON Lines */

static zf_status gen_dilapidated(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_DILAP, &L_JSONL, "dilapidated_houses.jsonl", err);
    int64_t n = sc(g, 150, 15);
    long seq = 0;
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        int32_t y0 = jan1(y), y1 = dec31(y);
        for (int64_t i = 0; i < n && !st; i++) {
            int32_t d = y0 + (int32_t)((y1 - y0 + 1) * i / n) + rand_day(&j.r, 0, 1);
            if (d > y1)
                d = y1;
            if (d > g->asof)
                break;
            int town = rural_town_pick(&j.r);
            int32_t done = d + rand_day(&j.r, 30, 200);
            if (town_miss(g, M14, y, town) && sg_chance(&j.r, 0.1))
                done = sg_chance(&j.r, 0.5) ? NOEND : y1 + rand_day(&j.r, 1, 90);
            else if (done > y1)
                done = y1;
            if (done != NOEND && done > g->asof)
                done = NOEND;
            sg_rec *r = j.rec;
            sg_rec_clear(r);
            char b[32];
            snprintf(b, sizeof b, "WF%d%05ld", y, ++seq);
            sg_rec_str(r, 0, b);
            put_hh(r, 1, g->hh[sg_next(&j.r) % g->nhh].no);
            sg_rec_str(r, 2, sg_towns[town]);
            put_date(r, 3, d, dform(&j.r, SG_D_ISO), &j.r);
            if (done != NOEND)
                put_date(r, 4, done, dform(&j.r, SG_D_ISO), &j.r);
            else
                r->f[4].kind = K_NULL;
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* gdp and disaster_losses — GDP of closed years only; losses / GDP per year:
 * 0.42%, 0.31%, 0.96% (typhoon year, target <0.9% missed), 0.55%, 0.12% so far. */

static const int64_t gdp_fen[] = {131740, 140052, 149783, 158761, 167620}; /* 亿元 x100, 2021.. */

static zf_status gen_gdp(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_GDP, &L_CSV, "gdp.csv", err);
    for (int y = 2021; y < g->asof_year && y - 2021 < ARRN(gdp_fen) && !st; y++) {
        sg_rec_clear(j.rec);
        put_int(j.rec, 0, y, false);
        put_amount(j.rec, 1, gdp_fen[y - 2021], y == 2024 ? SG_A_COMMA : SG_A_FIXED);
        st = EMIT(&j);
    }
    return job_end(&j, st, err);
}

typedef struct loss_ev { int32_t day; int64_t w; int typhoon; } loss_ev;

static int cmp_ev(const void *a, const void *b)
{
    const loss_ev *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

static zf_status gen_disaster(sg_gen *g, zf_error *err)
{
    static const int ratio_pm10k[] = {42, 31, 96, 55, 12, 30}; /* per 10,000 of GDP */
    static const char *const kinds[] = {"暴雨洪涝", "干旱", "冰雹", "地质灾害", "低温冰冻", "风雹"};
    job j = {0};
    zf_status st = job_start(&j, g, &S_DISASTER, &L_CSV, "disaster_losses.csv", err);
    long seq = 0;
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        int gi = y - 2021 < ARRN(gdp_fen) ? y - 2021 : ARRN(gdp_fen) - 1;
        /* total loss in 万元 x100: GDP(亿元) x 10000 x ratio */
        int64_t total = gdp_fen[gi] * 10000 * ratio_pm10k[(y - 2022) % ARRN(ratio_pm10k)] / 10000;
        int ev = 10 + (int)sg_range(&j.r, 0, 8);
        loss_ev e[32];
        int64_t ws = 0;
        for (int k = 0; k < ev; k++) {
            e[k].typhoon = k == 0; /* one dominant event: a summer typhoon */
            e[k].w = sg_range(&j.r, 1, 100) + (k == 0 ? (y == 2024 ? 900 : 150) : 0);
            e[k].day = k == 0 ? rand_day(&j.r, sg_days(y, 7, 10), sg_days(y, 9, 25))
                              : rand_day(&j.r, jan1(y), dec31(y));
            ws += e[k].w;
        }
        qsort(e, (size_t)ev, sizeof e[0], cmp_ev);
        int64_t left = total;
        for (int k = 0; k < ev && !st; k++) {
            int64_t loss = k == ev - 1 ? left : total * e[k].w / ws;
            left -= loss;
            if (e[k].day > g->asof)
                continue;
            sg_rec_clear(j.rec);
            char b[32];
            snprintf(b, sizeof b, "ZQ%d-%03ld", y, ++seq);
            sg_rec_str(j.rec, 0, b);
            sg_rec_str(j.rec, 1, e[k].typhoon ? "台风" : kinds[sg_next(&j.r) % ARRN(kinds)]);
            put_date(j.rec, 2, e[k].day, SG_D_ISO, &j.r);
            put_amount(j.rec, 3, loss, aform(&j.r, SG_A_FIXED));
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* shelters — standard-built share around 77% / 80% (target 82: missed) / 92% / 96% */

static zf_status gen_shelters(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_SHELTER, &L_CSV, "shelters.csv", err);
    int64_t n = sc(g, 160, 60);
    /* cumulative share accepted by the end of 2022, 2023, ... */
    static const int by_pm[] = {700, 775, 800, 925, 960, 960};
    for (int64_t i = 0; i < n && !st; i++) {
        int town = i < SG_NTOWNS ? (int)i : town_pick(&j.r);
        int32_t built = sg_chance(&j.r, 0.85) ? rand_day(&j.r, sg_days(2008, 1, 1), sg_days(2021, 12, 31))
                                              : rand_day(&j.r, sg_days(2022, 1, 1), g->asof);
        int64_t u = ((i * 7919) % n) * 1000 / n + 500 / n; /* stratified position in [0,1000) */
        int32_t acc = NOEND;
        for (int k = 0; k < ARRN(by_pm); k++) {
            if (u < by_pm[k]) {
                int y = 2022 + k;
                int32_t lo = k == 0 ? sg_days(2018, 1, 1) : jan1(y);
                if (lo < built)
                    lo = built;
                acc = lo > dec31(y) ? lo : rand_day(&j.r, lo, dec31(y));
                break;
            }
        }
        if (acc != NOEND && acc > g->asof)
            acc = NOEND;
        int32_t revoked = NOEND;
        if (sg_chance(&j.r, 0.03))
            revoked = rand_day(&j.r, sg_days(2022, 1, 1), g->asof);
        if (revoked != NOEND && revoked <= built)
            revoked = NOEND;
        sg_rec_clear(j.rec);
        char b[32];
        snprintf(b, sizeof b, "BZ%04ld", (long)i + 1);
        sg_rec_str(j.rec, 0, b);
        sg_rec_str(j.rec, 1, sg_towns[town]);
        put_date(j.rec, 2, built, dform(&j.r, SG_D_ISO), &j.r);
        if (acc != NOEND)
            put_date(j.rec, 3, acc, dform(&j.r, SG_D_ISO), &j.r);
        if (revoked != NOEND)
            put_date(j.rec, 4, revoked, SG_D_ISO, &j.r);
        st = EMIT(&j);
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* low_income_farmers — annual income monitoring, closed years only.  Growth of the
 * per-capita income: 2023 +12.9% (target 12), 2024 +9.1% (target 10: missed), 2025
 * +10.9%.  Reordered columns plus 村(社区). */

static zf_status gen_farmers(sg_gen *g, zf_error *err)
{
    static const int64_t pc_fen[] = {1680000, 1896720, 2069322, 2294879, 2524367}; /* 2022.. */
    static const char *const villages[] = {"东门村", "西岙村", "南雷村", "北郊社区", "新丰村", "湖西村", "万圣村"};
    job j = {0};
    zf_status st = job_start(&j, g, &S_FARM, &L_FARM, "low_income_farmers.csv", err);
    int64_t n = sc(g, 2200, 40);
    for (int y = g->first_year; y < g->asof_year && y - 2022 < ARRN(pc_fen) && !st; y++) {
        for (int64_t i = 0; i < n && !st; i++) {
            uint64_t h = sg_hash(g->seed ^ 0xFA, (uint64_t)i);
            int first = 2022 + (int)(h % 100 < 8 ? 1 + (h >> 8) % 3 : 0); /* some join later */
            if (y < first)
                continue;
            int town = 6 + (int)((h >> 16) % (SG_NTOWNS - 6));
            int size = 1 + (int)((h >> 24) % 5);
            if (y >= 2025 && (h >> 32) % 10 == 0)
                size++; /* a birth or a returning member */
            int64_t factor = 700 + (int64_t)((h >> 40) % 600);         /* per mille */
            int64_t noise = 970 + sg_range(&j.r, 0, 60);
            int64_t inc = pc_fen[y - 2022] * size * factor / 1000 * noise / 1000;
            sg_rec *r = j.rec;
            sg_rec_clear(r);
            char b[32];
            snprintf(b, sizeof b, "NH%06ld", (long)i + 1);
            sg_rec_str(r, 0, b);
            sg_rec_str(r, 1, sg_towns[town]);
            put_int(r, 2, y, false);
            put_int(r, 3, size, false);
            uint64_t k = sg_next(&j.r) % 20;
            if (k == 0)
                inc = inc / 100 * 100; /* a whole-yuan figure in full-width digits */
            put_amount(r, 4, inc, k == 0 ? SG_A_FULL : k < 6 ? SG_A_COMMA : k < 12 ? SG_A_PLAIN : SG_A_FIXED);
            sg_rec_str(r, 5, villages[(h >> 48) % ARRN(villages)]);
            maybe_pad(r, 1, &j.r, 0.01);
            maybe_pad(r, 4, &j.r, 0.01);
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* charities — GB18030.  Active at year end: 14, 19 (18 met), 23 (24 missed; one
 * cancelled exactly on 2024-12-31), 31 (30 met), 34 by mid-2026. */

static zf_status gen_charities(sg_gen *g, zf_error *err)
{
    static const int per_year[] = {11, 4, 5, 5, 8, 3, 3}; /* founded <=2021, 2022, 2023, ... */
    static const char *const names[] = {"慈善基金会", "慈善总会", "爱心互助会", "公益服务中心", "助学促进会",
                                        "乡贤慈善基金会", "红十字志愿服务中心", "扶贫济困会"};
    static const char *const places[] = {"余姚市", "余姚市凤山", "余姚市阳明", "余姚市泗门", "余姚市梁弄",
                                         "余姚市马渚", "余姚市陆埠", "余姚市兰江", "余姚市临山", "余姚市丈亭"};
    job j = {0};
    zf_status st = job_start(&j, g, &S_CHARITY, &L_GB, "charities.csv", err);
    int no = 0;
    for (int k = 0; k < ARRN(per_year) && !st; k++) {
        int y = 2021 + k;
        for (int i = 0; i < per_year[k] && !st; i++, no++) {
            int32_t d = k == 0 ? rand_day(&j.r, sg_days(2012, 1, 1), sg_days(2021, 12, 31))
                               : rand_day(&j.r, jan1(y), y == 2026 ? sg_days(2026, 5, 31) : sg_days(y, 11, 30));
            if (d > g->asof)
                continue;
            int32_t end = NOEND;
            if (no == 3)
                end = sg_days(2022, 8, 15);
            if (no == 7)
                end = sg_days(2024, 12, 31); /* year end: not active at R */
            if (end != NOEND && end > g->asof)
                end = NOEND;
            char cc[19], name[128];
            sg_credit_code(cc, &j.r, '5', (char)("123"[sg_next(&j.r) % 3]));
            snprintf(name, sizeof name, "%s%s%s", places[no % ARRN(places)],
                     no >= ARRN(places) ? (const char *[]){"第二", "城东", "城西", "新城"}[no % 4] : "",
                     names[no % ARRN(names)]);
            sg_rec_clear(j.rec);
            sg_rec_str(j.rec, 0, cc);
            sg_rec_str(j.rec, 1, name);
            put_date(j.rec, 2, d, no % 2 ? SG_D_CN : SG_D_ISO, &j.r);
            if (end != NOEND)
                put_date(j.rec, 3, end, SG_D_CN, &j.r);
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* shanju_households — completions: 55, 64, 58 (target 60 missed), 71, 27 so far */

static zf_status gen_shanju(sg_gen *g, zf_error *err)
{
    static const int per_year[] = {55, 64, 58, 71, 54, 60};
    job j = {0};
    zf_status st = job_start(&j, g, &S_SHANJU, &L_CSV, "shanju_households.csv", err);
    size_t next = 0;
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        int n = per_year[(y - 2022) % ARRN(per_year)];
        for (int i = 0; i < n && !st; i++) {
            int32_t d = rand_day(&j.r, jan1(y), dec31(y));
            if (d > g->asof)
                continue;
            /* distinct households, spread over the register */
            const sg_hh *h = &g->hh[(next++ * 7919) % g->nhh];
            sg_rec_clear(j.rec);
            put_hh(j.rec, 0, h->no);
            sg_rec_str(j.rec, 1, sg_towns[h->town]);
            put_date(j.rec, 2, d, dform(&j.r, SG_D_COMPACT), &j.r);
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* union_hardship_workers — aid coverage 100% except 2024 */

static zf_status gen_union(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_UNION, &L_CSV, "union_hardship_workers.csv", err);
    int64_t pool = sc(g, 400, 20);
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        for (int64_t i = 0; i < pool && !st; i++) {
            if (!sg_chance(&j.r, 0.8))
                continue;
            int64_t fen = sg_range(&j.r, 20, 80) * 10000;
            if (miss_year(M21, y) && (i % 97 == 5 || sg_chance(&j.r, 0.01)))
                fen = 0;
            sg_rec_clear(j.rec);
            char b[32];
            snprintf(b, sizeof b, "ZG%06ld", (long)i + 1);
            sg_rec_str(j.rec, 0, b);
            put_int(j.rec, 1, y, false);
            put_amount(j.rec, 2, fen, aform(&j.r, SG_A_FIXED));
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* union_family_graduates and disabled_graduates — exact employment counts */

static zf_status gen_ugrad(sg_gen *g, zf_error *err)
{
    static const int emp_pm[] = {810, 840, 800, 870, 560, 900}; /* 2024 misses 82% */
    job j = {0};
    zf_status st = job_start(&j, g, &S_UGRAD, &L_CSV, "union_family_graduates.csv", err);
    int64_t n = sc(g, 70, 20);
    uint64_t idx = 0;
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        int64_t k = (n * emp_pm[(y - 2022) % ARRN(emp_pm)] + 999) / 1000;
        for (int64_t i = 0; i < n && !st; i++) {
            char id[19];
            sg_person_id(id, idx++, sg_days(y - 23, 1, 1), 900, 0x06AD);
            sg_rec_clear(j.rec);
            sg_rec_str(j.rec, 0, id);
            put_int(j.rec, 1, y, false);
            sg_rec_str(j.rec, 2, V_EMP[(i * 7 % n) < k ? 0 : 1]);
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

static zf_status gen_dgrad(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_DGRAD, &L_CSV, "disabled_graduates.csv", err);
    int64_t n = sc(g, 25, 8);
    uint64_t idx = 0;
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        bool current = y == g->asof_year;
        for (int64_t i = 0; i < n && !st; i++) {
            char id[19];
            sg_person_id(id, idx++, sg_days(y - 24, 1, 1), 1200, 0xD15A);
            bool will = i % 7 != 3;
            bool emp = will ? !(miss_year(M24, y) && i == 2) && !(current && i % 3 == 0) : i % 2 == 0;
            sg_rec_clear(j.rec);
            sg_rec_str(j.rec, 0, id);
            put_int(j.rec, 1, y, false);
            sg_rec_str(j.rec, 2, sg_fmt_yesno(will, (int)(i % SG_YN_NFORMS), &j.r));
            sg_rec_str(j.rec, 3, V_EMP[emp ? 0 : 1]);
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* disability_homes — town coverage: 19 of 21 by 2022, 20 in 2023 (missed), 21 from 2024 */

static zf_status gen_dhomes(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_DHOME, &L_CSV, "disability_homes.csv", err);
    for (int t = 0; t < SG_NTOWNS && !st; t++) {
        int32_t d = t == 17 ? sg_days(2023, 9, 12) : t == 20 ? sg_days(2024, 4, 1)
                  : rand_day(&j.r, sg_days(2016, 1, 1), sg_days(2022, 6, 30));
        for (int k = 0; k < (town_w[t] >= 90 ? 2 : 1) && !st; k++) {
            int32_t dd = k ? d + rand_day(&j.r, 200, 900) : d;
            if (dd > g->asof)
                continue;
            char name[96];
            snprintf(name, sizeof name, "%s残疾人之家%s", sg_towns[t], k ? "(第二)" : "");
            sg_rec_clear(j.rec);
            sg_rec_str(j.rec, 0, name);
            sg_rec_str(j.rec, 1, sg_towns[t]);
            put_date(j.rec, 2, dd, SG_D_ISO, &j.r);
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* red_cross_projects — JSON Lines; active during the year: 3, 4, 3, 2 (missed), 3 */

static zf_status gen_redcross(sg_gen *g, zf_error *err)
{
    static const struct { const char *name; int y, m, d, ey, em, ed; } p[] = {
        {"博爱家园建设", 2020, 4, 1, 2022, 12, 31},
        {"\"救在身边\"应急救护培训", 2021, 3, 15, 2023, 6, 30},
        {"红十字博爱助学", 2022, 5, 10, 0, 0, 0},
        {"困难家庭大病救助", 2023, 2, 20, 2024, 12, 31},
        {"造血干细胞捐献宣传", 2023, 9, 1, 2024, 11, 30},
        {"人道公益,关爱独居老人", 2025, 10, 15, 0, 0, 0},
        {"博爱送万家", 2026, 3, 1, 0, 0, 0},
    };
    job j = {0};
    zf_status st = job_start(&j, g, &S_REDX, &L_JSONL, "red_cross_projects.jsonl", err);
    for (int i = 0; i < ARRN(p) && !st; i++) {
        int32_t d = sg_days(p[i].y, p[i].m, p[i].d);
        if (d > g->asof)
            continue;
        sg_rec_clear(j.rec);
        char b[32];
        snprintf(b, sizeof b, "HSZ-%d-%02d", p[i].y, i + 1);
        sg_rec_str(j.rec, 0, b);
        sg_rec_str(j.rec, 1, p[i].name);
        put_date(j.rec, 2, d, i % 2 ? SG_D_CN : SG_D_ISO, &j.r);
        int32_t e = p[i].ey ? sg_days(p[i].ey, p[i].em, p[i].ed) : NOEND;
        if (e != NOEND && e <= g->asof)
            put_date(j.rec, 3, e, SG_D_ISO, &j.r);
        else if (i % 2)
            j.rec->f[3].kind = K_NULL;
        st = EMIT(&j);
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* insurance_enrollment — reported totals; ratio 46%, 52%, 49.2% (missed), 55.6%, 57.1% */

static zf_status gen_insurance(sg_gen *g, zf_error *err)
{
    static const int64_t basic[] = {1041230, 1048765, 1052310, 1057884, 1060012};
    static const int ratio_pm[] = {460, 520, 492, 556, 571};
    job j = {0};
    zf_status st = job_start(&j, g, &S_INS, &L_CSV, "insurance_enrollment.csv", err);
    for (int y = g->first_year; y <= g->asof_year && y - 2022 < ARRN(basic) && !st; y++) {
        int64_t b = basic[y - 2022], c = b * ratio_pm[y - 2022] / 1000 + (b % 997);
        sg_rec_clear(j.rec);
        put_int(j.rec, 0, y, false);
        put_int(j.rec, 1, c, y % 2 == 0);
        put_int(j.rec, 2, b, y % 2 == 0);
        st = EMIT(&j);
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* electricity_discounts — one row per household and year; yes/no forms by year */

static zf_status gen_electricity(sg_gen *g, zf_error *err)
{
    job j = {0};
    zf_status st = job_start(&j, g, &S_ELEC, &L_CSV, "electricity_discounts.csv", err);
    for (int y = g->first_year; y <= g->asof_year && !st; y++) {
        int32_t r0 = ref_day(g, y);
        int form = y <= 2023 ? SG_YN_CN : y == 2024 ? SG_YN_YN : y == 2025 ? SG_YN_TF : SG_YN_10;
        for (size_t i = 0; i < g->nhh && !st; i++) {
            const sg_hh *h = &g->hh[i];
            if (h->in > r0 || h->out <= r0)
                continue;
            bool elig = h->cat != 3 ? !sg_chance(&j.r, 0.03) : sg_chance(&j.r, 0.3);
            bool got = elig ? !(town_miss(g, M27, y, h->town) && sg_chance(&j.r, 0.05)) : sg_chance(&j.r, 0.02);
            sg_rec_clear(j.rec);
            char b[32];
            put_hh(j.rec, 0, h->no);
            snprintf(b, sizeof b, "33%08u", (unsigned)(sg_hash(0xE1EC, h->no) % 100000000u));
            sg_rec_str(j.rec, 1, b);
            put_int(j.rec, 2, y, false);
            sg_rec_str(j.rec, 3, sg_fmt_yesno(elig, dform(&j.r, form) % SG_YN_NFORMS, &j.r));
            sg_rec_str(j.rec, 4, sg_fmt_yesno(got, form, &j.r));
            maybe_pad(j.rec, 3, &j.r, 0.005);
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */
/* charity_trusts (慈善信托备案, 市民政局) — 慈善信托规模力争突破1000万元 by 2027.  In force at
 * R: 2023 2.0 + 1.5 + 2.5 = 6,000,000.00; 2024 + 1.8 = 7,800,000.00; 2025 the one-year trust
 * ended on 2025-05-08, + 1.2 = 7,200,000.00; mid-2026 + 1.6 = 8,800,000.00 (not yet over 1000万). */

static zf_status gen_trusts(sg_gen *g, zf_error *err)
{
    static const struct { const char *name, *trustee; int y, m, d; int64_t fen; int ey, em, ed; } t[] = {
        {"余姚市阳明慈善信托", "余姚市慈善总会", 2022, 6, 18, 200000000, 0, 0, 0},
        {"余姚市乡贤助学慈善信托", "万向信托股份公司", 2023, 3, 10, 150000000, 0, 0, 0},
        {"余姚市“共富同行”慈善信托", "浙商金汇信托股份有限公司", 2023, 11, 20, 250000000, 0, 0, 0},
        {"余姚市“一老一小”慈善信托", "余姚市慈善总会", 2024, 5, 8, 180000000, 2025, 5, 8},
        {"余姚市助残慈善信托", "万向信托股份公司", 2025, 4, 16, 120000000, 0, 0, 0},
        {"余姚市医疗救助慈善信托", "浙商金汇信托股份有限公司", 2026, 2, 28, 160000000, 0, 0, 0},
    };
    job j = {0};
    zf_status st = job_start(&j, g, &S_TRUST, &L_CSV, "charity_trusts.csv", err);
    for (int i = 0; i < ARRN(t) && !st; i++) {
        int32_t d = sg_days(t[i].y, t[i].m, t[i].d);
        if (d > g->asof)
            continue;
        char no[32];
        snprintf(no, sizeof no, "YYCT%d%03d", t[i].y, i + 1);
        sg_rec_clear(j.rec);
        sg_rec_str(j.rec, 0, no);
        sg_rec_str(j.rec, 1, t[i].name);
        sg_rec_str(j.rec, 2, t[i].trustee);
        put_date(j.rec, 3, d, i % 2 ? SG_D_CN : SG_D_ISO, &j.r);
        put_amount(j.rec, 4, t[i].fen, i % 2 ? SG_A_COMMA : SG_A_FIXED);
        int32_t e = t[i].ey ? sg_days(t[i].ey, t[i].em, t[i].ed) : NOEND;
        if (e != NOEND && e <= g->asof)
            put_date(j.rec, 5, e, SG_D_ISO, &j.r);
        st = EMIT(&j);
    }
    return job_end(&j, st, err);
}

/* donations (社会捐赠到账, 市民政局 with the 慈善总会) — 5年间社会捐赠年平均额达到1亿元.  Each
 * year's total is fixed (a tiny source: it does not scale): 2022 95,000,000.00 (before the
 * plan); 2023 104,000,000.00; 2024 92,000,000.00; 2025 99,000,000.00; 2026 to the as-of date
 * 48,000,000.00.  Since 2023: 104 (≥ 1亿 met), 196 (< 2亿), 295 (< 3亿), 343 so far. */

static zf_status gen_donations(sg_gen *g, zf_error *err)
{
    static const int64_t total_wan[] = {9500, 10400, 9200, 9900, 4800};   /* 万元, 2022 … 2026 */
    static const char *const donors[] = {"余姚市舜宇光学科技(集团)有限公司", "余姚市慈善总会定向捐赠",
                                         "宁波余姚农村商业银行", "阳明街道企业家联谊会", "个人捐赠(匿名)",
                                         "泗门镇乡贤会", "余姚市工商联", "梁弄镇红色慈善基金"};
    job j = {0};
    zf_status st = job_start(&j, g, &S_DONATE, &L_CSV, "donations.csv", err);
    for (int k = 0; k < ARRN(total_wan) && !st; k++) {
        int y = 2022 + k;
        int n = 40;
        int64_t left = total_wan[k] * 1000000;   /* fen */
        int32_t hi = y == 2026 ? sg_days(2026, 6, 20) : dec31(y);
        for (int i = 0; i < n && !st; i++) {
            /* the last one carries the rest, so the year's total is exact */
            int64_t fen = i == n - 1 ? left : (left / (n - i)) / 2 + sg_range(&j.r, 0, left / (n - i));
            if (i < n - 1 && fen > left - (int64_t)(n - 1 - i) * 100000)
                fen = left - (int64_t)(n - 1 - i) * 100000;   /* leave the others 1000.00 each */
            left -= fen;
            int32_t d = i == n - 1 ? hi : rand_day(&j.r, jan1(y), hi);
            if (d > g->asof)
                continue;
            char no[32];
            snprintf(no, sizeof no, "JZ%d%04d", y, i + 1);
            sg_rec_clear(j.rec);
            sg_rec_str(j.rec, 0, no);
            sg_rec_str(j.rec, 1, donors[(k * 7 + i) % ARRN(donors)]);
            put_date(j.rec, 2, d, dform(&j.r, SG_D_ISO), &j.r);
            put_amount(j.rec, 3, fen, aform(&j.r, SG_A_FIXED));
            sg_rec_str(j.rec, 4, i % 3 ? "余姚市慈善总会" : "余姚市民政局");
            st = EMIT(&j);
        }
    }
    return job_end(&j, st, err);
}

/* resident_income (市统计局) — one row a year, published on 01-25 after it.  Growth of the
 * disposable income: 2023 67800/65200 − 1 = 3.99%, 2024 4.72%, 2025 3.52%.  Against the 低保
 * standard's growth of the year after (15360/14700 − 1 = 4.49% in 2024, 4.30% in 2025, 3.00% in
 * 2026): met in 2024, missed in 2025 and 2026. */

static zf_status gen_income(sg_gen *g, zf_error *err)
{
    static const int64_t income[] = {6200000, 6520000, 6780000, 7100000, 7350000};   /* fen: 62000.00元 in 2021 … */
    static const int64_t spend[] = {4000000, 4150000, 4400000, 4600000, 4850000};
    job j = {0};
    zf_status st = job_start(&j, g, &S_INCOME, &L_CSV, "resident_income.csv", err);
    for (int k = 0; k < ARRN(income) && !st; k++) {
        int32_t d = sg_days(2022 + k, 1, 25);
        if (d > g->asof)
            continue;
        sg_rec_clear(j.rec);
        put_int(j.rec, 0, 2021 + k, false);
        put_amount(j.rec, 1, income[k], SG_A_FIXED);
        put_amount(j.rec, 2, spend[k], SG_A_FIXED);
        put_date(j.rec, 3, d, SG_D_ISO, &j.r);
        st = EMIT(&j);
    }
    return job_end(&j, st, err);
}

/* ===================================================================== */

zf_status sg_generate_all(sg_gen *g, zf_error *err)
{
    /* relief_households first: other sources refer to its households */
    static zf_status (*const gens[])(sg_gen *, zf_error *) = {
        gen_relief, gen_visits, gen_verif, gen_standards, gen_milestones, gen_joint, gen_employment,
        gen_medical, gen_emergency, gen_student, gen_housing, gen_dilapidated, gen_disaster, gen_gdp,
        gen_shelters, gen_farmers, gen_charities, gen_shanju, gen_union, gen_ugrad, gen_dhomes, gen_dgrad,
        gen_redcross, gen_insurance, gen_electricity, gen_trusts, gen_donations, gen_income};
    for (int i = 0; i < ARRN(gens); i++) {
        zf_status st = gens[i](g, err);
        if (st)
            return st;
    }
    return ZF_OK;
}
