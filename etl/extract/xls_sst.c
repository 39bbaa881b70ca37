/* xls_sst.c — the text of an .xls workbook: BIFF8 unicode strings, the shared-string table
 * (SST) they fill, and BIFF5's code-page strings, all turned into UTF-8.
 *
 * A BIFF8 string is a character count, a flags byte (bit 0: 16-bit characters, else 8-bit
 * ones with the high byte left out; bit 3: rich-text runs follow; bit 2: phonetic data
 * follows), then the characters.  When a record is full the string goes on in a CONTINUE
 * record, and if characters are left that record starts with a flags byte of its own: the
 * rest of the string may switch between 8- and 16-bit.  The runs and phonetic data that
 * follow the characters are skipped, wherever they fall.  Every byte is taken through a
 * cursor that knows the end of its record, so a count that lies can only make a string
 * "cut short", never a read past the stream.  The text is always valid UTF-8: a surrogate
 * without its pair becomes U+FFFD, and NUL characters are dropped (FreeXL's C strings
 * ended at them). */
#include "xls_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static unsigned u16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)u16(p) | (uint32_t)u16(p + 2) << 16;
}

/* Room for n more bytes in t, within the workbook's text bound. */
static zf_xls_str reserve(zf_xls_text *t, size_t n)
{
    if (t->len + n <= t->cap)
        return ZF_XLS_STR_OK;
    if (t->len + n > ZF_XLS_MAX_TEXT)
        return ZF_XLS_STR_FULL;
    size_t nc = t->cap ? t->cap : 1024;
    while (nc < t->len + n)
        nc *= 2;
    char *np = realloc(t->p, nc);
    if (!np)
        return ZF_XLS_STR_NOMEM;
    t->p = np;
    t->cap = nc;
    return ZF_XLS_STR_OK;
}

zf_xls_str zf_rd_xls_put(zf_xls_text *t, const char *s, size_t n)
{
    zf_xls_str st = reserve(t, n);
    if (st == ZF_XLS_STR_OK && n) {
        memcpy(t->p + t->len, s, n);
        t->len += n;
    }
    return st;
}

static zf_xls_str put_utf8(zf_xls_text *t, uint32_t c)
{
    zf_xls_str st = reserve(t, 4);
    if (st != ZF_XLS_STR_OK)
        return st;
    char *b = t->p + t->len;
    if (c < 0x80) {
        b[0] = (char)c;
        t->len += 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | c >> 6);
        b[1] = (char)(0x80 | (c & 0x3F));
        t->len += 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xE0 | c >> 12);
        b[1] = (char)(0x80 | (c >> 6 & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F));
        t->len += 3;
    } else {
        b[0] = (char)(0xF0 | c >> 18);
        b[1] = (char)(0x80 | (c >> 12 & 0x3F));
        b[2] = (char)(0x80 | (c >> 6 & 0x3F));
        b[3] = (char)(0x80 | (c & 0x3F));
        t->len += 4;
    }
    return ZF_XLS_STR_OK;
}

/* The CONTINUE record right after the cursor's record, or false (the stream left as it was). */
static bool next_continue(zf_xls_cur *c)
{
    size_t at = c->s->pos;
    zf_xls_rec r;
    if (zf_rd_xls_next(c->s, &r) != ZF_XLS_RECORD || r.type != ZF_BIFF_CONTINUE) {
        c->s->pos = at;
        return false;
    }
    c->r = r;
    c->pos = 0;
    return true;
}

/* n bytes that are not characters (counts, flags, runs), into out unless it is NULL: they
 * go on into CONTINUE records without a flags byte. */
static bool cur_bytes(zf_xls_cur *c, size_t n, unsigned char *out)
{
    while (n) {
        if (c->pos == c->r.len && !next_continue(c))
            return false;
        size_t k = c->r.len - c->pos < n ? c->r.len - c->pos : n;
        if (out) {
            memcpy(out, c->r.data + c->pos, k);
            out += k;
        }
        c->pos += k;
        n -= k;
    }
    return true;
}

