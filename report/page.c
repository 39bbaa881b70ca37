/* page.c — index.html: one self-contained page (inline CSS, inline SVG charts, a few lines
 * of inline JS to sort its tables) that works from file:// as well as from any static
 * server, and forwarded alone.  This file assembles it and owns the status table, the
 * downloads, the data quality table and the sorter; page_head.c, page_summary.c and
 * page_svg.c write the rest (page_internal.h).  Every data-derived text is HTML-escaped;
 * every link is a name the caller passed in (downloads) or a chart file listed by
 * zf_charts_write, percent-encoded where needed. */
#include "zf_page.h"

#include "page_internal.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- escaping ------------------------------------------------------------------- */

void zf_page_html(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* A relative URL of a file name: ASCII other than [A-Za-z0-9._~/-] is percent-encoded (so
 * "#", "?", ":", quotes and spaces cannot change what the link means); UTF-8 stays as is. */
void zf_page_url(FILE *f, const char *prefix, const char *name)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s%s", prefix, name);
    for (const unsigned char *p = (const unsigned char *)buf; *p; p++) {
        bool safe = *p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || strchr("._~/-", *p);
        if (safe)
            fputc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    }
}

/* ---- what the page reports on ----------------------------------------------------- */

const zf_result *zf_page_top_result(const zf_run *run, size_t ind, size_t part, size_t year)
{
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == ind && r->part == part && r->year == year && r->region == 0)
            return r;
    }
    return NULL;
}

const char *zf_page_outcome_class(zf_outcome o)
{
    switch (o) {
    case ZF_OUTCOME_MET: return "met";
    case ZF_OUTCOME_NOT_MET: return "notmet";
    case ZF_OUTCOME_IN_PROGRESS: return "progress";
    default: return "nodata";
    }
}

const char *zf_page_status_class(zf_outcome o, zf_outcome provisional)
{
    if (o == ZF_OUTCOME_IN_PROGRESS && provisional == ZF_OUTCOME_MET)
        return "ontrack";
    if (o == ZF_OUTCOME_IN_PROGRESS && provisional == ZF_OUTCOME_NOT_MET)
        return "behind";
    return zf_page_outcome_class(o);
}

int zf_page_status_rank(zf_outcome o, zf_outcome provisional, zf_nodata_reason why)
{
    switch (o) {
    case ZF_OUTCOME_NOT_MET: return 0;
    case ZF_OUTCOME_IN_PROGRESS:
        return provisional == ZF_OUTCOME_NOT_MET ? 1 : provisional == ZF_OUTCOME_MET ? 5 : 3;
    case ZF_OUTCOME_NO_DATA: return why == ZF_NODATA_NOT_DUE ? 4 : 2;
    case ZF_OUTCOME_MET: return 6;
    default: return 7;
    }
}

zf_outcome zf_page_indicator(const zf_run *run, size_t ind, size_t year, zf_outcome *provisional)
{
    zf_outcome o = zf_run_indicator_outcome(run, ind, year, 0);
    const zf_result *r = zf_page_top_result(run, ind, 0, year);
    *provisional = o == ZF_OUTCOME_IN_PROGRESS && r ? r->provisional : ZF_OUTCOME_NONE;
    return o;
}

zf_page_years zf_page_years_of(const zf_run *run)
{
    zf_page_years y = {zf_charts_latest_year(run), SIZE_MAX};
    for (size_t k = run->n_years; k-- > 0;)
        if (!zf_run_year_open(run, run->years[k])) {
            y.closed = run->years[k];
            break;
        }
    return y;
}

static const char *nodata_text(zf_nodata_reason why)
{
    switch (why) {
    case ZF_NODATA_SOURCE_MISSING: return "数据源未提供";
    case ZF_NODATA_SOURCE_FAILED: return "数据文件读取失败";
    case ZF_NODATA_ZERO_DENOMINATOR: return "统计范围内无记录";
    case ZF_NODATA_NO_REPORT: return "未报送";
    case ZF_NODATA_OVERFLOW: return "金额合计超出可计算范围（数据异常）";
    case ZF_NODATA_NOT_DUE: return "年度数据，尚未到报送期";
    default: return "";
    }
}

