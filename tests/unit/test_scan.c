/* test_scan.c — the AVX2 scanners of the extract layer against the portable code: the
 * UTF-8 check (position of the first bad byte and the state carried between chunks), the
 * CSV index pass (against a byte-at-a-time model of it) and the CSV reader (every cell,
 * line number and error), on generated inputs built to cross the 32- and 64-byte blocks,
 * the index span and the reader's buffer in every way, in UTF-8 and GB18030.  On a CPU
 * without AVX2 both readers are the portable code and the tests still check the results
 * they share. */
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zf_test.h"
#include "zf_reader.h"
#include "../../etl/extract/reader_internal.h"

/* Pieces of text, valid and not, that the UTF-8 check must tell apart. */
static const char *const pieces[] = {
    "a", "0123456789", ",", "\n", "阳明街道", "低保", "é", "\xF0\x9F\x98\x80", "\xE3\x80\x80",
    "\xEF\xBB\xBF", "\xED\x9F\xBF", "\xEE\x80\x80", "\xF4\x8F\xBF\xBF",
    /* invalid: stray continuation, overlong, surrogate, too large, truncated, NUL, bad leads */
    "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xE0\x9F\xBF", "\xED\xA0\x80",
    "\xF0\x80\x80\x80", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xE4\xB8", "\xC3",
    "\xF0\x9F\x98", "\x00", "\xE4\xB8\xAD\x80",
};
enum { N_PIECES = sizeof pieces / sizeof pieces[0], N_VALID = 13 };

/* Text of about `len` bytes; `bad_one_in` pieces out of that many are from the invalid
 * ones (0 = all valid). */
static size_t make_text(uint64_t *rng, unsigned char *out, size_t len, unsigned bad_one_in)
{
    size_t n = 0;
    while (n < len) {
        size_t k = zf_test_random(rng) % N_VALID;
        if (bad_one_in && zf_test_random(rng) % bad_one_in == 0)
            k = N_VALID + zf_test_random(rng) % (N_PIECES - N_VALID);
        size_t plen = k == N_PIECES - 2 ? 1 : strlen(pieces[k]);   /* the NUL piece */
        memcpy(out + n, pieces[k], plen);
        n += plen;
    }
    return n;
}

/* Feed s in chunks cut at random places; the index of the first bad byte (or n) and the
 * open sequence at the end. */
static size_t check_in_chunks(const unsigned char *s, size_t n, bool simd, uint64_t cut_seed,
                              unsigned *need)
{
    zf_rd_utf8 st = {0, 0, 0};
    size_t off = 0;
    while (off < n) {
        size_t chunk = 1 + zf_test_random(&cut_seed) % 200;
        if (chunk > n - off)
            chunk = n - off;
        size_t ok = zf_rd_utf8_check_with(&st, s + off, chunk, simd);
        if (ok < chunk)
            return off + ok;
        off += chunk;
    }
    *need = st.need;
    return n;
}

static void test_utf8_simd_equals_scalar(void **state)
{
    (void)state;
    uint64_t rng = 0x2545F4914F6CDD1Dull;
    const bool simd = zf_rd_simd();   /* AVX2 code on a CPU without it would trap */
    unsigned char *buf = malloc(4096);
    assert_non_null(buf);
    size_t bad_found = 0;
    for (int round = 0; round < 20000; round++) {
        size_t len = make_text(&rng, buf, zf_test_random(&rng) % 3000, round % 3 == 0 ? 0 : 1 + round % 200);
        zf_rd_utf8 a = {0, 0, 0}, b = {0, 0, 0};
        size_t whole_simd = zf_rd_utf8_check_with(&a, buf, len, simd);
        size_t whole_scalar = zf_rd_utf8_check_scalar(&b, buf, len);
        assert_int_equal(whole_simd, whole_scalar);
        if (whole_scalar == len)
            assert_int_equal(a.need, b.need);
        else
            bad_found++;
        unsigned need_simd = 9, need_scalar = 9;
        uint64_t cut = zf_test_random(&rng);
        size_t chunked_simd = check_in_chunks(buf, len, simd, cut, &need_simd);
        size_t chunked_scalar = check_in_chunks(buf, len, false, cut, &need_scalar);
        assert_int_equal(chunked_simd, whole_scalar);
        assert_int_equal(chunked_scalar, whole_scalar);
        assert_int_equal(need_simd, need_scalar);
    }
    assert_true(bad_found > 5000);   /* both kinds of text were tried */
    free(buf);
}

