/* date.c — the accepted date forms of sources.md, as day numbers (zf_calendar.h). */
#include "zf_value.h"

/* ---- parsing ------------------------------------------------------------ */

typedef const unsigned char *cursor;

static bool is_digit(unsigned char c)
{
    return (unsigned char)(c - '0') < 10;
}

static cursor skip_digits(cursor p, cursor end)
{
    while (p < end && is_digit(*p))
        p++;
    return p;
}

/* Read between min and max (at most 9) ASCII digits; -1 when there are fewer than min. */
static int read_digits(cursor *p, cursor end, int min, int max)
{
    int v = 0, n = 0;
    while (*p < end && n < max && is_digit(**p)) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n >= min ? v : -1;
}

static bool eat(cursor *p, cursor end, const char *lit, size_t n)
{
    if ((size_t)(end - *p) < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((*p)[i] != (unsigned char)lit[i])
            return false;
    *p += n;
    return true;
}

/* H:MM or HH:MM[:SS[.fraction]] — the time of a timestamp export is ignored, but it must
 * be a time, so that "2024-03-05 foo" is not taken for a date.  The fraction is what
 * PostgreSQL prints for timestamps with sub-second precision. */
static bool time_ok(cursor p, cursor end)
{
    int h = read_digits(&p, end, 1, 2);
    if (h < 0 || h > 23 || !eat(&p, end, ":", 1))
        return false;
    cursor mstart = p;
    int mi = read_digits(&p, end, 2, 2);
    if (mi < 0 || mi > 59 || p - mstart != 2)
        return false;
    if (p == end)
        return true;
    if (!eat(&p, end, ":", 1))
        return false;
    int s = read_digits(&p, end, 2, 2);
    if (s < 0 || s > 59)
        return false;
    if (p < end && *p == '.') {
        cursor f = ++p;
        p = skip_digits(p, end);
        if (p == f)
            return false;
    }
    return p == end;
}

/* Y-M-D with '-' or '/' (same separator twice, 1–2 digit month and day), an optional
 * time after ' ' or 'T'; YYYYMMDD; YYYY年M月D日.  Returns false when it is none of them. */
static bool text_date(cursor p, cursor end, int *y, int *m, int *d)
{
    if (end - p == 8 && skip_digits(p, end) == end) {   /* not 2024/3/5, also 8 bytes */
        *y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
        *m = (p[4] - '0') * 10 + (p[5] - '0');
        *d = (p[6] - '0') * 10 + (p[7] - '0');
        return true;
    }
    cursor q = p;
    if ((*y = read_digits(&q, end, 4, 4)) < 0 || q == end)
        return false;
    if (*q == '-' || *q == '/') {
        const unsigned char sep = *q++;
        if ((*m = read_digits(&q, end, 1, 2)) < 0 || q == end || *q++ != sep)
            return false;
        if ((*d = read_digits(&q, end, 1, 2)) < 0)
            return false;
        if (q == end)
            return true;
        if (*q != ' ' && *q != 'T')
            return false;
        return time_ok(q + 1, end);
    }
    if (!eat(&q, end, "\xE5\xB9\xB4", 3) || (*m = read_digits(&q, end, 1, 2)) < 0 ||
        !eat(&q, end, "\xE6\x9C\x88", 3) || (*d = read_digits(&q, end, 1, 2)) < 0 ||
        !eat(&q, end, "\xE6\x97\xA5", 3))
        return false;
    return q == end;
}

/* Excel's 1900 system: serial 1 is 1900-01-01 and serial 60 the 1900-02-29 that never
 * was (Lotus 1-2-3's leap-year bug), so serials from 61 on are one day behind.  A
 * fractional part is the time of day. */
static zf_reason excel_serial(cursor p, cursor end, zf_serial_dates serials, int32_t *days)
{
    cursor q = p;
    int serial = read_digits(&q, end, 1, 7);
    if (serial < 0)
        return ZF_REASON_BAD_DATE;
    if (q < end) {
        if (*q++ != '.' || q == end || skip_digits(q, end) != end)
            return ZF_REASON_BAD_DATE;
    }
    if (serials == ZF_SERIAL_1904) {
        if (serial > 2957003)   /* 9999-12-31 */
            return ZF_REASON_BAD_DATE;
        *days = zf_days_from_civil(1904, 1, 1) + serial;
        return ZF_REASON_NONE;
    }
    if (serial < 1 || serial == 60 || serial > 2958465)   /* 2958465 = 9999-12-31 */
        return ZF_REASON_BAD_DATE;
    const int32_t base = zf_days_from_civil(1899, 12, serial < 60 ? 31 : 30);
    *days = base + serial;
    return ZF_REASON_NONE;
}

zf_reason zf_parse_date(const char *s, size_t len, zf_serial_dates serials, int max_year, int32_t *days)
{
    cursor p = (cursor)s, end = p + len;
    int y, m, d;
    if (text_date(p, end, &y, &m, &d)) {
        if (!zf_date_valid(y, m, d))
            return ZF_REASON_BAD_DATE;
        *days = zf_days_from_civil(y, m, d);
    } else if (serials != ZF_SERIAL_NONE) {
        zf_reason r = excel_serial(p, end, serials, days);
        if (r != ZF_REASON_NONE)
            return r;
        zf_civil_from_days(*days, &y, &m, &d);
    } else {
        return ZF_REASON_BAD_DATE;
    }
    /* The date is real; only now is its year judged. */
    if (y < ZF_DATE_MIN_YEAR || y > max_year)
        return ZF_REASON_DATE_OUT_OF_RANGE;
    return ZF_REASON_NONE;
}
