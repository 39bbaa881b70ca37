/* test_page.c — index.html: one status row per indicator with its parts nested under it
 * (each with its own verdict), cards that add up to the count of indicators, links only
 * to the files passed in, escaping of data-derived text, and the notice when charts were
 * skipped; the headline (closed year, provisional split, laggards), the views by unit and
 * by town with laggards first, the status order that keeps 预计未达标 apart from 预计达标,
 * the charts' SVG embedded with ids scoped per chart, and the phone and print styles. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zf_calendar.h"
#include "zf_test.h"
#include "zf_fake_run.h"
#include "zf_page.h"

static const char *const downloads[] = {"余姚市2025年度报告.xlsx", "results.csv", "quality.csv",
                                        "rejects.csv", "manifest.json"};
#define N_DOWNLOADS (sizeof downloads / sizeof *downloads)

/* A chart list as zf_charts_write would fill it, without running gnuplot. */
static void fake_charts(zf_chart_list *l)
{
    static const char *const names[][2] = {{"scorecard.png", "scorecard.svg"},
                                           {"trend-7-1.png", "trend-7-1.svg"},
                                           {"towns-7-1.png", "towns-7-1.svg"}};
    zf_chart_list_init(l);
    l->items = calloc(3, sizeof *l->items);
    l->n = l->cap = 3;
    for (size_t i = 0; i < 3; i++) {
        snprintf(l->items[i].png, sizeof l->items[i].png, "%s", names[i][0]);
        snprintf(l->items[i].svg, sizeof l->items[i].svg, "%s", names[i][1]);
        l->items[i].title = "图 <b>";
        l->items[i].alt = "说明 \"引号\" & <i>";
        l->items[i].width = 800;
        l->items[i].height = 400;
    }
}

/* A chart file as gnuplot writes it (prolog, shared ids, references, a white fill), with
 * what must never reach the page: a script, an event handler, a link out. */