static const char *file_status_text(const char *status)
{
    static const char *const map[][2] = {{"ok", "正常"}, {"rejects", "部分拒收"},
                                         {"missing_column", "缺少必需列"}, {"error", "读取失败"},
                                         {"missing", "未提供"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (status && strcmp(status, map[i][0]) == 0)
            return map[i][1];
    return status ? status : "";
}

static const char *file_status_class(const char *status)
{
    if (!status || strcmp(status, "ok") == 0)
        return "met";
    return strcmp(status, "rejects") == 0 ? "progress" : "notmet";
}

/* ---- status table --------------------------------------------------------- */

static void put_units(FILE *f, const zf_indicator *in)
{
    for (size_t u = 0; u < in->n_units; u++) {
        if (u)
            fputs("、", f);
        zf_page_html(f, in->units[u]);
    }
}

/* Sorting on 状态 puts 未达标 first, then 预计未达标: the two provisional outcomes are
 * ranked apart (zf_page_status_rank), and a 进行中 row wears the colour of its forecast. */
static void put_badge(FILE *f, zf_outcome o, zf_outcome provisional, const zf_result *r)
{
    fprintf(f, "<td class=\"st\" data-label=\"状态\" data-sort=\"%d\"><span class=\"badge %s\">%s</span>",
            zf_page_status_rank(o, provisional, r ? r->nodata : ZF_NODATA_NONE),
            zf_page_status_class(o, provisional), zf_outcome_label(o));
    const char *forecast = zf_provisional_label(o, provisional);
    if (*forecast)
        fprintf(f, "<span class=\"note\">%s</span>", forecast);
    if (r && o == ZF_OUTCOME_NO_DATA && r->nodata != ZF_NODATA_NONE)
        fprintf(f, "<span class=\"note\">%s</span>", nodata_text(r->nodata));
    fputs("</td>", f);
}

/* The row's own verdict: a part says its own, the combination is on the indicator's row. */
static void put_status_cell(FILE *f, const zf_result *r)
{
    if (!r) {
        put_badge(f, ZF_OUTCOME_NO_DATA, ZF_OUTCOME_NONE, NULL);
        return;
    }
    put_badge(f, zf_result_own_outcome(r), zf_result_own_provisional(r), r);
}

static void put_value_cell(FILE *f, const zf_result *r)
{
    char shown[128], exact[128];
    fputs("<td class=\"num val\" data-label=\"实际值\"", f);
    if (r && r->has_value && r->kind != ZF_VALUE_WORD) {
        fputs(" data-sort=\"", f);
        zf_page_html(f, zf_result_value_text(r, exact, sizeof exact));
        fputc('"', f);
    }
    fputc('>', f);
    zf_page_html(f, r ? zf_result_value_display(r, shown, sizeof shown) : "—");
    fputs("</td>", f);
}

/* A multi-part indicator: one row with its combined verdict, then a row per part. */
static void write_combined_row(FILE *f, const zf_run *run, size_t ind, size_t year)
{
    const zf_indicator *in = &run->defs->plan.indicators[ind];
    const zf_target *t = in->targets ? &in->targets[year] : NULL;
    fprintf(f, "<tr><td class=\"no\" data-sort=\"%ld\">%d</td><th scope=\"row\">", (long)in->number * 1000,
            in->number);
    zf_page_html(f, in->name);
    fprintf(f, "<span class=\"note\">%zu个分项均达标方为达标</span></th><td class=\"unit\">", in->n_parts);
    put_units(f, in);
    fputs("</td><td class=\"num tgt\" data-label=\"目标\">", f);
    zf_page_html(f, t && t->cell ? t->cell : "—");
    fputs("</td><td class=\"num val\" data-label=\"实际值\">见分项</td>", f);
    zf_outcome prov;
    zf_outcome o = zf_page_indicator(run, ind, year, &prov);
    put_badge(f, o, prov, NULL);
    fputs("</tr>\n", f);
}

static void write_status_row(FILE *f, const zf_run *run, size_t ind, size_t part, size_t year)
{
    const zf_indicator *in = &run->defs->plan.indicators[ind];
    const zf_result *r = zf_page_top_result(run, ind, part, year);
    const zf_target *t = r && r->target ? r->target : in->targets ? &in->targets[year] : NULL;
    bool is_part = in->n_parts > 1;
    fprintf(f, "<tr%s><td class=\"no\" data-sort=\"%ld\">", is_part ? " class=\"partrow\"" : "",
            (long)in->number * 1000 + (long)part + (is_part ? 1 : 0));
    if (is_part)
        fprintf(f, "%d-%zu", in->number, part + 1);
    else
        fprintf(f, "%d", in->number);
    fputs("</td><th scope=\"row\">", f);
    if (is_part) {
        fputs("<span class=\"part\">└ 分项：", f);
        zf_page_html(f, in->parts[part].name);
        fputs("</span>", f);
    } else {
        zf_page_html(f, in->name);
    }
    fputs("</th><td class=\"unit\">", f);
    if (!is_part)
        put_units(f, in);
    fputs("</td><td class=\"num tgt\" data-label=\"目标\">", f);
    zf_page_html(f, t && t->cell ? t->cell : "—");
    fputs("</td>", f);
    put_value_cell(f, r);
    put_status_cell(f, r);
    fputs("</tr>\n", f);
}

/* id: "status" for the latest year; a closed year before it gets "status-YYYY" */
static void write_status_table(FILE *f, const zf_run *run, size_t year, const char *id)
{
    const zf_plan *plan = &run->defs->plan;
    const char *top = run->defs->regions.n_regions ? run->defs->regions.regions[0].name : "";
    fprintf(f, "<section id=\"%s\" aria-labelledby=\"h-%s\">\n<h2 id=\"h-%s\">"
               "指标完成情况（%d年%s，", id, id, id, plan->years[year],
            zf_run_year_open(run, year) ? "，截至日期暂定" : "");
    zf_page_html(f, top);
    fputs("）</h2>\n<div class=\"scroll\"><table class=\"sortable status\">\n"
          "<caption class=\"hint\">点击“状态”把未达标、预计未达标的排在最前；再点一次倒序。</caption>\n<thead><tr>", f);
    static const char *const heads[] = {"序号", "指标", "责任单位", "目标", "实际值", "状态"};
    for (size_t k = 0; k < sizeof heads / sizeof *heads; k++)
        fprintf(f, "<th scope=\"col\"%s%s><button type=\"button\">%s</button></th>",
                k == 3 || k == 4 ? " class=\"num\"" : "", k == 0 ? " aria-sort=\"ascending\"" : "",
                heads[k]);
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < plan->n_indicators; i++) {
        if (plan->indicators[i].n_parts > 1)
            write_combined_row(f, run, i, year);
        for (size_t p = 0; p < plan->indicators[i].n_parts; p++)
            write_status_row(f, run, i, p, year);
    }
    fputs("</tbody>\n</table></div>\n</section>\n", f);
}

static const char *download_text(const char *name)
{
    static const char *const map[][2] = {{"results.csv", "指标结果明细（CSV）"},
                                         {"quality.csv", "数据质量（CSV）"},
                                         {"rejects.csv", "拒收记录（CSV，个人信息已脱敏）"},
                                         {"orphans.csv", "无法关联的记录（CSV）"},
                                         {"manifest.json", "运行清单与文件校验值（JSON）"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(name, map[i][0]) == 0)
            return map[i][1];
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".xlsx") == 0 ? "Excel 工作簿" : "";
}

static void write_downloads(FILE *f, const char *const *downloads, size_t n)
{
    fputs("<section id=\"downloads\" aria-labelledby=\"h-downloads\">\n"
          "<h2 id=\"h-downloads\">下载</h2>\n<ul class=\"downloads\">\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<li><a href=\"", f);
        zf_page_url(f, "", downloads[i]);
        fputs("\">", f);
        zf_page_html(f, downloads[i]);
        fputs("</a>", f);
        const char *what = download_text(downloads[i]);
        if (*what)
            fprintf(f, " — %s", what);
        fputs("</li>\n", f);
    }
    if (n == 0)
        fputs("<li>无</li>\n", f);
    fputs("</ul>\n</section>\n", f);
}

