/* keyset.c — exact key sets and maps with typical keys packed into 64-bit codes.
 *
 * Code layout (bits 63..62 = form):
 *   form 0  prefix + digits:        plen:2 letters:15 ndig:4 value:41
 *   form 1  prefix + digits + year: plen:2 letters:15 ndig:4 year-1970:7 value:34
 *   form 2  citizen ID:             17 digits × 11 + check (0-9, X = 10)
 * Every field is recovered by zf_key_unpack, which is what makes the packing exact.  The
 * running number sits in the low bits so that numbered keys fill the 64-code buckets of a
 * zf_keyset densely. */
#include "zf_keyset.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "zf_swar.h"

#define FORM_SHIFT 62
#define EMPTY_CODE UINT64_MAX

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* The value of the 1 to 13 ASCII digits at p (the caller has checked them), eight at a time:
 * a running number of a dozen digits is one multiply-add chain less per key. */
static uint64_t digits_value(const unsigned char *p, size_t n)
{
    static const uint64_t pow10[6] = {1, 10, 100, 1000, 10000, 100000};
    if (n <= 8)
        return zf_parse8(zf_load_right((const char *)p, n));
    return (uint64_t)zf_parse8(zf_load64(p)) * pow10[n - 8] +
           zf_parse8(zf_load_right((const char *)p + 8, n - 8));
}

static bool pack_citizen_id(const unsigned char *p, uint64_t *code)
{
    const uint64_t lo = zf_load64(p), hi = zf_load64(p + 8);
    if (!zf_all_digits8(lo) || !zf_all_digits8(hi) || !is_digit(p[16]))
        return false;
    uint64_t check;
    if (is_digit(p[17]))
        check = (uint64_t)(p[17] - '0');
    else if (p[17] == 'X')
        check = 10;
    else
        return false;
    const uint64_t v = (uint64_t)zf_parse8(lo) * 1000000000 + (uint64_t)zf_parse8(hi) * 10 + (p[16] - '0');
    *code = (UINT64_C(2) << FORM_SHIFT) | (v * 11 + check);
    return true;
}

/* The common key, 0-3 capital letters and then only digits (1-12 of them), with no
 * branch per byte: the digits are checked and read eight at a time.  False for anything
 * else, which zf_key_pack then reads byte by byte. */
/* The capital letters (0-3) that start p (len >= 4) and their 5-bit codes, from one 4-byte
 * word: a byte is a capital when, with bit 7 clear, adding 0x3F sets bit 7 (>= 'A') and
 * adding 0x25 does not (<= 'Z'); the code of 'A'-'Z' is its low five bits (1-26). */
static size_t capitals(const unsigned char *p, uint64_t *letters)
{
    const uint32_t w = zf_load32(p), low = w & 0x7F7F7F7Fu;
    const uint32_t caps = (low + 0x3F3F3F3Fu) & ~(low + 0x25252525u) & ~w & 0x80808080u;
    const size_t plen = (size_t)__builtin_ctz((~caps & 0x00808080u) | 0x80000000u) / 8;
    const uint64_t all3 = (uint64_t)(w & 0x1F) << 10 | (uint64_t)(w >> 8 & 0x1F) << 5 | (w >> 16 & 0x1F);
    *letters = all3 >> (5 * (3 - plen));
    return plen;
}

static bool pack_numbered(const unsigned char *p, size_t len, uint64_t *code)
{
    size_t plen = 0;
    uint64_t letters = 0;
    if (len >= 4) {
        plen = capitals(p, &letters);
    } else {
        while (plen < len && p[plen] >= 'A' && p[plen] <= 'Z')
            letters = letters << 5 | (uint64_t)(p[plen++] - 'A' + 1);
    }
    const size_t ndig = len - plen;
    if (ndig - 1 >= 12)   /* none, or more than 12 */
        return false;
    const char *d = (const char *)p + plen;
    uint64_t value;
    if (ndig <= 8) {
        const uint64_t w = zf_load_right(d, ndig);
        if (!zf_all_digits8(w))
            return false;
        value = zf_parse8(w);
    } else {
        static const uint64_t pow10[5] = {10, 100, 1000, 10000, 100000};
        const uint64_t hi = zf_load64(d), lo = zf_load_right(d + 8, ndig - 8);
        if (!zf_all_digits8(hi) || !zf_all_digits8(lo))
            return false;
        value = (uint64_t)zf_parse8(hi) * pow10[ndig - 9] + zf_parse8(lo);
    }
    *code = (uint64_t)plen << 60 | letters << 45 | (uint64_t)ndig << 41 | value;
    return true;
}

