/* reader.c — zf_reader: dispatch to the format back ends and match headers. */
#include "zf_fs.h"
#include "reader_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "zf_sha256.h"

zf_status zf_rd_copy_columns(zf_reader *r, const zf_reader_opts *opts)
{
    r->n_columns = opts->n_columns;
    size_t n = opts->n_columns ? opts->n_columns : 1;
    r->columns = calloc(n, sizeof *r->columns);
    r->column_lens = calloc(n, sizeof *r->column_lens);
    r->has = calloc(n, sizeof *r->has);
    if (!r->columns || !r->column_lens || !r->has)
        return ZF_ERR_NOMEM;
    for (size_t i = 0; i < opts->n_columns; i++) {
        const char *p = opts->columns[i] ? opts->columns[i] : "";
        size_t len = strlen(p);
        zf_rd_trim_header(&p, &len);
        r->columns[i] = strndup(p, len);
        if (!r->columns[i])
            return ZF_ERR_NOMEM;
        r->column_lens[i] = len;
    }
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status open_format(zf_reader *r, const zf_reader_opts *opts, zf_error *err)
{
    switch (r->format) {
    case ZF_FORMAT_CSV:
        return zf_rd_csv_open(r, opts->encoding, opts->header_row, err);
    case ZF_FORMAT_XLSX:
        return zf_rd_xlsx_open(r, opts->header_row, err);
    case ZF_FORMAT_XLS:
        return zf_rd_xls_open(r, opts->header_row, err);
    case ZF_FORMAT_JSON:
        return zf_rd_json_open(r, false, err);
    case ZF_FORMAT_JSONL:
        return zf_rd_json_open(r, true, err);
    default:
        return zf_error_set(err, ZF_ERR_FORMAT, r->path, 0, 0,
                            "unknown file type: expected .csv, .tsv, .txt, .xlsx, .xls, .json, .jsonl or .ndjson");
    }
}

zf_status zf_reader_open(zf_reader **out, const char *path, const zf_reader_opts *opts, zf_error *err)
{
    zf_status st = ZF_OK;
    *out = NULL;
    if (!path || !opts || (opts->n_columns && !opts->columns))
        return zf_error_set(err, ZF_ERR_INTERNAL, path, 0, 0, "zf_reader_open: missing path or options");
    zf_reader *r = calloc(1, sizeof *r);
    if (!r)
        return zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory opening the file");
    r->encoding = "";
    r->path = strdup(path);
    if (!r->path || zf_rd_copy_columns(r, opts) != ZF_OK) {
        st = zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory opening the file");
        goto cleanup;
    }
    r->format = opts->format != ZF_FORMAT_AUTO ? opts->format : zf_format_from_name(path);
    if (r->format == ZF_FORMAT_CSV && !opts->no_hash && zf_sha256_new(&r->hash) != ZF_OK) {
        st = zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory opening the file");
        goto cleanup;
    }
    st = open_format(r, opts, err);
    if (st == ZF_OK) {
        *out = r;
        r = NULL;
    }
cleanup:
    zf_reader_free(r);
    return st;
}

long zf_reader_header_line(const zf_reader *r)
{
    return r->header_line;
}

bool zf_reader_has_labels(const zf_reader *r)
{
    return r->ops->label != NULL;
}

bool zf_reader_row_label(zf_reader *r, const char **p, size_t *len)
{
    *p = "";
    *len = 0;
    return !r->failed && r->ops->label && r->ops->label(r, p, len);
}

bool zf_reader_has_column(const zf_reader *r, size_t i)
{
    if (!r || i >= r->n_columns)
        return false;
    if (r->format == ZF_FORMAT_JSON || r->format == ZF_FORMAT_JSONL)
        return true;
    return r->has[i];
}

zf_status zf_rd_fail(zf_reader *r, zf_status st, bool *more, zf_error *err)
{
    *more = false;
    r->failed = true;
    if (!r->failure.file[0])
        snprintf(r->failure.file, sizeof r->failure.file, "%s", r->path);
    if (err)
        *err = r->failure;
    return st;
}

__attribute__((noinline)) static zf_status next_checked(zf_reader *r, zf_cell *cells, long *line, bool *more,
                                                        zf_error *err)
{
    *more = false;
    if (r->failed) {
        if (err)
            *err = r->failure;
        return r->failure.code;
    }
    /* r->failure is only written on failure, so the hot path clears nothing. */
    zf_status st = r->ops->next(r, cells, line, more, &r->failure);
    return st == ZF_OK ? ZF_OK : zf_rd_fail(r, st, more, err);
}

zf_status zf_reader_next(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    if (!r->failed && r->ops->next_direct)
        return r->ops->next_direct(r, cells, line, more, err);
    return next_checked(r, cells, line, more, err);
}

void zf_rd_hash(zf_reader *r, uint64_t offset, const void *data, size_t n)
{
    if (!r->hash || offset + n <= r->hashed)
        return;                    /* read again (after sniffing the start): hashed already */
    if (offset > r->hashed) {
        r->hash_gap = true;
        return;
    }
    size_t skip = (size_t)(r->hashed - offset);
    zf_sha256_update(r->hash, (const unsigned char *)data + skip, n - skip);
    r->hashed = offset + n;
}

zf_status zf_reader_sha256(zf_reader *r, char hex[65], uint64_t *size, zf_error *err)
{
    if (!r->hash || r->hash_gap)
        return zf_sha256_file(r->path, hex, size, err);
    /* the rest the reader did not need (it stopped at an error) */
    int fd;
    zf_status opened = zf_open_regular(r->path, &fd, err);
    if (opened != ZF_OK)
        return opened;
    zf_status st = ZF_OK;
    if (lseek(fd, (off_t)r->hashed, SEEK_SET) < 0) {
        st = zf_error_set(err, ZF_ERR_IO, r->path, 0, 0, "cannot seek: %s", strerror(errno));
    } else {
        char buf[1 << 16];
        for (;;) {
            ssize_t n = read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                st = zf_error_set(err, ZF_ERR_IO, r->path, 0, 0, "cannot read: %s", strerror(errno));
                break;
            }
            if (n == 0)
                break;
            zf_sha256_update(r->hash, buf, (size_t)n);
            r->hashed += (uint64_t)n;
        }
    }
    close(fd);
    if (st != ZF_OK)
        return st;
    zf_sha256_final(r->hash, hex);
    r->hash = NULL;              /* final frees it */
    *size = r->hashed;
    return ZF_OK;
}

