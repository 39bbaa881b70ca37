/* value.c — the value formats of sources.md: one cell in, a typed value or one reason out;
 * and the masks of personal data for the outputs, of a personal column and of an ID or a
 * mobile number found in any other.  Byte loops only: no locale, no floating point, no
 * allocation. */
#include "zf_value.h"

#include <limits.h>
#include <string.h>

#include "zf_testing.h"
#include "zf_text.h"

typedef const unsigned char *cursor;

/* ---- numbers ------------------------------------------------------------ */

/* Full-width forms are EF BC xx: digits 90–99, '，' 8C, '－' 8D, '．' 8E. */
enum { FW_COMMA = 0x8C, FW_MINUS = 0x8D, FW_DOT = 0x8E };

/* The character at *p as an ASCII equivalent ('0'–'9', ',', '-', '.'), advancing past it;
 * 0 for anything else (not advanced). */
static unsigned char numch(cursor *p, cursor end)
{
    unsigned char c = **p;
    if (c < 0x80) {
        (*p)++;
        return c;
    }
    if (c == 0xEF && end - *p >= 3 && (*p)[1] == 0xBC) {
        unsigned char t = (*p)[2];
        unsigned char a = t >= 0x90 && t <= 0x99 ? (unsigned char)('0' + (t - 0x90))
                        : t == FW_COMMA ? ',' : t == FW_MINUS ? '-' : t == FW_DOT ? '.' : 0;
        if (a)
            *p += 3;
        return a;
    }
    return 0;
}

#ifndef ZF_TESTING   /* a testing build has it from zf_value.h, with scan_decimal */
typedef enum { NUM_OK, NUM_BAD, NUM_TOO_PRECISE, NUM_OVERFLOW } num_status;
#endif

/* A decimal with optional leading minus, thousands separators only in proper groups of
 * three, and at most `scale` decimals; *out = |value| × 10^scale, at most limit. */
STATIC num_status scan_decimal(const char *s, size_t len, int scale, int64_t limit, int64_t *out,
                               bool *neg)
{
    cursor p = (cursor)s, end = p + len;
    unsigned char c = 0;
    int64_t v = 0;
    int group = 0, digits = 0, frac = 0;
    bool commas = false, too_big = false;

    *neg = false;
    /* The common text — ASCII digits, optionally '.' and 1..scale decimals, nothing else, at
     * most 18 digits once scaled — in one tight loop; anything else takes the general path
     * below, which gives the same result for these texts. */
    {
        size_t i = 0, f = 0, nd = 0;
        int64_t w = 0;
        while (i < len && p[i] >= '0' && p[i] <= '9' && nd < 18)
            w = w * 10 + (p[i++] - '0'), nd++;
        if (nd && i < len && p[i] == '.') {
            f = ++i;
            while (i < len && p[i] >= '0' && p[i] <= '9' && nd < 18)
                w = w * 10 + (p[i++] - '0'), nd++;
        }
        int fr = f ? (int)(i - f) : 0;
        if (nd && i == len && (!f || fr > 0) && fr <= scale && nd + (size_t)(scale - fr) <= 18) {
            for (int k = fr; k < scale; k++)
                w *= 10;
            if (w <= limit) {
                *out = w;
                return NUM_OK;
            }
        }
    }
    if (p < end) {
        cursor q = p;
        if (numch(&q, end) == '-') {
            *neg = true;
            p = q;
        }
    }
    while (p < end) {
        c = numch(&p, end);
        if (c >= '0' && c <= '9') {
            if (v > (INT64_MAX - (c - '0')) / 10)
                too_big = true;
            else
                v = v * 10 + (c - '0');
            group++;
            digits++;
        } else if (c == ',') {
            if (group == 0 || group > 3 || (commas && group != 3))
                return NUM_BAD;
            commas = true;
            group = 0;
        } else {
            break;
        }
        c = 0;
    }
    if (digits == 0 || (commas && group != 3))
        return NUM_BAD;
    if (c == '.') {
        cursor f = p;
        while (p < end) {
            cursor q = p;
            unsigned char d = numch(&q, end);
            if (d < '0' || d > '9')
                return NUM_BAD;
            p = q;
            if (++frac <= scale && !too_big) {
                if (v > (INT64_MAX - (d - '0')) / 10)
                    too_big = true;
                else
                    v = v * 10 + (d - '0');
            }
        }
        if (p == f)
            return NUM_BAD;
    } else if (c != 0 || p != end) {
        return NUM_BAD;
    }
    if (frac > scale)
        return NUM_TOO_PRECISE;
    for (int i = frac; i < scale && !too_big; i++) {
        if (v > INT64_MAX / 10)
            too_big = true;
        else
            v *= 10;
    }
    if (too_big || v > limit)
        return NUM_OVERFLOW;
    *out = v;
    return NUM_OK;
}

