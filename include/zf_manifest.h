/* zf_manifest.h — the run's identity and evidence: the run id derived from its content,
 * and manifest.json listing every input and output with its sha256.  Names are relative
 * to the data and output directories so the same run published twice is identical. */
#ifndef ZF_MANIFEST_H
#define ZF_MANIFEST_H

#include "zf_run.h"

/* run->run_id from the version, plan hash, as-of date and every input's name and hash. */
ZF_MUST_CHECK zf_status zf_run_id_compute(zf_run *run, zf_error *err);

/* Write dir/manifest.json, hashing every other file below dir. */
ZF_MUST_CHECK zf_status zf_manifest_write(const zf_run *run, const char *dir, zf_error *err);

#endif
