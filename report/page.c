/* page.c — index.html: one self-contained page (inline CSS, a few lines of inline JS to
 * sort the status table) that works from file:// as well as from any static server.
 * Every data-derived text is HTML-escaped; every link is a name the caller passed in
 * (downloads) or a chart file listed by zf_charts_write, percent-encoded where needed. */
#include "zf_page.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- escaping ------------------------------------------------------------------- */

static void put_html(FILE *f, const char *s)
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
static void put_url(FILE *f, const char *prefix, const char *name)
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

static const zf_result *top_result(const zf_run *run, size_t ind, size_t part, size_t year)
{
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->indicator == ind && r->part == part && r->year == year && r->region == 0)
            return r;
    }
    return NULL;
}

static const char *outcome_class(zf_outcome o)
{
    switch (o) {
    case ZF_OUTCOME_MET: return "met";
    case ZF_OUTCOME_NOT_MET: return "notmet";
    case ZF_OUTCOME_IN_PROGRESS: return "progress";
    default: return "nodata";
    }
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

/* ---- head and header ---------------------------------------------------------------- */

static const char page_css[] =
    "*{box-sizing:border-box}"
    "body{margin:0;font-family:\"Noto Sans CJK SC\",\"PingFang SC\",\"Microsoft YaHei\",sans-serif;"
    "color:#1d2733;background:#f5f7fa;line-height:1.6;font-size:16px}"
    "header{background:#1f4e79;color:#fff;padding:1.2rem 1rem}"
    "header h1{margin:0 0 .5rem;font-size:1.45rem;line-height:1.35}"
    ".meta{display:flex;flex-wrap:wrap;gap:.3rem 1.6rem;margin:0}"
    ".meta div{display:flex;gap:.4rem}.meta dt{opacity:.8}.meta dd{margin:0;font-weight:600}"
    "nav{background:#fff;border-bottom:1px solid #dde3ea;padding:.4rem 1rem;overflow-x:auto;white-space:nowrap}"
    "nav{scrollbar-width:thin}nav a{margin-right:1rem;color:#1f4e79}"
    "main{max-width:1200px;margin:0 auto;padding:1rem}"
    "section{background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:1rem;margin:0 0 1rem}"
    "h2{font-size:1.2rem;margin:0 0 .8rem;color:#1f4e79}"
    ".notice{border-left:4px solid #e08a00;background:#fff7e6;padding:.6rem .8rem;margin:0 0 1rem}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(120px,1fr));gap:.6rem;"
    "list-style:none;padding:0;margin:0}"
    ".cards li{border-radius:8px;padding:.6rem .8rem;border:1px solid #dde3ea}"
    ".cards .n{display:block;font-size:1.9rem;font-weight:700;line-height:1.2}"
    ".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}"
    "table{border-collapse:collapse;width:100%;min-width:640px;font-size:.95rem}"
    "caption{text-align:left;color:#5a6675;padding:0 0 .4rem}"
    "th,td{border-bottom:1px solid #e3e8ee;padding:.45rem .55rem;text-align:left;vertical-align:top}"
    "thead th{background:#eef2f6;white-space:nowrap}thead th.num{text-align:right}"
    "tbody th{font-weight:500}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer}"
    "th[aria-sort=ascending] button::after{content:\" ▲\"}th[aria-sort=descending] button::after{content:\" ▼\"}"
    ".part{color:#5a6675;font-size:.9em}.partrow th,.partrow td:first-child{padding-left:1.6rem}"
    ".badge{display:inline-block;padding:.05rem .55rem;border-radius:999px;font-weight:600;white-space:nowrap}"
    ".met{background:#e6f4ea;color:#1b5e20}.notmet{background:#fdecea;color:#b71c1c}"
    ".nodata{background:#eceff1;color:#455a64}.progress{background:#fff4e0;color:#8a4b00}"
    ".note{display:block;color:#5a6675;font-size:.85em}"
    ".charts{display:grid;align-items:start;grid-template-columns:repeat(auto-fit,minmax(min(100%,540px),1fr));gap:1rem}"
    "figure{margin:0;border:1px solid #e3e8ee;border-radius:6px;padding:.5rem;background:#fff}"
    "figure img{display:block;width:100%;height:auto}"
    "figcaption{font-size:.9rem;color:#5a6675;margin-top:.3rem}"
    ".downloads{padding-left:1.2rem}.downloads li{margin:.25rem 0}"
    "code{font-family:ui-monospace,monospace;word-break:break-all}"
    "footer{text-align:center;color:#5a6675;font-size:.85rem;padding:1rem}"
    "@media (max-width:600px){body{font-size:15px}header h1{font-size:1.2rem}main{padding:.5rem}"
    "section{padding:.75rem}}";

static void write_head(FILE *f, const zf_run *run)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    put_html(f, run->defs->plan.title);
    fputs(" · 指标监测报告</title>\n<style>", f);
    fputs(page_css, f);
    fputs("</style>\n</head>\n<body>\n", f);
}

