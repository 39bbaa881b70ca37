/* csv_internal.h — what the files of the CSV reader share: the reader's state (csv), the
 * per-field text helpers both parsers call for each quoted field (static inline, so that
 * they stay inlined into the loops of csv_parse.c and csv_cut.c), and the calls between
 * the files.  Private to etl/extract; the reader as a whole is described in csv.c.
 *
 *   csv.c        opening: the encoding and separator sniffed, the header read and mapped
 *                to the wanted columns, the AVX2 index set up; the reader's ops
 *   csv_input.c  input: the sliding buffer filled, UTF-8 checked as it arrives or GB18030
 *                and UTF-16 converted by iconv, invalid text reported
 *   csv_parse.c  the portable parser: a record parsed from its start; records one at a time
 *   csv_cut.c    AVX2: records cut from the index csv_index.c builds */
#ifndef ZF_CSV_INTERNAL_H
#define ZF_CSV_INTERNAL_H

#include <iconv.h>
#include <stddef.h>
#include <string.h>

#include "reader_internal.h"

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

/* csv_input.c */
ZF_MUST_CHECK zf_status zf_rd_csv_read_some(zf_reader *r, csv *c, char *dst, size_t room, size_t *got, zf_error *err);
ZF_MUST_CHECK zf_status zf_rd_csv_fill_utf8(zf_reader *r, csv *c, zf_error *err);
/* More text into the buffer (sliding the unparsed part to the front when needed). */
ZF_MUST_CHECK zf_status zf_rd_csv_fill(zf_reader *r, csv *c, zf_error *err);

/* csv_parse.c */
ZF_MUST_CHECK zf_status zf_rd_csv_read_record(zf_reader *r, csv *c, size_t *n_fields, long *nl, bool *any, zf_error *err);
/* The portable reader's next (zf_rd_ops). */
ZF_MUST_CHECK zf_status zf_rd_csv_next(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err);

#if ZF_RD_X86
/* csv_cut.c: the AVX2 reader's next (zf_rd_ops) */
__attribute__((target("avx2"))) zf_status zf_rd_csv_next_avx2(zf_reader *r, zf_cell *cells, long *line,
                                                               bool *more, zf_error *err);
#endif

/* ---- per field, inline ---------------------------------------------------- */

/* Undo the quoting of a field in place: the text only gets shorter. */
static inline size_t unquote(char *s, size_t len)
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
static inline void quoted_text(char *s, size_t len, const char **p, size_t *n)
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

static inline void span_text(csv *c, csv_span *s, const char **p, size_t *len)
{
    char *text = c->buf + s->off;
    if (s->quoted) {
        quoted_text(text, s->len, p, len);
        return;
    }
    *len = s->len;
    *p = text;
}

#endif
