/* test_log.c — the operator's log: whole lines only, and a write that fails is remembered
 * (the run then exits 3 and says so) instead of leaving half an event that a log collector
 * chokes on, or going unnoticed as it did when the log was a stdio stream nobody checked. */
#include "zf_test.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zf_log.h"

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static int count_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    int n = 0, c, last = '\n';
    while (f && (c = fgetc(f)) != EOF) {
        n += c == '\n';
        last = c;
    }
    if (f)
        fclose(f);
    return last == '\n' ? n : -1;   /* -1: the file ends inside a line */
}

static void test_lines_appended(void **state)
{
    (void)state;
    char path[] = "/tmp/zf-log.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    zf_log log;
    zf_error err;
    assert_int_equal(zf_log_open(&log, path, &err), ZF_OK);
    zf_log_event(&log, "run", "start", "plan", 's', "yuyao", (char *)NULL);
    zf_log_event(&log, "run", "end", "exit", 'i', 0LL, (char *)NULL);
    zf_log_close(&log);
    assert_int_equal(log.write_errno, 0);
    assert_int_equal(count_lines(path), 2);
    assert_int_equal(zf_log_open(&log, path, &err), ZF_OK);   /* appended, never truncated */
    zf_log_event(&log, "run", "start", (char *)NULL);
    zf_log_close(&log);
    assert_int_equal(count_lines(path), 3);
    unlink(path);
}

/* A file-size limit makes the kernel write part of a line and then refuse (EFBIG): the
 * partial line is cut off again, the error kept, and nothing later is written. */
static void test_failed_write_is_cut_and_kept(void **state)
{
    (void)state;
    char path[] = "/tmp/zf-log.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    zf_log log;
    zf_error err;
    assert_int_equal(zf_log_open(&log, path, &err), ZF_OK);
    zf_log_event(&log, "run", "start", "plan", 's', "yuyao", (char *)NULL);
    long before = file_size(path);
    assert_true(before > 20);

    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    lim = old;
    lim.rlim_cur = (rlim_t)before + 10;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    zf_log_event(&log, "ingest", "file", "path", 's', "a rather long file name.csv", (char *)NULL);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);

    assert_int_equal(log.write_errno, EFBIG);
    assert_int_equal(file_size(path), before);   /* the ten bytes that went out are gone */
    zf_log_event(&log, "run", "end", (char *)NULL);
    assert_int_equal(file_size(path), before);   /* and nothing follows the gap */
    zf_log_close(&log);
    assert_int_equal(log.write_errno, EFBIG);
    assert_int_equal(count_lines(path), 1);
    unlink(path);
}

/* A service may log to its journal through /dev/stderr or a pipe: no size, nothing to cut. */
static void test_device(void **state)
{
    (void)state;
    zf_log log;
    zf_error err;
    assert_int_equal(zf_log_open(&log, "/dev/null", &err), ZF_OK);
    zf_log_event(&log, "run", "start", (char *)NULL);
    zf_log_close(&log);
    assert_int_equal(log.write_errno, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_appended),
        cmocka_unit_test(test_failed_write_is_cut_and_kept),
        cmocka_unit_test(test_device),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
