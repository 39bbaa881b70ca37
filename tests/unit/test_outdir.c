/* test_outdir.c — what a run may replace: canonical paths (trailing slash, links, `..`),
 * --out kept apart from the data and the archive (and not fooled by a shared prefix),
 * and the ownership test: a publication, a marked work directory or an empty one, never
 * a folder with anyone else's file in it. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* paths here are short; a truncation would fail the assertions anyway */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

#include "zf_test.h"
#include "zf_fs.h"
#include "zf_outdir.h"
#include "zf_publish.h"

typedef struct tmp {
    char root[256];
} tmp;

static void put(const tmp *t, const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", t->root, rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *at(const tmp *t, const char *rel, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", t->root, rel);
    return buf;
}

static int setup(void **state)
{
    tmp *t = calloc(1, sizeof *t);
    snprintf(t->root, sizeof t->root, "/tmp/zf-outdir-unit.XXXXXX");
    if (!t || !mkdtemp(t->root))
        return -1;
    /* the tests compare canonical paths: /tmp may itself be a link */
    char *r = realpath(t->root, NULL);
    snprintf(t->root, sizeof t->root, "%s", r);
    free(r);
    *state = t;
    return 0;
}

static int teardown(void **state)
{
    tmp *t = *state;
    assert_int_equal(zf_rm_rf(t->root, NULL), ZF_OK);
    free(t);
    return 0;
}

static void test_resolve(void **state)
{
    const tmp *t = *state;
    char in[1024], want[1024], got[4096];
    zf_error err;
    mkdir(at(t, "pub", in, sizeof in), 0755);
    at(t, "pub", want, sizeof want);

    snprintf(in, sizeof in, "%s/pub///", t->root);
    assert_int_equal(zf_outdir_resolve(in, got, sizeof got, &err), ZF_OK);
    assert_string_equal(got, want);

    snprintf(in, sizeof in, "%s/./pub/../pub", t->root);
    assert_int_equal(zf_outdir_resolve(in, got, sizeof got, &err), ZF_OK);
    assert_string_equal(got, want);

    char link[1024];
    assert_int_equal(symlink(want, at(t, "link", link, sizeof link)), 0);
    assert_int_equal(zf_outdir_resolve(link, got, sizeof got, &err), ZF_OK);
    assert_string_equal(got, want);

    /* a new directory: its parents are made so it can be resolved, it is not */
    snprintf(in, sizeof in, "%s/link/a/b/", t->root);
    assert_int_equal(zf_outdir_resolve(in, got, sizeof got, &err), ZF_OK);
    snprintf(want, sizeof want, "%s/pub/a/b", t->root);
    assert_string_equal(got, want);
    struct stat sb;
    assert_int_equal(stat(at(t, "pub/a", in, sizeof in), &sb), 0);
    assert_int_not_equal(stat(at(t, "pub/a/b", in, sizeof in), &sb), 0);

    put(t, "file.xlsx", "x");
    assert_int_equal(zf_outdir_resolve(at(t, "file.xlsx", in, sizeof in), got, sizeof got, &err), ZF_ERR_USAGE);
    assert_non_null(strstr(err.message, "is a file"));
    assert_int_equal(zf_outdir_resolve("/", got, sizeof got, &err), ZF_ERR_USAGE);
    assert_int_equal(zf_outdir_resolve("//", got, sizeof got, &err), ZF_ERR_USAGE);
}

static void test_apart(void **state)
{
    const tmp *t = *state;
    char data[1024], out[1024];
    zf_error err;
    mkdir(at(t, "d", data, sizeof data), 0755);
    assert_int_equal(zf_outdir_apart(at(t, "d", out, sizeof out), "--out", data, "--data", &err), ZF_ERR_USAGE);
    assert_non_null(strstr(err.message, "same directory as --data"));
    assert_int_equal(zf_outdir_apart(at(t, "d/x", out, sizeof out), "--out", data, "--data", &err), ZF_ERR_USAGE);
    assert_non_null(strstr(err.message, "lies inside"));
    assert_int_equal(zf_outdir_apart(t->root, "--out", data, "--data", &err), ZF_ERR_USAGE);
    assert_non_null(strstr(err.message, "contains"));
    /* a shared prefix is not containment */
    assert_int_equal(zf_outdir_apart(at(t, "dx", out, sizeof out), "--out", data, "--data", &err), ZF_OK);
    assert_int_equal(zf_outdir_apart(at(t, "e", out, sizeof out), "--out", data, "--data", &err), ZF_OK);
    /* spelt with a trailing slash, through a link, not yet existing */
    snprintf(data, sizeof data, "%s/d/", t->root);
    assert_int_equal(zf_outdir_apart(at(t, "d", out, sizeof out), "--out", data, "--data", &err), ZF_ERR_USAGE);
    char link[1024];
    assert_int_equal(symlink(at(t, "d", data, sizeof data), at(t, "dl", link, sizeof link)), 0);
    assert_int_equal(zf_outdir_apart(at(t, "d", out, sizeof out), "--out", link, "--data", &err), ZF_ERR_USAGE);
    assert_int_equal(zf_outdir_apart(at(t, "d/arch/new", out, sizeof out), "--out",
                                     at(t, "d/arch", data, sizeof data), "--archive", &err), ZF_ERR_USAGE);
    assert_int_equal(zf_outdir_apart(out, "--out", NULL, "--archive", &err), ZF_OK);
}

