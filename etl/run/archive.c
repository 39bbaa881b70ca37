#include "zf_archive.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zf_fs.h"
#include "zf_sha256.h"

const char *zf_archive_default(char *buf, size_t size)
{
    const char *env = getenv("ZHONGFU_ARCHIVE");
    if (env && *env)
        return env;
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg && *xdg)
        snprintf(buf, size, "%s/zhongfu/archive", xdg);
    else
        snprintf(buf, size, "%s/.local/share/zhongfu/archive", getenv("HOME") ? getenv("HOME") : ".");
    return buf;
}

zf_status zf_archive_object(const char *archive, const char *sha256, char *buf, size_t size)
{
    if (strlen(sha256) != 64)
        return ZF_ERR_VALUE;
    int n = snprintf(buf, size, "%s/objects/%.2s/%s", archive, sha256, sha256);
    return n < 0 || (size_t)n >= size ? ZF_ERR_USAGE : ZF_OK;
}

/* mkdir -p with mode 0700 for everything the archive creates */
static ZF_MUST_CHECK zf_status private_dirs(const char *path, zf_error *err)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1;; p++) {
        if (*p && *p != '/')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return zf_error_set(err, ZF_ERR_IO, buf, 0, 0, "cannot create: %s", strerror(errno));
        if (!c)
            return ZF_OK;
        *p = c;
    }
}

/* Copy from → to through a temporary file, hashing the bytes as they are written: with
 * want (a sha256), a copy whose bytes do not hash to it is never named `to` — the file
 * changed after the run read it, and storing it under the old name would make every audit
 * of the run fail for good.  The hash of what was copied goes to got when given. */
static ZF_MUST_CHECK zf_status copy_file(const char *from, const char *to, mode_t mode, const char *want, char got[65],
                                         zf_error *err)
{
    char tmp[4200], hex[65];
    snprintf(tmp, sizeof tmp, "%s.tmp%ld", to, (long)getpid());
    zf_sha256 *h;
    if (zf_sha256_new(&h) != ZF_OK)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0) {
        zf_sha256_final(h, hex);
        return zf_error_set(err, ZF_ERR_IO, from, 0, 0, "cannot open: %s", strerror(errno));
    }
    int out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        zf_sha256_final(h, hex);
        return zf_error_set(err, ZF_ERR_IO, tmp, 0, 0, "cannot create: %s", strerror(errno));
    }
    char buf[1 << 16];
    ssize_t n;
    zf_status st = ZF_OK;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        zf_sha256_update(h, buf, (size_t)n);
        if (zf_write_all(out, buf, (size_t)n) != 0) {   /* errno: ENOSPC, not a stale one */
            st = zf_error_set(err, ZF_ERR_IO, tmp, 0, 0, "cannot write: %s", strerror(errno));
            break;
        }
    }
    if (n < 0 && st == ZF_OK)
        st = zf_error_set(err, ZF_ERR_IO, from, 0, 0, "cannot read: %s", strerror(errno));
    close(in);
    zf_sha256_final(h, hex);
    if (got)
        memcpy(got, hex, 65);
    if (st == ZF_OK && want && strcmp(hex, want))
        st = zf_error_set(err, ZF_ERR_IO, from, 0, 0,
                          "changed while the run was using it (read as sha256 %.12s…, now %.12s…): "
                          "nothing was archived or published; run again once it is complete",
                          want, hex);
    /* durable before it is named: an archive that loses inputs is no archive */
    if (st == ZF_OK && fsync(out) != 0)
        st = zf_error_set(err, ZF_ERR_IO, tmp, 0, 0, "cannot sync: %s", strerror(errno));
    close(out);
    if (st == ZF_OK && (fchmodat(AT_FDCWD, tmp, mode, 0) != 0 || rename(tmp, to) != 0))
        st = zf_error_set(err, ZF_ERR_IO, to, 0, 0, "cannot store: %s", strerror(errno));
    if (st != ZF_OK)
        unlink(tmp);
    return st;
}

/* An object is trusted only when its bytes hash to its name: one damaged on disk, or stored
 * by an older zhongfu from a file that changed under it, is replaced by this verified copy. */
