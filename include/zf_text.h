/* zf_text.h — core: the white space a cell may carry, and what text must look like before
 * it reaches an output.  White space: one definition for the readers (extract, which hand
 * out trimmed cells) and the validator (which accepts cells from any caller): ASCII white
 * space (space, \t \n \v \f \r) and the ideographic space U+3000 that Chinese input
 * methods type, at either end.  Output text: whatever a person or a loader reads (CSV,
 * workbooks, the page, manifest.json, the JSON log, the warehouse) must be valid UTF-8
 * without control characters, so text is cut only between characters, and bytes that are
 * no UTF-8 (a GBK file name) or are controls (ESC, BEL) are shown as \xHH. */
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

/* The length of the longest prefix of s[0..len) of at most max bytes that does not end
 * inside a UTF-8 character: len itself when len <= max.  A cut never splits a character,
 * so a shortened value stays valid UTF-8 (a 3-byte 凤 is kept whole or dropped whole). */
size_t zf_utf8_cut(const char *s, size_t len, size_t max);

/* len less an incomplete character at the end of s[0..len): for text snprintf may have
 * cut at its buffer's size. */
size_t zf_utf8_complete(const char *s, size_t len);

/* Whether s[0..len) can reach an output as it is: valid UTF-8 with no C0 control (U+0000
 * to U+001F) and no DEL. */
bool zf_text_is_safe(const char *s, size_t len);

/* s[0..len) as output text into buf (NUL-terminated, at most size - 1 bytes): every byte
 * that is not part of a valid UTF-8 character, every C0 control and DEL written as \xHH
 * (capital hex), everything else as it is.  When buf is too small the text is cut between
 * characters and never inside an escape.  Returns the length written. */
size_t zf_text_safe(const char *s, size_t len, char *buf, size_t size);

/* zf_text_safe of the NUL-terminated s in a malloc'd string (the caller frees it), or NULL
 * when out of memory. */
char *zf_text_safe_dup(const char *s);

/* Whether a spreadsheet would take the field s[0..len) for a formula: it starts with =, +,
 * -, @, TAB or CR (OWASP's list) and is not a plain number such as -12.5 or +3 (which a
 * spreadsheet reads as that number, harmlessly). */
bool zf_text_formula_start(const char *s, size_t len);

#endif
