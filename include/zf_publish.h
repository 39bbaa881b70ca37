/* zf_publish.h — one run at a time per output directory, and outputs that appear all at
 * once: a run writes into OUT.zhongfu-staging and swaps it with OUT in one atomic rename
 * (renameat2 RENAME_EXCHANGE), so a crash, a kill or a full disk never leaves a
 * half-written report and the previous reports stay as they were until then. */
#ifndef ZF_PUBLISH_H
#define ZF_PUBLISH_H

#include "zf_error.h"

/* The paths beside OUT that a run uses: OUT.zhongfu-WHAT (lock, staging, old, accepted),
 * named so that no one's own folder is taken for one of them. */
ZF_MUST_CHECK zf_status zf_beside(char *buf, size_t size, const char *out_dir, const char *what, zf_error *err);

/* Take the lock OUT.zhongfu-lock beside OUT (flock, released by the kernel when the process dies;
 * out_dir canonical, see zf_outdir_resolve).  ZF_ERR_LOCKED when another run holds it;
 * *fd is -1 then.  Release removes the lock file. */
ZF_MUST_CHECK zf_status zf_lock_acquire(const char *out_dir, int *fd, zf_error *err);
void zf_lock_release(int fd, const char *out_dir);

/* Undo what an interrupted publish may have left: a missing OUT with OUT.zhongfu-old beside it
 * (the fallback path of file systems without RENAME_EXCHANGE) is moved back. */
ZF_MUST_CHECK zf_status zf_publish_recover(const char *out_dir, zf_error *err);

/* Put stage in the place of out_dir and remove the previous outputs. */
ZF_MUST_CHECK zf_status zf_publish(const char *stage, const char *out_dir, zf_error *err);

/* For tests of kills in each stage: when $ZF_TEST_PAUSE_AT names this stage, announce it
 * on stderr and wait 30 s, so that a test can kill the run exactly there — or, with
 * $ZF_TEST_RESUME, until that file exists. */
void zf_stage_checkpoint(const char *stage);

#endif