static void write_header(FILE *f, const zf_run *run)
{
    fputs("<header>\n<h1>", f);
    put_html(f, run->defs->plan.title);
    fputs("</h1>\n<dl class=\"meta\"><div><dt>截至日期</dt><dd>", f);
    put_html(f, run->as_of_text);
    fputs("</dd></div><div><dt>运行编号</dt><dd><code>", f);
    put_html(f, run->run_id);
    fputs("</code></dd></div>", f);
    if (run->version) {
        fputs("<div><dt>软件版本</dt><dd>", f);
        put_html(f, run->version);
        fputs("</dd></div>", f);
    }
    fputs("</dl>\n</header>\n<nav aria-label=\"页面导航\"><a href=\"#summary\">总体情况</a>"
          "<a href=\"#status\">指标完成情况</a><a href=\"#charts\">图表</a>"
          "<a href=\"#downloads\">下载</a><a href=\"#quality\">数据质量</a></nav>\n<main>\n", f);
    if (run->incomplete)
        fputs("<p class=\"notice\" role=\"status\">本次运行不完整：有数据源缺失或无法读取，"
              "或有指标因输入缺失、有误而无数据，相关指标显示为“无数据”并注明原因。详见下方“数据质量”。</p>\n", f);
}

/* ---- summary and status table --------------------------------------------------------- */

/* Every indicator counted once, by its combined verdict (parts nested): the cards add up
 * to the 共N项 under them, and to the workbook's and the scorecard's counts. */
static void write_summary(FILE *f, const zf_run *run, size_t year)
{
    static const zf_outcome order[] = {ZF_OUTCOME_MET, ZF_OUTCOME_NOT_MET, ZF_OUTCOME_NO_DATA,
                                       ZF_OUTCOME_IN_PROGRESS};
    size_t count[ZF_OUTCOME_COUNT];
    size_t total = zf_run_tally(run, year, count);
    const zf_plan *plan = &run->defs->plan;
    fprintf(f, "<section id=\"summary\" aria-labelledby=\"h-summary\">\n"
               "<h2 id=\"h-summary\">总体情况（%d年）</h2>\n<ul class=\"cards\">", plan->years[year]);
    for (size_t k = 0; k < sizeof order / sizeof *order; k++)
        fprintf(f, "<li class=\"%s\"><span class=\"n\">%zu</span>%s</li>", outcome_class(order[k]),
                count[order[k]], zf_outcome_label(order[k]));
    /* an indicator without a target this year (Dazhou) is counted, not dropped */
    if (count[ZF_OUTCOME_NONE])
        fprintf(f, "<li class=\"nodata\"><span class=\"n\">%zu</span>本年度未设目标</li>",
                count[ZF_OUTCOME_NONE]);
    fprintf(f, "</ul>\n<p>共 %zu 项指标（含分项的指标按各分项合并计一项）。“进行中”表示该年度尚未结束，"
               "数值为截至日期的暂定值。</p>\n", total);
    /* the manager should not read a normal mid-year 无数据 as a failure, nor the reverse */
    size_t late = 0;
    for (size_t i = 0; i < plan->n_indicators; i++) {
        const zf_result *r = top_result(run, i, 0, year);
        if (r && r->outcome == ZF_OUTCOME_NO_DATA && r->nodata == ZF_NODATA_NOT_DUE) {
            fprintf(f, late++ ? "、%d" : "<p>其中无数据的指标 %d", plan->indicators[i].number);
        }
    }
    if (late)
        fprintf(f, " 共 %zu 项为年度数据，本年度尚未到报送期，属正常%s。</p>\n", late,
                count[ZF_OUTCOME_NO_DATA] > late ? "；其余无数据的指标因数据缺失或有误，见“数据质量”" : "");
    fputs("</section>\n", f);
}

