/* zf_audit.h — audits: re-run a past run from its archived inputs and definitions and
 * compare every output's hash with what was published. */
#ifndef ZF_AUDIT_H
#define ZF_AUDIT_H

#include <stdbool.h>
#include <stdio.h>

#include "zf_error.h"

typedef struct zf_audit_opts {
    const char *manifest;     /* a published manifest.json, or */
    const char *run_id;       /* a run id: ARCHIVE/runs/<id>/manifest.json */
    const char *archive;
    const char *keep_dir;     /* re-run there and keep it; NULL: a temporary directory */
    const char *gnuplot;
    FILE *report;             /* where MATCH / DIFF and the differences are written */
} zf_audit_opts;

/* *match: every output has the published hash.  Fails when the manifest cannot be read or
 * an input is missing from the archive (a changed input is reported, not an error). */
ZF_MUST_CHECK zf_status zf_audit_rerun(const zf_audit_opts *o, bool *match, zf_error *err);

#endif