/* 10^17 - 1 hundredths: far above any real amount, and low enough that a record check can
 * add a dozen of them without overflow. */
#define AMOUNT_LIMIT INT64_C(99999999999999999)

zf_reason zf_parse_amount(const char *s, size_t len, int64_t *hundredths)
{
    int64_t v;
    bool neg;
    if (scan_decimal(s, len, 2, AMOUNT_LIMIT, &v, &neg) != NUM_OK)
        return ZF_REASON_BAD_AMOUNT;
    /* "-0.00" is not below zero, so it is not refused. */
    if (neg && v != 0)
        return ZF_REASON_NEGATIVE_AMOUNT;
    *hundredths = v;
    return ZF_REASON_NONE;
}

/* A spreadsheet number cell whose double carries the noise of a calculation: =SUM() of
 * amounts leaves 6134313.660000013 (6134313.66000001 at Excel's 15 digits), 1234567.89 −
 * 1234000 leaves 567.889999999898, and Excel shows 6134313.66 and 567.89.  Such a value is
 * the nearest cent when it lies within a relative 10^-12 of it: far below any amount typed
 * (12.345 is 0.04 % from 12.35, and stays bad_amount). */
static bool cents_of_noisy(const char *s, size_t len, int64_t *hundredths, bool *neg)
{
    size_t i = 0;
    *neg = len && s[0] == '-';
    i = *neg;
    __int128 n = 0;
    int k = -1, digits = 0;
    for (; i < len; i++) {
        if (s[i] == '.' && k < 0) {
            k = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || ++digits > 30)
            return false;
        n = n * 10 + (s[i] - '0');
        if (k >= 0)
            k++;
    }
    if (k <= 2 || digits == 0)
        return false;
    __int128 unit = 1;
    for (int j = 2; j < k; j++)
        unit *= 10;
    __int128 cents = (n + unit / 2) / unit, r = n - cents * unit;
    if (r < 0)
        r = -r;
    if (r * (__int128)1000000000000 > n || cents > AMOUNT_LIMIT)
        return false;
    *hundredths = (int64_t)cents;
    return true;
}

zf_reason zf_parse_amount_cell(const char *s, size_t len, bool numeric, int64_t *hundredths)
{
    zf_reason r = zf_parse_amount(s, len, hundredths);
    bool neg;
    int64_t v;
    if (r != ZF_REASON_BAD_AMOUNT || !numeric || !cents_of_noisy(s, len, &v, &neg))
        return r;
    if (neg && v != 0)
        return ZF_REASON_NEGATIVE_AMOUNT;
    *hundredths = v;
    return ZF_REASON_NONE;
}

zf_reason zf_parse_integer(const char *s, size_t len, int64_t *value)
{
    int64_t v;
    bool neg;
    if (scan_decimal(s, len, 0, INT64_MAX, &v, &neg) != NUM_OK || (neg && v != 0))
        return ZF_REASON_BAD_INTEGER;
    *value = v;
    return ZF_REASON_NONE;
}

zf_reason zf_parse_decimal(const char *s, size_t len, int64_t *millionths)
{
    int64_t v;
    bool neg;
    /* 85% as Excel shows a percentage cell saved as text (a CSV export): 0.85, exactly, so
     * up to four decimals of the percentage */
    size_t pct = len >= 1 && s[len - 1] == '%' ? 1 : len >= 3 && !memcmp(s + len - 3, "\xEF\xBC\x85", 3) ? 3 : 0;
    if (pct && len > pct) {
        if (scan_decimal(s, len - pct, 4, INT64_MAX, &v, &neg) != NUM_OK)
            return ZF_REASON_BAD_DECIMAL;
        *millionths = neg ? -v : v;
        return ZF_REASON_NONE;
    }
    if (scan_decimal(s, len, 6, INT64_MAX, &v, &neg) != NUM_OK)
        return ZF_REASON_BAD_DECIMAL;
    *millionths = neg ? -v : v;
    return ZF_REASON_NONE;
}

