/* fuzz_csv.c — the CSV reader: the first byte picks the encoding (auto, UTF-8, GB18030)
 * and the scanners (AVX2 or portable); the rest is the file. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (n < 1)
        return 0;
    static const char *const enc[] = {NULL, "utf-8", "gb18030", "auto"};
    setenv("ZF_NO_SIMD", data[0] & 4 ? "1" : "0", 1);
    fz_read_all(fz_file(data + 1, n - 1), ZF_FORMAT_CSV, enc[data[0] & 3]);
    return 0;
}