/* Any packable key, byte by byte: what the two forms above do not take (the running
 * number and a year of a composite key), or a text that does not pack at all. */
static __attribute__((noinline)) bool pack_general(const unsigned char *p, size_t len, uint64_t *code)
{
    size_t i = 0;
    uint64_t letters = 0;
    while (i < len && i < 3 && p[i] >= 'A' && p[i] <= 'Z')
        letters = letters << 5 | (uint64_t)(p[i++] - 'A' + 1);
    const size_t plen = i;
    while (i < len && i - plen < 13 && is_digit(p[i]))
        i++;
    const size_t ndig = i - plen;
    if (ndig == 0 || ndig > 12)
        return false;
    const uint64_t value = digits_value(p + plen, ndig);
    const uint64_t head = (uint64_t)plen << 60 | letters << 45 | (uint64_t)ndig << 41;
    if (i == len) {
        *code = head | value;
        return true;
    }
    if (ndig > 10 || len - i != 5 || p[i] != 0x1F)
        return false;
    uint64_t year = 0;
    for (size_t k = i + 1; k < len; k++) {
        if (!is_digit(p[k]))
            return false;
        year = year * 10 + (uint64_t)(p[k] - '0');
    }
    if (year < 1970 || year > 2097)
        return false;
    *code = (UINT64_C(1) << FORM_SHIFT) | head | (year - 1970) << 34 | value;
    return true;
}

/* The commonest numbered key, two capital letters and 8 to 12 digits (JS202400000001,
 * HH10000012), as pack_numbered codes it: the last eight digits are one word, the 0-4
 * before them the top of the first word shifted right, its letters masked to '0'. */
static inline bool pack_two_letters(const char *s, size_t len, uint64_t *code)
{
    if (len - 10 > 4)
        return false;
    const unsigned l0 = (unsigned)((unsigned char)s[0] - 'A'), l1 = (unsigned)((unsigned char)s[1] - 'A');
    const uint64_t tail = zf_load64(s + len - 8);
    const uint64_t keep = UINT64_C(0xFFFFFFFF00000000) << (8 * (14 - len));   /* the 0-4 top bytes */
    const uint64_t head = (zf_load64(s) << (8 * (16 - len)) & keep) | (ZF_BYTES('0') & ~keep);
    if ((l0 > 25) | (l1 > 25) || !zf_all_digits8(head) || !zf_all_digits8(tail))
        return false;
    const uint64_t letters = (l0 + 1) << 5 | (l1 + 1);
    const uint64_t value = (uint64_t)zf_parse8(head) * 100000000 + zf_parse8(tail);
    *code = (UINT64_C(2) << 60) | letters << 45 | (uint64_t)(len - 2) << 41 | value;
    return true;
}

/* Every other form. */
static __attribute__((noinline)) bool pack_other(const unsigned char *p, size_t len, uint64_t *code)
{
    if (len == 18 && pack_citizen_id(p, code))
        return true;
    return pack_numbered(p, len, code) || pack_general(p, len, code);
}

/* The commonest form inline in the set and map operations, which run once per record. */
static inline __attribute__((always_inline)) bool key_pack(const char *s, size_t len, uint64_t *code)
{
    const unsigned char *p = (const unsigned char *)s;
    return pack_two_letters(s, len, code) || pack_other(p, len, code);
}

bool zf_key_pack(const char *s, size_t len, uint64_t *code)
{
    return key_pack(s, len, code);
}