/* One UTF-16 unit: a high surrogate waits in *hi for the low one after it. */
static zf_xls_str put_unit(zf_xls_text *t, uint32_t u, uint32_t *hi)
{
    zf_xls_str st = ZF_XLS_STR_OK;
    if (u >= 0xDC00 && u <= 0xDFFF && *hi) {
        u = 0x10000 + ((*hi - 0xD800) << 10) + (u - 0xDC00);
        *hi = 0;
        return put_utf8(t, u);
    }
    if (*hi) {
        st = put_utf8(t, 0xFFFD);
        *hi = 0;
    }
    if (st != ZF_XLS_STR_OK)
        return st;
    if (u >= 0xD800 && u <= 0xDBFF) {
        *hi = u;
        return ZF_XLS_STR_OK;
    }
    if (u >= 0xDC00 && u <= 0xDFFF)
        u = 0xFFFD;
    return u ? put_utf8(t, u) : ZF_XLS_STR_OK;
}

zf_xls_str zf_rd_xls_ustr(zf_xls_cur *c, zf_xls_text *t, size_t *len)
{
    unsigned char h[4];
    *len = 0;
    if (!cur_bytes(c, 3, h))
        return ZF_XLS_STR_SHORT;
    size_t left = u16(h), runs = 0;
    unsigned flags = h[2];
    uint32_t ext = 0;
    if ((flags & 0x08) && !cur_bytes(c, 2, h))
        return ZF_XLS_STR_SHORT;
    if (flags & 0x08)
        runs = u16(h);
    if ((flags & 0x04) && !cur_bytes(c, 4, h))
        return ZF_XLS_STR_SHORT;
    if (flags & 0x04)
        ext = u32(h);
    if (left > ZF_XLS_MAX_CHARS)
        return ZF_XLS_STR_LONG;
    size_t start = t->len;
    uint32_t hi = 0;
    zf_xls_str st = ZF_XLS_STR_OK;
    while (left && st == ZF_XLS_STR_OK) {
        if (c->pos == c->r.len) {
            if (!next_continue(c) || c->r.len == 0)
                return ZF_XLS_STR_SHORT;
            flags = c->r.data[0];
            c->pos = 1;
            continue;
        }
        if (flags & 0x01) {
            if (c->r.len - c->pos < 2)
                return ZF_XLS_STR_SHORT;   /* a character split between records */
            st = put_unit(t, u16(c->r.data + c->pos), &hi);
            c->pos += 2;
        } else {
            st = put_unit(t, c->r.data[c->pos], &hi);
            c->pos += 1;
        }
        left--;
    }
    if (st == ZF_XLS_STR_OK && hi)
        st = put_utf8(t, 0xFFFD);
    if (st != ZF_XLS_STR_OK)
        return st;
    if (!cur_bytes(c, runs * 4, NULL) || !cur_bytes(c, ext, NULL))
        return ZF_XLS_STR_SHORT;
    *len = t->len - start;
    return ZF_XLS_STR_OK;
}

zf_xls_str zf_rd_xls_ansi(iconv_t cv, const unsigned char *s, size_t n, zf_xls_text *t, size_t *len)
{
    *len = 0;
    if (n > ZF_XLS_MAX_CHARS)
        return ZF_XLS_STR_LONG;
    /* at most 4 UTF-8 bytes for each byte in (GB18030's four-byte forms give four) */
    size_t room = 4 * n + 4;
    zf_xls_str st = reserve(t, room);
    if (st != ZF_XLS_STR_OK)
        return st;
    char *in = (char *)s, *out = t->p + t->len, *start = out;
    size_t in_left = n, out_left = room;
    iconv(cv, NULL, NULL, NULL, NULL);
    while (in_left) {
        if (iconv(cv, &in, &in_left, &out, &out_left) != (size_t)-1)
            break;
        if (errno == E2BIG || out_left < 3)
            return ZF_XLS_STR_LONG;   /* cannot be with the room above */
        memcpy(out, "\xEF\xBF\xBD", 3);   /* EILSEQ, EINVAL: the byte is not text */
        out += 3;
        out_left -= 3;
        in++;
        in_left--;
    }
    size_t m = 0;
    for (char *p = start; p < out; p++)
        if (*p)
            start[m++] = *p;
    t->len += m;
    *len = m;
    return ZF_XLS_STR_OK;
}

