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
            s += n;
            len -= n;
            break;
        }
    }
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