static size_t put_digits(char *buf, uint64_t v, size_t n)
{
    for (size_t k = n; k-- > 0; v /= 10)
        buf[k] = (char)('0' + v % 10);
    return n;
}

size_t zf_key_unpack(uint64_t code, char *buf)
{
    const unsigned form = (unsigned)(code >> FORM_SHIFT);
    if (form == 2) {
        uint64_t v = code & ((UINT64_C(1) << FORM_SHIFT) - 1);
        uint64_t check = v % 11;
        put_digits(buf, v / 11, 17);
        buf[17] = check == 10 ? 'X' : (char)('0' + check);
        return 18;
    }
    size_t plen = (size_t)(code >> 60 & 3), n = 0;
    uint64_t letters = code >> 45 & 0x7FFF;
    for (size_t k = 0; k < plen; k++)
        buf[n++] = (char)('A' - 1 + (letters >> (5 * (plen - 1 - k)) & 31));
    size_t ndig = (size_t)(code >> 41 & 15);
    if (form == 0)
        return n + put_digits(buf + n, code & ((UINT64_C(1) << 41) - 1), ndig);
    n += put_digits(buf + n, code & ((UINT64_C(1) << 34) - 1), ndig);
    buf[n++] = 0x1F;
    return n + put_digits(buf + n, 1970 + (code >> 34 & 127), 4);
}

/* ---- hashing and slots ---------------------------------------------------- */

static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

/* A slot in [0, cap) for any cap, not only powers of two (tables grow by half). */
static size_t home(uint64_t h, size_t cap)
{
    return (size_t)(((unsigned __int128)h * cap) >> 64);
}

/* A table's slots.  A table of many MB is looked up at random (a join register of a
 * million keys): on 4 KB pages each lookup also misses the TLB, so such a table is asked
 * for on 2 MB pages (Linux only uses them where asked, with THP in madvise mode). */
static void *table_alloc(size_t bytes)
{
    const size_t huge = (size_t)2 << 20;
    if (bytes < 4 * huge)
        return malloc(bytes);
    const size_t rounded = (bytes + huge - 1) / huge * huge;
    void *p = aligned_alloc(huge, rounded);
#ifdef MADV_HUGEPAGE
    if (p)
        madvise(p, rounded, MADV_HUGEPAGE);   /* advice: without it the table still works */
#endif
    return p;
}

/* ---- the set ------------------------------------------------------------ */

enum { SET_MIN = 64, SET_LOAD_PCT = 85, MAP_LOAD_PCT = 80 };

zf_status zf_keyset_init(zf_keyset *s)
{
    memset(s, 0, sizeof *s);
    s->slots = calloc(2 * SET_MIN, sizeof *s->slots);
    s->cap = SET_MIN;
    s->prev_len = SIZE_MAX;
    if (!s->slots || zf_strmap_init(&s->other, 0) != ZF_OK) {
        free(s->slots);
        s->slots = NULL;
        return ZF_ERR_NOMEM;
    }
    return ZF_OK;
}

void zf_keyset_free(zf_keyset *s)
{
    free(s->slots);
    s->slots = s->last = NULL;
    s->cap = s->buckets = s->count = 0;
    if (s->other.slots)
        zf_strmap_free(&s->other);
}

static uint64_t *set_find(uint64_t *slots, size_t cap, uint64_t bucket)
{
    size_t i = home(mix(bucket), cap);
    for (;;) {
        uint64_t *e = &slots[2 * i];
        if (e[1] == 0 || e[0] == bucket)
            return e;
        if (++i == cap)
            i = 0;
    }
}

static bool set_grow(zf_keyset *s)
{
    size_t cap = s->cap + s->cap / 2;
    uint64_t *slots = table_alloc(2 * cap * sizeof *slots);
    if (!slots)
        return false;
    memset(slots, 0, 2 * cap * sizeof *slots);
    for (size_t i = 0; i < s->cap; i++) {
        const uint64_t *e = &s->slots[2 * i];
        if (e[1]) {
            uint64_t *d = set_find(slots, cap, e[0]);
            d[0] = e[0];
            d[1] = e[1];
        }
    }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    s->last = NULL;
    return true;
}

