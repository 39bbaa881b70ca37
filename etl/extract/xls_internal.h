/* xls_internal.h — what the three files of the .xls reader share: the BIFF record stream
 * (xls_biff.c walks it), the strings in it (xls_sst.c decodes them) and the decoded first
 * worksheet that xls.c delivers row by row.  Private to etl/extract.
 *
 * The workbook stream is held whole in memory and every record is a (type, length, bytes)
 * view into it, so no read can leave the stream: each decoder checks a length against the
 * record it is given, never against what a field claims. */
#ifndef ZF_XLS_INTERNAL_H
#define ZF_XLS_INTERNAL_H

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zf_error.h"

/* The format's own bounds (BIFF8): 65536 rows, 256 columns, 32767 characters a cell. */
#define ZF_XLS_MAX_ROWS 65536u
#define ZF_XLS_MAX_COLS 256u
#define ZF_XLS_MAX_CHARS 32767u
/* No sheet can hold more distinct cells; more cell records than this is a crafted file. */
#define ZF_XLS_MAX_CELLS (ZF_XLS_MAX_ROWS * ZF_XLS_MAX_COLS)
/* The decoded text of the workbook (shared strings and labels), held whole. */
#define ZF_XLS_MAX_TEXT (1u << 30)

enum {
    ZF_BIFF_FORMULA = 0x0006, ZF_BIFF_EOF = 0x000A, ZF_BIFF_DATEMODE = 0x0022,
    ZF_BIFF_FILEPASS = 0x002F, ZF_BIFF_CONTINUE = 0x003C, ZF_BIFF_CODEPAGE = 0x0042,
    ZF_BIFF_BOUNDSHEET = 0x0085, ZF_BIFF_MULRK = 0x00BD, ZF_BIFF_MULBLANK = 0x00BE,
    ZF_BIFF_RSTRING = 0x00D6, ZF_BIFF_SST = 0x00FC, ZF_BIFF_LABELSST = 0x00FD,
    ZF_BIFF_DIMENSION = 0x0200, ZF_BIFF_BLANK = 0x0201, ZF_BIFF_NUMBER = 0x0203,
    ZF_BIFF_LABEL = 0x0204, ZF_BIFF_BOOLERR = 0x0205, ZF_BIFF_STRING = 0x0207,
    ZF_BIFF_RK = 0x027E, ZF_BIFF_FORMAT = 0x041E, ZF_BIFF_XF = 0x00E0, ZF_BIFF_BOF = 0x0809,
    ZF_BIFF5 = 0x0500, ZF_BIFF8 = 0x0600,
};

/* ---- records (xls_biff.c) ------------------------------------------------------------- */

typedef struct zf_xls_stream {
    const unsigned char *p;
    size_t n, pos;          /* pos: the next record's header */
} zf_xls_stream;

typedef struct zf_xls_rec {
    unsigned type, len;
    const unsigned char *data;   /* len bytes, inside the stream */
    size_t at;                   /* the header's offset in the stream, for messages */
} zf_xls_rec;

typedef enum { ZF_XLS_END, ZF_XLS_RECORD, ZF_XLS_BROKEN } zf_xls_next;

/* The record at s->pos; ZF_XLS_BROKEN when its header or its bytes run past the stream. */
ZF_MUST_CHECK zf_xls_next zf_rd_xls_next(zf_xls_stream *s, zf_xls_rec *r);

/* ---- strings (xls_sst.c) -------------------------------------------------------------- */

typedef enum {
    ZF_XLS_STR_OK, ZF_XLS_STR_SHORT, ZF_XLS_STR_LONG, ZF_XLS_STR_FULL /* ZF_XLS_MAX_TEXT */, ZF_XLS_STR_NOMEM
} zf_xls_str;

/* Where the decoded UTF-8 text goes: one pool for the whole workbook. */
typedef struct zf_xls_text {
    char *p;
    size_t len, cap;
} zf_xls_text;

/* n bytes of UTF-8 appended to t. */
ZF_MUST_CHECK zf_xls_str zf_rd_xls_put(zf_xls_text *t, const char *s, size_t n);

