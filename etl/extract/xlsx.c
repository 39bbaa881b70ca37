/* xlsx.c — the first worksheet of an XLSX workbook, streamed.
 *
 * The sheet XML is inflated by minizip chunk by chunk straight into expat's buffer.  At
 * the end of each <row> the parser is suspended, so one row at a time is held; shared
 * strings (one copy per distinct string) are kept in memory. */
#include "zf_fs.h"
#include "reader_internal.h"

#include <errno.h>
#include <expat.h>
#include <minizip/unzip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { XLSX_CHUNK = 64 * 1024, XLSX_MAX_COLUMN = 16384 };

/* Bounds, so that a zip bomb or a runaway cell is a clear error in a second and a few MB
 * instead of hours and gigabytes.  Excel itself cannot make a sheet beyond the first two;
 * the others are far above any departmental export (real sheets inflate 5–20 times). */
#define XLSX_MAX_ROWS 1048576L                 /* Excel's last row */
#define XLSX_MAX_CELL (32767 * 4)              /* Excel's 32,767 characters, in UTF-8 bytes */
#define XLSX_MAX_ENTRY (4ull << 30)            /* one inflated part (the sheet, the strings) */
#define XLSX_BOMB_FLOOR (64ull << 20)          /* below this, any ratio is harmless */
#define XLSX_BOMB_RATIO 100                    /* inflated / compressed beyond the floor */
#define XLSX_MAX_STRINGS (1ull << 30)          /* the shared-string table, held whole */

#define SHEET1 "xl/worksheets/sheet1.xml"

typedef struct hdr_cell {
    long col;
    size_t off, len;
    bool num;
} hdr_cell;

typedef struct xlsx {
    zf_reader *r;
    unzFile zip;
    XML_Parser xp;
    char sheet[1040];         /* entry name of the worksheet, for messages */
    bool sheet_open, sheet_done, suspended;
    uint64_t bytes;
    uint64_t inflated, zpos0;   /* of the current entry: bytes out, and where its data starts */
    /* shared strings: string i is ss[ss_off[i] .. ss_off[i+1]) */
    char *ss;
    size_t ss_len, ss_cap;
    size_t *ss_off;
    size_t n_ss, ss_off_cap;
    /* workbook.xml and its relationships */
    char rid[256];
    char target[1024];
    /* where the parser is */
    bool in_si, in_c, in_v, in_is, in_t;
    bool in_f, has_f, has_v;  /* the cell has a formula; a value was saved with it */
    char *ftxt;               /* the formula's text */
    size_t ftxt_len, ftxt_cap;
    int in_rph;
    char ctype;
    long row_num, col, last_col;
    char *txt;
    size_t txt_len, txt_cap;
    /* the current row */
    char *rowbuf;
    size_t row_len, row_cap;
    size_t *off, *len;        /* per wanted column, into rowbuf */
    bool *num;
    hdr_cell *hdr;
    size_t n_hdr, hdr_cap;
    bool row_has_value, header_done, row_ready;
    long header_row;          /* the source's fixed header row, 0: found, -1: the first row */
    int rows_tried;           /* rows with values looked at for the header */
    zf_rd_header_search hs;
    bool pending;             /* the row that showed the header above it was the first record */
    bool restart;             /* no header among them: read again, taking the first row */
    char label[128];          /* the row's first non-empty cell, any column (its label) */
    size_t label_len;
    int *colmap;              /* sheet column → wanted index or -1 */
    size_t n_colmap;
    zf_status cb_status;      /* a handler's failure, reported after expat returns */
    char cb_msg[300];
} xlsx;

static const char *local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local_name(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/* Stop the parser for good; pump() reports cb_status. */
static void cb_fail(xlsx *x, zf_status st, const char *msg)
{
    if (x->cb_status == ZF_OK) {
        x->cb_status = st;
        snprintf(x->cb_msg, sizeof x->cb_msg, "%s", msg);
    }
    XML_StopParser(x->xp, XML_FALSE);
}

static bool append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = *cap ? *cap : 256;
        while (*len + n + 1 > nc)
            nc *= 2;
        char *nb = realloc(*buf, nc);
        if (!nb)
            return false;
        *buf = nb;
        *cap = nc;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    return true;
}

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

