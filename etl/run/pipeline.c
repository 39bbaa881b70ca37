#include "zf_pipeline.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zf_archive.h"
#include "zf_charts.h"
#include "zf_csvout.h"
#include "zf_engine.h"
#include "zf_evaluate.h"
#include "zf_export.h"
#include "zf_fs.h"
#include "zf_ingest.h"
#include "zf_log.h"
#include "zf_manifest.h"
#include "zf_outdir.h"
#include "zf_page.h"
#include "zf_warehouse.h"
#include "zf_publish.h"
#include "zf_workbook.h"

zf_status zf_run_new(zf_run **out, const zf_defs *defs, int32_t as_of, const int *years,
                     size_t n_years, zf_error *err)
{
    *out = NULL;
    zf_run *run = calloc(1, sizeof *run);
    if (!run)
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    zf_arena_init(&run->arena, 256 * 1024);
    run->defs = defs;
    run->as_of = as_of;
    run->version = ZF_VERSION;
    zf_date_format(as_of, run->as_of_text);
    int as_of_year, m, d;
    zf_civil_from_days(as_of, &as_of_year, &m, &d);
    const zf_plan *p = &defs->plan;
    for (size_t k = 0; k < n_years; k++) {
        if (years[k] > as_of_year) {
            zf_run_free(run);
            return zf_error_set(err, ZF_ERR_USAGE, NULL, 0, 0,
                                "year %d is after the as-of date %s: nothing of it can be counted yet",
                                years[k], run->as_of_text);
        }
    }
    run->years = zf_arena_calloc(&run->arena, p->n_years ? p->n_years : 1, sizeof *run->years);
    for (size_t y = 0; run->years && y < p->n_years; y++) {
        bool wanted = p->years[y] <= as_of_year;
        if (n_years) {
            wanted = false;
            for (size_t k = 0; k < n_years; k++)
                wanted |= years[k] == p->years[y];
        }
        if (wanted)
            run->years[run->n_years++] = y;
    }
    if (!run->years) {
        zf_run_free(run);
        return zf_error_set(err, ZF_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    if (!run->n_years) {
        zf_run_free(run);
        return zf_error_set(err, ZF_ERR_USAGE, NULL, 0, 0,
                            "no plan year to compute: the plan covers %d–%d and the as-of date is %s",
                            p->n_years ? p->years[0] : 0, p->n_years ? p->years[p->n_years - 1] : 0,
                            run->as_of_text);
    }
    *out = run;
    return ZF_OK;
}

void zf_run_free(zf_run *run)
{
    if (!run)
        return;
    zf_arena_free(&run->arena);
    free(run);
}

void zf_run_outcome_free(zf_run_outcome *o)
{
    zf_run_free(o->run);
    zf_defs_free(o->defs);
    o->run = NULL;
    o->defs = NULL;
}

static FILE *open_with_header(const char *dir, const char *name, zf_error *err)
{
    char path[4096];
    if (zf_path_join(path, sizeof path, dir, name, err) != ZF_OK)
        return NULL;
    FILE *f = fopen(path, "wb");
    if (!f)
        zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot create: %s", strerror(errno));
    else
        zf_rejects_csv_header(f);
    return f;
}

static ZF_MUST_CHECK zf_status close_output(FILE *f, const char *name, zf_error *err)
{
    if (!f)
        return ZF_OK;
    int bad = ferror(f);
    if (fclose(f) != 0 || bad)
        return zf_error_set(err, ZF_ERR_IO, name, 0, 0, "cannot write: %s", strerror(errno));
    return ZF_OK;
}

/* A figure whose sum is past range is 无数据 in the outputs (the run is then incomplete);
 * the operator is told which one, so that the department's export can be checked. */
static void report_overflows(const zf_run_opts *o, const zf_run *run)
{
    for (size_t i = 0; i < run->n_results; i++) {
        const zf_result *r = &run->results[i];
        if (r->nodata != ZF_NODATA_OVERFLOW)
            continue;
        const zf_indicator *ind = &run->defs->plan.indicators[r->indicator];
        const char *part = ind->parts[r->part].name, *region = run->defs->regions.regions[r->region].name;
        const int year = run->defs->plan.years[r->year];
        const char *unit = ind->n_units ? ind->units[0] : "";
        zf_log_event(o->log, "compute", "overflow", "indicator", 'i', (long long)ind->number, "part", 's', part,
                     "year", 'i', (long long)year, "region", 's', region, "unit", 's', unit, "message", 's',
                     "a sum of the records is past the range of a figure (int64): not computed", (char *)NULL);
        if (o->progress)
            fprintf(o->progress, "指标%d%s%s %d年 %s（%s）：记录的金额合计超出可计算范围，无法计算，记为无数据\n",
                    ind->number, *part ? " " : "", part, year, region, unit);
    }
}

/* extract, validate, compute and evaluate */
static ZF_MUST_CHECK zf_status compute(const zf_run_opts *o, zf_run *run, const char *stage, zf_error *err)
{
    zf_engine *engine = NULL;
    zf_status st = zf_engine_new(&engine, run, err);
    if (st != ZF_OK)
        return st;
    FILE *rejects = open_with_header(stage, "rejects.csv", err);
    FILE *orphans = open_with_header(stage, "orphans.csv", err);
    if (!rejects || !orphans) {
        st = ZF_ERR_IO;
        goto cleanup;
    }
    if (o->accepted_dir && (st = zf_mkdir_p(o->accepted_dir, err)) != ZF_OK)
        goto cleanup;
    char spool[4096];   /* a replay reads the rows the archive kept: nothing to spool */
    const bool spooling = o->archive && !o->replay_postgres;
    if (spooling && (st = zf_archive_spool_dir(o->archive, spool, sizeof spool, err)) != ZF_OK)
        goto cleanup;
    zf_ingest_opts io = {o->data_dir, engine, rejects, orphans, o->progress, o->accepted_dir, o->log,
                         spooling ? spool : NULL, o->replay_postgres};
    if ((st = zf_ingest(run, &io, err)) != ZF_OK)
        goto cleanup;
    if ((st = zf_engine_finish(engine, run, err)) != ZF_OK)
        goto cleanup;
    if ((st = zf_evaluate(run, engine, err)) == ZF_OK)
        report_overflows(o, run);
cleanup:
    if (close_output(rejects, "rejects.csv", st == ZF_OK ? err : NULL) != ZF_OK && st == ZF_OK)
        st = ZF_ERR_IO;
    if (close_output(orphans, "orphans.csv", st == ZF_OK ? err : NULL) != ZF_OK && st == ZF_OK)
        st = ZF_ERR_IO;
    zf_engine_free(engine);
    return st;
}

static void mark_incomplete_inputs(zf_run *run)
{
    for (size_t i = 0; i < run->n_files; i++) {
        const char *s = run->files[i].status;
        if (!strcmp(s, "error") || !strcmp(s, "missing") || !strcmp(s, "missing_column"))
            run->incomplete = true;
    }
}

typedef struct downloads {
    const char *names[64];
    char store[64][96];
    size_t n;
} downloads;

static void add_download(downloads *d, const char *name)
{
    if (d->n < 64) {
        snprintf(d->store[d->n], sizeof d->store[d->n], "%s", name);
        d->names[d->n] = d->store[d->n];
        d->n++;
    }
}

static ZF_MUST_CHECK zf_status write_reports(const zf_run_opts *o, zf_run_outcome *out, const char *stage, zf_error *err)
{
    zf_run *run = out->run;
    char path[4096];
    downloads dl = {0};
    zf_status st = ZF_OK;
    for (size_t y = 0; o->workbooks && y < run->n_years && st == ZF_OK; y++) {
        char name[96];
        snprintf(name, sizeof name, "%s-%d.xlsx", run->defs->plan.id, run->defs->plan.years[run->years[y]]);
        if ((st = zf_path_join(path, sizeof path, stage, name, err)) == ZF_OK)
            st = zf_workbook_write(run, run->years[y], path, err);
        add_download(&dl, name);
    }
    const char *fixed[] = {"results.csv", "quality.csv", "rejects.csv", "orphans.csv", "manifest.json"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        add_download(&dl, fixed[i]);
    zf_chart_list charts;
    zf_chart_list_init(&charts);
    if (st == ZF_OK && o->charts) {
        zf_error cerr;
        zf_error_clear(&cerr);
        if ((st = zf_path_join(path, sizeof path, stage, ZF_PAGE_CHARTS_DIR, err)) == ZF_OK &&
            (st = zf_mkdir_p(path, err)) == ZF_OK &&
            zf_charts_write(run, path, o->gnuplot, &charts, &cerr) != ZF_OK) {
            /* charts are not worth losing the rest of the run for */
            out->charts_skipped = true;
            zf_error_format(&cerr, out->charts_message, sizeof out->charts_message);
            run->incomplete = true;
            /* no half set of charts in the published outputs */
            st = zf_rm_rf(path, err);
        }
    } else if (!o->charts) {
        out->charts_skipped = true;
        snprintf(out->charts_message, sizeof out->charts_message, "charts not requested (--no-charts)");
    }
    if (st == ZF_OK)
        st = zf_page_write(run, stage, out->charts_skipped ? NULL : &charts, dl.names, dl.n, err);
    zf_chart_list_free(&charts);
    return st;
}

/* Everything after the definitions are loaded: the staging directory is ours. */
/* Each report a correction superseded, so that a figure that moved since the last
 * published run can be traced to the report that moved it. */
static void log_superseded(zf_log *log, const zf_run *run)
{
    for (size_t i = 0; log && i < run->n_superseded; i++) {
        const zf_superseded_report *r = &run->superseded[i];
        char a[11], b[11];
        zf_log_event(log, "compute", "superseded", "indicator", 'i',
                     (long long)run->defs->plan.indicators[r->indicator].number, "year", 'i', (long long)r->year,
                     "region", 's', run->defs->regions.regions[r->region].name, "date", 's',
                     zf_date_format(r->date, a), "by", 's', zf_date_format(r->by_date, b), (char *)NULL);
    }
}

/* export_to: the --export-accepted directory, filled from o->accepted_dir (the run's own,
 * beside --out) once everything else is written, just before the publication. */
static ZF_MUST_CHECK zf_status produce(const zf_run_opts *o, zf_run_outcome *out, const char *stage,
                                       const char *export_to, zf_error *err)
{
    zf_status st;
    zf_stage_checkpoint("extract");
    if ((st = compute(o, out->run, stage, err)) != ZF_OK)
        return st;
    mark_incomplete_inputs(out->run);
    if ((st = zf_run_id_compute(out->run, err)) != ZF_OK)
        return st;
    if (o->log)
        memcpy(o->log->run_id, out->run->run_id, sizeof o->log->run_id);
    zf_log_event(o->log, "compute", "done", "results", 'i', (long long)out->run->n_results,
                 "seconds", 'f', o->log ? zf_log_elapsed(o->log) : 0.0, (char *)NULL);
    log_superseded(o->log, out->run);
    zf_stage_checkpoint("write");
    char path[4096];
    if ((st = zf_path_join(path, sizeof path, stage, "results.csv", err)) != ZF_OK ||
        (st = zf_results_csv_write(out->run, path, err)) != ZF_OK ||
        (st = zf_path_join(path, sizeof path, stage, "quality.csv", err)) != ZF_OK ||
        (st = zf_quality_csv_write(out->run, path, err)) != ZF_OK)
        return st;
    if ((st = write_reports(o, out, stage, err)) != ZF_OK)
        return st;
    if ((st = zf_manifest_write(out->run, stage, err)) != ZF_OK)
        return st;
    if (o->archive &&
        (st = zf_archive_run(out->run, o->archive, o->templates_dir, o->data_dir, stage, err)) != ZF_OK)
        return st;
    /* warehouse: the whole run in one transaction; a failure fails the run, nothing published */
    zf_warehouse_input wi = {o->store, stage, o->accepted_dir};
    if (o->store && (st = zf_warehouse_store(out->run, &wi, err)) != ZF_OK)
        return st;
    if (export_to && (st = zf_export_place(o->accepted_dir, export_to, &out->run->defs->sources, err)) != ZF_OK)
        return st;
    zf_stage_checkpoint("publish");
    if ((st = zf_publish(stage, o->out_dir, err)) == ZF_OK)
        zf_log_event(o->log, "publish", "done", "out", 's', o->out_dir, "incomplete", 'i',
                     (long long)out->run->incomplete, "charts_skipped", 'i', (long long)out->charts_skipped,
                     "seconds", 'f', o->log ? zf_log_elapsed(o->log) : 0.0, (char *)NULL);
    return st;
}

/* [archive] The postgres rows kept for the archive: copied there by now, or the run failed. */
static void drop_spools(const zf_run *run)
{
    for (size_t i = 0; run && i < run->n_files; i++)
        if (run->files[i].spool)
            unlink(run->files[i].spool);
}

/* --out made canonical and kept apart from everything the run reads or keeps: a run
 * replaces --out, so --out must not be, hold or lie in the data, the definitions, the
 * archive or the exported records. */
static ZF_MUST_CHECK zf_status place_out(const zf_run_opts *o, char *out, size_t size, zf_error *err)
{
    zf_status st = zf_outdir_resolve(o->out_dir, out, size, err);
    const char *others[][2] = {{o->data_dir, "--data"},
                               {o->templates_dir, "--templates"},
                               {o->archive, "--archive"},
                               {o->accepted_dir, "--export-accepted"}};
    for (size_t i = 0; st == ZF_OK && i < sizeof others / sizeof *others; i++)
        st = zf_outdir_apart(out, "--out", others[i][0], others[i][1], err);
    return st;
}

zf_status zf_pipeline_run(const zf_run_opts *o, zf_run_outcome *out, zf_error *err)
{
    memset(out, 0, sizeof *out);
    char out_dir[4096], stage[4096], accepted[4096] = "";
    int lock = -1;
    zf_status st = place_out(o, out_dir, sizeof out_dir, err);
    if (st == ZF_OK && (st = zf_beside(stage, sizeof stage, out_dir, "staging", err)) == ZF_OK)
        st = zf_beside(accepted, sizeof accepted, out_dir, "accepted", err);
    if (st == ZF_OK)
        st = zf_defs_load(&out->defs, o->templates_dir, o->plan_id, err);
    if (st == ZF_OK)
        st = zf_run_new(&out->run, out->defs, o->as_of, o->years, o->n_years, err);
    if (st == ZF_OK) {
        out->run->with_charts = o->charts;
        out->run->with_workbooks = o->workbooks;
        st = zf_lock_acquire(out_dir, &lock, err);
    }
    if (st != ZF_OK)
        return st;
    /* a run killed earlier may have left its staging directory or an interrupted swap;
     * each is removed only when it is ours, and --out is replaced only when it is ours */
    zf_run_opts placed = *o;
    placed.out_dir = out_dir;
    if (!o->store && !o->accepted_dir)
        accepted[0] = '\0';
    else
        placed.accepted_dir = accepted;
    if ((st = zf_publish_recover(out_dir, err)) == ZF_OK && (st = zf_outdir_owned(out_dir, "--out", err)) == ZF_OK &&
        (st = zf_outdir_remove(stage, "--out", err)) == ZF_OK &&
        (!accepted[0] || (st = zf_outdir_remove(accepted, "--out", err)) == ZF_OK) &&
        (!accepted[0] || (st = zf_outdir_create(accepted, 0700, err)) == ZF_OK) &&
        (st = zf_outdir_create(stage, 0755, err)) == ZF_OK) {
        /* the accepted records go to OUT.zhongfu-accepted, for the warehouse's COPY and for
         * --export-accepted, which receives them only from a run that got to its publication */
        st = produce(&placed, out, stage, o->accepted_dir, err);
        drop_spools(out->run);
    }
    /* the accepted records are personal data: a copy left behind is a failure of the run */
    if (accepted[0] && zf_outdir_remove(accepted, "--out", st == ZF_OK ? err : NULL) != ZF_OK && st == ZF_OK)
        st = ZF_ERR_IO;
    /* a failed run's staging directory is ours (marked): the next run removes what is left */
    if (st != ZF_OK && zf_outdir_remove(stage, "--out", NULL) != ZF_OK)
        zf_log_event(o->log, "publish", "staging_left", "path", 's', stage, (char *)NULL);
    zf_lock_release(lock, out_dir);
    return st;
}
