/* reader_internal.h — what the format back ends of the extract layer share.
 * Private to etl/extract: the pipeline sees only zf_reader.h. */
#ifndef ZF_READER_INTERNAL_H
#define ZF_READER_INTERNAL_H

#include <string.h>

#include "zf_reader.h"
#include "zf_text.h"

typedef struct zf_rd_ops {
    /* zf_reader_next records an error next returns in r->failed (next writes it into the
     * err given, r->failure) */
    zf_status (*next)(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err);
    uint64_t (*bytes)(const zf_reader *r);
    void (*free)(void *impl);
    /* or, instead of next: a back end that records its errors itself (zf_rd_fail), called
     * straight through so that the common record costs no frame in zf_reader_next */
    zf_status (*next_direct)(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err);
    /* the first non-empty cell of the record last returned, in any column; NULL: none */
    bool (*label)(zf_reader *r, const char **p, size_t *len);
} zf_rd_ops;

struct zf_reader {
    zf_format format;
    char *path;
    char **columns;           /* wanted header texts, trimmed, NUL-terminated */
    size_t *column_lens;
    size_t n_columns;
    bool *has;                /* wanted column i found in the header */
    const char *encoding;     /* "utf-8", "utf-8-bom", "gb18030", "utf-16le", "utf-16be" or "" */
    const zf_rd_ops *ops;
    void *impl;
    bool failed;              /* an error ended reading; repeat it rather than resume */
    zf_error failure;
    struct zf_sha256 *hash;   /* the file's bytes hashed as they are read (CSV), or NULL */
    uint64_t hashed;          /* bytes [0, hashed) are in hash */
    bool hash_gap;            /* a read skipped bytes: hash the file separately */
    bool date1904;            /* an XLSX/XLS workbook saved in Excel's 1904 date system */
    long header_line;         /* the header's line or row (after any title block) */
};

/* How far down the header is looked for when the source does not fix its row. */
enum { ZF_RD_HEADER_SEARCH = 30 };

/* A row's texts, copied. */
typedef struct zf_rd_names {
    char *text;
    const char **names;
    size_t *lens;
    size_t n;
} zf_rd_names;
void zf_rd_names_free(zf_rd_names *l);

/* The search for the header (header.c), fed the first rows one by one. */
typedef struct zf_rd_header_search {
    bool started, pairs;      /* pairs: the source names a column of a two-row header */
    zf_rd_names held;         /* a header row that may have a lower half */
    size_t held_score;
    zf_rd_names prev;         /* the row before, when it named too few columns */
    zf_rd_names header;       /* the header's column names, once decided */
    long line;                /* the header's (last) line */
} zf_rd_header_search;

typedef enum zf_rd_header_verdict {
    ZF_RD_HEADER_NOT_YET,     /* go on to the next row */
    ZF_RD_HEADER_THIS,        /* this row is the header */
    ZF_RD_HEADER_PAIR,        /* this row and the one above are the header */
    ZF_RD_HEADER_PREVIOUS,    /* the row before is the header; this one is the first record */
    ZF_RD_HEADER_NOMEM
} zf_rd_header_verdict;

/* Feed the next row with values; on a verdict other than NOT_YET, s->header holds the
 * header's column names and s->line its line. */
zf_rd_header_verdict zf_rd_header_feed(zf_reader *r, zf_rd_header_search *s, long line, const char *const *texts,
                                       const size_t *lens, size_t n);
/* The rows ran out: whether a held header row is the header (into s->header). */
bool zf_rd_header_end(zf_rd_header_search *s);
void zf_rd_header_search_free(zf_rd_header_search *s);

/* A header text as compared (header.c): without spaces and line breaks, full-width forms of
 * ASCII (（元）) as ASCII; into out, its length returned. */
size_t zf_rd_header_key(const char *s, size_t len, char *out, size_t cap);
/* Whether two header texts name the same column: equal, or equal as keys. */
bool zf_rd_header_same(const char *a, size_t alen, const char *b, size_t blen);

/* How many wanted columns texts[0..n) name, each counted once (nothing is marked). */
size_t zf_rd_header_score(const zf_reader *r, const char *const *texts, const size_t *lens, size_t n);
/* Whether a row naming score wanted columns is the header: at least half of them (a
 * title or a 填报单位 line names none, a header may lack a few). */
bool zf_rd_is_header(const zf_reader *r, size_t score);

/* A back end's next_direct failed with st, r->failure saying why: reading stops here, the
 * caller learns it in err (when not NULL).  Returns st. */
ZF_MUST_CHECK zf_status zf_rd_fail(zf_reader *r, zf_status st, bool *more, zf_error *err);

/* A format back end read n bytes at file offset `offset` into data: hash what is new. */
void zf_rd_hash(zf_reader *r, uint64_t offset, const void *data, size_t n);

/* Incremental UTF-8 check that also refuses NUL bytes (binary data is not text). */
typedef struct zf_rd_utf8 {
    unsigned char need, lo, hi;
} zf_rd_utf8;

/* Index of the first bad byte in s[0..n), or n when all is well so far; a sequence
 * left open at the end stays in st for the next chunk.  Uses AVX2 when zf_rd_simd(). */