static void test_utf8_known_positions(void **state)
{
    (void)state;
    const bool simd = zf_rd_simd();
    unsigned char s[200];
    memset(s, 'a', sizeof s);
    zf_rd_utf8 st = {0, 0, 0};
    s[100] = 0xE0, s[101] = 0x80, s[102] = 0x80;   /* overlong: refused at its second byte */
    assert_int_equal(zf_rd_utf8_check_with(&st, s, sizeof s, simd), 101);
    memset(s, 'a', sizeof s);
    s[63] = 0xE4;                                  /* cut by a block end, then ASCII */
    st = (zf_rd_utf8){0, 0, 0};
    assert_int_equal(zf_rd_utf8_check_with(&st, s, sizeof s, simd), 64);
    memset(s, 'a', sizeof s);
    s[199] = 0xE4;                                 /* open at the end: carried, not an error */
    st = (zf_rd_utf8){0, 0, 0};
    assert_int_equal(zf_rd_utf8_check_with(&st, s, sizeof s, simd), 200);
    assert_int_equal(st.need, 2);
    s[0] = 0xB8, s[1] = 0xAD;                      /* ... and completed by the next chunk */
    assert_int_equal(zf_rd_utf8_check_with(&st, s, 150, simd), 150);
    assert_int_equal(st.need, 0);
    memset(s, 'a', sizeof s);
    s[70] = 0;                                     /* binary data */
    assert_int_equal(zf_rd_utf8_check_with(&st, s, 150, simd), 70);
}

/* ---- the CSV index pass ------------------------------------------------------ */

/* What zf_rd_index_avx2 must produce, byte by byte: field starts and record ends outside
 * quotes, up to the first quote that opens a quoted stretch anywhere but at a field start
 * or right after a quote; the flags it must at least set (quotes, line breaks inside
 * quotes, trim bytes next to a separator).  from is a record start. */
typedef struct index_model {
    uint32_t start[2048], nl[2048], att[2048];
    size_t n_start, n_nl, n_att;
} index_model;

/* A tab separator is no trim byte in the tab pass: it is never at the end of a cell. */
static bool trim_byte(unsigned char ch, char sep)
{
    return (ch <= ' ' && ch != '\n' && ch != (unsigned char)sep) || ch == 0xE3 || ch == 0x80;
}

static bool sep_byte(unsigned char ch, char sep)
{
    return ch == (unsigned char)sep || ch == '\n';
}

static void index_by_bytes(const unsigned char *b, size_t from, size_t to, char sep, index_model *m)
{
    bool inside = false;
    m->n_start = m->n_nl = m->n_att = 0;
    m->start[m->n_start++] = (uint32_t)from;
    for (size_t i = from; i < to; i++) {
        const unsigned char ch = b[i], prev = i > from ? b[i - 1] : '\n';
        if (ch == '"' && !inside && !sep_byte(prev, sep) && prev != '"')
            return;
        if (ch == '"' || (ch == '\n' && inside) || (trim_byte(ch, sep) && sep_byte(prev, sep)) ||
            (sep_byte(ch, sep) && i > from && trim_byte(prev, sep)))
            m->att[m->n_att++] = (uint32_t)i;
        if (ch == '"')
            inside = !inside;
        else if (sep_byte(ch, sep) && !inside)
            m->start[m->n_start++] = (uint32_t)i + 1;
        if (ch == '\n' && !inside)
            m->nl[m->n_nl++] = (uint32_t)i;
    }
}

