/* fuzz_xls.c — the .xls reader (libgsf's OLE2 container, our BIFF decoder): the input is the
 * file.  The seeds (tests/fuzz/corpus/fuzz_xls) are small xlwt workbooks: shared strings
 * split across CONTINUE records, both date systems, formula results, and a BIFF5 one. */
#include "fuzz.h"

/* libgsf 1.14.50 leaks a directory entry (about 120 bytes) when gsf_infile_msole_new rejects
 * a crafted directory: a library leak we cannot free, found after ~280,000 executions, and
 * reported again at exit for every such input.  Leak checking is off for this harness alone
 * (ASan's hook for a program's own defaults); leaks of our decoder are still caught by
 * fuzz_xls_biff, which runs it without libgsf. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
    fz_read_all(fz_file(data, n), ZF_FORMAT_XLS, NULL);
    return 0;
}
