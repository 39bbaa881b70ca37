/* xls.c — the first worksheet of a legacy .xls workbook (BIFF5/BIFF8: Excel 95–2003, WPS).
 *
 * This file owns what a county system's ".xls" may really be: it sniffs the first bytes and
 * sends a ZIP (an .xlsx renamed) to the XLSX back end, opens an OLE2 compound file through
 * libgsf and hands its workbook stream to our BIFF decoder (xls_biff.c, xls_sst.c), and
 * turns anything else (HTML tables, Excel 2003 XML, CSV or tab-separated text named .xls)
 * into one error that says what the file is and how to make it readable.
 *
 * The workbook stream is read whole (at most XLS_MAX_STREAM) and the sheet decoded into its
 * cells when the file is opened, so unlike the other back ends memory grows with the sheet.
 * Cells are delivered as the XLSX back end delivers them: the header is found as there
 * (header.c), numbers are text as Excel shows them (15 significant digits), date-formatted
 * cells are text ("YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS", "HH:MM:SS", as FreeXL, which read
 * .xls here before, showed them) and rows without any value are skipped.  FreeXL was
 * dropped because crafted files made it read and write past its buffers; the decoder that
 * replaced it checks every length against its record and runs under the fuzzer in make test. */
#include "zf_fs.h"
#include "reader_internal.h"
#include "xls_internal.h"

#include <errno.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-stdio.h>
#include <gsf/gsf-input.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define XLS_MAX_STREAM (512u << 20)    /* a full BIFF8 sheet of numbers is about 300 MB */
enum { XLS_SNIFF = 4096 };

typedef struct xls {
    zf_reader *r;
    zf_xls_sheet sh;            /* the decoded first worksheet */
    unsigned rows;
    unsigned short cols;
    unsigned row;               /* next sheet row (0-based) to look at */
    uint64_t size;
    bool header_done;
    long header_row;            /* zf_reader_opts.header_row */
    unsigned cur;               /* the sheet row (0-based) last delivered, for its label */
    char label[128];
    size_t label_len;
    int *src;                   /* per wanted column: its sheet column, or -1 */
    char *buf;                  /* the current row's delivered cells */
    size_t buf_len, buf_cap;
    size_t *off, *len;
    bool *num;
} xls;

static void xls_free(void *impl)
{
    xls *x = impl;
    if (!x)
        return;
    zf_rd_xls_sheet_free(&x->sh);
    free(x->src);
    free(x->buf);
    free(x->off);
    free(x->len);
    free(x->num);
    free(x);
}

static uint64_t xls_bytes(const zf_reader *r)
{
    /* the file was read when it was opened: progress is the share of rows delivered */
    const xls *x = r->impl;
    return x->rows ? x->size * x->row / x->rows : x->size;
}

/* ---- what a file named .xls really is ------------------------------------------------- */

static bool has_word(const unsigned char *s, size_t n, const char *word)
{
    size_t w = strlen(word);
    for (size_t i = 0; i + w <= n; i++)
        if (strncasecmp((const char *)s + i, word, w) == 0)
            return true;
    return false;
}

