/* sources.c — the source set: what each department delivers, column by column, in
 * the spec's order (the validator reports the first bad column in this order). */
#include "define_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const coltype_names[ZF_COLTYPE_COUNT] = {
    [ZF_COL_TEXT] = "text",           [ZF_COL_DATE] = "date",
    [ZF_COL_AMOUNT] = "amount",       [ZF_COL_INTEGER] = "integer",
    [ZF_COL_YESNO] = "yesno",         [ZF_COL_CITIZEN_ID] = "citizen_id",
    [ZF_COL_CREDIT_CODE] = "credit_code", [ZF_COL_REGION] = "region",
    [ZF_COL_ENUM] = "enum",           [ZF_COL_DECIMAL] = "decimal",
    [ZF_COL_TEXT_OR_DECIMAL] = "text_or_decimal",
};

const char *zf_coltype_name(zf_coltype t)
{
    return (unsigned)t < ZF_COLTYPE_COUNT ? coltype_names[t] : "unknown";
}

int zf_source_column(const zf_source *s, const char *name)
{
    for (size_t i = 0; i < s->n_columns; i++)
        if (strcmp(s->columns[i].name, name) == 0)
            return (int)i;
    return -1;
}

int zf_sources_find(const zf_source_set *set, const char *id)
{
    for (size_t i = 0; i < set->n_sources; i++)
        if (strcmp(set->sources[i].id, id) == 0)
            return (int)i;
    return -1;
}

static ZF_MUST_CHECK zf_status column_bounds(zf_dctx *c, const cJSON *o, zf_column *col)
{
    bool has_min = cJSON_GetObjectItemCaseSensitive(o, "min") != NULL;
    bool has_max = cJSON_GetObjectItemCaseSensitive(o, "max") != NULL;
    if ((has_min || has_max) && col->type != ZF_COL_INTEGER)
        return zf_dctx_fail(c, has_min ? "min" : "max", "bounds are only for integer columns");
    zf_status st = zf_dj_int(c, o, "min", false, &col->min);
    if (!st)
        st = zf_dj_int(c, o, "max", false, &col->max);
    col->has_min = has_min;
    col->has_max = has_max;
    if (!st && has_min && has_max && col->min > col->max)
        return zf_dctx_fail(c, "max", "max %lld is below min %lld", (long long)col->max, (long long)col->min);
    return st;
}

/* "date_kind": "event" (default: the day something happened, counted up to R) or
 * "reporting" (the day a figure was filed, counted up to the as-of date). */
