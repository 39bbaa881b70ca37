#include "zf_frac.h"

#include <stdio.h>
#include <string.h>

static zf_i128 iabs128(zf_i128 v) { return v < 0 ? -v : v; }

int zf_frac_cmp(zf_frac a, zf_frac b)
{
    zf_i128 l = a.n * b.d, r = b.n * a.d;
    return (l > r) - (l < r);
}

static zf_i128 gcd128(zf_i128 a, zf_i128 b)
{
    a = iabs128(a);
    b = iabs128(b);
    while (b) {
        zf_i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

zf_frac zf_frac_reduce(zf_frac a)
{
    zf_i128 g = gcd128(a.n, a.d);
    if (g > 1) {
        a.n /= g;
        a.d /= g;
    }
    return a;
}

/* Decimal digits of a non-negative 128-bit integer into buf (reversed order avoided). */
static int u128_text(zf_i128 v, char *buf)
{
    char tmp[48];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    buf[n] = '\0';
    return n;
}

/* round(n * 10^places / d), half away from zero, for n >= 0, d > 0 */
static zf_i128 scaled_round(zf_i128 n, zf_i128 d, int places)
{
    zf_i128 p = 1;
    for (int i = 0; i < places; i++)
        p *= 10;
    zf_i128 q = n * p / d, r = n * p % d;
    if (2 * r >= d)
        q++;
    return q;
}

/* Put a decimal point `places` digits from the right of the digit string q. */
static char *place_point(bool neg, zf_i128 q, int places, char *buf, size_t size)
{
    char digits[48];
    int n = u128_text(q, digits);
    char out[96];
    size_t o = 0;
    if (neg && q != 0)
        out[o++] = '-';
    if (n <= places) {
        out[o++] = '0';
        out[o++] = '.';
        for (int i = n; i < places; i++)
            out[o++] = '0';
        memcpy(out + o, digits, (size_t)n);
        o += (size_t)n;
    } else {
        memcpy(out + o, digits, (size_t)(n - places));
        o += (size_t)(n - places);
        if (places > 0) {
            out[o++] = '.';
            memcpy(out + o, digits + n - places, (size_t)places);
            o += (size_t)places;
        }
    }
    out[o] = '\0';
    snprintf(buf, size, "%s", out);
    return buf;
}

char *zf_frac_fixed(zf_frac a, int places, char *buf, size_t size)
{
    bool neg = (a.n < 0) != (a.d < 0);
    zf_i128 q = scaled_round(iabs128(a.n), iabs128(a.d), places);
    return place_point(neg, q, places, buf, size);
}

char *zf_frac_sig(zf_frac a, int sig, char *buf, size_t size)
{
    zf_i128 n = iabs128(a.n), d = iabs128(a.d);
    bool neg = (a.n < 0) != (a.d < 0);
    if (n == 0)
        return place_point(false, 0, sig - 1, buf, size);
    /* places so that the rounded result has exactly `sig` significant digits:
       find e with 10^e <= n/d < 10^(e+1), then places = sig - 1 - e (>= 0 here,
       values of rates and growth are below 10^sig). */
    int e = 0;
    zf_i128 lo = d;
    if (n >= d) {
        while (n >= lo * 10) {
            lo *= 10;
            e++;
        }
    } else {
        zf_i128 nn = n;
        while (nn < d) {
            nn *= 10;
            e--;
        }
    }
    int places = sig - 1 - e;
    if (places < 0)
        places = 0;
    zf_i128 q = scaled_round(n, d, places);
    /* 0.99999999996 rounds up to 1.000000000: one digit too many, drop one place */
    zf_i128 limit = 1;
    for (int i = 0; i < sig; i++)
        limit *= 10;
    if (q >= limit && places > 0) {
        places--;
        q = scaled_round(n, d, places);
    }
    return place_point(neg, q, places, buf, size);
}

char *zf_decimal_text(int64_t v, int scale, char *buf, size_t size)
{
    return place_point(v < 0, iabs128(v), scale, buf, size);
}

char *zf_decimal_grouped(int64_t v, int scale, char *buf, size_t size)
{
    char plain[64];
    zf_decimal_text(v < 0 ? -v : v, scale, plain, sizeof plain);
    const char *dot = strchr(plain, '.');
    size_t int_len = dot ? (size_t)(dot - plain) : strlen(plain);
    char out[96];
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    for (size_t i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = plain[i];
    }
    out[o] = '\0';
    snprintf(buf, size, "%s%s", out, dot ? dot : "");
    return buf;
}

double zf_frac_to_double(zf_frac a)
{
    if (a.d == 0)
        return 0.0;
    /* integer part plus remainder keeps 15+ significant digits even for large sums */
    zf_i128 q = a.n / a.d, r = a.n % a.d;
    return (double)q + (double)r / (double)a.d;
}