/* What the first bytes of a file that is neither OLE2 nor ZIP look like, as advice. */
static const char *describe(const unsigned char *s, size_t n)
{
    if (n == 0)
        return "the file is empty";
    size_t i = 0;
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
        i++;
    if (i < n && s[i] == '<') {
        if (has_word(s + i, n - i, "urn:schemas-microsoft-com:office:spreadsheet"))
            return "it is an Excel 2003 XML spreadsheet saved with an .xls name: open it in Excel "
                   "or WPS and save it as .xlsx";
        if (has_word(s + i, n - i, "<html") || has_word(s + i, n - i, "<table") ||
            has_word(s + i, n - i, "<!doctype html"))
            return "it is an HTML table saved with an .xls name (a web export): open it in Excel "
                   "or WPS and save it as .xlsx";
        return "it is XML or HTML text, not a workbook: open it in Excel or WPS and save it as .xlsx";
    }
    if ((n >= 2 && (memcmp(s, "\xFF\xFE", 2) == 0 || memcmp(s, "\xFE\xFF", 2) == 0)))
        return "it is UTF-16 text saved with an .xls name (often tab-separated): open it in Excel "
               "or WPS and save it as .xlsx";
    if (memchr(s, '\0', n))
        return "it is binary data that is neither an .xls (OLE2) nor an .xlsx (ZIP) workbook";
    const unsigned char *eol = memchr(s, '\n', n);
    size_t first = eol ? (size_t)(eol - s) : n;
    if (memchr(s, '\t', first))
        return "it is tab-separated text saved with an .xls name: open it in Excel or WPS and "
               "save it as .xlsx";
    return "it is plain text (CSV?) saved with an .xls name: rename it .csv, or open it in "
           "Excel or WPS and save it as .xlsx";
}

/* The first bytes of the file, and its size. */
static ZF_MUST_CHECK zf_status sniff(zf_reader *r, unsigned char *head, size_t *n, uint64_t *size, zf_error *err)
{
    int fd;
    zf_status st = zf_open_regular(r->path, &fd, err);
    if (st != ZF_OK)
        return st;
    struct stat sb;
    *n = 0;
    *size = fstat(fd, &sb) == 0 ? (uint64_t)sb.st_size : 0;
    while (*n < XLS_SNIFF) {
        ssize_t got = read(fd, head + *n, XLS_SNIFF - *n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            st = zf_error_set(err, ZF_ERR_IO, r->path, 0, 0, "cannot read: %s", strerror(errno));
            break;
        }
        if (got == 0)
            break;
        *n += (size_t)got;
    }
    close(fd);
    return st;
}

/* ---- cells ---------------------------------------------------------------------------- */

/* A double as Excel shows it: 17 significant digits (exact for every double) rounded to
 * Excel's 15, so 9477.87 stored as 9477.8700000000008 reads "9477.87" and 12.0 reads "12";
 * an exponent is written the way Excel writes it in an .xlsx ("E-8", "E+17"). */
static size_t number_text(double d, char *out, size_t cap)
{
    char raw[48];
    if (d == 0)
        d = 0;   /* -0 shows as 0 */
    int n = snprintf(raw, sizeof raw, "%.17g", d);
    char *e = strchr(raw, 'e');
    if (e) {
        *e = 'E';
        char *q = e + 2, *z = q;
        while (*z == '0' && z[1])
            z++;
        memmove(q, z, strlen(z) + 1);
        n = (int)strlen(raw);
    }
    size_t m = zf_rd_excel_digits(raw, (size_t)n, out, cap);
    if (m)
        return m;
    memcpy(out, raw, (size_t)n);
    return (size_t)n;
}

static bool append(xls *x, const char *s, size_t n)
{
    if (x->buf_len + n + 1 > x->buf_cap) {
        size_t nc = x->buf_cap ? x->buf_cap : 256;
        while (x->buf_len + n + 1 > nc)
            nc *= 2;
        char *nb = realloc(x->buf, nc);
        if (!nb)
            return false;
        x->buf = nb;
        x->buf_cap = nc;
    }
    memcpy(x->buf + x->buf_len, s, n);
    x->buf_len += n;
    return true;
}

/* The cell at (row, col), or NULL when it has no value. */
static const zf_xls_cell *find_cell(const xls *x, unsigned row, unsigned col)
{
    size_t first, n = zf_rd_xls_row(&x->sh, row, &first);
    for (size_t i = 0; i < n; i++)
        if (x->sh.cells[first + i].col == col)
            return &x->sh.cells[first + i];
    return NULL;
}

