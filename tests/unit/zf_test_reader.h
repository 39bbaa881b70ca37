/* zf_test_reader.h — what the reader tests share: a temporary directory per test, files
 * written into it, and opening and reading with assertions. */
#ifndef ZF_TEST_READER_H
#define ZF_TEST_READER_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zf_test.h"
#include "zf_fs.h"
#include "zf_reader.h"

typedef struct fixture {
    char dir[64];
} fixture;

static inline int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/zf_reader_XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    fixture *f = *state;
    if (zf_rm_rf(f->dir, NULL) != ZF_OK)   /* no shell: the path is not a command */
        fprintf(stderr, "could not remove %s\n", f->dir);
    free(f);
    return 0;
}

static inline const char *path_in(const fixture *f, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", f->dir, name);
    return buf;
}

static inline const char *write_bytes(const fixture *f, const char *name, const char *data, size_t len,
                               char *buf, size_t size)
{
    path_in(f, name, buf, size);
    FILE *fp = fopen(buf, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    return buf;
}

static inline const char *write_text(const fixture *f, const char *name, const char *text, char *buf, size_t size)
{
    return write_bytes(f, name, text, strlen(text), buf, size);
}

static inline zf_reader *open_ok(const char *path, const char *const *cols, size_t n, const char *enc)
{
    zf_reader_opts o = { ZF_FORMAT_AUTO, enc, cols, n, false, 0 };
    zf_reader *r = NULL;
    zf_error err;
    zf_error_clear(&err);
    zf_status st = zf_reader_open(&r, path, &o, &err);
    if (st != ZF_OK)
        fprintf(stderr, "open %s: %s (line %ld)\n", path, err.message, err.line);
    assert_int_equal(st, ZF_OK);
    assert_non_null(r);
    return r;
}

static inline zf_status open_status(const char *path, const char *const *cols, size_t n, const char *enc,
                             zf_error *err)
{
    zf_reader_opts o = { ZF_FORMAT_AUTO, enc, cols, n, false, 0 };
    zf_reader *r = NULL;
    zf_error_clear(err);
    zf_status st = zf_reader_open(&r, path, &o, err);
    if (st == ZF_OK) {
        assert_non_null(r);
        zf_reader_free(r);
    } else {
        assert_null(r);
    }
    return st;
}

/* Read one record: asserts that there is one. */
static inline long next_ok(zf_reader *r, zf_cell *cells)
{
    long line = -1;
    bool more = false;
    zf_error err;
    zf_error_clear(&err);
    zf_status st = zf_reader_next(r, cells, &line, &more, &err);
    if (st != ZF_OK)
        fprintf(stderr, "next: %s (line %ld)\n", err.message, err.line);
    assert_int_equal(st, ZF_OK);
    assert_true(more);
    return line;
}

static inline void assert_end(zf_reader *r, zf_cell *cells)
{
    long line = -1;
    bool more = true;
    zf_error err;
    assert_int_equal(zf_reader_next(r, cells, &line, &more, &err), ZF_OK);
    assert_false(more);
}

static inline void assert_cell(const zf_cell *c, const char *want)
{
    char got[4096];
    size_t n = c->len < sizeof got - 1 ? c->len : sizeof got - 1;
    memcpy(got, c->ptr, n);
    got[n] = '\0';
    assert_string_equal(got, want);
    assert_int_equal(c->len, strlen(want));
}

#endif
