/* export.c — places the staged --export-accepted files into the user's directory
 * (zf_export.h).  The files were written during ingest into the run's own directory beside
 * --out; writing them straight into the user's directory used to leave a half-written
 * <source>.csv there whenever a later stage failed, and truncated the last good one first. */
#include "zf_export.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zf_fs.h"

static ZF_MUST_CHECK zf_status sync_file(const char *path, zf_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open the exported records: %s", strerror(errno));
    int rc = fsync(fd), e = errno;
    close(fd);
    if (rc != 0)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot write the exported records: %s", strerror(e));
    return ZF_OK;
}

/* Across file systems: a copy under a name of ours in dir, made durable. */
static ZF_MUST_CHECK zf_status copy_in(const char *from, const char *part, zf_error *err)
{
    zf_status st = ZF_OK;
    char buf[1 << 16];
    int in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    int out = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (in < 0 || out < 0) {
        st = zf_error_set(err, ZF_ERR_IO, in < 0 ? from : part, 0, 0, "cannot copy the exported records: %s",
                          strerror(errno));
        goto cleanup;
    }
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = zf_error_set(err, ZF_ERR_IO, from, 0, 0, "cannot read the exported records: %s", strerror(errno));
            goto cleanup;
        }
        if (n == 0)
            break;
        if (zf_write_all(out, buf, (size_t)n) != 0) {
            st = zf_error_set(err, ZF_ERR_IO, part, 0, 0, "cannot write the exported records: %s", strerror(errno));
            goto cleanup;
        }
    }
    if (fsync(out) != 0) {
        st = zf_error_set(err, ZF_ERR_IO, part, 0, 0, "cannot write the exported records: %s", strerror(errno));
        goto cleanup;
    }
    if (close(out) != 0) {
        out = -1;
        st = zf_error_set(err, ZF_ERR_IO, part, 0, 0, "cannot write the exported records: %s", strerror(errno));
        goto cleanup;
    }
    out = -1;
cleanup:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (st != ZF_OK)
        unlink(part);
    return st;
}

/* staged/<id>.csv, dir/<id>.csv and dir's part file of source i. */
static ZF_MUST_CHECK zf_status names(const char *staged, const char *dir, const char *id, char from[4096],
                                     char to[4096], char part[4096], zf_error *err)
{
    char name[512], hidden[512];
    snprintf(name, sizeof name, "%s.csv", id);
    snprintf(hidden, sizeof hidden, ".%s.csv.zhongfu-part", id);
    zf_status st = zf_path_join(from, 4096, staged, name, err);
    if (st == ZF_OK && (st = zf_path_join(to, 4096, dir, name, err)) == ZF_OK)
        st = zf_path_join(part, 4096, dir, hidden, err);
    return st;
}

zf_status zf_export_place(const char *staged, const char *dir, const zf_source_set *sources, zf_error *err)
{
    char from[4096], to[4096], part[4096];
    struct stat sb;
    size_t n_parts = 0;
    zf_status st = zf_mkdir_p(dir, err);
    /* every file is checked before any is replaced: a refusal leaves the export whole */
    for (size_t i = 0; i < sources->n_sources && st == ZF_OK; i++)
        if ((st = names(staged, dir, sources->sources[i].id, from, to, part, err)) == ZF_OK &&
            lstat(from, &sb) == 0 && lstat(to, &sb) == 0 && !S_ISREG(sb.st_mode))
            st = zf_error_set(err, ZF_ERR_USAGE, to, 0, 0,
                              "is not a regular file: --export-accepted replaces only the files it wrote");
    /* then every file is put, durable, under a name of ours beside its target; only when all
     * are there does any target change, so a full disk or a failing write leaves the last
     * export as it was */
    for (size_t i = 0; i < sources->n_sources && st == ZF_OK; i++) {
        if ((st = names(staged, dir, sources->sources[i].id, from, to, part, err)) != ZF_OK)
            break;
        if (lstat(from, &sb) != 0)
            continue;   /* a source without files exports nothing */
        if ((st = sync_file(from, err)) != ZF_OK)
            break;
        unlink(part);   /* a part file is only ever ours: left by a run that was killed */
        if (rename(from, part) != 0)
            st = errno == EXDEV ? copy_in(from, part, err)
                                : zf_error_set(err, ZF_ERR_IO, part, 0, 0, "cannot place the exported records: %s",
                                               strerror(errno));
        n_parts += st == ZF_OK;
    }
    if (st == ZF_OK && n_parts && (st = zf_path_join(to, sizeof to, dir, "x", err)) == ZF_OK)
        st = zf_fsync_parent(to, err);
    for (size_t i = 0; i < sources->n_sources && n_parts; i++) {
        if (names(staged, dir, sources->sources[i].id, from, to, part, NULL) != ZF_OK || lstat(part, &sb) != 0)
            continue;
        if (st != ZF_OK)
            unlink(part);
        else if (rename(part, to) != 0)
            /* a rename in one directory of files already written: what fails here fails the
             * directory, and the next run puts the rest in place */
            st = zf_error_set(err, ZF_ERR_IO, to, 0, 0, "cannot replace the exported records (those before it "
                              "are this run's): %s", strerror(errno));
    }
    if (st == ZF_OK && n_parts && (st = zf_path_join(to, sizeof to, dir, "x", err)) == ZF_OK)
        st = zf_fsync_parent(to, err);
    return st;
}
