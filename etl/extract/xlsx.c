/* xlsx.c — the first worksheet of an XLSX workbook, streamed.
 *
 * The sheet XML is inflated by minizip chunk by chunk straight into expat's buffer.  At
 * the end of each <row> the parser is suspended, so one row at a time is held; shared
 * strings (one copy per distinct string, xlsx_parts.c) are kept in memory. */
#include "xlsx_internal.h"

#include "zf_fs.h"

static void xlsx_free(void *impl)
{
    xlsx *x = impl;
    if (!x)
        return;
    if (x->xp)
        XML_ParserFree(x->xp);
    if (x->zip) {
        if (x->sheet_open)
            unzCloseCurrentFile(x->zip);
        unzClose(x->zip);
    }
    free(x->ss);
    free(x->ss_off);
    free(x->txt);
    free(x->ftxt);
    free(x->rowbuf);
    free(x->off);
    free(x->len);
    free(x->num);
    free(x->hdr);
    free(x->colmap);
    zf_rd_header_search_free(&x->hs);
    free(x);
}

static uint64_t xlsx_bytes(const zf_reader *r)
{
    return ((const xlsx *)r->impl)->bytes;
}

/* ---- the sheet ------------------------------------------------------------ */

static long column_of(const char *ref)
{
    long col = 0;
    int letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z' && letters < 4; ref++, letters++)
        col = col * 26 + (*ref - 'A' + 1);
    return letters ? col - 1 : -1;
}

static char cell_type(const char *t)
{
    if (!t || strcmp(t, "n") == 0)
        return 'n';
    if (strcmp(t, "s") == 0)
        return 's';
    if (strcmp(t, "inlineStr") == 0)
        return 'i';
    if (strcmp(t, "b") == 0)
        return 'b';
    return 't';   /* str, e, d: the text as written */
}

static void start_row(xlsx *x, const char **atts)
{
    const char *rn = attr(atts, "r");
    long n = rn ? strtol(rn, NULL, 10) : 0;
    x->row_num = n > 0 ? n : x->row_num + 1;
    if (x->row_num > XLSX_MAX_ROWS) {
        x->row_num = XLSX_MAX_ROWS + 1;
        cb_fail(x, ZF_ERR_FORMAT, "a row beyond Excel's last row (1048576): the sheet is corrupt");
    }
    x->last_col = -1;
    x->row_len = 0;
    x->n_hdr = 0;
    x->row_has_value = false;
    x->label_len = 0;
    for (size_t i = 0; i < x->r->n_columns; i++) {
        x->len[i] = 0;
        x->num[i] = false;
    }
}

static void start_cell(xlsx *x, const char **atts)
{
    const char *ref = attr(atts, "r");
    long col = ref ? column_of(ref) : -1;
    x->col = col >= 0 ? col : x->last_col + 1;
    x->last_col = x->col;
    x->ctype = cell_type(attr(atts, "t"));
    x->in_c = true;
    x->has_f = x->has_v = false;
    x->txt_len = x->ftxt_len = 0;
}

static void XMLCALL sheet_start(void *ud, const char *name, const char **atts)
{
    xlsx *x = ud;
    const char *n = local_name(name);
    if (strcmp(n, "row") == 0)
        start_row(x, atts);
    else if (strcmp(n, "c") == 0)
        start_cell(x, atts);
    else if (!x->in_c)
        return;
    else if (strcmp(n, "v") == 0)
        x->in_v = x->has_v = true;
    else if (strcmp(n, "f") == 0 && !x->has_f) {
        x->in_f = x->has_f = true;
        x->ftxt_len = 0;
        if (!append(&x->ftxt, &x->ftxt_len, &x->ftxt_cap, "=", 1))
            cb_fail(x, ZF_ERR_NOMEM, "out of memory for a formula");
    }
    else if (strcmp(n, "is") == 0)
        x->in_is = true;
    else if (strcmp(n, "t") == 0)
        x->in_t = true;
    else if (strcmp(n, "rPh") == 0)
        x->in_rph++;
}

/* The value of the finished cell: shared string, boolean word or the text as written. */
static bool cell_value(xlsx *x, const char **val, size_t *len)
{
    *val = x->txt ? x->txt : "";
    *len = x->txt_len;
    if (x->ctype == 'b' && *len == 1) {
        *val = x->txt[0] == '1' ? "true" : "false";
        *len = strlen(*val);
    } else if (x->ctype == 's' && *len) {
        char *endp;
        x->txt[*len] = '\0';
        unsigned long i = strtoul(x->txt, &endp, 10);
        if (*endp || i >= x->n_ss)
            return false;
        *val = x->ss + x->ss_off[i];
        *len = x->ss_off[i + 1] - x->ss_off[i];
    }
    return true;
}

