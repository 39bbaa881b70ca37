/* zf_test_zip.h — writing the parts of a workbook by hand (minizip), for reader tests that
 * need XML no spreadsheet program would write. */
#ifndef ZF_TEST_ZIP_H
#define ZF_TEST_ZIP_H

#include <minizip/zip.h>
#include <string.h>

#include "zf_test.h"

static inline void zip_add(zipFile z, const char *name, const char *text)
{
    zip_fileinfo zi;
    memset(&zi, 0, sizeof zi);
    assert_int_equal(zipOpenNewFileInZip(z, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6), ZIP_OK);
    assert_int_equal(zipWriteInFileInZip(z, text, (unsigned)strlen(text)), ZIP_OK);
    assert_int_equal(zipCloseFileInZip(z), ZIP_OK);
}

#endif