static void publication(const tmp *t, const char *dir)
{
    char path[1024];
    mkdir(at(t, dir, path, sizeof path), 0755);
    snprintf(path, sizeof path, "%s/charts", dir);
    char full[1024];
    mkdir(at(t, path, full, sizeof full), 0755);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    put(t, path, "{\"software\": \"zhongfu\", \"outputs\": [{\"file\": \"results.csv\"}, "
                 "{\"file\": \"charts/1.svg\"}]}");
    snprintf(path, sizeof path, "%s/results.csv", dir);
    put(t, path, "plan\n");
    snprintf(path, sizeof path, "%s/charts/1.svg", dir);
    put(t, path, "<svg/>");
}

static void test_owned(void **state)
{
    const tmp *t = *state;
    char p[1024], q[1024];
    zf_error err;
    assert_int_equal(zf_outdir_owned(at(t, "missing", p, sizeof p), "--out", &err), ZF_OK);
    mkdir(at(t, "empty", p, sizeof p), 0755);
    assert_int_equal(zf_outdir_owned(p, "--out", &err), ZF_OK);

    publication(t, "pub");
    assert_int_equal(zf_outdir_owned(at(t, "pub", p, sizeof p), "--out", &err), ZF_OK);
    put(t, "pub/~$results.xlsx", "owner");   /* Excel's, while someone has it open */
    put(t, "pub/" ZF_OUTDIR_MARK, "m");
    assert_int_equal(zf_outdir_owned(p, "--out", &err), ZF_OK);
    put(t, "pub/charts/mine.png", "x");
    assert_int_equal(zf_outdir_owned(p, "--out", &err), ZF_ERR_USAGE);
    assert_non_null(strstr(err.message, "charts/mine.png"));

    publication(t, "pub2");
    assert_int_equal(symlink("/etc", at(t, "pub2/results2.csv", q, sizeof q)), 0);
    assert_int_equal(zf_outdir_owned(at(t, "pub2", p, sizeof p), "--out", &err), ZF_ERR_USAGE);
    assert_non_null(strstr(err.message, "results2.csv"));

    /* someone else's manifest.json */
    mkdir(at(t, "other", p, sizeof p), 0755);
    put(t, "other/manifest.json", "{\"name\": \"my-web-app\"}");
    assert_int_equal(zf_outdir_owned(p, "--out", &err), ZF_ERR_USAGE);
    put(t, "other/manifest.json", "not json");
    assert_int_equal(zf_outdir_owned(p, "--out", &err), ZF_ERR_USAGE);

    /* a work directory: the mark makes it ours, whatever it holds */
    assert_int_equal(zf_outdir_create(at(t, "work", p, sizeof p), 0700, &err), ZF_OK);
    put(t, "work/results.csv", "half");
    assert_int_equal(zf_outdir_owned(p, "--out", &err), ZF_OK);
    assert_int_equal(zf_outdir_remove(p, "--out", &err), ZF_OK);
    struct stat sb;
    assert_int_not_equal(lstat(p, &sb), 0);

    /* a folder of the user's, and a file where a directory was expected */
    mkdir(at(t, "home", p, sizeof p), 0755);
    put(t, "home/thesis.docx", "x");
    assert_int_equal(zf_outdir_remove(p, "--out", &err), ZF_ERR_USAGE);
    assert_int_equal(lstat(at(t, "home/thesis.docx", q, sizeof q), &sb), 0);
    put(t, "plain", "x");
    assert_int_equal(zf_outdir_remove(at(t, "plain", p, sizeof p), "--out", &err), ZF_ERR_USAGE);
    assert_int_equal(lstat(p, &sb), 0);
}

/* A path that does not fit is an error naming it, never a cut-off name opened instead
 * (before, 20 callers ignored the status and used the truncated path). */
static void test_paths_that_do_not_fit(void **state)
{
    (void)state;
    char buf[16];
    zf_error err;
    zf_error_clear(&err);
    assert_int_equal(zf_path_join(buf, sizeof buf, "/tmp/out", "results.csv", &err), ZF_ERR_USAGE);
    assert_string_equal(err.file, "/tmp/out");
    assert_non_null(strstr(err.message, "results.csv"));
    assert_int_equal(zf_path_join(buf, sizeof buf, "/tmp", "a.csv", &err), ZF_OK);
    assert_string_equal(buf, "/tmp/a.csv");
    zf_error_clear(&err);
    assert_int_equal(zf_beside(buf, sizeof buf, "/tmp/out", "staging", &err), ZF_ERR_USAGE);
    assert_non_null(strstr(err.message, "staging"));
    char wide[32];
    assert_int_equal(zf_beside(wide, sizeof wide, "/tmp/out", "lock", NULL), ZF_OK);
    assert_string_equal(wide, "/tmp/out.zhongfu-lock");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_that_do_not_fit),
        cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
        cmocka_unit_test_setup_teardown(test_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_owned, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
