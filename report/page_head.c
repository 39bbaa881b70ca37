/* page_head.c — the top of index.html: <head> with the one inline style sheet, the header
 * with the run's identity, and the navigation.  The style sheet is where the page is made
 * to work on a phone (status rows as cards below 640 px, a sticky first column for the
 * wide tables, charts kept at a size whose labels can be read) and on paper (@media print:
 * no navigation or buttons, colours kept, rows not cut across pages). */
#include "page_internal.h"

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
    "h3{font-size:1.05rem;margin:0 0 .5rem}"
    ".notice{border-left:4px solid #e08a00;background:#fff7e6;padding:.6rem .8rem;margin:0 0 1rem}"
    ".lead{font-size:1.1rem;font-weight:600;margin:0 0 1rem}"
    ".years{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,420px),1fr));gap:1rem;margin:0 0 1rem}"
    ".year{border:1px solid #e3e8ee;border-radius:8px;padding:.8rem}.year p{margin:.5rem 0 0}"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(96px,1fr));gap:.6rem;"
    "list-style:none;padding:0;margin:0}"
    ".cards li{border-radius:8px;padding:.6rem .8rem;border:1px solid #dde3ea}"
    ".cards .n{display:block;font-size:1.9rem;font-weight:700;line-height:1.2}"
    ".lag{margin:0;padding-left:1.2rem}.lag li{margin:.2rem 0}"
    ".scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}"
    "table{border-collapse:collapse;width:100%;min-width:640px;font-size:.95rem}"
    "caption{text-align:left;color:#5a6675;padding:0 0 .4rem}"
    "th,td{border-bottom:1px solid #e3e8ee;padding:.45rem .55rem;text-align:left;vertical-align:top}"
    "thead th{background:#eef2f6;white-space:nowrap}thead th.num{text-align:right}"
    "tbody th{font-weight:500}"
    "td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:inherit}"
    "th[aria-sort=ascending] button::after{content:\" ▲\"}th[aria-sort=descending] button::after{content:\" ▼\"}"
    ".part{color:#5a6675;font-size:.9em}.partrow th,.partrow td:first-child{padding-left:1.6rem}"
    ".badge{display:inline-block;padding:.05rem .55rem;border-radius:999px;font-weight:600;white-space:nowrap}"
    ".met{background:#e6f4ea;color:#1b5e20}.notmet{background:#fdecea;color:#b71c1c}"
    ".nodata{background:#eceff1;color:#455a64}.progress{background:#fff4e0;color:#8a4b00}"
    ".ontrack{background:#eef7e9;color:#2e6b1f}.behind{background:#ffe3cc;color:#9a3412}"
    ".note{display:block;color:#5a6675;font-size:.85em}"
    /* the wide tables keep their first column (unit, town) in view while the rest scrolls */
    "table.sticky{min-width:0}"
    ".sticky th:first-child,.sticky td:first-child{position:sticky;left:0;z-index:1;background:#fff;"
    "box-shadow:1px 0 0 #dde3ea}"
    ".sticky thead th:first-child{background:#eef2f6}"
    ".sticky tbody th{white-space:nowrap}.units td:last-child{min-width:15em}"
    ".cap{color:#5a6675;margin:0 0 .4rem}"
    ".matrix td{text-align:center;white-space:nowrap;font-variant-numeric:tabular-nums;border:1px solid #fff}"
    ".matrix thead th{text-align:center}"
    ".key{color:#5a6675;font-size:.85rem;margin:.5rem 0 0}"
    ".charts{display:grid;align-items:start;grid-template-columns:repeat(auto-fit,minmax(min(100%,540px),1fr));gap:1rem}"
    "figure{margin:0;border:1px solid #e3e8ee;border-radius:6px;padding:.5rem;background:#fff}"
    ".chart{overflow-x:auto;-webkit-overflow-scrolling:touch}"
    ".chart svg{display:block;width:100%;height:auto}"
    "figcaption{font-size:.9rem;color:#5a6675;margin-top:.3rem}.swipe{display:none}"
    ".downloads{padding-left:1.2rem}.downloads li{margin:.25rem 0}"
    "code{font-family:ui-monospace,monospace;word-break:break-all}"
    "footer{text-align:center;color:#5a6675;font-size:.85rem;padding:1rem}"
    "@media (max-width:640px){body{font-size:15px}header h1{font-size:1.2rem}main{padding:.5rem}"
    "section{padding:.75rem}.lead{font-size:1rem}"
    /* a status row is a card: the name across, then 目标 | 实际值 | 状态 side by side, so
       nothing a manager reads is off-screen; the header row becomes a bar of sort buttons */
    "table.status{min-width:0}"
    "table.status thead tr{display:flex;flex-wrap:wrap;gap:.2rem .9rem;background:#eef2f6;padding:.3rem .5rem}"
    "table.status thead tr::before{content:\"排序：\";color:#5a6675}"
    "table.status thead th{padding:0;background:none}"
    "table.status tbody tr{display:grid;grid-template-columns:2.4rem 1fr 1fr 1fr;"
    "grid-template-areas:\"no name name name\" \". unit unit unit\" \". tgt val st\";"
    "border-bottom:1px solid #dde3ea;padding:.4rem 0}"
    "table.status tbody td,table.status tbody th{border:0;padding:.1rem .3rem;text-align:left}"
    "table.status .no{grid-area:no}table.status tbody th{grid-area:name;font-weight:600}"
    "table.status .unit{grid-area:unit;color:#5a6675;font-size:.85em}"
    "table.status .tgt{grid-area:tgt}table.status .val{grid-area:val}table.status .st{grid-area:st}"
    "table.status td[data-label]::before{content:attr(data-label);display:block;color:#5a6675;font-size:.75rem}"
    "table.status .partrow th{padding-left:.3rem}table.status .no{white-space:nowrap}"
    "table.status .partrow td:first-child{padding-left:.3rem;font-size:.85em}"
    /* a chart drawn 800 px wide keeps at least 680 px (labels about 11 px) and scrolls */
    ".chart svg{min-width:680px}.swipe{display:inline}}"
    "@media print{@page{size:A4;margin:12mm}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "body{background:#fff;font-size:10pt;color:#000}"
    "header{background:none;color:#000;padding:0 0 .3rem;border-bottom:2px solid #1f4e79}"
    "nav,.hint,#downloads,footer{display:none}"
    "main{max-width:none;padding:0}"
    "section{border:0;border-radius:0;padding:0;margin:0 0 .8rem}"
    "h2{break-after:avoid}"
    "table,table.status{min-width:0;font-size:8.5pt}thead{display:table-header-group}"
    "tr,figure,.year{break-inside:avoid}"
    ".scroll,.chart{overflow:visible}.sticky th:first-child,.sticky td:first-child{position:static;box-shadow:none}"
    "th[aria-sort] button::after{content:none}"
    ".charts{display:block}figure{margin:0 0 .6rem;border:0;padding:0}"
    ".chart svg{min-width:0;max-height:125mm}"
    "a{color:inherit;text-decoration:none}}";

void zf_page_write_head(FILE *f, const zf_run *run)
{
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
    zf_page_html(f, run->defs->plan.title);
    fputs(" · 指标监测报告</title>\n<style>", f);
    fputs(page_css, f);
    fputs("</style>\n</head>\n<body>\n", f);
}

void zf_page_write_header(FILE *f, const zf_run *run, const zf_page_years *y)
{
    fputs("<header>\n<h1>", f);
    zf_page_html(f, run->defs->plan.title);
    fputs("</h1>\n<dl class=\"meta\"><div><dt>截至日期</dt><dd>", f);
    zf_page_html(f, run->as_of_text);
    fputs("</dd></div><div><dt>运行编号</dt><dd><code>", f);
    zf_page_html(f, run->run_id);
    fputs("</code></dd></div>", f);
    if (run->version) {
        fputs("<div><dt>软件版本</dt><dd>", f);
        zf_page_html(f, run->version);
        fputs("</dd></div>", f);
    }
    fputs("</dl>\n</header>\n<nav aria-label=\"页面导航\"><a href=\"#summary\">总体情况</a>"
          "<a href=\"#units\">按责任单位</a>", f);
    if (y->closed != SIZE_MAX) {
        fputs("<a href=\"#towns\">按", f);
        zf_page_html(f, run->defs->regions.sublevel);
        fputs("</a>", f);
    }
    fputs("<a href=\"#status\">指标完成情况</a><a href=\"#charts\">图表</a>"
          "<a href=\"#downloads\">下载</a><a href=\"#quality\">数据质量</a></nav>\n<main>\n", f);
    if (run->incomplete)
        fputs("<p class=\"notice\" role=\"status\">本次运行不完整：有数据源缺失或无法读取，"
              "或有指标因输入缺失、有误而无数据，相关指标显示为“无数据”并注明原因。详见下方“数据质量”。</p>\n", f);
}
