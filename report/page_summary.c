/* page_summary.c — the part of index.html that answers "how are we doing": the headline
 * (the last closed year's final result and the running year's provisional split, the
 * units and towns that lag), the table by responsible unit and the town × indicator
 * matrix of the closed year.  Every count here counts an indicator once, by its combined
 * verdict, as zf_run_tally does, so the numbers are the workbook's and the terminal's.
 * Laggards come first wherever a list is ordered. */
#include "page_internal.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* An indicator's verdict as the headline counts it. */
typedef enum tally_slot {
    T_MET, T_NOT_MET, T_NODATA, T_ONTRACK, T_BEHIND, T_PROGRESS, T_NONE, T_SLOTS
} tally_slot;

static tally_slot slot_of(zf_outcome o, zf_outcome provisional)
{
    switch (o) {
    case ZF_OUTCOME_MET: return T_MET;
    case ZF_OUTCOME_NOT_MET: return T_NOT_MET;
    case ZF_OUTCOME_NO_DATA: return T_NODATA;
    case ZF_OUTCOME_IN_PROGRESS:
        return provisional == ZF_OUTCOME_MET ? T_ONTRACK
               : provisional == ZF_OUTCOME_NOT_MET ? T_BEHIND : T_PROGRESS;
    default: return T_NONE;
    }
}

static const char *const slot_label[T_SLOTS] = {"达标", "未达标", "无数据", "预计达标", "预计未达标",
                                                "进行中（暂无预判）", "本年度未设目标"};
static const char *const slot_class[T_SLOTS] = {"met", "notmet", "nodata", "ontrack", "behind",
                                                "progress", "nodata"};

static tally_slot indicator_slot(const zf_run *run, size_t ind, size_t year, int region)
{
    zf_outcome prov = ZF_OUTCOME_NONE;
    zf_outcome o = region ? zf_run_indicator_outcome(run, ind, year, region)
                          : zf_page_indicator(run, ind, year, &prov);
    if (region && o == ZF_OUTCOME_IN_PROGRESS) {
        for (size_t i = 0; i < run->n_results; i++) {
            const zf_result *r = &run->results[i];
            if (r->indicator == ind && r->year == year && r->region == region && r->part == 0)
                prov = r->provisional;
        }
    }
    return slot_of(o, prov);
}

/* ---- the headline ---------------------------------------------------------------------- */

static void count_year(const zf_run *run, size_t year, size_t n[T_SLOTS], size_t *not_due)
{
    memset(n, 0, T_SLOTS * sizeof *n);
    *not_due = 0;
    for (size_t i = 0; i < run->defs->plan.n_indicators; i++) {
        tally_slot s = indicator_slot(run, i, year, 0);
        n[s]++;
        const zf_result *r = zf_page_top_result(run, i, 0, year);
        if (s == T_NODATA && r && r->nodata == ZF_NODATA_NOT_DUE)
            (*not_due)++;
    }
}

/* The slots a year's cards show: always its main outcomes, the others only when some
 * indicator is in them (so that the cards add up to 共N项). */
static bool slot_shown(tally_slot s, bool open, const size_t n[T_SLOTS])
{
    if (open)
        return s == T_ONTRACK || s == T_BEHIND || s == T_NODATA || n[s] > 0;
    return s == T_MET || s == T_NOT_MET || s == T_NODATA || n[s] > 0;
}

static const tally_slot card_order[] = {T_MET, T_NOT_MET, T_ONTRACK, T_BEHIND, T_PROGRESS,
                                        T_NODATA, T_NONE};
#define N_CARDS (sizeof card_order / sizeof *card_order)

