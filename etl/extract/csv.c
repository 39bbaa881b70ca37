/* csv.c — RFC 4180 CSV, streamed through one sliding buffer.
 *
 * The buffer always holds UTF-8: UTF-8 input is read straight into it and checked as it
 * arrives; GB18030 and UTF-16 input (Excel's "Unicode text") is converted into it by iconv.
 * The separator is a comma or a tab, chosen from the first records (csv_sniff.c); the
 * scanners take it as a constant, one copy per separator, so the comma path pays nothing.
 * A record is parsed from its start each time; when the buffer ends inside it, the record
 * is slid to the front, more is read and the record is parsed again (records are small
 * next to the buffer, so this costs little and keeps the parser free of resume states).
 * Cells point into the buffer; quoted cells are unescaped in place once the whole record
 * is there.
 *
 * With AVX2 (zf_rd_simd()) records are cut instead from an index of where fields start,
 * which csv_index.c builds 64 bytes at a time over up to ZF_RD_INDEX_SPAN bytes from a
 * record start: a record with the header's fields is cut by vector stores, and only its
 * flagged fields (quotes, white space at an end) are looked at again.  Where the index
 * holds no complete record (the end of the buffer, a quote the pass cannot follow, a
 * record longer than the span) the parser above takes that record.
 *
 * This file opens the reader: the encoding sniffed, the separator chosen, the header read
 * and mapped to the wanted columns, the index set up.  The buffer is filled in
 * csv_input.c, records parsed in csv_parse.c and cut from the index in csv_cut.c
 * (csv_internal.h). */
#include "csv_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "zf_fs.h"

static void csv_free(void *impl)
{
    csv *c = impl;
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    free(c->buf);
    free(c->raw);
    free(c->colmap);
    free(c->spans);
    free(c->ix.start);
    free(c->ix.nl);
    free(c->ix.att);
    free(c->runs);
    free(c->missing);
    free(c);
}

static uint64_t csv_bytes(const zf_reader *r)
{
    return ((const csv *)r->impl)->bytes;
}

/* ---- opening ------------------------------------------------------------- */

/* The index's arrays, once the header's field count is known. */
static bool index_alloc(csv *c)
{
    const size_t n = ZF_RD_INDEX_SPAN + 128;
    c->ix.start = malloc((n + c->n_colmap) * sizeof *c->ix.start);
    c->ix.nl = malloc(n * sizeof *c->ix.nl);
    c->ix.att = malloc(n * sizeof *c->ix.att);
    c->ix.from = SIZE_MAX;
    return c->ix.start && c->ix.nl && c->ix.att;
}

/* The runs and missing columns of cut_plain, from the header. */
static bool plan_runs(const zf_reader *r, csv *c)
{
    c->runs = calloc(c->n_colmap ? c->n_colmap : 1, sizeof *c->runs);
    c->missing = calloc(r->n_columns ? r->n_columns : 1, sizeof *c->missing);
    if (!c->runs || !c->missing)
        return false;
    for (size_t f = 0; f < c->n_colmap; f++) {
        if (c->colmap[f] < 0)
            continue;
        csv_run *last = c->n_runs ? &c->runs[c->n_runs - 1] : NULL;
        const size_t cell = (size_t)c->colmap[f];
        if (last && last->field + last->n == f && last->cell + last->n == cell)
            last->n++;
        else
            c->runs[c->n_runs++] = (csv_run){ f, cell, 1 };
    }
    for (size_t i = 0; i < r->n_columns; i++)
        if (!r->has[i])
            c->missing[c->n_missing++] = i;
    c->one_run = c->n_runs == 1 && c->runs[0].n >= 4 && c->n_missing == 0;
    return true;
}

/* Back to the first byte of text, as if just opened: the header search read past a header
 * it did not take.  Bytes hashed or checked once are not hashed or checked again. */
static ZF_MUST_CHECK zf_status restart(zf_reader *r, csv *c, zf_error *err)
{
    if (lseek(c->fd, (off_t)c->skip, SEEK_SET) < 0)
        return zf_error_set(err, ZF_ERR_IO, r->path, 0, 0, "cannot seek: %s", strerror(errno));
    if (c->cd != (iconv_t)-1)
        iconv(c->cd, NULL, NULL, NULL, NULL);
    c->pos = c->end = c->raw_len = 0;
    c->eof = c->bad = c->raw_eof = false;
    c->u8 = (zf_rd_utf8){ 0, 0, 0 };
    c->bytes = c->skip;
    c->line = 1;
    return ZF_OK;
}

