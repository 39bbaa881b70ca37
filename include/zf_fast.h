/* zf_fast.h — the fast paths of zf_value.h as inline functions, so that the validator's
 * per-record loop has no call per cell.  Each takes only the common form of its type and
 * returns false for any other text, which the caller then gives to the general parser of
 * zf_value.h; when one returns true its result (reason and value) is exactly the general
 * parser's, which stays the definition (test_value_fast compares both over generated texts).
 *   zf_fp_amount:     ASCII digits, 1-8 of them or d{1,3},ddd, then nothing, '.d' or '.dd';
 *   zf_fp_date:       YYYYMMDD, YYYY-M-D or YYYY/M/D (1-2 digit month and day), optionally
 *                     followed by ' ' or 'T' and HH:MM:SS, with a year from 2000 to 2099;
 *   zf_fp_citizen_id: 17 ASCII digits and 0-9, x or X. */
#ifndef ZF_FAST_H
#define ZF_FAST_H

#include "zf_swar.h"
#include "zf_value.h"

/* Inlined even where the compiler would not: each is called once or five times per record. */
#define ZF_FAST_INLINE inline __attribute__((always_inline))

/* ---- amounts ------------------------------------------------------------ */

/* The comma of d{1,3},ddd right-aligned in a word (zf_load_right): byte 4, 0x80 as
 * zf_eq_bytes marks it. */
#define ZF_COMMA_AT_4 (UINT64_C(0x80) << 32)

/* The value in hundredths of ddddd.dd given as digit values (0-9) in the bytes of w, the dot
 * (byte 5) a 0: zf_parse8 with other weights for the four pairs (1e5, 1e3, 10, 1 instead of
 * 1e6, 1e4, 100, 1), so that the third pair, the last integer digit and the dot's 0, counts
 * ten times that digit and the dot needs no work of its own. */
static inline uint32_t zf_parse_dd(uint64_t w)
{
    w = w * 10 + (w >> 8);
    w = (((w & UINT64_C(0x000000FF000000FF)) * (10 + (UINT64_C(100000) << 32))) +
         (((w >> 16) & UINT64_C(0x000000FF000000FF)) * (1 + (UINT64_C(1000) << 32)))) >> 32;
    return (uint32_t)w;
}

/* Whether every byte of w is below 10 (a digit value). */
static inline bool zf_all_below10(uint64_t w)
{
    return (((w + ZF_BYTES(0x76)) | w) & ZF_BYTES(0x80)) == 0;
}

/* The commonest amount: two decimals in 4 to 8 bytes (0.05 to 99999.99, 1,474.15), given
 * that the dot is 3 bytes from the end.  The text becomes digit values right-aligned in one
 * word, its dot a 0 (zf_parse_dd): the last four bytes, X.dd, are always the top half, and
 * the first four, shifted into place, give the bytes before them (none for 0.05); each is
 * XORed with what its digits and dot should be, so that a byte is right exactly when it
 * comes out below 10.  A comma fails that test and is looked at only then. */
static ZF_FAST_INLINE bool zf_fp_amount_dd(const char *s, size_t len, int64_t *hundredths)
{
    const uint32_t digits = 0x30303030u, x_dot_dd = '0' | '.' << 8 | '0' << 16 | (uint32_t)'0' << 24;
    const uint64_t head = (uint64_t)(zf_load32(s) ^ digits) << (8 * (8 - len));
    uint64_t w = (uint64_t)(zf_load32(s + len - 4) ^ x_dot_dd) << 32 | (uint32_t)head;
    if (!zf_all_below10(w)) {
        /* d,ddd.dd: the comma is byte 1; the digit before it moves up to its place */
        if (len != 8 || (w >> 8 & 0xFF) != (',' ^ '0'))
            return false;
        w = (w & UINT64_C(0xFFFFFFFFFFFF0000)) | (w & 0xFF) << 8;
        if (!zf_all_below10(w))
            return false;
    }
    *hundredths = zf_parse_dd(w);
    return true;
}

/* 1-8 ASCII digits or d{1,3},ddd, then nothing, '.d' or '.dd'.  The integer part is
 * parsed as eight right-aligned bytes: no branch on the number of digits, which varies from
 * cell to cell and would be mispredicted. */
