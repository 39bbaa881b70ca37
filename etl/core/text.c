/* text.c — the white space of cells, and text made fit for the outputs: cut between
 * characters, invalid bytes and controls escaped, formula starts recognised (zf_text.h). */
#include "zf_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const unsigned char zf_trim_edge[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, [0x80] = 2, [0xE3] = 1};

static bool ascii_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool ideographic_space(const unsigned char *s)
{
    return s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80;
}

void zf_trim_ends(const char **p, size_t *len)
{
    const unsigned char *s = (const unsigned char *)*p;
    size_t n = *len;
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

/* ---- output text -------------------------------------------------------- */

static bool continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Bytes of the valid UTF-8 character at s[0..n), or 0 when there is none: the ranges of
 * the second byte rule out overlong forms, surrogates and code points above U+10FFFF. */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        lo = c == 0xE0 ? 0xA0 : 0x80;
        hi = c == 0xED ? 0x9F : 0xBF;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        lo = c == 0xF0 ? 0x90 : 0x80;
        hi = c == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (n < need || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < need; k++)
        if (!continuation(s[k]))
            return 0;
    return need;
}

size_t zf_utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    const unsigned char *u = (const unsigned char *)s;
    /* s[max] is the first byte left out: when it continues a character, that character
     * starts at most 3 bytes before and is left out whole */
    size_t cut = max;
    while (cut > 0 && max - cut < 3 && continuation(u[cut]))
        cut--;
    return continuation(u[cut]) ? max : cut;   /* no lead byte near: not UTF-8, cut anywhere */
}

/* The bytes of the character a lead byte starts, 0 for a byte that starts none. */
static size_t lead_need(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
}

size_t zf_utf8_complete(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t at = len;
    while (at > 0 && len - at < 4 && continuation(u[at - 1]))
        at--;
    if (at == 0)
        return len;
    at--;   /* the last byte that is not a continuation byte */
    return lead_need(u[at]) > len - at ? at : len;
}

static bool control(unsigned char c)
{
    return c < 0x20 || c == 0x7F;
}

bool zf_text_is_safe(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (u[i] < 0x80) {
            if (control(u[i]))
                return false;
            i++;
            continue;
        }
        size_t n = utf8_char(u + i, len - i);
        if (!n)
            return false;
        i += n;
    }
    return true;
}

size_t zf_text_safe(const char *s, size_t len, char *buf, size_t size)
{
    if (!buf || size == 0)
        return 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        size_t n = u[i] < 0x80 ? (control(u[i]) ? 0 : 1) : utf8_char(u + i, len - i);
        size_t need = n ? n : 4;
        if (o + need >= size)
            break;
        if (n) {
            memcpy(buf + o, s + i, n);
            i += n;
        } else {
            snprintf(buf + o, 5, "\\x%02X", u[i]);
            i++;
        }
        o += need;
    }
    buf[o] = '\0';
    return o;
}

char *zf_text_safe_dup(const char *s)
{
    size_t len = strlen(s), size = len * 4 + 1;   /* every byte escaped, at worst */
    char *out = malloc(size);
    if (out)
        zf_text_safe(s, len, out, size);
    return out;
}

/* [-+]? digits [. digits] [e [-+]? digits], with at least one digit before any exponent. */
static bool plain_number(const char *s, size_t len)
{
    size_t i = 0, digits = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
        digits++;
    if (i < len && s[i] == '.')
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
    if (!digits)
        return false;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t e = ++i;
        if (i < len && (s[i] == '-' || s[i] == '+'))
            e = ++i;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            ;
        if (i == e)
            return false;
    }
    return i == len;
}

bool zf_text_formula_start(const char *s, size_t len)
{
    if (!len || !s[0] || !strchr("=+-@\t\r", s[0]))
        return false;
    return !plain_number(s, len);
}