/* One sentence per year: what a manager repeats at the meeting. */
static void write_lead(FILE *f, const zf_run *run, const zf_page_years *y)
{
    const zf_plan *plan = &run->defs->plan;
    size_t n[T_SLOTS], not_due;
    fputs("<p class=\"lead\">", f);
    if (y->closed != SIZE_MAX) {
        count_year(run, y->closed, n, &not_due);
        fprintf(f, "%d年（已结束）%zu项指标：达标 %zu 项，未达标 %zu 项，无数据 %zu 项", plan->years[y->closed],
                plan->n_indicators, n[T_MET], n[T_NOT_MET], n[T_NODATA]);
        if (n[T_NONE])
            fprintf(f, "，未设目标 %zu 项", n[T_NONE]);
        fputs("。", f);
    }
    if (y->latest != y->closed) {
        count_year(run, y->latest, n, &not_due);
        fprintf(f, "%d年截至 ", plan->years[y->latest]);
        zf_page_html(f, run->as_of_text);
        fprintf(f, "（暂定）：预计达标 %zu 项，预计未达标 %zu 项", n[T_ONTRACK], n[T_BEHIND]);
        for (size_t k = 0; k < N_CARDS; k++) {
            tally_slot s = card_order[k];
            if (s != T_ONTRACK && s != T_BEHIND && n[s])
                fprintf(f, "，%s %zu 项", slot_label[s], n[s]);
        }
        if (not_due)
            fprintf(f, not_due == n[T_NODATA] ? "（均为未到报送期的年度数据）" : "（其中 %zu 项未到报送期）",
                    not_due);
        fputs("。", f);
    }
    fputs("</p>\n", f);
}

/* 其中无数据的指标 12、15 共 2 项为年度数据…: a normal mid-year 无数据 is not a failure. */
static void write_not_due(FILE *f, const zf_run *run, size_t year, const size_t n[T_SLOTS], size_t not_due)
{
    if (!not_due)
        return;
    const zf_plan *plan = &run->defs->plan;
    size_t k = 0;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const zf_result *r = zf_page_top_result(run, i, 0, year);
        if (r && indicator_slot(run, i, year, 0) == T_NODATA && r->nodata == ZF_NODATA_NOT_DUE)
            fprintf(f, k++ ? "、%d" : "<p>其中无数据的指标 %d", plan->indicators[i].number);
    }
    fprintf(f, " 共 %zu 项为年度数据，本年度尚未到报送期，属正常%s。</p>\n", not_due,
            n[T_NODATA] > not_due ? "；其余无数据的指标因数据缺失或有误，见“数据质量”" : "");
}

static void write_year_block(FILE *f, const zf_run *run, size_t year, bool open)
{
    const zf_plan *plan = &run->defs->plan;
    size_t n[T_SLOTS], not_due;
    count_year(run, year, n, &not_due);
    fprintf(f, "<div class=\"year\" id=\"summary-%d\">\n<h3>%d年 ", plan->years[year], plan->years[year]);
    if (open) {
        fputs("截至 ", f);
        zf_page_html(f, run->as_of_text);
        fputs("（暂定）", f);
    } else {
        fputs("最终结果", f);
    }
    fprintf(f, "</h3>\n<ul class=\"cards\" data-year=\"%d\">", plan->years[year]);
    for (size_t k = 0; k < N_CARDS; k++) {
        tally_slot s = card_order[k];
        if (slot_shown(s, open, n))
            fprintf(f, "<li class=\"%s\"><span class=\"n\">%zu</span>%s</li>", slot_class[s], n[s],
                    slot_label[s]);
    }
    fprintf(f, "</ul>\n<p>共 %zu 项指标（含分项的指标按各分项合并计一项）。", plan->n_indicators);
    if (open)
        fputs("“预计达标”“预计未达标”是按截至日期的暂定值对全年结果的预判，不是最终结果。", f);
    fputs("</p>\n", f);
    write_not_due(f, run, year, n, not_due);
    fputs("</div>\n", f);
}

/* ---- responsible units ------------------------------------------------------------------- */

typedef struct unit_row {
    const char *name;
    size_t order;                 /* first appearance in the plan */
    size_t indicators;
    size_t closed[T_SLOTS], latest[T_SLOTS];
} unit_row;

