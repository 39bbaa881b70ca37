/* zf_sha256.h — SHA-256 of files and buffers (OpenSSL's EVP: audited, already on every
 * Debian machine), as lowercase hex. */
#ifndef ZF_SHA256_H
#define ZF_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "zf_error.h"

typedef struct zf_sha256 zf_sha256;

ZF_MUST_CHECK zf_status zf_sha256_new(zf_sha256 **out);
void zf_sha256_update(zf_sha256 *h, const void *data, size_t len);
/* Writes 64 hex digits and a NUL into hex[65]; the context is freed. */
void zf_sha256_final(zf_sha256 *h, char hex[65]);

ZF_MUST_CHECK zf_status zf_sha256_buffer(const void *data, size_t len, char hex[65]);
/* The hash and size of a file. */
ZF_MUST_CHECK zf_status zf_sha256_file(const char *path, char hex[65], uint64_t *size, zf_error *err);

#endif
