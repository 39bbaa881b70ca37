#define _GNU_SOURCE
#include "zf_publish.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zf_fs.h"
#include "zf_outdir.h"

/* The lock file is removed at a clean exit, so a run that opened it just before may hold
 * a lock on a file no longer there while a third run creates a new one: after flock, the
 * file locked must still be the one at the path, or we try again. */
zf_status zf_lock_acquire(const char *out_dir, int *fd, zf_error *err)
{
    char path[4096];
    *fd = -1;
    zf_status st = zf_beside(path, sizeof path, out_dir, "lock", err);
    if (st != ZF_OK)
        return st;
    for (int attempt = 0; attempt < 100; attempt++) {
        *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (*fd < 0)
            return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot create the lock file: %s", strerror(errno));
        struct stat held, named;
        if (fstat(*fd, &held) != 0 || !S_ISREG(held.st_mode)) {
            close(*fd);
            *fd = -1;
            return zf_error_set(err, ZF_ERR_USAGE, path, 0, 0, "is not a lock file zhongfu made");
        }
        if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(*fd);
            *fd = -1;
            if (e == EWOULDBLOCK)
                return zf_error_set(err, ZF_ERR_LOCKED, path, 0, 0,
                                    "another zhongfu run is writing %s; this run did nothing", out_dir);
            return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot lock: %s", strerror(e));
        }
        if (stat(path, &named) == 0 && named.st_ino == held.st_ino && named.st_dev == held.st_dev)
            return ZF_OK;
        close(*fd);
    }
    *fd = -1;
    return zf_error_set(err, ZF_ERR_LOCKED, path, 0, 0, "the lock file keeps changing; this run did nothing");
}

/* Unlink before close: while we hold the lock no other run can have it, and one that opened
 * the old file sees it gone and starts over. */
void zf_lock_release(int fd, const char *out_dir)
{
    if (fd < 0)
        return;
    char path[4096];
    struct stat sb;
    /* the path fitted when the lock was taken */
    if (zf_beside(path, sizeof path, out_dir, "lock", NULL) == ZF_OK && fstat(fd, &sb) == 0 && sb.st_size == 0)
        unlink(path);
    close(fd);
}

zf_status zf_beside(char *buf, size_t size, const char *out_dir, const char *what, zf_error *err)
{
    int n = snprintf(buf, size, "%s.zhongfu-%s", out_dir, what);
    if (n >= 0 && (size_t)n < size)
        return ZF_OK;
    return zf_error_set(err, ZF_ERR_USAGE, out_dir, 0, 0, "--out: the path beside it for the %s is longer than %zu bytes",
                        what, size - 1);
}

zf_status zf_publish_recover(const char *out_dir, zf_error *err)
{
    char old[4096];
    zf_status st = zf_beside(old, sizeof old, out_dir, "old", err);
    if (st != ZF_OK)
        return st;
    if (access(out_dir, F_OK) != 0 && access(old, F_OK) == 0 && rename(old, out_dir) != 0)
        return zf_error_set(err, ZF_ERR_IO, old, 0, 0, "cannot restore the previous outputs: %s",
                            strerror(errno));
    return zf_outdir_remove(old, "--out", err);
}

/* Without RENAME_EXCHANGE: move the old outputs aside, move the new in, and move the
 * old back if that fails; zf_publish_recover covers a crash in between. */
static ZF_MUST_CHECK zf_status publish_by_two_renames(const char *stage, const char *out_dir, zf_error *err)
{
    char old[4096];
    zf_status st = zf_beside(old, sizeof old, out_dir, "old", err);
    if (st != ZF_OK)
        return st;
    if (rename(out_dir, old) != 0)
        return zf_error_set(err, ZF_ERR_IO, out_dir, 0, 0, "cannot move the previous outputs aside: %s",
                            strerror(errno));
    if (rename(stage, out_dir) != 0) {
        int e = errno;
        rename(old, out_dir);
        return zf_error_set(err, ZF_ERR_IO, out_dir, 0, 0, "cannot publish: %s", strerror(e));
    }
    st = zf_fsync_parent(out_dir, err);
    return st == ZF_OK ? zf_outdir_remove(old, "--out", err) : st;
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
    /* stage now holds the previous outputs; checked again, as someone may have saved a file
     * into them during the run (a refusal leaves them in OUT.zhongfu-staging, and says so) */
    if ((st = zf_fsync_parent(out_dir, err)) != ZF_OK)
        return st;
    return zf_outdir_remove(stage, "--out", err);
}

void zf_stage_checkpoint(const char *stage)
{
    const char *want = getenv("ZF_TEST_PAUSE_AT");
    if (!want || strcmp(want, stage) != 0)
        return;
    fprintf(stderr, "zhongfu: paused at %s\n", stage);
    fflush(stderr);
    /* with $ZF_TEST_RESUME, go on once that file exists: a test changes the world meanwhile */
    const char *resume = getenv("ZF_TEST_RESUME");
    for (int i = 0; i < 300; i++) {
        if (resume && access(resume, F_OK) == 0)
            return;
        usleep(100 * 1000);
    }
}