uint64_t zf_reader_bytes(const zf_reader *r)
{
    return r && r->ops ? r->ops->bytes(r) : 0;
}

zf_format zf_reader_format(const zf_reader *r)
{
    return r->format;
}

zf_serial_dates zf_reader_serial_dates(const zf_reader *r)
{
    if (r->format != ZF_FORMAT_XLSX && r->format != ZF_FORMAT_XLS)
        return ZF_SERIAL_NONE;
    return r->date1904 ? ZF_SERIAL_1904 : ZF_SERIAL_1900;
}

const char *zf_reader_encoding(const zf_reader *r)
{
    return r->encoding;
}

void zf_reader_free(zf_reader *r)
{
    if (!r)
        return;
    if (r->ops && r->impl)
        r->ops->free(r->impl);
    if (r->hash) {
        char hex[65];
        zf_sha256_final(r->hash, hex);   /* frees it */
    }
    for (size_t i = 0; r->columns && i < r->n_columns; i++)
        free(r->columns[i]);
    free(r->columns);
    free(r->column_lens);
    free(r->has);
    free(r->path);
    free(r);
}

zf_format zf_format_from_name(const char *name)
{
    static const struct { const char *ext; zf_format fmt; } table[] = {
        { "csv", ZF_FORMAT_CSV },     { "xlsx", ZF_FORMAT_XLSX },   { "xls", ZF_FORMAT_XLS },
        { "json", ZF_FORMAT_JSON },   { "jsonl", ZF_FORMAT_JSONL },
        { "ndjson", ZF_FORMAT_JSONL },
        /* Excel's "Unicode text" and "Text (tab delimited)" saves; the CSV reader finds
         * their encoding and separator itself */
        { "tsv", ZF_FORMAT_CSV },     { "txt", ZF_FORMAT_CSV },
    };
    const char *dot = name ? strrchr(name, '.') : NULL;
    const char *slash = name ? strrchr(name, '/') : NULL;
    if (!dot || (slash && dot < slash))
        return ZF_FORMAT_AUTO;
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strcasecmp(dot + 1, table[i].ext) == 0)
            return table[i].fmt;
    return ZF_FORMAT_AUTO;
}

int zf_rd_find_column(const zf_reader *r, const char *text, size_t len)
{
    for (size_t i = 0; i < r->n_columns; i++)
        if (r->column_lens[i] == len && memcmp(r->columns[i], text, len) == 0)
            return (int)i;
    return -1;
}

int zf_rd_match_header(zf_reader *r, const char *text, size_t len)
{
    /* A header repeated in the file: the first one wins, as a reader would expect.  Spelt
     * as typed first; then as people vary it: full-width brackets, a line break in the cell
     * (Alt+Enter), spaces (zf_rd_header_same). */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < r->n_columns; i++) {
            if (r->has[i] || !(pass ? zf_rd_header_same(r->columns[i], r->column_lens[i], text, len)
                                    : r->column_lens[i] == len && memcmp(r->columns[i], text, len) == 0))
                continue;
            r->has[i] = true;
            return (int)i;
        }
    return -1;
}
