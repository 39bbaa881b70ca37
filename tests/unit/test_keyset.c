/* test_keyset.c — packed key sets and maps stay exact: never two texts on one code. */
#include "zf_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zf_keyset.h"
#include "zf_strmap.h"

static void assert_round_trip(const char *s, size_t len, bool packs)
{
    uint64_t code = 0;
    assert_int_equal(zf_key_pack(s, len, &code), packs);
    if (!packs)
        return;
    assert_true(code != UINT64_MAX);
    char buf[32];
    size_t n = zf_key_unpack(code, buf);
    assert_int_equal(n, len);
    assert_memory_equal(buf, s, len);
}

static void test_pack_forms(void **state)
{
    (void)state;
    const char *packed[] = {"JS202200000001", "HH10000012", "0", "0042", "42", "ABC123456789012",
                            "330281194001120009", "33028119360106996X", "999999999999", "Z1",
                            "TF20220000001", "000000000000"};
    for (size_t i = 0; i < sizeof packed / sizeof *packed; i++)
        assert_round_trip(packed[i], strlen(packed[i]), true);
    assert_round_trip("HH10000001\x1f" "2022", 15, true);
    assert_round_trip("7\x1f" "1970", 6, true);
    assert_round_trip("ABC0123456789\x1f" "2097", 18, true);
    const char *text[] = {"", "ABCD1", "abc1", "HH", "1234567890123", "JS2022-001", "33028119360106996x",
                          "户编号1", " 12", "12 ", "1.5"};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++)
        assert_round_trip(text[i], strlen(text[i]), false);
    assert_round_trip("HH1\x1f" "1969", 8, false);
    assert_round_trip("HH1\x1f" "2098", 8, false);
    assert_round_trip("HH12345678901\x1f" "2022", 18, false);   /* 11 digits and a year */
    assert_round_trip("HH1\x1f" "22", 6, false);
}

static void test_codes_differ(void **state)
{
    (void)state;
    /* texts that a sloppy packing would confuse */
    const char *t[] = {"1", "01", "001", "A1", "A01", "B1", "AA1", "AB1", "BA1", "ABC1", "1\x1f" "2022",
                       "01\x1f" "2022", "1\x1f" "2023", "330281194001120009", "33028119400112000X",
                       "330281194001120008", "Z0", "Y99"};
    size_t n = sizeof t / sizeof *t;
    uint64_t codes[32];
    for (size_t i = 0; i < n; i++)
        assert_true(zf_key_pack(t[i], strlen(t[i]), &codes[i]));
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++)
            assert_true(codes[i] != codes[k]);
}

/* The packing as it was written first, a byte at a time: the reference for zf_key_pack,
 * which reads eight digits at a time. */
static bool ref_pack(const char *s, size_t len, uint64_t *code)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len == 18) {
        uint64_t v = 0;
        size_t i = 0;
        while (i < 17 && p[i] >= '0' && p[i] <= '9')
            v = v * 10 + (uint64_t)(p[i++] - '0');
        if (i == 17 && ((p[17] >= '0' && p[17] <= '9') || p[17] == 'X')) {
            *code = (UINT64_C(2) << 62) | (v * 11 + (p[17] == 'X' ? 10 : (uint64_t)(p[17] - '0')));
            return true;
        }
    }
    size_t i = 0;
    uint64_t letters = 0, value = 0, year = 0;
    while (i < len && i < 3 && p[i] >= 'A' && p[i] <= 'Z')
        letters = letters << 5 | (uint64_t)(p[i++] - 'A' + 1);
    const size_t plen = i;
    while (i < len && i - plen < 13 && p[i] >= '0' && p[i] <= '9')
        value = value * 10 + (uint64_t)(p[i++] - '0');
    const size_t ndig = i - plen;
    if (ndig == 0 || ndig > 12)
        return false;
    const uint64_t head = (uint64_t)plen << 60 | letters << 45 | (uint64_t)ndig << 41;
    if (i == len) {
        *code = head | value;
        return true;
    }
    if (ndig > 10 || len - i != 5 || p[i] != 0x1F)
        return false;
    for (size_t k = i + 1; k < len; k++) {
        if (p[k] < '0' || p[k] > '9')
            return false;
        year = year * 10 + (uint64_t)(p[k] - '0');
    }
    if (year < 1970 || year > 2097)
        return false;
    *code = (UINT64_C(1) << 62) | head | (year - 1970) << 34 | value;
    return true;
}

