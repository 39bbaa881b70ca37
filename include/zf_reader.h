/* zf_reader.h — extract: stream the records of one input file (CSV, XLSX, legacy XLS, JSON,
 * JSON Lines) as rows of UTF-8 cells, in the order of the columns the caller wants.
 *
 * Cells point into the reader's buffers and stay valid until the next call of
 * zf_reader_next(); nothing is copied that is not needed.  Memory does not grow
 * with the number of records, except for .xls: its decoded sheet is held whole (at most
 * 65536 rows of 256 cells). */
#ifndef ZF_READER_H
#define ZF_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zf_error.h"

typedef enum zf_format {
    ZF_FORMAT_AUTO,      /* from the file name: .csv/.tsv/.txt .xlsx .xls .json .jsonl/.ndjson */
    ZF_FORMAT_CSV,
    ZF_FORMAT_XLSX,
    ZF_FORMAT_JSON,      /* an array of objects */
    ZF_FORMAT_JSONL,     /* one object per line */
    ZF_FORMAT_XLS        /* Excel 97-2003 (BIFF); a renamed .xlsx is read as XLSX */
} zf_format;

typedef struct zf_cell {
    const char *ptr;     /* UTF-8, trimmed of ASCII and full-width (U+3000) spaces; not NUL-terminated */
    size_t len;          /* 0 = empty */
    bool numeric;        /* an XLSX/XLS number cell (dates may then be Excel serial numbers) */
} zf_cell;

typedef struct zf_reader_opts {
    zf_format format;
    const char *encoding;        /* CSV only: "auto" (BOM → UTF-8, valid UTF-8 → UTF-8, else
                                    GB18030), "utf-8" or "gb18030"; NULL = "auto" */
    const char *const *columns;  /* header texts wanted, in the order cells are delivered */
    size_t n_columns;
    bool no_hash;                /* do not hash while reading (zf_reader_sha256 then reads the
                                    file again): lets bench/stages time parsing alone */
    long header_row;             /* CSV/XLSX: the header's line or row; 0: found (the first of
                                    the first 30 rows naming half the columns: a title block
                                    may stand above it); -1: the first row, whatever it says */
} zf_reader_opts;

typedef struct zf_reader zf_reader;

/* Open path and read its header.  Fails (ZF_ERR_IO, ZF_ERR_FORMAT, ZF_ERR_ENCODING) when the
 * file cannot be read at all; a missing wanted column is not an error here (see
 * zf_reader_has_column). */
ZF_MUST_CHECK zf_status zf_reader_open(zf_reader **out, const char *path, const zf_reader_opts *opts, zf_error *err);

/* CSV/XLSX/XLS: whether wanted column i is in the header.  JSON: always true (a key missing
 * from an object gives an empty cell). */
bool zf_reader_has_column(const zf_reader *r, size_t i);

/* CSV/XLSX: the line or sheet row of the header; the rows above it that hold anything are
 * a title block.  0 for JSON. */
long zf_reader_header_line(const zf_reader *r);

/* The first non-empty cell of the record zf_reader_next returned last, in whichever column
 * (CSV/XLSX; false for JSON or a row with nothing in it): what a 合计 or 制表人 row says it
 * is when the label stands in a column the source does not read.  Valid until the next
 * call of zf_reader_next. */
bool zf_reader_row_label(zf_reader *r, const char **p, size_t *len);
/* Whether the format has rows with labels at all (CSV, XLSX; not JSON). */
bool zf_reader_has_labels(const zf_reader *r);

/* Next record into cells[0 .. n_columns-1].  *line is where the record starts: the physical
 * line in CSV (header = line 1), the row number in XLSX and XLS, the 1-based element number in JSON
 * and JSON Lines.  Returns ZF_OK with *more = true for a record, *more = false at the end;
 * an error means the rest of the file cannot be read (err says where). */
ZF_MUST_CHECK zf_status zf_reader_next(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err);

/* Bytes consumed so far and the file's size, for progress and MB/s. */
uint64_t zf_reader_bytes(const zf_reader *r);

/* The sha256 (lower-case hex) and size of the whole file.  A CSV file is hashed as it is
 * read, so this reads only what the reader has not consumed (nothing after the last
 * record); other formats are hashed by reading the file again. */
ZF_MUST_CHECK zf_status zf_reader_sha256(zf_reader *r, char hex[65], uint64_t *size, zf_error *err);

zf_format zf_reader_format(const zf_reader *r);
/* Which Excel serial-date system a number cell's date is in: none (text only), the 1900
 * system (serial 1 = 1900-01-01, with Lotus's 1900-02-29) or the 1904 system of workbooks
 * saved with workbookPr date1904 (serial 0 = 1904-01-01; old Mac Excel, some exporters). */
typedef enum zf_serial_dates {
    ZF_SERIAL_NONE = 0,
    ZF_SERIAL_1900 = 1,
    ZF_SERIAL_1904 = 2,
} zf_serial_dates;

/* How the file's number cells hold dates: ZF_SERIAL_NONE for text formats. */
zf_serial_dates zf_reader_serial_dates(const zf_reader *r);
/* The encoding the CSV was read in ("utf-8", "utf-8-bom", "gb18030"), or "" for other formats. */
const char *zf_reader_encoding(const zf_reader *r);

void zf_reader_free(zf_reader *r);

/* Format from a file name, ZF_FORMAT_AUTO when unknown. */
zf_format zf_format_from_name(const char *name);

#ifdef ZF_TESTING
/* ---- for the unit tests (include/zf_testing.h): private to etl/extract, where
 * reader_internal.h declares them ---------------------------------------------------- */
const char *zf_rd_utf16_sniff(const unsigned char *s, size_t n, size_t *bom);
char zf_rd_csv_separator(const char *s, size_t n, bool eof);
size_t zf_rd_excel_digits(const char *s, size_t len, char *out, size_t cap);
#endif

#endif