static int unit_cmp(const void *pa, const void *pb)
{
    const unit_row *a = pa, *b = pb;
    if (a->closed[T_NOT_MET] != b->closed[T_NOT_MET])
        return a->closed[T_NOT_MET] > b->closed[T_NOT_MET] ? -1 : 1;
    if (a->latest[T_BEHIND] != b->latest[T_BEHIND])
        return a->latest[T_BEHIND] > b->latest[T_BEHIND] ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

static bool has_unit(const zf_indicator *in, const char *unit)
{
    for (size_t u = 0; u < in->n_units; u++)
        if (strcmp(in->units[u], unit) == 0)
            return true;
    return false;
}

/* Every unit once, laggards first; an indicator with two units counts for both.  NULL
 * when out of memory (the page then goes without the unit view rather than fail). */
static unit_row *unit_rows(const zf_run *run, const zf_page_years *y, size_t *n_out)
{
    const zf_plan *plan = &run->defs->plan;
    size_t cap = 0, n = 0;
    for (size_t i = 0; i < plan->n_indicators; i++)
        cap += plan->indicators[i].n_units;
    unit_row *u = calloc(cap ? cap : 1, sizeof *u);
    if (!u)
        return NULL;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const zf_indicator *in = &plan->indicators[i];
        tally_slot sc = y->closed != SIZE_MAX ? indicator_slot(run, i, y->closed, 0) : T_NONE;
        tally_slot sl = indicator_slot(run, i, y->latest, 0);
        for (size_t k = 0; k < in->n_units; k++) {
            size_t x = 0;
            while (x < n && strcmp(u[x].name, in->units[k]) != 0)
                x++;
            if (x == n)
                u[n++] = (unit_row){.name = in->units[k], .order = x};
            u[x].indicators++;
            u[x].closed[sc]++;
            u[x].latest[sl]++;
        }
    }
    qsort(u, n, sizeof *u, unit_cmp);
    *n_out = n;
    return u;
}

/* 7、9: the numbers of a unit's indicators in slot s of year. */
static size_t put_numbers(FILE *f, const zf_run *run, const char *unit, size_t year, tally_slot s)
{
    const zf_plan *plan = &run->defs->plan;
    size_t k = 0;
    for (size_t i = 0; i < plan->n_indicators; i++)
        if (has_unit(&plan->indicators[i], unit) && indicator_slot(run, i, year, 0) == s)
            fprintf(f, k++ ? "、%d" : "%d", plan->indicators[i].number);
    return k;
}

static void put_count_cell(FILE *f, size_t v, const char *cls)
{
    fprintf(f, "<td class=\"num%s%s\" data-sort=\"%zu\">%zu</td>", v && *cls ? " " : "", v ? cls : "", v, v);
}

