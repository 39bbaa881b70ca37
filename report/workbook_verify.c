/* workbook_verify.c — the check that a workbook just written reads back whole.
 *
 * libxlsxwriter writes each part to a temporary file, then zips it, and never looks at the
 * result of those writes: one lost to a failing disk leaves a hole in a part, and
 * workbook_close succeeds all the same (found by test-fault).  A hole most often breaks the
 * XML, but not always — one spliced between two strings of the shared-string table parsed
 * fine — so beyond well-formedness the parts are checked against each other: the rows of a
 * sheet ascend and each cell lies in its row, in ascending columns; the rules of each
 * conditional format have consecutive priorities, as zhongfu adds a range's rules in one
 * loop (splices inside formulas, where '>' is text, were found so); the merged cells are as
 * many as said; the shared-string table
 * holds as many strings as it says, and the sheets use no more than it counts (fewer is
 * allowed: libxlsxwriter counts a cell written twice twice).  The errno is lost inside the
 * library; the message says where the damage is. */
#include <expat.h>
#include <minizip/unzip.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workbook_internal.h"

typedef struct verify_ctx {
    bool sheet, sst, bad;
    int depth;
    long row, col;                  /* the current row and the last column in it */
    long priority;                  /* of the last rule of the current conditional format */
    long merges, merges_said;       /* <mergeCell> seen; the count <mergeCells> gives (-1: none) */
    long strings;                   /* t="s" cells in all sheets */
    long si, sst_count, sst_unique; /* <si> in the table; its count and uniqueCount (-1: none) */
} verify_ctx;

static const char *attr(const XML_Char **a, const char *name)
{
    for (; a[0]; a += 2)
        if (!strcmp(a[0], name))
            return a[1];
    return NULL;
}

static long number(const char *s)
{
    char *end;
    long v = s && *s ? strtol(s, &end, 10) : -1;
    return s && *s && !*end ? v : -1;
}

static void XMLCALL start(void *data, const XML_Char *name, const XML_Char **a)
{
    verify_ctx *v = data;
    v->depth++;
    if (v->sheet && !strcmp(name, "row")) {
        long r = number(attr(a, "r"));
        if (r <= v->row)
            v->bad = true;
        v->row = r;
        v->col = 0;
    } else if (v->sheet && !strcmp(name, "c")) {
        const char *ref = attr(a, "r"), *t = attr(a, "t");
        long col = 0;
        for (; ref && *ref >= 'A' && *ref <= 'Z'; ref++)
            col = col * 26 + (*ref - 'A' + 1);
        if (!ref || col <= v->col || number(ref) != v->row)
            v->bad = true;
        v->col = col;
        if (t && !strcmp(t, "s"))
            v->strings++;
    } else if (v->sheet && !strcmp(name, "conditionalFormatting")) {
        v->priority = 0;
    } else if (v->sheet && !strcmp(name, "cfRule")) {
        long p = number(attr(a, "priority"));
        if (p <= 0 || (v->priority && p != v->priority + 1))
            v->bad = true;
        v->priority = p;
    } else if (v->sheet && !strcmp(name, "mergeCells")) {
        v->merges_said = number(attr(a, "count"));
    } else if (v->sheet && !strcmp(name, "mergeCell")) {
        v->merges++;
    } else if (v->sst && v->depth == 1 && !strcmp(name, "sst")) {
        v->sst_count = number(attr(a, "count"));
        v->sst_unique = number(attr(a, "uniqueCount"));
    } else if (v->sst && v->depth == 2 && !strcmp(name, "si")) {
        v->si++;
    }
}

static void XMLCALL end(void *data, const XML_Char *name)
{
    (void)name;
    ((verify_ctx *)data)->depth--;
}

static bool prefix(const char *s, const char *p)
{
    return !strncmp(s, p, strlen(p));
}

zf_status wb_verify(const char *path, zf_error *err)
{
    unzFile z = unzOpen64(path);
    if (!z)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write workbook: it does not read back as a zip");
    zf_status st = ZF_OK;
    verify_ctx v = {.sst_count = -1, .sst_unique = -1};
    char name[512], buf[1 << 14];
    for (int r = unzGoToFirstFile(z); st == ZF_OK && r == UNZ_OK; r = unzGoToNextFile(z)) {
        unz_file_info64 info;
        if (unzGetCurrentFileInfo64(z, &info, name, sizeof name, NULL, 0, NULL, 0) != UNZ_OK) {
            st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write workbook: its zip directory is damaged");
            break;
        }
        size_t len = strlen(name);
        if (!((len > 4 && !strcmp(name + len - 4, ".xml")) || (len > 5 && !strcmp(name + len - 5, ".rels"))))
            continue;
        XML_Parser xp = XML_ParserCreate("UTF-8");
        if (!xp || unzOpenCurrentFile(z) != UNZ_OK) {
            if (xp)
                XML_ParserFree(xp);
            st = zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write workbook: %s does not read back", name);
            break;
        }
        v.sheet = prefix(name, "xl/worksheets/sheet");
        v.sst = !strcmp(name, "xl/sharedStrings.xml");
        v.bad = false;
        v.depth = 0;
        v.row = 0;
        v.merges = 0;
        v.merges_said = -1;
        XML_SetUserData(xp, &v);
        XML_SetElementHandler(xp, start, end);
        int n;
        bool ok = true;
        while (ok && (n = unzReadCurrentFile(z, buf, sizeof buf)) > 0)
            ok = XML_Parse(xp, buf, n, 0) == XML_STATUS_OK;
        ok = ok && n == 0 && XML_Parse(xp, buf, 0, 1) == XML_STATUS_OK;
        if (unzCloseCurrentFile(z) != UNZ_OK)
            ok = false;
        if (!ok)
            st = zf_error_set(err, ZF_ERR_IO, path, 0, 0,
                              "cannot write workbook: %s does not read back (%s at line %lu): a write to the "
                              "workbook's temporary files failed",
                              name, XML_ErrorString(XML_GetErrorCode(xp)),
                              (unsigned long)XML_GetCurrentLineNumber(xp));
        else if (v.bad || (v.merges_said >= 0 && v.merges != v.merges_said))
            st = zf_error_set(err, ZF_ERR_IO, path, 0, 0,
                              "cannot write workbook: %s does not read back (rows, cells or rules out of "
                              "order, or merged cells missing): a write to the workbook's temporary files failed",
                              name);
        XML_ParserFree(xp);
    }
    unzClose(z);
    if (st == ZF_OK && v.sst_unique >= 0 && (v.si != v.sst_unique || v.strings > v.sst_count))
        st = zf_error_set(err, ZF_ERR_IO, path, 0, 0,
                          "cannot write workbook: xl/sharedStrings.xml does not read back (%ld strings of %ld, "
                          "%ld uses of %ld): a write to the workbook's temporary files failed",
                          v.si, v.sst_unique, v.strings, v.sst_count);
    return st;
}
