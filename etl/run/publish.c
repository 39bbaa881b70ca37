#define _GNU_SOURCE
#include "zf_publish.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "zf_fs.h"

zf_status zf_lock_acquire(const char *out_dir, int *fd, zf_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.lock", out_dir);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (*fd < 0)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot create the lock file: %s", strerror(errno));
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(*fd);
        *fd = -1;
        if (e == EWOULDBLOCK)
            return zf_error_set(err, ZF_ERR_LOCKED, path, 0, 0,
                                "another zhongfu run is writing %s; this run did nothing", out_dir);
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot lock: %s", strerror(e));
    }
    return ZF_OK;
}

void zf_lock_release(int fd)
{
    if (fd >= 0)
        close(fd);
}

static void old_path(char *buf, size_t size, const char *out_dir)
{
    snprintf(buf, size, "%s.old", out_dir);
}

zf_status zf_publish_recover(const char *out_dir, zf_error *err)
{
    char old[4096];
    old_path(old, sizeof old, out_dir);
    if (access(out_dir, F_OK) != 0 && access(old, F_OK) == 0 && rename(old, out_dir) != 0)
        return zf_error_set(err, ZF_ERR_IO, old, 0, 0, "cannot restore the previous outputs: %s",
                            strerror(errno));
    return zf_rm_rf(old, err);
}

/* Without RENAME_EXCHANGE: move the old outputs aside, move the new in, and move the
 * old back if that fails; zf_publish_recover covers a crash in between. */
static zf_status publish_by_two_renames(const char *stage, const char *out_dir, zf_error *err)
{
    char old[4096];
    old_path(old, sizeof old, out_dir);
    if (rename(out_dir, old) != 0)
        return zf_error_set(err, ZF_ERR_IO, out_dir, 0, 0, "cannot move the previous outputs aside: %s",
                            strerror(errno));
    if (rename(stage, out_dir) != 0) {
        int e = errno;
        rename(old, out_dir);
        return zf_error_set(err, ZF_ERR_IO, out_dir, 0, 0, "cannot publish: %s", strerror(e));
    }
    zf_status st = zf_fsync_parent(out_dir, err);
    return st == ZF_OK ? zf_rm_rf(old, err) : st;
}

zf_status zf_publish(const char *stage, const char *out_dir, zf_error *err)
{
    /* the files and their directory on disk before a rename names them the outputs, and the
       rename itself after: a power cut must leave the old outputs or the whole new ones */
    zf_status st = zf_fsync_tree(stage, err);
    if (st != ZF_OK)
        return st;
    if (access(out_dir, F_OK) != 0) {
        if (rename(stage, out_dir) != 0)
            return zf_error_set(err, ZF_ERR_IO, out_dir, 0, 0, "cannot publish: %s", strerror(errno));
        return zf_fsync_parent(out_dir, err);
    }
    if (renameat2(AT_FDCWD, stage, AT_FDCWD, out_dir, RENAME_EXCHANGE) != 0) {
        if (errno == EINVAL || errno == ENOSYS)
            return publish_by_two_renames(stage, out_dir, err);
        return zf_error_set(err, ZF_ERR_IO, out_dir, 0, 0, "cannot publish: %s", strerror(errno));
    }
    /* stage now holds the previous outputs */
    if ((st = zf_fsync_parent(out_dir, err)) != ZF_OK)
        return st;
    return zf_rm_rf(stage, err);
}

void zf_stage_checkpoint(const char *stage)
{
    const char *want = getenv("ZF_TEST_PAUSE_AT");
    if (!want || strcmp(want, stage) != 0)
        return;
    fprintf(stderr, "zhongfu: paused at %s\n", stage);
    fflush(stderr);
    sleep(30);
}
