/* outdir.c — which directories zhongfu may replace or remove (see zf_outdir.h): the
 * canonical form of a path, the rule that --out stays apart from the inputs and the
 * archive, and the ownership test that stands before every recursive removal. */
#include "zf_outdir.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "zf_fs.h"

#define MANIFEST_MAX (64u << 20)

static size_t strip_slashes(char *p)
{
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    return n;
}

/* realpath of the longest existing prefix of path, with the rest appended as written:
 * the archive of a first run, or an --out about to be created, do not exist yet. */
static ZF_MUST_CHECK zf_status canon_maybe(const char *path, char *buf, size_t size)
{
    char p[4096];
    if (snprintf(p, sizeof p, "%s", path) >= (int)sizeof p)
        return ZF_ERR_USAGE;
    strip_slashes(p);
    char *r = realpath(p, NULL);
    if (r) {
        int n = snprintf(buf, size, "%s", r);
        free(r);
        return n < (int)size ? ZF_OK : ZF_ERR_USAGE;
    }
    if (errno != ENOENT)
        return ZF_ERR_IO;
    char *slash = strrchr(p, '/');
    const char *base = slash ? slash + 1 : p;
    if (!strcmp(base, ".") || !strcmp(base, ".."))
        return ZF_ERR_USAGE;
    char parent[4096];
    if (!slash)
        snprintf(parent, sizeof parent, ".");
    else if (slash == p)
        snprintf(parent, sizeof parent, "/");
    else
        snprintf(parent, sizeof parent, "%.*s", (int)(slash - p), p);
    char head[4096];
    zf_status st = canon_maybe(parent, head, sizeof head);
    if (st != ZF_OK)
        return st;
    int n = snprintf(buf, size, "%s%s%s", head, strcmp(head, "/") ? "/" : "", base);
    return n < (int)size ? ZF_OK : ZF_ERR_USAGE;
}

zf_status zf_outdir_resolve(const char *path, char *buf, size_t size, zf_error *err)
{
    char p[4096];
    if (!path || !*path || snprintf(p, sizeof p, "%s", path) >= (int)sizeof p)
        return zf_error_set(err, ZF_ERR_USAGE, path, 0, 0, "wants a directory path (at most 4095 bytes)");
    strip_slashes(p);
    struct stat st;
    if (lstat(p, &st) != 0) {
        if (errno != ENOENT)
            return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "%s", strerror(errno));
        /* a new --out: its parent must exist to be resolved */
        char *slash = strrchr(p, '/');
        if (slash && slash != p) {
            *slash = '\0';
            zf_status s = zf_mkdir_p(p, err);
            *slash = '/';
            if (s != ZF_OK)
                return s;
        }
    }
    zf_status s = canon_maybe(p, buf, size);
    if (s == ZF_ERR_IO)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot resolve: %s", strerror(errno));
    if (s != ZF_OK)
        return zf_error_set(err, ZF_ERR_USAGE, path, 0, 0, "wants a directory path that can be resolved");
    if (!strcmp(buf, "/"))
        return zf_error_set(err, ZF_ERR_USAGE, path, 0, 0, "is the root directory: zhongfu publishes into a directory of its own");
    if (stat(buf, &st) == 0 && !S_ISDIR(st.st_mode))
        return zf_error_set(err, ZF_ERR_USAGE, path, 0, 0,
                            "is a file, not a directory: zhongfu publishes into a directory of its own and "
                            "never replaces a file it did not write");
    return ZF_OK;
}

static bool inside(const char *a, const char *b)
{
    size_t n = strlen(b);
    if (!strcmp(b, "/"))
        return true;
    return !strncmp(a, b, n) && (a[n] == '/' || a[n] == '\0');
}

zf_status zf_outdir_apart(const char *dir, const char *option, const char *other, const char *what,
                          zf_error *err)
{
    char o[4096];
    if (!other || !*other || canon_maybe(other, o, sizeof o) != ZF_OK)
        return ZF_OK;
    if (!strcmp(dir, o))
        return zf_error_set(err, ZF_ERR_USAGE, dir, 0, 0, "%s is the same directory as %s", option, what);
    if (inside(dir, o))
        return zf_error_set(err, ZF_ERR_USAGE, dir, 0, 0, "%s lies inside %s (%s): keep them apart", option,
                            what, o);
    if (inside(o, dir))
        return zf_error_set(err, ZF_ERR_USAGE, dir, 0, 0,
                            "%s contains %s (%s): replacing it would delete them; keep them apart", option,
                            what, o);
    return ZF_OK;
}

/* Excel and LibreOffice leave these beside a workbook that someone has open on a share. */
static bool office_lock(const char *name)
{
    return !strncmp(name, "~$", 2) || !strncmp(name, ".~lock.", 7);
}

static bool listed(const cJSON *outputs, const char *rel)
{
    const cJSON *o;
    cJSON_ArrayForEach(o, outputs) {
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "file");
        if (cJSON_IsString(f) && !strcmp(f->valuestring, rel))
            return true;
    }
    return false;
}