zf_status zf_archive_put(const char *archive, const char *path, const char *sha256, zf_error *err)
{
    char obj[4096], dir[4096], hex[65];
    if (zf_archive_object(archive, sha256, obj, sizeof obj) != ZF_OK)
        return zf_error_set(err, ZF_ERR_VALUE, path, 0, 0, "not a sha256: '%s'", sha256);
    if (access(obj, F_OK) == 0 && zf_sha256_file(obj, hex, NULL, NULL) == ZF_OK && !strcmp(hex, sha256))
        return ZF_OK;
    snprintf(dir, sizeof dir, "%s/objects/%.2s", archive, sha256);
    zf_status st = private_dirs(dir, err);
    return st != ZF_OK ? st : copy_file(path, obj, 0400, sha256, NULL, err);
}

zf_status zf_archive_spool_dir(const char *archive, char *buf, size_t size, zf_error *err)
{
    if (snprintf(buf, size, "%s/spool", archive) >= (int)size)
        return zf_error_set(err, ZF_ERR_USAGE, archive, 0, 0, "path too long");
    return private_dirs(buf, err);
}

/* An output is hashed, then kept under that hash (the copy checked against it). */
static ZF_MUST_CHECK zf_status put_hashed(const char *archive, const char *path, zf_error *err)
{
    char hex[65];
    zf_status st = zf_sha256_file(path, hex, NULL, err);
    return st != ZF_OK ? st : zf_archive_put(archive, path, hex, err);
}

static ZF_MUST_CHECK zf_status put_outputs(const char *archive, const char *out_dir, zf_error *err)
{
    zf_arena a;
    zf_arena_init(&a, 16 * 1024);
    const char **names;
    size_t n;
    zf_status st = zf_list_files(out_dir, &a, &names, &n, err);
    for (size_t i = 0; st == ZF_OK && i < n; i++) {
        char path[4096];
        if ((st = zf_path_join(path, sizeof path, out_dir, names[i], err)) == ZF_OK)
            st = put_hashed(archive, path, err);
    }
    zf_arena_free(&a);
    return st;
}

zf_status zf_archive_run(const zf_run *run, const char *archive, const char *templates_dir,
                         const char *data_dir, const char *out_dir, zf_error *err)
{
    char path[4096];
    zf_status st = private_dirs(archive, err);
    for (size_t i = 0; st == ZF_OK && i < run->n_files; i++) {
        const zf_input_file *q = &run->files[i];
        const bool query = !strcmp(q->format, "postgres");   /* its rows were spooled to a file */
        if (!q->name[0] || strlen(q->sha256) != 64 || (query && !q->spool))
            continue;
        if ((st = zf_path_join(path, sizeof path, data_dir, q->path, err)) == ZF_OK)
            st = zf_archive_put(archive, query ? q->spool : path, q->sha256, err);
    }
    for (int i = 0; st == ZF_OK && i < 3; i++) {
        if ((st = zf_path_join(path, sizeof path, templates_dir, run->defs->def_files[i], err)) == ZF_OK)
            st = zf_archive_put(archive, path, run->defs->def_sha256[i], err);
    }
    if (st == ZF_OK)
        st = put_outputs(archive, out_dir, err);
    if (st != ZF_OK)
        return st;
    char dir[4096], manifest[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s", archive, run->run_id);
    if ((st = private_dirs(dir, err)) != ZF_OK)
        return st;
    if ((st = zf_path_join(manifest, sizeof manifest, out_dir, "manifest.json", err)) != ZF_OK ||
        (st = zf_path_join(path, sizeof path, dir, "manifest.json", err)) != ZF_OK)
        return st;
    return copy_file(manifest, path, 0600, NULL, NULL, err);
}

zf_status zf_archive_get(const char *archive, const char *sha256, const char *dest, bool *intact,
                         zf_error *err)
{
    char obj[4096], hex[65];
    if (zf_archive_object(archive, sha256, obj, sizeof obj) != ZF_OK)
        return zf_error_set(err, ZF_ERR_VALUE, dest, 0, 0, "not a sha256: '%s'", sha256);
    if (access(obj, F_OK) != 0)
        return zf_error_set(err, ZF_ERR_NOT_FOUND, obj, 0, 0, "not in the archive (wanted for %s)", dest);
    zf_status st = copy_file(obj, dest, 0600, NULL, hex, err);
    if (st == ZF_OK)
        *intact = strcmp(hex, sha256) == 0;
    return st;
}