void zf_page_write_units(FILE *f, const zf_run *run, const zf_page_years *y)
{
    size_t n = 0;
    unit_row *u = unit_rows(run, y, &n);
    if (!u)
        return;
    const zf_plan *plan = &run->defs->plan;
    bool both = y->closed != SIZE_MAX && y->closed != y->latest;
    /* the explanation is above the table, not its caption: a caption is as wide as the
       table and scrolls off a phone's screen with it */
    fputs("<section id=\"units\" aria-labelledby=\"h-units\">\n<h2 id=\"h-units\">按责任单位</h2>\n"
          "<p class=\"cap\">", f);
    fputs(both ? "未达标、预计未达标多的" : y->closed != SIZE_MAX ? "未达标多的" : "预计未达标多的", f);
    fputs("单位排在前面<span class=\"hint\">；点击表头可重新排序</span>。"
          "一项指标有两个责任单位的，两个单位各计一次。</p>\n"
          "<div class=\"scroll\"><table class=\"sortable sticky units\" aria-describedby=\"h-units\">\n"
          "<thead><tr><th scope=\"col\"><button type=\"button\">责任单位</button></th>"
          "<th scope=\"col\" class=\"num\" data-desc><button type=\"button\">指标数</button></th>", f);
    if (y->closed != SIZE_MAX)
        for (tally_slot s = T_MET; s <= T_NODATA; s++)
            fprintf(f, "<th scope=\"col\" class=\"num\" data-desc><button type=\"button\">%d年<br>%s</button></th>",
                    plan->years[y->closed], slot_label[s]);
    static const tally_slot open_cols[] = {T_ONTRACK, T_BEHIND, T_NODATA};
    if (both || y->closed == SIZE_MAX)
        for (size_t k = 0; k < 3; k++)
            fprintf(f, "<th scope=\"col\" class=\"num\" data-desc><button type=\"button\">%d年<br>%s</button></th>",
                    plan->years[y->latest], slot_label[open_cols[k]]);
    fputs("<th scope=\"col\">需关注的指标（序号）</th></tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr><th scope=\"row\">", f);
        zf_page_html(f, u[i].name);
        fprintf(f, "</th><td class=\"num\" data-sort=\"%zu\">%zu</td>", u[i].indicators, u[i].indicators);
        if (y->closed != SIZE_MAX) {
            put_count_cell(f, u[i].closed[T_MET], "");
            put_count_cell(f, u[i].closed[T_NOT_MET], "notmet");
            put_count_cell(f, u[i].closed[T_NODATA], "");
        }
        if (both || y->closed == SIZE_MAX) {
            put_count_cell(f, u[i].latest[T_ONTRACK], "");
            put_count_cell(f, u[i].latest[T_BEHIND], "behind");
            put_count_cell(f, u[i].latest[T_NODATA], "");
        }
        fputs("<td>", f);
        bool any = false;
        if (y->closed != SIZE_MAX && u[i].closed[T_NOT_MET]) {
            fprintf(f, "%d年未达标：", plan->years[y->closed]);
            put_numbers(f, run, u[i].name, y->closed, T_NOT_MET);
            any = true;
        }
        if (y->latest != y->closed && u[i].latest[T_BEHIND]) {
            fprintf(f, "%s%d年预计未达标：", any ? "；" : "", plan->years[y->latest]);
            put_numbers(f, run, u[i].name, y->latest, T_BEHIND);
            any = true;
        }
        fputs(any ? "</td></tr>\n" : "—</td></tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n</section>\n", f);
    free(u);
}

/* ---- towns ---------------------------------------------------------------------------------- */

/* The top region's direct children: the towns (or cities) the matrix has a row for. */
static bool is_town(const zf_run *run, int region)
{
    return region > 0 && run->defs->regions.regions[region].parent == 0;
}

/* Whether a part is judged per town in year (a rate's target applies to each town; a
 * count's town rows carry no verdict and have no column). */
static bool judged_by_town(const zf_run *run, size_t ind, size_t part, size_t year)
{
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == ind && r->part == part && r->year == year && is_town(run, r->region) &&
            zf_result_own_outcome(r) != ZF_OUTCOME_NONE)
            return true;
    }
    return false;
}

typedef struct town_row {
    int region;
    size_t not_met, nodata;
} town_row;

static int town_cmp(const void *pa, const void *pb)
{
    const town_row *a = pa, *b = pb;
    if (a->not_met != b->not_met)
        return a->not_met > b->not_met ? -1 : 1;
    return a->region < b->region ? -1 : a->region > b->region;
}

/* The towns of year, laggards first (most indicators 未达标), NULL when out of memory. */
static town_row *town_rows(const zf_run *run, size_t year, size_t *n_out)
{
    const zf_region_tree *t = &run->defs->regions;
    town_row *rows = calloc(t->n_regions ? t->n_regions : 1, sizeof *rows);
    size_t n = 0;
    if (!rows)
        return NULL;
    for (int g = 1; (size_t)g < t->n_regions; g++) {
        if (!is_town(run, g))
            continue;
        town_row *w = &rows[n++];
        w->region = g;
        for (size_t i = 0; i < run->defs->plan.n_indicators; i++) {
            tally_slot s = indicator_slot(run, i, year, g);
            w->not_met += s == T_NOT_MET;
            w->nodata += s == T_NODATA;
        }
    }
    qsort(rows, n, sizeof *rows, town_cmp);
    *n_out = n;
    return rows;
}

static const zf_result *town_result(const zf_run *run, size_t ind, size_t part, size_t year, int region)
{
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == ind && r->part == part && r->year == year && r->region == region)
            return r;
    }
    return NULL;
}

