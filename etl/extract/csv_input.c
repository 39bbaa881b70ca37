/* csv_input.c — the CSV reader's input (csv_internal.h): the sliding buffer filled from the
 * file, UTF-8 input checked as it arrives, GB18030 and UTF-16 input converted into UTF-8 by
 * iconv, and text that is not valid reported with its line. */
#include "csv_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- input ---------------------------------------------------------------- */

static ZF_MUST_CHECK zf_status bad_text(zf_reader *r, csv *c, zf_error *err)
{
    long line = c->line + zf_rd_count_lines(c->buf + c->pos, c->end - c->pos);
    const char *what = strcmp(r->encoding, "gb18030") == 0    ? "GB18030"
                       : strcmp(r->encoding, "utf-16le") == 0 ? "UTF-16LE (a lone surrogate or a "
                                                                "last byte without its pair?)"
                       : strcmp(r->encoding, "utf-16be") == 0 ? "UTF-16BE (a lone surrogate or a "
                                                                "last byte without its pair?)"
                                                              : "UTF-8";
    return zf_error_set(err, ZF_ERR_ENCODING, r->path, line, 0,
                        "bytes that are not valid %s text (or a NUL byte: binary data); "
                        "expected a CSV file in UTF-8, GB18030 or UTF-16",
                        what);
}

zf_status zf_rd_csv_read_some(zf_reader *r, csv *c, char *dst, size_t room, size_t *got, zf_error *err)
{
    ssize_t n;
    do
        n = read(c->fd, dst, room);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return zf_error_set(err, ZF_ERR_IO, r->path, c->line, 0, "cannot read: %s", strerror(errno));
    *got = (size_t)n;
    zf_rd_hash(r, c->bytes, dst, (size_t)n);   /* c->bytes is the file offset of dst */
    c->bytes += (uint64_t)n;
    return ZF_OK;
}

zf_status zf_rd_csv_fill_utf8(zf_reader *r, csv *c, zf_error *err)
{
    size_t got = 0;
    zf_status st = zf_rd_csv_read_some(r, c, c->buf + c->end, c->cap - c->end, &got, err);
    if (st != ZF_OK)
        return st;
    if (got == 0) {
        if (c->u8.need) {
            c->bad = true;
            return bad_text(r, c, err);
        }
        c->eof = true;
        return ZF_OK;
    }
    /* the start of the file was checked when sniffing it */
    const uint64_t offset = c->bytes - got;
    const uint64_t known_end = c->checked > offset ? c->checked - offset : 0;
    const size_t known = known_end < got ? (size_t)known_end : got;
    size_t ok = known + zf_rd_utf8_check_with(&c->u8, (const unsigned char *)c->buf + c->end + known,
                                              got - known, c->simd);
    c->end += ok;
    c->bad = ok < got;
    return ZF_OK;
}

/* Accept what iconv produced, up to a NUL byte (binary data). */
static void take_converted(csv *c, size_t produced)
{
    char *nul = memchr(c->buf + c->end, '\0', produced);
    if (nul) {
        produced = (size_t)(nul - (c->buf + c->end));
        c->bad = true;
    }
    c->end += produced;
}

/* GB18030 or UTF-16 through iconv, a chunk of raw bytes at a time. */
static ZF_MUST_CHECK zf_status fill_iconv(zf_reader *r, csv *c, zf_error *err)
{
    size_t start = c->end;
    while (c->end == start && !c->bad && !c->eof) {
        if (!c->raw_eof && c->raw_len < CSV_RAW_SIZE) {
            size_t got = 0;
            zf_status st = zf_rd_csv_read_some(r, c, c->raw + c->raw_len, CSV_RAW_SIZE - c->raw_len, &got,
                                               err);
            if (st != ZF_OK)
                return st;
            c->raw_len += got;
            c->raw_eof = got == 0;
        }
        char *in = c->raw, *out = c->buf + c->end;
        size_t in_left = c->raw_len, out_left = c->cap - c->end;
        size_t rc = iconv(c->cd, &in, &in_left, &out, &out_left);
        int e = errno;
        memmove(c->raw, in, in_left);
        c->raw_len = in_left;
        take_converted(c, (size_t)(out - (c->buf + c->end)));
        /* EINVAL = a sequence split by the chunk end: fine unless the file ends there. */
        if (rc == (size_t)-1 && (e == EILSEQ || (e == EINVAL && c->raw_eof)))
            c->bad = true;
        if (c->raw_eof && c->raw_len == 0 && !c->bad)
            c->eof = true;
    }
    return c->end == start && c->bad ? bad_text(r, c, err) : ZF_OK;
}

/* Slide the unparsed data to the front, grow if a record fills the buffer, read more. */
zf_status zf_rd_csv_fill(zf_reader *r, csv *c, zf_error *err)
{
    if (c->pos) {
        memmove(c->buf, c->buf + c->pos, c->end - c->pos);
        c->end -= c->pos;
        c->pos = 0;
    }
    if (c->bad)
        return bad_text(r, c, err);
    if (c->cap - c->end < CSV_MIN_FREE) {
        if (c->cap >= CSV_MAX_RECORD)
            return zf_error_set(err, ZF_ERR_FORMAT, r->path, c->line, 0,
                                "a record longer than %d MiB: an unclosed '\"' quote?",
                                CSV_MAX_RECORD / (1024 * 1024));
        char *nb = realloc(c->buf, c->cap * 2);
        if (!nb)
            return zf_error_set(err, ZF_ERR_NOMEM, r->path, c->line, 0, "out of memory for a long record");
        c->buf = nb;
        c->cap *= 2;
    }
    return c->cd != (iconv_t)-1 ? fill_iconv(r, c, err) : zf_rd_csv_fill_utf8(r, c, err);
}
