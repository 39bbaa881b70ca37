/* The fault-injection shim (LD_PRELOAD) for tests/fault/run: it owns the numbering of every
 * point at which a zhongfu run changes a file system — each write to a regular file, each
 * fsync, each file or directory created, each rename — and makes the one numbered
 * $ZF_FAULT_AT fail the way a full or failing disk does ($ZF_FAULT_KIND: enospc, eio, short).
 *
 * glibc's stdio writes through internal symbols that LD_PRELOAD cannot reach, so a FILE
 * opened for writing (fopen, fopen64, fdopen, tmpfile — libxlsxwriter and minizip included)
 * is handed back as an fopencookie stream on the same descriptor: its buffer is flushed
 * through the counted write below, so a fault arrives where the kernel's would, at a
 * flush, and stdio marks the stream in error as it would for a real one.
 *
 *   ZF_FAULT_AT=N          the Nth point fails (1-based); without it nothing fails
 *   ZF_FAULT_KIND=K        enospc: that point and every later write or sync fail with ENOSPC
 *                          (a full disk stays full); eio: that point alone fails with EIO;
 *                          short: that write writes half its bytes (writes only)
 *   ZF_FAULT_COUNT_FILE=F  one line per point, "N op path", appended as it happens
 *   ZF_FAULT_LOG=F         one line when the fault is injected, "N op kind path"
 *
 * Descriptors 0-2 and anything not a regular file (gnuplot's pipe) are not counted: the
 * error message has to get out.  Only zhongfu's own points are counted: gnuplot inherits the
 * shim, and its PNG and SVG writes would renumber every run's points by how gnuplot buffers
 * them; the charts pass injects at zhongfu's writes under charts/.  The state below is the shim's, per process, by necessity;
 * the project's no-global-state rule is for the program, not for its test instruments. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum op { OP_WRITE, OP_SYNC, OP_CREATE };
enum kind { K_NONE, K_ENOSPC, K_EIO, K_SHORT };

static long fault_at = -1;
static enum kind fault_kind = K_NONE;
static long counter;
static int disk_full;   /* after an injected ENOSPC */
static int inert;        /* a process that is not zhongfu (gnuplot) */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void setup(void)
{
    extern char *program_invocation_short_name;
    inert = strcmp(program_invocation_short_name, "zhongfu") != 0;
    const char *at = getenv("ZF_FAULT_AT"), *kind = getenv("ZF_FAULT_KIND");
    if (at && *at)
        fault_at = strtol(at, NULL, 10);
    if (kind && !strcmp(kind, "enospc"))
        fault_kind = K_ENOSPC;
    else if (kind && !strcmp(kind, "eio"))
        fault_kind = K_EIO;
    else if (kind && !strcmp(kind, "short"))
        fault_kind = K_SHORT;
}

static void note(const char *env, const char *fmt, ...)
{
    const char *path = getenv(env);
    if (!path || !*path)
        return;
    char line[PATH_MAX + 128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof line)
        n = sizeof line - 1;
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        if (syscall(SYS_write, fd, line, (size_t)n) < 0) {
            /* a lost trace line shows as a count that does not match; nothing to do here */
        }
        syscall(SYS_close, fd);
    }
}

static void fd_path(int fd, char *buf, size_t size)
{
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, buf, size - 1);
    buf[n > 0 ? n : 0] = '\0';
}

static int counted_fd(int fd)
{
    struct stat sb;
    return fd > 2 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
}

static const char *op_name(enum op op)
{
    return op == OP_WRITE ? "write" : op == OP_SYNC ? "sync" : "create";
}

static const char *kind_name(enum kind k)
{
    return k == K_ENOSPC ? "enospc" : k == K_EIO ? "eio" : "short";
}

/* One point of the run: numbered, traced, and told what to do — 0 go on, an errno to fail
 * with, or -1 for a short write. */
static int point(enum op op, const char *what)
{
    pthread_once(&once, setup);
    if (inert)
        return 0;
    long k = __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
    note("ZF_FAULT_COUNT_FILE", "%ld %s %s\n", k, op_name(op), what);
    if (__atomic_load_n(&disk_full, __ATOMIC_SEQ_CST) && op != OP_CREATE)
        return ENOSPC;
    if (k != fault_at || fault_kind == K_NONE)
        return 0;
    if (fault_kind == K_SHORT && op != OP_WRITE)
        return 0;
    note("ZF_FAULT_LOG", "%ld %s %s %s\n", k, op_name(op), kind_name(fault_kind), what);
    if (fault_kind == K_SHORT)
        return -1;
    if (fault_kind == K_ENOSPC && op != OP_CREATE)
        __atomic_store_n(&disk_full, 1, __ATOMIC_SEQ_CST);
    return fault_kind == K_ENOSPC ? ENOSPC : EIO;
}

