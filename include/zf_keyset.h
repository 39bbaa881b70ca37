/* zf_keyset.h — exact sets and maps of byte-string keys, compact for the keys departments
 * actually use.
 *
 * Typical keys are packed exactly (injectively) into a 64-bit code:
 *   - a short ASCII prefix and digits: "JS202200000001", "HH10000012", "0042"
 *     (0–3 capital letters, 1–12 digits);
 *   - the same followed by 0x1F and a year 1970–2097 (a composite key with 年度):
 *     "HH10000001\x1F2022" (1–10 digits);
 *   - a citizen ID: 17 digits and a check character 0-9 or X.
 * Two different texts never get the same code, and a text that fits none of these forms is
 * kept as text in a zf_strmap, so a set never calls two different keys equal.
 *
 * zf_keyset (a set) keeps codes in buckets of 64 consecutive codes with a 64-bit mask: 16
 * bytes per bucket, so numbered keys (sequences) cost well under a byte each, scattered ones
 * about 19.  zf_keymap (a map to fixed-size values) keeps the 8-byte code and the value
 * side by side in each slot.  Both are open-addressing tables with a high load factor that grow by
 * half, never double. */
#ifndef ZF_KEYSET_H
#define ZF_KEYSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "zf_error.h"
#include "zf_strmap.h"
#include "zf_swar.h"

/* The code of s[0..len), or false when it does not pack.  Never produces UINT64_MAX. */
bool zf_key_pack(const char *s, size_t len, uint64_t *code);
/* The text of a code from zf_key_pack into buf (at least 32 bytes); returns its length. */
size_t zf_key_unpack(uint64_t code, char *buf);

typedef struct zf_keyset {
    uint64_t *slots;       /* pairs (bucket, mask); mask 0 = empty */
    size_t cap;            /* pairs */
    size_t buckets;        /* pairs in use */
    size_t count;          /* keys, packed and not */
    zf_strmap other;       /* keys that do not pack */
    uint64_t *last;        /* the pair of the last bucket added to (NULL after a grow): */
    uint64_t last_bucket;  /* numbered keys come in order, 63 of 64 to the same bucket */
    /* The last key added of two capitals and 8-12 digits (zf_keyset_next_code): its length
     * (SIZE_MAX: none yet), its first and last eight bytes, and its code less the value of
     * its last two digits. */
    size_t prev_len;
    uint64_t prev_head, prev_tail, prev_base;
} zf_keyset;

ZF_MUST_CHECK zf_status zf_keyset_init(zf_keyset *s);
void zf_keyset_free(zf_keyset *s);
/* zf_keyset_add for every key that the inline part below does not take. */
ZF_MUST_CHECK zf_status zf_keyset_add_slow(zf_keyset *s, const char *key, size_t len, bool *added);

/* The code of a key that differs from the last two-letter key added (JS202400000001) in
 * its last two bytes at most, both digits: that key's code with their value in place of the
 * last one's, since the form's value is the number itself.  False for any other key. */
static inline __attribute__((always_inline)) bool zf_keyset_next_code(const zf_keyset *s, const char *key,
                                                                      size_t len, uint64_t *code)
{
    if (len != s->prev_len)
        return false;
    const uint64_t head = zf_load64(key), tail = zf_load64(key + len - 8);
    const unsigned d1 = (unsigned)(tail >> 48 & 0xFF) - '0', d2 = (unsigned)(tail >> 56) - '0';
    if (((head ^ s->prev_head) | (tail ^ s->prev_tail) << 16) != 0 || d1 > 9 || d2 > 9)
        return false;
    *code = s->prev_base + d1 * 10 + d2;
    return true;
}

/* Insert key; *added is false when it was there already.  ZF_ERR_NOMEM only.  Inline for a
 * numbered key that follows the last one into the same bucket of 64 codes (numbered keys come
 * in order: nearly all of them); zf_keyset_add_slow for every other. */
static inline __attribute__((always_inline)) zf_status zf_keyset_add(zf_keyset *s, const char *key, size_t len,
                                                                     bool *added)
{
    uint64_t code;
    if (!zf_keyset_next_code(s, key, len, &code) || !s->last || s->last_bucket != code >> 6)
        return zf_keyset_add_slow(s, key, len, added);
    const uint64_t bit = UINT64_C(1) << (code & 63);
    *added = !(s->last[1] & bit);
    s->last[1] |= bit;
    s->count += *added;
    return ZF_OK;
}
bool zf_keyset_has(const zf_keyset *s, const char *key, size_t len);
/* The same for a key already packed by zf_key_pack (true returned there). */
bool zf_keyset_has_code(const zf_keyset *s, uint64_t code);
/* Bytes held (for reports). */
size_t zf_keyset_bytes(const zf_keyset *s);

typedef struct zf_keymap {
    unsigned char *slots;  /* code (UINT64_MAX = empty), then the value */
    size_t value_size, stride;
    size_t cap, used, count;
    zf_strmap other;       /* keys that do not pack; entry value → value_size bytes */
} zf_keymap;

/* value_size: 1 to 64 bytes, zeroed when a key is added. */
ZF_MUST_CHECK zf_status zf_keymap_init(zf_keymap *m, size_t value_size);
void zf_keymap_free(zf_keymap *m);
/* The key's value, inserting it (zeroed) when new; NULL only when out of memory.  The
 * pointer is valid until the next put. */
void *zf_keymap_put(zf_keymap *m, const char *key, size_t len, bool *added);
/* The key's value or NULL. */
void *zf_keymap_get(const zf_keymap *m, const char *key, size_t len);

/* A lookup in two steps, for a key that packs (zf_key_pack): zf_keymap_prefetch starts
 * loading the slot where the code's search begins, and zf_keymap_get_code, called after
 * other work, finds the code's value (or NULL) without waiting for that cache miss, which
 * in a map of tens of MB is most of the cost of a random lookup. */
void zf_keymap_prefetch(const zf_keymap *m, uint64_t code);
void *zf_keymap_get_code(const zf_keymap *m, uint64_t code);

/* Iteration: start with *pos = 0; each call gives one key (text in buf, at least 32 bytes,
 * or pointing into the map) and its value; false at the end.  The order is the tables'. */
bool zf_keymap_next(const zf_keymap *m, size_t *pos, const char **key, size_t *len, char *buf,
                    void **value);

#endif
