/* csv_parse.c — the CSV reader's portable parser (csv_internal.h): a record parsed from its
 * start in the buffer (lines without quotes split by SWAR straight into the cells, the rest
 * field by field into spans), blank lines skipped, a record parsed again after more is read
 * when the buffer ends inside it; and the portable reader's next record. */
#include "csv_internal.h"

#include <stdlib.h>

#include "zf_swar.h"

/* ---- parsing ---------------------------------------------------------------- */

static bool keep_field(csv *c, size_t field, size_t off, size_t len, bool quoted)
{
    if (c->header) {
        if (field >= c->n_spans) {
            size_t n = c->n_spans ? c->n_spans * 2 : 32;
            csv_span *s = realloc(c->spans, n * sizeof *s);
            if (!s)
                return false;
            c->spans = s;
            c->n_spans = n;
        }
        c->spans[field] = (csv_span){ off, len, quoted };
    } else if (field < c->n_colmap && c->colmap[field] >= 0) {
        c->spans[c->colmap[field]] = (csv_span){ off, len, quoted };
    }
    return true;
}

/* Past the closing quote of a field opened at p; *nl counts line breaks inside. */
static parse_result skip_quoted(const csv *c, size_t *p, long *nl)
{
    const char *b = c->buf;
    size_t q = *p + 1;
    for (;;) {
        const char *hit = memchr(b + q, '"', c->end - q);
        if (!hit)
            return c->eof ? PARSE_OPEN_QUOTE : PARSE_MORE;
        size_t h = (size_t)(hit - b);
        *nl += zf_rd_count_lines(b + q, h - q);
        q = h + 1;
        if (q == c->end && !c->eof)
            return PARSE_MORE;   /* could be the first half of a "" escape */
        if (q < c->end && b[q] == '"') {
            q++;
            continue;
        }
        *p = q;
        return PARSE_DONE;
    }
}

static uint64_t lowest_cleared(uint64_t flags)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return flags & (flags - 1);
#else
    unsigned char b[8];
    memcpy(b, &flags, sizeof b);
    b[zf_rd_flag_offset(flags)] = 0;
    memcpy(&flags, b, sizeof b);
    return flags;
#endif
}

/* Where the fields of a line without quotes go, copied out of the csv so that the
 * compiler need not reload them after every store into a cell. */
typedef struct field_sink {
    const char *buf;
    const int *colmap;        /* header field -> wanted index or -1 */
    size_t n_colmap;
    zf_cell *cells;
} field_sink;

static inline field_sink sink_of(const csv *c)
{
    return (field_sink){ c->buf, c->colmap, c->n_colmap, c->cells };
}

/* A field of a line without quotes: straight into its cell, when the column is wanted. */
static inline void keep_data_field(const field_sink *k, size_t field, size_t off, size_t len)
{
    if (field < k->n_colmap && k->colmap[field] >= 0) {
        zf_cell *cell = &k->cells[k->colmap[field]];
        cell->ptr = k->buf + off;
        cell->len = len;
        zf_trim(&cell->ptr, &cell->len);
    }
}

/* The header line without quotes: every field kept. */
static bool parse_plain_header(csv *c, size_t *next, size_t *n_fields)
{
    const char *b = c->buf, *start = b + c->pos;
    const char *eol = memchr(start, '\n', c->end - c->pos);
    if (!eol || memchr(start, '"', (size_t)(eol - start)))
        return false;
    size_t field = 0;
    for (const char *f = start;; field++) {
        const char *comma = memchr(f, c->sep, (size_t)(eol - f));
        const char *stop = comma ? comma : eol;
        if (!keep_field(c, field, (size_t)(f - b), (size_t)(stop - f), false))
            return false;
        if (!comma)
            break;
        f = comma + 1;
    }
    *next = (size_t)(eol - b) + 1;
    *n_fields = field + 1;
    return true;
}

/* The bytes from i on, one at a time: the end of a line the word scans left. */
__attribute__((always_inline)) static inline bool plain_tail(csv *c, size_t i, size_t field, size_t fstart,
                                                             size_t *next, size_t *n_fields, char sep)
{
    const char *start = c->buf + c->pos;
    const size_t n = c->end - c->pos, base = c->pos;
    const field_sink sink = sink_of(c);
    for (; i < n; i++) {
        if (start[i] == '"')
            return false;
        if (start[i] == '\n') {
            keep_data_field(&sink, field, base + fstart, i - fstart);
            *next = base + i + 1;
            *n_fields = field + 1;
            return true;
        }
        if (start[i] == sep) {
            keep_data_field(&sink, field++, base + fstart, i - fstart);
            fstart = i + 1;
        }
    }
    return false;
}

/* A data line without any quote, split in one pass over words of eight bytes.  False
 * when the line has a quote or is not complete in the buffer.  Cells are written as
 * separators are found; when a quote turns up later the general parser redoes the record,
 * and zf_rd_csv_next then fills every cell from its spans.  sep is a constant in each copy. */
__attribute__((always_inline)) static inline bool parse_plain_swar(csv *c, size_t *next, size_t *n_fields,
                                                                   char sep)
{
    const char *start = c->buf + c->pos;
    const char *eol = memchr(start, '\n', c->end - c->pos);
    if (!eol)
        return false;
    const size_t n = (size_t)(eol - start), base = c->pos;
    const field_sink sink = sink_of(c);
    size_t field = 0, fstart = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, start + i, sizeof w);
        if (zf_eq_bytes(w, '"'))
            return false;
        for (uint64_t m = zf_eq_bytes(w, (unsigned char)sep); m; m = lowest_cleared(m)) {
            size_t k = i + zf_rd_flag_offset(m);
            keep_data_field(&sink, field++, base + fstart, k - fstart);
            fstart = k + 1;
        }
    }
    return plain_tail(c, i, field, fstart, next, n_fields, sep);
}

