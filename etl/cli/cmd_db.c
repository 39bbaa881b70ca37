/* cmd_db.c — `zhongfu db migrate|status`: the warehouse's schema (zf_warehouse.h). */
#include <dirent.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "zf_defs.h"
#include "zf_warehouse.h"

#ifndef ZF_DATADIR
#define ZF_DATADIR "/usr/local/share/zhongfu"
#endif

static const char db_help[] =
    "usage: zhongfu db migrate --store URL [--sql DIR] [--plan PLAN [--templates DIR]] [--quiet]\n"
    "       zhongfu db status  --store URL [--sql DIR]\n"
    "\n"
    "migrate  apply the migrations of the warehouse schema that are not applied yet, each in\n"
    "         its own transaction (applying twice is a no-op).  With --plan, also create the\n"
    "         record tables rec_<source> of the plan's sources (typed columns from the source\n"
    "         definitions) and record the definitions — needed before distributing them on Citus.\n"
    "status   the applied schema version and the migrations still pending (exit 3 if any).\n"
    "\n"
    "  --store URL       postgresql://… or a libpq conninfo, or 'env' for PGHOST, PGDATABASE, …\n"
    "  --sql DIR         the migrations directory (default: $ZHONGFU_SQL, else sql/migrations\n"
    "                    next to the program or in the installed share directory)\n"
    "  --plan PLAN       see migrate\n"
    "  --templates DIR   definitions directory (default: found next to the program)\n"
    "  --quiet           print nothing but errors\n";

static const char *sql_dir(const char *option, char *buf, size_t size)
{
    return zf_cli_data_dir(option, "ZHONGFU_SQL", "sql/migrations", buf, size);
}

typedef struct db_args {
    const char *store, *sql, *plan, *templates;
    bool quiet;
} db_args;

static int parse(int argc, char **argv, db_args *a)
{
    static const struct option opts[] = {
        {"store", required_argument, 0, 's'}, {"sql", required_argument, 0, 'S'},
        {"plan", required_argument, 0, 'p'},  {"templates", required_argument, 0, 't'},
        {"quiet", no_argument, 0, 'q'},       {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 's': a->store = optarg; break;
        case 'S': a->sql = optarg; break;
        case 'p': a->plan = optarg; break;
        case 't': a->templates = optarg; break;
        case 'q': a->quiet = true; break;
        case 'h': fputs(db_help, stdout); return -1;
        default: return zf_cli_usage("db", db_help, NULL);
        }
    }
    if (optind != argc || !a->store) {
        return zf_cli_usage("db", db_help, "--store is required");
    }
    return 0;
}

static int migrate(const db_args *a, zf_warehouse *conn, const char *dir)
{
    zf_error err;
    zf_error_clear(&err);
    int applied = 0, version = 0;
    zf_defs *defs = NULL;
    zf_status st = zf_warehouse_migrate(conn, dir, a->quiet ? NULL : stdout, &applied, &err);
    if (st == ZF_OK)
        st = zf_warehouse_version(conn, &version, &err);
    if (st == ZF_OK && a->plan) {
        char tbuf[4096];
        st = zf_defs_load(&defs, zf_cli_templates(a->templates, tbuf, sizeof tbuf), a->plan, &err);
        if (st == ZF_OK)
            st = zf_warehouse_prepare(conn, defs, &err);
    }
    if (st != ZF_OK) {
        zf_cli_error("db migrate failed", &err);
        zf_defs_free(defs);
        return st == ZF_ERR_NOT_FOUND && a->plan ? ZF_EXIT_USAGE : ZF_EXIT_FAILURE;
    }
    if (!a->quiet) {
        if (applied == 0)
            printf("the warehouse is up to date (schema version %d)\n", version);
        else
            printf("schema version %d (%d migration%s applied)\n", version, applied, applied == 1 ? "" : "s");
        if (defs)
            printf("record tables of plan %s: %zu sources ready\n", defs->plan.id, defs->sources.n_sources);
    }
    zf_defs_free(defs);
    return ZF_EXIT_OK;
}

static int status(const db_args *a, zf_warehouse *conn, const char *dir)
{
    zf_error err;
    zf_error_clear(&err);
    int version = 0;
    if (zf_warehouse_version(conn, &version, &err) != ZF_OK) {
        zf_cli_error("db status failed", &err);
        return ZF_EXIT_FAILURE;
    }
    printf("schema version %d (this zhongfu writes version %d)\n", version, ZF_WAREHOUSE_SCHEMA);
    if (version > 0) {
        zf_warehouse_rows *res = zf_warehouse_migrations_applied(conn);
        for (int r = 0; r < zf_warehouse_rows_count(res); r++)
            printf("  applied  %s  %s  by %s\n", zf_warehouse_rows_value(res, r, 1),
                   zf_warehouse_rows_value(res, r, 2), zf_warehouse_rows_value(res, r, 3));
        zf_warehouse_rows_free(res);
    }
    /* pending: files in dir above the applied version */
    int pending = 0;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            int v = atoi(de->d_name);
            size_t len = strlen(de->d_name);
            if (v > version && len > 4 && !strcmp(de->d_name + len - 4, ".sql")) {
                printf("  pending  %s\n", de->d_name);
                pending++;
            }
        }
        closedir(d);
    } else if (!a->quiet) {
        fprintf(stderr, "zhongfu db: cannot read the migrations directory %s\n", dir);
    }
    return pending || version < ZF_WAREHOUSE_SCHEMA ? ZF_EXIT_INCOMPLETE : ZF_EXIT_OK;
}

int zf_cmd_db(int argc, char **argv)
{
    if (argc < 2)
        return zf_cli_usage("db", db_help, "migrate or status?");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(db_help, stdout);
        return ZF_EXIT_OK;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "migrate") != 0 && strcmp(sub, "status") != 0) {
        fprintf(stderr, "zhongfu db: unknown subcommand '%s' (migrate or status)\n", sub);
        return ZF_EXIT_USAGE;
    }
    db_args a;
    memset(&a, 0, sizeof a);
    int rc = parse(argc - 1, argv + 1, &a);
    if (rc)
        return rc < 0 ? ZF_EXIT_OK : rc;
    char sbuf[4096];
    const char *dir = sql_dir(a.sql, sbuf, sizeof sbuf);
    zf_error err;
    zf_error_clear(&err);
    zf_warehouse *conn = NULL;
    if (zf_warehouse_connect(&conn, a.store, &err) != ZF_OK) {
        zf_cli_error("db", &err);
        return ZF_EXIT_FAILURE;
    }
    rc = !strcmp(sub, "migrate") ? migrate(&a, conn, dir) : status(&a, conn, dir);
    zf_warehouse_close(conn);
    return rc;
}
