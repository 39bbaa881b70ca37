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
 * record longer than the span) the parser above takes that record. */
#include "zf_fs.h"
#include "reader_internal.h"
#include "zf_swar.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#if ZF_RD_X86
#include <immintrin.h>
#endif

enum {
    CSV_BUF_SIZE = 256 * 1024,
    CSV_RAW_SIZE = 64 * 1024,
    CSV_MIN_FREE = 4096,
    CSV_SNIFF_SIZE = 1024 * 1024,
    CSV_SEP_SNIFF = 64 * 1024,         /* text enough for the first records */
    CSV_MAX_RECORD = 64 * 1024 * 1024, /* beyond this, an open quote has eaten the file */
};

typedef struct csv_span {
    size_t off, len;
    bool quoted;
} csv_span;

/* Header fields [field, field + n) go to the cells [cell, cell + n). */
typedef struct csv_run {
    size_t field, cell, n;
} csv_run;

typedef struct csv {
    int fd;
    char *buf;
    size_t cap, pos, end;     /* unparsed data is buf[pos..end) */
    bool eof;                 /* nothing more will arrive */
    bool bad;                 /* input after buf[end] is not valid text */
    zf_rd_utf8 u8;
    uint64_t checked;         /* file bytes [0, checked) are known to be valid UTF-8 */
    iconv_t cd;               /* (iconv_t)-1 unless GB18030 or UTF-16 */
    char *raw;                /* GB18030 or UTF-16 bytes not converted yet */
    size_t raw_len;
    bool raw_eof;
    uint64_t bytes;
    long line;                /* physical line where buf[pos] is */
    size_t rec;               /* where the record last returned starts in buf (its label) */
    size_t skip;              /* bytes before the text (a BOM): where a restart seeks to */
    int *colmap;              /* header field → wanted index or -1 */
    size_t n_colmap;
    csv_span *spans;          /* per wanted column, or per header field */
    size_t n_spans;
    bool header;              /* parsing the header: keep every field */
    bool simd;                /* zf_rd_simd() at open */
    char sep;                 /* ',' or '\t' */
    zf_cell *cells;           /* the caller's cells: a line without quotes is split into them */
    bool direct;              /* the record went straight into cells, not through spans */
    csv_run *runs;            /* the wanted header fields, in runs of neighbours */
    size_t n_runs;
    size_t *missing;          /* the wanted columns not in the header */
    size_t n_missing;
    bool one_run;             /* all in one run of at least 4, none missing */
    zf_rd_index ix;           /* simd: the separators from buf[ix.from] on */
    size_t ix_k, ix_r, ix_a;  /* the next unused entry of ix.start, ix.nl, ix.att */
} csv;

typedef enum { PARSE_DONE, PARSE_MORE, PARSE_OPEN_QUOTE, PARSE_NOMEM } parse_result;

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

/* ---- input ---------------------------------------------------------------- */

static zf_status bad_text(zf_reader *r, csv *c, zf_error *err)
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

static zf_status read_some(zf_reader *r, csv *c, char *dst, size_t room, size_t *got, zf_error *err)
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

