#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "zf_archive.h"
#include "zf_audit.h"

static const char audit_help[] =
    "usage: zhongfu audit rerun RUN_ID [--archive DIR] [--keep DIR]\n"
    "       zhongfu audit rerun --manifest FILE [--archive DIR] [--keep DIR]\n"
    "\n"
    "rerun: take the archived inputs and definitions of a past run, run it again with the\n"
    "same as-of date and options, and compare every output with the published hash.  Prints\n"
    "MATCH, or DIFF with the files that differ and the first differing rows of results.csv.\n"
    "Inputs that no longer match their hash in the archive are named.\n"
    "\n"
    "  --archive DIR   the archive (default $ZHONGFU_ARCHIVE or ~/.local/share/zhongfu/archive)\n"
    "  --manifest FILE a published manifest.json instead of a run id\n"
    "  --keep DIR      re-run into DIR and keep it (default: a temporary directory)\n"
    "  --gnuplot PATH  the gnuplot program\n"
    "\n"
    "Exit status: 0 MATCH; 5 DIFF; 2 usage error; 1 the re-run could not be done.\n";

enum { ZF_EXIT_DIFF = 5 };

static int rerun(int argc, char **argv)
{
    static const struct option opts[] = {
        {"archive", required_argument, 0, 'a'}, {"manifest", required_argument, 0, 'm'},
        {"keep", required_argument, 0, 'k'},    {"gnuplot", required_argument, 0, 'g'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    zf_audit_opts o = {.report = stdout};
    char abuf[4096];
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "a:m:k:g:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': o.archive = optarg; break;
        case 'm': o.manifest = optarg; break;
        case 'k': o.keep_dir = optarg; break;
        case 'g': o.gnuplot = optarg; break;
        case 'h': fputs(audit_help, stdout); return ZF_EXIT_OK;
        default: return zf_cli_usage("audit", audit_help, NULL);
        }
    }
    if (optind < argc)
        o.run_id = argv[optind++];
    if (optind < argc || (!o.run_id == !o.manifest)) {
        return zf_cli_usage("audit", audit_help, "rerun: give a RUN_ID or --manifest FILE");
    }
    if (!o.archive)
        o.archive = zf_archive_default(abuf, sizeof abuf);
    bool match = false;
    zf_error err;
    zf_error_clear(&err);
    zf_status st = zf_audit_rerun(&o, &match, &err);
    if (st != ZF_OK) {
        zf_cli_error("audit rerun", &err);
        return st == ZF_ERR_USAGE ? ZF_EXIT_USAGE : ZF_EXIT_FAILURE;
    }
    return match ? ZF_EXIT_OK : ZF_EXIT_DIFF;
}

int zf_cmd_audit(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "rerun"))
        return rerun(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "trace"))
        return zf_cmd_trace(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(audit_help, stdout);
        return ZF_EXIT_OK;
    }
    return zf_cli_usage("audit", audit_help, argc >= 2 ? "unknown subcommand (rerun or trace)" : "rerun or trace?");
}