/* A key that does not pack: kept as text. */
static __attribute__((noinline)) zf_status add_text(zf_keyset *s, const char *key, size_t len, bool *added)
{
    if (!zf_strmap_put(&s->other, key, len, added))
        return ZF_ERR_NOMEM;
    s->count += *added;
    return ZF_OK;
}

/* The pair of a bucket other than the last one added to, found or made; NULL when out of
 * memory.  Out of line: numbered keys come in order, 63 of 64 to the last bucket. */
static __attribute__((noinline)) uint64_t *bucket_pair(zf_keyset *s, uint64_t bucket)
{
    uint64_t *e = set_find(s->slots, s->cap, bucket);
    if (e[1] == 0) {
        if ((s->buckets + 1) * 100 > s->cap * SET_LOAD_PCT) {
            if (!set_grow(s))
                return NULL;
            e = set_find(s->slots, s->cap, bucket);
        }
        e[0] = bucket;
        s->buckets++;
    }
    s->last = e;
    s->last_bucket = bucket;
    return e;
}

/* A two-letter key and its code, for zf_keyset_next_code. */
static void remember(zf_keyset *s, const char *key, size_t len, uint64_t code)
{
    s->prev_len = len;
    s->prev_head = zf_load64(key);
    s->prev_tail = zf_load64(key + len - 8);
    s->prev_base = code - (uint64_t)((key[len - 2] - '0') * 10 + (key[len - 1] - '0'));
}

zf_status zf_keyset_add_slow(zf_keyset *s, const char *key, size_t len, bool *added)
{
    uint64_t code;
    if (pack_two_letters(key, len, &code))
        remember(s, key, len, code);
    else if (!pack_other((const unsigned char *)key, len, &code))
        return add_text(s, key, len, added);
    const uint64_t bucket = code >> 6, bit = UINT64_C(1) << (code & 63);
    uint64_t *e = s->last && s->last_bucket == bucket ? s->last : bucket_pair(s, bucket);
    if (!e)
        return ZF_ERR_NOMEM;
    *added = !(e[1] & bit);
    e[1] |= bit;
    s->count += *added;
    return ZF_OK;
}

bool zf_keyset_has_code(const zf_keyset *s, uint64_t code)
{
    const uint64_t *e = set_find(s->slots, s->cap, code >> 6);
    return (e[1] >> (code & 63)) & 1;
}

bool zf_keyset_has(const zf_keyset *s, const char *key, size_t len)
{
    uint64_t code;
    if (!key_pack(key, len, &code))
        return zf_strmap_get(&s->other, key, len) != NULL;
    return zf_keyset_has_code(s, code);
}

size_t zf_keyset_bytes(const zf_keyset *s)
{
    return 2 * s->cap * sizeof *s->slots + s->other.cap * sizeof *s->other.slots + s->other.keys.total;
}

/* ---- the map ------------------------------------------------------------ */

/* Slots hold the code and the value side by side (one cache line fetched per probe):
 * stride = 8 + value_size rounded up to 8. */
static uint64_t *slot_code(const zf_keymap *m, unsigned char *slots, size_t i)
{
    (void)m;
    return (uint64_t *)(void *)(slots + i * m->stride);
}

static void clear_slots(unsigned char *slots, size_t cap, size_t stride)
{
    memset(slots, 0, cap * stride);
    for (size_t i = 0; i < cap; i++) {
        const uint64_t empty = EMPTY_CODE;
        memcpy(slots + i * stride, &empty, sizeof empty);
    }
}

zf_status zf_keymap_init(zf_keymap *m, size_t value_size)
{
    memset(m, 0, sizeof *m);
    if (value_size == 0 || value_size > 64)
        return ZF_ERR_INTERNAL;
    m->value_size = value_size;
    m->stride = sizeof(uint64_t) + ((value_size + 7) & ~(size_t)7);
    m->cap = SET_MIN;
    m->slots = malloc(m->cap * m->stride);
    if (!m->slots || zf_strmap_init(&m->other, 0) != ZF_OK) {
        free(m->slots);
        m->slots = NULL;
        return ZF_ERR_NOMEM;
    }
    clear_slots(m->slots, m->cap, m->stride);
    return ZF_OK;
}

