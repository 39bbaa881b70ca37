/* fuzz.h — what the libFuzzer harnesses share: the readers open files by name, so each
 * input is written to one memory file (memfd) and read back through /proc/self/fd. */
#ifndef ZF_FUZZ_H
#define ZF_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "zf_reader.h"

/* The path of a file holding exactly data[0..n). */
static inline const char *fz_file(const uint8_t *data, size_t n)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("zf-fuzz", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || (n && pwrite(fd, data, n, 0) != (ssize_t)n))
        abort();
    return path;
}

/* Open as fmt and read every record (at most 100000), checking what a reader promises:
 * cells inside bounds, line numbers that never go back. */
static inline void fz_read_all(const char *path, zf_format fmt, const char *encoding)
{
    static const char *const cols[] = {"a", "b", "身份证号", "金额", "日期"};
    const size_t nc = sizeof cols / sizeof *cols;
    zf_reader_opts o = {fmt, encoding, cols, nc, false, 0};
    zf_reader *r = NULL;
    zf_error err;
    if (zf_reader_open(&r, path, &o, &err) == ZF_OK) {
        zf_cell cells[5];
        long last = 0;
        for (int k = 0; k < 100000; k++) {
            long line = 0;
            bool more = false;
            if (zf_reader_next(r, cells, &line, &more, &err) != ZF_OK || !more)
                break;
            if (line < last)
                abort();
            last = line;
            for (size_t i = 0; i < nc; i++) {
                volatile char sink = 0;
                for (size_t j = 0; j < cells[i].len; j++)   /* ASan sees a cell out of bounds */
                    sink ^= cells[i].ptr[j];
                (void)sink;
            }
        }
        char hex[65];
        uint64_t size;
        /* A reader stopped by an error may refuse a digest; either answer
         * is fine here, only a crash is not. */
        int digest = zf_reader_sha256(r, hex, &size, &err);
        (void)digest;
    }
    zf_reader_free(r);
}

#endif