static void test_index_pass_equals_bytes(void **state)
{
    (void)state;
    if (!zf_rd_simd())
        skip();
    static const unsigned char alphabet[] = "aaaaaaaaaa0123456789,,,,\n\n\"  \r\t\xE3\x80\xE4\xB8";
    uint64_t rng = 0xD1B54A32D192ED03ull;
    const size_t room = ZF_RD_INDEX_SPAN + 128;
    zf_rd_index ix = { malloc(room * 4), malloc(room * 4), malloc(room * 4), 0, 0, 0, 0 };
    unsigned char *buf = malloc(1200);
    index_model *m = malloc(sizeof *m);
    assert_true(ix.start && ix.nl && ix.att && buf && m);
    for (int round = 0; round < 30000; round++) {
        const size_t len = zf_test_random(&rng) % 1100, from = zf_test_random(&rng) % 70;
        const unsigned quotes = 1 + (unsigned)(zf_test_random(&rng) % 4);   /* few quotes, or many */
        for (size_t i = 0; i < from + len; i++) {
            buf[i] = alphabet[zf_test_random(&rng) % (sizeof alphabet - 1)];
            if (buf[i] == '"' && zf_test_random(&rng) % 4 >= quotes)
                buf[i] = 'q';
        }
        const char sep = round % 2 ? '\t' : ',';   /* the comma pass and the tab pass */
        zf_rd_index_avx2(&ix, (const char *)buf, from, from + len, sep);
        index_by_bytes(buf, from, from + len, sep, m);
        assert_int_equal(ix.from, from);
        assert_int_equal(ix.n_start, m->n_start);
        assert_memory_equal(ix.start, m->start, m->n_start * 4);
        assert_int_equal(ix.n_nl, m->n_nl);
        assert_memory_equal(ix.nl, m->nl, m->n_nl * 4);
        /* every flag the model sets; more only cost the careful cut */
        assert_int_equal(ix.att[ix.n_att], UINT32_MAX);
        for (size_t i = 0, j = 0; i < m->n_att; i++, j++) {
            while (j < ix.n_att && ix.att[j] < m->att[i])
                j++;
            assert_true(j < ix.n_att && ix.att[j] == m->att[i]);
        }
    }
    free(ix.start);
    free(ix.nl);
    free(ix.att);
    free(buf);
    free(m);
}

/* ---- the CSV reader, AVX2 against portable --------------------------------------- */

/* Fields as they stand in a file: plain, quoted ("" escapes, line breaks in quotes, CRLF
 * in quotes), quotes the index cannot follow (inside a field, after a closing quote,
 * after white space), white space and U+3000 at the ends, CJK ending in 80 or starting
 * with E3, long ones that cross blocks. */
static const char *const fields[] = {
    "", "1", "JS202300000001", "阳明街道", "门诊慢特病", "173.83", "2022-01-01 12:30:03",
    " padded ", "\t", "\xE3\x80\x80全角\xE3\x80\x80", "一", "の字", "a-rather-long-field-that-spans-a-block-of-32",
    "\"quoted, with comma\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"cr\r\nlf\"", "\"\"",
    "\"1,474.15\"", "\"3,110.13  \"", "\" 12 \"", "\"a\"tail", "\"a\"b\"c", "12\" screen", " \"spaced\"",
    "\"\"\"\"", "\"ends in quote\"\"\"",
};
enum { N_FIELDS = sizeof fields / sizeof fields[0], N_PLAIN = 13 };

/* A field, mostly plain. */
static const char *pick_field(uint64_t *rng, unsigned quoted_one_in)
{
    if (zf_test_random(rng) % quoted_one_in == 0)
        return fields[N_PLAIN + zf_test_random(rng) % (N_FIELDS - N_PLAIN)];
    return fields[zf_test_random(rng) % N_PLAIN];
}

/* How a generated file ends and what its header holds. */
typedef struct csv_shape {
    size_t n_columns;      /* header fields c0 .. c(n-1) */
    unsigned quoted_one_in;
    bool huge;             /* one field longer than the index span */
    int ending;            /* 0 line break, 1 none, 2 an open quote, 3 invalid UTF-8 */
    bool tabs;             /* tab-separated (then n_columns >= 2, so that the header tells) */
} csv_shape;

static size_t put(char *out, size_t n, const char *s)
{
    size_t len = strlen(s);
    memcpy(out + n, s, len);
    return n + len;
}