static void put_column_name(FILE *f, const zf_indicator *in, size_t part)
{
    if (in->n_parts > 1)
        fprintf(f, "%d-%zu", in->number, part + 1);
    else
        fprintf(f, "%d", in->number);
}

static void put_matrix_cell(FILE *f, const zf_run *run, const zf_indicator *in, size_t ind, size_t part,
                            size_t year, int region)
{
    const zf_result *r = town_result(run, ind, part, year, region);
    zf_outcome o = r ? zf_result_own_outcome(r) : ZF_OUTCOME_NO_DATA;
    char shown[128];
    const char *value = r && r->has_value ? zf_result_value_display(r, shown, sizeof shown) : "—";
    fprintf(f, "<td class=\"%s\" data-sort=\"%d\" title=\"", zf_page_outcome_class(o),
            zf_page_status_rank(o, ZF_OUTCOME_NONE, r ? r->nodata : ZF_NODATA_NONE));
    put_column_name(f, in, part);
    fputc(' ', f);
    zf_page_html(f, in->n_parts > 1 ? in->parts[part].name : in->name);
    fputs("：", f);
    zf_page_html(f, value);
    fprintf(f, "（%s）\">", zf_outcome_label(o));
    zf_page_html(f, value);
    /* the verdict is not told by colour alone: on paper in grey, or to a colour-blind reader */
    if (o == ZF_OUTCOME_NOT_MET)
        fputs(" ✗", f);
    fputs("</td>", f);
}

/* 2 项：临山镇、马渚镇；1 项：凤山街道…: the towns with an indicator 未达标, grouped by
 * how many (rows come laggards first). */
static void write_lag_towns(FILE *f, const zf_run *run, const town_row *rows, size_t n, size_t year)
{
    const zf_region_tree *t = &run->defs->regions;
    size_t lagging = 0;
    while (lagging < n && rows[lagging].not_met)
        lagging++;
    fprintf(f, "<li>%d年有指标未达标的", run->defs->plan.years[year]);
    zf_page_html(f, t->sublevel);
    if (!lagging) {
        fputs("：无</li>\n", f);
        return;
    }
    fprintf(f, "（%zu个）：", lagging);
    for (size_t i = 0; i < lagging; i++) {
        bool first = i == 0 || rows[i].not_met != rows[i - 1].not_met;
        if (first)
            fprintf(f, "%s%zu 项 ", i ? "；" : "", rows[i].not_met);
        else
            fputs("、", f);
        zf_page_html(f, t->regions[rows[i].region].name);
    }
    fputs("</li>\n", f);
}