static bool keep_header_cell(xlsx *x, size_t off, size_t len)
{
    if (x->n_hdr == x->hdr_cap) {
        size_t nc = x->hdr_cap ? x->hdr_cap * 2 : 32;
        hdr_cell *nh = realloc(x->hdr, nc * sizeof *nh);
        if (!nh)
            return false;
        x->hdr = nh;
        x->hdr_cap = nc;
    }
    x->hdr[x->n_hdr++] = (hdr_cell){ x->col, off, len, x->ctype == 'n' && len > 0 };
    return true;
}

static void end_cell(xlsx *x)
{
    const char *val;
    size_t len, off = x->row_len;
    x->in_c = x->in_v = x->in_is = x->in_t = x->in_f = false;
    x->in_rph = 0;
    if (x->has_f && !x->has_v) {
        /* a formula whose value was never saved (a file written by a program that does not
         * calculate): shown as the formula, so that the column's check rejects it saying so */
        val = x->ftxt ? x->ftxt : "=";
        len = x->ftxt ? x->ftxt_len : 1;
        x->ctype = 'f';
    } else if (!cell_value(x, &val, &len)) {
        char msg[160];
        snprintf(msg, sizeof msg, "row %ld: a shared-string index that does not exist", x->row_num);
        cb_fail(x, ZF_ERR_FORMAT, msg);
        return;
    }
    if (len && !x->label_len) {
        x->label_len = zf_utf8_cut(val, len, sizeof x->label);
        memcpy(x->label, val, x->label_len);
    }
    if (len)
        x->row_has_value = true;
    int w = -1;
    if (x->header_done && x->col >= 0 && (size_t)x->col < x->n_colmap)
        w = x->colmap[x->col];
    if (x->header_done && w < 0)
        return;   /* a column nobody asked for */
    char shown[80];
    if (x->ctype == 'n' && len) {
        size_t n = zf_rd_excel_digits(val, len, shown, sizeof shown);
        if (n) {
            val = shown;
            len = n;
        }
    }
    if (!append(&x->rowbuf, &x->row_len, &x->row_cap, val, len) ||
        (!x->header_done && !keep_header_cell(x, off, len))) {
        cb_fail(x, ZF_ERR_NOMEM, "out of memory for a row");
        return;
    }
    if (w >= 0) {
        x->off[w] = off;
        x->len[w] = len;
        x->num[w] = x->ctype == 'n' && len > 0;
    }
}

/* The header's column names by sheet column: colmap[j] for column j (0 = A). */
static void set_colmap(xlsx *x, const char *const *names, const size_t *lens, size_t n, long line)
{
    x->n_colmap = n < XLSX_MAX_COLUMN ? n : XLSX_MAX_COLUMN;
    x->colmap = malloc((x->n_colmap ? x->n_colmap : 1) * sizeof *x->colmap);
    if (!x->colmap) {
        cb_fail(x, ZF_ERR_NOMEM, "out of memory for the header");
        return;
    }
    for (size_t j = 0; j < x->n_colmap; j++)
        x->colmap[j] = lens[j] ? zf_rd_match_header(x->r, names[j], lens[j]) : -1;
    x->header_done = true;
    x->r->header_line = line;
}

/* The row just ended, by column (a cell left out is empty), trimmed as a header is. */
static bool row_texts(xlsx *x, const char ***texts, size_t **lens, size_t *n)
{
    long max = -1;
    for (size_t i = 0; i < x->n_hdr; i++)
        if (x->hdr[i].col > max && x->hdr[i].col < XLSX_MAX_COLUMN)
            max = x->hdr[i].col;
    *n = (size_t)(max + 1);
    *texts = calloc(*n ? *n : 1, sizeof **texts);
    *lens = calloc(*n ? *n : 1, sizeof **lens);
    if (!*texts || !*lens) {
        free(*texts);
        free(*lens);
        return false;
    }
    for (size_t i = 0; i < x->n_hdr; i++) {
        const long j = x->hdr[i].col;
        if (j < 0 || j >= XLSX_MAX_COLUMN)
            continue;
        (*texts)[j] = x->rowbuf + x->hdr[i].off;
        (*lens)[j] = x->hdr[i].len;
        zf_rd_trim_header(&(*texts)[j], &(*lens)[j]);
    }
    return true;
}

/* The row just ended was a record after all: its cells into the wanted columns. */
static void as_record(xlsx *x)
{
    for (size_t i = 0; i < x->n_hdr; i++) {
        const long j = x->hdr[i].col;
        const int w = j >= 0 && (size_t)j < x->n_colmap ? x->colmap[j] : -1;
        if (w >= 0) {
            x->off[w] = x->hdr[i].off;
            x->len[w] = x->hdr[i].len;
            x->num[w] = x->hdr[i].num;
        }
    }
}