/* A record: short, long or right, with its line break (LF or CRLF). */
static size_t put_record(uint64_t *rng, char *out, size_t n, const csv_shape *sh)
{
    const unsigned kind = (unsigned)(zf_test_random(rng) % 40);
    size_t cols = sh->n_columns;
    if (kind == 0)
        cols = 1 + zf_test_random(rng) % sh->n_columns;   /* short */
    else if (kind == 1)
        cols += 1 + zf_test_random(rng) % 3;              /* extra fields */
    for (size_t c = 0; c < cols; c++) {
        if (c)
            n = put(out, n, sh->tabs ? "\t" : ",");
        n = put(out, n, pick_field(rng, sh->quoted_one_in));
    }
    static const char *const ends[] = { "\n", "\n", "\n", "\r\n", "\n\n", "\r\n\r\n", "\n \n", "\r\r\n" };
    return put(out, n, ends[zf_test_random(rng) % 20 < 14 ? 0 : zf_test_random(rng) % 8]);
}

static size_t make_csv(uint64_t *rng, char *out, size_t size, const csv_shape *sh)
{
    size_t n = 0;
    for (size_t c = 0; c < sh->n_columns; c++)
        n += (size_t)sprintf(out + n, "%sc%zu", c ? (sh->tabs ? "\t" : ",") : "", c);
    n = put(out, n, zf_test_random(rng) % 3 ? "\n" : "\r\n");
    while (n + 4096 < size) {
        if (sh->huge && zf_test_random(rng) % 500 == 0) {
            n = put(out, n, sh->tabs ? "huge\t\"" : "huge,\"");
            for (size_t i = 0; i < ZF_RD_INDEX_SPAN + 5000 && n + 4096 < size; i++)
                out[n++] = i % 97 == 96 ? '\n' : (char)('a' + i % 26);
            n = put(out, n, "\"\n");
            continue;
        }
        n = put_record(rng, out, n, sh);
    }
    if (sh->ending == 1)
        n = put(out, n, sh->tabs ? "last\tline" : "last,line");
    else if (sh->ending == 2)
        n = put(out, n, sh->tabs ? "open\t\"never closed\nmore" : "open,\"never closed\nmore");
    else if (sh->ending == 3)
        n = put(out, n, sh->tabs ? "bad\t\xE4\xB8\n" : "bad,\xE4\xB8\n");
    return n;
}

/* Every record of path as one line of text, "line|cell|cell|...", then how it ended. */
static char *read_all(const char *path, const char *encoding, const char *const *names, size_t n_names,
                      bool simd)
{
    if (simd)
        unsetenv("ZF_NO_SIMD");
    else
        setenv("ZF_NO_SIMD", "1", 1);
    zf_reader_opts opts = { ZF_FORMAT_CSV, encoding, names, n_names, false, 0 };
    zf_reader *r = NULL;
    zf_error err;
    assert_int_equal(zf_reader_open(&r, path, &opts, &err), ZF_OK);
    size_t cap = 16 << 20, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    zf_cell cells[24];
    for (size_t c = 0; c < n_names; c++)
        cells[c].numeric = true;   /* the reader must clear it */
    for (;;) {
        long line;
        bool more;
        zf_status st = zf_reader_next(r, cells, &line, &more, &err);
        if (st != ZF_OK) {
            n += (size_t)snprintf(out + n, cap - n, "error %d at line %ld\n", (int)st, err.line);
            break;
        }
        if (!more)
            break;
        n += (size_t)snprintf(out + n, cap - n, "%ld", line);
        for (size_t c = 0; c < n_names; c++) {
            assert_false(cells[c].numeric);
            n += (size_t)snprintf(out + n, cap - n, "|%.*s", (int)cells[c].len, cells[c].ptr);
        }
        n += (size_t)snprintf(out + n, cap - n, "\n");
        assert_true(n < cap - 4096);
    }
    zf_reader_free(r);
    unsetenv("ZF_NO_SIMD");
    return out;
}

/* The wanted columns: all in order, or shuffled with some left out, one missing from
 * the header and one asked for twice. */
