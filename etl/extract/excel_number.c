/* excel_number.c — a spreadsheet number cell's text as Excel shows it.
 *
 * Excel and most XLSX writers store a number cell as the shortest (or a 17-digit) decimal of a
 * double: 9477.87 typed by a clerk is stored as 9477.8700000000008 or 9477.870000000001.  Excel
 * itself works and displays to 15 significant digits, so that is what the clerk typed and what
 * the type rules must see.  The rounding is done on the decimal digits themselves (half away from
 * zero, as Excel displays), never through a double, so it is exact and the same on every
 * machine.  Text that already has at most 15 significant digits is left exactly as written. */
#include "reader_internal.h"

#include <string.h>

enum { EXCEL_DIGITS = 15, EXCEL_MAX_TEXT = 64 };

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

size_t zf_rd_excel_digits(const char *s, size_t len, char *out, size_t cap)
{
    if (len == 0 || len > EXCEL_MAX_TEXT || cap < len + 2)
        return 0;
    char digits[EXCEL_MAX_TEXT + 1];
    size_t i = 0, nd = 0, n_int = 0;
    bool neg = s[0] == '-';
    if (s[0] == '-' || s[0] == '+')
        i++;
    for (; i < len && is_digit(s[i]); i++)
        digits[nd++] = s[i];
    n_int = nd;
    if (i < len && s[i] == '.')
        for (i++; i < len && is_digit(s[i]); i++)
            digits[nd++] = s[i];
    size_t exp_at = i;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d0 = i;
        for (; i < len && is_digit(s[i]); i++)
            ;
        if (i == d0)
            return 0;
    }
    if (i != len || nd == 0)
        return 0;   /* not a plain number: left to the type rules to judge */

    size_t first = 0;
    while (first < nd && digits[first] == '0')
        first++;
    if (nd - first <= EXCEL_DIGITS)
        return 0;

    size_t cut = first + EXCEL_DIGITS;   /* digits at cut and after are dropped */
    bool up = digits[cut] >= '5';
    for (size_t k = cut; k < nd; k++)
        digits[k] = '0';
    bool carry = up;
    for (size_t k = cut; carry && k-- > 0;) {
        if (digits[k] == '9') {
            digits[k] = '0';
        } else {
            digits[k]++;
            carry = false;
        }
    }

    size_t o = 0;
    if (neg)
        out[o++] = '-';
    if (carry)
        out[o++] = '1';   /* 9.99…9 rounded up: one more integer digit */
    size_t lead = 0;
    while (lead + 1 < n_int && digits[lead] == '0' && !carry)
        lead++;
    if (n_int == 0 && !carry)
        out[o++] = '0';
    memcpy(out + o, digits + lead, n_int - lead);
    o += n_int - lead;
    size_t frac_end = nd;
    while (frac_end > n_int && digits[frac_end - 1] == '0')
        frac_end--;
    if (frac_end > n_int) {
        out[o++] = '.';
        memcpy(out + o, digits + n_int, frac_end - n_int);
        o += frac_end - n_int;
    }
    memcpy(out + o, s + exp_at, len - exp_at);
    o += len - exp_at;
    return o;
}