const char *zf_rd_xls_codepage(unsigned cp)
{
    static const struct { unsigned short cp; const char *name; } pages[] = {
        { 367, "ASCII" }, { 437, "CP437" }, { 737, "CP737" }, { 775, "CP775" }, { 850, "CP850" },
        { 852, "CP852" }, { 855, "CP855" }, { 857, "CP857" }, { 858, "CP858" }, { 860, "CP860" },
        { 861, "CP861" }, { 862, "CP862" }, { 863, "CP863" }, { 864, "CP864" }, { 865, "CP865" },
        { 866, "CP866" }, { 869, "CP869" }, { 874, "CP874" }, { 932, "CP932" }, { 936, "CP936" },
        { 949, "CP949" }, { 950, "CP950" }, { 1250, "CP1250" }, { 1251, "CP1251" },
        { 1252, "CP1252" }, { 1253, "CP1253" }, { 1254, "CP1254" }, { 1255, "CP1255" },
        { 1256, "CP1256" }, { 1257, "CP1257" }, { 1258, "CP1258" }, { 1361, "CP1361" },
        { 10000, "MACINTOSH" }, { 32768, "MACINTOSH" }, { 32769, "CP1252" },
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++)
        if (pages[i].cp == cp)
            return pages[i].name;
    return NULL;
}

static bool sst_add(zf_xls_sst *sst, size_t off, size_t len)
{
    if (sst->n == sst->cap) {
        size_t nc = sst->cap ? sst->cap * 2 : 256;
        uint32_t *o = realloc(sst->off, nc * sizeof *o);
        if (!o)
            return false;
        sst->off = o;
        uint32_t *l = realloc(sst->len, nc * sizeof *l);
        if (!l)
            return false;
        sst->len = l;
        sst->cap = nc;
    }
    sst->off[sst->n] = (uint32_t)off;   /* below ZF_XLS_MAX_TEXT */
    sst->len[sst->n++] = (uint32_t)len;
    return true;
}

zf_status zf_rd_xls_sst_read(zf_xls_stream *s, const zf_xls_rec *r, zf_xls_sst *sst, zf_xls_text *t,
                             const char *path, zf_error *err)
{
    if (r->len < 8)
        return zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0,
                            "not a readable .xls workbook: its shared-string table (the SST record at "
                            "byte %zu) is cut short",
                            r->at);
    /* the declared count is not trusted for memory: the table grows as strings are read */
    uint32_t unique = u32(r->data + 4);
    zf_xls_cur c = { s, *r, 8 };
    for (uint32_t i = 0; i < unique; i++) {
        if (c.pos == c.r.len && !next_continue(&c))
            break;   /* fewer strings than declared: the cells say if one is missing */
        size_t off = t->len, len;
        zf_xls_str st = zf_rd_xls_ustr(&c, t, &len);
        if (st == ZF_XLS_STR_NOMEM || (st == ZF_XLS_STR_OK && !sst_add(sst, off, len)))
            return zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory for the shared strings");
        if (st != ZF_XLS_STR_OK)
            return zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0,
                                "not a readable .xls workbook: shared string %u of %u %s (the SST "
                                "record at byte %zu)",
                                i + 1, unique,
                                st == ZF_XLS_STR_LONG   ? "is longer than Excel's 32767 characters"
                                : st == ZF_XLS_STR_FULL ? "goes beyond 1 GiB of text"
                                                        : "is cut short: the file is truncated or corrupt",
                                r->at);
    }
    return ZF_OK;
}

void zf_rd_xls_sst_free(zf_xls_sst *sst)
{
    free(sst->off);
    free(sst->len);
    memset(sst, 0, sizeof *sst);
}
