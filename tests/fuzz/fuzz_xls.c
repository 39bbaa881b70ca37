/* fuzz_xls.c — the .xls reader (libgsf's OLE2 container, our BIFF decoder): the input is the
 * file.  The seeds (tests/fuzz/corpus/fuzz_xls) are small xlwt workbooks: shared strings
 * split across CONTINUE records, both date systems, formula results, and a BIFF5 one. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_read_all(fz_file(data, n), ZF_FORMAT_XLS, NULL);
    return 0;
}
