/* workbook_quality.c — the sheets of the workbook about the run rather than the
 * indicators: 数据质量 (every input file), 拒绝记录 (a sample of rejected records), 政策联动
 * (the policy-linkage checks), 说明 (how to read the workbook, each indicator's 口径) and
 * 运行清单 (the run and its input files). */
#include <stdio.h>
#include <string.h>

#include "workbook_internal.h"
#include "zf_frac.h"
#include "zf_text.h"
#include "zf_calendar.h"
#include "zf_record.h"

/* ---- 数据质量 ------------------------------------------------------------------- */

enum { DQ_HEADER = 2, DQ_COLS = 10 };
enum { DQ_SRC, DQ_FILE, DQ_FORMAT, DQ_ENC, DQ_READ, DQ_OK, DQ_REJ, DQ_ORPH, DQ_STATUS, DQ_WHY };

/* The file statuses of quality.csv, in words the office reads. */
static const char *file_status(const char *status)
{
    static const char *const map[][2] = {{"ok", "正常"}, {"rejects", "有拒绝记录"},
        {"missing_column", "缺少必需列"}, {"error", "读取失败"}, {"missing", "未提供"}};
    for (size_t i = 0; status && i < sizeof map / sizeof map[0]; i++)
        if (strcmp(status, map[i][0]) == 0) return map[i][1];
    return status ? status : "";
}

/* The message of a failed file, then the three most frequent reject reasons with counts. */
static const char *top_reasons(const zf_input_file *f, char *buf, size_t size)
{
    bool used[ZF_REASON_COUNT] = {false};
    size_t len = (size_t)snprintf(buf, size, "%s", f->message ? f->message : "");
    for (int k = 0; k < 3 && len < size; k++) {
        int best = 0;
        for (int r = 1; r < ZF_REASON_COUNT; r++)
            if (!used[r] && f->reasons[r] > 0 && (best == 0 || f->reasons[r] > f->reasons[best])) best = r;
        if (best == 0) break;
        used[best] = true;
        /* the clerk reads the label; the code is what rejects.csv's reason column says */
        int n = snprintf(buf + len, size - len, "%s%s（%s）%lld条", len ? "；" : "",
                         zf_reason_label((zf_reason)best), zf_reason_code((zf_reason)best),
                         (long long)f->reasons[best]);
        if (n < 0) break;
        len += (size_t)n;
    }
    buf[zf_utf8_complete(buf, strlen(buf))] = '\0';   /* a long message is cut between characters */
    return buf;
}

static void quality_row(wb_sheet *s, lxw_row_t row, const zf_input_file *f)
{
    const wb_fmt *ft = &s->c->f;
    char buf[1024];
    wb_text(s, row, DQ_SRC, wb_source_title(s->c, f->source), ft->wrap);
    wb_text(s, row, DQ_FILE, f->name, ft->wrap);
    wb_text(s, row, DQ_FORMAT, f->format, ft->center);
    wb_text(s, row, DQ_ENC, f->encoding, ft->center);
    wb_int(s, row, DQ_READ, f->rows_read);
    wb_int(s, row, DQ_OK, f->rows_accepted);
    wb_int(s, row, DQ_REJ, f->rows_rejected);
    wb_int(s, row, DQ_ORPH, f->orphans);
    wb_text(s, row, DQ_STATUS, file_status(f->status), ft->center);
    wb_text(s, row, DQ_WHY, top_reasons(f, buf, sizeof buf), ft->wrap);
}

static void quality_total(wb_sheet *s, lxw_row_t row)
{
    const zf_run *run = s->c->run;
    int64_t t[4] = {0};
    for (size_t i = 0; i < run->n_files; i++) {
        t[0] += run->files[i].rows_read;
        t[1] += run->files[i].rows_accepted;
        t[2] += run->files[i].rows_rejected;
        t[3] += run->files[i].orphans;
    }
    wb_text(s, row, DQ_SRC, "合计", s->c->f.group);
    for (lxw_col_t col = DQ_FILE; col <= DQ_ENC; col++) wb_text(s, row, col, "", s->c->f.group);
    for (int i = 0; i < 4; i++) wb_int(s, row, (lxw_col_t)(DQ_READ + i), t[i]);
}

