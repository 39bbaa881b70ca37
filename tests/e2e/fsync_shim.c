/* fsync_shim.c — an LD_PRELOAD library for the end-to-end tests: appends "fsync PATH",
 * "rename PATH" (the new name of a rename or renameat2) and "write-fail PATH" lines to
 * $ZF_SHIM_LOG, so a test can check that a publish syncs its files before it renames them.
 * With ZF_SHIM_ENOSPC_UNDER=DIR, a write to a file below DIR writes half of what it was asked
 * and then fails with ENOSPC, as a full disk does.  Not part of the product. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void note(const char *what, const char *path)
{
    const char *log = getenv("ZF_SHIM_LOG");
    if (!log)
        return;
    int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return;
    dprintf(fd, "%s %s\n", what, path);
    close(fd);
}

static const char *fd_path(int fd, char *buf, size_t size)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, buf, size - 1);
    buf[n < 0 ? 0 : n] = '\0';
    return buf;
}

int fsync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    char path[PATH_MAX];
    note("fsync", fd_path(fd, path, sizeof path));
    return real(fd);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real)
        real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
    char path[PATH_MAX];
    note("rename", realpath(to, path) ? path : to);
    return real(from, to);
}

int renameat2(int from_dir, const char *from, int to_dir, const char *to, unsigned flags)
{
    static int (*real)(int, const char *, int, const char *, unsigned);
    if (!real)
        real = (int (*)(int, const char *, int, const char *, unsigned))dlsym(RTLD_NEXT, "renameat2");
    char path[PATH_MAX];
    note("rename", realpath(to, path) ? path : to);
    return real(from_dir, from, to_dir, to, flags);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    static ssize_t (*real)(int, const void *, size_t);
    if (!real)
        real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
    const char *under = getenv("ZF_SHIM_ENOSPC_UNDER");
    char path[PATH_MAX];
    if (under && *under && strncmp(fd_path(fd, path, sizeof path), under, strlen(under)) == 0) {
        if (n > 1) {
            ssize_t done = real(fd, buf, n / 2);
            if (done > 0)
                return done;   /* a short write first, as a filling disk gives */
        }
        note("write-fail", path);
        errno = ENOSPC;
        return -1;
    }
    return real(fd, buf, n);
}
