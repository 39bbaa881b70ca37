/* csv_cut.c — the CSV reader with AVX2 (csv_internal.h): records cut from the index of field
 * starts that csv_index.c builds — a record with the header's fields by vector stores, its
 * flagged fields (quotes, white space at an end) finished one by one, other records field by
 * field — and the portable parser (csv_parse.c) where the index holds no complete record. */
#include "csv_internal.h"

#if ZF_RD_X86

#include <immintrin.h>

/* ---- records cut from the index (AVX2) ------------------------------------------ */

#define CSV_AVX2 __attribute__((target("avx2")))

/* Index from the record at c->pos on. */
static void index_at_pos(csv *c)
{
    size_t to = c->end - c->pos > ZF_RD_INDEX_SPAN ? c->pos + ZF_RD_INDEX_SPAN : c->end;
    zf_rd_index_avx2(&c->ix, c->buf, c->pos, to, c->sep);
    c->ix_k = 1;   /* start[0] is pos */
    c->ix_r = c->ix_a = 0;
    /* a record's field count is checked with one load: past the end, no field starts */
    for (size_t i = 0; i < c->n_colmap; i++)
        c->ix.start[c->ix.n_start + i] = UINT32_MAX;
}

/* The index no longer describes the buffer (the slow path moved on or slid it). */
static void index_drop(csv *c)
{
    c->ix.n_nl = c->ix_r = 0;
    c->ix.from = SIZE_MAX;
}

/* cells[i] = the field from starts[i - 1] to the separator before starts[i], for i in
 * [at, at + 4); base is buf. */
CSV_AVX2 static inline void cut_four(zf_cell *cells, const uint32_t *starts, size_t at, __m256i base)
{
    const __m128i first = _mm_loadu_si128((const __m128i *)(starts + at - 1));
    const __m128i next = _mm_loadu_si128((const __m128i *)(starts + at));
    /* next - first - 1 as next + ~first */
    const __m128i len = _mm_add_epi32(next, _mm_xor_si128(first, _mm_set1_epi32(-1)));
    const __m256i ptr = _mm256_add_epi64(_mm256_cvtepu32_epi64(first), base);   /* p0 p1 | p2 p3 */
    const __m256i len64 = _mm256_cvtepu32_epi64(len);                            /* l0 l1 | l2 l3 */
    const __m256i zero = _mm256_setzero_si256();
    /* the cells are the words p0 l0 0 p1 l1 0 p2 l2 0 p3 l3 0 (numeric false, padding 0) */
    const __m256i pl = _mm256_unpacklo_epi64(ptr, len64);   /* p0 l0 | p2 l2 */
    const __m256i zp = _mm256_unpackhi_epi64(zero, ptr);    /* 0 p1 | 0 p3 */
    const __m256i lz = _mm256_unpackhi_epi64(len64, zero);  /* l1 0 | l3 0 */
    __m128i *out = (__m128i *)(cells + at);
    _mm_storeu_si128(out, _mm256_castsi256_si128(pl));
    _mm_storeu_si128(out + 1, _mm256_castsi256_si128(zp));
    _mm_storeu_si128(out + 2, _mm256_castsi256_si128(lz));
    _mm_storeu_si128(out + 3, _mm256_extracti128_si256(pl, 1));
    _mm_storeu_si128(out + 4, _mm256_extracti128_si256(zp, 1));
    _mm_storeu_si128(out + 5, _mm256_extracti128_si256(lz, 1));
}

/* The same one cell at a time. */
static inline void cut_one(zf_cell *cells, const uint32_t *starts, size_t at, const char *buf)
{
    const uint32_t *s = starts + at;   /* s[-1], not starts[at - 1]: at - 1 wraps for at == 0 */
    cells[at] = (zf_cell){ buf + s[-1], s[0] - 1 - s[-1], false };
}

/* A run of n >= 4 cells: four at a time, the last four overlapping the ones before. */
CSV_AVX2 __attribute__((always_inline)) static inline void cut_run(zf_cell *out, const uint32_t *starts,
                                                                   size_t n, const char *buf)
{
    const __m256i base = _mm256_set1_epi64x((long long)(uintptr_t)buf);
    for (size_t i = 0; i + 4 < n; i += 4)
        cut_four(out, starts, i, base);
    cut_four(out, starts, n - 4, base);
}