static size_t pick_columns(uint64_t *rng, size_t n_columns, char names[][24], const char **ptrs)
{
    size_t n = 0;
    const bool in_order = zf_test_random(rng) % 2;
    for (size_t c = 0; c < n_columns; c++)
        if (in_order || c == 0 || zf_test_random(rng) % 4)
            snprintf(names[n++], 24, "c%zu", c);
    for (size_t i = 0; !in_order && n > 1 && i < n; i++) {
        size_t j = zf_test_random(rng) % n;
        char t[24];
        memcpy(t, names[i], 24);
        memcpy(names[i], names[j], 24);
        memcpy(names[j], t, 24);
    }
    if (!in_order) {
        snprintf(names[n++], 24, "not-there");
        memcpy(names[n], names[0], 24);
        n++;
    }
    for (size_t i = 0; i < n; i++)
        ptrs[i] = names[i];
    return n;
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* The same file read both ways must give the same records, line numbers and ending. */
static void compare_readers(const char *path, const char *encoding, const char *const *names, size_t n)
{
    char *a = read_all(path, encoding, names, n, true), *b = read_all(path, encoding, names, n, false);
    assert_string_equal(a, b);
    free(a);
    free(b);
}

static void test_csv_simd_equals_portable(void **state)
{
    (void)state;
    char path[] = "/tmp/zf_scan_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    const size_t cap = 2 << 20;
    char *text = malloc(cap);
    assert_non_null(text);
    for (int round = 0; round < 60; round++) {
        /* sizes from a few records to several buffers (256 KiB) and index spans */
        const size_t size = 6000 + zf_test_random(&rng) % (round % 4 ? 120000 : cap - 6000);
        /* one column too: a line of only "\r" then has the header's field count */
        const bool tabs = round % 3 == 2;
        csv_shape sh = { (tabs ? 2 : 1) + zf_test_random(&rng) % 15, 2 + (unsigned)(zf_test_random(&rng) % 12),
                         round % 5 == 0, (int)(zf_test_random(&rng) % 4), tabs };
        size_t len = make_csv(&rng, text, size, &sh);
        write_file(path, text, len);
        char names[24][24];
        const char *ptrs[24];
        size_t n = pick_columns(&rng, sh.n_columns, names, ptrs);
        compare_readers(path, "utf-8", ptrs, n);
        char *a = read_all(path, "utf-8", ptrs, n, true);
        assert_non_null(strstr(a, "阳明街道"));   /* the CJK cells came through */
        free(a);
    }
    free(text);
    unlink(path);
}

/* GB18030 goes through iconv into the same buffer: both readers see the same UTF-8. */
static void test_csv_gb18030_simd_equals_portable(void **state)
{
    (void)state;
    char path[] = "/tmp/zf_scan_gb_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    uint64_t rng = 0xA0761D6478BD642Full;
    const size_t cap = 600000;
    char *text = malloc(cap), *gb = malloc(cap * 2);
    assert_true(text && gb);
    for (int round = 0; round < 6; round++) {
        csv_shape sh = { 3 + zf_test_random(&rng) % 8, 4, false, round % 3, round % 2 == 1 };   /* TSV too */
        size_t len = make_csv(&rng, text, cap / (round + 1), &sh);
        iconv_t cd = iconv_open("GB18030", "UTF-8");
        assert_true(cd != (iconv_t)-1);
        char *in = text, *o = gb;
        size_t il = len, ol = cap * 2;
        assert_int_not_equal(iconv(cd, &in, &il, &o, &ol), (size_t)-1);
        iconv_close(cd);
        write_file(path, gb, (size_t)(o - gb));
        char names[24][24];
        const char *ptrs[24];
        size_t n = pick_columns(&rng, sh.n_columns, names, ptrs);
        compare_readers(path, "gb18030", ptrs, n);
    }
    free(text);
    free(gb);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_simd_equals_scalar),
        cmocka_unit_test(test_utf8_known_positions),
        cmocka_unit_test(test_index_pass_equals_bytes),
        cmocka_unit_test(test_csv_simd_equals_portable),
        cmocka_unit_test(test_csv_gb18030_simd_equals_portable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