static void put_units(FILE *f, const zf_indicator *in)
{
    for (size_t u = 0; u < in->n_units; u++) {
        if (u)
            fputs("、", f);
        put_html(f, in->units[u]);
    }
}

static void put_badge(FILE *f, zf_outcome o, zf_outcome provisional, const zf_result *r)
{
    fprintf(f, "<td data-sort=\"%d\"><span class=\"badge %s\">%s</span>", (int)o, outcome_class(o),
            zf_outcome_label(o));
    if (o == ZF_OUTCOME_IN_PROGRESS && (provisional == ZF_OUTCOME_MET || provisional == ZF_OUTCOME_NOT_MET))
        fprintf(f, "<span class=\"note\">按进度%s</span>", zf_outcome_label(provisional));
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
    fputs("<td class=\"num\"", f);
    if (r && r->has_value && r->kind != ZF_VALUE_WORD) {
        fputs(" data-sort=\"", f);
        put_html(f, zf_result_value_text(r, exact, sizeof exact));
        fputc('"', f);
    }
    fputc('>', f);
    put_html(f, r ? zf_result_value_display(r, shown, sizeof shown) : "—");
    fputs("</td>", f);
}

/* A multi-part indicator: one row with its combined verdict, then a row per part. */
static void write_combined_row(FILE *f, const zf_run *run, size_t ind, size_t year)
{
    const zf_indicator *in = &run->defs->plan.indicators[ind];
    const zf_result *r = top_result(run, ind, 0, year);
    const zf_target *t = in->targets ? &in->targets[year] : NULL;
    fprintf(f, "<tr><td data-sort=\"%ld\">%d</td><th scope=\"row\">", (long)in->number * 1000, in->number);
    put_html(f, in->name);
    fprintf(f, "<span class=\"note\">%zu个分项均达标方为达标</span></th><td>", in->n_parts);
    put_units(f, in);
    fputs("</td><td class=\"num\">", f);
    put_html(f, t && t->cell ? t->cell : "—");
    fputs("</td><td class=\"num\">见分项</td>", f);
    put_badge(f, zf_run_indicator_outcome(run, ind, year, 0), r ? r->provisional : ZF_OUTCOME_NONE, NULL);
    fputs("</tr>\n", f);
}

