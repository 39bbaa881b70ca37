/* page_svg.c — the charts section of index.html, with every chart's SVG embedded, so that
 * the page forwarded alone keeps its charts (the PNGs stay for the workbook, the files
 * stay as downloads).  The SVGs are the chart writer's own, read back from disk after it
 * wrote them; they are still treated as input: only the <svg> element is kept (no XML
 * prolog, doctype or comments), scripts, foreign content and event attributes are
 * dropped, links may only point inside the chart, and every id is scoped to its chart
 * (gnuplot names gnuplot_canvas, gpPt0… the same in every file) so that one chart's
 * references never land on another's definitions. */
#include "page_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "zf_page.h"
#include "zf_text.h"

/* A chart bigger than this is not one the writer makes (they are 20–40 KB). */
#define SVG_MAX_BYTES (4u << 20)

/* The file read whole, NUL-terminated; NULL when it cannot be read or is too big. */
static char *read_svg(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", dir, ZF_PAGE_CHARTS_DIR, name);
    FILE *in = fopen(path, "rb");
    if (!in)
        return NULL;
    long size = fseek(in, 0, SEEK_END) == 0 ? ftell(in) : -1;
    char *buf = size >= 0 && (unsigned long)size <= SVG_MAX_BYTES && fseek(in, 0, SEEK_SET) == 0
                    ? malloc((size_t)size + 1) : NULL;
    size_t n = buf ? fread(buf, 1, (size_t)size, in) : 0;
    bool bad = !buf || ferror(in) || n != (size_t)size;
    fclose(in);
    if (bad) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* Valid UTF-8 with no control other than tab and line ends: what may reach the page. */
static bool text_ok(const char *s, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            continue;
        if (!zf_text_is_safe(s + start, i - start))
            return false;
        start = i + 1;
    }
    return memchr(s, '\0', len) == NULL;
}

static bool name_is(const char *p, size_t n, const char *name)
{
    return strlen(name) == n && strncasecmp(p, name, n) == 0;
}

/* Elements dropped with everything inside them. */
static bool dropped_element(const char *p, size_t n)
{
    return name_is(p, n, "script") || name_is(p, n, "foreignObject") || name_is(p, n, "iframe") ||
           name_is(p, n, "image");
}

/* An attribute's value with its references scoped by prefix: an id itself, a fragment
 * href ("#gpPt0"), and url(#id) in any value.  A colour "#ffffff" is no reference. */
static void put_scoped(FILE *f, const char *v, size_t n, const char *prefix, bool is_id, bool is_href)
{
    if (is_id || is_href) {
        fputs(is_href ? "#" : "", f);
        fputs(prefix, f);
        fwrite(v + is_href, 1, n - is_href, f);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        fputc(v[i], f);
        if (v[i] == '#' && i >= 4 && strncmp(v + i - 4, "url(", 4) == 0)
            fputs(prefix, f);
    }
}

/* One start tag's attributes, from just after its name to (not including) its '>' or
 * "/>": kept, rewritten or dropped.  Returns false on a tag that is not well formed. */
static bool put_attributes(FILE *f, const char *p, const char *end, const char *prefix)
{
    while (p < end) {
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end)
            break;
        const char *name = p;
        while (p < end && *p != '=' && !isspace((unsigned char)*p))
            p++;
        size_t nlen = (size_t)(p - name);
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end || *p != '=')
            return false;
        p++;
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (p >= end || (*p != '"' && *p != '\''))
            return false;
        char q = *p++;
        const char *v = p, *ve = memchr(p, q, (size_t)(end - p));
        if (!ve)
            return false;
        p = ve + 1;
        size_t vlen = (size_t)(ve - v);
        bool is_href = name_is(name, nlen, "href") || name_is(name, nlen, "xlink:href");
        /* event handlers run script; a link out of the chart is not ours to keep */
        if ((nlen > 2 && strncasecmp(name, "on", 2) == 0) || (is_href && (vlen == 0 || v[0] != '#')))
            continue;
        fputc(' ', f);
        fwrite(name, 1, nlen, f);
        fputc('=', f);
        fputc(q, f);
        put_scoped(f, v, vlen, prefix, name_is(name, nlen, "id"), is_href);
        fputc(q, f);
    }
    return true;
}

/* The '>' that ends the tag at p, outside quoted values; NULL when there is none. */
static const char *tag_end(const char *p, const char *end)
{
    char q = 0;
    for (; p < end; p++) {
        if (q)
            q = *p == q ? 0 : q;
        else if (*p == '"' || *p == '\'')
            q = *p;
        else if (*p == '>')
            return p;
    }
    return NULL;
}

/* The <svg> element of p[0..end) into out, sanitised and scoped; the root gets role, label
 * and class.  Returns false on anything the chart writer would not have produced. */
