/* zf_archive.h — the input archive: every input file, definition and output of a run is
 * kept by content hash (objects/ab/abcdef…), once however many runs use it, with the run's
 * manifest under runs/<run_id>/.  Directories are 0700 and files 0400: readable by the
 * pipeline's own account only.  An auditor re-runs from here years later. */
#ifndef ZF_ARCHIVE_H
#define ZF_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "zf_run.h"

/* $ZHONGFU_ARCHIVE, else $XDG_DATA_HOME/zhongfu/archive, else ~/.local/share/zhongfu/archive. */
const char *zf_archive_default(char *buf, size_t size);

/* Path of the object with this hash (it may not exist). */
ZF_MUST_CHECK zf_status zf_archive_object(const char *archive, const char *sha256, char *buf, size_t size);

/* Keep a file under its hash (nothing to do when it is already there). */
ZF_MUST_CHECK zf_status zf_archive_put(const char *archive, const char *path, const char *sha256, zf_error *err);

/* Copy the object with this hash to dest (mode 0600); *intact tells whether its bytes
 * still hash to sha256 (an archive can be tampered with; the caller reports it). */
ZF_MUST_CHECK zf_status zf_archive_get(const char *archive, const char *sha256, const char *dest, bool *intact,
                                       zf_error *err);

/* The directory (created, private) where a run keeps its postgres sources' rows until
 * zf_archive_run takes them: in the archive, so that nothing personal lands elsewhere. */
ZF_MUST_CHECK zf_status zf_archive_spool_dir(const char *archive, char *buf, size_t size, zf_error *err);

/* Keep the run's inputs (from data_dir), definitions (from templates_dir), every output
 * in out_dir (the staging directory, manifest included) and the manifest as
 * runs/<run_id>/manifest.json.  A postgres source is kept from its spool file (q->spool). */
ZF_MUST_CHECK zf_status zf_archive_run(const zf_run *run, const char *archive, const char *templates_dir,
                                       const char *data_dir, const char *out_dir, zf_error *err);

#endif