/* 非记录行: the rows of the inputs that are not records (zf_rowkind.h) — what was left out and
 * why, and whether each 合计 row's sums are the sums of the records.  A sheet of its own, so
 * that the header printed on every page is this table's. */
zf_status wb_skipped(wb_ctx *c, zf_error *err)
{
    static const char *const head[] = {"来源", "文件", "行号", "类别", "内容", "合计核对"};
    const zf_run *run = c->run;
    const wb_fmt *f = &c->f;
    wb_sheet s;
    zf_status st = wb_sheet_open(c, &s, "非记录行", 2, 2, err);
    if (st != ZF_OK) return st;
    s.repeat_cols = 3;
    s.cap[4] = 30;
    s.cap[5] = 60;
    wb_title(&s, 0, "不是记录的行：表头以上的标题、合计行、说明行（未计入读取、接受与拒绝；每个文件最多列出20行）", 0);
    wb_header(&s, 2, head, 6);
    lxw_row_t row = 3;
    for (size_t i = 0; i < run->n_files; i++) {
        const zf_input_file *q = &run->files[i];
        for (size_t k = 0; k < q->n_skipped; k++, row++) {
            const zf_skipped_row *r = &q->skipped[k];
            char lines[48], what[64];
            wb_text(&s, row, 0, wb_source_title(c, q->source), f->text);
            wb_text(&s, row, 1, q->name, f->text);
            if (r->kind == ZF_ROW_TITLE) {
                snprintf(lines, sizeof lines, "1–%ld", q->header_line - 1);
                snprintf(what, sizeof what, "表头在第%ld行", q->header_line);
                wb_text(&s, row, 2, lines, f->center);
                wb_text(&s, row, 4, what, f->text);
            } else {
                wb_int(&s, row, 2, r->line);
                wb_text(&s, row, 4, r->label, f->text);
            }
            wb_text(&s, row, 3, zf_row_kind_name(r->kind), f->center);
            wb_text(&s, row, 5, r->check, r->kind == ZF_ROW_TOTAL && r->check[0] && !r->matches ? f->not_met : f->wrap);
        }
    }
    if (row == 3)
        wb_title(&s, row, "本次的输入文件都没有表头以上的标题、合计行或说明行", 0);
    return wb_sheet_close(&s, err);
}

static const zf_column *column_named(const zf_source *src, const char *name)
{
    for (size_t i = 0; name && i < src->n_columns; i++)
        if (strcmp(src->columns[i].name, name) == 0) return &src->columns[i];
    return NULL;
}

/* 拒绝记录: a sample of the rejected records, each with its reason in words and, where the
 * value is outside what the column allows, what it allows.  A sheet of its own, so that the
 * header printed above them is theirs, not the file table's of 数据质量. */
zf_status wb_rejects(wb_ctx *c, zf_error *err)
{
    static const char *const head[] = {"来源", "文件", "行号", "列", "值", "原因", "允许的取值或范围"};
    const zf_run *run = c->run;
    const wb_fmt *f = &c->f;
    wb_sheet s;
    zf_status st = wb_sheet_open(c, &s, "拒绝记录", 2, 3, err);
    if (st != ZF_OK) return st;
    s.repeat_cols = 3;   /* 来源, 文件, 行号: which record */
    s.cap[0] = 12;
    s.cap[1] = 16;
    s.cap[3] = 12;
    s.cap[4] = 16;
    s.cap[5] = 22;
    s.cap[6] = 26;
    wb_title(&s, 0, "被拒绝记录样本（每个来源最多1000条，个人信息已脱敏；完整清单见 rejects.csv，原因列为代码）", 0);
    wb_header(&s, 2, head, 7);
    int y, m, d;
    zf_civil_from_days(run->as_of, &y, &m, &d);
    const char *top = c->defs->regions.n_regions ? c->defs->regions.regions[0].name : "";
    lxw_row_t row = 3;
    for (size_t i = 0; i < run->n_rejects; i++, row++) {
        const zf_reject *r = &run->rejects[i];
        const zf_column *col = r->source < c->defs->sources.n_sources
                                   ? column_named(&c->defs->sources.sources[r->source], r->column) : NULL;
        char why[160], hint[1024];
        wb_text(&s, row, 0, wb_source_title(c, r->source), f->wrap);
        wb_text(&s, row, 1, r->file, f->wrap);
        wb_int(&s, row, 2, r->line);
        wb_text(&s, row, 3, r->column, f->wrap);
        wb_text(&s, row, 4, r->value, f->wrap);
        snprintf(why, sizeof why, "%s（%s）", zf_reason_label(r->reason), zf_reason_code(r->reason));
        wb_text(&s, row, 5, why, f->wrap);
        zf_reason_hint(r->reason, col, y + 1, top, hint, sizeof hint);
        hint[zf_utf8_complete(hint, strlen(hint))] = '\0';
        wb_text(&s, row, 6, hint, f->wrap);
    }
    if (row == 3) wb_title(&s, row, "本次没有被拒绝的记录", 0);
    lxw_error e = worksheet_autofilter(s.ws, 2, 0, row > 3 ? row - 1 : 2, 6);
    if (e != LXW_NO_ERROR && c->lerr == LXW_NO_ERROR) c->lerr = e;
    return wb_sheet_close(&s, err);
}