static bool put_element(FILE *out, const char *p, const char *end, const char *prefix, const char *label)
{
    int skip_depth = 0;
    bool root = true;
    while (p < end) {
        if (*p != '<') {
            const char *lt = memchr(p, '<', (size_t)(end - p));
            size_t n = (size_t)((lt ? lt : end) - p);
            if (!skip_depth)
                fwrite(p, 1, n, out);
            p += n;
            continue;
        }
        const char *skip_to = strncmp(p, "<!--", 4) == 0 ? "-->"
                              : skip_depth && strncmp(p, "<![CDATA[", 9) == 0 ? "]]>" : NULL;
        if (skip_to) {
            const char *c = strstr(p + 4, skip_to);
            if (!c || c >= end)
                return false;
            p = c + strlen(skip_to);
            continue;
        }
        const char *gt = tag_end(p, end);
        if (!gt || p[1] == '!' || p[1] == '?')
            return false;
        bool closing = p[1] == '/', empty = gt[-1] == '/';
        const char *name = p + (closing ? 2 : 1), *ne = name;
        while (ne < gt && !isspace((unsigned char)*ne) && *ne != '/')
            ne++;
        size_t nlen = (size_t)(ne - name);
        if (nlen == 0)
            return false;
        if (skip_depth || dropped_element(name, nlen)) {
            if (!empty && (skip_depth || !closing))
                skip_depth += closing ? -1 : 1;
            p = gt + 1;
            continue;
        }
        fputc('<', out);
        if (closing)
            fputc('/', out);
        fwrite(name, 1, nlen, out);
        if (!closing && root) {
            fputs(" role=\"img\" aria-label=\"", out);
            zf_page_html(out, label);
            fputc('"', out);
            root = false;
        }
        if (!closing && !put_attributes(out, ne, empty ? gt - 1 : gt, prefix))
            return false;
        fputs(empty && !closing ? "/>" : ">", out);
        p = gt + 1;
    }
    return skip_depth == 0;
}

/* buf's <svg> element written to f, or nothing (false) when buf is not a chart file:
 * it is built in memory first, so that a bad file leaves no half chart in the page. */
static bool put_svg(FILE *f, const char *buf, size_t len, const char *prefix, const char *label)
{
    if (!text_ok(buf, len))
        return false;
    const char *p = strstr(buf, "<svg"), *close = p ? strstr(p, "</svg>") : NULL;
    if (!p || !close)
        return false;
    char *mem = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&mem, &n);
    if (!out)
        return false;
    bool ok = put_element(out, p, close + strlen("</svg>"), prefix, label);
    ok = fclose(out) == 0 && ok;
    if (ok)
        fwrite(mem, 1, n, f);
    free(mem);
    return ok;
}

static void write_chart(FILE *f, const char *dir, const zf_chart *c, size_t index)
{
    const char *label = c->alt ? c->alt : c->title;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "c%zu-", index + 1);
    size_t len = 0;
    char *svg = read_svg(dir, c->svg, &len);
    fputs("<figure><div class=\"chart\">", f);
    if (!svg || !put_svg(f, svg, len, prefix, label)) {
        fputs("<p class=\"notice\">图表文件无法读取：<code>", f);
        zf_page_html(f, c->svg);
        fputs("</code></p>", f);
    }
    free(svg);
    /* below 640 px the chart keeps a readable size and is wider than the screen */
    fputs("</div><figcaption><span class=\"swipe\">（左右滑动查看全图）</span>", f);
    zf_page_html(f, c->title);
    /* the files, for a full-size view or another document; the page needs neither */
    fputs("<span class=\"hint\"> · <a href=\"", f);
    zf_page_url(f, ZF_PAGE_CHARTS_DIR "/", c->svg);
    fputs("\">SVG</a> · <a href=\"", f);
    zf_page_url(f, ZF_PAGE_CHARTS_DIR "/", c->png);
    fputs("\">PNG</a></span></figcaption></figure>\n", f);
}

void zf_page_write_charts(FILE *f, const char *dir, const zf_chart_list *charts)
{
    fputs("<section id=\"charts\" aria-labelledby=\"h-charts\">\n<h2 id=\"h-charts\">图表</h2>\n", f);
    if (!charts || charts->n == 0) {
        fputs("<p class=\"notice\">本次运行未生成图表（未找到 gnuplot 或已选择跳过图表）；"
              "表格和下载文件不受影响。</p>\n</section>\n", f);
        return;
    }
    fputs("<div class=\"charts\">\n", f);
    for (size_t i = 0; i < charts->n; i++)
        write_chart(f, dir, &charts->items[i], i);
    fputs("</div>\n</section>\n", f);
}
