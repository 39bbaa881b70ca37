/* xlsx_internal.h — what the two halves of the XLSX reader share: the reader's state,
 * its bounds and the expat helpers.  xlsx_parts.c reads the workbook's small parts whole
 * (which sheet is first, the shared strings); xlsx.c streams the sheet itself. */
#ifndef ZF_XLSX_INTERNAL_H
#define ZF_XLSX_INTERNAL_H

#include "reader_internal.h"

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

static inline const char *local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static inline const char *attr(const char **atts, const char *name)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(local_name(atts[i]), name) == 0)
            return atts[i + 1];
    return NULL;
}

/* Stop the parser for good; pump() reports cb_status. */
static inline void cb_fail(xlsx *x, zf_status st, const char *msg)
{
    if (x->cb_status == ZF_OK) {
        x->cb_status = st;
        snprintf(x->cb_msg, sizeof x->cb_msg, "%s", msg);
    }
    XML_StopParser(x->xp, XML_FALSE);
}

static inline bool append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
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

/* Parts read whole through expat, and the sheet opened for streaming. */
ZF_MUST_CHECK zf_status zf_xlsx_entry_error(xlsx *x, const char *entry, zf_error *err);
ZF_MUST_CHECK zf_status zf_xlsx_new_parser(xlsx *x, XML_StartElementHandler start, XML_EndElementHandler end,
                                           XML_CharacterDataHandler chars, zf_error *err);
ZF_MUST_CHECK zf_status zf_xlsx_open_entry(xlsx *x, const char *entry, zf_error *err);
ZF_MUST_CHECK zf_status zf_xlsx_feed(xlsx *x, const char *entry, enum XML_Status *xs, bool *done, zf_error *err);
ZF_MUST_CHECK zf_status zf_xlsx_find_sheet(xlsx *x, zf_error *err);
ZF_MUST_CHECK zf_status zf_xlsx_load_shared_strings(xlsx *x, zf_error *err);

#endif
