/* fuzz_config.c — the nightly configuration file (key = value lines). */
#include "fuzz.h"
#include "../../etl/cli/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    zf_config c;
    zf_error err;
    if (zf_config_load(&c, fz_file(data, n), &err) == ZF_OK) {
        zf_config_get(&c, "plan");
        zf_config_flag(&c, "charts", true);
        zf_config_free(&c);
    }
    return 0;
}
