#include "zf_fs.h"
#include "zf_sha256.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct zf_sha256 {
    EVP_MD_CTX *ctx;
};

zf_status zf_sha256_new(zf_sha256 **out)
{
    *out = NULL;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return ZF_ERR_NOMEM;
    }
    /* the context pointer itself is the handle: no extra allocation */
    *out = (zf_sha256 *)ctx;
    return ZF_OK;
}

void zf_sha256_update(zf_sha256 *h, const void *data, size_t len)
{
    EVP_DigestUpdate((EVP_MD_CTX *)h, data, len);
}

void zf_sha256_final(zf_sha256 *h, char hex[65])
{
    unsigned char md[32];
    unsigned int n = 0;
    EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &n);
    EVP_MD_CTX_free((EVP_MD_CTX *)h);
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

zf_status zf_sha256_buffer(const void *data, size_t len, char hex[65])
{
    zf_sha256 *h;
    if (zf_sha256_new(&h) != ZF_OK)
        return ZF_ERR_NOMEM;
    zf_sha256_update(h, data, len);
    zf_sha256_final(h, hex);
    return ZF_OK;
}

zf_status zf_sha256_file(const char *path, char hex[65], uint64_t *size, zf_error *err)
{
    int fd;
    zf_status opened = zf_open_regular(path, &fd, err);
    if (opened != ZF_OK)
        return opened;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
    }
    zf_sha256 *h;
    if (zf_sha256_new(&h) != ZF_OK) {
        fclose(f);
        return zf_error_set(err, ZF_ERR_NOMEM, path, 0, 0, "out of memory");
    }
    unsigned char buf[1 << 16];
    uint64_t total = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        zf_sha256_update(h, buf, n);
        total += n;
    }
    int failed = ferror(f);
    fclose(f);
    zf_sha256_final(h, hex);
    if (failed)
        return zf_error_set(err, ZF_ERR_IO, path, 0, 0, "read error");
    if (size)
        *size = total;
    return ZF_OK;
}
