/* xlsx_parts.c — the parts of an XLSX workbook that are read whole before its sheet:
 * workbook.xml and its relationships (which worksheet is the first one) and the shared
 * strings (kept one copy per distinct string).  Every part is inflated through the same
 * bounded feed, so a zip bomb is refused here as in the sheet. */
#include "xlsx_internal.h"

/* ---- reading a whole entry through expat (workbook, relationships, strings) ---- */

zf_status zf_xlsx_entry_error(xlsx *x, const char *entry, zf_error *err)
{
    if (x->cb_status != ZF_OK)
        return zf_error_set(err, x->cb_status, x->r->path, 0, 0, "%s: %s", entry, x->cb_msg);
    return zf_error_set(err, ZF_ERR_FORMAT, x->r->path, 0, 0,
                        "%s (XML line %lu, column %lu): %s: the XLSX file is corrupt", entry,
                        (unsigned long)XML_GetCurrentLineNumber(x->xp),
                        (unsigned long)XML_GetCurrentColumnNumber(x->xp) + 1,
                        XML_ErrorString(XML_GetErrorCode(x->xp)));
}

zf_status zf_xlsx_new_parser(xlsx *x, XML_StartElementHandler start, XML_EndElementHandler end,
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
zf_status zf_xlsx_open_entry(xlsx *x, const char *entry, zf_error *err)
{
    if (unzLocateFile(x->zip, entry, 2) != UNZ_OK)
        return ZF_ERR_NOT_FOUND;
    /* minizip inflates no more than the directory's uncompressed size: checking it bounds
     * what any part of the file can cost */
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(x->zip, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK)
        return zf_error_set(err, ZF_ERR_FORMAT, x->r->path, 0, 0,
                            "%s cannot be opened: the XLSX file is corrupt", entry);
    /* sizes of 0xFFFFFFFF are zip64 ones minizip may not decode: zf_xlsx_feed() counts anyway */
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
zf_status zf_xlsx_feed(xlsx *x, const char *entry, enum XML_Status *xs, bool *done, zf_error *err)
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
    zf_status st = zf_xlsx_open_entry(x, entry, err);
    bool done = false;
    while (st == ZF_OK && !done) {
        enum XML_Status xs = XML_STATUS_OK;
        st = zf_xlsx_feed(x, entry, &xs, &done, err);
        if (st == ZF_OK && xs == XML_STATUS_ERROR)
            st = zf_xlsx_entry_error(x, entry, err);
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
zf_status zf_xlsx_find_sheet(xlsx *x, zf_error *err)
{
    zf_status st = zf_xlsx_new_parser(x, wb_start, no_end, no_chars, err);
    if (st == ZF_OK)
        st = parse_entry(x, "xl/workbook.xml", err);
    if (st == ZF_OK && x->rid[0] && (st = zf_xlsx_new_parser(x, rels_start, no_end, no_chars, err)) == ZF_OK)
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

zf_status zf_xlsx_load_shared_strings(xlsx *x, zf_error *err)
{
    zf_status st = zf_xlsx_new_parser(x, ss_start, ss_end, ss_chars, err);
    if (st == ZF_OK)
        st = parse_entry(x, "xl/sharedStrings.xml", err);
    x->in_t = false;
    x->in_rph = 0;
    return st == ZF_ERR_NOT_FOUND ? ZF_OK : st;
}