static void test_pack_matches_reference(void **state)
{
    (void)state;
    static const char *const pieces[] = {"0", "1", "5", "9", "12", "000", "987", "A", "J", "S", "Z",
                                         "X", "x", "\x1f", "2022", "1969", "-", "名"};
    uint64_t rng = 88172645463325252u;
    char buf[32];
    long packed = 0;
    for (int k = 0; k < 500000; k++) {
        size_t len = 0;
        size_t want = (size_t)(zf_test_random(&rng) % 24);
        while (len < want) {
            const char *p = pieces[zf_test_random(&rng) % (sizeof pieces / sizeof *pieces)];
            size_t n = strlen(p);
            if (len + n > want)
                break;
            memcpy(buf + len, p, n);
            len += n;
        }
        if (k % 3 == 0 && len >= 2)   /* a third look like numbered keys */
            memcpy(buf, "JS", 2);
        uint64_t a = 1, b = 2;
        bool pa = zf_key_pack(buf, len, &a), pb = ref_pack(buf, len, &b);
        if (pa != pb || (pa && a != b))
            fail_msg("\"%.*s\": packs %d %llx, reference %d %llx", (int)len, buf, pa,
                     (unsigned long long)a, pb, (unsigned long long)b);
        packed += pa;
    }
    assert_true(packed > 10000);
    /* every length of running number, and IDs */
    for (int n = 1; n <= 14; n++) {
        int len = snprintf(buf, sizeof buf, "HH%.*s", n, "98765432109876");
        uint64_t a = 1, b = 2;
        assert_int_equal(zf_key_pack(buf, (size_t)len, &a), ref_pack(buf, (size_t)len, &b));
        assert_true(a == b || n > 12);
    }
    const char *ids[] = {"330281194001120009", "33028119360106996X", "999999999999999999", "000000000000000000",
                         "33028119360106996x", "3302811936010699XX", "33028119360106996"};
    for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
        uint64_t a = 1, b = 2;
        size_t len = strlen(ids[k]);
        assert_int_equal(zf_key_pack(ids[k], len, &a), ref_pack(ids[k], len, &b));
        assert_true(a == b || a == 1);
    }
}

/* The inline form for two capitals and 8 to 12 digits against the reference: texts of that
 * shape and of its neighbours (other lengths, a third letter, bytes next to 'A', 'Z', '0'
 * and '9' at any place). */
static void test_two_letters_match_reference(void **state)
{
    (void)state;
    static const unsigned char odd[] = {'@', '[', 'a', 'z', '/', ':', '0', '9', 'A', 'Z', 0, 0x80, 0xFF, 0x1F};
    uint64_t rng = 0x2545F4914F6CDD1Du;
    long packed = 0;
    for (int k = 0; k < 400000; k++) {
        unsigned char buf[20];
        const size_t len = 8 + zf_test_random(&rng) % 9;   /* 8 to 16 */
        for (size_t i = 0; i < len; i++)
            buf[i] = (unsigned char)(i < 2 ? 'A' + zf_test_random(&rng) % 26 : '0' + zf_test_random(&rng) % 10);
        for (unsigned m = (unsigned)(zf_test_random(&rng) % 4); m-- > 1;)   /* a third have no flaw */
            buf[zf_test_random(&rng) % len] = odd[zf_test_random(&rng) % sizeof odd];
        uint64_t a = 1, b = 2;
        const bool pa = zf_key_pack((const char *)buf, len, &a), pb = ref_pack((const char *)buf, len, &b);
        if (pa != pb || (pa && a != b))
            fail_msg("\"%.*s\": packs %d %llx, reference %d %llx", (int)len, buf, pa, (unsigned long long)a,
                     pb, (unsigned long long)b);
        packed += pa;
    }
    assert_true(packed > 100000);
}

