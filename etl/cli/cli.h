/* cli.h — the zhongfu command line: one function per subcommand, each parsing its own
 * options and returning the process exit status of outputs.md (0, 1, 2, 3). */
#ifndef ZF_CLI_H
#define ZF_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "zf_error.h"

/* 4 is ours: another run holds the output directory's lock, nothing was done */
enum { ZF_EXIT_OK = 0, ZF_EXIT_FAILURE = 1, ZF_EXIT_USAGE = 2, ZF_EXIT_INCOMPLETE = 3, ZF_EXIT_LOCKED = 4 };

int zf_cmd_run(int argc, char **argv);
int zf_cmd_plan(int argc, char **argv);
int zf_cmd_sources(int argc, char **argv);
int zf_cmd_check(int argc, char **argv);
int zf_cmd_audit(int argc, char **argv);
int zf_cmd_trace(int argc, char **argv);
int zf_cmd_db(int argc, char **argv);        /* warehouse: cmd_db.c */
int zf_cmd_history(int argc, char **argv);   /* warehouse: cmd_history.c */

/* The templates directory: --templates, $ZHONGFU_TEMPLATES, next to the executable
 * (build/../templates, bin/../share/zhongfu/templates), or the installed data dir. */
const char *zf_cli_templates(const char *option, char *buf, size_t size);
/* A directory of the installation (rel = "templates", "sql/migrations"): the option, else
 * $env_name, else next to the executable, else under the installed data dir. */
const char *zf_cli_data_dir(const char *option, const char *env_name, const char *rel, char *buf,
                            size_t size);
/* YYYY-MM-DD → day number; false when not a real date. */
bool zf_cli_parse_date(const char *s, int32_t *days);
int32_t zf_cli_today(void);
/* Print s padded with spaces to `width` terminal columns (CJK characters take two). */
void zf_cli_pad(FILE *f, const char *s, int width);
int zf_cli_width(const char *s);
/* A usage error: "zhongfu CMD: what" (when given), the help's first line (the synopsis)
 * and a hint to CMD --help, on stderr.  Returns ZF_EXIT_USAGE. */
int zf_cli_usage(const char *cmd, const char *help, const char *what);
/* The plan ids under templates/plans, sorted, each malloc'd (the caller frees); at most cap. */
size_t zf_cli_plan_names(const char *templates, char **names, size_t cap);
/* Whether templates/plans/PLAN.json is a plan file (a plan is a name, not a path). */
bool zf_cli_plan_known(const char *templates, const char *plan);
/* "unknown plan 'x'; the plans are: …" with a hint to `zhongfu plan list`; ZF_EXIT_USAGE. */
int zf_cli_unknown_plan(const char *cmd, const char *templates, const char *plan);
/* Print an error as "zhongfu: file:line:col: message". */
void zf_cli_error(const char *what, const zf_error *err);

#endif
