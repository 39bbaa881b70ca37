/* encoding.c — UTF-8 validation and white-space trimming shared by the readers. */
#include "reader_internal.h"
#include "zf_swar.h"

#include <stdlib.h>
#include <string.h>

#if ZF_RD_X86
#include <immintrin.h>
#endif

/* The high bit of every byte of v that is not plain ASCII or is NUL (bytes above the first
 * such byte may be flagged wrongly: only the lowest flag is exact).  Zero: eight plain
 * ASCII bytes, the common case in every input. */
static uint64_t stop_bytes(uint64_t v)
{
    return (v & ZF_BYTES(0x80)) | ((v - ZF_BYTES(1)) & ~v & ZF_BYTES(0x80));
}

/* Ranges for the second byte rule out overlong forms, surrogates and > U+10FFFF. */
static bool utf8_lead(zf_rd_utf8 *st, unsigned char c)
{
    if (c < 0xC2 || c > 0xF4)
        return false;
    st->lo = 0x80;
    st->hi = 0xBF;
    if (c < 0xE0) {
        st->need = 1;
    } else if (c < 0xF0) {
        st->need = 2;
        if (c == 0xE0)
            st->lo = 0xA0;
        if (c == 0xED)
            st->hi = 0x9F;
    } else {
        st->need = 3;
        if (c == 0xF0)
            st->lo = 0x90;
        if (c == 0xF4)
            st->hi = 0x8F;
    }
    return true;
}

/* The byte-at-a-time check: exact position of the first bad byte, state across chunks. */
size_t zf_rd_utf8_check_scalar(zf_rd_utf8 *st, const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (st->need) {
            if (s[i] < st->lo || s[i] > st->hi)
                return i;
            st->need--;
            st->lo = 0x80;
            st->hi = 0xBF;
            i++;
            continue;
        }
        /* Whole words of ASCII, then straight to the first byte that is not (or is NUL). */
        while (i + 8 <= n) {
            uint64_t v;
            memcpy(&v, s + i, sizeof v);
            uint64_t stop = stop_bytes(v);
            if (!stop) {
                i += 8;
                continue;
            }
            i += zf_rd_flag_offset(stop);
            break;
        }
        if (i >= n)
            break;
        unsigned char c = s[i];
        if (c == 0)
            return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        /* The common 3-byte sequence (CJK) with no special second-byte range, whole in reach. */
        if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        if (!utf8_lead(st, c))
            return i;
        /* A whole sequence in reach (Chinese text: mostly 3 bytes) is checked here at once. */
        size_t k = st->need;
        if (i + k < n) {
            if (s[i + 1] < st->lo || s[i + 1] > st->hi)
                return i + 1;
            for (size_t m = 2; m <= k; m++)
                if ((s[i + m] & 0xC0) != 0x80)
                    return i + m;
            st->need = 0;
            i += k + 1;
            continue;
        }
        i++;
    }
    return n;
}


#if ZF_RD_X86

/* Lookup tables of the "lookup" UTF-8 validation (Keiser and Lemire, "Validating UTF-8 in
 * less than one instruction per byte", 2021): three nibble lookups of each byte pair whose
 * AND is non-zero exactly where the pair cannot occur in UTF-8; a fourth test catches
 * third and fourth bytes that are missing or present too often. */
enum {
    U8_TOO_SHORT = 1 << 0, U8_TOO_LONG = 1 << 1, U8_OVERLONG_3 = 1 << 2, U8_TOO_LARGE = 1 << 3,
    U8_SURROGATE = 1 << 4, U8_OVERLONG_2 = 1 << 5, U8_TOO_LARGE_1000 = 1 << 6,
    U8_OVERLONG_4 = 1 << 6, U8_TWO_CONTS = 1 << 7,
    U8_CARRY = U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS,
};

/* A table of 16 bytes in both lanes (vpshufb looks up within each).  Built from uint8_t,
 * not _mm256_setr_epi8's chars: entries of 0x80 and above are not char constants, and
 * clang's -Wconstant-conversion refuses them. */
#define U8_TABLE(...) u8_table((const uint8_t[16]){ __VA_ARGS__ })

__attribute__((target("avx2")))
static inline __m256i u8_table(const uint8_t t[16])
{
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t));
}