/* Cell (row, col) into x->buf as text: where it is in off and len, and whether it is a number cell. */
static ZF_MUST_CHECK zf_status cell_text(xls *x, unsigned row, unsigned col, size_t *off, size_t *len, bool *numeric,
                           zf_error *err)
{
    char tmp[64];
    const char *s = "";
    size_t n = 0;
    const zf_xls_cell *c = find_cell(x, row, col);
    *numeric = false;
    if (c && c->kind == ZF_XLS_NUM) {
        n = number_text(c->v.num, tmp, sizeof tmp);
        s = tmp;
        *numeric = true;
    } else if (c && c->kind == ZF_XLS_TEXT) {
        s = x->sh.text.p + c->v.s.off;
        n = c->v.s.len;
    } else if (c) {
        n = zf_rd_xls_date_text(c, x->sh.date1904, tmp, sizeof tmp);
        s = tmp;
    }
    *off = x->buf_len;
    *len = n;
    if (!append(x, s, n))
        return zf_error_set(err, ZF_ERR_NOMEM, x->r->path, (long)row + 1, 0, "out of memory for a row");
    return ZF_OK;
}

/* Whether the row holds any value, in any column (the XLSX back end's rule: rows that are
 * formatting only are not records, and neither are rows of empty texts). */
static bool row_has_value(const xls *x, unsigned row)
{
    size_t first, n = zf_rd_xls_row(&x->sh, row, &first);
    for (size_t i = 0; i < n; i++) {
        const zf_xls_cell *c = &x->sh.cells[first + i];
        if (c->kind != ZF_XLS_TEXT || c->v.s.len)
            return true;
    }
    return false;
}

/* Every cell of row, trimmed as a header is: texts[j] for sheet column j, into x->buf. */
static ZF_MUST_CHECK zf_status row_texts(xls *x, unsigned row, const char **texts, size_t *lens, zf_error *err)
{
    size_t *offs = malloc((x->cols ? x->cols : 1) * sizeof *offs);
    if (!offs)
        return zf_error_set(err, ZF_ERR_NOMEM, x->r->path, (long)row + 1, 0, "out of memory");
    x->buf_len = 0;
    zf_status st = ZF_OK;
    for (unsigned col = 0; col < x->cols && st == ZF_OK; col++) {
        bool numeric;
        st = cell_text(x, row, col, &offs[col], &lens[col], &numeric, err);
    }
    for (unsigned col = 0; col < x->cols && st == ZF_OK; col++) {   /* x->buf has stopped moving */
        texts[col] = x->buf + offs[col];
        zf_rd_trim_header(&texts[col], &lens[col]);
    }
    free(offs);
    return st;
}

static void take_header(xls *x, const char *const *names, const size_t *lens, size_t n, long line)
{
    for (size_t j = 0; j < n; j++) {
        int w = lens[j] ? zf_rd_match_header(x->r, names[j], lens[j]) : -1;
        if (w >= 0)
            x->src[w] = (int)j;
    }
    x->header_done = true;
    x->r->header_line = line;
}

/* The header as the XLSX back end finds it (zf_rd_header_feed: a title block above it, two
 * rows under merged cells, or the source's header_row), or else the first row with a value.
 * The sheet is read by cell, so a row looked at as a header and found a record is simply
 * read again. */
