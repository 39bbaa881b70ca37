/* fuzz_defs.c — the definitions loader: a copy of templates/ is made once, and each input
 * replaces the Yuyao plan, its sources or its regions (the first byte says which), so the
 * fuzzer works on one file while the other two stay valid and cross-references are checked. */
#include <sys/stat.h>

#include "fuzz.h"
#include "zf_defs.h"
#include "zf_fs.h"

static char dir[64];

static void copy(const char *from, const char *to)
{
    FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
    if (!a || !b)
        abort();
    char buf[1 << 16];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, a)) > 0)
        fwrite(buf, 1, k, b);
    fclose(a);
    fclose(b);
}

static const char *const files[] = {"plans/yuyao.json", "sources/yuyao.json", "regions/yuyao.json"};

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/zf-fuzz-defs.XXXXXX");
    if (!mkdtemp(dir))
        abort();
    char a[256], b[256];
    for (size_t i = 0; i < 3; i++) {
        snprintf(b, sizeof b, "%s/%.*s", dir, (int)(strchr(files[i], '/') - files[i]), files[i]);
        mkdir(b, 0700);
        snprintf(a, sizeof a, "%s/templates/%s", ZF_SOURCE_DIR, files[i]);
        snprintf(b, sizeof b, "%s/%s", dir, files[i]);
        copy(a, b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (!dir[0])
        setup();
    if (n < 1)
        return 0;
    char path[256], keep[256];
    const char *which = files[data[0] % 3];
    snprintf(path, sizeof path, "%s/%s", dir, which);
    snprintf(keep, sizeof keep, "%s/%s.orig", dir, which);
    if (access(keep, F_OK) != 0)
        copy(path, keep);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data + 1, 1, n - 1, f);
    fclose(f);
    zf_defs *d = NULL;
    zf_error err;
    if (zf_defs_load(&d, dir, "yuyao", &err) == ZF_OK)
        zf_defs_free(d);
    copy(keep, path);
    return 0;
}