static ZF_MUST_CHECK zf_status column_date_kind(zf_dctx *c, const cJSON *o, zf_column *col)
{
    static const char *const kinds[] = {"event", "reporting"};
    const char *w = NULL;
    zf_status st = zf_dj_string(c, o, "date_kind", false, &w);
    if (st || !w)
        return st;
    if (col->type != ZF_COL_DATE)
        return zf_dctx_fail(c, "date_kind", "only a date column has a date kind");
    int k = zf_def_lookup(kinds, 2, w);
    if (k < 0)
        return zf_dctx_fail(c, "date_kind", "unknown date kind \"%s\" (expected event or reporting)", w);
    col->reporting_date = k == 1;
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status parse_column(zf_dctx *c, const cJSON *o, zf_column *col)
{
    if (!cJSON_IsObject(o))
        return zf_dctx_fail(c, NULL, "expected a column object {\"name\": ..., \"type\": ...}");
    static const char *const keys[] = {"name", "type", "optional", "personal", "values", "min", "max", "date_kind",
                                       "comment"};
    const char *type = NULL;
    bool optional = false;
    zf_status st = zf_dj_known(c, o, keys, sizeof keys / sizeof keys[0]);
    if (!st)
        st = zf_dj_string(c, o, "name", true, &col->name);
    if (!st)
        st = zf_dj_string(c, o, "type", true, &type);
    if (!st)
        st = zf_dj_bool(c, o, "optional", &optional);
    if (!st)
        st = zf_dj_bool(c, o, "personal", &col->personal);
    if (st)
        return st;
    int t = zf_def_lookup(coltype_names, ZF_COLTYPE_COUNT, type);
    if (t < 0) {
        char buf[256];
        return zf_dctx_fail(c, "type", "unknown column type \"%s\" (expected one of %s)", type,
                            zf_def_join(coltype_names, ZF_COLTYPE_COUNT, buf, sizeof buf));
    }
    col->type = (zf_coltype)t;
    col->required = !optional;
    if ((st = zf_dj_strings(c, o, "values", col->type == ZF_COL_ENUM, &col->vocab, &col->n_vocab)))
        return st;
    if (col->type == ZF_COL_ENUM && col->n_vocab == 0)
        return zf_dctx_fail(c, "values", "an enum column needs at least one word");
    if (col->type != ZF_COL_ENUM && col->vocab)
        return zf_dctx_fail(c, "values", "a vocabulary is only for enum columns");
    if ((st = column_date_kind(c, o, col)))
        return st;
    return column_bounds(c, o, col);
}

static ZF_MUST_CHECK zf_status parse_columns(zf_dctx *c, const cJSON *o, zf_source *s)
{
    const cJSON *arr, *it;
    zf_status st = zf_dj_array(c, o, "columns", true, &arr);
    if (st)
        return st;
    s->n_columns = (size_t)cJSON_GetArraySize(arr);
    if (s->n_columns == 0)
        return zf_dctx_fail(c, "columns", "a source needs at least one column");
    if (!(s->columns = zf_arena_calloc(c->arena, s->n_columns, sizeof *s->columns)))
        return zf_dctx_nomem(c);
    size_t i = 0;
    cJSON_ArrayForEach(it, arr) {
        size_t mark = zf_dctx_push(c, ".columns[%zu]", i);
        if ((st = parse_column(c, it, &s->columns[i])))
            return st;
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->columns[j].name, s->columns[i].name) == 0)
                return zf_dctx_fail(c, "name", "column \"%s\" appears twice", s->columns[i].name);
        zf_dctx_pop(c, mark);
        i++;
    }
    return ZF_OK;
}

