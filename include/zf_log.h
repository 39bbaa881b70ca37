/* zf_log.h — the operator's log: one JSON object per line (time, run id, stage, event and
 * its fields: source, file, counts, durations, errors), appended to a file, so that a
 * failed night can be read by a person and by a log collector alike.  Times in the log are
 * wall-clock; they never reach an output. */
#ifndef ZF_LOG_H
#define ZF_LOG_H

#include "zf_error.h"

typedef struct zf_log {
    int fd;               /* -1: a log that writes nothing */
    char run_id[17];      /* "" until the run's content is known */
    double t0;            /* monotonic seconds at open */
    int write_errno;      /* the first write that failed (0: none); nothing is written after it */
    char path[4096];
} zf_log;

/* NULL path: a log that writes nothing (every call is then a no-op). */
ZF_MUST_CHECK zf_status zf_log_open(zf_log *log, const char *path, zf_error *err);
void zf_log_close(zf_log *log);

/* Seconds since zf_log_open, for durations. */
double zf_log_elapsed(const zf_log *log);

/* Write {"time":…,"run_id":…,"stage":stage,"event":event, <fields>}.  fields is a
 * NULL-terminated list of (key, type, value): type 's' const char *, 'i' long long,
 * 'f' double.  Each line goes out in one write; a line that could not be written in full
 * is cut off again and the log stops there, so a collector never reads half an event and
 * the run can say that its log is incomplete (write_errno). */
void zf_log_event(zf_log *log, const char *stage, const char *event, ...);

#endif
