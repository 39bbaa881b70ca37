/* fuzz_xlsx.c — the XLSX reader (minizip + expat underneath): the input is the file. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_read_all(fz_file(data, n), ZF_FORMAT_XLSX, NULL);
    return 0;
}
