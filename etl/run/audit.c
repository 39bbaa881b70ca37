#include "zf_audit.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zf_archive.h"
#include "zf_fs.h"
#include "zf_outdir.h"
#include "zf_pipeline.h"
#include "zf_sha256.h"
#include "zf_value.h"

static ZF_MUST_CHECK zf_status read_json(const char *path, cJSON **out, zf_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open the manifest: %s", strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[1 << 14];
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + n + 1 > cap) {
            char *grown = realloc(buf, cap = 2 * (len + n + 1));
            if (!grown) {
                free(buf);
                fclose(f);
                return zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory");
            }
            buf = grown;
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    *out = buf ? cJSON_ParseWithLength(buf, len) : NULL;
    free(buf);
    if (!*out || !cJSON_IsObject(*out))
        return zf_error_set(err, ZF_ERR_FORMAT, path, 0, 0, "not a zhongfu manifest (expected a JSON object)");
    return ZF_OK;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* Put the archived copy of each listed file under dir, keeping its relative name. */
static ZF_MUST_CHECK zf_status restore(const zf_audit_opts *o, const cJSON *list, const char *dir, zf_error *err)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, list) {
        const char *name = str(item, "file"), *sha = str(item, "sha256");
        if (!name[0] || !sha[0])
            continue;   /* a source that had no file */
        if (strstr(name, "..") || name[0] == '/')
            return zf_error_set(err, ZF_ERR_FORMAT, o->manifest, 0, 0, "unsafe file name '%s'", name);
        char path[4096];
        zf_status st = zf_path_join(path, sizeof path, dir, name, err);
        if (st != ZF_OK)
            return st;
        char *slash = strrchr(path, '/');
        *slash = '\0';
        st = zf_mkdir_p(path, err);
        *slash = '/';
        bool intact = true;
        if (st == ZF_OK)
            st = zf_archive_get(o->archive, sha, path, &intact, err);
        if (st != ZF_OK)
            return st;
        if (!intact)
            fprintf(o->report, "changed in the archive: %s no longer has sha256 %s\n", name, sha);
    }
    return ZF_OK;
}

static ZF_MUST_CHECK zf_status rerun(const zf_audit_opts *o, const cJSON *m, const char *work, zf_error *err)
{
    char templates[4096], data[4096], out[4096];
    snprintf(templates, sizeof templates, "%s/templates", work);
    snprintf(data, sizeof data, "%s/data", work);
    snprintf(out, sizeof out, "%s/out", work);
    zf_status st = zf_mkdir_p(data, err);
    if (st == ZF_OK)
        st = restore(o, cJSON_GetObjectItemCaseSensitive(m, "definitions"), templates, err);
    if (st == ZF_OK)
        st = restore(o, cJSON_GetObjectItemCaseSensitive(m, "inputs"), data, err);
    if (st != ZF_OK)
        return st;
    int years[32];
    size_t n_years = 0;
    const cJSON *y, *opts = cJSON_GetObjectItemCaseSensitive(m, "options");
    cJSON_ArrayForEach(y, cJSON_GetObjectItemCaseSensitive(m, "years"))
        if (cJSON_IsNumber(y) && n_years < 32)
            years[n_years++] = y->valueint;
    int32_t as_of;
    int yy, mm, dd;
    if (sscanf(str(m, "as_of"), "%d-%d-%d", &yy, &mm, &dd) != 3 || !zf_date_valid(yy, mm, dd))
        return zf_error_set(err, ZF_ERR_FORMAT, o->manifest, 0, 0, "as_of is not a date");
    as_of = zf_days_from_civil(yy, mm, dd);
    zf_run_opts ro = {
        .templates_dir = templates, .plan_id = str(m, "plan"), .data_dir = data, .out_dir = out,
        .as_of = as_of, .years = years, .n_years = n_years, .gnuplot = o->gnuplot,
        .charts = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(opts, "charts")),
        .workbooks = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(opts, "workbooks")),
        .replay_postgres = true,   /* not the server's rows of today: the ones the run read */
    };
    zf_run_outcome outcome;
    st = zf_pipeline_run(&ro, &outcome, err);
    zf_run_outcome_free(&outcome);
    return st;
}

