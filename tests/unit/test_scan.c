/* test_scan.c — the AVX2 scanners of the extract layer against the portable code: the
 * UTF-8 check (position of the first bad byte and the state carried between chunks) and
 * the CSV splitter (every cell and line number), on generated inputs built to cross the
 * 32-byte blocks and the reader's buffer in every way.  On a CPU without AVX2 both sides
 * are the portable code and the tests still check the results they share. */
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
    unsigned char *buf = malloc(4096);
    assert_non_null(buf);
    size_t bad_found = 0;
    for (int round = 0; round < 20000; round++) {
        size_t len = make_text(&rng, buf, zf_test_random(&rng) % 3000, round % 3 == 0 ? 0 : 1 + round % 200);
        zf_rd_utf8 a = {0, 0, 0}, b = {0, 0, 0};
        size_t whole_simd = zf_rd_utf8_check_with(&a, buf, len, true);
        size_t whole_scalar = zf_rd_utf8_check_scalar(&b, buf, len);
        assert_int_equal(whole_simd, whole_scalar);
        if (whole_scalar == len)
            assert_int_equal(a.need, b.need);
        else
            bad_found++;
        unsigned need_simd = 9, need_scalar = 9;
        uint64_t cut = zf_test_random(&rng);
        size_t chunked_simd = check_in_chunks(buf, len, true, cut, &need_simd);
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
    unsigned char s[200];
    memset(s, 'a', sizeof s);
    zf_rd_utf8 st = {0, 0, 0};
    s[100] = 0xE0, s[101] = 0x80, s[102] = 0x80;   /* overlong: refused at its second byte */
    assert_int_equal(zf_rd_utf8_check_with(&st, s, sizeof s, true), 101);
    memset(s, 'a', sizeof s);
    s[63] = 0xE4;                                  /* cut by a block end, then ASCII */
    st = (zf_rd_utf8){0, 0, 0};
    assert_int_equal(zf_rd_utf8_check_with(&st, s, sizeof s, true), 64);
    memset(s, 'a', sizeof s);
    s[199] = 0xE4;                                 /* open at the end: carried, not an error */
    st = (zf_rd_utf8){0, 0, 0};
    assert_int_equal(zf_rd_utf8_check_with(&st, s, sizeof s, true), 200);
    assert_int_equal(st.need, 2);
    s[0] = 0xB8, s[1] = 0xAD;                      /* ... and completed by the next chunk */
    assert_int_equal(zf_rd_utf8_check_with(&st, s, 150, true), 150);
    assert_int_equal(st.need, 0);
    memset(s, 'a', sizeof s);
    s[70] = 0;                                     /* binary data */
    assert_int_equal(zf_rd_utf8_check_with(&st, s, 150, true), 70);
}

/* ---- the CSV splitter ----------------------------------------------------- */

static const char *const fields[] = {
    "", "1", "JS202300000001", "阳明街道", "门诊慢特病", "173.83", " padded ", "\xE3\x80\x80全角\xE3\x80\x80",
    "\"quoted, with comma\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "a-rather-long-field-that-spans-a-block",
};
enum { N_FIELDS = sizeof fields / sizeof fields[0] };

static size_t make_csv(uint64_t *rng, char *out, size_t records, size_t *n_columns)
{
    *n_columns = 3 + zf_test_random(rng) % 12;
    size_t n = 0;
    for (size_t c = 0; c < *n_columns; c++)
        n += (size_t)sprintf(out + n, "%sc%zu", c ? "," : "", c);
    n += (size_t)sprintf(out + n, "\n");
    for (size_t r = 0; r < records; r++) {
        size_t cols = *n_columns - (zf_test_random(rng) % 8 == 0);   /* short records too */
        for (size_t c = 0; c < cols; c++) {
            const char *f = fields[zf_test_random(rng) % N_FIELDS];
            if (zf_test_random(rng) % 4)   /* mostly plain, quotes now and then */
                f = fields[zf_test_random(rng) % 8];
            n += (size_t)sprintf(out + n, "%s%s", c ? "," : "", f);
        }
        n += (size_t)sprintf(out + n, zf_test_random(rng) % 5 == 0 ? "\r\n" : "\n");
        if (zf_test_random(rng) % 50 == 0)
            n += (size_t)sprintf(out + n, "\n");   /* a blank line */
    }
    return n;
}

/* Every record of path as one line of text: "line|cell|cell|...". */
static char *read_all(const char *path, size_t n_columns, bool simd)
{
    const char *names[16];
    char name_buf[16][24];
    for (size_t c = 0; c < n_columns; c++) {
        snprintf(name_buf[c], sizeof name_buf[c], "c%zu", c);
        names[c] = name_buf[c];
    }
    if (simd)
        unsetenv("ZF_NO_SIMD");
    else
        setenv("ZF_NO_SIMD", "1", 1);
    zf_reader_opts opts = {ZF_FORMAT_CSV, "utf-8", names, n_columns, false};
    zf_reader *r = NULL;
    zf_error err;
    assert_int_equal(zf_reader_open(&r, path, &opts, &err), ZF_OK);
    size_t cap = 8 << 20, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    zf_cell cells[16];
    for (;;) {
        long line;
        bool more;
        assert_int_equal(zf_reader_next(r, cells, &line, &more, &err), ZF_OK);
        if (!more)
            break;
        n += (size_t)snprintf(out + n, cap - n, "%ld", line);
        for (size_t c = 0; c < n_columns; c++)
            n += (size_t)snprintf(out + n, cap - n, "|%.*s", (int)cells[c].len, cells[c].ptr);
        n += (size_t)snprintf(out + n, cap - n, "\n");
        assert_true(n < cap - 4096);
    }
    zf_reader_free(r);
    unsetenv("ZF_NO_SIMD");
    return out;
}

static void test_csv_simd_equals_portable(void **state)
{
    (void)state;
    char path[] = "/tmp/zf_scan_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    uint64_t rng = 0x9E3779B97F4A7C15ull;
    char *text = malloc(1 << 20);
    assert_non_null(text);
    for (int round = 0; round < 40; round++) {
        size_t n_columns;
        size_t len = make_csv(&rng, text, 100 + zf_test_random(&rng) % 3000, &n_columns);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(text, 1, len, f), len);
        fclose(f);
        char *a = read_all(path, n_columns, true), *b = read_all(path, n_columns, false);
        assert_string_equal(a, b);
        assert_non_null(strstr(a, "|阳明街道"));   /* the CJK cells came through */
        free(a);
        free(b);
    }
    free(text);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_simd_equals_scalar),
        cmocka_unit_test(test_utf8_known_positions),
        cmocka_unit_test(test_csv_simd_equals_portable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