/* A record with exactly the header's fields: each run of wanted fields into its cells. */
CSV_AVX2 __attribute__((always_inline)) static inline void cut_plain(const csv *c, zf_cell *cells)
{
    _Static_assert(sizeof(zf_cell) == 24 && offsetof(zf_cell, len) == 8 && offsetof(zf_cell, numeric) == 16,
                   "zf_cell layout");
    const uint32_t *starts = c->ix.start + c->ix_k;   /* starts[-1]: the record's start */
    for (size_t r = 0; r < c->n_runs; r++) {
        const csv_run run = c->runs[r];
        if (run.n >= 4) {
            cut_run(cells + run.cell, starts + run.field, run.n, c->buf);
            continue;
        }
        for (size_t i = 0; i < run.n; i++)
            cut_one(cells + run.cell, starts + run.field, i, c->buf);
    }
    for (size_t i = 0; i < c->n_missing; i++)
        cells[c->missing[i]] = (zf_cell){ NULL, 0, false };
}

/* cut_plain out of line: the fast path keeps its registers for the usual single run. */
CSV_AVX2 __attribute__((noinline)) static void cut_runs(const csv *c, zf_cell *cells)
{
    cut_plain(c, cells);
}

/* A record with more or fewer fields than the header, ending at the line break e. */
static void cut_careful(csv *c, zf_cell *cells, size_t n_cells, size_t start, size_t e)
{
    memset(cells, 0, n_cells * sizeof *cells);
    for (size_t field = 0;; field++) {
        const size_t end = c->ix.start[c->ix_k++] - 1;
        if (field < c->n_colmap && c->colmap[field] >= 0) {
            csv_span span = { start, end - start, c->buf[start] == '"' };
            zf_cell *cell = &cells[c->colmap[field]];
            span_text(c, &span, &cell->ptr, &cell->len);
            zf_trim(&cell->ptr, &cell->len);
        }
        if (end == e)
            return;
        start = end + 1;
    }
}

/* Pass the flags of the record ending at e; the line breaks inside its quotes (e itself
 * is flagged when white space precedes it). */
static long pass_flags(csv *c, size_t e)
{
    long lines = 0;
    for (; c->ix.att[c->ix_a] < e; c->ix_a++)
        lines += c->buf[c->ix.att[c->ix_a]] == '\n';
    c->ix_a += c->ix.att[c->ix_a] == e;
    return lines;
}

/* Field [lo, hi) of a record cut_plain made, holding the flags first[0 .. last - first):
 * unquoted and trimmed.  A quoted field whose only flags are its two quotes is the text
 * inside. */
static inline void finish_field(char *buf, zf_cell *cell, uint32_t lo, uint32_t hi, const uint32_t *first,
                                const uint32_t *last)
{
    if (buf[lo] == '"') {
        if (last - first == 2 && first[0] == lo && first[1] == hi - 1)
            *cell = (zf_cell){ buf + lo + 1, hi - lo - 2, false };
        else
            quoted_text(buf + lo, hi - lo, &cell->ptr, &cell->len);
    }
    zf_trim(&cell->ptr, &cell->len);
}

/* A record with the header's fields ending at e: all cut, then the fields that hold flags
 * finished, and the line breaks inside quotes counted (before unquoting moves the bytes;
 * e itself is flagged when white space precedes it). */
CSV_AVX2 __attribute__((noinline)) static void cut_flagged_exact(csv *c, zf_cell *cells, size_t e)
{
    cut_plain(c, cells);
    const uint32_t *starts = c->ix.start + c->ix_k;   /* starts[-1]: the record's */
    const uint32_t *const flags = c->ix.att + c->ix_a;
    const uint32_t *att = flags;
    char *buf = c->buf;
    long lines = 0;
    size_t f = 0;
    while (*att <= e) {
        while (starts[f] <= *att)
            f++;
        const uint32_t *at_f = starts + f;   /* at_f[-1]: f - 1 wraps for the first field */
        const uint32_t lo = at_f[-1], hi = at_f[0] - 1, *first = att;
        for (; *att <= hi; att++)
            lines += buf[*att] == '\n';
        if (c->colmap[f] >= 0)
            finish_field(buf, &cells[c->colmap[f]], lo, hi, first, att);
    }
    c->line += lines - (att > flags && att[-1] == e);
    c->ix_a = (size_t)(att - c->ix.att);
}