__attribute__((target("avx2")))
static __m256i utf8_block_errors(__m256i in, __m256i prev_in)
{
    const __m256i lo4 = _mm256_set1_epi8(0x0F);
    const __m256i joined = _mm256_permute2x128_si256(prev_in, in, 0x21);
    const __m256i prev1 = _mm256_alignr_epi8(in, joined, 15);
    const __m256i prev2 = _mm256_alignr_epi8(in, joined, 14);
    const __m256i prev3 = _mm256_alignr_epi8(in, joined, 13);
    const __m256i b1_high = _mm256_shuffle_epi8(U8_TABLE(
        U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
        U8_TOO_LONG, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS, U8_TWO_CONTS,
        U8_TOO_SHORT | U8_OVERLONG_2, U8_TOO_SHORT, U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,
        U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4),
        _mm256_and_si256(_mm256_srli_epi16(prev1, 4), lo4));
    const int big = U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000;
    const __m256i b1_low = _mm256_shuffle_epi8(U8_TABLE(
        U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4, U8_CARRY | U8_OVERLONG_2,
        U8_CARRY, U8_CARRY, U8_CARRY | U8_TOO_LARGE, big, big, big, big, big, big, big, big,
        big | U8_SURROGATE, big, big),
        _mm256_and_si256(prev1, lo4));
    const int cont = U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS;
    const __m256i b2_high = _mm256_shuffle_epi8(U8_TABLE(
        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
        U8_TOO_SHORT, U8_TOO_SHORT,
        cont | U8_OVERLONG_3 | U8_TOO_LARGE_1000 | U8_OVERLONG_4, cont | U8_OVERLONG_3 | U8_TOO_LARGE,
        cont | U8_SURROGATE | U8_TOO_LARGE, cont | U8_SURROGATE | U8_TOO_LARGE,
        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT),
        _mm256_and_si256(_mm256_srli_epi16(in, 4), lo4));
    const __m256i special = _mm256_and_si256(_mm256_and_si256(b1_high, b1_low), b2_high);
    /* Bytes that must be a third or fourth byte (high bit set only for those). */
    const __m256i must23 = _mm256_or_si256(_mm256_subs_epu8(prev2, _mm256_set1_epi8((char)(0xE0 - 0x80))),
                                           _mm256_subs_epu8(prev3, _mm256_set1_epi8((char)(0xF0 - 0x80))));
    const __m256i must23_80 = _mm256_and_si256(must23, _mm256_set1_epi8((char)0x80));
    const __m256i nul = _mm256_cmpeq_epi8(in, _mm256_setzero_si256());
    return _mm256_or_si256(_mm256_xor_si256(must23_80, special), nul);
}

/* Length of a prefix of s[0..n) known to be valid UTF-8 without NUL bytes and to end on a
 * character boundary: whole 32-byte blocks until the first block with an error, minus the
 * character the block boundary cuts. */
__attribute__((target("avx2")))
static size_t utf8_valid_prefix_avx2(const unsigned char *s, size_t n)
{
    const __m256i one = _mm256_set1_epi8(1), high = _mm256_set1_epi8((char)0x80);
    /* Above these, the last bytes of a block start a character that needs more bytes. */
    const __m256i last_max = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                              -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                              (char)0xEF, (char)0xDF, (char)0xBF);
    __m256i prev = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m256i in = _mm256_loadu_si256((const __m256i *)(s + i));
        /* A block of ASCII without NUL (every byte 01..7F, the common case) only has to
         * see that the block before ended its last character. */
        if (_mm256_testz_si256(_mm256_or_si256(in, _mm256_sub_epi8(in, one)), high)) {
            const __m256i open = _mm256_subs_epu8(prev, last_max);
            if (!_mm256_testz_si256(open, open))
                break;
        } else {
            const __m256i errors = utf8_block_errors(in, prev);
            if (!_mm256_testz_si256(errors, errors))
                break;
        }
        prev = in;
    }
    /* Step back over continuation bytes to the lead byte of the character cut by i (its
     * check may need bytes after i, or the error of block i may belong to it). */
    size_t back = 0;
    while (i > 0 && back < 3 && (s[i - 1] & 0xC0) == 0x80)
        i--, back++;
    if (i > 0 && s[i - 1] >= 0xC0)
        i--;
    return i;
}

#endif

bool zf_rd_simd(void)
{
#if ZF_RD_X86
    const char *off = getenv("ZF_NO_SIMD");
    /* the CSV pass also takes bit masks apart with BMI1 (blsr, tzcnt) and follows quotes
     * with a carry-less multiply */
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("pclmul") && !(off && *off && strcmp(off, "0") != 0);
#else
    return false;
#endif
}

size_t zf_rd_utf8_check_with(zf_rd_utf8 *st, const unsigned char *s, size_t n, bool simd)
{
#if ZF_RD_X86
    if (simd && n >= 64) {
        /* first the end of a character the previous chunk cut */
        const size_t head = st->need;
        const size_t bad = zf_rd_utf8_check_scalar(st, s, head);
        if (bad < head)
            return bad;
        size_t ok = head + utf8_valid_prefix_avx2(s + head, n - head);
        return ok + zf_rd_utf8_check_scalar(st, s + ok, n - ok);
    }
#endif
    (void)simd;
    return zf_rd_utf8_check_scalar(st, s, n);
}

size_t zf_rd_utf8_check(zf_rd_utf8 *st, const unsigned char *s, size_t n)
{
    return zf_rd_utf8_check_with(st, s, n, zf_rd_simd());
}

void zf_rd_trim_header(const char **p, size_t *len)
{
    zf_trim(p, len);
    const unsigned char *s = (const unsigned char *)*p;
    while (*len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        *p += 3;
        *len -= 3;
        zf_trim(p, len);
        s = (const unsigned char *)*p;
    }
}

long zf_rd_count_lines(const char *s, size_t n)
{
    long count = 0;
    const char *end = s + n;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl)
            break;
        count++;
        s = nl + 1;
    }
    return count;
}