/* The tab copy out of line: inlined next to the comma copy, it cost the comma path 5 %
 * more instructions (worse register allocation in zf_rd_csv_read_record). */
__attribute__((noinline)) static bool parse_plain_tabs(csv *c, size_t *next, size_t *n_fields)
{
    return parse_plain_swar(c, next, n_fields, '\t');
}

/* The common record: one line without any quote, complete in the buffer. */
static bool parse_plain_line(csv *c, size_t *next, size_t *n_fields)
{
    if (c->header)
        return parse_plain_header(c, next, n_fields);
    if (c->sep == '\t')
        return parse_plain_tabs(c, next, n_fields);
    return parse_plain_swar(c, next, n_fields, ',');
}

/* One record starting at c->pos: its fields (straight into the cells for a line without
 * quotes, else as spans), where the next record starts, and how many line breaks sit
 * inside quoted fields. */
static parse_result parse_record(csv *c, size_t *next, long *nl, size_t *n_fields)
{
    if (parse_plain_line(c, next, n_fields)) {
        *nl = 0;
        c->direct = !c->header;
        return PARSE_DONE;
    }
    c->direct = false;
    for (size_t i = 0; !c->header && i < c->n_spans; i++)
        c->spans[i] = (csv_span){ 0, 0, false };
    const char *b = c->buf;
    const char sep = c->sep;
    size_t p = c->pos, end = c->end, field = 0;
    *nl = 0;
    for (;;) {
        size_t start = p;
        bool quoted = p < end && b[p] == '"';
        if (quoted) {
            parse_result pr = skip_quoted(c, &p, nl);
            if (pr != PARSE_DONE)
                return pr;
        }
        /* Text after a closing quote is kept (lenient, like most spreadsheet tools). */
        while (p < end && b[p] != sep && b[p] != '\n')
            p++;
        if (p == end && !c->eof)
            return PARSE_MORE;
        if (!keep_field(c, field++, start, p - start, quoted))
            return PARSE_NOMEM;
        if (p == end || b[p] == '\n') {
            *next = p == end ? end : p + 1;
            *n_fields = field;
            return PARSE_DONE;
        }
        p++;
    }
}

/* Skip line breaks between records; false at the end of the data. */
static ZF_MUST_CHECK zf_status skip_blank_lines(zf_reader *r, csv *c, bool *any, zf_error *err)
{
    for (;;) {
        if (c->end - c->pos < 2 && !c->eof) {
            zf_status st = zf_rd_csv_fill(r, c, err);
            if (st != ZF_OK)
                return st;
            if (c->end - c->pos < 2 && !c->eof)
                continue;
        }
        if (c->pos == c->end) {
            *any = false;
            return ZF_OK;
        }
        const char *b = c->buf + c->pos;
        size_t skip = b[0] == '\n' ? 1 : (b[0] == '\r' && c->end - c->pos >= 2 && b[1] == '\n') ? 2 : 0;
        if (!skip) {
            *any = true;
            return ZF_OK;
        }
        c->pos += skip;
        c->line++;
    }
}

zf_status zf_rd_csv_read_record(zf_reader *r, csv *c, size_t *n_fields, long *nl, bool *any, zf_error *err)
{
    zf_status st = skip_blank_lines(r, c, any, err);
    if (st != ZF_OK || !*any)
        return st;
    for (;;) {
        size_t next = 0;
        parse_result pr = parse_record(c, &next, nl, n_fields);
        if (pr == PARSE_DONE) {
            c->rec = c->pos;
            c->pos = next;   /* cells stay valid: the buffer only moves in zf_rd_csv_fill() */
            return ZF_OK;
        }
        if (pr == PARSE_NOMEM)
            return zf_error_set(err, ZF_ERR_NOMEM, r->path, c->line, 0, "out of memory");
        if (pr == PARSE_OPEN_QUOTE)
            return zf_error_set(err, ZF_ERR_FORMAT, r->path, c->line, 0,
                                "a quoted field opened in the record of this line is never "
                                "closed: expected a closing '\"'");
        st = zf_rd_csv_fill(r, c, err);
        if (st != ZF_OK)
            return st;
    }
}

/* ---- records one at a time ------------------------------------------------------ */

static ZF_MUST_CHECK zf_status next_general(zf_reader *r, csv *c, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    size_t n_fields = 0;
    long nl = 0;
    memset(cells, 0, r->n_columns * sizeof *cells);   /* columns the record lacks are empty */
    c->cells = cells;
    zf_status st = zf_rd_csv_read_record(r, c, &n_fields, &nl, more, err);
    if (st != ZF_OK || !*more)
        return st;
    for (size_t i = 0; !c->direct && i < r->n_columns; i++) {
        span_text(c, &c->spans[i], &cells[i].ptr, &cells[i].len);
        zf_trim(&cells[i].ptr, &cells[i].len);
    }
    *line = c->line;
    c->line += nl + 1;
    return ZF_OK;
}

/* The portable reader.  zf_reader_next calls it straight: it records its errors itself. */
zf_status zf_rd_csv_next(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    zf_status st = next_general(r, r->impl, cells, line, more, &r->failure);
    return st == ZF_OK ? ZF_OK : zf_rd_fail(r, st, more, err);
}
