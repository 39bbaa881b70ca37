/* zf_fs.h — the few file-system operations a run needs: make and remove directory
 * trees, list a tree's files in a stable order (for the manifest), write a buffer whole,
 * and make a tree durable before a rename publishes it. */
#ifndef ZF_FS_H
#define ZF_FS_H

#include <stddef.h>
#include <stdio.h>

#include "zf_arena.h"
#include "zf_error.h"

ZF_MUST_CHECK zf_status zf_mkdir_p(const char *path, zf_error *err);
/* Remove path and everything below it; a missing path is not an error. */
ZF_MUST_CHECK zf_status zf_rm_rf(const char *path, zf_error *err);
/* Regular files below dir, relative to it, sorted bytewise; NULL-terminated, in arena. */
ZF_MUST_CHECK zf_status zf_list_files(const char *dir, zf_arena *arena, const char ***names, size_t *n, zf_error *err);
/* Open path read-only when it is a regular file: a FIFO would hang the run while it holds the
 * lock, and a device never ends.  Links are followed (the caller decides which it allows);
 * the check is on the file opened, so a swap after a stat cannot slip one through. */
ZF_MUST_CHECK zf_status zf_open_regular(const char *path, int *fd, zf_error *err);
/* The same as a stdio stream ("rb"), NULL with err set. */
FILE *zf_fopen_regular(const char *path, zf_error *err);

/* dir + "/" + name into buf; a path that does not fit is an error naming it (err may be NULL). */
ZF_MUST_CHECK zf_status zf_path_join(char *buf, size_t size, const char *dir, const char *name, zf_error *err);

/* write(2) until all n bytes are written: 0, or -1 with errno set — ENOSPC when the file
 * system took only part and then nothing (a short write alone leaves errno as it was). */
int zf_write_all(int fd, const void *buf, size_t n);
/* fsync every regular file and directory below path, and path itself. */
ZF_MUST_CHECK zf_status zf_fsync_tree(const char *path, zf_error *err);
/* fsync the directory that holds path (the entry a rename made or changed). */
ZF_MUST_CHECK zf_status zf_fsync_parent(const char *path, zf_error *err);

#endif
