/* log.c — the operator's JSON-lines log (zf_log.h): events appended one line per write,
 * and a failed write remembered rather than fatal, since the log is about the run and the
 * run's outputs must not be lost for it. */
#include "zf_log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zf_fs.h"
#include "zf_text.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

zf_status zf_log_open(zf_log *log, const char *path, zf_error *err)
{
    memset(log, 0, sizeof *log);
    log->fd = -1;
    log->t0 = now();
    if (!path)
        return ZF_OK;
    snprintf(log->path, sizeof log->path, "%s", path);
    /* a file appended to, or a terminal, pipe or /dev/stderr for a service's journal */
    log->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (log->fd < 0)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open the log: %s", strerror(errno));
    return ZF_OK;
}

void zf_log_close(zf_log *log)
{
    if (!log || log->fd < 0)
        return;
    if (fsync(log->fd) != 0 && !log->write_errno && errno != EINVAL)
        log->write_errno = errno;
    if (close(log->fd) != 0 && !log->write_errno && errno != EINTR)
        log->write_errno = errno;
    log->fd = -1;
}

/* One whole line or none: a write that fails part way is cut back off, unless another
 * process appended to the same file meanwhile (then cutting would lose its line). */
static void put_line(zf_log *log, const char *text, size_t n)
{
    struct stat sb;
    off_t before = fstat(log->fd, &sb) == 0 ? sb.st_size : -1;
    if (zf_write_all(log->fd, text, n) == 0)
        return;
    log->write_errno = errno ? errno : EIO;
    if (before >= 0 && fstat(log->fd, &sb) == 0 && sb.st_size > before && sb.st_size < before + (off_t)n) {
        /* if even this fails the half line stays; the run says the log is incomplete either way */
        int cut = ftruncate(log->fd, before);
        (void)cut;
    }
}

double zf_log_elapsed(const zf_log *log)
{
    return now() - log->t0;
}

void zf_log_event(zf_log *log, const char *stage, const char *event, ...)
{
    if (!log || log->fd < 0 || log->write_errno)
        return;
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return;
    char stamp[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddStringToObject(o, "time", stamp);
    if (log->run_id[0])
        cJSON_AddStringToObject(o, "run_id", log->run_id);
    cJSON_AddStringToObject(o, "stage", stage);
    cJSON_AddStringToObject(o, "event", event);
    va_list ap;
    va_start(ap, event);
    const char *key;
    while ((key = va_arg(ap, const char *)) != NULL) {
        int type = va_arg(ap, int);
        if (type == 's') {
            const char *v = va_arg(ap, const char *);
            /* a message may name a path in GBK bytes: the log stays UTF-8 */
            char *safe = v && !zf_text_is_safe(v, strlen(v)) ? zf_text_safe_dup(v) : NULL;
            cJSON_AddStringToObject(o, key, safe ? safe : v ? v : "");
            free(safe);
        } else if (type == 'i') {
            cJSON_AddNumberToObject(o, key, (double)va_arg(ap, long long));
        } else {
            cJSON_AddNumberToObject(o, key, va_arg(ap, double));
        }
    }
    va_end(ap);
    char *text = cJSON_PrintUnformatted(o);
    if (text) {
        size_t n = strlen(text);
        char *line = malloc(n + 2);
        if (line) {
            memcpy(line, text, n);
            line[n] = '\n';
            put_line(log, line, n + 1);
            free(line);
        }
        free(text);
    }
    cJSON_Delete(o);
}
