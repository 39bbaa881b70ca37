#include "zf_log.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    log->t0 = now();
    if (!path)
        return ZF_OK;
    log->f = fopen(path, "a");
    if (!log->f)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open the log: %s", strerror(errno));
    return ZF_OK;
}

void zf_log_close(zf_log *log)
{
    if (log && log->f)
        fclose(log->f);
    if (log)
        log->f = NULL;
}

double zf_log_elapsed(const zf_log *log)
{
    return now() - log->t0;
}

void zf_log_event(zf_log *log, const char *stage, const char *event, ...)
{
    if (!log || !log->f)
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
        fputs(text, log->f);
        fputc('\n', log->f);
        fflush(log->f);
        free(text);
    }
    cJSON_Delete(o);
}