static int fd_point(enum op op, int fd)
{
    if (!counted_fd(fd))
        return 0;
    char path[PATH_MAX];
    fd_path(fd, path, sizeof path);
    return point(op, path);
}

static ssize_t sys_write(int fd, const void *buf, size_t n)
{
    return syscall(SYS_write, fd, buf, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    int f = n ? fd_point(OP_WRITE, fd) : 0;
    if (f > 0) {
        errno = f;
        return -1;
    }
    return sys_write(fd, buf, f < 0 && n > 1 ? n / 2 : n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    int f = n ? fd_point(OP_WRITE, fd) : 0;
    if (f > 0) {
        errno = f;
        return -1;
    }
    return syscall(SYS_pwrite64, fd, buf, f < 0 && n > 1 ? n / 2 : n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    return pwrite(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    size_t total = 0;
    for (int i = 0; i < cnt; i++)
        total += iov[i].iov_len;
    int f = total ? fd_point(OP_WRITE, fd) : 0;
    if (f > 0) {
        errno = f;
        return -1;
    }
    if (f < 0 && cnt > 0 && iov[0].iov_len > 1)   /* half of the first buffer */
        return sys_write(fd, iov[0].iov_base, iov[0].iov_len / 2);
    return syscall(SYS_writev, fd, iov, cnt);
}

int fsync(int fd)
{
    int f = fd_point(OP_SYNC, fd);
    if (f > 0) {
        errno = f;
        return -1;
    }
    return (int)syscall(SYS_fsync, fd);
}

int fdatasync(int fd)
{
    int f = fd_point(OP_SYNC, fd);
    if (f > 0) {
        errno = f;
        return -1;
    }
    return (int)syscall(SYS_fdatasync, fd);
}

static int create_point(const char *op, const char *path)
{
    char what[PATH_MAX + 32];
    snprintf(what, sizeof what, "%s %s", op, path);
    return point(OP_CREATE, what);
}

/* Only a create that makes a file counts: the lock file, already there, cannot run out of
 * space. */
static int sys_openat(int dirfd, const char *path, int flags, mode_t mode)
{
    if (flags & O_CREAT) {
        struct stat sb;
        if (fstatat(dirfd, path, &sb, 0) != 0) {
            int f = create_point("open", path);
            if (f > 0) {
                errno = f;
                return -1;
            }
        }
    }
    return (int)syscall(SYS_openat, dirfd, path, flags, mode);
}

static mode_t mode_arg(int flags, va_list ap)
{
    return (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    return sys_openat(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    return sys_openat(AT_FDCWD, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t mode = mode_arg(flags, ap);
    va_end(ap);
    return sys_openat(dirfd, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
    return sys_openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int mkdir(const char *path, mode_t mode)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        int f = create_point("mkdir", path);
        if (f > 0) {
            errno = f;
            return -1;
        }
    }
    return (int)syscall(SYS_mkdirat, AT_FDCWD, path, mode);
}

int renameat2(int olddir, const char *from, int newdir, const char *to, unsigned int flags)
{
    int f = create_point("rename", to);
    if (f > 0) {
        errno = f;
        return -1;
    }
    return (int)syscall(SYS_renameat2, olddir, from, newdir, to, flags);
}

int rename(const char *from, const char *to)
{
    return renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}

/* ---- stdio: streams opened for writing become cookie streams on their descriptor ---- */

typedef struct cookie {
    int fd;
} cookie;

static ssize_t c_read(void *c, char *buf, size_t n)
{
    return read(((cookie *)c)->fd, buf, n);
}

/* glibc's own file streams retry a short write; a cookie stream takes one as an error, so
 * the retry is done here and a short write is seen by the kernel side only. */
static ssize_t c_write(void *c, const char *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(((cookie *)c)->fd, buf + done, n - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return done ? (ssize_t)done : -1;
        }
        done += (size_t)w;
    }
    return (ssize_t)done;
}

static int c_seek(void *c, off64_t *off, int whence)
{
    off64_t r = lseek(((cookie *)c)->fd, *off, whence);
    if (r < 0)
        return -1;
    *off = r;
    return 0;
}

static int c_close(void *c)
{
    int fd = ((cookie *)c)->fd;
    free(c);
    return close(fd);
}

/* fileno of a cookie stream is -1; charts.c hands a tmpfile's descriptor to gnuplot */
#define MAX_STREAMS 1024
static struct { FILE *f; int fd; } streams[MAX_STREAMS];
static pthread_mutex_t streams_lock = PTHREAD_MUTEX_INITIALIZER;

static void remember(FILE *f, int fd)
{
    pthread_mutex_lock(&streams_lock);
    for (int i = 0; i < MAX_STREAMS; i++)
        if (!streams[i].f || streams[i].f == f) {
            streams[i].f = f;
            streams[i].fd = fd;
            break;
        }
    pthread_mutex_unlock(&streams_lock);
}

static int forget(FILE *f)
{
    int fd = -1;
    pthread_mutex_lock(&streams_lock);
    for (int i = 0; i < MAX_STREAMS; i++)
        if (streams[i].f == f) {
            fd = streams[i].fd;
            streams[i].f = NULL;
            break;
        }
    pthread_mutex_unlock(&streams_lock);
    return fd;
}

static int lookup(FILE *f)
{
    int fd = -1;
    pthread_mutex_lock(&streams_lock);
    for (int i = 0; i < MAX_STREAMS; i++)
        if (streams[i].f == f) {
            fd = streams[i].fd;
            break;
        }
    pthread_mutex_unlock(&streams_lock);
    return fd;
}

static FILE *cookie_stream(int fd, const char *mode)
{
    cookie *c = malloc(sizeof *c);
    if (!c) {
        errno = ENOMEM;
        return NULL;
    }
    c->fd = fd;
    cookie_io_functions_t io = {c_read, c_write, c_seek, c_close};
    FILE *f = fopencookie(c, mode, io);
    if (!f) {
        free(c);
        return NULL;
    }
    remember(f, fd);
    return f;
}

static int writes(const char *mode)
{
    return strpbrk(mode, "wa+") != NULL;
}

static FILE *open_stream(const char *path, const char *mode)
{
    int flags = strchr(mode, '+') ? O_RDWR : O_WRONLY;
    if (mode[0] == 'w')
        flags |= O_CREAT | O_TRUNC;
    else if (mode[0] == 'a')
        flags |= O_CREAT | O_APPEND;
    else if (mode[0] == 'r' && !strchr(mode, '+'))
        flags = O_RDONLY;
    if (strchr(mode, 'x'))
        flags |= O_EXCL;
    if (strchr(mode, 'e'))
        flags |= O_CLOEXEC;
    int fd = sys_openat(AT_FDCWD, path, flags, 0666);
    if (fd < 0)
        return NULL;
    FILE *f = cookie_stream(fd, mode);
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

FILE *fopen(const char *path, const char *mode)
{
    if (!writes(mode)) {
        FILE *(*real)(const char *, const char *) = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen");
        return real(path, mode);
    }
    return open_stream(path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
    if (!writes(mode)) {
        FILE *(*real)(const char *, const char *) = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen64");
        return real(path, mode);
    }
    return open_stream(path, mode);
}

FILE *fdopen(int fd, const char *mode)
{
    if (!writes(mode)) {
        FILE *(*real)(int, const char *) = (FILE * (*)(int, const char *)) dlsym(RTLD_NEXT, "fdopen");
        return real(fd, mode);
    }
    return cookie_stream(fd, mode);
}

FILE *tmpfile(void)
{
    FILE *(*real)(void) = (FILE * (*)(void)) dlsym(RTLD_NEXT, "tmpfile");
    FILE *t = real();
    if (!t)
        return NULL;
    int fd = dup(fileno(t));
    fclose(t);
    if (fd < 0)
        return NULL;
    FILE *f = cookie_stream(fd, "w+");
    if (!f)
        close(fd);
    return f;
}

FILE *tmpfile64(void)
{
    return tmpfile();
}

int fileno(FILE *f)
{
    int fd = lookup(f);
    if (fd >= 0)
        return fd;
    int (*real)(FILE *) = (int (*)(FILE *))dlsym(RTLD_NEXT, "fileno");
    return real(f);
}

int fclose(FILE *f)
{
    forget(f);
    int (*real)(FILE *) = (int (*)(FILE *))dlsym(RTLD_NEXT, "fclose");
    return real(f);
}