/* ---- reading a whole entry through expat (workbook, relationships, strings) ---- */

static zf_status entry_error(xlsx *x, const char *entry, zf_error *err)
{
    if (x->cb_status != ZF_OK)
        return zf_error_set(err, x->cb_status, x->r->path, 0, 0, "%s: %s", entry, x->cb_msg);
    return zf_error_set(err, ZF_ERR_FORMAT, x->r->path, 0, 0,
                        "%s (XML line %lu, column %lu): %s: the XLSX file is corrupt", entry,
                        (unsigned long)XML_GetCurrentLineNumber(x->xp),
                        (unsigned long)XML_GetCurrentColumnNumber(x->xp) + 1,
                        XML_ErrorString(XML_GetErrorCode(x->xp)));
}

static zf_status new_parser(xlsx *x, XML_StartElementHandler start, XML_EndElementHandler end,
                            XML_CharacterDataHandler chars, zf_error *err)
{
    if (x->xp)
        XML_ParserFree(x->xp);
    x->xp = XML_ParserCreate("UTF-8");
    if (!x->xp)
        return zf_error_set(err, ZF_ERR_NOMEM, x->r->path, 0, 0, "out of memory");
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, start, end);
    XML_SetCharacterDataHandler(x->xp, chars);
    return ZF_OK;
}

static bool bomb(uint64_t inflated, uint64_t compressed)
{
    return inflated > XLSX_MAX_ENTRY || (inflated > XLSX_BOMB_FLOOR && inflated / compressed > XLSX_BOMB_RATIO);
}

static zf_status bomb_error(xlsx *x, const char *entry, uint64_t small, uint64_t big, const char *how,
                            zf_error *err)
{
    return zf_error_set(err, ZF_ERR_FORMAT, x->r->path, 0, 0,
                        "%s %s from %llu to %llu bytes (%llu times): not a workbook a department "
                        "exports (a zip bomb?); not read further",
                        entry, how, (unsigned long long)small, (unsigned long long)big,
                        (unsigned long long)(big / (small ? small : 1)));
}