zf_status wb_quality(wb_ctx *c, zf_error *err)
{
    static const char *const head[DQ_COLS] = {"来源", "文件", "格式", "编码", "读取", "接受", "拒绝",
                                              "孤立记录", "状态", "主要原因"};
    wb_sheet s;
    zf_status st = wb_sheet_open(c, &s, "数据质量", DQ_HEADER, 2, err);
    if (st != ZF_OK) return st;
    s.repeat_cols = DQ_FILE + 1;
    /* names wrap so that the table prints on one page width; the hashes are on 运行清单 */
    s.cap[DQ_SRC] = 12;
    s.cap[DQ_FILE] = 16;
    s.cap[DQ_WHY] = 24;
    char buf[256];
    snprintf(buf, sizeof buf, "输入文件的读取与校验（截至%s，共%zu个文件；孤立记录共%lld条）", c->run->as_of_text,
             c->run->n_files, (long long)c->run->orphans_total);
    wb_title(&s, 0, buf, 0);
    wb_header(&s, DQ_HEADER, head, DQ_COLS);
    lxw_row_t row = DQ_HEADER + 1;
    for (size_t i = 0; i < c->run->n_files; i++) quality_row(&s, row++, &c->run->files[i]);
    const char *const words[] = {"正常", "有拒绝", "缺少", "失败", "未提供"};
    lxw_format *const fmts[] = {c->f.met, c->f.progress, c->f.not_met, c->f.not_met, c->f.not_met};
    wb_text_cf(&s, DQ_HEADER + 1, DQ_STATUS, row - 1, DQ_STATUS, words, fmts, 5);
    quality_total(&s, row++);
    int64_t skipped = 0;
    for (size_t i = 0; i < c->run->n_files; i++)
        for (int k = ZF_ROW_TITLE; k < ZF_ROW_KINDS; k++)
            skipped += k == ZF_ROW_BLANK ? 0 : c->run->files[i].rows_skipped[k];
    if (skipped) {   /* where the rows not counted above are */
        snprintf(buf, sizeof buf, "另有%lld行不是记录（表头以上的标题、合计行、说明行），未计入上表，见“非记录行”表",
                 (long long)skipped);
        wb_title(&s, row++, buf, 0);
    }
    snprintf(buf, sizeof buf, "被拒绝记录的样本（共%zu条）及每条的原因见“拒绝记录”表", c->run->n_rejects);
    wb_title(&s, row, buf, 0);
    return wb_sheet_close(&s, err);
}

/* ---- 政策联动 ------------------------------------------------------------------- */

static zf_value_kind policy_kind(const zf_plan *plan, const zf_policy_rule *rule)
{
    for (size_t i = 0; rule->a_indicator > 0 && i < plan->n_indicators; i++)
        if (plan->indicators[i].number == rule->a_indicator && plan->indicators[i].n_parts)
            return plan->indicators[i].parts[0].rule.value_kind;
    return rule->a_rule.value_kind;
}

/* A compared to B: both with the digits that keep them apart (zf_display.h), else
 * 27233.999 and 27234.00 would read the same beside 不符合. */