/* Column names of member key (an array of header names) as indexes into s. */
static ZF_MUST_CHECK zf_status column_list(zf_dctx *c, const cJSON *o, const char *key, bool required,
                                           const zf_source *s, size_t **out, size_t *n)
{
    const char **names = NULL;
    size_t cnt = 0;
    zf_status st = zf_dj_strings(c, o, key, required, &names, &cnt);
    if (st || !names)
        return st;
    size_t *idx = zf_arena_calloc(c->arena, cnt ? cnt : 1, sizeof *idx);
    if (!idx)
        return zf_dctx_nomem(c);
    for (size_t i = 0; i < cnt; i++) {
        int k = zf_source_column(s, names[i]);
        if (k < 0) {
            char sub[64];
            snprintf(sub, sizeof sub, "%s[%zu]", key, i);
            return zf_dctx_fail(c, sub, "unknown column \"%s\" in source %s", names[i], s->id);
        }
        idx[i] = (size_t)k;
    }
    *out = idx;
    *n = cnt;
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status parse_checks(zf_dctx *c, const cJSON *o, zf_source *s)
{
    const cJSON *arr, *it;
    zf_status st = zf_dj_array(c, o, "checks", false, &arr);
    if (st || !arr)
        return st;
    s->n_checks = (size_t)cJSON_GetArraySize(arr);
    if (!(s->checks = zf_arena_calloc(c->arena, s->n_checks ? s->n_checks : 1, sizeof *s->checks)))
        return zf_dctx_nomem(c);
    size_t i = 0;
    cJSON_ArrayForEach(it, arr) {
        zf_record_check *k = &s->checks[i];
        size_t mark = zf_dctx_push(c, ".checks[%zu]", i++);
        st = column_list(c, it, "left", true, s, &k->left, &k->n_left);
        if (!st)
            st = column_list(c, it, "right", true, s, &k->right, &k->n_right);
        for (size_t j = 0; !st && j < k->n_left + k->n_right; j++) {
            size_t col = j < k->n_left ? k->left[j] : k->right[j - k->n_left];
            if (s->columns[col].type != ZF_COL_AMOUNT)
                st = zf_dctx_fail(c, NULL, "column \"%s\" is %s (expected amount columns)",
                                  s->columns[col].name, zf_coltype_name(s->columns[col].type));
        }
        if (st)
            return st;
        zf_dctx_pop(c, mark);
    }
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status parse_kind(zf_dctx *c, const cJSON *o, zf_source *s)
{
    static const char *const kinds[] = {"file", "postgres"};
    static const char *const encodings[] = {"auto", "utf-8", "gb18030"};
    const char *kind = "file";
    s->encoding = "auto";
    zf_status st = zf_dj_string(c, o, "kind", false, &kind);
    if (!st)
        st = zf_dj_string(c, o, "encoding", false, &s->encoding);
    if (st)
        return st;
    int k = zf_def_lookup(kinds, 2, kind);
    if (k < 0)
        return zf_dctx_fail(c, "kind", "unknown source kind \"%s\" (expected file or postgres)", kind);
    if (zf_def_lookup(encodings, 3, s->encoding) < 0)
        return zf_dctx_fail(c, "encoding", "unknown encoding \"%s\" (expected auto, utf-8 or gb18030)",
                            s->encoding);
    s->kind = (zf_source_kind)k;
    bool pg = s->kind == ZF_SOURCE_POSTGRES;
    if (!(st = zf_dj_string(c, o, "conninfo", pg, &s->conninfo)))
        st = zf_dj_string(c, o, "query", pg, &s->query);
    return st;
}

static ZF_MUST_CHECK zf_status parse_source(zf_dctx *c, const cJSON *o, zf_source *s)
{
    if (!cJSON_IsObject(o))
        return zf_dctx_fail(c, NULL, "expected a source object");
    static const char *const keys[] = {"id", "title", "unit", "kind", "encoding", "conninfo", "query",
                                       "columns", "key", "checks", "header_row", "comment"};
    zf_status st = zf_dj_known(c, o, keys, sizeof keys / sizeof keys[0]);
    if (!st)
        st = zf_dj_string(c, o, "id", true, &s->id);
    if (!st)
        st = zf_dj_string(c, o, "title", true, &s->title);
    if (!st)
        st = zf_dj_string(c, o, "unit", true, &s->unit);
    if (!st)
        st = parse_kind(c, o, s);
    if (!st)
        st = parse_columns(c, o, s);
    if (!st)
        st = column_list(c, o, "key", true, s, &s->key, &s->n_key);
    if (!st && s->n_key == 0)
        st = zf_dctx_fail(c, "key", "a source needs a key of at least one column");
    if (!st)
        st = parse_checks(c, o, s);
    int64_t header_row = 0;
    if (!st && !(st = zf_dj_int(c, o, "header_row", false, &header_row)) && (header_row < 0 || header_row > 1000))
        st = zf_dctx_fail(c, "header_row", "expected the header's row number, 1 to 1000 (or no header_row: "
                                           "the header is found)");
    s->header_row = (long)header_row;
    return st;
}

zf_status zf_sources_parse(zf_dctx *c, const cJSON *root, const char *id, zf_source_set *out)
{
    const char *fid = NULL;
    const cJSON *arr, *it;
    zf_status st = zf_dj_string(c, root, "id", false, &fid);
    if (!st && fid && strcmp(fid, id) != 0)
        st = zf_dctx_fail(c, "id", "id \"%s\" does not match the file name (expected \"%s\")", fid, id);
    if (!st)
        st = zf_dj_array(c, root, "sources", true, &arr);
    if (st)
        return st;
    out->id = zf_arena_strdup(c->arena, id);
    out->n_sources = (size_t)cJSON_GetArraySize(arr);
    out->sources = zf_arena_calloc(c->arena, out->n_sources ? out->n_sources : 1, sizeof *out->sources);
    if (!out->id || !out->sources)
        return zf_dctx_nomem(c);
    size_t i = 0;
    cJSON_ArrayForEach(it, arr) {
        size_t mark = zf_dctx_push(c, "sources[%zu]", i);
        out->n_sources = i;   /* the duplicate check sees only those read so far */
        if ((st = parse_source(c, it, &out->sources[i])))
            return st;
        if (zf_sources_find(out, out->sources[i].id) >= 0)
            return zf_dctx_fail(c, "id", "source \"%s\" appears twice", out->sources[i].id);
        zf_dctx_pop(c, mark);
        i++;
    }
    out->n_sources = i;
    return ZF_OK;
}
