/* zhongfu — 众扶: indicator reporting for the "弱有众扶" five-year plans. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fputs("usage: zhongfu COMMAND [OPTIONS]\n"
          "\n"
          "commands:\n"
          "  run --plan PLAN --data DIR --out DIR [--as-of YYYY-MM-DD] [--year Y]...\n"
          "                      compute a plan from departmental exports and publish the reports\n"
          "  check --data DIR [--plan PLAN]\n"
          "                      validate a data directory without computing anything\n"
          "  plan show PLAN      the plan as a table: indicators, units, targets per year\n"
          "  plan list           the plans under the templates directory\n"
          "  sources [--plan PLAN] [SOURCE]\n"
          "                      the source definitions: columns, types, keys\n"
          "  audit rerun RUN_ID | --manifest FILE\n"
          "                      re-run a past run from the archive and compare every output\n"
          "  audit trace --plan P --indicator N --year Y [--region R] --data DIR\n"
          "                      the records behind a value, as CSV\n"
          "  db migrate --store URL [--plan PLAN]\n"
          "                      create or upgrade the PostgreSQL warehouse (db status: its version)\n"
          "  history --store URL --plan P --indicator N [--year Y] [--region R]\n"
          "                      a value across the stored runs, with the inputs that changed\n"
          "\n"
          "  --version           print the version\n"
          "  --help              this text; COMMAND --help for a command's options\n"
          "\n"
          "Exit status: 0 everything due computed; 3 finished, but some source failed or some\n"
          "indicator has no data because of missing or bad input; 2 usage error (also an\n"
          "unknown plan: zhongfu plan list); 1 any other failure (nothing published).\n",
          f);
}

int main(int argc, char **argv)
{
    /* numbers are formatted by hand, but keep any library call locale-neutral too */
    setlocale(LC_ALL, "C");
    if (argc < 2) {
        fputs("usage: zhongfu COMMAND [OPTIONS]\n(zhongfu --help: the commands)\n", stderr);
        return ZF_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("zhongfu %s\n", ZF_VERSION);
        return ZF_EXIT_OK;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return ZF_EXIT_OK;
    }
    if (!strcmp(cmd, "run"))
        return zf_cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "check"))
        return zf_cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "plan"))
        return zf_cmd_plan(argc - 1, argv + 1);
    if (!strcmp(cmd, "sources"))
        return zf_cmd_sources(argc - 1, argv + 1);
    if (!strcmp(cmd, "audit"))
        return zf_cmd_audit(argc - 1, argv + 1);
    if (!strcmp(cmd, "db"))          /* warehouse */
        return zf_cmd_db(argc - 1, argv + 1);
    if (!strcmp(cmd, "history"))     /* warehouse */
        return zf_cmd_history(argc - 1, argv + 1);
    /* one line and a hint, not the whole help (issue 16, finding 12) */
    fprintf(stderr, "zhongfu: unknown command '%s'\n(zhongfu --help: the commands)\n", cmd);
    return ZF_EXIT_USAGE;
}
