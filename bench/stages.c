/* stages.c — per-stage throughput of one source on one core: the sha256 of the files
 * alone; extract (CSV parse + UTF-8 check); + validate; + compute (the engine fed as in a
 * run); and all of it with the sha256 computed while reading, as `zhongfu run` does for
 * the manifest.  Built by bench/stages against build/libzf.a; not part of the product.
 *
 *   stages TEMPLATES PLAN DATA_DIR SOURCE AS_OF [STAGE [REPEAT]]   (AS_OF = YYYY-MM-DD;
 *          STAGE = sha256 | extract | validate | compute | run | all; REPEAT = rounds)
 *
 * The stages run interleaved, REPEAT rounds of all of them, so that a noisy neighbour slows
 * every stage alike.  Prints one line per stage: records, MB, the best and the median CPU
 * seconds of this process over the rounds, and MB/s per core from each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "zf_defs.h"
#include "zf_engine.h"
#include "zf_ingest.h"
#include "zf_pipeline.h"
#include "zf_reader.h"
#include "zf_run.h"
#include "zf_sha256.h"
#include "zf_validate.h"
#include "zf_value.h"

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

enum { SHA256, EXTRACT, VALIDATE, COMPUTE, RUN, N_STAGES };
static const char *const stage_name[N_STAGES] = {"sha256", "extract", "validate", "compute", "run"};
static const char *const stage_label[N_STAGES] = {
    "sha256 alone", "extract", "extract+validate", "extract+validate+compute",
    "the same + sha256 (a run)"};

typedef struct timing {
    long long records;
    unsigned long long bytes;
    double cpu;
} timing;

static int by_cpu(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void print_line(const char *label, const timing *t, double *cpu, int rounds)
{
    qsort(cpu, (size_t)rounds, sizeof *cpu, by_cpu);
    const double best = cpu[0], median = cpu[rounds / 2], mb = (double)t->bytes / 1e6;
    printf("%-27s %11lld records %8.1f MB  cpu best %5.2f s median %5.2f s  %7.1f MB/s per core (median %6.1f)\n",
           label, t->records, mb, best, median, best > 0 ? mb / best : 0.0, median > 0 ? mb / median : 0.0);
}

static int hash_only(const char *dir, const char **names, size_t n_files, timing *t)
{
    double c0 = cpu_now();
    for (size_t k = 0; k < n_files; k++) {
        char path[4096], hex[65];
        uint64_t size = 0;
        zf_error err;
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        if (zf_sha256_file(path, hex, &size, &err) != ZF_OK) {
            fprintf(stderr, "stages: %s: %s\n", path, err.message);
            return 1;
        }
        t->bytes += size;
    }
    t->cpu = cpu_now() - c0;
    return 0;
}

static int run_stage(int stage, zf_run *run, const char *dir, const char **names, size_t n_files,
                     size_t s, int max_year, timing *t)
{
    const zf_source *src = &run->defs->sources.sources[s];
    const char *cols[256];
    size_t nc = src->n_columns < 256 ? src->n_columns : 256;
    for (size_t i = 0; i < nc; i++)
        cols[i] = src->columns[i].name;
    zf_cell *cells = calloc(nc, sizeof *cells);
    zf_value *values = calloc(nc, sizeof *values);
    zf_validator *v = NULL;
    zf_engine *e = NULL;
    zf_error err;
    zf_error_clear(&err);
    *t = (timing){0, 0, 0.0};
    if (stage == SHA256)
        return hash_only(dir, names, n_files, t);
    if (stage >= VALIDATE && zf_validator_new(&v, src, &run->defs->regions, max_year, &err) != ZF_OK)
        return 1;
    if (stage >= COMPUTE && zf_engine_new(&e, run, &err) != ZF_OK)
        return 1;
    long long records = 0;
    unsigned long long bytes = 0;
    double c0 = cpu_now();
    for (size_t k = 0; k < n_files; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        zf_reader_opts ro = {ZF_FORMAT_AUTO, src->encoding, cols, nc, stage != RUN, src->header_row};
        zf_reader *r = NULL;
        if (zf_reader_open(&r, path, &ro, &err) != ZF_OK) {
            fprintf(stderr, "stages: %s: %s\n", path, err.message);
            return 1;
        }
        zf_serial_dates serials = zf_reader_serial_dates(r);
        for (;;) {
            long line;
            bool more;
            if (zf_reader_next(r, cells, &line, &more, &err) != ZF_OK || !more)
                break;
            records++;
            if (stage == EXTRACT)
                continue;
            zf_verdict verdict;
            if (zf_validator_check(v, cells, NULL, serials, values, &verdict) != ZF_OK)
                return 1;
            if (verdict.reason != ZF_REASON_NONE)
                continue;
            bool orphan;
            if (stage >= COMPUTE && zf_engine_feed_at(e, s, values, names[k], line, &orphan) != ZF_OK)
                return 1;
        }
        bytes += zf_reader_bytes(r);
        if (stage == RUN) {   /* what the reader did not hash yet: nothing after the last record */
            char hex[65];
            uint64_t size = 0;
            if (zf_reader_sha256(r, hex, &size, &err) != ZF_OK) {
                fprintf(stderr, "stages: %s\n", err.message);
                return 1;
            }
        }
        zf_reader_free(r);
    }
    /* the engine's end of input (tallies filled into the rules) belongs to compute */
    if (stage >= COMPUTE && zf_engine_finish(e, run, &err) != ZF_OK) {
        fprintf(stderr, "stages: %s\n", err.message);
        return 1;
    }
    *t = (timing){records, bytes, cpu_now() - c0};
    zf_engine_free(e);
    zf_validator_free(v);
    free(cells);
    free(values);
    return 0;
}

