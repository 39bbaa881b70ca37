/* zf_test.h — what every cmocka unit test includes. */
#ifndef ZF_TEST_H
#define ZF_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* The repository root, so tests find templates/ and tests/fixtures/. */
#ifndef ZF_SOURCE_DIR
#define ZF_SOURCE_DIR "."
#endif
#define ZF_FIXTURE(name) ZF_SOURCE_DIR "/tests/fixtures/" name
#define ZF_TEMPLATES ZF_SOURCE_DIR "/templates"

/* xorshift64 from a fixed seed: generated test inputs repeat exactly after a failure. */
static inline uint64_t zf_test_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

#endif
