/* test_arena.c — the region allocator: what a source job allocated survives its arena
 * being adopted by the run, and a reset keeps one block for the next cycle. */
#include "zf_test.h"

#include <stdio.h>
#include <string.h>

#include "zf_arena.h"

static void test_adopt_keeps_everything(void **state)
{
    (void)state;
    zf_arena run, job;
    zf_arena_init(&run, 256);
    zf_arena_init(&job, 256);
    char *kept_by_run = zf_arena_strdup(&run, "run");
    char *msgs[40];
    char want[40][24];
    for (int i = 0; i < 40; i++) {   /* several blocks, and one large one-off */
        snprintf(want[i], sizeof want[i], "file %d", i);
        msgs[i] = zf_arena_strdup(&job, want[i]);
    }
    char *big = zf_arena_alloc(&job, 10000);
    memset(big, 'x', 10000);
    size_t job_total = job.total, run_total = run.total;
    zf_arena_adopt(&run, &job);
    assert_null(job.head);
    assert_int_equal(job.total, 0);
    assert_int_equal(run.total, run_total + job_total);
    /* the run keeps allocating from its own current block, and the job's strings live on */
    char *after = zf_arena_strdup(&run, "after");
    assert_string_equal(after, "after");
    assert_string_equal(kept_by_run, "run");
    for (int i = 0; i < 40; i++)
        assert_string_equal(msgs[i], want[i]);
    assert_int_equal(big[9999], 'x');
    zf_arena_adopt(&run, &job);      /* an empty arena adds nothing */
    assert_int_equal(run.total, run_total + job_total + 16);
    zf_arena empty;
    zf_arena_init(&empty, 0);
    zf_arena_adopt(&empty, &run);    /* into an arena that has no block yet */
    assert_string_equal(msgs[39], "file 39");
    zf_arena_free(&empty);           /* valgrind: every block freed once */
    zf_arena_free(&run);
}

static void test_reset_keeps_one_block(void **state)
{
    (void)state;
    zf_arena row;
    zf_arena_init(&row, 128);
    for (int cycle = 0; cycle < 100; cycle++) {
        char *p = zf_arena_alloc(&row, 5000);   /* a long rejected value's scratch */
        assert_non_null(p);
        p[4999] = 'y';
        zf_arena_reset(&row);
        assert_int_equal(row.total, 0);
        assert_non_null(row.head);
    }
    zf_arena_free(&row);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adopt_keeps_everything),
        cmocka_unit_test(test_reset_keeps_one_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