/* Whether the row just ended is or completes the header (zf_reader_opts.header_row,
 * zf_rd_header_feed); *record: it is the first record, the header being the row above.
 * When the first rows hold no header, the sheet is read again with its first row taken. */
static bool header_row_seen(xlsx *x, bool *record)
{
    *record = false;
    const char **texts;
    size_t *lens, n;
    if (!row_texts(x, &texts, &lens, &n)) {
        cb_fail(x, ZF_ERR_NOMEM, "out of memory for the header");
        return false;
    }
    zf_rd_header_verdict v = ZF_RD_HEADER_THIS;
    if (x->header_row == 0) {
        v = zf_rd_header_feed(x->r, &x->hs, x->row_num, texts, lens, n);
        if (v == ZF_RD_HEADER_NOT_YET && ++x->rows_tried >= ZF_RD_HEADER_SEARCH)
            v = zf_rd_header_end(&x->hs) ? ZF_RD_HEADER_PAIR : v;   /* the held row is this one */
    } else if (x->header_row > 0 && x->row_num < x->header_row) {
        v = ZF_RD_HEADER_NOT_YET;
    }
    if (v == ZF_RD_HEADER_THIS && x->header_row != 0)
        set_colmap(x, texts, lens, n, x->row_num);
    else if (v != ZF_RD_HEADER_NOT_YET && v != ZF_RD_HEADER_NOMEM)
        set_colmap(x, x->hs.header.names, x->hs.header.lens, x->hs.header.n, x->hs.line);
    free(texts);
    free(lens);
    if (v == ZF_RD_HEADER_NOMEM)
        cb_fail(x, ZF_ERR_NOMEM, "out of memory for the header");
    if (v == ZF_RD_HEADER_NOT_YET && x->rows_tried >= ZF_RD_HEADER_SEARCH) {
        x->restart = true;
        XML_StopParser(x->xp, XML_FALSE);
    }
    *record = v == ZF_RD_HEADER_PREVIOUS;
    return v != ZF_RD_HEADER_NOT_YET && v != ZF_RD_HEADER_NOMEM;
}

static void XMLCALL sheet_end(void *ud, const char *name)
{
    xlsx *x = ud;
    const char *n = local_name(name);
    if (strcmp(n, "c") == 0) {
        end_cell(x);
    } else if (strcmp(n, "row") == 0) {
        /* Rows without any value (formatting only) are not records. */
        if (!x->row_has_value)
            return;
        if (!x->header_done) {
            bool record;
            if (!header_row_seen(x, &record))
                return;   /* a title or a 填报单位 line above the header */
            if (record) {
                as_record(x);
                x->pending = true;
            }
        }
        x->row_ready = true;
        XML_StopParser(x->xp, XML_TRUE);
    } else if (strcmp(n, "v") == 0) {
        x->in_v = false;
    } else if (strcmp(n, "f") == 0) {
        x->in_f = false;
    } else if (strcmp(n, "is") == 0) {
        x->in_is = false;
    } else if (strcmp(n, "t") == 0) {
        x->in_t = false;
    } else if (strcmp(n, "rPh") == 0 && x->in_rph) {
        x->in_rph--;
    }
}

static void XMLCALL sheet_chars(void *ud, const char *s, int len)
{
    xlsx *x = ud;
    if (x->in_f) {
        if (x->ftxt_len + (size_t)len <= XLSX_MAX_CELL && !append(&x->ftxt, &x->ftxt_len, &x->ftxt_cap, s, (size_t)len))
            cb_fail(x, ZF_ERR_NOMEM, "out of memory for a formula");
        return;
    }
    if (!(x->in_v || (x->in_is && x->in_t && !x->in_rph)))
        return;
    if (x->txt_len + (size_t)len > XLSX_MAX_CELL)
        cb_fail(x, ZF_ERR_FORMAT, "a cell longer than Excel's 32767 characters: the sheet is corrupt");
    else if (!append(&x->txt, &x->txt_len, &x->txt_cap, s, (size_t)len))
        cb_fail(x, ZF_ERR_NOMEM, "out of memory for a cell");
}

/* Parse on until a data row is complete or the sheet ends. */
static zf_status pump(xlsx *x, zf_error *err)
{
    x->row_ready = false;
    while (!x->row_ready) {
        enum XML_Status xs = XML_STATUS_OK;   /* zf_xlsx_feed() sets it unless it fails */
        zf_status st = ZF_OK;
        if (x->suspended)
            xs = XML_ResumeParser(x->xp);
        else if (x->sheet_done)
            return ZF_OK;
        else
            st = zf_xlsx_feed(x, x->sheet, &xs, &x->sheet_done, err);
        if (st != ZF_OK) {
            if (err)   /* where in the sheet it broke off */
                err->line = x->row_num;
            return st;
        }
        if (xs == XML_STATUS_ERROR && x->restart)
            return ZF_OK;
        if (xs == XML_STATUS_ERROR) {
            st = zf_xlsx_entry_error(x, x->sheet, err);
            if (err)
                err->line = x->row_num;
            return st;
        }
        x->suspended = xs == XML_STATUS_SUSPENDED;
    }
    return ZF_OK;
}

