/* test_inputs.c — input files at their edges (hardening issue 23, findings 11 and 12): a
 * file without a required column, empty files of every format, the element a JSON parse
 * error names.  Each data directory is written at test time; the files are read through
 * zf_ingest as a run reads them (validate only: no engine).
 *
 * The missing-column test is also the one that tripped clang's UBSan (`make SAN=clang`):
 * the rejected value of a missing cell was copied from a NULL pointer, and the cells of a
 * short run of fields were cut with an index of 0 − 1. */
#include "zf_calendar.h"
#include "zf_test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "zf_fs.h"
#include "zf_ingest.h"
#include "zf_pipeline.h"
#include "zf_run.h"

static zf_defs *defs;

static int load_defs(void **state)
{
    (void)state;
    zf_error err;
    zf_error_clear(&err);
    return zf_defs_load(&defs, ZF_TEMPLATES, "yuyao", &err) == ZF_OK ? 0 : -1;
}

static int free_defs(void **state)
{
    (void)state;
    zf_defs_free(defs);
    return 0;
}

static char *new_dir(void)
{
    char *dir = strdup("/tmp/zf-inputs.XXXXXX");
    assert_non_null(mkdtemp(dir));
    return dir;
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void remove_dir(char *dir)
{
    zf_error err;
    zf_error_clear(&err);
    assert_int_equal(zf_rm_rf(dir, &err), ZF_OK);
    free(dir);
}

/* Every source's files in dir, validated. */
static zf_run *ingest(const char *dir)
{
    zf_error err;
    zf_error_clear(&err);
    zf_run *run = NULL;
    assert_int_equal(zf_run_new(&run, defs, zf_days_from_civil(2025, 12, 31), NULL, 0, &err), ZF_OK);
    zf_ingest_opts io;
    memset(&io, 0, sizeof io);
    io.data_dir = dir;
    assert_int_equal(zf_ingest(run, &io, &err), ZF_OK);
    return run;
}

static const zf_input_file *file_named(const zf_run *run, const char *name)
{
    for (size_t i = 0; i < run->n_files; i++)
        if (strcmp(run->files[i].name, name) == 0)
            return &run->files[i];
    fail_msg("no input file %s", name);
    return NULL;
}

/* medical_settlements without 医疗总费用 (required, not personal): the file is flagged, and
 * each record is rejected at that column with an empty value. */
static void test_missing_required_column(void **state)
{
    (void)state;
    char *dir = new_dir();
    write_file(dir, "medical_settlements.csv",
               "结算编号,身份证号,乡镇街道,人员类别,就诊类型,结算日期,政策范围内费用,基本医保支付,大病保险支付,"
               "医疗救助支付\n"
               "M1,330281197101111015,凤山街道,低保,住院,2025-03-01,8000.00,5000.00,1000.00,1500.00\n"
               "M2,330281197202121028,凤山街道,特困,门诊慢特病,2025-04-01,1800.00,1200.00,0.00,400.00\n");
    zf_run *run = ingest(dir);
    const zf_input_file *q = file_named(run, "medical_settlements.csv");
    assert_string_equal(q->status, "missing_column");
    assert_string_equal(q->message, "required column 医疗总费用 is not in the header");
    assert_int_equal(q->rows_read, 2);
    assert_int_equal(q->rows_rejected, 2);
    assert_int_equal(q->reasons[ZF_REASON_MISSING_REQUIRED], 2);
    assert_int_equal(run->n_rejects, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(run->rejects[i].line, (long)i + 2);
        assert_string_equal(run->rejects[i].column, "医疗总费用");
        assert_string_equal(run->rejects[i].value, "");
        assert_int_equal(run->rejects[i].reason, ZF_REASON_MISSING_REQUIRED);
    }
    zf_run_free(run);
    remove_dir(dir);
}

static void assert_error_like(const zf_run *run, const char *name, const char *part)
{
    const zf_input_file *q = file_named(run, name);
    if (strcmp(q->status, "error") != 0 || !q->message || !strstr(q->message, part))
        fprintf(stderr, "  %s: status %s, message '%s', expected error with '%s'\n", name, q->status,
                q->message ? q->message : "", part);
    assert_string_equal(q->status, "error");
    assert_non_null(strstr(q->message, part));
}

/* An empty file is an error in every format.  Before, an empty .jsonl was "ok" (0 rows) and
 * an empty .csv "missing_column". */
static void test_empty_files(void **state)
{
    (void)state;
    char *dir = new_dir();
    write_file(dir, "dilapidated_houses.jsonl", "");
    write_file(dir, "red_cross_projects.jsonl", "\n\n");   /* blank lines only */
    write_file(dir, "housing_applications.json", "");
    write_file(dir, "gdp.csv", "");
    write_file(dir, "shelters.csv", "\xEF\xBB\xBF");        /* a BOM and nothing else */
    write_file(dir, "employment_assistance.xlsx", "");
    zf_run *run = ingest(dir);
    for (size_t i = 0; i < run->n_files; i++)
        assert_int_equal(run->files[i].rows_read, 0);
    assert_error_like(run, "dilapidated_houses.jsonl", "the file is empty: expected an object '{' on each line");
    assert_error_like(run, "red_cross_projects.jsonl", "the file is empty");
    assert_error_like(run, "housing_applications.json", "the file is empty: expected a JSON array of objects");
    assert_error_like(run, "gdp.csv", "the file is empty: expected a header row");
    assert_error_like(run, "shelters.csv", "the file is empty");
    assert_error_like(run, "employment_assistance.xlsx", "not a readable XLSX file");
    zf_run_free(run);
    remove_dir(dir);
}

/* An empty array is an export of no records, as a CSV with only its header. */
static void test_empty_array_is_no_records(void **state)
{
    (void)state;
    char *dir = new_dir();
    write_file(dir, "housing_applications.json", "[]\n");
    zf_run *run = ingest(dir);
    const zf_input_file *q = file_named(run, "housing_applications.json");
    assert_string_equal(q->status, "ok");
    assert_int_equal(q->rows_read, 0);
    zf_run_free(run);
    remove_dir(dir);
}

#define HOUSING(id) "{\"申请编号\": \"" id "\", \"户编号\": \"HH1\", \"乡镇街道\": \"阳明街道\", \"家庭类别\": \"低保\", " \
                    "\"申请日期\": \"2022-01-03\", \"审核结果\": \"符合\", \"保障日期\": \"\"}"

/* The message of a JSON file that stops being JSON after two good elements. */
static void json_message(const char *name, const char *text, long rows, const char *want)
{
    char *dir = new_dir();
    write_file(dir, name, text);
    zf_run *run = ingest(dir);
    assert_error_like(run, name, want);
    assert_int_equal(file_named(run, name)->rows_read, rows);
    zf_run_free(run);
    remove_dir(dir);
}

/* A parse error names the element it is in: the third here (before: "element 2" where the
 * third should start), or the one it follows when the separator after it is wrong. */
static void test_json_error_names_its_element(void **state)
{
    (void)state;
    json_message("housing_applications.json", "[\n" HOUSING("A") ",\n" HOUSING("B") ",\nx\n]\n", 2,
                 ":4:1: invalid JSON in element 3: expected an object '{'");
    json_message("housing_applications.json", "[\n" HOUSING("A") ",\n" HOUSING("B") ",\n", 2,
                 "invalid JSON in element 3: the file ends early: expected ']'");
    json_message("housing_applications.json", "[\n" HOUSING("A") ",\n" HOUSING("B") "\n" HOUSING("C") "]\n", 2,
                 ":4:1: invalid JSON after element 2: expected ',' or ']'");
    json_message("housing_applications.json", "[\n" HOUSING("A") ",\n" HOUSING("B") ",\n{\"a\": 01}]\n", 2,
                 ":4:8: invalid JSON in element 3: expected ',' or '}'");
    json_message("housing_applications.json", "[x]\n", 0, ":1:2: invalid JSON in element 1: expected an object '{'");
    /* JSON Lines: the third non-blank line */
    json_message("dilapidated_houses.jsonl", "{\"a\": 1}\n\n{\"a\": 2}\nx\n", 2,
                 ":4:1: invalid JSON in element 3: expected an object '{'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_required_column),
        cmocka_unit_test(test_empty_files),
        cmocka_unit_test(test_empty_array_is_no_records),
        cmocka_unit_test(test_json_error_names_its_element),
    };
    return cmocka_run_group_tests(tests, load_defs, free_defs);
}
