/* csv_sniff.c — what the CSV reader works out about a text file before it reads it: whether
 * the bytes are UTF-16 (Excel's "Unicode text" save, with or without its byte order mark)
 * and which separator the records use (a comma, or the tab of .txt/.tsv exports).  Both
 * are detected, never declared: departments send whatever their office software wrote.
 * csv.c owns the decoding and the parsing; this file only looks. */
#include "reader_internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

enum {
    SNIFF_UTF16_BYTES = 64 * 1024,   /* enough code units to see the pattern */
    SNIFF_RECORDS = 16,              /* "the first few lines", title block included */
};

/* UTF-16 without a byte order mark is told by its NUL bytes: text that is mostly ASCII
 * (digits, separators, line breaks) has a zero high byte in every other position.  To
 * keep binary files out, the NULs must sit almost all on one side, no code unit may be
 * U+0000, and a line break or tab must appear. */
static const char *utf16_by_pattern(const unsigned char *s, size_t n)
{
    size_t nul[2] = { 0, 0 }, breaks[2] = { 0, 0 };
    if (n > SNIFF_UTF16_BYTES)
        n = SNIFF_UTF16_BYTES;
    if (!memchr(s, '\0', n))
        return NULL;   /* every UTF-8 and GB18030 file: the count below would cost it 1 % */
    for (size_t i = 0; i + 1 < n; i += 2) {
        if (s[i] == 0 && s[i + 1] == 0)
            return NULL;
        nul[0] += s[i] == 0;
        nul[1] += s[i + 1] == 0;
        /* breaks[0]: the unit read big-endian is a break; breaks[1]: little-endian */
        breaks[0] += s[i] == 0 && (s[i + 1] == '\n' || s[i + 1] == '\r' || s[i + 1] == '\t');
        breaks[1] += s[i + 1] == 0 && (s[i] == '\n' || s[i] == '\r' || s[i] == '\t');
    }
    if (nul[1] > 4 * nul[0] && breaks[1])
        return "utf-16le";
    if (nul[0] > 4 * nul[1] && breaks[0])
        return "utf-16be";
    return NULL;
}

const char *zf_rd_utf16_sniff(const unsigned char *s, size_t n, size_t *bom)
{
    *bom = 0;
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
        if (n >= 4 && s[0] == 0xFF && s[2] == 0 && s[3] == 0)
            return NULL;   /* the UTF-32LE mark: not a format sources use */
        *bom = 2;
        return s[0] == 0xFF ? "utf-16le" : "utf-16be";
    }
    return utf16_by_pattern(s, n);
}

/* Fields of the record at *p with separator sep, by the reader's rules (a quote opens a
 * field only as its first byte, "" escapes one); 0 when the record does not end before n
 * (unless eof).  *p moves past it. */
static size_t record_fields(const char *s, size_t n, size_t *p, char sep, bool eof)
{
    size_t i = *p, fields = 1;
    for (bool field_start = true; i < n; i++) {
        const char ch = s[i];
        if (field_start && ch == '"') {
            for (i++; i < n; i++)
                if (s[i] == '"' && !(i + 1 < n && s[i + 1] == '"'))
                    break;
                else if (s[i] == '"')
                    i++;
            if (i >= n)
                break;
            field_start = false;
            continue;
        }
        field_start = ch == sep;
        fields += ch == sep;
        if (ch == '\n') {
            *p = i + 1;
            return fields;
        }
    }
    *p = n;
    return eof ? fields : 0;
}

/* Whether the record just read is blank (nothing, or a lone \r). */
static bool blank_record(const char *s, size_t start, size_t next)
{
    size_t len = next - start;
    if (len && s[next - 1] == '\n')
        len--;
    return len == 0 || (len == 1 && s[start] == '\r');
}

/* The most common field count above one over the first records, and how many records
 * have it (ties: the larger count). */
static void consistency(const char *s, size_t n, bool eof, char sep, size_t *count, size_t *records)
{
    size_t seen[SNIFF_RECORDS], k = 0;
    for (size_t p = 0; p < n && k < SNIFF_RECORDS;) {
        const size_t start = p, f = record_fields(s, n, &p, sep, eof);
        if (f == 0)
            break;
        if (!blank_record(s, start, p))
            seen[k++] = f;
    }
    *count = 0;
    *records = 0;
    for (size_t i = 0; i < k; i++) {
        size_t same = 0;
        for (size_t j = 0; j < k; j++)
            same += seen[j] == seen[i];
        if (seen[i] > 1 && (same > *records || (same == *records && seen[i] > *count))) {
            *count = seen[i];
            *records = same;
        }
    }
}

char zf_rd_csv_separator(const char *s, size_t n, bool eof)
{
    size_t comma_count, comma_records, tab_count, tab_records;
    consistency(s, n, eof, ',', &comma_count, &comma_records);
    consistency(s, n, eof, '\t', &tab_count, &tab_records);
    if (tab_records > comma_records || (tab_records == comma_records && tab_count > comma_count))
        return '\t';
    return ',';
}