/* ---- words -------------------------------------------------------------- */

static bool ieq(const char *s, size_t len, const char *lower)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (c != (unsigned char)lower[i])
            return false;
    }
    return lower[len] == '\0';
}

zf_reason zf_parse_yesno(const char *s, size_t len, bool *yes)
{
    switch (len) {
    case 1:
        if (ieq(s, 1, "y") || s[0] == '1') { *yes = true; return ZF_REASON_NONE; }
        if (ieq(s, 1, "n") || s[0] == '0') { *yes = false; return ZF_REASON_NONE; }
        break;
    case 2:
        if (ieq(s, 2, "no")) { *yes = false; return ZF_REASON_NONE; }
        break;
    case 3:
        if (memcmp(s, "\xE6\x98\xAF", 3) == 0 || ieq(s, 3, "yes")) { *yes = true; return ZF_REASON_NONE; }
        if (memcmp(s, "\xE5\x90\xA6", 3) == 0) { *yes = false; return ZF_REASON_NONE; }
        break;
    case 4:
        if (ieq(s, 4, "true")) { *yes = true; return ZF_REASON_NONE; }
        break;
    case 5:
        if (ieq(s, 5, "false")) { *yes = false; return ZF_REASON_NONE; }
        break;
    default:
        break;
    }
    return ZF_REASON_BAD_YES_NO;
}

/* Whether NUL-terminated word w is exactly s/len (s may hold NUL bytes; w is not read
 * past its end). */
static bool word_eq(const char *w, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && w[i] != '\0' && w[i] == s[i])
        i++;
    return i == len && w[i] == '\0';
}

static zf_reason parse_enum(const zf_column *col, const char *s, size_t len, int64_t *index)
{
    for (size_t k = 0; k < col->n_vocab; k++) {
        if (col->vocab[k][0] == s[0] && word_eq(col->vocab[k], s, len)) {
            *index = (int64_t)k;
            return ZF_REASON_NONE;
        }
    }
    return ZF_REASON_UNKNOWN_ENUM;
}

/* Any region of the tree, the root included: a 乡镇街道 column only ever holds towns,
 * but aggregate submissions report for the root (the province) as well. */
static zf_reason parse_region(const zf_region_tree *t, const char *s, size_t len, int64_t *index)
{
    for (size_t k = 0; t && k < t->n_regions; k++) {
        if (t->regions[k].name[0] == s[0] && word_eq(t->regions[k].name, s, len)) {
            *index = (int64_t)k;
            return ZF_REASON_NONE;
        }
    }
    return ZF_REASON_UNKNOWN_REGION;
}

/* ---- identifiers -------------------------------------------------------- */

zf_reason zf_check_citizen_id_until(const char *s, size_t len, int max_year)
{
    static const unsigned char w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};
    cursor p = (cursor)s;
    if (len != 18)
        return ZF_REASON_BAD_ID;
    unsigned sum = 0;
    for (int i = 0; i < 17; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        if (d > 9)
            return ZF_REASON_BAD_ID;
        sum += d * w[i];
    }
    unsigned char last = p[17] == 'x' ? 'X' : p[17];
    if (!(last == 'X' || (last >= '0' && last <= '9')))
        return ZF_REASON_BAD_ID;
    int y = (p[6] - '0') * 1000 + (p[7] - '0') * 100 + (p[8] - '0') * 10 + (p[9] - '0');
    int m = (p[10] - '0') * 10 + (p[11] - '0');
    int d = (p[12] - '0') * 10 + (p[13] - '0');
    if (y < 1900 || y > max_year || !zf_date_valid(y, m, d))
        return ZF_REASON_BAD_ID;
    return check[sum % 11] == last ? ZF_REASON_NONE : ZF_REASON_BAD_ID_CHECKSUM;
}

zf_reason zf_check_citizen_id(const char *s, size_t len)
{
    return zf_check_citizen_id_until(s, len, 9999);
}