static bool xlsx_label(zf_reader *r, const char **p, size_t *len)
{
    const xlsx *x = r->impl;
    *p = x->label;
    *len = x->label_len;
    return x->label_len > 0;
}

static zf_status xlsx_next(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    xlsx *x = r->impl;
    zf_status st = ZF_OK;
    if (x->pending)   /* read while the header was looked for */
        x->pending = false;
    else
        st = pump(x, err);
    *more = st == ZF_OK && x->row_ready;
    if (!*more)
        return st;
    for (size_t i = 0; i < r->n_columns; i++) {
        cells[i].ptr = x->len[i] ? x->rowbuf + x->off[i] : "";
        cells[i].len = x->len[i];
        zf_trim(&cells[i].ptr, &cells[i].len);
        cells[i].numeric = x->num[i];
    }
    *line = x->row_num;
    return ZF_OK;
}

static zf_status open_sheet(xlsx *x, zf_error *err)
{
    zf_status st = zf_xlsx_open_entry(x, x->sheet, err);
    if (st == ZF_ERR_NOT_FOUND && strcmp(x->sheet, SHEET1) != 0) {
        snprintf(x->sheet, sizeof x->sheet, "%s", SHEET1);
        st = zf_xlsx_open_entry(x, x->sheet, err);
    }
    if (st == ZF_ERR_NOT_FOUND)
        return zf_error_set(err, ZF_ERR_FORMAT, x->r->path, 0, 0,
                            "no worksheet found (expected %s): not a usable XLSX workbook", x->sheet);
    if (st != ZF_OK)
        return st;
    return zf_xlsx_new_parser(x, sheet_start, sheet_end, sheet_chars, err);
}

static zf_status xlsx_setup(zf_reader *r, xlsx *x, zf_error *err)
{
    /* minizip opens by name: the file is checked first, so that a FIFO does not hang it */
    int fd;
    zf_status st = zf_open_regular(r->path, &fd, err);
    if (st != ZF_OK)
        return st;
    close(fd);
    x->zip = unzOpen64(r->path);
    if (!x->zip)
        return zf_error_set(err, ZF_ERR_FORMAT, r->path, 0, 0,
                            "not a readable XLSX file: its ZIP directory is missing, so the file "
                            "is truncated, corrupt or not an XLSX workbook");
    size_t n = r->n_columns ? r->n_columns : 1;
    x->off = calloc(n, sizeof *x->off);
    x->len = calloc(n, sizeof *x->len);
    x->num = calloc(n, sizeof *x->num);
    if (!x->off || !x->len || !x->num)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory");
    st = zf_xlsx_find_sheet(x, err);
    if (st == ZF_OK)
        st = zf_xlsx_load_shared_strings(x, err);
    if (st == ZF_OK)
        st = open_sheet(x, err);
    return st;
}

/* The sheet once more from its start, its first row the header: the search found none. */
static zf_status restart_sheet(xlsx *x, zf_error *err)
{
    if (x->sheet_open) {
        unzCloseCurrentFile(x->zip);   /* read only in part: its CRC cannot be checked */
        x->sheet_open = false;
    }
    x->restart = x->sheet_done = x->suspended = false;
    x->header_row = -1;
    zf_rd_header_search_free(&x->hs);
    x->row_num = 0;
    x->n_hdr = 0;
    x->in_c = x->in_v = x->in_is = x->in_t = false;
    x->in_rph = 0;
    return open_sheet(x, err);
}

zf_status zf_rd_xlsx_open(zf_reader *r, long header_row, zf_error *err)
{
    static const zf_rd_ops ops = { xlsx_next, xlsx_bytes, xlsx_free, NULL, xlsx_label };
    xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory");
    x->r = r;
    x->header_row = header_row;
    r->impl = x;
    r->ops = &ops;
    zf_status st = xlsx_setup(r, x, err);
    /* The header row suspends the parser like any row: next() goes on from there. */
    while (st == ZF_OK && !x->header_done && !x->sheet_done) {
        st = pump(x, err);
        if (st == ZF_OK && !x->header_done && x->sheet_done && x->header_row == 0) {
            if (zf_rd_header_end(&x->hs))   /* a header and no record under it */
                set_colmap(x, x->hs.header.names, x->hs.header.lens, x->hs.header.n, x->hs.line);
            else if (x->rows_tried)         /* the rows ran out before a header */
                x->restart = true;
        }
        if (st == ZF_OK && x->restart)
            st = restart_sheet(x, err);
    }
    return st;
}
