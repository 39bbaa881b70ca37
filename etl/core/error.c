/* error.c — the status codes and the error a failing call leaves for its caller
 * (zf_error.h).  Messages reach the outputs (quality sheet, log), so a message or file
 * name cut by its buffer loses a character cut in two rather than keep half of it. */
#include "zf_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "zf_text.h"

static const char *const zf_status_names[ZF_STATUS_COUNT] = {
    [ZF_OK] = "no error",
    [ZF_ERR_NOMEM] = "out of memory",
    [ZF_ERR_IO] = "input/output error",
    [ZF_ERR_USAGE] = "usage error",
    [ZF_ERR_DEFINITION] = "definition error",
    [ZF_ERR_FORMAT] = "file format error",
    [ZF_ERR_ENCODING] = "encoding error",
    [ZF_ERR_VALUE] = "bad value",
    [ZF_ERR_NOT_FOUND] = "not found",
    [ZF_ERR_EXTERNAL] = "external program failed",
    [ZF_ERR_LOCKED] = "locked by another run",
    [ZF_ERR_INTERNAL] = "internal error",
};

const char *zf_strerror(zf_status code)
{
    if ((int)code < 0 || code >= ZF_STATUS_COUNT || !zf_status_names[code])
        return "unknown error";
    return zf_status_names[code];
}

zf_status zf_error_set(zf_error *err, zf_status code, const char *file, long line, long column,
                       const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    err->file[zf_utf8_complete(err->file, strlen(err->file))] = '\0';
    err->message[zf_utf8_complete(err->message, strlen(err->message))] = '\0';
    return code;
}

void zf_error_clear(zf_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

const char *zf_error_format(const zf_error *err, char *buf, size_t size)
{
    if (!err->file[0])
        snprintf(buf, size, "%s", err->message[0] ? err->message : zf_strerror(err->code));
    else if (err->line && err->column)
        snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->column, err->message);
    else if (err->line)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->message);
    else
        snprintf(buf, size, "%s: %s", err->file, err->message);
    if (size)
        buf[zf_utf8_complete(buf, strlen(buf))] = '\0';
    return buf;
}
