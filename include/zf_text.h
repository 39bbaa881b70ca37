/* zf_text.h — core: the white space a cell may carry.  One definition for the readers
 * (extract, which hand out trimmed cells) and the validator (which accepts cells from any
 * caller): ASCII white space (space, \t \n \v \f \r) and the ideographic space U+3000 that
 * Chinese input methods type, at either end. */
#ifndef ZF_TEXT_H
#define ZF_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Per byte: bit 0 when it could start white space (<= ' ', or E3, the first byte of U+3000),
 * bit 1 when it could end it (<= ' ', or 80, the last byte of E3 80 80). */
extern const unsigned char zf_trim_edge[256];

/* Whether zf_trim could change s[0..n): two table look-ups and no branch, because it runs
 * on every text cell of every record. */
static inline bool zf_may_trim(const char *s, size_t n)
{
    const unsigned char *t = (const unsigned char *)s;
    return n && ((zf_trim_edge[t[0]] & 1) | (zf_trim_edge[t[n - 1]] & 2)) != 0;
}

/* zf_trim's work, once zf_may_trim said there may be some. */
void zf_trim_ends(const char **s, size_t *len);

/* Trim ASCII white space and U+3000 from both ends of *s[0..*len).  The test is inline and
 * the work a call, so callers need no pre-test of their own. */
static inline void zf_trim(const char **s, size_t *len)
{
    if (zf_may_trim(*s, *len))
        zf_trim_ends(s, len);
}

#endif
