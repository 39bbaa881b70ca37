/* test_charts.c — charts: the files exist and repeat byte for byte whichever and however
 * many gnuplot processes draw them, a hostile indicator name is drawn as text and never
 * run, a missing gnuplot is a distinct, clear error, and a chart gnuplot fails on (or a
 * gnuplot that dies) is found and named, not waited for. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zf_test.h"
#include "zf_fake_run.h"
#include "zf_calendar.h"
#include "zf_charts.h"
#include "zf_fs.h"

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    size_t got = buf ? fread(buf, 1, (size_t)n, f) : 0;
    fclose(f);
    if (buf)
        buf[got] = '\0';
    *len = got;
    return buf;
}

static void remove_dir(const char *dir, const zf_chart_list *l)
{
    char path[1024];
    for (size_t i = 0; i < l->n; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, l->items[i].png);
        unlink(path);
        snprintf(path, sizeof path, "%s/%s", dir, l->items[i].svg);
        unlink(path);
    }
    rmdir(dir);
}

/* Write the charts of f into a new temporary directory; skip the test without gnuplot. */
static void write_charts(zf_fake *f, char *dir, zf_chart_list *l)
{
    strcpy(dir, "/tmp/zf_charts_XXXXXX");
    assert_non_null(mkdtemp(dir));
    zf_chart_list_init(l);
    zf_error err = {0};
    zf_status st = zf_charts_write(&f->run, dir, NULL, l, &err);
    if (st == ZF_ERR_EXTERNAL && strstr(err.message, "not found")) {
        rmdir(dir);
        skip();
    }
    if (st != ZF_OK)
        fprintf(stderr, "charts: %s\n", err.message);
    assert_int_equal(st, ZF_OK);
}

static const zf_chart *find_chart(const zf_chart_list *l, const char *png)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i].png, png) == 0)
            return &l->items[i];
    return NULL;
}