/* A string being read out of a record and the CONTINUE records after it. */
typedef struct zf_xls_cur {
    zf_xls_stream *s;
    zf_xls_rec r;
    size_t pos;             /* in r.data */
} zf_xls_cur;

/* A BIFF8 unicode string at the cursor: its 16-bit character count, flags, and characters
 * that may go on in CONTINUE records (each then starting with a flags byte saying whether
 * the rest is 8- or 16-bit), then the rich-text runs and phonetic data, skipped.  The text is appended to t; *len is its UTF-8 length. */
ZF_MUST_CHECK zf_xls_str zf_rd_xls_ustr(zf_xls_cur *c, zf_xls_text *t, size_t *len);
/* n bytes of BIFF5 code-page text through cv (UTF-8 out; bytes it cannot convert become
 * U+FFFD), appended to t. */
ZF_MUST_CHECK zf_xls_str zf_rd_xls_ansi(iconv_t cv, const unsigned char *s, size_t n, zf_xls_text *t, size_t *len);
/* The iconv name of a CODEPAGE record's value, or NULL when it is not one we convert. */
const char *zf_rd_xls_codepage(unsigned cp);

/* The shared-string table: string i is text[off[i] .. off[i]+len[i]). */
typedef struct zf_xls_sst {
    uint32_t *off, *len;
    size_t n, cap;
} zf_xls_sst;

/* The SST record r and its CONTINUE records into sst (texts into t).  Errors are
 * ZF_ERR_FORMAT (a string cut short, or longer than Excel allows) and ZF_ERR_NOMEM. */
ZF_MUST_CHECK zf_status zf_rd_xls_sst_read(zf_xls_stream *s, const zf_xls_rec *r, zf_xls_sst *sst, zf_xls_text *t,
                             const char *path, zf_error *err);
void zf_rd_xls_sst_free(zf_xls_sst *sst);

/* ---- the first worksheet (xls_biff.c) ------------------------------------------------- */

typedef enum {
    ZF_XLS_NUM,         /* a number (num) */
    ZF_XLS_TEXT,        /* text (off, len) */
    ZF_XLS_DATE,        /* a number with a date format: "YYYY-MM-DD" */
    ZF_XLS_DATETIME,    /* a date-time format: "YYYY-MM-DD HH:MM:SS" */
    ZF_XLS_TIME,        /* a time format: "HH:MM:SS" */
} zf_xls_kind;

typedef struct zf_xls_cell {
    uint32_t row, seq;  /* seq: record order, so that a cell written twice keeps the last */
    uint16_t col;
    uint8_t kind;       /* zf_xls_kind */
    union {
        double num;
        struct { uint32_t off, len; } s;
    } v;
} zf_xls_cell;

typedef struct zf_xls_sheet {
    zf_xls_cell *cells;     /* sorted by row, then column; one per cell */
    size_t n, cap;
    zf_xls_text text;
    uint32_t rows;          /* rows and columns the sheet spans (DIMENSION, or its cells) */
    uint16_t cols;
    bool date1904;
} zf_xls_sheet;

/* The first worksheet of the BIFF5/BIFF8 workbook stream book[0..n): every cell with a value,
 * numbers with a date format marked as dates, formula cells as the result Excel saved with
 * them (a number, text, "true"/"false", "#N/A"…), error cells as their text.  Errors are
 * ZF_ERR_FORMAT (a broken or password-protected workbook, said how) and ZF_ERR_NOMEM. */
ZF_MUST_CHECK zf_status zf_rd_xls_decode(const unsigned char *book, size_t n, const char *path, zf_xls_sheet *sh,
                           zf_error *err);
/* The cells of row: *first is the index of its first, and the count is returned. */
size_t zf_rd_xls_row(const zf_xls_sheet *sh, uint32_t row, size_t *first);
/* A date, date-time or time cell's text as FreeXL showed it (so that outputs did not change
 * when the reader did): into out (at least 32 bytes), its length returned. */
size_t zf_rd_xls_date_text(const zf_xls_cell *c, bool date1904, char *out, size_t cap);
void zf_rd_xls_sheet_free(zf_xls_sheet *sh);

#endif
