/* json.c — a JSON array of objects, or JSON Lines, streamed one element at a time.
 *
 * A small scanner finds where each top-level object ends (tracking strings, escapes and
 * nesting) in a sliding buffer; the object is then parsed in place: string escapes are
 * undone inside the buffer (the text only gets shorter) and numbers are handed on as
 * written, so no value is ever converted through floating point.
 *
 * *line for both forms is the 1-based element number: in JSON Lines, the number of the
 * object among the non-blank lines, so blank lines do not shift it.  Error messages give
 * the physical line and column as well. */
#include "zf_fs.h"
#include "reader_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    JSON_BUF_SIZE = 256 * 1024,
    JSON_MIN_FREE = 4096,
    JSON_MAX_ELEMENT = 64 * 1024 * 1024,
};

typedef enum {
    J_START,        /* expect '[' (or '{' for objects one after another) */
    J_FIRST,        /* after '[': an object or ']' */
    J_AFTER,        /* after an element: ',' or ']' */
    J_ELEMENT,      /* after ',': an object */
    J_TRAILER,      /* after ']': only white space */
    J_STREAM        /* JSON Lines: objects separated by white space */
} json_state;

typedef struct json {
    int fd;
    char *buf;
    size_t cap, pos, end;
    bool eof;
    uint64_t bytes;
    json_state state;
    long element;
    long line, col;           /* physical position of buf[pos], 1-based */
    bool *seen;               /* per wanted column: set by this object already */
} json;

static void json_free(void *impl)
{
    json *j = impl;
    if (!j)
        return;
    if (j->fd >= 0)
        close(j->fd);
    free(j->buf);
    free(j->seen);
    free(j);
}

static uint64_t json_bytes(const zf_reader *r)
{
    return ((const json *)r->impl)->bytes;
}

/* ---- positions and errors ---------------------------------------------------- */

static void position_of(const json *j, size_t at, long *line, long *col)
{
    *line = j->line;
    *col = j->col;
    for (size_t i = j->pos; i < at && i < j->end; i++) {
        if (j->buf[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)j->buf[i] & 0xC0) != 0x80) {
            (*col)++;   /* columns count characters, not UTF-8 bytes */
        }
    }
}

static void advance(json *j, size_t to)
{
    position_of(j, to, &j->line, &j->col);
    j->pos = to;
}

static ZF_MUST_CHECK zf_status syntax_error(zf_reader *r, const json *j, size_t at, const char *what, zf_error *err)
{
    long line, col;
    position_of(j, at, &line, &col);
    if (j->element > 0 && j->state != J_TRAILER)
        return zf_error_set(err, ZF_ERR_FORMAT, r->path, line, col, "invalid JSON in element %ld: %s",
                            j->element, what);
    return zf_error_set(err, ZF_ERR_FORMAT, r->path, line, col, "invalid JSON: %s", what);
}

/* ---- input ---------------------------------------------------------------- */

static ZF_MUST_CHECK zf_status fill(zf_reader *r, json *j, zf_error *err)
{
    if (j->pos) {
        memmove(j->buf, j->buf + j->pos, j->end - j->pos);
        j->end -= j->pos;
        j->pos = 0;
    }
    if (j->cap - j->end < JSON_MIN_FREE) {
        if (j->cap >= JSON_MAX_ELEMENT)
            return syntax_error(r, j, j->pos, "an element larger than 64 MiB (unclosed string?)", err);
        char *nb = realloc(j->buf, j->cap * 2);
        if (!nb)
            return zf_error_set(err, ZF_ERR_NOMEM, r->path, j->line, 0, "out of memory");
        j->buf = nb;
        j->cap *= 2;
    }
    ssize_t n;
    do
        n = read(j->fd, j->buf + j->end, j->cap - j->end);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return zf_error_set(err, ZF_ERR_IO, r->path, j->line, 0, "cannot read: %s", strerror(errno));
    j->eof = n == 0;
    j->end += (size_t)n;
    j->bytes += (uint64_t)n;
    return ZF_OK;
}

/* Skip white space; *c = the next byte, or -1 at the end of the file. */
static ZF_MUST_CHECK zf_status peek(zf_reader *r, json *j, int *c, zf_error *err)
{
    for (;;) {
        size_t p = j->pos;
        while (p < j->end && (j->buf[p] == ' ' || j->buf[p] == '\t' || j->buf[p] == '\r' || j->buf[p] == '\n'))
            p++;
        advance(j, p);
        if (p < j->end) {
            *c = (unsigned char)j->buf[p];
            return ZF_OK;
        }
        if (j->eof) {
            *c = -1;
            return ZF_OK;
        }
        zf_status st = fill(r, j, err);
        if (st != ZF_OK)
            return st;
    }
}