/* A record that needs more than cut_plain, ending at e. */
CSV_AVX2 static void cut_flagged(csv *c, zf_cell *cells, size_t n_cells, size_t pos, size_t e, bool exact)
{
    if (exact) {
        cut_flagged_exact(c, cells, e);
        c->ix_k += c->n_colmap;
        return;
    }
    c->line += pass_flags(c, e);   /* before unquoting moves the bytes */
    cut_careful(c, cells, n_cells, pos, e);
}

/* Whether the line from pos to the line break e is blank (skip_blank_lines' rule: nothing,
 * or a lone \r).  With one column a lone \r also has the header's field count, so the
 * fast path must ask this too. */
static inline bool blank_line(const csv *c, size_t pos, size_t e)
{
    return e == pos || (e == pos + 1 && c->buf[pos] == '\r');
}

/* Whether the record at c->pos ends at the line break e with exactly the header's fields. */
static inline bool exact_fields(const csv *c, size_t e)
{
    return c->ix.start[c->ix_k + c->n_colmap - 1] == e + 1;
}

/* The next record from the index, whatever it needs; false when the index has no complete
 * record at c->pos (the end of the buffer, a quote the pass cannot follow, a record longer
 * than the span). */
CSV_AVX2 static bool next_indexed(csv *c, zf_cell *cells, size_t n_cells, long *line)
{
    for (;;) {
        if (c->ix_r == c->ix.n_nl) {
            if (c->ix.from == c->pos)
                return false;
            index_at_pos(c);
            continue;
        }
        const size_t pos = c->pos, e = c->ix.nl[c->ix_r++];
        c->rec = pos;
        c->pos = e + 1;
        if (blank_line(c, pos, e)) {
            c->ix_k++;
            pass_flags(c, e);
            c->line++;
            continue;
        }
        *line = c->line++;
        cut_flagged(c, cells, n_cells, pos, e, exact_fields(c, e));
        return true;
    }
}

/* Whatever zf_rd_csv_next_avx2 does not cut itself: blank lines, records with more or fewer
 * fields, a new index, the portable parser. */
CSV_AVX2 __attribute__((noinline)) static zf_status next_avx2_slow(zf_reader *r, zf_cell *cells, long *line,
                                                                   bool *more, zf_error *err)
{
    csv *c = r->impl;
    if (next_indexed(c, cells, r->n_columns, line)) {
        *more = true;
        return ZF_OK;
    }
    index_drop(c);
    return zf_rd_csv_next(r, cells, line, more, err);
}

/* The AVX2 reader: records cut from the index, the portable parser where it has none.
 * A record with the header's fields (not blank) is cut here. */
CSV_AVX2 zf_status zf_rd_csv_next_avx2(zf_reader *r, zf_cell *cells, long *line, bool *more, zf_error *err)
{
    csv *c = r->impl;
    if (c->ix_r < c->ix.n_nl) {
        const size_t e = c->ix.nl[c->ix_r];
        if (!blank_line(c, c->pos, e) && exact_fields(c, e)) {
            *line = c->line++;
            if (c->ix.att[c->ix_a] <= e)
                cut_flagged_exact(c, cells, e);
            else if (c->one_run)   /* the usual header: every field wanted, in order */
                cut_run(cells + c->runs[0].cell, c->ix.start + c->ix_k + c->runs[0].field, c->runs[0].n,
                        c->buf);
            else
                cut_runs(c, cells);
            c->ix_k += c->n_colmap;
            c->ix_r++;
            c->rec = c->pos;
            c->pos = e + 1;
            *more = true;
            return ZF_OK;
        }
    }
    return next_avx2_slow(r, cells, line, more, err);
}


#endif
