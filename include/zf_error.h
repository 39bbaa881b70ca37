/* zf_error.h — status codes and error detail shared by every module.
 *
 * Every function that can fail returns a zf_status (0 = ZF_OK) and, when given a
 * zf_error *, fills it with where the problem is (file, line, column) and what was
 * expected.  Callers own the zf_error; it holds no heap memory. */
#ifndef ZF_ERROR_H
#define ZF_ERROR_H

#include <stddef.h>

typedef enum zf_status {
    ZF_OK = 0,
    ZF_ERR_NOMEM,       /* out of memory */
    ZF_ERR_IO,          /* a file could not be opened, read or written */
    ZF_ERR_USAGE,       /* wrong command-line use */
    ZF_ERR_DEFINITION,  /* a plan, source or region definition is wrong */
    ZF_ERR_FORMAT,      /* an input file is not in the format it claims (truncated XLSX, bad JSON) */
    ZF_ERR_ENCODING,    /* text that is not valid in its encoding */
    ZF_ERR_VALUE,       /* a value that does not parse */
    ZF_ERR_NOT_FOUND,   /* a named thing does not exist */
    ZF_ERR_EXTERNAL,    /* an external program or server failed (gnuplot, PostgreSQL) */
    ZF_ERR_LOCKED,      /* another run holds the lock */
    ZF_ERR_INTERNAL,    /* a bug: an invariant did not hold */
    ZF_STATUS_COUNT
} zf_status;

/* On every function that returns a status: ignoring it is a compile error (-Werror), and
 * GCC does not accept a (void) cast as handling it. */
#define ZF_MUST_CHECK __attribute__((warn_unused_result))

typedef struct zf_error {
    zf_status code;
    char file[512];     /* file the problem is in, "" if none */
    long line;          /* 1-based, 0 if unknown */
    long column;        /* 1-based, 0 if unknown */
    char message[1024]; /* what is wrong and what was expected */
} zf_error;

/* Short English name of a status ("out of memory"). Never NULL. */
const char *zf_strerror(zf_status code);

/* Fill err (may be NULL) and return code, so a caller can write
 * `return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));` */
zf_status zf_error_set(zf_error *err, zf_status code, const char *file, long line, long column,
                       const char *fmt, ...) __attribute__((format(printf, 6, 7)));

void zf_error_clear(zf_error *err);

/* "file:line:column: message" (parts that are unknown are left out) into buf. */
const char *zf_error_format(const zf_error *err, char *buf, size_t size);

#endif