/* After a restart, the records up to and including line `through` again (the header found
 * was above the record just read). */
static ZF_MUST_CHECK zf_status skip_through(zf_reader *r, csv *c, long through, zf_error *err)
{
    zf_status st = ZF_OK;
    while (st == ZF_OK && c->line <= through) {
        size_t n_fields = 0;
        long nl = 0;
        bool any = false;
        c->header = true;
        st = zf_rd_csv_read_record(r, c, &n_fields, &nl, &any, err);
        c->header = false;
        if (st == ZF_OK && !any)
            break;
        c->line += nl + 1;
    }
    return st;
}

static ZF_MUST_CHECK zf_status take_header(zf_reader *r, csv *c, long line, const char *const *names, const size_t *lens,
                                           size_t n, zf_error *err)
{
    r->header_line = line;
    c->colmap = malloc((n ? n : 1) * sizeof *c->colmap);
    if (!c->colmap)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, line, 0, "out of memory");
    c->n_colmap = n;
    for (size_t i = 0; i < n; i++)
        c->colmap[i] = zf_rd_match_header(r, names[i], lens[i]);
    if (!plan_runs(r, c) || (c->simd && !index_alloc(c)))
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, line, 0, "out of memory");
    return ZF_OK;
}

/* The header: the record on line header_row, or else what zf_rd_header_feed finds in the
 * first ZF_RD_HEADER_SEARCH records (a title, a 填报单位 line and blank rows may stand
 * above it; it may span two rows), or else the first record. */
static ZF_MUST_CHECK zf_status read_header(zf_reader *r, csv *c, long header_row, bool first, zf_error *err)
{
    zf_status st = ZF_OK;
    const char **texts = NULL;
    size_t *lens = NULL;
    zf_rd_header_search hs = {0};
    bool again = false;   /* no header found: the first record, from the start */
    for (int k = 0;; k++) {
        size_t n_fields = 0;
        long nl = 0;
        bool any = false;
        c->header = true;
        st = zf_rd_csv_read_record(r, c, &n_fields, &nl, &any, err);
        c->header = false;
        if (st != ZF_OK)
            break;
        if (!any) {
            if (k == 0)   /* as for every format: an empty export is an error, not "no columns" */
                st = zf_error_set(err, ZF_ERR_FORMAT, r->path, 1, 0, "the file is empty: expected a header row");
            else if (!first && zf_rd_header_end(&hs))   /* a header and no record under it */
                st = take_header(r, c, hs.line, hs.header.names, hs.header.lens, hs.header.n, err);
            else if (!first)   /* only rows that name no column */
                again = true;
            break;
        }
        const long at = c->line;
        c->line += nl + 1;
        free(texts);
        free(lens);
        texts = malloc((n_fields ? n_fields : 1) * sizeof *texts);
        lens = malloc((n_fields ? n_fields : 1) * sizeof *lens);
        if (!texts || !lens) {
            st = zf_error_set(err, ZF_ERR_NOMEM, r->path, at, 0, "out of memory");
            break;
        }
        for (size_t i = 0; i < n_fields; i++) {
            span_text(c, &c->spans[i], &texts[i], &lens[i]);   /* unquotes in place: once */
            zf_rd_trim_header(&texts[i], &lens[i]);
        }
        if (first || header_row > 0) {
            if (!first && at < header_row)
                continue;
            st = take_header(r, c, at, texts, lens, n_fields, err);
            break;
        }
        zf_rd_header_verdict v = zf_rd_header_feed(r, &hs, at, texts, lens, n_fields);
        if (v == ZF_RD_HEADER_NOT_YET && k + 1 >= ZF_RD_HEADER_SEARCH)
            v = zf_rd_header_end(&hs) ? ZF_RD_HEADER_THIS : ZF_RD_HEADER_NOT_YET;   /* held: this row */
        if (v == ZF_RD_HEADER_NOT_YET && k + 1 < ZF_RD_HEADER_SEARCH)
            continue;
        if (v == ZF_RD_HEADER_NOT_YET)
            again = true;
        else if (v == ZF_RD_HEADER_NOMEM)
            st = zf_error_set(err, ZF_ERR_NOMEM, r->path, at, 0, "out of memory");
        else if (v != ZF_RD_HEADER_PREVIOUS ||   /* else this record is the first: read it again */
                 ((st = restart(r, c, err)) == ZF_OK && (st = skip_through(r, c, hs.line, err)) == ZF_OK))
            st = take_header(r, c, hs.line, hs.header.names, hs.header.lens, hs.header.n, err);
        break;
    }
    free(texts);
    free(lens);
    zf_rd_header_search_free(&hs);
    if (again && st == ZF_OK)
        return restart(r, c, err) == ZF_OK ? read_header(r, c, 0, true, err) : ZF_ERR_IO;
    return st;
}