static ZF_MUST_CHECK zf_status find_header(xls *x, zf_error *err)
{
    const char **texts = malloc((x->cols ? x->cols : 1) * sizeof *texts);
    size_t *lens = malloc((x->cols ? x->cols : 1) * sizeof *lens);
    zf_rd_header_search hs = {0};
    zf_status st = texts && lens ? ZF_OK : zf_error_set(err, ZF_ERR_NOMEM, x->r->path, 0, 0, "out of memory");
    long first = -1;
    int tried = 0;
    while (st == ZF_OK && !x->header_done && x->row < x->rows) {
        unsigned row = x->row++;
        if (!row_has_value(x, row))
            continue;
        if (first < 0)
            first = row;
        if ((st = row_texts(x, row, texts, lens, err)) != ZF_OK)
            break;
        const long line = (long)row + 1;
        if (x->header_row != 0) {
            if (x->header_row < 0 || line >= x->header_row)
                take_header(x, texts, lens, x->cols, line);
            continue;
        }
        zf_rd_header_verdict v = zf_rd_header_feed(x->r, &hs, line, texts, lens, x->cols);
        if (v == ZF_RD_HEADER_NOT_YET && ++tried >= ZF_RD_HEADER_SEARCH && zf_rd_header_end(&hs))
            v = ZF_RD_HEADER_THIS;   /* the held row is this one */
        if (v == ZF_RD_HEADER_NOMEM)
            st = zf_error_set(err, ZF_ERR_NOMEM, x->r->path, line, 0, "out of memory");
        else if (v != ZF_RD_HEADER_NOT_YET) {
            take_header(x, hs.header.names, hs.header.lens, hs.header.n, hs.line);
            if (v == ZF_RD_HEADER_PREVIOUS)
                x->row = row;   /* this row is the first record */
        } else if (tried >= ZF_RD_HEADER_SEARCH)
            break;
    }
    if (st == ZF_OK && !x->header_done && x->header_row == 0 && zf_rd_header_end(&hs))
        take_header(x, hs.header.names, hs.header.lens, hs.header.n, hs.line);
    if (st == ZF_OK && !x->header_done && first >= 0 &&
        (st = row_texts(x, (unsigned)first, texts, lens, err)) == ZF_OK) {   /* none: the first row */
        take_header(x, texts, lens, x->cols, first + 1);
        x->row = (unsigned)first + 1;
    }
    zf_rd_header_search_free(&hs);
    free(texts);
    free(lens);
    return st;
}

/* The first non-empty cell of the row last delivered, in any column (its label). */
static bool xls_label(zf_reader *r, const char **p, size_t *len)
{
    xls *x = r->impl;
    *p = x->label;
    *len = 0;
    char *buf = x->buf;   /* the delivered cells stay where they are */
    size_t buf_len = x->buf_len, buf_cap = x->buf_cap;
    x->buf = NULL;
    x->buf_len = x->buf_cap = 0;
    for (unsigned col = 0; col < x->cols; col++) {
        size_t off, n;
        bool numeric;
        x->buf_len = 0;
        if (cell_text(x, x->cur, col, &off, &n, &numeric, NULL) != ZF_OK)
            break;
        const char *t = x->buf + off;
        zf_trim(&t, &n);
        if (n) {
            n = zf_utf8_cut(t, n, sizeof x->label);
            memcpy(x->label, t, n);
            *len = n;
            break;
        }
    }
    free(x->buf);
    x->buf = buf;
    x->buf_len = buf_len;
    x->buf_cap = buf_cap;
    return *len > 0;
}

static ZF_MUST_CHECK zf_status xls_next(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    xls *x = r->impl;
    *more = false;
    while (x->row < x->rows) {
        unsigned row = x->row++;
        if (!row_has_value(x, row))
            continue;
        zf_status st = ZF_OK;
        x->cur = row;
        x->buf_len = 0;
        for (size_t i = 0; i < r->n_columns; i++) {
            x->len[i] = 0;
            x->num[i] = false;
            if (x->src[i] >= 0 &&
                (st = cell_text(x, row, (unsigned)x->src[i], &x->off[i], &x->len[i], &x->num[i], err)) != ZF_OK)
                return st;
        }
        for (size_t i = 0; i < r->n_columns; i++) {
            cells[i].ptr = x->len[i] ? x->buf + x->off[i] : "";
            cells[i].len = x->len[i];
            zf_trim(&cells[i].ptr, &cells[i].len);
            cells[i].numeric = x->num[i] && x->len[i] > 0;
        }
        *line = (long)row + 1;
        *more = true;
        return ZF_OK;
    }
    return ZF_OK;
}

/* ---- opening -------------------------------------------------------------------------- */