void zf_keymap_free(zf_keymap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->cap = m->used = m->count = 0;
    if (m->other.slots)
        zf_strmap_free(&m->other);
}

static size_t map_find(const zf_keymap *m, unsigned char *slots, size_t cap, uint64_t code)
{
    size_t i = home(mix(code), cap);
    for (;;) {
        uint64_t c = *slot_code(m, slots, i);
        if (c == code || c == EMPTY_CODE)
            return i;
        if (++i == cap)
            i = 0;
    }
}

static bool map_grow(zf_keymap *m)
{
    size_t cap = m->cap + m->cap / 2;
    unsigned char *slots = table_alloc(cap * m->stride);
    if (!slots)
        return false;
    clear_slots(slots, cap, m->stride);
    for (size_t i = 0; i < m->cap; i++) {
        uint64_t c = *slot_code(m, m->slots, i);
        if (c != EMPTY_CODE)
            memcpy(slots + map_find(m, slots, cap, c) * m->stride, m->slots + i * m->stride, m->stride);
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return true;
}

void *zf_keymap_put(zf_keymap *m, const char *key, size_t len, bool *added)
{
    uint64_t code;
    if (!key_pack(key, len, &code)) {
        zf_strmap_entry *e = zf_strmap_put(&m->other, key, len, added);
        if (!e)
            return NULL;
        if (*added) {
            if (!(e->value = zf_arena_calloc(&m->other.keys, 1, m->value_size)))
                return NULL;
            m->count++;
        }
        return e->value;
    }
    size_t i = map_find(m, m->slots, m->cap, code);
    *added = *slot_code(m, m->slots, i) == EMPTY_CODE;
    if (*added) {
        if ((m->used + 1) * 100 > m->cap * MAP_LOAD_PCT) {
            if (!map_grow(m))
                return NULL;
            i = map_find(m, m->slots, m->cap, code);
        }
        *slot_code(m, m->slots, i) = code;
        m->used++;
        m->count++;
    }
    return m->slots + i * m->stride + sizeof(uint64_t);
}

void *zf_keymap_get(const zf_keymap *m, const char *key, size_t len)
{
    uint64_t code;
    if (!key_pack(key, len, &code)) {
        const zf_strmap_entry *e = zf_strmap_get(&m->other, key, len);
        return e ? e->value : NULL;
    }
    return zf_keymap_get_code(m, code);
}

void zf_keymap_prefetch(const zf_keymap *m, uint64_t code)
{
    const unsigned char *slot = m->slots + home(mix(code), m->cap) * m->stride;
    __builtin_prefetch(slot, 1);
    __builtin_prefetch(slot + 64, 1);
}

void *zf_keymap_get_code(const zf_keymap *m, uint64_t code)
{
    size_t i = map_find(m, m->slots, m->cap, code);
    return *slot_code(m, m->slots, i) == EMPTY_CODE ? NULL : m->slots + i * m->stride + sizeof(uint64_t);
}

bool zf_keymap_next(const zf_keymap *m, size_t *pos, const char **key, size_t *len, char *buf,
                    void **value)
{
    for (; *pos < m->cap; ++*pos) {
        uint64_t c = *slot_code(m, m->slots, *pos);
        if (c == EMPTY_CODE)
            continue;
        *len = zf_key_unpack(c, buf);
        *key = buf;
        *value = m->slots + *pos * m->stride + sizeof(uint64_t);
        ++*pos;
        return true;
    }
    for (; *pos - m->cap < m->other.cap; ++*pos) {
        const zf_strmap_entry *e = &m->other.slots[*pos - m->cap];
        if (!e->key)
            continue;
        *key = e->key;
        *len = e->len;
        *value = e->value;
        ++*pos;
        return true;
    }
    return false;
}