/* The first field of the record last returned that is not empty, whatever the columns
 * wanted: where a 合计 or 制表人 row says what it is. */
static bool csv_label(zf_reader *r, const char **p, size_t *len)
{
    const csv *c = r->impl;
    const char *b = c->buf;
    const char sep = c->sep;
    size_t i = c->rec, end = c->pos;
    while (i < end && b[i] != '\n') {
        const char *q;
        size_t n;
        if (b[i] == '"') {   /* up to the closing quote ("" escapes a quote) */
            size_t start = ++i;
            while (i < end && !(b[i] == '"' && (i + 1 == end || b[i + 1] != '"')))
                i += b[i] == '"' ? 2 : 1;
            q = b + start;
            n = (i < end ? i : end) - start;
            while (i < end && b[i] != sep && b[i] != '\n')
                i++;
        } else {
            size_t start = i;
            while (i < end && b[i] != sep && b[i] != '\n')
                i++;
            q = b + start;
            n = i - start;
            if (n && q[n - 1] == '\r')
                n--;
        }
        zf_trim(&q, &n);
        if (n) {
            *p = q;
            *len = n;
            return true;
        }
        if (i < end && b[i] == sep)
            i++;
    }
    return false;
}

static const char *binary_kind(const unsigned char *s, size_t n)
{
    if (n >= 4 && memcmp(s, "\x89PNG", 4) == 0)
        return "a PNG image";
    if (n >= 4 && memcmp(s, "PK\x03\x04", 4) == 0)
        return "a ZIP archive (an XLSX file?)";
    if (n >= 4 && memcmp(s, "%PDF", 4) == 0)
        return "a PDF document";
    if (n >= 8 && memcmp(s, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
        return "an old binary Office file (.xls/.doc)";
    if (memchr(s, '\0', n))
        return "binary data (NUL bytes)";
    return NULL;
}

/* Whether the first n bytes are valid UTF-8 (a character cut by the end of a full sniff
 * is), and how many of them zf_rd_csv_fill_utf8 need not check again: up to the last whole
 * character. */
static bool sniffed_utf8(const unsigned char *s, size_t n, uint64_t *checked)
{
    zf_rd_utf8 u8 = { 0, 0, 0 };
    *checked = 0;
    if (zf_rd_utf8_check(&u8, s, n) != n)
        return false;
    size_t p = n;
    if (u8.need) {
        while ((s[p - 1] & 0xC0) == 0x80)
            p--;
        p--;   /* the lead byte */
    }
    *checked = p;
    return u8.need == 0 || n == CSV_SNIFF_SIZE;
}

/* Look at the first MiB: UTF-16, binary, BOM, valid UTF-8 or else GB18030.  UTF-16 wins
 * over a declared encoding: its NUL bytes could be neither UTF-8 nor GB18030 text. */
static ZF_MUST_CHECK zf_status sniff(zf_reader *r, csv *c, const char *declared, size_t *skip, zf_error *err)
{
    zf_status st = ZF_OK;
    unsigned char *s = malloc(CSV_SNIFF_SIZE);
    size_t n = 0, got = 1;
    if (!s)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory");
    while (n < CSV_SNIFF_SIZE && got > 0 && st == ZF_OK)
        if ((st = zf_rd_csv_read_some(r, c, (char *)s + n, CSV_SNIFF_SIZE - n, &got, err)) == ZF_OK)
            n += got;
    if (st != ZF_OK)
        goto cleanup;
    const char *utf16 = zf_rd_utf16_sniff(s, n, skip);
    if (utf16) {
        r->encoding = utf16;
        goto cleanup;
    }
    const char *kind = binary_kind(s, n);
    if (kind) {
        st = zf_error_set(err, ZF_ERR_FORMAT, r->path, 0, 0, "this is %s, not a CSV text file", kind);
        goto cleanup;
    }
    bool bom = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
    bool valid = strcmp(declared, "gb18030") != 0 && sniffed_utf8(s, n, &c->checked);
    *skip = 0;
    if (bom && strcmp(declared, "gb18030") != 0) {
        r->encoding = "utf-8-bom";
        *skip = 3;
    } else if (strcmp(declared, "auto") == 0) {
        r->encoding = valid ? "utf-8" : "gb18030";
    } else {
        r->encoding = declared;
    }
cleanup:
    free(s);
    return st;
}

static const char *canonical_encoding(const char *e)
{
    if (!e || !*e || strcasecmp(e, "auto") == 0)
        return "auto";
    if (strcasecmp(e, "utf-8") == 0 || strcasecmp(e, "utf8") == 0)
        return "utf-8";
    if (strcasecmp(e, "gb18030") == 0 || strcasecmp(e, "gbk") == 0 || strcasecmp(e, "gb2312") == 0)
        return "gb18030";
    return NULL;
}

static ZF_MUST_CHECK zf_status csv_setup(zf_reader *r, csv *c, const char *declared, zf_error *err)
{
    size_t skip = 0;
    zf_status st = zf_open_regular(r->path, &c->fd, err);
    if (st != ZF_OK)
        return st;
    st = sniff(r, c, declared, &skip, err);
    if (st != ZF_OK)
        return st;
    if (lseek(c->fd, (off_t)skip, SEEK_SET) < 0)
        return zf_error_set(err, ZF_ERR_IO, r->path, 0, 0, "cannot seek: %s", strerror(errno));
    c->bytes = c->skip = skip;
    c->cap = CSV_BUF_SIZE;
    c->buf = malloc(c->cap);
    c->spans = calloc(r->n_columns ? r->n_columns : 1, sizeof *c->spans);
    c->n_spans = r->n_columns;
    if (!c->buf || !c->spans)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory");
    const char *from = strcmp(r->encoding, "gb18030") == 0    ? "GB18030"
                       : strcmp(r->encoding, "utf-16le") == 0 ? "UTF-16LE"
                       : strcmp(r->encoding, "utf-16be") == 0 ? "UTF-16BE"
                                                              : NULL;
    if (from) {
        c->cd = iconv_open("UTF-8", from);
        c->raw = malloc(CSV_RAW_SIZE);
        if (c->cd == (iconv_t)-1 || !c->raw)
            return zf_error_set(err, ZF_ERR_INTERNAL, r->path, 0, 0, "cannot set up %s decoding", from);
    }
    return ZF_OK;
}

/* The separator, from the first records once they are in the buffer (read_header then
 * parses them from there).  Bad text or the end stops the reading early: what came
 * before still tells, and the error (c->bad stays set) is reported when the records
 * before it have been read, as without this look ahead. */
static ZF_MUST_CHECK zf_status choose_separator(zf_reader *r, csv *c, zf_error *err)
{
    while (!c->eof && !c->bad && c->end - c->pos < CSV_SEP_SNIFF) {
        zf_status st = zf_rd_csv_fill(r, c, err);
        if (st != ZF_OK && !(c->bad && c->end > c->pos))
            return st;
        if (st != ZF_OK)
            zf_error_clear(err);
    }
    c->sep = zf_rd_csv_separator(c->buf + c->pos, c->end - c->pos, c->eof);
    return ZF_OK;
}

zf_status zf_rd_csv_open(zf_reader *r, const char *encoding, long header_row, zf_error *err)
{
    static const zf_rd_ops ops = { NULL, csv_bytes, csv_free, zf_rd_csv_next, csv_label };
#if ZF_RD_X86
    static const zf_rd_ops ops_avx2 = { NULL, csv_bytes, csv_free, zf_rd_csv_next_avx2, csv_label };
#endif
    const char *declared = canonical_encoding(encoding);
    if (!declared)
        return zf_error_set(err, ZF_ERR_DEFINITION, r->path, 0, 0,
                            "unknown encoding \"%s\": expected auto, utf-8 or gb18030", encoding);
    csv *c = calloc(1, sizeof *c);
    if (!c)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory");
    c->fd = -1;
    c->cd = (iconv_t)-1;
    c->simd = zf_rd_simd();
    c->line = 1;
    c->sep = ',';
    r->impl = c;
    r->ops = &ops;
    zf_status st = csv_setup(r, c, declared, err);
    if (st == ZF_OK)
        st = choose_separator(r, c, err);
    if (st == ZF_OK)
        st = read_header(r, c, header_row, header_row < 0, err);
    if (st == ZF_OK && c->n_spans < r->n_columns)
        st = zf_error_set(err, ZF_ERR_INTERNAL, r->path, 0, 0, "span table too small");
#if ZF_RD_X86
    if (c->ix.start)   /* simd, and a header was read */
        r->ops = &ops_avx2;
#endif
    return st;
}

