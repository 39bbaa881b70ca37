/* define_internal.h — helpers shared by the definition loader's files (not public).
 *
 * A zf_dctx carries the file being read and the JSON path of the node at hand, so
 * every semantic error can say "plans/yuyao.json: indicator 4:
 * indicators[3].rule.where[0].column: ..." without each parser building it. */
#ifndef ZF_DEFINE_INTERNAL_H
#define ZF_DEFINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "zf_defs.h"

typedef struct zf_dctx {
    zf_arena *arena;
    const char *file;
    zf_error *err;
    int indicator;          /* 0 outside an indicator */
    const zf_region_tree *regions;
    const zf_source_set *sources;
    char path[512];
    size_t path_len;
} zf_dctx;

/* Append a path segment ("indicators[3]", ".rule"); returns the length to pop back to. */
size_t zf_dctx_push(zf_dctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void zf_dctx_pop(zf_dctx *c, size_t len);
/* ZF_ERR_DEFINITION at the current path (plus key, if not NULL). */
ZF_MUST_CHECK zf_status zf_dctx_fail(zf_dctx *c, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
ZF_MUST_CHECK zf_status zf_dctx_nomem(zf_dctx *c);

/* Typed members.  A missing optional member leaves *out untouched and returns ZF_OK. */
ZF_MUST_CHECK zf_status zf_dj_string(zf_dctx *c, const cJSON *obj, const char *key, bool required, const char **out);
ZF_MUST_CHECK zf_status zf_dj_int(zf_dctx *c, const cJSON *obj, const char *key, bool required, int64_t *out);
ZF_MUST_CHECK zf_status zf_dj_bool(zf_dctx *c, const cJSON *obj, const char *key, bool *out);
/* An array member (NULL when absent and not required). */
ZF_MUST_CHECK zf_status zf_dj_array(zf_dctx *c, const cJSON *obj, const char *key, bool required, const cJSON **out);
/* Strings of an array member, copied into the arena. */
ZF_MUST_CHECK zf_status zf_dj_strings(zf_dctx *c, const cJSON *obj, const char *key, bool required,
                                      const char ***out, size_t *n);
/* Refuse members not in keys[n]: a misspelt member would otherwise be silently ignored. */
ZF_MUST_CHECK zf_status zf_dj_known(zf_dctx *c, const cJSON *obj, const char *const *keys, size_t n);
/* The index of s in names[n], or -1. */
int zf_def_lookup(const char *const *names, size_t n, const char *s);
/* "a, b, c" of names into buf, for "expected one of" messages. */
const char *zf_def_join(const char *const *names, size_t n, char *buf, size_t size);

/* An unsigned decimal "12", "0.9" as num/den with den a power of ten; false if malformed. */
bool zf_def_decimal(const char *s, size_t len, int64_t *num, int64_t *den);
/* A JSON number that is an integer, or a decimal string, as num/den. */
ZF_MUST_CHECK zf_status zf_dj_fraction(zf_dctx *c, const cJSON *item, const char *key, int64_t *num, int64_t *den);

ZF_MUST_CHECK zf_status zf_regions_parse(zf_dctx *c, const cJSON *root, const char *id, zf_region_tree *out);
ZF_MUST_CHECK zf_status zf_sources_parse(zf_dctx *c, const cJSON *root, const char *id, zf_source_set *out);
ZF_MUST_CHECK zf_status zf_plan_parse(zf_dctx *c, const cJSON *root, zf_plan *out);
ZF_MUST_CHECK zf_status zf_rule_parse(zf_dctx *c, const cJSON *obj, zf_rule *out);

/* ---- other plans (etl/define/extras.c, etl/define/submitted.c) ---- */
/* Plan members baseline_year and interpolate (before the indicators). */
ZF_MUST_CHECK zf_status zf_plan_extras_parse(zf_dctx *c, const cJSON *root, zf_plan *p);
/* Indicator members direction, levels, baseline, interpolate, target_series: before targets. */
ZF_MUST_CHECK zf_status zf_indicator_extras_parse(zf_dctx *c, const cJSON *o, const zf_plan *p, zf_indicator *ind);
/* A target cell of ind once parsed: lower-is-better turns an unsigned cell into <=. */
void zf_indicator_target_adjust(const zf_indicator *ind, zf_target *t);
/* After targets and rules: submitted-rule defaults (plan, indicator) and interpolated targets. */
ZF_MUST_CHECK zf_status zf_indicator_extras_finish(zf_dctx *c, const zf_plan *p, zf_indicator *ind);
/* After all indicators: references between them (target_series). */
ZF_MUST_CHECK zf_status zf_plan_extras_finish(zf_dctx *c, const zf_plan *p);
/* The members of a "submitted" rule (kind already set, source and region column resolved). */
ZF_MUST_CHECK zf_status zf_submitted_parse(zf_dctx *c, const cJSON *o, zf_rule *r);

#endif