int main(int argc, char **argv)
{
    int only = -1, rounds = argc == 8 ? atoi(argv[7]) : 1;
    for (int k = 0; argc >= 7 && k < N_STAGES; k++)
        if (strcmp(argv[6], stage_name[k]) == 0)
            only = k;
    if (argc < 6 || argc > 8 || (argc >= 7 && only < 0 && strcmp(argv[6], "all") != 0) || rounds < 1 ||
        rounds > 100) {
        fprintf(stderr, "usage: stages TEMPLATES PLAN DATA_DIR SOURCE AS_OF [sha256|extract|validate|compute|run|all [ROUNDS]]\n");
        return 2;
    }
    zf_error err;
    zf_error_clear(&err);
    zf_defs *defs = NULL;
    if (zf_defs_load(&defs, argv[1], argv[2], &err) != ZF_OK) {
        fprintf(stderr, "stages: %s\n", err.message);
        return 1;
    }
    int s = zf_sources_find(&defs->sources, argv[4]);
    int y, m, d;
    if (s < 0 || sscanf(argv[5], "%d-%d-%d", &y, &m, &d) != 3) {
        fprintf(stderr, "stages: unknown source %s or bad date %s\n", argv[4], argv[5]);
        return 2;
    }
    zf_run *run = NULL;
    if (zf_run_new(&run, defs, zf_days_from_civil(y, m, d), NULL, 0, &err) != ZF_OK) {
        fprintf(stderr, "stages: %s\n", err.message);
        return 1;
    }
    const char **names;
    size_t n;
    if (zf_ingest_find_files(argv[3], argv[4], &run->arena, &names, &n, &err) != ZF_OK || n == 0) {
        fprintf(stderr, "stages: no files of %s in %s\n", argv[4], argv[3]);
        return 1;
    }
    int rc = 0;
    timing t[N_STAGES];
    double cpu[N_STAGES][100];
    for (int round = 0; round < rounds && rc == 0; round++)
        for (int stage = 0; stage < N_STAGES && rc == 0; stage++)
            if (only < 0 || stage == only) {
                rc = run_stage(stage, run, argv[3], names, n, (size_t)s, y + 1, &t[stage]);
                cpu[stage][round] = t[stage].cpu;
            }
    for (int stage = 0; stage < N_STAGES && rc == 0; stage++)
        if (only < 0 || stage == only)
            print_line(stage_label[stage], &t[stage], cpu[stage], rounds);
    zf_run_free(run);
    zf_defs_free(defs);
    return rc;
}