static void policy_value(wb_sheet *s, lxw_row_t row, lxw_col_t col, const zf_policy_result *p, bool a,
                         zf_value_kind kind)
{
    const wb_fmt *f = &s->c->f;
    bool has = a ? p->has_a : p->has_b;
    zf_frac v = a ? p->a : p->b;
    if (!has) { wb_text(s, row, col, WB_DASH, f->center); return; }
    lxw_format *fmt = kind == ZF_VALUE_COUNT ? f->count : NULL;
    if (!fmt) {
        bool pct = kind == ZF_VALUE_RATE;
        int places = pct ? 1 : 2;
        if (p->has_a && p->has_b) {
            zf_frac x = p->a, y = p->b;
            if (pct) { x.n *= 100; y.n *= 100; }
            places = zf_display_places(x, y, places);
        }
        fmt = wb_places_fmt(s->c, pct, places);
    }
    wb_num(s, row, col, zf_frac_to_double(v), fmt);
}

static const char *verdict(zf_policy_verdict v)
{
    return v == ZF_POLICY_PASS ? "符合" : v == ZF_POLICY_FAIL ? "不符合" : "无数据";
}

zf_status wb_policies(wb_ctx *c, zf_error *err)
{
    static const char *const head[] = {"规则", "年度", "值A", "值B（已乘系数）", "结论"};
    wb_sheet s;
    zf_status st = wb_sheet_open(c, &s, "政策联动", 2, 1, err);
    if (st != ZF_OK) return st;
    s.cap[0] = 44;
    wb_title(&s, 0, "政策联动检查：A 与 B（已乘规则系数）比较；不符合不影响指标计算，仅作提示", 0);
    wb_header(&s, 2, head, 5);
    lxw_row_t row = 3;
    for (size_t i = 0; i < c->run->n_policies; i++, row++) {
        const zf_policy_result *p = &c->run->policies[i];
        const zf_policy_rule *rule = &c->plan->policies[p->rule];
        zf_value_kind kind = policy_kind(c->plan, rule);
        char label[768];   /* per_region rules: whose values A and B are (zf_policy_label) */
        wb_text(&s, row, 0, zf_policy_label(c->run, p, label, sizeof label), c->f.wrap);
        wb_num(&s, row, 1, wb_plan_year(c, p->year), c->f.year);
        policy_value(&s, row, 2, p, true, kind);
        policy_value(&s, row, 3, p, false, kind);
        wb_text(&s, row, 4, verdict(p->verdict), c->f.center);
    }
    if (c->run->n_policies == 0) wb_title(&s, row, "本方案没有政策联动规则", 0);
    const char *const words[] = {"不符合", "符合", "无数据"};
    lxw_format *const fmts[] = {c->f.not_met, c->f.met, c->f.no_data};
    wb_text_cf(&s, 3, 4, row - 1, 4, words, fmts, 3);
    return wb_sheet_close(&s, err);
}

/* ---- 说明 ------------------------------------------------------------------------ */

static lxw_row_t notes_manifest(wb_sheet *s, lxw_row_t row)
{
    const wb_ctx *c = s->c;
    char year[16];
    snprintf(year, sizeof year, "%d", wb_plan_year(c, c->year));
    const char *const pairs[][2] = {
        {"软件版本", c->run->version ? c->run->version : ""}, {"运行编号", c->run->run_id},
        {"截至日期", c->run->as_of_text}, {"方案", c->plan->id}, {"本表年度", year},
        {"制表单位", wb_office(c)}, {"方案定义哈希（sha256）", c->defs->plan_sha256}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++, row++) {
        wb_text(s, row, 1, pairs[i][0], c->f.group);
        wb_text(s, row, 2, pairs[i][1], c->f.text);
    }
    return row + 1;
}

static const char *const legend[] = {
    "状态：达标 = 达到当年目标；未达标 = 未达到；无数据 = 数据源缺失、无法读取、分母为0或无填报，"
    "或年度数据在本年度尚未到报送期（属正常，说明栏注明）；"
    "进行中 = 年度尚未结束，旁附预判（计数按时间进度折算目标，比率与金额按全年目标）。",
    "目标值为数字，其格式标出方向：≥ 为不低于（越高越好），≤ 或 < 为不高于（越低越好，如因灾直接经济损失占比）；"
    "“目标（原文）”为方案原文。",
    "差距 = 实际值 − 目标值，比率以百分点计、数量与金额以其单位计；红色为未达到目标的一侧"
    "（越高越好的指标差距为负、越低越好的指标差距为正即未达到）。完成率 = 实际值 ÷ 目标值，"
    "越低越好的指标为 目标值 ÷ 实际值，不低于100%即达到。同比：比率为与上年相差的百分点，数量与金额为增长率。"
    "年度未结束时差距与完成率按全年目标计算。",
    "比率为精确分数（分子/分母），一般显示一位小数；接近目标时多显示几位，使显示值不会四舍五入到目标上"
    "（如 9.99% 对目标 10%）；分母为0时无数值，不作0%或100%处理。",
    "含分项的指标（如探访关爱率、幸福清单送达率）：各分项有各自的状态，指标本身的状态（各分项均达标才达标）只在指标行显示一次；"
    "指标计数按指标计，不按分项。",
    "全市数值由明细记录直接计算，不由乡镇街道数值平均得出。"};

