/* frac.c — exact fractions and fixed-point decimals (zf_frac.h): reduced, compared and
 * printed with integer arithmetic only.  It lives in core because the plan's targets are
 * fractions too, parsed by define before any record is read. */
#include "zf_frac.h"

#include <stdio.h>
#include <string.h>

static zf_i128 iabs128(zf_i128 v) { return v < 0 ? -v : v; }

/* a vs b for a, b >= 0 without a product: the integer parts, then the remainders' inverses
 * (r1/d1 < r2/d2 exactly when d1/r1 > d2/r2), as in a continued fraction. */
static int cmp_quotients(zf_i128 n1, zf_i128 d1, zf_i128 n2, zf_i128 d2)
{
    for (;;) {
        const zf_i128 q1 = n1 / d1, q2 = n2 / d2, r1 = n1 % d1, r2 = n2 % d2;
        if (q1 != q2)
            return q1 < q2 ? -1 : 1;
        if (r1 == 0 || r2 == 0)
            return (r1 != 0) - (r2 != 0);
        n1 = d2;
        n2 = d1;
        d1 = r2;
        d2 = r1;
    }
}

int zf_frac_cmp(zf_frac a, zf_frac b)
{
    zf_i128 l, r;
    if (!__builtin_mul_overflow(a.n, b.d, &l) && !__builtin_mul_overflow(b.n, a.d, &r))
        return (l > r) - (l < r);
    /* a growth's fraction can be near 2^127 (zf_frac.h): compared exactly all the same */
    if ((a.n < 0) != (b.n < 0))
        return a.n < 0 ? -1 : 1;
    return a.n < 0 ? cmp_quotients(-b.n, b.d, -a.n, a.d) : cmp_quotients(a.n, a.d, b.n, b.d);
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

/* round(n * 10^places / d), half away from zero, for n >= 0, d > 0, by long division: n * 10^places
 * itself can be past 128 bits (a growth near 2^127, a rate of 10^-30 to 10 digits).  A
 * remainder r < d <= 2^127 is multiplied by 10 as ten additions modulo d, each below 2^127.
 * false when the result itself is past 2^127 (no caller asks for one). */
static bool scaled_round(zf_i128 n, zf_i128 d, int places, zf_i128 *out)
{
    zf_i128 q = n / d, r = n % d;
    for (int i = 0; i < places; i++) {
        zf_i128 t = 0, digit = 0;
        for (int k = 0; k < 10; k++) {
            if (t >= d - r) {
                t -= d - r;
                digit++;
            } else {
                t += r;
            }
        }
        r = t;
        if (__builtin_mul_overflow(q, 10, &q) || __builtin_add_overflow(q, digit, &q))
            return false;
    }
    if (r >= d - r && __builtin_add_overflow(q, 1, &q))
        return false;
    *out = q;
    return true;
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

/* What is written for a number past 128 bits: never a wrong figure. */
static char *out_of_range(char *buf, size_t size)
{
    snprintf(buf, size, "%s", "#OVERFLOW");
    return buf;
}

char *zf_frac_fixed(zf_frac a, int places, char *buf, size_t size)
{
    bool neg = (a.n < 0) != (a.d < 0);
    zf_i128 q;
    if (!scaled_round(iabs128(a.n), iabs128(a.d), places, &q))
        return out_of_range(buf, size);
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
    /* (n >= lo * 10 and n * 10^k >= d tested without the products, which can be past
       128 bits: n / 10 >= lo, and n >= ceil(d / 10^k) with ceil taken k times) */
    int e = 0;
    zf_i128 lo = d;
    if (n >= d) {
        while (n / 10 >= lo) {
            lo *= 10;
            e++;
        }
    } else {
        zf_i128 dd = d;
        while (n < dd) {
            dd = dd / 10 + (dd % 10 != 0);
            e--;
        }
    }
    int places = sig - 1 - e;
    if (places < 0)
        places = 0;
    zf_i128 q;
    if (!scaled_round(n, d, places, &q))
        return out_of_range(buf, size);
    /* 0.99999999996 rounds up to 1.000000000: one digit too many, drop one place */
    zf_i128 limit = 1;
    for (int i = 0; i < sig; i++)
        limit *= 10;
    if (q >= limit && places > 0) {
        places--;
        if (!scaled_round(n, d, places, &q))
            return out_of_range(buf, size);
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
    place_point(false, iabs128(v), scale, plain, sizeof plain);   /* -INT64_MIN is past int64 */
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
    /* Both exact in a double: one division rounds once, so 986531513/100 is the double
     * nearest 9865315.13 (a spreadsheet shows it so), not 9865315.129999999. */
    const zf_i128 exact = (zf_i128)1 << 53;
    if (a.n > -exact && a.n < exact && a.d < exact)
        return (double)a.n / (double)a.d;
    /* integer part plus remainder keeps 15+ significant digits even for large sums */
    zf_i128 q = a.n / a.d, r = a.n % a.d;
    return (double)q + (double)r / (double)a.d;
}
