/* zf_frac.h — exact fractions and decimals.  Rates are kept as the two integers they are
 * made of; nothing is accumulated in binary floating point.  A double is produced only at
 * the very edge, for a spreadsheet cell or a chart coordinate. */
#ifndef ZF_FRAC_H
#define ZF_FRAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef __int128 zf_i128;

/* n / d with d > 0 (not reduced unless asked). */
typedef struct zf_frac {
    zf_i128 n, d;
} zf_frac;

/* -1, 0, 1 as a < b, a == b, a > b.  Exact for any operands: cross-multiplied in 128 bits
 * when the products fit, else by integer parts and remainders. */
int zf_frac_cmp(zf_frac a, zf_frac b);
zf_frac zf_frac_reduce(zf_frac a);

/* Decimal text of n/d rounded half away from zero to `sig` significant digits, without
 * exponent: 0.8312345678, 0.003123456789, -0.0125, 1.000000000.  Exact for any n, d (a
 * result past 2^127 units of its last digit is written "#OVERFLOW", never a wrong figure). */
char *zf_frac_sig(zf_frac a, int sig, char *buf, size_t size);
/* Decimal text of n/d rounded half away from zero to `places` decimals: 83.1 for places=1
 * of 0.831 × 100 (the caller scales). */
char *zf_frac_fixed(zf_frac a, int places, char *buf, size_t size);
/* An integer with `scale` implied decimals: (123450, 2) → "1234.50". */
char *zf_decimal_text(int64_t v, int scale, char *buf, size_t size);
/* Same with thousands separators: "1,234.50". */
char *zf_decimal_grouped(int64_t v, int scale, char *buf, size_t size);

double zf_frac_to_double(zf_frac a);

#endif