static ZF_FAST_INLINE bool zf_fp_amount(const char *s, size_t len, int64_t *hundredths)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len - 4 <= 4 && p[len - 3] == '.')
        return zf_fp_amount_dd(s, len, hundredths);
    if (len == 1 && (unsigned)(p[0] - '0') < 10) {   /* "0": a whole column of some files */
        *hundredths = (p[0] - '0') * 100;
        return true;
    }
    /* f decimals: the dot is 3 or 2 bytes from the end, or there is none. */
    const size_t f = len >= 3 && p[len - 3] == '.' ? 2 : len >= 2 && p[len - 2] == '.' ? 1 : 0;
    const size_t n = len - f - (f != 0);   /* bytes of the integer part */
    if (n - 1 >= 8)                        /* n == 0 wraps to a huge value too */
        return false;
    const unsigned d1 = f ? (unsigned)(p[n + 1] - '0') : 0;
    const unsigned d2 = f == 2 ? (unsigned)(p[n + 2] - '0') : 0;
    if (d1 > 9 || d2 > 9)
        return false;
    uint64_t w = zf_load_right(s, n);
    const uint64_t commas = zf_eq_bytes(w, ',');
    if (commas) {
        /* Only "1,234" to "123,456": one comma with three digits after it and 1-3 before. */
        if (commas != ZF_COMMA_AT_4 || n < 5 || n > 7)
            return false;
        w = (w & UINT64_C(0xFFFFFF0000000000)) | (w << 8 & UINT64_C(0x000000FFFFFFFF00)) | '0';
    }
    if (!zf_all_digits8(w))
        return false;
    *hundredths = (int64_t)zf_parse8(w) * 100 + d1 * 10 + d2;
    return true;
}

/* ---- dates -------------------------------------------------------------- */

/* HH:MM:SS exactly: the one time form of timestamp exports that the general parser also
 * takes.  The colons are turned into '0' so that one test checks the six digits. */
static ZF_FAST_INLINE bool zf_fp_hms(const unsigned char *p)
{
    const uint64_t colons = UINT64_C(0x00003A00003A0000), at = UINT64_C(0x0000FF0000FF0000);
    const uint64_t w = zf_load64(p);
    if ((w & at) != colons || !zf_all_digits8(w ^ (colons ^ (ZF_BYTES('0') & at))))
        return false;
    return (p[0] - '0') * 10 + (p[1] - '0') <= 23 && p[3] <= '5' && p[6] <= '5';
}

/* Month and day after "YYYY" and a separator at p[4] (len >= 8): YYYY-M-D, YYYY/MM/DD and
 * the like; *end is where the day ends.  The lengths are selected without a branch
 * (2023/1/5 and 2023/1/15 alternate within one file). */
static ZF_FAST_INLINE bool zf_fp_month_day(const unsigned char *p, size_t len, int *m, int *d, size_t *end)
{
    const unsigned sep = p[4];
    if (sep != '-' && sep != '/')
        return false;
    const unsigned m1 = (unsigned)(p[5] - '0'), m2 = (unsigned)(p[6] - '0');
    const size_t two_m = m2 <= 9;
    size_t i = 6 + two_m;                       /* at most 7 < len */
    if (m1 > 9 || p[i] != sep || ++i >= len)
        return false;
    const unsigned d1 = (unsigned)(p[i] - '0');
    const unsigned d2 = i + 1 < len ? (unsigned)(p[i + 1] - '0') : 10;
    const size_t two_d = d2 <= 9;
    if (d1 > 9)
        return false;
    *m = (int)(two_m ? m1 * 10 + m2 : m1);
    *d = (int)(two_d ? d1 * 10 + d2 : d1);
    *end = i + 1 + two_d;
    return true;
}

/* Whether month m and day d (each up to 99) are a real date in a year that is leap (1) or
 * not (0).  & rather than &&: birth dates are random, a branch on them mispredicted. */
static ZF_FAST_INLINE bool zf_fp_md_ok(int m, int d, int leap)
{
    static const unsigned char month_days[2][16] = {
        {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0},
        {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0, 0, 0}};
    return ((unsigned)(m - 1) < 12) & ((unsigned)(d - 1) < month_days[leap][m & 15]);
}

