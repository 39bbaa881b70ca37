/* text.c — the white space of cells (zf_text.h). */
#include "zf_text.h"

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
