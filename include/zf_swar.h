/* zf_swar.h — byte tricks on 64-bit words ("SIMD within a register") for the validator's
 * fast paths and the key packer: no branch per byte, so no misprediction on texts whose
 * length varies from record to record (amounts), and no intrinsics, so no CPU check.
 *
 * Words hold text bytes in memory order: byte 0 (the lowest) is the first character.
 * Nothing here reads outside [s, s + n): short texts are put together from overlapping
 * loads (ASan would see any over-read). */
#ifndef ZF_SWAR_H
#define ZF_SWAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The byte b repeated in all eight bytes of a word. */
#define ZF_BYTES(b) (UINT64_C(0x0101010101010101) * (uint64_t)(b))

static inline uint64_t zf_load64(const void *p)
{
    uint64_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

static inline uint32_t zf_load32(const void *p)
{
    uint32_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap32(w);
#endif
    return w;
}

/* s[0..n), 1 <= n <= 8, right-aligned in a word (s[n-1] in the top byte) behind n-8
 * '0' bytes: the form zf_parse8 reads, so the value does not depend on n. */
static inline uint64_t zf_load_right(const char *s, size_t n)
{
    static const uint64_t zeros[9] = {
        ZF_BYTES('0'), ZF_BYTES('0') >> 8, ZF_BYTES('0') >> 16, ZF_BYTES('0') >> 24,
        ZF_BYTES('0') >> 32, ZF_BYTES('0') >> 40, ZF_BYTES('0') >> 48, ZF_BYTES('0') >> 56, 0};
    const unsigned char *p = (const unsigned char *)s;
    uint64_t w;
    if (n >= 4)   /* two 4-byte loads that overlap when n < 8 (equal bytes, so | is exact) */
        w = (uint64_t)zf_load32(p + n - 4) << 32 | (uint64_t)zf_load32(p) << (8 * (8 - n));
    else          /* first, middle and last byte cover n <= 3 */
        w = (uint64_t)p[n - 1] << 56 | (uint64_t)p[n / 2] << (8 * (8 - n + n / 2)) |
            (uint64_t)p[0] << (8 * (8 - n));
    return w | zeros[n];
}

/* Whether all eight bytes are ASCII digits: minus '0', each is below 10 (+ 0x76 leaves bit 7
 * clear) and did not wrap (bit 7 clear).  A byte below '0' borrows from the next one, but
 * the lowest byte that is not a digit is always judged right, which is all it takes; and
 * w - '0' is the first step of zf_parse8, which the compiler then shares. */
static inline bool zf_all_digits8(uint64_t w)
{
    const uint64_t t = w - ZF_BYTES('0');
    return (((t + ZF_BYTES(0x76)) | t) & ZF_BYTES(0x80)) == 0;
}

/* 0x80 in each byte of w equal to c, 0 in the others (exact: no false positives). */
static inline uint64_t zf_eq_bytes(uint64_t w, unsigned char c)
{
    const uint64_t x = w ^ ZF_BYTES(c);
    return ~(((x & ZF_BYTES(0x7F)) + ZF_BYTES(0x7F)) | x | ZF_BYTES(0x7F));
}

/* The value of eight ASCII digits, the first (byte 0) the most significant. */
static inline uint32_t zf_parse8(uint64_t w)
{
    w -= ZF_BYTES('0');
    w = w * 10 + (w >> 8);   /* pairs: each even byte now holds two digits' value */
    w = (((w & UINT64_C(0x000000FF000000FF)) * (100 + (UINT64_C(1000000) << 32))) +
         (((w >> 16) & UINT64_C(0x000000FF000000FF)) * (1 + (UINT64_C(10000) << 32)))) >> 32;
    return (uint32_t)w;
}

/* The value of four ASCII digits. */
static inline uint32_t zf_parse4(const char *s)
{
    return zf_parse8((uint64_t)zf_load32(s) << 32 | ZF_BYTES('0') >> 32);
}

#endif