static void test_files_exist_and_repeat(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    char d1[64], d2[64];
    zf_chart_list l1, l2;
    /* three processes, then one: the same bytes whichever process drew which chart */
    setenv("ZF_THREADS", "3", 1);
    write_charts(f, d1, &l1);
    setenv("ZF_THREADS", "1", 1);
    write_charts(f, d2, &l2);
    unsetenv("ZF_THREADS");
    static const char *const want[] = {"scorecard.png", "trend-7-1.png", "trend-7-2.png",
                                       "towns-7-1.png", "towns-7-2.png", "trend-3.png",
                                       "towns-3.png", "trend-12.png"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_non_null(find_chart(&l1, want[i]));
    assert_null(find_chart(&l1, "trend-27.png"));  /* a milestone has no numbers to draw */
    assert_null(find_chart(&l1, "towns-12.png"));  /* not computed per town */
    assert_int_equal(l1.n, l2.n);
    for (size_t i = 0; i < l1.n; i++) {
        const char *names[2] = {l1.items[i].png, l1.items[i].svg};
        assert_non_null(l1.items[i].alt);
        assert_true(strlen(l1.items[i].alt) > 10);
        for (int k = 0; k < 2; k++) {
            size_t n1 = 0, n2 = 0;
            char *a = slurp(d1, names[k], &n1), *b = slurp(d2, names[k], &n2);
            assert_non_null(a);
            assert_non_null(b);
            assert_true(n1 > 100);
            assert_int_equal(n1, n2);
            assert_memory_equal(a, b, n1);
            free(a);
            free(b);
        }
    }
    remove_dir(d1, &l1);
    remove_dir(d2, &l2);
    zf_chart_list_free(&l1);
    zf_chart_list_free(&l2);
    fake_run_free(f);
}

/* Issue 16 finding 3: the scorecard counts each indicator once per unit (indicator 7's two
 * parts are one indicator, as on the page and in the workbook), and its title gives the
 * plan's count.  民政局 is responsible for 7 and 3: two, where it used to count three. */
static void test_scorecard_counts_indicators(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    char d[64];
    zf_chart_list l;
    write_charts(f, d, &l);
    const zf_chart *c = find_chart(&l, "scorecard.png");
    assert_non_null(c);
    assert_non_null(strstr(c->title, "共4项"));
    const char *unit = strstr(c->alt, "：民政局 ");
    assert_non_null(unit);
    const char *end = strstr(unit, "；");
    assert_non_null(end);
    int sum = 0;
    for (const char *p = unit + strlen("：民政局 "); p < end; p++)
        if (*p >= '0' && *p <= '9') {
            sum += (int)strtol(p, (char **)&p, 10);
            p--;
        }
    assert_int_equal(sum, 2);
    remove_dir(d, &l);
    zf_chart_list_free(&l);
    fake_run_free(f);
}

/* The note on shared indicators stood in the 15 pt title and ran off the chart's right edge
 * (seen in the PNG); it is a line of its own under the title, and in the text alternative.
 * A plan whose every indicator has one unit has no such note: the bars add up to the total. */
static void test_scorecard_shared_note(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    char d[64];
    zf_chart_list l;
    write_charts(f, d, &l);
    const zf_chart *c = find_chart(&l, "scorecard.png");
    assert_non_null(c);
    assert_null(strstr(c->title, "各计一次"));
    assert_true(strlen(c->title) < 60);   /* 各责任单位指标完成情况（2025年，共4项） */
    assert_non_null(strstr(c->alt, "多单位共同负责的指标在每个单位各计一次"));
    remove_dir(d, &l);
    zf_chart_list_free(&l);

    for (size_t i = 0; i < f->defs.plan.n_indicators; i++)
        if (f->defs.plan.indicators[i].n_units > 1)
            f->defs.plan.indicators[i].n_units = 1;
    write_charts(f, d, &l);
    c = find_chart(&l, "scorecard.png");
    assert_non_null(c);
    assert_null(strstr(c->alt, "各计一次"));
    remove_dir(d, &l);
    zf_chart_list_free(&l);
    fake_run_free(f);
}

static void test_hostile_name_is_text(void **state)
{
    (void)state;
    char marker[128], name[512];
    snprintf(marker, sizeof marker, "/tmp/zf_pwned_%ld", (long)getpid());
    unlink(marker);
    snprintf(name, sizeof name, "恶意`touch %s`'\"|<&>名称", marker);
    zf_fake *f = fake_run_new(name);
    char dir[64];
    zf_chart_list l;
    write_charts(f, dir, &l); /* asserts ZF_OK: gnuplot exited 0 */
    struct stat sb;
    assert_int_not_equal(stat(marker, &sb), 0);
    /* gnuplot's svg terminal escapes & and < only; the rest is written as given */
    char want[600];
    snprintf(want, sizeof want, "7. 恶意`touch %s`'\"|&lt;&amp;>名称（探访关爱率）</text>", marker);
    size_t n = 0;
    char *svg = slurp(dir, "trend-7-1.svg", &n);
    assert_non_null(svg);
    assert_non_null(strstr(svg, want));
    /* the document's title is the chart's (issue 16: every SVG said "Gnuplot"), escaped */
    snprintf(want, sizeof want, "<title>7. 恶意`touch %s`'\"|&lt;&amp;&gt;名称（探访关爱率）</title>", marker);
    assert_non_null(strstr(svg, want));
    assert_null(strstr(svg, "<title>Gnuplot</title>"));
    free(svg);
    const zf_chart *c = find_chart(&l, "trend-7-1.png");
    assert_non_null(c);
    assert_non_null(strstr(c->title, name));
    remove_dir(dir, &l);
    zf_chart_list_free(&l);
    fake_run_free(f);
}

static void test_missing_gnuplot(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    char dir[] = "/tmp/zf_charts_XXXXXX";
    assert_non_null(mkdtemp(dir));
    zf_chart_list l;
    zf_chart_list_init(&l);
    zf_error err = {0};
    zf_status st = zf_charts_write(&f->run, dir, "/nonexistent/zf-no-gnuplot", &l, &err);
    assert_int_equal(st, ZF_ERR_EXTERNAL);
    assert_non_null(strstr(err.message, "gnuplot not found: charts skipped"));
    assert_int_equal(l.n, 0);
    rmdir(dir);
    zf_chart_list_free(&l);
    fake_run_free(f);
}

/* A stand-in for gnuplot: a shell script given as --gnuplot (the test's own text, no data). */
static void fake_gnuplot(char *path, const char *body)
{
    strcpy(path, "/tmp/zf_fake_gnuplot_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f, "#!/bin/sh\n%s\n", body);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, 0700), 0);
}

static zf_status charts_with(zf_fake *f, const char *gp, char *dir, zf_chart_list *l, zf_error *err)
{
    strcpy(dir, "/tmp/zf_charts_XXXXXX");
    assert_non_null(mkdtemp(dir));
    zf_chart_list_init(l);
    return zf_charts_write(&f->run, dir, gp, l, err);
}

/* One chart in the middle fails inside a long-lived gnuplot, which goes on reading: the
 * failure is still found, names that chart and gnuplot's message, and nothing is listed. */
static void test_failing_chart_is_named(void **state)
{
    (void)state;
    if (system("command -v gnuplot >/dev/null 2>&1") != 0)
        skip();
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    char gp[64], dir[64];
    fake_gnuplot(gp, "sed -u '/towns-3.png/,/^replot/ s/^plot NaN/plot zf_no_such_function(1)/' | exec gnuplot");
    zf_chart_list l;
    zf_error err = {0};
    zf_status st = charts_with(f, gp, dir, &l, &err);
    assert_int_equal(st, ZF_ERR_EXTERNAL);
    assert_non_null(strstr(err.file, "towns-3.png"));
    assert_non_null(strstr(err.message, "gnuplot failed"));
    assert_non_null(strstr(err.message, "zf_no_such_function"));
    assert_int_equal(l.n, 0);
    zf_error rm = {0};
    assert_int_equal(zf_rm_rf(dir, &rm), ZF_OK);
    unlink(gp);
    zf_chart_list_free(&l);
    fake_run_free(f);
}

/* A gnuplot that stops reading and exits is an error of its own, not a hang. */
static void test_dying_gnuplot(void **state)
{
    (void)state;
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    char gp[64], dir[64];
    fake_gnuplot(gp, "head -n 3 >/dev/null; echo 'zf test: giving up' >&2; exit 4");
    zf_chart_list l;
    zf_error err = {0};
    zf_status st = charts_with(f, gp, dir, &l, &err);
    assert_int_equal(st, ZF_ERR_EXTERNAL);
    assert_non_null(strstr(err.message, "exit 4"));
    assert_non_null(strstr(err.message, "giving up"));
    assert_int_equal(l.n, 0);
    zf_error rm = {0};
    assert_int_equal(zf_rm_rf(dir, &rm), ZF_OK);
    unlink(gp);
    zf_chart_list_free(&l);
    fake_run_free(f);
}

/* Issue 16: the town chart shows the last closed year (2024: 2025 is open) under the
 * plan's own level name; an indicator no town has a value for gets none; the target is
 * plotted after the bars (on top) and says its direction. */
static void test_town_chart_year_level_target(void **state)
{
    (void)state;
    if (system("command -v gnuplot >/dev/null 2>&1") != 0)
        skip();
    zf_fake *f = fake_run_new("困难群众探访关爱率");
    f->defs.regions.sublevel = "设区市";
    f->run.as_of = zf_days_from_civil(2025, 6, 30);   /* 2025 open, 2024 the last closed */
    for (size_t i = 0; i < f->run.n_results; i++)
        if (f->run.results[i].indicator == 1 && f->run.results[i].region > 0)
            f->run.results[i].has_value = false;   /* indicator 3: no town has a value */
    char gp[64], dir[64], log[64];
    strcpy(log, "/tmp/zf_charts_script_XXXXXX");
    int fd = mkstemp(log);
    assert_true(fd >= 0);
    close(fd);
    char body[256];
    snprintf(body, sizeof body, "tee '%s' | exec gnuplot", log);
    fake_gnuplot(gp, body);
    setenv("ZF_THREADS", "1", 1);
    zf_chart_list l;
    zf_error err = {0};
    zf_status st = charts_with(f, gp, dir, &l, &err);
    unsetenv("ZF_THREADS");
    assert_int_equal(st, ZF_OK);
    const zf_chart *c = find_chart(&l, "towns-7-1.png");
    assert_non_null(c);
    assert_non_null(strstr(c->title, "各设区市2024年"));
    assert_null(find_chart(&l, "towns-3.png"));
    size_t n = 0;
    char *script = slurp("/", log, &n);
    assert_non_null(script);
    char *at = strstr(script, "towns-7-1.png");
    assert_non_null(at);
    char *plot = strstr(at, "\nplot ");
    assert_non_null(plot);
    char *bars = strstr(plot, "$bars"), *target = strstr(plot, "$target");
    assert_non_null(bars);
    assert_non_null(target);
    assert_true(bars < target);
    char *eol = strchr(plot + 1, '\n');
    assert_true(target < eol);
    assert_non_null(strstr(target, "目标 ≥86%"));
    free(script);
    unlink(log);
    unlink(gp);
    zf_error rm = {0};
    assert_int_equal(zf_rm_rf(dir, &rm), ZF_OK);
    zf_chart_list_free(&l);
    fake_run_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_exist_and_repeat),
        cmocka_unit_test(test_scorecard_counts_indicators),
        cmocka_unit_test(test_scorecard_shared_note),
        cmocka_unit_test(test_hostile_name_is_text),
        cmocka_unit_test(test_missing_gnuplot),
        cmocka_unit_test(test_failing_chart_is_named),
        cmocka_unit_test(test_dying_gnuplot),
        cmocka_unit_test(test_town_chart_year_level_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
