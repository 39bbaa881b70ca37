/* csv_index.c — the structural pass of the CSV reader: the separators of a stretch of text
 * found 64 bytes at a time and written as positions, so that csv.c cuts records with no
 * work per byte (the approach of simdjson and simdcsv).
 *
 * Quotes are followed by a prefix XOR of the quote bits (a carry-less multiply by all ones):
 * a separator (a comma, or a tab: csv.c says which) or line break counts when an even
 * number of quotes precedes it.  That is RFC 4180 quoting, and it agrees with the reader's
 * lenient rules (csv.c: a quote opens a field only as its first byte; text after a closing
 * quote is kept; a quote anywhere else is a plain character) as long as every quote that
 * opens a quoted stretch stands at the start of a field or right after a closing quote
 * (the "" escape).  The pass stops before the first quote that does not, and csv.c parses
 * that record the slow way. */
#include "reader_internal.h"

#include <string.h>

#if ZF_RD_X86
#include <immintrin.h>

#define IX_TARGET __attribute__((target("avx2,bmi,pclmul")))

IX_TARGET static inline uint64_t mask64(__m256i lo, __m256i hi)
{
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(lo) | (uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32;
}

/* Bytes that zf_may_trim looks for at the ends of a cell: white space and control
 * characters, and the first and last bytes of U+3000 (in valid UTF-8, E3 cannot end a
 * cell and 80 cannot start one, so one mask serves both ends). */
IX_TARGET static inline __m256i trim_bytes(__m256i x)
{
    const __m256i space = _mm256_set1_epi8(' ');
    const __m256i low = _mm256_cmpeq_epi8(_mm256_max_epu8(x, space), space);
    return _mm256_or_si256(low, _mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0xE3)),
                                                _mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0x80))));
}

/* The last n < 64 bytes of the text, padded with a byte that means nothing to the pass. */
typedef struct ix_tail {
    char b[64];
} ix_tail;

static ix_tail padded_tail(const char *p, size_t n)
{
    ix_tail t;
    memcpy(t.b, p, n);
    memset(t.b + n, 'x', sizeof t.b - n);
    return t;
}

/* Bit i set when an odd number of quotes sits at or before byte i. */
IX_TARGET static inline uint64_t prefix_xor(uint64_t bits)
{
    const __m128i all = _mm_set1_epi8((char)0xFF);
    return (uint64_t)_mm_cvtsi128_si64(_mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)bits), all, 0));
}

/* tzcnt written over its input.  GCC clears the output register before each tzcnt, to
 * break the false dependency on it that CPUs before Skylake have: a ninth of the pass's
 * instructions.  With the input as the output there is no false dependency to break. */
static inline uint32_t trailing_zeros(uint64_t x)
{
    __asm__("tzcnt %0, %0" : "+r"(x));
    return (uint32_t)x;
}

/* Append the positions of the set bits of `bits`, block at `base`, at out; returns the
 * new end.  Eight are written whatever the count (the arrays have room), which saves a
 * branch per bit. */
IX_TARGET static inline uint32_t *flatten(uint32_t *out, uint32_t base, uint64_t bits)
{
    uint32_t *end = out + __builtin_popcountll(bits);
#pragma GCC unroll 8
    for (int j = 0; j < 8; j++) {
        const uint64_t rest = _blsr_u64(bits);
        out[j] = base + trailing_zeros(bits);
        bits = rest;
    }
    for (out += 8; bits;) {
        const uint64_t rest = _blsr_u64(bits);
        *out++ = base + trailing_zeros(bits);
        bits = rest;
    }
    return end;
}

/* The same for masks that are mostly empty. */
IX_TARGET static inline uint32_t *flatten_sparse(uint32_t *out, uint32_t base, uint64_t bits)
{
    while (bits) {
        const uint64_t rest = _blsr_u64(bits);
        *out++ = base + trailing_zeros(bits);
        bits = rest;
    }
    return out;
}

/* The bytes of one block of 64 that the pass looks at. */
typedef struct ix_masks {
    uint64_t sep, nl, quote, trim;
} ix_masks;

IX_TARGET __attribute__((always_inline)) static inline ix_masks block_masks(const char *p, char sep)
{
    const __m256i lo = _mm256_loadu_si256((const __m256i *)p);
    const __m256i hi = _mm256_loadu_si256((const __m256i *)(p + 32));
    const __m256i c = _mm256_set1_epi8(sep), n = _mm256_set1_epi8('\n'), q = _mm256_set1_epi8('"');
    const __m256i nl_lo = _mm256_cmpeq_epi8(lo, n), nl_hi = _mm256_cmpeq_epi8(hi, n);
    ix_masks m;
    m.nl = mask64(nl_lo, nl_hi);
    m.sep = mask64(_mm256_or_si256(nl_lo, _mm256_cmpeq_epi8(lo, c)),
                   _mm256_or_si256(nl_hi, _mm256_cmpeq_epi8(hi, c)));
    m.quote = mask64(_mm256_cmpeq_epi8(lo, q), _mm256_cmpeq_epi8(hi, q));
    /* a tab separator is white space too, but not a cell's: like a line break, no trim byte
     * (m.sep for tabs only: the comma pass keeps its old dependency chain) */
    m.trim = mask64(trim_bytes(lo), trim_bytes(hi)) & ~(sep == '\t' ? m.sep : m.nl);
    return m;
}