static void test_set(void **state)
{
    (void)state;
    zf_keyset s;
    assert_int_equal(zf_keyset_init(&s), ZF_OK);
    char key[40];
    bool added;
    /* numbered, scattered and text keys, in and out of order */
    for (int i = 0; i < 200000; i++) {
        int len = i % 3 == 0 ? snprintf(key, sizeof key, "JS2022%08d", i)
                : i % 3 == 1 ? snprintf(key, sizeof key, "%d", (int)((unsigned)i * 2654435761u % 1000000007u))
                             : snprintf(key, sizeof key, "名-%d", i);
        assert_int_equal(zf_keyset_add(&s, key, (size_t)len, &added), ZF_OK);
        assert_true(added);
    }
    assert_int_equal(s.count, 200000);
    for (int i = 199999; i >= 0; i -= 7) {
        int len = i % 3 == 0 ? snprintf(key, sizeof key, "JS2022%08d", i)
                : i % 3 == 1 ? snprintf(key, sizeof key, "%d", (int)((unsigned)i * 2654435761u % 1000000007u))
                             : snprintf(key, sizeof key, "名-%d", i);
        assert_true(zf_keyset_has(&s, key, (size_t)len));
        assert_int_equal(zf_keyset_add(&s, key, (size_t)len, &added), ZF_OK);
        assert_false(added);
    }
    assert_false(zf_keyset_has(&s, "JS202200000001", 14));   /* 1 % 3 != 0: never added */
    assert_false(zf_keyset_has(&s, "JS2022000000000", 15));
    assert_true(zf_keyset_has(&s, "JS202200000000", 14));
    assert_false(zf_keyset_has(&s, "名-0", strlen("名-0")));
    assert_true(zf_keyset_has(&s, "名-2", strlen("名-2")));
    assert_int_equal(s.count, 200000);
    zf_keyset_free(&s);
}

/* Keys that mostly follow one another (the next number, sometimes a jump, a step back to
 * keys seen, another prefix or width, a byte that is not a digit) give the same answers in a
 * set as in a map of their texts, and are all found afterwards: the set's shortcut for the
 * key after the last one must never take a key for another. */
static void test_set_sequences(void **state)
{
    (void)state;
    static const char *const prefixes[] = {"JS", "TF", "HH", "JT"};
    static const int widths[] = {12, 11, 8, 10, 12, 12};
    zf_keyset s;
    zf_strmap ref;
    assert_int_equal(zf_keyset_init(&s), ZF_OK);
    assert_int_equal(zf_strmap_init(&ref, 0), ZF_OK);
    uint64_t rng = 0x9E3779B97F4A7C15u;
    const char *prefix = "JS";
    int width = 12;
    long long n = 202400000000;
    for (int k = 0; k < 300000; k++) {
        const uint64_t r = zf_test_random(&rng);
        switch (r % 32) {
        case 0: n += (long long)((r >> 8) % 5000); break;
        case 1: n -= (long long)((r >> 8) % 300); break;
        case 2: prefix = prefixes[r >> 8 & 3]; break;
        case 3: width = widths[(r >> 8) % 6]; break;
        default: n++; break;
        }
        long long mod = 1;
        for (int i = 0; i < width; i++)
            mod *= 10;
        char key[32];
        int len = snprintf(key, sizeof key, "%s%0*lld", prefix, width, (n % mod + mod) % mod);
        if (r % 64 == 5)
            key[len - 1 - (r >> 20 & 1)] = (char)(r >> 24 & 1 ? ':' : '/');
        else if (r % 64 == 6)
            key[2 + (r >> 20) % (unsigned)(len - 2)] ^= 1;   /* another digit anywhere */
        bool added, ref_added;
        assert_int_equal(zf_keyset_add(&s, key, (size_t)len, &added), ZF_OK);
        assert_non_null(zf_strmap_put(&ref, key, (size_t)len, &ref_added));
        if (added != ref_added)
            fail_msg("key %d \"%s\": added %d, reference %d", k, key, added, ref_added);
    }
    assert_int_equal(s.count, ref.count);
    for (size_t i = 0; i < ref.cap; i++)
        if (ref.slots[i].key)
            assert_true(zf_keyset_has(&s, ref.slots[i].key, ref.slots[i].len));
    zf_strmap_free(&ref);
    zf_keyset_free(&s);
    /* keys of another length that read the same in the words compared */
    const char *const edge[] = {"JS000000000000", "JS00000000000", "JS000000000000", "JS0000000000000",
                                "JS00000000", "JS000000000", "JS0000000"};
    const bool fresh[] = {true, true, false, true, true, true, true};
    assert_int_equal(zf_keyset_init(&s), ZF_OK);
    for (size_t i = 0; i < sizeof edge / sizeof *edge; i++) {
        bool added;
        assert_int_equal(zf_keyset_add(&s, edge[i], strlen(edge[i]), &added), ZF_OK);
        assert_int_equal(added, fresh[i]);
    }
    zf_keyset_free(&s);
}

