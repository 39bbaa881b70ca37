/* zf_testing.h — STATIC marks a private function the unit tests call, as libxlsxwriter does:
 * static in the product, external when built with -DZF_TESTING.  Its declaration for the tests
 * sits in the module's public header under #ifdef ZF_TESTING, so that tests include neither .c
 * files nor private headers.  The unit tests are always built that way: the Makefile compiles
 * the sources that use STATIC again with -DZF_TESTING into $(BUILD)/libzf-testing.a, and
 * `make TESTING=1` builds everything so (into build-testing). */
#ifndef ZF_TESTING_H
#define ZF_TESTING_H

#ifdef ZF_TESTING
#define STATIC
#else
#define STATIC static
#endif

#endif