/* The workbook stream ("Workbook" in BIFF8, "Book" in BIFF5) of the OLE2 file at path, whole. */
static ZF_MUST_CHECK zf_status read_stream(const char *path, unsigned char **data, size_t *n, zf_error *err)
{
    GError *gerr = NULL;
    GsfInput *file = gsf_input_stdio_new(path, &gerr);
    GsfInfile *ole = file ? gsf_infile_msole_new(file, &gerr) : NULL;
    GsfInput *book = ole ? gsf_infile_child_by_name(ole, "Workbook") : NULL;
    if (ole && !book)
        book = gsf_infile_child_by_name(ole, "Book");
    zf_status st = ZF_OK;
    *data = NULL;
    if (!ole)
        st = zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0,
                          "not a readable .xls workbook: its OLE2 container cannot be read (%s): the file is "
                          "truncated or corrupt",
                          gerr && gerr->message ? gerr->message : "unknown reason");
    else if (!book)
        st = zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0,
                          "not a readable .xls workbook: it holds no Excel workbook stream (a Word or other "
                          "Office document?)");
    else if (gsf_input_size(book) < 0 || (uint64_t)gsf_input_size(book) > XLS_MAX_STREAM)
        st = zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0,
                          "not a readable .xls workbook: its workbook stream is larger than %u MiB, more than "
                          "a full sheet can take",
                          XLS_MAX_STREAM >> 20);
    else if (!(*data = malloc((size_t)gsf_input_size(book) + 1)))
        st = zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory for the workbook stream");
    else if ((*n = (size_t)gsf_input_size(book)) && !gsf_input_read(book, *n, *data))
        st = zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0,
                          "not a readable .xls workbook: its workbook stream is cut short (the OLE2 "
                          "container is truncated or corrupt)");
    if (st != ZF_OK) {
        free(*data);
        *data = NULL;
    }
    if (book)
        g_object_unref(book);
    if (ole)
        g_object_unref(ole);
    if (file)
        g_object_unref(file);
    if (gerr)
        g_error_free(gerr);
    return st;
}

static ZF_MUST_CHECK zf_status xls_setup(zf_reader *r, xls *x, zf_error *err)
{
    unsigned char *book;
    size_t n = 0;
    zf_status st = read_stream(r->path, &book, &n, err);
    if (st != ZF_OK)
        return st;
    st = zf_rd_xls_decode(book, n, r->path, &x->sh, err);
    free(book);
    if (st != ZF_OK)
        return st;
    r->date1904 = x->sh.date1904;
    x->rows = x->sh.rows;
    x->cols = x->sh.cols;
    n = r->n_columns ? r->n_columns : 1;
    x->src = malloc(n * sizeof *x->src);
    x->off = calloc(n, sizeof *x->off);
    x->len = calloc(n, sizeof *x->len);
    x->num = calloc(n, sizeof *x->num);
    if (!x->src || !x->off || !x->len || !x->num)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        x->src[i] = -1;
    return find_header(x, err);
}

zf_status zf_rd_xls_open(zf_reader *r, long header_row, zf_error *err)
{
    static const zf_rd_ops ops = { xls_next, xls_bytes, xls_free, NULL, xls_label };
    unsigned char head[XLS_SNIFF];
    size_t n;
    uint64_t size;
    zf_status st = sniff(r, head, &n, &size, err);
    if (st != ZF_OK)
        return st;
    if (n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0) {
        /* an .xlsx renamed .xls: read it for what it is (the report then says "xlsx") */
        r->format = ZF_FORMAT_XLSX;
        return zf_rd_xlsx_open(r, header_row, err);
    }
    if (n < 8 || memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) != 0)
        return zf_error_set(err, ZF_ERR_FORMAT, r->path, 0, 0, "not an .xls workbook: %s", describe(head, n));
    xls *x = calloc(1, sizeof *x);
    if (!x)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory");
    x->r = r;
    x->size = size;
    x->header_row = header_row;
    r->impl = x;
    r->ops = &ops;
    return xls_setup(r, x, err);
}
