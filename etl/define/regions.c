/* regions.c — the region tree: a nested JSON tree flattened pre-order, so a parent
 * always comes before its children and a subtree is a contiguous run of indexes. */
#include "define_internal.h"

#include <string.h>

int zf_region_find(const zf_region_tree *t, const char *name, size_t len)
{
    for (size_t i = 0; i < t->n_regions; i++) {
        const char *n = t->regions[i].name;
        if (strlen(n) == len && memcmp(n, name, len) == 0)
            return (int)i;
    }
    return -1;
}

static size_t count_nodes(const cJSON *node)
{
    size_t n = 1;
    const cJSON *kids = cJSON_GetObjectItemCaseSensitive(node, "children"), *k;
    if (cJSON_IsArray(kids))
        cJSON_ArrayForEach(k, kids)
            n += count_nodes(k);
    return n;
}

static ZF_MUST_CHECK zf_status add_node(zf_dctx *c, const cJSON *node, int parent, int depth, zf_region_tree *t)
{
    if (!cJSON_IsObject(node))
        return zf_dctx_fail(c, NULL, "expected a region object {\"name\": ..., \"children\": [...]}");
    const char *name = NULL;
    zf_status st = zf_dj_string(c, node, "name", true, &name);
    if (st)
        return st;
    if (!name[0])
        return zf_dctx_fail(c, "name", "empty region name");
    if (zf_region_find(t, name, strlen(name)) >= 0)
        return zf_dctx_fail(c, "name", "region \"%s\" appears twice (names must be unique in a tree)", name);
    int self = (int)t->n_regions++;
    t->regions[self] = (zf_region){.name = name, .parent = parent, .depth = depth};
    const cJSON *kids = NULL, *k;
    if ((st = zf_dj_array(c, node, "children", false, &kids)) || !kids)
        return st;
    size_t i = 0;
    cJSON_ArrayForEach(k, kids) {
        size_t mark = zf_dctx_push(c, ".children[%zu]", i++);
        st = add_node(c, k, self, depth + 1, t);
        if (st)
            return st;
        zf_dctx_pop(c, mark);
    }
    return ZF_OK;
}

/* The file is {"id": ..., "root": {region}}; a bare root region is accepted as well. */
zf_status zf_regions_parse(zf_dctx *c, const cJSON *root, const char *id, zf_region_tree *out)
{
    const cJSON *top = cJSON_GetObjectItemCaseSensitive(root, "root");
    size_t mark = zf_dctx_push(c, "%s", top ? "root" : "");
    if (!top)
        top = root;
    const char *fid = NULL;
    zf_status st = zf_dj_string(c, root, "id", false, &fid);
    if (st)
        return st;
    if (fid && strcmp(fid, id) != 0)
        return zf_dctx_fail(c, "id", "id \"%s\" does not match the file name (expected \"%s\")", fid, id);
    const char *sublevel = NULL;
    if ((st = zf_dj_string(c, root, "sublevel", false, &sublevel)) != ZF_OK)
        return st;
    out->sublevel = zf_arena_strdup(c->arena, sublevel ? sublevel : "下级地区");
    size_t n = cJSON_IsObject(top) ? count_nodes(top) : 1;
    out->regions = zf_arena_calloc(c->arena, n, sizeof *out->regions);
    out->id = zf_arena_strdup(c->arena, id);
    if (!out->regions || !out->id)
        return zf_dctx_nomem(c);
    out->n_regions = 0;
    st = add_node(c, top, -1, 0, out);
    zf_dctx_pop(c, mark);
    return st;
}