size_t zf_rd_utf8_check(zf_rd_utf8 *st, const unsigned char *s, size_t n);
/* The same with the AVX2 path chosen by the caller (tests compare both), and the
 * byte-at-a-time check alone. */
size_t zf_rd_utf8_check_with(zf_rd_utf8 *st, const unsigned char *s, size_t n, bool simd);
size_t zf_rd_utf8_check_scalar(zf_rd_utf8 *st, const unsigned char *s, size_t n);

/* x86-64 builds carry AVX2 scanners chosen at run time (the 16-byte-at-a-time world of
 * plain C would leave most of a core's bandwidth unused); elsewhere only the portable
 * code exists. */
#if defined(__x86_64__) && defined(__GNUC__)
#define ZF_RD_X86 1
#else
#define ZF_RD_X86 0
#endif

/* Whether the AVX2 scanners may run: the CPU has AVX2, BMI1 and PCLMUL, and ZF_NO_SIMD is
 * unset or "0" (set it to compare with, or to fall back to, the portable code). */
bool zf_rd_simd(void);

/* The separators of a stretch of CSV text buf[from..to), as positions in buf, ascending
 * (csv_index.c).  `from` must be the start of a record.  The pass stops early before a
 * quote that neither opens a field nor escapes a quote (where csv.c's lenient rules and
 * plain RFC 4180 part); everything before is exact. */
enum { ZF_RD_INDEX_SPAN = 32 * 1024 };   /* most bytes indexed at once */
typedef struct zf_rd_index {
    uint32_t *start;   /* where the fields start: start[0] = from, then the byte after each
                          separator and line break outside quotes (room for SPAN + 128) */
    uint32_t *nl;      /* the line breaks among those: where records end */
    uint32_t *att;     /* bytes whose record needs the careful path: quotes, line breaks
                          inside quotes, and white space (or what may be U+3000) next to a
                          separator; then UINT32_MAX */
    size_t n_start, n_nl, n_att;
    size_t from;       /* where the pass started */
} zf_rd_index;

/* The AVX2 pass (x86-64 builds, only when zf_rd_simd()); sep is ',' or '\t'. */
void zf_rd_index_avx2(zf_rd_index *ix, const char *buf, size_t from, size_t to, char sep);

/* Whether the first n bytes of a file are UTF-16 (csv_sniff.c): "utf-16le", "utf-16be" or
 * NULL, and in *bom the length of the byte order mark to skip (0 or 2). */
const char *zf_rd_utf16_sniff(const unsigned char *s, size_t n, size_t *bom);

/* The separator of the CSV text s[0..n) (UTF-8, from a record start; eof: nothing follows):
 * ',' or '\t', whichever gives the same field count (above one) to more of the first
 * records; ',' when nothing tells. */
char zf_rd_csv_separator(const char *s, size_t n, bool eof);

/* zf_trim (zf_text.h), and a UTF-8 BOM in front (headers written by Excel carry one). */
void zf_rd_trim_header(const char **p, size_t *len);

/* Wanted index of a header text (already trimmed) that is not matched yet, or -1.
 * Marks the column as present. */
int zf_rd_match_header(zf_reader *r, const char *text, size_t len);
/* Wanted index of a JSON key, or -1 (does not mark anything). */
int zf_rd_find_column(const zf_reader *r, const char *text, size_t len);

/* A number cell's text rounded to Excel's 15 significant digits (excel_number.c): its length in
 * out (cap >= len + 2), or 0 when the text is to be kept as written (15 digits or fewer, or not
 * a plain decimal). */
size_t zf_rd_excel_digits(const char *s, size_t len, char *out, size_t cap);

/* Number of '\n' in s[0..n). */
long zf_rd_count_lines(const char *s, size_t n);

ZF_MUST_CHECK zf_status zf_rd_csv_open(zf_reader *r, const char *encoding, long header_row, zf_error *err);
ZF_MUST_CHECK zf_status zf_rd_xlsx_open(zf_reader *r, long header_row, zf_error *err);
/* .xls: an OLE2 workbook (libgsf, then xls_biff.c), a ZIP through zf_rd_xlsx_open (r->format becomes
 * ZF_FORMAT_XLSX), anything else an error saying what it is. */
ZF_MUST_CHECK zf_status zf_rd_xls_open(zf_reader *r, long header_row, zf_error *err);
ZF_MUST_CHECK zf_status zf_rd_json_open(zf_reader *r, bool lines, zf_error *err);

/* The wanted header texts, trimmed, into r->columns (every reader kind, the PostgreSQL
 * source included, matches its header against them). */
ZF_MUST_CHECK zf_status zf_rd_copy_columns(zf_reader *r, const zf_reader_opts *opts);

/* Offset, in memory order, of the lowest byte whose high bit is set in a word read with
 * memcpy (the word-at-a-time scans of csv.c and encoding.c flag bytes that way). */
static inline size_t zf_rd_flag_offset(uint64_t flags)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return (size_t)__builtin_ctzll(flags) / 8;
#else
    size_t k = 0;
    unsigned char b[8];
    memcpy(b, &flags, sizeof b);
    while (!(b[k] & 0x80))
        k++;
    return k;
#endif
}

#endif
