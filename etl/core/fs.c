#include "zf_fs.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

zf_status zf_path_join(char *buf, size_t size, const char *dir, const char *name, zf_error *err)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    if (n >= 0 && (size_t)n < size)
        return ZF_OK;
    return zf_error_set(err, ZF_ERR_USAGE, dir, 0, 0, "the path to %s in this directory is longer than %zu bytes",
                        name, size - 1);
}

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISFIFO(m) ? "a FIFO" : S_ISCHR(m) ? "a character device"
         : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a plain file";
}

zf_status zf_open_regular(const char *path, int *fd, zf_error *err)
{
    /* O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever */
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (*fd < 0)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct stat sb;
    int flags;
    if (fstat(*fd, &sb) != 0) {
        int e = errno;
        close(*fd);
        *fd = -1;
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot stat: %s", strerror(e));
    }
    if (!S_ISREG(sb.st_mode)) {
        close(*fd);
        *fd = -1;
        return zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0,
                            "is %s, not a regular file: only regular files are read", kind_of(sb.st_mode));
    }
    if ((flags = fcntl(*fd, F_GETFL)) < 0 || fcntl(*fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        close(*fd);
        *fd = -1;
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    return ZF_OK;
}

FILE *zf_fopen_regular(const char *path, zf_error *err)
{
    int fd;
    if (zf_open_regular(path, &fd, err) != ZF_OK)
        return NULL;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        close(fd);
    }
    return f;
}

zf_status zf_mkdir_p(const char *path, zf_error *err)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return zf_error_set(err, ZF_ERR_USAGE, path, 0, 0, "path too long");
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST)
            return zf_error_set(err, ZF_ERR_IO, buf, 0, 0, "cannot create directory: %s", strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST)
        return zf_error_set(err, ZF_ERR_IO, buf, 0, 0, "cannot create directory: %s", strerror(errno));
    return ZF_OK;
}

/* Depth first below path (links not followed): each entry's children, then visit(entry,
 * is_dir, st) — the order both removal and syncing need.  A missing path is ZF_OK when
 * missing_ok. */
static ZF_MUST_CHECK zf_status walk_tree(const char *path, bool missing_ok, zf_status (*visit)(const char *, const struct stat *, zf_error *),
                                         zf_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT && missing_ok ? ZF_OK
                                             : zf_error_set(err, ZF_ERR_IO, path, 0, 0, "%s", strerror(errno));
    zf_status rc = ZF_OK;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d)
            return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        struct dirent *de;
        while (rc == ZF_OK && (de = readdir(d)) != NULL) {
            if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
                continue;
            char child[4096];
            if ((rc = zf_path_join(child, sizeof child, path, de->d_name, err)) == ZF_OK)
                rc = walk_tree(child, missing_ok, visit, err);
        }
        closedir(d);
    }
    return rc == ZF_OK ? visit(path, &st, err) : rc;
}

static ZF_MUST_CHECK zf_status remove_one(const char *path, const struct stat *st, zf_error *err)
{
    if ((S_ISDIR(st->st_mode) ? rmdir(path) : unlink(path)) != 0)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot remove: %s", strerror(errno));
    return ZF_OK;
}

zf_status zf_rm_rf(const char *path, zf_error *err)
{
    return walk_tree(path, true, remove_one, err);
}

typedef struct name_list {
    char **items;
    size_t n, cap;
} name_list;

static ZF_MUST_CHECK zf_status push(name_list *l, const char *name)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **grown = realloc(l->items, cap * sizeof *grown);
        if (!grown)
            return ZF_ERR_NOMEM;
        l->items = grown;
        l->cap = cap;
    }
    if (!(l->items[l->n] = strdup(name)))
        return ZF_ERR_NOMEM;
    l->n++;
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status walk(const char *root, const char *rel, name_list *l, zf_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct dirent *de;
    zf_status rc = ZF_OK;
    while (rc == ZF_OK && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char child_rel[4096], child[8192];
        snprintf(child_rel, sizeof child_rel, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
        snprintf(child, sizeof child, "%s/%s", root, child_rel);
        struct stat st;
        if (lstat(child, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = walk(root, child_rel, l, err);
        else if (S_ISREG(st.st_mode) && push(l, child_rel) != ZF_OK)
            rc = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    closedir(d);
    return rc;
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

zf_status zf_list_files(const char *dir, zf_arena *arena, const char ***names, size_t *n, zf_error *err)
{
    name_list l = {0};
    zf_status rc = walk(dir, "", &l, err);
    const char **out = NULL;
    if (rc == ZF_OK) {
        qsort(l.items, l.n, sizeof *l.items, by_bytes);
        out = zf_arena_calloc(arena, l.n + 1, sizeof *out);
        for (size_t i = 0; out && i < l.n; i++)
            if (!(out[i] = zf_arena_strdup(arena, l.items[i])))
                out = NULL;
        if (!out)
            rc = zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.items[i]);
    free(l.items);
    if (rc == ZF_OK) {
        *names = out;
        *n = l.n;
    }
    return rc;
}

int zf_write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        if (w == 0) {   /* nothing written and no error: what a full disk looks like */
            errno = ENOSPC;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static ZF_MUST_CHECK zf_status fsync_one(const char *path, zf_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open to sync: %s", strerror(errno));
    /* EINVAL: a file system that cannot sync a directory; nothing more to be done there */
    int rc = fsync(fd) == 0 || errno == EINVAL ? 0 : errno;
    close(fd);
    return rc ? zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot sync: %s", strerror(rc)) : ZF_OK;
}

static ZF_MUST_CHECK zf_status sync_entry(const char *path, const struct stat *st, zf_error *err)
{
    return S_ISREG(st->st_mode) || S_ISDIR(st->st_mode) ? fsync_one(path, err) : ZF_OK;
}

zf_status zf_fsync_tree(const char *path, zf_error *err)
{
    return walk_tree(path, false, sync_entry, err);
}

zf_status zf_fsync_parent(const char *path, zf_error *err)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return zf_error_set(err, ZF_ERR_USAGE, path, 0, 0, "path too long");
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        dir[--n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash)
        return fsync_one(".", err);
    slash[slash == dir] = '\0';   /* "/out" → "/" */
    return fsync_one(dir, err);
}