static void write_quality_row(FILE *f, const zf_run *run, const zf_input_file *in)
{
    const zf_source *s = in->source < run->defs->sources.n_sources
                             ? &run->defs->sources.sources[in->source] : NULL;
    fputs("<tr><th scope=\"row\">", f);
    zf_page_html(f, s ? (s->title ? s->title : s->id) : "");
    fputs("</th><td>", f);
    zf_page_html(f, s ? s->unit : "");
    fputs("</td><td><code>", f);
    zf_page_html(f, in->name && *in->name ? in->name : "—");
    fprintf(f, "</code></td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
               "<td class=\"num\">%lld</td><td><span class=\"badge %s\">",
            (long long)in->rows_read, (long long)in->rows_accepted, (long long)in->rows_rejected,
            file_status_class(in->status));
    zf_page_html(f, file_status_text(in->status));
    fputs("</span>", f);
    if (in->message && *in->message && strcmp(in->status ? in->status : "", "ok") != 0) {
        fputs("<span class=\"note\">", f);
        zf_page_html(f, in->message);
        fputs("</span>", f);
    }
    fputs("</td></tr>\n", f);
}

static void write_quality(FILE *f, const zf_run *run)
{
    fputs("<section id=\"quality\" aria-labelledby=\"h-quality\">\n<h2 id=\"h-quality\">数据质量</h2>\n"
          "<div class=\"scroll\"><table>\n<caption>每个输入文件的读取情况；拒收记录见 rejects.csv。"
          "</caption>\n<thead><tr><th scope=\"col\">数据来源</th><th scope=\"col\">报送单位</th>"
          "<th scope=\"col\">文件</th><th scope=\"col\" class=\"num\">读取</th>"
          "<th scope=\"col\" class=\"num\">接受</th><th scope=\"col\" class=\"num\">拒收</th><th scope=\"col\">状态</th></tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < run->n_files; i++)
        write_quality_row(f, run, &run->files[i]);
    fputs("</tbody>\n</table></div>\n</section>\n", f);
}

/* ---- script and end ------------------------------------------------------------------------ */

/* Sort a table.sortable by the clicked column: data-sort when present (numbers), else the
 * text in Chinese collation; rows keep their order on ties (Array.prototype.sort is stable).
 * The first click sorts ascending, or descending on a column marked data-desc (counts of
 * 未达标): either way the first click on a status or a count puts laggards first. */
static const char page_js[] =
    "(function(){\n"
    "function key(c){var v=c.getAttribute('data-sort');if(v!==null&&v!==''&&!isNaN(+v))return +v;"
    "return c.textContent.trim();}\n"
    "function cmp(a,b){if(typeof a==='number'&&typeof b==='number')return a-b;"
    "if(typeof a==='number')return -1;if(typeof b==='number')return 1;"
    "return String(a).localeCompare(String(b),'zh-CN');}\n"
    "document.querySelectorAll('table.sortable').forEach(function(t){\n"
    " var hs=t.querySelectorAll('thead th');\n"
    " hs.forEach(function(th,i){var b=th.querySelector('button');if(!b)return;\n"
    "  b.addEventListener('click',function(){\n"
    "   var cur=th.getAttribute('aria-sort'),asc=cur?cur!=='ascending':!th.hasAttribute('data-desc');\n"
    "   hs.forEach(function(h){h.removeAttribute('aria-sort');});\n"
    "   th.setAttribute('aria-sort',asc?'ascending':'descending');\n"
    "   var tb=t.tBodies[0],rows=Array.prototype.slice.call(tb.rows);\n"
    "   rows.sort(function(x,y){var c=cmp(key(x.cells[i]),key(y.cells[i]));return asc?c:-c;});\n"
    "   rows.forEach(function(r){tb.appendChild(r);});\n"
    "  });});\n"
    "});\n"
    "})();\n";

static void write_end(FILE *f, const zf_run *run)
{
    fputs("</main>\n<footer>由 众扶（zhongfu）", f);
    zf_page_html(f, run->version ? run->version : "");
    fputs(" 生成 · 运行编号 <code>", f);
    zf_page_html(f, run->run_id);
    fputs("</code></footer>\n<script>\n", f);
    fputs(page_js, f);
    fputs("</script>\n</body>\n</html>\n", f);
}

static void write_page(FILE *f, const char *dir, const zf_run *run, const zf_chart_list *charts,
                       const char *const *downloads, size_t n_downloads)
{
    zf_page_years y = zf_page_years_of(run);
    zf_page_write_head(f, run);
    zf_page_write_header(f, run, &y);
    if (y.latest != SIZE_MAX) {
        zf_page_write_summary(f, run, &y);
        zf_page_write_units(f, run, &y);
        zf_page_write_towns(f, run, &y);
        write_status_table(f, run, y.latest, "status");
        /* mid-year most rows are 进行中: the last closed year is what was judged */
        if (y.closed != SIZE_MAX && y.closed != y.latest) {
            char id[32];
            snprintf(id, sizeof id, "status-%d", run->defs->plan.years[y.closed]);
            write_status_table(f, run, y.closed, id);
        }
    } else {
        fputs("<p class=\"notice\">本次运行没有计算任何年度。</p>\n", f);
    }
    zf_page_write_charts(f, dir, charts);
    write_downloads(f, downloads, n_downloads);
    write_quality(f, run);
    write_end(f, run);
}

zf_status zf_page_write(const zf_run *run, const char *dir, const zf_chart_list *charts,
                        const char *const *downloads, size_t n_downloads, zf_error *err)
{
    zf_status st = ZF_OK;
    size_t n = strlen(dir) + sizeof "/index.html";
    char *path = malloc(n);
    FILE *f = NULL;
    if (!path)
        return zf_error_set(err, ZF_ERR_NOMEM, dir, 0, 0, "out of memory");
    snprintf(path, n, "%s/index.html", dir);
    f = fopen(path, "wb");
    if (!f) {
        st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot create: %s", strerror(errno));
        goto cleanup;
    }
    write_page(f, dir, run, charts, downloads, n_downloads);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
cleanup:
    free(path);
    return st;
}