enum { NOTES_LEGEND = 2 };

zf_status wb_notes(wb_ctx *c, zf_error *err)
{
    static const char *const head[] = {"序号", "指标", "口径"};
    const size_t n_legend = sizeof legend / sizeof legend[0];
    /* the reading notes first, so that the header every printed page repeats is the 口径
       table's and stands above 口径 rows only */
    const lxw_row_t header = (lxw_row_t)(NOTES_LEGEND + n_legend + 1);
    wb_sheet s;
    zf_status st = wb_sheet_open(c, &s, "说明", header, 0, err);
    if (st != ZF_OK) return st;
    s.cap[1] = 34;
    s.cap[2] = 90;
    wb_title(&s, 0, "阅读说明与指标口径（运行编号、输入文件见“运行清单”表）", 0);
    for (size_t i = 0; i < n_legend; i++) {
        lxw_row_t row = (lxw_row_t)(NOTES_LEGEND + i);
        lxw_error e = worksheet_merge_range(s.ws, row, 0, row, 2, legend[i], c->f.wrap);
        if (e != LXW_NO_ERROR && c->lerr == LXW_NO_ERROR) c->lerr = e;
        /* a merged cell does not grow its row: about 60 characters a line over the three columns */
        e = worksheet_set_row(s.ws, row, 15.0 * (double)(strlen(legend[i]) / 3 / 60 + 1), NULL);
        if (e != LXW_NO_ERROR && c->lerr == LXW_NO_ERROR) c->lerr = e;
    }
    wb_header(&s, header, head, 3);
    lxw_row_t row = header + 1;
    for (size_t i = 0; i < c->plan->n_indicators; i++, row++) {
        const zf_indicator *in = &c->plan->indicators[i];
        wb_seq(&s, row, 0, in->number);
        wb_text(&s, row, 1, in->name, c->f.wrap);
        wb_text(&s, row, 2, in->definition, c->f.wrap);
    }
    return wb_sheet_close(&s, err);
}

/* 运行清单: what the run was (version, id, as-of date, definitions) and every input file
 * with its hash, under the header of the file table. */
zf_status wb_manifest(wb_ctx *c, zf_error *err)
{
    static const char *const head[] = {"序号", "输入文件", "sha256", "大小（字节）", "来源"};
    const lxw_row_t header = 11;   /* the title, the 7 lines of the run, a blank line, the table's title */
    wb_sheet s;
    zf_status st = wb_sheet_open(c, &s, "运行清单", header, 0, err);
    if (st != ZF_OK) return st;
    s.cap[1] = 30;
    s.cap[2] = 33;   /* a hash on two lines */
    s.cap[4] = 16;
    wb_title(&s, 0, "运行清单：同一输入、定义、截至日期与软件版本的运行得到相同的运行编号与逐字节相同的输出", 0);
    notes_manifest(&s, 2);
    wb_title(&s, header - 1, "输入文件", 0);
    wb_header(&s, header, head, 5);
    lxw_row_t row = header + 1;
    for (size_t i = 0; i < c->run->n_files; i++, row++) {
        const zf_input_file *f = &c->run->files[i];
        wb_int(&s, row, 0, (int64_t)(i + 1));
        wb_text(&s, row, 1, f->name && f->name[0] ? f->name : "（未提供）", c->f.wrap);
        wb_text(&s, row, 2, f->sha256, c->f.wrap);
        wb_int(&s, row, 3, (int64_t)f->size);
        wb_text(&s, row, 4, wb_source_title(c, f->source), c->f.text);
    }
    return wb_sheet_close(&s, err);
}