/* Make entry the current file; ZF_ERR_NOT_FOUND (without err) when absent. */
static zf_status open_entry(xlsx *x, const char *entry, zf_error *err)
{
    if (unzLocateFile(x->zip, entry, 2) != UNZ_OK)
        return ZF_ERR_NOT_FOUND;
    /* minizip inflates no more than the directory's uncompressed size: checking it bounds
     * what any part of the file can cost */
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(x->zip, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
        return zf_error_set(err, ZF_ERR_FORMAT, x->r->path, 0, 0,
                            "%s cannot be opened: the XLSX file is corrupt", entry);
    /* sizes of 0xFFFFFFFF are zip64 ones minizip may not decode: feed() counts anyway */
    uint64_t big = info.uncompressed_size, small = info.compressed_size ? info.compressed_size : 1;
    if (big != UINT32_MAX && info.compressed_size != UINT32_MAX && bomb(big, small))
        return bomb_error(x, entry, small, big, "would inflate", err);
    if (unzOpenCurrentFile(x->zip) != UNZ_OK)
        return zf_error_set(err, ZF_ERR_FORMAT, x->r->path, 0, 0,
                            "%s cannot be opened: the XLSX file is corrupt", entry);
    x->sheet_open = true;
    x->inflated = 0;
    x->zpos0 = unzGetCurrentFileZStreamPos64(x->zip);
    return ZF_OK;
}

static zf_status close_entry(xlsx *x, const char *entry, zf_error *err)
{
    x->sheet_open = false;
    if (unzCloseCurrentFile(x->zip) != UNZ_OK)
        return zf_error_set(err, ZF_ERR_FORMAT, x->r->path, 0, 0,
                            "%s fails its CRC check: the XLSX file is corrupt", entry);
    return ZF_OK;
}

/* Feed one chunk of the current entry to the parser; *done at its end. */
static zf_status feed(xlsx *x, const char *entry, enum XML_Status *xs, bool *done, zf_error *err)
{
    void *b = XML_GetBuffer(x->xp, XLSX_CHUNK);
    if (!b)
        return zf_error_set(err, ZF_ERR_NOMEM, x->r->path, 0, 0, "out of memory");
    int n = unzReadCurrentFile(x->zip, b, XLSX_CHUNK);
    if (n < 0)
        return zf_error_set(err, ZF_ERR_FORMAT, x->r->path, 0, 0,
                            "%s cannot be inflated (zip error %d): the XLSX file is truncated "
                            "or corrupt", entry, n);
    x->bytes = unzGetCurrentFileZStreamPos64(x->zip);
    x->inflated += (uint64_t)n;
    uint64_t packed = x->bytes > x->zpos0 ? x->bytes - x->zpos0 : 1;
    if (bomb(x->inflated, packed))
        return bomb_error(x, entry, packed, x->inflated, "inflates", err);
    *done = n == 0;
    *xs = XML_ParseBuffer(x->xp, n, n == 0);
    if (*done && *xs != XML_STATUS_ERROR)
        return close_entry(x, entry, err);
    return ZF_OK;
}

static zf_status parse_entry(xlsx *x, const char *entry, zf_error *err)
{
    zf_status st = open_entry(x, entry, err);
    bool done = false;
    while (st == ZF_OK && !done) {
        enum XML_Status xs = XML_STATUS_OK;
        st = feed(x, entry, &xs, &done, err);
        if (st == ZF_OK && xs == XML_STATUS_ERROR)
            st = entry_error(x, entry, err);
    }
    return st;
}

/* ---- which sheet is first --------------------------------------------------- */

static void XMLCALL wb_start(void *ud, const char *name, const char **atts)
{
    xlsx *x = ud;
    const char *id, *n = local_name(name);
    if (!x->rid[0] && strcmp(n, "sheet") == 0 && (id = attr(atts, "id")))
        snprintf(x->rid, sizeof x->rid, "%s", id);
    else if (strcmp(n, "workbookPr") == 0 && (id = attr(atts, "date1904")))
        x->r->date1904 = strcmp(id, "1") == 0 || strcmp(id, "true") == 0;
}

static void XMLCALL rels_start(void *ud, const char *name, const char **atts)
{
    xlsx *x = ud;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
    if (!x->target[0] && strcmp(local_name(name), "Relationship") == 0 && id && target &&
        strcmp(id, x->rid) == 0)
        snprintf(x->target, sizeof x->target, "%s", target);
}

static void XMLCALL no_end(void *ud, const char *name)
{
    (void)ud;
    (void)name;
}

static void XMLCALL no_chars(void *ud, const char *s, int len)
{
    (void)ud;
    (void)s;
    (void)len;
}

/* Entry name of the first worksheet; SHEET1 when the workbook does not say. */
static zf_status find_sheet(xlsx *x, zf_error *err)
{
    zf_status st = new_parser(x, wb_start, no_end, no_chars, err);
    if (st == ZF_OK)
        st = parse_entry(x, "xl/workbook.xml", err);
    if (st == ZF_OK && x->rid[0] && (st = new_parser(x, rels_start, no_end, no_chars, err)) == ZF_OK)
        st = parse_entry(x, "xl/_rels/workbook.xml.rels", err);
    if (st == ZF_ERR_NOT_FOUND)
        st = ZF_OK;
    if (st != ZF_OK)
        return st;
    if (!x->target[0])
        snprintf(x->sheet, sizeof x->sheet, "%s", SHEET1);
    else if (x->target[0] == '/')
        snprintf(x->sheet, sizeof x->sheet, "%s", x->target + 1);
    else
        snprintf(x->sheet, sizeof x->sheet, "xl/%s", x->target);
    return ZF_OK;
}

/* ---- shared strings ------------------------------------------------------- */

static bool ss_push_offset(xlsx *x)
{
    if (x->n_ss + 1 >= x->ss_off_cap) {
        size_t nc = x->ss_off_cap ? x->ss_off_cap * 2 : 1024;
        size_t *no = realloc(x->ss_off, nc * sizeof *no);
        if (!no)
            return false;
        x->ss_off = no;
        x->ss_off_cap = nc;
    }
    x->ss_off[x->n_ss] = x->ss_len;
    return true;
}

static void XMLCALL ss_start(void *ud, const char *name, const char **atts)
{
    xlsx *x = ud;
    const char *n = local_name(name);
    (void)atts;
    if (strcmp(n, "si") == 0) {
        x->in_si = true;
        if (!ss_push_offset(x))
            cb_fail(x, ZF_ERR_NOMEM, "out of memory for shared strings");
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph++;    /* phonetic guide text is not part of the value */
    } else if (strcmp(n, "t") == 0) {
        x->in_t = true;
    }
}

static void XMLCALL ss_end(void *ud, const char *name)
{
    xlsx *x = ud;
    const char *n = local_name(name);
    if (strcmp(n, "si") == 0) {
        x->in_si = false;
        x->n_ss++;
        if (!ss_push_offset(x))
            cb_fail(x, ZF_ERR_NOMEM, "out of memory for shared strings");
    } else if (strcmp(n, "rPh") == 0) {
        x->in_rph--;
    } else if (strcmp(n, "t") == 0) {
        x->in_t = false;
    }
}

static void XMLCALL ss_chars(void *ud, const char *s, int len)
{
    xlsx *x = ud;
    if (!x->in_si || !x->in_t || x->in_rph)
        return;
    if (x->ss_len - x->ss_off[x->n_ss] + (size_t)len > XLSX_MAX_CELL)
        cb_fail(x, ZF_ERR_FORMAT, "a shared string longer than Excel's 32767 characters: the file is corrupt");
    else if (x->ss_len + (size_t)len > XLSX_MAX_STRINGS)
        cb_fail(x, ZF_ERR_FORMAT, "shared strings of more than 1 GiB: not a workbook a department exports");
    else if (!append(&x->ss, &x->ss_len, &x->ss_cap, s, (size_t)len))
        cb_fail(x, ZF_ERR_NOMEM, "out of memory for shared strings");
}

static zf_status load_shared_strings(xlsx *x, zf_error *err)
{
    zf_status st = new_parser(x, ss_start, ss_end, ss_chars, err);
    if (st == ZF_OK)
        st = parse_entry(x, "xl/sharedStrings.xml", err);
    x->in_t = false;
    x->in_rph = 0;
    return st == ZF_ERR_NOT_FOUND ? ZF_OK : st;
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
        enum XML_Status xs = XML_STATUS_OK;   /* feed() sets it unless it fails */
        zf_status st = ZF_OK;
        if (x->suspended)
            xs = XML_ResumeParser(x->xp);
        else if (x->sheet_done)
            return ZF_OK;
        else
            st = feed(x, x->sheet, &xs, &x->sheet_done, err);
        if (st != ZF_OK) {
            if (err)   /* where in the sheet it broke off */
                err->line = x->row_num;
            return st;
        }
        if (xs == XML_STATUS_ERROR && x->restart)
            return ZF_OK;
        if (xs == XML_STATUS_ERROR) {
            st = entry_error(x, x->sheet, err);
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
    zf_status st = open_entry(x, x->sheet, err);
    if (st == ZF_ERR_NOT_FOUND && strcmp(x->sheet, SHEET1) != 0) {
        snprintf(x->sheet, sizeof x->sheet, "%s", SHEET1);
        st = open_entry(x, x->sheet, err);
    }
    if (st == ZF_ERR_NOT_FOUND)
        return zf_error_set(err, ZF_ERR_FORMAT, x->r->path, 0, 0,
                            "no worksheet found (expected %s): not a usable XLSX workbook", x->sheet);
    if (st != ZF_OK)
        return st;
    return new_parser(x, sheet_start, sheet_end, sheet_chars, err);
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
    st = find_sheet(x, err);
    if (st == ZF_OK)
        st = load_shared_strings(x, err);
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
