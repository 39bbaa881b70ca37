/* fuzz_json.c — the JSON and JSON Lines readers: the first byte picks which. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    if (n < 1)
        return 0;
    fz_read_all(fz_file(data + 1, n - 1), data[0] & 1 ? ZF_FORMAT_JSONL : ZF_FORMAT_JSON, NULL);
    return 0;
}