void zf_page_write_towns(FILE *f, const zf_run *run, const zf_page_years *y)
{
    if (y->closed == SIZE_MAX)
        return;
    const zf_plan *plan = &run->defs->plan;
    size_t year = y->closed, n = 0, cols = 0;
    town_row *rows = town_rows(run, year, &n);
    if (!rows)
        return;
    fprintf(f, "<section id=\"towns\" aria-labelledby=\"h-towns\">\n<h2 id=\"h-towns\">按");
    zf_page_html(f, run->defs->regions.sublevel);
    fprintf(f, "（%d年最终结果）</h2>\n", plan->years[year]);
    for (size_t i = 0; i < plan->n_indicators; i++)
        for (size_t p = 0; p < plan->indicators[i].n_parts; p++)
            cols += judged_by_town(run, i, p, year);
    if (n == 0 || cols == 0) {
        fputs("<p>没有按", f);
        zf_page_html(f, run->defs->regions.sublevel);
        fputs("考核的指标。</p>\n</section>\n", f);
        free(rows);
        return;
    }
    fputs("<p class=\"cap\">每格为该指标的实际值，颜色为状态（✗ 未达标）；未达标项多的排在前面"
          "<span class=\"hint\">，点击表头可按该列排序</span>。列为指标序号，名称见表下。</p>\n"
          "<div class=\"scroll\"><table class=\"sortable sticky matrix\" aria-describedby=\"h-towns\">\n<thead><tr><th scope=\"col\"><button type=\"button\">", f);
    zf_page_html(f, run->defs->regions.sublevel);
    fputs("</button></th><th scope=\"col\" data-desc><button type=\"button\">未达标</button></th>", f);
    for (size_t i = 0; i < plan->n_indicators; i++)
        for (size_t p = 0; p < plan->indicators[i].n_parts; p++)
            if (judged_by_town(run, i, p, year)) {
                fputs("<th scope=\"col\"><button type=\"button\">", f);
                put_column_name(f, &plan->indicators[i], p);
                fputs("</button></th>", f);
            }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t k = 0; k < n; k++) {
        fputs("<tr><th scope=\"row\">", f);
        zf_page_html(f, run->defs->regions.regions[rows[k].region].name);
        fprintf(f, "</th><td data-sort=\"%zu\"%s>%zu</td>", rows[k].not_met,
                rows[k].not_met ? " class=\"notmet\"" : "", rows[k].not_met);
        for (size_t i = 0; i < plan->n_indicators; i++)
            for (size_t p = 0; p < plan->indicators[i].n_parts; p++)
                if (judged_by_town(run, i, p, year))
                    put_matrix_cell(f, run, &plan->indicators[i], i, p, year, rows[k].region);
        fputs("</tr>\n", f);
    }
    fputs("</tbody>\n</table></div>\n<p class=\"key\">", f);
    size_t k = 0;
    for (size_t i = 0; i < plan->n_indicators; i++)
        for (size_t p = 0; p < plan->indicators[i].n_parts; p++)
            if (judged_by_town(run, i, p, year)) {
                fputs(k++ ? " · " : "", f);
                put_column_name(f, &plan->indicators[i], p);
                fputc(' ', f);
                zf_page_html(f, plan->indicators[i].name);
                if (plan->indicators[i].n_parts > 1) {
                    fputs("（", f);
                    zf_page_html(f, plan->indicators[i].parts[p].name);
                    fputs("）", f);
                }
            }
    fputs("</p>\n</section>\n", f);
    free(rows);
}

/* ---- the section ------------------------------------------------------------------------------ */

/* The units that lag in a year: those with an indicator in slot s, most first. */
static void write_lag_units(FILE *f, const zf_run *run, const zf_page_years *y, bool open)
{
    size_t n = 0;
    unit_row *u = unit_rows(run, y, &n);
    if (!u)
        return;
    tally_slot s = open ? T_BEHIND : T_NOT_MET;
    size_t year = open ? y->latest : y->closed;
    fprintf(f, "<li>%d年%s的责任单位：", run->defs->plan.years[year], slot_label[s]);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = open ? u[i].latest[s] : u[i].closed[s];
        if (!c)
            continue;
        fputs(k++ ? "；" : "", f);
        zf_page_html(f, u[i].name);
        fprintf(f, " %zu 项（", c);
        put_numbers(f, run, u[i].name, year, s);
        fputs("）", f);
    }
    fputs(k ? "</li>\n" : "无</li>\n", f);
    free(u);
}

void zf_page_write_summary(FILE *f, const zf_run *run, const zf_page_years *y)
{
    fputs("<section id=\"summary\" aria-labelledby=\"h-summary\">\n<h2 id=\"h-summary\">总体情况</h2>\n", f);
    write_lead(f, run, y);
    fputs("<div class=\"years\">\n", f);
    if (y->closed != SIZE_MAX)
        write_year_block(f, run, y->closed, false);
    if (y->latest != y->closed)
        write_year_block(f, run, y->latest, true);
    fputs("</div>\n<h3>需要关注</h3>\n<ul class=\"lag\">\n", f);
    if (y->closed != SIZE_MAX) {
        write_lag_units(f, run, y, false);
        size_t n = 0;
        town_row *rows = town_rows(run, y->closed, &n);
        if (rows && n)
            write_lag_towns(f, run, rows, n, y->closed);
        free(rows);
    }
    if (y->latest != y->closed)
        write_lag_units(f, run, y, true);
    fputs("</ul>\n</section>\n", f);
}
