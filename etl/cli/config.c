#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zf_fs.h"

static const char *const known[] = {"plan", "data", "out", "archive", "store", "templates",
                                    "log", "gnuplot", "charts", "workbooks", "as_of"};

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

static bool is_known(const char *key)
{
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(known[i], key))
            return true;
    return false;
}

static ZF_MUST_CHECK zf_status add(zf_config *c, const char *key, const char *value, const char *path, long line,
                                   zf_error *err)
{
    if (!is_known(key))
        return zf_error_set(err, ZF_ERR_USAGE, path, line, 1,
                            "unknown setting '%s' (expected one of plan, data, out, archive, store, "
                            "templates, log, gnuplot, charts, workbooks, as_of)", key);
    if (c->n == ZF_CONFIG_MAX)
        return zf_error_set(err, ZF_ERR_USAGE, path, line, 1, "too many settings");
    c->keys[c->n] = strdup(key);
    c->values[c->n] = strdup(value);
    if (!c->keys[c->n] || !c->values[c->n])
        return zf_error_set(err, ZF_ERR_NOMEM, path, line, 1, "out of memory");
    c->n++;
    return ZF_OK;
}

zf_status zf_config_load(zf_config *c, const char *path, zf_error *err)
{
    memset(c, 0, sizeof *c);
    FILE *f = zf_fopen_regular(path, err);
    if (!f)
        return ZF_ERR_IO;
    char buf[4096];
    long line = 0;
    zf_status st = ZF_OK;
    while (st == ZF_OK && fgets(buf, sizeof buf, f)) {
        if (++line > 10000) {   /* /dev/zero through a link, or a binary file */
            st = zf_error_set(err, ZF_ERR_USAGE, path, line, 1, "more than 10000 lines: not a configuration file");
            break;
        }
        char *s = trim(buf);
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            st = zf_error_set(err, ZF_ERR_USAGE, path, line, 1, "expected 'key = value'");
            break;
        }
        *eq = '\0';
        st = add(c, trim(s), trim(eq + 1), path, line, err);
    }
    fclose(f);
    if (st != ZF_OK)
        zf_config_free(c);
    return st;
}

const char *zf_config_get(const zf_config *c, const char *key)
{
    for (size_t i = c->n; i > 0; i--)   /* a later line overrides an earlier one */
        if (!strcmp(c->keys[i - 1], key))
            return c->values[i - 1];
    return NULL;
}

bool zf_config_flag(const zf_config *c, const char *key, bool fallback)
{
    const char *v = zf_config_get(c, key);
    if (!v)
        return fallback;
    return !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "on");
}

void zf_config_free(zf_config *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->keys[i]);
        free(c->values[i]);
    }
    c->n = 0;
}
