/* zf_export.h — run: the accepted records a run exports with --export-accepted.  They are
 * written with the run's other outputs beside --out (OUT.zhongfu-accepted) and reach the
 * user's directory only when the run has written and verified everything, one whole file
 * at a time: a failed run leaves the previous export as it was. */
#ifndef ZF_EXPORT_H
#define ZF_EXPORT_H

#include "zf_defs.h"
#include "zf_error.h"

/* Moves staged/<source>.csv to dir/<source>.csv for every source that has one, each
 * replaced by a rename (a copy and a rename when dir is on another file system), then
 * makes dir's entries durable.  A dir/<source>.csv that is not a regular file (a link, a
 * directory) is refused, not replaced. */
ZF_MUST_CHECK zf_status zf_export_place(const char *staged, const char *dir, const zf_source_set *sources,
                                        zf_error *err);

#endif