/* The first entry below root/rel that the publication does not account for, into foreign. */
static ZF_MUST_CHECK zf_status find_foreign(const char *root, const char *rel, const cJSON *outputs, char *foreign,
                                            size_t fsize, zf_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    struct dirent *de;
    zf_status st = ZF_OK;
    while (st == ZF_OK && !foreign[0] && (de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if (!strcmp(name, ".") || !strcmp(name, ".."))
            continue;
        char child_rel[4096], child[4096];
        if (snprintf(child_rel, sizeof child_rel, "%s%s%s", rel, rel[0] ? "/" : "", name) >=
                (int)sizeof child_rel ||
            snprintf(child, sizeof child, "%s/%s", root, child_rel) >= (int)sizeof child) {
            snprintf(foreign, fsize, "%s", name);
            break;
        }
        struct stat sb;
        if (lstat(child, &sb) != 0) {
            st = zf_error_set(err, ZF_ERR_IO, child, 0, 0, "%s", strerror(errno));
            break;
        }
        bool top = !rel[0];
        if (S_ISDIR(sb.st_mode))
            st = find_foreign(root, child_rel, outputs, foreign, fsize, err);
        else if (!S_ISREG(sb.st_mode) ||
                 !((top && (!strcmp(name, "manifest.json") || !strcmp(name, ZF_OUTDIR_MARK))) ||
                   office_lock(name) || listed(outputs, child_rel)))
            snprintf(foreign, fsize, "%s", child_rel);
    }
    closedir(d);
    return st;
}

static cJSON *read_manifest(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    cJSON *m = NULL;
    char *text = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && (unsigned long)n < MANIFEST_MAX && fseek(f, 0, SEEK_SET) == 0 &&
            (text = malloc((size_t)n + 1)) && fread(text, 1, (size_t)n, f) == (size_t)n) {
            text[n] = '\0';
            m = cJSON_Parse(text);
        }
    }
    free(text);
    fclose(f);
    return m;
}

zf_status zf_outdir_owned(const char *path, const char *option, zf_error *err)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? ZF_OK : zf_error_set(err, ZF_ERR_IO, path, 0, 0, "%s", strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return zf_error_set(err, ZF_ERR_USAGE, path, 0, 0,
                            "%s: this is not a directory zhongfu made, so it is left as it is; "
                            "move it away or choose another %s", option, option);
    char manifest[4096], mark[4096];
    zf_status st;
    if ((st = zf_path_join(manifest, sizeof manifest, path, "manifest.json", err)) != ZF_OK ||
        (st = zf_path_join(mark, sizeof mark, path, ZF_OUTDIR_MARK, err)) != ZF_OK)
        return st;
    char foreign[4096] = "";
    if (access(manifest, F_OK) == 0) {
        cJSON *m = read_manifest(manifest);
        const cJSON *sw = cJSON_GetObjectItemCaseSensitive(m, "software");
        const cJSON *outs = cJSON_GetObjectItemCaseSensitive(m, "outputs");
        if (!cJSON_IsString(sw) || strcmp(sw->valuestring, "zhongfu") || !cJSON_IsArray(outs))
            snprintf(foreign, sizeof foreign, "manifest.json (not a zhongfu manifest)");
        else
            st = find_foreign(path, "", outs, foreign, sizeof foreign, err);
        cJSON_Delete(m);
    } else if (access(mark, F_OK) != 0) {
        DIR *d = opendir(path);
        if (!d)
            return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
        struct dirent *de;
        while (!foreign[0] && (de = readdir(d)) != NULL)
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                snprintf(foreign, sizeof foreign, "%s", de->d_name);
        closedir(d);
    }
    if (st != ZF_OK || !foreign[0])
        return st;
    return zf_error_set(err, ZF_ERR_USAGE, path, 0, 0,
                        "%s holds %s, which zhongfu did not write, so nothing here is replaced; choose a "
                        "new or empty directory, or one holding only a zhongfu publication",
                        option, foreign);
}

zf_status zf_outdir_remove(const char *path, const char *option, zf_error *err)
{
    zf_status st = zf_outdir_owned(path, option, err);
    return st == ZF_OK ? zf_rm_rf(path, err) : st;
}

zf_status zf_outdir_create(const char *dir, unsigned mode, zf_error *err)
{
    if (mkdir(dir, (mode_t)mode) != 0)
        return zf_error_set(err, ZF_ERR_IO, dir, 0, 0, "cannot create directory: %s", strerror(errno));
    char mark[4096];
    zf_status st = zf_path_join(mark, sizeof mark, dir, ZF_OUTDIR_MARK, err);
    if (st != ZF_OK)
        return st;
    FILE *f = fopen(mark, "wb");
    if (!f)
        return zf_error_set(err, ZF_ERR_IO, mark, 0, 0, "cannot create: %s", strerror(errno));
    fputs("made by zhongfu: it may replace or remove this directory\n", f);
    if (fclose(f) != 0)
        return zf_error_set(err, ZF_ERR_IO, mark, 0, 0, "cannot write: %s", strerror(errno));
    return ZF_OK;
}