static void write_status_row(FILE *f, const zf_run *run, size_t ind, size_t part, size_t year)
{
    const zf_indicator *in = &run->defs->plan.indicators[ind];
    const zf_result *r = top_result(run, ind, part, year);
    const zf_target *t = r && r->target ? r->target : in->targets ? &in->targets[year] : NULL;
    bool is_part = in->n_parts > 1;
    fprintf(f, "<tr%s><td data-sort=\"%ld\">", is_part ? " class=\"partrow\"" : "",
            (long)in->number * 1000 + (long)part + (is_part ? 1 : 0));
    if (is_part)
        fprintf(f, "%d-%zu", in->number, part + 1);
    else
        fprintf(f, "%d", in->number);
    fputs("</td><th scope=\"row\">", f);
    if (is_part) {
        fputs("<span class=\"part\">└ 分项：", f);
        put_html(f, in->parts[part].name);
        fputs("</span>", f);
    } else {
        put_html(f, in->name);
    }
    fputs("</th><td>", f);
    if (!is_part)
        put_units(f, in);
    fputs("</td><td class=\"num\">", f);
    put_html(f, t && t->cell ? t->cell : "—");
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
    put_html(f, top);
    fputs("）</h2>\n<div class=\"scroll\"><table class=\"sortable\">\n"
          "<caption>点击表头可排序；在手机上可左右滑动表格。</caption>\n<thead><tr>", f);
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

/* ---- charts, downloads, quality ----------------------------------------------------------- */

static void write_chart(FILE *f, const zf_chart *c)
{
    const char *dir = ZF_PAGE_CHARTS_DIR "/";
    /* the image links to its SVG: on a phone a tap opens it full size */
    fputs("<figure><a href=\"", f);
    put_url(f, dir, c->svg);
    fputs("\"><img src=\"", f);
    put_url(f, dir, c->svg);
    fputs("\" alt=\"", f);
    put_html(f, c->alt ? c->alt : c->title);
    fprintf(f, "\" width=\"%d\" height=\"%d\" loading=\"lazy\"></a>", c->width, c->height);
    fputs("<figcaption>", f);
    put_html(f, c->title);
    fputs(" · <a href=\"", f);
    put_url(f, dir, c->svg);
    fputs("\">SVG</a> · <a href=\"", f);
    put_url(f, dir, c->png);
    fputs("\">PNG</a></figcaption></figure>\n", f);
}

static void write_charts(FILE *f, const zf_chart_list *charts)
{
    fputs("<section id=\"charts\" aria-labelledby=\"h-charts\">\n<h2 id=\"h-charts\">图表</h2>\n", f);
    if (!charts || charts->n == 0) {
        fputs("<p class=\"notice\">本次运行未生成图表（未找到 gnuplot 或已选择跳过图表）；"
              "表格和下载文件不受影响。</p>\n</section>\n", f);
        return;
    }
    fputs("<div class=\"charts\">\n", f);
    for (size_t i = 0; i < charts->n; i++)
        write_chart(f, &charts->items[i]);
    fputs("</div>\n</section>\n", f);
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
        put_url(f, "", downloads[i]);
        fputs("\">", f);
        put_html(f, downloads[i]);
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
    put_html(f, s ? (s->title ? s->title : s->id) : "");
    fputs("</th><td>", f);
    put_html(f, s ? s->unit : "");
    fputs("</td><td><code>", f);
    put_html(f, in->name && *in->name ? in->name : "—");
    fprintf(f, "</code></td><td class=\"num\">%lld</td><td class=\"num\">%lld</td>"
               "<td class=\"num\">%lld</td><td><span class=\"badge %s\">",
            (long long)in->rows_read, (long long)in->rows_accepted, (long long)in->rows_rejected,
            file_status_class(in->status));
    put_html(f, file_status_text(in->status));
    fputs("</span>", f);
    if (in->message && *in->message && strcmp(in->status ? in->status : "", "ok") != 0) {
        fputs("<span class=\"note\">", f);
        put_html(f, in->message);
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
 * text in Chinese collation; rows keep their order on ties (Array.prototype.sort is stable). */
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
    "   var asc=th.getAttribute('aria-sort')!=='ascending';\n"
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
    put_html(f, run->version ? run->version : "");
    fputs(" 生成 · 运行编号 <code>", f);
    put_html(f, run->run_id);
    fputs("</code></footer>\n<script>\n", f);
    fputs(page_js, f);
    fputs("</script>\n</body>\n</html>\n", f);
}

static void write_page(FILE *f, const zf_run *run, const zf_chart_list *charts,
                       const char *const *downloads, size_t n_downloads)
{
    write_head(f, run);
    write_header(f, run);
    size_t year = zf_charts_latest_year(run);
    if (year != SIZE_MAX) {
        write_summary(f, run, year);
        write_status_table(f, run, year, "status");
        /* mid-year most rows are 进行中: the last closed year is what was judged */
        for (size_t k = run->n_years; k-- > 0 && zf_run_year_open(run, year);) {
            size_t y = run->years[k];
            if (y != year && !zf_run_year_open(run, y)) {
                char id[32];
                snprintf(id, sizeof id, "status-%d", run->defs->plan.years[y]);
                write_status_table(f, run, y, id);
                break;
            }
        }
    } else {
        fputs("<p class=\"notice\">本次运行没有计算任何年度。</p>\n", f);
    }
    write_charts(f, charts);
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
    write_page(f, run, charts, downloads, n_downloads);
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write: %s", strerror(errno));
cleanup:
    free(path);
    return st;
}
