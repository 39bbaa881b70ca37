/* zf_test_run.h — the run the rule tests share: a plan's definitions over a fixture data
 * directory, read, computed and evaluated as `zhongfu run` does, without writing outputs.
 * A failure fails the calling test with the run's own message. */
#ifndef ZF_TEST_RUN_H
#define ZF_TEST_RUN_H

#include <stdio.h>
#include <string.h>

#include "zf_test.h"
#include "zf_calendar.h"
#include "zf_engine.h"
#include "zf_evaluate.h"
#include "zf_ingest.h"
#include "zf_pipeline.h"

static inline zf_run *zf_test_run(const zf_defs *d, const char *data_dir, int32_t as_of)
{
    zf_error err;
    zf_error_clear(&err);
    zf_run *run = NULL;
    zf_engine *eng = NULL;
    zf_status st = zf_run_new(&run, d, as_of, NULL, 0, &err);
    if (st == ZF_OK)
        st = zf_engine_new(&eng, run, &err);
    if (st == ZF_OK) {
        zf_ingest_opts io;
        memset(&io, 0, sizeof io);
        io.data_dir = data_dir;
        io.engine = eng;
        st = zf_ingest(run, &io, &err);
    }
    if (st == ZF_OK)
        st = zf_engine_finish(eng, run, &err);
    if (st == ZF_OK)
        st = zf_evaluate(run, eng, &err);
    zf_engine_free(eng);
    if (st != ZF_OK) {
        char buf[1600];
        fprintf(stderr, "run on %s failed: %s\n", data_dir, zf_error_format(&err, buf, sizeof buf));
        zf_run_free(run);
        fail_msg("run failed");
    }
    return run;
}

#endif