/* The verdict and day number of y-m-d for a year from 2000 to 2099, where a year is leap
 * exactly when it is divisible by 4: the day number is then a table look-up and a few
 * additions.  False for other years. */
static ZF_FAST_INLINE bool zf_fp_days(int y, int m, int d, int max_year, zf_reason *reason, int32_t *days)
{
    /* Days before each month of a common and a leap year. */
    static const short before[2][16] = {{0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334},
                                        {0, 0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335}};
    const unsigned yy = (unsigned)(y - 2000);
    if (yy > 99)
        return false;
    const int leap = (yy & 3) == 0;
    if (!zf_fp_md_ok(m, d, leap)) {
        *reason = ZF_REASON_BAD_DATE;
        return true;
    }
    /* 10957 = 2000-01-01; (yy + 3) / 4 leap days before year y (2000 is one). */
    *days = (int32_t)(10957 + 365 * yy + (yy + 3) / 4) + before[leap][m] + d - 1;
    *reason = y > max_year ? ZF_REASON_DATE_OUT_OF_RANGE : ZF_REASON_NONE;
    return true;
}

/* YYYYMMDD as eight bytes of w (bytes 0-3 the year). */
static ZF_FAST_INLINE bool zf_fp_ymd(uint64_t w, int max_year, zf_reason *reason, int32_t *days)
{
    if (!zf_all_digits8(w))
        return false;
    w -= ZF_BYTES('0');
    w = w * 10 + (w >> 8);   /* two-digit values in bytes 0, 2, 4, 6 */
    return zf_fp_days((int)(w & 0xFF) * 100 + (int)(w >> 16 & 0xFF), (int)(w >> 32 & 0xFF),
                      (int)(w >> 48 & 0xFF), max_year, reason, days);
}

/* YYYY-M-D or YYYY/M/D with 1-2 digit month and day, optionally followed by ' ' or 'T' and
 * HH:MM:SS; w holds the first eight bytes. */
static ZF_FAST_INLINE bool zf_fp_date_md(const unsigned char *p, size_t len, uint64_t w, int max_year,
                                         zf_reason *reason, int32_t *days)
{
    const uint64_t year = w << 32 | ZF_BYTES('0') >> 32;   /* YYYY right-aligned */
    int m, d;
    size_t end;
    if (!zf_all_digits8(year) || !zf_fp_month_day(p, len, &m, &d, &end))
        return false;
    if (end != len && !(len - end == 9 && (p[end] == ' ' || p[end] == 'T') && zf_fp_hms(p + end + 1)))
        return false;
    return zf_fp_days((int)zf_parse8(year), m, d, max_year, reason, days);
}

/* YYYYMMDD, YYYY-M-D or YYYY/M/D (1-2 digit month and day), optionally followed by ' ' or
 * 'T' and HH:MM:SS, with a year from 2000 to 2099.  The commonest forms, YYYYMMDD and
 * YYYY-MM-DD (with or without the time), become the eight digits YYYYMMDD in one word. */
static ZF_FAST_INLINE bool zf_fp_date(const char *s, size_t len, int max_year, zf_reason *reason, int32_t *days)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len < 8)
        return false;
    const uint64_t w = zf_load64(p);
    if (len == 8 && zf_all_digits8(w))
        return zf_fp_ymd(w, max_year, reason, days);
    if ((len == 10 || (len == 19 && (p[10] == ' ' || p[10] == 'T') && zf_fp_hms(p + 11))) && p[7] == p[4] &&
        (p[4] | 2) == '/') {   /* '-' or '/' */
        const uint64_t dd = (uint64_t)p[8] << 48 | (uint64_t)p[9] << 56;
        return zf_fp_ymd((w & UINT64_C(0xFFFFFFFF)) | (w >> 8 & UINT64_C(0xFFFF00000000)) | dd, max_year,
                         reason, days);
    }
    return zf_fp_date_md(p, len, w, max_year, reason, days);
}

/* ---- citizen IDs -------------------------------------------------------- */

/* Four 16-bit lanes, lane 0 lowest. */
#define ZF_LANES(l0, l1, l2, l3) \
    ((uint64_t)(l0) | (uint64_t)(l1) << 16 | (uint64_t)(l2) << 32 | (uint64_t)(l3) << 48)