static const char fake_svg[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"  standalone=\"no\"?>\n"
    "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
    "<svg \n width=\"800\" height=\"400\"\n viewBox=\"0 0 800 400\"\n onload=\"evil()\"\n"
    " xmlns=\"http://www.w3.org/2000/svg\"\n xmlns:xlink=\"http://www.w3.org/1999/xlink\"\n>\n"
    "<title>Gnuplot</title>\n<!-- a comment -->\n<g id=\"gnuplot_canvas\">\n"
    "<rect x=\"0\" y=\"0\" width=\"800\" height=\"400\" fill=\"#ffffff\"/>\n<defs>\n"
    "\t<path id='gpPt0' stroke='currentColor' d='M-1,0 h2 M0,-1 v2'/>\n"
    "\t<filter id='textbox' x='0' y='0'><feFlood flood-color='#FFFFFF'/></filter>\n</defs>\n"
    "<script type=\"text/javascript\"><![CDATA[ alert('svg') ]]></script>\n"
    "<use xlink:href='#gpPt0' x='10' y='10'/>\n<use xlink:href='http://example.com/x.svg#a'/>\n"
    "<text filter='url(#textbox)'><tspan>凤山街道 &lt;b&gt; 85.0%</tspan></text>\n</g>\n</svg>\n";

static void write_file(const char *path, const char *text)
{
    FILE *out = fopen(path, "wb");
    assert_non_null(out);
    assert_int_equal(fwrite(text, 1, strlen(text), out), strlen(text));
    assert_int_equal(fclose(out), 0);
}

/* svg_text NULL: no chart files on disk (a chart the writer listed but did not leave). */
static char *write_and_read_svg(zf_fake *f, const zf_chart_list *charts, const char *svg_text)
{
    char dir[] = "/tmp/zf_page_XXXXXX", path[160];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/charts", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    for (size_t i = 0; svg_text && charts && i < charts->n; i++) {
        snprintf(path, sizeof path, "%s/charts/%s", dir, charts->items[i].svg);
        write_file(path, svg_text);
    }
    zf_error err = {0};
    assert_int_equal(zf_page_write(&f->run, dir, charts, downloads, N_DOWNLOADS, &err), ZF_OK);
    snprintf(path, sizeof path, "%s/index.html", dir);
    FILE *in = fopen(path, "rb");
    assert_non_null(in);
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    rewind(in);
    char *html = malloc((size_t)n + 1);
    assert_int_equal(fread(html, 1, (size_t)n, in), (size_t)n);
    html[n] = '\0';
    fclose(in);
    unlink(path);
    for (size_t i = 0; svg_text && charts && i < charts->n; i++) {
        snprintf(path, sizeof path, "%s/charts/%s", dir, charts->items[i].svg);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/charts", dir);
    rmdir(path);
    rmdir(dir);
    return html;
}

static char *write_and_read(zf_fake *f, const zf_chart_list *charts)
{
    return write_and_read_svg(f, charts, fake_svg);
}

static size_t count_of(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

/* The status table's body only: its rows. */
static size_t status_rows(const char *html)
{
    const char *t = strstr(html, "<table class=\"sortable status\">");
    assert_non_null(t);
    const char *body = strstr(t, "<tbody>"), *end = strstr(t, "</tbody>");
    assert_non_null(body);
    assert_non_null(end);
    size_t n = 0;
    for (const char *p = strstr(body, "<tr>"); p && p < end; p = strstr(p + 1, "<tr>"))
        n++;
    return n;
}

/* Rows of parts (nested under their indicator's row) in the first status table. */
static size_t part_rows(const char *html)
{
    const char *t = strstr(html, "<table class=\"sortable status\">");
    const char *end = t ? strstr(t, "</tbody>") : NULL;
    size_t n = 0;
    for (const char *p = t ? strstr(t, "<tr class=\"partrow\">") : NULL; p && p < end;
         p = strstr(p + 1, "<tr class=\"partrow\">"))
        n++;
    return n;
}

/* The text of the status table with id, from its <section> to </section>. */
static char *section_text(const char *html, const char *id)
{
    char open[64];
    snprintf(open, sizeof open, "<section id=\"%s\"", id);
    const char *a = strstr(html, open), *b = a ? strstr(a, "</section>") : NULL;
    assert_non_null(b);
    return strndup(a, (size_t)(b - a));
}

/* The number on year's card labelled label ("达标", "预计未达标"), -1 when there is none. */
static long card(const char *summary, int year, const char *label)
{
    char open[64];
    snprintf(open, sizeof open, "<ul class=\"cards\" data-year=\"%d\">", year);
    const char *a = strstr(summary, open), *end = a ? strstr(a, "</ul>") : NULL;
    assert_non_null(end);
    for (const char *p = strstr(a, "<span class=\"n\">"); p && p < end; p = strstr(p + 1, "<span class=\"n\">")) {
        char *rest;
        long n = strtol(p + strlen("<span class=\"n\">"), &rest, 10);
        if (strncmp(rest, "</span>", 7) == 0 && strncmp(rest + 7, label, strlen(label)) == 0 &&
            strncmp(rest + 7 + strlen(label), "</li>", 5) == 0)
            return n;
    }
    return -1;
}

/* The sum of year's cards: each indicator on one of them. */
static size_t card_sum(const char *summary, int year)
{
    char open[64];
    snprintf(open, sizeof open, "<ul class=\"cards\" data-year=\"%d\">", year);
    const char *a = strstr(summary, open), *end = a ? strstr(a, "</ul>") : NULL;
    assert_non_null(end);
    size_t sum = 0;
    for (const char *p = strstr(a, "<span class=\"n\">"); p && p < end; p = strstr(p + 1, "<span class=\"n\">"))
        sum += strtoul(p + strlen("<span class=\"n\">"), NULL, 10);
    return sum;
}

static bool allowed_link(const char *v, size_t len)
{
    if (len > 0 && v[0] == '#')
        return true; /* in-page navigation */
    static const char *const charts[] = {"charts/scorecard.png", "charts/scorecard.svg",
                                         "charts/trend-7-1.png", "charts/trend-7-1.svg",
                                         "charts/towns-7-1.png", "charts/towns-7-1.svg"};
    for (size_t i = 0; i < N_DOWNLOADS; i++)
        if (strlen(downloads[i]) == len && memcmp(downloads[i], v, len) == 0)
            return true;
    for (size_t i = 0; i < sizeof charts / sizeof *charts; i++)
        if (strlen(charts[i]) == len && memcmp(charts[i], v, len) == 0)
            return true;
    return false;
}

static void check_links(const char *html, const char *attr)
{
    size_t alen = strlen(attr);
    for (const char *p = strstr(html, attr); p; p = strstr(p + alen, attr)) {
        const char *v = p + alen, *q = strchr(v, '"');
        assert_non_null(q);
        if (!allowed_link(v, (size_t)(q - v)))
            fail_msg("unexpected link %.*s", (int)(q - v), v);
    }
}

static void test_rows_links_and_escaping(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("探访<script>alert('x')</script>&\"率\"");
    zf_chart_list charts;
    fake_charts(&charts);
    char *html = write_and_read(f, &charts);
    assert_non_null(strstr(html, "<html lang=\"zh-CN\">"));
    assert_non_null(strstr(html, "name=\"viewport\""));
    /* 4 indicators, 4 rows; indicator 7's two parts nested under its row */
    assert_int_equal(status_rows(html), 4);
    assert_int_equal(part_rows(html), 2);
    assert_null(strstr(html, "<script>alert"));
    assert_non_null(strstr(html, "探访&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;率&quot;"));
    assert_non_null(strstr(html, "说明 &quot;引号&quot; &amp; &lt;i&gt;"));
    assert_int_equal(count_of(html, "<script>"), 1); /* our sorter only */
    check_links(html, "href=\"");
    check_links(html, "src=\"");
    for (size_t i = 0; i < N_DOWNLOADS; i++) {
        char want[256];
        snprintf(want, sizeof want, "href=\"%s\"", downloads[i]);
        assert_non_null(strstr(html, want));
    }
    /* the charts are in the page: no image refers to a chart file */
    assert_null(strstr(html, "<img"));
    assert_int_equal(count_of(html, "<svg"), 3);
    assert_non_null(strstr(html, "href=\"charts/trend-7-1.svg\""));   /* the file, as a download */
    assert_non_null(strstr(html, "<th scope=\"col\""));
    assert_non_null(strstr(html, "0123456789abcdef"));
    assert_non_null(strstr(html, "2025-06-30"));
    assert_null(strstr(html, "未生成图表"));
    free(html);
    zf_chart_list_free(&charts);
    fake_run_free(f);
}

static void test_charts_skipped(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    char *html = write_and_read(f, NULL);
    assert_non_null(strstr(html, "未生成图表"));
    assert_null(strstr(html, "<img"));
    assert_int_equal(status_rows(html), 4);
    /* the quality table lists every input file, the missing source too */
    assert_non_null(strstr(html, "visits.csv"));
    assert_non_null(strstr(html, "未提供"));
    free(html);
    fake_run_free(f);
}

/* Issue 16 findings 1 and 3: in the closed year 2024 探访关爱率 is met and 幸福清单送达率
 * (85.9% against 86%) is not.  The part rows say so, each its own; indicator 7 says 未达标
 * once; the cards add up to the 共N项 (4 indicators, not 5 rows). */
static void test_parts_nested_and_counted(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    f->run.as_of = zf_days_from_civil(2025, 6, 30);   /* 2024 closed: its table is shown */
    for (size_t i = 0; i < f->run.n_results; i++) {
        zf_result *r = &f->run.results[i];
        if (r->indicator != 0 || r->year != 3 || r->region != 0)
            continue;
        if (r->part == 1)
            r->value = (zf_frac){859, 1000};
        r->part_outcome = r->part == 1 ? ZF_OUTCOME_NOT_MET : ZF_OUTCOME_MET;
        r->outcome = ZF_OUTCOME_NOT_MET;   /* the combination, as evaluate leaves it */
        r->combined = true;
    }
    char *html = write_and_read(f, NULL);
    char *closed = section_text(html, "status-2024");
    const char *part0 = strstr(closed, "分项：探访关爱率"), *part1 = strstr(closed, "分项：幸福清单送达率");
    assert_non_null(part0);
    assert_non_null(part1);
    /* the combined row first, with 未达标; then part 1's own 达标, then part 2's 未达标 */
    const char *combined = strstr(closed, "个分项均达标方为达标");
    assert_non_null(combined);
    assert_true(combined < part0 && part0 < part1);
    assert_non_null(strstr(combined, "未达标"));
    assert_true(strstr(combined, "未达标") < part0);
    const char *badge0 = strstr(part0, "class=\"badge ");
    assert_true(strncmp(badge0, "class=\"badge met\">达标", strlen("class=\"badge met\">达标")) == 0);
    const char *badge1 = strstr(part1, "class=\"badge ");
    assert_true(strncmp(badge1, "class=\"badge notmet\">未达标", strlen("class=\"badge notmet\">未达标")) == 0);
    free(closed);
    /* the latest year's cards: 4 indicators in all */
    char *summary = section_text(html, "summary");
    assert_non_null(strstr(summary, "共 4 项指标"));
    assert_int_equal(card_sum(summary, 2024), 4);
    assert_int_equal(card_sum(summary, 2025), 4);
    free(summary);
    free(html);
    fake_run_free(f);
}

/* An indicator without a target this year (Dazhou 15 in 2024) is counted on a card of its
 * own: Dazhou's page said 共15项 above cards that added up to 12. */
static void test_untargeted_counted(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    for (size_t i = 0; i < f->run.n_results; i++) {
        zf_result *r = &f->run.results[i];
        if (r->indicator == 2 && r->year == FAKE_YEARS - 1) {
            r->target = NULL;
            r->outcome = ZF_OUTCOME_NONE;
        }
    }
    char *html = write_and_read(f, NULL);
    char *summary = section_text(html, "summary");
    assert_int_equal(card_sum(summary, 2025), 4);
    assert_non_null(strstr(summary, "本年度未设目标"));
    free(summary);
    free(html);
    fake_run_free(f);
}

/* Issue 16 finding 2: a 无数据 that is only not due yet is said to be normal on the page. */
static void test_not_due_explained(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    for (size_t i = 0; i < f->run.n_results; i++) {
        zf_result *r = &f->run.results[i];
        if (r->indicator == 2 && r->year == FAKE_YEARS - 1 && r->region == 0) {
            r->has_value = false;
            r->outcome = ZF_OUTCOME_NO_DATA;
            r->nodata = ZF_NODATA_NOT_DUE;
        }
    }
    f->run.incomplete = false;
    char *html = write_and_read(f, NULL);
    char *summary = section_text(html, "summary");
    assert_non_null(strstr(summary, "其中无数据的指标 12 共 1 项为年度数据，本年度尚未到报送期，属正常。"));
    assert_null(strstr(html, "本次运行不完整"));
    assert_non_null(strstr(html, "年度数据，尚未到报送期"));   /* on the row too */
    free(summary);
    free(html);
    fake_run_free(f);
}

/* Finding 11: the page forwarded alone keeps its charts.  Each chart's SVG is in the page
 * without its prolog or doctype; gnuplot's ids (the same in every file) are scoped per
 * chart and so are the references to them, a colour is not taken for a reference, the
 * text's entities stay, and what could run or leave the chart is gone. */
static void test_svg_embedded_and_scoped(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    zf_chart_list charts;
    fake_charts(&charts);
    char *html = write_and_read(f, &charts);
    assert_int_equal(count_of(html, "<svg role=\"img\""), 3);
    assert_int_equal(count_of(html, "</svg>"), 3);
    assert_null(strstr(html, "<?xml"));
    assert_null(strstr(html, "<!DOCTYPE svg"));
    assert_null(strstr(html, "a comment"));
    assert_null(strstr(html, "alert('svg')"));
    assert_null(strstr(html, "evil()"));
    assert_null(strstr(html, "example.com"));
    for (int c = 1; c <= 3; c++) {
        char want[64];
        snprintf(want, sizeof want, "id=\"c%d-gnuplot_canvas\"", c);
        assert_int_equal(count_of(html, want), 1);
        snprintf(want, sizeof want, "<use xlink:href='#c%d-gpPt0' x='10' y='10'/>", c);
        assert_int_equal(count_of(html, want), 1);
        snprintf(want, sizeof want, "filter='url(#c%d-textbox)'", c);
        assert_int_equal(count_of(html, want), 1);
    }
    assert_int_equal(count_of(html, "fill=\"#ffffff\""), 3);
    assert_int_equal(count_of(html, "flood-color='#FFFFFF'"), 3);
    assert_int_equal(count_of(html, "<tspan>凤山街道 &lt;b&gt; 85.0%</tspan>"), 3);
    assert_int_equal(count_of(html, "aria-label=\"说明 &quot;引号&quot; &amp; &lt;i&gt;\""), 3);
    /* no id twice in the page, HTML or SVG */
    size_t n = 0;
    const char *ids[256];
    size_t lens[256];
    for (const char *p = html; (p = strstr(p, " id=")) != NULL; p += 4) {
        char q = p[4];
        const char *v = p + 5, *e = strchr(v, q);
        assert_non_null(e);
        for (size_t k = 0; k < n; k++)
            if (lens[k] == (size_t)(e - v) && memcmp(ids[k], v, lens[k]) == 0)
                fail_msg("id %.*s twice", (int)lens[k], v);
        assert_true(n < 256);
        ids[n] = v;
        lens[n++] = (size_t)(e - v);
    }
    assert_true(n >= 12);
    free(html);
    zf_chart_list_free(&charts);
    fake_run_free(f);
}

/* A chart file that is missing, malformed or not UTF-8 is named in its place; no half
 * chart reaches the page and the page is still written. */
static void test_svg_unreadable(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    zf_chart_list charts;
    fake_charts(&charts);
    static const char *const bad[] = {NULL, "<svg><g id='a'><text x='1>broken</text></g></svg>",
                                      "<svg><text>\xff\xfe</text></svg>", "<svg><g>", "no svg here"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char *html = write_and_read_svg(f, &charts, bad[k]);
        assert_int_equal(count_of(html, "图表文件无法读取"), 3);
        assert_null(strstr(html, "<svg"));
        assert_non_null(strstr(html, "<code>trend-7-1.svg</code>"));
        assert_non_null(strstr(html, "</html>"));
        free(html);
    }
    zf_chart_list_free(&charts);
    fake_run_free(f);
}

/* The data-sort of the 状态 cell of the row whose 序号 cell is no_cell, in section id. */
static long status_key(const char *html, const char *id, const char *no_cell)
{
    char *sec = section_text(html, id);
    const char *row = strstr(sec, no_cell);
    assert_non_null(row);
    const char *st = strstr(row, "class=\"st\" data-label=\"状态\" data-sort=\"");
    assert_non_null(st);
    long v = strtol(st + strlen("class=\"st\" data-label=\"状态\" data-sort=\""), NULL, 10);
    free(sec);
    return v;
}

/* The text of the first <th scope="row"> of section id's table. */
static char *first_row_head(const char *html, const char *id)
{
    char *sec = section_text(html, id);
    const char *body = strstr(sec, "<tbody>");
    assert_non_null(body);
    const char *th = strstr(body, "<th scope=\"row\">");
    assert_non_null(th);
    th += strlen("<th scope=\"row\">");
    char *out = strndup(th, (size_t)(strstr(th, "</th>") - th));
    free(sec);
    return out;
}

/* Finding 4: mid-year the headline says how the closed year ended and how the running one
 * is going (预计达标 / 预计未达标 apart), which units and towns lag, and every list puts
 * them first.  2024 is closed: 27 未达标 (乡村振兴局), 陆埠镇 fails 7.  2025 is running:
 * 3 is foreseen to pass, 7 and 12 to fail, 27 cannot be foreseen. */
static void test_headline_and_laggards(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    f->run.as_of = zf_days_from_civil(2025, 6, 30);
    for (size_t i = 0; i < f->run.n_results; i++) {
        zf_result *r = &f->run.results[i];
        if (r->year == 3 && r->indicator == 3)
            r->outcome = ZF_OUTCOME_NOT_MET;
        if (r->year == 3 && r->indicator == 0 && r->region == 1)
            r->outcome = ZF_OUTCOME_MET;
        if (r->year == 3 && r->indicator == 0 && r->region == 3)
            r->outcome = ZF_OUTCOME_NOT_MET;
        if (r->year == 4 && r->indicator == 1 && r->region == 0)
            r->provisional = ZF_OUTCOME_MET;
        if (r->year == 4 && r->indicator == 2)
            r->provisional = ZF_OUTCOME_NOT_MET;
    }
    char *html = write_and_read(f, NULL);
    char *summary = section_text(html, "summary");
    /* the closed year's cards are zf_run_tally's counts, as the workbook's */
    size_t count[ZF_OUTCOME_COUNT];
    assert_int_equal(zf_run_tally(&f->run, 3, count), 4);
    assert_int_equal(count[ZF_OUTCOME_MET], 3);
    assert_int_equal(card(summary, 2024, "达标"), 3);
    assert_int_equal(card(summary, 2024, "未达标"), 1);
    assert_int_equal(card(summary, 2024, "无数据"), 0);
    assert_int_equal(card(summary, 2025, "预计达标"), 1);
    assert_int_equal(card(summary, 2025, "预计未达标"), 2);
    assert_int_equal(card(summary, 2025, "进行中（暂无预判）"), 1);
    assert_int_equal(card(summary, 2025, "无数据"), 0);
    assert_int_equal(card(summary, 2025, "达标"), -1);   /* nothing final yet: no card */
    assert_int_equal(card_sum(summary, 2024), 4);
    assert_int_equal(card_sum(summary, 2025), 4);
    assert_non_null(strstr(summary, "2024年（已结束）4项指标：达标 3 项，未达标 1 项，无数据 0 项。"));
    assert_non_null(strstr(summary, "2025年截至 2025-06-30（暂定）：预计达标 1 项，预计未达标 2 项，进行中（暂无预判） 1 项。"));
    assert_non_null(strstr(summary, "<li>2024年未达标的责任单位：乡村振兴局 1 项（27）</li>"));
    assert_non_null(strstr(summary, "<li>2025年预计未达标的责任单位：民政局 1 项（7）；医保局 1 项（12）</li>"));
    assert_non_null(strstr(summary, "<li>2024年有指标未达标的乡镇街道（1个）：1 项 陆埠镇</li>"));
    free(summary);
    /* laggards first: the unit with a 未达标, the town that failed */
    char *unit = first_row_head(html, "units"), *town = first_row_head(html, "towns");
    assert_string_equal(unit, "乡村振兴局");
    assert_string_equal(town, "陆埠镇");
    free(unit);
    free(town);
    char *towns = section_text(html, "towns");
    assert_non_null(strstr(towns, "<th scope=\"col\"><button type=\"button\">7-1</button></th>"));
    assert_null(strstr(towns, ">3</button>"));   /* a count has no verdict per town */
    assert_non_null(strstr(towns, "class=\"notmet\" data-sort=\"0\" title=\"7-1 探访关爱率："));
    free(towns);
    /* 状态 sorts 未达标, then 预计未达标, ..., 预计达标, 达标 — the provisional two apart */
    long not_met = status_key(html, "status-2024", "data-sort=\"27000\">27</td>");
    long met = status_key(html, "status-2024", "data-sort=\"3000\">3</td>");
    long behind = status_key(html, "status", "data-sort=\"12000\">12</td>");
    long ontrack = status_key(html, "status", "data-sort=\"3000\">3</td>");
    long unforeseen = status_key(html, "status", "data-sort=\"27000\">27</td>");
    assert_true(not_met < behind && behind < unforeseen && unforeseen < ontrack && ontrack < met);
    assert_int_equal(status_key(html, "status", "data-sort=\"7000\">7</td>"), behind);
    /* one wording with the workbook's 预判 column */
    assert_non_null(strstr(html, "<span class=\"note\">预计未达标</span>"));
    assert_non_null(strstr(html, "<span class=\"note\">预计达标</span>"));
    assert_null(strstr(html, "按进度"));
    free(html);
    fake_run_free(f);
}

/* Finding 11: on a 400 px phone the status rows are cards with 目标, 实际值 and 状态 side
 * by side, the wide tables keep their first column, and there is a print style. */
static void test_phone_and_print_styles(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    f->run.as_of = zf_days_from_civil(2025, 6, 30);
    char *html = write_and_read(f, NULL);
    const char *narrow = strstr(html, "@media (max-width:640px){");
    const char *print = strstr(html, "@media print{");
    assert_non_null(narrow);
    assert_non_null(print);
    assert_non_null(strstr(narrow, "grid-template-areas:\"no name name name\" \". unit unit unit\" \". tgt val st\""));
    assert_non_null(strstr(html, ".sticky th:first-child,.sticky td:first-child{position:sticky;left:0"));
    assert_non_null(strstr(print, "nav,.hint,#downloads,footer{display:none}"));
    assert_non_null(strstr(print, "thead{display:table-header-group}"));
    /* every status row carries the cells the narrow layout places */
    size_t rows = count_of(html, "<td class=\"no\"");
    assert_int_equal(rows, 2 * 6);   /* two tables, 4 indicators and 7's two parts */
    assert_int_equal(count_of(html, "class=\"num tgt\" data-label=\"目标\""), rows);
    assert_int_equal(count_of(html, "class=\"num val\" data-label=\"实际值\""), rows);
    assert_int_equal(count_of(html, "class=\"st\" data-label=\"状态\""), rows);
    free(html);
    fake_run_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_links_and_escaping),
        cmocka_unit_test(test_charts_skipped),
        cmocka_unit_test(test_parts_nested_and_counted),
        cmocka_unit_test(test_untargeted_counted),
        cmocka_unit_test(test_not_due_explained),
        cmocka_unit_test(test_svg_embedded_and_scoped),
        cmocka_unit_test(test_svg_unreadable),
        cmocka_unit_test(test_headline_and_laggards),
        cmocka_unit_test(test_phone_and_print_styles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
