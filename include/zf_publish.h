/* zf_publish.h — one run at a time per output directory, and outputs that appear all at
 * once: a run writes into OUT.staging and swaps it with OUT in one atomic rename
 * (renameat2 RENAME_EXCHANGE), so a crash, a kill or a full disk never leaves a
 * half-written report and the previous reports stay as they were until then. */
#ifndef ZF_PUBLISH_H
#define ZF_PUBLISH_H

#include "zf_error.h"

/* Take the lock OUT.lock (flock, released by the kernel when the process dies).
 * ZF_ERR_LOCKED when another run holds it; *fd is -1 then. */
zf_status zf_lock_acquire(const char *out_dir, int *fd, zf_error *err);
void zf_lock_release(int fd);

/* Undo what an interrupted publish may have left: a missing OUT with OUT.old beside it
 * (the fallback path of file systems without RENAME_EXCHANGE) is moved back. */
zf_status zf_publish_recover(const char *out_dir, zf_error *err);

/* Put stage in the place of out_dir and remove the previous outputs. */
zf_status zf_publish(const char *stage, const char *out_dir, zf_error *err);

/* For tests of kills in each stage: when $ZF_TEST_PAUSE_AT names this stage, announce it
 * on stderr and sleep, so that a test can kill the run exactly there. */
void zf_stage_checkpoint(const char *stage);

#endif