/* x shifted up by one byte, the last byte of the previous block coming in at bit 0. */
static inline uint64_t from_prev(uint64_t x, uint64_t prev)
{
    return x << 1 | prev >> 63;
}

/* Follow the quotes of a block: clear the separators inside them, flag every quote and
 * every line break inside quotes (csv.c counts lines with them).  A quote that opens a
 * quoted stretch but does not stand after a separator or a quote (may_open) stops the
 * pass: the masks keep the bits before it, and the result is false. */
IX_TARGET static inline bool follow_quotes(ix_masks *m, uint64_t *in_quote, uint64_t may_open, uint64_t *att)
{
    const uint64_t inside = prefix_xor(m->quote) ^ *in_quote;
    const uint64_t stray = m->quote & inside & ~may_open;
    *in_quote = (uint64_t)((int64_t)inside >> 63);
    *att |= m->quote | (m->nl & inside);
    const uint64_t keep = stray ? _blsmsk_u64(stray) >> 1 : ~(uint64_t)0;
    m->sep &= ~inside & keep;
    m->nl &= ~inside & keep;
    *att &= keep;
    return !stray;
}

/* The pass so far: where the entries go, and what the blocks pass on. */
typedef struct ix_pass {
    uint32_t *sep, *nl, *att;
    uint64_t in_quote;   /* all ones when the next block starts inside quotes */
    uint64_t prev_sep;   /* the last block's separators and quotes: bit 63 is the byte before */
    uint64_t prev_trim;  /* the last block's trim bytes */
    bool stopped;        /* at a quote follow_quotes refused */
} ix_pass;

/* The entries of a block at base.  Line breaks and flags are rare: their cursors stay in
 * memory. */
IX_TARGET __attribute__((always_inline)) static inline uint32_t *emit(ix_pass *ps, uint32_t *sep_out,
                                                                      uint32_t base, uint64_t sep, uint64_t nl,
                                                                      uint64_t att)
{
    if (nl)
        ps->nl = flatten_sparse(ps->nl, base, nl);
    if (att)
        ps->att = flatten_sparse(ps->att, base, att);
    return flatten(sep_out, base + 1, sep);   /* the byte after each separator */
}

/* The pass over the n blocks of 64 bytes at p, the first of them at `base` in the text. */
IX_TARGET __attribute__((always_inline)) static inline void index_blocks(ix_pass *ps, const char *p, size_t n,
                                                                         uint32_t base, char sep)
{
    uint32_t *sep_out = ps->sep;
    uint64_t in_quote = ps->in_quote, prev_sep = ps->prev_sep, prev_trim = ps->prev_trim;
    for (size_t b = 0; b < n; b++, p += 64, base += 64) {
        ix_masks m = block_masks(p, sep);
        uint64_t att = (m.trim & from_prev(m.sep, prev_sep)) | (m.sep & from_prev(m.trim, prev_trim));
        /* a quote in the carry only flags more (quoted records are flagged anyway) */
        const uint64_t next_sep = m.sep | m.quote;
        if (__builtin_expect((m.quote | in_quote) != 0, 0)) {
            if (!follow_quotes(&m, &in_quote, from_prev(next_sep, prev_sep), &att)) {
                ps->sep = emit(ps, sep_out, base, m.sep, m.nl, att);
                ps->stopped = true;
                return;
            }
        }
        prev_sep = next_sep;
        prev_trim = m.trim;
        sep_out = emit(ps, sep_out, base, m.sep, m.nl, att);
    }
    ps->sep = sep_out;
    ps->in_quote = in_quote;
    ps->prev_sep = prev_sep;
    ps->prev_trim = prev_trim;
}

/* The pass for one separator: always inlined into a copy per separator, so that the comma
 * pass compares with a constant as it did before tabs were known. */
IX_TARGET __attribute__((always_inline)) static inline void index_sep(zf_rd_index *ix, const char *buf,
                                                                      size_t from, size_t to, char sep)
{
    /* from is a record start: right after a line break */
    ix_pass s = { ix->start + 1, ix->nl, ix->att, 0, (uint64_t)1 << 63, 0, false };
    ix->start[0] = (uint32_t)from;
    ix->from = from;
    const size_t whole = (to - from) / 64, i = from + 64 * whole;
    index_blocks(&s, buf + from, whole, (uint32_t)from, sep);
    if (!s.stopped && i < to) {
        const ix_tail tail = padded_tail(buf + i, to - i);
        index_blocks(&s, tail.b, 1, (uint32_t)i, sep);
    }
    ix->n_start = (size_t)(s.sep - ix->start);
    ix->n_nl = (size_t)(s.nl - ix->nl);
    ix->n_att = (size_t)(s.att - ix->att);
    *s.att = UINT32_MAX;
}

/* One function per separator: inlined side by side into one, the two copies got a worse
 * register allocation and the comma pass 3 % more instructions. */
IX_TARGET __attribute__((noinline)) static void index_tabs(zf_rd_index *ix, const char *buf, size_t from,
                                                           size_t to)
{
    index_sep(ix, buf, from, to, '\t');
}

IX_TARGET void zf_rd_index_avx2(zf_rd_index *ix, const char *buf, size_t from, size_t to, char sep)
{
    if (sep == '\t') {
        index_tabs(ix, buf, from, to);
        return;
    }
    index_sep(ix, buf, from, to, ',');
}

#endif
