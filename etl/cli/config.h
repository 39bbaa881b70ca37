/* config.h — the configuration file of nightly runs: `key = value` lines, `#` comments.
 * Settings: plan, data, out, archive, store, templates, log, gnuplot, charts, workbooks,
 * as_of.  Command-line options override it.  Example: templates/zhongfu.conf.example. */
#ifndef ZF_CONFIG_H
#define ZF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "zf_error.h"

#define ZF_CONFIG_MAX 64

typedef struct zf_config {
    char *keys[ZF_CONFIG_MAX];
    char *values[ZF_CONFIG_MAX];
    size_t n;
} zf_config;

/* An unknown setting is an error with its line: a typo must not be silently ignored. */
zf_status zf_config_load(zf_config *c, const char *path, zf_error *err);
const char *zf_config_get(const zf_config *c, const char *key);
bool zf_config_flag(const zf_config *c, const char *key, bool fallback);
void zf_config_free(zf_config *c);

#endif