static zf_status fill_utf8(zf_reader *r, csv *c, zf_error *err)
{
    size_t got = 0;
    zf_status st = read_some(r, c, c->buf + c->end, c->cap - c->end, &got, err);
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
static zf_status fill_iconv(zf_reader *r, csv *c, zf_error *err)
{
    size_t start = c->end;
    while (c->end == start && !c->bad && !c->eof) {
        if (!c->raw_eof && c->raw_len < CSV_RAW_SIZE) {
            size_t got = 0;
            zf_status st = read_some(r, c, c->raw + c->raw_len, CSV_RAW_SIZE - c->raw_len, &got, err);
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
static zf_status fill(zf_reader *r, csv *c, zf_error *err)
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
    return c->cd != (iconv_t)-1 ? fill_iconv(r, c, err) : fill_utf8(r, c, err);
}

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
 * and csv_next then fills every cell from its spans.  sep is a constant in each copy. */
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
 * more instructions (worse register allocation in read_record). */
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

/* Undo the quoting of a field in place: the text only gets shorter. */
static size_t unquote(char *s, size_t len)
{
    size_t r = 1, w = 0;
    bool in_quote = true;
    while (r < len) {
        char ch = s[r++];
        if (ch == '"' && in_quote) {
            if (r < len && s[r] == '"')
                r++;
            else {
                in_quote = false;
                continue;
            }
        }
        s[w++] = ch;
    }
    return w;
}

/* The text of a field that starts with a quote: inside the quotes when nothing is escaped
 * (no copy), else unquoted in place. */
static void quoted_text(char *s, size_t len, const char **p, size_t *n)
{
    const char *q = memchr(s + 1, '"', len - 1);
    if (q == s + len - 1) {
        *p = s + 1;
        *n = len - 2;
        return;
    }
    *p = s;
    *n = unquote(s, len);
}

static void span_text(csv *c, csv_span *s, const char **p, size_t *len)
{
    char *text = c->buf + s->off;
    if (s->quoted) {
        quoted_text(text, s->len, p, len);
        return;
    }
    *len = s->len;
    *p = text;
}

/* Skip line breaks between records; false at the end of the data. */
static zf_status skip_blank_lines(zf_reader *r, csv *c, bool *any, zf_error *err)
{
    for (;;) {
        if (c->end - c->pos < 2 && !c->eof) {
            zf_status st = fill(r, c, err);
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

static zf_status read_record(zf_reader *r, csv *c, size_t *n_fields, long *nl, bool *any, zf_error *err)
{
    zf_status st = skip_blank_lines(r, c, any, err);
    if (st != ZF_OK || !*any)
        return st;
    for (;;) {
        size_t next = 0;
        parse_result pr = parse_record(c, &next, nl, n_fields);
        if (pr == PARSE_DONE) {
            c->rec = c->pos;
            c->pos = next;   /* cells stay valid: the buffer only moves in fill() */
            return ZF_OK;
        }
        if (pr == PARSE_NOMEM)
            return zf_error_set(err, ZF_ERR_NOMEM, r->path, c->line, 0, "out of memory");
        if (pr == PARSE_OPEN_QUOTE)
            return zf_error_set(err, ZF_ERR_FORMAT, r->path, c->line, 0,
                                "a quoted field opened in the record of this line is never "
                                "closed: expected a closing '\"'");
        st = fill(r, c, err);
        if (st != ZF_OK)
            return st;
    }
}

/* ---- records one at a time ------------------------------------------------------ */

static zf_status next_general(zf_reader *r, csv *c, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    size_t n_fields = 0;
    long nl = 0;
    memset(cells, 0, r->n_columns * sizeof *cells);   /* columns the record lacks are empty */
    c->cells = cells;
    zf_status st = read_record(r, c, &n_fields, &nl, more, err);
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
static zf_status csv_next(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    zf_status st = next_general(r, r->impl, cells, line, more, &r->failure);
    return st == ZF_OK ? ZF_OK : zf_rd_fail(r, st, more, err);
}

#if ZF_RD_X86

/* ---- records cut from the index (AVX2) ------------------------------------------ */

#define CSV_AVX2 __attribute__((target("avx2")))

/* Index from the record at c->pos on. */
static void index_at_pos(csv *c)
{
    size_t to = c->end - c->pos > ZF_RD_INDEX_SPAN ? c->pos + ZF_RD_INDEX_SPAN : c->end;
    zf_rd_index_avx2(&c->ix, c->buf, c->pos, to, c->sep);
    c->ix_k = 1;   /* start[0] is pos */
    c->ix_r = c->ix_a = 0;
    /* a record's field count is checked with one load: past the end, no field starts */
    for (size_t i = 0; i < c->n_colmap; i++)
        c->ix.start[c->ix.n_start + i] = UINT32_MAX;
}

/* The index no longer describes the buffer (the slow path moved on or slid it). */
static void index_drop(csv *c)
{
    c->ix.n_nl = c->ix_r = 0;
    c->ix.from = SIZE_MAX;
}

/* cells[i] = the field from starts[i - 1] to the separator before starts[i], for i in
 * [at, at + 4); base is buf. */
CSV_AVX2 static inline void cut_four(zf_cell *cells, const uint32_t *starts, size_t at, __m256i base)
{
    const __m128i first = _mm_loadu_si128((const __m128i *)(starts + at - 1));
    const __m128i next = _mm_loadu_si128((const __m128i *)(starts + at));
    /* next - first - 1 as next + ~first */
    const __m128i len = _mm_add_epi32(next, _mm_xor_si128(first, _mm_set1_epi32(-1)));
    const __m256i ptr = _mm256_add_epi64(_mm256_cvtepu32_epi64(first), base);   /* p0 p1 | p2 p3 */
    const __m256i len64 = _mm256_cvtepu32_epi64(len);                            /* l0 l1 | l2 l3 */
    const __m256i zero = _mm256_setzero_si256();
    /* the cells are the words p0 l0 0 p1 l1 0 p2 l2 0 p3 l3 0 (numeric false, padding 0) */
    const __m256i pl = _mm256_unpacklo_epi64(ptr, len64);   /* p0 l0 | p2 l2 */
    const __m256i zp = _mm256_unpackhi_epi64(zero, ptr);    /* 0 p1 | 0 p3 */
    const __m256i lz = _mm256_unpackhi_epi64(len64, zero);  /* l1 0 | l3 0 */
    __m128i *out = (__m128i *)(cells + at);
    _mm_storeu_si128(out, _mm256_castsi256_si128(pl));
    _mm_storeu_si128(out + 1, _mm256_castsi256_si128(zp));
    _mm_storeu_si128(out + 2, _mm256_castsi256_si128(lz));
    _mm_storeu_si128(out + 3, _mm256_extracti128_si256(pl, 1));
    _mm_storeu_si128(out + 4, _mm256_extracti128_si256(zp, 1));
    _mm_storeu_si128(out + 5, _mm256_extracti128_si256(lz, 1));
}

/* The same one cell at a time. */
static inline void cut_one(zf_cell *cells, const uint32_t *starts, size_t at, const char *buf)
{
    const uint32_t *s = starts + at;   /* s[-1], not starts[at - 1]: at - 1 wraps for at == 0 */
    cells[at] = (zf_cell){ buf + s[-1], s[0] - 1 - s[-1], false };
}

/* A run of n >= 4 cells: four at a time, the last four overlapping the ones before. */
CSV_AVX2 __attribute__((always_inline)) static inline void cut_run(zf_cell *out, const uint32_t *starts,
                                                                   size_t n, const char *buf)
{
    const __m256i base = _mm256_set1_epi64x((long long)(uintptr_t)buf);
    for (size_t i = 0; i + 4 < n; i += 4)
        cut_four(out, starts, i, base);
    cut_four(out, starts, n - 4, base);
}

/* A record with exactly the header's fields: each run of wanted fields into its cells. */
CSV_AVX2 __attribute__((always_inline)) static inline void cut_plain(const csv *c, zf_cell *cells)
{
    _Static_assert(sizeof(zf_cell) == 24 && offsetof(zf_cell, len) == 8 && offsetof(zf_cell, numeric) == 16,
                   "zf_cell layout");
    const uint32_t *starts = c->ix.start + c->ix_k;   /* starts[-1]: the record's start */
    for (size_t r = 0; r < c->n_runs; r++) {
        const csv_run run = c->runs[r];
        if (run.n >= 4) {
            cut_run(cells + run.cell, starts + run.field, run.n, c->buf);
            continue;
        }
        for (size_t i = 0; i < run.n; i++)
            cut_one(cells + run.cell, starts + run.field, i, c->buf);
    }
    for (size_t i = 0; i < c->n_missing; i++)
        cells[c->missing[i]] = (zf_cell){ NULL, 0, false };
}

/* cut_plain out of line: the fast path keeps its registers for the usual single run. */
CSV_AVX2 __attribute__((noinline)) static void cut_runs(const csv *c, zf_cell *cells)
{
    cut_plain(c, cells);
}

/* A record with more or fewer fields than the header, ending at the line break e. */
static void cut_careful(csv *c, zf_cell *cells, size_t n_cells, size_t start, size_t e)
{
    memset(cells, 0, n_cells * sizeof *cells);
    for (size_t field = 0;; field++) {
        const size_t end = c->ix.start[c->ix_k++] - 1;
        if (field < c->n_colmap && c->colmap[field] >= 0) {
            csv_span span = { start, end - start, c->buf[start] == '"' };
            zf_cell *cell = &cells[c->colmap[field]];
            span_text(c, &span, &cell->ptr, &cell->len);
            zf_trim(&cell->ptr, &cell->len);
        }
        if (end == e)
            return;
        start = end + 1;
    }
}

/* Pass the flags of the record ending at e; the line breaks inside its quotes (e itself
 * is flagged when white space precedes it). */
static long pass_flags(csv *c, size_t e)
{
    long lines = 0;
    for (; c->ix.att[c->ix_a] < e; c->ix_a++)
        lines += c->buf[c->ix.att[c->ix_a]] == '\n';
    c->ix_a += c->ix.att[c->ix_a] == e;
    return lines;
}

/* Field [lo, hi) of a record cut_plain made, holding the flags first[0 .. last - first):
 * unquoted and trimmed.  A quoted field whose only flags are its two quotes is the text
 * inside. */
static inline void finish_field(char *buf, zf_cell *cell, uint32_t lo, uint32_t hi, const uint32_t *first,
                                const uint32_t *last)
{
    if (buf[lo] == '"') {
        if (last - first == 2 && first[0] == lo && first[1] == hi - 1)
            *cell = (zf_cell){ buf + lo + 1, hi - lo - 2, false };
        else
            quoted_text(buf + lo, hi - lo, &cell->ptr, &cell->len);
    }
    zf_trim(&cell->ptr, &cell->len);
}

/* A record with the header's fields ending at e: all cut, then the fields that hold flags
 * finished, and the line breaks inside quotes counted (before unquoting moves the bytes;
 * e itself is flagged when white space precedes it). */
CSV_AVX2 __attribute__((noinline)) static void cut_flagged_exact(csv *c, zf_cell *cells, size_t e)
{
    cut_plain(c, cells);
    const uint32_t *starts = c->ix.start + c->ix_k;   /* starts[-1]: the record's */
    const uint32_t *const flags = c->ix.att + c->ix_a;
    const uint32_t *att = flags;
    char *buf = c->buf;
    long lines = 0;
    size_t f = 0;
    while (*att <= e) {
        while (starts[f] <= *att)
            f++;
        const uint32_t *at_f = starts + f;   /* at_f[-1]: f - 1 wraps for the first field */
        const uint32_t lo = at_f[-1], hi = at_f[0] - 1, *first = att;
        for (; *att <= hi; att++)
            lines += buf[*att] == '\n';
        if (c->colmap[f] >= 0)
            finish_field(buf, &cells[c->colmap[f]], lo, hi, first, att);
    }
    c->line += lines - (att > flags && att[-1] == e);
    c->ix_a = (size_t)(att - c->ix.att);
}

/* A record that needs more than cut_plain, ending at e. */
CSV_AVX2 static void cut_flagged(csv *c, zf_cell *cells, size_t n_cells, size_t pos, size_t e, bool exact)
{
    if (exact) {
        cut_flagged_exact(c, cells, e);
        c->ix_k += c->n_colmap;
        return;
    }
    c->line += pass_flags(c, e);   /* before unquoting moves the bytes */
    cut_careful(c, cells, n_cells, pos, e);
}

/* Whether the line from pos to the line break e is blank (skip_blank_lines' rule: nothing,
 * or a lone \r).  With one column a lone \r also has the header's field count, so the
 * fast path must ask this too. */
static inline bool blank_line(const csv *c, size_t pos, size_t e)
{
    return e == pos || (e == pos + 1 && c->buf[pos] == '\r');
}

/* Whether the record at c->pos ends at the line break e with exactly the header's fields. */
static inline bool exact_fields(const csv *c, size_t e)
{
    return c->ix.start[c->ix_k + c->n_colmap - 1] == e + 1;
}

/* The next record from the index, whatever it needs; false when the index has no complete
 * record at c->pos (the end of the buffer, a quote the pass cannot follow, a record longer
 * than the span). */
CSV_AVX2 static bool next_indexed(csv *c, zf_cell *cells, size_t n_cells, long *line)
{
    for (;;) {
        if (c->ix_r == c->ix.n_nl) {
            if (c->ix.from == c->pos)
                return false;
            index_at_pos(c);
            continue;
        }
        const size_t pos = c->pos, e = c->ix.nl[c->ix_r++];
        c->rec = pos;
        c->pos = e + 1;
        if (blank_line(c, pos, e)) {
            c->ix_k++;
            pass_flags(c, e);
            c->line++;
            continue;
        }
        *line = c->line++;
        cut_flagged(c, cells, n_cells, pos, e, exact_fields(c, e));
        return true;
    }
}

/* Whatever csv_next_avx2 does not cut itself: blank lines, records with more or fewer
 * fields, a new index, the portable parser. */
CSV_AVX2 __attribute__((noinline)) static zf_status next_avx2_slow(zf_reader *r, zf_cell *cells, long *line,
                                                                   bool *more, zf_error *err)
{
    csv *c = r->impl;
    if (next_indexed(c, cells, r->n_columns, line)) {
        *more = true;
        return ZF_OK;
    }
    index_drop(c);
    return csv_next(r, cells, line, more, err);
}

/* The AVX2 reader: records cut from the index, the portable parser where it has none.
 * A record with the header's fields (not blank) is cut here. */
CSV_AVX2 static zf_status csv_next_avx2(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    csv *c = r->impl;
    if (c->ix_r < c->ix.n_nl) {
        const size_t e = c->ix.nl[c->ix_r];
        if (!blank_line(c, c->pos, e) && exact_fields(c, e)) {
            *line = c->line++;
            if (c->ix.att[c->ix_a] <= e)
                cut_flagged_exact(c, cells, e);
            else if (c->one_run)   /* the usual header: every field wanted, in order */
                cut_run(cells + c->runs[0].cell, c->ix.start + c->ix_k + c->runs[0].field, c->runs[0].n,
                        c->buf);
            else
                cut_runs(c, cells);
            c->ix_k += c->n_colmap;
            c->ix_r++;
            c->rec = c->pos;
            c->pos = e + 1;
            *more = true;
            return ZF_OK;
        }
    }
    return next_avx2_slow(r, cells, line, more, err);
}

#endif

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
static zf_status restart(zf_reader *r, csv *c, zf_error *err)
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
static zf_status skip_through(zf_reader *r, csv *c, long through, zf_error *err)
{
    zf_status st = ZF_OK;
    while (st == ZF_OK && c->line <= through) {
        size_t n_fields = 0;
        long nl = 0;
        bool any = false;
        c->header = true;
        st = read_record(r, c, &n_fields, &nl, &any, err);
        c->header = false;
        if (st == ZF_OK && !any)
            break;
        c->line += nl + 1;
    }
    return st;
}

static zf_status take_header(zf_reader *r, csv *c, long line, const char *const *names, const size_t *lens,
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
static zf_status read_header(zf_reader *r, csv *c, long header_row, bool first, zf_error *err)
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
        st = read_record(r, c, &n_fields, &nl, &any, err);
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
 * is), and how many of them fill_utf8 need not check again: up to the last whole
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
static zf_status sniff(zf_reader *r, csv *c, const char *declared, size_t *skip, zf_error *err)
{
    zf_status st = ZF_OK;
    unsigned char *s = malloc(CSV_SNIFF_SIZE);
    size_t n = 0, got = 1;
    if (!s)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory");
    while (n < CSV_SNIFF_SIZE && got > 0 && st == ZF_OK)
        if ((st = read_some(r, c, (char *)s + n, CSV_SNIFF_SIZE - n, &got, err)) == ZF_OK)
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

static zf_status csv_setup(zf_reader *r, csv *c, const char *declared, zf_error *err)
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
static zf_status choose_separator(zf_reader *r, csv *c, zf_error *err)
{
    while (!c->eof && !c->bad && c->end - c->pos < CSV_SEP_SNIFF) {
        zf_status st = fill(r, c, err);
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
    static const zf_rd_ops ops = { NULL, csv_bytes, csv_free, csv_next, csv_label };
#if ZF_RD_X86
    static const zf_rd_ops ops_avx2 = { NULL, csv_bytes, csv_free, csv_next_avx2, csv_label };
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
