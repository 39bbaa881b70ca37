/* fuzz_xls.c — the .xls reader (FreeXL, and libgsf for formula results): the input is the
 * file.  Not in make fuzz-smoke: Debian's FreeXL 1.0.6 reads past its buffers on crafted
 * files within seconds (docs/definitions.md), which would fail every run of make test on a
 * library bug we cannot fix here; make fuzz runs it last, to watch our side of it. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_read_all(fz_file(data, n), ZF_FORMAT_XLS, NULL);
    return 0;
}
