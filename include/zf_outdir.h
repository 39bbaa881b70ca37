/* zf_outdir.h — zhongfu removes and replaces only directories it made itself.
 *
 * A run replaces --out with its new publication and clears OUT.zhongfu-staging,
 * OUT.zhongfu-old and OUT.zhongfu-accepted beside it; `audit rerun --keep DIR` clears DIR.
 * Each of those paths is the user's to name, and a mistyped one (a home directory, the data, the archive) must never
 * cost a file.  So a path is first made canonical (trailing slashes, symbolic links, `..`),
 * kept apart from the run's inputs and archive, and a directory is removed only when it
 * is one of ours:
 *   - a publication: manifest.json says software "zhongfu" and every file below is
 *     manifest.json, the mark, or one of its listed outputs (plus the lock files Excel and
 *     LibreOffice leave beside a workbook someone has open);
 *   - a work directory (staging, accepted records, an audit's re-run): it holds the mark
 *     file ZF_OUTDIR_MARK, written when zhongfu created it, and no manifest;
 *   - an empty directory.
 * Anything else is refused with the first foreign file named. */
#ifndef ZF_OUTDIR_H
#define ZF_OUTDIR_H

#include <stddef.h>

#include "zf_error.h"

#define ZF_OUTDIR_MARK ".zhongfu"

/* The canonical absolute form of path: symbolic links resolved, no trailing slash.  path
 * need not exist (its parent is created so that it can be resolved); when it exists it
 * must be a directory.  ZF_ERR_USAGE for "/" and for anything that is not a directory. */
ZF_MUST_CHECK zf_status zf_outdir_resolve(const char *path, char *buf, size_t size, zf_error *err);

/* ZF_ERR_USAGE when the canonical dir is, contains or lies inside other (`what` names
 * other in the message, e.g. "--data"); other may be NULL or not exist yet. */
ZF_MUST_CHECK zf_status zf_outdir_apart(const char *dir, const char *option, const char *other, const char *what,
                                        zf_error *err);

/* ZF_OK when path is missing or is one of ours (see above); ZF_ERR_USAGE naming the first
 * foreign entry otherwise.  `option` says which option named it, for the message. */
ZF_MUST_CHECK zf_status zf_outdir_owned(const char *path, const char *option, zf_error *err);

/* zf_outdir_owned, then remove the tree. */
ZF_MUST_CHECK zf_status zf_outdir_remove(const char *path, const char *option, zf_error *err);

/* Create dir (which must not exist) with mode and put the mark in it. */
ZF_MUST_CHECK zf_status zf_outdir_create(const char *dir, unsigned mode, zf_error *err);

#endif