/* GB 32100-2015 character values: 0-9 then A-Y without I O S V Z; 0xFF = not allowed. */
static unsigned char credit_value(unsigned char c)
{
    static const unsigned char letters[26] = {
        10, 11, 12, 13, 14, 15, 16, 17, 0xFF, 18, 19, 20, 21,   /* A-H, I, J-M */
        22, 0xFF, 23, 24, 25, 0xFF, 26, 27, 0xFF, 28, 29, 30,   /* N, O, P-R, S, T-U, V, W-Y */
        0xFF};                                                  /* Z */
    if (c >= '0' && c <= '9')
        return (unsigned char)(c - '0');
    if (c >= 'A' && c <= 'Z')
        return letters[c - 'A'];
    return 0xFF;
}

zf_reason zf_check_credit_code(const char *s, size_t len)
{
    static const unsigned char w[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
    if (len != 18)
        return ZF_REASON_BAD_CREDIT_CODE;
    unsigned sum = 0;
    for (int i = 0; i < 17; i++) {
        unsigned char v = credit_value((unsigned char)s[i]);
        if (v == 0xFF)
            return ZF_REASON_BAD_CREDIT_CODE;
        sum += v * (unsigned)w[i];
    }
    unsigned expect = (31 - sum % 31) % 31;
    return credit_value((unsigned char)s[17]) == expect ? ZF_REASON_NONE : ZF_REASON_BAD_CREDIT_CODE;
}

/* ---- one cell ----------------------------------------------------------- */

static zf_reason parse_typed(const zf_column *col, const char *s, size_t len, bool numeric,
                             zf_serial_dates serials, const zf_value_ctx *ctx, zf_value *out)
{
    zf_reason r;
    switch (col->type) {
    case ZF_COL_TEXT:
        return ZF_REASON_NONE;
    case ZF_COL_DATE: {
        int32_t days = 0;   /* zf_parse_date leaves it alone for bad_date */
        r = zf_parse_date(s, len, serials, ctx->max_year, &days);
        out->i = days;
        return r;
    }
    case ZF_COL_AMOUNT:
        return zf_parse_amount_cell(s, len, numeric, &out->i);
    case ZF_COL_INTEGER:
        r = zf_parse_integer(s, len, &out->i);
        if (r == ZF_REASON_NONE && ((col->has_min && out->i < col->min) ||
                                    (col->has_max && out->i > col->max)))
            return ZF_REASON_OUT_OF_RANGE;
        return r;
    case ZF_COL_YESNO: {
        bool yes = false;
        r = zf_parse_yesno(s, len, &yes);
        out->i = yes;
        return r;
    }
    case ZF_COL_CITIZEN_ID:
        return zf_check_citizen_id_until(s, len, ctx->max_year);
    case ZF_COL_CREDIT_CODE:
        return zf_check_credit_code(s, len);
    case ZF_COL_REGION:
        return parse_region(ctx->regions, s, len, &out->i);
    case ZF_COL_ENUM:
        return parse_enum(col, s, len, &out->i);
    case ZF_COL_DECIMAL:
        return zf_parse_decimal(s, len, &out->i);
    case ZF_COL_TEXT_OR_DECIMAL:
        out->numeric = zf_parse_decimal(s, len, &out->i) == ZF_REASON_NONE;
        if (!out->numeric)
            out->i = 0;
        return ZF_REASON_NONE;
    default:
        return ZF_REASON_NONE;
    }
}

zf_reason zf_value_parse(const zf_column *col, const zf_cell *cell, const zf_value_ctx *ctx, zf_value *out)
{
    const char *s = cell ? cell->ptr : NULL;
    size_t len = cell ? cell->len : 0;
    if (len)
        zf_trim(&s, &len);
    out->present = len != 0;
    out->numeric = false;
    out->i = 0;
    out->s = len ? s : "";
    out->len = len;
    if (len == 0)
        return col->required ? ZF_REASON_MISSING_REQUIRED : ZF_REASON_NONE;
    return parse_typed(col, s, len, cell->numeric, cell->numeric ? ctx->serials : ZF_SERIAL_NONE, ctx, out);
}

/* ---- keys --------------------------------------------------------------- */

static size_t put_i64(char *buf, int64_t v)
{
    char tmp[24];
    size_t n = 0, k = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        buf[k++] = '-';
    while (n)
        buf[k++] = tmp[--n];
    return k;
}

const char *zf_value_canonical(const zf_column *col, const zf_value *v, char *tmp, size_t *len)
{
    if (!v->present) {
        *len = 0;
        return "";
    }
    switch (col->type) {
    case ZF_COL_DATE:
        *len = 10;
        return zf_date_format((int32_t)v->i, tmp);
    case ZF_COL_AMOUNT:
    case ZF_COL_INTEGER:
    case ZF_COL_DECIMAL:
    case ZF_COL_YESNO:
        *len = put_i64(tmp, v->i);
        return tmp;
    case ZF_COL_TEXT_OR_DECIMAL:
        if (!v->numeric)
            break;
        tmp[0] = '#';   /* keeps the number 1 apart from a text "1000000" */
        *len = 1 + put_i64(tmp + 1, v->i);
        return tmp;
    case ZF_COL_CITIZEN_ID:
        if (v->len == 18 && v->s[17] == 'x') {
            memcpy(tmp, v->s, 17);
            tmp[17] = 'X';
            *len = 18;
            return tmp;
        }
        break;
    default:
        break;
    }
    *len = v->len;
    return v->s;
}

/* ---- masking ------------------------------------------------------------ */

/* Bytes of the character at i: a lead byte and its continuation bytes.  Invalid UTF-8
 * still advances, one stray byte at a time, so masking never leaks a byte. */
static size_t char_len(const char *s, size_t len, size_t i)
{
    size_t n = 1;
    while (i + n < len && ((unsigned char)s[i + n] & 0xC0) == 0x80)
        n++;
    return n;
}

const char *zf_mask(const char *s, size_t len, bool citizen_id, char *buf, size_t size)
{
    if (!buf || size == 0)
        return "";
    size_t nchars = 0;
    for (size_t i = 0; i < len; i += char_len(s, len, i))
        nchars++;
    /* Characters kept in clear at the start and the end. */
    size_t head = 1, tail = 1;
    if (citizen_id && nchars > 10)
        head = 6, tail = 4;
    else if (nchars <= 2)
        head = 0, tail = 0;

    size_t o = 0, ci = 0;
    for (size_t i = 0; i < len; ci++) {
        size_t n = char_len(s, len, i);
        bool clear = ci < head || ci >= nchars - tail;
        size_t need = clear ? n : 1;
        if (o + need >= size)
            break;
        if (clear)
            memcpy(buf + o, s + i, n);
        else
            buf[o] = '*';
        o += need;
        i += n;
    }
    buf[o] = '\0';
    return buf;
}

/* ---- identifiers inside free text --------------------------------------- */

static bool ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* head and tail characters of s[0..n) kept, the rest '*': zf_mask's form, in place. */
static void star(char *s, size_t n, size_t head, size_t tail)
{
    for (size_t k = head; k + tail < n; k++)
        s[k] = '*';
}

/* An old 15-digit citizen ID: area, then a valid YYMMDD of the 1900s, then 3 digits. */
static bool old_citizen_id(const char *s)
{
    int y = 1900 + (s[6] - '0') * 10 + (s[7] - '0');
    int m = (s[8] - '0') * 10 + (s[9] - '0');
    int d = (s[10] - '0') * 10 + (s[11] - '0');
    return zf_date_valid(y, m, d);
}

static bool mainland_mobile(const char *s)
{
    return s[0] == '1' && s[1] >= '3' && s[1] <= '9';
}

size_t zf_mask_identifiers(char *s, size_t len)
{
    size_t found = 0;
    for (size_t i = 0; i < len;) {
        if (!ascii_digit(s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && ascii_digit(s[j]))
            j++;
        if (j - i == 17 && j < len && (s[j] == 'X' || s[j] == 'x'))
            j++;
        size_t run = j - i;
        char *p = s + i;
        if (run == 18 && zf_check_citizen_id(p, 18) == ZF_REASON_NONE) {
            star(p, 18, 6, 4);
            found++;
        } else if (run == 15 && old_citizen_id(p)) {
            star(p, 15, 6, 4);
            found++;
        } else if (run == 11 && mainland_mobile(p)) {
            star(p, 11, 1, 1);
            found++;
        } else if (run == 13 && p[0] == '8' && p[1] == '6' && mainland_mobile(p + 2)) {
            star(p + 2, 11, 1, 1);   /* 86 and the number: the country code is no secret */
            found++;
        }
        i = j;
    }
    return found;
}
