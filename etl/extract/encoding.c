/* encoding.c — UTF-8 validation and white-space trimming shared by the readers. */
#include "reader_internal.h"

#include <string.h>

#define ZF_HIGH_BITS 0x8080808080808080ull
#define ZF_LOW_BITS 0x0101010101010101ull

/* The high bit of every byte of v that is not plain ASCII or is NUL (bytes above the first
 * such byte may be flagged wrongly: only the lowest flag is exact).  Zero: eight plain
 * ASCII bytes, the common case in every input. */
static uint64_t stop_bytes(uint64_t v)
{
    return (v & ZF_HIGH_BITS) | ((v - ZF_LOW_BITS) & ~v & ZF_HIGH_BITS);
}

/* Ranges for the second byte rule out overlong forms, surrogates and > U+10FFFF. */
static bool utf8_lead(zf_rd_utf8 *st, unsigned char c)
{
    if (c < 0xC2 || c > 0xF4)
        return false;
    st->lo = 0x80;
    st->hi = 0xBF;
    if (c < 0xE0) {
        st->need = 1;
    } else if (c < 0xF0) {
        st->need = 2;
        if (c == 0xE0)
            st->lo = 0xA0;
        if (c == 0xED)
            st->hi = 0x9F;
    } else {
        st->need = 3;
        if (c == 0xF0)
            st->lo = 0x90;
        if (c == 0xF4)
            st->hi = 0x8F;
    }
    return true;
}

size_t zf_rd_utf8_check(zf_rd_utf8 *st, const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (st->need) {
            if (s[i] < st->lo || s[i] > st->hi)
                return i;
            st->need--;
            st->lo = 0x80;
            st->hi = 0xBF;
            i++;
            continue;
        }
        /* Whole words of ASCII, then straight to the first byte that is not (or is NUL). */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, sizeof v);
            uint64_t stop = stop_bytes(v);
            if (!stop) {
                i += 8;
                continue;
            }
            i += zf_rd_flag_offset(stop);
            break;
        }
        if (i >= n)
            break;
        unsigned char c = s[i];
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        /* The common 3-byte sequence (CJK) with no special second-byte range, whole in reach. */
        if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        if (!utf8_lead(st, c))
            return i;
        /* A whole sequence in reach (Chinese text: mostly 3 bytes) is checked here at once. */
        size_t k = st->need;
        if (i + k < n) {
            if (s[i + 1] < st->lo || s[i + 1] > st->hi)
                return i + 1;
            for (size_t m = 2; m <= k; m++)
                if ((s[i + m] & 0xC0) != 0x80)
                    return i + m;
            st->need = 0;
            i += k + 1;
            continue;
        }
        i++;
    }
    return n;
}

static bool ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool ideographic_space(const unsigned char *s)
{
    return s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80;
}

void zf_rd_trim(const char **p, size_t *len)
{
    const unsigned char *s = (const unsigned char *)*p;
    size_t n = *len;
    /* Nothing to trim unless an end byte is white space (all <= ' ') or could belong to
     * U+3000 (E3 80 80): the common cell returns here. */
    if (n == 0 || (s[0] > ' ' && s[0] != 0xE3 && s[n - 1] > ' ' && s[n - 1] != 0x80))
        return;
    for (;;) {
        if (n && ascii_space(s[0])) {
            s++;
            n--;
        } else if (n >= 3 && ideographic_space(s)) {
            s += 3;
            n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (n && ascii_space(s[n - 1]))
            n--;
        else if (n >= 3 && ideographic_space(s + n - 3))
            n -= 3;
        else
            break;
    }
    *p = (const char *)s;
    *len = n;
}

void zf_rd_trim_header(const char **p, size_t *len)
{
    zf_rd_trim(p, len);
    const unsigned char *s = (const unsigned char *)*p;
    while (*len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        *p += 3;
        *len -= 3;
        zf_rd_trim(p, len);
        s = (const unsigned char *)*p;
    }
}

long zf_rd_count_lines(const char *s, size_t n)
{
    long count = 0;
    const char *end = s + n;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl)
            break;
        count++;
        s = nl + 1;
    }
    return count;
}