/* The weighted sum of the first 16 digits (values 0-9 in the bytes of lo and hi) with the
 * weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4.  The even and the odd bytes go to 16-bit lanes;
 * multiplying by the weights in reverse lane order gathers the dot product in the top lane
 * (at most 16 × 9 × 10, so no lane carries into the next). */
static ZF_FAST_INLINE unsigned zf_fp_id_sum16(uint64_t lo, uint64_t hi)
{
    const uint64_t even = UINT64_C(0x00FF00FF00FF00FF);
    const uint64_t s = (lo & even) * ZF_LANES(2, 8, 10, 7)        /* bytes 6 4 2 0 */
                     + (lo >> 8 & even) * ZF_LANES(1, 4, 5, 9)    /* bytes 7 5 3 1 */
                     + (hi & even) * ZF_LANES(8, 10, 7, 6)        /* bytes 14 12 10 8 */
                     + (hi >> 8 & even) * ZF_LANES(4, 5, 9, 3);   /* bytes 15 13 11 9 */
    return (unsigned)(s >> 48);
}

/* A real date with a year from 1900 to max_year (the Gregorian leap rule in full).  Bitwise
 * & and |, not && and ||: birth years are random, and a branch on "divisible by 4" would be
 * mispredicted for a quarter of them. */
static ZF_FAST_INLINE bool zf_fp_birth_ok(int y, int m, int d, int max_year)
{
    /* to 2099 a year divisible by 4 is leap but 1900; the full rule after that */
    const int leap = y <= 2099 ? ((y & 3) == 0) & (y != 1900) : ((y & 3) == 0) & ((y % 100 != 0) | (y % 400 == 0));
    return (y >= 1900) & (y <= max_year) & zf_fp_md_ok(m, d, leap);
}

/* The value of an ID's last character: 0-9, 10 for x or X, 99 for anything else (a table:
 * one ID in ten ends in X, too many for a predicted branch). */
static ZF_FAST_INLINE unsigned zf_fp_check_value(unsigned char c)
{
    static const unsigned char v[256] = {
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,   /* 0x00 */
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,   /* 0x10 */
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,   /* 0x20 */
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 99, 99, 99, 99, 99, 99,             /* 0x30 */
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,   /* 0x40 */
        99, 99, 99, 99, 99, 99, 99, 99, 10, 99, 99, 99, 99, 99, 99, 99,   /* 0x50: X */
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,   /* 0x60 */
        99, 99, 99, 99, 99, 99, 99, 99, 10, 99, 99, 99, 99, 99, 99, 99,   /* 0x70: x */
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};
    return v[c];
}

/* 17 ASCII digits and 0-9, x or X. */
static ZF_FAST_INLINE bool zf_fp_citizen_id(const char *s, size_t len, int max_year, zf_reason *reason)
{
    if (len != 18)
        return false;
    uint64_t lo = zf_load64(s), hi = zf_load64(s + 8);
    const unsigned d16 = (unsigned)((unsigned char)s[16] - '0');
    const unsigned check = zf_fp_check_value((unsigned char)s[17]);
    if (!zf_all_digits8(lo) || !zf_all_digits8(hi) || d16 > 9 || check > 10)
        return false;
    lo -= ZF_BYTES('0');
    hi -= ZF_BYTES('0');
    /* Two-digit values in the even bytes: YY YY of the birth year at bytes 6 (lo) and 0
     * (hi), MM at 2, DD at 4. */
    const uint64_t pl = lo * 10 + (lo >> 8), ph = hi * 10 + (hi >> 8);
    const int y = (int)(pl >> 48 & 0xFF) * 100 + (int)(ph & 0xFF);
    const int m = (int)(ph >> 16 & 0xFF), d = (int)(ph >> 32 & 0xFF);
    /* check[sum % 11] == last, with check = "10X98765432", is (sum + value) % 11 == 1. */
    const unsigned sum = zf_fp_id_sum16(lo, hi) + d16 * 2;
    *reason = !zf_fp_birth_ok(y, m, d, max_year) ? ZF_REASON_BAD_ID
            : (sum + check) % 11 == 1 ? ZF_REASON_NONE : ZF_REASON_BAD_ID_CHECKSUM;
    return true;
}

#endif