static void test_map(void **state)
{
    (void)state;
    zf_keymap m;
    assert_int_equal(zf_keymap_init(&m, 12), ZF_OK);
    char key[40];
    bool added;
    for (int i = 0; i < 50000; i++) {
        int len = i % 2 ? snprintf(key, sizeof key, "HH%08d", i) : snprintf(key, sizeof key, "h%d", i);
        uint32_t *v = zf_keymap_put(&m, key, (size_t)len, &added);
        assert_non_null(v);
        assert_true(added);
        assert_int_equal(v[0], 0);
        v[0] = (uint32_t)i;
        v[2] = (uint32_t)i * 3;
    }
    for (int i = 0; i < 50000; i++) {
        int len = i % 2 ? snprintf(key, sizeof key, "HH%08d", i) : snprintf(key, sizeof key, "h%d", i);
        uint32_t *v = zf_keymap_get(&m, key, (size_t)len);
        assert_non_null(v);
        assert_int_equal(v[0], i);
        assert_int_equal(v[2], (uint32_t)i * 3);
    }
    assert_null(zf_keymap_get(&m, "HH00000002", 10));
    size_t pos = 0, len, n = 0;
    const char *k;
    void *value;
    unsigned long long sum = 0;
    while (zf_keymap_next(&m, &pos, &k, &len, key, &value)) {
        uint32_t *v = value;
        char want[40];
        int wl = v[0] % 2 ? snprintf(want, sizeof want, "HH%08u", v[0]) : snprintf(want, sizeof want, "h%u", v[0]);
        assert_int_equal(len, (size_t)wl);
        assert_memory_equal(k, want, len);
        sum += v[0];
        n++;
    }
    assert_int_equal(n, 50000);
    assert_int_equal(sum, 50000ull * 49999 / 2);
    zf_keymap_free(&m);
}

/* zf_keymap_get_code after zf_keymap_prefetch finds what zf_keymap_get finds, present or
 * not, in a map of 600 000 keys (24 MB of slots). */
static void test_map_by_code(void **state)
{
    (void)state;
    zf_keymap m;
    assert_int_equal(zf_keymap_init(&m, 16), ZF_OK);
    char key[40];
    bool added;
    enum { N = 600000 };
    for (int i = 0; i < N; i++) {
        int len = snprintf(key, sizeof key, "HH%08d", 3 * i + i % 2);   /* a third of a range */
        uint32_t *v = zf_keymap_put(&m, key, (size_t)len, &added);
        assert_non_null(v);
        v[3] = (uint32_t)i + 1;
    }
    uint64_t x = 88172645463325252ull;
    for (int t = 0; t < 200000; t++) {
        zf_test_random(&x);
        int len = snprintf(key, sizeof key, "HH%08d", (int)(x % (3 * N)));
        uint64_t code;
        assert_true(zf_key_pack(key, (size_t)len, &code));
        zf_keymap_prefetch(&m, code);
        const uint32_t *by_text = zf_keymap_get(&m, key, (size_t)len), *by_code = zf_keymap_get_code(&m, code);
        assert_ptr_equal(by_text, by_code);
        int n = (int)(x % (3 * N));
        if (n % 3 == (n / 3) % 2) {
            assert_non_null(by_code);
            assert_int_equal(by_code[3], n / 3 + 1);
        } else {
            assert_null(by_code);
        }
    }
    zf_keymap_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_forms),
        cmocka_unit_test(test_codes_differ),
        cmocka_unit_test(test_pack_matches_reference),
        cmocka_unit_test(test_two_letters_match_reference),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_set_sequences),
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_map_by_code),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