/* The first rows of results.csv that differ, so the auditor sees which indicator moved. */
static void diff_results(const zf_audit_opts *o, const char *sha, const char *work)
{
    char old_path[4096], new_path[4096];
    bool intact;
    zf_error ignore;
    snprintf(old_path, sizeof old_path, "%s/published-results.csv", work);
    snprintf(new_path, sizeof new_path, "%s/out/results.csv", work);
    if (zf_archive_get(o->archive, sha, old_path, &intact, &ignore) != ZF_OK)
        return;
    FILE *a = fopen(old_path, "r"), *b = fopen(new_path, "r");
    char la[1024], lb[1024];
    int shown = 0;
    while (a && b && shown < 10) {
        char *ra = fgets(la, sizeof la, a), *rb = fgets(lb, sizeof lb, b);
        if (!ra && !rb)
            break;
        if (ra && rb && !strcmp(la, lb))
            continue;
        fprintf(o->report, "  published: %s", ra ? la : "(no row)\n");
        fprintf(o->report, "  re-run:    %s", rb ? lb : "(no row)\n");
        shown++;
    }
    if (a)
        fclose(a);
    if (b)
        fclose(b);
}

static bool compare(const zf_audit_opts *o, const cJSON *m, const char *work)
{
    bool match = true;
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(m, "outputs")) {
        const char *name = str(item, "file"), *sha = str(item, "sha256");
        char path[4096], hex[65] = "";
        snprintf(path, sizeof path, "%s/out/%s", work, name);
        if (zf_sha256_file(path, hex, NULL, NULL) == ZF_OK && !strcmp(hex, sha))
            continue;
        match = false;
        fprintf(o->report, "DIFF %s%s\n", name, hex[0] ? "" : " (not produced by the re-run)");
        if (!strcmp(name, "results.csv"))
            diff_results(o, sha, work);
    }
    return match;
}

zf_status zf_audit_rerun(const zf_audit_opts *o, bool *match, zf_error *err)
{
    char manifest[4096], work[2048];
    zf_audit_opts opts = *o;
    if (!o->manifest) {
        snprintf(manifest, sizeof manifest, "%s/runs/%s/manifest.json", o->archive, o->run_id);
        opts.manifest = manifest;
    }
    cJSON *m = NULL;
    zf_status st = read_json(opts.manifest, &m, err);
    if (st != ZF_OK)
        return st;
    if (o->keep_dir) {
        /* --keep is replaced only when it is an earlier audit's directory (or empty) */
        st = zf_outdir_resolve(o->keep_dir, work, sizeof work, err);
        if (st == ZF_OK && o->archive)
            st = zf_outdir_apart(work, "--keep", o->archive, "the archive", err);
        if (st == ZF_OK && (st = zf_outdir_remove(work, "--keep", err)) == ZF_OK)
            st = zf_outdir_create(work, 0755, err);
    } else {
        snprintf(work, sizeof work, "/tmp/zhongfu-audit.XXXXXX");
        if (!mkdtemp(work))
            st = zf_error_set(err, ZF_ERR_IO, work, 0, 0, "cannot create: %s", strerror(errno));
    }
    if (st == ZF_OK)
        st = rerun(&opts, m, work, err);
    if (st == ZF_OK) {
        *match = compare(&opts, m, work);
        fprintf(o->report, "%s run %s (%s, as of %s)\n", *match ? "MATCH" : "DIFF", str(m, "run_id"),
                str(m, "plan"), str(m, "as_of"));
    }
    zf_error rm_err;
    if (!o->keep_dir && zf_rm_rf(work, &rm_err) != ZF_OK) {
        /* the verdict stands; the auditor is told what was left behind */
        char msg[1600];
        zf_error_format(&rm_err, msg, sizeof msg);
        fprintf(o->report, "note: the re-run's directory %s could not be removed: %s\n", work, msg);
    }
    cJSON_Delete(m);
    return st;
}