/* ---- finding an element ------------------------------------------------------- */

/* Where the value opened at buf[from] closes, or 0 when the buffer ends first. */
static size_t value_end(const char *b, size_t from, size_t end)
{
    int depth = 0;
    for (size_t p = from; p < end; p++) {
        char ch = b[p];
        if (ch == '"') {
            for (p++; p < end && b[p] != '"'; p++)
                if (b[p] == '\\')
                    p++;
            if (p >= end)
                return 0;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if ((ch == '}' || ch == ']') && --depth == 0) {
            return p + 1;
        }
    }
    return 0;
}

static ZF_MUST_CHECK zf_status element_extent(zf_reader *r, json *j, size_t *stop, zf_error *err)
{
    for (;;) {
        *stop = value_end(j->buf, j->pos, j->end);
        if (*stop)
            return ZF_OK;
        if (j->eof)
            return syntax_error(r, j, j->end, "the file ends inside an object: expected '}'", err);
        zf_status st = fill(r, j, err);
        if (st != ZF_OK)
            return st;
    }
}

/* ---- parsing one object in place ------------------------------------------------ */

typedef struct jp {
    char *b;
    size_t p, end;
    const char *what;         /* what was expected, when parsing fails */
} jp;

static void skip_ws(jp *s)
{
    while (s->p < s->end && (s->b[s->p] == ' ' || s->b[s->p] == '\t' || s->b[s->p] == '\r' || s->b[s->p] == '\n'))
        s->p++;
}

static int hex4(const char *h)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char ch = h[i];
        int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
              : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t put_utf8(char *w, unsigned long cp)
{
    if (cp < 0x80) {
        w[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        w[0] = (char)(0xC0 | (cp >> 6));
        w[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        w[0] = (char)(0xE0 | (cp >> 12));
        w[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        w[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    w[0] = (char)(0xF0 | (cp >> 18));
    w[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    w[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    w[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* \uXXXX at s->p (after the backslash and 'u'), with surrogate pairs. */
static bool unicode_escape(jp *s, unsigned long *cp)
{
    int hi = s->p + 4 <= s->end ? hex4(s->b + s->p) : -1;
    if (hi < 0)
        return false;
    s->p += 4;
    *cp = (unsigned long)hi;
    if (hi >= 0xDC00 && hi <= 0xDFFF)
        return false;
    if (hi < 0xD800 || hi > 0xDBFF)
        return true;
    if (s->p + 6 > s->end || s->b[s->p] != '\\' || s->b[s->p + 1] != 'u')
        return false;
    int lo = hex4(s->b + s->p + 2);
    if (lo < 0xDC00 || lo > 0xDFFF)
        return false;
    s->p += 6;
    *cp = 0x10000 + (((unsigned long)hi - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
    return true;
}

static bool escape(jp *s, char *w, size_t *wn)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    char ch = s->b[s->p++];
    const char *k = strchr(from, ch);
    if (ch && k) {
        w[(*wn)++] = to[k - from];
        return true;
    }
    unsigned long cp;
    if (ch != 'u' || !unicode_escape(s, &cp))
        return false;
    *wn += put_utf8(w + *wn, cp);
    return true;
}

/* A string at s->p (the opening quote): unescaped in place into *out. */
static bool string(jp *s, const char **out, size_t *len)
{
    s->what = "a valid string";
    char *w = s->b + s->p + 1;
    size_t wn = 0;
    s->p++;
    while (s->p < s->end) {
        unsigned char ch = (unsigned char)s->b[s->p];
        if (ch == '"') {
            s->p++;
            *out = w;
            *len = wn;
            return true;
        }
        if (ch < 0x20)
            return false;
        s->p++;
        if (ch != '\\')
            w[wn++] = (char)ch;
        else if (s->p >= s->end || !escape(s, w, &wn))
            return false;
    }
    return false;
}

static bool digits(jp *s)
{
    size_t start = s->p;
    while (s->p < s->end && s->b[s->p] >= '0' && s->b[s->p] <= '9')
        s->p++;
    return s->p > start;
}

/* A number as written: -?(0|[1-9]d*)(.d+)?([eE][+-]?d+)? */
static bool number(jp *s)
{
    s->what = "a valid number";
    if (s->b[s->p] == '-')
        s->p++;
    if (s->p < s->end && s->b[s->p] == '0')
        s->p++;
    else if (!digits(s))
        return false;
    if (s->p < s->end && s->b[s->p] == '.') {
        s->p++;
        if (!digits(s))
            return false;
    }
    if (s->p < s->end && (s->b[s->p] == 'e' || s->b[s->p] == 'E')) {
        s->p++;
        if (s->p < s->end && (s->b[s->p] == '+' || s->b[s->p] == '-'))
            s->p++;
        if (!digits(s))
            return false;
    }
    return true;
}

static bool literal(jp *s, const char *word, const char **out, size_t *len)
{
    size_t n = strlen(word);
    s->what = "a value (string, number, true, false, null, object or array)";
    if (s->p + n > s->end || memcmp(s->b + s->p, word, n) != 0)
        return false;
    *out = strcmp(word, "null") == 0 ? "" : s->b + s->p;
    *len = strcmp(word, "null") == 0 ? 0 : n;
    s->p += n;
    return true;
}

/* A nested object or array is passed on as its JSON text. */
static bool nested(jp *s, const char **out, size_t *len)
{
    size_t stop = value_end(s->b, s->p, s->end);
    s->what = "a complete object or array";
    if (!stop)
        return false;
    *out = s->b + s->p;
    *len = stop - s->p;
    s->p = stop;
    return true;
}

static bool value(jp *s, const char **out, size_t *len)
{
    s->what = "a value (string, number, true, false, null, object or array)";
    if (s->p >= s->end)
        return false;
    char ch = s->b[s->p];
    size_t start = s->p;
    switch (ch) {
    case '"': return string(s, out, len);
    case 't': return literal(s, "true", out, len);
    case 'f': return literal(s, "false", out, len);
    case 'n': return literal(s, "null", out, len);
    case '{': case '[': return nested(s, out, len);
    default:
        if (ch != '-' && (ch < '0' || ch > '9'))
            return false;
        if (!number(s))
            return false;
        *out = s->b + start;
        *len = s->p - start;
        return true;
    }
}

static void set_cell(zf_reader *r, json *j, zf_cell *cells, const char *key, size_t klen,
                     const char *val, size_t vlen)
{
    zf_rd_trim_header(&key, &klen);
    int w = zf_rd_find_column(r, key, klen);
    if (w < 0 || j->seen[w])
        return;   /* not wanted, or a repeated key: the first one counts */
    j->seen[w] = true;
    zf_trim(&val, &vlen);
    cells[w] = (zf_cell){ val, vlen, false };
}

static bool member(zf_reader *r, json *j, jp *s, zf_cell *cells)
{
    const char *key, *val;
    size_t klen, vlen;
    s->what = "a key in double quotes";
    if (s->p >= s->end || s->b[s->p] != '"' || !string(s, &key, &klen))
        return false;
    skip_ws(s);
    s->what = "':' after the key";
    if (s->p >= s->end || s->b[s->p] != ':')
        return false;
    s->p++;
    skip_ws(s);
    if (!value(s, &val, &vlen))
        return false;
    set_cell(r, j, cells, key, klen, val, vlen);
    return true;
}

static bool object(zf_reader *r, json *j, jp *s, zf_cell *cells)
{
    s->p++;
    skip_ws(s);
    if (s->p < s->end && s->b[s->p] == '}')
        return ++s->p == s->end;
    for (;;) {
        if (!member(r, j, s, cells))
            return false;
        skip_ws(s);
        s->what = "',' or '}'";
        if (s->p >= s->end)
            return false;
        char ch = s->b[s->p];
        if (ch != '}' && ch != ',')
            return false;
        s->p++;
        if (ch == '}')
            return s->p == s->end;
        skip_ws(s);
    }
}

static ZF_MUST_CHECK zf_status parse_element(zf_reader *r, json *j, size_t stop, zf_cell *cells, zf_error *err)
{
    zf_rd_utf8 u8 = { 0, 0, 0 };
    size_t n = stop - j->pos;
    size_t bad = zf_rd_utf8_check(&u8, (const unsigned char *)j->buf + j->pos, n);
    if (bad < n || u8.need) {
        long line, col;
        position_of(j, j->pos + bad, &line, &col);
        return zf_error_set(err, ZF_ERR_ENCODING, r->path, line, col,
                            "element %ld: bytes that are not valid UTF-8 (JSON must be UTF-8)", j->element);
    }
    for (size_t i = 0; i < r->n_columns; i++) {
        cells[i] = (zf_cell){ "", 0, false };
        j->seen[i] = false;
    }
    jp s = { j->buf, j->pos, stop, "an object" };
    if (!object(r, j, &s, cells)) {
        char what[160];
        snprintf(what, sizeof what, "expected %s", s.what);
        return syntax_error(r, j, s.p, what, err);
    }
    return ZF_OK;
}

/* ---- the element sequence ------------------------------------------------------ */

/* An error between elements, at j->pos: after ',' or '[' or in JSON Lines it is in the
 * element that should start there (one past those read), after an element it follows it. */
static ZF_MUST_CHECK zf_status between_error(zf_reader *r, const json *j, const char *what, zf_error *err)
{
    long line, col;
    position_of(j, j->pos, &line, &col);
    if (j->state == J_AFTER)
        return zf_error_set(err, ZF_ERR_FORMAT, r->path, line, col, "invalid JSON after element %ld: %s",
                            j->element, what);
    if (j->state == J_ELEMENT || j->state == J_FIRST || j->state == J_STREAM)
        return zf_error_set(err, ZF_ERR_FORMAT, r->path, line, col, "invalid JSON in element %ld: %s",
                            j->element + 1, what);
    return syntax_error(r, j, j->pos, what, err);
}

/* Move over '[', ',' and ']' until an object starts (*found) or the data ends. */
static ZF_MUST_CHECK zf_status to_element(zf_reader *r, json *j, bool *found, zf_error *err)
{
    for (;;) {
        int c;
        zf_status st = peek(r, j, &c, err);
        if (st != ZF_OK)
            return st;
        json_state s = j->state;
        *found = c == '{' && (s == J_FIRST || s == J_ELEMENT || s == J_STREAM || s == J_START);
        if (*found) {
            if (s == J_START)
                j->state = J_STREAM;
            return ZF_OK;
        }
        if (c < 0 && (s == J_TRAILER || s == J_STREAM))
            return ZF_OK;
        if (c == '[' && s == J_START)
            j->state = J_FIRST;
        else if (c == ']' && (s == J_FIRST || s == J_AFTER))
            j->state = J_TRAILER;
        else if (c == ',' && s == J_AFTER)
            j->state = J_ELEMENT;
        else
            return between_error(r, j, c < 0 ? "the file ends early: expected ']'"
                                 : s == J_START ? "expected '[' (an array of objects)"
                                 : s == J_AFTER ? "expected ',' or ']'"
                                 : s == J_TRAILER ? "text after the closing ']'"
                                 : "expected an object '{'", err);
        advance(j, j->pos + 1);
    }
}

static ZF_MUST_CHECK zf_status json_next(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    json *j = r->impl;
    bool found = false;
    size_t stop = 0;
    zf_status st = to_element(r, j, &found, err);
    if (st != ZF_OK || !found)
        return st;
    j->element++;
    st = element_extent(r, j, &stop, err);
    if (st == ZF_OK)
        st = parse_element(r, j, stop, cells, err);
    if (st != ZF_OK)
        return st;
    advance(j, stop);
    if (j->state != J_STREAM)
        j->state = J_AFTER;
    *line = j->element;
    *more = true;
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status json_setup(zf_reader *r, json *j, zf_error *err)
{
    zf_status opened = zf_open_regular(r->path, &j->fd, err);
    if (opened != ZF_OK)
        return opened;
    j->cap = JSON_BUF_SIZE;
    j->buf = malloc(j->cap);
    j->seen = calloc(r->n_columns ? r->n_columns : 1, sizeof *j->seen);
    if (!j->buf || !j->seen)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory");
    zf_status st = fill(r, j, err);
    if (st != ZF_OK)
        return st;
    if (j->end >= 3 && memcmp(j->buf, "\xEF\xBB\xBF", 3) == 0)
        j->pos = 3;
    /* Fail at open on what is not JSON at all (a binary file), and on an empty export, as for
       every other format: JSON Lines without a line is no export, not one of no records. */
    int c;
    st = peek(r, j, &c, err);
    if (st == ZF_OK && c < 0)
        st = syntax_error(r, j, j->pos,
                          j->state == J_STREAM ? "the file is empty: expected an object '{' on each line"
                                               : "the file is empty: expected a JSON array of objects '['", err);
    else if (st == ZF_OK && c != '{' && (c != '[' || j->state == J_STREAM))
        st = syntax_error(r, j, j->pos, j->state == J_STREAM ? "expected an object '{' on each line"
                          : "expected a JSON array of objects '['", err);
    return st;
}

zf_status zf_rd_json_open(zf_reader *r, bool lines, zf_error *err)
{
    static const zf_rd_ops ops = { json_next, json_bytes, json_free, NULL, NULL };
    json *j = calloc(1, sizeof *j);
    if (!j)
        return zf_error_set(err, ZF_ERR_NOMEM, r->path, 0, 0, "out of memory");
    j->fd = -1;
    j->line = 1;
    j->col = 1;
    j->state = lines ? J_STREAM : J_START;
    r->impl = j;
    r->ops = &ops;
    return json_setup(r, j, err);
}
