/* target.c — published target cells ("82%", ">18", "﹤0.9%", "实现") as exact
 * comparisons.  The plan tables mix ASCII and full-width signs, so both are read. */
#include "zf_defs.h"

#include <string.h>

#include "define_internal.h"

typedef struct sign {
    const char *text;
    zf_target_op op;
} sign;

/* Two-character forms first, so ">=" is not read as ">" followed by "=". */
static const sign signs[] = {
    {">=", ZF_TARGET_GE}, {"<=", ZF_TARGET_LE}, {"≥", ZF_TARGET_GE}, {"≤", ZF_TARGET_LE},
    {"≧", ZF_TARGET_GE}, {"≦", ZF_TARGET_LE}, {">", ZF_TARGET_GT}, {"＞", ZF_TARGET_GT},
    {"﹥", ZF_TARGET_GT}, {"<", ZF_TARGET_LT}, {"＜", ZF_TARGET_LT}, {"﹤", ZF_TARGET_LT},
};

static bool is_space_at(const char *s, size_t len, size_t *w)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
        *w = 1;
        return true;
    }
    if (len >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {   /* NBSP */
        *w = 2;
        return true;
    }
    if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) {   /* full-width space */
        *w = 3;
        return true;
    }
    return false;
}

static void trim(const char **s, size_t *len)
{
    size_t w;
    while (*len && is_space_at(*s, *len, &w)) {
        *s += w;
        *len -= w;
    }
    /* trailing: test each of the three widths at the end */
    for (bool again = true; again && *len;) {
        again = false;
        for (size_t k = 1; k <= 3 && k <= *len; k++)
            if (is_space_at(*s + *len - k, k, &w) && w == k) {
                *len -= k;
                again = true;
                break;
            }
    }
}

static bool contains(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(s + i, needle, n) == 0)
            return true;
    return false;
}

/* A cell with none of these is a word (实现, 达成); with any of them it must be a number. */
static bool looks_numeric(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '%' || s[i] == '-' || s[i] == '+')
            return true;
    if (contains(s, len, "％"))
        return true;
    for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++)
        if (contains(s, len, signs[i].text))
            return true;
    return false;
}

static bool strip_suffix(const char *s, size_t *len, const char *suf)
{
    size_t n = strlen(suf);
    if (*len >= n && memcmp(s + *len - n, suf, n) == 0) {
        *len -= n;
        return true;
    }
    return false;
}

/* One bound of a range or an exact cell: "6", "6%", " 50 ％ ". */
static bool bound(const char *s, size_t len, bool *percent, int64_t *num, int64_t *den)
{
    trim(&s, &len);
    *percent = strip_suffix(s, &len, "%") || strip_suffix(s, &len, "％");
    trim(&s, &len);
    if (!zf_def_decimal(s, len, num, den))
        return false;
    if (*percent)
        *den *= 100;
    return true;
}

/* "=50%" / "＝50%": GE 50% with upper bound 50%; "A～B" (also ~ and -): GE A, upper B.
 * A percent sign on either bound applies to both ("1～6%" is 1% to 6%). */
static bool parse_exact_or_range(zf_target *out, const char *s, size_t len)
{
    static const char *const eq[] = {"=", "＝"}, *const sep[] = {"～", "~", "-", "—"};
    bool pa = false, pb = false;
    for (size_t i = 0; i < 2; i++) {
        size_t n = strlen(eq[i]);
        if (len > n && memcmp(s, eq[i], n) == 0 && bound(s + n, len - n, &pa, &out->num, &out->den)) {
            out->percent = pa;
            out->explicit_op = out->has_upper = true;
            out->upper_num = out->num;
            out->upper_den = out->den;
            return true;
        }
    }
    for (size_t k = 1; k < len; k++)
        for (size_t i = 0; i < 4; i++) {
            size_t n = strlen(sep[i]);
            if (k + n >= len || memcmp(s + k, sep[i], n) != 0)
                continue;
            int64_t an, ad, bn, bd;
            if (!bound(s, k, &pa, &an, &ad) || !bound(s + k + n, len - k - n, &pb, &bn, &bd))
                return false;
            if (pa != pb) {   /* "1～6%": the sign belongs to both */
                if (!pa) ad *= 100;
                if (!pb) bd *= 100;
            }
            out->percent = pa || pb;
            out->num = an;
            out->den = ad;
            out->has_upper = true;
            out->upper_num = bn;
            out->upper_den = bd;
            return (__int128)an * bd <= (__int128)bn * ad;   /* low <= high */
        }
    return false;
}

zf_status zf_target_parse(zf_target *out, const char *cell, zf_error *err)
{
    memset(out, 0, sizeof *out);
    if (!cell)
        return zf_error_set(err, ZF_ERR_DEFINITION, NULL, 0, 0, "target cell is missing (expected e.g. 82%%, >18, 实现)");
    out->cell = cell;
    out->den = 1;
    const char *s = cell;
    size_t len = strlen(cell);
    trim(&s, &len);
    if (len == 0)
        return zf_error_set(err, ZF_ERR_DEFINITION, NULL, 0, 0,
                            "empty target cell (expected e.g. 82%%, >18, ﹤0.9%%, 实现; null for no target)");
    if (!looks_numeric(s, len)) {
        if (len != strlen(cell))
            return zf_error_set(err, ZF_ERR_DEFINITION, NULL, 0, 0,
                                "target word \"%s\" has surrounding spaces (expected the word alone)", cell);
        out->op = ZF_TARGET_WORD;
        out->word = cell;
        return ZF_OK;
    }
    out->op = ZF_TARGET_GE;
    for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++) {
        size_t n = strlen(signs[i].text);
        if (len >= n && memcmp(s, signs[i].text, n) == 0) {
            out->op = signs[i].op;
            out->explicit_op = true;
            s += n;
            len -= n;
            break;
        }
    }
    /* other plans: "=50%" (exactly) and ranges "1～6", "1~6", "1-6", "1%～6%" */
    if (!out->explicit_op && parse_exact_or_range(out, s, len))
        return ZF_OK;
    trim(&s, &len);
    out->percent = strip_suffix(s, &len, "%") || strip_suffix(s, &len, "％");
    trim(&s, &len);
    if (!zf_def_decimal(s, len, &out->num, &out->den))
        return zf_error_set(err, ZF_ERR_DEFINITION, NULL, 0, 0,
                            "bad target cell \"%s\" (expected a number with an optional sign and %%: "
                            "16, 82%%, >18, ﹤0.9%%, <=5, or a word such as 实现)", cell);
    if (out->percent)
        out->den *= 100;
    return ZF_OK;
}
